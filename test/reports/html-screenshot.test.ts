/* eslint-disable */
// The email HTML rendered by a real browser engine (headless Chromium), saved as a PNG artifact
// a person can look at: artifacts/report-pipeline.png and artifacts/report-funnel.png.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Pipeline } from '../../nodes/shared/model/types';
import { createReport } from '../../nodes/shared/engines/reports/registry';
import type { ReportKind } from '../../nodes/shared/engines/reports/registry';
import { reportFromRecords } from '../../nodes/shared/engines/reports/run';
import { resolvePeriod } from '../../nodes/shared/engines/reports/period';
import { documentToHtml } from '../../nodes/shared/engines/reports/render';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
// CI installs Chromium (.ci/run); on a machine without it the test says so instead of failing.
const maybe = CHROMIUM || process.env.CI ? test : test.skip;

const pipeline: Pipeline = {
	id: 'default',
	name: 'Sales Pipeline',
	objectType: 'deal',
	stages: [
		{ id: 'a', name: 'Appointment scheduled', order: 0, probability: 0.2, closed: 'open' },
		{ id: 'q', name: 'Qualified to buy', order: 1, probability: 0.4, closed: 'open' },
		{ id: 'c', name: 'Contract sent', order: 2, probability: 0.9, closed: 'open' },
		{ id: 'w', name: 'Closed won', order: 3, probability: 1, closed: 'won' },
		{ id: 'l', name: 'Closed lost', order: 4, probability: 0, closed: 'lost' },
	],
};

function report(kind: ReportKind) {
	const now = Date.parse('2026-11-20T09:00:00Z');
	const ctx = {
		period: resolvePeriod('thisMonth', { timeZone: 'Europe/Berlin', now }),
		grouping: 'none' as const,
		now,
		currency: 'EUR',
		pipelines: [pipeline],
		owners: new Map(),
		byOwner: false,
		workingHours: { timeZone: 'Europe/Berlin', calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] }, start: '09:00', end: '17:00' },
		slaTargets: { firstResponse: { default: 8 }, resolution: { default: 40 } },
		atRiskShare: 0.8,
		stalledDays: 14,
		allowedHoursByStage: {},
		includeClosedDeals: false,
	};
	const stageOf = ['a', 'a', 'a', 'a', 'q', 'q', 'q', 'c', 'c', 'w', 'l', 'l'];
	const records = stageOf.map((stageId, i) => ({
		kind: 'deal' as const,
		record: {
			id: String(i),
			pipelineId: 'default',
			stageId,
			status: stageId === 'w' ? 'won' : stageId === 'l' ? 'lost' : 'open',
			amount: 1000 + i * 750,
			createdAt: '2026-11-03T10:00:00Z',
		} as never,
	}));
	return documentToHtml(reportFromRecords(createReport(kind, ctx), records));
}

maybe.each(['pipeline', 'funnel'] as ReportKind[])('the %s report HTML renders in Chromium (screenshot saved)', (kind) => {
	expect(CHROMIUM).toBeDefined();
	const dir = path.resolve('artifacts');
	fs.mkdirSync(dir, { recursive: true });
	const html = path.join(dir, `report-${kind}.html`);
	const png = path.join(dir, `report-${kind}.png`);
	fs.writeFileSync(html, report(kind));
	fs.rmSync(png, { force: true });
	execFileSync(
		CHROMIUM!,
		[
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			`--user-data-dir=${fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'chromium-'))}`,
			'--hide-scrollbars',
			'--window-size=700,1100',
			`--screenshot=${png}`,
			`file://${html}`,
		],
		{ stdio: 'ignore', timeout: 60_000 },
	);
	const image = fs.readFileSync(png);
	expect([...image.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
	expect(image.readUInt32BE(16)).toBe(700); // IHDR width
	expect(image.length).toBeGreaterThan(10_000); // a rendered page, not a blank one
});
