'use strict';
/**
 * Value formats of the Salesforce REST API.
 *
 * - dateTime values in responses: "2026-11-20T09:00:00.000+0000" (UTC, milliseconds, +0000),
 *   the format every REST response example in the REST API Developer Guide uses, e.g.
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_get_field_values.htm
 * - date values: "YYYY-MM-DD".
 * - dateTime values in requests: ISO 8601 "YYYY-MM-DDThh:mm:ss[.sss](Z|±hh:mm|±hhmm)" (the SOQL
 *   date format page lists YYYY-MM-DDThh:mm:ss+hh:mm / -hh:mm / Z:
 *   https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-dateformats.html ;
 *   milliseconds and "+0000" are accepted because Salesforce itself emits them).
 */

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A pragmatic address check (local@domain.tld, no spaces); Salesforce's exact rules are unpublished. */
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function pad(n, width = 2) {
	return String(n).padStart(width, '0');
}

/** Epoch ms → "2026-11-20T09:00:00.000+0000". */
function formatDateTime(ms) {
	return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Epoch ms → "YYYY-MM-DD" (UTC). */
function formatDate(ms) {
	return new Date(ms).toISOString().slice(0, 10);
}

function validCalendarDate(y, m, d) {
	const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
	return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function isDate(text) {
	const m = DATE_RE.exec(String(text));
	return Boolean(m && validCalendarDate(m[1], m[2], m[3]));
}

/** ISO 8601 dateTime text → epoch ms, or NaN. */
function parseDateTime(text) {
	const m = DATETIME_RE.exec(String(text));
	if (!m || !validCalendarDate(m[1], m[2], m[3])) return NaN;
	if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return NaN;
	const millis = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
	let ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), millis);
	if (m[8] !== 'Z') {
		const sign = m[8].startsWith('-') ? -1 : 1;
		const digits = m[8].slice(1).replace(':', '');
		ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
	}
	return ms;
}

/** Date text → epoch ms of its UTC midnight. */
function dateToMs(text) {
	return Date.parse(`${text}T00:00:00.000Z`);
}

function isEmail(text) {
	return typeof text === 'string' && text.length <= 80 && EMAIL_RE.test(text);
}

/** Splits a comma list of addresses (emailSimple recipient inputs). */
function splitAddresses(value) {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	return String(value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

/** Internal value → JSON value for a field of the given type. */
function toJson(type, value) {
	if (value === undefined || value === null) return null;
	if (type === 'datetime') return formatDateTime(value);
	return value;
}

module.exports = { formatDateTime, formatDate, parseDateTime, isDate, dateToMs, isEmail, splitAddresses, toJson, pad };
