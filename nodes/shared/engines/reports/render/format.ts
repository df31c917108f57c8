/**
 * Shared value formatting for the human-readable renderers (Markdown, HTML, SVG, PNG), plus the
 * few chart helpers (palette, axis ticks, funnel conversion) that HTML, SVG and PNG must agree on.
 * CSV deliberately does not use this: it writes raw machine values.
 *
 * Conventions:
 * - `percent` values are fractions (0.125 means 12.5 %), as report rows carry them.
 * - Deltas are in the figure's own unit (see SummaryFigure.delta).
 * - Number formatting is locale-independent (`,` thousands, `.` decimals) so output is stable
 *   across hosts and in tests.
 */

import type { CellValue, ReportDocument, ValueType } from '../types';

/** Shown for missing or non-finite values. */
export const MISSING = '—';

const NUMERIC_TYPES: ReadonlySet<ValueType> = new Set<ValueType>([
	'integer',
	'number',
	'currency',
	'percent',
	'hours',
	'days',
]);

/** True for types whose cells are right-aligned numbers. */
export function isNumericType(type: ValueType): boolean {
	return NUMERIC_TYPES.has(type);
}

/** `1234567.891, 2` → `1,234,567.89`; never prints `-0`. */
export function groupThousands(value: number, decimals: number): string {
	let fixed = Math.abs(value).toFixed(decimals);
	const negative = value < 0 && Number(fixed) !== 0;
	const [intPart, fraction] = fixed.split('.');
	fixed =
		intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction !== undefined ? `.${fraction}` : '');
	return negative ? `-${fixed}` : fixed;
}

/** ISO date (yyyy-mm-dd) from an ISO string or epoch milliseconds; other strings pass through. */
export function formatDate(value: string | number): string {
	if (typeof value === 'number') {
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? MISSING : date.toISOString().slice(0, 10);
	}
	return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
}

function formatNumber(value: number, type: ValueType, currency?: string): string {
	switch (type) {
		case 'integer':
			return groupThousands(Math.round(value), 0);
		case 'currency':
			return currency ? `${groupThousands(value, 2)} ${currency}` : groupThousands(value, 2);
		case 'percent':
			return `${groupThousands(value * 100, 1)}%`;
		case 'hours':
			return `${groupThousands(value, 1)} h`;
		case 'days':
			return `${groupThousands(value, 1)} d`;
		case 'date':
			return formatDate(value);
		case 'text':
			return String(value);
		case 'number':
		default:
			// Up to 2 decimals, trailing zeros dropped: 1234.5 → "1,234.5".
			return trimZeros(groupThousands(value, 2));
	}
}

/** Display text of one value. Strings are kept as given (except dates), null → `—`. */
export function formatValue(
	value: CellValue | undefined,
	type: ValueType,
	currency?: string,
): string {
	if (value === null || value === undefined) return MISSING;
	if (typeof value === 'string') return type === 'date' ? formatDate(value) : value;
	if (!Number.isFinite(value)) return MISSING;
	return formatNumber(value, type, currency);
}

/**
 * Change against the previous period: `▲ 12.5%`, `▼ 3`, `± 0` for no change, `—` when not
 * comparable (null / undefined / non-finite).
 */
export function formatDelta(
	delta: number | null | undefined,
	type: ValueType,
	currency?: string,
): string {
	if (delta === null || delta === undefined || !Number.isFinite(delta)) return MISSING;
	const magnitude = formatValue(Math.abs(delta), type, currency);
	if (delta > 0) return `▲ ${magnitude}`;
	if (delta < 0) return `▼ ${magnitude}`;
	return `± ${magnitude}`;
}

/** `Q1 2024 · 2024-01-01 – 2024-03-31 (Europe/Berlin)` */
export function formatPeriod(period: ReportDocument['period']): string {
	const range = `${formatDate(period.start)} – ${period.lastDay ?? formatDate(period.end)}`;
	const zone = period.timeZone ? ` (${period.timeZone})` : '';
	return period.label ? `${period.label} · ${range}${zone}` : `${range}${zone}`;
}

