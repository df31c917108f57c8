/* eslint-disable */
// HTTP contract tests of the HubSpot provider: every call goes over HTTP to the local HubSpot
// server, which checks it against the documented request schemas (violations fail the test).
import { useHubSpotSandbox } from '../helpers/sandbox';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { fetchSend } from '../helpers/fetchSend';
import { hubspotProvider } from '../../nodes/shared/providers/hubspot/HubSpotProvider';
import type { CrmProvider } from '../../nodes/shared/contract/provider';
import { collectPages } from '../../nodes/shared/transport/pagination';

let hubspot: FakeHubSpot;

function provider(leadModel: 'contactLifecycle' | 'leadsObject' = 'contactLifecycle'): CrmProvider {
	return hubspotProvider.create({
		send: fetchSend(hubspot.token),
		credentials: { baseUrl: hubspot.baseUrl, leadModel, rateLimitTier: '190' },
		credentialKey: `contract-${leadModel}`,
		transportOverrides: { retry: { baseDelayMs: 20 } },
	});
}
const calls = (method: string, path: string) => hubspot.requests.filter((r) => r.method === method && r.path === path);

const sandbox = useHubSpotSandbox();
beforeEach(() => {
	hubspot = sandbox.hubspot;
});

describe('Leads object model', () => {
	test('create upserts the contact by email, then creates the lead associated with it (578)', async () => {
		const [result] = await provider('leadsObject').createRecords('lead', [
			{ fields: { email: 'John.Doe@acme.com', firstName: 'John', lastName: 'Doe', company: 'Acme Corp' } },
		]);
		expect(result.ok).toBe(true);
		const lead = (result as any).value;
		expect(lead).toMatchObject({ leadModel: 'leadsObject', name: 'John Doe', email: 'john.doe@acme.com', company: 'Acme Corp', provider: 'hubspot' });

		const upsert = calls('POST', '/crm/v3/objects/contacts/batch/upsert')[0].body;
		expect(upsert.inputs).toEqual([
			{ id: 'john.doe@acme.com', idProperty: 'email', properties: { email: 'john.doe@acme.com', firstname: 'John', lastname: 'Doe', company: 'Acme Corp' } },
		]);
		const create = calls('POST', '/crm/v3/objects/leads/batch/create')[0].body;
		expect(create.inputs[0].properties).toEqual({ hs_lead_name: 'John Doe' });
		expect(create.inputs[0].associations).toEqual([
			{ to: { id: lead.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }] },
		]);
		expect(hubspot.associations('leads', lead.id, 'contacts')).toEqual([lead.contactId]);
	});

	test('a lead without email or contact id fails alone, before anything is written', async () => {
		const results = await provider('leadsObject').createRecords('lead', [{ fields: { lastName: 'NoMail' } }, { fields: { email: 'a@b.co' } }]);
		expect(results[0]).toMatchObject({ ok: false });
		expect((results[0] as any).error.message).toBe('A HubSpot lead needs an email (or a Contact ID)');
		expect(results[1].ok).toBe(true);
		await expect(
			provider('leadsObject').createRecords('lead', [{ fields: { lastName: 'NoMail' } }], { stopOnInvalid: true }),
		).rejects.toMatchObject({ name: 'InvalidItemError', itemIndex: 0 });
	});

	test('qualify moves the lead to the Qualified stage and creates a deal on its contact', async () => {
		const p = provider('leadsObject');
		const [created] = await p.createRecords('lead', [{ fields: { email: 'q@x.com', firstName: 'Q' } }]);
		const lead = (created as any).value;
		const [result] = await p.qualifyLeads([{ id: lead.id, createDeal: { name: 'Q deal' } }]);
		expect(result.ok).toBe(true);
		const { lead: qualified, deal } = (result as any).value;
		expect(qualified.stageId).toBe('qualified-stage-id');
		expect(deal.name).toBe('Q deal');
		expect(hubspot.associations('deals', deal.id, 'contacts')).toEqual([lead.contactId]);
	});
});

