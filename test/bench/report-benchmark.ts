/* eslint-disable */
// `npm run bench:reports`: prints records/second and peak memory of the CRM Report engine for
// 100,000 and 1,000,000 synthetic deals, on the input-items path (in-process) and on the CRM path
// (HTTP against a local HubSpot-shaped server with no rate limit), and how much the aggregation
// adds to the time spent fetching. Each measurement runs in its own process, so peak RSS is its own.
// The forecast, leaderboard, conversion and stale-deals reports run on the input path (the
// leaderboard and conversion reports on N/2 deals + N/2 tasks or leads) and, for the deal-only
// forecast and stale-deals reports, on the CRM path too (stale deals reads close-date history).
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';

import { fetchSend } from '../helpers/fetchSend';
import { hubspotProvider } from '../../nodes/shared/providers/hubspot/HubSpotProvider';
import type { AnyReportRecord, RecordKind, ReportContext, ReportDeal } from '../../nodes/shared/engines/reports/context';
import { createReport } from '../../nodes/shared/engines/reports/registry';
import type { ReportKind } from '../../nodes/shared/engines/reports/registry';
import { reportFromCrm, reportFromRecords } from '../../nodes/shared/engines/reports/run';
import { resolvePeriod, previousPeriod } from '../../nodes/shared/engines/reports/period';
import type { Pipeline } from '../../nodes/shared/model/types';

const DAY = 86_400_000;
const STAGES: Array<[string, string, number, 'open' | 'won' | 'lost']> = [
	['appointmentscheduled', 'Appointment scheduled', 0.2, 'open'],
	['qualifiedtobuy', 'Qualified to buy', 0.4, 'open'],
	['presentationscheduled', 'Presentation scheduled', 0.6, 'open'],
	['contractsent', 'Contract sent', 0.9, 'open'],
	['closedwon', 'Closed won', 1, 'won'],
	['closedlost', 'Closed lost', 0, 'lost'],
];
const pipeline: Pipeline = { id: 'default', name: 'Sales Pipeline', objectType: 'deal', stages: STAGES.map(([id, name, probability, closed], order) => ({ id, name, order, probability, closed })) };

function context(): ReportContext {
	const now = Date.parse('2026-11-01T00:00:00Z');
	const period = resolvePeriod('custom', { timeZone: 'UTC', now, start: '2026-01-01', end: '2026-10-31' });
	return {
		period,
		previous: previousPeriod(period, 'custom'),
		grouping: 'month',
		now,
		pipelines: [pipeline],
		owners: new Map(),
		byOwner: true,
		workingHours: { timeZone: 'UTC', calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] }, start: '09:00', end: '17:00' },
		slaTargets: { firstResponse: { default: 8 }, resolution: { default: 40 } },
		atRiskShare: 0.8,
		stalledDays: 14,
		allowedHoursByStage: {},
		includeClosedDeals: false,
		forecast: { commitFrom: 0.7, bestCaseFrom: 0.4, quotas: new Map(Array.from({ length: 7 }, (_, i) => [String(100 + i), 1_000_000] as [string, number])) },
		staleDays: 14,
	};
}

/** Synthetic deals, generated one at a time like pages arriving (same shape as the server's). */
function* syntheticDeals(count: number): Generator<{ kind: RecordKind; record: ReportDeal }> {
	const start = Date.parse('2026-01-01T00:00:00Z');
	for (let i = 0; i < count; i++) {
		const [stageId, , , closed] = STAGES[i % STAGES.length];
		const created = start + (i % 300) * DAY + (i % 1000) * 1000;
		const reached = closed === 'lost' ? 1 + (i % 3) : (i % STAGES.length) + 1;
		const stageHistory = [];
		for (let s = 0; s < reached; s++) stageHistory.push({ stageId: STAGES[s][0], enteredAt: created + s * 3 * DAY });
		yield {
			kind: 'deal',
			record: {
				id: String(i + 1),
				amount: 1000 + (i % 97) * 10,
				pipelineId: 'default',
				stageId,
				status: closed === 'won' ? 'won' : closed === 'lost' ? 'lost' : 'open',
				ownerId: String(100 + (i % 7)),
				createdAt: new Date(created).toISOString(),
				// Open deals close 60 days after creation (forecast); closed ones closed after 20.
				closeDate: new Date(created + (closed === 'open' ? 60 : 20) * DAY).toISOString(),
				stageHistory,
				...(i % 4 === 0 ? {} : { lastActivityAt: new Date(created + (i % 40) * DAY).toISOString() }),
				...(i % 11 === 0 ? { forecastCategory: 'commit' as const } : {}),
				// Every fifth deal was pushed out once by 30 days.
				closeDateHistory:
					i % 5 === 0
						? [
								{ closeDate: new Date(created + 30 * DAY).toISOString(), changedAt: created },
								{ closeDate: new Date(created + 60 * DAY).toISOString(), changedAt: created + 10 * DAY },
							]
						: [{ closeDate: new Date(created + 60 * DAY).toISOString(), changedAt: created }],
			},
		};
	}
}

