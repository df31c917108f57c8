/* eslint-disable */
// The forecast, rep leaderboard, conversion-by-source and stale-deals reports, alert mode and
// record links, read from each CRM's sandbox by the CRM Report node inside workflows run by
// n8n-core. The same story is seeded on HubSpot, Salesforce, EspoCRM and Pipedrive (in each CRM's
// own terms) and the same workflow is switched only by credential. Times are relative to "now":
//
//   now-10d  deals: Acme (Ana, Contract sent, 1,000, closes the 15th of next month),
//                   Beta (Ben, Qualified to buy, 2,000, closes the 5th of next month),
//                   Gamma (Ana, won, 3,000, closed today: the deal lead L1 became);
//            leads: L1 and L2 from source A, L3 from source B
//   now-5d   Beta's close date moves out to the 15th of the month after next (a slip)
//   now-2d   Ana logs a call on Acme (Acme's last activity)
//   now-1d   Ben sends an email (a completed email task); Ana has a task due now-1d, still open;
//            Ben has one due in 3 days
//
// Hand-checked expectations (the period: now-20d … now+100d, UTC):
// - forecast: next month Acme 1,000 (weighted 0.9 → 900), the month after Beta 2,000 (0.4 → 800);
//   Acme is commit everywhere (90 % ≥ 70 %; Salesforce's category "Commit"); Beta is best case by
//   probability (40 % ≥ 40 %) on HubSpot and EspoCRM but "Pipeline" by Salesforce's forecast
//   category. Won: Gamma 3,000 (Ana). Quota Ana 6,000 → attained 50 %, won + commit 66.67 %.
// - leaderboard: Ana 1 call (EspoCRM: a to-do, it has no task kinds), 1 overdue, 2 deals created,
//   1 won (3,000); Ben 1 email (EspoCRM: a to-do), 1 deal created.
// - conversion: source A 2 leads, 2 qualified (L1 converted/customer, L2 "Qualified"/SQL), 1 won;
//   source B 1 lead. Won amount 3,000 where the CRM links the lead to Gamma (Salesforce, EspoCRM).
//   Pipedrive removes a converted lead from its leads: source A lists L2 only (1 lead, 1 qualified, 0 won).
// - stale (after 7 days): Beta idle 10 days (no activity since created) and slipped from the 5th
//   of next month to the 15th of the month after; Acme active 2 days ago. 2 open, 1 stale, 1 slipped.
//
// Zoho CRM differs where Zoho does: L1 is not listed (Zoho's GET /Leads leaves converted leads out),
// L2's "Pre-Qualified" status qualifies it; tasks are to-dos (calls/meetings are other modules);
// a deal's Last_Activity_Time also moves when the deal is edited, so Beta's close-date move at
// now-5d is its last activity (idle 5 days: stale after 4), and without close-date history no slip shows.
import { CRM_REPORT_TYPE } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF, HubSpotSandbox, SalesforceSandbox } from '../helpers/providers';
import type { CrmSandbox } from '../helpers/providers';
import { switchProvider } from '../helpers/switchProvider';
import { EspoCrmSandbox } from '../sandbox/espocrm/crmSandbox';
import { PipedriveSandbox } from '../helpers/pipedriveSandbox';
import { ZohoSandbox } from '../helpers/zohoSandbox';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const date = (ms: number) => iso(ms).slice(0, 10);
/** The given day of the month `months` after the current one (UTC). */
function monthDay(months: number, day: number) {
	const now = new Date(NOW);
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, day)).toISOString().slice(0, 10);
}
const ACME_CLOSE = monthDay(1, 15);
const BETA_FIRST_CLOSE = monthDay(1, 5);
const BETA_CLOSE = monthDay(2, 15);
const SLIPPED_DAYS = Math.round((Date.parse(BETA_CLOSE) - Date.parse(BETA_FIRST_CLOSE)) / DAY);

interface Story {
	sandbox: CrmSandbox;
	/** Seeds the story; returns Beta's id (the stale, slipped deal). */
	seed(at: (ms: number) => void): string;
	betaBucket: 'bestCase' | 'pipeline';
	kinds: boolean;
	leadWonAmount: number;
	link: (id: string) => string;
	sources: [string, string];
	/** Conversion rows where the CRM's leads differ from the story (default: 2 leads from A, both qualified, 1 won). */
	conversion?: Array<Record<string, unknown>>;
	/** Stale-deals figures where they differ (default: after 7 days, Beta idle 10 days and slipped). */
	stale?: { staleDays: number; betaIdleDays: number; slipShown: boolean; notes: string[] };
}

