// The trigger's exactly-once guarantee over HTTP against a provider's local sandbox: a randomized
// run of deal creations and stage moves, some while a poll pages, with the vendor's read lag,
// n8n restarts (state through JSON) and a skewed n8n clock. Each provider's test supplies a world.
import { poll } from '../../nodes/shared/engines/events/poller';
import type { EventFeed, EventType, TriggerState } from '../../nodes/shared/engines/events/types';
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
}

export interface SimulationSummary {
	seeds: number;
	steps: number;
	polls: number;
	restarts: number;
	events: number;
	writesDuringPolls: number;
	requests: number;
}

export async function runFeedSimulation(world: SimulationWorld, seeds: number, steps: number, start = Date.parse('2026-11-20T09:00:00Z')): Promise<SimulationSummary> {
	const summary: SimulationSummary = { seeds, steps, polls: 0, restarts: 0, events: 0, writesDuringPolls: 0, requests: 0 };
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
			vendorNow = Math.max(vendorNow, truncate(lastMove.get(id)!) + world.resolutionMs);
			world.moveDeal(id, to);
			lastMove.set(id, vendorNow);
			if (recording) happened.push(`moved:${id}|${to}|${truncate(vendorNow)}`);
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
			const first = await poll(world.feed(kind), undefined, options());
			expect(first.events).toEqual([]);
			states[kind] = first.state;
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
		const runPoll = async (kind: EventType) => {
			const result = await poll(world.feed(kind), states[kind], options());
			states[kind] = result.state;
			for (const e of result.events) {
				emitted.push(e.type === 'dealCreated' ? `created:${e.record.id}` : `moved:${e.record.id}|${e.stage!.id}|${e.at}`);
			}
			summary.polls++;
			return result;
		};
		for (let step = 0; step < steps; step++) {
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
		world.onRequest(undefined);
		const got = [...emitted].sort();
		const want = [...happened].sort();
		expect({ seed, missing: want.filter((k) => !got.includes(k)), extra: got.filter((k, i) => !want.includes(k) || got[i - 1] === k) }).toEqual({
			seed,
			missing: [],
			extra: [],
		});
		summary.events += want.length;
		summary.requests += world.requestCount() - requestsBefore;
	}
	return summary;
}
