/**
 * Email-safe HTML of a report document (Gmail, Outlook desktop/web, Apple Mail):
 * - table-based layout, 640 px wide, inline styles only (no <style>, no classes), no scripts,
 *   no external resources and no SVG (most email clients drop inline SVG);
 * - charts are drawn with table cells: percentage widths plus `bgcolor` *and* inline
 *   `background-color` (Outlook honours the attribute, others the style);
 * - all document text goes through `escapeHtml`; attribute values are numbers and colours
 *   computed here, and record links (http(s) only, escaped).
 */

import type {
	ReportChart,
	ReportColumn,
	ReportDocument,
	ReportTable,
	SummaryFigure,
} from '../types';
import {
	formatDelta,
	formatPeriod,
	formatValue,
	funnelStepText,
	funnelSteps,
	isNumericType,
	linkOf,
	niceScale,
	seriesColour,
} from './format';

const WIDTH = 640;
const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const TEXT = '#1f2328';
const MUTED = '#57606a';
const BORDER = '#d0d7de';
const ZEBRA = '#f6f8fa';
const PRESENTATION = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Width as a percentage with one decimal, clamped to 0..100. */
function pct(share: number): string {
	return `${Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10}%`;
}

/** A full-width row of the main 640 px column. */
function section(content: string, padding = '16px 24px'): string {
	return `<tr><td style="padding:${padding};${FONT}color:${TEXT};">${content}</td></tr>`;
}

function heading(text: string): string {
	return `<h2 style="margin:0 0 12px 0;font-size:16px;line-height:20px;${FONT}color:${TEXT};">${escapeHtml(text)}</h2>`;
}

// --- summary ---------------------------------------------------------------------------------

function summaryCell(figure: SummaryFigure, currency?: string): string {
	const delta =
		figure.delta === undefined
			? ''
			: `<div style="font-size:12px;line-height:16px;color:${MUTED};">${escapeHtml(formatDelta(figure.delta, figure.type, currency))}</div>`;
	return (
		`<td width="33%" valign="top" style="padding:8px;border:1px solid ${BORDER};${FONT}">` +
		`<div style="font-size:12px;line-height:16px;color:${MUTED};">${escapeHtml(figure.label)}</div>` +
		`<div style="font-size:20px;line-height:26px;font-weight:bold;color:${TEXT};">${escapeHtml(formatValue(figure.value, figure.type, currency))}</div>` +
		`${delta}</td>`
	);
}

function summaryHtml(summary: SummaryFigure[], currency?: string): string {
	const rows: string[] = [];
	for (let i = 0; i < summary.length; i += 3) {
		const cells = summary.slice(i, i + 3).map((f) => summaryCell(f, currency));
		while (cells.length < 3) cells.push('<td width="33%">&nbsp;</td>');
		rows.push(`<tr>${cells.join('')}</tr>`);
	}
	return `<table ${PRESENTATION} width="100%" style="width:100%;border-collapse:collapse;">${rows.join('')}</table>`;
}

// --- charts ----------------------------------------------------------------------------------

/** A horizontal bar: coloured cell of `share` width followed by an empty filler cell. */
function barTrack(share: number, colour: string, height: number): string {
	const bar =
		share > 0
			? `<td width="${pct(share)}" bgcolor="${colour}" style="width:${pct(share)};background-color:${colour};height:${height}px;font-size:1px;line-height:1px;">&nbsp;</td>`
			: '';
	const filler = share < 1 ? `<td style="font-size:1px;line-height:1px;">&nbsp;</td>` : '';
	return `<table ${PRESENTATION} width="100%" style="width:100%;"><tr>${bar}${filler}</tr></table>`;
}

function legendHtml(chart: ReportChart): string {
	const items = chart.series.map(
		(s, i) =>
			`<td style="padding:0 12px 0 0;font-size:12px;${FONT}color:${TEXT};white-space:nowrap;">` +
			`<span style="display:inline-block;width:10px;height:10px;background-color:${seriesColour(i)};">&nbsp;</span>&nbsp;${escapeHtml(s.name)}</td>`,
	);
	return `<table ${PRESENTATION} style="margin:0 0 8px 0;"><tr>${items.join('')}</tr></table>`;
}

function barChartHtml(chart: ReportChart): string {
	const scale = niceScale(chart.series.flatMap((s) => s.values));
	const max = Math.max(Math.abs(scale.min), Math.abs(scale.max));
	const rows = chart.labels.map((label, li) => {
		const bars = chart.series.map((series, si) => {
			const value = series.values[li];
			const share = Number.isFinite(value) ? Math.abs(value) / max : 0;
			return (
				`<tr><td style="padding:1px 0;">${barTrack(share, seriesColour(si), 12)}</td>` +
				`<td width="90" align="right" style="padding:1px 0 1px 8px;font-size:12px;${FONT}color:${TEXT};white-space:nowrap;">${escapeHtml(formatValue(value, chart.valueType))}</td></tr>`
			);
		});
		return (
			`<tr><td width="140" valign="middle" style="padding:4px 8px 4px 0;font-size:12px;${FONT}color:${TEXT};border-bottom:1px solid ${ZEBRA};">${escapeHtml(label)}</td>` +
			`<td style="padding:4px 0;border-bottom:1px solid ${ZEBRA};"><table ${PRESENTATION} width="100%" style="width:100%;">${bars.join('')}</table></td></tr>`
		);
	});
	return `${legendHtml(chart)}<table ${PRESENTATION} width="100%" style="width:100%;">${rows.join('')}</table>`;
}

