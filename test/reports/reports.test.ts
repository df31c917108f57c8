// Every report on a small hand-checked dataset (October 2026, Europe/Berlin, which leaves
// daylight saving time on Sunday 25 October). The expected numbers are worked out in comments.
import type { Pipeline } from '../../nodes/shared/model/types';
import type { RecordKind, ReportContext } from '../../nodes/shared/engines/reports/context';
import { resolvePeriod, previousPeriod } from '../../nodes/shared/engines/reports/period';
import { createReport } from '../../nodes/shared/engines/reports/registry';
import type { ReportKind } from '../../nodes/shared/engines/reports/registry';
import { reportFromRecords } from '../../nodes/shared/engines/reports/run';

const TZ = 'Europe/Berlin';
const pipeline: Pipeline = {
	id: 'p',
	name: 'Sales',
	objectType: 'deal',
	stages: [
		{ id: 's1', name: 'New', order: 0, probability: 0.1, closed: 'open' },
		{ id: 's2', name: 'Qualified', order: 1, probability: 0.3, closed: 'open' },
		{ id: 's3', name: 'Proposal', order: 2, probability: 0.6, closed: 'open' },
		{ id: 's4', name: 'Won', order: 3, probability: 1, closed: 'won' },
		{ id: 's5', name: 'Lost', order: 4, probability: 0, closed: 'lost' },
	],
};
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-01T11:00:00Z'); // Sunday 1 November, 12:00 in Berlin

function context(overrides: Partial<ReportContext> = {}): ReportContext {
	const period = resolvePeriod('custom', { timeZone: TZ, now: NOW, start: '2026-10-01', end: '2026-10-31' });
	return {
		period,
		previous: previousPeriod(period, 'custom'),
		grouping: 'none',
		now: NOW,
		currency: 'EUR',
		pipelines: [pipeline],
		owners: new Map([
			['o1', 'Ana'],
			['o2', 'Ben'],
		]),
		byOwner: false,
		workingHours: { timeZone: TZ, calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] }, start: '09:00', end: '17:00' },
		slaTargets: {
			firstResponse: { urgent: 1, high: 4, medium: 8, low: 24, default: 8 },
			resolution: { urgent: 8, high: 16, medium: 40, low: 80, default: 40 },
		},
		atRiskShare: 0.8,
		stalledDays: 14,
		allowedHoursByStage: { New: 96, Qualified: 120, Proposal: 240 },
		costPerHour: 50,
		includeClosedDeals: false,
		...overrides,
	};
}

