// Hand-checked records for the forecast, leaderboard, conversion and stale-deals reports (used by
// new-reports.test.ts, which works out every expected number, and by the HTML screenshots).
import type { Pipeline } from '../../nodes/shared/model/types';
import type { ReportContext } from '../../nodes/shared/engines/reports/context';
import { resolvePeriod } from '../../nodes/shared/engines/reports/period';

export const TZ = 'Europe/Berlin';
export const NOW = Date.parse('2026-10-15T10:00:00Z');
export const pipeline: Pipeline = {
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

export function context(overrides: Partial<ReportContext> = {}): ReportContext {
	return {
		period: resolvePeriod('custom', { timeZone: TZ, now: NOW, start: '2026-10-01', end: '2026-12-31' }),
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
		slaTargets: { firstResponse: { default: 8 }, resolution: { default: 40 } },
		atRiskShare: 0.8,
		stalledDays: 14,
		allowedHoursByStage: {},
		includeClosedDeals: false,
		...overrides,
	};
}

export const deals = [
	// 2026-10: F1 best case (0.6 ≥ 0.4), F2 pipeline (0.3). Weighted 600 + 600.
	{ id: 'F1', pipelineId: 'p', stageId: 's3', status: 'open', amount: 1000, ownerId: 'o1', closeDate: '2026-10-20', createdAt: '2026-10-01T08:00:00Z' },
	{ id: 'F2', pipelineId: 'p', stageId: 's2', status: 'open', amount: 2000, ownerId: 'o2', closeDate: '2026-10-28', createdAt: '2026-09-01T08:00:00Z' },
	// 2026-11: F3 commit by its own probability 0.9 (weighted 2700); F11 omitted by the CRM's category (weighted 360, not in pipeline).
	{ id: 'F3', pipelineId: 'p', stageId: 's3', status: 'open', amount: 3000, probability: 0.9, ownerId: 'o1', closeDate: '2026-11-10', createdAt: '2026-10-02T08:00:00Z' },
	{ id: 'F11', pipelineId: 'p', stageId: 's3', status: 'open', amount: 600, forecastCategory: 'omitted', ownerId: 'o2', closeDate: '2026-11-20', createdAt: '2026-08-01T08:00:00Z' },
	// 2026-12: F4 commit by the CRM's category although its stage says 0.1 (weighted 50).
	{ id: 'F4', pipelineId: 'p', stageId: 's1', status: 'open', amount: 500, forecastCategory: 'commit', ownerId: 'o2', closeDate: '2026-12-05', createdAt: '2026-10-03T08:00:00Z' },
	// Not forecast: F5 close date before the period (overdue), F6 no close date, F10 after the period.
	{ id: 'F5', pipelineId: 'p', stageId: 's3', status: 'open', amount: 700, ownerId: 'o1', closeDate: '2026-09-30', createdAt: '2026-08-01T08:00:00Z' },
	{ id: 'F6', pipelineId: 'p', stageId: 's3', status: 'open', amount: 100, ownerId: 'o1', createdAt: '2026-08-01T08:00:00Z' },
	{ id: 'F10', pipelineId: 'p', stageId: 's3', status: 'open', amount: 800, ownerId: 'o1', closeDate: '2027-01-15', createdAt: '2026-08-01T08:00:00Z' },
	// Won in the period by Ana (4000); won before it; lost.
	{ id: 'F7', pipelineId: 'p', stageId: 's4', status: 'won', amount: 4000, ownerId: 'o1', closeDate: '2026-10-05', createdAt: '2026-09-15T08:00:00Z' },
	{ id: 'F8', pipelineId: 'p', stageId: 's4', status: 'won', amount: 1500, ownerId: 'o2', closeDate: '2026-09-20', createdAt: '2026-08-01T08:00:00Z' },
	{ id: 'F9', pipelineId: 'p', stageId: 's5', status: 'lost', amount: 999, ownerId: 'o2', closeDate: '2026-10-10', createdAt: '2026-08-01T08:00:00Z' },
];

export const tasks = [
	{ id: 'T1', kind: 'call', status: 'completed', ownerId: 'o1', completedAt: '2026-10-02T09:00:00Z' },
	{ id: 'T2', kind: 'call', status: 'completed', ownerId: 'o1', completedAt: '2026-10-03T09:00:00Z' },
	{ id: 'T3', kind: 'email', status: 'completed', ownerId: 'o2', completedAt: '2026-10-04T09:00:00Z' },
	{ id: 'T4', kind: 'meeting', status: 'completed', ownerId: 'o2', completedAt: '2026-10-05T09:00:00Z' },
	{ id: 'T5', status: 'completed', ownerId: 'o1', completedAt: '2026-10-06T09:00:00Z' },
	{ id: 'T6', status: 'open', ownerId: 'o2', dueAt: '2026-10-10T09:00:00Z' }, // overdue on 15 October
	{ id: 'T7', status: 'open', ownerId: 'o2', dueAt: '2026-10-20T09:00:00Z' }, // not yet due
	{ id: 'T8', kind: 'call', status: 'completed', ownerId: 'o1', completedAt: '2026-09-30T09:00:00Z' }, // before the period
];

export const leads = [
	{ id: 'L1', source: 'Web', createdAt: '2026-10-02T08:00:00Z', qualified: true, convertedDealId: 'F7' }, // won through F7 (4000)
	{ id: 'L2', source: 'Web', createdAt: '2026-10-03T08:00:00Z', qualified: false },
	{ id: 'L3', source: 'Web', createdAt: '2026-10-04T08:00:00Z', qualified: true, convertedDealId: 'F2' }, // F2 still open
	{ id: 'L4', source: 'Partner', createdAt: '2026-10-05T08:00:00Z', won: true }, // the CRM says customer: qualified on the way
	{ id: 'L5', createdAt: '2026-10-06T08:00:00Z' }, // no source
	{ id: 'L6', source: 'Web', createdAt: '2026-09-01T08:00:00Z', qualified: true }, // before the period
];

const history = (...entries: Array<[string, string]>) => entries.map(([closeDate, at]) => ({ closeDate, changedAt: Date.parse(at) }));
export const staleDeals = [
	// Idle 20 days (stale); close date moved 1 Oct → 20 Oct → 31 Oct: slipped 30 days, 2 moves.
	{ id: 'S1', name: 'Acme renewal', url: 'https://crm.example/deals/S1', pipelineId: 'p', stageId: 's3', status: 'open', amount: 1000, ownerId: 'o1', lastActivityAt: '2026-09-25T10:00:00Z', closeDate: '2026-10-31',
		closeDateHistory: history(['2026-10-01', '2026-09-01T00:00:00Z'], ['2026-10-20', '2026-09-20T00:00:00Z'], ['2026-10-31', '2026-10-05T00:00:00Z']) },
	// Idle 5 days (not stale) but slipped 15 Oct → 14 Nov: 30 days.
	{ id: 'S2', name: 'Beta [pilot]', url: 'https://crm.example/deals/S2', pipelineId: 'p', stageId: 's2', status: 'open', amount: 2000, ownerId: 'o2', lastActivityAt: '2026-10-10T10:00:00Z', closeDate: '2026-11-14',
		closeDateHistory: history(['2026-10-15', '2026-09-01T00:00:00Z'], ['2026-11-14', '2026-10-01T00:00:00Z']) },
	// Never an activity: idle since created on 1 September = 44 days; no history kept.
	{ id: 'S3', name: 'Gamma', url: 'javascript:alert(1)', pipelineId: 'p', stageId: 's1', status: 'open', amount: 500, ownerId: 'o2', createdAt: '2026-09-01T10:00:00Z', closeDate: '2026-12-01' },
	// Active yesterday, close date pulled in: not flagged.
	{ id: 'S4', name: 'Delta', pipelineId: 'p', stageId: 's3', status: 'open', amount: 300, ownerId: 'o1', lastActivityAt: '2026-10-14T10:00:00Z', closeDate: '2026-10-25',
		closeDateHistory: history(['2026-10-30', '2026-09-01T00:00:00Z'], ['2026-10-25', '2026-10-01T00:00:00Z']) },
	{ id: 'S5', name: 'Won long ago', pipelineId: 'p', stageId: 's4', status: 'won', amount: 9000, lastActivityAt: '2026-01-01T00:00:00Z' },
];

