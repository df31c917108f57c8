/* eslint-disable */
/**
 * Conformance of the local HubSpot sandbox with HubSpot's official Node SDK (@hubspot/api-client,
 * a client generated from HubSpot's published OpenAPI specs, written by nobody here). Every
 * endpoint the package's HubSpot provider calls (nodes/shared/providers/hubspot: objects list,
 * batch create/read/update/upsert, search, pipelines, owners, the hs_lead_status property, v4
 * association batch reads, engagements — notes, tasks, emails, communications — leads, and the
 * transactional single send) is called through the SDK's own methods. The sandbox must accept what
 * the SDK sends (no schema violations recorded) and answer what the SDK parses: every answer is
 * checked against the SDK's model declarations (test/sdk/hubspotModels.ts) and its values are
 * compared with the sandbox's store.
 */
import { Client } from '@hubspot/api-client';

import { startHubSpotServer } from '../sandbox/hubspot/server';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { expectShape, shapeProblems } from './hubspotModels';

let hubspot: FakeHubSpot;
let client: Client;

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as any;
const assoc = (id: string, typeId: number) => ({ to: { id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: typeId }] });

beforeAll(async () => {
	hubspot = await startHubSpotServer({ port: 0 });
	client = new Client({ accessToken: hubspot.token, basePath: hubspot.baseUrl });
});
afterAll(() => hubspot.stop());
beforeEach(() => hubspot.reset());
// What the SDK sent fits the sandbox's request schemas (written from HubSpot's docs).
afterEach(() => expect(hubspot.violations).toEqual([]));

/** A contact made through the SDK (batch create), its id. */
async function newContact(email: string, extra: Record<string, string> = {}): Promise<string> {
	const created = await client.crm.contacts.batchApi.create({ inputs: [{ properties: { email, ...extra }, associations: [] }] });
	return created.results[0].id;
}

describe('the shape checker itself', () => {
	test('reports a missing required attribute, a bad date and an unknown enum value', () => {
		const { SimplePublicObject, BatchResponseSimplePublicObject } = require('@hubspot/api-client/lib/codegen/crm/objects/models/all') as any;
		const object = Object.assign(new SimplePublicObject(), { id: '1', properties: {}, createdAt: new Date('nope') });
		const batch = Object.assign(new BatchResponseSimplePublicObject(), { status: 'DONE', results: [object], startedAt: new Date(), completedAt: new Date() });
		expect(shapeProblems('crm/objects', 'BatchResponseSimplePublicObject', batch)).toEqual([
			'BatchResponseSimplePublicObject.results[0].createdAt is not a valid date (Invalid Date)',
			'BatchResponseSimplePublicObject.results[0].updatedAt is missing (required by the SDK\'s SimplePublicObject)',
			'BatchResponseSimplePublicObject.status is "DONE", not one of PENDING, PROCESSING, CANCELED, COMPLETE',
		]);
	});
});

describe('owners (GET /crm/v3/owners)', () => {
	test('pages of owners parse as CollectionResponsePublicOwnerForwardPaging, following paging.next.after', async () => {
		const first = await client.crm.owners.ownersApi.getPage(undefined, undefined, 2, false);
		expectShape('crm/owners', 'CollectionResponsePublicOwnerForwardPaging', first);
		expect(first.results.map((o) => o.email)).toEqual(['ana@example.com', 'ben@example.com']);
		expect(first.paging?.next?.after).toBeTruthy();
		const rest = await client.crm.owners.ownersApi.getPage(undefined, first.paging!.next!.after, 100, false);
		expectShape('crm/owners', 'CollectionResponsePublicOwnerForwardPaging', rest);
		const active = hubspot.owners.filter((o) => !o.archived);
		expect([...first.results, ...rest.results].map((o) => o.id)).toEqual(active.map((o) => o.id));
		expect(rest.paging).toBeUndefined();
		expect(first.results[0]).toMatchObject({ firstName: 'Ana', lastName: 'Alvarez', type: 'PERSON', archived: false, userId: 9001 });
	});

	test('archived owners only with archived=true', async () => {
		const archived = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, true);
		expectShape('crm/owners', 'CollectionResponsePublicOwnerForwardPaging', archived);
		expect(archived.results.map((o) => [o.email, o.archived])).toEqual([['eve@example.com', true]]);
	});
});

