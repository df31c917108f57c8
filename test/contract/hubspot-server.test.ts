/* eslint-disable */
// Tests of the local HubSpot sandbox itself (test/sandbox/hubspot): request-schema checks,
// HubSpot response shapes (batch 201/207, errors, search), rate limits, faults and the request log.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startHubSpotServer } from '../sandbox/hubspot/server';
import type { FakeHubSpot } from '../sandbox/hubspot';

let hubspot: FakeHubSpot;

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: any;
}

async function api(
	method: string,
	urlPath: string,
	body?: unknown,
	options: { token?: string | null; server?: FakeHubSpot } = {},
): Promise<Answer> {
	const server = options.server ?? hubspot;
	const token = options.token === undefined ? server.token : options.token;
	const response = await fetch(`${server.baseUrl}${urlPath}`, {
		method,
		headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	const headers: Record<string, string> = {};
	response.headers.forEach((v, k) => (headers[k] = v));
	return { status: response.status, headers, body: text ? JSON.parse(text) : undefined };
}

const contactAssoc = (id: string, typeId: number) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
	hubspot = await startHubSpotServer({ port: 0 });
});
afterAll(() => hubspot.stop());
beforeEach(() => hubspot.reset());

describe('auth and errors', () => {
	test('a missing or wrong token is 401 INVALID_AUTHENTICATION with a correlation id', async () => {
		for (const token of [null, 'wrong']) {
			const answer = await api('GET', '/account-info/v3/details', undefined, { token });
			expect(answer.status).toBe(401);
			expect(answer.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
			expect(answer.body.message).toMatch(/^Authentication credentials not found/);
			expect(answer.body.correlationId).toMatch(UUID);
			expect(answer.headers['x-hubspot-correlation-id']).toBe(answer.body.correlationId);
		}
		expect(hubspot.requests.map((r) => r.status)).toEqual([401, 401]);
		expect(hubspot.requests[1].authorization).toBe('Bearer wrong');
	});

	test('an unknown path is 404 in the HubSpot error shape and recorded as a violation', async () => {
		const answer = await api('GET', '/crm/v3/nothing-here');
		expect(answer.status).toBe(404);
		expect(answer.body).toMatchObject({ status: 'error', correlationId: expect.stringMatching(UUID) });
		expect(hubspot.violations).toEqual(['GET /crm/v3/nothing-here: no documented endpoint GET /crm/v3/nothing-here']);
	});

	test('a missing record is 404 OBJECT_NOT_FOUND (not a violation)', async () => {
		const answer = await api('GET', '/crm/v3/objects/deals/424242');
		expect(answer.status).toBe(404);
		expect(answer.body.category).toBe('OBJECT_NOT_FOUND');
		expect(hubspot.violations).toEqual([]);
	});
});

describe('schema checks', () => {
	test('non-string property values are violations: 400, nothing written, recorded per request', async () => {
		const answer = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'X', amount: 12 } });
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
		expect(answer.body.message).toBe('Request did not match the documented schema: body.properties.amount must be a string (got number)');
		expect(hubspot.violations).toEqual(['POST /crm/v3/objects/deals: body.properties.amount must be a string (got number)']);
		expect(hubspot.requests[0].violations).toEqual(['body.properties.amount must be a string (got number)']);
		expect(hubspot.listObjects('deals')).toHaveLength(0);
	});

	test('batches over 100 inputs, unknown body keys and undocumented query parameters are violations', async () => {
		const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `b${i}@x.io` } }));
		expect((await api('POST', '/crm/v3/objects/contacts/batch/create', { inputs })).status).toBe(400);
		expect((await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: '1' }], properties: [] })).status).toBe(400);
		expect((await api('POST', '/crm/v3/objects/contacts', { properties: {}, extra: true })).status).toBe(400);
		expect((await api('GET', '/crm/v3/objects/contacts?limit=101')).status).toBe(400);
		expect((await api('GET', '/crm/v3/objects/contacts?foo=1')).status).toBe(400);
		expect((await api('GET', '/crm/v3/objects/widgets')).status).toBe(400);
		expect(hubspot.violations).toEqual([
			'POST /crm/v3/objects/contacts/batch/create: body.inputs has 101 items; at most 100 are allowed',
			'POST /crm/v3/objects/contacts/batch/read: body.propertiesWithHistory is required',
			'POST /crm/v3/objects/contacts: body.extra is not a documented field',
			'GET /crm/v3/objects/contacts: query limit must be ≤ 100 (got 101)',
			'GET /crm/v3/objects/contacts: query foo is not a documented parameter',
			'GET /crm/v3/objects/widgets: path {objectType} "widgets" is not a supported object type',
		]);
		expect(hubspot.listObjects('contacts')).toHaveLength(0);
	});

	test('association specs must carry an integer type id and a known category', async () => {
		const contact = hubspot.createObject('contacts', { email: 'a@x.io' });
		const answer = await api('POST', '/crm/v3/objects/notes', {
			properties: { hs_timestamp: '2024-05-01T10:00:00Z' },
			associations: [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT', associationTypeId: '202' }] }],
		});
		expect(answer.status).toBe(400);
		expect(hubspot.violations).toEqual([
			'POST /crm/v3/objects/notes: body.associations[0].types[0].associationCategory must be one of HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED, WORK (got "HUBSPOT")',
			'POST /crm/v3/objects/notes: body.associations[0].types[0].associationTypeId must be an integer (got string)',
		]);
	});

	test('search caps: 5 filter groups, 10 filters per group, 25 in total, limit ≤ 200', async () => {
		const f = { propertyName: 'email', operator: 'HAS_PROPERTY' };
		const groups = (n: number, per: number) => Array.from({ length: n }, () => ({ filters: Array(per).fill(f) }));
		expect((await api('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups(6, 1) })).status).toBe(400);
		expect((await api('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups(1, 11) })).status).toBe(400);
		expect((await api('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups(3, 9) })).status).toBe(400);
		expect((await api('POST', '/crm/v3/objects/contacts/search', { limit: 201 })).status).toBe(400);
		expect((await api('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups(5, 5), limit: 200 })).status).toBe(200);
		expect(hubspot.violations).toEqual([
			'POST /crm/v3/objects/contacts/search: body.filterGroups has 6 groups; at most 5 are allowed',
			'POST /crm/v3/objects/contacts/search: body.filterGroups[0] has 11 filters; at most 10 per group are allowed',
			'POST /crm/v3/objects/contacts/search: body.filterGroups has 27 filters in total; at most 25 are allowed',
			'POST /crm/v3/objects/contacts/search: body.limit must be ≤ 200 (got 201)',
		]);
	});

	test('invalid JSON is a violation', async () => {
		expect((await api('POST', '/crm/v3/objects/contacts', '{"properties":')).status).toBe(400);
		expect(hubspot.violations).toEqual(['POST /crm/v3/objects/contacts: body is not valid JSON']);
	});
});

describe('objects', () => {
	test('create answers 201 with string properties, ids and HubSpot timestamps', async () => {
		hubspot.setClock(() => Date.parse('2025-03-01T12:00:00.000Z'));
		const answer = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'Jo@Acme.com', firstname: 'Jo' } });
		hubspot.setClock(() => Date.now());
		expect(answer.status).toBe(201);
		expect(answer.body).toMatchObject({
			id: expect.stringMatching(/^\d+$/),
			createdAt: '2025-03-01T12:00:00.000Z',
			updatedAt: '2025-03-01T12:00:00.000Z',
			archived: false,
			properties: { email: 'jo@acme.com', firstname: 'Jo', createdate: '2025-03-01T12:00:00.000Z', lastmodifieddate: '2025-03-01T12:00:00.000Z' },
		});
		expect(answer.body.properties.hs_object_id).toBe(answer.body.id);
		const second = hubspot.createObject('deals', { dealname: 'D' });
		expect(Number(second.id)).toBeGreaterThan(Number(answer.body.id));
		expect(second.properties).toMatchObject({ createdate: expect.any(String), hs_lastmodifieddate: expect.any(String) });
	});

	test('GET returns requested properties (null when unset, unknown ones dropped), associations and idProperty=email', async () => {
		const company = hubspot.createObject('companies', { name: 'Acme' });
		const contact = hubspot.createObject('contacts', { email: 'x@acme.com' }, { associations: [{ toType: 'companies', toId: company.id, typeId: 279 }] });
		const answer = await api('GET', `/crm/v3/objects/contacts/x@acme.com?idProperty=email&properties=email,phone,nope&associations=companies`);
		expect(answer.status).toBe(200);
		expect(answer.body.id).toBe(contact.id);
		expect(answer.body.properties).toEqual({
			email: 'x@acme.com',
			phone: null,
			hs_object_id: contact.id,
			createdate: contact.createdAt,
			lastmodifieddate: contact.updatedAt,
		});
		expect(answer.body.associations).toEqual({ companies: { results: [{ id: company.id, type: 'contact_to_company' }] } });
		expect(hubspot.associations('companies', company.id, 'contacts')).toEqual([contact.id]);
	});

	test('list pages with limit/after', async () => {
		for (let i = 0; i < 5; i++) hubspot.createObject('companies', { name: `C${i}` });
		const first = await api('GET', '/crm/v3/objects/companies?limit=2&properties=name');
		expect(first.body.results.map((r: any) => r.properties.name)).toEqual(['C0', 'C1']);
		expect(first.body.paging.next.after).toBe('2');
		const last = await api('GET', '/crm/v3/objects/companies?limit=2&after=4');
		expect(last.body.results).toHaveLength(1);
		expect(last.body.paging).toBeUndefined();
	});

	test('unknown and read-only properties are 400 PROPERTY_DOESNT_EXIST / READ_ONLY_VALUE', async () => {
		const answer = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@b.io', shoe_size: '42', hs_email_optout: 'true' } });
		expect(answer.status).toBe(400);
		expect(answer.body.category).toBe('VALIDATION_ERROR');
		expect(answer.body.message).toMatch(/^Property values were not valid: /);
		expect(answer.body.errors).toEqual([
			{ message: 'Property "shoe_size" does not exist', code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['shoe_size'] } },
			{ message: 'hs_email_optout is a read only property; its value cannot be set.', code: 'READ_ONLY_VALUE', context: { propertyName: ['hs_email_optout'] } },
		]);
		expect(hubspot.violations).toEqual([]); // a HubSpot-level error, not a schema violation
		expect(hubspot.listObjects('contacts')).toHaveLength(0);
		expect((await api('PATCH', '/crm/v3/objects/deals/1', { properties: { hs_is_closed_won: 'true' } })).status).toBe(404);
		const deal = hubspot.createObject('deals', { dealname: 'D', dealstage: 'qualifiedtobuy' });
		const ro = await api('PATCH', `/crm/v3/objects/deals/${deal.id}`, { properties: { hs_is_closed_won: 'true' } });
		expect(ro.body.errors[0].code).toBe('READ_ONLY_VALUE');
	});

	test('enumeration options, emails and dates are validated', async () => {
		const bad = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'not-an-email', hs_lead_status: 'HOT' } });
		expect(bad.status).toBe(400);
		expect(bad.body.errors.map((e: any) => e.code)).toEqual(['INVALID_EMAIL', 'INVALID_OPTION']);
		const task = await api('POST', '/crm/v3/objects/tasks', { properties: { hs_timestamp: 'tomorrow', hs_task_priority: 'URGENT' } });
		expect(task.body.errors.map((e: any) => [e.code, e.context.propertyName[0]])).toEqual([
			['INVALID_DATE', 'hs_timestamp'],
			['INVALID_OPTION', 'hs_task_priority'],
		]);
	});

	test('a duplicate contact email is 409 CONFLICT', async () => {
		hubspot.createObject('contacts', { email: 'dup@x.io' });
		const answer = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'DUP@x.io' } });
		expect(answer.status).toBe(409);
		expect(answer.body).toMatchObject({ category: 'CONFLICT', message: expect.stringMatching(/^Contact already exists/) });
	});
});

describe('batch endpoints', () => {
	test('batch/create answers 201 COMPLETE and echoes objectWriteTraceId', async () => {
		const answer = await api('POST', '/crm/v3/objects/companies/batch/create', {
			inputs: [
				{ properties: { name: 'A' }, objectWriteTraceId: 't1' },
				{ properties: { name: 'B' }, associations: [], objectWriteTraceId: 't2' },
			],
		});
		expect(answer.status).toBe(201);
		expect(answer.body).toMatchObject({ status: 'COMPLETE', startedAt: expect.any(String), completedAt: expect.any(String) });
		expect(answer.body.results.map((r: any) => [r.objectWriteTraceId, r.properties.name])).toEqual([
			['t1', 'A'],
			['t2', 'B'],
		]);
	});

	test('one invalid input fails the whole batch with 400 and nothing is written', async () => {
		const answer = await api('POST', '/crm/v3/objects/deals/batch/create', {
			inputs: [{ properties: { dealname: 'ok' } }, { properties: { dealname: 'bad', no_such_property: 'x' } }],
		});
		expect(answer.status).toBe(400);
		expect(answer.body.errors[0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['no_such_property'] } });
		expect(hubspot.listObjects('deals')).toHaveLength(0);
	});

	test('batch/update: unknown ids give 207 with errors[].context.ids while found ones are updated', async () => {
		const deal = hubspot.createObject('deals', { dealname: 'D', pipeline: 'default', dealstage: 'appointmentscheduled' });
		const answer = await api('POST', '/crm/v3/objects/deals/batch/update', {
			inputs: [
				{ id: deal.id, properties: { amount: '50' } },
				{ id: '99999', properties: { amount: '1' } },
			],
		});
		expect(answer.status).toBe(207);
		expect(answer.body).toMatchObject({
			status: 'COMPLETE',
			numErrors: 1,
			errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: expect.any(String), context: { ids: ['99999'] } }],
		});
		expect(answer.body.results.map((r: any) => [r.id, r.properties.amount])).toEqual([[deal.id, '50']]);
		expect(hubspot.getObject('deals', deal.id).properties.amount).toBe('50');
		const dupes = await api('POST', '/crm/v3/objects/deals/batch/update', {
			inputs: [
				{ id: deal.id, properties: { amount: '1' } },
				{ id: deal.id, properties: { amount: '2' } },
			],
		});
		expect(dupes.status).toBe(400);
	});

	test('batch/read: 200 when all found, 207 for missing ids; only requested properties', async () => {
		const a = hubspot.createObject('contacts', { email: 'a@x.io', firstname: 'A' });
		const ok = await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: a.id }], properties: ['firstname'], propertiesWithHistory: [] });
		expect(ok.status).toBe(200);
		expect(ok.body.results[0].properties).toEqual({ firstname: 'A', hs_object_id: a.id, createdate: a.createdAt, lastmodifieddate: a.updatedAt });
		const partial = await api('POST', '/crm/v3/objects/contacts/batch/read', {
			inputs: [{ id: a.id }, { id: '777' }],
			properties: [],
			propertiesWithHistory: ['firstname'],
		});
		expect(partial.status).toBe(207);
		expect(partial.body.errors[0]).toMatchObject({
			category: 'OBJECT_NOT_FOUND',
			message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
			context: { ids: ['777'] },
		});
		expect(partial.body.results[0].propertiesWithHistory.firstname[0]).toMatchObject({ value: 'A' });
	});

	test('batch/upsert by email creates or updates and says which (new: true|false)', async () => {
		const existing = hubspot.createObject('contacts', { email: 'old@x.io', firstname: 'Old' });
		const answer = await api('POST', '/crm/v3/objects/contacts/batch/upsert', {
			inputs: [
				{ id: 'OLD@x.io', idProperty: 'email', properties: { firstname: 'Renamed' } },
				{ id: 'new@x.io', idProperty: 'email', properties: { firstname: 'New' } },
			],
		});
		expect(answer.status).toBe(200);
		expect(answer.body.results.map((r: any) => [r.properties.email, r.new])).toEqual([
			['old@x.io', false],
			['new@x.io', true],
		]);
		expect(answer.body.results[0].id).toBe(existing.id);
		expect(hubspot.getObject('contacts', existing.id).properties.firstname).toBe('Renamed');
		const missingIdProperty = await api('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ id: 'z@x.io', properties: {} }] });
		expect(missingIdProperty.status).toBe(400);
		expect(hubspot.violations).toEqual(['POST /crm/v3/objects/contacts/batch/upsert: body.inputs[0].idProperty is required']);
	});
});

