import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { stageResourceOf } from '../engines/events/filters';
import type { EventType } from '../contract/events';
import { parameterList } from './eventItems';
import { providerForEditor } from './providerContext';

/** The event picker and its filters, shared by the trigger nodes (polling and webhook). */

const stageEvents = ['dealStageChanged', 'ticketStatusChanged'];
const pipelineEvents = ['dealStageChanged', 'dealWonLost', 'dealCreated', 'ticketStatusChanged', 'ticketOpened'];

export const eventFilterProperties: INodeProperties[] = [
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
];

/**
 * The loop guard option, shared by both triggers. Where the CRM does not say who made a change,
 * nothing is skipped (see each CRM's section in the README).
 */
export const ignoreOwnChangesOption: INodeProperties = {
	displayName: "Ignore Changes Made with This Credential's User",
	name: 'ignoreOwnChanges',
	type: 'boolean',
	default: false,
	description:
		"Whether to skip events the CRM reports as made through the API by this credential's user (e.g. by this workflow's own CRM nodes), so a workflow that updates the record it was started by does not start itself again. CRMs that do not report who made a change are not filtered.",
};

/** Pipeline and stage lists for the filters, loaded from the chosen CRM. */
export const eventLoadOptions = {
	async getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const resource = stageResourceOf(this.getCurrentNodeParameter('event') as EventType);
		if (!resource) return [];
		const provider = await providerForEditor(this);
		return (await provider.listPipelines(resource)).map((p) => ({ name: p.name, value: p.name, description: `ID ${p.id}` }));
	},
	async getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const resource = stageResourceOf(this.getCurrentNodeParameter('event') as EventType);
		if (!resource) return [];
		const provider = await providerForEditor(this);
		const chosen = parameterList(this.getCurrentNodeParameter('pipelines')).map((p) => p.toLowerCase());
		const pipelines = (await provider.listPipelines(resource)).filter(
			(p) => chosen.length === 0 || chosen.includes(p.name.toLowerCase()) || chosen.includes(p.id.toLowerCase()),
		);
		const names = [...new Set(pipelines.flatMap((p) => p.stages.map((s) => s.name)))];
		return names.map((name) => ({ name, value: name }));
	},
};
