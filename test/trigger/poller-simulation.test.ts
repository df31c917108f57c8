/* eslint-disable */
// Randomized simulation of the trigger's exactly-once engine (engines/events/poller.ts) over an
// in-memory CRM: records are created and moved through stages at random times, also while a
// poll is paging; search shows writes late (indexing lag); the trigger polls at random
// intervals with a skewed clock and is "restarted" (state serialized and restored) at random
// points; small per-poll caps force backlogs over several polls. The assertion: the multiset of
// emitted events equals the multiset of events that happened after activation.
import { seededRandom } from '../helpers/random';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { keysetScan } from '../../nodes/shared/providers/keyset';
import { poll } from '../../nodes/shared/engines/events/poller';
import type { Candidate, CrmEvent, EventFeed, TriggerState } from '../../nodes/shared/contract/events';


interface Rec {
	id: string;
	createdAt: number;
	modifiedAt: number;
	history: Array<{ value: string; at: number }>;
}

const STAGES = ['a', 'b', 'c', 'd', 'e'];
const PAGE = 7;

/** An in-memory CRM with HubSpot-like search semantics (lag, ascending time order, pages). */
class World {
	now = 1_700_000_000_000;
	records: Rec[] = [];
	happened: string[] = [];
	recording = false;
	duringScan?: () => void;
	constructor(
		readonly random: () => number,
		readonly lagMs: number,
	) {}

	tick(max: number) {
		// Sometimes 0: several writes share one timestamp.
		this.now += this.random() < 0.2 ? 0 : Math.floor(this.random() * max);
	}

	create() {
		const id = String(this.records.length + 1);
		const rec: Rec = { id, createdAt: this.now, modifiedAt: this.now, history: [{ value: 'a', at: this.now }] };
		this.records.push(rec);
		if (this.recording) this.happened.push(`created:${id}`);
	}

	move() {
		if (!this.records.length) return;
		const rec = this.records[Math.floor(this.random() * this.records.length)];
		const last = rec.history[rec.history.length - 1];
		// One record's history has distinct times (HubSpot timestamps each value).
		if (this.now <= last.at) this.now = last.at + 1;
		const choices = STAGES.filter((s) => s !== last.value);
		const to = choices[Math.floor(this.random() * choices.length)];
		rec.history.push({ value: to, at: this.now });
		rec.modifiedAt = this.now;
		if (this.recording) this.happened.push(`moved:${rec.id}|${this.now}|${to}`);
	}

	mutate() {
		if (this.random() < 0.5) this.create();
		else this.move();
		this.tick(50);
	}

	/**
	 * What search shows of a record: the version indexed `lagMs` ago (undefined: not indexed yet).
	 * Batch reads (expand) see the current record.
	 */
	indexed(r: Rec): Rec | undefined {
		const horizon = this.now - this.lagMs;
		if (r.createdAt > horizon) return undefined;
		const history = r.history.filter((h) => h.at <= horizon);
		return { ...r, modifiedAt: history[history.length - 1].at, history };
	}

	feed(kind: 'created' | 'moved'): EventFeed {
		const world = this;
		const candidateOf = (r: Rec): Candidate =>
			kind === 'created'
				? { key: r.id, at: r.createdAt, id: r.id, raw: r }
				: { key: `${r.id}@${r.modifiedAt}`, at: r.modifiedAt, id: r.id, raw: r };
		const timeOf = (r: Rec) => (kind === 'created' ? r.createdAt : r.modifiedAt);
		const query = (since: number) =>
			world.records
				.map((r) => world.indexed(r))
				.filter((r): r is Rec => r !== undefined && timeOf(r) >= since)
				.sort((x, y) => timeOf(x) - timeOf(y) || Number(x.id) - Number(y.id));
		return {
			async *scan(since) {
				// Each page is a fresh query over the live data (writes land between pages).
				let pages = 0;
				const pagesOf = keysetScan(
					async (q) => {
						if (pages++ > 0) world.duringScan?.();
						const matching = query(0).filter((r) =>
							q.mode === 'gte' ? timeOf(r) >= q.from : q.mode === 'gt' ? timeOf(r) > q.from : timeOf(r) === q.from,
						);
						return matching.slice(q.offset, q.offset + q.limit).map(candidateOf);
					},
					(c) => c.at,
					(c) => c.key,
					since,
					PAGE,
				);
				yield* pagesOf;
			},
			async latest(limit) {
				return query(0).reverse().slice(0, limit).map(candidateOf);
			},
			async expand(candidates, since) {
				const events: CrmEvent[] = [];
				for (const c of candidates) {
					const rec = world.records.find((r) => r.id === c.id)!;
					if (kind === 'created') {
						events.push({ type: 'dealCreated', key: `created:${rec.id}`, at: rec.createdAt, record: { id: rec.id } as never });
						continue;
					}
					// Like a batch read with propertiesWithHistory: the full, current history.
					for (let i = 1; i < rec.history.length; i++) {
						const h = rec.history[i];
						if (h.at < since) continue;
						events.push({
							type: 'dealStageChanged',
							key: `moved:${rec.id}|${h.at}|${h.value}`,
							at: h.at,
							record: { id: rec.id } as never,
							stage: { id: h.value },
							previous: { id: rec.history[i - 1].value },
						});
					}
				}
				return events;
			},
		};
	}
}

