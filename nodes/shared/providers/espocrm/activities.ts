/**
 * A lead's or contact's activities for event scoring. EspoCRM links Tasks and Emails to a record
 * through `parentType` / `parentId` (one list call per kind for all records), and writes a
 * `Status` note on the record's stream for every status change and a `Post` note for a post
 * (see stream.ts; one stream read per record, as streamRecords does). Times: a task's
 * `dateCompleted`, else `dateEnd` (due), else `createdAt`; an email's `dateSent`, else `createdAt`.
 *
 * Not read yet: Meetings and Calls (same parent link, `dateStart`): the contract sandbox has no
 * Meeting or Call entity, so those lists could not be checked here.
 */
import type { Activity, ActivityKind, ItemResult } from '../../contract/provider';
import { collectPages, paginateOffset } from '../../transport/pagination';
import type { EspoClient, EspoRecord } from './client';
import { ESPO_CONCURRENCY, ESPO_PAGE_SIZE, mapLimit } from './client';
import { toMs } from './mapping';
import type { EspoStream } from './stream';
import { transitions } from './stream';

const LINKED: Array<{ entityType: string; kind: ActivityKind; times: string[] }> = [
	{ entityType: 'Task', kind: 'task', times: ['dateCompleted', 'dateEnd', 'createdAt'] },
	{ entityType: 'Email', kind: 'email', times: ['dateSent', 'createdAt'] },
];

export async function listEspoActivities(
	deps: { client: EspoClient; stream: EspoStream },
	entityType: string,
	statusField: string | undefined,
	ids: string[],
	since: number,
): Promise<Array<ItemResult<Activity[]>>> {
	const found = new Map<string, Activity[]>(ids.map((id) => [id, []]));
	const add = (recordId: unknown, activity: Activity) => {
		if (Number.isFinite(activity.occurredAt) && activity.occurredAt >= since) found.get(String(recordId))?.push(activity);
	};
	for (const linked of LINKED) {
		const rows = await collectPages(
			paginateOffset(async (offset, limit) => {
				const { list } = await deps.client.list<EspoRecord>(linked.entityType, {
					where: [
						{ type: 'equals', attribute: 'parentType', value: entityType },
						{ type: 'in', attribute: 'parentId', value: ids },
					],
					select: ['id', 'parentId', ...linked.times],
					orderBy: 'createdAt',
					order: 'asc',
					offset,
					maxSize: limit,
				});
				return { items: list };
			}, ESPO_PAGE_SIZE),
		);
		for (const row of rows) {
			const at = linked.times.map((t) => toMs(row[t])).find(Number.isFinite) ?? Number.NaN;
			add(row.parentId, { kind: linked.kind, occurredAt: at, id: String(row.id) });
		}
	}
	await mapLimit(ids, ESPO_CONCURRENCY, async (id) => {
		const notes = await deps.stream.notes(entityType, id, since, undefined, statusField);
		for (const note of notes) if (note.type === 'Post') add(id, { kind: 'note', occurredAt: toMs(note.createdAt), id: String(note.id) });
		if (statusField) for (const move of transitions(notes, statusField)) add(id, { kind: 'stageChange', occurredAt: move.at, id: move.noteId });
	});
	return ids.map((id) => ({ ok: true, value: found.get(id) ?? [] }));
}
