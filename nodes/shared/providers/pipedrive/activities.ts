/**
 * What Pipedrive records on a lead, person or deal, for event scoring and the stale-deals report.
 *
 * Scoring (leads and contacts): activities linked to the record (v2 `GET /activities` with
 * `lead_id` / `person_id`, one list per record) and its notes (v1 `GET /notes` with the same
 * filter). An activity's `type` key is its kind (`call`, `meeting`, `email`; every other type,
 * `task`, `deadline`, `lunch` or a company's own, is a task). Times: a call's, meeting's or
 * email's scheduled start (`due_date` + `due_time`), else when it was marked done; a task's
 * `marked_as_done_time`, else its due moment; else (both) its `add_time`; a note's `add_time`.
 * Leads and persons keep no status history in Pipedrive (a lead's labels are not logged), so
 * there are no stage moves. Not read: mail from the Mailbox API (`/v1/persons/{id}/mailMessages`),
 * which the contract sandbox does not model; an email logged as an activity of type `email` counts.
 *
 * Deals (reports' `history`): one read of the deal's flow (v1 `GET /deals/{id}/flow`, newest
 * first) gives every `expected_close_date` change (the close-date history) and the notes and
 * activities logged on it (the last activity: the newest note or done activity).
 */
import type { Activity, ItemResult } from '../../contract/provider';
import type { CloseDateEntry, ResourceType } from '../../model/types';
import { mapLimit } from '../../transport/concurrency';
import { CrmCapabilityError } from '../../transport/errors';
import type { PdRecord, PipedriveClient } from './client';
import { PD_CONCURRENCY, v1, v2 } from './client';
import { activityKind, dueAtOf, leadId, numericId, toMs } from './mapping';

const firstTime = (...values: unknown[]) => values.map(toMs).find(Number.isFinite) ?? Number.NaN;

export function activityTime(raw: PdRecord): number {
	const due = raw.due_date ? toMs(dueAtOf(raw)) : Number.NaN;
	return activityKind(raw.type) === 'task' ? firstTime(raw.marked_as_done_time, due, raw.add_time) : firstTime(due, raw.marked_as_done_time, raw.add_time);
}

/** The list filter that links activities and notes to a record of `resource`. */
function filterOf(resource: ResourceType, id: string): Record<string, string | number> {
	if (resource === 'lead') return { lead_id: leadId(id) };
	if (resource === 'contact') return { person_id: numericId(id, 'id') };
	if (resource === 'deal') return { deal_id: numericId(id, 'id') };
	if (resource === 'company') return { org_id: numericId(id, 'id') };
	throw new CrmCapabilityError('Pipedrive', `activities of ${resource}s`);
}

export async function listPipedriveActivities(client: PipedriveClient, resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
	return mapLimit(ids, PD_CONCURRENCY, async (id): Promise<ItemResult<Activity[]>> => {
		try {
			const filter = filterOf(resource, String(id ?? '').trim());
			const found: Activity[] = [];
			const add = (activity: Activity) => {
				if (Number.isFinite(activity.occurredAt) && activity.occurredAt >= since) found.push(activity);
			};
			for await (const page of client.listV2<PdRecord>(v2('/activities'), filter)) {
				for (const raw of page) add({ kind: activityKind(raw.type), occurredAt: activityTime(raw), id: String(raw.id) });
			}
			for await (const page of client.listV1<PdRecord>(v1('/notes'), filter)) {
				for (const note of page) add({ kind: 'note', occurredAt: toMs(note.add_time), id: String(note.id) });
			}
			return { ok: true, value: found };
		} catch (error) {
			return { ok: false, error: error as Error };
		}
	});
}

export interface DealFlowHistory {
	closeDateHistory: CloseDateEntry[];
	lastActivityAt?: string;
}

/**
 * A deal's close-date history and last activity from its flow. The history starts with the
 * close date the deal had when created (the first change's old value, else the current one),
 * then every change at its log time; a deal without a close date ever has none (`[]`).
 */
export async function dealFlowHistory(client: PipedriveClient, deal: PdRecord): Promise<DealFlowHistory> {
	const changes: Array<{ from: string | null; to: string | null; at: number; seq: number }> = [];
	let last = Number.NaN;
	for await (const page of client.listV1<PdRecord>(v1(`/deals/${encodeURIComponent(String(deal.id))}/flow`), {})) {
		for (const entry of page) {
			const data = (entry.data ?? {}) as PdRecord;
			if (entry.object === 'dealChange' && data.field_key === 'expected_close_date') {
				const value = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v).slice(0, 10));
				changes.push({ from: value(data.old_value), to: value(data.new_value), at: toMs(data.log_time ?? entry.timestamp), seq: Number(data.id) || 0 });
			}
			// A planned (not done) activity has not happened yet: it is no sign of life on the deal.
			const at = entry.object === 'note' ? toMs(data.add_time ?? entry.timestamp) : entry.object === 'activity' && (data.done === true || data.done === 1) ? firstTime(data.marked_as_done_time, entry.timestamp) : Number.NaN;
			if (Number.isFinite(at) && (!Number.isFinite(last) || at > last)) last = at;
		}
	}
	changes.sort((a, b) => a.at - b.at || a.seq - b.seq);
	const created = toMs(deal.add_time);
	const first = changes.length ? changes[0].from : deal.expected_close_date ? String(deal.expected_close_date).slice(0, 10) : null;
	const history: CloseDateEntry[] = first ? [{ closeDate: first, changedAt: created }] : [];
	for (const change of changes) if (change.to) history.push({ closeDate: change.to, changedAt: change.at });
	return { closeDateHistory: history, ...(Number.isFinite(last) ? { lastActivityAt: new Date(last).toISOString() } : {}) };
}
