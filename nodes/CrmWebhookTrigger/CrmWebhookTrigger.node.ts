import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { eventFilter } from '../shared/engines/events/filters';
import type { EventFilters } from '../shared/engines/events/filters';
import type { CrmEvent, EventType, InstantEventSource } from '../shared/contract/events';
import { crmNotices, crmSubtitlePart, optionLabels, readableSubtitle } from '../shared/node/editorDisplay';
import { eventFilterProperties, eventLoadOptions, ignoreOwnChangesOption } from '../shared/node/eventDescription';
import { eventItem, parameterList as list } from '../shared/node/eventItems';
import { providerFor } from '../shared/node/providerContext';
import { webhookProviderCredentials, webhookProviderProperty } from '../shared/node/providerDescription';
import type { CrmProvider } from '../shared/contract/provider';
import { providerChoice } from '../shared/providers/registry';
import { toNodeError } from '../shared/transport/errors';

/** The CRM's webhook for this node, as registered on activation (kept in the node's static data). */
interface Registration {
	id: string;
	secret?: string;
	url: string;
	event: EventType;
	provider: string;
	/** When the CRM drops the registration unless renewed (ms), for CRMs whose webhooks expire. */
	expiresAt?: number;
}

/** A registration this close to expiry is registered anew on activation instead of renewed. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** Deliveries renew an expiring registration once it is this close to expiry (so about once a day for a week-long one). */
const RENEW_ON_DELIVERY_WITHIN_MS = 6 * 86_400_000;

const REGISTRATION = 'registration';
const EMITTED = 'emitted';
/**
 * Event keys remembered to drop replayed or re-sent deliveries. A delivery carries no time it could
 * be rejected by, so the keys are what stops a replay; the newest are kept, the oldest dropped.
 * (n8n saves the static data a webhook() call changed once the call returns: packages/cli/src/
 * webhooks/live-webhooks.ts "Save static data if it changed"; read from n8n's source.)
 */
const MAX_REMEMBERED = 5000;

type Context = IHookFunctions | IWebhookFunctions;

function chosen(context: Context): { providerId: string; type: EventType } {
	return {
		providerId: String(context.getNodeParameter('provider')),
		type: context.getNodeParameter('event') as EventType,
	};
}

/** The provider and its webhook source for the chosen event; a clear error where it has none. */
async function sourceFor(context: Context): Promise<{ provider: CrmProvider; source: InstantEventSource; type: EventType; providerId: string }> {
	const { providerId, type } = chosen(context);
	const { definition } = providerChoice(providerId);
	if (!definition.webhooks) {
		throw new NodeOperationError(context.getNode(), `${definition.displayName} cannot send the "${type}" event by webhook`, {
			description: `${definition.displayName} does not let webhooks be registered by API. Use the CRM Trigger, which polls.`,
		});
	}
	const provider = await providerFor(context, providerId);
	if (!provider.instantEvents || !provider.capabilities.instantEvents.includes(type)) {
		const supported = provider.capabilities.instantEvents;
		throw new NodeOperationError(context.getNode(), `${provider.displayName} cannot send the "${type}" event by webhook`, {
			description: supported.length
				? `Events ${provider.displayName} sends by webhook: ${supported.join(', ')}. Use the CRM Trigger (polling) for the others.`
				: `${provider.displayName} does not let webhooks be registered by API. Use the CRM Trigger, which polls.`,
		});
	}
	return { provider, source: provider.instantEvents(type), type, providerId };
}

function staticData(context: Context): IDataObject {
	return context.getWorkflowStaticData('node');
}

function registrationOf(context: Context): Registration | undefined {
	const stored = context.getWorkflowStaticData('node')[REGISTRATION] as Registration | undefined;
	return stored && typeof stored.id === 'string' ? stored : undefined;
}

function headersOf(raw: Record<string, unknown>): Record<string, string | undefined> {
	const headers: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(raw ?? {})) {
		headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : value === undefined ? undefined : String(value);
	}
	return headers;
}

/** Keeps the newest `MAX_REMEMBERED` keys. */
function bounded(emitted: Record<string, number>): Record<string, number> {
	const entries = Object.entries(emitted);
	if (entries.length <= MAX_REMEMBERED) return emitted;
	return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_REMEMBERED));
}

