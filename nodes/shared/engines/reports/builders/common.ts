import { DateTime } from 'luxon';

import type { ReportContext } from '../context';
import type { ReportDocument, SummaryFigure } from '../types';

/** The document frame all reports share: period, time stamps, currency, notes. */
export function documentFrame(
	ctx: ReportContext,
	report: string,
	title: string,
	parts: Pick<ReportDocument, 'summary' | 'tables' | 'charts'> & { notes?: string[] },
): ReportDocument {
	return {
		report,
		title,
		period: {
			label: ctx.period.label,
			start: local(ctx.period.start, ctx.period.timeZone),
			end: local(ctx.period.end, ctx.period.timeZone),
			lastDay: DateTime.fromMillis(ctx.period.end - 1, { zone: ctx.period.timeZone }).toISODate() ?? '',
			timeZone: ctx.period.timeZone,
		},
		generatedAt: new Date(ctx.now).toISOString(),
		...(ctx.currency ? { currency: ctx.currency } : {}),
		summary: parts.summary,
		tables: parts.tables,
		charts: parts.charts,
		notes: parts.notes ?? [],
	};
}

export function ownerName(ctx: ReportContext, ownerId: string | undefined): string {
	if (!ownerId) return '(no owner)';
	return ctx.owners.get(ownerId) ?? ownerId;
}

export function figure(key: string, label: string, value: number | string | null, type: SummaryFigure['type'], delta?: number | null): SummaryFigure {
	return { key, label, value, type, ...(delta !== undefined ? { delta } : {}) };
}

const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO() ?? new Date(ms).toISOString();
