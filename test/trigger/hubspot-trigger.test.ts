/* eslint-disable */
// The CRM Trigger node against the local HubSpot server, polled the way n8n polls it
// (n8n-core's PollContext, static data carried between polls as JSON).
import { useHubSpotSandbox } from '../helpers/sandbox';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { outputOf, pollTrigger, runCrmWorkflow, triggerChain } from '../helpers/crmWorkflow';
import { fetchSend } from '../helpers/fetchSend';
import { hubspotProvider } from '../../nodes/shared/providers/hubspot/HubSpotProvider';

let hubspot: FakeHubSpot;
let vendorNow: number;
const cred = () => ({ baseUrl: hubspot.baseUrl, token: hubspot.token });
const tick = (ms = 1000) => (vendorNow += ms);

const provider = () =>
	hubspotProvider.create({
		send: fetchSend(hubspot.token),
		credentials: { baseUrl: hubspot.baseUrl },
		credentialKey: 'trigger-test-writer',
		transportOverrides: { rateLimits: { search: { max: 1000, windowMs: 1000 } } },
	});

async function moveDeal(id: string, stageId: string) {
	tick();
	const [result] = await provider().updateRecords('deal', [{ id, fields: { stageId } }]);
	if (!result.ok) throw result.error;
}

function newDeal(name: string, stage = 'appointmentscheduled') {
	tick();
	return String(hubspot.createObject('deals', { dealname: name, pipeline: 'default', dealstage: stage }).id);
}

const sandbox = useHubSpotSandbox();
beforeEach(() => {
	hubspot = sandbox.hubspot;
	vendorNow = Date.parse('2026-11-20T09:00:00Z');
	hubspot.setClock(() => vendorNow);
});

