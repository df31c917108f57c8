/**
 * EspoCRM event feeds for the CRM Trigger (polling), all on the list endpoint with `where`,
 * `orderBy` and `maxSize`/`offset` (https://docs.espocrm.com/development/api-search-params/):
 * - creations: records by `createdAt`;
 * - stage / status changes: records by `modifiedAt`, then each changed record's stream, whose
 *   Status notes hold every change of the status field (new value only; the previous value is
 *   the note before), so A → B → C between two polls gives both moves, each with its own time
 *   and previous stage (see ./stream.ts);
 * - completed tasks: `status = Completed` by `dateCompleted` (EspoCRM sets it when a task is
 *   completed and clears it when reopened: Modules/Crm/Hooks/Task/DateCompleted.php);
 * - overdue tasks: EspoCRM's "overdue" primary filter (due date passed, not closed), by `dateEnd`.
 * Scans page by time (keyset, providers/keyset.ts): EspoCRM times have whole seconds, so
 * several records often share one; they are told apart by key and paged by offset only inside
 * one second.
 * Known limit: a changed record's candidate key is its modification second plus its current value.
 * If a poll reads a record and, within that same second, the record moves on and back to the value
 * the poll saw (A → B, poll, B → C → B), those moves are found only when the record changes again
 * within the safety window (the stream is then re-read from the window's start).
 */
import type { CrmRecord, Pipeline, ResourceType } from '../../model/types';
import { keysetScan } from '../keyset';
import type { Candidate, CrmEvent, EventFeed, EventType, StageRef } from '../../contract/events';
import { ALL_EVENT_TYPES } from '../../contract/events';
import { chunk } from '../../transport/pagination';
import type { EspoClient, EspoRecord, SearchParams, WhereItem } from './client';
import { ESPO_CONCURRENCY, ESPO_PAGE_SIZE, mapLimit } from './client';
import { ENTITY_OF, pipelineIdOf, selectFor, STAGE_FIELD, toMs } from './mapping';
import type { EspoMetadata } from './metadata';
import type { EspoStream } from './stream';
import { transitions } from './stream';
import { idsWhere, timeWhere } from './where';

/** Every event, polled. */
export const ESPOCRM_EVENTS: readonly EventType[] = ALL_EVENT_TYPES;

export type FeedSpec =
	| { kind: 'created'; resource: ResourceType }
	| { kind: 'changed'; resource: ResourceType; field: string }
	| { kind: 'completed' }
	| { kind: 'overdue' };

export function feedSpecOf(type: EventType): FeedSpec {
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
			return { kind: 'changed', resource: 'deal', field: 'stage' };
		case 'ticketStatusChanged':
			return { kind: 'changed', resource: 'ticket', field: 'status' };
		case 'taskCompleted':
			return { kind: 'completed' };
		case 'taskOverdue':
			return { kind: 'overdue' };
	}
}

const resourceOfSpec = (spec: FeedSpec): ResourceType => (spec.kind === 'created' || spec.kind === 'changed' ? spec.resource : 'task');

function timeAttributeOf(spec: FeedSpec): string {
	switch (spec.kind) {
		case 'created':
			return 'createdAt';
		case 'changed':
			return 'modifiedAt';
		case 'completed':
			return 'dateCompleted';
		case 'overdue':
			return 'dateEnd';
	}
}

/** The dedupe key of a stage/status change: one per stream note. */
export const changeKey = (id: string, field: string, noteId: string) => `${id}|${field}|${noteId}`;
/** The dedupe key of a task completion: the task and its completion time. */
export const completionKey = (id: string, atMs: number) => `${id}|completed|${atMs}`;

export interface FeedDependencies {
	client: EspoClient;
	stream: EspoStream;
	metadata: EspoMetadata;
	pipelines: (resource: ResourceType) => Promise<Pipeline[]>;
	toRecords: (resource: ResourceType, raws: EspoRecord[]) => Promise<CrmRecord[]>;
	/** The credential's own user id (`GET App/user`): for the loop guard; '' when unknown. */
	ownUserId?: () => Promise<string>;
}

