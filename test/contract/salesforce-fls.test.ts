/* eslint-disable */
// Salesforce field-level security: a SOQL read naming a field the API user cannot see fails as a
// whole (400 INVALID_FIELD), so the provider asks describe before selecting the fields FLS may
// hide (Lead/Contact HasOptedOutOfEmail and DoNotCall, Task Type), reads what it may, says which
// opt-out flags it could not read (optedOut.unknown), and the message engine does not send on an
// unknown opt-out. The sandbox hides fields with hideFields (test/sandbox/salesforce/server.js).
import { fetchSend } from '../helpers/fetchSend';
import { startSalesforceServer } from '../sandbox/salesforce/server';
import type { FakeSalesforce } from '../sandbox/salesforce';
import { salesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import type { CrmProvider } from '../../nodes/shared/contract/provider';
import { collectPages } from '../../nodes/shared/transport/pagination';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { sendMessages } from '../../nodes/shared/engines/messaging';

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

function provider(): CrmProvider {
	return salesforceProvider.create({
		send: fetchSend(sf.token),
		credentials: { oauthTokenData: { instance_url: sf.baseUrl }, apiVersion: '66.0' },
		credentialType: 'crmSalesforceOAuth2Api',
		credentialKey: 'fls',
		transportOverrides: { retry: { baseDelayMs: 5 } },
	});
}
const value = (r: any) => {
	if (!r.ok) throw r.error;
	return r.value;
};
const soqlSent = () => sf.requests.filter((r) => r.path.endsWith('/query')).map((r) => r.query.q);
const message = (channel: 'email' | 'sms' | 'note', type: 'lead' | 'contact', id: string, ignoreOptOut = false) => ({
	channel,
	delivery: 'log' as const,
	subject: 'Hi',
	body: 'Hello',
	related: [{ type, id }],
	ignoreOptOut,
});

describe('reads with opt-out fields hidden by field-level security', () => {
	test('a lead and a contact are read without the hidden flags, which come back as unknown', async () => {
		const lead = sf.insert('Lead', { LastName: 'Lee', Company: 'Acme', Email: 'lee@acme.com', HasOptedOutOfEmail: true, DoNotCall: true });
		const contact = sf.insert('Contact', { LastName: 'Cole', Email: 'cole@acme.com', DoNotCall: true });
		sf.hideFields('Lead', ['HasOptedOutOfEmail', 'DoNotCall']);
		sf.hideFields('Contact', ['HasOptedOutOfEmail']);
		const p = provider();
		const [readLead] = await p.getRecords('lead', [lead.Id]);
		expect(value(readLead)).toMatchObject({ id: lead.Id, lastName: 'Lee', email: 'lee@acme.com', optedOut: { email: false, phone: false, all: false, unknown: ['email', 'phone'] } });
		const [readContact] = await p.getRecords('contact', [contact.Id]);
		// DoNotCall is visible on contacts: read as stored; only the email flag is unknown.
		expect(value(readContact).optedOut).toEqual({ email: false, phone: true, all: false, unknown: ['email'] });
		const retrieve = sf.requests.filter((r) => r.method === 'POST' && /\/composite\/sobjects\/(Lead|Contact)$/.test(r.path));
		expect(retrieve.map((r) => r.body.fields.filter((f: string) => ['HasOptedOutOfEmail', 'DoNotCall'].includes(f)))).toEqual([[], ['DoNotCall']]);
		// describe was asked first, once per object.
		expect(sf.requests.filter((r) => r.path.endsWith('/describe')).map((r) => r.path.split('/')[5])).toEqual(['Lead', 'Contact']);
	});

	test('search and streams select only visible fields; with the fields visible nothing is unknown', async () => {
		sf.insert('Lead', { LastName: 'Lee', Company: 'Acme', Email: 'lee@acme.com', HasOptedOutOfEmail: true });
		sf.hideFields('Lead', ['HasOptedOutOfEmail']);
		const found = (await collectPages(provider().searchRecords('lead', { filters: [{ field: 'email', operator: 'eq', value: 'lee@acme.com' }] }))) as any[];
		expect(found.map((l) => [l.lastName, l.optedOut])).toEqual([['Lee', { email: false, phone: false, all: false, unknown: ['email'] }]]);
		expect(soqlSent().every((q) => !q.includes('HasOptedOutOfEmail'))).toBe(true);
		expect(soqlSent().some((q) => /^SELECT .*DoNotCall.* FROM Lead/.test(q))).toBe(true);

		sf.hideFields('Lead', []);
		const visible = (await collectPages(provider().streamRecords('lead', {}))) as any[];
		expect(visible.map((l) => l.optedOut)).toEqual([{ email: true, phone: false, all: false }]);
	});

	test('a hidden Task.Type is left out of task reads', async () => {
		const task = sf.insert('Task', { Subject: 'Call', Status: 'Not Started', Type: 'Call' });
		sf.hideFields('Task', ['Type']);
		const [read] = await provider().getRecords('task', [task.Id]);
		expect(value(read)).toMatchObject({ id: task.Id, subject: 'Call', status: 'open' });
		const retrieve = sf.requests.find((r) => r.path.endsWith('/composite/sobjects/Task'))!;
		expect(retrieve.body.fields).not.toContain('Type');
		expect(retrieve.body.fields).toEqual(expect.arrayContaining(['Subject', 'Status', 'ActivityDate']));
	});

	test('without FLS the provider still selects the opt-out fields and Task.Type', async () => {
		const task = sf.insert('Task', { Subject: 'Call', Status: 'Not Started', Type: 'Call' });
		const lead = sf.insert('Lead', { LastName: 'Lee', Company: 'Acme', DoNotCall: true });
		const p = provider();
		expect(value((await p.getRecords('lead', [lead.Id]))[0]).optedOut).toEqual({ email: false, phone: true, all: false });
		await p.getRecords('task', [task.Id]);
		const fields = sf.requests.filter((r) => r.path.includes('/composite/sobjects/')).map((r) => r.body.fields);
		expect(fields[0]).toEqual(expect.arrayContaining(['HasOptedOutOfEmail', 'DoNotCall']));
		expect(fields[1]).toContain('Type');
	});
});

describe('messages to a person whose opt-out cannot be read', () => {
	test('email and SMS are skipped with "Opt-out unknown"; notes, visible flags and Ignore Opt-Out go through', async () => {
		const lead = sf.insert('Lead', { LastName: 'Lee', Company: 'Acme', Email: 'lee@acme.com' });
		const contact = sf.insert('Contact', { LastName: 'Cole', Email: 'cole@acme.com' });
		sf.hideFields('Lead', ['HasOptedOutOfEmail']);
		sf.hideFields('Contact', ['DoNotCall']);
		const results = await sendMessages(
			provider(),
			[
				message('email', 'lead', lead.Id),
				message('sms', 'lead', lead.Id),
				message('email', 'contact', contact.Id),
				message('sms', 'contact', contact.Id),
				message('note', 'lead', lead.Id),
				message('email', 'lead', lead.Id, true),
			],
			{ stopOnInvalid: true },
		);
		expect(results.map((r) => value(r).delivery)).toEqual(['skipped', 'logged', 'logged', 'skipped', 'logged', 'logged']);
		expect(value(results[0]).reason).toBe(
			'Opt-out unknown: the CRM does not let this user read whether the lead opted out of email. Give the user read access to that field (Salesforce: field-level security), or turn on "Ignore Opt-Out" for transactional messages.',
		);
		expect(value(results[3]).reason).toMatch(/^Opt-out unknown: .* whether the contact opted out of calls and texts\./);
		// Logged: the lead's SMS, the contact's email and the lead's transactional email.
		expect(sf.list('Task').map((t) => [t.WhoId, t.Subject])).toEqual([[lead.Id, 'SMS'], [contact.Id, 'Hi'], [lead.Id, 'Hi']]);
		expect(sf.list('Note').map((n) => n.ParentId)).toEqual([lead.Id]);
	});

	test('a known opt-out still wins over an unknown one', async () => {
		const lead = sf.insert('Lead', { LastName: 'Lee', Company: 'Acme', Email: 'lee@acme.com', DoNotCall: true });
		sf.hideFields('Lead', ['HasOptedOutOfEmail']);
		const [sms] = await sendMessages(provider(), [message('sms', 'lead', lead.Id)], { stopOnInvalid: true });
		expect(value(sms)).toEqual({ delivery: 'skipped', reason: 'Lead does not want to be called or texted' });
	});
});