describe('object rules', () => {
	test('deals: closed/won/probability from stage metadata, stage dates on every change, stage must be in the pipeline', async () => {
		let now = Date.parse('2025-01-01T00:00:00.000Z');
		hubspot.setClock(() => now);
		const created = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'D', pipeline: 'default', dealstage: 'contractsent' } });
		expect(created.body.properties).toMatchObject({
			hs_is_closed: 'false',
			hs_is_closed_won: 'false',
			hs_deal_stage_probability: '0.9',
			hs_date_entered_contractsent: '2025-01-01T00:00:00.000Z',
			hs_v2_date_entered_current_stage: '2025-01-01T00:00:00.000Z',
		});
		now += 60_000;
		const won = await api('PATCH', `/crm/v3/objects/deals/${created.body.id}`, { properties: { dealstage: 'closedwon' } });
		expect(won.body.properties).toMatchObject({
			hs_is_closed: 'true',
			hs_is_closed_won: 'true',
			hs_deal_stage_probability: '1.0',
			hs_date_entered_closedwon: '2025-01-01T00:01:00.000Z',
			hs_date_exited_contractsent: '2025-01-01T00:01:00.000Z',
			hs_v2_date_entered_current_stage: '2025-01-01T00:01:00.000Z',
		});
		const lost = await api('PATCH', `/crm/v3/objects/deals/${created.body.id}`, { properties: { dealstage: 'closedlost' } });
		expect(lost.body.properties).toMatchObject({ hs_is_closed: 'true', hs_is_closed_won: 'false', hs_deal_stage_probability: '0.0' });
		hubspot.setClock(() => Date.now());

		const wrong = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'R', pipeline: '1001', dealstage: 'closedwon' } });
		expect(wrong.status).toBe(400);
		expect(wrong.body.errors[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['dealstage'] } });
		const renewals = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'R', pipeline: '1001', dealstage: '2003' } });
		expect(renewals.body.properties).toMatchObject({ hs_is_closed_won: 'true' });
	});

	test('tickets: hs_pipeline_stage required; closed_date set when moved to a CLOSED stage', async () => {
		const missing = await api('POST', '/crm/v3/objects/tickets', { properties: { subject: 'Help' } });
		expect(missing.status).toBe(400);
		expect(missing.body.errors[0].context.propertyName).toEqual(['hs_pipeline_stage']);
		const ticket = await api('POST', '/crm/v3/objects/tickets', { properties: { subject: 'Help', hs_pipeline_stage: '1' } });
		expect(ticket.body.properties).toMatchObject({ hs_pipeline: '0', hs_pipeline_stage: '1' });
		expect(ticket.body.properties.closed_date).toBeUndefined();
		const closed = await api('PATCH', `/crm/v3/objects/tickets/${ticket.body.id}`, { properties: { hs_pipeline_stage: '4' } });
		expect(closed.body.properties.closed_date).toEqual(expect.any(String));
	});

	test('engagements: hs_timestamp required; communications channel + logged_from; task enums', async () => {
		for (const type of ['tasks', 'notes', 'emails', 'communications']) {
			const answer = await api('POST', `/crm/v3/objects/${type}`, { properties: {} });
			expect(answer.status).toBe(400);
			expect(answer.body.errors.map((e: any) => e.context.propertyName[0])).toContain('hs_timestamp');
		}
		const ts = '1735732800000';
		const comm = await api('POST', '/crm/v3/objects/communications', {
			properties: { hs_timestamp: ts, hs_communication_channel_type: 'EMAIL', hs_communication_logged_from: 'APP' },
		});
		expect(comm.body.errors.map((e: any) => [e.code, e.context.propertyName[0]])).toEqual([
			['INVALID_OPTION', 'hs_communication_channel_type'],
			['INVALID_OPTION', 'hs_communication_logged_from'],
		]);
		const sms = await api('POST', '/crm/v3/objects/communications', {
			properties: { hs_timestamp: ts, hs_communication_channel_type: 'SMS', hs_communication_logged_from: 'CRM', hs_communication_body: 'hi' },
		});
		expect(sms.status).toBe(201);
		expect(sms.body.properties.hs_timestamp).toBe('2025-01-01T12:00:00.000Z'); // ms in, ISO out
		const task = await api('POST', '/crm/v3/objects/tasks', { properties: { hs_timestamp: ts, hs_task_subject: 'Call' } });
		expect(task.body.properties.hs_task_status).toBe('NOT_STARTED');
		expect((await api('POST', '/crm/v3/objects/tasks', { properties: { hs_timestamp: ts, hs_task_status: 'DONE' } })).status).toBe(400);
	});

	test('emails: hs_email_headers populate the read-only from/to properties', async () => {
		const answer = await api('POST', '/crm/v3/objects/emails', {
			properties: {
				hs_timestamp: '2025-01-01T00:00:00Z',
				hs_email_direction: 'EMAIL',
				hs_email_headers: JSON.stringify({ from: { email: 'me@x.io' }, to: [{ email: 'you@y.io', firstName: 'You' }], cc: [], bcc: [] }),
			},
		});
		expect(answer.body.properties).toMatchObject({ hs_email_from_email: 'me@x.io', hs_email_to_email: 'you@y.io', hs_email_to_firstname: 'You' });
	});

	test('leads: hs_lead_name and a 578 association to an existing contact are required; defaults to the lead pipeline', async () => {
		const contact = hubspot.createObject('contacts', { email: 'l@x.io' });
		const noName = await api('POST', '/crm/v3/objects/leads', { properties: {}, associations: [contactAssoc(contact.id, 578)] });
		expect(noName.body.errors[0].context.propertyName).toEqual(['hs_lead_name']);
		const noContact = await api('POST', '/crm/v3/objects/leads', { properties: { hs_lead_name: 'L' } });
		expect(noContact.status).toBe(400);
		expect(noContact.body.message).toMatch(/associated with an existing contact/);
		const ghost = await api('POST', '/crm/v3/objects/leads', { properties: { hs_lead_name: 'L' }, associations: [contactAssoc('31337', 578)] });
		expect(ghost.status).toBe(400);
		const lead = await api('POST', '/crm/v3/objects/leads', { properties: { hs_lead_name: 'L' }, associations: [contactAssoc(contact.id, 578)] });
		expect(lead.status).toBe(201);
		expect(lead.body.properties).toMatchObject({ hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id' });
		expect(hubspot.associations('leads', lead.body.id, 'contacts')).toEqual([contact.id]);
		expect(hubspot.associations('contacts', contact.id, 'leads')).toEqual([lead.body.id]);
		const bad = await api('PATCH', `/crm/v3/objects/leads/${lead.body.id}`, { properties: { hs_pipeline_stage: 'closedwon' } });
		expect(bad.status).toBe(400);
	});

	test('association type ids are checked against the default table for the (from, to) pair', async () => {
		const contact = hubspot.createObject('contacts', { email: 'a@x.io' });
		const wrong = await api('POST', '/crm/v3/objects/tasks', {
			properties: { hs_timestamp: '2025-01-01T00:00:00Z' },
			associations: [contactAssoc(contact.id, 202)], // 202 is note → contact
		});
		expect(wrong.status).toBe(400);
		const right = await api('POST', '/crm/v3/objects/tasks', { properties: { hs_timestamp: '2025-01-01T00:00:00Z' }, associations: [contactAssoc(contact.id, 204)] });
		expect(right.status).toBe(201);
		expect(hubspot.associations('contacts', contact.id, 'tasks')).toEqual([right.body.id]);
	});
});