// ---------------------------------------------------------------------------------------------
// Chart helpers shared by HTML, SVG and PNG so all three draw the same colours and scales.
// ---------------------------------------------------------------------------------------------

/** Colour-blind friendly palette (Okabe–Ito based), as #rrggbb. */
export const SERIES_COLOURS: readonly string[] = [
	'#0072b2',
	'#e69f00',
	'#009e73',
	'#cc79a7',
	'#56b4e9',
	'#d55e00',
	'#f0e442',
	'#000000',
];

export function seriesColour(index: number): string {
	return SERIES_COLOURS[index % SERIES_COLOURS.length];
}

/** Compact axis label: 12,500 → `12.5k`, 3,000,000 → `3M`; percent keeps its `%`. */
export function formatTick(raw: number, type: ValueType): string {
	const value = type === 'percent' ? raw * 100 : raw;
	const abs = Math.abs(value);
	let text: string;
	if (abs >= 1e6) text = `${trimZeros((value / 1e6).toFixed(1))}M`;
	else if (abs >= 1e4) text = `${trimZeros((value / 1e3).toFixed(1))}k`;
	else text = groupThousands(value, Number.isInteger(value) ? 0 : 1);
	return type === 'percent' ? `${text}%` : text;
}

function trimZeros(fixed: string): string {
	return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export interface AxisScale {
	min: number;
	max: number;
	ticks: number[];
}

/**
 * A "nice" value axis that always includes 0, with about `count` ticks on 1/2/5 × 10^n steps.
 * Non-finite values are ignored; an all-zero range becomes 0..1.
 */
export function niceScale(values: number[], count = 5): AxisScale {
	const finite = values.filter((v) => Number.isFinite(v));
	let lo = Math.min(0, ...finite);
	let hi = Math.max(0, ...finite);
	if (lo === hi) hi = lo + 1;
	const rawStep = (hi - lo) / count;
	const magnitude = 10 ** Math.floor(Math.log10(rawStep));
	const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep) ?? 10 * magnitude;
	lo = Math.floor(lo / step) * step;
	hi = Math.ceil(hi / step) * step;
	const ticks: number[] = [];
	// Rounding to the step's precision avoids 0.30000000000000004-style tick labels.
	const precision = Math.max(0, -Math.floor(Math.log10(step)));
	for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toFixed(precision)));
	return { min: lo, max: hi, ticks };
}

export interface FunnelStep {
	label: string;
	value: number;
	/** Share of the largest step, 0..1 (drives the bar width). */
	share: number;
	/** Conversion from the previous step as a fraction; null for the first step or after a zero. */
	conversion: number | null;
}

/** Funnel steps from the chart's first series (missing values count as 0). */
export function funnelSteps(labels: string[], values: number[]): FunnelStep[] {
	const clean = labels.map((_, i) => (Number.isFinite(values[i]) ? Math.max(0, values[i]) : 0));
	const largest = Math.max(0, ...clean);
	return labels.map((label, i) => ({
		label,
		value: clean[i],
		share: largest > 0 ? clean[i] / largest : 0,
		conversion: i > 0 && clean[i - 1] > 0 ? clean[i] / clean[i - 1] : null,
	}));
}

/** `1,234 · 45.0%` — the text next to a funnel bar. */
export function funnelStepText(step: FunnelStep, type: ValueType): string {
	const value = formatValue(step.value, type === 'text' ? 'integer' : type);
	return step.conversion === null ? value : `${value} · ${formatValue(step.conversion, 'percent')}`;
}

/** The row's link for a column (its `link` field), when it is an http(s) URL; other schemes are dropped. */
export function linkOf(column: { link?: string }, row: Record<string, unknown>): string | undefined {
	if (!column.link) return undefined;
	const value = row[column.link];
	return typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value) ? value : undefined;
}
