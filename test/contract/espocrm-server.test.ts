/* eslint-disable */
// The local EspoCRM sandbox itself: auth methods, list parameters, records, stream, mass update,
// lead conversion, email, webhooks (signature, batching, retries), errors, faults and controls —
// checked against EspoCRM's documented behaviour (sources in test/sandbox/espocrm/*.js).
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { startEspoCrmServer } from '../sandbox/espocrm/server';
import type { FakeEspoCrm } from '../sandbox/espocrm';
import { useEspoSandbox } from '../sandbox/espocrm/testing';

const box = useEspoSandbox({ checkSchemas: false });
let espo: FakeEspoCrm;
beforeEach(() => {
	espo = box.espo;
});

type Auth = 'apiKey' | 'hmac' | 'basic' | 'espo' | 'none' | { apiKey: string } | Record<string, string>;

function authHeaders(auth: Auth, method: string, resource: string): Record<string, string> {
	if (auth === 'none') return {};
	if (auth === 'apiKey') return { 'X-Api-Key': 'test-api-key' };
	if (auth === 'hmac') {
		const hash = crypto.createHmac('sha256', 'test-hmac-secret').update(`${method} ${resource}`).digest('hex');
		return { 'X-Hmac-Authorization': Buffer.from(`test-hmac-key:${hash}`).toString('base64') };
	}
	if (auth === 'basic') return { Authorization: `Basic ${Buffer.from('admin:sandbox-admin-password').toString('base64')}` };
	if (auth === 'espo') return { 'Espo-Authorization': Buffer.from('admin:sandbox-admin-password').toString('base64') };
	return auth as Record<string, string>;
}