const h = (stageId: string, iso: string) => ({ stageId, enteredAt: at(iso) });
const deals = [
	{ id: 'D1', name: 'Alpha', pipelineId: 'p', stageId: 's3', status: 'open', amount: 1000, ownerId: 'o1', createdAt: '2026-10-02T10:00:00Z',
		stageHistory: [h('s1', '2026-10-02T10:00:00Z'), h('s2', '2026-10-05T10:00:00Z'), h('s3', '2026-10-09T10:00:00Z')] },
	// Skipped "Qualified".
	{ id: 'D2', name: 'Beta', pipelineId: 'p', stageId: 's4', status: 'won', amount: 2000, ownerId: 'o1', createdAt: '2026-10-03T10:00:00Z', closeDate: '2026-10-20T10:00:00Z',
		stageHistory: [h('s1', '2026-10-03T10:00:00Z'), h('s3', '2026-10-10T10:00:00Z'), h('s4', '2026-10-20T10:00:00Z')] },
	{ id: 'D3', name: 'Gamma', pipelineId: 'p', stageId: 's5', status: 'lost', amount: 500, ownerId: 'o2', createdAt: '2026-10-04T10:00:00Z', closeDate: '2026-10-15T10:00:00Z',
		stageHistory: [h('s1', '2026-10-04T10:00:00Z'), h('s2', '2026-10-08T10:00:00Z'), h('s5', '2026-10-15T10:00:00Z')] },
	// Previous period (September).
	{ id: 'D4', name: 'Delta', pipelineId: 'p', stageId: 's4', status: 'won', amount: 4000, ownerId: 'o2', createdAt: '2026-09-10T10:00:00Z', closeDate: '2026-09-25T10:00:00Z',
		stageHistory: [h('s1', '2026-09-10T10:00:00Z'), h('s4', '2026-09-25T10:00:00Z')] },
	// No stage history.
	{ id: 'D5', name: 'Epsilon', pipelineId: 'p', stageId: 's1', status: 'open', amount: 300, ownerId: 'o2', createdAt: '2026-10-06T10:00:00Z', stageChangedAt: '2026-10-06T10:00:00Z' },
	{ id: 'D6', name: 'Zeta', pipelineId: 'p', stageId: 's2', status: 'open', createdAt: '2026-10-07T10:00:00Z',
		stageHistory: [h('s1', '2026-10-07T10:00:00Z'), h('s2', '2026-10-12T10:00:00Z')] },
];
// Berlin is UTC+2 until 25 October, UTC+1 after.
const tickets = [
	// Opened Friday 18:30, answered Monday 09:45 (0.75 h), resolved Tuesday 10:00 (8 h Monday + 1 h = 9 h).
	{ id: 'T1', subject: 'Login', priority: 'high', ownerId: 'o1', openedAt: '2026-10-02T16:30:00Z', firstResponseAt: '2026-10-05T07:45:00Z', closedAt: '2026-10-06T08:00:00Z' },
	// Across the DST change: Fri 16:00–17:00 + Mon 09:00–10:00 = 2 h; resolved Wed 17:00: 1 + 8 + 8 + 8 = 25 h.
	{ id: 'T2', subject: 'Invoice', priority: 'medium', ownerId: 'o2', openedAt: '2026-10-23T14:00:00Z', firstResponseAt: '2026-10-26T09:00:00Z', closedAt: '2026-10-28T16:00:00Z' },
	// Answered after 6 h (> 4 h target: breached), resolved in 16 h (= target: met), reopened once.
	{ id: 'T3', subject: 'Export', priority: 'high', ownerId: 'o2', openedAt: '2026-10-14T07:00:00Z', firstResponseAt: '2026-10-14T13:00:00Z', closedAt: '2026-10-15T15:00:00Z', reopened: 1 },
	// Open, never answered: Friday 10:00–17:00 = 7 h so far > 4 h: first response breached.
	{ id: 'T4', subject: 'Crash', priority: 'high', ownerId: 'o1', openedAt: '2026-10-30T09:00:00Z' },
	// Previous period.
	{ id: 'T5', subject: 'Old', priority: 'low', ownerId: 'o1', openedAt: '2026-09-15T07:00:00Z', firstResponseAt: '2026-09-15T08:00:00Z', closedAt: '2026-09-16T08:00:00Z' },
	// Open since Thursday 11:00: 6 h + 8 h = 14 h of the 16 h resolution target: at risk, 2 h left.
	{ id: 'T6', subject: 'Slow page', priority: 'high', ownerId: 'o2', openedAt: '2026-10-29T10:00:00Z', firstResponseAt: '2026-10-29T11:00:00Z' },
];
const tasks = [
	{ id: 'K1', status: 'open', ownerId: 'o1', dueAt: '2026-10-20T10:00:00Z' },
	{ id: 'K2', status: 'open', ownerId: 'o1', dueAt: '2026-11-05T10:00:00Z' },
	{ id: 'K3', status: 'completed', ownerId: 'o2', completedAt: '2026-10-10T10:00:00Z' },
	{ id: 'K4', status: 'completed', ownerId: 'o2', completedAt: '2026-09-10T10:00:00Z' },
];
const all = [
	...deals.map((record) => ({ kind: 'deal' as RecordKind, record: record as never })),
	...tickets.map((record) => ({ kind: 'ticket' as RecordKind, record: record as never })),
	...tasks.map((record) => ({ kind: 'task' as RecordKind, record: record as never })),
];

const run = (kind: ReportKind, overrides: Partial<ReportContext> = {}, process: 'deal' | 'ticket' = 'deal') =>
	reportFromRecords(createReport(kind, context(overrides), process), all);
const summary = (doc: ReturnType<typeof run>) => Object.fromEntries(doc.summary.map((f) => [f.key, f.value]));
const deltas = (doc: ReturnType<typeof run>) => Object.fromEntries(doc.summary.map((f) => [f.key, f.delta]));

