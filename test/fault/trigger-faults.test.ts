/* eslint-disable */
// The trigger's exactly-once guarantee under faults, on every provider: the fault proxy sits
// between each provider and its sandbox and injects 429 with Retry-After, 500/503, dropped and
// hanging connections, truncated JSON and HTML pages with status 200, sometimes in bursts longer
// than the transport's retries (the poll then fails). Polls are also repeated the way n8n's
// at-least-once scheduler repeats them. Every event must be emitted exactly once, and a failed
// poll must leave the stored state untouched. More seeds: FAULT_SEEDS=50 npx jest test/fault.
// Also the cases of issue 13 one by one: a failed batch read, garbled answers, a garbled stage
// list and a garbled first activation read.
import * as fs from 'node:fs';

import { runFeedSimulation } from '../helpers/feedSimulation';
import type { FaultControl, SimulationSummary, SimulationWorld } from '../helpers/feedSimulation';
import { espocrmWorld, hubspotWorld, salesforceWorld } from '../helpers/feedWorlds';
import { fetchSend } from '../helpers/fetchSend';
import { FaultProxy, startFaultProxy, withTimeout } from '../helpers/faultProxy';
import type { Fault, FaultKind, FaultPlan } from '../helpers/faultProxy';
import { espoCredentials, espoSend } from '../sandbox/espocrm/testing';
import { startEspoCrmServer } from '../sandbox/espocrm/server';
import { startHubSpotServer } from '../sandbox/hubspot/server';
import { startSalesforceServer } from '../sandbox/salesforce/server';
import type { FakeEspoCrm } from '../sandbox/espocrm';
import type { FakeHubSpot } from '../sandbox/hubspot';
import type { FakeSalesforce } from '../sandbox/salesforce';
import { hubspotProvider } from '../../nodes/shared/providers/hubspot/HubSpotProvider';
import { salesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import { espocrmProvider } from '../../nodes/shared/providers/espocrm/EspoCrmProvider';
import { poll, pollStored } from '../../nodes/shared/engines/events/poller';
import { eventFilter } from '../../nodes/shared/engines/events/filters';
import type { EventFeed, EventType, TriggerState } from '../../nodes/shared/contract/events';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const SEEDS = Number(process.env.FAULT_SEEDS) || 20;
const STEPS = Number(process.env.FAULT_STEPS) || 100;
/** n8n's helper gives up on a hanging request after its timeout; here a short one. */
const TIMEOUT_MS = 200;
const unlimited = { default: { max: 100_000, windowMs: 1000 }, search: { max: 100_000, windowMs: 1000 } };
const transportOverrides = { retry: { baseDelayMs: 1 }, rateLimits: unlimited };

/** Share of requests that start a burst of faults on their endpoint. */
const BURST_RATE = 0.06;
/** Hanging connections cost a timeout each: rarer than the others. */
const WEIGHTED_KINDS: FaultKind[] = ['rateLimited', 'rateLimited', 'serverError', 'serverError', 'unavailable', 'unavailable', 'dropped', 'dropped', 'truncatedJson', 'truncatedJson', 'htmlPage', 'htmlPage', 'hanging'];

/**
 * Faults in bursts on one endpoint: mostly one or two (the transport's retries absorb them), some
 * of five or more (the request fails after its retries, so the poll fails).
 */
function burstPlan(random: () => number): FaultPlan {
	const bursts = new Map<string, number>();
	return (request) => {
		const endpoint = `${request.method} ${request.path.replace(/\?.*$/, '')}`;
		let left = bursts.get(endpoint) ?? 0;
		if (left === 0 && random() < BURST_RATE) left = 1 + Math.floor(random() ** 3 * 7);
		if (left === 0) return undefined;
		bursts.set(endpoint, left - 1);
		return { kind: WEIGHTED_KINDS[Math.floor(random() * WEIGHTED_KINDS.length)], phase: random() < 0.5 ? 'after' : 'before' };
	};
}

function faultControl(proxy: FaultProxy): FaultControl {
	return {
		set: (random) => proxy.setPlan(random ? burstPlan(random) : undefined),
		injected: () => proxy.injected.length,
	};
}

/** Runs the simulation with faults and repeats and writes its figures for the report. */
async function simulate(name: string, world: SimulationWorld, proxy: FaultProxy): Promise<SimulationSummary> {
	proxy.clear();
	const started = Date.now();
	const summary = await runFeedSimulation(world, SEEDS, STEPS, { faults: faultControl(proxy), repeats: true });
	const figures = { provider: name, ...summary, faultKinds: proxy.counts(), seconds: Math.round((Date.now() - started) / 1000) };
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync(`test-output/fault-trigger-${name}.json`, JSON.stringify(figures, null, 2));
	// One line per provider in the test log: the suite's size and outcome.
	console.log(
		`${name}: ${SEEDS} seeds × ${STEPS} steps, ${summary.polls} polls (${summary.failedPolls} failed, ${summary.overlappingPolls} overlapping, ${summary.fencedRepeats} fenced repeats), ` +
			`${summary.faults} faults, ${summary.events} events, lost ${summary.lost}, duplicated ${summary.duplicated}, unexpected ${summary.unexpected}, state changed by a failed poll ${summary.stateChangedByFailure}`,
	);
	expect(summary.faults).toBeGreaterThan(SEEDS * 10);
	expect(summary.failedPolls).toBeGreaterThan(0);
	expect(summary.events).toBeGreaterThan(SEEDS * 30);
	expect({ lost: summary.lost, duplicated: summary.duplicated, unexpected: summary.unexpected, stateChangedByFailure: summary.stateChangedByFailure, problems: summary.problems }).toEqual({
		lost: 0,
		duplicated: 0,
		unexpected: 0,
		stateChangedByFailure: 0,
		problems: [],
	});
	return summary;
}

/** The next matching requests get these faults, in order. */
function scripted(proxy: FaultProxy, matches: (path: string, method: string) => boolean, faults: Fault[]): void {
	const queue = [...faults];
	proxy.setPlan((request) => (queue.length && matches(request.path, request.method) ? queue.shift() : undefined));
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const GARBLED: Fault[] = [{ kind: 'htmlPage' }, { kind: 'truncatedJson', phase: 'after' }];
const BEYOND_RETRIES: Fault[] = [{ kind: 'unavailable' }, { kind: 'serverError' }, { kind: 'unavailable' }, { kind: 'unavailable' }, { kind: 'dropped' }];

/** A poll that must fail and leave the state as it was. */
async function failsAndChangesNothing(feed: EventFeed, state: TriggerState, now: number) {
	let stored: TriggerState | undefined = clone(state);
	const store = { read: () => stored, write: (s: TriggerState) => void (stored = s) };
	await expect(pollStored(feed, store, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 })).rejects.toMatchObject({ name: 'CrmApiError' });
	expect(stored).toEqual(state);
}

describe('HubSpot behind the fault proxy', () => {
	let hubspot: FakeHubSpot;
	let proxy: FaultProxy;
	let now: number;
	beforeAll(async () => {
		hubspot = await startHubSpotServer({ port: 0 });
		proxy = await startFaultProxy({ target: hubspot.baseUrl, hangMs: 1000 });
	});
	afterAll(async () => {
		await proxy.stop();
		await hubspot.stop();
	});
	beforeEach(() => {
		hubspot.reset();
		resetLimiters();
		proxy.setPlan(undefined);
		now = Date.parse('2026-11-20T09:00:00Z');
		hubspot.setClock(() => now);
	});
	const feed = (type: EventType) =>
		hubspotProvider
			.create({ send: withTimeout(fetchSend(hubspot.token), TIMEOUT_MS), credentials: { baseUrl: proxy.url }, credentialKey: `fault-${type}`, transportOverrides })
			.eventFeed(type);

	test(`simulation: ${SEEDS} seeds × ${STEPS} steps with faults and repeated polls, exactly once`, async () => {
		await simulate('hubspot', hubspotWorld(hubspot, feed), proxy);
	}, 300_000);

	test('a batch read that fails after its retries fails the poll; the moves come with the next poll', async () => {
		const deal = hubspot.createObject('deals', { dealname: 'D', pipeline: 'default', dealstage: 'appointmentscheduled' });
		now += 60_000;
		const f = feed('dealWonLost');
		const { state } = await poll(f, undefined, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		now += 5000;
		hubspot.updateObject('deals', deal.id, { dealstage: 'closedwon' });
		now += 1000;
		scripted(proxy, (path) => path.includes('/batch/read'), BEYOND_RETRIES);
		await failsAndChangesNothing(f, state, now);
		const accept = eventFilter('dealWonLost', {});
		const next = await poll(f, state, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100, accept });
		expect(next.events.map((e) => `${e.previous!.id}>${e.stage!.id}:${e.stage!.closed}`)).toEqual(['appointmentscheduled>closedwon:won']);
	});

	test.each(GARBLED)('a garbled stage list ($kind) fails the poll instead of dropping a won deal', async (fault) => {
		const deal = hubspot.createObject('deals', { dealname: 'D', pipeline: 'default', dealstage: 'appointmentscheduled' });
		now += 60_000;
		const f = feed('dealWonLost');
		const { state } = await poll(f, undefined, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		now += 5000;
		hubspot.updateObject('deals', deal.id, { dealstage: 'closedlost' });
		scripted(proxy, (path) => path.startsWith('/crm/v3/pipelines/'), Array(5).fill(fault));
		await failsAndChangesNothing(feed('dealWonLost'), state, now);
		const next = await poll(feed('dealWonLost'), state, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100, accept: eventFilter('dealWonLost', {}) });
		expect(next.events.map((e) => e.stage!.closed)).toEqual(['lost']);
	});

	test.each(GARBLED)('a garbled search answer ($kind) on every attempt fails the poll, and a garbled first read fails activation', async (fault) => {
		for (let i = 0; i < 3; i++) hubspot.createObject('deals', { dealname: `Old ${i}`, pipeline: 'default', dealstage: 'appointmentscheduled' });
		now += 600_000;
		scripted(proxy, (path) => path.endsWith('/search'), Array(5).fill(fault));
		await expect(poll(feed('dealCreated'), undefined, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 })).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
		const { state } = await poll(feed('dealCreated'), undefined, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		expect(state.watermark).toBeGreaterThan(0);
		now += 5000;
		hubspot.createObject('deals', { dealname: 'New', pipeline: 'default', dealstage: 'appointmentscheduled' });
		scripted(proxy, (path) => path.endsWith('/search'), Array(5).fill(fault));
		await failsAndChangesNothing(feed('dealCreated'), state, now);
		const next = await poll(feed('dealCreated'), state, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		expect(next.events.map((e) => (e.record as { name?: string }).name)).toEqual(['New']);
	});
});

describe('Salesforce behind the fault proxy', () => {
	let sf: FakeSalesforce;
	let proxy: FaultProxy;
	let now: number;
	beforeAll(async () => {
		sf = await startSalesforceServer({ port: 0 });
		proxy = await startFaultProxy({ target: sf.baseUrl, hangMs: 1000 });
	});
	afterAll(async () => {
		await proxy.stop();
		await sf.stop();
	});
	beforeEach(() => {
		sf.reset();
		resetLimiters();
		proxy.setPlan(undefined);
		now = Date.parse('2026-11-20T09:00:00Z');
		sf.setClock(() => now);
	});
	const feed = (type: EventType) =>
		salesforceProvider
			.create({
				send: withTimeout(fetchSend(sf.token), TIMEOUT_MS),
				credentials: { oauthTokenData: { instance_url: proxy.url }, apiVersion: '66.0' },
				credentialType: 'crmSalesforceOAuth2Api',
				credentialKey: `fault-${type}`,
				transportOverrides,
			})
			.eventFeed(type);

	test(`simulation: ${SEEDS} seeds × ${STEPS} steps with faults and repeated polls, exactly once`, async () => {
		await simulate('salesforce', salesforceWorld(sf, feed), proxy);
	}, 300_000);

	test.each(GARBLED)('a garbled history or stage read ($kind) fails the poll; the won deal comes with the next', async (fault) => {
		const opp = sf.insert('Opportunity', { Name: 'Big', StageName: 'Prospecting', CloseDate: '2026-12-31' });
		now += 60_000;
		const f = feed('dealWonLost');
		const { state } = await poll(f, undefined, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		now += 5000;
		sf.update('Opportunity', opp.Id, { StageName: 'Closed Won' });
		now += 1000;
		for (const table of ['OpportunityHistory', 'OpportunityStage']) {
			scripted(proxy, (path) => path.includes('/query') && decodeURIComponent(path.replace(/\+/g, ' ')).includes(`FROM ${table}`), Array(5).fill(fault));
			await failsAndChangesNothing(feed('dealWonLost'), state, now);
		}
		const next = await poll(feed('dealWonLost'), state, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100, accept: eventFilter('dealWonLost', {}) });
		expect(next.events.map((e) => `${e.previous!.id}>${e.stage!.id}:${e.stage!.closed}`)).toEqual(['Prospecting>Closed Won:won']);
	});
});

describe('EspoCRM behind the fault proxy', () => {
	let espo: FakeEspoCrm;
	let proxy: FaultProxy;
	let now: number;
	beforeAll(async () => {
		espo = await startEspoCrmServer({ port: 0 });
		proxy = await startFaultProxy({ target: espo.baseUrl, hangMs: 1000 });
	});
	afterAll(async () => {
		await proxy.stop();
		await espo.stop();
	});
	beforeEach(() => {
		espo.reset();
		resetLimiters();
		proxy.setPlan(undefined);
		now = Date.parse('2026-11-20T09:00:00Z');
		espo.setClock(() => now);
	});
	let providers = 0;
	const feed = (type: EventType) => {
		const credentials = { ...espoCredentials(espo, 'apiKey'), siteUrl: proxy.url };
		return espocrmProvider
			.create({ send: withTimeout(espoSend(credentials), TIMEOUT_MS), credentials, credentialType: 'crmEspoCrmApi', credentialKey: `fault-${providers++}`, transportOverrides })
			.eventFeed(type);
	};

	test(`simulation: ${SEEDS} seeds × ${STEPS} steps with faults and repeated polls, exactly once`, async () => {
		await simulate('espocrm', espocrmWorld(espo, feed), proxy);
	}, 300_000);

	test.each(GARBLED)('a garbled stream read ($kind) fails the poll; the move comes with the next', async (fault) => {
		const deal = espo.createRecord('Opportunity', { name: 'D', amount: 10, closeDate: '2026-12-31', stage: 'Prospecting' });
		now += 60_000;
		const f = feed('dealStageChanged');
		const { state } = await poll(f, undefined, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		now += 5000;
		espo.updateRecord('Opportunity', deal.id, { stage: 'Qualification' });
		now += 1000;
		scripted(proxy, (path) => path.includes('/stream'), Array(5).fill(fault));
		await failsAndChangesNothing(feed('dealStageChanged'), state, now);
		const next = await poll(feed('dealStageChanged'), state, { safetyWindowMs: 120_000, nowMs: now, maxCandidates: 100 });
		expect(next.events.map((e) => `${e.previous!.id}>${e.stage!.id}`)).toEqual(['Prospecting>Qualification']);
	});
});