async function api(method: string, resource: string, options: { auth?: Auth; body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {}) {
	const url = new URL(`${espo.baseUrl}/api/v1${resource}`);
	for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
	const response = await fetch(url, {
		method,
		headers: { ...authHeaders(options.auth ?? 'apiKey', method, resource), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	let body: any = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {}
	return { status: response.status, reason: response.headers.get('x-status-reason'), body };
}
const list = (entityType: string, searchParams: unknown, extra: Parameters<typeof api>[2] = {}) =>
	api('GET', `/${entityType}`, { ...extra, query: { searchParams: JSON.stringify(searchParams) } });

describe('authentication', () => {
	test('API key, HMAC (method + path, hex), Espo-Authorization and Basic sign in; anything else is 401 without a body', async () => {
		for (const auth of ['apiKey', 'hmac', 'basic', 'espo'] as const) {
			const { status, body } = await api('GET', '/App/user', { auth });
			expect([auth, status, body.user.userName]).toEqual([auth, 200, auth === 'apiKey' ? 'n8n-api' : auth === 'hmac' ? 'n8n-hmac' : 'admin']);
		}
		expect(espo.requests.map((r) => r.auth)).toEqual(['apiKey', 'hmac', 'password', 'password']);
		const wrongSignature = Buffer.from(`test-hmac-key:${crypto.createHmac('sha256', 'test-hmac-secret').update('GET /Lead').digest('hex')}`).toString('base64');
		expect(await api('GET', '/App/user', { auth: { 'X-Hmac-Authorization': wrongSignature } })).toMatchObject({ status: 401, body: undefined });
		expect((await api('GET', '/App/user', { auth: { 'X-Api-Key': 'nope' } })).status).toBe(401);
		expect((await api('GET', '/App/user', { auth: 'none' })).status).toBe(401);
		expect((await api('GET', '/App/user', { auth: { 'Espo-Authorization': Buffer.from('ana:guess').toString('base64') } })).status).toBe(401);
	});

	test('App/user answers any signed-in user with the user and the access table', async () => {
		espo.setRole('n8n-api', { scopes: { Lead: { create: 'no' } } });
		const { body } = await api('GET', '/App/user');
		expect(body.user).toMatchObject({ id: 'u-api', type: 'api' });
		expect(body.user.apiKey).toBeUndefined();
		expect(body.acl.table.Lead).toMatchObject({ create: 'no', read: 'yes' });
	});
});

describe('lists', () => {
	beforeEach(() => {
		let now = Date.parse('2026-05-01T10:00:00Z');
		espo.setClock(() => now);
		for (const [name, status, source] of [
			['A', 'New', 'Call'],
			['B', 'Assigned', 'Email'],
			['C', 'New', 'Call'],
			['D', 'Dead', ''],
		]) {
			espo.createRecord('Lead', { lastName: name, status, source, emailAddress: `${name.toLowerCase()}@x.example` });
			if (name !== 'A') now += 1000;
		}
	});

	test('searchParams JSON: where, select (id always), orderBy with id as tie-breaker, offset, maxSize, total', async () => {
		const { status, body } = await list('Lead', {
			where: [{ type: 'or', value: [{ type: 'equals', attribute: 'status', value: 'new' }, { type: 'equals', attribute: 'source', value: 'Email' }] }],
			select: ['lastName', 'createdAt'],
			orderBy: 'createdAt',
			order: 'desc',
			offset: 1,
			maxSize: 2,
		});
		expect(status).toBe(200);
		expect(body.total).toBe(3);
		expect(body.list.map((l: any) => Object.keys(l).sort())).toEqual([['createdAt', 'id', 'lastName'], ['createdAt', 'id', 'lastName']]);
		// A and B share a second: ordered by id in the same (descending) direction.
		expect(body.list.map((l: any) => l.lastName)).toEqual(['B', 'A']);
	});

	test('separate parameters (where[0][type]=…) work too', async () => {
		const url = `/Lead?where[0][type]=in&where[0][attribute]=status&where[0][value][]=Dead&where[0][value][]=Assigned&select=lastName&orderBy=lastName&order=asc`;
		const response = await fetch(`${espo.baseUrl}/api/v1${url}`, { headers: { 'X-Api-Key': 'test-api-key' } });
		const body: any = await response.json();
		expect(body.list.map((l: any) => l.lastName)).toEqual(['B', 'D']);
		expect(espo.violations).toEqual([]);
	});

	test('where types: comparisons, emailAddress over every address, null checks; X-No-Total gives -1 / -2', async () => {
		const ids = (r: any) => r.body.list.map((l: any) => l.lastName).sort();
		expect(ids(await list('Lead', { where: [{ type: 'greaterThan', attribute: 'createdAt', value: '2026-05-01 10:00:00' }] }))).toEqual(['C', 'D']);
		expect(ids(await list('Lead', { where: [{ type: 'lessThanOrEquals', attribute: 'createdAt', value: '2026-05-01 10:00:01' }] }))).toEqual(['A', 'B', 'C']);
		expect(ids(await list('Lead', { where: [{ type: 'in', attribute: 'emailAddress', value: ['C@X.example'] }] }))).toEqual(['C']);
		expect(ids(await list('Lead', { where: [{ type: 'isNull', attribute: 'assignedUserId' }, { type: 'notIn', attribute: 'status', value: ['New'] }] }))).toEqual(['B', 'D']);
		expect(ids(await list('Lead', { where: [{ type: 'contains', attribute: 'lastName', value: 'c' }] }))).toEqual(['C']);
		expect((await list('Lead', { maxSize: 2 }, { headers: { 'X-No-Total': 'true' } })).body.total).toBe(-1);
		expect((await list('Lead', { maxSize: 5 }, { headers: { 'X-No-Total': 'true' } })).body.total).toBe(-2);
	});

	test('maxSize above 200 is a 403 with EspoCRM\'s reason; unknown attributes and parameters are violations', async () => {
		expect(await list('Lead', { maxSize: 201 })).toMatchObject({ status: 403, reason: 'Max size should not exceed 200. Use offset and limit.' });
		expect(await list('Lead', { where: [{ type: 'equals', attribute: 'nope', value: 1 }] })).toMatchObject({ status: 400, reason: "Not existing attribute 'nope' in where." });
		expect((await list('Lead', { where: [{ type: 'equals', value: 1 }] })).status).toBe(400);
		expect((await list('Lead', { where: [{ type: 'sortOf', attribute: 'status' }] })).status).toBe(400);
		expect((await api('GET', '/Lead', { query: { searchParams: '{', } })).reason).toBe('Invalid search params JSON.');
		expect((await api('GET', '/Lead', { query: { limit: '5' } })).status).toBe(400);
		expect(espo.violations).toEqual([
			'GET /Lead: maxSize 201 exceeds 200',
			'GET /Lead: where "nope" is not an attribute of Lead',
			'GET /Lead: where[0].attribute is required for type equals',
			'GET /Lead: where[0].type must be one of and, or, not, subQueryNotIn, subQueryIn, expression, in, notIn, equals, notEquals, on, notOn, like, notLike, startsWith, endsWith, contains, notContains, greaterThan, lessThan, greaterThanOrEquals, lessThanOrEquals, after, before, between, ever, any, none, isNull, isNotNull, isTrue, isFalse, today, past, future, lastSevenDays, lastXDays, nextXDays, olderThanXDays, afterXDays, currentMonth, nextMonth, lastMonth, currentQuarter, lastQuarter, currentYear, lastYear, currentFiscalYear, lastFiscalYear, currentFiscalQuarter, lastFiscalQuarter, arrayAnyOf, arrayNoneOf, arrayAllOf, arrayIsEmpty, arrayIsNotEmpty, linkedWith, notLinkedWith, linkedWithAll, isLinked, isNotLinked (got "sortOf")',
			'GET /Lead: query parameter limit is not a list parameter',
		]);
	});

	test('primary filters: open / won / lost by stage probability, actual and overdue tasks (a Deferred task is still overdue)', async () => {
		espo.setClock(() => Date.parse('2026-05-02T12:00:00Z'));
		for (const stage of ['Proposal', 'Closed Won', 'Closed Lost']) espo.createRecord('Opportunity', { name: stage, amount: 1, closeDate: '2026-06-01', stage });
		for (const [name, status, dateEnd] of [
			['late', 'Started', '2026-05-01 10:00:00'],
			['deferred', 'Deferred', '2026-05-01 10:00:00'],
			['done', 'Completed', '2026-05-01 10:00:00'],
			['future', 'Not Started', '2026-05-03 10:00:00'],
		]) espo.createRecord('Task', { name, status, dateEnd, assignedUserId: 'u-ana' });
		const names = async (entity: string, primaryFilter: string) => (await list(entity, { primaryFilter, select: ['name'] })).body.list.map((r: any) => r.name).sort();
		expect(await names('Opportunity', 'open')).toEqual(['Proposal']);
		expect(await names('Opportunity', 'won')).toEqual(['Closed Won']);
		expect(await names('Task', 'overdue')).toEqual(['deferred', 'late']);
		expect(await names('Task', 'actual')).toEqual(['future', 'late']);
		expect((await list('Task', { primaryFilter: 'someday' })).status).toBe(400);
	});

	test('the role decides: no read access is a 403; "own" read level shows own records only', async () => {
		espo.setRole('n8n-api', { scopes: { Lead: { read: 'no' } } });
		expect(await list('Lead', {})).toMatchObject({ status: 403, reason: 'No read access.' });
		espo.setRole('n8n-api', { scopes: { Lead: { read: 'own' } } });
		espo.createRecord('Lead', { lastName: 'Mine', assignedUserId: 'u-api' }, { skipChecks: true });
		expect((await list('Lead', {})).body.list.map((l: any) => l.lastName)).toEqual(['Mine']);
	});
});

describe('records', () => {
	test('create applies defaults and EspoCRM\'s hooks; read, update (PUT and PATCH), delete', async () => {
		const created = await api('POST', '/Opportunity', { body: { name: 'Deal', amount: 100, closeDate: '2026-06-30', stage: 'Proposal', assignedUserId: 'u-ana' } });
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ amountCurrency: 'USD', probability: 50, lastStage: 'Proposal', assignedUserName: 'Ana Alvarez', createdById: 'u-api' });
		expect(created.body.id).toMatch(/^[0-9a-f]{17}$/);
		const id = created.body.id;
		expect((await api('GET', `/Opportunity/${id}`)).body.name).toBe('Deal');
		expect((await api('PUT', `/Opportunity/${id}`, { body: { stage: 'Closed Lost' } })).body).toMatchObject({ stage: 'Closed Lost', probability: 0, lastStage: 'Proposal' });
		expect((await api('PATCH', `/Opportunity/${id}`, { body: { probability: 5 } })).body.probability).toBe(5);
		expect(await api('DELETE', `/Opportunity/${id}`)).toMatchObject({ status: 200, body: true });
		expect((await api('GET', `/Opportunity/${id}`)).status).toBe(404);

		const ticket = await api('POST', '/Case', { body: { name: 'One' } });
		const second = await api('POST', '/Case', { body: { name: 'Two' } });
		// EspoCRM's create answer has no Case number (confirmed on 9.1.7); a read has it.
		expect([ticket.body.number, ticket.body.status, ticket.body.priority]).toEqual([undefined, 'New', 'Normal']);
		expect([(await api('GET', `/Case/${ticket.body.id}`)).body.number, (await api('GET', `/Case/${second.body.id}`)).body.number]).toEqual([1, 2]);
		const task = await api('POST', '/Task', { body: { name: 'T', assignedUserId: 'u-ben' } });
		const done = await api('PUT', `/Task/${task.body.id}`, { body: { status: 'Completed' } });
		expect(done.body.dateCompleted).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect((await api('PUT', `/Task/${task.body.id}`, { body: { status: 'Started' } })).body.dateCompleted).toBeNull();
		expect(espo.violations).toEqual([]);
	});

	test('validation: 400 with X-Status-Reason and a messageTranslation body; duplicates 409 unless skipped', async () => {
		const missing = await api('POST', '/Opportunity', { body: { name: 'No amount', closeDate: '2026-01-01' } });
		expect(missing).toMatchObject({
			status: 400,
			reason: 'Field validation failure; entityType: Opportunity, field: amount, type: required.',
			body: { messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'amount', type: 'required' } } },
		});
		expect((await api('POST', '/Lead', { body: { lastName: 'X', status: 'Hot' } })).body.messageTranslation.data).toEqual({ field: 'status', type: 'valid' });
		expect((await api('POST', '/Task', { body: { name: 'X', assignedUserId: 'nobody' } })).reason).toBe("Record linked by 'assignedUserId' does not exist: User nobody.");
		await api('POST', '/Contact', { body: { lastName: 'First', emailAddress: 'same@x.example' } });
		const duplicate = await api('POST', '/Contact', { body: { lastName: 'Second', emailAddress: 'SAME@x.example' } });
		expect(duplicate).toMatchObject({ status: 409, reason: 'duplicate' });
		expect(duplicate.body[0]).toMatchObject({ name: 'First', emailAddress: 'same@x.example' });
		expect((await api('POST', '/Contact', { body: { lastName: 'Second', emailAddress: 'same@x.example' }, headers: { 'X-Skip-Duplicate-Check': 'true' } })).status).toBe(200);
		expect(espo.violations).toEqual([]);
	});

	test('undocumented attributes, read-only attributes and wrong types are violations (400)', async () => {
		expect((await api('POST', '/Lead', { body: { lastName: 'X', lifecycleStage: 'lead' } })).status).toBe(400);
		expect((await api('POST', '/Lead', { body: { lastName: 'X', createdAt: '2026-01-01 00:00:00' } })).status).toBe(400);
		expect((await api('POST', '/Opportunity', { body: { name: 'X', amount: '10', closeDate: '2026-01-01' } })).status).toBe(400);
		expect((await api('POST', '/Task', { body: { name: 'X', assignedUserId: 'u-ana', dateEnd: '2026-01-01T10:00:00Z' } })).status).toBe(400);
		expect(espo.violations).toEqual([
			'POST /Lead: body.lifecycleStage is not an attribute of Lead',
			'POST /Lead: body.createdAt is read-only on Lead',
			'POST /Opportunity: body.amount must be a number (got string)',
			'POST /Task: body.dateEnd must be a UTC datetime "YYYY-MM-DD HH:mm:ss" (got "2026-01-01T10:00:00Z")',
		]);
		espo.defineAttribute('Lead', 'cRegion');
		expect((await api('POST', '/Lead', { body: { lastName: 'X', cRegion: 'EMEA' } })).body.cRegion).toBe('EMEA');
	});

	test('email addresses: primary plus others, each with its opted-out flag', async () => {
		const { body } = await api('POST', '/Contact', {
			body: { lastName: 'Multi', emailAddressData: [{ emailAddress: 'a@x.example', primary: true, optOut: true }, { emailAddress: 'b@x.example', primary: false }] },
		});
		expect(body).toMatchObject({ emailAddress: 'a@x.example', emailAddressIsOptedOut: true });
		const updated = await api('PUT', `/Contact/${body.id}`, { body: { emailAddress: 'b@x.example' } });
		expect(updated.body).toMatchObject({ emailAddress: 'b@x.example', emailAddressIsOptedOut: false });
		expect((await list('Contact', { where: [{ type: 'equals', attribute: 'emailAddress', value: 'a@x.example' }] })).body.total).toBe(0);
	});
});

