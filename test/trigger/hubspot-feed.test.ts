/* eslint-disable */
// The HubSpot event feeds + the exactly-once poller over HTTP against the local HubSpot server:
// a randomized simulation (writes during polls, search indexing lag, restarts, clock skew) and a
// backlog larger than HubSpot's 10,000-result search cap.
import * as fs from 'node:fs';

import { useHubSpotSandbox } from '../helpers/sandbox';
import { seededRandom } from '../helpers/random';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { fetchSend } from '../helpers/fetchSend';
import { hubspotProvider } from '../../nodes/shared/providers/hubspot/HubSpotProvider';
import { poll } from '../../nodes/shared/engines/events/poller';
import type { EventType, TriggerState } from '../../nodes/shared/engines/events/types';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

let hubspot: FakeHubSpot;
let vendorNow: number;

const feed = (type: EventType) =>
	hubspotProvider
		.create({
			send: fetchSend(hubspot.token),
			credentials: { baseUrl: hubspot.baseUrl },
			credentialKey: `feed-${type}`,
			// The local server has no limit; the real search limit would only slow the test down.
			transportOverrides: { rateLimits: { default: { max: 100_000, windowMs: 1000 }, search: { max: 100_000, windowMs: 1000 } } },
		})
		.eventFeed(type);

const sandbox = useHubSpotSandbox();
beforeEach(() => {
	hubspot = sandbox.hubspot;
	vendorNow = Date.parse('2026-11-20T09:00:00Z');
	hubspot.setClock(() => vendorNow);
});

const STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent'];
const SEEDS = 6;
const STEPS = 300;

test(`HTTP simulation: ${SEEDS} seeds × ${STEPS} steps of deal creations and stage moves, exactly once`, async () => {
	const summary = { seeds: SEEDS, steps: STEPS, polls: 0, restarts: 0, events: 0, writesDuringPolls: 0, requests: 0 };
	for (let seed = 1; seed <= SEEDS; seed++) {
		hubspot.reset();
		resetLimiters();
		const random = seededRandom(seed * 7919);
		const lag = Math.floor(random() * 20_000);
		hubspot.setSearchLag(lag);
		const skew = Math.floor((random() - 0.5) * 6 * 60_000);
		const deals: string[] = [];
		const happened: string[] = [];
		let recording = false;

		const create = () => {
			const id = String(hubspot.createObject('deals', { dealname: `D${deals.length}`, pipeline: 'default', dealstage: STAGES[0] }).id);
			deals.push(id);
			if (recording) happened.push(`created:${id}`);
		};
		const move = () => {
			if (!deals.length) return;
			const id = deals[Math.floor(random() * deals.length)];
			const current = hubspot.getObject('deals', id).properties.dealstage;
			const to = STAGES.filter((s) => s !== current)[Math.floor(random() * (STAGES.length - 1))];
			vendorNow += 1; // one value per timestamp in a record's history
			hubspot.updateObject('deals', id, { dealstage: to });
			if (recording) happened.push(`moved:${id}|${to}|${vendorNow}`);
		};
		const mutate = () => {
			if (random() < 0.5) create();
			else move();
			vendorNow += random() < 0.2 ? 0 : Math.floor(random() * 3000);
		};

		for (let i = 0; i < 20; i++) mutate();
		vendorNow += lag + 60_000;
		const kinds: EventType[] = ['dealCreated', 'dealStageChanged'];
		const states: Partial<Record<EventType, TriggerState>> = {};
		const emitted: string[] = [];
		const options = () => ({ safetyWindowMs: 120_000, nowMs: vendorNow + skew, maxCandidates: 5 + Math.floor(random() * 40) });
		for (const kind of kinds) {
			const first = await poll(feed(kind), undefined, options());
			expect(first.events).toEqual([]);
			states[kind] = first.state;
		}
		recording = true;
		let draining = false;
		hubspot.onRequest((request) => {
			if (!draining && request.path.endsWith('/search') && random() < 0.3) {
				mutate();
				summary.writesDuringPolls++;
			}
		});
		const runPoll = async (kind: EventType) => {
			const result = await poll(feed(kind), states[kind], options());
			states[kind] = result.state;
			for (const e of result.events) {
				emitted.push(e.type === 'dealCreated' ? `created:${e.record.id}` : `moved:${e.record.id}|${e.stage!.id}|${e.at}`);
			}
			summary.polls++;
			return result;
		};
		for (let step = 0; step < STEPS; step++) {
			const r = random();
			if (r < 0.55) mutate();
			else if (r < 0.9) await runPoll(kinds[Math.floor(random() * 2)]);
			else {
				for (const kind of kinds) states[kind] = JSON.parse(JSON.stringify(states[kind]));
				summary.restarts++;
			}
			vendorNow += random() < 0.1 ? 90_000 : 1500;
		}
		draining = true;
		vendorNow += lag + 1;
		for (const kind of kinds) {
			for (let i = 0; i < 200; i++) {
				const result = await runPoll(kind);
				if (!result.backlog && result.events.length === 0) break;
			}
		}
		hubspot.onRequest(undefined);
		const got = [...emitted].sort();
		const want = [...happened].sort();
		expect({ seed, missing: want.filter((k) => !got.includes(k)), extra: got.filter((k, i) => !want.includes(k) || got[i - 1] === k) }).toEqual({
			seed,
			missing: [],
			extra: [],
		});
		summary.events += want.length;
		summary.requests += hubspot.requests.length;
	}
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync('test-output/trigger-http-simulation.json', JSON.stringify(summary, null, 2));
	expect(summary.events).toBeGreaterThan(SEEDS * 50);
});

test('a 25,000-deal backlog beyond the 10,000 search cap arrives exactly once', async () => {
	const dealFeed = feed('dealCreated');
	const activated = await poll(dealFeed, undefined, { safetyWindowMs: 300_000, nowMs: vendorNow, maxCandidates: 30_000 });
	for (let i = 0; i < 25_000; i++) {
		if (i % 7 === 0) vendorNow += 1; // several deals share each timestamp
		hubspot.createObject('deals', { dealname: `Bulk ${i}`, pipeline: 'default', dealstage: 'appointmentscheduled' });
	}
	let state = activated.state;
	const ids: string[] = [];
	let polls = 0;
	for (;;) {
		const result = await poll(dealFeed, state, { safetyWindowMs: 300_000, nowMs: vendorNow, maxCandidates: 10_000 });
		state = result.state;
		ids.push(...result.events.map((e) => e.record.id));
		polls++;
		if (!result.backlog) break;
	}
	expect(ids).toHaveLength(25_000);
	expect(new Set(ids).size).toBe(25_000);
	expect(polls).toBe(3);
	const searches = hubspot.requests.filter((r) => r.path === '/crm/v3/objects/deals/search');
	expect(searches.every((r) => r.status === 200 && Number(r.body.after ?? 0) < 10_000)).toBe(true);
	// The state after the backlog is bounded by the safety window, not the backlog.
	const idle = await poll(dealFeed, state, { safetyWindowMs: 300_000, nowMs: vendorNow + 3_600_000, maxCandidates: 10_000 });
	expect(idle.events).toEqual([]);
}, 240_000); // a throughput test, not a timing test: slow machines get time
