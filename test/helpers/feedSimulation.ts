/* eslint-disable */
// The trigger's exactly-once guarantee over HTTP against a provider's local sandbox: a randomized
// run of deal creations and stage moves, some while a poll pages, with the vendor's read lag,
// n8n restarts (state through JSON) and a skewed n8n clock. Each provider's test supplies a world.
// Optionally with faults (a fault proxy between the provider and the sandbox: polls fail, and a
// failed poll must leave the stored state as it was) and with polls repeated the way n8n's
// at-least-once scheduler repeats them (two runs overlapping on one stored state; two runs from the
// same state of which only one commits). Polls go through `pollStored`, as in the trigger node.
import { pollStored } from '../../nodes/shared/engines/events/poller';
import type { PollResult } from '../../nodes/shared/engines/events/poller';
import type { EventFeed, EventType, TriggerState } from '../../nodes/shared/contract/events';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { seededRandom } from './random';

export interface SimulationWorld {
	/** Clears the sandbox. */
	reset(): void;
	setClock(now: () => number): void;
	/** Writes show up in the vendor's scans only this long after they happened. */
	setLag(ms: number): void;
	onRequest(hook: ((request: { path: string }) => void) | undefined): void;
	/** The requests a feed scans with (a write may land between two of them). */
	isScanRequest(request: { path: string }): boolean;
	stages: string[];
	createDeal(name: string, stage: string): string;
	dealStage(id: string): string;
	moveDeal(id: string, stage: string): void;
	feed(type: EventType): EventFeed;
	requestCount(): number;
	/** The vendor's time resolution (ms): history entries of one record are this far apart. */
	resolutionMs: number;
	/**
	 * The vendor orders one record's changes within a time unit (Salesforce history ids, EspoCRM
	 * note numbers): a record may then change several times in one unit.
	 */
	ordersWithinUnit?: boolean;
}

/** Turns injected faults on (decisions drawn from `random`) or off (undefined); counts them. */
export interface FaultControl {
	set(random: (() => number) | undefined): void;
	injected(): number;
}

export interface SimulationOptions {
	start?: number;
	faults?: FaultControl;
	/** Repeat polls as n8n's at-least-once scheduler can (overlapping, and fenced repeats). */
	repeats?: boolean;
}

export interface SimulationSummary {
	seeds: number;
	steps: number;
	polls: number;
	restarts: number;
	/** Events that happened after activation (each must be emitted exactly once). */
	events: number;
	writesDuringPolls: number;
	requests: number;
	faults: number;
	failedPolls: number;
	overlappingPolls: number;
	fencedRepeats: number;
	/** Happened, never emitted. */
	lost: number;
	/** Emitted more than once. */
	duplicated: number;
	/** Emitted, never happened after activation (e.g. history flooding in). */
	unexpected: number;
	/** Failed polls that changed the stored state. */
	stateChangedByFailure: number;
	problems: Array<{ seed: number; missing: string[]; extra: string[] }>;
}