const STALE_DEFAULT = { staleDays: 7, betaIdleDays: 10, slipShown: true, notes: [] as string[] };

const hubspot = new HubSpotSandbox();
const salesforce = new SalesforceSandbox('jwt');
const espo = new EspoCrmSandbox(CREDENTIAL_REF, 'hmac');
const pipedrive = new PipedriveSandbox(CREDENTIAL_REF);
const zoho = new ZohoSandbox(CREDENTIAL_REF);

const stories: Story[] = [
	{
		sandbox: hubspot,
		betaBucket: 'bestCase',
		kinds: true,
		leadWonAmount: 0, // HubSpot marks the contact "customer"; the contact is not linked to Gamma here
		link: (id) => `https://app.hubspot.com/contacts/12345678/record/0-3/${id}`,
		sources: ['ORGANIC_SEARCH', 'REFERRALS'],
		seed(at) {
			const h = hubspot.hubspot;
			const deal = (name: string, stage: string, amount: number, close: string, owner: string) =>
				String(h.createObject('deals', { dealname: name, pipeline: 'default', dealstage: stage, amount: String(amount), closedate: `${close}T00:00:00.000Z`, hubspot_owner_id: owner }).id);
			const lead = (name: string, lifecycle: string, source: string) => {
				const contact = h.createObject('contacts', { lastname: name, email: `${name.toLowerCase()}@example.com`, lifecyclestage: lifecycle, hubspot_owner_id: '101' });
				contact.properties.hs_analytics_source = source; // set by HubSpot's analytics, read-only over the API
			};
			at(NOW - 10 * DAY);
			const acme = deal('Acme', 'contractsent', 1000, ACME_CLOSE, '101');
			const beta = deal('Beta', 'qualifiedtobuy', 2000, BETA_FIRST_CLOSE, '102');
			deal('Gamma', 'closedwon', 3000, date(NOW), '101');
			lead('L1', 'customer', 'ORGANIC_SEARCH');
			lead('L2', 'salesqualifiedlead', 'ORGANIC_SEARCH');
			lead('L3', 'lead', 'REFERRALS');
			at(NOW - 5 * DAY);
			h.updateObject('deals', beta, { closedate: `${BETA_CLOSE}T00:00:00.000Z` });
			at(NOW - 2 * DAY);
			h.createObject('tasks', { hs_task_subject: 'Call Acme', hs_task_type: 'CALL', hs_task_status: 'COMPLETED', hs_timestamp: iso(NOW - 2 * DAY), hubspot_owner_id: '101' }, { associations: [{ toType: 'deals', toId: acme, typeId: 216 }] });
			at(NOW - DAY);
			h.createObject('tasks', { hs_task_subject: 'Mail Beta', hs_task_type: 'EMAIL', hs_task_status: 'COMPLETED', hs_timestamp: iso(NOW - DAY), hubspot_owner_id: '102' });
			h.createObject('tasks', { hs_task_subject: 'Follow up', hs_task_type: 'TODO', hs_task_status: 'NOT_STARTED', hs_timestamp: iso(NOW - DAY), hubspot_owner_id: '101' });
			h.createObject('tasks', { hs_task_subject: 'Prepare', hs_task_type: 'TODO', hs_task_status: 'NOT_STARTED', hs_timestamp: iso(NOW + 3 * DAY), hubspot_owner_id: '102' });
			return beta;
		},
	},
	{
		sandbox: salesforce,
		betaBucket: 'pipeline',
		kinds: true,
		leadWonAmount: 3000,
		link: (id) => `${salesforce.salesforce.baseUrl}/lightning/r/Opportunity/${id}/view`,
		sources: ['Web', 'Partner Referral'],
		seed(at) {
			const sf = salesforce.salesforce;
			salesforce.useExampleProcess();
			const ana = salesforce.userId('ana@example.com');
			const ben = salesforce.userId('ben@example.com');
			at(NOW - 10 * DAY);
			const acme = sf.insert('Opportunity', { Name: 'Acme', StageName: 'Contract sent', Amount: 1000, CloseDate: ACME_CLOSE, OwnerId: ana }).Id;
			const beta = sf.insert('Opportunity', { Name: 'Beta', StageName: 'Qualified to buy', Amount: 2000, CloseDate: BETA_FIRST_CLOSE, OwnerId: ben }).Id;
			const l1 = sf.insert('Lead', { LastName: 'L1', Company: 'Gamma', LeadSource: 'Web', OwnerId: ana }).Id;
			sf.insert('Lead', { LastName: 'L2', Company: 'Two', LeadSource: 'Web', Status: 'Qualified', OwnerId: ana });
			sf.insert('Lead', { LastName: 'L3', Company: 'Three', LeadSource: 'Partner Referral', OwnerId: ben });
			const { opportunityId } = sf.convertLead(l1, { opportunityName: 'Gamma', ownerId: ana });
			sf.update('Opportunity', opportunityId!, { StageName: 'Closed won', Amount: 3000, CloseDate: date(NOW) });
			at(NOW - 5 * DAY);
			sf.update('Opportunity', beta, { CloseDate: BETA_CLOSE });
			at(NOW - 2 * DAY);
			sf.insert('Task', { Subject: 'Call Acme', TaskSubtype: 'Call', Status: 'Completed', ActivityDate: date(NOW - 2 * DAY), WhatId: acme, OwnerId: ana });
			at(NOW - DAY);
			sf.insert('Task', { Subject: 'Mail Beta', TaskSubtype: 'Email', Status: 'Completed', ActivityDate: date(NOW - DAY), OwnerId: ben });
			sf.insert('Task', { Subject: 'Follow up', Status: 'Not Started', ActivityDate: date(NOW - DAY), OwnerId: ana });
			sf.insert('Task', { Subject: 'Prepare', Status: 'Not Started', ActivityDate: date(NOW + 3 * DAY), OwnerId: ben });
			return beta;
		},
	},
	{
		sandbox: espo,
		betaBucket: 'bestCase',
		kinds: false,
		leadWonAmount: 3000,
		link: (id) => `${espo.espo.baseUrl}/#Opportunity/view/${id}`,
		sources: ['Web Site', 'Partner'],
		seed(at) {
			const e = espo.espo;
			espo.useExampleProcess();
			const espoTime = (ms: number) => iso(ms).slice(0, 19).replace('T', ' ');
			at(NOW - 10 * DAY);
			const acme = e.createRecord('Opportunity', { name: 'Acme', stage: 'Contract sent', amount: 1000, closeDate: ACME_CLOSE, assignedUserId: 'u-ana' }).id;
			const beta = e.createRecord('Opportunity', { name: 'Beta', stage: 'Qualified to buy', amount: 2000, closeDate: BETA_FIRST_CLOSE, assignedUserId: 'u-ben' }).id;
			const gamma = e.createRecord('Opportunity', { name: 'Gamma', stage: 'Closed won', amount: 3000, closeDate: date(NOW), assignedUserId: 'u-ana' }).id;
			const l1 = e.createRecord('Lead', { lastName: 'L1', source: 'Web Site', status: 'Converted', assignedUserId: 'u-ana' }).id;
			e.getRecord('Lead', l1)!.createdOpportunityId = gamma; // what EspoCRM's lead conversion records
			e.createRecord('Lead', { lastName: 'L2', source: 'Web Site', status: 'Qualified', assignedUserId: 'u-ana' });
			e.createRecord('Lead', { lastName: 'L3', source: 'Partner', assignedUserId: 'u-ben' });
			at(NOW - 5 * DAY);
			e.updateRecord('Opportunity', beta, { closeDate: BETA_CLOSE });
			at(NOW - 2 * DAY);
			e.postNote('Opportunity', acme, 'Called Acme: pilot agreed');
			e.createRecord('Task', { name: 'Call Acme', status: 'Completed', dateEnd: espoTime(NOW - 2 * DAY), assignedUserId: 'u-ana' });
			at(NOW - DAY);
			e.createRecord('Task', { name: 'Mail Beta', status: 'Completed', dateEnd: espoTime(NOW - DAY), assignedUserId: 'u-ben' });
			e.createRecord('Task', { name: 'Follow up', status: 'Not Started', dateEnd: espoTime(NOW - DAY), assignedUserId: 'u-ana' });
			e.createRecord('Task', { name: 'Prepare', status: 'Not Started', dateEnd: espoTime(NOW + 3 * DAY), assignedUserId: 'u-ben' });
			return beta;
		},
	},
	{
		sandbox: pipedrive,
		betaBucket: 'bestCase',
		kinds: true,
		leadWonAmount: 0,
		link: (id) => `${pipedrive.pd.baseUrl}/deal/${id}`,
		// Pipedrive sets a lead's source itself: "API" for leads added through the API, "Manually created" in the app.
		sources: ['API', 'Manually created'],
		// L1 was converted into Gamma: Pipedrive then removes it from the leads (the deal keeps
		// source_lead_id), so source A lists L2 only (qualified by its "Qualified" label) and nothing won.
		conversion: [
			{ source: 'API', leads: 1, qualified: 1, won: 0, qualificationRate: 1, qualifiedToWonRate: 0, winRate: 0, wonAmount: 0 },
			{ source: 'Manually created', leads: 1, qualified: 0, won: 0, qualificationRate: 0, qualifiedToWonRate: null, winRate: 0, wonAmount: 0 },
		],
		seed(at) {
			const pd = pipedrive.pd;
			pipedrive.useExampleProcess();
			const ana = Number(pipedrive.userId('ana@example.com'));
			const ben = Number(pipedrive.userId('ben@example.com'));
			const stage = (name: string) => pd.stageByName(name)!.id;
			const deal = (title: string, stageName: string, value: number, close: string, owner: number) =>
				pd.create('deals', { title, stage_id: stage(stageName), value, currency: 'EUR', expected_close_date: close, owner_id: owner }, { userId: owner }).id;
			const lead = (title: string, owner: number, changeSource: string, labels: string[] = []) => {
				const person = pd.create('persons', { name: title }, { userId: owner });
				return String(pd.create('leads', { title, person_id: person.id, owner_id: owner, label_ids: labels }, { userId: owner, changeSource }).id);
			};
			const qualified = pd.listLeadLabels().find((l) => l.name === 'Qualified')!.id;
			at(NOW - 10 * DAY);
			const acme = deal('Acme', 'Contract sent', 1000, ACME_CLOSE, ana);
			const beta = deal('Beta', 'Qualified to buy', 2000, BETA_FIRST_CLOSE, ben);
			const l1 = lead('L1', ana, 'api');
			lead('L2', ana, 'api', [String(qualified)]);
			lead('L3', ben, 'app');
			// What Pipedrive's lead → deal conversion leaves: the deal (with source_lead_id), the lead removed.
			const gamma = pd.create('deals', { title: 'Gamma', stage_id: stage('Contract sent'), value: 3000, currency: 'EUR', expected_close_date: date(NOW), owner_id: ana, source_lead_id: l1 }, { userId: ana }).id;
			pd.remove('leads', l1, { userId: ana });
			at(NOW - 5 * DAY);
			pd.update('deals', beta, { expected_close_date: BETA_CLOSE }, { userId: ben });
			at(NOW - 2 * DAY);
			pd.create('activities', { subject: 'Call Acme', type: 'call', done: true, due_date: date(NOW - 2 * DAY), deal_id: acme, owner_id: ana }, { userId: ana });
			at(NOW - DAY);
			pd.create('activities', { subject: 'Mail Beta', type: 'email', done: true, due_date: date(NOW - DAY), owner_id: ben }, { userId: ben });
			pd.create('activities', { subject: 'Follow up', type: 'task', done: false, due_date: date(NOW - DAY), owner_id: ana }, { userId: ana });
			pd.create('activities', { subject: 'Prepare', type: 'task', done: false, due_date: date(NOW + 3 * DAY), owner_id: ben }, { userId: ben });
			at(NOW);
			pd.update('deals', gamma, { status: 'won' }, { userId: ana });
			return String(beta);
		},
	},
	{
		sandbox: zoho,
		betaBucket: 'bestCase',
		kinds: false,
		leadWonAmount: 0,
		link: (id) => `${zoho.zoho.baseUrl}/crm/tab/Deals/${id}`,
		sources: ['Web Download', 'Partner'],
		// One lead per source: the report lists the tie by source name.
		conversion: [
			{ source: 'Partner', leads: 1, qualified: 0, won: 0, qualificationRate: 0, qualifiedToWonRate: null, winRate: 0, wonAmount: 0 },
			{ source: 'Web Download', leads: 1, qualified: 1, won: 0, qualificationRate: 1, qualifiedToWonRate: 0, winRate: 0, wonAmount: 0 },
		],
		stale: { staleDays: 4, betaIdleDays: 5, slipShown: false, notes: ['The CRM keeps no close-date history for these deals: slipping close dates cannot be shown.'] },
		seed(at) {
			const z = zoho.zoho;
			zoho.useExampleProcess();
			const owner = (email: string) => ({ id: zoho.userId(email) });
			const ana = owner('ana@example.com');
			const ben = owner('ben@example.com');
			const deal = (name: string, stage: string, amount: number, close: string, by: { id: string }) => z.createRecord('Deals', { Deal_Name: name, Stage: stage, Amount: amount, Closing_Date: close, Owner: by }).id;
			const lead = (name: string, source: string, by: { id: string }, status?: string) => z.createRecord('Leads', { Last_Name: name, Company: name, Lead_Source: source, Owner: by, ...(status ? { Lead_Status: status } : {}) });
			at(NOW - 10 * DAY);
			const acme = deal('Acme', 'Contract sent', 1000, ACME_CLOSE, ana);
			const beta = deal('Beta', 'Qualified to buy', 2000, BETA_FIRST_CLOSE, ben);
			deal('Gamma', 'Closed won', 3000, date(NOW), ana);
			// L1 became Gamma: converted leads are not listed by GET /Leads, so it is not here.
			lead('L2', 'Web Download', ana, 'Pre-Qualified');
			lead('L3', 'Partner', ben);
			at(NOW - 5 * DAY);
			z.updateRecord('Deals', beta, { Closing_Date: BETA_CLOSE });
			at(NOW - 2 * DAY);
			z.createRecord('Tasks', { Subject: 'Call Acme', Status: 'Completed', Due_Date: date(NOW - 2 * DAY), What_Id: { id: acme }, $se_module: 'Deals', Owner: ana });
			at(NOW - DAY);
			z.createRecord('Tasks', { Subject: 'Mail Beta', Status: 'Completed', Due_Date: date(NOW - DAY), Owner: ben });
			z.createRecord('Tasks', { Subject: 'Follow up', Status: 'Not Started', Due_Date: date(NOW - DAY), Owner: ana });
			z.createRecord('Tasks', { Subject: 'Prepare', Status: 'Not Started', Due_Date: date(NOW + 3 * DAY), Owner: ben });
			return beta;
		},
	},
];

