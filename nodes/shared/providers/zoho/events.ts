/**
 * Zoho CRM event feeds for the CRM Trigger (polling), all scanned with COQL ordered by a time
 * field and keyset-paged on it (../keyset.ts), so a record changed mid-scan is never skipped:
 * - creations: `Created_Time` (Leads, Contacts, Deals, Cases);
 * - deal stage moves: deals whose `Modified_Time` moved, expanded through the deal's
 *   `Stage_History` related list (Zoho's stage tracker on Deals: one row per stage entered, with
 *   the stage and when; it keeps every move, so A → B → C between two polls gives both);
 * - case status changes: Zoho keeps no history of Cases' Status we can read by API, so the feed
 *   remembers each case's last seen status (filled on activation) and emits when it differs;
 * - completed tasks: `Closed_Time` of tasks with Status "Completed";
 * - overdue tasks: `Due_Date` (a date) passed, not completed.
 * Zoho times have whole seconds; records sharing a second are paged by offset within it.
 * `origin` is `package` when the record was last changed (created, for creations) by the
 * credential's own Zoho user, which is what our writes do; `other` otherwise.
 */
import type { CrmRecord, Pipeline, ResourceType, StageEntry } from '../../model/types';
import type { Candidate, CrmEvent, EventFeed, EventType, FeedMemory, StageRef } from '../../contract/events';
import { ALL_EVENT_TYPES } from '../../contract/events';
import { CrmApiError } from '../../transport/errors';
import { keysetScan } from '../keyset';
import type { TimeQuery } from '../keyset';
import type { ZohoClient } from './client';
import { COQL_MAX_OFFSET } from './client';
import { coqlString } from './coql';
import { fieldsFor, lookupId, MODULE_OF, timeMs, ZOHO, zohoDateTime } from './mapping';
import type { ZohoRecord } from './mapping';

/** Rows per COQL page in scans (a COQL call returns at most 2,000; 200 costs 1 credit). */
export const FEED_PAGE_SIZE = 200;
const DAY = 86_400_000;
/** Cases whose status the memory keeps at most. */
const MAX_REMEMBERED_CASES = 50_000;

type Spec =
	| { kind: 'created'; resource: ResourceType }
	| { kind: 'stage' }
	| { kind: 'caseStatus' }
	| { kind: 'completed' }
	| { kind: 'overdue' };

function specFor(type: EventType): Spec {
	switch (type) {
		case 'newLead':
			return { kind: 'created', resource: 'lead' };
		case 'newContact':
			return { kind: 'created', resource: 'contact' };
		case 'dealCreated':
			return { kind: 'created', resource: 'deal' };
		case 'ticketOpened':
			return { kind: 'created', resource: 'ticket' };
		case 'dealStageChanged':
		case 'dealWonLost':
			return { kind: 'stage' };
		case 'ticketStatusChanged':
			return { kind: 'caseStatus' };
		case 'taskCompleted':
			return { kind: 'completed' };
		case 'taskOverdue':
			return { kind: 'overdue' };
	}
}

export const ZOHO_EVENTS: readonly EventType[] = ALL_EVENT_TYPES;

export interface FeedDependencies {
	client: ZohoClient;
	pipelines(resource: ResourceType): Promise<Pipeline[]>;
	toRecords(resource: ResourceType, raws: ZohoRecord[]): Promise<CrmRecord[]>;
	/** The credential's own Zoho user id (undefined when it cannot be read). */
	currentUserId(): Promise<string | undefined>;
}

interface TimeField {
	api: string;
	/** A date field: an event happens when the day is over (UTC). */
	date?: boolean;
}

export class ZohoEventFeed implements EventFeed {
	private readonly spec: Spec;
	private readonly resource: ResourceType;
	private readonly module: string;
	private readonly time: TimeField;

	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {
		this.spec = specFor(type);
		this.resource = this.spec.kind === 'created' ? this.spec.resource : this.spec.kind === 'stage' ? 'deal' : this.spec.kind === 'caseStatus' ? 'ticket' : 'task';
		this.module = MODULE_OF[this.resource];
		this.time =
			this.spec.kind === 'created'
				? { api: 'Created_Time' }
				: this.spec.kind === 'completed'
					? { api: 'Closed_Time' }
					: this.spec.kind === 'overdue'
						? { api: 'Due_Date', date: true }
						: { api: 'Modified_Time' };
	}

