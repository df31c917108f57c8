/**
 * Normalized search filters → EspoCRM `where` items. Item types from the search parameters
 * article (https://docs.espocrm.com/development/api-search-params/#where-items): equals,
 * notEquals, greaterThan, lessThan, greaterThanOrEquals, lessThanOrEquals, isNull, isNotNull,
 * in, notIn, contains. Datetime attributes compare as EspoCRM's UTC "YYYY-MM-DD HH:mm:ss" strings.
 */
import type { ResourceType, SearchFilter } from '../../model/types';
import type { TimeQuery } from '../keyset';
import { CrmInputError } from '../../transport/errors';
import type { WhereItem } from './client';
import { attributeOf, ENTITY_OF, espoDateTime, whereValue } from './mapping';

const TYPES: Record<SearchFilter['operator'], string> = {
	eq: 'equals',
	neq: 'notEquals',
	lt: 'lessThan',
	lte: 'lessThanOrEquals',
	gt: 'greaterThan',
	gte: 'greaterThanOrEquals',
	contains: 'contains',
	in: 'in',
	notIn: 'notIn',
	exists: 'isNotNull',
	notExists: 'isNull',
};

export interface WhereContext {
	/** Task statuses that are not open (EspoCRM's `notActualOptions` of Task.status). */
	closedTaskStatuses: readonly string[];
}

const listOf = (value: unknown): unknown[] =>
	(Array.isArray(value) ? value : String(value ?? '').split(',')).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');

/**
 * The normalized task status is `open` or `completed` (any not-actual status), so filters on it
 * become `in` / `notIn` over EspoCRM's not-actual statuses; EspoCRM's own status names pass.
 */
function taskStatusWhere(filter: SearchFilter, ctx: WhereContext): WhereItem | undefined {
	const value = String(filter.value ?? '').trim().toLowerCase();
	if (value !== 'open' && value !== 'completed') return undefined;
	const closed = [...ctx.closedTaskStatuses];
	const wantsClosed = value === 'completed';
	if (filter.operator === 'eq') return { type: wantsClosed ? 'in' : 'notIn', attribute: 'status', value: closed };
	if (filter.operator === 'neq') return { type: wantsClosed ? 'notIn' : 'in', attribute: 'status', value: closed };
	return undefined;
}

export function toWhereItem(resource: ResourceType, filter: SearchFilter, ctx: WhereContext): WhereItem {
	const entityType = ENTITY_OF[resource];
	const type = TYPES[filter.operator];
	if (!type) {
		throw new CrmInputError(`"${filter.operator}" is not a search operator`, 'filters', `Valid: ${Object.keys(TYPES).join(', ')}.`);
	}
	if (!filter.field?.trim()) throw new CrmInputError('A search filter has no field', 'filters');
	if (resource === 'task' && filter.field === 'status') {
		const item = taskStatusWhere(filter, ctx);
		if (item) return item;
	}
	const attribute = attributeOf(entityType, filter.field.trim());
	if (filter.operator === 'exists' || filter.operator === 'notExists') return { type, attribute };
	if (filter.operator === 'in' || filter.operator === 'notIn') {
		return { type, attribute, value: listOf(filter.value).map((v) => whereValue(entityType, filter.field, v)) };
	}
	return { type, attribute, value: whereValue(entityType, filter.field, filter.value) };
}

export function toWhere(resource: ResourceType, filters: SearchFilter[], ctx: WhereContext): WhereItem[] {
	return filters.map((filter) => toWhereItem(resource, filter, ctx));
}

/** The time condition of one keyset page (providers/keyset.ts) on a datetime attribute. */
export function timeWhere(attribute: string, query: Pick<TimeQuery, 'from' | 'mode'>): WhereItem {
	const type = query.mode === 'eq' ? 'equals' : query.mode === 'gt' ? 'greaterThan' : 'greaterThanOrEquals';
	return { type, attribute, value: espoDateTime(query.from) };
}

/** `id in (...)`: reads a set of records in one list call. */
export function idsWhere(ids: string[]): WhereItem {
	return { type: 'in', attribute: 'id', value: ids };
}
