/* eslint-disable */
// HTTP contract tests of the Zoho CRM provider against the local Zoho sandbox (test/sandbox/zoho),
// which checks every request against Zoho's documented shapes (a violation fails the test).
import { useZohoSandbox, zohoTestProvider, callsTo } from '../helpers/zohoProvider';
import { updateStages } from '../../nodes/shared/engines/stageUpdate';
import { CrmApiError, CrmInputError } from '../../nodes/shared/transport/errors';
import type { Deal, Lead, Task } from '../../nodes/shared/model/types';

const box = useZohoSandbox();
const ok = <T>(result: { ok: boolean; value?: T; error?: Error }): T => {
	if (!result.ok) throw result.error;
	return result.value as T;
};
const enterprise = () => box.zoho.pipelines.find((p) => p.name === 'Enterprise')!;

describe('records', () => {
	test('creates go 100 per call with one result per record, read back in full, with url and raw', async () => {
		const p = zohoTestProvider(box.zoho);
		const inputs = Array.from({ length: 150 }, (_, i) => ({ fields: { lastName: `Doe ${i}`, company: 'Acme', email: `doe${i}@x.example` } }));
		inputs[120] = { fields: { lastName: 'No company', email: 'nc@x.example' } } as any;
		const results = await p.createRecords('lead', inputs);
		expect(callsTo(box.zoho, 'POST', '/Leads').map((r) => r.body.data.length)).toEqual([100, 50]);
		expect(results.filter((r) => r.ok)).toHaveLength(149);
		const refused = results[120] as { ok: false; error: CrmApiError };
		expect(refused.ok).toBe(false);
		expect(refused.error.code).toBe('MANDATORY_NOT_FOUND');
		expect(refused.error.field).toBe('Company');
		const lead = ok(results[0]) as Lead;
		expect(lead).toMatchObject({ provider: 'zoho', lastName: 'Doe 0', company: 'Acme', email: 'doe0@x.example', leadModel: 'zohoLeads', url: `${box.zoho.baseUrl}/crm/tab/Leads/${lead.id}` });
		expect(lead.raw.Last_Name).toBe('Doe 0');
		// No `trigger` by default: Zoho runs the org's automation as it normally does.
		expect(callsTo(box.zoho, 'POST', '/Leads')[0].body.trigger).toBeUndefined();
	});

	test('the credential can turn the org\'s automation off: writes send trigger: []', async () => {
		const p = zohoTestProvider(box.zoho, { zohoAutomation: 'none' });
		ok((await p.createRecords('contact', [{ fields: { lastName: 'Kay' } }]))[0]);
		expect(callsTo(box.zoho, 'POST', '/Contacts')[0].body.trigger).toEqual([]);
		expect(box.zoho.workflowRuns.at(-1)!.triggers).toEqual([]);
	});

	test('an input that cannot be written fails alone, naming the field', async () => {
		const p = zohoTestProvider(box.zoho);
		const [bad, good] = await p.createRecords('contact', [{ fields: { lastName: 'A', shoeSize: 42 } }, { fields: { lastName: 'B' } }]);
		expect(bad.ok).toBe(false);
		expect((bad as any).error).toBeInstanceOf(CrmInputError);
		expect((bad as any).error.message).toContain('"shoeSize" is not a field of Zoho Contacts');
		expect(good.ok).toBe(true);
		expect(callsTo(box.zoho, 'POST', '/Contacts')[0].body.data).toEqual([{ Last_Name: 'B' }]);
	});

	test('tasks link What_Id with $se_module and Who_Id; due date, status and priority in Zoho values', async () => {
		const p = zohoTestProvider(box.zoho);
		const deal = ok((await p.createRecords('deal', [{ fields: { name: 'D', amount: '1,200.50', closeDate: '2026-12-31' } }]))[0]) as Deal;
		const contact = ok((await p.createRecords('contact', [{ fields: { lastName: 'K' } }]))[0]);
		const task = ok(
			(await p.createRecords('task', [{ fields: { subject: 'Call', dueAt: '2026-12-01T23:30:00-05:00', status: 'open', priority: 'medium', ownerId: box.zoho.users[1].id }, related: [{ type: 'deal', id: deal.id }, { type: 'contact', id: contact.id }] }]))[0],
		) as Task;
		expect(callsTo(box.zoho, 'POST', '/Tasks')[0].body.data[0]).toEqual({
			Subject: 'Call',
			Due_Date: '2026-12-01',
			Status: 'Not Started',
			Priority: 'Normal',
			Owner: { id: box.zoho.users[1].id },
			What_Id: { id: deal.id },
			$se_module: 'Deals',
			Who_Id: { id: contact.id },
		});
		expect(task).toMatchObject({ status: 'open', priority: 'medium', dueAt: '2026-12-01', related: [{ type: 'deal', id: deal.id }, { type: 'contact', id: contact.id }] });
		expect(deal).toMatchObject({ amount: 1200.5, stageId: 'Qualification', pipelineId: box.zoho.pipelines[0].id, status: 'open' });
	});

	test('get reads by ids (100 per call) and names the ids Zoho does not have', async () => {
		const p = zohoTestProvider(box.zoho);
		const a = box.zoho.createRecord('Accounts', { Account_Name: 'Acme', Website: 'acme.example' });
		const [found, missing, junk] = await p.getRecords('company', [a.id, '5725767000000999999', 'abc']);
		expect(ok(found)).toMatchObject({ name: 'Acme', domain: 'acme.example' });
		expect((missing as any).error.message).toContain('No Account record with id "5725767000000999999"');
		expect((junk as any).error.message).toContain('is not a Zoho CRM record id');
		expect(callsTo(box.zoho, 'GET', '/Accounts')).toHaveLength(1);
	});

	test('upsert by email: one call with duplicate_check_fields Email; the same email twice goes in two rounds', async () => {
		const p = zohoTestProvider(box.zoho);
		const existing = box.zoho.createRecord('Contacts', { Last_Name: 'Old', Email: 'ana@x.example' });
		const results = await p.upsertContacts([{ fields: { lastName: 'Ana', email: 'ANA@x.example' } }, { fields: { lastName: 'New', email: 'new@x.example' } }, { fields: { firstName: 'Ana', email: 'ana@x.example' } }]);
		expect(results.map((r) => ok(r).id)[0]).toBe(existing.id);
		expect(callsTo(box.zoho, 'POST', '/Contacts/upsert').map((r) => [r.body.duplicate_check_fields, r.body.data.length])).toEqual([[['Email'], 2], [['Email'], 1]]);
		expect(box.zoho.getRecord('Contacts', existing.id)).toMatchObject({ Last_Name: 'Ana', First_Name: 'Ana' });
	});
});

