/**
 * Salesforce event feeds for the CRM Trigger, all SOQL:
 * - creations: `CreatedDate` of Lead / Contact / Opportunity / Case;
 * - deal stage moves: `OpportunityHistory`, which gets a row whenever StageName, Amount,
 *   Probability or CloseDate changes (Object Reference, OpportunityHistory): each row whose stage
 *   differs from the row before it is one recorded transition, so A → B → C between two polls
 *   gives both moves;
 * - ticket status changes: `CaseHistory` rows for `Status` where field history tracking is on for
 *   Case.Status; else the feed remembers each case's last status (in the trigger state) and reports
 *   a change when a modified case (`SystemModstamp`) shows another one. That fallback sees only
 *   the status at each poll: A → B → C between two polls is one change A → C (README);
 * - task completed: `CompletedDateTime` (set when a task is saved with a closed status);
 * - task overdue: open tasks whose `ActivityDate` (a date) is before today (UTC); the event time
 *   is the start of the next UTC day, once per task and due date.
 * Scans page on (time, Id): `time > T OR (time = T AND Id > X)`, ordered by time then Id, which
 * never skips a record that changes mid-scan and needs no OFFSET (capped at 2,000 in SOQL).
 */
import type { Pipeline, ResourceType } from '../../model/types';
import type { Candidate, CrmEvent, EventFeed, EventType, FeedMemory, StageRef } from '../../contract/events';
import { ALL_EVENT_TYPES } from '../../contract/events';
import { chunk } from '../../transport/pagination';
import { CrmApiError } from '../../transport/errors';
import type { SalesforceApi } from './api';
import type { SObjectRecord } from './mapping';
import { timeMs } from './mapping';
import { PIPELINES } from './metadata';
import { and, soql, soqlDate, soqlDateTime, soqlIn, soqlString } from './soql';

/** Every event, polled. */
export const SALESFORCE_EVENTS: readonly EventType[] = ALL_EVENT_TYPES;

const PAGE = 200;
const DAY = 86_400_000;
/** Most cases whose last status the fallback remembers. */
export const STATUS_MEMORY_CAP = 50_000;
/** Ids per `IN (...)` list: keeps the query URL well under Salesforce's 16 KB URI limit. */
const IDS_PER_QUERY = 200;

interface ScanSpec {
	sobject: string;
	timeField: string;
	timeType: 'datetime' | 'date';
	select: string[];
	where?: (nowMs: number) => string;
	/** The candidate's time (ms) from the row. */
	at: (row: SObjectRecord) => number;
	key: (row: SObjectRecord, at: number) => string;
}

export interface FeedDependencies {
	api: SalesforceApi;
	/** Normalized records of a resource by id (one retrieve per 2,000 ids). */
	read: (resource: ResourceType, ids: string[]) => Promise<Map<string, CrmEvent['record']>>;
	pipelines: (resource: ResourceType) => Promise<Pipeline[]>;
}

type StatusMode = 'history' | 'memory';

const dateAt = (row: SObjectRecord, field: string) => Date.parse(`${String(row[field])}T00:00:00Z`) + DAY;

function specFor(type: EventType, statusMode: StatusMode): ScanSpec {
	const created = (sobject: string): ScanSpec => ({
		sobject,
		timeField: 'CreatedDate',
		timeType: 'datetime',
		select: ['Id', 'CreatedDate'],
		at: (row) => timeMs(row.CreatedDate),
		key: (row) => String(row.Id),
	});
	switch (type) {
		case 'newLead':
			return created('Lead');
		case 'newContact':
			return created('Contact');
		case 'dealCreated':
			return created('Opportunity');
		case 'ticketOpened':
			return created('Case');
		case 'dealStageChanged':
		case 'dealWonLost':
			return {
				sobject: 'OpportunityHistory',
				timeField: 'CreatedDate',
				timeType: 'datetime',
				select: ['Id', 'OpportunityId', 'StageName', 'CreatedDate'],
				at: (row) => timeMs(row.CreatedDate),
				key: (row) => String(row.Id),
			};
		case 'ticketStatusChanged':
			return statusMode === 'history'
				? {
						sobject: 'CaseHistory',
						timeField: 'CreatedDate',
						timeType: 'datetime',
						select: ['Id', 'CaseId', 'Field', 'OldValue', 'NewValue', 'CreatedDate'],
						where: () => `Field = ${soqlString('Status')}`,
						at: (row) => timeMs(row.CreatedDate),
						key: (row) => String(row.Id),
					}
				: {
						sobject: 'Case',
						timeField: 'SystemModstamp',
						timeType: 'datetime',
						select: ['Id', 'SystemModstamp'],
						at: (row) => timeMs(row.SystemModstamp),
						key: (row, at) => `${row.Id}@${at}`,
					};
		case 'taskCompleted':
			return {
				sobject: 'Task',
				timeField: 'CompletedDateTime',
				timeType: 'datetime',
				select: ['Id', 'CompletedDateTime'],
				where: () => 'IsClosed = true AND CompletedDateTime != null',
				at: (row) => timeMs(row.CompletedDateTime),
				key: (row, at) => `${row.Id}@${at}`,
			};
		case 'taskOverdue':
			return {
				sobject: 'Task',
				timeField: 'ActivityDate',
				timeType: 'date',
				select: ['Id', 'ActivityDate'],
				where: (nowMs) => `IsClosed = false AND ActivityDate != null AND ActivityDate < ${soqlDate(nowMs)}`,
				at: (row) => dateAt(row, 'ActivityDate'),
				key: (row) => `${row.Id}@${String(row.ActivityDate)}`,
			};
	}
}

