/**
 * HubSpot event feeds for the CRM Trigger, all built on CRM search + batch read:
 * - creations: search on the object's creation date (`createdate`, or `hs_createdate` on Leads);
 * - stage / status changes: search on `hs_lastmodifieddate` for records that changed, then a
 *   batch read with `propertiesWithHistory` for the property's recorded values (HubSpot keeps each
 *   value with its timestamp), so A → B → C between two polls gives both transitions;
 * - overdue tasks: search on the due date (`hs_timestamp`) before now, not completed.
 * Scans page by time (keyset: each page restarts at the last time seen), which never skips a
 * record that changes mid-scan and never reaches search's 10,000-result cap (only a single
 * timestamp shared by more than 10,000 records would).
 */
import type { Pipeline, ResourceType } from '../../model/types';
import type { Candidate, CrmEvent, EventFeed, EventType, StageRef } from '../../contract/events';
import { ALL_EVENT_TYPES } from '../../contract/events';
import { CrmApiError } from '../../transport/errors';
import type { HubSpotBatcher } from './batch';
import type { HubSpotObject, LeadModel } from './mapping';
import { objectTypeOf, propertiesFor } from './mapping';
import type { HubSpotFilter, HubSpotSearch } from './search';
import { SEARCH_PAGE_SIZE, SEARCH_RESULT_CAP } from './search';
import { keysetScan } from '../keyset';

type FeedSpec =
	| { kind: 'created'; resource: ResourceType; timeProperty: string; filters?: HubSpotFilter[] }
	| { kind: 'changed'; resource: ResourceType; property: string; timeProperty: string; to?: string[] }
	| { kind: 'overdue' };

/** Every event, polled. */
export const HUBSPOT_EVENTS: readonly EventType[] = ALL_EVENT_TYPES;

function specFor(type: EventType, leadModel: LeadModel): FeedSpec {
	switch (type) {
		case 'newLead':
			return leadModel === 'leadsObject'
				? { kind: 'created', resource: 'lead', timeProperty: 'hs_createdate' }
				: {
						kind: 'created',
						resource: 'lead',
						timeProperty: 'createdate',
						filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }],
					};
		case 'newContact':
			return { kind: 'created', resource: 'contact', timeProperty: 'createdate' };
		case 'dealCreated':
			return { kind: 'created', resource: 'deal', timeProperty: 'createdate' };
		case 'ticketOpened':
			return { kind: 'created', resource: 'ticket', timeProperty: 'createdate' };
		case 'dealStageChanged':
		case 'dealWonLost':
			return { kind: 'changed', resource: 'deal', property: 'dealstage', timeProperty: 'hs_lastmodifieddate' };
		case 'ticketStatusChanged':
			return { kind: 'changed', resource: 'ticket', property: 'hs_pipeline_stage', timeProperty: 'hs_lastmodifieddate' };
		case 'taskCompleted':
			return { kind: 'changed', resource: 'task', property: 'hs_task_status', timeProperty: 'hs_lastmodifieddate', to: ['COMPLETED'] };
		case 'taskOverdue':
			return { kind: 'overdue' };
	}
}

