/* eslint-disable */
// CRM Report inside workflows run by n8n-core: from input items and from the CRM (the local
// HubSpot server), with the files attached as binary data.
import { useHubSpotSandbox } from '../helpers/sandbox';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { reportChain, runCrmWorkflow } from '../helpers/crmWorkflow';

let hubspot: FakeHubSpot;
const sandbox = useHubSpotSandbox();
beforeEach(() => {
	hubspot = sandbox.hubspot;
});

function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') row.push(field), (field = '');
		else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
		else field += c;
	}
	if (field || row.length) row.push(field), rows.push(row);
	return rows;
}

const decode = (binary: any) => Buffer.from(binary.data, 'base64');

test('Manual → deals as items → CRM Report (win/loss) → rows, summary and CSV/HTML/Markdown/PNG files', async () => {
	const items = [
		{ id: 'a', status: 'won', amount: 1000, ownerId: 'Ana', createdAt: '2026-10-01T10:00:00Z', closeDate: '2026-10-11T10:00:00Z' },
		{ id: 'b', status: 'won', amount: 3000, ownerId: 'Ben', createdAt: '2026-10-02T10:00:00Z', closeDate: '2026-10-22T10:00:00Z' },
		{ id: 'c', status: 'lost', amount: 500, ownerId: 'Ana', createdAt: '2026-10-03T10:00:00Z', closeDate: '2026-10-05T10:00:00Z' },
		{ id: 'd', status: 'open', amount: 800, ownerId: 'Ben', createdAt: '2026-10-04T10:00:00Z' },
	];
	const workflow = reportChain(
		{
			dataSource: 'input',
			report: 'winLoss',
			period: 'custom',
			start: '2026-10-01',
			end: '2026-10-31',
			timeZone: 'Europe/Berlin',
			byOwner: true,
			compare: false,
			files: ['csv', 'html', 'markdown', 'png', 'svg'],
			options: { currency: 'EUR' },
		},
		items,
	);
	const result = await runCrmWorkflow(workflow, { baseUrl: hubspot.baseUrl, token: hubspot.token });
	expect(result.error).toBeUndefined();
	const out = result.nodes['CRM Report'].items[0];
	const rows = out.slice(0, -1).map((i) => i.json);
	expect(rows).toEqual([
		{ report: 'winLoss', period: 'all', owner: 'Ana', won: 1, lost: 1, winRate: 0.5, wonAmount: 1000, averageDealSize: 1000, medianCycleDays: 10, p90CycleDays: 10 },
		{ report: 'winLoss', period: 'all', owner: 'Ben', won: 1, lost: 0, winRate: 1, wonAmount: 3000, averageDealSize: 3000, medianCycleDays: 20, p90CycleDays: 20 },
	]);
	const summaryItem = out[out.length - 1];
	expect(summaryItem.json).toMatchObject({ report: 'winLoss', type: 'summary', summary: { won: 2, lost: 1, averageDealSize: 2000, medianCycleDays: 15 }, currency: 'EUR' });
	expect(summaryItem.pairedItem).toEqual({ item: 0 });

	const binary = summaryItem.binary!;
	expect(Object.keys(binary).sort()).toEqual(['chart', 'chartPng', 'csv', 'html', 'markdown']);
	const csv = parseCsv(decode(binary.csv).toString('utf8'));
	expect(csv[0]).toEqual(['period', 'owner', 'won', 'lost', 'winRate', 'wonAmount', 'averageDealSize', 'medianCycleDays', 'p90CycleDays']);
	expect(csv.slice(1)).toEqual(rows.map((r) => csv[0].map((key) => String(r[key as keyof typeof r]))));
	const html = decode(binary.html).toString('utf8');
	expect(html).not.toMatch(/<script|<svg/i);
	expect(html).toContain('3,000.00 EUR');
	expect(binary.html.mimeType).toBe('text/html');
	const md = decode(binary.markdown).toString('utf8');
	expect(md).toContain('| Ana |');
	const png = decode(binary.chartPng);
	expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
	expect(binary.chartPng.fileName).toMatch(/^winLoss-2026-10-01\.png$/);
});

test('CRM data source: pipeline and funnel reports read deals and HubSpot stage history page by page', async () => {
	const t0 = Date.now() - 5 * 86_400_000;
	let clock = t0;
	hubspot.setClock(() => clock);
	const ids: string[] = [];
	for (let i = 0; i < 150; i++) {
		clock += 60_000;
		ids.push(String(hubspot.createObject('deals', { dealname: `D${i}`, pipeline: 'default', dealstage: 'appointmentscheduled', amount: '100' }).id));
	}
	// 60 move on to "Qualified to buy", 20 of those to "Closed won".
	for (const id of ids.slice(0, 60)) (clock += 1000), hubspot.updateObject('deals', id, { dealstage: 'qualifiedtobuy' });
	for (const id of ids.slice(0, 20)) (clock += 1000), hubspot.updateObject('deals', id, { dealstage: 'closedwon' });
	hubspot.setClock(() => Date.now());

	const base = { dataSource: 'crm', period: 'thisMonth', timeZone: 'UTC', files: [] };
	const before = hubspot.requests.length;
	const pipeline = await runCrmWorkflow(reportChain({ ...base, report: 'pipeline' }), { baseUrl: hubspot.baseUrl, token: hubspot.token });
	expect(pipeline.error).toBeUndefined();
	const pipelineRows = pipeline.nodes['CRM Report'].items[0].slice(0, -1).map((i) => i.json);
	expect(pipelineRows.map((r) => [r.stage, r.count, r.amount, r.weightedAmount])).toEqual([
		['Appointment scheduled', 90, 9000, 1800],
		['Qualified to buy', 40, 4000, 1600],
	]);
	// 150 deals in pages of 100: 2 list calls, plus pipelines and owners.
	const calls = hubspot.requests.slice(before).map((r) => `${r.method} ${r.path}`);
	expect(calls.filter((c) => c === 'GET /crm/v3/objects/deals')).toHaveLength(2);

	const funnel = await runCrmWorkflow(reportChain({ ...base, report: 'funnel', period: 'custom', start: new Date(t0 - 86_400_000).toISOString().slice(0, 10), end: new Date().toISOString().slice(0, 10) }), { baseUrl: hubspot.baseUrl, token: hubspot.token });
	expect(funnel.error).toBeUndefined();
	const reached = funnel.nodes['CRM Report'].items[0].slice(0, -1).map((i) => [i.json.stage, i.json.reached]);
	expect(reached.slice(0, 2)).toEqual([
		['Appointment scheduled', 150],
		['Qualified to buy', 60],
	]);
	expect(reached[reached.length - 1]).toEqual(['Closed won', 20]);
	const list = hubspot.requests.find((r) => r.method === 'GET' && r.path === '/crm/v3/objects/deals' && String(r.query.properties).includes('hs_date_entered_qualifiedtobuy'));
	expect(list).toBeDefined();
});

