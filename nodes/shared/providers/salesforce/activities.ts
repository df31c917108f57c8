/**
 * A lead's or contact's activities for event scoring. Salesforce links activities to a person
 * through `WhoId` (sforce_api_objects_task.htm: "Name ID ... a Contact or Lead"): Tasks, with
 * `TaskSubtype` Email / ListEmail for logged emails and Call for calls (or `Type` Call / Meeting
 * on older records), and classic Notes through `ParentId`. A task's time is its completion, else
 * its due date, else its creation.
 *
 * Not read yet: Events (calendar meetings, `StartDateTime`) and LeadHistory status moves: the
 * contract sandbox models neither object, so those queries could not be checked here.
 */
import type { Activity, ActivityKind, ItemResult } from '../../contract/provider';
import { chunk } from '../../transport/pagination';
import type { SalesforceApi } from './api';
import type { SObjectRecord } from './mapping';
import { and, soql, soqlDateTime, soqlIn } from './soql';

const IDS_PER_QUERY = 200;

/** 15- and 18-character forms of one id share their first 15 characters. */
const key = (id: unknown) => String(id ?? '').slice(0, 15);

function taskKind(row: SObjectRecord): ActivityKind {
	const subtype = String(row.TaskSubtype ?? '');
	const type = String(row.Type ?? '');
	if (subtype === 'Email' || subtype === 'ListEmail' || type === 'Email') return 'email';
	if (subtype === 'Call' || type === 'Call') return 'call';
	if (type === 'Meeting') return 'meeting';
	return 'task';
}

/** A datetime, or a date-only value (`ActivityDate`) at midnight UTC. */
function instant(value: unknown): number {
	if (typeof value !== 'string' || !value) return Number.NaN;
	return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

export async function listSalesforceActivities(api: SalesforceApi, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
	const found = new Map<string, Activity[]>(ids.map((id) => [key(id), []]));
	const add = (whoId: unknown, activity: Activity) => {
		if (Number.isFinite(activity.occurredAt) && activity.occurredAt >= since) found.get(key(whoId))?.push(activity);
	};
	for (const part of chunk([...new Set(ids)], IDS_PER_QUERY)) {
		const tasks = await api.queryAll(
			soql({ select: ['Id', 'WhoId', 'TaskSubtype', 'Type', 'ActivityDate', 'CompletedDateTime', 'CreatedDate'], from: 'Task', where: soqlIn('WhoId', part), orderBy: 'CreatedDate ASC, Id ASC' }),
		);
		for (const row of tasks) {
			const at = [row.CompletedDateTime, row.ActivityDate, row.CreatedDate].map(instant).find(Number.isFinite) ?? Number.NaN;
			add(row.WhoId, { kind: taskKind(row), occurredAt: at, id: String(row.Id) });
		}
		const notes = await api.queryAll(
			soql({ select: ['Id', 'ParentId', 'CreatedDate'], from: 'Note', where: and([soqlIn('ParentId', part), `CreatedDate >= ${soqlDateTime(since)}`]), orderBy: 'CreatedDate ASC, Id ASC' }),
		);
		for (const row of notes) add(row.ParentId, { kind: 'note', occurredAt: instant(row.CreatedDate), id: String(row.Id) });
	}
	return ids.map((id) => ({ ok: true, value: found.get(key(id)) ?? [] }));
}