/** HubSpot datetimes come as ISO strings or epoch milliseconds. */
export function timeMs(value: unknown): number {
	if (value === null || value === undefined || value === '') return Number.NaN;
	const text = String(value);
	return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

interface HistoryEntry {
	value: string;
	timestamp: string;
}

export interface FeedDependencies {
	search: HubSpotSearch;
	batcher: HubSpotBatcher;
	leadModel: LeadModel;
	pipelines: (resource: ResourceType) => Promise<Pipeline[]>;
	/** Maps raw objects to normalized records, in order. */
	toRecords: (resource: ResourceType, objects: HubSpotObject[]) => Promise<Array<CrmEvent['record']>>;
}

export class HubSpotEventFeed implements EventFeed {
	private readonly spec: FeedSpec;
	private readonly objectType: string;
	private readonly timeProperty: string;

	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {
		this.spec = specFor(type, deps.leadModel);
		this.objectType = this.spec.kind === 'overdue' ? 'tasks' : objectTypeOf(this.spec.resource, deps.leadModel);
		this.timeProperty = this.spec.kind === 'overdue' ? 'hs_timestamp' : this.spec.timeProperty;
	}

	private filters(nowMs: number): HubSpotFilter[] {
		if (this.spec.kind === 'created') return this.spec.filters ?? [];
		if (this.spec.kind === 'overdue') {
			return [
				{ propertyName: 'hs_timestamp', operator: 'LT', value: String(nowMs) },
				{ propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' },
			];
		}
		return [];
	}

	private properties(): string[] {
		// Changes are expanded by a batch read, so their scan only needs the time.
		return this.spec.kind === 'changed' ? [this.timeProperty] : propertiesFor(this.objectType, [this.timeProperty]);
	}

	private candidate(object: HubSpotObject): Candidate {
		const at = timeMs(object.properties?.[this.timeProperty]);
		// A creation happens once per record; a change or a due date is keyed by its time too.
		const key = this.spec.kind === 'created' ? String(object.id) : `${object.id}@${at}`;
		return { key, at, id: String(object.id), raw: object };
	}

	scan(sinceMs: number, nowMs: number): AsyncGenerator<Candidate[]> {
		const filters = this.filters(nowMs);
		return keysetScan(
			async (query) => {
				const time: HubSpotFilter =
					query.mode === 'eq'
						? { propertyName: this.timeProperty, operator: 'EQ', value: String(query.from) }
						: { propertyName: this.timeProperty, operator: query.mode === 'gt' ? 'GT' : 'GTE', value: String(query.from) };
				if (query.offset + query.limit > SEARCH_RESULT_CAP) {
					throw new CrmApiError('HubSpot', {
						message: `More than ${SEARCH_RESULT_CAP} ${this.objectType} share one ${this.timeProperty}; search cannot page past them`,
					});
				}
				const answer = await this.deps.search.post(this.objectType, {
					filterGroups: [{ filters: [...filters, time] }],
					sorts: [{ propertyName: this.timeProperty, direction: 'ASCENDING' }],
					properties: this.properties(),
					limit: query.limit,
					...(query.offset ? { after: String(query.offset) } : {}),
				});
				return this.candidates(answer.results ?? []);
			},
			(c) => c.at,
			(c) => c.key,
			sinceMs,
			SEARCH_PAGE_SIZE,
		);
	}

	async latest(limit: number, nowMs: number): Promise<Candidate[]> {
		const answer = await this.deps.search.post(this.objectType, {
			filterGroups: [{ filters: [...this.filters(nowMs), { propertyName: this.timeProperty, operator: 'HAS_PROPERTY' }] }],
			sorts: [{ propertyName: this.timeProperty, direction: 'DESCENDING' }],
			properties: this.properties(),
			limit: Math.min(Math.max(limit, 1), SEARCH_PAGE_SIZE),
		});
		return this.candidates(answer.results ?? []);
	}

	/**
	 * The search filtered on the time property, so every result has it: one without a readable
	 * time is a garbled answer, and skipping it could make a first activation see an empty CRM.
	 */
	private candidates(objects: HubSpotObject[]): Candidate[] {
		const candidates = objects.map((o) => this.candidate(o));
		const unreadable = candidates.find((c) => !Number.isFinite(c.at));
		if (unreadable) {
			throw new CrmApiError('HubSpot', {
				message: `A ${this.objectType} search result (id ${unreadable.id}) has no readable ${this.timeProperty}`,
				code: 'MALFORMED_RESPONSE',
			});
		}
		return candidates;
	}

	async expand(candidates: Candidate[], sinceMs: number): Promise<CrmEvent[]> {
		if (candidates.length === 0) return [];
		if (this.spec.kind !== 'changed') {
			const resource = this.spec.kind === 'overdue' ? 'task' : this.spec.resource;
			const records = await this.deps.toRecords(resource, candidates.map((c) => c.raw as HubSpotObject));
			const pipelines = await this.deps.pipelines(resource);
			return candidates.map((c, i) => ({
				type: this.type,
				key: c.key,
				at: c.at,
				record: records[i],
				...stageOf(records[i], pipelines),
			}));
		}
		return this.expandChanges(this.spec, candidates, sinceMs);
	}

	private async expandChanges(spec: Extract<FeedSpec, { kind: 'changed' }>, candidates: Candidate[], sinceMs: number): Promise<CrmEvent[]> {
		const ids = [...new Set(candidates.map((c) => c.id))];
		// A failed read fails the poll (nothing is marked handled); a record deleted since the scan
		// has no history left to read and is skipped.
		const found = await this.deps.batcher.readAll(this.objectType, ids, {
			properties: propertiesFor(this.objectType),
			propertiesWithHistory: [spec.property],
		});
		const objects = ids.flatMap((id) => found.get(id) ?? []);
		const records = await this.deps.toRecords(spec.resource, objects);
		const pipelines = await this.deps.pipelines(spec.resource);
		const events: CrmEvent[] = [];
		objects.forEach((object, index) => {
			// HubSpot lists a property's history newest first; equal timestamps keep that order.
			const history = ((object.propertiesWithHistory as Record<string, HistoryEntry[]> | undefined)?.[spec.property] ?? [])
				.map((h, newestFirst) => ({ value: String(h.value ?? ''), at: timeMs(h.timestamp), newestFirst }))
				.filter((h) => Number.isFinite(h.at))
				.sort((a, b) => a.at - b.at || b.newestFirst - a.newestFirst);
			const record = records[index] as CrmEvent['record'] & { pipelineId?: string };
			for (let i = 1; i < history.length; i++) {
				const from = history[i - 1];
				const to = history[i];
				if (to.at < sinceMs || to.value === from.value) continue;
				if (spec.to && !spec.to.includes(to.value)) continue;
				events.push({
					type: this.type,
					key: `${object.id}|${spec.property}|${to.at}|${to.value}`,
					at: to.at,
					record,
					stage: stageRef(to.value, record.pipelineId, pipelines),
					previous: stageRef(from.value, record.pipelineId, pipelines),
					...pipelineRef(record.pipelineId, pipelines),
				});
			}
		});
		return events;
	}
}

function stageRef(id: string, pipelineId: string | undefined, pipelines: Pipeline[]): StageRef {
	const pipeline = pipelines.find((p) => p.id === pipelineId);
	const stage = (pipeline?.stages ?? pipelines.flatMap((p) => p.stages)).find((s) => s.id === id);
	return { id, ...(stage ? { name: stage.name, closed: stage.closed } : {}) };
}

function pipelineRef(pipelineId: string | undefined, pipelines: Pipeline[]): Pick<CrmEvent, 'pipeline'> {
	if (!pipelineId) return {};
	const name = pipelines.find((p) => p.id === pipelineId)?.name;
	return { pipeline: { id: pipelineId, ...(name ? { name } : {}) } };
}

function stageOf(record: CrmEvent['record'], pipelines: Pipeline[]): Pick<CrmEvent, 'stage' | 'pipeline'> {
	const located = record as { stageId?: string; pipelineId?: string };
	if (!located.stageId || pipelines.length === 0) return {};
	return { stage: stageRef(located.stageId, located.pipelineId, pipelines), ...pipelineRef(located.pipelineId, pipelines) };
}
