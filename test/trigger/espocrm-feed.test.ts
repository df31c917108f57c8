/* eslint-disable */
// The EspoCRM event feeds + the exactly-once poller over HTTP against the local EspoCRM server:
// the shared randomized simulation (writes during polls, read lag, restarts, clock skew; EspoCRM's
// times have whole seconds, so many records share one), two moves of one deal in one second,
// each event type, and a backlog paged inside one second.
import * as fs from 'node:fs';

import { espoProvider, useEspoSandbox } from '../sandbox/espocrm/testing';
import { runFeedSimulation } from '../helpers/feedSimulation';
import { espocrmWorld } from '../helpers/feedWorlds';
import type { FakeEspoCrm } from '../sandbox/espocrm';
import { poll, recentEvents } from '../../nodes/shared/engines/events/poller';
import { eventFilter } from '../../nodes/shared/engines/events/filters';
import type { CrmEvent, EventType, TriggerState } from '../../nodes/shared/contract/events';

const box = useEspoSandbox();
let espo: FakeEspoCrm;
let vendorNow: number;

beforeEach(() => {
	espo = box.espo;
	vendorNow = Date.parse('2026-11-20T09:00:00Z');
	espo.setClock(() => vendorNow);
});

const feed = (type: EventType) => espoProvider(espo, 'apiKey', { unlimited: true }).eventFeed(type);
const options = (extra: Partial<Parameters<typeof poll>[2]> = {}) => ({ safetyWindowMs: 120_000, nowMs: vendorNow, maxCandidates: 1000, ...extra });
const deal = (name: string, stage = 'Prospecting') => espo.createRecord('Opportunity', { name, amount: 10, closeDate: '2026-12-31', stage });

const SEEDS = 5;
const STEPS = 250;

test(`HTTP simulation: ${SEEDS} seeds × ${STEPS} steps of opportunity creations and stage moves, exactly once`, async () => {
	const summary = await runFeedSimulation(
		espocrmWorld(espo, feed),
		SEEDS,
		STEPS,
	);
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync('test-output/trigger-espocrm-simulation.json', JSON.stringify(summary, null, 2));
	expect(summary.problems).toEqual([]);
	expect(summary.events).toBeGreaterThan(SEEDS * 50);
}, 240_000);

test('two moves of one deal in the same second, with a poll between them, are both emitted', async () => {
	const d = deal('Fast');
	vendorNow += 10_000;
	const f = feed('dealStageChanged');
	let state = (await poll(f, undefined, options())).state;
	vendorNow += 5_000;
	espo.updateRecord('Opportunity', d.id, { stage: 'Qualification' });
	const first = await poll(f, state, options());
	state = first.state;
	vendorNow += 400; // the same second
	espo.updateRecord('Opportunity', d.id, { stage: 'Proposal' });
	const second = await poll(f, state, options());
	expect([...first.events, ...second.events].map((e) => `${e.previous!.id}>${e.stage!.id}`)).toEqual(['Prospecting>Qualification', 'Qualification>Proposal']);
	const idle = await poll(f, second.state, options({ nowMs: vendorNow + 60_000 }));
	expect(idle.events).toEqual([]);
});

test('A → B → C between two polls gives both moves, read from the stream, with times and previous stages', async () => {
	const d = deal('Steps');
	vendorNow += 10_000;
	const f = feed('dealStageChanged');
	const { state } = await poll(f, undefined, options());
	const requestsBefore = espo.requests.length;
	const idle = await poll(f, state, options());
	expect(idle.events).toEqual([]);
	expect(espo.requests.length - requestsBefore).toBe(1); // a poll with nothing new: one request
	vendorNow += 3_000;
	espo.updateRecord('Opportunity', d.id, { stage: 'Qualification' });
	vendorNow += 3_000;
	espo.updateRecord('Opportunity', d.id, { stage: 'Closed Won' });
	const result = await poll(f, state, options());
	expect(result.events.map((e) => ({ from: e.previous, to: e.stage, at: e.at, pipeline: e.pipeline }))).toEqual([
		{ from: { id: 'Prospecting', name: 'Prospecting', closed: 'open' }, to: { id: 'Qualification', name: 'Qualification', closed: 'open' }, at: vendorNow - 3_000, pipeline: { id: 'Opportunity', name: 'Opportunity stages' } },
		{ from: { id: 'Qualification', name: 'Qualification', closed: 'open' }, to: { id: 'Closed Won', name: 'Closed Won', closed: 'won' }, at: vendorNow, pipeline: { id: 'Opportunity', name: 'Opportunity stages' } },
	]);
	expect(result.events[1].record).toMatchObject({ id: d.id, status: 'won', stageId: 'Closed Won' });
	const streamReads = espo.requests.filter((r) => r.resource === `/Opportunity/${d.id}/stream`);
	expect(streamReads.length).toBeGreaterThan(0);
});

