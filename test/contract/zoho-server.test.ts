/* eslint-disable */
// The Zoho CRM sandbox's own behaviour, over HTTP: what the Zoho provider will meet (OAuth per
// data centre and its limits, list/search/COQL limits, per-record write results, trigger and
// lar_id, Blueprint, send_mail, notification channels delivering callbacks, 429). The shapes are
// checked against Zoho's official SDK in test/sdk/zoho-sdk.test.ts; this file pins the rules.
import * as http from 'node:http';

import { SANDBOX_CLIENT, startZohoServer } from '../sandbox/zoho/server';
import type { FakeZoho } from '../sandbox/zoho';
import { ZohoSandbox } from '../sandbox/zoho/crmSandbox';
import { ZOHO_DEFAULT_SCOPES } from '../../credentials/CrmZohoOAuth2Api.credentials';

let zoho: FakeZoho;
beforeAll(async () => {
	zoho = await startZohoServer({ port: 0 });
});
afterAll(() => zoho.stop());
beforeEach(() => {
	zoho.reset();
	zoho.setClock(() => Date.now());
});
afterEach(() => expect(zoho.violations).toEqual([]));

interface Answer {
	status: number;
	body: any;
	headers: Headers;
}

async function api(method: string, path: string, body?: unknown, token: string | null = zoho.token, base = zoho.baseUrl): Promise<Answer> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token) headers.authorization = `Zoho-oauthtoken ${token}`;
	const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function refresh(dc: string, refreshToken: string): Promise<Answer> {
	const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret });
	const base = dc === 'us' ? zoho.baseUrl : `${zoho.baseUrl}/dc/${dc}`;
	const response = await fetch(`${base}/oauth/v2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
	return { status: response.status, body: await response.json(), headers: response.headers };
}

const lead = (i: number | string, extra: Record<string, unknown> = {}) => ({ Last_Name: `L${i}`, Company: 'Acme', ...extra });

describe('OAuth and data centres', () => {
	it('an EU refresh token gets an EU api_domain; its token is refused on the US domain (INVALID_TOKEN)', async () => {
		const eu = await refresh('eu', SANDBOX_CLIENT.euRefreshToken);
		expect(eu.body).toMatchObject({ api_domain: `${zoho.baseUrl}/dc/eu`, expires_in: 3600, token_type: 'Bearer' });
		expect((await api('GET', '/crm/v8/users?type=ActiveUsers', undefined, eu.body.access_token, eu.body.api_domain)).status).toBe(200);
		const wrongDomain = await api('GET', '/crm/v8/users?type=ActiveUsers', undefined, eu.body.access_token);
		expect(wrongDomain.status).toBe(401);
		expect(wrongDomain.body).toMatchObject({ code: 'INVALID_TOKEN', status: 'error' });
		// A refresh token is only known to its own data centre's accounts server.
		expect((await refresh('us', SANDBOX_CLIENT.euRefreshToken)).body).toEqual({ error: 'invalid_code' });
	});

	it('mints at most 10 access tokens per refresh token in 10 minutes', async () => {
		for (let i = 0; i < 10; i++) expect((await refresh('us', SANDBOX_CLIENT.refreshToken)).body.access_token).toBeDefined();
		const refused = await refresh('us', SANDBOX_CLIENT.refreshToken);
		expect(refused.body.access_token).toBeUndefined();
		expect(refused.body.error).toBe('Access Denied');
		const start = zoho.now();
		zoho.setClock(() => start + 10 * 60_000 + 1);
		expect((await refresh('us', SANDBOX_CLIENT.refreshToken)).body.access_token).toBeDefined();
	});

	it('refuses an expired token (INVALID_TOKEN), a missing header and the Bearer scheme (AUTHENTICATION_FAILURE)', async () => {
		expect((await api('GET', '/crm/v8/users', undefined, null)).body.code).toBe('AUTHENTICATION_FAILURE');
		const bearer = await fetch(`${zoho.baseUrl}/crm/v8/users`, { headers: { authorization: `Bearer ${zoho.token}` } });
		expect(bearer.status).toBe(401);
		zoho.expireAccessTokens();
		const expired = await api('GET', '/crm/v8/users');
		expect(expired.status).toBe(401);
		expect(expired.body.code).toBe('INVALID_TOKEN');
	});

	it('runs the authorization-code flow: redirect with code, location and accounts-server; the code gives a refresh token once', async () => {
		const redirect = await fetch(`${zoho.baseUrl}/dc/eu/oauth/v2/auth?client_id=${SANDBOX_CLIENT.clientId}&redirect_uri=${encodeURIComponent('http://localhost/cb')}&state=s1&access_type=offline`, { redirect: 'manual' });
		expect(redirect.status).toBe(302);
		const location = new URL(redirect.headers.get('location')!);
		expect(location.searchParams.get('location')).toBe('eu');
		expect(location.searchParams.get('accounts-server')).toBe(`${zoho.baseUrl}/dc/eu`);
		expect(location.searchParams.get('state')).toBe('s1');
		const exchange = (code: string) => fetch(`${zoho.baseUrl}/dc/eu/oauth/v2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, redirect_uri: 'http://localhost/cb' }) }).then((r) => r.json());
		const code = location.searchParams.get('code')!;
		expect(await exchange(code)).toMatchObject({ refresh_token: SANDBOX_CLIENT.euRefreshToken, api_domain: `${zoho.baseUrl}/dc/eu` });
		expect(await exchange(code)).toEqual({ error: 'invalid_code' });
	});
});

