/**
 * A record's stream as the history of its stage/status (https://docs.espocrm.com/development/api/stream/:
 * `GET {entityType}/{id}/stream` with `offset`/`maxSize`, newest first).
 *
 * Notes EspoCRM writes (confirmed on EspoCRM 9.1.7; source application/Espo/Tools/Stream/Service.php,
 * HookProcessor.php; the docs do not describe the note data):
 * - `Create`: `data.statusField` / `data.statusValue` (the status the record was created with);
 * - `Status` for every change of the entity's status field (`scopes.{Entity}.statusField`:
 *   Opportunity.stage, Case.status, Lead.status, Task.status), mass updates included:
 *   `data: {field, value, style}`, the NEW value only; the status field never appears in an
 *   `Update` note (those are for the other audited fields);
 * - `EmailSent` when an email linked to the record was sent, `Post` for posts.
 * So a move's "from" is the value before it: the previous Status note's value, else the Create
 * note's. Reads that start at a time therefore also read back to that anchor note.
 */
import type { CloseDateEntry, StageEntry } from '../../model/types';
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
	parentType?: string | null;
	parentId?: string | null;
	data?: {
		/** Status notes: the status field, its new value and the label style. */
		field?: string;
		value?: unknown;
		style?: string;
		/** Create notes: the status the record was created with. */
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
/** Oldest first: by `number` (the note table's auto-increment, confirmed on EspoCRM 9.1.7: it orders notes written in one second too), else by time. */
const ascending = (a: EspoNote, b: EspoNote) =>
	(typeof a.number === 'number' && typeof b.number === 'number' ? a.number - b.number : 0) || at(a) - at(b) || (a.id < b.id ? -1 : 1);

/** A note that fixes the value of `field` at its time: a Status note of the field, or the Create note. */
export function isAnchor(note: EspoNote, field: string): boolean {
	return (note.type === 'Status' && note.data?.field === field) || note.type === 'Create';
}

export class EspoStream {
	constructor(private readonly client: EspoClient) {}

	/**
	 * The record's notes from `sinceMs` on (all when 0; at most `limit`, the newest), oldest
	 * first. With `anchorField`, reading goes on past `sinceMs` until the last note that fixes
	 * that field's value before it (so the first move in the window has its "from"); that note
	 * and the ones between are returned too.
	 */
	async notes(entityType: string, id: string, sinceMs = 0, limit = MAX_NOTES, anchorField?: string): Promise<EspoNote[]> {
		const byId = new Map<string, EspoNote>();
		let anchored = false;
		for (let offset = 0; offset < limit; offset += NOTE_PAGE) {
			const size = Math.min(NOTE_PAGE, limit - offset);
			const page = await this.client.stream(entityType, id, offset, size);
			const notes = page.list as EspoNote[];
			// A note written while paging shifts the pages: it is read twice, never skipped.
			for (const note of notes) {
				byId.set(String(note.id), note);
				if (anchorField && at(note) < sinceMs && isAnchor(note, anchorField)) anchored = true;
			}
			const oldest = notes.length ? at(notes[notes.length - 1]) : Number.NaN;
			if (notes.length < size) break;
			if (sinceMs > 0 && oldest < sinceMs && (!anchorField || anchored)) break;
			if (page.total >= 0 && offset + size >= page.total) break;
		}
		const all = [...byId.values()].sort(ascending);
		if (sinceMs <= 0) return all;
		let from = all.findIndex((n) => at(n) >= sinceMs);
		if (from < 0) from = all.length;
		if (anchorField) {
			for (let i = from - 1; i >= 0; i--) {
				if (isAnchor(all[i], anchorField)) {
					from = i;
					break;
				}
			}
		}
		return all.slice(from);
	}
}

const value = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));

/**
 * Every recorded change of `field`, oldest first, from Status notes; "from" is the value the
 * previous Status note (or the Create note) set, undefined when the notes given do not reach back
 * to one. A Status note repeating the known value is no move.
 */
export function transitions(notes: EspoNote[], field: string): Transition[] {
	const out: Transition[] = [];
	let current: string | undefined;
	for (const note of [...notes].sort(ascending)) {
		if (note.type === 'Create') {
			if (note.data?.statusField === field) current = value(note.data.statusValue);
			continue;
		}
		if (note.type !== 'Status' || note.data?.field !== field) continue;
		const to = value(note.data.value);
		const time = at(note);
		if (to === undefined || to === current || !Number.isFinite(time)) continue;
		out.push({ noteId: String(note.id), at: time, from: current, to, ...(note.createdById ? { byUserId: String(note.createdById) } : {}) });
		current = to;
	}
	return out;
}

/** The value the record was created with: the Create note's status, else the first move's "from", else the current value. */
export function initialValue(notes: EspoNote[], field: string, current: unknown): string | undefined {
	const created = notes.find((n) => n.type === 'Create' && n.data?.statusField === field);
	if (created && value(created.data?.statusValue)) return value(created.data?.statusValue);
	const moves = transitions(notes, field);
	return moves.length ? moves[0].from : value(current);
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

/**
 * Every close date an opportunity had, oldest first, from the `Update` notes EspoCRM writes for
 * audited fields (`data.fields`, `data.attributes.was` / `became`; closeDate is audited on
 * Opportunity by default). The value before the first change counts from the record's creation.
 */
export function closeDateHistory(record: EspoRecord, notes: EspoNote[]): CloseDateEntry[] {
	const changes = notes
		.filter((n) => n.type === 'Update' && Array.isArray((n.data as UpdateData | null)?.fields) && (n.data as UpdateData).fields!.includes('closeDate'))
		.sort(ascending);
	const createdAt = toMs(record.createdAt);
	const first = changes.length ? value((changes[0].data as UpdateData).attributes?.was?.closeDate) : value(record.closeDate);
	const history: CloseDateEntry[] = first && Number.isFinite(createdAt) ? [{ closeDate: first, changedAt: createdAt }] : [];
	for (const note of changes) {
		const became = value((note.data as UpdateData).attributes?.became?.closeDate);
		if (became && Number.isFinite(at(note))) history.push({ closeDate: became, changedAt: at(note) });
	}
	return history;
}

interface UpdateData {
	fields?: string[];
	attributes?: { was?: Record<string, unknown>; became?: Record<string, unknown> };
}

/** Stream notes that are a person's activity on the record: posts, emails, and calls, meetings or tasks created for it. */
const ACTIVITY_NOTES = new Set(['Post', 'EmailSent', 'EmailReceived', 'CreateRelated']);

/** When the last activity was logged on the record (EspoCRM keeps no such field: read from its stream). */
export function lastActivityAt(notes: EspoNote[]): string | undefined {
	let last = Number.NEGATIVE_INFINITY;
	for (const note of notes) if (note.type && ACTIVITY_NOTES.has(note.type)) last = Math.max(last, at(note));
	return Number.isFinite(last) ? new Date(last).toISOString() : undefined;
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