function reportWorkflow(parameters: Record<string, unknown>, target: CrmSandbox['target']) {
	return switchProvider(
		{
			nodes: [
				{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'r',
					name: 'CRM Report',
					type: CRM_REPORT_TYPE,
					typeVersion: 1,
					position: [200, 0],
					parameters: { provider: 'hubspot', dataSource: 'crm', period: 'custom', start: date(NOW - 20 * DAY), end: date(NOW + 100 * DAY), timeZone: 'UTC', files: [], ...parameters },
				},
			],
			connections: { Start: { main: [[{ node: 'CRM Report', type: 'main', index: 0 }]] } },
		},
		target,
	);
}

describe.each(stories.map((s) => [s.sandbox.target.provider, s] as const))('%s sandbox', (_name, story) => {
	const { sandbox } = story;
	let betaId: string;
	beforeAll(async () => {
		await sandbox.start();
		await sandbox.reset();
		resetLimiters();
		const server = (sandbox as any).hubspot ?? (sandbox as any).salesforce ?? (sandbox as any).espo ?? (sandbox as any).zoho ?? (sandbox as any).pd;
		betaId = story.seed((ms) => server.setClock(() => ms));
		server.setClock(() => Date.now());
	}, 60_000);
	afterAll(() => sandbox.stop());

	async function run(parameters: Record<string, unknown>) {
		const result = await runWorkflow({
			workflow: reportWorkflow(parameters, sandbox.target) as any,
			nodeTypes: { [CRM_REPORT_TYPE]: new CrmReport() },
			credentialTypes: sandbox.credentialTypes,
			credentials: sandbox.credentials,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.violations()).toEqual([]);
		return result.nodes['CRM Report'].items[0].map((i: any) => i.json);
	}

	test('forecast: by close month, commit / best case, quota attainment', async () => {
		const out = await run({ report: 'forecast', quotas: { quota: [{ owner: 'ana@example.com', amount: 6000 }] } });
		const beta = { bestCase: story.betaBucket === 'bestCase' ? 2000 : 0 };
		expect(out.slice(0, -1)).toEqual([
			{ report: 'forecast', month: ACME_CLOSE.slice(0, 7), deals: 1, pipeline: 1000, bestCase: 1000, commit: 1000, weightedAmount: 900 },
			{ report: 'forecast', month: BETA_CLOSE.slice(0, 7), deals: 1, pipeline: 2000, bestCase: beta.bestCase, commit: 0, weightedAmount: 800 },
		]);
		const summary = out[out.length - 1];
		expect(summary.summary).toEqual({ openDeals: 2, pipeline: 3000, bestCase: 1000 + beta.bestCase, commit: 1000, weightedAmount: 1700, won: 3000, quota: 6000, attainment: 0.5 });
		const ana = summary.tables[0].rows.find((r: any) => r.owner.startsWith('Ana'));
		expect(ana).toMatchObject({ won: 3000, commit: 1000, quota: 6000, attainment: 0.5, forecastAttainment: 0.6667 });
	});

	test('rep leaderboard: activities, overdue tasks, deals created and won per owner', async () => {
		const out = await run({ report: 'repLeaderboard' });
		const rows = out.slice(0, -1).map(({ owner, calls, emails, meetings, tasksDone, overdueTasks, dealsCreated, dealsWon, wonAmount }: any) => ({ owner: owner.split(' ')[0], calls, emails, meetings, tasksDone, overdueTasks, dealsCreated, dealsWon, wonAmount }));
		const k = story.kinds;
		expect(rows).toEqual([
			{ owner: 'Ana', calls: k ? 1 : 0, emails: 0, meetings: 0, tasksDone: k ? 0 : 1, overdueTasks: 1, dealsCreated: 2, dealsWon: 1, wonAmount: 3000 },
			{ owner: 'Ben', calls: 0, emails: k ? 1 : 0, meetings: 0, tasksDone: k ? 0 : 1, overdueTasks: 0, dealsCreated: 1, dealsWon: 0, wonAmount: 0 },
		]);
	});

	test('conversion by source: leads → qualified → won', async () => {
		const out = await run({ report: 'conversionBySource' });
		const [a, b] = story.sources;
		expect(out.slice(0, -1).map(({ report, ...row }: any) => row)).toEqual(
			story.conversion ?? [
				{ source: a, leads: 2, qualified: 2, won: 1, qualificationRate: 1, qualifiedToWonRate: 0.5, winRate: 0.5, wonAmount: story.leadWonAmount },
				{ source: b, leads: 1, qualified: 0, won: 0, qualificationRate: 0, qualifiedToWonRate: null, winRate: 0, wonAmount: 0 },
			],
		);
	});

	test('stale deals and slipping close dates, linked to the deal in the CRM', async () => {
		const stale = story.stale ?? STALE_DEFAULT;
		const out = await run({ report: 'staleDeals', options: { staleDays: stale.staleDays }, files: ['csv', 'html', 'markdown'] });
		const slip = stale.slipShown ? { originalCloseDate: BETA_FIRST_CLOSE, slippedDays: SLIPPED_DAYS, closeDateMoves: 1 } : { originalCloseDate: null, slippedDays: null, closeDateMoves: 0 };
		expect(out.slice(0, -1)).toEqual([
			expect.objectContaining({ id: betaId, name: 'Beta', amount: 2000, daysSinceActivity: stale.betaIdleDays, stale: 'yes', closeDate: BETA_CLOSE, ...slip, url: story.link(betaId) }),
		]);
		expect(out[out.length - 1].summary).toEqual({ openDeals: 2, staleDeals: 1, staleShare: 0.5, maxDaysSinceActivity: stale.betaIdleDays, slippedDeals: stale.slipShown ? 1 : 0, slippedAmount: stale.slipShown ? 2000 : 0 });
		expect(out[out.length - 1].notes).toEqual(stale.notes);
	});

	test('alert mode: the summary only when the figure crosses the threshold, else no item', async () => {
		const { staleDays, betaIdleDays } = story.stale ?? STALE_DEFAULT;
		const alert = { report: 'staleDeals', options: { staleDays }, alertMode: true, alertFigure: 'maxDaysSinceActivity', alertOperator: 'gt' };
		const fired = await run({ ...alert, alertThreshold: staleDays });
		expect(fired).toHaveLength(1);
		expect(fired[0]).toMatchObject({ type: 'summary', alert: { triggered: true, figure: 'maxDaysSinceActivity', value: betaIdleDays, threshold: staleDays } });
		expect(await run({ ...alert, alertThreshold: 30 })).toEqual([]);
	});
});