describe('metadata, settings, users', () => {
	test('Metadata with and without key; a scope the role cannot read is left out', async () => {
		expect((await api('GET', '/Metadata', { query: { key: 'entityDefs.Case.fields.status.notActualOptions' } })).body).toEqual(['Closed', 'Rejected', 'Duplicate']);
		expect((await api('GET', '/Metadata', { query: { key: 'entityDefs.Case.fields.nope' } })).body).toBeNull();
		espo.setRole('n8n-api', { scopes: { Case: { read: 'no' } } });
		const all = (await api('GET', '/Metadata')).body;
		expect(all.entityDefs.Case).toBeUndefined();
		expect(all.scopes.Opportunity.statusField).toBe('stage');
	});

	test('Settings and the User list (read-only for API users)', async () => {
		expect((await api('GET', '/Settings')).body).toMatchObject({ defaultCurrency: 'USD', outboundEmailFromAddress: 'crm@example.com' });
		// An API user (not an admin) sees no inactive and no API users.
		const inactive = await list('User', { where: [{ type: 'equals', attribute: 'isActive', value: false }], select: ['userName'] });
		expect(inactive.body.list).toEqual([]);
		expect((await list('User', { select: ['userName', 'type'] })).body.list.every((u: any) => ['regular', 'admin', 'portal'].includes(u.type))).toBe(true);
		expect((await api('GET', '/User/u-eve')).status).toBe(403);
		expect((await api('POST', '/User', { body: { lastName: 'X' } })).status).toBe(403);
	});
});

