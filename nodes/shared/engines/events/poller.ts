/**
 * Exactly-once polling over a provider's event feed.
 *
 * Every poll asks for candidates at or after `watermark - safety window`, in the vendor's own
 * clock (so a skew between n8n's clock and the CRM's does not matter), and remembers the keys it
 * handled inside that window. Re-reading the window catches records the vendor indexed late or
 * that were written while the previous poll ran; the remembered keys make the re-read emit
 * nothing twice. Keys older than the window are dropped, so the state stays bounded.
 */
import type { Candidate, CrmEvent, EventFeed, FeedMemory, TriggerState } from '../../contract/events';

export interface PollOptions {
	/** Re-read window behind the watermark: longer than the vendor's search indexing delay. */
	safetyWindowMs: number;
	/** n8n's clock (ms): only for first activation without events and time-based events. */
	nowMs: number;
	/** Most candidates handled in one poll; the rest follow in the next polls. */
	maxCandidates: number;
	/** First activation: also emit the newest N existing events (default 0: start from now). */
	includeLast?: number;
	/** Events the user wants (stage filters); others are handled but not emitted. */
	accept?: (event: CrmEvent) => boolean;
}

export interface PollResult {
	events: CrmEvent[];
	state: TriggerState;
	/** Candidates read from the vendor (for logs and tests). */
	scanned: number;
	/** More candidates are waiting than one poll handles (a backlog being worked off). */
	backlog: boolean;
}

const byTime = (a: { at: number; key: string }, b: { at: number; key: string }) =>
	a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export async function poll(feed: EventFeed, previous: TriggerState | undefined, options: PollOptions): Promise<PollResult> {
	if (!previous || previous.v !== 1) return activate(feed, options);
	const state: TriggerState = { v: 1, watermark: previous.watermark, seen: { ...previous.seen } };
	if (previous.memory) state.memory = JSON.parse(JSON.stringify(previous.memory)) as FeedMemory;
	const since = state.watermark - options.safetyWindowMs;

	const fresh: Candidate[] = [];
	let scanned = 0;
	for await (const page of feed.scan(since, options.nowMs, state.memory)) {
		scanned += page.length;
		for (const candidate of page) if (!(candidate.key in state.seen)) fresh.push(candidate);
	}
	if (fresh.length === 0) return { events: [], state: previous, scanned, backlog: false };

	fresh.sort(byTime);
	const handled = limitToWholeTimestamps(fresh, options.maxCandidates);
	const events = (await feed.expand(handled, since, state.memory)).filter((e) => e.at >= since && !(e.key in state.seen)).sort(byTime);

	for (const candidate of handled) state.seen[candidate.key] = candidate.at;
	for (const event of events) state.seen[event.key] = event.at;
	// Only a fully handled window moves the watermark. A deferred candidate can reveal
	// transitions older than its own time (a record changed twice before it was read), so while a
	// backlog is being worked off, the window stays where it is and the keys say what is done.
	if (handled.length === fresh.length) state.watermark = Math.max(state.watermark, ...handled.map((c) => c.at));
	prune(state, options.safetyWindowMs);
	return { events: events.filter((e) => options.accept?.(e) ?? true), state, scanned, backlog: handled.length < fresh.length };
}

/**
 * First activation starts from "now" in the vendor's clock: the newest existing candidate. All
 * candidates and events inside the safety window before it are marked handled (the newest
 * `includeLast` of them are emitted), so activation never floods the workflow with history.
 */
async function activate(feed: EventFeed, options: PollOptions): Promise<PollResult> {
	let memory: FeedMemory | undefined;
	if (feed.activate) {
		memory = {};
		await feed.activate(memory, options.nowMs);
	}
	const [newest] = await feed.latest(1, options.nowMs, memory);
	if (!newest) {
		// An empty CRM: everything that appears from now on is new.
		return { events: [], state: { v: 1, watermark: 0, seen: {}, ...(memory ? { memory } : {}) }, scanned: 0, backlog: false };
	}
	const state: TriggerState = { v: 1, watermark: newest.at, seen: {}, ...(memory ? { memory } : {}) };
	const since = newest.at - options.safetyWindowMs;
	const window: Candidate[] = [];
	for await (const page of feed.scan(since, options.nowMs, memory)) window.push(...page);
	const events = window.length ? (await feed.expand(window, since, memory)).sort(byTime) : [];
	for (const candidate of window) state.seen[candidate.key] = candidate.at;
	for (const event of events) state.seen[event.key] = event.at;
	state.watermark = Math.max(newest.at, ...window.map((c) => c.at));
	prune(state, options.safetyWindowMs);

	let replay: CrmEvent[] = [];
	const includeLast = options.includeLast ?? 0;
	if (includeLast > 0) {
		const accepted = (await recentEvents(feed, includeLast, options)).filter((e) => options.accept?.(e) ?? true);
		replay = accepted.slice(-includeLast);
	}
	return { events: replay, state, scanned: window.length, backlog: false };
}

