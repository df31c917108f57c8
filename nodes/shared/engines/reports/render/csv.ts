/**
 * RFC 4180 CSV of one report table, for spreadsheets and downstream tools.
 *
 * - Header row = column keys (the stable machine names, not the labels).
 * - Numbers are written as plain JS number text (no grouping, no units); null → empty field.
 * - Every record ends with CRLF; fields containing `,` `"` CR or LF are quoted, quotes doubled.
 * - Formula-injection guard (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`,
 *   TAB or CR gets a leading apostrophe so Excel / Sheets show it as text instead of evaluating
 *   it. This changes such values by one leading `'`; numbers are never touched.
 */

import type { CellValue, ReportTable } from '../types';

const CRLF = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes `'` to text a spreadsheet would otherwise run as a formula. */
export function guardFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

function quoteField(text: string): string {
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellToField(value: CellValue | undefined): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	return quoteField(guardFormula(value));
}

export function tableToCsv(table: ReportTable): string {
	// Record links are columns of their own in CSV (a spreadsheet cell holds text, not a link).
	const keys = table.columns.map((column) => column.key);
	for (const column of table.columns) if (column.link && !keys.includes(column.link)) keys.push(column.link);
	const header = keys.map((key) => cellToField(key)).join(',');
	const records = table.rows.map((row) => keys.map((key) => cellToField(row[key])).join(','));
	return [header, ...records].map((record) => record + CRLF).join('');
}