export async function runFeedSimulation(world: SimulationWorld, seeds: number, steps: number, options: SimulationOptions = {}): Promise<SimulationSummary> {
	const start = options.start ?? Date.parse('2026-11-20T09:00:00Z');
	const summary: SimulationSummary = {
		seeds,
		steps,
		polls: 0,
		restarts: 0,
		events: 0,
		writesDuringPolls: 0,
		requests: 0,
		faults: 0,
		failedPolls: 0,
		overlappingPolls: 0,
		fencedRepeats: 0,
		lost: 0,
		duplicated: 0,
		unexpected: 0,
		stateChangedByFailure: 0,
		problems: [],
	};
	const faultsBefore = options.faults?.injected() ?? 0;
	const truncate = (ms: number) => Math.floor(ms / world.resolutionMs) * world.resolutionMs;
	for (let seed = 1; seed <= seeds; seed++) {
		world.reset();
		resetLimiters();
		let vendorNow = start;
		world.setClock(() => vendorNow);
		const random = seededRandom(seed * 7919);
		const lag = Math.floor(random() * 20_000);
		world.setLag(lag);
		const skew = Math.floor((random() - 0.5) * 6 * 60_000);
		const deals: string[] = [];
		const lastMove = new Map<string, number>();
		const happened: string[] = [];
		let recording = false;

		const create = () => {
			const id = world.createDeal(`D${deals.length}`, world.stages[0]);
			deals.push(id);
			lastMove.set(id, vendorNow);
			if (recording) happened.push(`created:${id}`);
		};
		const move = () => {
			if (!deals.length) return;
			const id = deals[Math.floor(random() * deals.length)];
			const current = world.dealStage(id);
			const to = world.stages.filter((s) => s !== current)[Math.floor(random() * (world.stages.length - 1))];
			// One entry per time unit in a record's history (the vendor orders them by time).
			if (!world.ordersWithinUnit) vendorNow = Math.max(vendorNow, truncate(lastMove.get(id)!) + world.resolutionMs);
			world.moveDeal(id, to);
			lastMove.set(id, vendorNow);
			// The move with the stage it left: an event paired with the wrong previous stage counts as lost.
			if (recording) happened.push(`moved:${id}|${current}>${to}|${truncate(vendorNow)}`);
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
		const options_ = () => ({ safetyWindowMs: 120_000, nowMs: vendorNow + skew, maxCandidates: 5 + Math.floor(random() * 40) });
		const storeOf = (kind: EventType) => ({ read: () => states[kind], write: (state: TriggerState) => void (states[kind] = state) });
		options.faults?.set(seededRandom(seed * 104_729 + 1));
		for (const kind of kinds) {
			// n8n retries a failed activation; a garbled first read must fail it, not look like an empty CRM.
			for (let attempt = 0; states[kind] === undefined; attempt++) {
				if (attempt > 50) throw new Error(`seed ${seed}: activation of ${kind} keeps failing`);
				try {
					const first = await pollStored(world.feed(kind), storeOf(kind), options_());
					expect(first.events).toEqual([]);
				} catch (error) {
					if (!isCrmFailure(error)) throw error;
					summary.failedPolls++;
				}
			}
		}
		recording = true;
		let draining = false;
		const requestsBefore = world.requestCount();
		world.onRequest((request) => {
			if (!draining && world.isScanRequest(request) && random() < 0.3) {
				mutate();
				summary.writesDuringPolls++;
			}
		});
		const record = (result: PollResult) => {
			for (const e of result.events) {
				emitted.push(e.type === 'dealCreated' ? `created:${e.record.id}` : `moved:${e.record.id}|${e.previous?.id}>${e.stage!.id}|${e.at}`);
			}
		};
		/** One poll on a store; a failed poll must leave the store as it was (unless another poll shares it). */
		const attempt = async (kind: EventType, store: { read: () => TriggerState | undefined; write: (s: TriggerState) => void }, shared = false) => {
			const before = JSON.stringify(store.read());
			summary.polls++;
			try {
				return await pollStored(world.feed(kind), store, options_());
			} catch (error) {
				if (!isCrmFailure(error)) throw error;
				summary.failedPolls++;
				if (!shared && JSON.stringify(store.read()) !== before) summary.stateChangedByFailure++;
				return undefined;
			}
		};
		const runPoll = async (kind: EventType) => {
			const result = await attempt(kind, storeOf(kind));
			if (result) record(result);
			return result;
		};
		/** Two runs on the one stored state at once (n8n without durable cursors, a slow poll and the next tick). */
		const overlapping = async (kind: EventType) => {
			summary.overlappingPolls++;
			const results = await Promise.all([attempt(kind, storeOf(kind), true), attempt(kind, storeOf(kind), true)]);
			for (const result of results) if (result) record(result);
		};
		/** Two runs from the same stored state; only one commits its state and execution (durable cursors, lease fencing). */
		const fencedRepeat = async (kind: EventType) => {
			summary.fencedRepeats++;
			const stored = states[kind];
			const run = async () => {
				let staged = stored === undefined ? undefined : (JSON.parse(JSON.stringify(stored)) as TriggerState);
				const result = await attempt(kind, { read: () => staged, write: (s) => void (staged = s) });
				return result ? { result, staged } : undefined;
			};
			const first = await run();
			const second = await run();
			const winners = [first, second].filter((r) => r !== undefined);
			const winner = winners[Math.floor(random() * winners.length)];
			if (!winner) return;
			if (winner.staged !== undefined) states[kind] = winner.staged;
			record(winner.result);
		};
		for (let step = 0; step < steps; step++) {
			const r = random();
			const kind = kinds[Math.floor(random() * 2)];
			if (r < 0.55) mutate();
			else if (options.repeats && r < 0.62) await overlapping(kind);
			else if (options.repeats && r < 0.69) await fencedRepeat(kind);
			else if (r < 0.9) await runPoll(kind);
			else {
				for (const k of kinds) states[k] = JSON.parse(JSON.stringify(states[k]));
				summary.restarts++;
			}
			vendorNow += random() < 0.1 ? 90_000 : 1500;
		}
		draining = true;
		options.faults?.set(undefined);
		vendorNow += lag + 1;
		for (const kind of kinds) {
			for (let i = 0; i < 200; i++) {
				const result = await runPoll(kind);
				if (result && !result.backlog && result.events.length === 0) break;
			}
		}
		world.onRequest(undefined);
		const want = new Map<string, number>();
		for (const key of happened) want.set(key, (want.get(key) ?? 0) + 1);
		const got = new Map<string, number>();
		for (const key of emitted) got.set(key, (got.get(key) ?? 0) + 1);
		const missing = [...want.keys()].filter((k) => !got.has(k));
		const extra = [...got.keys()].filter((k) => !want.has(k) || got.get(k)! > want.get(k)!);
		summary.lost += missing.length;
		for (const [key, count] of got) {
			if (!want.has(key)) summary.unexpected += count;
			else if (count > want.get(key)!) summary.duplicated += count - want.get(key)!;
		}
		if (missing.length || extra.length) summary.problems.push({ seed, missing, extra });
		summary.events += happened.length;
		summary.requests += world.requestCount() - requestsBefore;
	}
	summary.faults = (options.faults?.injected() ?? 0) - faultsBefore;
	return summary;
}

/** An error a poll reports for a CRM call (the transport's), as opposed to a bug in the test. */
function isCrmFailure(error: unknown): boolean {
	return error instanceof Error && error.name === 'CrmApiError';
}