/** The newest events, oldest first, without touching any state (Fetch Test Event, replay). */
export async function recentEvents(feed: EventFeed, limit: number, options: Pick<PollOptions, 'nowMs' | 'accept'>): Promise<CrmEvent[]> {
	const candidates = await feed.latest(Math.max(limit, 1) * 5, options.nowMs);
	if (candidates.length === 0) return [];
	const events = (await feed.expand(candidates, 0)).filter((e) => options.accept?.(e) ?? true).sort(byTime);
	return events.slice(-limit);
}

/** Where a trigger keeps its state between polls (in n8n: the node's static data). */
export interface StateStore {
	read(): TriggerState | undefined;
	write(state: TriggerState): void;
}

/**
 * One poll as the trigger node runs it: read the stored state, poll, store the new state.
 *
 * n8n may run a poll twice with the same stored state (its poll scheduler is at-least-once since
 * 2.36). Two cases, and what keeps the trigger exactly-once in each:
 * - n8n 2.x with durable poll cursors stages the static data with the emitted execution and
 *   commits both together, fenced by the poll's lease: of two runs from the same state, only one
 *   execution is ever created. The repeat must then emit what the first would have (nothing is
 *   lost when the first is the one dropped): `poll` depends on nothing but the stored state and
 *   the CRM, and never changes the state it was given.
 * - Without them, overlapping polls in one n8n process share the static data object: a poll that
 *   finishes after another one stored a newer state drops what that one already handled (its
 *   keys, and everything behind its window) and merges the two states, so the overlap emits each
 *   event once. The check and the write happen without an await between them.
 * Not covered (n8n's side): n8n starting an execution and then losing the static data saved with
 * it (a crash between the two without durable cursors) repeats that execution's events.
 */
export async function pollStored(feed: EventFeed, store: StateStore, options: PollOptions): Promise<PollResult> {
	const started = store.read();
	const result = await poll(feed, started, options);
	const current = store.read();
	if (current === started || current === undefined) {
		if (result.state !== started) store.write(result.state);
		return result;
	}
	const merged = reconcile(current, result, options.safetyWindowMs);
	store.write(merged.state);
	return merged;
}

/**
 * A poll's result against a state another poll stored while it ran: only events that one did not
 * handle remain, and the state holds what either handled.
 */
export function reconcile(stored: TriggerState, result: PollResult, safetyWindowMs: number): PollResult {
	const horizon = stored.watermark - safetyWindowMs;
	const events = result.events.filter((e) => !(e.key in stored.seen) && e.at >= horizon);
	const state: TriggerState = {
		v: 1,
		watermark: Math.max(stored.watermark, result.state.watermark),
		seen: { ...result.state.seen, ...stored.seen },
	};
	const memory = result.state.memory ?? stored.memory;
	if (memory) state.memory = memory;
	prune(state, safetyWindowMs);
	return { ...result, events, state };
}

/** Takes up to `max` candidates, but never splits a timestamp (the window restarts at it). */
function limitToWholeTimestamps(sorted: Candidate[], max: number): Candidate[] {
	if (sorted.length <= max) return sorted;
	let end = max;
	while (end < sorted.length && sorted[end].at === sorted[end - 1].at) end++;
	return sorted.slice(0, end);
}

function prune(state: TriggerState, safetyWindowMs: number): void {
	const horizon = state.watermark - safetyWindowMs;
	for (const [key, at] of Object.entries(state.seen)) if (at < horizon) delete state.seen[key];
}

/** What a poll finds where its state should be. */
export type StateCheck = { state: TriggerState; problem?: undefined } | { state?: undefined; problem?: string };

/**
 * Checks the stored state before it is trusted. Missing state is normal on a first activation,
 * but not when n8n restarts a workflow that was already active (`resumed`): then the position was
 * lost (e.g. the workflow's static data was overwritten), or the trigger never emitted before the
 * stop (n8n saves static data only with an emitted execution). Either way events from while n8n was
 * down may be missed, and the user must hear it.
 */
export function checkState(raw: unknown, resumed: boolean): StateCheck {
	if (raw === undefined || raw === null) {
		return resumed
			? { problem: 'has no saved position although its workflow was already active when n8n started' }
			: {};
	}
	const state = raw as Partial<TriggerState>;
	const seenOk =
		typeof state.seen === 'object' &&
		state.seen !== null &&
		Object.values(state.seen).every((at) => typeof at === 'number' && Number.isFinite(at));
	if (state.v !== 1 || typeof state.watermark !== 'number' || !Number.isFinite(state.watermark) || !seenOk) {
		return { problem: `found its saved position damaged (${JSON.stringify(raw).slice(0, 120)})` };
	}
	return { state: state as TriggerState };
}