describe('contact-lifecycle leads', () => {
	test('create sets lifecyclestage=lead; qualify sets salesqualifiedlead', async () => {
		const p = provider();
		const [created] = await p.createRecords('lead', [{ fields: { email: 'l@x.com', lastName: 'L', status: 'NEW' } }]);
		const lead = (created as any).value;
		expect(hubspot.getObject('contacts', lead.id).properties).toMatchObject({ lifecyclestage: 'lead', hs_lead_status: 'NEW' });
		expect(lead).toMatchObject({ leadModel: 'contactLifecycle', status: 'NEW', contactId: lead.id });
		await p.qualifyLeads([{ id: lead.id }]);
		expect(hubspot.getObject('contacts', lead.id).properties.lifecyclestage).toBe('salesqualifiedlead');
	});

	test('lead statuses come from the hs_lead_status property as one pipeline', async () => {
		const [pipeline] = await provider().listPipelines('lead');
		expect(pipeline.id).toBe('hs_lead_status');
		expect(pipeline.stages.map((s) => s.id)).toEqual(expect.arrayContaining(['NEW', 'OPEN', 'IN_PROGRESS', 'CONNECTED']));
		expect(calls('GET', '/crm/v3/properties/contacts/hs_lead_status')).toHaveLength(1);
	});
});

test('deal and ticket pipelines map stage metadata to open / won / lost / closed, and are cached', async () => {
	const p = provider();
	const deals = await p.listPipelines('deal');
	await p.listPipelines('deal');
	expect(calls('GET', '/crm/v3/pipelines/deals')).toHaveLength(1);
	const sales = deals.find((d) => d.id === 'default')!;
	expect(sales.stages.map((s) => [s.id, s.closed])).toEqual([
		['appointmentscheduled', 'open'],
		['qualifiedtobuy', 'open'],
		['presentationscheduled', 'open'],
		['decisionmakerboughtin', 'open'],
		['contractsent', 'open'],
		['closedwon', 'won'],
		['closedlost', 'lost'],
	]);
	expect(sales.stages[4]).toMatchObject({ name: 'Contract sent', probability: 0.9, order: 4 });
	const tickets = await p.listPipelines('ticket');
	expect(tickets[0].stages.find((s) => s.id === '4')!.closed).toBe('closed');
});

test('get reads in batches; a missing id fails alone with a clear 404', async () => {
	const deal = hubspot.createObject('deals', { dealname: 'Here', pipeline: 'default', dealstage: 'closedwon', amount: '1200.50' });
	const results = await provider().getRecords('deal', [deal.id, '999999']);
	expect(results[0]).toMatchObject({ ok: true, value: { id: deal.id, name: 'Here', amount: 1200.5, status: 'won', stageName: 'Closed won', pipelineId: 'default' } });
	expect(results[1]).toMatchObject({ ok: false });
	expect((results[1] as any).error).toMatchObject({ status: 404, code: 'OBJECT_NOT_FOUND', message: 'No deal with id "999999"' });
	expect(calls('POST', '/crm/v3/objects/deals/batch/read')).toHaveLength(1);
});

test('updating the same record twice in one run sends two rounds, each item gets its result', async () => {
	const deal = hubspot.createObject('deals', { dealname: 'Twice', pipeline: 'default', dealstage: 'appointmentscheduled' });
	const results = await provider().updateRecords('deal', [
		{ id: deal.id, fields: { amount: 10 } },
		{ id: deal.id, fields: { amount: 20 } },
	]);
	expect(results.map((r) => r.ok && (r.value as any).amount)).toEqual([10, 20]);
	expect(calls('POST', '/crm/v3/objects/deals/batch/update').map((c) => c.body.inputs.length)).toEqual([1, 1]);
	expect(hubspot.getObject('deals', deal.id).properties.amount).toBe('20');
});