describe('scopes', () => {
	it('answers OAUTH_SCOPE_MISMATCH outside the token\'s scopes; per-module scopes count', async () => {
		const refreshToken = zoho.addRefreshToken(['ZohoCRM.modules.leads.READ', 'ZohoCRM.coql.READ']);
		const token = (await refresh('us', refreshToken)).body.access_token;
		expect((await api('GET', '/crm/v8/Leads?fields=Last_Name', undefined, token)).status).toBe(204);
		const write = await api('POST', '/crm/v8/Leads', { data: [lead(1)] }, token);
		expect(write.status).toBe(401);
		expect(write.body.code).toBe('OAUTH_SCOPE_MISMATCH');
		expect((await api('GET', '/crm/v8/users', undefined, token)).body.code).toBe('OAUTH_SCOPE_MISMATCH');
		expect((await api('POST', '/crm/v8/coql', { select_query: 'select Last_Name from Leads where id is not null' }, token)).status).toBe(204);
	});

	it('the credential\'s default scopes cover records, COQL, settings, users, notifications and send_mail', async () => {
		const refreshToken = zoho.addRefreshToken(ZOHO_DEFAULT_SCOPES.split(','));
		const token = (await refresh('us', refreshToken)).body.access_token;
		const contact = zoho.createRecord('Contacts', { Last_Name: 'S', Email: 's@example.com' });
		const calls: Array<[string, string, unknown?]> = [
			['GET', '/crm/v8/users?type=CurrentUser'],
			['GET', '/crm/v8/settings/layouts?module=Deals'],
			['GET', '/crm/v8/settings/emails/actions/from_addresses'],
			['POST', '/crm/v8/Leads/upsert', { data: [lead(1, { Email: 'u@example.com' })] }],
			['POST', '/crm/v8/coql', { select_query: 'select Last_Name from Leads where id is not null' }],
			['POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '1', events: ['Leads.all'], notify_url: 'http://127.0.0.1:9/x', token: 't' }] }],
			['POST', `/crm/v8/Contacts/${contact.id}/actions/send_mail`, { data: [{ from: { email: 'admin@example.com' }, to: [{ email: 's@example.com' }], subject: 'S', content: 'C' }] }],
		];
		for (const [method, path, body] of calls) expect([method, path, (await api(method, path, body, token)).status]).toEqual([method, path, expect.any(Number)]);
		expect(zoho.requests.filter((r) => r.status === 401).map((r) => r.path)).toEqual([]);
	});
});

describe('rate limits', () => {
	it('answers 429 when more calls than the org\'s concurrency limit are in flight', async () => {
		zoho.concurrencyLimit = 2;
		zoho.latencyMs = 100;
		try {
			const answers = await Promise.all(Array.from({ length: 4 }, () => api('GET', '/crm/v8/users')));
			expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429]);
		} finally {
			zoho.concurrencyLimit = 15;
			zoho.latencyMs = 0;
		}
	});

	it('answers 429 TOO_MANY_REQUESTS without Retry-After when forced, then serves again', async () => {
		zoho.forceRateLimit(1);
		const limited = await api('GET', '/crm/v8/users');
		expect(limited.status).toBe(429);
		expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
		expect(limited.headers.get('retry-after')).toBeNull();
		expect((await api('GET', '/crm/v8/users')).status).toBe(200);
	});

	it('shows remaining credits once half the day\'s credits are used', async () => {
		expect((await api('GET', '/crm/v8/users')).headers.get('x-api-credits-remaining')).toBeNull();
		zoho.credits.used = zoho.credits.limit / 2;
		expect(Number((await api('GET', '/crm/v8/users')).headers.get('x-api-credits-remaining'))).toBe(zoho.credits.limit / 2 - 1);
	});
});

