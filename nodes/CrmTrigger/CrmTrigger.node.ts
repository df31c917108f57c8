import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { eventFilter, stageResourceOf } from '../shared/engines/events/filters';
import type { EventFilters } from '../shared/engines/events/filters';
import { poll, recentEvents } from '../shared/engines/events/poller';
import type { CrmEvent, EventType, TriggerState } from '../shared/engines/events/types';
import { providerFor } from '../shared/node/providerContext';
import { providerCredentials, providerProperty } from '../shared/node/providerDescription';
import { toNodeError } from '../shared/transport/errors';

const STATE_KEY = 'crmTrigger';

const stageEvents = ['dealStageChanged', 'ticketStatusChanged'];
const pipelineEvents = ['dealStageChanged', 'dealWonLost', 'dealCreated', 'ticketStatusChanged', 'ticketOpened'];

/** The event as one output item: normalized, with the vendor's record in `raw`. */
function toItem(event: CrmEvent, provider: string): INodeExecutionData {
	const { raw, ...record } = event.record as unknown as IDataObject & { raw?: unknown };
	return {
		json: {
			type: event.type,
			occurredAt: new Date(event.at).toISOString(),
			record,
			previous: (event.previous as unknown as IDataObject) ?? null,
			...(event.stage ? { stage: event.stage as unknown as IDataObject } : {}),
			...(event.pipeline ? { pipeline: event.pipeline as unknown as IDataObject } : {}),
			provider,
			eventKey: event.key,
			raw: (raw as IDataObject) ?? null,
		},
	};
}

function list(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	return String(value ?? '')
		.split(/[,;\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

export class CrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Trigger',
		name: 'crmTrigger',
		icon: { light: 'file:../../icons/crm.svg', dark: 'file:../../icons/crm.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when a lead, deal, ticket or task event happens in the CRM (exactly once)',
		defaults: { name: 'CRM Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials,
		properties: [
			providerProperty,
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Deal Created', value: 'dealCreated' },
					{ name: 'Deal Stage Changed', value: 'dealStageChanged', description: 'Each stage move the CRM recorded' },
					{ name: 'Deal Won / Lost', value: 'dealWonLost' },
					{ name: 'New Contact', value: 'newContact' },
					{ name: 'New Lead', value: 'newLead' },
					{ name: 'Task Completed', value: 'taskCompleted' },
					{ name: 'Task Overdue', value: 'taskOverdue', description: 'Due date passed and still open; once per task and due date' },
					{ name: 'Ticket Opened', value: 'ticketOpened' },
					{ name: 'Ticket Status Changed', value: 'ticketStatusChanged' },
				],
				default: 'newLead',
			},
			{
				displayName: 'Pipeline Names or IDs',
				name: 'pipelines',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getPipelines', loadOptionsDependsOn: ['event'] },
				default: [],
				description:
					'Only events in these pipelines; none means all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { event: pipelineEvents } },
			},
			{
				displayName: 'To Stage Names or IDs',
				name: 'toStages',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['event', 'pipelines'] },
				default: [],
				description:
					'Only moves into these stages; none means any. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { event: stageEvents } },
			},
			{
				displayName: 'From Stage Names or IDs',
				name: 'fromStages',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['event', 'pipelines'] },
				default: [],
				description:
					'Only moves out of these stages; none means any. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { event: stageEvents } },
			},
			{
				displayName: 'Outcome',
				name: 'outcome',
				type: 'options',
				options: [
					{ name: 'Won or Lost', value: 'both' },
					{ name: 'Won', value: 'won' },
					{ name: 'Lost', value: 'lost' },
				],
				default: 'both',
				displayOptions: { show: { event: ['dealWonLost'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
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

	methods = {
		loadOptions: {
			async getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const resource = stageResourceOf(this.getCurrentNodeParameter('event') as EventType);
				if (!resource) return [];
				const provider = await providerFor(this, String(this.getCurrentNodeParameter('provider') ?? 'hubspot'));
				return (await provider.listPipelines(resource)).map((p) => ({ name: p.name, value: p.name, description: `ID ${p.id}` }));
			},
			async getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const resource = stageResourceOf(this.getCurrentNodeParameter('event') as EventType);
				if (!resource) return [];
				const provider = await providerFor(this, String(this.getCurrentNodeParameter('provider') ?? 'hubspot'));
				const chosen = list(this.getCurrentNodeParameter('pipelines')).map((p) => p.toLowerCase());
				const pipelines = (await provider.listPipelines(resource)).filter(
					(p) => chosen.length === 0 || chosen.includes(p.name.toLowerCase()) || chosen.includes(p.id.toLowerCase()),
				);
				const names = [...new Set(pipelines.flatMap((p) => p.stages.map((s) => s.name)))];
				return names.map((name) => ({ name, value: name }));
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const providerId = this.getNodeParameter('provider') as string;
		const type = this.getNodeParameter('event') as EventType;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filters: EventFilters = {
			pipelines: list(this.getNodeParameter('pipelines', [])),
			toStages: list(this.getNodeParameter('toStages', [])),
			fromStages: list(this.getNodeParameter('fromStages', [])),
			outcome: this.getNodeParameter('outcome', 'both') as EventFilters['outcome'],
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
				const result = await poll(feed, staticData[STATE_KEY] as TriggerState | undefined, {
					safetyWindowMs: (Number(options.safetyWindowMinutes) || 5) * 60_000,
					maxCandidates: Number(options.maxRecordsPerPoll) || 2000,
					nowMs,
					includeLast: Number(options.includeLast) || 0,
					accept,
				});
				staticData[STATE_KEY] = result.state as unknown as IDataObject;
				events = result.events;
			}
			if (events.length === 0) return null;
			return [events.map((event) => toItem(event, provider.id))];
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
	}
}
