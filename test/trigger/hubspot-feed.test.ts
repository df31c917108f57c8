/* eslint-disable */
// The HubSpot event feeds + the exactly-once poller over HTTP against the local HubSpot server:
// a randomized simulation (writes during polls, search indexing lag, restarts, clock skew) and a
// backlog larger than HubSpot's 10,000-result search cap.
import * as fs from 'node:fs';

import { useHubSpotSandbox } from '../helpers/sandbox';
import { runFeedSimulation } from '../helpers/feedSimulation';
import { hubspotWorld } from '../helpers/feedWorlds';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { fetchSend } from '../helpers/fetchSend';
import { hubspotProvider } from '../../nodes/shared/providers/hubspot/HubSpotProvider';
import { poll } from '../../nodes/shared/engines/events/poller';
import type { EventType, TriggerState } from '../../nodes/shared/contract/events';
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

const SEEDS = 6;
const STEPS = 300;

test(`HTTP simulation: ${SEEDS} seeds × ${STEPS} steps of deal creations and stage moves, exactly once`, async () => {
	const summary = await runFeedSimulation(
		hubspotWorld(hubspot, feed),
		SEEDS,
		STEPS,
	);
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync('test-output/trigger-http-simulation.json', JSON.stringify(summary, null, 2));
	expect(summary.problems).toEqual([]);
	expect(summary.events).toBeGreaterThan(SEEDS * 50);
}, 240_000);

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