describe('records', () => {
	it('requires fields on a list, caps per_page at 200, answers 204 for no records', async () => {
		expect((await api('GET', '/crm/v8/Leads')).body).toMatchObject({ code: 'REQUIRED_PARAM_MISSING', details: { param: 'fields' } });
		expect((await api('GET', '/crm/v8/Leads?fields=Last_Name&per_page=201')).status).toBe(400);
		expect((await api('GET', '/crm/v8/Leads?fields=Last_Name')).status).toBe(204);
	});

	it('refuses `page` past the 2,000th record and pages on with page_token', async () => {
		for (let i = 0; i < 2050; i++) zoho.createRecord('Leads', lead(i));
		const refused = await api('GET', '/crm/v8/Leads?fields=Last_Name&per_page=200&page=11');
		expect(refused.status).toBe(400);
		expect(refused.body.code).toBe('DISCRETE_PAGINATION_LIMIT_EXCEEDED');
		let path = '/crm/v8/Leads?fields=Last_Name&per_page=200&sort_order=asc';
		const seen: string[] = [];
		for (;;) {
			const page = await api('GET', path);
			seen.push(...page.body.data.map((r: any) => r.Last_Name));
			if (!page.body.info.more_records) break;
			path = `/crm/v8/Leads?fields=Last_Name&per_page=200&sort_order=asc&page_token=${page.body.info.next_page_token}`;
		}
		expect(seen.length).toBe(2050);
		expect(new Set(seen).size).toBe(2050);
	});

	it('answers only records modified after If-Modified-Since, 304 when none', async () => {
		const old = zoho.createRecord('Leads', lead('old'));
		const start = zoho.now();
		zoho.setClock(() => start + 5_000);
		zoho.createRecord('Leads', lead('new'));
		const since = new Date(Date.parse(old.Modified_Time) + 1000).toISOString().replace('.000Z', '+00:00');
		const get = (s: string) => fetch(`${zoho.baseUrl}/crm/v8/Leads?fields=Last_Name`, { headers: { authorization: `Zoho-oauthtoken ${zoho.token}`, 'if-modified-since': s } });
		const newer = await get(since);
		expect(((await newer.json()) as any).data.map((r: any) => r.Last_Name)).toEqual(['Lnew']);
		expect((await get(new Date(start + 60_000).toISOString())).status).toBe(304);
	});

	it('takes at most 100 records per write', async () => {
		const answer = await api('POST', '/crm/v8/Leads', { data: Array.from({ length: 101 }, (_, i) => lead(i)) });
		expect(answer.status).toBe(400);
		expect(answer.body.code).toBe('LIMIT_EXCEEDED');
		expect(zoho.listRecords('Leads')).toEqual([]);
	});

	it('runs workflows unless trigger is [] and records which triggers were in effect', async () => {
		zoho.addWorkflowRule({ module: 'Leads', on: ['create'], set: { Lead_Status: 'Not Contacted' } });
		const withWorkflows = await api('POST', '/crm/v8/Leads', { data: [lead('a')] });
		const without = await api('POST', '/crm/v8/Leads', { data: [lead('b')], trigger: [] });
		expect(zoho.getRecord('Leads', withWorkflows.body.data[0].details.id)!.Lead_Status).toBe('Not Contacted');
		expect(zoho.getRecord('Leads', without.body.data[0].details.id)!.Lead_Status).toBeUndefined();
		expect(zoho.workflowRuns.map((r) => r.triggers)).toEqual([['workflow', 'approval', 'blueprint'], []]);
	});

	it('answers DUPLICATE_DATA for a unique field and sets Modified_Time on every write', async () => {
		zoho.setUniqueField('Leads', 'Email');
		const first = await api('POST', '/crm/v8/Leads', { data: [lead(1, { Email: 'a@example.com' })] });
		const dup = await api('POST', '/crm/v8/Leads', { data: [lead(2, { Email: 'A@example.com' })] });
		expect(dup.status).toBe(400);
		expect(dup.body.data[0]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'Email', duplicate_record: { id: first.body.data[0].details.id } } });
		const id = first.body.data[0].details.id;
		const before = zoho.getRecord('Leads', id)!.Modified_Time;
		const start = zoho.now();
		zoho.setClock(() => start + 60_000);
		await api('PUT', `/crm/v8/Leads/${id}`, { data: [{ Designation: 'CTO' }] });
		expect(Date.parse(zoho.getRecord('Leads', id)!.Modified_Time) - Date.parse(before)).toBeGreaterThanOrEqual(59_000);
	});

	it('refuses an unknown lar_id and a Stage outside the deal\'s pipeline', async () => {
		expect((await api('POST', '/crm/v8/Leads', { data: [lead(1)], lar_id: '1' })).body).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'lar_id' } });
		const deal = await api('POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'D', Stage: 'Proposal', Closing_Date: '2026-12-31' }] });
		expect(deal.body.data[0]).toMatchObject({ code: 'INVALID_DATA', message: "Pipeline doesn't contain the Stage", details: { api_name: 'Stage' } });
	});
});

