/* eslint-disable */
// The Zoho CRM event feeds + the exactly-once poller over HTTP against the local Zoho sandbox:
// the shared randomized simulation (writes during polls, restarts, clock skew; Zoho's times have
// whole seconds, so many records share one), moves within one second, each event type, origin.
import * as fs from 'node:fs';

import { useZohoSandbox, zohoTestProvider } from '../helpers/zohoProvider';
import { runFeedSimulation } from '../helpers/feedSimulation';
import { zohoWorld } from '../helpers/feedWorlds';
import { poll } from '../../nodes/shared/engines/events/poller';
import type { EventType } from '../../nodes/shared/contract/events';

const box = useZohoSandbox();
let vendorNow: number;
beforeEach(() => {
	vendorNow = Date.parse('2026-11-20T09:00:00Z');
	box.zoho.setClock(() => vendorNow);
});

const feed = (type: EventType) => zohoTestProvider(box.zoho).eventFeed(type);
const options = (extra: Partial<Parameters<typeof poll>[2]> = {}) => ({ safetyWindowMs: 120_000, nowMs: vendorNow, maxCandidates: 1000, ...extra });
/** Records written in Zoho by a user other than the credential's own (the sandbox's first user). */
const other = () => ({ actor: box.zoho.users[1].id });
const deal = (name: string, stage = 'Qualification') => box.zoho.createRecord('Deals', { Deal_Name: name, Stage: stage, Closing_Date: '2026-12-31' }, other());

const SEEDS = 4;
const STEPS = 200;

test(`HTTP simulation: ${SEEDS} seeds × ${STEPS} steps of deal creations and stage moves on Zoho, exactly once`, async () => {
	const summary = await runFeedSimulation(zohoWorld(box.zoho, feed), SEEDS, STEPS);
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync('test-output/trigger-zoho-simulation.json', JSON.stringify(summary, null, 2));
	expect(summary.problems).toEqual([]);
	expect(summary.events).toBeGreaterThan(SEEDS * 40);
}, 300_000);

test('A → B → C between two polls gives both moves from Stage_History, with previous stages, pipeline and won status', async () => {
	const d = deal('Steps');
	vendorNow += 10_000;
	const f = feed('dealStageChanged');
	const { state } = await poll(f, undefined, options());
	expect((await poll(f, state, options())).events).toEqual([]);
	vendorNow += 3_000;
	box.zoho.updateRecord('Deals', d.id, { Stage: 'Needs Analysis' }, other());
	vendorNow += 400; // the same second
	box.zoho.updateRecord('Deals', d.id, { Stage: 'Closed Won' }, other());
	const result = await poll(f, state, options({ nowMs: vendorNow + 1000 }));
	expect(result.events.map((e) => `${e.previous!.id}>${e.stage!.id}`)).toEqual(['Qualification>Needs Analysis', 'Needs Analysis>Closed Won']);
	expect(result.events[1].stage).toEqual({ id: 'Closed Won', name: 'Closed Won', closed: 'won' });
	expect(result.events[1].pipeline).toMatchObject({ name: 'Standard (Standard)' });
	expect(result.events[1].record).toMatchObject({ id: d.id, status: 'won', stageId: 'Closed Won' });
	// A user in Zoho made the moves, not the credential's user.
	expect(result.events.map((e) => e.origin)).toEqual(['other', 'other']);
	expect((await poll(f, result.state, options({ nowMs: vendorNow + 60_000 }))).events).toEqual([]);
});

test('each event type is polled: creations, case status, completed and overdue tasks; our own writes are origin "package"', async () => {
	const p = zohoTestProvider(box.zoho);
	// A case that exists before activation: the status feed remembers its status then.
	const kase = box.zoho.createRecord('Cases', { Subject: 'Broken', Status: 'New', Case_Origin: 'Email' }, other());
	vendorNow += 5_000;
	const states: Record<string, any> = {};
	const types: EventType[] = ['newLead', 'newContact', 'dealCreated', 'ticketOpened', 'ticketStatusChanged', 'taskCompleted', 'taskOverdue'];
	for (const type of types) states[type] = (await poll(p.eventFeed(type), undefined, options())).state;
	vendorNow += 5_000;
	const lead = (await p.createRecords('lead', [{ fields: { lastName: 'Doe', company: 'Acme', email: 'doe@x.example' } }]))[0] as any;
	box.zoho.createRecord('Contacts', { Last_Name: 'Kay' }, other());
	deal('New deal');
	box.zoho.createRecord('Cases', { Subject: 'Opened', Status: 'New', Case_Origin: 'Email' }, other());
	const task = box.zoho.createRecord('Tasks', { Subject: 'Call', Status: 'Not Started', Due_Date: '2026-11-19' }, other());
	vendorNow += 5_000;
	box.zoho.updateRecord('Cases', kase.id, { Status: 'Escalated' }, other());
	box.zoho.updateRecord('Tasks', task.id, { Status: 'Completed' }, other());
	box.zoho.createRecord('Tasks', { Subject: 'Late', Status: 'Not Started', Due_Date: '2026-11-19' }, other());
	vendorNow += 5_000;
	const seen: Record<string, string[]> = {};
	for (const type of types) {
		const { events } = await poll(p.eventFeed(type), states[type], options());
		seen[type] = events.map((e) => `${(e.record as any).subject ?? (e.record as any).name ?? (e.record as any).lastName}${e.stage ? `:${e.previous?.id ?? ''}>${e.stage.id}` : ''}${e.origin ? `@${e.origin}` : ''}`);
	}
	expect(seen).toEqual({
		newLead: ['Doe@package'],
		newContact: ['Kay@other'],
		dealCreated: ['New deal:>Qualification@other'],
		ticketOpened: ['Opened:>New@other'],
		ticketStatusChanged: ['Broken:New>Escalated@other'],
		taskCompleted: ['Call@other'],
		taskOverdue: ['Late@other'],
	});
	expect(lead.ok).toBe(true);
});
