/* eslint-disable */
/**
 * Conformance of the local Pipedrive sandbox with Pipedrive's official Node client (`pipedrive`
 * 33.7.0, generated from Pipedrive's OpenAPI specs, written by nobody here). Every endpoint the
 * package's Pipedrive provider calls is driven through the client's own v2 and v1 API classes,
 * configured with the sandbox's base paths and an API token (or an OAuth token). The sandbox must
 * accept what the client sends (no schema violation recorded) and answer what the client's typed
 * responses declare: each answer is checked against the client's model declarations
 * (test/sdk/pipedriveModels.ts) and its values against the sandbox's store.
 */
import { v1, v2 } from 'pipedrive';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startPipedriveServer } from '../sandbox/pipedrive/server';
import type { FakePipedrive } from '../sandbox/pipedrive';
import { expectShape, shapeProblems } from './pipedriveModels';

let sandbox: FakePipedrive;
let api: ReturnType<typeof clients>;

function clients(options: { apiKey?: string; accessToken?: string }) {
	const c2 = new v2.Configuration({ ...options, basePath: `${sandbox.baseUrl}/api/v2` });
	const c1 = new v1.Configuration({ ...options, basePath: `${sandbox.baseUrl}/api/v1` });
	return {
		deals: new v2.DealsApi(c2),
		persons: new v2.PersonsApi(c2),
		organizations: new v2.OrganizationsApi(c2),
		activities: new v2.ActivitiesApi(c2),
		pipelines: new v2.PipelinesApi(c2),
		stages: new v2.StagesApi(c2),
		leadsV2: new v2.LeadsApi(c2),
		dealFields: new v2.DealFieldsApi(c2),
		leads: new v1.LeadsApi(c1),
		leadLabels: new v1.LeadLabelsApi(c1),
		notes: new v1.NotesApi(c1),
		users: new v1.UsersApi(c1),
		dealsV1: new v1.DealsApi(c1),
		webhooks: new v1.WebhooksApi(c1),
	};
}

beforeAll(async () => {
	sandbox = await startPipedriveServer({ port: 0, limits: { plan: 'enterprise', search: 1000 } });
	api = clients({ apiKey: sandbox.apiToken });
});
afterAll(() => sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.setLimits({ plan: 'enterprise', search: 1000 });
});
// What the client sent fits the sandbox's request schemas (written from Pipedrive's specs).
afterEach(() => expect(sandbox.violations).toEqual([]));

describe('the shape checker itself', () => {
	test('reports a missing required property, a wrong type, an unknown property and a bad enum value', () => {
		expect(shapeProblems('v2', 'GetConvertResponse1', { success: true })).toEqual(['GetConvertResponse1.data is missing (required by the client\'s GetConvertResponse1)']);
		expect(shapeProblems('v2', 'UpsertDealResponse', { success: true, data: { id: '7', colour: 'red' } })).toEqual([
			'UpsertDealResponse.data.id is string, not number',
			"UpsertDealResponse.data.colour is not in the client's Deal",
		]);
		expect(shapeProblems('v1', 'UpsertLeadLabelResponse', { success: true, data: { id: 'x', name: 'Hot', color: 'crimson', add_time: 'a', update_time: 'b' } })).toEqual([
			'UpsertLeadLabelResponse.data.color is "crimson", not one of blue, brown, dark-gray, gray, green, orange, pink, purple, red, yellow',
		]);
	});
});