describe('search and lists', () => {
	test('searches run as COQL (ids in order) then read the records; text looks in the name fields', async () => {
		const p = zohoTestProvider(box.zoho);
		for (const name of ['Zed', 'Amy', 'Bob']) box.zoho.createRecord('Leads', { Last_Name: name, Company: name === 'Bob' ? 'Initech' : 'Acme' });
		const pages: string[] = [];
		for await (const page of p.searchRecords('lead', { filters: [{ field: 'company', operator: 'eq', value: 'Acme' }], sort: { field: 'lastName', direction: 'asc' } })) pages.push(...page.map((l: any) => l.lastName));
		expect(pages).toEqual(['Amy', 'Zed']);
		const coql = callsTo(box.zoho, 'POST', '/coql')[0].body.select_query;
		expect(coql).toBe("select id from Leads where Company = 'Acme' order by Last_Name asc, id asc limit 0, 200");
		const text: string[] = [];
		for await (const page of p.searchRecords('lead', { filters: [], text: 'init' })) text.push(...page.map((l: any) => l.lastName));
		expect(text).toEqual(['Bob']);
	});

	test('a full list pages past 2,000 records with page_token', async () => {
		const p = zohoTestProvider(box.zoho);
		for (let i = 0; i < 2100; i++) box.zoho.createRecord('Accounts', { Account_Name: `A${i}` });
		let count = 0;
		for await (const page of p.streamRecords('company', {})) count += page.length;
		expect(count).toBe(2100);
		const lists = callsTo(box.zoho, 'GET', '/Accounts');
		// `page` never goes past 10 (200 × 10 = Zoho's 2,000-record limit): later pages use the token.
		expect(lists.every((r) => r.query.page === undefined || Number(r.query.page) <= 10)).toBe(true);
		expect(lists.at(-1)!.query.page_token).toBeTruthy();
		expect(lists).toHaveLength(11);
	}, 60_000);

	test('users, deal pipelines (per layout, won/lost from forecast types) and case statuses', async () => {
		const p = zohoTestProvider(box.zoho);
		const users = await p.listUsers();
		expect(users.find((u) => u.email === 'ian@example.com')).toMatchObject({ active: false });
		const pipelines = await p.listPipelines('deal');
		expect(pipelines.map((x) => x.name)).toEqual(['Standard (Standard)', 'Enterprise']);
		expect(pipelines[1].stages.map((s) => `${s.id}:${s.closed}`)).toEqual(['Discovery:open', 'Proposal:open', 'Negotiation:open', 'Won:won', 'Lost:lost']);
		const [cases] = await p.listPipelines('ticket');
		expect(cases.stages.find((s) => s.id === 'Closed')!.closed).toBe('closed');
	});
});

