/**
 * COQL (Zoho's SQL-like query, v8 COQL-Overview / COQL-Limitations): normalized search filters
 * → a WHERE clause. Limits: ≤ 25 criteria, `in` ≤ 50 values, a WHERE clause is required (we use
 * `id is not null` when there is no filter), string values in single quotes. How a quote inside a
 * value is escaped is not documented: we send `\'` (unverified) and refuse nothing else.
 */
import type { SearchFilter } from '../../model/types';
import { parseInstant, show } from '../../model/parse';
import { CrmInputError } from '../../transport/errors';
import { apiNameOf, fieldKind, zohoDateTime } from './mapping';

export const COQL_MAX_CRITERIA = 25;
export const COQL_MAX_IN = 50;

/** A field API name as COQL takes it (letters, digits, `_`, `$` and one `.` for lookups). */
function fieldName(name: string): string {
	if (!/^[A-Za-z$][A-Za-z0-9_$]*(\.[A-Za-z][A-Za-z0-9_]*)?$/.test(name)) {
		throw new CrmInputError(`"${name}" is not a Zoho field API name`, 'filters', 'Use a normalized field or a Zoho API name such as Lead_Source.');
	}
	return name;
}

export function coqlString(value: unknown): string {
	return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function literal(module: string, api: string, value: unknown): string {
	if (value === null || value === undefined) throw new CrmInputError(`The filter on ${api} has no value`, 'filters');
	if (typeof value === 'object' && 'id' in (value as object)) return coqlString((value as { id: unknown }).id);
	switch (fieldKind(module, api)) {
		case 'number': {
			const n = Number(value);
			if (!Number.isFinite(n)) throw new CrmInputError(`${show(value)} is not a number for ${api}`, 'filters');
			return String(n);
		}
		case 'bool':
			return value === true || value === 'true' ? 'true' : 'false';
		case 'datetime':
			return coqlString(zohoDateTime(parseInstant(value, 'filters')));
		default:
			return coqlString(value);
	}
}

function criterion(module: string, filter: SearchFilter): string {
	const api = fieldName(apiNameOf(module, filter.field));
	const list = (value: unknown) => {
		const values = Array.isArray(value) ? value : [value];
		if (values.length === 0) throw new CrmInputError(`The "${filter.operator}" filter on ${filter.field} has no values`, 'filters');
		if (values.length > COQL_MAX_IN) throw new CrmInputError(`Zoho COQL takes at most ${COQL_MAX_IN} values in one "in" filter, not ${values.length}`, 'filters', 'Split the search.');
		return `(${values.map((v) => literal(module, api, v)).join(', ')})`;
	};
	switch (filter.operator) {
		case 'eq':
			return `${api} = ${literal(module, api, filter.value)}`;
		case 'neq':
			return `${api} != ${literal(module, api, filter.value)}`;
		case 'lt':
			return `${api} < ${literal(module, api, filter.value)}`;
		case 'lte':
			return `${api} <= ${literal(module, api, filter.value)}`;
		case 'gt':
			return `${api} > ${literal(module, api, filter.value)}`;
		case 'gte':
			return `${api} >= ${literal(module, api, filter.value)}`;
		case 'contains':
			return `${api} like ${coqlString(`%${String(filter.value ?? '')}%`)}`;
		case 'in':
			return `${api} in ${list(filter.value)}`;
		case 'notIn':
			return `${api} not in ${list(filter.value)}`;
		case 'exists':
			return `${api} is not null`;
		case 'notExists':
			return `${api} is null`;
	}
}

/** Text fields a free-text search looks in, per module (COQL `like`). */
const TEXT_FIELDS: Record<string, string[]> = {
	Leads: ['Last_Name', 'First_Name', 'Email', 'Company'],
	Contacts: ['Last_Name', 'First_Name', 'Email'],
	Accounts: ['Account_Name'],
	Deals: ['Deal_Name'],
	Cases: ['Subject'],
	Tasks: ['Subject'],
	Notes: ['Note_Title', 'Note_Content'],
};

/** The WHERE clause of a search (never empty: COQL requires one). */
export function whereClause(module: string, filters: SearchFilter[], text?: string): string {
	const parts = filters.map((f) => criterion(module, f));
	const words = text?.trim();
	if (words) parts.push(`(${(TEXT_FIELDS[module] ?? ['id']).map((f) => `${f} like ${coqlString(`%${words}%`)}`).join(' or ')})`);
	const count = parts.length + (words ? (TEXT_FIELDS[module]?.length ?? 1) - 1 : 0);
	if (count > COQL_MAX_CRITERIA) throw new CrmInputError(`Zoho COQL takes at most ${COQL_MAX_CRITERIA} criteria, this search has ${count}`, 'filters');
	return parts.length ? nest(parts) : 'id is not null';
}

/** COQL wants two criteria per `and`: ((a and b) and c). */
function nest(parts: string[]): string {
	return parts.reduce((acc, part) => `(${acc} and ${part})`);
}