/** The time literal of a row's time field, for the (time, Id) keyset. */
function timeLiteral(spec: ScanSpec, row: SObjectRecord): string {
	return spec.timeType === 'date' ? String(row[spec.timeField]) : soqlDateTime(timeMs(row[spec.timeField]));
}

/** `time >= since` in the field's own type. */
function sinceCondition(spec: ScanSpec, sinceMs: number): string {
	if (spec.timeType === 'date') {
		// at = due date + 1 day, so at >= since ⇔ due date >= the day of (since - 1 day), rounded up.
		const day = Math.ceil((sinceMs - DAY) / DAY) * DAY;
		return `${spec.timeField} >= ${soqlDate(day)}`;
	}
	return `${spec.timeField} >= ${soqlDateTime(sinceMs)}`;
}

export class SalesforceEventFeed implements EventFeed {
	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {}

	private async mode(memory: FeedMemory | undefined): Promise<StatusMode> {
		if (this.type !== 'ticketStatusChanged') return 'history';
		if (memory?.statusMode === 'history' || memory?.statusMode === 'memory') return memory.statusMode;
		const mode = (await this.caseStatusTracked()) ? 'history' : 'memory';
		if (memory) memory.statusMode = mode;
		return mode;
	}

	/**
	 * Whether Case.Status has field history tracking: `FieldDefinition.IsFieldHistoryTracked`
	 * (FieldDefinition, exposed to the API since v45.0; queried through /query — unverified outside
	 * the Tooling API, so a refusal falls back to looking for any Status row in CaseHistory).
	 */
	private async caseStatusTracked(): Promise<boolean> {
		const definition = await this.deps.api
			.queryAll(
				soql({
					select: ['QualifiedApiName', 'IsFieldHistoryTracked'],
					from: 'FieldDefinition',
					where: `EntityDefinition.QualifiedApiName = ${soqlString('Case')} AND QualifiedApiName = ${soqlString('Status')}`,
				}),
			)
			// Not queryable here (an older org, or no access): decide from CaseHistory instead.
			.catch((error: unknown) => (error instanceof CrmApiError && error.status !== 401 ? [] : Promise.reject(error)));
		if (definition.length) return definition[0].IsFieldHistoryTracked === true;
		const rows = await this.deps.api.queryAll(soql({ select: ['Id'], from: 'CaseHistory', where: `Field = ${soqlString('Status')}`, limit: 1 }));
		return rows.length > 0;
	}

	async activate(memory: FeedMemory): Promise<void> {
		if ((await this.mode(memory)) !== 'memory') return;
		// Remember the status of every open case (a closed case that reopens reports its change
		// without a known previous status).
		const statuses: Record<string, string> = {};
		let count = 0;
		for await (const page of this.deps.api.query(soql({ select: ['Id', 'Status'], from: 'Case', where: 'IsClosed = false', orderBy: 'LastModifiedDate DESC' }))) {
			for (const row of page) {
				if (count++ >= STATUS_MEMORY_CAP) break;
				statuses[String(row.Id)] = String(row.Status ?? '');
			}
			if (count >= STATUS_MEMORY_CAP) break;
		}
		memory.statuses = statuses;
	}