describe('COQL and search', () => {
	beforeEach(() => {
		zoho.createRecord('Deals', { Deal_Name: 'A', Stage: 'Qualification', Closing_Date: '2026-12-31', Amount: 100 });
		zoho.createRecord('Deals', { Deal_Name: 'B', Stage: 'Qualification', Closing_Date: '2026-12-31', Amount: 300 });
		zoho.createRecord('Deals', { Deal_Name: 'C', Stage: 'Closed Won', Closing_Date: '2026-12-31', Amount: 1000, Owner: { id: zoho.user('sam@example.com')!.id } });
	});
	const query = (select_query: string) => api('POST', '/crm/v8/coql', { select_query });

	it('filters, orders, pages with LIMIT offset, count and follows Owner.email', async () => {
		const page = await query("select Deal_Name, Owner.email from Deals where (Amount >= 100 and Stage != 'Closed Lost') order by Amount desc limit 1, 2");
		expect(page.body.data.map((r: any) => r.Deal_Name)).toEqual(['B', 'A']);
		expect(page.body.info).toEqual({ count: 2, more_records: false });
		const sams = await query("select Deal_Name from Deals where Owner.email = 'sam@example.com'");
		expect(sams.body.data.map((r: any) => r.Deal_Name)).toEqual(['C']);
		const standard = await query("select Deal_Name, Pipeline from Deals where Pipeline = 'Standard (Standard)' and Amount < 500");
		expect(standard.body.data.map((r: any) => [r.Deal_Name, r.Pipeline.name])).toEqual([
			['A', 'Standard (Standard)'],
			['B', 'Standard (Standard)'],
		]);
	});

	it('compares datetimes as instants whatever their offset, and refuses another form', async () => {
		const start = zoho.now();
		zoho.setClock(() => start + 40 * 60_000);
		const later = zoho.createRecord('Deals', { Deal_Name: 'Later', Stage: 'Qualification', Closing_Date: '2026-12-31' });
		const boundary = new Date(start + 20 * 60_000);
		// The same instant written with a +02:00 offset.
		const local = new Date(boundary.getTime() + 2 * 3600_000).toISOString().slice(0, 19) + '+02:00';
		const newer = await query(`select Deal_Name from Deals where Modified_Time > '${local}'`);
		expect(newer.body.data.map((r: any) => r.id)).toEqual([later.id]);
		expect((await query("select Deal_Name from Deals where Modified_Time > '2026-12-04 10:00'")).body.code).toBe('INVALID_QUERY');
	});

	it('aggregates by group', async () => {
		const sums = await query('select Stage, SUM(Amount), COUNT(id) from Deals where id is not null group by Stage');
		expect(sums.body.data).toEqual(expect.arrayContaining([{ Stage: 'Qualification', 'SUM(Amount)': 400, 'COUNT(id)': 2 }, { Stage: 'Closed Won', 'SUM(Amount)': 1000, 'COUNT(id)': 1 }]));
	});

	it('enforces WHERE, LIMIT ≤ 2,000, 100,000 rows, IN ≤ 50 and parses errors in Zoho\'s shape', async () => {
		expect((await query('select Deal_Name from Deals')).body).toMatchObject({ code: 'SYNTAX_ERROR', details: { clause: 'where' } });
		expect((await query('select Deal_Name from Deals where id is not null limit 2001')).body.code).toBe('LIMIT_EXCEEDED');
		expect((await query('select Deal_Name from Deals where id is not null limit 99000, 2000')).body).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { clause: 'offset' } });
		const many = Array.from({ length: 51 }, (_, i) => `'${i}'`).join(',');
		expect((await query(`select Deal_Name from Deals where Deal_Name in (${many})`)).body.code).toBe('LIMIT_EXCEEDED');
		expect((await query('select Deal_Name frm Deals where id is not null')).body.code).toBe('SYNTAX_ERROR');
		expect((await query('select Nope from Deals where id is not null')).body.code).toBe('INVALID_QUERY');
	});

	it('searches by criteria within its 2,000-record reach', async () => {
		const found = await api('GET', `/crm/v8/Deals/search?criteria=${encodeURIComponent('((Stage:equals:Qualification)and(Amount:greater_than:200))')}`);
		expect(found.body.data.map((r: any) => r.Deal_Name)).toEqual(['B']);
		expect((await api('GET', '/crm/v8/Deals/search?criteria=(Stage:equals:Qualification)&page=11&per_page=200')).body.code).toBe('LIMIT_REACHED');
		expect((await api('GET', '/crm/v8/Deals/search?criteria=(Stage:equals:Nothing)')).status).toBe(204);
	});
});