describe('pipelines (GET /crm/v3/pipelines/{objectType})', () => {
	test.each(['deals', 'tickets', 'leads'])('%s pipelines parse as CollectionResponsePipelineNoPaging with their stages', async (objectType) => {
		const answer = await client.crm.pipelines.pipelinesApi.getAll(objectType);
		expectShape('crm/pipelines', 'CollectionResponsePipelineNoPaging', answer);
		const stored = hubspot.pipelines[objectType];
		expect(answer.results.map((p) => [p.id, p.label, p.stages.map((s) => s.id)])).toEqual(stored.map((p) => [p.id, p.label, p.stages.map((s) => s.id)]));
		// Stage metadata values are strings in HubSpot's answers (the provider converts them).
		for (const stage of answer.results.flatMap((p) => p.stages)) {
			for (const value of Object.values(stage.metadata ?? {})) expect(typeof value).toBe('string');
		}
	});
});

describe('properties (GET /crm/v3/properties/contacts/hs_lead_status)', () => {
	test('the lead-status property parses as Property with its options', async () => {
		const property = await client.crm.properties.coreApi.getByName('contacts', 'hs_lead_status');
		expectShape('crm/properties', 'Property', property);
		expect(property).toMatchObject({ name: 'hs_lead_status', type: 'enumeration', fieldType: hubspot.enumerations.contacts.hs_lead_status.fieldType });
		expect(property.options.map((o) => o.value)).toEqual(hubspot.enumerations.contacts.hs_lead_status.options.map((o) => o.value));
	});

	test('an unknown property is a 404 the SDK raises as ApiException with HubSpot\'s error body', async () => {
		const error = await client.crm.properties.coreApi.getByName('contacts', 'no_such_property').catch((e) => e);
		expect(error.code).toBe(404);
		expectShape('crm/properties', 'ModelError', error.body);
		expect(error.body.category).toBe('OBJECT_NOT_FOUND');
	});
});