	/** The candidate time of a row (ms). */
	private at(row: ZohoRecord): number {
		const value = row[this.time.api];
		return this.time.date ? Date.parse(`${String(value)}T00:00:00Z`) + DAY : timeMs(value);
	}

	/** A time bound as COQL compares it. */
	private bound(ms: number): string {
		return this.time.date ? coqlString(new Date(ms - DAY).toISOString().slice(0, 10)) : coqlString(zohoDateTime(ms));
	}

	private filters(nowMs: number): string[] {
		switch (this.spec.kind) {
			case 'completed':
				return [`Status = 'Completed'`];
			case 'overdue':
				return [`Status != 'Completed'`, `Due_Date < ${coqlString(new Date(nowMs).toISOString().slice(0, 10))}`];
			default:
				return [`${this.time.api} is not null`];
		}
	}

	/** The scan reads ids and times only (COQL cannot select `$se_module`); events read the records by id. */
	private select(): string {
		const extra = this.spec.kind === 'caseStatus' || this.spec.kind === 'completed' || this.spec.kind === 'overdue' ? ['Status'] : [];
		return ['id', this.time.api, ...extra].join(', ');
	}

	private query(where: string[], order: 'asc' | 'desc', offset: number, limit: number): string {
		const clause = where.reduce((acc, part) => `(${acc} and ${part})`);
		return `select ${this.select()} from ${this.module} where ${clause} order by ${this.time.api} ${order}, id asc limit ${offset}, ${limit}`;
	}

	private candidates(rows: ZohoRecord[]): Candidate[] {
		return rows.map((row) => {
			const at = this.at(row);
			if (!Number.isFinite(at)) {
				throw new CrmApiError(ZOHO, { message: `A ${this.module} row (id ${String(row.id)}) has no readable ${this.time.api}`, code: 'MALFORMED_RESPONSE' });
			}
			const id = String(row.id);
			const key = this.spec.kind === 'created' ? id : this.spec.kind === 'overdue' ? `${id}@due:${String(row.Due_Date)}` : `${id}@${at}`;
			return { key, at, id, raw: row };
		});
	}

	scan(sinceMs: number, nowMs: number): AsyncGenerator<Candidate[]> {
		const filters = this.filters(nowMs);
		return keysetScan(
			async (q: TimeQuery) => {
				if (q.offset + q.limit > COQL_MAX_OFFSET) {
					throw new CrmApiError(ZOHO, { message: `More than ${COQL_MAX_OFFSET} ${this.module} share one ${this.time.api}; COQL cannot page past them` });
				}
				const op = q.mode === 'eq' ? '=' : q.mode === 'gt' ? '>' : '>=';
				const { data } = await this.deps.client.coql(this.query([...filters, `${this.time.api} ${op} ${this.bound(q.from)}`], 'asc', q.offset, q.limit));
				return this.candidates(data);
			},
			(c) => c.at,
			(c) => c.key,
			sinceMs,
			FEED_PAGE_SIZE,
		);
	}

	async latest(limit: number, nowMs: number): Promise<Candidate[]> {
		const { data } = await this.deps.client.coql(this.query(this.filters(nowMs), 'desc', 0, Math.min(Math.max(limit, 1), FEED_PAGE_SIZE)));
		return this.candidates(data);
	}