test('first activation starts from now; new deals come once; an idle poll costs one request', async () => {
	newDeal('Old 1');
	newDeal('Old 2');
	const params = { event: 'dealCreated' };
	const first = await pollTrigger(params, cred());
	expect(first.items).toEqual([]); // no flood of history

	const id = newDeal('Fresh');
	const second = await pollTrigger(params, cred(), first.staticData);
	expect(second.items).toHaveLength(1);
	expect(second.items[0]).toMatchObject({
		type: 'dealCreated',
		occurredAt: new Date(vendorNow).toISOString(),
		provider: 'hubspot',
		record: { id, name: 'Fresh', stageName: 'Appointment scheduled', status: 'open' },
		stage: { id: 'appointmentscheduled', name: 'Appointment scheduled' },
		pipeline: { id: 'default', name: 'Sales Pipeline' },
	});
	expect((second.items[0].raw as any).properties.dealname).toBe('Fresh');

	const before = hubspot.requests.length;
	const idle = await pollTrigger(params, cred(), second.staticData);
	expect(idle.items).toEqual([]);
	expect(hubspot.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /crm/v3/objects/deals/search']);
});

test('"Include Last N" replays the newest existing events on activation', async () => {
	['A', 'B', 'C'].forEach((n) => newDeal(n));
	const first = await pollTrigger({ event: 'dealCreated', options: { includeLast: 2 } }, cred());
	expect(first.items.map((i) => (i.record as any).name)).toEqual(['B', 'C']);
	const next = await pollTrigger({ event: 'dealCreated', options: { includeLast: 2 } }, cred(), first.staticData);
	expect(next.items).toEqual([]);
});

test('Fetch Test Event (manual mode) returns the newest event and does not move the cursor', async () => {
	const activated = await pollTrigger({ event: 'dealCreated' }, cred());
	newDeal('Pending one');
	const manual = await pollTrigger({ event: 'dealCreated' }, cred(), activated.staticData, 'manual');
	expect(manual.items.map((i) => (i.record as any).name)).toEqual(['Pending one']);
	expect(manual.staticData).toEqual(activated.staticData);
	// The real poll still gets it.
	const real = await pollTrigger({ event: 'dealCreated' }, cred(), activated.staticData);
	expect(real.items.map((i) => (i.record as any).name)).toEqual(['Pending one']);
});

test('A → B → C between two polls gives both recorded transitions, in order, with names', async () => {
	const id = newDeal('Mover');
	const params = { event: 'dealStageChanged' };
	const first = await pollTrigger(params, cred());
	expect(first.items).toEqual([]);
	await moveDeal(id, 'qualifiedtobuy');
	await moveDeal(id, 'contractsent');
	const second = await pollTrigger(params, cred(), first.staticData);
	expect(second.items.map((i) => [(i.previous as any).name, (i.stage as any).name])).toEqual([
		['Appointment scheduled', 'Qualified to buy'],
		['Qualified to buy', 'Contract sent'],
	]);
	expect(second.items.every((i) => (i.record as any).id === id && i.type === 'dealStageChanged')).toBe(true);
	const third = await pollTrigger(params, cred(), second.staticData);
	expect(third.items).toEqual([]);
});

test('stage filters: only moves into "Contract sent" from the chosen stages; won/lost outcome', async () => {
	const a = newDeal('A');
	const b = newDeal('B', 'qualifiedtobuy');
	const filtered = { event: 'dealStageChanged', toStages: ['Contract sent'], fromStages: ['Qualified to buy'] };
	const wonOnly = { event: 'dealWonLost', outcome: 'won' };
	let s1 = (await pollTrigger(filtered, cred())).staticData;
	let s2 = (await pollTrigger(wonOnly, cred())).staticData;
	await moveDeal(a, 'contractsent'); // from Appointment scheduled: filtered out
	await moveDeal(b, 'contractsent'); // from Qualified to buy: passes
	await moveDeal(a, 'closedlost');
	await moveDeal(b, 'closedwon');
	const moves = await pollTrigger(filtered, cred(), s1);
	expect(moves.items.map((i) => (i.record as any).id)).toEqual([b]);
	const won = await pollTrigger(wonOnly, cred(), s2);
	expect(won.items.map((i) => [(i.record as any).id, (i.stage as any).closed])).toEqual([[b, 'won']]);
});

test('ticket status changes, task completed, task overdue (once per task)', async () => {
	tick();
	const ticket = String(hubspot.createObject('tickets', { subject: 'Printer', hs_pipeline: '0', hs_pipeline_stage: '1' }).id);
	tick();
	const task = String(hubspot.createObject('tasks', { hs_task_subject: 'Call', hs_task_status: 'NOT_STARTED', hs_timestamp: new Date(Date.now() + 3_600_000).toISOString() }).id);
	tick();
	const late = String(hubspot.createObject('tasks', { hs_task_subject: 'Late one', hs_task_status: 'NOT_STARTED', hs_timestamp: new Date(Date.now() - 60_000).toISOString() }).id);

	const statusParams = { event: 'ticketStatusChanged', toStages: ['Closed'] };
	const overdueParams = { event: 'taskOverdue' };
	const s1 = (await pollTrigger(statusParams, cred())).staticData;
	const s2 = (await pollTrigger({ event: 'taskCompleted' }, cred())).staticData;
	const overdueFirst = await pollTrigger(overdueParams, cred());
	expect(overdueFirst.items).toEqual([]); // already overdue before activation: not replayed

	tick();
	const [t1] = await provider().updateRecords('ticket', [{ id: ticket, fields: { stageId: '3' } }]);
	tick();
	const [t2] = await provider().updateRecords('ticket', [{ id: ticket, fields: { stageId: '4' } }]);
	tick();
	const [t3] = await provider().updateRecords('task', [{ id: task, fields: { status: 'completed' } }]);
	expect([t1.ok, t2.ok, t3.ok]).toEqual([true, true, true]);
	// A task that becomes overdue after activation.
	tick();
	const soon = String(hubspot.createObject('tasks', { hs_task_subject: 'Soon due', hs_task_status: 'NOT_STARTED', hs_timestamp: new Date(Date.now() + 1500).toISOString() }).id);
	await new Promise((r) => setTimeout(r, 1600));

	const closed = await pollTrigger(statusParams, cred(), s1);
	expect(closed.items.map((i) => [(i.previous as any).name, (i.stage as any).name])).toEqual([['Waiting on us', 'Closed']]);
	const completed = await pollTrigger({ event: 'taskCompleted' }, cred(), s2);
	expect(completed.items.map((i) => (i.record as any).id)).toEqual([task]);
	const overdue = await pollTrigger(overdueParams, cred(), overdueFirst.staticData);
	expect(overdue.items.map((i) => (i.record as any).id)).toEqual([soon]);
	const again = await pollTrigger(overdueParams, cred(), overdue.staticData);
	expect(again.items).toEqual([]);
	void late;
});

test('New Lead: contacts in lifecycle stage "lead" only', async () => {
	const first = await pollTrigger({ event: 'newLead' }, cred());
	tick();
	hubspot.createObject('contacts', { email: 'cust@x.com', lifecyclestage: 'customer' });
	tick();
	const lead = String(hubspot.createObject('contacts', { email: 'lead@x.com', firstname: 'Lea', lifecyclestage: 'lead' }).id);
	const next = await pollTrigger({ event: 'newLead' }, cred(), first.staticData);
	expect(next.items.map((i) => [(i.record as any).id, (i.record as any).leadModel, (i.record as any).email])).toEqual([[lead, 'contactLifecycle', 'lead@x.com']]);
});

test('workflow: the trigger polls, and a downstream CRM action assigns a task for each new lead', async () => {
	const first = await pollTrigger({ event: 'newLead' }, cred());
	tick();
	const lead = String(hubspot.createObject('contacts', { email: 'wf@x.com', lifecyclestage: 'lead' }).id);
	// The trigger's output feeds the workflow, as n8n does after a poll with items.
	const polled = await pollTrigger({ event: 'newLead' }, cred(), first.staticData);
	expect(polled.items).toHaveLength(1);
	const workflow = triggerChain({ event: 'newLead' }, [
		{ name: 'Assign Task', parameters: { resource: 'task', operation: 'assign', subject: 'Call the new lead', relatedType: 'lead', relatedId: '={{ $json.record.id }}', due: 'in 2 hours', strategy: 'specific', user: { __rl: true, mode: 'email', value: 'ana@example.com' } } },
	]);
	const run = await runCrmWorkflow(workflow, cred(), polled.staticData, 'CRM Trigger');
	expect(run.error).toBeUndefined();
	const tasks = outputOf(run, 'Assign Task');
	expect(tasks.map((t) => t.subject)).toEqual(['Call the new lead']);
	expect(hubspot.associations('tasks', String(tasks[0].id), 'contacts')).toEqual([lead]);
});

test.each([
	['newContact', 'contacts', { email: 'c@x.com', lifecyclestage: 'subscriber' }],
	['ticketOpened', 'tickets', { subject: 'Broken', hs_pipeline: '0', hs_pipeline_stage: '1' }],
])('%s: a record created after activation comes once', async (event, objectType, properties) => {
	const first = await pollTrigger({ event }, cred());
	tick();
	const id = String(hubspot.createObject(objectType, properties as Record<string, string>).id);
	const next = await pollTrigger({ event }, cred(), first.staticData);
	expect(next.items.map((i) => [i.type, (i.record as any).id])).toEqual([[event, id]]);
	expect((await pollTrigger({ event }, cred(), next.staticData)).items).toEqual([]);
});

test('pipeline filter: deals created in another pipeline are handled but not emitted', async () => {
	const params = { event: 'dealCreated', pipelines: ['Sales Pipeline'] };
	const first = await pollTrigger(params, cred());
	const [renewals] = (await provider().listPipelines('deal')).filter((p) => p.id !== 'default');
	tick();
	hubspot.createObject('deals', { dealname: 'Renewal', pipeline: renewals.id, dealstage: renewals.stages[0].id });
	const sales = newDeal('New business');
	const next = await pollTrigger(params, cred(), first.staticData);
	expect(next.items.map((i) => (i.record as any).id)).toEqual([sales]);
	expect((await pollTrigger(params, cred(), next.staticData)).items).toEqual([]);
});
