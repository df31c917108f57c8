/**
 * Normalized search queries → SOQL WHERE / ORDER BY. Values always go through soql.ts literals;
 * field types come from the mapping, or from the org's describe for API-named (custom) fields.
 */
import type { SearchFilter, SearchQuery } from '../../model/types';
import { CrmInputError } from '../../transport/errors';
import type { Describe } from './api';
import { fieldOf } from './mapping';
import type { SoqlType } from './soql';
import { and, soqlContains, soqlField, soqlLiteral } from './soql';

/** Text fields a free-text search looks in (LIKE, case-insensitive), per sObject. */
const TEXT_FIELDS: Record<string, string[]> = {
	Lead: ['Name', 'Email', 'Company', 'Phone'],
	Contact: ['Name', 'Email', 'Phone'],
	Account: ['Name', 'Website', 'Phone'],
	Opportunity: ['Name'],
	Case: ['Subject', 'CaseNumber'],
	Task: ['Subject'],
	Note: ['Title'],
};

const DESCRIBE_TYPES: Record<string, SoqlType> = {
	id: 'id',
	reference: 'id',
	boolean: 'boolean',
	int: 'number',
	double: 'number',
	currency: 'number',
	percent: 'number',
	long: 'number',
	date: 'date',
	datetime: 'datetime',
};

export function typeFromDescribe(describe: Describe | undefined, field: string): SoqlType {
	const found = describe?.fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
	return (found && DESCRIBE_TYPES[found.type]) || 'string';
}

const OPERATORS: Partial<Record<SearchFilter['operator'], string>> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** Filters a provider answers itself (normalized meanings without one sObject field). */
export type SpecialFilter = (filter: SearchFilter) => string | null | undefined;

export function whereOf(
	sobject: string,
	query: Pick<SearchQuery, 'filters' | 'text'>,
	options: { describe?: Describe; special?: SpecialFilter } = {},
): string {
	const conditions = query.filters.map((filter) => {
		const special = options.special?.(filter);
		if (special !== undefined) return special ?? undefined;
		return condition(sobject, filter, options.describe);
	});
	if (query.text?.trim()) {
		const like = soqlContains(query.text.trim());
		conditions.push((TEXT_FIELDS[sobject] ?? ['Name']).map((f) => `${f} LIKE ${like}`).join(' OR '));
	}
	return and(conditions);
}

function condition(sobject: string, filter: SearchFilter, describe?: Describe): string {
	const mapped = fieldOf(sobject, filter.field);
	const field = soqlField(mapped.field);
	const type = mapped.type ?? typeFromDescribe(describe, field);
	switch (filter.operator) {
		case 'exists':
			return `${field} != null`;
		case 'notExists':
			return `${field} = null`;
		case 'contains':
			return `${field} LIKE ${soqlContains(String(filter.value ?? ''))}`;
		case 'in':
		case 'notIn': {
			const values = (Array.isArray(filter.value) ? filter.value : String(filter.value ?? '').split(',')).map((v) => String(v).trim()).filter(Boolean);
			if (values.length === 0) throw new CrmInputError(`The "${filter.operator}" filter on ${filter.field} has no values`, 'filters');
			return `${field} ${filter.operator === 'in' ? 'IN' : 'NOT IN'} (${values.map((v) => soqlLiteral(v, type, filter.field)).join(', ')})`;
		}
		default: {
			const operator = OPERATORS[filter.operator];
			if (!operator) {
				throw new CrmInputError(`"${filter.operator}" is not a search operator`, 'filters', `Valid: ${[...Object.keys(OPERATORS), 'contains', 'in', 'notIn', 'exists', 'notExists'].join(', ')}.`);
			}
			return `${field} ${operator} ${soqlLiteral(filter.value, type, filter.field)}`;
		}
	}
}

export function orderByOf(sobject: string, sort: SearchQuery['sort']): string {
	if (!sort) return 'CreatedDate ASC, Id ASC';
	return `${soqlField(fieldOf(sobject, sort.field).field)} ${sort.direction === 'desc' ? 'DESC' : 'ASC'}, Id ASC`;
}