const SEEDS = 40;
const STEPS = 1500;

test(`exactly once: ${SEEDS} seeds × ${STEPS} steps, lag, skew, restarts, writes during polls, backlogs`, async () => {
	const summary = { seeds: SEEDS, stepsPerSeed: STEPS, polls: 0, restarts: 0, events: 0, writesDuringPolls: 0 };
	for (let seed = 1; seed <= SEEDS; seed++) {
		const random = seededRandom(seed);
		const world = new World(random, Math.floor(random() * 30_000));
		const safetyWindowMs = 60_000;
		const skewMs = Math.floor((random() - 0.5) * 10 * 60_000); // n8n's clock ±5 min off
		const kinds = ['created', 'moved'] as const;
		const states: Record<string, TriggerState | undefined> = {};
		const emitted: Record<string, string[]> = { created: [], moved: [] };

		for (let i = 0; i < 30; i++) world.mutate(); // history before activation
		world.now += 60_000; // quiet period: everything before activation is visible
		for (const kind of kinds) {
			const first = await poll(world.feed(kind), undefined, { safetyWindowMs, nowMs: world.now + skewMs, maxCandidates: 10 });
			expect(first.events).toEqual([]); // first activation starts from now
			states[kind] = first.state;
		}
		world.recording = true;

		let draining = false;
		const runPoll = async (kind: (typeof kinds)[number]) => {
			world.duringScan = () => {
				if (!draining && random() < 0.3) {
					world.mutate();
					summary.writesDuringPolls++;
				}
			};
			const result = await poll(world.feed(kind), states[kind], {
				safetyWindowMs,
				nowMs: world.now + skewMs,
				maxCandidates: 5 + Math.floor(random() * 50),
			});
			world.duringScan = undefined;
			states[kind] = result.state;
			emitted[kind].push(...result.events.map((e) => e.key));
			summary.polls++;
			return result;
		};

		for (let step = 0; step < STEPS; step++) {
			const r = random();
			if (r < 0.55) world.mutate();
			else if (r < 0.9) await runPoll(kinds[Math.floor(random() * 2)]);
			else {
				// Restart: n8n reloads static data from the database.
				for (const kind of kinds) states[kind] = JSON.parse(JSON.stringify(states[kind]));
				summary.restarts++;
			}
			world.tick(random() < 0.1 ? 120_000 : 2_000);
		}
		// Drain: no more writes; let every write become visible, then poll until nothing is left.
		draining = true;
		world.now += world.lagMs + 1;
		for (const kind of kinds) {
			for (let i = 0; i < 1000; i++) {
				const result = await runPoll(kind);
				if (!result.backlog && result.events.length === 0) break;
			}
		}

		const all = [...emitted.created, ...emitted.moved].sort();
		const expected = [...world.happened].sort();
		expect({ seed, missing: expected.filter((k) => !all.includes(k)), duplicates: all.filter((k, i) => all[i - 1] === k) }).toEqual({
			seed,
			missing: [],
			duplicates: [],
		});
		expect(all).toEqual(expected);
		// State stays bounded by the safety window, not by the history.
		for (const kind of kinds) expect(Object.keys(states[kind]!.seen).length).toBeLessThan(world.records.length + 50);
		summary.events += expected.length;
	}
	fs.mkdirSync('test-output', { recursive: true });
	fs.writeFileSync(path.join('test-output', 'trigger-simulation.json'), JSON.stringify(summary, null, 2));
	expect(summary.events).toBeGreaterThan(SEEDS * 100);
});