describe('deals (v2)', () => {
	test('add, get, update (stage move), list with cursor pages, delete: every answer parses as the client declares', async () => {
		const person = await api.persons.addPerson({ AddPersonRequest: { name: 'Nina Novak', emails: [{ value: 'nina@acme.example', primary: true, label: 'work' }] } });
		const added = await api.deals.addDeal({ AddDealRequest: { title: 'Big one', value: 5000, currency: 'EUR', person_id: person.data!.id, stage_id: 2 } });
		expectShape('v2', 'UpsertDealResponse', added);
		expect(added.data).toMatchObject({ title: 'Big one', value: 5000, stage_id: 2, pipeline_id: 1, status: 'open', owner_id: sandbox.tokenUserId, person_id: person.data!.id });
		const id = added.data!.id!;

		const got = await api.deals.getDeal({ id });
		expectShape('v2', 'UpsertDealResponse', got);
		expect(got.data!.title).toBe('Big one');

		const moved = await api.deals.updateDeal({ id, UpdateDealRequest: { stage_id: 4 } });
		expectShape('v2', 'UpsertDealResponse', moved);
		expect(moved.data!.stage_id).toBe(4);
		expect(moved.data!.stage_change_time).toBeTruthy();
		expect(sandbox.get('deals', id)!.stage_id).toBe(4);

		const won = await api.deals.updateDeal({ id, UpdateDealRequest: { status: 'won' } });
		expect(won.data).toMatchObject({ status: 'won' });
		expect(won.data!.won_time).toBeTruthy();

		for (const title of ['B', 'C', 'D']) await api.deals.addDeal({ AddDealRequest: { title } });
		const first = await api.deals.getDeals({ limit: 2, sort_by: 'id', sort_direction: 'asc' });
		expectShape('v2', 'GetDealsResponse', first);
		expect(first.data!.map((d) => d.title)).toEqual(['Big one', 'B']);
		expect(first.additional_data!.next_cursor).toBeTruthy();
		const second = await api.deals.getDeals({ limit: 2, sort_by: 'id', sort_direction: 'asc', cursor: first.additional_data!.next_cursor });
		expectShape('v2', 'GetDealsResponse', second);
		expect(second.data!.map((d) => d.title)).toEqual(['C', 'D']);
		expect(second.additional_data!.next_cursor ?? null).toBeNull();

		const since = await api.deals.getDeals({ updated_since: '2000-01-01T00:00:00Z', stage_id: 4, status: 'won' });
		expect(since.data!.map((d) => d.id)).toEqual([id]);

		const deleted = await api.deals.deleteDeal({ id });
		expectShape('v2', 'DeleteDealResponse', deleted);
		expect(deleted.data!.id).toBe(id);
		expect(sandbox.get('deals', id)).toBeUndefined();
	});

	test('custom fields by hash key: written, read back, listed by the v2 dealFields endpoint', async () => {
		const key = sandbox.defineCustomField('deals', 'Source campaign');
		const added = await api.deals.addDeal({ AddDealRequest: { title: 'With custom', custom_fields: { [key]: 'Spring' } } });
		expect(added.data!.custom_fields![key]).toBe('Spring');
		const fields = await api.dealFields.getDealFields({});
		expectShape('v2', 'GetDealFields200Response', fields);
		expect(fields.data!.find((f) => f.field_code === key)).toMatchObject({ field_name: 'Source campaign', is_custom_field: true });
	});

	test('search (v2 /deals/search) parses as GetDealSearchResponse', async () => {
		await api.deals.addDeal({ AddDealRequest: { title: 'Globex renewal' } });
		await api.deals.addDeal({ AddDealRequest: { title: 'Initech pilot' } });
		const found = await api.deals.searchDeals({ term: 'globex', fields: 'title' });
		expectShape('v2', 'GetDealSearchResponse', found);
		expect(found.data!.items!.map((i) => i.item!.title)).toEqual(['Globex renewal']);
		expect(found.data!.items![0].item!.stage).toMatchObject({ id: 1, name: 'Qualified' });
	});

	test('an unknown deal is a 404 in Pipedrive\'s error shape (the client rejects with the body)', async () => {
		const error = await api.deals.getDeal({ id: 999 }).then(
			() => undefined,
			(e) => e,
		);
		expect(error).toMatchObject({ success: false, error: 'Deal not found' });
		expect(error.error_info).toContain('developers.pipedrive.com');
	});
});

describe('persons and organizations (v2)', () => {
	test('add, list, update, search by email (exact) and by name, delete', async () => {
		const org = await api.organizations.addOrganization({ AddOrganizationRequest: { name: 'Acme Corp' } });
		expectShape('v2', 'UpsertOrganizationResponse', org);
		const added = await api.persons.addPerson({ AddPersonRequest: { name: 'Nina Novak', org_id: org.data!.id, emails: [{ value: 'nina@acme.example', primary: true, label: 'work' }], phones: [{ value: '+4930123456', primary: true, label: 'work' }] } });
		expectShape('v2', 'UpsertPersonResponse', added);
		expect(added.data).toMatchObject({ name: 'Nina Novak', first_name: 'Nina', last_name: 'Novak', org_id: org.data!.id });

		const list = await api.persons.getPersons({ org_id: org.data!.id });
		expectShape('v2', 'GetPersonsResponse', list);
		expect(list.data!.map((p) => p.id)).toEqual([added.data!.id]);
		const orgs = await api.organizations.getOrganizations({});
		expectShape('v2', 'GetOrganizationsResponse', orgs);

		const updated = await api.persons.updatePerson({ id: added.data!.id!, UpdatePersonRequest: { job_title: 'CTO' } });
		expectShape('v2', 'UpsertPersonResponse', updated);
		expect(sandbox.get('persons', added.data!.id!)!.job_title).toBe('CTO');

		const byEmail = await api.persons.searchPersons({ term: 'nina@acme.example', fields: 'email', exact_match: true });
		expectShape('v2', 'GetPersonSearchResponse', byEmail);
		expect(byEmail.data!.items![0].item).toMatchObject({ id: added.data!.id, emails: ['nina@acme.example'], organization: { id: org.data!.id, name: 'Acme Corp' } });
		const partial = await api.persons.searchPersons({ term: 'nina@acme', fields: 'email', exact_match: true });
		expect(partial.data!.items).toEqual([]);

		const orgSearch = await api.organizations.searchOrganization({ term: 'acme' });
		expectShape('v2', 'GetOrganizationSearchResponse', orgSearch);
		expect(orgSearch.data!.items![0].item!.name).toBe('Acme Corp');

		const gone = await api.persons.deletePerson({ id: added.data!.id! });
		expectShape('v2', 'DeletePersonResponse', gone);
	});
});

