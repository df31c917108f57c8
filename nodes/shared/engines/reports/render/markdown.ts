/**
 * GitHub-flavoured Markdown of a report document: title, period, summary bullets, one table per
 * ReportTable (numeric columns right-aligned), notes. Charts are not drawn in Markdown.
 */

import type { ReportColumn, ReportDocument, ReportTable, SummaryFigure } from '../types';
import { formatDelta, formatPeriod, formatValue, isNumericType, linkOf } from './format';

/** One-line text: newlines would end a heading or bullet early. */
function inline(text: string): string {
	return text.replace(/\r\n|\r|\n/g, ' ');
}

/**
 * Table cell text: `|` would split the cell, a newline would end the row. Backslashes are
 * doubled first so a literal `\` before a `|` cannot cancel the pipe's escape.
 */
export function escapeTableCell(text: string): string {
	return text
		.replace(/\\/g, '\\\\')
		.replace(/\|/g, '\\|')
		.replace(/\r\n|\r|\n/g, '<br>');
}

function summaryLine(figure: SummaryFigure, currency?: string): string {
	const value = formatValue(figure.value, figure.type, currency);
	const delta =
		figure.delta === undefined ? '' : ` (${formatDelta(figure.delta, figure.type, currency)})`;
	return `- **${inline(figure.label)}:** ${inline(value)}${delta}`;
}

/** A cell as a Markdown link; brackets in the text and parentheses in the URL are escaped. */
function linked(text: string, url: string | undefined): string {
	if (!url) return text;
	return `[${text.replace(/([[\]])/g, '\\$1')}](${url.replace(/[()|]/g, (c) => encodeURIComponent(c))})`;
}

function tableRow(cells: string[]): string {
	return `| ${cells.join(' | ')} |`;
}

function separator(column: ReportColumn): string {
	return isNumericType(column.type) ? '---:' : '---';
}

function tableToMarkdown(table: ReportTable, currency?: string): string[] {
	const lines = [`## ${inline(table.title)}`, ''];
	if (table.columns.length === 0) return [...lines, '_No columns._', ''];
	lines.push(tableRow(table.columns.map((c) => escapeTableCell(c.label))));
	lines.push(tableRow(table.columns.map(separator)));
	for (const row of table.rows) {
		lines.push(
			tableRow(
				table.columns.map((c) => linked(escapeTableCell(formatValue(row[c.key], c.type, currency)), linkOf(c, row))),
			),
		);
	}
	if (table.rows.length === 0) lines.push('', '_No rows._');
	return [...lines, ''];
}

export function documentToMarkdown(doc: ReportDocument): string {
	const lines = [
		`# ${inline(doc.title)}`,
		'',
		`**Period:** ${inline(formatPeriod(doc.period))}`,
		'',
	];
	if (doc.summary.length > 0) {
		lines.push('## Summary', '', ...doc.summary.map((f) => summaryLine(f, doc.currency)), '');
	}
	for (const table of doc.tables) lines.push(...tableToMarkdown(table, doc.currency));
	if (doc.notes.length > 0)
		lines.push('## Notes', '', ...doc.notes.map((n) => `- ${inline(n)}`), '');
	lines.push(`_Generated ${inline(doc.generatedAt)}_`, '');
	return lines.join('\n');
}