test('won / lost, ticket status, new lead / contact / ticket, completed and overdue tasks', async () => {
	const d = deal('WL', 'Negotiation');
	const lost = deal('Lost', 'Proposal');
	const ticket = espo.createRecord('Case', { name: 'Help' });
	const task = espo.createRecord('Task', { name: 'Do', assignedUserId: 'u-ana', dateEnd: '2026-11-20 10:00:00' });
	const later = espo.createRecord('Task', { name: 'Later', assignedUserId: 'u-ana', dateEnd: '2026-11-21 10:00:00' });
	vendorNow += 10_000;
	const types: EventType[] = ['dealWonLost', 'ticketStatusChanged', 'newLead', 'newContact', 'ticketOpened', 'taskCompleted', 'taskOverdue'];
	const states: Record<string, TriggerState> = {};
	for (const type of types) states[type] = (await poll(feed(type), undefined, options())).state;
	vendorNow += 5_000;
	espo.updateRecord('Opportunity', d.id, { stage: 'Closed Won' });
	espo.updateRecord('Opportunity', lost.id, { stage: 'Closed Lost' });
	espo.updateRecord('Case', ticket.id, { status: 'Assigned' });
	const lead = espo.createRecord('Lead', { lastName: 'New lead' });
	const contact = espo.createRecord('Contact', { lastName: 'New contact' });
	const ticket2 = espo.createRecord('Case', { name: 'Second' });
	espo.updateRecord('Task', later.id, { status: 'Completed' });
	vendorNow = Date.parse('2026-11-20T10:30:00Z');
	const run = async (type: EventType, accept?: (e: CrmEvent) => boolean) => (await poll(feed(type), states[type], options({ accept }))).events;

	expect((await run('dealWonLost', eventFilter('dealWonLost', { outcome: 'won' }))).map((e) => e.record.id)).toEqual([d.id]);
	expect((await run('dealWonLost', eventFilter('dealWonLost', { outcome: 'both' }))).map((e) => e.stage!.closed).sort()).toEqual(['lost', 'won']);
	const status = await run('ticketStatusChanged', eventFilter('ticketStatusChanged', { toStages: ['assigned'], pipelines: ['Case statuses'] }));
	expect(status.map((e) => [e.record.id, e.previous!.id, e.stage!.id])).toEqual([[ticket.id, 'New', 'Assigned']]);
	expect((await run('newLead')).map((e) => [e.record.id, e.key])).toEqual([[lead.id, lead.id]]);
	expect((await run('newContact')).map((e) => e.record.id)).toEqual([contact.id]);
	const opened = await run('ticketOpened');
	expect(opened.map((e) => [e.record.id, e.stage?.id, e.pipeline?.id])).toEqual([[ticket2.id, 'New', 'Case']]);
	const completed = await run('taskCompleted');
	expect(completed.map((e) => [e.record.id, (e.record as any).status, e.key])).toEqual([[later.id, 'completed', `${later.id}|completed|${Date.parse('2026-11-20T09:00:15Z')}`]]);
	const overdue = await run('taskOverdue');
	expect(overdue.map((e) => [e.record.id, e.at])).toEqual([[task.id, Date.parse('2026-11-20T10:00:00Z')]]);
	// Fetch Test Event: the newest real events, no state.
	const recent = await recentEvents(feed('dealStageChanged'), 2, { nowMs: vendorNow });
	expect(recent.map((e) => e.stage!.id)).toEqual(['Closed Won', 'Closed Lost'].filter((s) => recent.some((e) => e.stage!.id === s)));
	expect(recent).toHaveLength(2);
});

test('a backlog of 1,200 deals, 300 per second, arrives exactly once over two polls (paging inside one second)', async () => {
	const f = feed('dealCreated');
	deal('before');
	vendorNow += 10_000;
	const activated = await poll(f, undefined, options({ safetyWindowMs: 300_000 }));
	const created: string[] = [];
	for (let i = 0; i < 1200; i++) {
		if (i % 300 === 0) vendorNow += 1000;
		created.push(deal(`Bulk ${i}`).id);
	}
	let state = activated.state;
	const ids: string[] = [];
	let polls = 0;
	for (;;) {
		const result = await poll(f, state, options({ safetyWindowMs: 300_000, maxCandidates: 500 }));
		state = result.state;
		ids.push(...result.events.map((e) => e.record.id));
		polls++;
		if (!result.backlog) break;
	}
	expect(ids.sort()).toEqual([...created].sort());
	expect(polls).toBe(2);
	const equalSecondPages = espo.requests.filter((r) => r.search?.where?.some((w: any) => w.type === 'equals' && w.attribute === 'createdAt'));
	expect(equalSecondPages.length).toBeGreaterThan(0);
	expect(espo.requests.every((r) => r.search === undefined || r.search.maxSize <= 200)).toBe(true);
});