describe('activities (v2) as tasks', () => {
	test('add with owner, due date and time, type; list by owner and done; mark done; delete', async () => {
		const ana = sandbox.userByEmail('ana@example.com')!.id;
		const deal = await api.deals.addDeal({ AddDealRequest: { title: 'T' } });
		const added = await api.activities.addActivity({ AddActivityRequest: { subject: 'Call back', type: 'call', owner_id: ana, deal_id: deal.data!.id, due_date: '2026-12-01', due_time: '10:00', priority: 1 } });
		expectShape('v2', 'UpsertActivityResponse', added);
		expect(added.data).toMatchObject({ subject: 'Call back', owner_id: ana, done: false, due_date: '2026-12-01', due_time: '10:00' });

		const open = await api.activities.getActivities({ owner_id: ana, done: false });
		expectShape('v2', 'GetActivitiesResponse', open);
		expect(open.data!.map((a) => a.id)).toEqual([added.data!.id]);

		const done = await api.activities.updateActivity({ id: added.data!.id!, AddActivityRequest: { done: true } });
		expectShape('v2', 'UpsertActivityResponse', done);
		expect(done.data!.marked_as_done_time).toBeTruthy();
		expect((await api.activities.getActivities({ owner_id: ana, done: false })).data).toEqual([]);

		const removed = await api.activities.deleteActivity({ id: added.data!.id! });
		expectShape('v2', 'DeleteActivityResponse', removed);
	});
});

describe('pipelines and stages (v2)', () => {
	test('list pipelines and a pipeline\'s stages; add and rename a stage', async () => {
		const pipelines = await api.pipelines.getPipelines({});
		expectShape('v2', 'GetPipelinesResponse', pipelines);
		expect(pipelines.data!.map((p) => p.name)).toEqual(['Pipeline']);
		const stages = await api.stages.getStages({ pipeline_id: 1, sort_by: 'order_nr' });
		expectShape('v2', 'GetStagesResponse', stages);
		expect(stages.data!.map((s) => s.name)).toEqual(['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started']);
		const added = await api.stages.addStage({ AddStageRequest: { name: 'Contract sent', pipeline_id: 1, deal_probability: 90 } });
		expectShape('v2', 'UpsertStageResponse', added);
		const renamed = await api.stages.updateStage({ id: added.data!.id!, UpdateStageRequest: { name: 'Contract out' } });
		expect(renamed.data!.name).toBe('Contract out');
		const pipeline = await api.pipelines.getPipeline({ id: 1 });
		expectShape('v2', 'UpsertPipelineResponse', pipeline);
	});
});

describe('users (v1)', () => {
	test('the company\'s users and the token\'s own user (users/me)', async () => {
		const users = await api.users.getUsers();
		expectShape('v1', 'GetUsersResponse', users);
		expect(users.data!.map((u) => u.email)).toContain('ana@example.com');
		const me = await api.users.getCurrentUser();
		expectShape('v1', 'GetCurrentUserResponse', me);
		expect(me.data).toMatchObject({ id: sandbox.tokenUserId, is_you: true, company_domain: 'sandbox' });
	});
});

