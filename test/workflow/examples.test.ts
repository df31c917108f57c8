/* eslint-disable */
// The importable example workflows in examples/ run in-process (n8n-core) against the local
// HubSpot sandbox: the trigger's "Fetch Test Event" starts them, the asserts are on what the
// sandbox stored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';

import { useHubSpotSandbox } from '../helpers/sandbox';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { CRM_REPORT_TYPE, CRM_TRIGGER_TYPE, CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { CrmHubSpotApi } from '../../credentials/CrmHubSpotApi.credentials';

let hubspot: FakeHubSpot;
const sandbox = useHubSpotSandbox();
beforeEach(() => {
	hubspot = sandbox.hubspot;
});

/** Stands in for n8n's Schedule Trigger when the example is started by hand. */
const scheduleTrigger: INodeType = {
	description: { displayName: 'Schedule Trigger', name: 'scheduleTrigger', group: ['trigger'], version: 1, description: '', defaults: { name: 'Schedule' }, inputs: [], outputs: ['main'], properties: [] },
	async execute() {
		return [[{ json: {} }]];
	},
};

function load(file: string) {
	return JSON.parse(fs.readFileSync(path.join('examples', file), 'utf8'));
}

function run(file: string, startNodeName: string) {
	const workflow = load(file);
	return runWorkflow({
		workflow: { nodes: workflow.nodes, connections: workflow.connections },
		nodeTypes: { [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), [CRM_REPORT_TYPE]: new CrmReport(), 'test.items': itemsNode, 'n8n-nodes-base.scheduleTrigger': scheduleTrigger },
		credentialTypes: { crmHubSpotApi: new CrmHubSpotApi() },
		credentials: { crmHubSpotApi: { accessToken: hubspot.token, baseUrl: hubspot.baseUrl, rateLimitTier: '100', leadModel: 'contactLifecycle' } },
		startNodeName,
	});
}

const outputOf = (result: Awaited<ReturnType<typeof run>>, node: string) => (result.nodes[node]?.items[0] ?? []).map((i) => i.json as any);

test('every example uses only node types, resources and operations the package has', () => {
	const crm = new Crm().description;
	const operations = new Set(
		crm.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options as Array<{ value: string }>).map((o) => `${p.displayOptions!.show!.resource![0]}.${o.value}`)),
	);
	for (const file of fs.readdirSync('examples')) {
		const workflow = load(file);
		for (const node of workflow.nodes) {
			if (node.type === CRM_TYPE) expect(operations.has(`${node.parameters.resource}.${node.parameters.operation}`)).toBe(true);
			if (node.type.startsWith('n8n-nodes-crm-automation.')) expect(node.credentials).toEqual({ crmHubSpotApi: { id: 'crmSandbox0001', name: 'CRM sandbox (HubSpot API)' } });
		}
	}
});

test('01 new lead routing: owner round-robin, call task for that owner, welcome email logged', async () => {
	const lead = hubspot.createObject('contacts', { email: 'new.lead@acme.com', firstname: 'Nina', lifecyclestage: 'lead' });
	const result = await run('01-new-lead-routing.json', 'New Lead');
	expect(result.error).toBeUndefined();
	const owner = outputOf(result, 'Assign Owner')[0].assignedTo;
	expect(owner.email).toBe('ana@example.com');
	expect(hubspot.getObject('contacts', lead.id).properties.hubspot_owner_id).toBe(owner.id);
	const [task] = hubspot.listObjects('tasks');
	expect(task.properties).toMatchObject({ hs_task_subject: 'Call within 1 business day', hubspot_owner_id: owner.id, hs_task_priority: 'HIGH' });
	expect(hubspot.associations('tasks', task.id, 'contacts')).toEqual([lead.id]);
	const [email] = hubspot.listObjects('emails');
	expect(email.properties.hs_email_subject).toBe('Welcome!');
	expect(email.properties.hs_email_text).toBe('Hi Nina, thanks for your interest. We will call you shortly.');
	expect(outputOf(result, 'Welcome Message')[0].delivery).toBe('logged');
	expect(hubspot.violations).toEqual([]);
});

test('02 ticket opened: triage task to the least-loaded agent, note on the ticket', async () => {
	const owners: any = await (await fetch(`${hubspot.baseUrl}/crm/v3/owners`, { headers: { authorization: `Bearer ${hubspot.token}` } })).json();
	const id = (email: string) => owners.results.find((o: any) => o.email === email).id;
	// ana has 2 open tasks, ben 1, cleo 0 → cleo.
	for (const [email, n] of [['ana@example.com', 2], ['ben@example.com', 1]] as const) {
		for (let i = 0; i < n; i++) hubspot.createObject('tasks', { hs_task_subject: 'x', hs_timestamp: new Date().toISOString(), hs_task_status: 'NOT_STARTED', hubspot_owner_id: id(email) });
	}
	const ticket = hubspot.createObject('tickets', { subject: 'Printer on fire', hs_pipeline: '0', hs_pipeline_stage: '1' });
	const result = await run('02-ticket-opened.json', 'Ticket Opened');
	expect(result.error).toBeUndefined();
	expect(outputOf(result, 'Triage Task')[0].assignedTo.email).toBe('cleo@example.com');
	const triage = hubspot.listObjects('tasks').find((t: any) => t.properties.hs_task_subject === 'Triage: Printer on fire');
	expect(hubspot.associations('tasks', triage.id, 'tickets')).toEqual([ticket.id]);
	const [note] = hubspot.listObjects('notes');
	expect(note.properties.hs_note_body).toContain('Ticket received and assigned to');
	expect(hubspot.associations('notes', note.id, 'tickets')).toEqual([ticket.id]);
});

test('03 deal stage change: follow-up task, then the guarded move to Closed won', async () => {
	const deal = hubspot.createObject('deals', { dealname: 'Big one', pipeline: 'default', dealstage: 'decisionmakerboughtin' });
	hubspot.updateObject('deals', deal.id, { dealstage: 'contractsent' });
	const result = await run('03-deal-stage-change.json', 'Contract Sent');
	expect(result.error).toBeUndefined();
	expect(outputOf(result, 'Contract Sent')[0]).toMatchObject({ type: 'dealStageChanged', stage: { name: 'Contract sent' }, previous: { name: 'Decision maker bought-in' } });
	const [task] = hubspot.listObjects('tasks');
	expect(task.properties.hs_task_subject).toBe('Follow up on the contract for Big one');
	expect(outputOf(result, 'Guarded Stage Update')[0]).toMatchObject({ stage: { name: 'Closed won' }, previousStage: { name: 'Contract sent' }, changed: true });
	expect(hubspot.getObject('deals', deal.id).properties.dealstage).toBe('closedwon');
});

test('04 weekly pipeline report: rows and an HTML/CSV/PNG summary from the CRM', async () => {
	hubspot.createObject('deals', { dealname: 'A', pipeline: 'default', dealstage: 'qualifiedtobuy', amount: '1000' });
	hubspot.createObject('deals', { dealname: 'B', pipeline: 'default', dealstage: 'contractsent', amount: '3000' });
	const result = await run('04-weekly-pipeline-report.json', 'Every Monday 8:00');
	expect(result.error).toBeUndefined();
	const out = outputOf(result, 'Pipeline Report');
	expect(out.slice(0, -1).map((r) => [r.stage, r.count, r.amount])).toEqual([
		['Qualified to buy', 1, 1000],
		['Contract sent', 1, 3000],
	]);
	const summary = result.nodes['Pipeline Report'].items[0].at(-1)!;
	expect(Object.keys(summary.binary ?? {}).sort()).toEqual(['chartPng', 'csv', 'html']);
});