describe('stream', () => {
	test('Create, Update (audited fields: was/became) and Status notes, posts, EmailSent; newest first', async () => {
		let now = Date.parse('2026-05-01T10:00:00Z');
		espo.setClock(() => now);
		const ticket = espo.createRecord('Case', { name: 'S', assignedUserId: 'u-ben' });
		now += 1000;
		espo.updateRecord('Case', ticket.id, { status: 'Assigned', priority: 'High', description: 'not audited' });
		now += 1000;
		espo.updateRecord('Case', ticket.id, { description: 'still not audited' });
		const posted = await api('POST', '/Note', { body: { type: 'Post', parentType: 'Case', parentId: ticket.id, post: 'hello' } });
		expect(posted.body).toMatchObject({ type: 'Post', post: 'hello', createdById: 'u-api' });
		const { body } = await api('GET', `/Case/${ticket.id}/stream`, { query: { offset: '0', maxSize: '10' } });
		expect(body.total).toBe(4);
		// The status field is never in an Update note: its change is a Status note with the new value only.
		expect(body.list.map((n: any) => [n.type, n.data])).toEqual([
			['Post', {}],
			['Status', { field: 'status', value: 'Assigned', style: 'default' }],
			['Update', { fields: ['priority'], attributes: { was: { priority: 'Normal' }, became: { priority: 'High' } } }],
			['Create', { assignedUserId: 'u-ben', assignedUserName: 'Ben Baker', statusValue: 'New', statusField: 'status', statusStyle: 'default' }],
		]);
		expect((await api('GET', `/Case/${ticket.id}/stream`, { query: { offset: '1', maxSize: '1' } })).body.list.map((n: any) => n.type)).toEqual(['Status']);
		expect((await api('GET', `/Case/${ticket.id}/stream`, { query: { maxSize: '500' } })).status).toBe(403);
		expect((await api('GET', `/Case/${ticket.id}/stream`, { query: { after: 'x' } })).status).toBe(400);
		expect((await api('GET', '/Case/missing0000000000/stream')).status).toBe(404);
	});
});

