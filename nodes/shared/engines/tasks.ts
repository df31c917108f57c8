import { DateTime } from 'luxon';

import type { CrmRecord, RelatedRef, ResourceType, Task, User } from '../model/types';
import type { CrmProvider, ItemResult } from '../contract/provider';
import { requireRecordOperation } from '../contract/capabilities';
import { CrmInputError } from '../transport/errors';
import { Rotation, settleRotation, withAssignedUsers } from './assignment';
import type { AssignmentStrategy } from './assignment';
import { checkValidation, perItem, writeValid } from './batch';
import type { RunOptions } from './batch';
import { computeDueDate } from './dueDate';
import { parseCalendarDate, show } from '../model/parse';
import type { BusinessCalendar } from './dueDate';

export interface TaskRequest {
	subject: string;
	body?: string;
	/** ISO date or phrase ("in 2 business days at 10:00"). */
	due: string;
	priority?: string;
	related: RelatedRef[];
	/** The input item, for rule-based assignment. */
	item: unknown;
}

export interface AssignmentContext {
	strategy: AssignmentStrategy;
	timeZone: string;
	calendar: BusinessCalendar;
	now?: DateTime;
}

/** Holidays must be real dates and working days ISO weekdays: a typo would silently move due dates. */
function checkCalendar(calendar: BusinessCalendar): void {
	for (const holiday of calendar.holidays) {
		if (!/^\d{4}-\d{2}-\d{2}$/.test(holiday)) {
			throw new CrmInputError(`${show(holiday)} is not a holiday date`, 'holidays', 'Use dates such as 2026-12-25, separated by commas.');
		}
		parseCalendarDate(holiday, 'holidays');
	}
	const bad = calendar.workingDays.find((d) => !Number.isInteger(d) || d < 1 || d > 7);
	if (bad !== undefined) throw new CrmInputError(`${show(bad)} is not a weekday`, 'workingDays', 'Use 1 (Monday) to 7 (Sunday).');
}

const userSummary = (user: User) => ({ id: user.id, name: user.name, email: user.email });

/** Creates one task per request, assigned by the strategy, due as computed in the time zone. */
export async function assignTasks(
	provider: CrmProvider,
	requests: TaskRequest[],
	context: AssignmentContext,
	options: RunOptions,
): Promise<Array<ItemResult<{ task: CrmRecord; assignedTo: ReturnType<typeof userSummary> }>>> {
	requireRecordOperation(provider, 'task', 'create');
	const now = context.now ?? DateTime.now();
	checkCalendar(context.calendar);

	const basics = await perItem(requests, (request) => {
		if (!request.subject?.trim()) throw new CrmInputError('The task has no subject', 'subject');
		if (request.related.length === 0) {
			throw new CrmInputError('The task is not linked to any record', 'relatedTo', 'Set the record type and id the task is about.');
		}
		const due = computeDueDate(request.due, { now, timeZone: context.timeZone, calendar: context.calendar, field: 'dueDate' });
		return { request, due };
	});
	// Round-robin's turns are the rotation users' tasks, in the order they were created.
	const rotation = new Rotation(provider, { resource: 'task', order: 'createdAt' });
	const prepared = await withAssignedUsers(provider, context.strategy, rotation, basics, (b) => b.request.item);
	checkValidation(prepared, options);

	const written = await writeValid(prepared, async (valid) => {
		const created = await provider.createRecords(
			'task',
			valid.map((v) => ({
				fields: {
					subject: v.request.subject,
					...(v.request.body ? { body: v.request.body } : {}),
					// With its zone offset: a CRM that keeps only a due date takes the local date from it.
					dueAt: v.due.toISO(),
					...(v.request.priority ? { priority: v.request.priority } : {}),
					ownerId: v.user.id,
					status: 'open',
				},
				related: v.request.related,
			})),
			options,
		);
		return created.map((c, i) =>
			c.ok ? { ok: true as const, value: { task: c.value, assignedTo: userSummary(valid[i].user) } } : c,
		);
	});
	return settleRotation(rotation, context.strategy, written, (w) => w.task, (w, task, user) => ({
		task,
		assignedTo: userSummary(user),
	}));
}

/** Sets the owner of existing records with an assignment strategy. */
export async function assignOwners(
	provider: CrmProvider,
	resource: ResourceType,
	requests: Array<{ id: string; item: unknown }>,
	context: Pick<AssignmentContext, 'strategy'>,
	options: RunOptions,
): Promise<Array<ItemResult<{ record: CrmRecord; assignedTo: ReturnType<typeof userSummary> }>>> {
	requireRecordOperation(provider, resource, 'update');
	const ids = await perItem(requests, (r) => {
		if (!r.id?.trim()) throw new CrmInputError(`The ${resource} id is empty`, 'id');
		return r;
	});
	// Round-robin's turns are the rotation users' records of this resource, by last change.
	const rotation = new Rotation(provider, { resource, order: 'updatedAt' });
	const prepared = await withAssignedUsers(provider, context.strategy, rotation, ids, (r) => r.item);
	checkValidation(prepared, options);
	const written = await writeValid(prepared, async (valid) => {
		const updated = await provider.updateRecords(
			resource,
			valid.map((v) => ({ id: v.id, fields: { ownerId: v.user.id } })),
			options,
		);
		return updated.map((u, i) => (u.ok ? { ok: true as const, value: { record: u.value, assignedTo: userSummary(valid[i].user) } } : u));
	});
	return settleRotation(rotation, context.strategy, written, (w) => w.record, (w, record, user) => ({
		record,
		assignedTo: userSummary(user),
	}));
}

/** Open tasks, optionally of one owner, newest due first. */
export async function listOpenTasks(
	provider: CrmProvider,
	options: { ownerId?: string; limit?: number },
): Promise<Task[]> {
	requireRecordOperation(provider, 'task', 'search');
	const tasks: Task[] = [];
	const filters = [
		{ field: 'status', operator: 'neq' as const, value: 'completed' },
		...(options.ownerId ? [{ field: 'ownerId', operator: 'eq' as const, value: options.ownerId }] : []),
	];
	for await (const page of provider.searchRecords('task', { filters, limit: options.limit, sort: { field: 'dueAt', direction: 'asc' } })) {
		tasks.push(...(page as Task[]));
		if (options.limit !== undefined && tasks.length >= options.limit) break;
	}
	return options.limit !== undefined ? tasks.slice(0, options.limit) : tasks;
}