	async *scan(sinceMs: number, nowMs: number, memory?: FeedMemory): AsyncGenerator<Candidate[]> {
		const spec = specFor(this.type, await this.mode(memory));
		let after: SObjectRecord | undefined;
		for (;;) {
			const position = after
				? `(${spec.timeField} > ${timeLiteral(spec, after)} OR (${spec.timeField} = ${timeLiteral(spec, after)} AND Id > ${soqlString(String(after.Id))}))`
				: sinceCondition(spec, sinceMs);
			const rows = await this.deps.api.queryAll(
				soql({
					select: spec.select,
					from: spec.sobject,
					where: and([spec.where?.(nowMs), `${spec.timeField} != null`, position]),
					orderBy: `${spec.timeField} ASC, Id ASC`,
					limit: PAGE,
				}),
			);
			const candidates = this.candidates(spec, rows);
			if (candidates.length) yield candidates;
			if (rows.length < PAGE) return;
			after = rows[rows.length - 1];
		}
	}

	async latest(limit: number, nowMs: number, memory?: FeedMemory): Promise<Candidate[]> {
		const spec = specFor(this.type, await this.mode(memory));
		const rows = await this.deps.api.queryAll(
			soql({
				select: spec.select,
				from: spec.sobject,
				where: and([spec.where?.(nowMs), `${spec.timeField} != null`]),
				orderBy: `${spec.timeField} DESC, Id DESC`,
				limit: Math.min(Math.max(limit, 1), PAGE),
			}),
		);
		return this.candidates(spec, rows);
	}

	/**
	 * The query asked for rows whose time field is set, so a row without a readable time is a
	 * garbled answer: skipping it could make a first activation see an empty org.
	 */
	private candidates(spec: ScanSpec, rows: SObjectRecord[]): Candidate[] {
		const candidates = rows.map((row) => this.candidate(spec, row));
		const unreadable = candidates.find((c) => !Number.isFinite(c.at));
		if (unreadable) {
			throw new CrmApiError('Salesforce', {
				message: `A ${spec.sobject} row (Id ${unreadable.id}) has no readable ${spec.timeField}`,
				code: 'MALFORMED_RESPONSE',
			});
		}
		return candidates;
	}

	private candidate(spec: ScanSpec, row: SObjectRecord): Candidate {
		const at = spec.at(row);
		return { key: spec.key(row, at), at, id: String(row.Id), raw: row };
	}

	async expand(candidates: Candidate[], sinceMs: number, memory?: FeedMemory): Promise<CrmEvent[]> {
		if (candidates.length === 0) return [];
		switch (this.type) {
			case 'dealStageChanged':
			case 'dealWonLost':
				return this.stageMoves(candidates);
			case 'ticketStatusChanged':
				return (await this.mode(memory)) === 'history' ? this.caseHistoryMoves(candidates) : this.caseStatusChanges(candidates, memory);
			default:
				return this.recordEvents(candidates);
		}
	}

	private resource(): ResourceType {
		switch (this.type) {
			case 'newLead':
				return 'lead';
			case 'newContact':
				return 'contact';
			case 'dealCreated':
				return 'deal';
			case 'ticketOpened':
				return 'ticket';
			default:
				return 'task';
		}
	}

	/** One event per record (creations, completed and overdue tasks). */
	private async recordEvents(candidates: Candidate[]): Promise<CrmEvent[]> {
		const resource = this.resource();
		const records = await this.deps.read(resource, candidates.map((c) => c.id));
		const pipelines = await this.deps.pipelines(resource);
		return candidates.flatMap((c): CrmEvent[] => {
			const record = records.get(c.id);
			if (!record) return []; // deleted since the scan
			return [{ type: this.type, key: c.key, at: c.at, record, ...located(record, pipelines) }];
		});
	}

