/* eslint-disable */
// Builds and runs workflows that use the CRM node in-process (n8n-core's WorkflowExecute).
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmHubSpotApi } from '../../credentials/CrmHubSpotApi.credentials';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { pollNode, runWorkflow } from './n8nHarness';

export const CRM_TYPE = 'n8n-nodes-crm-automation.crm';
export const CRM_TRIGGER_TYPE = 'n8n-nodes-crm-automation.crmTrigger';
export const CRM_REPORT_TYPE = 'n8n-nodes-crm-automation.crmReport';

/** Emits the items given in its `items` parameter (JSON array), like a Code node would. */
export const itemsNode: INodeType = {
	description: {
		displayName: 'Items', name: 'items', group: ['transform'], version: 1, description: '',
		defaults: { name: 'Items' }, inputs: ['main'], outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	},
	async execute(this: IExecuteFunctions) {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json, i) => ({ json, pairedItem: { item: 0 } }))];
	},
};

export interface Step {
	name: string;
	/** Node type; default the CRM node. */
	type?: string;
	parameters: IDataObject;
	onError?: 'continueRegularOutput' | 'stopWorkflow';
}

/** Manual Trigger → Items (optional) → steps, chained in order. */
export function chain(steps: Step[], items?: IDataObject[]) {
	const nodes: any[] = [
		{ id: 'n0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	const names = ['Start'];
	if (items) {
		nodes.push({ id: 'ni', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(items) } });
		names.push('Items');
	}
	steps.forEach((step, i) => {
		nodes.push({
			id: `s${i}`, name: step.name, type: step.type ?? CRM_TYPE, typeVersion: 1, position: [400 + i * 200, 0],
			parameters: { provider: 'hubspot', ...step.parameters },
			credentials: { crmHubSpotApi: { id: 'cred-1', name: 'HubSpot sandbox' } },
			...(step.onError ? { onError: step.onError } : {}),
		});
		names.push(step.name);
	});
	const connections: any = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return { nodes, connections };
}

export interface HubSpotCredentialOptions {
	baseUrl: string;
	token: string;
	leadModel?: 'contactLifecycle' | 'leadsObject';
	rateLimitTier?: '100' | '190' | '250';
}

function credentialsFor(credential: HubSpotCredentialOptions) {
	return {
		crmHubSpotApi: {
			accessToken: credential.token,
			baseUrl: credential.baseUrl,
			rateLimitTier: credential.rateLimitTier ?? '100',
			leadModel: credential.leadModel ?? 'contactLifecycle',
		},
	};
}

const NODE_TYPES = () => ({ [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), [CRM_REPORT_TYPE]: new CrmReport(), 'test.items': itemsNode });

/** Manual Trigger → Items (optional) → CRM Report. */
export function reportChain(parameters: IDataObject, items?: IDataObject[]) {
	return chain([{ name: 'CRM Report', type: CRM_REPORT_TYPE, parameters }], items);
}

export function runCrmWorkflow(
	workflow: ReturnType<typeof chain>,
	credential: HubSpotCredentialOptions,
	staticData?: IDataObject,
	startNodeName?: string,
) {
	return runWorkflow({
		workflow,
		nodeTypes: NODE_TYPES(),
		credentialTypes: { crmHubSpotApi: new CrmHubSpotApi() },
		credentials: credentialsFor(credential),
		staticData,
		startNodeName,
	});
}

/** A workflow with the CRM Trigger first, then the given CRM steps. */
export function triggerChain(triggerParameters: IDataObject, steps: Step[] = []) {
	const base = chain(steps);
	const trigger = {
		id: 't0', name: 'CRM Trigger', type: CRM_TRIGGER_TYPE, typeVersion: 1, position: [0, 0],
		parameters: { provider: 'hubspot', ...triggerParameters },
		credentials: { crmHubSpotApi: { id: 'cred-1', name: 'HubSpot sandbox' } },
	};
	const nodes = [trigger, ...base.nodes.filter((n: any) => n.name !== 'Start')];
	const connections: any = {};
	const names = nodes.map((n: any) => n.name);
	for (let i = 0; i + 1 < names.length; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return { nodes, connections };
}

/** One poll of the CRM Trigger, as n8n runs it; pass the returned static data to the next poll. */
export async function pollTrigger(
	triggerParameters: IDataObject,
	credential: HubSpotCredentialOptions,
	staticData: IDataObject = {},
	mode: 'trigger' | 'manual' = 'trigger',
) {
	const result = await pollNode({
		workflow: triggerChain(triggerParameters),
		nodeTypes: NODE_TYPES(),
		credentialTypes: { crmHubSpotApi: new CrmHubSpotApi() },
		credentials: credentialsFor(credential),
		// n8n reloads static data from its database between polls: a JSON copy models that.
		staticData: JSON.parse(JSON.stringify(staticData)),
		nodeName: 'CRM Trigger',
		mode,
	});
	return { items: (result.output?.[0] ?? []).map((item) => item.json as IDataObject), staticData: result.staticData };
}

/** The JSON of a node's first output, item by item. */
export function outputOf(result: Awaited<ReturnType<typeof runWorkflow>>, node: string): IDataObject[] {
	const data = result.nodes[node];
	if (!data) throw new Error(`Node ${node} did not run`);
	return (data.items[0] ?? []).map((item) => item.json as IDataObject);
}
