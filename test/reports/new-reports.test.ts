// The forecast, rep leaderboard, conversion-by-source and stale-deals reports, and alert mode,
// on a small hand-checked dataset: Q4 2026 in Europe/Berlin, "now" = 15 October 2026 12:00.
// Every expected number is worked out in the comments next to the records.
import type { AnyReportRecord, RecordKind, ReportContext } from '../../nodes/shared/engines/reports/context';
import { createReport } from '../../nodes/shared/engines/reports/registry';
import type { ReportKind } from '../../nodes/shared/engines/reports/registry';
import { reportFromRecords } from '../../nodes/shared/engines/reports/run';
import { evaluateAlert } from '../../nodes/shared/engines/reports/alert';
import { documentToHtml, documentToMarkdown, tableToCsv } from '../../nodes/shared/engines/reports/render';

import { context, deals, leads, NOW, staleDeals, tasks } from './newReportsFixture';

function run(kind: ReportKind, records: Array<{ kind: RecordKind; record: unknown }>, overrides: Partial<ReportContext> = {}) {
	return reportFromRecords(createReport(kind, context(overrides)), records as Array<{ kind: RecordKind; record: AnyReportRecord }>);
}
const of = (kind: RecordKind, list: unknown[]) => list.map((record) => ({ kind, record }));
const summary = (doc: { summary: Array<{ key: string; value: unknown }> }) => Object.fromEntries(doc.summary.map((f) => [f.key, f.value]));

describe('forecast', () => {
	const quotas = new Map([
		['ana', 10_000], // by name
		['o2', 5_000], // by id
	]);
	const doc = run('forecast', of('deal', deals), { forecast: { commitFrom: 0.7, bestCaseFrom: 0.4, quotas } });

	test('open deals closing in the period by close month: pipeline, best case (incl. commit), commit, weighted', () => {
		expect(doc.tables[0].rows).toEqual([
			{ month: '2026-10', deals: 2, pipeline: 3000, bestCase: 1000, commit: 0, weightedAmount: 1200 },
			{ month: '2026-11', deals: 2, pipeline: 3000, bestCase: 3000, commit: 3000, weightedAmount: 3060 },
			{ month: '2026-12', deals: 1, pipeline: 500, bestCase: 500, commit: 500, weightedAmount: 50 },
		]);
		expect(summary(doc)).toEqual({ openDeals: 5, pipeline: 6500, bestCase: 4500, commit: 3500, weightedAmount: 4310, won: 4000, quota: 15000, attainment: 0.2667 });
	});

	test('per owner: won in the period, quota by id or name, attainment and won + commit against quota', () => {
		expect(doc.tables[1].rows).toEqual([
			{ owner: 'Ana', won: 4000, commit: 3000, bestCase: 4000, pipeline: 4000, weightedAmount: 3300, quota: 10000, attainment: 0.4, forecastAttainment: 0.7 },
			{ owner: 'Ben', won: 0, commit: 500, bestCase: 500, pipeline: 2500, weightedAmount: 1010, quota: 5000, attainment: 0, forecastAttainment: 0.1 },
		]);
		expect(doc.notes).toEqual([
			"Buckets: the CRM's forecast category for 2 deal(s), stage probability for 3.",
			'1 open deal(s) (700) have a close date before the period and are not forecast.',
			'1 open deal(s) have no close date.',
		]);
	});

	test('thresholds move deals between buckets; no quotas, no quota columns', () => {
		const lower = run('forecast', of('deal', deals), { forecast: { commitFrom: 0.5, bestCaseFrom: 0.2, quotas: new Map() } });
		// F1 (0.6) becomes commit, F2 (0.3) best case.
		expect(lower.tables[0].rows[0]).toEqual({ month: '2026-10', deals: 2, pipeline: 3000, bestCase: 3000, commit: 1000, weightedAmount: 1200 });
		expect(lower.tables[1].columns.map((c) => c.key)).not.toContain('quota');
		expect(summary(lower).attainment).toBeUndefined();
	});
});

test('rep leaderboard: activities by kind, tasks done and overdue, deals created and won, ranked', () => {
	const doc = run('repLeaderboard', [...of('task', tasks), ...of('deal', deals)]);
	expect(doc.tables[0].rows).toEqual([
		{ rank: 1, owner: 'Ana', calls: 2, meetings: 0, emails: 0, tasksDone: 1, overdueTasks: 0, dealsCreated: 2, dealsWon: 1, wonAmount: 4000 },
		{ rank: 2, owner: 'Ben', calls: 0, meetings: 1, emails: 1, tasksDone: 0, overdueTasks: 1, dealsCreated: 1, dealsWon: 0, wonAmount: 0 },
	]);
	expect(summary(doc)).toEqual({ calls: 2, meetings: 1, emails: 1, tasksDone: 1, overdueTasks: 1, dealsCreated: 3, dealsWon: 1, wonAmount: 4000 });
	expect(doc.notes).toEqual([]);
});

test('conversion by source: leads of the period → qualified → won (by the CRM or through the converted deal)', () => {
	// Deals come first (the builder's kinds order); feeding leads first would miss F7.
	const doc = run('conversionBySource', [...of('deal', deals), ...of('lead', leads)]);
	expect(doc.tables[0].rows).toEqual([
		{ source: 'Web', leads: 3, qualified: 2, won: 1, qualificationRate: 0.6667, qualifiedToWonRate: 0.5, winRate: 0.3333, wonAmount: 4000 },
		{ source: '(none)', leads: 1, qualified: 0, won: 0, qualificationRate: 0, qualifiedToWonRate: null, winRate: 0, wonAmount: 0 },
		{ source: 'Partner', leads: 1, qualified: 1, won: 1, qualificationRate: 1, qualifiedToWonRate: 1, winRate: 1, wonAmount: 0 },
	]);
	expect(summary(doc)).toEqual({ leads: 5, qualified: 3, won: 2, qualificationRate: 0.6, winRate: 0.4 });
});

