import { DateTime } from 'luxon';

import { CrmInputError } from '../../transport/errors';

export type PeriodPreset =
	| 'today'
	| 'thisWeek'
	| 'lastWeek'
	| 'thisMonth'
	| 'lastMonth'
	| 'thisQuarter'
	| 'lastQuarter'
	| 'custom';

export type Grouping = 'none' | 'day' | 'week' | 'month' | 'quarter';

/** A half-open range [start, end) in epoch ms, with the zone it was cut in. */
export interface Period {
	start: number;
	end: number;
	timeZone: string;
	label: string;
}

const UNIT: Record<Exclude<PeriodPreset, 'custom' | 'today'>, { unit: 'week' | 'month' | 'quarter'; back: number }> = {
	thisWeek: { unit: 'week', back: 0 },
	lastWeek: { unit: 'week', back: 1 },
	thisMonth: { unit: 'month', back: 0 },
	lastMonth: { unit: 'month', back: 1 },
	thisQuarter: { unit: 'quarter', back: 0 },
	lastQuarter: { unit: 'quarter', back: 1 },
};

function zoned(now: number, timeZone: string): DateTime {
	const date = DateTime.fromMillis(now, { zone: timeZone });
	if (!date.isValid) throw new CrmInputError(`"${timeZone}" is not a time zone`, 'timeZone', 'Use an IANA name such as Europe/Berlin.');
	return date;
}

/** Calendar periods in the chosen zone (weeks start on Monday, ISO). */
export function resolvePeriod(
	preset: PeriodPreset,
	options: { timeZone: string; now: number; start?: string; end?: string },
): Period {
	const now = zoned(options.now, options.timeZone);
	if (preset === 'custom') {
		const start = DateTime.fromISO(options.start ?? '', { zone: options.timeZone });
		const end = DateTime.fromISO(options.end ?? '', { zone: options.timeZone });
		if (!start.isValid) throw new CrmInputError(`"${options.start ?? ''}" is not a start date`, 'start', 'Use an ISO date such as 2026-10-01.');
		if (!end.isValid) throw new CrmInputError(`"${options.end ?? ''}" is not an end date`, 'end', 'Use an ISO date such as 2026-10-31.');
		// A date without a time means the whole day: the end is exclusive at the next midnight.
		const endExclusive = /T/.test(options.end ?? '') ? end : end.startOf('day').plus({ days: 1 });
		if (endExclusive <= start) throw new CrmInputError('The period ends before it starts', 'end');
		return { start: start.toMillis(), end: endExclusive.toMillis(), timeZone: options.timeZone, label: `${options.start} – ${options.end}` };
	}
	if (preset === 'today') {
		const start = now.startOf('day');
		return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis(), timeZone: options.timeZone, label: start.toISODate() ?? 'today' };
	}
	const spec = UNIT[preset];
	if (!spec) throw new CrmInputError(`"${String(preset)}" is not a period`, 'period');
	const start = now.startOf(spec.unit).minus({ [`${spec.unit}s`]: spec.back });
	const end = start.plus({ [`${spec.unit}s`]: 1 });
	return { start: start.toMillis(), end: end.toMillis(), timeZone: options.timeZone, label: periodLabel(start, spec.unit) };
}

function periodLabel(start: DateTime, unit: 'week' | 'month' | 'quarter'): string {
	if (unit === 'week') return `Week ${start.weekNumber} ${start.weekYear}`;
	if (unit === 'month') return start.toFormat('LLLL yyyy');
	return `Q${start.quarter} ${start.year}`;
}

/** The period of the same length just before (for deltas); calendar-aware for month/quarter. */
export function previousPeriod(period: Period, preset: PeriodPreset): Period {
	const start = DateTime.fromMillis(period.start, { zone: period.timeZone });
	const spec = preset in UNIT ? UNIT[preset as keyof typeof UNIT] : undefined;
	if (spec) {
		const prevStart = start.minus({ [`${spec.unit}s`]: 1 });
		return { start: prevStart.toMillis(), end: period.start, timeZone: period.timeZone, label: periodLabel(prevStart, spec.unit) };
	}
	const length = period.end - period.start;
	return { start: period.start - length, end: period.start, timeZone: period.timeZone, label: 'previous period' };
}

export function inPeriod(at: number | undefined, period: Period): boolean {
	return at !== undefined && Number.isFinite(at) && at >= period.start && at < period.end;
}

/** The bucket a time falls in, as a sortable label (2026-11-20, 2026-W47, 2026-11, 2026-Q4). */
export function bucketOf(at: number, grouping: Grouping, timeZone: string): string {
	const date = DateTime.fromMillis(at, { zone: timeZone });
	switch (grouping) {
		case 'day':
			return date.toISODate() ?? '';
		case 'week':
			return `${date.weekYear}-W${String(date.weekNumber).padStart(2, '0')}`;
		case 'month':
			return date.toFormat('yyyy-MM');
		case 'quarter':
			return `${date.year}-Q${date.quarter}`;
		case 'none':
			return 'all';
	}
}

export function toMillis(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	const text = String(value);
	const ms = /^\d{11,}$/.test(text) ? Number(text) : Date.parse(text);
	return Number.isFinite(ms) ? ms : undefined;
}