describe('mass update and lead conversion', () => {
	test('POST MassAction updates the records it may, answers {count, ids}; needs the Mass Update permission', async () => {
		const a = espo.createRecord('Lead', { lastName: 'A' });
		const b = espo.createRecord('Lead', { lastName: 'B' });
		const body = { entityType: 'Lead', action: 'update', params: { ids: [a.id, b.id, 'missing'] }, data: { values: { status: 'In Process' } } };
		expect((await api('POST', '/MassAction', { body })).body).toEqual({ count: 2, ids: [a.id, b.id] });
		expect(espo.getRecord('Lead', b.id)!.status).toBe('In Process');
		expect((await api('POST', '/MassAction', { body: { ...body, data: { values: { status: 'Hot' } } } })).body).toEqual({ count: 0, ids: [] });
		espo.setRole('n8n-api', { massUpdate: 'no' });
		expect(await api('POST', '/MassAction', { body })).toMatchObject({ status: 403, reason: 'No mass-update permission.' });
		expect((await api('POST', '/MassAction', { body: { ...body, data: { status: 'x' } } })).status).toBe(400);
	});

	test('Lead/action/getConvertAttributes pre-fills; Lead/action/convert creates and links the records', async () => {
		const lead = espo.createRecord('Lead', { firstName: 'C', lastName: 'Onvert', accountName: 'Conv Inc', emailAddress: 'c@conv.example', opportunityAmount: 50, source: 'Partner' });
		const prefill = (await api('POST', '/Lead/action/getConvertAttributes', { body: { id: lead.id } })).body;
		expect(prefill.Account).toMatchObject({ name: 'Conv Inc' });
		expect(prefill.Contact).toMatchObject({ firstName: 'C', lastName: 'Onvert', emailAddress: 'c@conv.example' });
		expect(prefill.Opportunity).toMatchObject({ amount: 50, leadSource: 'Partner', amountCurrency: 'USD' });
		const converted = await api('POST', '/Lead/action/convert', {
			body: { id: lead.id, records: { Account: prefill.Account, Contact: prefill.Contact, Opportunity: { ...prefill.Opportunity, name: 'Conv deal', closeDate: '2026-09-01' } } },
		});
		expect(converted.body).toMatchObject({ status: 'Converted', createdAccountId: expect.any(String) });
		const stored = espo.getRecord('Lead', lead.id)!;
		expect(espo.getRecord('Contact', stored.createdContactId)!.accountId).toBe(stored.createdAccountId);
		expect(espo.getRecord('Opportunity', stored.createdOpportunityId)!.contactsIds).toEqual([stored.createdContactId]);
		expect(stored.convertedAt).toBeTruthy();
		expect(espo.violations).toEqual([]);
	});
});