describe('Blueprint and stage history', () => {
	it('offers the transitions from the current stage and refuses others or missing required fields', async () => {
		const deal = zoho.createRecord('Deals', { Deal_Name: 'E', Pipeline: 'Enterprise', Stage: 'Discovery', Closing_Date: '2026-12-31' });
		const bp = await api('GET', `/crm/v8/Deals/${deal.id}/actions/blueprint`);
		const [toProposal] = bp.body.blueprint.transitions;
		expect(toProposal).toMatchObject({ next_field_value: 'Proposal', fields: [{ api_name: 'Amount', mandatory: true }] });
		const close = zoho.blueprints[0].transitions.find((t) => t.name === 'Close won')!;
		expect((await api('PUT', `/crm/v8/Deals/${deal.id}/actions/blueprint`, { blueprint: [{ transition_id: close.id }] })).body.code).toBe('INVALID_DATA');
		expect((await api('PUT', `/crm/v8/Deals/${deal.id}/actions/blueprint`, { blueprint: [{ transition_id: toProposal.id }] })).body).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Amount' } });
		expect(zoho.getRecord('Deals', deal.id)!.Stage).toBe('Discovery');
		// A deal of the standard pipeline is not under the Blueprint.
		const plain = zoho.createRecord('Deals', { Deal_Name: 'P', Stage: 'Qualification', Closing_Date: '2026-12-31' });
		expect((await api('GET', `/crm/v8/Deals/${plain.id}/actions/blueprint`)).body.code).toBe('RECORD_NOT_IN_PROCESS');
		expect((await api('PUT', '/crm/v8/Deals', { data: [{ id: plain.id, Stage: 'Needs Analysis' }] })).status).toBe(200);
	});

	it('lets a deal out of the Blueprint at an end state', async () => {
		const deal = zoho.createRecord('Deals', { Deal_Name: 'L', Pipeline: 'Enterprise', Stage: 'Discovery', Closing_Date: '2026-12-31' });
		const lost = zoho.blueprints[0].transitions.find((t) => t.to === 'Lost')!;
		expect((await api('PUT', `/crm/v8/Deals/${deal.id}/actions/blueprint`, { blueprint: [{ transition_id: lost.id }] })).status).toBe(200);
		expect((await api('GET', `/crm/v8/Deals/${deal.id}/actions/blueprint`)).body.code).toBe('RECORD_NOT_IN_PROCESS');
		expect((await api('PUT', `/crm/v8/Deals/${deal.id}`, { data: [{ Stage: 'Discovery' }] })).body.data[0].status).toBe('success');
	});

	it('records each stage a deal enters in Stage_History, newest first', async () => {
		zoho.useExampleProcess();
		const deal = zoho.createRecord('Deals', { Deal_Name: 'H', Stage: 'Appointment scheduled', Closing_Date: '2026-12-31', Amount: 10 });
		zoho.updateRecord('Deals', deal.id, { Stage: 'Contract sent' });
		zoho.updateRecord('Deals', deal.id, { Amount: 20 });
		const history = await api('GET', `/crm/v8/Deals/${deal.id}/Stage_History?fields=Stage,Probability`);
		expect(history.body.data.map((h: any) => [h.Stage, h.Probability])).toEqual([
			['Contract sent', 90],
			['Appointment scheduled', 20],
		]);
	});
});

