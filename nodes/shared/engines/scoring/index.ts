/**
 * The Score operation: read the records (one batch), their activities when the model has event
 * terms (one call), score each, then optionally write score and band back (one batched update).
 * Nothing is written until every record is scored: a rule naming a vendor field the record does
 * not have stops the run first (unless the node continues on fail).
 */
import type { Activity, CrmProvider, ItemResult } from '../../contract/provider';
import type { CrmRecord, RecordUpdate, ResourceType } from '../../model/types';
import { requireRecordOperation } from '../../contract/capabilities';
import { CrmCapabilityError, CrmInputError } from '../../transport/errors';
import { checkValidation, writeValid } from '../batch';
import type { RunOptions } from '../batch';
import { updateRecords } from '../records';
import { DAY_MS, scoreRecord } from './evaluate';
import type { ScoreResult } from './evaluate';
import type { ScoringModel } from './model';

export * from './model';
export { bandOf, decayed, scoreRecord } from './evaluate';
export type { ScoreResult } from './evaluate';

export interface ScoreRequest {
	id: string;
	model: ScoringModel;
	/** Epoch ms. */
	scoredAt: number;
	/** How far back activities are read for event terms (days before `scoredAt`). */
	lookbackDays: number;
}

/** Vendor property names the score and the band are written to (none: nothing is written). */
export interface WriteBack {
	scoreField?: string;
	bandField?: string;
}

export interface ScoreOutcome extends ScoreResult {
	record: CrmRecord;
	/** The vendor properties written, empty without write-back. */
	written: string[];
}

export const DEFAULT_LOOKBACK_DAYS = 365;

export async function scoreRecords(
	provider: CrmProvider,
	resource: ResourceType,
	requests: ScoreRequest[],
	writeBack: WriteBack,
	options: RunOptions,
): Promise<Array<ItemResult<ScoreOutcome>>> {
	requireRecordOperation(provider, resource, 'get');
	const writing = [writeBack.scoreField, writeBack.bandField].filter((f): f is string => Boolean(f));
	if (writing.length) requireRecordOperation(provider, resource, 'update');
	const withEvents = requests.filter((r) => r.model.events.length > 0);
	if (withEvents.length && !provider.listActivities) {
		throw new CrmCapabilityError(provider.displayName, 'reading a record\'s activities (event terms)', 'Score with field rules only.');
	}
	for (const r of requests) if (!r.id) throw new CrmInputError(`The ${resource} id is empty`, 'recordId');

	const records = await provider.getRecords(resource, requests.map((r) => r.id));
	const activities = await activitiesOf(provider, resource, requests, records);

	const scored: Array<ItemResult<ScoreOutcome>> = requests.map((request, i) => {
		const record = records[i];
		if (!record.ok) return record;
		const events = activities.get(i);
		if (events && !events.ok) return events;
		try {
			return { ok: true, value: { ...scoreRecord(record.value, request.model, request.scoredAt, events?.value), record: record.value, written: [] } };
		} catch (error) {
			return { ok: false, error: error as Error };
		}
	});
	if (!writing.length) return scored;
	checkValidation(scored, options);

	const updates = scored.map((r): ItemResult<RecordUpdate> =>
		r.ok
			? {
					ok: true,
					value: {
						id: r.value.record.id,
						fields: {},
						customProperties: {
							...(writeBack.scoreField ? { [writeBack.scoreField]: r.value.score } : {}),
							...(writeBack.bandField ? { [writeBack.bandField]: r.value.band } : {}),
						},
					},
				}
			: r,
	);
	const written = await writeValid(updates, (valid) => updateRecords(provider, resource, valid, options));
	return scored.map((r, i) => {
		const w = written[i];
		if (!r.ok) return r;
		if (!w.ok) return w;
		return { ok: true, value: { ...r.value, record: w.value, written: writing } };
	});
}

/** Activities per request index, read in one call from the earliest time any request needs. */
async function activitiesOf(
	provider: CrmProvider,
	resource: ResourceType,
	requests: ScoreRequest[],
	records: Array<ItemResult<CrmRecord>>,
): Promise<Map<number, ItemResult<Activity[]>>> {
	const wanted = requests.map((r, i) => i).filter((i) => requests[i].model.events.length > 0 && records[i].ok);
	const out = new Map<number, ItemResult<Activity[]>>();
	if (!wanted.length || !provider.listActivities) return out;
	const since = Math.min(...wanted.map((i) => requests[i].scoredAt - requests[i].lookbackDays * DAY_MS));
	const ids = [...new Set(wanted.map((i) => (records[i] as { value: CrmRecord }).value.id))];
	const results = await provider.listActivities(resource, ids, since);
	const byId = new Map(ids.map((id, k) => [id, results[k]]));
	for (const i of wanted) {
		const request = requests[i];
		const result = byId.get((records[i] as { value: CrmRecord }).value.id);
		if (!result) continue;
		// Each request keeps only its own window, so a batch with other requests scores the same.
		const from = request.scoredAt - request.lookbackDays * DAY_MS;
		out.set(i, result.ok ? { ok: true, value: result.value.filter((a) => a.occurredAt >= from) } : result);
	}
	return out;
}