describe('leads (v1 CRUD, v2 search and conversion)', () => {
	async function newLead(title = 'Acme lead') {
		const person = await api.persons.addPerson({ AddPersonRequest: { name: 'Lena Lead', emails: [{ value: 'lena@acme.example', primary: true }] } });
		const label = (await api.leadLabels.getLeadLabels()).data![0];
		const lead = await api.leads.addLead({ AddLeadRequest: { title, person_id: person.data!.id, label_ids: [label.id], value: { amount: 1200, currency: 'EUR' } } });
		return { lead, person: person.data!, label };
	}

	test('labels, add, get, list, archive via update, archived list, search, delete', async () => {
		const labels = await api.leadLabels.getLeadLabels();
		expectShape('v1', 'GetLeadLabelsResponse', labels);
		const newLabel = await api.leadLabels.addLeadLabel({ AddLeadLabelRequest: { name: 'Qualified', color: 'green' } });
		expectShape('v1', 'UpsertLeadLabelResponse', newLabel);

		const { lead, person } = await newLead();
		expectShape('v1', 'GetLeadResponse', lead);
		expect(lead.data).toMatchObject({ title: 'Acme lead', person_id: person.id, is_archived: false, value: { amount: 1200, currency: 'EUR' } });
		expect(lead.data!.id).toMatch(/^[0-9a-f-]{36}$/);

		const list = await api.leads.getLeads({ limit: 10 });
		expectShape('v1', 'GetLeadsResponse', list);
		expect(list.data!.map((l) => l.id)).toEqual([lead.data!.id]);

		const relabelled = await api.leads.updateLead({ id: lead.data!.id, UpdateLeadRequest: { label_ids: [newLabel.data!.id] } });
		expectShape('v1', 'GetLeadResponse', relabelled);
		expect(relabelled.data!.label_ids).toEqual([newLabel.data!.id]);

		const found = await api.leadsV2.searchLeads({ term: 'acme', fields: 'title' });
		expectShape('v2', 'GetLeadSearchResponse', found);
		expect(found.data!.items!.map((i) => i.item!.id)).toEqual([lead.data!.id]);

		await api.leads.updateLead({ id: lead.data!.id, UpdateLeadRequest: { is_archived: true } });
		expect((await api.leads.getLeads({})).data).toEqual([]);
		const archived = await api.leads.getArchivedLeads({});
		expectShape('v1', 'GetLeadsResponse', archived);
		expect(archived.data!.map((l) => l.id)).toEqual([lead.data!.id]);

		const deleted = await api.leads.deleteLead({ id: lead.data!.id });
		expectShape('v1', 'GetLeadIdResponse', deleted);
	});

	test('a lead without a person or an organization is refused (400, Pipedrive\'s shape)', async () => {
		const error = await api.leads.addLead({ AddLeadRequest: { title: 'Orphan' } }).then(
			() => undefined,
			(e) => e,
		);
		expect(error).toMatchObject({ success: false });
		expect(error.error).toContain('person or an organization');
	});

	test('conversion to a deal is asynchronous: conversion_id, status running, then completed with the deal', async () => {
		const { lead, person } = await newLead('Convert me');
		await api.notes.addNote({ AddNoteRequest: { content: 'Lead note', lead_id: lead.data!.id } });
		const started = await api.leadsV2.convertLeadToDeal({ id: lead.data!.id, ConvertLeadToDealRequest: { stage_id: 3 } });
		expectShape('v2', 'AddConvertLeadToDealResponse', started);
		const conversionId = started.data!.conversion_id;
		const running = await api.leadsV2.getLeadConversionStatus({ id: lead.data!.id, conversion_id: conversionId });
		expectShape('v2', 'GetConvertResponse1', running);
		expect(running.data.status).toBe('running');
		const completed = await api.leadsV2.getLeadConversionStatus({ id: lead.data!.id, conversion_id: conversionId });
		expectShape('v2', 'GetConvertResponse1', completed);
		expect(completed.data).toMatchObject({ status: 'completed', lead_id: lead.data!.id });
		const deal = await api.deals.getDeal({ id: completed.data.deal_id! });
		expect(deal.data).toMatchObject({ title: 'Convert me', stage_id: 3, person_id: person.id, value: 1200, source_lead_id: lead.data!.id });
		const notes = await api.notes.getNotes({ deal_id: completed.data.deal_id });
		expect(notes.data!.map((n) => n.content)).toEqual(['Lead note']);
	});
});

describe('notes (v1)', () => {
	test('add to a deal, list by deal, update, delete', async () => {
		const deal = await api.deals.addDeal({ AddDealRequest: { title: 'Noted' } });
		const added = await api.notes.addNote({ AddNoteRequest: { content: 'Contract sent.', deal_id: deal.data!.id } });
		expectShape('v1', 'UpsertNoteResponse', added);
		expect(added.data).toMatchObject({ content: 'Contract sent.', deal_id: deal.data!.id, deal: { title: 'Noted' } });
		const list = await api.notes.getNotes({ deal_id: deal.data!.id, limit: 50 });
		expectShape('v1', 'GetNotesResponse', list);
		expect(list.data!.map((n) => n.id)).toEqual([added.data!.id]);
		const updated = await api.notes.updateNote({ id: added.data!.id!, NoteRequest: { content: 'Contract signed.' } });
		expectShape('v1', 'UpsertNoteResponse', updated);
		const removed = await api.notes.deleteNote({ id: added.data!.id! });
		expectShape('v1', 'DeleteNoteResponse', removed);
	});
});