export class CrmWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Webhook Trigger',
		name: 'crmWebhookTrigger',
		icon: { light: 'file:../../icons/crm-webhook-trigger.svg', dark: 'file:../../icons/crm-webhook-trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: readableSubtitle([{ key: '$parameter["event"]', labels: optionLabels(eventFilterProperties, 'event') }, crmSubtitlePart]),
		description: 'Starts the workflow when the CRM sends a lead, deal, ticket or task event by webhook',
		defaults: { name: 'CRM Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: webhookProviderCredentials,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'The CRM sends each event to this workflow: the webhook is registered in the CRM when the workflow is activated and removed when it is deactivated. For a CRM that cannot register webhooks by API, use the CRM Trigger (polling).',
				name: 'instantNotice',
				type: 'notice',
				default: '',
			},
			webhookProviderProperty,
			...crmNotices(webhookProviderProperty),
			...eventFilterProperties,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [ignoreOwnChangesOption],
			},
		],
	};

	methods = { loadOptions: eventLoadOptions };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { providerId, type } = chosen(this);
				const registration = registrationOf(this);
				const same =
					!!registration &&
					registration.url === this.getNodeWebhookUrl('default') &&
					registration.event === type &&
					registration.provider === providerId;
				if (!same || !registration) return false;
				let source: InstantEventSource;
				try {
					source = (await sourceFor(this)).source;
				} catch (error) {
					// The CRM cannot be asked now: keep the registration rather than pile up duplicates.
					this.logger.warn(`CRM Webhook Trigger: could not reach the CRM to check webhook ${registration.id}: ${(error as Error).message}`);
					return true;
				}
				// CRMs that delete failing webhooks (Pipedrive: after 3 days without a success) are asked
				// whether ours is still there; if not, n8n calls create() and it is registered again.
				if (source.exists) {
					let exists = true;
					try {
						exists = await source.exists(registration);
					} catch (error) {
						this.logger.warn(`CRM Webhook Trigger: could not check webhook ${registration.id} in the CRM: ${(error as Error).message}`);
					}
					if (!exists) {
						this.logger.warn(
							`CRM Webhook Trigger "${this.getNode().name}": the CRM no longer has webhook ${registration.id} (it deletes webhooks whose deliveries keep failing); registering it again.`,
						);
						staticData(this).gone = registration.id;
						return false;
					}
				}
				if (registration.expiresAt === undefined) return true;
				// An expiring registration (Zoho's channels): renewed on every activation, registered anew when (nearly) expired.
				if (registration.expiresAt - Date.now() <= EXPIRY_MARGIN_MS) return false;
				if (!source.renew) return true;
				try {
					const { expiresAt } = await source.renew(registration);
					this.getWorkflowStaticData('node')[REGISTRATION] = { ...registration, expiresAt } as unknown as IDataObject;
					return true;
				} catch (error) {
					this.logger.warn(`CRM Webhook Trigger: could not renew webhook ${registration.id}, registering it anew: ${(error as Error).message}`);
					return false;
				}
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				if (!url) throw new NodeOperationError(this.getNode(), 'n8n gave this node no webhook URL');
				try {
					const { source, type, providerId } = await sourceFor(this);
					const staticData = this.getWorkflowStaticData('node');
					const previous = registrationOf(this);
					const gone = staticData.gone === previous?.id;
					delete staticData.gone;
					// A registration for another URL or event (the node was edited): remove it first.
					if (previous && previous.provider === providerId && !gone) {
						await source.unregister(previous).catch(() => undefined);
					}
					const registered = await source.register(url);
					staticData[REGISTRATION] = { ...registered, url, event: type, provider: providerId } as Registration as unknown as IDataObject;
					return true;
				} catch (error) {
					throw toNodeError(this.getNode(), error);
				}
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const registration = registrationOf(this);
				if (!registration) return true;
				try {
					const { source } = await sourceFor(this);
					await source.unregister(registration);
				} catch (error) {
					// Keep the registration: the next activation reuses it, or the next deactivation retries.
					this.logger.warn(`CRM Webhook Trigger: could not remove webhook ${registration.id} from the CRM: ${(error as Error).message}`);
					return false;
				}
				const staticData = this.getWorkflowStaticData('node');
				delete staticData[REGISTRATION];
				delete staticData[EMITTED];
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const refuse = (message: string): IWebhookResponseData => {
			response.status(401).json({ message });
			return { noWebhookResponse: true };
		};
		const registration = registrationOf(this);
		const rawBody = (request as unknown as { rawBody?: unknown }).rawBody;
		if (!registration) return refuse('This trigger has no registered webhook');
		if (!Buffer.isBuffer(rawBody)) return refuse('The delivery has no body to verify');

		let events: CrmEvent[];
		let providerName: string;
		try {
			const { provider, source, type } = await sourceFor(this);
			providerName = provider.id;
			const verified = source.verify(
				{ method: request.method, url: request.originalUrl ?? request.url, headers: headersOf(request.headers as Record<string, unknown>), rawBody },
				registration,
			);
			if (!verified) return refuse('Invalid or missing signature');
			let body: unknown;
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				response.status(400).json({ message: 'The delivery is not JSON' });
				return { noWebhookResponse: true };
			}
			const filters: EventFilters = {
				pipelines: list(this.getNodeParameter('pipelines', [])),
				toStages: list(this.getNodeParameter('toStages', [])),
				fromStages: list(this.getNodeParameter('fromStages', [])),
				outcome: this.getNodeParameter('outcome', 'both') as EventFilters['outcome'],
				ignoreOwnChanges: (this.getNodeParameter('options', {}) as IDataObject).ignoreOwnChanges === true,
			};
			const accept = eventFilter(type, filters);
			const staticData = this.getWorkflowStaticData('node');
			const emitted = { ...((staticData[EMITTED] as Record<string, number> | undefined) ?? {}) };
			const receivedAt = Date.now();
			events = [];
			for (const event of (await source.toEvents(body)).sort((a, b) => a.at - b.at)) {
				// A replayed or re-sent delivery maps to keys already emitted: nothing starts twice.
				if (event.key in emitted) continue;
				emitted[event.key] = receivedAt;
				if (accept(event)) events.push(event);
			}
			staticData[EMITTED] = bounded(emitted);
			if (source.renew && registration.expiresAt !== undefined && registration.expiresAt - receivedAt < RENEW_ON_DELIVERY_WITHIN_MS) {
				try {
					const { expiresAt } = await source.renew(registration);
					staticData[REGISTRATION] = { ...registration, expiresAt } as unknown as IDataObject;
				} catch (error) {
					// The delivery itself is fine; the next delivery or activation tries again.
					this.logger.warn(`CRM Webhook Trigger: could not renew webhook ${registration.id}: ${(error as Error).message}`);
				}
			}
		} catch (error) {
			// The CRM retries a delivery answered with an error (EspoCRM: 500 → later attempts).
			throw toNodeError(this.getNode(), error);
		}
		if (events.length === 0) return { webhookResponse: { received: true, events: 0 } };
		return { workflowData: [events.map((event) => eventItem(event, providerName))] };
	}
}