/**
 * Who made a change: an EspoCRM API user acts only through the API, so a change recorded by the
 * credential's own user is this package's (or another integration using the same API user).
 */
export function espoOrigin(byUserId: unknown, ownUserId: string): CrmEvent['origin'] {
	if (!byUserId || !ownUserId) return undefined;
	return String(byUserId) === ownUserId ? 'package' : 'other';
}

/** The event's `origin`, left out when EspoCRM does not say who made the change. */
export function originField(byUserId: unknown, ownUserId: string): Pick<CrmEvent, 'origin'> {
	const origin = espoOrigin(byUserId, ownUserId);
	return origin ? { origin } : {};
}

export function stageRef(value: string, pipelines: Pipeline[]): StageRef {
	const stage = pipelines.flatMap((p) => p.stages).find((s) => s.id === value);
	return { id: value, ...(stage ? { name: stage.name, closed: stage.closed } : {}) };
}

export function pipelineRef(resource: ResourceType, pipelines: Pipeline[]): Pick<CrmEvent, 'pipeline'> {
	const id = pipelineIdOf(resource);
	const pipeline = pipelines.find((p) => p.id === id);
	return pipeline ? { pipeline: { id, name: pipeline.name } } : {};
}

/** The stage and pipeline a created deal/ticket is in. */
export function stageOfRecord(resource: ResourceType, record: CrmRecord, pipelines: Pipeline[]): Pick<CrmEvent, 'stage' | 'pipeline'> {
	const stageId = (record as { stageId?: string }).stageId;
	if (!STAGE_FIELD[resource] || !stageId || pipelines.length === 0) return {};
	return { stage: stageRef(stageId, pipelines), ...pipelineRef(resource, pipelines) };
}

/** Reads records by id (one list call per 200 ids), in no particular order. */
export async function readByIds(client: EspoClient, entityType: string, ids: string[]): Promise<EspoRecord[]> {
	const out: EspoRecord[] = [];
	for (const part of chunk([...new Set(ids)], ESPO_PAGE_SIZE)) {
		const { list } = await client.list(entityType, { where: [idsWhere(part)], select: selectFor(entityType), maxSize: ESPO_PAGE_SIZE });
		out.push(...list);
	}
	return out;
}

/**
 * The events of a changed record's stream from `sinceMs` on: one per recorded move of `field`.
 */
export async function changeEvents(
	type: EventType,
	resource: ResourceType,
	field: string,
	ids: string[],
	sinceMs: number,
	deps: FeedDependencies,
): Promise<CrmEvent[]> {
	const entityType = ENTITY_OF[resource];
	const raws = await readByIds(deps.client, entityType, ids);
	const records = await deps.toRecords(resource, raws);
	const pipelines = await deps.pipelines(resource);
	// Read back to the note before the window that fixes the value, so the first move has its "from".
	const streams = await mapLimit(raws, ESPO_CONCURRENCY, (raw) => deps.stream.notes(entityType, String(raw.id), sinceMs, undefined, field));
	const own = (await deps.ownUserId?.().catch(() => '')) ?? '';
	const events: CrmEvent[] = [];
	raws.forEach((raw, index) => {
		for (const move of transitions(streams[index], field)) {
			if (move.at < sinceMs) continue;
			events.push({
				type,
				key: changeKey(String(raw.id), field, move.noteId),
				at: move.at,
				record: records[index],
				stage: stageRef(move.to, pipelines),
				...(move.from !== undefined ? { previous: stageRef(move.from, pipelines) } : {}),
				...pipelineRef(resource, pipelines),
				...originField(move.byUserId, own),
			});
		}
	});
	return events;
}

export class EspoEventFeed implements EventFeed {
	private readonly spec: FeedSpec;
	private readonly resource: ResourceType;
	private readonly entityType: string;
	private readonly timeAttribute: string;

	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {
		this.spec = feedSpecOf(type);
		this.resource = resourceOfSpec(this.spec);
		this.entityType = ENTITY_OF[this.resource];
		this.timeAttribute = timeAttributeOf(this.spec);
	}