describe('email', () => {
	test('Sending goes through "SMTP" of the From address\'s group account; Archived is only stored; other From addresses are refused', async () => {
		const contact = espo.createRecord('Contact', { lastName: 'E', emailAddress: 'e@x.example' });
		const sent = await api('POST', '/Email', {
			body: { name: 'Hi', subject: 'Hi', from: 'crm@example.com', to: 'e@x.example;f@x.example', body: '<p>Hi</p>', isHtml: true, status: 'Sending', parentType: 'Contact', parentId: contact.id },
		});
		expect(sent.body).toMatchObject({ status: 'Sent', dateSent: expect.any(String) });
		expect(espo.sentEmails).toEqual([expect.objectContaining({ from: 'crm@example.com', to: ['e@x.example', 'f@x.example'], subject: 'Hi', parentId: contact.id })]);
		expect(espo.notesOf('Contact', contact.id).map((n) => n.type)).toEqual(['Create', 'EmailSent']);
		await api('POST', '/Email', { body: { name: 'Group', from: 'support@example.com', to: 'e@x.example', status: 'Sending' } });
		expect(espo.sentEmails).toHaveLength(2);
		const archived = await api('POST', '/Email', { body: { name: 'Log', from: 'crm@example.com', to: 'e@x.example', dateSent: '2026-01-01 10:00:00' } });
		expect(archived.body.status).toBe('Archived');
		expect(espo.sentEmails).toHaveLength(2);
		// EspoCRM 9.1: From an address without a group email account, not even an archived email is accepted.
		for (const status of ['Archived', 'Sending']) {
			expect(await api('POST', '/Email', { body: { name: 'X', from: 'me@anywhere.example', to: 'e@x.example', status } })).toMatchObject({
				status: 403,
				reason: "Not allowed 'from' address.",
			});
		}
		expect((await api('POST', '/Email', { body: { name: 'X', from: 'crm@example.com', to: 'not-an-address', status: 'Archived' } })).status).toBe(400);
	});
});

