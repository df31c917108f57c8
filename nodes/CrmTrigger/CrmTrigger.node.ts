import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { eventFilter } from '../shared/engines/events/filters';
import type { EventFilters } from '../shared/engines/events/filters';
import { checkState, pollStored, recentEvents } from '../shared/engines/events/poller';
import type { CrmEvent, EventType, TriggerState } from '../shared/contract/events';
import { crmNotices, crmSubtitlePart, optionLabels, readableSubtitle } from '../shared/node/editorDisplay';
import { eventFilterProperties, eventLoadOptions, ignoreOwnChangesOption } from '../shared/node/eventDescription';
import { providerFor } from '../shared/node/providerContext';
import { providerCredentials, providerProperty } from '../shared/node/providerDescription';
import { eventItem, parameterList as list } from '../shared/node/eventItems';
import { toNodeError } from '../shared/transport/errors';

const STATE_KEY = 'crmTrigger';

export class CrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Trigger',
		name: 'crmTrigger',
		icon: { light: 'file:../../icons/crm-trigger.svg', dark: 'file:../../icons/crm-trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: readableSubtitle([{ key: '$parameter["event"]', labels: optionLabels(eventFilterProperties, 'event') }, crmSubtitlePart]),
		// n8n's node panel lists this trigger and the CRM node as one entry, "CRM", and shows this
		// description for it: it describes both.
		description: 'Leads, deals, tickets and tasks in HubSpot, Salesforce, EspoCRM or Pipedrive: act on them, or start a workflow when they change',
		defaults: { name: 'CRM Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials,
		properties: [
			providerProperty,
			...crmNotices(providerProperty),
			...eventFilterProperties,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					ignoreOwnChangesOption,
					{
						displayName: 'Include Last N on Activation',
						name: 'includeLast',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'On first activation, also emit the newest N existing events (default: start from now)',
					},
					{
						displayName: 'Max Records per Poll',
						name: 'maxRecordsPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 2000,
						description: 'A larger backlog is worked off over the next polls, oldest first',
					},
					{
						displayName: 'Safety Window (Minutes)',
						name: 'safetyWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 5,
						description:
							"How far back each poll re-reads, to catch records the CRM's search shows late; already emitted events are remembered for this long and never repeated",
					},
				],
			},
		],
	};

	methods = { loadOptions: eventLoadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const providerId = this.getNodeParameter('provider') as string;
		const type = this.getNodeParameter('event') as EventType;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filters: EventFilters = {
			pipelines: list(this.getNodeParameter('pipelines', [])),
			toStages: list(this.getNodeParameter('toStages', [])),
			fromStages: list(this.getNodeParameter('fromStages', [])),
			outcome: this.getNodeParameter('outcome', 'both') as EventFilters['outcome'],
			ignoreOwnChanges: options.ignoreOwnChanges === true,
		};
		const accept = eventFilter(type, filters);

		let events: CrmEvent[];
		try {
			const provider = await providerFor(this, providerId);
			if (!provider.capabilities.events.includes(type)) {
				throw new NodeOperationError(this.getNode(), `${provider.displayName} does not support the "${type}" event`, {
					description: `Supported events: ${provider.capabilities.events.join(', ')}.`,
				});
			}
			const feed = provider.eventFeed(type);
			const nowMs = Date.now();
			if (this.getMode() === 'manual') {
				// Fetch Test Event: the newest real events; the cursor does not move.
				events = await recentEvents(feed, Math.max(Number(options.includeLast) || 0, 1), { nowMs, accept });
			} else {
				const staticData = this.getWorkflowStaticData('node');
				const resumed = ['init', 'leadershipChange'].includes(this.getActivationMode());
				const checked = checkState(staticData[STATE_KEY], resumed);
				if (checked.problem) {
					// Not silent: n8n's log names the workflow and node, and says what may be missed.
					const workflow = this.getWorkflow();
					this.logger.warn(
						`CRM Trigger "${this.getNode().name}" of workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}) ${checked.problem}: ` +
							'starting from now; events from before this poll that were not emitted yet may be missed.',
						{ workflowId: workflow.id, nodeName: this.getNode().name },
					);
				}
				// A damaged state reads as none (the poll starts from now, after the warning above).
				const store = {
					read: () => checkState(staticData[STATE_KEY], false).state,
					write: (state: TriggerState) => (staticData[STATE_KEY] = state as unknown as IDataObject),
				};
				const result = await pollStored(feed, store, {
					safetyWindowMs: (Number(options.safetyWindowMinutes) || 5) * 60_000,
					maxCandidates: Number(options.maxRecordsPerPoll) || 2000,
					nowMs,
					includeLast: Number(options.includeLast) || 0,
					accept,
				});
				events = result.events;
			}
			if (events.length === 0) return null;
			return [events.map((event) => eventItem(event, provider.id))];
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
	}
}
