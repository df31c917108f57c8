/**
 * Pipedrive event feeds for the CRM Trigger (polling):
 * - creations (leads v1, persons and deals v2): records changed since the window start
 *   (`updated_since`), the ones added since then; a creation is keyed by the record id;
 * - deal stage moves and won/lost: deals changed since the window start, then each deal's flow
 *   (v1 `GET /deals/{id}/flow`), whose `dealChange` entries hold every change of `stage_id` and
 *   `status` with old and new value, time, user and `change_source` (`app`/`api`): A → B → C
 *   between two polls gives both moves;
 * - completed tasks: activities with `done=true` changed since the window start, keyed by
 *   `marked_as_done_time`.
 * Known limit (as on EspoCRM): a deal that, within one second after a poll read it, moves on and
 * back to the stage the poll saw is found when it changes again within the safety window.
 * Not offered: ticket events (Pipedrive has no tickets) and Task Overdue (a due date passing
 * changes nothing Pipedrive lists by; finding them would re-read every open activity each poll).
 */
import type { CrmRecord, Pipeline, ResourceType } from '../../model/types';
import type { Candidate, CrmEvent, EventFeed, EventType, StageRef } from '../../contract/events';
import { CrmInputError } from '../../transport/errors';
import { mapLimit } from '../../transport/concurrency';
import type { PdRecord, PipedriveClient } from './client';
import { PD_CONCURRENCY, PD_PAGE_SIZE, v1 } from './client';
import { PATH_OF, readQuery, toMs } from './mapping';

export const PIPEDRIVE_EVENTS: readonly EventType[] = ['newLead', 'newContact', 'dealCreated', 'dealStageChanged', 'dealWonLost', 'taskCompleted'];

export interface FeedDependencies {
	client: PipedriveClient;
	toRecords: (resource: ResourceType, raws: PdRecord[]) => Promise<CrmRecord[]>;
	pipelines: () => Promise<Pipeline[]>;
	/** The API token's user: changes it made through the API are this package's (the loop guard). */
	ownUserId: () => Promise<string>;
}

type FeedSpec = { kind: 'created'; resource: ResourceType } | { kind: 'deal'; field: 'stage_id' | 'status' } | { kind: 'completed' };

export function feedSpecOf(type: EventType): FeedSpec {
	switch (type) {
		case 'newLead':
			return { kind: 'created', resource: 'lead' };
		case 'newContact':
			return { kind: 'created', resource: 'contact' };
		case 'dealCreated':
			return { kind: 'created', resource: 'deal' };
		case 'dealStageChanged':
			return { kind: 'deal', field: 'stage_id' };
		case 'dealWonLost':
			return { kind: 'deal', field: 'status' };
		case 'taskCompleted':
			return { kind: 'completed' };
		default:
			throw new CrmInputError(
				`Pipedrive has no "${type}" event`,
				'event',
				type.startsWith('ticket') ? 'Pipedrive has no tickets.' : 'A due date passing changes nothing Pipedrive can be polled for; use a schedule with CRM → Task → Search (open tasks due before now).',
			);
	}
}

/** Who made a change: `package` when it came through the API as the token's own user. */
export function originOf(changeSource: unknown, userId: unknown, ownUserId: string): 'package' | 'other' {
	return String(changeSource ?? '').toLowerCase() === 'api' && ownUserId !== '' && String(userId ?? '') === ownUserId ? 'package' : 'other';
}

export interface DealChange {
	/** The flow entry's id (stable: the dedupe key). */
	id: string;
	at: number;
	field: 'stage_id' | 'status';
	from?: string;
	to: string;
	origin: 'package' | 'other';
}

/** A deal's stage and status changes from `sinceMs` on, oldest first (v1 flow, newest first, paged). */
export async function dealChanges(client: PipedriveClient, dealId: string, sinceMs: number, ownUserId: string): Promise<DealChange[]> {
	const changes: DealChange[] = [];
	for await (const page of client.listV1<PdRecord>(v1(`/deals/${encodeURIComponent(dealId)}/flow`), { items: 'dealChange' })) {
		let older = false;
		for (const entry of page) {
			if (entry.object !== undefined && entry.object !== 'dealChange') continue;
			const data = (entry.data ?? entry) as PdRecord;
			const field = String(data.field_key ?? '');
			if (field !== 'stage_id' && field !== 'status') continue;
			const at = toMs(data.log_time ?? entry.timestamp);
			if (!Number.isFinite(at)) continue;
			if (at < sinceMs) {
				older = true;
				continue;
			}
			changes.push({
				id: String(data.id ?? `${dealId}:${field}:${at}`),
				at,
				field,
				from: data.old_value === undefined || data.old_value === null ? undefined : String(data.old_value),
				to: String(data.new_value ?? ''),
				origin: originOf(data.change_source, data.user_id, ownUserId),
			});
		}
		// Newest first: once a page reaches before the window, the older pages are not needed.
		if (older) break;
	}
	// Flow ids grow with each change: they order the changes of one second.
	return changes.sort((a, b) => a.at - b.at || (Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : 1)));
}

export function stageRef(stageId: string | undefined, pipelines: Pipeline[], closed?: 'won' | 'lost'): StageRef | undefined {
	if (!stageId) return undefined;
	const stage = pipelines.flatMap((p) => p.stages).find((s) => s.id === stageId);
	return { id: stageId, ...(stage ? { name: stage.name } : {}), closed: closed ?? 'open' };
}