/** Synthetic tasks: calls, emails, meetings and to-dos, a quarter still open (some overdue). */
function* syntheticTasks(count: number): Generator<{ kind: RecordKind; record: AnyReportRecord }> {
	const start = Date.parse('2026-01-01T00:00:00Z');
	const kinds = ['call', 'email', 'meeting', 'task'] as const;
	for (let i = 0; i < count; i++) {
		const at = start + (i % 330) * DAY;
		const open = i % 4 === 0;
		yield {
			kind: 'task',
			record: { id: `t${i}`, kind: kinds[i % 4], status: open ? 'open' : 'completed', ownerId: String(100 + (i % 7)), dueAt: new Date(at).toISOString(), ...(open ? {} : { completedAt: new Date(at).toISOString() }) },
		};
	}
}

/** Synthetic leads from 6 sources; every third qualified, every sixth converted into deal i (won when deal i is). */
function* syntheticLeads(count: number): Generator<{ kind: RecordKind; record: AnyReportRecord }> {
	const start = Date.parse('2026-01-01T00:00:00Z');
	const sources = ['Web', 'Referral', 'Partner', 'Event', 'Ads', 'Cold call'];
	for (let i = 0; i < count; i++) {
		yield {
			kind: 'lead',
			record: { id: `l${i}`, source: sources[i % 6], createdAt: new Date(start + (i % 300) * DAY).toISOString(), qualified: i % 3 === 0, ...(i % 6 === 0 ? { convertedDealId: String(i + 1) } : {}) },
		};
	}
}

/** The records a report reads, in the order it reads them (deals first), `count` in all. */
function* syntheticRecords(report: ReportKind, count: number): Generator<{ kind: RecordKind; record: AnyReportRecord }> {
	if (report === 'repLeaderboard') {
		yield* syntheticTasks(count / 2);
		yield* syntheticDeals(count / 2);
	} else if (report === 'conversionBySource') {
		yield* syntheticDeals(count / 2);
		yield* syntheticLeads(count / 2);
	} else yield* syntheticDeals(count);
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function measureInput(report: ReportKind, count: number) {
	const started = process.hrtime.bigint();
	const doc = reportFromRecords(createReport(report, context()), syntheticRecords(report, count));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return { path: 'input items', report, count, seconds, perSecond: Math.round(count / seconds), peakRssMb: peakMb(), rows: doc.tables[0].rows.length };
}

async function measureCrm(report: ReportKind, count: number, aggregate: boolean) {
	const server = spawn(process.execPath, [path.join(__dirname, 'synthetic-hubspot.js'), String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<number>((resolve) => server.stdout!.once('data', (d) => resolve(Number(String(d).split(' ')[1]))));
	try {
		const provider = hubspotProvider.create({
			send: fetchSend('bench-token'),
			credentials: { baseUrl: `http://127.0.0.1:${port}` },
			credentialKey: 'bench',
			transportOverrides: { rateLimits: { default: { max: 1e9, windowMs: 1000 }, search: { max: 1e9, windowMs: 1000 } } },
		});
		const started = process.hrtime.bigint();
		let rows = 0;
		if (aggregate) {
			const builder = createReport(report, context());
			rows = (await reportFromCrm(provider, builder)).tables[0].rows.length;
		} else {
			const history = report === 'staleDeals' ? { history: true } : { stageHistory: report === 'funnel' };
			for await (const page of provider.streamRecords('deal', history)) rows += page.length;
		}
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		return { path: aggregate ? 'CRM (fetch + aggregate)' : 'CRM (fetch only)', report, count, seconds, perSecond: Math.round(count / seconds), peakRssMb: peakMb(), rows };
	} finally {
		server.kill('SIGTERM');
	}
}

async function child(args: string[]) {
	const [mode, report, countText, aggregate] = args;
	const count = Number(countText);
	const result = mode === 'input' ? await measureInput(report as ReportKind, count) : await measureCrm(report as ReportKind, count, aggregate === 'yes');
	console.log(JSON.stringify(result));
}

function run(args: string[]) {
	const out = execFileSync(process.execPath, [__filename, 'child', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
	return JSON.parse(out.trim().split('\n').pop()!);
}

async function main() {
	if (process.argv[2] === 'child') return child(process.argv.slice(3));
	const counts = (process.env.BENCH_COUNTS ?? '100000,1000000').split(',').map(Number);
	const results = [];
	for (const count of counts) {
		const reports = (process.env.BENCH_REPORTS ?? 'pipeline,winLoss,funnel,forecast,repLeaderboard,conversionBySource,staleDeals').split(',') as ReportKind[];
		for (const report of reports) results.push(run(['input', report, String(count)]));
		for (const report of (process.env.BENCH_CRM_REPORTS ?? 'funnel,forecast,staleDeals').split(',') as ReportKind[]) {
			const fetchOnly = run(['crm', report, String(count), 'no']);
			const aggregated = run(['crm', report, String(count), 'yes']);
			results.push(fetchOnly, { ...aggregated, aggregationOverhead: `${(((aggregated.seconds - fetchOnly.seconds) / fetchOnly.seconds) * 100).toFixed(1)}%` });
		}
	}
	console.table(results.map((r) => ({ ...r, seconds: Number(r.seconds.toFixed(2)) })));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