describe('send_mail', () => {
	const mail = (from: string, extra: Record<string, unknown> = {}) => ({ data: [{ from: { email: from }, to: [{ email: 'c@example.com' }], subject: 'S', content: 'Hi', mail_format: 'text', ...extra }] });

	it('sends from an allowed address only, one email per call, not to an opted-out record', async () => {
		const contact = zoho.createRecord('Contacts', { Last_Name: 'C', Email: 'c@example.com' });
		expect((await api('POST', `/crm/v8/Contacts/${contact.id}/actions/send_mail`, mail('nobody@example.com'))).body).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'from' } });
		const two = mail('sales@example.com');
		two.data.push(two.data[0]);
		expect((await api('POST', `/crm/v8/Contacts/${contact.id}/actions/send_mail`, two)).status).toBe(400);
		expect((await api('POST', `/crm/v8/Contacts/${contact.id}/actions/send_mail`, mail('sales@example.com'))).body.data[0].status).toBe('success');
		zoho.updateRecord('Contacts', contact.id, { Email_Opt_Out: true });
		expect((await api('POST', `/crm/v8/Contacts/${contact.id}/actions/send_mail`, mail('sales@example.com'))).body.details.api_name).toBe('Email_Opt_Out');
		expect(zoho.sentEmails.map((e) => e.from.email)).toEqual(['sales@example.com']);
	});
});