test('pipeline: open deals by stage, weighted by stage probability', () => {
	const doc = run('pipeline');
	expect(doc.tables[0].rows).toEqual([
		{ pipeline: 'Sales', stage: 'New', stageId: 's1', count: 1, amount: 300, probability: 0.1, weightedAmount: 30 },
		{ pipeline: 'Sales', stage: 'Qualified', stageId: 's2', count: 1, amount: 0, probability: 0.3, weightedAmount: 0 },
		{ pipeline: 'Sales', stage: 'Proposal', stageId: 's3', count: 1, amount: 1000, probability: 0.6, weightedAmount: 600 },
	]);
	expect(summary(doc)).toEqual({ deals: 3, amount: 1300, weightedAmount: 630 });
	expect(doc.charts[0]).toMatchObject({ kind: 'bar', labels: ['New', 'Qualified', 'Proposal'], series: [{ values: [300, 0, 1000] }, { values: [30, 0, 600] }] });
	const byOwner = run('pipeline', { byOwner: true });
	expect(byOwner.tables[0].rows.map((r) => [r.stage, r.owner])).toEqual([
		['New', 'Ben'],
		['Qualified', '(no owner)'],
		['Proposal', 'Ana'],
	]);
});

test('funnel: reached counts with stage history, a skipped stage counts as passed, lost deals stop where they were', () => {
	const doc = run('funnel');
	// Created in October: D1 (furthest Proposal), D2 (Won, skipped Qualified), D3 (lost after
	// Qualified), D5 (New, no history), D6 (Qualified). Reached: New 5, Qualified 4, Proposal 2, Won 1.
	expect(doc.tables[0].rows.map((r) => [r.stage, r.reached, r.conversionFromPrevious, r.dropOff, r.conversionFromStart])).toEqual([
		['New', 5, null, null, 1],
		['Qualified', 4, 0.8, 0.2, 0.8],
		['Proposal', 2, 0.5, 0.5, 0.4],
		['Won', 1, 0.5, 0.5, 0.2],
	]);
	expect(summary(doc)).toEqual({ dealsEntered: 5, dealsWon: 1, overallConversion: 0.2 });
	// September: D4 only, won → 100 %.
	expect(deltas(doc)).toEqual({ dealsEntered: 4, dealsWon: 0, overallConversion: -0.8 });
	expect(doc.charts[0]).toMatchObject({ kind: 'funnel', labels: ['New', 'Qualified', 'Proposal', 'Won'], series: [{ values: [5, 4, 2, 1] }] });
	expect(doc.notes).toEqual(['1 deal(s) had no stage history: their current stage stands for the furthest stage reached.']);
});

test('win/loss: win rate, average won deal, sales cycle, deltas against September', () => {
	const doc = run('winLoss');
	// October: D2 won (2,000; 3 → 20 Oct = 17 days), D3 lost. September: D4 won (4,000; 15 days).
	expect(summary(doc)).toEqual({ won: 1, lost: 1, winRate: 0.5, averageDealSize: 2000, medianCycleDays: 17, p90CycleDays: 17 });
	expect(deltas(doc)).toEqual({ won: 0, lost: 1, winRate: -0.5, averageDealSize: -2000, medianCycleDays: 2, p90CycleDays: undefined });
	const weekly = run('winLoss', { grouping: 'week' });
	expect(weekly.tables[0].rows.map((r) => [r.period, r.won, r.lost])).toEqual([
		['2026-W42', 0, 1],
		['2026-W43', 1, 0],
	]);
});

test('stage velocity: time in stage (median, p90) and stalled deals', () => {
	const doc = run('stageVelocity');
	// Stays ending in October — New: 3, 7, 4, 5 days; Qualified: 4, 7; Proposal: 10.
	// New: median 4.5, p90 = 5 + (7 − 5) × 0.7 = 6.4. Qualified: median 5.5, p90 = 4 + 3 × 0.9 = 6.7.
	expect(doc.tables[0].rows).toEqual([
		{ pipeline: 'Sales', stage: 'New', stays: 4, medianDays: 4.5, p90Days: 6.4, averageDays: 4.75 },
		{ pipeline: 'Sales', stage: 'Qualified', stays: 2, medianDays: 5.5, p90Days: 6.7, averageDays: 5.5 },
		{ pipeline: 'Sales', stage: 'Proposal', stays: 1, medianDays: 10, p90Days: 10, averageDays: 10 },
	]);
	// Open and more than 14 days in stage on 1 Nov 11:00 UTC: D5 (26.0), D1 (23.0), D6 (20.0).
	expect(doc.tables[1].rows.map((r) => [r.id, r.daysInStage, r.owner])).toEqual([
		['D5', 26, 'Ben'],
		['D1', 23, 'Ana'],
		['D6', 20, '(no owner)'],
	]);
	expect(summary(doc).stalledDeals).toBe(3);
});

