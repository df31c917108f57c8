/**
 * A record's activities for event scoring. HubSpot keeps engagements as their own objects
 * associated with the record (emails, notes, tasks; guides per object type), each timed by
 * `hs_timestamp` (an email's send time, a note's time, a task's due time), and keeps every value
 * a property had (`propertiesWithHistory`): each change of the lead status, lifecycle stage or a
 * lead's pipeline stage after its first value is a stage move.
 *
 * Not read yet: calls and meetings (the `calls` / `meetings` objects, same shape). The contract
 * sandbox has no schema for them, so reading them could not be checked here.
 */
import type { Activity, ActivityKind, ItemResult } from '../../contract/provider';
import { CrmApiError } from '../../transport/errors';
import type { HubSpotBatcher } from './batch';
import { timeMs } from './events';
import type { HubSpotMessages } from './messages';

const ENGAGEMENTS: Array<{ objectType: string; kind: ActivityKind }> = [
	{ objectType: 'emails', kind: 'email' },
	{ objectType: 'notes', kind: 'note' },
	{ objectType: 'tasks', kind: 'task' },
];

/** Properties whose changes are stage moves, per record object type. */
const STAGE_PROPERTIES: Record<string, string[]> = {
	contacts: ['lifecyclestage', 'hs_lead_status'],
	leads: ['hs_pipeline_stage'],
};

export async function listHubSpotActivities(
	deps: { batcher: HubSpotBatcher; messages: HubSpotMessages },
	objectType: string,
	ids: string[],
	since: number,
): Promise<Array<ItemResult<Activity[]>>> {
	const found = new Map<string, Activity[]>(ids.map((id) => [id, []]));
	const add = (recordId: string, activity: Activity) => {
		if (Number.isFinite(activity.occurredAt) && activity.occurredAt >= since) found.get(recordId)?.push(activity);
	};

	for (const { objectType: engagementType, kind } of ENGAGEMENTS) {
		const associated = await deps.messages.associatedIds(objectType, engagementType, ids);
		const engagementIds = [...new Set([...associated.values()].flat())];
		if (!engagementIds.length) continue;
		const engagements = await deps.batcher.readAll(engagementType, engagementIds, { properties: ['hs_timestamp'], propertiesWithHistory: [] });
		for (const [recordId, linked] of associated) {
			for (const id of linked) {
				const object = engagements.get(id);
				if (object) add(recordId, { kind, occurredAt: timeMs(object.properties?.hs_timestamp ?? object.createdAt), id });
			}
		}
	}

	const stageProperties = STAGE_PROPERTIES[objectType] ?? [];
	const records = await deps.batcher.readAll(objectType, ids, { properties: stageProperties, propertiesWithHistory: stageProperties });
	for (const [recordId, object] of records) {
		const histories = (object.propertiesWithHistory ?? {}) as Record<string, Array<{ value?: unknown; timestamp?: unknown }>>;
		for (const property of stageProperties) {
			const history = (histories[property] ?? []).map((h) => ({ value: String(h.value ?? ''), at: timeMs(h.timestamp) })).sort((a, b) => a.at - b.at);
			for (let i = 1; i < history.length; i++) {
				if (history[i].value !== history[i - 1].value) add(recordId, { kind: 'stageChange', occurredAt: history[i].at, id: `${property}@${history[i].at}` });
			}
		}
	}

	return ids.map((id) =>
		records.has(id)
			? { ok: true, value: found.get(id) ?? [] }
			: { ok: false, error: new CrmApiError('HubSpot', { message: `No ${objectType} record with id ${id}`, code: 'OBJECT_NOT_FOUND', status: 404 }) },
	);
}
