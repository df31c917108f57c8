/**
 * A lead's or contact's activities for event scoring, as Zoho CRM keeps them:
 * - Tasks linked to the record (COQL on Tasks: `What_Id` for a lead, `Who_Id` for a contact):
 *   timed by completion (`Closed_Time`), else due date, else creation.
 * - Notes of the record (`GET /{module}/{id}/Notes`): a note, or an email where this package
 *   logged one ("Email: <subject>", see ./messages.ts), timed by creation. The "Email sent: …"
 *   notes the package writes after `send_mail` are skipped: that email is in the Emails list.
 * - Emails of the record (`GET /{module}/{id}/Emails`, email-related-records.html): timed by
 *   `sent_time`. UNCONFIRMED: only the first page (200) is read; the list pages by `index`.
 * Not read: Calls and Events (meetings) modules (the sandbox has neither, so it could not be
 * checked here) and lead status moves (Zoho has no field-history API for Leads that we found).
 */
import type { Activity, ItemResult } from '../../contract/provider';
import type { ResourceType } from '../../model/types';
import type { CrmTransport } from '../../transport/http';
import type { ZohoClient } from './client';
import { lookupId, MODULE_OF, timeMs } from './mapping';

/** Ids per COQL `in (...)` (COQL allows up to 50 values in a criteria's list). */
const IDS_PER_QUERY = 50;
/** Zoho's COQL page (rows per query; `limit offset, count`). */
const COQL_ROWS = 2000;

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
	for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
		const list = unique.slice(i, i + IDS_PER_QUERY).map((id) => `'${id}'`).join(', ');
		for (let offset = 0; ; offset += COQL_ROWS) {
			const { data, more } = await deps.client.coql(`select id, ${link}, Status, Due_Date, Closed_Time, Created_Time from Tasks where ${link} in (${list}) order by id asc limit ${offset}, ${COQL_ROWS}`);
			for (const task of data) {
				const closed = timeMs(task.Closed_Time);
				const due = timeMs(task.Due_Date);
				add(lookupId(task[link]), { kind: 'task', occurredAt: Number.isFinite(closed) ? closed : Number.isFinite(due) ? due : timeMs(task.Created_Time), id: String(task.id) });
			}
			if (!more) break;
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