	/** OpportunityHistory rows whose stage differs from the opportunity's previous row. */
	private async stageMoves(candidates: Candidate[]): Promise<CrmEvent[]> {
		const rows = candidates.map((c) => c.raw as SObjectRecord);
		const opportunityIds = [...new Set(rows.map((r) => String(r.OpportunityId)))];
		const history = new Map<string, SObjectRecord[]>();
		for (const ids of chunk(opportunityIds, IDS_PER_QUERY)) {
			const all = await this.deps.api.queryAll(
				soql({ select: HISTORY_FIELDS, from: 'OpportunityHistory', where: soqlIn('OpportunityId', ids), orderBy: 'CreatedDate ASC, Id ASC' }),
			);
			for (const row of all) history.set(String(row.OpportunityId), [...(history.get(String(row.OpportunityId)) ?? []), row]);
		}
		const records = await this.deps.read('deal', opportunityIds);
		const pipelines = await this.deps.pipelines('deal');
		const ordered = new Map<string, SObjectRecord[]>();
		for (const [id, list] of history) ordered.set(id, historyOrder(list, records.get(id)?.raw as SObjectRecord | undefined));
		const events: CrmEvent[] = [];
		for (const candidate of candidates) {
			const row = candidate.raw as SObjectRecord;
			const rowsOfDeal = ordered.get(String(row.OpportunityId)) ?? [];
			const index = rowsOfDeal.findIndex((r) => r.Id === row.Id);
			const before = index > 0 ? rowsOfDeal[index - 1] : undefined;
			const record = records.get(String(row.OpportunityId));
			if (!before || !record || before.StageName === row.StageName) continue;
			events.push(move(this.type, `${row.OpportunityId}|stage|${row.Id}`, candidate.at, record, String(before.StageName), String(row.StageName), pipelines));
		}
		return events;
	}

	/** CaseHistory rows of Status (old → new value). */
	private async caseHistoryMoves(candidates: Candidate[]): Promise<CrmEvent[]> {
		const rows = candidates.map((c) => c.raw as SObjectRecord);
		const records = await this.deps.read('ticket', [...new Set(rows.map((r) => String(r.CaseId)))]);
		const pipelines = await this.deps.pipelines('ticket');
		return candidates.flatMap((candidate): CrmEvent[] => {
			const row = candidate.raw as SObjectRecord;
			const record = records.get(String(row.CaseId));
			if (!record || row.OldValue === row.NewValue) return [];
			return [move(this.type, `${row.CaseId}|status|${row.Id}`, candidate.at, record, String(row.OldValue ?? ''), String(row.NewValue ?? ''), pipelines)];
		});
	}

	/** Without field history: a modified case whose status differs from the remembered one. */
	private async caseStatusChanges(candidates: Candidate[], memory: FeedMemory | undefined): Promise<CrmEvent[]> {
		const statuses = ((memory?.statuses as Record<string, string> | undefined) ?? {}) as Record<string, string>;
		const records = await this.deps.read('ticket', [...new Set(candidates.map((c) => c.id))]);
		const pipelines = await this.deps.pipelines('ticket');
		const events: CrmEvent[] = [];
		for (const candidate of [...candidates].sort((a, b) => a.at - b.at)) {
			const record = records.get(candidate.id) as (CrmEvent['record'] & { status?: string }) | undefined;
			if (!record) continue;
			const status = String(record.status ?? '');
			const known = Object.prototype.hasOwnProperty.call(statuses, candidate.id);
			const before = known ? statuses[candidate.id] : undefined;
			if (memory) rememberStatus(statuses, candidate.id, status);
			// Without memory (Fetch Test Event), every modified case shows its current status.
			if (memory && before === status) continue;
			events.push(move(this.type, `${candidate.id}|status|${candidate.at}|${status}`, candidate.at, record, before, status, pipelines));
		}
		if (memory) memory.statuses = statuses;
		return events;
	}
}

/** The OpportunityHistory fields that order an opportunity's rows (see historyOrder). */
const HISTORY_FIELDS = ['Id', 'OpportunityId', 'StageName', 'Amount', 'CloseDate', 'Probability', 'PrevAmount', 'PrevCloseDate', 'CreatedDate'];
const TRACKED = ['StageName', 'Amount', 'Probability', 'CloseDate'];
/** Rows written in one second beyond which only the id order is used (permutations grow fast). */
const MAX_TIED_ROWS = 6;

/**
 * An opportunity's OpportunityHistory rows in the order they were written. `CreatedDate` has whole
 * seconds, so two saves in one second tie, and SOQL sorts ids case-insensitively, which is not the
 * order they were issued in. OpportunityHistory has no previous stage (Object Reference: only
 * `PrevAmount` and `PrevCloseDate`, API 50.0+), so each tie is ordered by what the rows say about
 * each other: a row's `PrevAmount`/`PrevCloseDate` are the `Amount`/`CloseDate` of the row before
 * it, a row is only written when a tracked field changed, and the last row holds the opportunity's
 * current values. Among orders that fit equally, ids compared case-sensitively (the order
 * Salesforce issued them in, which is our assumption, not documented) decide.
 */