	private baseWhere(): WhereItem[] {
		const present: WhereItem = { type: 'isNotNull', attribute: this.timeAttribute };
		if (this.spec.kind === 'completed') return [{ type: 'equals', attribute: 'status', value: 'Completed' }, present];
		return [present];
	}

	/**
	 * Overdue tasks are EspoCRM's own "overdue" primary filter (Task `primaryFilter` enum in the
	 * OpenAPI spec): due date in the past by EspoCRM's clock, status not closed (a Deferred task
	 * still counts, as in EspoCRM's list view).
	 */
	private primaryFilter(): Pick<SearchParams, 'primaryFilter'> {
		return this.spec.kind === 'overdue' ? { primaryFilter: 'overdue' } : {};
	}

	private select(): string[] {
		// Changes are read again in full when expanded; their scan needs only the time and value.
		return this.spec.kind === 'changed' ? ['id', this.timeAttribute, this.spec.field] : selectFor(this.entityType, ['createdById', 'modifiedById']);
	}

	private candidate(raw: EspoRecord): Candidate {
		const at = toMs(raw[this.timeAttribute]);
		const id = String(raw.id);
		let key: string;
		switch (this.spec.kind) {
			case 'created':
				key = id;
				break;
			case 'changed':
				// Times have whole seconds: the value tells two changes within one second apart.
				key = `${id}@${at}|${String(raw[this.spec.field] ?? '')}`;
				break;
			case 'completed':
				key = completionKey(id, at);
				break;
			case 'overdue':
				key = `${id}@${at}`;
				break;
		}
		return { key, at, id, raw };
	}

	scan(sinceMs: number): AsyncGenerator<Candidate[]> {
		return keysetScan(
			async (query) => {
				const { list } = await this.deps.client.list(this.entityType, {
					...this.primaryFilter(),
					where: [...this.baseWhere(), timeWhere(this.timeAttribute, query)],
					select: this.select(),
					orderBy: this.timeAttribute,
					order: 'asc',
					maxSize: query.limit,
					...(query.offset ? { offset: query.offset } : {}),
				});
				return list.map((raw) => this.candidate(raw)).filter((c) => Number.isFinite(c.at));
			},
			(c) => c.at,
			(c) => c.key,
			sinceMs,
			ESPO_PAGE_SIZE,
		);
	}

	async latest(limit: number): Promise<Candidate[]> {
		const { list } = await this.deps.client.list(this.entityType, {
			...this.primaryFilter(),
			where: this.baseWhere(),
			select: this.select(),
			orderBy: this.timeAttribute,
			order: 'desc',
			maxSize: Math.min(Math.max(limit, 1), ESPO_PAGE_SIZE),
		});
		return list.map((raw) => this.candidate(raw)).filter((c) => Number.isFinite(c.at));
	}

	async expand(candidates: Candidate[], sinceMs: number): Promise<CrmEvent[]> {
		if (candidates.length === 0) return [];
		if (this.spec.kind === 'changed') {
			return changeEvents(this.type, this.spec.resource, this.spec.field, candidates.map((c) => c.id), sinceMs, this.deps);
		}
		const records = await this.deps.toRecords(this.resource, candidates.map((c) => c.raw as EspoRecord));
		const pipelines = await this.deps.pipelines(this.resource);
		const own = (await this.deps.ownUserId?.().catch(() => '')) ?? '';
		return candidates.map((c, i) => ({
			type: this.type,
			key: c.key,
			at: c.at,
			record: records[i],
			...stageOfRecord(this.resource, records[i], pipelines),
			// Creations: who created it; completions and overdue tasks: who last changed it.
			...originField(this.spec.kind === 'created' ? (c.raw as EspoRecord).createdById : this.spec.kind === 'completed' ? (c.raw as EspoRecord).modifiedById : undefined, own),
		}));
	}
}