describe('associations v4', () => {
	test('batch/read lists associated ids with type ids; records without associations are omitted', async () => {
		const contact = hubspot.createObject('contacts', { email: 'a@x.io' });
		const lonely = hubspot.createObject('contacts', { email: 'b@x.io' });
		const note = hubspot.createObject('notes', { hs_timestamp: '2025-01-01T00:00:00Z' }, { associations: [{ toType: 'contacts', toId: contact.id, typeId: 202 }] });
		const answer = await api('POST', '/crm/v4/associations/notes/contacts/batch/read', { inputs: [{ id: note.id }] });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			status: 'COMPLETE',
			results: [{ from: { id: note.id }, to: [{ toObjectId: contact.id, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 202, label: null }] }] }],
		});
		const reverse = await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact.id }, { id: lonely.id }] });
		expect(reverse.body.results).toEqual([
			{ from: { id: contact.id }, to: [{ toObjectId: note.id, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 201, label: null }] }] },
		]);
		const tooMany = Array.from({ length: 1001 }, (_, i) => ({ id: String(i) }));
		expect((await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: tooMany })).status).toBe(400);
	});

	test('PUT …/associations/default/… creates the default association both ways', async () => {
		const deal = hubspot.createObject('deals', { dealname: 'D' });
		const contact = hubspot.createObject('contacts', { email: 'a@x.io' });
		const answer = await api('PUT', `/crm/v4/objects/deals/${deal.id}/associations/default/contacts/${contact.id}`);
		expect(answer.status).toBe(200);
		expect(answer.body.results[0]).toEqual({
			from: { id: deal.id },
			to: { id: contact.id },
			associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
		});
		expect(hubspot.associations('contacts', contact.id, 'deals')).toEqual([deal.id]);
		expect((await api('PUT', `/crm/v4/objects/deals/${deal.id}/associations/default/contacts/555`)).status).toBe(404);
	});
});