function funnelHtml(chart: ReportChart): string {
	const colour = seriesColour(0);
	const rows = funnelSteps(chart.labels, chart.series[0].values).map((step) => {
		const width = pct(Math.max(0.02, step.share));
		return (
			`<tr><td width="130" style="padding:3px 8px 3px 0;font-size:12px;${FONT}color:${TEXT};">${escapeHtml(step.label)}</td>` +
			`<td align="center" style="padding:3px 0;"><table ${PRESENTATION} width="${width}" align="center" style="width:${width};margin:0 auto;"><tr>` +
			`<td bgcolor="${colour}" style="background-color:${colour};height:20px;font-size:1px;line-height:1px;">&nbsp;</td></tr></table></td>` +
			`<td width="130" style="padding:3px 0 3px 8px;font-size:12px;${FONT}color:${TEXT};white-space:nowrap;">${escapeHtml(funnelStepText(step, chart.valueType))}</td></tr>`
		);
	});
	return `<table ${PRESENTATION} width="100%" style="width:100%;">${rows.join('')}</table>`;
}

function chartHtml(chart: ReportChart): string {
	let body: string;
	if (chart.labels.length === 0 || chart.series.length === 0) {
		body = `<p style="margin:0;font-size:13px;color:${MUTED};">No data</p>`;
	} else {
		body = chart.kind === 'funnel' ? funnelHtml(chart) : barChartHtml(chart);
	}
	return heading(chart.title) + body;
}

// --- tables ----------------------------------------------------------------------------------

function alignment(column: ReportColumn): string {
	return isNumericType(column.type) ? 'right' : 'left';
}

/** Tables wider than this many columns are set smaller, so they stay within the 640 px email. */
const COMPACT_FROM = 7;

function tableHtml(table: ReportTable, currency?: string): string {
	const cellStyle =
		table.columns.length >= COMPACT_FROM
			? `padding:5px 4px;font-size:12px;line-height:16px;${FONT}color:${TEXT};`
			: `padding:6px 8px;font-size:13px;line-height:18px;${FONT}color:${TEXT};`;
	const header = table.columns
		.map(
			(c) =>
				`<th align="${alignment(c)}" style="${cellStyle}text-align:${alignment(c)};font-weight:bold;background-color:${ZEBRA};border-bottom:2px solid ${BORDER};">${escapeHtml(c.label)}</th>`,
		)
		.join('');
	const rows = table.rows.map((row, ri) => {
		const background = ri % 2 === 1 ? ZEBRA : '#ffffff';
		const cells = table.columns.map((c) => {
			const numeric = isNumericType(c.type);
			const value = escapeHtml(formatValue(row[c.key], c.type, currency));
			const link = linkOf(c, row);
			const text = link ? `<a href="${escapeHtml(link)}" style="color:#0969da;text-decoration:underline;">${value}</a>` : value;
			return `<td align="${alignment(c)}" style="${cellStyle}text-align:${alignment(c)};${numeric ? 'white-space:nowrap;' : ''}">${text}</td>`;
		});
		return `<tr bgcolor="${background}" style="background-color:${background};">${cells.join('')}</tr>`;
	});
	const empty =
		table.rows.length === 0
			? `<tr><td colspan="${Math.max(1, table.columns.length)}" style="${cellStyle}color:${MUTED};">No rows</td></tr>`
			: '';
	return (
		heading(table.title) +
		`<table cellpadding="0" cellspacing="0" border="0" width="100%" style="width:100%;border-collapse:collapse;border:1px solid ${BORDER};">` +
		`<tr>${header}</tr>${rows.join('')}${empty}</table>`
	);
}

// --- document --------------------------------------------------------------------------------

function notesHtml(notes: string[]): string {
	const items = notes.map((n) => `<li style="margin:0 0 4px 0;">${escapeHtml(n)}</li>`).join('');
	return (
		heading('Notes') +
		`<ul style="margin:0;padding:0 0 0 20px;font-size:13px;line-height:18px;color:${TEXT};">${items}</ul>`
	);
}

export function documentToHtml(doc: ReportDocument): string {
	const sections = [
		section(
			`<h1 style="margin:0 0 4px 0;font-size:22px;line-height:28px;${FONT}color:${TEXT};">${escapeHtml(doc.title)}</h1>` +
				`<p style="margin:0;font-size:13px;line-height:18px;color:${MUTED};">${escapeHtml(formatPeriod(doc.period))}</p>`,
			'24px 24px 8px 24px',
		),
	];
	if (doc.summary.length > 0) sections.push(section(summaryHtml(doc.summary, doc.currency)));
	for (const chart of doc.charts) sections.push(section(chartHtml(chart)));
	for (const table of doc.tables) sections.push(section(tableHtml(table, doc.currency)));
	if (doc.notes.length > 0) sections.push(section(notesHtml(doc.notes)));
	sections.push(
		section(
			`<p style="margin:0;font-size:11px;line-height:16px;color:${MUTED};">Generated ${escapeHtml(doc.generatedAt)}</p>`,
			'8px 24px 24px 24px',
		),
	);

	return [
		'<!DOCTYPE html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(doc.title)}</title>`,
		'</head>',
		`<body style="margin:0;padding:0;background-color:#f3f4f6;">`,
		`<table ${PRESENTATION} width="100%" bgcolor="#f3f4f6" style="width:100%;background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 8px;">`,
		`<table ${PRESENTATION} width="${WIDTH}" bgcolor="#ffffff" style="width:${WIDTH}px;max-width:${WIDTH}px;background-color:#ffffff;border:1px solid ${BORDER};">`,
		...sections,
		'</table>',
		'</td></tr></table>',
		'</body>',
		'</html>',
		'',
	].join('\n');
}