describe('stages under Blueprint', () => {
	const enterpriseDeal = async (stage = 'Discovery', extra: Record<string, unknown> = {}) => {
		const p = zohoTestProvider(box.zoho);
		return ok((await p.createRecords('deal', [{ fields: { name: 'Big', closeDate: '2026-12-31', pipelineId: enterprise().id, stageId: stage, ...extra } }]))[0]) as Deal;
	};

	test('Update Stage runs the Blueprint transition whose target is the wanted stage', async () => {
		const deal = await enterpriseDeal('Discovery', { amount: 5000 });
		const p = zohoTestProvider(box.zoho);
		const [result] = await updateStages(p, 'deal', [{ id: deal.id, stage: 'Proposal' }], {} as any);
		expect(ok(result)).toMatchObject({ changed: true, previousStage: { id: 'Discovery' }, stage: { id: 'Proposal' } });
		expect(box.zoho.getRecord('Deals', deal.id)!.Stage).toBe('Proposal');
		const put = callsTo(box.zoho, 'PUT', `/Deals/${deal.id}/actions/blueprint`);
		expect(put.map((r) => r.body.blueprint[0].transition_id)).toEqual([enterprise().id && box.zoho.blueprints[0].transitions[0].id]);
	});

	test('no transition leads there: the error names the open transitions and their fields', async () => {
		const deal = await enterpriseDeal();
		const p = zohoTestProvider(box.zoho);
		const [result] = await updateStages(p, 'deal', [{ id: deal.id, stage: 'Won' }], {} as any);
		const error = (result as any).error as CrmInputError;
		expect(error.message).toContain('has no transition to "Won"');
		expect(error.hint).toContain('"Send proposal" → "Proposal" (fields: Amount required)');
		expect(error.hint).toContain('"Close lost" → "Lost"');
		expect(box.zoho.getRecord('Deals', deal.id)!.Stage).toBe('Discovery');
	});

	test('a transition whose mandatory field the record lacks fails naming the field', async () => {
		const deal = await enterpriseDeal();
		const p = zohoTestProvider(box.zoho);
		const [result] = await updateStages(p, 'deal', [{ id: deal.id, stage: 'Proposal' }], {} as any);
		expect((result as any).error.message).toContain('needs Amount');
	});
});