describe('search', () => {
	const search = (type: string, body: any) => api('POST', `/crm/v3/objects/${type}/search`, body);

	test('operators, OR-ed groups, default properties and numeric hs_object_id sort', async () => {
		const mk = (email: string, extra: Record<string, string> = {}) => hubspot.createObject('contacts', { email, ...extra }).id;
		const ids = [mk('ann@acme.com', { firstname: 'Ann', lifecyclestage: 'lead' }), mk('bob@globex.com', { firstname: 'Bob', lifecyclestage: 'customer' })];
		for (let i = 0; i < 10; i++) ids.push(mk(`p${i}@bulk.io`));
		const eq = await search('contacts', { filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'ann' }] }] });
		expect(eq.body.total).toBe(1);
		expect(Object.keys(eq.body.results[0].properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
		expect(eq.body.results[0]).toMatchObject({ id: ids[0], archived: false, createdAt: expect.any(String), updatedAt: expect.any(String) });
		expect(eq.body.results[0].associations).toBeUndefined();

		const or = await search('contacts', {
			filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }, { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*globex*' }] }],
			properties: ['email'],
		});
		expect(or.body.results.map((r: any) => r.properties.email)).toEqual(['ann@acme.com', 'bob@globex.com']);
		expect(Object.keys(or.body.results[0].properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);

		const has = await search('contacts', { filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'NOT_HAS_PROPERTY' }] }], limit: 100 });
		expect(has.body.total).toBe(10);
		const notIn = await search('contacts', { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'NOT_IN', values: ['customer'] }] }] });
		expect(notIn.body.total).toBe(11); // records without a value match NEQ / NOT_IN
		const gt = await search('contacts', {
			filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: ids[8] }] }],
			sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }],
		});
		expect(gt.body.results.map((r: any) => r.id)).toEqual([ids[11], ids[10], ids[9]]);
		const text = await search('contacts', { query: 'GLOBEX' });
		expect(text.body.results.map((r: any) => r.id)).toEqual([ids[1]]);
	});

	test('ids compare numerically (999 < 1000), datetimes compare as epoch ms or ISO', async () => {
		hubspot.createObject('tasks', { hs_timestamp: '2025-01-01T00:00:00Z' }, { id: '999' });
		hubspot.createObject('tasks', { hs_timestamp: '2025-06-01T00:00:00Z' }, { id: '1000' });
		const sorted = await search('tasks', { sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] });
		expect(sorted.body.results.map((r: any) => r.id)).toEqual(['999', '1000']);
		const byMs = await search('tasks', { filterGroups: [{ filters: [{ propertyName: 'hs_timestamp', operator: 'GTE', value: String(Date.parse('2025-03-01T00:00:00Z')) }] }] });
		expect(byMs.body.results.map((r: any) => r.id)).toEqual(['1000']);
		const between = await search('tasks', {
			filterGroups: [{ filters: [{ propertyName: 'hs_timestamp', operator: 'BETWEEN', value: '2024-12-31T00:00:00Z', highValue: '2025-02-01' }] }],
		});
		expect(between.body.results.map((r: any) => r.id)).toEqual(['999']);
	});

	test('paging: after is the numeric offset; paging past 10,000 results is 400', async () => {
		for (let i = 0; i < 5; i++) hubspot.createObject('companies', { name: `C${i}` });
		const first = await search('companies', { limit: 2 });
		expect(first.body).toMatchObject({ total: 5, paging: { next: { after: '2' } } });
		const last = await search('companies', { limit: 2, after: '4' });
		expect(last.body.results).toHaveLength(1);
		expect(last.body.paging).toBeUndefined();
		const capped = await search('companies', { limit: 100, after: '10000' });
		expect(capped.status).toBe(400);
		expect(capped.body.category).toBe('VALIDATION_ERROR');
		expect(hubspot.violations).toEqual([]);
		const unknown = await search('companies', { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] });
		expect(unknown.status).toBe(400);
	});
});

