/* eslint-disable */
// HTTP contract tests of the EspoCRM provider: every call goes over HTTP to the local EspoCRM
// server, authenticated by the real credential, which checks it against the documented request
// schemas (a violation fails the test).
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type { INode, INodeType, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { CrmEspoCrmApi } from '../../credentials/CrmEspoCrmApi.credentials';
import { callsTo, espoCredentials, espoProvider, TestCredentialsHelper, useEspoSandbox } from '../sandbox/espocrm/testing';
import type { FakeEspoCrm } from '../sandbox/espocrm';
import { collectPages } from '../../nodes/shared/transport/pagination';
import { CrmApiError } from '../../nodes/shared/transport/errors';
import { updateStages } from '../../nodes/shared/engines/stageUpdate';
import { sendMessages } from '../../nodes/shared/engines/messaging';
import type { Contact, Deal, Lead, Task } from '../../nodes/shared/model/types';

const box = useEspoSandbox();
let espo: FakeEspoCrm;
beforeEach(() => {
	espo = box.espo;
});

const ok = <T>(result: { ok: boolean; value?: T; error?: Error }): T => {
	if (!result.ok) throw result.error;
	return result.value as T;
};
const search = (r: { search?: any }) => r.search;

describe('records', () => {
	test('create maps each resource to its entity type, with url and raw kept', async () => {
		const p = espoProvider(espo);
		const account = ok(
			(await p.createRecords('company', [{ fields: { name: 'Acme', domain: 'acme.example', ownerId: 'u-ben' } }]))[0],
		) as any;
		expect(account).toMatchObject({ provider: 'espocrm', name: 'Acme', domain: 'acme.example', ownerId: 'u-ben', url: `${espo.baseUrl}/#Account/view/${account.id}` });
		expect(callsTo(espo, 'POST', '/Account')[0].body).toEqual({ name: 'Acme', website: 'acme.example', assignedUserId: 'u-ben' });

		const lead = ok((await p.createRecords('lead', [{ fields: { name: 'Grace Brewster Hopper', email: 'grace@navy.example', company: 'Navy', status: 'Assigned' } }]))[0]) as Lead;
		expect(callsTo(espo, 'POST', '/Lead')[0].body).toEqual({ firstName: 'Grace Brewster', lastName: 'Hopper', emailAddress: 'grace@navy.example', accountName: 'Navy', status: 'Assigned' });
		expect(lead).toMatchObject({ leadModel: 'leadEntity', name: 'Grace Brewster Hopper', status: 'Assigned', pipelineId: 'Lead', stageId: 'Assigned', company: 'Navy' });

		const contact = ok((await p.createRecords('contact', [{ fields: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.example', companyId: account.id } }]))[0]) as Contact;
		expect(contact).toMatchObject({ companyId: account.id, optedOut: { email: false, all: false, phone: false } });

		const deal = ok(
			(
				await p.createRecords('deal', [
					{ fields: { name: 'Big one', amount: '12,500.50', closeDate: '2026-12-31T18:00:00+02:00', stageId: 'Proposal' }, related: [{ type: 'contact', id: contact.id }, { type: 'company', id: account.id }] },
				])
			)[0],
		) as Deal;
		expect(callsTo(espo, 'POST', '/Opportunity')[0].body).toEqual({
			name: 'Big one',
			amount: 12500.5,
			closeDate: '2026-12-31',
			stage: 'Proposal',
			amountCurrency: 'USD',
			contactsIds: [contact.id],
			accountId: account.id,
		});
		expect(deal).toMatchObject({ pipelineId: 'Opportunity', stageId: 'Proposal', stageName: 'Proposal', status: 'open', probability: 0.5, contactIds: [contact.id], companyId: account.id, currency: 'USD' });

		const ticket = ok((await p.createRecords('ticket', [{ fields: { subject: 'Broken', priority: 'medium', ownerId: 'u-cleo' }, related: [{ type: 'contact', id: contact.id }] }]))[0]) as any;
		expect(callsTo(espo, 'POST', '/Case')[0].body).toEqual({ name: 'Broken', priority: 'Normal', assignedUserId: 'u-cleo', contactId: contact.id });
		expect(ticket).toMatchObject({ subject: 'Broken', priority: 'medium', status: 'New', stageId: 'New', number: '1', contactId: contact.id, openedAt: ticket.createdAt });

		const task = ok(
			(await p.createRecords('task', [{ fields: { subject: 'Call', dueAt: '2026-12-01T10:00:00Z', ownerId: 'u-ana', status: 'open', priority: 'high' }, related: [{ type: 'deal', id: deal.id }] }]))[0],
		) as Task;
		expect(callsTo(espo, 'POST', '/Task')[0].body).toEqual({ name: 'Call', dateEnd: '2026-12-01 10:00:00', assignedUserId: 'u-ana', status: 'Not Started', priority: 'High', parentType: 'Opportunity', parentId: deal.id });
		expect(task).toMatchObject({ dueAt: '2026-12-01T10:00:00.000Z', status: 'open', priority: 'high', related: [{ type: 'deal', id: deal.id }] });

		const note = ok((await p.createRecords('note', [{ fields: { body: 'Hello' }, related: [{ type: 'deal', id: deal.id }] }]))[0]) as any;
		expect(note).toMatchObject({ body: 'Hello', related: [{ type: 'deal', id: deal.id }] });
		expect(espo.notesOf('Opportunity', deal.id).map((n) => n.type)).toEqual(['Create', 'Post']);
	});

	test('what EspoCRM requires is checked per item before anything is sent', async () => {
		const p = espoProvider(espo);
		const results = await p.createRecords('deal', [{ fields: { name: 'No date', amount: 1 } }, { fields: { name: 'Fine', amount: 1, closeDate: '2026-01-01' } }]);
		expect(results[0]).toMatchObject({ ok: false });
		expect((results[0] as any).error.message).toBe('EspoCRM requires a close date on Opportunity records');
		expect(results[1].ok).toBe(true);
		await expect(p.createRecords('task', [{ fields: { subject: 'x' } }], { stopOnInvalid: true })).rejects.toMatchObject({ name: 'InvalidItemError', itemIndex: 0 });
		await expect(p.createRecords('lead', [{ fields: { lifecycleStage: 'x' } }], { stopOnInvalid: true })).rejects.toMatchObject({ name: 'InvalidItemError' });
		expect(callsTo(espo, 'POST', '/Opportunity')).toHaveLength(1);
		expect(callsTo(espo, 'POST', '/Task')).toHaveLength(0);
	});

	test('get reads many records in one list call; a missing id fails alone', async () => {
		const a = espo.createRecord('Account', { name: 'A' });
		const b = espo.createRecord('Account', { name: 'B' });
		const results = await espoProvider(espo).getRecords('company', [b.id, 'nope', a.id]);
		expect(results.map((r) => (r.ok ? (r.value as any).name : (r as any).error.message))).toEqual(['B', 'No Account with id "nope"', 'A']);
		expect((results[1] as any).error).toBeInstanceOf(CrmApiError);
		const calls = callsTo(espo, 'GET', '/Account');
		expect(calls).toHaveLength(1);
		expect(search(calls[0])).toMatchObject({ where: [{ type: 'in', attribute: 'id', value: [b.id, 'nope', a.id] }], maxSize: 200 });
		expect(search(calls[0]).select).toEqual(expect.arrayContaining(['id', 'name', 'website', 'assignedUserId']));
	});

	test('identical updates of many records are one mass update plus one read; the rest are single PUTs', async () => {
		const deals = Array.from({ length: 5 }, (_, i) => espo.createRecord('Opportunity', { name: `D${i}`, amount: 10, closeDate: '2026-12-01' }));
		const p = espoProvider(espo);
		const results = await p.updateRecords('deal', [
			...deals.slice(0, 4).map((d) => ({ id: d.id, fields: { stageId: 'Negotiation' } })),
			{ id: deals[4].id, fields: { stageId: 'Closed Won', ownerId: 'u-dan' } },
		]);
		expect(results.map((r) => ok(r as any) as Deal).map((d) => [d.stageId, d.status])).toEqual([
			['Negotiation', 'open'],
			['Negotiation', 'open'],
			['Negotiation', 'open'],
			['Negotiation', 'open'],
			['Closed Won', 'won'],
		]);
		const mass = callsTo(espo, 'POST', '/MassAction');
		expect(mass).toHaveLength(1);
		expect(mass[0].body).toEqual({ entityType: 'Opportunity', action: 'update', params: { ids: deals.slice(0, 4).map((d) => d.id) }, data: { values: { stage: 'Negotiation' } } });
		expect(callsTo(espo, 'PUT', `/Opportunity/${deals[4].id}`)[0].body).toEqual({ stage: 'Closed Won', assignedUserId: 'u-dan' });
		// Stream notes and probabilities follow, as EspoCRM's save rules do for mass updates too.
		expect(espo.getRecord('Opportunity', deals[0].id)!.probability).toBe(80);
		expect(espo.notesOf('Opportunity', deals[0].id).filter((n) => n.type === 'Status').map((n) => n.data)).toEqual([{ field: 'stage', value: 'Negotiation', style: 'default' }]);
	});

	test('without the Mass Update permission the provider writes record by record, and says nothing is lost', async () => {
		espo.setRole('n8n-api', { massUpdate: 'no' });
		const tasks = Array.from({ length: 3 }, (_, i) => espo.createRecord('Task', { name: `T${i}`, assignedUserId: 'u-ana' }));
		const p = espoProvider(espo);
		const first = await p.updateRecords('task', tasks.map((t) => ({ id: t.id, fields: { status: 'completed' } })));
		expect(first.every((r) => r.ok && (r.value as Task).status === 'completed')).toBe(true);
		expect(callsTo(espo, 'POST', '/MassAction').map((r) => r.status)).toEqual([403]);
		expect(espo.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
		// The provider remembers: the next batch goes straight to single updates.
		await p.updateRecords('task', tasks.map((t) => ({ id: t.id, fields: { priority: 'low' } })));
		expect(callsTo(espo, 'POST', '/MassAction')).toHaveLength(1);
	});

	test('a record the mass update skipped is written alone, so it gets its own error', async () => {
		const a = espo.createRecord('Opportunity', { name: 'A', amount: 1, closeDate: '2026-12-01' });
		const results = await espoProvider(espo).updateRecords('deal', [
			{ id: a.id, fields: { stageId: 'Proposal' } },
			{ id: 'gone0000000000000', fields: { stageId: 'Proposal' } },
		]);
		expect(results[0].ok).toBe(true);
		expect(results[1]).toMatchObject({ ok: false });
		expect((results[1] as any).error).toMatchObject({ status: 404 });
		expect(callsTo(espo, 'PUT', '/Opportunity/gone0000000000000')).toHaveLength(1);
	});

	test('search: normalized filters become where items, pages by offset and maxSize 200, select only mapped attributes', async () => {
		for (let i = 0; i < 230; i++) espo.createRecord('Lead', { lastName: `L${i}`, status: i % 2 ? 'New' : 'Dead', assignedUserId: 'u-ben', emailAddress: `l${i}@x.example` });
		const p = espoProvider(espo);
		const all = await collectPages(
			p.searchRecords('lead', {
				filters: [
					{ field: 'status', operator: 'in', value: 'New, Assigned' },
					{ field: 'ownerId', operator: 'eq', value: 'u-ben' },
					{ field: 'createdAt', operator: 'gte', value: '2000-01-01T00:00:00Z' },
					{ field: 'email', operator: 'exists' },
				],
				sort: { field: 'lastName', direction: 'desc' },
			}),
		);
		expect(all).toHaveLength(115);
		const calls = callsTo(espo, 'GET', '/Lead');
		expect(calls.map((c) => [search(c).offset, search(c).maxSize])).toEqual([
			[0, 200],
		]);
		expect(search(calls[0]).where).toEqual([
			{ type: 'in', attribute: 'status', value: ['New', 'Assigned'] },
			{ type: 'equals', attribute: 'assignedUserId', value: 'u-ben' },
			{ type: 'greaterThanOrEquals', attribute: 'createdAt', value: '2000-01-01 00:00:00' },
			{ type: 'isNotNull', attribute: 'emailAddress' },
		]);
		expect(search(calls[0])).toMatchObject({ orderBy: 'lastName', order: 'desc' });
		// No total is computed for pages (X-No-Total; -1 / -2 say whether more follow).
		expect(calls[0].headers).toEqual({ 'x-no-total': 'true' });
		const everything = await collectPages(p.searchRecords('lead', { filters: [] }));
		expect(everything).toHaveLength(230);
		expect(callsTo(espo, 'GET', '/Lead').slice(1).map((c) => [search(c).offset, search(c).maxSize])).toEqual([
			[0, 200],
			[200, 200],
		]);
		const limited = await collectPages(p.searchRecords('lead', { filters: [], text: 'L22', limit: 3 }));
		expect(limited.map((l) => (l as Lead).lastName)).toEqual(['L22', 'L220', 'L221']);
		expect(search(callsTo(espo, 'GET', '/Lead').at(-1)!)).toMatchObject({ textFilter: 'L22', maxSize: 3 });
	});

	test('task status filters: open / completed mean not-actual statuses from metadata', async () => {
		for (const status of ['Not Started', 'Started', 'Completed', 'Canceled']) espo.createRecord('Task', { name: status, assignedUserId: 'u-ana', status });
		const p = espoProvider(espo);
		const open = await collectPages(p.searchRecords('task', { filters: [{ field: 'status', operator: 'neq', value: 'completed' }] }));
		expect(open.map((t) => (t as Task).subject).sort()).toEqual(['Not Started', 'Started']);
		expect(search(callsTo(espo, 'GET', '/Task')[0]).where).toEqual([{ type: 'notIn', attribute: 'status', value: ['Completed', 'Canceled', 'Deferred'] }]);
	});

	test('counts open records of an owner with one request (EspoCRM\'s open/actual filter, total of a 1-record page)', async () => {
		for (const stage of ['Prospecting', 'Closed Won', 'Closed Lost', 'Proposal']) espo.createRecord('Opportunity', { name: stage, amount: 1, closeDate: '2026-01-01', stage, assignedUserId: 'u-cleo' });
		espo.createRecord('Opportunity', { name: 'other', amount: 1, closeDate: '2026-01-01', assignedUserId: 'u-dan' });
		for (const status of ['New', 'Closed', 'Pending']) espo.createRecord('Case', { name: status, status, assignedUserId: 'u-cleo' });
		const p = espoProvider(espo);
		expect(await p.countOpenRecords('deal', 'u-cleo')).toBe(2);
		expect(await p.countOpenRecords('ticket', 'u-cleo')).toBe(2);
		expect(await p.countOpenRecords('task', 'u-cleo')).toBe(0);
		const deals = callsTo(espo, 'GET', '/Opportunity');
		expect(search(deals[0])).toEqual({ where: [{ type: 'equals', attribute: 'assignedUserId', value: 'u-cleo' }], select: ['id'], primaryFilter: 'open', maxSize: 1 });
		expect(search(callsTo(espo, 'GET', '/Task')[0]).primaryFilter).toBe('actual');
		expect(espo.requests).toHaveLength(3); // one request per count, no metadata needed
		expect(espo.requests.map((r) => r.headers['x-no-total'])).toEqual([undefined, undefined, undefined]);
	});

	test('upsert finds contacts by any of their email addresses, updates them, creates the rest once', async () => {
		const existing = espo.createRecord('Contact', {
			lastName: 'Known',
			emailAddressData: [
				{ emailAddress: 'main@known.example', primary: true },
				{ emailAddress: 'Alias@Known.example', primary: false },
			],
		});
		const results = await espoProvider(espo).upsertContacts([
			{ fields: { email: 'alias@known.example', firstName: 'Kay' } },
			{ fields: { email: 'new@x.example', lastName: 'New' } },
			{ fields: { email: 'NEW@x.example', firstName: 'Again' } },
			{ fields: { email: 'nolastname@x.example', firstName: 'Solo' } },
		]);
		expect(ok(results[0] as any)).toMatchObject({ id: existing.id, email: 'main@known.example' });
		expect(espo.getRecord('Contact', existing.id)!.firstName).toBe('Kay');
		// A list never shows the secondary address: the contact it found is read by id for all of them.
		expect(callsTo(espo, 'GET', `/Contact/${existing.id}`)).toHaveLength(1);
		const created = ok(results[1] as any) as Contact;
		expect(ok(results[2] as any)).toMatchObject({ id: created.id, firstName: 'Again', lastName: 'New' });
		expect((results[3] as any).error.message).toBe('EspoCRM requires a last name on Contact records');
		expect(callsTo(espo, 'POST', '/Contact')).toHaveLength(1);
		expect(search(callsTo(espo, 'GET', '/Contact')[0]).where).toEqual([
			{ type: 'in', attribute: 'emailAddress', value: ['alias@known.example', 'new@x.example', 'nolastname@x.example'] },
		]);
	});

	test('writing the email opt-out flag and reading opt-outs (email address flag; do-not-call for phone)', async () => {
		const c = espo.createRecord('Contact', { lastName: 'Opt', emailAddress: 'opt@x.example', doNotCall: true });
		const p = espoProvider(espo);
		const [read] = await p.getRecords('contact', [c.id]);
		expect((read as any).value.optedOut).toEqual({ email: false, all: false, phone: true });
		await p.updateRecords('contact', [{ id: c.id, fields: { emailOptOut: true } }]);
		const [again] = await p.getRecords('contact', [c.id]);
		expect((again as any).value.optedOut.email).toBe(true);
	});
});

describe('pipelines and stages', () => {
	test('one pipeline per entity type from metadata: probabilities, won/lost, closed statuses; cached', async () => {
		const p = espoProvider(espo);
		const [deals] = await p.listPipelines('deal');
		await p.listPipelines('deal');
		expect(callsTo(espo, 'GET', '/Metadata').map((r) => r.query.key)).toEqual(['entityDefs.Opportunity.fields.stage']);
		expect(deals.stages.map((s) => [s.id, s.closed, s.probability])).toEqual([
			['Prospecting', 'open', 0.1],
			['Qualification', 'open', 0.2],
			['Proposal', 'open', 0.5],
			['Negotiation', 'open', 0.8],
			['Closed Won', 'won', 1],
			['Closed Lost', 'lost', 0],
		]);
		const [cases] = await p.listPipelines('ticket');
		expect(cases.stages.filter((s) => s.closed === 'closed').map((s) => s.id)).toEqual(['Closed', 'Rejected', 'Duplicate']);
		const [leads] = await p.listPipelines('lead');
		expect(leads).toMatchObject({ id: 'Lead', name: 'Lead statuses' });
		expect(await p.listPipelines('task')).toEqual([]);
	});

	test('stages an admin added are picked up, and stage by name with the transition guard works', async () => {
		espo.setFieldOptions('Opportunity', 'stage', ['Prospecting', 'Demo', 'Contract sent', 'Closed Won', 'Closed Lost'], {
			probabilityMap: { Prospecting: 10, Demo: 40, 'Contract sent': 90, 'Closed Won': 100, 'Closed Lost': 0 },
		});
		const deal = espo.createRecord('Opportunity', { name: 'G', amount: 5, closeDate: '2026-02-01', stage: 'Demo' });
		const p = espoProvider(espo);
		const guard = 'Prospecting → Demo → Contract sent → Closed Won\n* → Closed Lost';
		const [moved] = await updateStages(p, 'deal', [{ id: deal.id, stage: 'contract SENT', allowedTransitions: guard }], { stopOnInvalid: false });
		expect(ok(moved as any)).toMatchObject({ changed: true, previousStage: { id: 'Demo' }, stage: { id: 'Contract sent' }, pipeline: { id: 'Opportunity' } });
		const [refused] = await updateStages(p, 'deal', [{ id: deal.id, stage: 'Prospecting', allowedTransitions: guard }], { stopOnInvalid: false });
		expect((refused as any).error.message).toBe('Moving from "Contract sent" to "Prospecting" is not an allowed transition');
		const [unknown] = await updateStages(p, 'deal', [{ id: deal.id, stage: 'Qualification' }], { stopOnInvalid: false });
		expect((unknown as any).error.message).toBe('Unknown stage "Qualification" in pipeline "Opportunity stages"');
		expect(espo.getRecord('Opportunity', deal.id)!.stage).toBe('Contract sent');
	});
});

describe('users', () => {
	test('regular and admin users (an API user sees active ones only), read once', async () => {
		const p = espoProvider(espo);
		const users = await p.listUsers();
		await p.listUsers();
		expect(users.map((u) => [u.email, u.active])).toEqual([
			['admin@example.com', true],
			['ana@example.com', true],
			['ben@example.com', true],
			['cleo@example.com', true],
			['dan@example.com', true],
		]);
		expect(users[1]).toMatchObject({ id: 'u-ana', name: 'Ana Alvarez', provider: 'espocrm' });
		const calls = callsTo(espo, 'GET', '/User');
		expect(calls).toHaveLength(1);
		expect(search(calls[0]).where).toEqual([{ type: 'in', attribute: 'type', value: ['regular', 'admin'] }]);
	});
});

describe('lead conversion', () => {
	test('qualify converts the lead into a contact, an account and (when asked) an opportunity', async () => {
		const lead = espo.createRecord('Lead', { firstName: 'Q', lastName: 'Lead', emailAddress: 'q@lead.example', accountName: 'Q Corp', opportunityAmount: 900 });
		const plain = espo.createRecord('Lead', { lastName: 'Plain' });
		const [withDeal, withoutDeal] = await espoProvider(espo).qualifyLeads([{ id: lead.id, createDeal: { name: 'Q deal', amount: 1500 } }, { id: plain.id }]);
		const { lead: converted, deal } = ok(withDeal as any) as any;
		expect(converted).toMatchObject({ status: 'Converted', contactId: expect.any(String) });
		expect(deal).toMatchObject({ name: 'Q deal', amount: 1500, stageId: 'Prospecting' });
		const stored = espo.getRecord('Lead', lead.id)!;
		expect(espo.getRecord('Contact', stored.createdContactId)!.lastName).toBe('Lead');
		expect(espo.getRecord('Account', stored.createdAccountId)!.name).toBe('Q Corp');
		expect(espo.getRecord('Opportunity', stored.createdOpportunityId)!).toMatchObject({ accountId: stored.createdAccountId, contactId: stored.createdContactId });
		const body = callsTo(espo, 'POST', '/Lead/action/convert')[0].body;
		expect(Object.keys(body.records).sort()).toEqual(['Account', 'Contact', 'Opportunity']);
		expect(ok(withoutDeal as any)).toMatchObject({ lead: { status: 'Converted' } });
		expect(Object.keys(callsTo(espo, 'POST', '/Lead/action/convert')[1].body.records)).toEqual(['Contact']);
	});
});

describe('messages', () => {
	test('log an email (archived, linked to the record), send one through SMTP, post a note; dedupe finds them', async () => {
		const contact = espo.createRecord('Contact', { lastName: 'Mail', emailAddress: 'mail@x.example' });
		const optedOut = espo.createRecord('Contact', { lastName: 'Out', emailAddress: 'out@x.example', emailAddressIsOptedOut: true });
		const p = espoProvider(espo);
		const related = [{ type: 'contact' as const, id: contact.id }];
		const results = await sendMessages(
			p,
			[
				{ channel: 'email', delivery: 'log', subject: 'Logged', body: 'Hi & 1 < 2\nBye', related, dedupeKey: 'k-log', ignoreOptOut: false },
				{ channel: 'email', delivery: 'send', subject: 'Sent', body: 'Sent body', related, dedupeKey: 'k-send', ignoreOptOut: false },
				{ channel: 'note', delivery: 'log', body: 'A note', related, dedupeKey: 'k-note', ignoreOptOut: false },
				{ channel: 'email', delivery: 'send', subject: 'Nope', body: 'x', related: [{ type: 'contact', id: optedOut.id }], ignoreOptOut: false },
			],
			{ stopOnInvalid: true },
		);
		expect(results.map((r) => (r.ok ? r.value.delivery : r.error.message))).toEqual(['logged', 'sent', 'logged', 'skipped']);
		const [logCall, sendCall] = callsTo(espo, 'POST', '/Email').map((r) => r.body);
		expect(logCall).toMatchObject({ status: 'Archived', from: 'crm@example.com', to: 'mail@x.example', parentType: 'Contact', parentId: contact.id, isHtml: true, name: 'Logged', subject: 'Logged' });
		expect(logCall.body).toMatch(/^Hi &amp; 1 &lt; 2<br>Bye<!-- crm-dedupe:[0-9a-f]{32} -->$/);
		expect(sendCall).toMatchObject({ status: 'Sending', from: 'crm@example.com', to: 'mail@x.example' });
		expect(espo.sentEmails.map((e) => [e.subject, e.to])).toEqual([['Sent', ['mail@x.example']]]);
		expect(espo.notesOf('Contact', contact.id).map((n) => n.type)).toEqual(['Create', 'Post', 'EmailSent']);

		const again = await sendMessages(
			p,
			[
				{ channel: 'email', delivery: 'log', subject: 'Logged', body: 'Hi', related, dedupeKey: 'k-log', ignoreOptOut: false },
				{ channel: 'email', delivery: 'send', subject: 'Sent', body: 'Sent body', related, dedupeKey: 'k-send', ignoreOptOut: false },
				{ channel: 'note', delivery: 'log', body: 'A note', related, dedupeKey: 'k-note', ignoreOptOut: false },
			],
			{ stopOnInvalid: true },
		);
		expect(again.map((r) => r.ok && r.value.delivery)).toEqual(['duplicate', 'duplicate', 'duplicate']);
		expect(espo.sentEmails).toHaveLength(1);
		expect(callsTo(espo, 'POST', '/Email')).toHaveLength(2);
	});

	test('SMS and WhatsApp are not supported: a clear error before anything is sent', async () => {
		const contact = espo.createRecord('Contact', { lastName: 'Sms', phoneNumber: '+15550100100' });
		const [result] = await sendMessages(
			espoProvider(espo),
			[{ channel: 'sms', delivery: 'log', body: 'x', related: [{ type: 'contact', id: contact.id }], ignoreOptOut: false }],
			{ stopOnInvalid: false },
		);
		expect((result as any).error.message).toBe('EspoCRM does not support logging sms messages');
		expect((result as any).error.hint).toBe('Channels it can log: email, note.');
	});

	test('SMTP problems come back with EspoCRM\'s reason', async () => {
		const contact = espo.createRecord('Contact', { lastName: 'M', emailAddress: 'm@x.example' });
		const p = espoProvider(espo);
		const input = { channel: 'email' as const, delivery: 'send' as const, subject: 's', body: 'b', related: [{ type: 'contact' as const, id: contact.id }], to: ['m@x.example'] };
		const [wrongFrom] = await p.deliverMessages([{ ...input, from: 'me@elsewhere.example' }]);
		expect((wrongFrom as any).error).toMatchObject({ status: 403, message: "Not allowed 'from' address. (needs a From address the API user may send from)" });
		expect((wrongFrom as any).error.hint).toMatch(/group email account/);
		espo.failNextSmtp('Connection refused');
		const [failed] = await p.deliverMessages([input]);
		expect((failed as any).error).toMatchObject({ status: 500, message: 'EspoCRM could not send the email: Connection refused' });
		expect(espo.sentEmails).toEqual([]);
	});
});

describe('errors', () => {
	test('403: the message says which scope and action the API user lacks', async () => {
		espo.setRole('n8n-api', { scopes: { Lead: { create: 'no' } } });
		const [result] = await espoProvider(espo).createRecords('lead', [{ fields: { lastName: 'X' } }]);
		const error = (result as any).error as CrmApiError;
		expect(error).toMatchObject({ status: 403, message: 'No create access. (needs "create" access to Lead)' });
		expect(error.hint).toMatch(/Administration → Roles → the API user's role → Lead → create/);
	});

	test('409 duplicate and 400 validation name the record and the field', async () => {
		espo.createRecord('Account', { name: 'Twice' });
		const p = espoProvider(espo);
		const [dup] = await p.createRecords('company', [{ fields: { name: 'twice' } }]);
		expect((dup as any).error).toMatchObject({ status: 409, code: 'duplicate' });
		expect((dup as any).error.message).toMatch(/^EspoCRM found a possible duplicate: "Twice" \(/);
		const [invalid] = await p.createRecords('ticket', [{ fields: { subject: 'x' }, customProperties: { type: 'Nonsense' } }]);
		expect((invalid as any).error).toMatchObject({ status: 400, field: 'type', message: 'EspoCRM rejected the value of "type" (valid)' });
		const [notAnOption] = await p.createRecords('lead', [{ fields: { lastName: 'S', status: 'Hot' } }]);
		expect((notAnOption as any).error).toMatchObject({ status: 400, field: 'status' });
	});

	test('a wrong API key is a 401 that names what to check', async () => {
		const credentials = { siteUrl: espo.baseUrl, authMethod: 'apiKey', apiKey: 'wrong-key' };
		const { espocrmProvider } = await import('../../nodes/shared/providers/espocrm/EspoCrmProvider');
		const { espoSend } = await import('../sandbox/espocrm/testing');
		const p = espocrmProvider.create({ send: espoSend(credentials), credentials, credentialKey: 'wrong', transportOverrides: { retry: { baseDelayMs: 1 } } });
		const error = await p.listUsers().then(
			() => undefined,
			(e) => e,
		);
		expect(error).toMatchObject({ status: 401 });
		expect(error.message).toMatch(/^EspoCRM rejected the credentials: wrong API key/);
		expect(error.hint).toMatch(/API key/);
	});
});

describe('authentication methods', () => {
	test.each(['apiKey', 'hmac', 'basic'] as const)('%s signs every request the way EspoCRM checks it', async (auth) => {
		const p = espoProvider(espo, auth);
		const lead = ok((await p.createRecords('lead', [{ fields: { lastName: 'Auth' } }]))[0] as any) as Lead;
		await p.getRecords('lead', [lead.id]);
		await p.updateRecords('lead', [{ id: lead.id, fields: { status: 'In Process' } }]);
		expect(espo.requests.map((r) => [r.status, r.auth])).toEqual(espo.requests.map(() => [200, auth === 'basic' ? 'password' : auth]));
	});
});

describe('reports', () => {
	test('deals stream with their stage history from the stream; tickets with closed / first response / reopened', async () => {
		let now = Date.parse('2026-03-02T09:00:00Z');
		espo.setClock(() => now);
		const deal = espo.createRecord('Opportunity', { name: 'H', amount: 5, closeDate: '2026-04-01' });
		now += 3_600_000;
		espo.updateRecord('Opportunity', deal.id, { stage: 'Proposal' });
		now += 86_400_000;
		espo.updateRecord('Opportunity', deal.id, { stage: 'Closed Won' });
		const ticket = espo.createRecord('Case', { name: 'T', assignedUserId: 'u-ben' });
		now += 600_000;
		espo.postNote('Case', ticket.id, 'customer adds info', { userId: 'u-portal' });
		now += 600_000;
		espo.postNote('Case', ticket.id, 'internal', { userId: 'u-ben', isInternal: true });
		now += 600_000;
		espo.postNote('Case', ticket.id, 'we are on it', { userId: 'u-ben' });
		now += 3_600_000;
		espo.updateRecord('Case', ticket.id, { status: 'Closed' });
		now += 3_600_000;
		espo.updateRecord('Case', ticket.id, { status: 'Assigned' });
		now += 3_600_000;
		espo.updateRecord('Case', ticket.id, { status: 'Closed' });

		const p = espoProvider(espo);
		const [deals] = await collectPages(p.streamRecords('deal', { stageHistory: true }));
		expect((deals as Deal).stageHistory).toEqual([
			{ stageId: 'Prospecting', enteredAt: Date.parse('2026-03-02T09:00:00Z') },
			{ stageId: 'Proposal', enteredAt: Date.parse('2026-03-02T10:00:00Z') },
			{ stageId: 'Closed Won', enteredAt: Date.parse('2026-03-03T10:00:00Z') },
		]);
		const [tickets] = await collectPages(p.streamRecords('ticket', {}));
		expect(tickets).toMatchObject({
			openedAt: '2026-03-03T10:00:00.000Z',
			firstResponseAt: '2026-03-03T10:30:00.000Z',
			closedAt: '2026-03-03T13:30:00.000Z',
			reopened: 1,
		});
		expect(callsTo(espo, 'GET', `/Case/${ticket.id}/stream`)[0].query).toEqual({ offset: '0', maxSize: '200' });
	});
});

describe('the credential\'s Test button', () => {
	/** What n8n's credentials tester does: the credential's test request through a RoutingNode, signed by authenticate(). */
	async function testCredential(data: Record<string, string>) {
		const credential = new CrmEspoCrmApi();
		const nodeType: INodeType = {
			description: {
				displayName: 'Temp', name: 'temp', group: ['transform'], version: 1, description: '', defaults: { name: 'Temp' }, inputs: ['main'], outputs: ['main'],
				credentials: [{ name: 'crmEspoCrmApi', required: true }],
				properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: credential.test.request }, default: '' }],
			},
		};
		const node: INode = { id: 'temp', name: 'Temp-Node', type: 'temp', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { crmEspoCrmApi: { id: 'c', name: 'c' } } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as any });
		const additionalData = { credentialsHelper: new TestCredentialsHelper({ crmEspoCrmApi: data }), variables: {}, executionId: 'cred-test', currentNodeExecutionIndex: 0 } as unknown as IWorkflowExecuteAdditionalData;
		const context = new ExecuteContext(workflow, node, additionalData, 'internal', { resultData: { runData: {} } } as any, 0, [], { main: [[{ json: {} }]] }, { node, data: {}, source: null }, []);
		return new RoutingNode(context, nodeType, { id: 'c', name: 'c', type: 'crmEspoCrmApi', data } as any).runNode();
	}

	test.each(['apiKey', 'hmac', 'basic'] as const)('%s: GET App/user answers the signed-in user', async (auth) => {
		const credentials = espoCredentials(espo, auth);
		const response = await testCredential({ ...credentials, siteUrl: `${credentials.siteUrl}/` });
		expect((response![0][0].json as any).user.userName).toBe(auth === 'apiKey' ? 'n8n-api' : auth === 'hmac' ? 'n8n-hmac' : 'admin');
		expect(espo.requests.map((r) => [r.method, r.path, r.status])).toEqual([['GET', '/api/v1/App/user', 200]]);
	});

	test('a Site URL given with /api/v1/ reaches App/user (not /api/v1/api/v1/App/user)', async () => {
		const credentials = espoCredentials(espo, 'apiKey');
		for (const siteUrl of [`${credentials.siteUrl}/api/v1/`, `${credentials.siteUrl}/api/v1`, ` ${credentials.siteUrl}/api/v1/ `]) {
			const response = await testCredential({ ...credentials, siteUrl });
			expect((response![0][0].json as any).user.userName).toBe('n8n-api');
		}
		expect(espo.requests.map((r) => [r.path, r.status])).toEqual(Array(3).fill(['/api/v1/App/user', 200]));
	});

	test('wrong secret: the test fails with EspoCRM\'s 401', async () => {
		await expect(testCredential({ ...espoCredentials(espo, 'hmac'), secretKey: 'wrong' })).rejects.toMatchObject({ httpCode: '401' });
	});
});