	/**
	 * Candidates for records named by id (a notification's `ids`): read by id, with the keys a
	 * scan would give them. Records deleted since, or not (yet) matching the feed, are left out.
	 */
	async candidatesFor(ids: string[]): Promise<Candidate[]> {
		const found = await this.deps.client.getByIds(this.module, ids, fieldsFor(this.module, ['Created_By', 'Modified_By']));
		const rows = [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
		const matching = rows.filter((row) => {
			if (this.spec.kind === 'completed') return row.Status === 'Completed' && Number.isFinite(timeMs(row.Closed_Time));
			return Number.isFinite(this.at(row));
		});
		return this.candidates(matching);
	}

	/** Case status feed: remember every case's status before the first poll. */
	async activate(memory: FeedMemory): Promise<void> {
		if (this.spec.kind !== 'caseStatus') return;
		const statuses: Record<string, string> = {};
		for (let offset = 0; offset < MAX_REMEMBERED_CASES; offset += 2000) {
			const { data, more } = await this.deps.client.coql(`select id, Status from Cases where id is not null order by id asc limit ${offset}, 2000`);
			for (const row of data) statuses[String(row.id)] = String(row.Status ?? '');
			if (!more || data.length < 2000) break;
		}
		memory.status = statuses;
	}

	async expand(candidates: Candidate[], sinceMs: number, memory?: FeedMemory): Promise<CrmEvent[]> {
		if (candidates.length === 0) return [];
		const me = await this.deps.currentUserId();
		const originOf = (raw: Record<string, unknown>, field: string): Pick<CrmEvent, 'origin'> => {
			const by = lookupId(raw[field]);
			return me && by ? { origin: by === me ? 'package' : 'other' } : {};
		};
		if (this.spec.kind === 'stage') return this.stageMoves(candidates, sinceMs, originOf);
		if (this.spec.kind === 'caseStatus') return this.caseStatusChanges(candidates, memory, originOf);
		// Read by id: every field mapped, and records deleted since the scan left out.
		const found = await this.deps.client.getByIds(this.module, [...new Set(candidates.map((c) => c.id))], fieldsFor(this.module, ['Created_By', 'Modified_By']));
		const present = candidates.filter((c) => found.has(c.id));
		const raws = present.map((c) => found.get(c.id)!);
		const records = await this.deps.toRecords(this.resource, raws);
		const pipelines = await this.deps.pipelines(this.resource);
		return present.map((c, i) => ({
			type: this.type,
			key: c.key,
			at: c.at,
			record: records[i],
			...stageOf(records[i], pipelines),
			...originOf(raws[i], this.spec.kind === 'created' ? 'Created_By' : 'Modified_By'),
		}));
	}

	/**
	 * Deal stage moves from `GET /Deals/{id}/Stage_History` (fields Stage, Modified_Time,
	 * Modified_By): each row is a stage the deal entered and when. The field names are those of
	 * Zoho's Stage History related list (unverified against a live org).
	 */
	private async stageMoves(candidates: Candidate[], sinceMs: number, originOf: (raw: Record<string, unknown>, field: string) => Pick<CrmEvent, 'origin'>): Promise<CrmEvent[]> {
		const ids = [...new Set(candidates.map((c) => c.id))];
		const found = await this.deps.client.getByIds('Deals', ids, fieldsFor('Deals', ['Modified_By']));
		const raws = ids.flatMap((id) => found.get(id) ?? []);
		const records = await this.deps.toRecords('deal', raws);
		const pipelines = await this.deps.pipelines('deal');
		const events: CrmEvent[] = [];
		for (let i = 0; i < raws.length; i++) {
			const id = String(raws[i].id);
			const history = await this.stageHistory(id);
			const record = records[i] as CrmRecord & { pipelineId?: string };
			for (let h = 1; h < history.length; h++) {
				const from = history[h - 1];
				const to = history[h];
				if (to.at < sinceMs || to.stage === from.stage) continue;
				events.push({
					type: this.type,
					// A history row's id where Zoho gives one (moves within one second stay apart), else time and stage.
					key: to.raw.id !== undefined ? `${id}|Stage|${String(to.raw.id)}` : `${id}|Stage|${to.at}|${to.stage}`,
					at: to.at,
					record,
					stage: stageRef(to.stage, record.pipelineId, pipelines),
					previous: stageRef(from.stage, record.pipelineId, pipelines),
					...pipelineRef(record.pipelineId, pipelines),
					...originOf(to.raw, 'Modified_By'),
				});
			}
		}
		return events;
	}

	/** When the deal entered each stage (reports' stage history). */
	async stageEntries(dealId: string): Promise<StageEntry[]> {
		return (await this.stageHistory(dealId)).map((h) => ({ stageId: h.stage, enteredAt: h.at }));
	}

	/** Zoho lists the newest stage first; rows of the same second keep that order (newest first). */
	private async stageHistory(dealId: string): Promise<Array<{ stage: string; at: number; raw: ZohoRecord }>> {
		const rows: ZohoRecord[] = [];
		for (let page = 1; page <= 10; page++) {
			const { data, info } = await this.deps.client.list('Deals', { fields: 'Stage,Modified_Time,Modified_By', per_page: 200, page }, `/Deals/${encodeURIComponent(dealId)}/Stage_History`);
			rows.push(...data);
			if (info.more_records !== true) break;
		}
		return rows
			.map((raw, index) => ({ stage: String(raw.Stage ?? ''), at: timeMs(raw.Modified_Time), raw, index }))
			.filter((h) => h.stage && Number.isFinite(h.at))
			.sort((a, b) => a.at - b.at || b.index - a.index);
	}

	private async caseStatusChanges(candidates: Candidate[], memory: FeedMemory | undefined, originOf: (raw: Record<string, unknown>, field: string) => Pick<CrmEvent, 'origin'>): Promise<CrmEvent[]> {
		const known = ((memory?.status as Record<string, string> | undefined) ?? {}) as Record<string, string>;
		const ids = [...new Set(candidates.map((c) => c.id))];
		const found = await this.deps.client.getByIds('Cases', ids, fieldsFor('Cases', ['Modified_By']));
		const raws = ids.flatMap((id) => found.get(id) ?? []);
		const records = await this.deps.toRecords('ticket', raws);
		const pipelines = await this.deps.pipelines('ticket');
		const events: CrmEvent[] = [];
		raws.forEach((raw, i) => {
			const id = String(raw.id);
			const status = String(raw.Status ?? '');
			const before = Object.prototype.hasOwnProperty.call(known, id) ? known[id] : undefined;
			if (memory) known[id] = status;
			// A case first seen here (created after activation) counts as a change only when it left the first status.
			if (status === before || (before === undefined && status === (pipelines[0]?.stages[0]?.id ?? 'New'))) return;
			const at = timeMs(raw.Modified_Time);
			events.push({
				type: this.type,
				key: `${id}|Status|${at}|${status}`,
				at,
				record: records[i],
				stage: stageRef(status, undefined, pipelines),
				...(before !== undefined ? { previous: stageRef(before, undefined, pipelines) } : {}),
				...pipelineRef(pipelines[0]?.id, pipelines),
				...originOf(raw, 'Modified_By'),
			});
		});
		if (memory) {
			const entries = Object.entries(known);
			memory.status = entries.length > MAX_REMEMBERED_CASES ? Object.fromEntries(entries.slice(-MAX_REMEMBERED_CASES)) : known;
		}
		return events;
	}
}

export function stageRef(id: string, pipelineId: string | undefined, pipelines: Pipeline[]): StageRef {
	const pipeline = pipelines.find((p) => p.id === pipelineId);
	const stage = (pipeline?.stages ?? pipelines.flatMap((p) => p.stages)).find((s) => s.id === id);
	return { id, ...(stage ? { name: stage.name, closed: stage.closed } : {}) };
}

export function pipelineRef(pipelineId: string | undefined, pipelines: Pipeline[]): Pick<CrmEvent, 'pipeline'> {
	if (!pipelineId) return {};
	const name = pipelines.find((p) => p.id === pipelineId)?.name;
	return { pipeline: { id: pipelineId, ...(name ? { name } : {}) } };
}

export function stageOf(record: CrmRecord, pipelines: Pipeline[]): Pick<CrmEvent, 'stage' | 'pipeline'> {
	const located = record as { stageId?: string; pipelineId?: string };
	if (!located.stageId || pipelines.length === 0) return {};
	return { stage: stageRef(located.stageId, located.pipelineId, pipelines), ...pipelineRef(located.pipelineId, pipelines) };
}