describe('webhooks', () => {
	let receiver: http.Server;
	let receiverUrl: string;
	let answers: number[];
	const received: Array<{ headers: http.IncomingHttpHeaders; raw: string }> = [];
	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(answers.shift() ?? 200);
				res.end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as any).port}/hook`;
	});
	afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
	beforeEach(() => {
		received.length = 0;
		answers = [];
	});

	test('POST Webhook answers id and secretKey; DELETE removes it; needs the Webhooks scope', async () => {
		const created = await api('POST', '/Webhook', { body: { event: 'Lead.create', url: receiverUrl } });
		expect(created.body).toMatchObject({ event: 'Lead.create', url: receiverUrl, isActive: true, userId: 'u-api', entityType: 'Lead', type: 'create' });
		expect(created.body.secretKey).toMatch(/^[0-9a-f]{32}$/);
		expect((await api('GET', `/Webhook/${created.body.id}`)).body.id).toBe(created.body.id);
		expect(await api('DELETE', `/Webhook/${created.body.id}`)).toMatchObject({ status: 200, body: true });
		expect((await api('DELETE', `/Webhook/${created.body.id}`)).status).toBe(404);
		expect((await api('POST', '/Webhook', { body: { event: 'Lead.explode', url: receiverUrl } })).status).toBe(400);
		espo.setRole('n8n-api', { scopes: { Webhook: { create: 'no' } } });
		expect(await api('POST', '/Webhook', { body: { event: 'Lead.create', url: receiverUrl } })).toMatchObject({ status: 403, reason: "No access to 'Webhook'." });
	});

	test('deliveries: signed ("Signature" = base64(id:hex HMAC of the payload)), batched, PHP-style JSON', async () => {
		const { body: hook } = await api('POST', '/Webhook', { body: { event: 'Case.fieldUpdate.status', url: receiverUrl } });
		const { body: all } = await api('POST', '/Webhook', { body: { event: 'Case.update', url: receiverUrl } });
		const ticket = espo.createRecord('Case', { name: 'W/1' });
		espo.updateRecord('Case', ticket.id, { status: 'Assigned' });
		espo.updateRecord('Case', ticket.id, { name: 'W/2' });
		espo.updateRecord('Case', ticket.id, { status: 'Pending' });
		const sent = await espo.processWebhookQueue();
		// Webhooks in the order of their oldest pending item (the update event is queued first).
		expect(sent.map((s) => [s.webhookId, s.count, s.code])).toEqual([
			[all.id, 3, 200],
			[hook.id, 2, 200],
		]);
		const statusDelivery = received.find((r) => JSON.parse(r.raw).length === 2)!;
		expect(JSON.parse(statusDelivery.raw)).toEqual([
			{ id: ticket.id, status: 'Assigned' },
			{ id: ticket.id, status: 'Pending' },
		]);
		const hex = crypto.createHmac('sha256', hook.secretKey).update(statusDelivery.raw).digest('hex');
		expect(statusDelivery.headers.signature).toBe(Buffer.from(`${hook.id}:${hex}`).toString('base64'));
		expect(statusDelivery.headers['x-signature']).toBeTruthy();
		expect(statusDelivery.headers['content-type']).toBe('application/json');
		const updates = received.find((r) => r !== statusDelivery)!;
		expect(updates.raw).toContain('"name":"W\\/2"');
		expect(JSON.parse(updates.raw)[1]).toEqual({ id: ticket.id, name: 'W/2' });
		expect(await espo.processWebhookQueue()).toEqual([]);
	});

	test('errors: 401/5xx retried up to 4 attempts 10 minutes apart; 410 removes the webhook; skipOwn', async () => {
		let now = Date.parse('2026-05-01T10:00:00Z');
		espo.setClock(() => now);
		await api('POST', '/Webhook', { body: { event: 'Lead.create', url: receiverUrl } });
		espo.createRecord('Lead', { lastName: 'Retry' });
		answers = [401, 500, 503, 401];
		for (let i = 0; i < 6; i++) {
			await espo.processWebhookQueue();
			now += 10 * 60_000;
		}
		expect(received).toHaveLength(4);
		expect(espo.webhookQueueItems()[0]).toMatchObject({ status: 'Failed', attempts: 4 });

		const gone = await api('POST', '/Webhook', { body: { event: 'Contact.create', url: receiverUrl } });
		espo.createRecord('Contact', { lastName: 'Gone' });
		answers = [410];
		await espo.processWebhookQueue();
		expect(espo.listWebhooks().map((w) => w.id)).not.toContain(gone.body.id);

		await api('POST', '/Webhook', { body: { event: 'Account.create', url: receiverUrl, skipOwn: true } });
		received.length = 0;
		await api('POST', '/Account', { body: { name: 'Own' } });
		espo.createRecord('Account', { name: 'Someone else' }, { userId: 'u-ana' });
		await espo.processWebhookQueue();
		expect(received.map((r) => JSON.parse(r.raw).map((a: any) => a.name))).toEqual([['Someone else']]);
	});

	test('no webhook, no queue: events are queued only while a webhook for them exists', async () => {
		espo.createRecord('Lead', { lastName: 'Before' });
		await api('POST', '/Webhook', { body: { event: 'Lead.create', url: receiverUrl } });
		espo.createRecord('Lead', { lastName: 'After' });
		await espo.processWebhookQueue();
		expect(received.map((r) => JSON.parse(r.raw).map((l: any) => l.lastName))).toEqual([['After']]);
	});
});

describe('sandbox controls', () => {
	test('faults, clock, request log, demo data and reset over the control endpoints', async () => {
		const control = (method: string, route: string, body?: unknown) =>
			fetch(`${espo.baseUrl}/__sandbox/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
		await control('POST', 'fault', { method: 'GET', pathPrefix: '/Lead', status: 503, headers: { 'X-Status-Reason': 'maintenance' }, times: 1 });
		expect(await list('Lead', {})).toMatchObject({ status: 503, reason: 'maintenance' });
		expect((await list('Lead', {})).status).toBe(200);
		expect(await control('POST', 'clock', { now: '2026-01-02T03:04:05Z', advanceMs: 1000 })).toEqual({ now: '2026-01-02 03:04:06' });
		expect((await api('POST', '/Lead', { body: { lastName: 'Clocked' } })).body.createdAt).toBe('2026-01-02 03:04:06');
		const counts = await control('POST', 'demo-data');
		expect(counts).toEqual({ accounts: 12, contacts: 12, leads: 10, opportunities: 16, cases: 12, tasks: 14 });
		expect(espo.listRecords('Opportunity').some((o) => o.stage === 'Closed Won')).toBe(true);
		const log = await control('GET', 'requests');
		expect(log.map((r: any) => [r.method, r.path, r.status])).toEqual([
			['GET', '/api/v1/Lead', 503],
			['GET', '/api/v1/Lead', 200],
			['POST', '/api/v1/Lead', 200],
		]);
		await control('POST', 'example-process');
		expect(espo.metadata.entityDefs.Opportunity.fields.stage.options).toContain('Contract sent');
		await control('POST', 'reset', {});
		expect(espo.metadata.entityDefs.Opportunity.fields.stage.options).not.toContain('Contract sent');
		expect(espo.listRecords('Lead')).toEqual([]);
		expect(await control('GET', 'emails')).toEqual([]);
	});

	test('a dropped connection, and the request log file', async () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'espo-')), 'requests.jsonl');
		const logged = await startEspoCrmServer({ port: 0, requestLog: file });
		try {
			await fetch(`${logged.baseUrl}/api/v1/App/user`, { headers: { 'X-Api-Key': 'test-api-key' } });
			logged.fault({ drop: true, status: 0 });
			await expect(fetch(`${logged.baseUrl}/api/v1/App/user`, { headers: { 'X-Api-Key': 'test-api-key' } })).rejects.toThrow();
			expect(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).status)).toEqual([200]);
		} finally {
			await logged.stop();
		}
	});

	test('the CLI starts a sandbox with demo data on the given port', async () => {
		const child = spawn(process.execPath, ['test/sandbox/espocrm/server.js', '--port', '0', '--demo-data'], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			const line = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (d) => resolve(String(d)));
				child.on('exit', () => reject(new Error('exited')));
			});
			const url = /listening on (http:\/\/[^ ]+)/.exec(line)![1];
			const response = await fetch(`${url}/api/v1/Opportunity?searchParams=${encodeURIComponent(JSON.stringify({ maxSize: 1 }))}`, { headers: { 'X-Api-Key': 'test-api-key' } });
			expect(((await response.json()) as any).total).toBe(16);
		} finally {
			child.kill('SIGTERM');
		}
	});
});
