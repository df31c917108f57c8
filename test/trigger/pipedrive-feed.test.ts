/* eslint-disable */
// The Pipedrive event feeds + the exactly-once poller over HTTP against the local Pipedrive
// sandbox: stage moves and won/lost from each deal's flow (with previous stage and who made it),
// creations, completed tasks, and the loop guard's origin on changes made through the API.
import { pipedriveTestProvider, usePipedriveSandbox } from '../sandbox/pipedrive/testing';
import { poll } from '../../nodes/shared/engines/events/poller';
import { eventFilter } from '../../nodes/shared/engines/events/filters';
import type { EventType, TriggerState } from '../../nodes/shared/contract/events';
import { runFeedSimulation } from '../helpers/feedSimulation';
import { pipedriveWorld } from '../helpers/feedWorlds';
import * as fs from 'node:fs';

const box = usePipedriveSandbox();
let now: number;
beforeEach(() => {
	now = Date.parse('2026-11-20T09:00:00Z');
	box.pipedrive.setClock(() => now);
});
afterEach(() => expect(box.pipedrive.violations).toEqual([]));

const options = (extra = {}) => ({ safetyWindowMs: 120_000, nowMs: now, maxCandidates: 1000, ...extra });
const ANA = 1000002;

async function activated(type: EventType) {
	const provider = pipedriveTestProvider(box.pipedrive, { unlimited: true });
	const feed = provider.eventFeed(type);
	return { provider, feed, state: (await poll(feed, undefined, options())).state as TriggerState };
}

test('A → B → C between two polls: both moves from the flow, with previous stages; the API write is ours', async () => {
	const stage = (name: string) => box.pipedrive.stageByName(name)!.id;
	const deal = box.pipedrive.create('deals', { title: 'Flow', stage_id: stage('Qualified') });
	now += 10_000;
	const { provider, feed, state } = await activated('dealStageChanged');
	const before = box.pipedrive.requests.length;
	expect((await poll(feed, state, options())).events).toEqual([]);
	expect(box.pipedrive.requests.length - before).toBe(1); // an idle poll: one list request
	now += 3_000;
	box.pipedrive.update('deals', deal.id, { stage_id: stage('Contact Made') }, { userId: ANA });
	now += 3_000;
	const [moved] = await provider.updateRecords('deal', [{ id: String(deal.id), fields: { stageId: String(stage('Proposal Made')) } }]);
	expect(moved.ok).toBe(true);
	const result = await poll(feed, state, options());
	expect(result.events.map((e) => [e.previous?.name, e.stage?.name, e.origin, e.pipeline?.id])).toEqual([
		['Qualified', 'Contact Made', 'other', '1'],
		['Contact Made', 'Proposal Made', 'package', '1'],
	]);
	expect(result.events.map((e) => e.at)).toEqual([now - 3_000, now]);
	expect(result.events[1].record).toMatchObject({ id: String(deal.id), url: `${box.pipedrive.baseUrl}/deal/${deal.id}`, stageName: 'Proposal Made' });
	// The loop guard drops the move this package made.
	expect(result.events.filter(eventFilter('dealStageChanged', { ignoreOwnChanges: true })).map((e) => e.stage?.name)).toEqual(['Contact Made']);
	// Nothing twice.
	expect((await poll(feed, result.state, options({ nowMs: now + 30_000 }))).events).toEqual([]);
});

test('won and lost from the deal status, in the deal’s stage', async () => {
	const a = box.pipedrive.create('deals', { title: 'A', stage_id: 2 });
	const b = box.pipedrive.create('deals', { title: 'B', stage_id: 3 });
	now += 10_000;
	const { feed, state } = await activated('dealWonLost');
	now += 2_000;
	box.pipedrive.update('deals', a.id, { status: 'won' }, { userId: ANA });
	box.pipedrive.update('deals', b.id, { status: 'lost', lost_reason: 'Price' }, { userId: ANA });
	const result = await poll(feed, state, options());
	expect(result.events.map((e) => [e.record.id, e.stage?.closed, e.stage?.id])).toEqual([
		[String(a.id), 'won', '2'],
		[String(b.id), 'lost', '3'],
	]);
	expect(result.events.filter(eventFilter('dealWonLost', { outcome: 'lost' })).map((e) => e.record.id)).toEqual([String(b.id)]);
});

test('new leads, contacts and deals once each; completed tasks once per completion', async () => {
	now += 10_000;
	const leads = await activated('newLead');
	const persons = await activated('newContact');
	const deals = await activated('dealCreated');
	const tasks = await activated('taskCompleted');
	now += 2_000;
	const person = box.pipedrive.create('persons', { name: 'Ana Lima', emails: [{ value: 'ana@x.test', primary: true, label: 'work' }] }, { userId: ANA });
	const lead = box.pipedrive.create('leads', { title: 'Lead A', person_id: person.id }, { userId: ANA });
	const deal = box.pipedrive.create('deals', { title: 'Deal A', stage_id: 1 }, { userId: ANA });
	const task = box.pipedrive.create('activities', { subject: 'Call', type: 'call', done: false, deal_id: deal.id }, { userId: ANA });
	now += 2_000;
	box.pipedrive.update('activities', task.id, { done: true }, { userId: ANA });
	const [l, p, d, t] = await Promise.all([leads, persons, deals, tasks].map(({ feed, state }) => poll(feed, state, options())));
	expect(l.events.map((e) => [e.record.id, (e.record as any).email])).toEqual([[String(lead.id), 'ana@x.test']]);
	expect(p.events.map((e) => e.record.id)).toEqual([String(person.id)]);
	expect(d.events.map((e) => [e.record.id, e.stage?.name])).toEqual([[String(deal.id), 'Qualified']]);
	expect(t.events.map((e) => [e.record.id, (e.record as any).status])).toEqual([[String(task.id), 'completed']]);
	now += 5_000;
	box.pipedrive.update('deals', deal.id, { title: 'Renamed' }, { userId: ANA });
	const again = await poll(deals.feed, d.state, options());
	expect(again.events).toEqual([]);
});

const SEEDS = 5;
const STEPS = 250;

test(`HTTP simulation: ${SEEDS} seeds × ${STEPS} steps of deal creations and stage moves on Pipedrive, exactly once`, async () => {
	const summary = await runFeedSimulation(
		pipedriveWorld(box.pipedrive, (type) => pipedriveTestProvider(box.pipedrive, { unlimited: true }).eventFeed(type)),
		SEEDS,
		STEPS,
	);
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync('test-output/trigger-pipedrive-simulation.json', JSON.stringify(summary, null, 2));
	expect(summary.problems).toEqual([]);
	expect(summary.events).toBeGreaterThan(SEEDS * 30);
}, 240_000);
