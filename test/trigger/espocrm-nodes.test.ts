/* eslint-disable */
// The CRM node and the CRM Trigger on EspoCRM through n8n-core (the in-process harness), signed
// in with the CRM: EspoCRM API credential (HMAC: every request signed by the credential's
// authenticate()), against the local EspoCRM server.
import type { IDataObject } from 'n8n-workflow';

import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmEspoCrmApi } from '../../credentials/CrmEspoCrmApi.credentials';
import { pollNode, runWorkflow } from '../helpers/n8nHarness';
import { espoCredentials, useEspoSandbox } from '../sandbox/espocrm/testing';
import { seedDemoData, useExampleProcess } from '../sandbox/espocrm/server';
import type { FakeEspoCrm } from '../sandbox/espocrm';

const box = useEspoSandbox();
let espo: FakeEspoCrm;
beforeEach(() => {
	espo = box.espo;
});

const CRM = 'n8n-nodes-crm-automation.crm';
const TRIGGER = 'n8n-nodes-crm-automation.crmTrigger';
const REPORT = 'n8n-nodes-crm-automation.crmReport';
const credentialRef = { crmEspoCrmApi: { id: 'espo-1', name: 'EspoCRM sandbox' } };
const harness = () => ({
	nodeTypes: { [CRM]: new Crm(), [TRIGGER]: new CrmTrigger(), [REPORT]: new CrmReport() },
	credentialTypes: { crmEspoCrmApi: new CrmEspoCrmApi() },
	credentials: { crmEspoCrmApi: espoCredentials(espo, 'hmac') },
});

