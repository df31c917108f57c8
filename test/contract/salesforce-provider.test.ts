/* eslint-disable */
// HTTP contract tests of the Salesforce provider: every call goes over HTTP to the local
// Salesforce server, which checks it against request schemas written from Salesforce's REST
// documentation (violations fail the test).
import { fetchSend } from '../helpers/fetchSend';
import { startSalesforceServer } from '../sandbox/salesforce/server';
import type { FakeSalesforce } from '../sandbox/salesforce';
import { salesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import type { CrmProvider } from '../../nodes/shared/contract/provider';
import { collectPages } from '../../nodes/shared/transport/pagination';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { updateStages } from '../../nodes/shared/engines/stageUpdate';
import { sendMessages } from '../../nodes/shared/engines/messaging';
import { EXAMPLE_PROCESS } from '../helpers/providers';

let sf: FakeSalesforce;
beforeAll(async () => {
	sf = await startSalesforceServer({ port: 0 });
});
afterAll(() => sf.stop());
beforeEach(() => {
	sf.reset();
	resetLimiters();
});
afterEach(() => expect(sf.violations).toEqual([]));

function provider(apiVersion = '66.0'): CrmProvider {
	return salesforceProvider.create({
		send: fetchSend(sf.token),
		credentials: { oauthTokenData: { instance_url: sf.baseUrl }, apiVersion },
		credentialType: 'crmSalesforceOAuth2Api',
		credentialKey: 'contract',
		transportOverrides: { retry: { baseDelayMs: 5 } },
	});
}
const calls = (method: string, pathPart: string) => sf.requests.filter((r) => r.method === method && r.path.includes(pathPart));
const value = (r: any) => {
	if (!r.ok) throw r.error;
	return r.value;
};

describe('records', () => {
	test('creates leads in one sObject Collections call and reads them back in one retrieve', async () => {
		const results = await provider().createRecords('lead', [
			{ fields: { firstName: 'John', lastName: 'Doe', company: 'Acme Corp', email: 'john.doe@acme.com', phone: '123-456-7890' } },
			{ fields: { lastName: 'Roe', company: 'Beta', status: 'working' } },
		]);
		const [john, roe] = results.map(value);
		expect(john).toMatchObject({ provider: 'salesforce', leadModel: 'lead', name: 'John Doe', company: 'Acme Corp', email: 'john.doe@acme.com', status: 'New', pipelineId: 'LeadStatus' });
		expect(john.url).toBe(`${sf.baseUrl}/lightning/r/Lead/${john.id}/view`);
		expect(roe.status).toBe('Working'); // a status name in any case becomes the picklist value
		const create = calls('POST', '/composite/sobjects')[0];
		expect(create.path).toBe('/services/data/v66.0/composite/sobjects');
		expect(create.body).toEqual({
			allOrNone: false,
			records: [
				{ attributes: { type: 'Lead' }, FirstName: 'John', LastName: 'Doe', Company: 'Acme Corp', Email: 'john.doe@acme.com', Phone: '123-456-7890' },
				{ attributes: { type: 'Lead' }, LastName: 'Roe', Company: 'Beta', Status: 'Working' },
			],
		});
		expect(calls('POST', '/composite/sobjects/Lead')).toHaveLength(1);
		expect(sf.get('Lead', john.id)).toMatchObject({ LastName: 'Doe', Company: 'Acme Corp' });
	});

	test('an item Salesforce would reject for a missing required field fails alone, before the call', async () => {
		const results = await provider().createRecords('lead', [{ fields: { lastName: 'NoCompany' } }, { fields: { lastName: 'Ok', company: 'Acme' } }]);
		expect(results[0]).toMatchObject({ ok: false });
		expect((results[0] as any).error).toMatchObject({ message: 'Salesforce requires a company on leads', field: 'company' });
		expect(value(results[1]).lastName).toBe('Ok');
		await expect(provider().createRecords('lead', [{ fields: { lastName: 'NoCompany' } }], { stopOnInvalid: true })).rejects.toMatchObject({ name: 'InvalidItemError', itemIndex: 0 });
		expect(sf.list('Lead')).toHaveLength(1);
	});

	test('a record Salesforce rejects mid-batch fails with its error and field; the others are written', async () => {
		const results = await provider().createRecords('contact', [
			{ fields: { lastName: 'A', email: 'a@acme.com' } },
			{ fields: { lastName: 'B', email: 'not-an-email' } },
			{ fields: { lastName: 'C' } },
		]);
		expect(results.map((r) => r.ok)).toEqual([true, false, true]);
		const error = (results[1] as any).error;
		expect(error.vendor).toBe('Salesforce');
		expect(error.code).toBe('INVALID_EMAIL_ADDRESS');
		expect(error.field).toBe('Email');
		expect(sf.list('Contact').map((c) => c.LastName).sort()).toEqual(['A', 'C']);
	});

	test('get by id; an unknown id is a clear not-found error for that item only', async () => {
		const account = sf.insert('Account', { Name: 'Acme', Website: 'acme.com' });
		const [found, missing] = await provider().getRecords('company', [account.Id, '001000000000000AAA']);
		expect(value(found)).toMatchObject({ name: 'Acme', domain: 'acme.com' });
		expect((missing as any).error).toMatchObject({ status: 404, message: 'No Salesforce Account with id "001000000000000AAA"' });
	});

	test('update writes only the given fields; the same record twice goes in two calls', async () => {
		const lead = sf.insert('Lead', { LastName: 'Doe', Company: 'Acme' });
		const results = await provider().updateRecords('lead', [
			{ id: lead.Id, fields: { title: 'CEO' } },
			{ id: lead.Id, fields: { phone: '555' } },
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		const patches = calls('PATCH', '/composite/sobjects');
		expect(patches.map((p) => p.body.records)).toEqual([[{ attributes: { type: 'Lead' }, id: lead.Id, Title: 'CEO' }], [{ attributes: { type: 'Lead' }, id: lead.Id, Phone: '555' }]]);
		expect(sf.get('Lead', lead.Id)).toMatchObject({ Title: 'CEO', Phone: '555' });
	});

	test('a converted lead status is refused before writing, naming the statuses a lead can take', async () => {
		// The sandbox org has the Lightning default statuses: New, Working, Nurturing, Qualified (converted), Unqualified.
		const lead = sf.insert('Lead', { LastName: 'Doe', Company: 'Acme' });
		const [result] = await provider().updateRecords('lead', [{ id: lead.Id, fields: { status: 'Qualified' } }]);
		expect((result as any).error.message).toBe('"Qualified" is a converted lead status: Salesforce sets it only when the lead is converted');
		expect((result as any).error.hint).toContain('"New", "Working", "Nurturing", "Unqualified"');
		expect(calls('PATCH', '/composite/sobjects')).toHaveLength(0);
		const [unknown] = await provider().updateRecords('lead', [{ id: lead.Id, fields: { status: 'Hot' } }]);
		expect((unknown as any).error.message).toBe('Unknown status "Hot" in Salesforce\'s Lead Status');
	});

	test('deal stage by name through the stage engine, with the guard; history is recorded by Salesforce', async () => {
		sf.setPicklist('OpportunityStage', EXAMPLE_PROCESS.OpportunityStage as any);
		const opp = sf.insert('Opportunity', { Name: 'Big', StageName: 'Contract sent', CloseDate: '2026-12-31', Amount: 1000 });
		const p = provider();
		const guard = 'Contract sent → Closed won\n* → Closed lost';
		const [moved] = await updateStages(p, 'deal', [{ id: opp.Id, stage: 'closed WON', allowedTransitions: guard }], { stopOnInvalid: false });
		expect(value(moved)).toMatchObject({ stage: { id: 'Closed won', name: 'Closed won' }, previousStage: { name: 'Contract sent' }, changed: true, record: { status: 'won', probability: 1 } });
		expect(sf.list('OpportunityHistory').filter((h) => h.OpportunityId === opp.Id).map((h) => h.StageName)).toEqual(['Contract sent', 'Closed won']);
		const [refused] = await updateStages(p, 'deal', [{ id: opp.Id, stage: 'Qualified to buy', allowedTransitions: guard }], { stopOnInvalid: false });
		expect((refused as any).error.message).toBe('Moving from "Closed won" to "Qualified to buy" is not an allowed transition');
		const pipelines = await p.listPipelines('deal');
		expect(pipelines[0]).toMatchObject({ id: 'OpportunityStage', name: 'Sales Process' });
		expect(pipelines[0].stages.map((s) => [s.name, s.probability, s.closed])).toEqual([
			['Appointment scheduled', 0.2, 'open'],
			['Qualified to buy', 0.4, 'open'],
			['Presentation scheduled', 0.6, 'open'],
			['Decision maker bought-in', 0.8, 'open'],
			['Contract sent', 0.9, 'open'],
			['Closed won', 1, 'won'],
			['Closed lost', 0, 'lost'],
		]);
	});

	test('a deal created with a company and contacts: AccountId, and contact roles (first one primary)', async () => {
		const account = sf.insert('Account', { Name: 'Acme' });
		const [c1, c2] = [sf.insert('Contact', { LastName: 'One' }), sf.insert('Contact', { LastName: 'Two' })];
		const [deal] = await provider().createRecords('deal', [
			{ fields: { name: 'New deal', stageId: 'Prospecting', closeDate: '2026-12-31', amount: 500 }, related: [{ type: 'company', id: account.Id }, { type: 'contact', id: c1.Id }, { type: 'contact', id: c2.Id }] },
		]);
		const created = value(deal);
		expect(created).toMatchObject({ companyId: account.Id, amount: 500, stageId: 'Prospecting', status: 'open', probability: 0.1 });
		expect(sf.list('OpportunityContactRole').map((r) => [r.ContactId, r.IsPrimary])).toEqual([
			[c1.Id, true],
			[c2.Id, false],
		]);
		const [noDate] = await provider().createRecords('deal', [{ fields: { name: 'x', stageId: 'Prospecting' } }]);
		expect((noDate as any).error).toMatchObject({ message: 'Salesforce requires a close date on opportunities', field: 'closeDate' });
	});

	test('tasks: due date as the local date, owner, who/what, completion through the closed status', async () => {
		const lead = sf.insert('Lead', { LastName: 'Doe', Company: 'Acme' });
		const ana = sf.users().ana.Id;
		const p = provider();
		const [created] = await p.createRecords('task', [
			{ fields: { subject: 'Call', dueAt: '2026-12-01T10:00:00.000+01:00', ownerId: ana, priority: 'high', status: 'open' }, related: [{ type: 'lead', id: lead.Id }] },
		]);
		const task = value(created);
		expect(sf.get('Task', task.id)).toMatchObject({ Subject: 'Call', ActivityDate: '2026-12-01', OwnerId: ana, WhoId: lead.Id, Priority: 'High', Status: 'Not Started', IsClosed: false });
		expect(await p.countOpenRecords('task', ana)).toBe(1);
		const [done] = await p.updateRecords('task', [{ id: task.id, fields: { status: 'completed' } }]);
		expect(value(done)).toMatchObject({ status: 'completed' });
		expect(sf.get('Task', task.id)!.Status).toBe('Completed');
		expect(await p.countOpenRecords('task', ana)).toBe(0);
		expect(calls('GET', '/query').some((r) => r.query.q === `SELECT COUNT() FROM Task WHERE OwnerId = '${ana}' AND IsClosed = false`)).toBe(true);
	});
});

describe('search', () => {
	test('filters and text become escaped SOQL; an injection attempt matches nothing', async () => {
		sf.insert('Lead', { LastName: "O'Brien", Company: 'Acme', Email: 'ob@acme.com' });
		sf.insert('Lead', { LastName: 'Smith', Company: 'Beta', Email: 'smith@beta.com' });
		const p = provider();
		const byName = await collectPages(p.searchRecords('lead', { filters: [{ field: 'lastName', operator: 'eq', value: "O'Brien" }] }));
		expect(byName.map((l: any) => l.lastName)).toEqual(["O'Brien"]);
		const injection = await collectPages(p.searchRecords('lead', { filters: [{ field: 'email', operator: 'eq', value: "x' OR Email != '" }] }));
		expect(injection).toEqual([]);
		const text = await collectPages(p.searchRecords('lead', { filters: [], text: 'beta' }));
		expect(text.map((l: any) => l.lastName)).toEqual(['Smith']);
		const wildcard = await collectPages(p.searchRecords('lead', { filters: [{ field: 'email', operator: 'contains', value: '%' }] }));
		expect(wildcard).toEqual([]);
	});

	test('results past one batch follow nextRecordsUrl', async () => {
		for (let i = 0; i < 2300; i++) sf.insert('Account', { Name: `A${i}` });
		const pages = [];
		for await (const page of provider().searchRecords('company', { filters: [] })) pages.push(page.length);
		expect(pages).toEqual([2000, 300]);
		expect(calls('GET', '/query/')).toHaveLength(1);
	});

	test('converted leads are left out unless asked for', async () => {
		const lead = sf.insert('Lead', { LastName: 'Conv', Company: 'Acme' });
		sf.insert('Lead', { LastName: 'Open', Company: 'Acme' });
		sf.convertLead(lead.Id, { doNotCreateOpportunity: true });
		const open = await collectPages(provider().searchRecords('lead', { filters: [] }));
		expect(open.map((l: any) => l.lastName)).toEqual(['Open']);
		const converted = await collectPages(provider().searchRecords('lead', { filters: [{ field: 'isConverted', operator: 'eq', value: true }] }));
		expect(converted.map((l: any) => l.lastName)).toEqual(['Conv']);
	});
});

describe('contacts by email', () => {
	test('updates the contact with that email, creates the others (once per email)', async () => {
		const existing = sf.insert('Contact', { LastName: 'Known', Email: 'known@acme.com' });
		const results = await provider().upsertContacts([
			{ fields: { email: 'KNOWN@acme.com', title: 'CTO' } },
			{ fields: { email: 'new@acme.com', lastName: 'New' } },
			{ fields: { email: 'new@acme.com', phone: '555' } },
		]);
		const [known, created, again] = results.map(value);
		expect(known.id).toBe(existing.Id);
		expect(created.id).toBe(again.id);
		expect(sf.list('Contact')).toHaveLength(2);
		expect(sf.get('Contact', created.id)).toMatchObject({ LastName: 'New', Phone: '555' });
		expect(sf.get('Contact', existing.Id)!.Title).toBe('CTO');
	});
});

describe('users, messages, capabilities', () => {
	test('users are the standard users, inactive ones marked', async () => {
		const users = await provider().listUsers();
		expect(users.map((u) => [u.email, u.active])).toEqual(
			expect.arrayContaining([
				['ana@example.com', true],
				['eve@example.com', false],
			]),
		);
	});

	test('logged messages: emails as completed email tasks, notes as Notes; dedupe finds them again', async () => {
		const contact = sf.insert('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
		const p = provider();
		const request = (channel: any, dedupeKey: string) => ({ channel, delivery: 'log' as const, subject: 'Hi', body: 'Hello\nthere', related: [{ type: 'contact' as const, id: contact.Id }], dedupeKey, ignoreOptOut: false });
		const first = await sendMessages(p, [request('email', 'k1'), request('note', 'k2')], { stopOnInvalid: true });
		expect(first.map((r) => value(r).delivery)).toEqual(['logged', 'logged']);
		const [task] = sf.list('Task');
		expect(task).toMatchObject({ Subject: 'Hi', Status: 'Completed', IsClosed: true, TaskSubtype: 'Email', WhoId: contact.Id });
		expect(task.Description).toMatch(/^Hello\nthere\n\[crm-dedupe:[0-9a-f]{32}\]$/);
		expect(sf.list('Note')[0]).toMatchObject({ ParentId: contact.Id, Title: 'Hi', Body: expect.stringContaining('Hello') });
		const again = await sendMessages(p, [request('email', 'k1'), request('note', 'k2')], { stopOnInvalid: true });
		expect(again.map((r) => value(r).delivery)).toEqual(['duplicate', 'duplicate']);
		expect(sf.list('Task')).toHaveLength(1);
	});

	test('sent email goes through emailSimple with the input names of the API version, then is logged', async () => {
		const contact = sf.insert('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
		const optedOut = sf.insert('Contact', { LastName: 'Out', Email: 'out@acme.com', HasOptedOutOfEmail: true });
		const send = (id: string) => ({ channel: 'email' as const, delivery: 'send' as const, subject: 'Welcome', body: 'Hi!', related: [{ type: 'contact' as const, id }], ignoreOptOut: false });
		const results = await sendMessages(provider('66.0'), [send(contact.Id), send(optedOut.Id)], { stopOnInvalid: true });
		expect(results.map((r) => value(r).delivery)).toEqual(['sent', 'skipped']);
		expect(sf.sentEmails).toHaveLength(1);
		expect(sf.sentEmails[0]).toMatchObject({ to: ['doe@acme.com'], subject: 'Welcome', body: 'Hi!', logged: null });
		expect(sf.list('Task')[0]).toMatchObject({ Subject: 'Welcome', TaskSubtype: 'Email', WhoId: contact.Id, IsClosed: true });
		expect(calls('POST', '/actions/standard/emailSimple')[0].body.inputs[0]).toMatchObject({ recipientAddresses: 'doe@acme.com', emailSubject: 'Welcome', logEmailOnSend: false });
		expect(sf.list('Task')).toHaveLength(1);
		// An older API version takes emailAddresses (and 5 recipients at most).
		sf.reset();
		const c = sf.insert('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
		await sendMessages(provider('60.0'), [send(c.Id)], { stopOnInvalid: true });
		expect(calls('POST', '/actions/standard/emailSimple')[0].body.inputs[0]).toMatchObject({ emailAddresses: 'doe@acme.com' });
	});

	test('a lead\'s own opt-outs count: email (HasOptedOutOfEmail) and texts (DoNotCall)', async () => {
		const lead = sf.insert('Lead', { LastName: 'Out', Company: 'Acme', Email: 'out@acme.com', HasOptedOutOfEmail: true, DoNotCall: true });
		const open = sf.insert('Lead', { LastName: 'In', Company: 'Acme', Email: 'in@acme.com' });
		const message = (channel: any, id: string) => ({ channel, delivery: 'log' as const, subject: 'Hi', body: 'Hello', related: [{ type: 'lead' as const, id }], ignoreOptOut: false });
		const results = await sendMessages(provider(), [message('email', lead.Id), message('sms', lead.Id), message('email', open.Id)], { stopOnInvalid: true });
		expect(results.map((r) => [value(r).delivery, value(r).reason])).toEqual([
			['skipped', 'Lead has opted out of email'],
			['skipped', 'Lead does not want to be called or texted'],
			['logged', undefined],
		]);
		expect(sf.list('Task').map((t) => t.WhoId)).toEqual([open.Id]);
	});

	test('lead conversion is not supported over REST: a clear error', async () => {
		await expect(provider().qualifyLeads([{ id: '00Q000000000000AAA' }])).rejects.toThrow(/Salesforce does not support lead conversion over its REST API/);
	});
});

describe('limits and errors', () => {
	test('the daily API allocation used up is not retried and says so', async () => {
		sf.setDailyLimit(0);
		const error = await provider().getRecords('lead', ['00Q000000000000AAA']).catch((e) => e);
		expect(error).toMatchObject({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED' });
		expect(error.hint).toMatch(/24-hour API request allocation/);
		expect(sf.requests.filter((r) => r.status === 403)).toHaveLength(1);
	});

	test('a concurrent-request limit is retried', async () => {
		sf.fault({ pathPrefix: '/services/data/v66.0/query', status: 403, body: [{ message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], times: 2 });
		const users = await provider().listUsers();
		expect(users.length).toBeGreaterThan(0);
	});

	test('an unknown custom field in a filter is Salesforce\'s INVALID_FIELD, with a hint', async () => {
		const error = await collectPages(provider().searchRecords('lead', { filters: [{ field: 'Nope__c', operator: 'eq', value: 'x' }] })).catch((e) => e);
		expect(error).toMatchObject({ status: 400, code: 'INVALID_FIELD' });
		expect(error.hint).toMatch(/Custom fields end in __c/);
		sf.violations.length = 0; // a query naming an unknown field is a documented error, not a contract breach
	});
});
