/**
 * HubSpot CRM search (`POST /crm/v3/objects/{type}/search`). Facts used (search guide, spec,
 * changelogs): its own rate limit (4 requests/s per token), `limit` up to 200, at most 10,000
 * results per query (paging past that answers 400), filters AND-ed inside a group.
 * To read past 10,000, results are sorted by `hs_object_id` and the window slides: once the
 * cursor nears the cap, the query restarts with `hs_object_id > last id seen`.
 */
import type { SearchFilter, SearchQuery } from '../../model/types';
import type { CrmTransport } from '../../transport/http';
import { id, listOf, number, object, optional } from '../../transport/answerShape';
import { CrmInputError } from '../../transport/errors';
import type { HubSpotObject } from './mapping';
import { propertiesFor, propertyOf, searchValue } from './mapping';

export const SEARCH_PAGE_SIZE = 200;
export const SEARCH_RESULT_CAP = 10_000;

const OPERATORS: Record<SearchFilter['operator'], string> = {
	eq: 'EQ',
	neq: 'NEQ',
	lt: 'LT',
	lte: 'LTE',
	gt: 'GT',
	gte: 'GTE',
	contains: 'CONTAINS_TOKEN',
	in: 'IN',
	notIn: 'NOT_IN',
	exists: 'HAS_PROPERTY',
	notExists: 'NOT_HAS_PROPERTY',
};

export interface HubSpotFilter {
	propertyName: string;
	operator: string;
	value?: string;
	values?: string[];
}

export interface SearchResponse {
	total?: number;
	results?: HubSpotObject[];
	paging?: { next?: { after?: string } };
}

export function toHubSpotFilter(objectType: string, filter: SearchFilter): HubSpotFilter {
	const propertyName = propertyOf(objectType, filter.field);
	const operator = OPERATORS[filter.operator];
	if (!operator) {
		throw new CrmInputError(`"${filter.operator}" is not a search operator`, 'filters', `Valid: ${Object.keys(OPERATORS).join(', ')}.`);
	}
	if (filter.operator === 'exists' || filter.operator === 'notExists') return { propertyName, operator };
	if (filter.operator === 'in' || filter.operator === 'notIn') {
		const list = Array.isArray(filter.value) ? filter.value : String(filter.value ?? '').split(',');
		return { propertyName, operator, values: list.map((v) => searchValue(objectType, filter.field, String(v).trim())) };
	}
	if (filter.operator === 'contains') {
		return { propertyName, operator, value: `*${String(filter.value ?? '').trim()}*` };
	}
	return { propertyName, operator, value: searchValue(objectType, filter.field, filter.value) };
}

/** A HubSpot object as search and batch read return it. */
export const HUBSPOT_OBJECT = object({ id, properties: object() });

/** A search answer: `results` is always there (empty when nothing matches). */
const SEARCH_ANSWER = object({ results: listOf(HUBSPOT_OBJECT), total: optional(number), paging: optional(object()) });

export class HubSpotSearch {
	constructor(private readonly transport: CrmTransport) {}

	/** One search request, as HubSpot takes it. */
	async post(objectType: string, body: Record<string, unknown>): Promise<SearchResponse> {
		const { body: answer } = await this.transport.request<SearchResponse>({
			method: 'POST',
			path: `/crm/v3/objects/${objectType}/search`,
			body,
			idempotent: true,
			bucket: 'search',
			expect: SEARCH_ANSWER,
		});
		return answer;
	}

	/** Total matching records, in one request (`limit: 1`, HubSpot returns `total`). */
	async count(objectType: string, filters: SearchFilter[]): Promise<number> {
		const answer = await this.post(objectType, {
			filterGroups: [{ filters: filters.map((f) => toHubSpotFilter(objectType, f)) }],
			properties: ['hs_object_id'],
			limit: 1,
		});
		return Number(answer.total ?? 0);
	}

	async *pages(objectType: string, query: SearchQuery, rawFilters: HubSpotFilter[] = []): AsyncGenerator<HubSpotObject[]> {
		const filters = [...query.filters.map((f) => toHubSpotFilter(objectType, f)), ...rawFilters];
		const userSort = query.sort
			? [{ propertyName: propertyOf(objectType, query.sort.field), direction: query.sort.direction === 'desc' ? 'DESCENDING' : 'ASCENDING' }]
			: undefined;
		const properties = propertiesFor(objectType, query.properties);
		let remaining = query.limit ?? Number.POSITIVE_INFINITY;
		let windowFloor: string | undefined;
		let after: string | undefined;
		while (remaining > 0) {
			const windowFilters = windowFloor ? [{ propertyName: 'hs_object_id', operator: 'GT', value: windowFloor }] : [];
			const limit = Math.min(SEARCH_PAGE_SIZE, remaining);
			const answer = await this.post(objectType, {
				filterGroups: [{ filters: [...filters, ...windowFilters] }],
				sorts: userSort ?? [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
				properties,
				limit,
				...(query.text ? { query: query.text } : {}),
				...(after ? { after } : {}),
			});
			const results = answer.results ?? [];
			if (results.length) yield results;
			remaining -= results.length;
			const next = answer.paging?.next?.after;
			if (!next || results.length === 0) return;
			if (Number(next) + limit > SEARCH_RESULT_CAP) {
				// The next page would cross the cap: slide the window (only possible in id order).
				if (userSort) return;
				windowFloor = String(results[results.length - 1].id);
				after = undefined;
			} else {
				after = next;
			}
		}
	}
}
