/* eslint-disable */
// The Salesforce event feeds + the exactly-once poller over HTTP against the local Salesforce
// server: the randomized simulation (writes during polls, read lag, restarts, clock skew), each
// recorded stage transition from OpportunityHistory, ticket status changes from CaseHistory and
// from remembered statuses when history tracking is off, tasks completed and overdue.
import * as fs from 'node:fs';

import { fetchSend } from '../helpers/fetchSend';
import { runFeedSimulation } from '../helpers/feedSimulation';
import { salesforceWorld } from '../helpers/feedWorlds';
import { startSalesforceServer } from '../sandbox/salesforce/server';
import type { FakeSalesforce } from '../sandbox/salesforce';
import { salesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import { poll, recentEvents } from '../../nodes/shared/engines/events/poller';
import type { EventType, TriggerState } from '../../nodes/shared/contract/events';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

let sf: FakeSalesforce;
let now: number;
beforeAll(async () => {
	sf = await startSalesforceServer({ port: 0 });
});
afterAll(() => sf.stop());
beforeEach(() => {
	sf.reset();
	resetLimiters();
	now = Date.parse('2026-11-20T09:00:00Z');
	sf.setClock(() => now);
});
afterEach(() => expect(sf.violations).toEqual([]));

const provider = () =>
	salesforceProvider.create({
		send: fetchSend(sf.token),
		credentials: { oauthTokenData: { instance_url: sf.baseUrl }, apiVersion: '66.0' },
		credentialType: 'crmSalesforceOAuth2Api',
		credentialKey: 'feed',
		transportOverrides: { rateLimits: { default: { max: 100_000, windowMs: 1000 } } },
	});
const feed = (type: EventType) => provider().eventFeed(type);
const options = (extra: object = {}) => ({ safetyWindowMs: 120_000, nowMs: now, maxCandidates: 2000, ...extra });

const SEEDS = 5;
const STEPS = 250;

test(`HTTP simulation: ${SEEDS} seeds × ${STEPS} steps of opportunity creations and stage moves, exactly once`, async () => {
	const summary = await runFeedSimulation(
		salesforceWorld(sf, feed),
		SEEDS,
		STEPS,
	);
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync('test-output/trigger-salesforce-simulation.json', JSON.stringify(summary, null, 2));
	expect(summary.problems).toEqual([]);
	expect(summary.events).toBeGreaterThan(SEEDS * 50);
}, 240_000);

async function activate(type: EventType, extra: object = {}) {
	const first = await poll(feed(type), undefined, options(extra));
	expect(first.events).toEqual([]);
	return first.state;
}

test('A → B → C between two polls: both recorded transitions, with stage names and the pipeline', async () => {
	const opp = sf.insert('Opportunity', { Name: 'Big', StageName: 'Prospecting', CloseDate: '2026-12-31' });
	now += 60_000;
	const state = await activate('dealStageChanged');
	now += 1000;
	sf.update('Opportunity', opp.Id, { StageName: 'Qualification' });
	now += 1000;
	sf.update('Opportunity', opp.Id, { Amount: 5000 }); // a history row without a stage change
	now += 1000;
	sf.update('Opportunity', opp.Id, { StageName: 'Closed Won' });
	now += 5000;
	const requestsBefore = sf.requests.length;
	const result = await poll(feed('dealStageChanged'), state, options());
	expect(result.events.map((e) => [e.previous!.name, e.stage!.name, e.stage!.closed])).toEqual([
		['Prospecting', 'Qualification', 'open'],
		['Qualification', 'Closed Won', 'won'],
	]);
	expect(result.events[0]).toMatchObject({ pipeline: { id: 'OpportunityStage', name: 'Sales Process' }, record: { id: opp.Id, name: 'Big' } });
	expect(result.events.map((e) => new Date(e.at).toISOString())).toEqual(['2026-11-20T09:01:01.000Z', '2026-11-20T09:01:03.000Z']);
	// Scan, the opportunities' history, which fields the org has (describe), the records, the stage list.
	expect(sf.requests.slice(requestsBefore).map((r) => `${r.method} ${r.path.replace(/\/services\/data\/v[\d.]+/, '')}`)).toEqual([
		'GET /query',
		'GET /query',
		'GET /sobjects/Opportunity/describe',
		'POST /composite/sobjects/Opportunity',
		'GET /query',
	]);
	// Idle: one request.
	const idleBefore = sf.requests.length;
	const idle = await poll(feed('dealStageChanged'), result.state, options());
	expect(idle.events).toEqual([]);
	expect(sf.requests.length - idleBefore).toBe(1);
	const won = await recentEvents(feed('dealWonLost'), 5, { nowMs: now, accept: (e) => e.stage?.closed === 'won' });
	expect(won.map((e) => e.record.id)).toEqual([opp.Id]);
});

test('two moves in the same second pair as they happened, also where SOQL sorts their ids out of order', async () => {
	// History ids ending in "Z" (35th) and "a" (36th) sort the other way round case-insensitively,
	// which is how SOQL's ORDER BY Id sorts them.
	const opp = sf.insert('Opportunity', { Name: 'Twice', StageName: 'Prospecting', CloseDate: '2026-12-31' });
	const filler = sf.insert('Opportunity', { Name: 'Filler', StageName: 'Prospecting', CloseDate: '2026-12-31' });
	const historyCount = () => sf.list('OpportunityHistory').length;
	for (let i = 0; historyCount() < 34; i++) {
		now += 1000;
		sf.update('Opportunity', filler.Id, { StageName: i % 2 ? 'Prospecting' : 'Qualification' });
	}
	now += 10_000;
	const f = feed('dealStageChanged');
	const { state } = await poll(f, undefined, options());
	now += 5_000;
	sf.update('Opportunity', opp.Id, { StageName: 'Needs Analysis' });
	sf.update('Opportunity', opp.Id, { StageName: 'Closed Won' });
	const ids = sf.list('OpportunityHistory').slice(-2).map((r) => r.Id);
	expect(ids.map((id) => id.slice(14, 15))).toEqual(['Z', 'a']);
	const result = await poll(f, state, options({ nowMs: now + 1000 }));
	expect(result.events.map((e) => `${e.previous!.id}>${e.stage!.id}`).sort()).toEqual(['Needs Analysis>Closed Won', 'Prospecting>Needs Analysis']);
});

test('more records at one second than a page: keyset on (time, Id) gets every one, no OFFSET', async () => {
	const state = await activate('newLead');
	now += 1000;
	for (let i = 0; i < 450; i++) sf.insert('Lead', { LastName: `L${i}`, Company: 'Bulk' }); // one second, as a bulk load
	now += 2000;
	const result = await poll(feed('newLead'), state, options());
	expect(new Set(result.events.map((e) => e.record.id)).size).toBe(450);
	expect(sf.requests.filter((r) => r.path.endsWith('/query')).every((r) => !/OFFSET/i.test(r.query.q))).toBe(true);
});

describe('ticket status changes', () => {
	test('from CaseHistory where Status history is tracked (each change, old → new)', async () => {
		sf.setFieldHistory('Case', 'Status', true);
		const c = sf.insert('Case', { Subject: 'Printer' });
		now += 60_000;
		const state = await activate('ticketStatusChanged');
		expect(state.memory).toEqual({ statusMode: 'history' });
		now += 1000;
		sf.update('Case', c.Id, { Status: 'Working' });
		now += 1000;
		sf.update('Case', c.Id, { Status: 'Closed' });
		now += 2000;
		const result = await poll(feed('ticketStatusChanged'), state, options());
		expect(result.events.map((e) => [e.previous!.id, e.stage!.id, e.stage!.closed])).toEqual([
			['New', 'Working', 'open'],
			['Working', 'Closed', 'closed'],
		]);
	});

	test('without history tracking: remembered statuses (bounded), one change per poll seen', async () => {
		sf.setFieldHistory('Case', 'Status', false);
		const c1 = sf.insert('Case', { Subject: 'One' });
		const c2 = sf.insert('Case', { Subject: 'Two' });
		now += 60_000;
		const state = await activate('ticketStatusChanged');
		expect(state.memory).toEqual({ statusMode: 'memory', statuses: { [c1.Id]: 'New', [c2.Id]: 'New' } });
		now += 1000;
		sf.update('Case', c1.Id, { Status: 'Working' });
		sf.update('Case', c2.Id, { Subject: 'Two (edited)' }); // modified, same status: no event
		now += 2000;
		const first = await poll(feed('ticketStatusChanged'), JSON.parse(JSON.stringify(state)), options());
		expect(first.events.map((e) => [e.record.id, e.previous?.id, e.stage!.id])).toEqual([[c1.Id, 'New', 'Working']]);
		now += 1000;
		sf.update('Case', c1.Id, { Status: 'Escalated' });
		now += 1000;
		sf.update('Case', c1.Id, { Status: 'Closed' });
		now += 2000;
		const second = await poll(feed('ticketStatusChanged'), JSON.parse(JSON.stringify(first.state)), options());
		// Only the status at each poll is known: Working → Closed (Escalated in between is not recorded).
		expect(second.events.map((e) => [e.previous?.id, e.stage!.id])).toEqual([['Working', 'Closed']]);
		const again = await poll(feed('ticketStatusChanged'), second.state, options({ nowMs: now + 10_000 }));
		expect(again.events).toEqual([]);
	});
});

test('task completed (CompletedDateTime) and task overdue (once per task and due date)', async () => {
	const ana = sf.users().ana.Id;
	const t1 = sf.insert('Task', { Subject: 'Call', OwnerId: ana, ActivityDate: '2026-11-21' });
	const t2 = sf.insert('Task', { Subject: 'Mail', OwnerId: ana, ActivityDate: '2026-11-25' });
	now += 60_000;
	const completed = await activate('taskCompleted');
	const overdue = await activate('taskOverdue');
	now += 1000;
	sf.update('Task', t1.Id, { Status: 'Completed' });
	now += 2000;
	const done = await poll(feed('taskCompleted'), completed, options());
	expect(done.events.map((e) => [e.record.id, (e.record as any).status])).toEqual([[t1.Id, 'completed']]);
	// Days later t2 is past due (its due date is a date: overdue from the next UTC day).
	now = Date.parse('2026-11-26T00:00:05Z');
	const late = await poll(feed('taskOverdue'), overdue, options());
	expect(late.events.map((e) => [e.record.id, new Date(e.at).toISOString()])).toEqual([[t2.Id, '2026-11-26T00:00:00.000Z']]);
	now += 3_600_000;
	const later = await poll(feed('taskOverdue'), late.state, options());
	expect(later.events).toEqual([]);
	// A new due date is a new overdue event.
	sf.update('Task', t2.Id, { ActivityDate: '2026-11-26' });
	now = Date.parse('2026-11-27T00:00:10Z');
	const moved = await poll(feed('taskOverdue'), later.state, options());
	expect(moved.events.map((e) => e.key)).toEqual([`${t2.Id}@2026-11-26`]);
});