export function historyOrder(rows: SObjectRecord[], current?: SObjectRecord): SObjectRecord[] {
	const idOf = (row: SObjectRecord) => String(row.Id).slice(0, 15);
	const sorted = [...rows].sort((a, b) => timeMs(a.CreatedDate) - timeMs(b.CreatedDate) || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
	const out: SObjectRecord[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start + 1;
		while (end < sorted.length && timeMs(sorted[end].CreatedDate) === timeMs(sorted[start].CreatedDate)) end++;
		const group = sorted.slice(start, end);
		const next = end < sorted.length && (end + 1 === sorted.length || timeMs(sorted[end + 1].CreatedDate) !== timeMs(sorted[end].CreatedDate)) ? sorted[end] : undefined;
		out.push(...(group.length > 1 && group.length <= MAX_TIED_ROWS ? bestOrder(group, out[out.length - 1], end === sorted.length ? current : undefined, next) : group));
		start = end;
	}
	return out;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || (a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b));
const known = (value: unknown) => value !== null && value !== undefined;

/** Mismatches between a row and the one written before it. */
function misfits(before: SObjectRecord | undefined, row: SObjectRecord): number {
	if (!before) return 0;
	let count = 0;
	if (known(row.PrevAmount) && !same(row.PrevAmount, before.Amount)) count++;
	if (known(row.PrevCloseDate) && !same(row.PrevCloseDate, before.CloseDate)) count++;
	if (TRACKED.every((field) => same(row[field], before[field]))) count++;
	return count;
}

/** The order of tied rows that fits the rows around them best (the id order among equals). */
function bestOrder(group: SObjectRecord[], before: SObjectRecord | undefined, current: SObjectRecord | undefined, next: SObjectRecord | undefined): SObjectRecord[] {
	let best = group;
	let bestScore = Number.POSITIVE_INFINITY;
	for (const order of permutations(group)) {
		let score = 0;
		order.forEach((row, i) => (score += misfits(i === 0 ? before : order[i - 1], row)));
		const last = order[order.length - 1];
		if (current) score += TRACKED.filter((field) => field in current && !same(current[field], last[field])).length;
		if (next) score += misfits(last, next);
		if (score < bestScore) {
			best = order;
			bestScore = score;
		}
	}
	return best;
}

/** All orders of a short list, the given order first. */
function permutations<T>(list: T[]): T[][] {
	if (list.length <= 1) return [list];
	return list.flatMap((item, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Re-inserts the case as the newest entry; drops the oldest beyond the cap. */
function rememberStatus(statuses: Record<string, string>, id: string, status: string): void {
	delete statuses[id];
	statuses[id] = status;
	const keys = Object.keys(statuses);
	for (let i = 0; i < keys.length - STATUS_MEMORY_CAP; i++) delete statuses[keys[i]];
}

function stageRef(value: string, resource: 'deal' | 'ticket', pipelines: Pipeline[]): StageRef {
	const stage = pipelines.find((p) => p.id === PIPELINES[resource]?.id)?.stages.find((s) => s.id === value || s.name === value);
	return { id: stage?.id ?? value, ...(stage ? { name: stage.name, closed: stage.closed } : {}) };
}

function move(type: EventType, key: string, at: number, record: CrmEvent['record'], from: string | undefined, to: string, pipelines: Pipeline[]): CrmEvent {
	const resource = type === 'ticketStatusChanged' ? 'ticket' : 'deal';
	const pipeline = pipelines[0];
	return {
		type,
		key,
		at,
		record,
		stage: stageRef(to, resource, pipelines),
		...(from !== undefined ? { previous: stageRef(from, resource, pipelines) } : {}),
		...(pipeline ? { pipeline: { id: pipeline.id, name: pipeline.name } } : {}),
	};
}

/** Stage and pipeline of a deal or ticket record, for filters on created-record events. */
function located(record: CrmEvent['record'], pipelines: Pipeline[]): Pick<CrmEvent, 'stage' | 'pipeline'> {
	const { stageId, pipelineId } = record as { stageId?: string; pipelineId?: string };
	const pipeline = pipelines.find((p) => p.id === pipelineId);
	if (!stageId || !pipeline) return {};
	const stage = pipeline.stages.find((s) => s.id === stageId);
	return { stage: { id: stageId, ...(stage ? { name: stage.name, closed: stage.closed } : {}) }, pipeline: { id: pipeline.id, name: pipeline.name } };
}