describe('objects list (GET /crm/v3/objects/{objectType})', () => {
	test('pages with the asked properties, paging.next.after until the end', async () => {
		for (let i = 0; i < 3; i++) await newContact(`list${i}@example.com`, { firstname: `F${i}` });
		const first = await client.crm.objects.basicApi.getPage('contacts', 2, undefined, ['email', 'firstname'], undefined, undefined, false);
		expectShape('crm/objects', 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging', first);
		expect(first.results.map((o) => o.properties.email)).toEqual(['list0@example.com', 'list1@example.com']);
		expect(first.results[0].properties.firstname).toBe('F0');
		const second = await client.crm.objects.basicApi.getPage('contacts', 2, first.paging!.next!.after, ['email'], undefined, undefined, false);
		expectShape('crm/objects', 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging', second);
		expect(second.results.map((o) => o.properties.email)).toEqual(['list2@example.com']);
		expect(second.paging).toBeUndefined();
	});

	test('deal stage-entered dates come back as HubSpot datetime strings', async () => {
		const created = await client.crm.deals.batchApi.create({ inputs: [{ properties: { dealname: 'D', pipeline: 'default', dealstage: 'qualifiedtobuy' }, associations: [] }] });
		const page = await client.crm.objects.basicApi.getPage('deals', 10, undefined, ['dealstage', 'hs_date_entered_qualifiedtobuy'], undefined, undefined, false);
		expectShape('crm/objects', 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging', page);
		const entered = page.results[0].properties.hs_date_entered_qualifiedtobuy;
		expect(page.results[0].id).toBe(created.results[0].id);
		expect(Number.isNaN(Date.parse(String(entered)))).toBe(false);
	});
});

describe('batch create / read / update / upsert (POST /crm/v3/objects/{objectType}/batch/*)', () => {
	test('create answers 201 BatchResponseSimplePublicObject and echoes objectWriteTraceId', async () => {
		const info = await client.crm.objects.batchApi.createWithHttpInfo('companies', {
			inputs: [
				{ properties: { name: 'Acme', domain: 'acme.example' }, associations: [], objectWriteTraceId: 'a' },
				{ properties: { name: 'Globex' }, associations: [], objectWriteTraceId: 'b' },
			],
		});
		expect(info.httpStatusCode).toBe(201);
		expectShape('crm/objects', 'BatchResponseSimplePublicObject', info.data);
		expect(info.data.status).toBe('COMPLETE');
		expect(info.data.results.map((r) => [r.objectWriteTraceId, r.properties.name])).toEqual([['a', 'Acme'], ['b', 'Globex']]);
		for (const r of info.data.results) expect(hubspot.getObject('companies', r.id)!.properties.name).toBe(r.properties.name);
	});

	test('an invalid input fails the whole create with 400 VALIDATION_ERROR (ApiException, HubSpot error body)', async () => {
		const error = await client.crm.objects.batchApi
			.create('deals', { inputs: [{ properties: { dealname: 'ok' }, associations: [] }, { properties: { dealname: 'bad', dealstage: 'nope' }, associations: [] }] })
			.catch((e) => e);
		expect(error.code).toBe(400);
		expectShape('crm/objects', 'ModelError', error.body);
		expect(error.body.category).toBe('VALIDATION_ERROR');
		expect(hubspot.listObjects('deals')).toEqual([]);
	});

	test('read: 200 when all exist, 207 BatchResponseSimplePublicObjectWithErrors naming the missing ids', async () => {
		const id = await newContact('read@example.com', { firstname: 'Rea' });
		const all = await client.crm.objects.batchApi.readWithHttpInfo('contacts', { inputs: [{ id }], properties: ['email', 'firstname'], propertiesWithHistory: [] });
		expect(all.httpStatusCode).toBe(200);
		expectShape('crm/objects', 'BatchResponseSimplePublicObject', all.data);
		expect(all.data.results[0].properties).toMatchObject({ email: 'read@example.com', firstname: 'Rea' });

		const some = await client.crm.objects.batchApi.readWithHttpInfo('contacts', { inputs: [{ id }, { id: '987654' }], properties: ['email'], propertiesWithHistory: [] });
		expect(some.httpStatusCode).toBe(207);
		expectShape('crm/objects', 'BatchResponseSimplePublicObjectWithErrors', some.data);
		const data = some.data as any;
		expect(data.results.map((r: any) => r.id)).toEqual([id]);
		expect(data.numErrors).toBe(1);
		expect(data.errors[0].category).toBe('OBJECT_NOT_FOUND');
		expect(data.errors[0].context.ids).toEqual(['987654']);
	});

	test('update: 200 with the new values; a missing id is 207 with its id in the error context', async () => {
		const id = await newContact('upd@example.com');
		const info = await client.crm.objects.batchApi.updateWithHttpInfo('contacts', { inputs: [{ id, properties: { firstname: 'New' } }] });
		expect(info.httpStatusCode).toBe(200);
		expectShape('crm/objects', 'BatchResponseSimplePublicObject', info.data);
		expect(info.data.results[0].properties.firstname).toBe('New');
		expect(hubspot.getObject('contacts', id)!.properties.firstname).toBe('New');

		const partial = await client.crm.objects.batchApi.updateWithHttpInfo('contacts', { inputs: [{ id, properties: { lastname: 'L' } }, { id: '555555', properties: { lastname: 'X' } }] });
		expect(partial.httpStatusCode).toBe(207);
		expectShape('crm/objects', 'BatchResponseSimplePublicObjectWithErrors', partial.data);
		expect((partial.data as any).errors[0].context.ids).toEqual(['555555']);
	});

	test('upsert by email: BatchResponseSimplePublicUpsertObject, `new` tells created from updated', async () => {
		const existing = await newContact('old@example.com', { firstname: 'Old' });
		const info = await client.crm.contacts.batchApi.upsertWithHttpInfo({
			inputs: [
				{ id: 'old@example.com', idProperty: 'email', properties: { firstname: 'Updated' } },
				{ id: 'fresh@example.com', idProperty: 'email', properties: { firstname: 'Fresh' } },
			],
		});
		expect(info.httpStatusCode).toBe(200);
		expectShape('crm/contacts', 'BatchResponseSimplePublicUpsertObject', info.data);
		const byEmail = new Map(info.data.results.map((r) => [r.properties.email, r]));
		expect(byEmail.get('old@example.com')).toMatchObject({ id: existing, _new: false });
		expect(byEmail.get('fresh@example.com')).toMatchObject({ _new: true });
		expect(byEmail.get('old@example.com')!.properties.firstname).toBe('Updated');
		expect(hubspot.getObject('contacts', byEmail.get('fresh@example.com')!.id)!.properties.firstname).toBe('Fresh');
	});

	test.each([
		['deals', { dealname: 'Big deal', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '1200' }],
		['tickets', { subject: 'Broken', hs_pipeline: '0', hs_pipeline_stage: '1' }],
	])('%s through their own SDK module, associated with a contact', async (objectType, properties) => {
		const contactId = await newContact(`${objectType}@example.com`);
		const api = (client.crm as any)[objectType].batchApi;
		const typeId = objectType === 'deals' ? 3 : 16;
		const info = await api.createWithHttpInfo({ inputs: [{ properties, associations: [assoc(contactId, typeId)] }] });
		expect(info.httpStatusCode).toBe(201);
		expectShape(`crm/${objectType}`, 'BatchResponseSimplePublicObject', info.data);
		expect(info.data.results[0].properties).toMatchObject(properties);
		expect(hubspot.associations(objectType, info.data.results[0].id, 'contacts')).toEqual([contactId]);
	});
});

describe('search (POST /crm/v3/objects/{objectType}/search)', () => {
	test('filters, sorts and pages parse as CollectionResponseWithTotalSimplePublicObjectForwardPaging', async () => {
		for (const [i, status] of ['NEW', 'OPEN', 'NEW', 'NEW'].entries()) await newContact(`s${i}@example.com`, { hs_lead_status: status });
		const body = (after?: string) => ({
			filterGroups: [{ filters: [{ propertyName: 'hs_lead_status', operator: 'EQ' as any, value: 'NEW' }] }],
			sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as any,
			properties: ['email', 'hs_lead_status'],
			limit: 2,
			...(after ? { after } : {}),
		});
		const first = await client.crm.contacts.searchApi.doSearch(body());
		expectShape('crm/contacts', 'CollectionResponseWithTotalSimplePublicObjectForwardPaging', first);
		expect(first.total).toBe(3);
		expect(first.results.map((r) => r.properties.email)).toEqual(['s0@example.com', 's2@example.com']);
		const second = await client.crm.objects.searchApi.doSearch('contacts', body(first.paging!.next!.after));
		expectShape('crm/objects', 'CollectionResponseWithTotalSimplePublicObjectForwardPaging', second);
		expect(second.results.map((r) => r.properties.email)).toEqual(['s3@example.com']);
		expect(second.paging).toBeUndefined();
	});

	test('a count query (limit 1, EQ + NEQ filters) answers the total', async () => {
		for (const status of ['NOT_STARTED', 'COMPLETED', 'WAITING']) {
			await client.crm.objects.tasks.batchApi.create({ inputs: [{ properties: { hs_timestamp: new Date().toISOString(), hs_task_subject: status, hs_task_status: status, hubspot_owner_id: '101' }, associations: [] }] });
		}
		const answer = await client.crm.objects.tasks.searchApi.doSearch({
			filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ' as any, value: '101' }, { propertyName: 'hs_task_status', operator: 'NEQ' as any, value: 'COMPLETED' }] }],
			properties: ['hs_object_id'],
			limit: 1,
		});
		expectShape('crm/objects/tasks', 'CollectionResponseWithTotalSimplePublicObjectForwardPaging', answer);
		expect(answer.total).toBe(2);
		expect(answer.results).toHaveLength(1);
	});
});

describe('engagements and leads (batch create through their SDK modules)', () => {
	test('a note, a task, an email and an SMS on a contact, read back through the v4 association batch read', async () => {
		const contactId = await newContact('eng@example.com');
		const at = '2026-11-20T09:00:00.000Z';
		const note = await client.crm.objects.notes.batchApi.createWithHttpInfo({ inputs: [{ properties: { hs_timestamp: at, hs_note_body: '<p>Hi</p><!-- crm-dedupe:abc -->' }, associations: [assoc(contactId, 202)] }] });
		const task = await client.crm.objects.tasks.batchApi.createWithHttpInfo({ inputs: [{ properties: { hs_timestamp: at, hs_task_subject: 'Call back' }, associations: [assoc(contactId, 204)] }] });
		const email = await client.crm.objects.emails.batchApi.createWithHttpInfo({
			inputs: [
				{
					properties: {
						hs_timestamp: at,
						hs_email_direction: 'EMAIL',
						hs_email_status: 'SENT',
						hs_email_subject: 'Hello',
						hs_email_html: 'Hello there',
						hs_email_headers: JSON.stringify({ from: { email: 'me@example.com' }, to: [{ email: 'eng@example.com' }], cc: [], bcc: [] }),
					},
					associations: [assoc(contactId, 198)],
				},
			],
		});
		const sms = await client.crm.objects.communications.batchApi.createWithHttpInfo({
			inputs: [{ properties: { hs_timestamp: at, hs_communication_channel_type: 'SMS', hs_communication_logged_from: 'CRM', hs_communication_body: 'Text' }, associations: [assoc(contactId, 81)] }],
		});
		const modules: Array<[string, any]> = [['notes', note], ['tasks', task], ['emails', email], ['communications', sms]];
		for (const [module, info] of modules) {
			expect(info.httpStatusCode).toBe(201);
			expectShape(`crm/objects/${module}`, 'BatchResponseSimplePublicObject', info.data);
			expect(info.data.results[0].properties.hs_timestamp).toBe(at);
		}
		expect(task.data.results[0].properties.hs_task_status).toBe('NOT_STARTED');
		// hs_email_headers fills the read-only from/to properties (emails guide).
		expect(email.data.results[0].properties).toMatchObject({ hs_email_from_email: 'me@example.com', hs_email_to_email: 'eng@example.com' });

		for (const [module, info] of modules) {
			const links = await client.crm.associations.v4.batchApi.getPageWithHttpInfo('contacts', module, { inputs: [{ id: contactId }] });
			expect(links.httpStatusCode).toBe(200);
			expectShape('crm/associations/v4', 'BatchResponsePublicAssociationMultiWithLabel', links.data);
			expect(links.data.results.map((r) => [r._from.id, r.to.map((t) => t.toObjectId)])).toEqual([[contactId, [info.data.results[0].id]]]);
			expect(links.data.results[0].to[0].associationTypes[0].category).toBe('HUBSPOT_DEFINED');
		}

		// The provider's dedupe lookup: batch read of the associated notes' bodies.
		const read = await client.crm.objects.notes.batchApi.read({ inputs: [{ id: note.data.results[0].id }], properties: ['hs_note_body', 'hs_timestamp'], propertiesWithHistory: [] });
		expectShape('crm/objects/notes', 'BatchResponseSimplePublicObject', read);
		expect(read.results[0].properties.hs_note_body).toContain('<!-- crm-dedupe:abc -->');
	});

	test('a lead (Leads object) needs its primary contact association; pipelines and stages come with it', async () => {
		const contactId = await newContact('lead@example.com');
		const info = await client.crm.objects.leads.batchApi.createWithHttpInfo({ inputs: [{ properties: { hs_lead_name: 'Lead One' }, associations: [assoc(contactId, 578)] }] });
		expect(info.httpStatusCode).toBe(201);
		expectShape('crm/objects/leads', 'BatchResponseSimplePublicObject', info.data);
		const leadId = info.data.results[0].id;
		expect(info.data.results[0].properties).toMatchObject({ hs_lead_name: 'Lead One', hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id' });
		const links = await client.crm.associations.v4.batchApi.getPage('leads', 'contacts', { inputs: [{ id: leadId }] });
		expectShape('crm/associations/v4', 'BatchResponsePublicAssociationMultiWithLabel', links);
		expect(links.results[0].to.map((t) => [t.toObjectId, t.associationTypes.map((a) => a.typeId)])).toEqual([[contactId, [578]]]);

		const error = await client.crm.objects.leads.batchApi.create({ inputs: [{ properties: { hs_lead_name: 'Orphan' }, associations: [] }] }).catch((e) => e);
		expect(error.code).toBe(400);
		expectShape('crm/objects/leads', 'ModelError', error.body);
	});
});

describe('transactional single send (POST /marketing/v3/transactional/single-email/send)', () => {
	test('a send parses as EmailSendStatusView; the same sendId again is IDEMPOTENT_IGNORE and not sent twice', async () => {
		const request = { emailId: 4242, message: { to: 'to@example.com', from: 'me@example.com', sendId: 'dedupe-1' }, customProperties: { subject: 'Hi', body: 'Text' } };
		const first = await client.marketing.transactional.singleSendApi.sendEmail(request);
		expectShape('marketing/transactional', 'EmailSendStatusView', first);
		expect(first.status).toBe('PENDING');
		const again = await client.marketing.transactional.singleSendApi.sendEmail(request);
		expectShape('marketing/transactional', 'EmailSendStatusView', again);
		expect(again.statusId).toBe(first.statusId);
		expect(again.sendResult).toBe('IDEMPOTENT_IGNORE');
		expect(hubspot.sentEmails.map((e: any) => [e.emailId, e.message.to])).toEqual([[4242, 'to@example.com']]);
	});
});

describe('authentication', () => {
	test('a wrong token is 401 INVALID_AUTHENTICATION, raised by the SDK with the error body', async () => {
		const wrong = new Client({ accessToken: 'wrong', basePath: hubspot.baseUrl });
		const error = await wrong.crm.owners.ownersApi.getPage().catch((e) => e);
		expect(error.code).toBe(401);
		expectShape('crm/owners', 'ModelError', error.body);
		expect(error.body.category).toBe('INVALID_AUTHENTICATION');
		expect(hubspot.requests[0].authorization).toBe('Bearer wrong');
	});
});