describe('rate limits', () => {
	test('sliding window per token with X-HubSpot-RateLimit-* headers; 429 body; search has its own limit and no headers', async () => {
		const limited = await startHubSpotServer({ port: 0, rateLimit: { max: 2, windowMs: 10_000 }, searchRateLimit: { max: 1, windowMs: 1_000 } });
		let now = 1_000_000;
		limited.setClock(() => now);
		try {
			const a = await api('GET', '/crm/v3/owners', undefined, { server: limited });
			expect(a.headers['x-hubspot-ratelimit-max']).toBe('2');
			expect(a.headers['x-hubspot-ratelimit-remaining']).toBe('1');
			expect(a.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
			await api('GET', '/crm/v3/owners', undefined, { server: limited });
			const c = await api('GET', '/crm/v3/owners', undefined, { server: limited });
			expect(c.status).toBe(429);
			expect(c.body).toEqual({
				status: 'error',
				message: 'You have reached your ten_secondly_rolling limit.',
				errorType: 'RATE_LIMIT',
				correlationId: expect.stringMatching(UUID),
				policyName: 'TEN_SECONDLY_ROLLING',
			});
			expect(c.headers['x-hubspot-ratelimit-remaining']).toBe('0');

			const s1 = await api('POST', '/crm/v3/objects/contacts/search', {}, { server: limited });
			expect(s1.status).toBe(200);
			expect(s1.headers['x-hubspot-ratelimit-max']).toBeUndefined();
			const s2 = await api('POST', '/crm/v3/objects/contacts/search', {}, { server: limited });
			expect(s2.status).toBe(429);
			expect(s2.headers['x-hubspot-ratelimit-max']).toBeUndefined();

			now += 10_001; // both windows have slid past
			expect((await api('GET', '/crm/v3/owners', undefined, { server: limited })).status).toBe(200);
			expect((await api('POST', '/crm/v3/objects/contacts/search', {}, { server: limited })).status).toBe(200);
		} finally {
			await limited.stop();
		}
	});
});

describe('faults', () => {
	test('faults match method + path prefix in order, for `times` requests, with body and headers', async () => {
		hubspot.fault({ method: 'GET', pathPrefix: '/crm/v3/owners', status: 503, times: 2, headers: { 'retry-after': '1' } });
		hubspot.fault({ pathPrefix: '/crm/v3/pipelines', status: 429, body: { status: 'error', message: 'custom', correlationId: 'c-1', errorType: 'RATE_LIMIT' } });
		const first = await api('GET', '/crm/v3/owners');
		expect(first.status).toBe(503);
		expect(first.headers['retry-after']).toBe('1');
		expect(first.body).toMatchObject({ status: 'error', correlationId: expect.stringMatching(UUID) });
		expect((await api('GET', '/crm/v3/owners')).status).toBe(503);
		expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
		const pipelines = await api('GET', '/crm/v3/pipelines/deals');
		expect(pipelines).toMatchObject({ status: 429, body: { message: 'custom', correlationId: 'c-1' } });
		expect(pipelines.headers['x-hubspot-correlation-id']).toBe('c-1');
		expect((await api('GET', '/crm/v3/pipelines/deals')).status).toBe(200);
		expect(hubspot.requests.map((r) => r.status)).toEqual([503, 503, 200, 429, 200]);
	});

	test('drop destroys the socket; delayMs delays the answer', async () => {
		hubspot.fault({ pathPrefix: '/account-info', status: 0, drop: true });
		await expect(api('GET', '/account-info/v3/details')).rejects.toThrow();
		expect(hubspot.requests[0].status).toBe(0);
		hubspot.fault({ pathPrefix: '/account-info', status: 500, delayMs: 150 });
		const started = Date.now();
		expect((await api('GET', '/account-info/v3/details')).status).toBe(500);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});

describe('reference data', () => {
	test('account details, owners (paging, email filter, archived), pipelines and properties', async () => {
		const account = await api('GET', '/account-info/v3/details');
		expect(account.body).toMatchObject({ portalId: expect.any(Number), timeZone: expect.any(String), companyCurrency: 'USD', uiDomain: 'app.hubspot.com' });

		const owners = await api('GET', '/crm/v3/owners?limit=2&archived=false');
		expect(owners.body.results.map((o: any) => o.email)).toEqual(['ana@example.com', 'ben@example.com']);
		expect(owners.body.results[0]).toMatchObject({ id: expect.any(String), userId: expect.any(Number), type: 'PERSON', archived: false, firstName: 'Ana' });
		const rest = await api('GET', `/crm/v3/owners?limit=2&after=${owners.body.paging.next.after}`);
		expect(rest.body.results.map((o: any) => o.email)).toEqual(['cleo@example.com', 'dan@example.com']);
		expect(rest.body.paging).toBeUndefined();
		expect((await api('GET', '/crm/v3/owners?email=BEN@example.com')).body.results).toHaveLength(1);
		expect((await api('GET', '/crm/v3/owners?archived=true')).body.results.map((o: any) => o.email)).toEqual(['eve@example.com']);

		const deals = await api('GET', '/crm/v3/pipelines/deals');
		const sales = deals.body.results.find((p: any) => p.id === 'default');
		expect(sales.label).toBe('Sales Pipeline');
		expect(sales.stages.find((s: any) => s.id === 'closedwon').metadata).toEqual({ probability: '1.0', isClosed: 'true' });
		expect(sales.stages.find((s: any) => s.id === 'contractsent')).toMatchObject({ label: 'Contract sent', metadata: { probability: '0.9', isClosed: 'false' } });
		expect(deals.body.results.map((p: any) => p.id)).toEqual(['default', '1001']);
		const tickets = await api('GET', '/crm/v3/pipelines/tickets');
		expect(tickets.body.results[0].stages.map((s: any) => [s.id, s.metadata.ticketState])).toEqual([
			['1', 'OPEN'],
			['2', 'OPEN'],
			['3', 'OPEN'],
			['4', 'CLOSED'],
		]);
		const leads = await api('GET', '/crm/v3/pipelines/leads');
		expect(leads.body.results[0].id).toBe('lead-pipeline-id');
		expect(leads.body.results[0].stages.map((s: any) => s.id)).toEqual(['new-stage-id', 'attempting-stage-id', 'connected-stage-id', 'qualified-stage-id', 'unqualified-stage-id']);
		expect((await api('GET', '/crm/v3/pipelines/contacts')).status).toBe(400);

		const status = await api('GET', '/crm/v3/properties/contacts/hs_lead_status');
		expect(status.body).toMatchObject({ name: 'hs_lead_status', type: 'enumeration', modificationMetadata: { readOnlyValue: false } });
		expect(status.body.options.map((o: any) => o.value)).toEqual(['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']);
		expect(status.body.options[0]).toEqual({ label: 'New', value: 'NEW', displayOrder: 0, hidden: false, description: '' });
		const lifecycle = await api('GET', '/crm/v3/properties/contacts/lifecyclestage');
		expect(lifecycle.body.options.map((o: any) => o.value)).toContain('salesqualifiedlead');
		const optout = await api('GET', '/crm/v3/properties/contacts/hs_email_optout');
		expect(optout.body.modificationMetadata.readOnlyValue).toBe(true);
		expect((await api('GET', '/crm/v3/properties/contacts/nope')).status).toBe(404);
	});
});

describe('transactional single-send', () => {
	test('answers PENDING with a statusId; a repeated sendId is IDEMPOTENT_IGNORE and not sent again', async () => {
		const body = { emailId: 4242, message: { to: 'a@x.io', sendId: 'k-1' }, customProperties: { subject: 'Hi' } };
		const first = await api('POST', '/marketing/v3/transactional/single-email/send', body);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ statusId: expect.stringMatching(UUID), status: 'PENDING', requestedAt: expect.any(String) });
		const again = await api('POST', '/marketing/v3/transactional/single-email/send', body);
		expect(again.body).toEqual({ ...first.body, sendResult: 'IDEMPOTENT_IGNORE' });
		expect(hubspot.sentEmails).toHaveLength(1);
		expect(hubspot.sentEmails[0]).toMatchObject({ emailId: 4242, message: { to: 'a@x.io', sendId: 'k-1' }, customProperties: { subject: 'Hi' } });
	});

	test('emailId must be an integer, message.to is required, unknown keys are violations', async () => {
		expect((await api('POST', '/marketing/v3/transactional/single-email/send', { emailId: '4242', message: { to: 'a@x.io' } })).status).toBe(400);
		expect((await api('POST', '/marketing/v3/transactional/single-email/send', { emailId: 1, message: {} })).status).toBe(400);
		expect((await api('POST', '/marketing/v3/transactional/single-email/send', { emailId: 1, message: { to: 'a@x.io', subject: 'x' } })).status).toBe(400);
		expect(hubspot.violations).toEqual([
			'POST /marketing/v3/transactional/single-email/send: body.emailId must be an integer (got string)',
			'POST /marketing/v3/transactional/single-email/send: body.message.to is required',
			'POST /marketing/v3/transactional/single-email/send: body.message.subject is not a documented field',
		]);
		expect(hubspot.sentEmails).toHaveLength(0);
	});
});

describe('sandbox API', () => {
	test('reset clears records, requests, violations and faults; seed:false starts without owners or pipelines', async () => {
		hubspot.createObject('contacts', { email: 'a@x.io' });
		hubspot.fault({ status: 500 });
		await api('GET', '/nope');
		hubspot.reset();
		expect(hubspot.listObjects('contacts')).toEqual([]);
		expect(hubspot.requests).toEqual([]);
		expect(hubspot.violations).toEqual([]);
		expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
		hubspot.reset(false);
		expect((await api('GET', '/crm/v3/owners')).body.results).toEqual([]);
		expect((await api('GET', '/crm/v3/pipelines/deals')).body.results).toEqual([]);
	});

	test('createObject applies the API rules and throws on invalid input', () => {
		expect(() => hubspot.createObject('deals', { dealname: 'x', dealstage: 'nope' })).toThrow(/dealstage/);
		expect(() => hubspot.createObject('contacts', { email: 'a@x.io', made_up: '1' })).toThrow(/made_up/);
		expect(() => hubspot.createObject('contacts', { email: 3 as any })).toThrow(/string/);
		const deal = hubspot.createObject('deals', { dealname: 'x' }, { id: '5000', createdAt: '2020-01-01T00:00:00Z' });
		expect(deal).toMatchObject({ id: '5000', createdAt: '2020-01-01T00:00:00.000Z', properties: { createdate: '2020-01-01T00:00:00.000Z' } });
		expect(Number(hubspot.createObject('deals', { dealname: 'y' }).id)).toBeGreaterThan(5000);
		hubspot.defineProperty('deals', 'custom_score');
		expect(hubspot.createObject('deals', { dealname: 'z', custom_score: '7' }).properties.custom_score).toBe('7');
	});

	test('the request log has one JSON line per request and never the token', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubspot-log-'));
		const log = path.join(dir, 'requests.jsonl');
		const logged = await startHubSpotServer({ port: 0, requestLog: log, token: 'pat-na1-secret-token' });
		try {
			await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@x.io' } }, { server: logged });
			await api('GET', '/crm/v3/owners?limit=1', undefined, { server: logged, token: 'wrong' });
			const text = fs.readFileSync(log, 'utf8');
			expect(text).not.toContain('pat-na1-secret-token');
			expect(text.toLowerCase()).not.toContain('bearer');
			const lines = text.trim().split('\n').map((l) => JSON.parse(l));
			expect(lines).toEqual([
				{ method: 'POST', path: '/crm/v3/objects/contacts', query: {}, body: { properties: { email: 'a@x.io' } }, status: 201, at: expect.any(Number) },
				{ method: 'GET', path: '/crm/v3/owners', query: { limit: '1' }, status: 401, at: expect.any(Number) },
			]);
		} finally {
			await logged.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