describe('stale deals and slipping close dates', () => {
	const doc = run('staleDeals', of('deal', staleDeals), { staleDays: 14 });

	test('flags idle and slipped open deals, idle longest first, with links', () => {
		expect(doc.tables[0].rows.map(({ id, daysSinceActivity, stale, originalCloseDate, slippedDays, closeDateMoves, url }) => ({ id, daysSinceActivity, stale, originalCloseDate, slippedDays, closeDateMoves, url }))).toEqual([
			{ id: 'S3', daysSinceActivity: 44, stale: 'yes', originalCloseDate: null, slippedDays: null, closeDateMoves: 0, url: 'javascript:alert(1)' },
			{ id: 'S1', daysSinceActivity: 20, stale: 'yes', originalCloseDate: '2026-10-01', slippedDays: 30, closeDateMoves: 2, url: 'https://crm.example/deals/S1' },
			{ id: 'S2', daysSinceActivity: 5, stale: 'no', originalCloseDate: '2026-10-15', slippedDays: 30, closeDateMoves: 1, url: 'https://crm.example/deals/S2' },
		]);
		expect(summary(doc)).toEqual({ openDeals: 4, staleDeals: 2, staleShare: 0.5, maxDaysSinceActivity: 44, slippedDeals: 2, slippedAmount: 3000 });
		expect(doc.notes).toEqual([]);
	});

	test('says so when the CRM gives no activity times or close-date history', () => {
		const bare = run('staleDeals', of('deal', [{ id: 'X', status: 'open', createdAt: '2026-10-01T10:00:00Z' }]));
		expect(summary(bare)).toMatchObject({ openDeals: 1, staleDeals: 1, maxDaysSinceActivity: 14 });
		expect(bare.notes).toEqual([
			'The CRM gave no last-activity time: days are counted from when each deal was created.',
			'The CRM keeps no close-date history for these deals: slipping close dates cannot be shown.',
		]);
	});

	test('keeps at most maxRows rows, the idle longest, with exact counts', () => {
		const many = Array.from({ length: 50 }, (_, i) => ({ id: `M${i}`, status: 'open', lastActivityAt: new Date(NOW - (20 + i) * 86_400_000).toISOString() }));
		const limited = run('staleDeals', of('deal', many), { maxRows: 5 });
		expect(limited.tables[0].rows.map((r) => r.id)).toEqual(['M49', 'M48', 'M47', 'M46', 'M45']);
		expect(summary(limited).staleDeals).toBe(50);
		expect(limited.notes).toContain('50 deals flagged; the 5 idle longest are listed.');
	});

	test('record links render as links in HTML and Markdown and as a column in CSV; other schemes are not linked', () => {
		const html = documentToHtml(doc);
		expect(html).toContain('<a href="https://crm.example/deals/S1" style="color:#0969da;text-decoration:underline;">Acme renewal</a>');
		expect(html).not.toMatch(/href="javascript/);
		expect(html).toContain('>Gamma</td>');
		const md = documentToMarkdown(doc);
		expect(md).toContain('| [Acme renewal](https://crm.example/deals/S1) |');
		expect(md).toContain('| [Beta \\[pilot\\]](https://crm.example/deals/S2) |');
		expect(md).toContain('| Gamma |');
		const csv = tableToCsv(doc.tables[0]).split('\r\n');
		expect(csv[0]).toBe('name,owner,stage,amount,lastActivityAt,daysSinceActivity,closeDate,originalCloseDate,slippedDays,url');
		expect(csv[2]).toBe('Acme renewal,Ana,Proposal,1000,2026-09-25,20,2026-10-31,2026-10-01,30,https://crm.example/deals/S1');
	});
});

describe('alert mode', () => {
	const stale = run('staleDeals', of('deal', staleDeals));

	test('fires when the figure crosses the threshold, not otherwise', () => {
		expect(evaluateAlert(stale, { figure: 'maxDaysSinceActivity', operator: 'gt', threshold: 14 })).toMatchObject({ triggered: true, value: 44 });
		expect(evaluateAlert(stale, { figure: 'maxDaysSinceActivity', operator: 'gt', threshold: 44 }).triggered).toBe(false);
		expect(evaluateAlert(stale, { figure: 'maxDaysSinceActivity', operator: 'gte', threshold: 44 }).triggered).toBe(true);
		expect(evaluateAlert(stale, { figure: 'staleDeals', operator: 'lt', threshold: 3 }).triggered).toBe(true);
	});

	test('percentages compare in percent as typed (staleShare is 50 %)', () => {
		const alert = evaluateAlert(stale, { figure: 'staleShare', operator: 'gt', threshold: 10 });
		expect(alert).toMatchObject({ triggered: true, value: 50, message: 'Share stale is 50% (alert when > 10%)' });
		expect(evaluateAlert(stale, { figure: 'staleShare', operator: 'gt', threshold: 50 }).triggered).toBe(false);
	});

	test('a figure without a value never fires; an unknown figure is a clear error', () => {
		const empty = run('conversionBySource', []);
		expect(evaluateAlert(empty, { figure: 'winRate', operator: 'lt', threshold: 10 }).triggered).toBe(false);
		expect(() => evaluateAlert(stale, { figure: 'breachRate', operator: 'gt', threshold: 10 })).toThrow(
			expect.objectContaining({ message: 'The Stale deals and slipping close dates report has no summary figure "breachRate" to alert on', hint: expect.stringContaining('maxDaysSinceActivity') }),
		);
	});
});
