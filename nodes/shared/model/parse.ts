/**
 * Strict parsing of user input, shared by the engines and every provider's mapping. Lenient
 * parsers turn junk into other values ("No Such Thing 42" → 2042-01-01 with `new Date()`,
 * "12345" → the year 12345, "abc" → NaN in a query): here a value is either read exactly or
 * refused with an error naming the field, the value and what would be valid. ("Item N:" is
 * added where errors leave the node.)
 */
import { CrmInputError } from '../transport/errors';

/** A value as shown in an error: strings quoted, objects as (short) JSON, never "[object Object]". */
export function show(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
	if (typeof value === 'number') return `"${value}"`;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
	if (value === null || value === undefined || typeof value !== 'object') return String(value);
	let json: string;
	try {
		json = JSON.stringify(value);
	} catch {
		json = Object.prototype.toString.call(value);
	}
	return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

// ── dates ──────────────────────────────────────────────────────────────────────────────────

/** Years a CRM date may fall in (Salesforce accepts 1700–4000; the others are wider). */
const YEAR_MIN = 1700;
const YEAR_MAX = 4000;

const DATE_HINT = 'Use an ISO date such as 2026-12-01 or 2026-12-01T10:00:00Z (or epoch milliseconds).';

/** ISO 8601 date with an optional time (`T` or a space) and an optional zone. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** RFC 9110 IMF-fixdate, e.g. "Wed, 21 Oct 2026 07:28:00 GMT". */
const HTTP_DATE = /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export interface InstantOptions {
	/** How a date-time without a zone is read: UTC (EspoCRM's format) or the process' local time. */
	naive?: 'utc' | 'local';
}

function refuseDate(value: unknown, field: string, why = ''): never {
	throw new CrmInputError(`${show(value)} is not a date${why ? ` (${why})` : ''}`, field, DATE_HINT);
}

function checkYear(ms: number, value: unknown, field: string): number {
	const year = new Date(ms).getUTCFullYear();
	if (!Number.isFinite(ms) || year < YEAR_MIN || year > YEAR_MAX) refuseDate(value, field, `years ${YEAR_MIN}–${YEAR_MAX}`);
	return ms;
}

/**
 * An instant (epoch ms) from a Date, epoch milliseconds (a number, or 12–13 digits), an ISO
 * date/date-time or an HTTP date. Anything else is refused.
 */
export function parseInstant(value: unknown, field: string, options: InstantOptions = {}): number {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) refuseDate(value, field);
		return checkYear(value.getTime(), value, field);
	}
	if (typeof value === 'number') {
		// A number is epoch milliseconds (the engines pass instants so); digits in a string are
		// read as milliseconds only with 12–13 digits ("12345" is not a date).
		if (!Number.isInteger(value)) refuseDate(value, field, 'a number must be epoch milliseconds');
		return checkYear(value, value, field);
	}
	if (typeof value !== 'string') refuseDate(value, field);
	const text = value.trim();
	if (/^\d{12,13}$/.test(text)) return checkYear(Number(text), value, field);
	if (HTTP_DATE.test(text)) {
		const ms = Date.parse(text);
		if (Number.isNaN(ms)) refuseDate(value, field);
		return checkYear(ms, value, field);
	}
	const m = ISO.exec(text);
	if (!m) refuseDate(value, field);
	const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
	if (year < YEAR_MIN || year > YEAR_MAX) refuseDate(value, field, `years ${YEAR_MIN}–${YEAR_MAX}`);
	if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) refuseDate(value, field, 'no such day');
	if (hour > 23 || minute > 59 || second > 59) refuseDate(value, field, 'no such time');
	const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
	const zone = m[8];
	if (!m[4] && !zone) return Date.UTC(year, month - 1, day);
	if (!zone) {
		return options.naive === 'utc'
			? Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(fraction)
			: new Date(year, month - 1, day, hour, minute, second, Math.floor(fraction)).getTime();
	}
	let offsetMinutes = 0;
	if (zone.toUpperCase() !== 'Z') {
		const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
		const hours = Number(z[2]);
		const minutes = Number(z[3] ?? 0);
		if (hours > 14 || minutes > 59) refuseDate(value, field, 'no such zone offset');
		offsetMinutes = (z[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
	}
	return Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(fraction) - offsetMinutes * 60_000;
}

/** An instant as ISO 8601 UTC. */
export function parseIsoInstant(value: unknown, field: string, options?: InstantOptions): string {
	return new Date(parseInstant(value, field, options)).toISOString();
}

/**
 * A calendar date "YYYY-MM-DD": a written date keeps its own date (also when a time and zone
 * follow it, "2026-12-01T23:30:00-05:00" → 2026-12-01); an instant becomes its UTC date.
 */
export function parseCalendarDate(value: unknown, field: string): string {
	const instant = parseInstant(value, field, { naive: 'utc' });
	const literal = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(value.trim()) : null;
	return literal ? literal[1] : new Date(instant).toISOString().slice(0, 10);
}

// ── numbers ────────────────────────────────────────────────────────────────────────────────

export interface NumberOptions {
	min?: number;
	max?: number;
	integer?: boolean;
	/** What the number is, for the message ("an amount", "a limit"). */
	what?: string;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A finite number from a number or a numeric string ("1,250.50" and "1 250" read as 1250.5 and
 * 1250: grouping separators between digit groups of three only). Never NaN.
 */
export function parseNumber(value: unknown, field: string, options: NumberOptions = {}): number {
	const what = options.what ?? 'a number';
	const range = [options.min !== undefined ? `at least ${options.min}` : '', options.max !== undefined ? `at most ${options.max}` : ''].filter(Boolean).join(' and ');
	const hint = `Use ${options.integer ? 'a whole number' : 'a number such as 1250.50'}${range ? `, ${range}` : ''}.`;
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string') {
		const text = value.trim();
		const plain = /^[+-]?\d{1,3}(?:([, ])\d{3})(?:\1\d{3})*(?:\.\d+)?$/.test(text) ? text.replace(/[, ]/g, '') : text;
		n = NUMBER.test(plain) ? Number(plain) : Number.NaN;
	} else n = Number.NaN;
	if (!Number.isFinite(n)) throw new CrmInputError(`${show(value)} is not ${what}`, field, hint);
	if (options.integer && !Number.isInteger(n)) throw new CrmInputError(`${show(value)} is not a whole number`, field, hint);
	if ((options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max)) {
		throw new CrmInputError(`${show(value)} is not ${what}`, field, hint);
	}
	return n;
}

/** A page size or result limit: a whole number from 1 (no NaN or 0 reaches a query). */
export function parseLimit(value: unknown, field = 'limit', max = 100_000): number {
	return parseNumber(value, field, { integer: true, min: 1, max, what: 'a limit' });
}

// ── enums, emails, keys ────────────────────────────────────────────────────────────────────

/**
 * One of a fixed list of values, matched without regard to case (and through `aliases`, e.g.
 * "normal" → "medium"); the error lists the valid values.
 */
export function parseEnum<T extends string>(value: unknown, field: string, valid: readonly T[], aliases: Readonly<Record<string, T>> = {}, label = `valid ${field}`): T {
	if (typeof value === 'string' || typeof value === 'number') {
		const wanted = String(value).trim().toLowerCase();
		const found = valid.find((v) => v.toLowerCase() === wanted) ?? (Object.prototype.hasOwnProperty.call(aliases, wanted) ? aliases[wanted] : undefined);
		if (found !== undefined) return found;
	}
	throw new CrmInputError(`${show(value)} is not a ${label}`, field, `Valid: ${valid.join(', ')}.`);
}

/** A key of a lookup table that came from user input: own keys only (no `__proto__`, `constructor`). */
export function ownKey<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
	return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function isEmail(value: unknown): boolean {
	return typeof value === 'string' && EMAIL.test(value.trim()) && value.trim().length <= 254;
}

/** An email address (a display name such as "Ana <ana@x.com>" is refused: only the address). */
export function parseEmail(value: unknown, field: string): string {
	if (!isEmail(value)) throw new CrmInputError(`${show(value)} is not a valid email address`, field, 'Use an address such as ana@example.com.');
	return (value as string).trim();
}