describe('deal history (v1 flow and changelog)', () => {
	test('a stage move through the API and one in the web app show in the flow and the changelog with their change_source', async () => {
		const deal = await api.deals.addDeal({ AddDealRequest: { title: 'Moving', stage_id: 1 } });
		const id = deal.data!.id!;
		await api.deals.updateDeal({ id, UpdateDealRequest: { stage_id: 2 } });
		sandbox.update('deals', id, { stage_id: 3 }, { userId: sandbox.userByEmail('ana@example.com')!.id });

		const flow = await api.dealsV1.getDealUpdates({ id, items: 'dealChange' });
		expectShape('v1', 'GetDealUpdatesResponse', flow);
		const stageChanges = flow.data.filter((e: any) => e.object === 'dealChange' && e.data.field_key === 'stage_id').map((e: any) => [e.data.old_value, e.data.new_value, e.data.change_source]);
		expect(stageChanges).toEqual([
			['2', '3', 'app'],
			['1', '2', 'api'],
		]);

		const changelog = await api.dealsV1.getDealChangelog({ id });
		expectShape('v1', 'GetChangelogResponse', changelog);
		expect(changelog.data.filter((c) => c.field_key === 'stage_id').map((c) => c.change_source)).toEqual(['app', 'api']);
	});
});

describe('webhooks (v1 endpoints, v2 format)', () => {
	test('add with basic auth, list, delete; a deal change is delivered as a v2 envelope with the credentials', async () => {
		const received: Array<{ auth?: string; body: any }> = [];
		const receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (c) => (text += c));
			req.on('end', () => {
				received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
				res.writeHead(200).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
			const added = await api.webhooks.addWebhook({ AddWebhookRequest: { subscription_url: url, event_action: 'change', event_object: 'deal', name: 'n8n', version: '2.0', http_auth_user: 'n8n', http_auth_password: 's3cret' } });
			expectShape('v1', 'GetWebhookResponse', added);
			expect(added.data).toMatchObject({ subscription_url: url, version: '2.0', event_action: 'change', event_object: 'deal' });
			const list = await api.webhooks.getWebhooks();
			expectShape('v1', 'GetWebhooksResponse', list);
			expect(list.data!.map((w) => w.id)).toEqual([added.data!.id]);

			const deal = await api.deals.addDeal({ AddDealRequest: { title: 'Hooked' } });
			await api.deals.updateDeal({ id: deal.data!.id!, UpdateDealRequest: { stage_id: 2 } });
			await sandbox.deliverWebhooks();
			expect(received).toHaveLength(1);
			expect(received[0].auth).toBe(`Basic ${Buffer.from('n8n:s3cret').toString('base64')}`);
			expect(received[0].body.meta).toMatchObject({ action: 'change', entity: 'deal', entity_id: deal.data!.id, change_source: 'api', version: '2.0', attempt: 1, user_id: sandbox.tokenUserId });
			expect(received[0].body.previous).toMatchObject({ stage_id: 1 });
			expect(received[0].body.data).toMatchObject({ id: deal.data!.id, stage_id: 2 });

			const removed = await api.webhooks.deleteWebhook({ id: added.data!.id! });
			expectShape('v1', 'BaseResponse', removed);
			expect((await api.webhooks.getWebhooks()).data).toEqual([]);
		} finally {
			await new Promise((resolve) => receiver.close(resolve));
		}
	});
});

describe('OAuth access token', () => {
	test('the client\'s bearer auth works; a token without the admin scope cannot add webhooks (403)', async () => {
		const oauth = clients({ accessToken: sandbox.oauthToken });
		expectShape('v1', 'GetCurrentUserResponse', await oauth.users.getCurrentUser());
		sandbox.addToken('narrow-oauth', { userId: sandbox.tokenUserId, kind: 'oauth', scopes: ['base', 'deals:read'] });
		const narrow = clients({ accessToken: 'narrow-oauth' });
		expect((await narrow.deals.getDeals({})).success).toBe(true);
		const error = await narrow.webhooks.getWebhooks().then(
			() => undefined,
			(e) => e,
		);
		expect(error).toMatchObject({ success: false });
		expect(error.error).toContain('admin');
		expect(sandbox.requests.filter((r) => r.auth === 'oauth').length).toBe(3);
	});
});
