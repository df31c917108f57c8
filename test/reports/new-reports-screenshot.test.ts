/* eslint-disable */
// The new reports' email HTML rendered by headless Chromium and saved for people to look at:
// artifacts/issue-16/report-<kind>.png (and the .html next to it), from the hand-checked records
// of new-reports.test.ts.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { AnyReportRecord, RecordKind } from '../../nodes/shared/engines/reports/context';
import { createReport } from '../../nodes/shared/engines/reports/registry';
import type { ReportKind } from '../../nodes/shared/engines/reports/registry';
import { reportFromRecords } from '../../nodes/shared/engines/reports/run';
import { documentToHtml } from '../../nodes/shared/engines/reports/render';
import { context, deals, leads, staleDeals, tasks } from './newReportsFixture';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const maybe = CHROMIUM || process.env.CI ? test : test.skip;

const of = (kind: RecordKind, list: unknown[]) => list.map((record) => ({ kind, record: record as AnyReportRecord }));
const RECORDS: Record<string, Array<{ kind: RecordKind; record: AnyReportRecord }>> = {
	forecast: of('deal', deals),
	repLeaderboard: [...of('task', tasks), ...of('deal', deals)],
	conversionBySource: [...of('deal', deals), ...of('lead', leads)],
	staleDeals: of('deal', staleDeals),
};

maybe.each(Object.keys(RECORDS) as ReportKind[])('the %s report HTML renders in Chromium (screenshot saved)', (kind) => {
	const quotas = new Map([
		['ana', 10_000],
		['o2', 5_000],
	]);
	const doc = reportFromRecords(createReport(kind, context({ forecast: { commitFrom: 0.7, bestCaseFrom: 0.4, quotas } })), RECORDS[kind]);
	const dir = path.resolve('artifacts', 'issue-16');
	fs.mkdirSync(dir, { recursive: true });
	const html = path.join(dir, `report-${kind}.html`);
	const png = path.join(dir, `report-${kind}.png`);
	fs.writeFileSync(html, documentToHtml(doc));
	fs.rmSync(png, { force: true });
	execFileSync(
		CHROMIUM!,
		['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--user-data-dir=${fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'))}`, '--hide-scrollbars', '--window-size=700,1300', `--screenshot=${png}`, `file://${html}`],
		{ stdio: 'ignore', timeout: 60_000 },
	);
	const image = fs.readFileSync(png);
	expect([...image.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
	expect(image.readUInt32BE(16)).toBe(700);
	expect(image.length).toBeGreaterThan(10_000);
});
