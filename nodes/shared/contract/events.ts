import type { CrmRecord } from '../model/types';

export type EventType =
	| 'newLead'
	| 'newContact'
	| 'ticketOpened'
	| 'ticketStatusChanged'
	| 'dealCreated'
	| 'dealStageChanged'
	| 'dealWonLost'
	| 'taskCompleted'
	| 'taskOverdue';

/** Every event type, in the order the editor lists them by meaning. */
export const ALL_EVENT_TYPES: readonly EventType[] = [
	'newLead',
	'newContact',
	'ticketOpened',
	'ticketStatusChanged',
	'dealCreated',
	'dealStageChanged',
	'dealWonLost',
	'taskCompleted',
	'taskOverdue',
];

export interface StageRef {
	id: string;
	name?: string;
	closed?: 'open' | 'won' | 'lost' | 'closed';
}

/** What the trigger emits: one normalized event per thing that happened in the CRM. */
export interface CrmEvent {
	type: EventType;
	/** Unique per occurrence (e.g. record id + transition time + stage): the dedupe key. */
	key: string;
	/** When it happened, in the vendor's clock (ms). */
	at: number;
	record: CrmRecord;
	/** For changes: the stage/status entered, and the one left. */
	stage?: StageRef;
	previous?: StageRef;
	pipeline?: { id: string; name?: string };
	/**
	 * Who made the change, where the CRM reports it: `package` when it came through the API as the
	 * credential's own user (most likely a write of this package), `other` otherwise. Absent when
	 * the CRM does not say. The triggers' loop guard option skips `package` events.
	 */
	origin?: 'package' | 'other';
}

/**
 * A cheap marker that something may have happened to a record: found by one search, with a key
 * that changes whenever the record does (creation: the id; changes: id + modification time).
 */
export interface Candidate {
	key: string;
	/** Vendor time (ms) the candidate is ordered and windowed by. */
	at: number;
	id: string;
	raw: unknown;
}

/**
 * A provider's source of one event type. `scan` must return every candidate with `at >=
 * sinceMs` in ascending order (handling the vendor's result caps); `expand` turns new candidates
 * into events (reading history where the vendor keeps it); `latest` gives the newest candidates.
 */
export interface EventFeed {
	scan(sinceMs: number, nowMs: number, memory?: FeedMemory): AsyncGenerator<Candidate[]>;
	expand(candidates: Candidate[], sinceMs: number, memory?: FeedMemory): Promise<CrmEvent[]>;
	latest(limit: number, nowMs: number, memory?: FeedMemory): Promise<Candidate[]>;
	/**
	 * First activation, for feeds that remember what they saw (see FeedMemory): fill the memory
	 * before the first scan. Feeds without it keep no memory.
	 */
	activate?(memory: FeedMemory, nowMs: number): Promise<void>;
}

/**
 * What a feed keeps between polls beyond the poller's own keys, as JSON in the trigger state:
 * e.g. each record's last seen status, where the CRM keeps no history of it. The feed bounds it.
 * Without memory (Fetch Test Event) a feed still answers, with less detail.
 */
export type FeedMemory = Record<string, unknown>;

/** Trigger state, kept in the node's static data (JSON): bounded by the safety window. */
export interface TriggerState {
	v: 1;
	/** Highest candidate time processed (vendor clock, ms). */
	watermark: number;
	/** Keys handled within the safety window → their time (ms); older keys are dropped. */
	seen: Record<string, number>;
	/** The feed's own memory, for feeds that keep one. */
	memory?: FeedMemory;
}

/**
 * Instant (webhook) delivery, for CRMs that register webhooks by API (Pipedrive, Zoho CRM,
 * EspoCRM). A provider that has it declares the event types in `capabilities.instantEvents` and
 * returns a source from `instantEvents(type)`. The webhook trigger node registers on activation
 * (`register`), removes on deactivation (`unregister`), answers 401 and starts nothing when
 * `verify` fails, and emits `toEvents` (a delivery may carry several records) through the same
 * dedupe keys as polling.
 */
export interface InstantEventSource {
	/** `expiresAt` (ms): when the CRM drops the registration unless it is renewed (Zoho's channels). */
	register(targetUrl: string): Promise<{ id: string; secret?: string; expiresAt?: number }>;
	/**
	 * For registrations that expire: pushes the expiry out again. The webhook trigger renews on
	 * activation and on deliveries (an n8n webhook node has no timer of its own).
	 */
	renew?(registration: { id: string; secret?: string }): Promise<{ expiresAt: number }>;
	unregister(registration: { id: string }): Promise<void>;
	/**
	 * Whether the CRM still has the registration (for CRMs that delete failing webhooks): the
	 * trigger registers again when it is gone. Without it, a stored registration counts as there.
	 */
	exists?(registration: { id: string }): Promise<boolean>;
	verify(
		request: { method: string; url: string; headers: Record<string, string | undefined>; rawBody: Buffer },
		registration: { id: string; secret?: string },
	): boolean;
	toEvents(body: unknown): Promise<CrmEvent[]>;
}
