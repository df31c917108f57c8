/**
 * SOQL text built from user values without injection: every value becomes a typed literal,
 * strings are escaped with SOQL's escape sequences, and field and object names must be plain API
 * names. SOQL has no bind variables over REST, so this module is the only place query text is
 * assembled from values.
 *
 * Escape sequences (SOQL and SOSL Reference, "Quoted String Escape Sequences",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm):
 * \n \r \t \b \f \" \' \\ in any string literal; \_ and \% only inside LIKE. Any other backslash
 * is an error, so nothing else needs escaping.
 */
import { CrmInputError } from '../../transport/errors';

export type SoqlType = 'string' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

const ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	"'": "\\'",
	'"': '\\"',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

/** A quoted SOQL string literal. */
export function soqlString(value: string): string {
	return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c])}'`;
}

/** A LIKE pattern matching `value` anywhere: the value's own % and _ are literal. */
export function soqlContains(value: string): string {
	const quoted = soqlString(value);
	return `'%${quoted.slice(1, -1).replace(/[%_]/g, (c) => `\\${c}`)}%'`;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A field API name, optionally a relationship path (`Owner.Email`); anything else is refused. */
export function soqlField(name: string, what = 'field'): string {
	const trimmed = String(name ?? '').trim();
	if (!trimmed.split('.').every((part) => NAME.test(part))) {
		throw new CrmInputError(
			`"${name}" is not a Salesforce ${what} name`,
			what === 'field' ? 'filters' : what,
			'Use an API name such as Email, Industry or My_Field__c.',
		);
	}
	return trimmed;
}

/** An sObject API name. */
export function soqlObject(name: string): string {
	return soqlField(name, 'object');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A SOQL datetime literal from epoch ms, in the documented `YYYY-MM-DDThh:mm:ssZ` form (SOQL "Date
 * Formats and Date Literals" lists no fractional seconds; Salesforce datetimes are whole seconds,
 * so the milliseconds are floored away).
 */
export function soqlDateTime(ms: number): string {
	if (!Number.isFinite(ms)) throw new CrmInputError(`"${ms}" is not a date`, 'date');
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A SOQL date literal (`YYYY-MM-DD`, UTC) from epoch ms. */
export function soqlDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The literal for a value compared with a field of the given type. */
export function soqlLiteral(value: unknown, type: SoqlType, field: string): string {
	if (value === null || value === undefined) return 'null';
	switch (type) {
		case 'number': {
			const n = typeof value === 'number' ? value : Number(String(value).trim());
			if (!Number.isFinite(n)) throw new CrmInputError(`"${String(value)}" is not a number`, field);
			return String(n);
		}
		case 'boolean': {
			const text = String(value).trim().toLowerCase();
			if (text !== 'true' && text !== 'false') throw new CrmInputError(`"${String(value)}" is not true or false`, field);
			return text;
		}
		case 'date': {
			const text = String(value).trim();
			if (DATE.test(text)) return text;
			const ms = Date.parse(text);
			if (Number.isNaN(ms)) throw new CrmInputError(`"${text}" is not a date`, field, 'Use a date such as 2026-12-01.');
			return new Date(ms).toISOString().slice(0, 10);
		}
		case 'datetime': {
			const text = String(value).trim();
			const ms = typeof value === 'number' ? value : Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text);
			if (Number.isNaN(ms)) {
				throw new CrmInputError(`"${text}" is not a date`, field, 'Use an ISO date such as 2026-12-01T10:00:00Z.');
			}
			return soqlDateTime(ms);
		}
		default:
			return soqlString(String(value));
	}
}

/** `a AND b AND c`, each part in parentheses when it has its own OR. */
export function and(conditions: Array<string | undefined>): string {
	const parts = conditions.filter((c): c is string => Boolean(c && c.trim()));
	return parts.map((c) => (/\bOR\b/.test(c) ? `(${c})` : c)).join(' AND ');
}

export interface SoqlQuery {
	select: readonly string[];
	from: string;
	where?: string;
	orderBy?: string;
	limit?: number;
}

/** The query text; field and object names are checked, conditions come from this module. */
export function soql(query: SoqlQuery): string {
	const select = query.select.length ? [...new Set(query.select.map((f) => soqlField(f)))].join(', ') : 'Id';
	let text = `SELECT ${select} FROM ${soqlObject(query.from)}`;
	if (query.where) text += ` WHERE ${query.where}`;
	if (query.orderBy) text += ` ORDER BY ${query.orderBy}`;
	if (query.limit !== undefined) text += ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
	return text;
}

/** `SELECT COUNT() FROM ...`: Salesforce answers with `totalSize` only. */
export function soqlCount(from: string, where?: string): string {
	return `SELECT COUNT() FROM ${soqlObject(from)}${where ? ` WHERE ${where}` : ''}`;
}

/** `Field IN ('a','b')` for ids or strings; an empty list matches nothing. */
export function soqlIn(field: string, values: readonly string[], negate = false): string {
	if (values.length === 0) return negate ? `${soqlField(field)} != null OR ${soqlField(field)} = null` : `${soqlField(field)} = null AND ${soqlField(field)} != null`;
	return `${soqlField(field)} ${negate ? 'NOT IN' : 'IN'} (${values.map((v) => soqlString(String(v))).join(', ')})`;
}