export function pipelineRef(pipelineId: string | undefined, pipelines: Pipeline[]): Pick<CrmEvent, 'pipeline'> {
	if (!pipelineId) return {};
	const pipeline = pipelines.find((p) => p.id === pipelineId);
	return { pipeline: { id: pipelineId, ...(pipeline ? { name: pipeline.name } : {}) } };
}

/** The dedupe key of a recorded deal change (one per flow entry). */
export const changeKey = (dealId: string, field: string, changeId: string) => `${dealId}|${field}|${changeId}`;
export const completionKey = (id: string, atMs: number) => `${id}|completed|${atMs}`;

const iso = (ms: number) => new Date(Math.max(0, ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class PipedriveEventFeed implements EventFeed {
	private readonly spec: FeedSpec;

	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {
		this.spec = feedSpecOf(type);
	}

	private get resource(): ResourceType {
		return this.spec.kind === 'created' ? this.spec.resource : this.spec.kind === 'deal' ? 'deal' : 'task';
	}

	/** Records changed at or after `sinceMs`, oldest change first. */
	private changedSince(sinceMs: number): AsyncGenerator<PdRecord[]> {
		const path = PATH_OF[this.resource]!;
		// Pipedrive's `updated_since` has whole seconds: round down so nothing at the boundary is lost.
		const since = iso(Math.floor(sinceMs / 1000) * 1000);
		if (this.resource === 'lead') return this.deps.client.listV1(path, { updated_since: since, sort: 'update_time ASC' });
		return this.deps.client.listV2(path, { updated_since: since, sort_by: 'update_time', sort_direction: 'asc', ...readQuery(this.resource), ...(this.spec.kind === 'completed' ? { done: true } : {}) });
	}

	private candidate(raw: PdRecord): Candidate | undefined {
		const id = String(raw.id);
		switch (this.spec.kind) {
			case 'created': {
				const at = toMs(raw.add_time);
				return Number.isFinite(at) ? { key: id, at, id, raw } : undefined;
			}
			case 'deal': {
				// Times have whole seconds: the current stage and status tell two changes in one second apart.
				const at = toMs(raw.update_time);
				return Number.isFinite(at) ? { key: `${id}@${at}|${String(raw.stage_id ?? '')}|${String(raw.status ?? '')}`, at, id, raw } : undefined;
			}
			case 'completed': {
				const at = toMs(raw.marked_as_done_time ?? raw.update_time);
				return raw.done === true && Number.isFinite(at) ? { key: completionKey(id, at), at, id, raw } : undefined;
			}
		}
	}

	async *scan(sinceMs: number): AsyncGenerator<Candidate[]> {
		for await (const page of this.changedSince(sinceMs)) {
			const candidates = page.map((raw) => this.candidate(raw)).filter((c): c is Candidate => !!c && c.at >= sinceMs);
			if (candidates.length) yield candidates;
		}
	}

	async latest(limit: number): Promise<Candidate[]> {
		const path = PATH_OF[this.resource]!;
		const size = Math.min(Math.max(limit, 1), PD_PAGE_SIZE);
		const sortField = this.spec.kind === 'created' ? 'add_time' : 'update_time';
		const page =
			this.resource === 'lead'
				? await this.deps.client.pageV1<PdRecord>(path, { sort: `${sortField} DESC` }, 0, size)
				: await this.deps.client.pageV2<PdRecord>(path, { sort_by: sortField, sort_direction: 'desc', limit: size, ...readQuery(this.resource), ...(this.spec.kind === 'completed' ? { done: true } : {}) });
		return page.items.map((raw) => this.candidate(raw)).filter((c): c is Candidate => !!c);
	}

	async expand(candidates: Candidate[], sinceMs: number): Promise<CrmEvent[]> {
		if (candidates.length === 0) return [];
		const raws = candidates.map((c) => c.raw as PdRecord);
		const records = await this.deps.toRecords(this.resource, raws);
		const pipelines = this.resource === 'deal' ? await this.deps.pipelines() : [];
		if (this.spec.kind !== 'deal') {
			return candidates.map((c, i) => ({
				type: this.type,
				key: c.key,
				at: c.at,
				record: records[i],
				...(this.resource === 'deal' ? { stage: stageRef(String(raws[i].stage_id ?? ''), pipelines), ...pipelineRef(String(raws[i].pipeline_id ?? ''), pipelines) } : {}),
			}));
		}
		const field = this.spec.field;
		const own = await this.deps.ownUserId().catch(() => '');
		// One deal may be a candidate several times (changed again within the window): read its flow once.
		const byId = new Map(candidates.map((c, i) => [c.id, i]));
		const ids = [...byId.keys()];
		const flows = await mapLimit(ids, PD_CONCURRENCY, (id) => dealChanges(this.deps.client, id, sinceMs, own));
		const events: CrmEvent[] = [];
		ids.forEach((id, n) => {
			const i = byId.get(id)!;
			const raw = raws[i];
			for (const change of flows[n].filter((c) => c.field === field)) {
				if (field === 'status' && change.to !== 'won' && change.to !== 'lost') continue;
				events.push({
					type: this.type,
					key: changeKey(id, field, change.id),
					at: change.at,
					record: records[i],
					stage: field === 'stage_id' ? stageRef(change.to, pipelines)! : stageRef(String(raw.stage_id ?? ''), pipelines, change.to as 'won' | 'lost')!,
					...(field === 'stage_id' && change.from ? { previous: stageRef(change.from, pipelines) } : {}),
					...pipelineRef(String(raw.pipeline_id ?? ''), pipelines),
					origin: change.origin,
				});
			}
		});
		return events;
	}
}