test('search translates normalized filters and pages through all results', async () => {
	for (let i = 0; i < 450; i++) {
		hubspot.createObject('contacts', { email: `p${i}@bulk.io`, lastname: i % 2 ? 'Odd' : 'Even', lifecyclestage: 'lead' });
	}
	hubspot.createObject('contacts', { email: 'other@else.io', lastname: 'Odd', lifecyclestage: 'customer' });
	const pages = await collectPages(
		provider().searchRecords('lead', { filters: [{ field: 'lastName', operator: 'eq', value: 'Odd' }] }),
	);
	expect(pages).toHaveLength(225);
	expect(new Set(pages.map((p) => p.id)).size).toBe(225);
	const searches = calls('POST', '/crm/v3/objects/contacts/search');
	expect(searches.length).toBe(2);
	expect(searches[0].body.filterGroups).toEqual([
		{
			filters: [
				{ propertyName: 'lastname', operator: 'EQ', value: 'Odd' },
				{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' },
			],
		},
	]);
	expect(searches[0].body.limit).toBe(200);
	expect(searches[0].body.after).toBeUndefined();
	expect(searches[1].body.after).toBe('200');
});

test('open records per owner are counted by HubSpot search (closed stages excluded)', async () => {
	const owner = (await provider().listUsers())[0];
	hubspot.createObject('deals', { dealname: 'a', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owner.id });
	hubspot.createObject('deals', { dealname: 'b', pipeline: 'default', dealstage: 'closedwon', hubspot_owner_id: owner.id });
	hubspot.createObject('deals', { dealname: 'c', pipeline: 'default', dealstage: 'contractsent', hubspot_owner_id: owner.id });
	expect(await provider().countOpenRecords('deal', owner.id)).toBe(2);
	const search = calls('POST', '/crm/v3/objects/deals/search')[0].body;
	expect(search.limit).toBe(1);
	expect(search.filterGroups[0].filters).toContainEqual(expect.objectContaining({ propertyName: 'dealstage', operator: 'NOT_IN' }));
});

describe('messages', () => {
	test('SMS and WhatsApp are logged as communications (81 = communication→contact)', async () => {
		const contact = hubspot.createObject('contacts', { email: 's@x.com', phone: '+4915112345678' });
		const results = await provider().logMessages([
			{ channel: 'sms', body: 'Your appointment is tomorrow', related: [{ type: 'contact', id: contact.id }], delivery: 'log' },
			{ channel: 'whatsapp', body: 'Hi!', related: [{ type: 'contact', id: contact.id }], delivery: 'log' },
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		const body = calls('POST', '/crm/v3/objects/communications/batch/create')[0].body;
		expect(body.inputs.map((i: any) => i.properties.hs_communication_channel_type)).toEqual(['SMS', 'WHATS_APP']);
		expect(body.inputs[0].properties.hs_communication_logged_from).toBe('CRM');
		expect(body.inputs[0].associations[0].types[0].associationTypeId).toBe(81);
		expect((results[0] as any).value).toMatchObject({ channel: 'sms', direction: 'outbound', body: 'Your appointment is tomorrow' });
	});

	test('real delivery uses the transactional single-send API; the dedupe key is the sendId', async () => {
		const contact = hubspot.createObject('contacts', { email: 'buyer@x.com' });
		const input = {
			channel: 'email' as const,
			subject: 'Receipt',
			body: 'Thanks',
			to: ['buyer@x.com'],
			related: [{ type: 'contact' as const, id: contact.id }],
			delivery: 'send' as const,
			templateId: '4242',
			dedupeKey: 'receipt-1',
		};
		const [first] = await provider().deliverMessages([input]);
		const [again] = await provider().deliverMessages([input]);
		expect(first.ok && again.ok).toBe(true);
		const sends = calls('POST', '/marketing/v3/transactional/single-email/send');
		expect(sends.map((s) => s.body)).toEqual([
			{ emailId: 4242, message: { to: 'buyer@x.com', sendId: 'receipt-1' }, customProperties: { subject: 'Receipt', body: 'Thanks' } },
			{ emailId: 4242, message: { to: 'buyer@x.com', sendId: 'receipt-1' }, customProperties: { subject: 'Receipt', body: 'Thanks' } },
		]);
		expect(hubspot.sentEmails).toHaveLength(1);
	});

	test('delivery without a template id is a clear input error', async () => {
		const [result] = await provider().deliverMessages([
			{ channel: 'email', body: 'x', to: ['a@b.co'], related: [{ type: 'contact', id: '1' }], delivery: 'send' },
		]);
		expect((result as any).error.message).toBe('Sending through HubSpot needs the id of a transactional email');
		expect(calls('POST', '/marketing/v3/transactional/single-email/send')).toHaveLength(0);
	});
});