describe('messages', () => {
	test('a logged note carries its dedupe marker and is found again by it', async () => {
		const p = zohoTestProvider(box.zoho);
		const lead = box.zoho.createRecord('Leads', { Last_Name: 'L', Company: 'C' });
		const [note] = await p.logMessages([{ channel: 'note', subject: 'Called', body: 'Left a message', related: [{ type: 'lead', id: lead.id }], delivery: 'log', dedupeKey: 'run-1' }]);
		expect(ok(note)).toMatchObject({ channel: 'note', body: 'Left a message' });
		const stored = box.zoho.listRecords('Notes')[0];
		expect(stored).toMatchObject({ Note_Title: 'Called', Parent_Id: { module: { api_name: 'Leads' }, id: lead.id } });
		expect(stored.Note_Content).toMatch(/^Left a message\n\n\[crm-dedupe:[0-9a-f]{32}\]$/);
		const found = await p.findMessagesByDedupeKey([{ key: 'run-1', related: [{ type: 'lead', id: lead.id }], channel: 'note' }, { key: 'run-2', related: [{ type: 'lead', id: lead.id }], channel: 'note' }]);
		expect([...found.keys()]).toEqual(['run-1']);
		expect(found.get('run-1')!.body).toBe('Left a message');
	});

	test('send_mail uses an allowed From address, one email per call; another From is refused with the allowed ones', async () => {
		const p = zohoTestProvider(box.zoho);
		const contact = box.zoho.createRecord('Contacts', { Last_Name: 'K', Email: 'k@x.example' });
		const [sent, refused] = await p.deliverMessages([
			{ channel: 'email', subject: 'Hi', body: 'Hello', to: ['k@x.example'], related: [{ type: 'contact', id: contact.id }], delivery: 'send' },
			{ channel: 'email', subject: 'Hi', body: 'Hello', to: ['k@x.example'], from: 'ceo@nowhere.example', related: [{ type: 'contact', id: contact.id }], delivery: 'send' },
		]);
		expect(ok(sent)).toMatchObject({ channel: 'email', direction: 'outbound', from: box.zoho.fromAddresses.find((a) => a.default)!.email });
		expect(box.zoho.sentEmails).toHaveLength(1);
		expect(box.zoho.sentEmails[0]).toMatchObject({ subject: 'Hi', content: 'Hello', mail_format: 'text', to: [{ email: 'k@x.example' }] });
		expect((refused as any).error.message).toContain('"ceo@nowhere.example" is not an allowed From address');
		expect((refused as any).error.hint).toContain(box.zoho.fromAddresses[0].email);
	});
});

describe('errors and limits', () => {
	test('429 without Retry-After is retried with backoff', async () => {
		const p = zohoTestProvider(box.zoho);
		box.zoho.forceRateLimit(2);
		expect((await p.listUsers()).length).toBeGreaterThan(0);
		expect(p.transport.stats.retries).toBe(2);
	});

	test('a refused token names the credential and data centre', async () => {
		const p = zohoTestProvider(box.zoho);
		box.zoho.expireAccessTokens();
		const error = await p.listUsers().then(() => undefined, (e) => e);
		expect(error).toBeInstanceOf(CrmApiError);
		expect(error.status).toBe(401);
		expect(error.hint).toContain('data centre');
	});
});

describe('the OAuth2 credential through n8n', () => {
	const { runWorkflow } = require('../helpers/n8nHarness');
	const { Crm } = require('../../nodes/Crm/Crm.node');
	const { ZohoSandbox, zohoCredentialData } = require('../helpers/zohoSandbox');
	const { CrmZohoOAuth2Api } = require('../../credentials/CrmZohoOAuth2Api.credentials');

	const usersWorkflow = {
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'u', name: 'Users', type: 'n8n-nodes-crm-automation.crm', typeVersion: 1, position: [200, 0], parameters: { provider: 'zoho', resource: 'user', operation: 'getAll' }, credentials: { crmZohoOAuth2Api: { id: 'z', name: 'Zoho' } } },
		],
		connections: { Start: { main: [[{ node: 'Users', type: 'main', index: 0 }]] } },
	};

	test('an expired token is renewed once by n8n and kept: the header carries the new token, the next run mints none', async () => {
		const credentials = { crmZohoOAuth2Api: zohoCredentialData(box.zoho) };
		const run = () => runWorkflow({ workflow: usersWorkflow, nodeTypes: { 'n8n-nodes-crm-automation.crm': new Crm() }, credentialTypes: { crmZohoOAuth2Api: new CrmZohoOAuth2Api() }, credentials });
		const first = await run();
		expect(first.error).toBeUndefined();
		expect(first.nodes.Users.items[0].map((i: any) => i.json.email)).toContain('admin@example.com');
		const tokenCalls = () => box.zoho.requests.filter((r) => r.path.endsWith('/oauth/v2/token')).length;
		expect(tokenCalls()).toBe(0);
		expect(box.zoho.requests.filter((r) => r.resource === '/users').every((r) => /^Zoho-oauthtoken /.test(r.headers.authorization ?? ''))).toBe(true);

		box.zoho.expireAccessTokens();
		const renewed = await run();
		expect(renewed.error).toBeUndefined();
		expect(tokenCalls()).toBe(1);
		const fresh = (credentials.crmZohoOAuth2Api.oauthTokenData as any).access_token;
		expect(fresh).not.toBe(box.zoho.token);
		expect(box.zoho.requests.at(-1)!.headers.authorization).toBe(`Zoho-oauthtoken ${fresh}`);

		await run();
		expect(tokenCalls()).toBe(1);
	});
});