test('ticket SLA in business hours: Friday-evening ticket, DST week, breaches, reopened, at risk now', () => {
	const doc = run('ticketSla');
	expect(doc.tables[0].rows).toEqual([
		{
			priority: 'high',
			tickets: 4,
			firstResponseTargetHours: 4,
			// Responses 0.75, 6, 1 h.
			medianFirstResponseHours: 1,
			p90FirstResponseHours: 5,
			// T3 answered late, T4 unanswered past 4 h.
			firstResponseBreaches: 2,
			firstResponseBreachRate: 0.5,
			resolutionTargetHours: 16,
			medianResolutionHours: 12.5,
			p90ResolutionHours: 15.3,
			resolutionBreaches: 0,
			resolutionBreachRate: 0,
			reopened: 1,
		},
		{
			priority: 'medium',
			tickets: 1,
			firstResponseTargetHours: 8,
			medianFirstResponseHours: 2,
			p90FirstResponseHours: 2,
			firstResponseBreaches: 0,
			firstResponseBreachRate: 0,
			resolutionTargetHours: 40,
			medianResolutionHours: 25,
			p90ResolutionHours: 25,
			resolutionBreaches: 0,
			resolutionBreachRate: 0,
			reopened: 0,
		},
	]);
	expect(summary(doc)).toEqual({
		tickets: 5,
		medianFirstResponseHours: 1.5, // 0.75, 1, 2, 6
		firstResponseBreachRate: 0.4,
		medianResolutionHours: 16, // 9, 16, 25
		resolutionBreachRate: 0,
		atRisk: 1,
	});
	// T6: due after 16 business hours: Thu 11:00 + 6 h + 8 h (Fri) + 2 h → Mon 2 Nov 11:00 Berlin.
	expect(doc.tables[1].rows).toEqual([
		{ id: 'T6', subject: 'Slow page', priority: 'high', owner: 'Ben', target: 'resolution', dueBy: '2026-11-02T10:00:00.000Z', hoursLeft: 2 },
	]);
});

test('ticket SLA grouped by week: rows per ISO week of opening', () => {
	const doc = run('ticketSla', { grouping: 'week' });
	// T1 (W40), T3 (W42), T2 (W43), T4 and T6 (W44).
	expect(doc.tables[0].rows.map((r) => [r.period, r.priority, r.tickets])).toEqual([
		['2026-W40', 'high', 1],
		['2026-W42', 'high', 1],
		['2026-W43', 'medium', 1],
		['2026-W44', 'high', 2],
	]);
});

test('team workload per owner', () => {
	const doc = run('teamWorkload');
	expect(doc.tables[0].rows).toEqual([
		{ owner: 'Ana', openTasks: 2, overdueTasks: 1, tasksCompleted: 0, dealsWon: 1, ticketsClosed: 1 },
		{ owner: 'Ben', openTasks: 0, overdueTasks: 0, tasksCompleted: 1, dealsWon: 0, ticketsClosed: 2 },
	]);
});

test('workflow effectiveness: actual vs allowed time, work per person, cost per unit', () => {
	const doc = run('workflowEffectiveness');
	// Median hours in stage: New 4.5 d = 108 h, Qualified 5.5 d = 132 h, Proposal 240 h.
	expect(doc.tables[0].rows).toEqual([
		{ stage: 'New', stays: 4, actualHours: 108, allowedHours: 96, effectiveness: 1.125 },
		{ stage: 'Qualified', stays: 2, actualHours: 132, allowedHours: 120, effectiveness: 1.1 },
		{ stage: 'Proposal', stays: 1, actualHours: 240, allowedHours: 240, effectiveness: 1 },
	]);
	// Done: D2, D3 closed in October by Ana and Ben. October 2026 has 22 working days = 176 h.
	// Cost per unit = 50 × 2 people × 176 h / 2 = 8,800.
	expect(summary(doc)).toEqual({ effectiveness: 1.0526, workDone: 2, people: 2, efficiency: 1, businessHours: 176, costPerUnit: 8800 });
});

test('an empty period gives empty tables and no figures, not errors', () => {
	const empty = { period: resolvePeriod('custom', { timeZone: TZ, now: NOW, start: '2025-01-01', end: '2025-01-31' }), previous: undefined };
	const win = run('winLoss', empty);
	expect(win.tables[0].rows).toEqual([]);
	expect(summary(win)).toEqual({ won: 0, lost: 0, winRate: null, averageDealSize: null, medianCycleDays: null, p90CycleDays: null });
	const funnel = run('funnel', empty);
	expect(funnel.tables[0].rows).toEqual([]);
	expect(funnel.charts).toEqual([]);
	const sla = run('ticketSla', empty);
	expect(sla.tables[0].rows).toEqual([]);
	expect(summary(sla).tickets).toBe(0);
});