function crmWorkflow(parameters: IDataObject, type = CRM) {
	return {
		nodes: [
			{ id: 'n0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{ id: 'n1', name: 'CRM', type, typeVersion: 1, position: [200, 0] as [number, number], parameters: { provider: 'espocrm', ...parameters }, credentials: credentialRef },
		],
		connections: { Start: { main: [[{ node: 'CRM', type: 'main' as const, index: 0 }]] } },
	};
}

test('CRM node: Deal → Update Stage by name with the allowed-transitions guard (the example\'s process)', async () => {
	useExampleProcess(espo);
	const deal = espo.createRecord('Opportunity', { name: 'Example', amount: 10, closeDate: '2026-12-01', stage: 'Contract sent' });
	const guard = 'Appointment scheduled → Qualified to buy → Presentation scheduled → Decision maker bought-in → Contract sent → Closed won\n* → Closed lost';
	const result = await runWorkflow({
		...harness(),
		workflow: crmWorkflow({ resource: 'deal', operation: 'updateStage', recordId: deal.id, stage: { __rl: true, mode: 'name', value: 'Closed won' }, allowedTransitions: guard }),
	});
	expect(result.error).toBeUndefined();
	const [item] = result.nodes.CRM.items[0];
	expect(item.json).toMatchObject({ id: deal.id, status: 'won', stage: { id: 'Closed won' }, previousStage: { id: 'Contract sent' }, changed: true, provider: 'espocrm' });
	expect(espo.getRecord('Opportunity', deal.id)!.stage).toBe('Closed won');
	expect(espo.requests.every((r) => r.auth === 'hmac' && r.status === 200)).toBe(true);
});

test('CRM node: Task → Assign to the least loaded of users given by email (counted by EspoCRM), due in business days', async () => {
	const ticket = espo.createRecord('Case', { name: 'Needs triage' });
	const result = await runWorkflow({
		...harness(),
		workflow: crmWorkflow({
			resource: 'task',
			operation: 'assign',
			subject: 'Triage',
			relatedType: 'ticket',
			relatedId: ticket.id,
			due: 'in 2 business days at 10:00',
			strategy: 'leastLoaded',
			users: ['ana@example.com', 'ben@example.com'],
			countResource: 'task',
			options: { priority: 'high', timeZone: 'Europe/Berlin' },
		}),
	});
	expect(result.error).toBeUndefined();
	const [item] = result.nodes.CRM.items[0];
	expect(item.json).toMatchObject({ subject: 'Triage', priority: 'high', related: [{ type: 'ticket', id: ticket.id }], assignedTo: { email: 'ana@example.com' } });
	const [task] = espo.listRecords('Task');
	expect(task).toMatchObject({ parentType: 'Case', parentId: ticket.id, assignedUserId: 'u-ana', priority: 'High', status: 'Not Started' });
	expect(task.dateEnd).toMatch(/^\d{4}-\d{2}-\d{2} 0[89]:00:00$/); // 10:00 in Berlin, in UTC
});

test('CRM Trigger node: activation, then each stage move once; Fetch Test Event returns the newest', async () => {
	let now = Date.parse('2026-11-20T09:00:00Z');
	espo.setClock(() => now);
	const deal = espo.createRecord('Opportunity', { name: 'Polled', amount: 10, closeDate: '2026-12-01' });
	const workflow = {
		nodes: [{ id: 't', name: 'CRM Trigger', type: TRIGGER, typeVersion: 1, position: [0, 0] as [number, number], parameters: { provider: 'espocrm', event: 'dealStageChanged', toStages: ['Negotiation'] }, credentials: credentialRef }],
		connections: {},
	};
	const run = async (staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') =>
		pollNode({ ...harness(), workflow, staticData: JSON.parse(JSON.stringify(staticData)), nodeName: 'CRM Trigger', mode });
	const first = await run({});
	expect(first.output).toBeNull();
	now += 60_000;
	espo.updateRecord('Opportunity', deal.id, { stage: 'Proposal' });
	now += 1000;
	espo.updateRecord('Opportunity', deal.id, { stage: 'Negotiation' });
	now += 60_000;
	const second = await run(first.staticData);
	expect(second.output![0].map((i) => [i.json.type, (i.json.previous as any).id, (i.json.stage as any).id, (i.json.record as any).id])).toEqual([
		['dealStageChanged', 'Proposal', 'Negotiation', deal.id],
	]);
	const third = await run(second.staticData);
	expect(third.output).toBeNull();
	const test = await run({}, 'manual');
	expect(test.output![0][0].json).toMatchObject({ provider: 'espocrm', stage: { id: 'Negotiation' } });
});

test('CRM Report on the demo data: funnel and velocity from stream history, ticket SLA from case streams', async () => {
	const now = Date.now();
	seedDemoData(espo);
	const range = { period: 'custom', start: new Date(now - 70 * 86_400_000).toISOString().slice(0, 10), end: new Date(now + 86_400_000).toISOString().slice(0, 10), timeZone: 'UTC' };
	const report = async (name: string) => {
		const result = await runWorkflow({ ...harness(), workflow: crmWorkflow({ dataSource: 'crm', report: name, ...range, files: [] }, REPORT) });
		expect(result.error).toBeUndefined();
		return result.nodes.CRM.items[0].map((i) => i.json as any);
	};
	const funnel = await report('funnel');
	const reached = Object.fromEntries(funnel.filter((r) => r.type !== 'summary').map((r) => [r.stage, r.reached]));
	// All 16 deals entered Prospecting; later stages were reached by the ones moved forward.
	expect(reached.Prospecting).toBe(16);
	expect(reached.Qualification).toBeGreaterThan(0);
	expect(reached.Qualification).toBeLessThan(16);
	const velocity = await report('stageVelocity');
	expect(velocity.find((r) => r.stage === 'Prospecting')).toMatchObject({ stays: expect.any(Number) });
	expect(velocity.find((r) => r.stage === 'Prospecting').stays).toBeGreaterThan(0);
	const sla = await report('ticketSla');
	const rows = sla.filter((r) => r.type !== 'summary');
	expect(rows.reduce((n, r) => n + r.tickets, 0)).toBe(12);
	expect(rows.some((r) => r.medianFirstResponseHours !== null)).toBe(true);
	expect(rows.some((r) => r.medianResolutionHours !== null)).toBe(true);
	// Each deal's and each case's stream was read (history lives there).
	expect(espo.requests.filter((r) => /^\/Opportunity\/[^/]+\/stream$/.test(r.resource)).length).toBeGreaterThanOrEqual(16);
	expect(espo.requests.filter((r) => /^\/Case\/[^/]+\/stream$/.test(r.resource)).length).toBe(12);
});
