/**
 * A lead's or contact's activities for event scoring, as Zoho CRM keeps them:
 * - Tasks, Calls and Events (meetings) linked to the record (COQL: `What_Id` for a lead, `Who_Id`
 *   for a contact; UNCONFIRMED for Calls/Events, whose docs also show a lead as "Call To" or a
 *   participant): a task timed by completion (`Closed_Time`), else due date, else creation; a call
 *   by `Call_Start_Time`; a meeting by `Start_DateTime`.
 * - Notes of the record (`GET /{module}/{id}/Notes`): a note, or an email where this package
 *   logged one ("Email: <subject>", see ./messages.ts), timed by creation. The "Email sent: …"
 *   notes the package writes after `send_mail` are skipped: that email is in the Emails list.
 * - Emails of the record (`GET /{module}/{id}/Emails`, email-related-records.html): timed by
 *   `sent_time`. UNCONFIRMED: only the first page (200) is read; the list pages by `index`.
 * Not read: lead status moves (Zoho has no field-history API for Leads that we found).
 */
import type { Activity, ActivityKind, ItemResult } from '../../contract/provider';
import type { ResourceType } from '../../model/types';
import type { CrmTransport } from '../../transport/http';
import type { ZohoClient } from './client';
import { lookupId, MODULE_OF, timeMs } from './mapping';
import type { ZohoRecord } from './mapping';

/** Ids per COQL `in (...)` (COQL allows up to 50 values in a criteria's list). */
const IDS_PER_QUERY = 50;
/** Zoho's COQL page (rows per query; `limit offset, count`). */
const COQL_ROWS = 2000;

/** The activity modules, the kind each is, its time columns and how a row's time is read. */
const ACTIVITY_MODULES: Array<{ module: string; kind: ActivityKind; columns: string[]; time(row: ZohoRecord): number }> = [
	{
		module: 'Tasks',
		kind: 'task',
		columns: ['Due_Date', 'Closed_Time', 'Created_Time'],
		time: (row) => [timeMs(row.Closed_Time), timeMs(row.Due_Date), timeMs(row.Created_Time)].find(Number.isFinite) ?? Number.NaN,
	},
	{ module: 'Calls', kind: 'call', columns: ['Call_Start_Time'], time: (row) => timeMs(row.Call_Start_Time) },
	{ module: 'Events', kind: 'meeting', columns: ['Start_DateTime'], time: (row) => timeMs(row.Start_DateTime) },
];

const LOGGED_EMAIL = /^Email: /;
const SENT_EMAIL_MIRROR = /^Email sent: /;

export interface ActivityDependencies {
	client: ZohoClient;
	transport: CrmTransport;
}

export async function listZohoActivities(deps: ActivityDependencies, resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
	const found = new Map<string, Activity[]>(ids.map((id) => [id, []]));
	const add = (recordId: string | undefined, activity: Activity) => {
		if (recordId !== undefined && Number.isFinite(activity.occurredAt) && activity.occurredAt >= since) found.get(recordId)?.push(activity);
	};
	const module = MODULE_OF[resource];
	const unique = [...found.keys()].filter((id) => /^\d+$/.test(id));

	const link = resource === 'contact' ? 'Who_Id' : 'What_Id';
	for (const activity of ACTIVITY_MODULES) {
		for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
			const list = unique.slice(i, i + IDS_PER_QUERY).map((id) => `'${id}'`).join(', ');
			for (let offset = 0; ; offset += COQL_ROWS) {
				const { data, more } = await deps.client.coql(`select id, ${link}, ${activity.columns.join(', ')} from ${activity.module} where ${link} in (${list}) order by id asc limit ${offset}, ${COQL_ROWS}`);
				for (const row of data) add(lookupId(row[link]), { kind: activity.kind, occurredAt: activity.time(row), id: String(row.id) });
				if (!more) break;
			}
		}
	}

	for (const id of unique) {
		for (let page = 1; page <= 10; page++) {
			const { data, info } = await deps.client.list('Notes', { fields: 'Note_Title,Created_Time', per_page: 200, page }, `/${module}/${encodeURIComponent(id)}/Notes`);
			for (const note of data) {
				const title = String(note.Note_Title ?? '');
				if (SENT_EMAIL_MIRROR.test(title)) continue;
				add(id, { kind: LOGGED_EMAIL.test(title) ? 'email' : 'note', occurredAt: timeMs(note.Created_Time), id: String(note.id) });
			}
			if (info.more_records !== true) break;
		}
		const { status, body } = await deps.transport.request<{ Emails?: Array<Record<string, unknown>> } | string | undefined>({
			method: 'GET',
			path: `/${module}/${encodeURIComponent(id)}/Emails`,
			idempotent: true,
		});
		const emails = status === 204 || !body || typeof body !== 'object' || !Array.isArray(body.Emails) ? [] : body.Emails;
		for (const email of emails) add(id, { kind: 'email', occurredAt: timeMs(email.sent_time ?? email.time), id: email.message_id === undefined ? undefined : String(email.message_id) });
	}

	return ids.map((id) => ({ ok: true, value: found.get(id) ?? [] }));
}
