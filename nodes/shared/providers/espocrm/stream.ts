/**
 * A record's stream as the history of its stage/status (https://docs.espocrm.com/development/api/stream/:
 * `GET {entityType}/{id}/stream` with `offset`/`maxSize`, newest first).
 *
 * Notes EspoCRM writes (9.x source, application/Espo/Tools/Stream/Service.php; the docs do not
 * describe the note data):
 * - `Create`: `data.statusField` / `data.statusValue` (the status the record was created with);
 * - `Update` for audited fields ("Audited" in the Entity Manager; Opportunity.stage, Case.status,
 *   Lead.status, Task.status are audited by default): `data.fields` and
 *   `data.attributes.was` / `data.attributes.became`, plus `data.value` when the status field changed;
 * - `EmailSent` when an email linked to the record was sent, `Post` for posts.
 */
import type { StageEntry } from '../../model/types';
import type { EspoClient, EspoRecord } from './client';
import { toMs } from './mapping';

export interface EspoNote {
	id: string;
	type?: string;
	number?: number;
	createdAt?: string;
	createdById?: string | null;
	post?: string | null;
	isInternal?: boolean;
	data?: {
		fields?: string[];
		attributes?: { was?: Record<string, unknown>; became?: Record<string, unknown> };
		value?: unknown;
		statusField?: string;
		statusValue?: unknown;
	} | null;
	[key: string]: unknown;
}

export interface Transition {
	noteId: string;
	at: number;
	from?: string;
	to: string;
	byUserId?: string;
}

const NOTE_PAGE = 200;
/** Most notes read for one record (a record with a longer history keeps its newest 5,000). */
const MAX_NOTES = 5000;

const at = (note: EspoNote) => toMs(note.createdAt);
const ascending = (a: EspoNote, b: EspoNote) => at(a) - at(b) || Number(a.number ?? 0) - Number(b.number ?? 0) || (a.id < b.id ? -1 : 1);

export class EspoStream {
	constructor(private readonly client: EspoClient) {}

	/** The record's notes from `sinceMs` on (all when 0; at most `limit`, the newest), oldest first. */
	async notes(entityType: string, id: string, sinceMs = 0, limit = MAX_NOTES): Promise<EspoNote[]> {
		const byId = new Map<string, EspoNote>();
		for (let offset = 0; offset < limit; offset += NOTE_PAGE) {
			const size = Math.min(NOTE_PAGE, limit - offset);
			const page = await this.client.stream(entityType, id, offset, size);
			const notes = page.list as EspoNote[];
			// A note written while paging shifts the pages: it is read twice, never skipped.
			for (const note of notes) byId.set(String(note.id), note);
			const oldest = notes.length ? at(notes[notes.length - 1]) : Number.NaN;
			if (notes.length < size || (sinceMs > 0 && oldest < sinceMs)) break;
			if (page.total >= 0 && offset + size >= page.total) break;
		}
		return [...byId.values()].filter((n) => sinceMs <= 0 || at(n) >= sinceMs).sort(ascending);
	}
}

const value = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));

/** Every recorded change of `field`, oldest first. */
export function transitions(notes: EspoNote[], field: string): Transition[] {
	const out: Transition[] = [];
	for (const note of [...notes].sort(ascending)) {
		if (note.type !== 'Update' || !note.data) continue;
		const became = note.data.attributes?.became ?? {};
		const was = note.data.attributes?.was ?? {};
		let to: string | undefined;
		let from: string | undefined;
		if (Object.prototype.hasOwnProperty.call(became, field)) {
			to = value(became[field]);
			from = value(was[field]);
		} else if (note.data.value !== undefined && note.data.value !== null) {
			// The status field changed but is not audited: only the new value is recorded.
			to = value(note.data.value);
			from = out.length ? out[out.length - 1].to : undefined;
		}
		if (to === undefined || to === from) continue;
		const time = at(note);
		if (!Number.isFinite(time)) continue;
		out.push({ noteId: String(note.id), at: time, from, to, ...(note.createdById ? { byUserId: String(note.createdById) } : {}) });
	}
	return out;
}

/** The value the record was created with: the Create note's status, else the first change's "was". */
export function initialValue(notes: EspoNote[], field: string, current: unknown): string | undefined {
	const created = notes.find((n) => n.type === 'Create' && n.data?.statusField === field);
	if (created && value(created.data?.statusValue)) return value(created.data?.statusValue);
	const first = transitions(notes, field)[0];
	return first ? first.from : value(current);
}

/** When the record entered each value of `field` (its creation counts as entering the first). */
export function stageHistory(record: EspoRecord, notes: EspoNote[], field: string): StageEntry[] {
	const history: StageEntry[] = [];
	const initial = initialValue(notes, field, record[field]);
	const createdAt = toMs(record.createdAt);
	if (initial && Number.isFinite(createdAt)) history.push({ stageId: initial, enteredAt: createdAt });
	for (const t of transitions(notes, field)) history.push({ stageId: t.to, enteredAt: t.at });
	return history;
}

export interface TicketTimes {
	firstResponseAt?: string;
	closedAt?: string;
	/** How many times the case left a closed status again. */
	reopened: number;
}

/**
 * Case timestamps for SLA reports, from its stream: closed = the last move into a closed status
 * (when it is closed now); first response = the first email sent from the case, or the first
 * post by a CRM user (not a portal user, not an internal note). EspoCRM has no "first response"
 * field: this reading of the stream is ours (documented in the README).
 */
export function ticketTimes(
	record: EspoRecord,
	notes: EspoNote[],
	closedStatuses: ReadonlySet<string>,
	isAgent: (userId: string) => boolean,
): TicketTimes {
	const moves = transitions(notes, 'status');
	let reopened = 0;
	for (const move of moves) if (move.from && closedStatuses.has(move.from) && !closedStatuses.has(move.to)) reopened++;
	let closedAt: number | undefined;
	if (closedStatuses.has(String(record.status))) {
		const last = [...moves].reverse().find((m) => closedStatuses.has(m.to));
		const createdClosed = !last && closedStatuses.has(String(initialValue(notes, 'status', record.status)));
		closedAt = last?.at ?? (createdClosed ? toMs(record.createdAt) : toMs(record.modifiedAt));
	}
	const response = [...notes]
		.sort(ascending)
		.find(
			(n) =>
				n.type === 'EmailSent' ||
				(n.type === 'Post' && n.isInternal !== true && !!n.createdById && isAgent(String(n.createdById))),
		);
	const iso = (ms: number | undefined) => (ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
	return {
		firstResponseAt: iso(response ? at(response) : undefined),
		closedAt: iso(closedAt),
		reopened,
	};
}