describe('notifications', () => {
	let receiver: http.Server;
	let url: string;
	const received: any[] = [];
	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (c) => (text += c));
			req.on('end', () => {
				received.push({ url: req.url, body: JSON.parse(text) });
				res.writeHead(200).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(receiver.address() as any).port}/hook?source=zoho`;
	});
	afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
	beforeEach(() => {
		received.length = 0;
	});

	const stageCondition = [{ type: 'field_selection', module: { api_name: 'Deals', id: '1' }, field_selection: { group_operator: 'or', group: [{ field: { api_name: 'Stage', id: '2' } }] } }];

	it('delivers insert/update/delete with the token, several ids per callback, only stage changes under the condition', async () => {
		const enabled = await api('POST', '/crm/v8/actions/watch', { watch: [{ channel_id: 1000000068001, events: ['Deals.all'], notify_url: url, token: 'tok-1', notification_condition: stageCondition, notify_on_related_action: false }] });
		expect(enabled.body.watch[0]).toMatchObject({ code: 'SUCCESS', details: { events: [{ channel_id: '1000000068001', resource_name: 'Deals' }] } });
		const created = await api('POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'X', Stage: 'Qualification', Closing_Date: '2026-12-31' }, { Deal_Name: 'Y', Stage: 'Qualification', Closing_Date: '2026-12-31' }] });
		const ids = created.body.data.map((d: any) => d.details.id);
		await api('PUT', '/crm/v8/Deals', { data: [{ id: ids[0], Amount: 5 }] });
		await api('PUT', '/crm/v8/Deals', { data: ids.map((id: string) => ({ id, Stage: 'Needs Analysis' })) });
		await api('DELETE', `/crm/v8/Deals?ids=${ids[1]}`);
		await zoho.flushNotifications();
		expect(received.map((r) => [r.body.operation, r.body.ids])).toEqual([
			['insert', ids],
			['update', ids],
			['delete', [ids[1]]],
		]);
		expect(received[0].body).toMatchObject({ module: 'Deals', channel_id: '1000000068001', token: 'tok-1', query_params: { source: 'zoho' } });
		expect(received[0].url).toBe('/hook?source=zoho');
	});

	it('notifies the parent record\'s edit channel when a note is added (notify_on_related_action defaults to true)', async () => {
		const leadRecord = zoho.createRecord('Leads', lead(1));
		await api('POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '7', events: ['Leads.edit'], notify_url: url, token: 't' }] });
		await api('POST', '/crm/v8/Notes', { data: [{ Note_Content: 'hello', Parent_Id: { module: { api_name: 'Leads' }, id: leadRecord.id } }] });
		await zoho.flushNotifications();
		expect(received.map((r) => [r.body.module, r.body.operation, r.body.ids])).toEqual([['Leads', 'update', [leadRecord.id]]]);
	});

	it('defaults the expiry to one hour, caps a week, and stops delivering after expiry', async () => {
		const start = zoho.now();
		await api('POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '1', events: ['Leads.create'], notify_url: url, token: 't' }] });
		await api('POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '2', events: ['Leads.create'], notify_url: url, token: 't', channel_expiry: new Date(start + 6 * 24 * 3600_000).toISOString() }] });
		const listed = await api('GET', '/crm/v8/actions/watch');
		const expiry = Object.fromEntries(listed.body.watch.map((w: any) => [w.channel_id, Date.parse(w.channel_expiry) - start]));
		expect(Math.round(expiry['1'] / 60_000)).toBe(60);
		expect(Math.round(expiry['2'] / 3600_000)).toBe(144);
		zoho.setClock(() => start + 2 * 3600_000);
		zoho.createRecord('Leads', lead(1));
		await zoho.flushNotifications();
		expect(received.map((r) => r.body.channel_id)).toEqual(['2']);
		// Two hours on, the old access token has expired too: a fresh one from the refresh token.
		const token = (await refresh('us', SANDBOX_CLIENT.refreshToken)).body.access_token;
		// Channel 1 is gone (PATCH cannot revive it); channel 2 is renewed by PATCH before it expires.
		expect((await api('PATCH', '/crm/v8/actions/watch', { watch: [{ channel_id: '1', events: ['Leads.create'] }] }, token)).status).toBe(400);
		const renewedTo = start + 7 * 24 * 3600_000; // within a week of the (moved) clock
		expect((await api('PATCH', '/crm/v8/actions/watch', { watch: [{ channel_id: '2', events: ['Leads.create'], channel_expiry: new Date(renewedTo).toISOString() }] }, token)).status).toBe(200);
		const listedLater = await api('GET', '/crm/v8/actions/watch', undefined, token);
		expect(listedLater.body.watch.map((w: any) => [w.channel_id, Date.parse(w.channel_expiry)])).toEqual([['2', renewedTo - (renewedTo % 1000)]]);
	});

	it('refuses a token over 50 characters and an unknown event module', async () => {
		expect((await api('POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '1', events: ['Leads.all'], notify_url: url, token: 'x'.repeat(51) }] })).body).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'token' } });
		expect((await api('POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '1', events: ['Nope.all'], notify_url: url }] })).body.details.api_name).toBe('events');
	});
});

describe('control endpoints', () => {
	const post = (path: string, body: unknown = {}) => fetch(`${zoho.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('reset with demo data and the example process gives a schema-valid dataset; a plain reset empties it', async () => {
		expect((await post('/__sandbox/reset', { demoData: true, exampleProcess: true })).status).toBe(200);
		const stages = new Set(zoho.listRecords('Deals').map((d) => d.Stage));
		expect(stages).toEqual(new Set(['Appointment scheduled', 'Qualified to buy', 'Presentation scheduled', 'Decision maker bought-in', 'Contract sent', 'Closed won', 'Closed lost', 'Discovery']));
		expect(zoho.listRecords('Cases').length).toBe(3);
		expect((await post('/__sandbox/reset')).status).toBe(200);
		expect(zoho.listRecords('Deals')).toEqual([]);
	});

	it('a fault set over HTTP answers the next matching request once; a dropped socket is a network error', async () => {
		await post('/__sandbox/fault', { method: 'GET', pathPrefix: '/crm/v8/users', status: 503, body: { code: 'INTERNAL_ERROR' }, times: 1 });
		expect((await api('GET', '/crm/v8/users')).status).toBe(503);
		expect((await api('GET', '/crm/v8/users')).status).toBe(200);
		zoho.fault({ method: 'POST', pathPrefix: '/crm/v8/Leads', status: 0, drop: true });
		await expect(api('POST', '/crm/v8/Leads', { data: [lead(1)] })).rejects.toThrow();
		expect(zoho.listRecords('Leads')).toEqual([]);
		const log = await (await fetch(`${zoho.baseUrl}/__sandbox/requests`)).json();
		expect((log as any[]).map((r) => r.status)).toEqual([503, 200, 0]);
	});
});

describe('the CrmSandbox adapter (examples on Zoho)', () => {
	const box = new ZohoSandbox({ id: 'cred-1', name: 'CRM sandbox' });
	beforeAll(() => box.start());
	afterAll(() => box.stop());
	beforeEach(() => box.reset());
	afterEach(() => expect(box.violations()).toEqual([]));

	it('creates leads, tickets and deals in the examples\' stages, moves deals with stage history', () => {
		box.useExampleProcess();
		const leadId = box.createLead({ email: 'ada@example.com', firstName: 'Ada' });
		expect(box.zoho.getRecord('Leads', leadId)).toMatchObject({ Email: 'ada@example.com', Last_Name: 'ada', Company: 'Acme' });
		expect(box.ownerOf('lead', leadId)).toBe(box.userId('admin@example.com'));
		const ticket = box.createTicket('Printer on fire');
		expect(box.zoho.getRecord('Cases', ticket)!.Status).toBe('New');
		const deal = box.createDeal('Big deal', 'Qualified to buy', 500);
		box.moveDeal(deal, 'Contract sent');
		expect(box.dealStage(deal)).toBe('Contract sent');
		expect(box.zoho.stageHistory(deal).map((h) => h.Stage)).toEqual(['Contract sent', 'Qualified to buy']);
		expect(() => box.createDeal('Bad', 'Qualification')).toThrow(/Pipeline doesn't contain the Stage/);
	});

	it('reads tasks, notes and logged emails (notes titled "Email: …") in the shared terms', () => {
		const leadId = box.createLead({ email: 'b@example.com' });
		box.createOpenTask('sam@example.com');
		box.zoho.createRecord('Tasks', { Subject: 'Call', Priority: 'Highest', Status: 'Completed', What_Id: { id: leadId }, $se_module: 'Leads' });
		box.zoho.createRecord('Notes', { Note_Title: 'Hello', Note_Content: 'Body\n\n[crm-dedupe:0123456789abcdef0123456789abcdef]', Parent_Id: { module: { api_name: 'Leads' }, id: leadId } });
		box.zoho.createRecord('Notes', { Note_Title: 'Email: Welcome', Note_Content: 'Hi there', Parent_Id: { module: { api_name: 'Leads' }, id: leadId } });
		expect(box.tasks()).toEqual(
			expect.arrayContaining([
				{ subject: 'x', ownerId: box.userId('sam@example.com'), priority: 'high', related: [], open: true },
				{ subject: 'Call', ownerId: box.userId('admin@example.com'), priority: 'highest', related: [leadId], open: false },
			]),
		);
		expect(box.notes()).toEqual([{ body: 'Body', related: [leadId] }]);
		expect(box.loggedEmails()).toEqual([{ subject: 'Welcome', body: 'Hi there', related: [leadId] }]);
	});

	it('hands the provider credential data with the sandbox token and api_domain', () => {
		expect(box.credentials.crmZohoOAuth2Api).toMatchObject({ dataCentre: 'US', oauthTokenData: { access_token: box.zoho.token, api_domain: box.zoho.baseUrl } });
		expect(box.target).toEqual({ provider: 'zoho', credentialType: 'crmZohoOAuth2Api', credential: { id: 'cred-1', name: 'CRM sandbox' } });
	});
});
