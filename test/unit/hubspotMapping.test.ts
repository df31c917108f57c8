import type { Pipeline } from '../../nodes/shared/model/types';
import {
	LEAD_STATUS_PIPELINE_ID,
	associationsFor,
	leadFromContact,
	leadFromLeadsObject,
	objectTypeOf,
	propertyOf,
	searchValue,
	toContact,
	toDeal,
	toProperties,
	toRecord,
	toTask,
	toTicket,
	writableFields,
} from '../../nodes/shared/providers/hubspot/mapping';
import type { HubSpotObject } from '../../nodes/shared/providers/hubspot/mapping';
import { inputErrorOf } from './expectError';

const object = (id: string, properties: HubSpotObject['properties'], extra: Partial<HubSpotObject> = {}): HubSpotObject => ({
	id,
	properties,
	...extra,
});

const dealPipelines: Pipeline[] = [
	{
		id: 'default',
		name: 'Sales Pipeline',
		objectType: 'deal',
		stages: [
			{ id: 'appointmentscheduled', name: 'Appointment Scheduled', order: 0, probability: 0.2, closed: 'open' },
			{ id: 'closedwon', name: 'Closed Won', order: 1, probability: 1, closed: 'won' },
			{ id: 'closedlost', name: 'Closed Lost', order: 2, probability: 0, closed: 'lost' },
		],
	},
];

const ticketPipelines: Pipeline[] = [
	{
		id: '0',
		name: 'Support Pipeline',
		objectType: 'ticket',
		stages: [
			{ id: '1', name: 'New', order: 0, closed: 'open' },
			{ id: '4', name: 'Closed', order: 1, closed: 'closed' },
		],
	},
];

describe('toProperties', () => {
	test('maps normalized fields to HubSpot property names, all as strings', () => {
		expect(
			toProperties('contacts', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', title: 'CTO', ownerId: 42 }),
		).toEqual({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', jobtitle: 'CTO', hubspot_owner_id: '42' });
	});

	test('skips undefined fields and sends null as an empty string (clears the property)', () => {
		expect(toProperties('contacts', { firstName: undefined, phone: null })).toEqual({ phone: '' });
	});

	test('an unknown field names itself and lists the writable fields', () => {
		expect(inputErrorOf(() => toProperties('contacts', { nickname: 'Ada' }))).toEqual({
			message: '"nickname" is not a field HubSpot contacts have',
			field: 'nickname',
			hint: 'Writable fields: firstName, lastName, email, phone, company, title, ownerId, timeZone, lifecycleStage, status. Put HubSpot property names under "Custom Properties".',
		});
		expect(inputErrorOf(() => toProperties('deals', { dealname: 'x' })).hint).toBe(
			'Writable fields: name, amount, currency, pipelineId, stageId, closeDate, ownerId. Put HubSpot property names under "Custom Properties".',
		);
	});

	test('a read-only field is refused, naming it', () => {
		expect(inputErrorOf(() => toProperties('deals', { probability: 0.5 }))).toEqual({
			message: '"probability" is calculated by HubSpot and cannot be written',
			field: 'probability',
			hint: undefined,
		});
		expect(inputErrorOf(() => toProperties('contacts', { emailOptOut: true })).field).toBe('emailOptOut');
	});

	test('numbers are sent as plain number strings; thousands separators and spaces are dropped', () => {
		expect(toProperties('deals', { amount: 1500 })).toEqual({ amount: '1500' });
		expect(toProperties('deals', { amount: '1,234.50' })).toEqual({ amount: '1234.5' });
		expect(toProperties('deals', { amount: ' 2 000 ' })).toEqual({ amount: '2000' });
		expect(toProperties('deals', { amount: 0 })).toEqual({ amount: '0' });
	});

	test('a value that is not a number is refused on its field', () => {
		expect(inputErrorOf(() => toProperties('deals', { amount: 'ten euros' }))).toEqual({
			message: '"ten euros" is not a number',
			field: 'amount',
			hint: 'Use a number such as 1250.50.',
		});
		expect(inputErrorOf(() => toProperties('deals', { amount: Infinity })).message).toBe('"Infinity" is not a number');
	});

	test('datetimes are sent as UTC ISO strings', () => {
		expect(toProperties('deals', { closeDate: '2026-12-01T10:00:00+01:00' })).toEqual({ closedate: '2026-12-01T09:00:00.000Z' });
		expect(toProperties('tasks', { dueAt: new Date(Date.UTC(2026, 2, 10, 9, 0, 0)) })).toEqual({
			hs_timestamp: '2026-03-10T09:00:00.000Z',
		});
	});

	test('an unreadable datetime is refused with an ISO hint', () => {
		expect(inputErrorOf(() => toProperties('tasks', { dueAt: 'next week' }))).toEqual({
			message: '"next week" is not a date',
			field: 'dueAt',
			hint: 'Use an ISO date such as 2026-12-01 or 2026-12-01T10:00:00Z (or epoch milliseconds).',
		});
	});

	test.each([
		['completed', 'COMPLETED'],
		['Completed', 'COMPLETED'],
		['open', 'NOT_STARTED'],
		[' OPEN ', 'NOT_STARTED'],
		['in_progress', 'IN_PROGRESS'],
		['waiting', 'WAITING'],
	])('task status %p is sent as %p', (status, expected) => {
		expect(toProperties('tasks', { status })).toEqual({ hs_task_status: expected });
	});

	test.each([
		['low', 'LOW'],
		['Medium', 'MEDIUM'],
		[' HIGH ', 'HIGH'],
	])('task priority %p is sent as %p', (priority, expected) => {
		expect(toProperties('tasks', { priority })).toEqual({ hs_task_priority: expected });
	});

	test('an unknown task priority is refused, listing the valid ones', () => {
		expect(inputErrorOf(() => toProperties('tasks', { priority: 'urgent' }))).toEqual({
			message: '"urgent" is not a task priority',
			field: 'priority',
			hint: 'Valid: low, medium, high.',
		});
	});

	test('ticket priority and task type are upper-cased; other resources\' status is left alone', () => {
		expect(toProperties('tickets', { priority: ' high ' })).toEqual({ hs_ticket_priority: 'HIGH' });
		expect(toProperties('tasks', { type: 'call' })).toEqual({ hs_task_type: 'CALL' });
		expect(toProperties('contacts', { status: 'open' })).toEqual({ hs_lead_status: 'open' });
	});

	test('custom properties pass through under their own names, as strings', () => {
		expect(
			toProperties(
				'deals',
				{ name: 'Big deal' },
				{ my_score: 7, is_partner: true, tags: ['a', 'b'], meta: { x: 1 }, cleared: null, note: 'as is' },
			),
		).toEqual({
			dealname: 'Big deal',
			my_score: '7',
			is_partner: 'true',
			tags: '["a","b"]',
			meta: '{"x":1}',
			cleared: '',
			note: 'as is',
		});
	});

	test('an unknown object type has no fields, so any field is unknown', () => {
		expect(inputErrorOf(() => toProperties('widgets', { a: 1 })).hint).toBe(
			'Writable fields: . Put HubSpot property names under "Custom Properties".',
		);
	});
});

describe('writableFields / propertyOf / objectTypeOf', () => {
	test('writable fields leave out read-only ones', () => {
		expect(writableFields('tasks')).toEqual(['subject', 'body', 'dueAt', 'status', 'priority', 'type', 'ownerId']);
		expect(writableFields('nothing')).toEqual([]);
	});

	test('propertyOf maps known fields and passes others through', () => {
		expect(propertyOf('deals', 'stageId')).toBe('dealstage');
		expect(propertyOf('tickets', 'stageId')).toBe('hs_pipeline_stage');
		expect(propertyOf('deals', 'my_custom_prop')).toBe('my_custom_prop');
	});

	test('leads live in the Leads object or in contacts, by lead model', () => {
		expect(objectTypeOf('lead', 'leadsObject')).toBe('leads');
		expect(objectTypeOf('lead', 'contactLifecycle')).toBe('contacts');
		expect(objectTypeOf('message', 'leadsObject')).toBe('emails');
	});
});

describe('toDeal', () => {
	test('maps the deal, with stage name from the pipelines and amount as a number', () => {
		const deal = toDeal(
			object(
				'901',
				{
					dealname: 'Acme renewal',
					amount: '12500.75',
					deal_currency_code: 'EUR',
					pipeline: 'default',
					dealstage: 'appointmentscheduled',
					closedate: '2026-12-01T00:00:00Z',
					hubspot_owner_id: '42',
					hs_deal_stage_probability: '0.4',
					hs_v2_date_entered_current_stage: '1767225600000',
				},
				{ createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z', url: 'https://app.hubspot.com/x' },
			),
			dealPipelines,
		);
		expect(deal).toEqual({
			id: '901',
			provider: 'hubspot',
			url: 'https://app.hubspot.com/x',
			createdAt: '2026-01-01T00:00:00Z',
			updatedAt: '2026-01-02T00:00:00Z',
			raw: expect.objectContaining({ id: '901' }),
			name: 'Acme renewal',
			amount: 12500.75,
			currency: 'EUR',
			pipelineId: 'default',
			stageId: 'appointmentscheduled',
			stageName: 'Appointment Scheduled',
			status: 'open',
			probability: 0.4,
			closeDate: '2026-12-01T00:00:00.000Z',
			ownerId: '42',
			stageChangedAt: '2026-01-01T00:00:00.000Z',
		});
	});

	test('hs_is_closed_won = "true" means won, whatever the stage metadata says', () => {
		const deal = toDeal(object('1', { hs_is_closed_won: 'true', hs_is_closed: 'true', pipeline: 'other', dealstage: 'x' }), dealPipelines);
		expect(deal.status).toBe('won');
		expect(deal.stageName).toBeUndefined();
	});

	test('a won stage means won even without the flag', () => {
		expect(toDeal(object('1', { pipeline: 'default', dealstage: 'closedwon' }), dealPipelines).status).toBe('won');
	});

	test('a lost stage, or closed but not won, means lost', () => {
		expect(toDeal(object('1', { pipeline: 'default', dealstage: 'closedlost' }), dealPipelines)).toMatchObject({
			status: 'lost',
			stageName: 'Closed Lost',
		});
		expect(toDeal(object('1', { hs_is_closed: 'true', hs_is_closed_won: 'false' }), []).status).toBe('lost');
	});

	test('otherwise open', () => {
		expect(toDeal(object('1', { hs_is_closed: 'false', hs_is_closed_won: 'false' }), []).status).toBe('open');
		expect(toDeal(object('1', {}), []).status).toBe('open');
	});

	test('probability falls back to the stage; empty or unreadable amounts are undefined', () => {
		const deal = toDeal(object('1', { pipeline: 'default', dealstage: 'closedwon', amount: '' }), dealPipelines);
		expect(deal.probability).toBe(1);
		expect(deal.amount).toBeUndefined();
		expect(toDeal(object('1', { amount: 'n/a' }), []).amount).toBeUndefined();
		expect(toDeal(object('1', { amount: null }), []).amount).toBeUndefined();
	});

	test('an unreadable close date is passed through as written', () => {
		expect(toDeal(object('1', { closedate: 'someday' }), []).closeDate).toBe('someday');
	});
});

describe('toTicket', () => {
	test('maps the ticket with the stage name as status and a lower-case priority', () => {
		const ticket = toTicket(
			object('77', {
				subject: 'Printer on fire',
				content: 'Smoke everywhere',
				hs_pipeline: '0',
				hs_pipeline_stage: '4',
				hs_ticket_priority: 'HIGH',
				hubspot_owner_id: '42',
				createdate: '2026-03-01T08:00:00Z',
				first_agent_reply_date: '1772352000000',
				closed_date: '',
			}),
			ticketPipelines,
		);
		expect(ticket).toMatchObject({
			id: '77',
			provider: 'hubspot',
			subject: 'Printer on fire',
			description: 'Smoke everywhere',
			status: 'Closed',
			pipelineId: '0',
			stageId: '4',
			priority: 'high',
			ownerId: '42',
			openedAt: '2026-03-01T08:00:00.000Z',
			firstResponseAt: new Date(1772352000000).toISOString(),
		});
		expect(ticket.closedAt).toBeUndefined();
	});

	test('an unknown stage shows its id as status; openedAt falls back to createdAt', () => {
		const ticket = toTicket(object('78', { hs_pipeline: '0', hs_pipeline_stage: '99' }, { createdAt: '2026-03-02T00:00:00Z' }), ticketPipelines);
		expect(ticket.status).toBe('99');
		expect(ticket.openedAt).toBe('2026-03-02T00:00:00Z');
		expect(ticket.priority).toBeUndefined();
	});
});

describe('toTask', () => {
	test('maps status, priority and due date', () => {
		expect(
			toTask(
				object('5', {
					hs_task_subject: 'Call Ada',
					hs_task_body: 'About the renewal',
					hs_timestamp: '2026-03-10T09:00:00Z',
					hs_task_status: 'COMPLETED',
					hs_task_priority: 'HIGH',
					hubspot_owner_id: '42',
				}),
			),
		).toMatchObject({
			id: '5',
			subject: 'Call Ada',
			body: 'About the renewal',
			dueAt: '2026-03-10T09:00:00.000Z',
			status: 'completed',
			priority: 'high',
			ownerId: '42',
		});
	});

	test('any other status is open; an unknown priority is dropped', () => {
		const task = toTask(object('5', { hs_task_status: 'NOT_STARTED', hs_task_priority: 'URGENT' }));
		expect(task.status).toBe('open');
		expect(task.priority).toBeUndefined();
		expect(toTask(object('6', {})).status).toBe('open');
	});

	test('related records are included only when given', () => {
		expect('related' in toTask(object('5', {}))).toBe(false);
		expect(toTask(object('5', {}), [{ type: 'contact', id: '1' }]).related).toEqual([{ type: 'contact', id: '1' }]);
	});
});

describe('toContact', () => {
	test('hs_email_optout = "true" opts the contact out of email and of everything', () => {
		const contact = toContact(object('1', { email: 'ada@example.com', hs_email_optout: 'true', hs_timezone: 'europe_slash_berlin' }));
		expect(contact.optedOut).toEqual({ email: true, all: true });
		expect(contact.email).toBe('ada@example.com');
		expect(contact.timeZone).toBe('europe_slash_berlin');
	});

	test('"false", empty or missing means not opted out', () => {
		expect(toContact(object('1', { hs_email_optout: 'false' })).optedOut).toEqual({ email: false, all: false });
		expect(toContact(object('1', { hs_email_optout: '' })).optedOut).toEqual({ email: false, all: false });
		expect(toContact(object('1', {})).optedOut).toEqual({ email: false, all: false });
	});

	test('empty strings and nulls become undefined; the id is a string', () => {
		const contact = toContact({ id: 12 as unknown as string, properties: { firstname: '', lastname: null, associatedcompanyid: '300' } });
		expect(contact.id).toBe('12');
		expect(contact.firstName).toBeUndefined();
		expect(contact.lastName).toBeUndefined();
		expect(contact.companyId).toBe('300');
	});
});

describe('leads', () => {
	test('leadFromContact: a contact in lifecycle "lead", lead status as stage', () => {
		const lead = leadFromContact(
			object('11', {
				firstname: 'Ada',
				lastname: 'Lovelace',
				email: 'ada@example.com',
				company: 'Analytical Engines',
				jobtitle: 'CTO',
				hs_lead_status: 'IN_PROGRESS',
				hs_analytics_source: 'ORGANIC_SEARCH',
				hubspot_owner_id: '42',
			}),
		);
		expect(lead).toMatchObject({
			id: '11',
			leadModel: 'contactLifecycle',
			firstName: 'Ada',
			lastName: 'Lovelace',
			name: 'Ada Lovelace',
			email: 'ada@example.com',
			company: 'Analytical Engines',
			title: 'CTO',
			status: 'IN_PROGRESS',
			stageId: 'IN_PROGRESS',
			pipelineId: LEAD_STATUS_PIPELINE_ID,
			source: 'ORGANIC_SEARCH',
			ownerId: '42',
			contactId: '11',
		});
		expect(LEAD_STATUS_PIPELINE_ID).toBe('hs_lead_status');
	});

	test('leadFromContact: the name is whatever parts exist, or undefined', () => {
		expect(leadFromContact(object('1', { lastname: 'Lovelace' })).name).toBe('Lovelace');
		expect(leadFromContact(object('1', {})).name).toBeUndefined();
	});

	test('leadFromLeadsObject: lead properties plus details of the associated contact', () => {
		const lead = leadFromLeadsObject(
			object('L1', { hs_lead_name: 'Acme inbound', hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id', hubspot_owner_id: '42' }),
			object('C1', { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', hs_analytics_source: 'DIRECT_TRAFFIC' }),
			'New',
		);
		expect(lead).toMatchObject({
			id: 'L1',
			leadModel: 'leadsObject',
			name: 'Acme inbound',
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@example.com',
			status: 'New',
			pipelineId: 'lead-pipeline-id',
			stageId: 'new-stage-id',
			source: 'DIRECT_TRAFFIC',
			ownerId: '42',
			contactId: 'C1',
		});
	});

	test('leadFromLeadsObject: without a lead name the contact name is used; without a stage name the stage id', () => {
		const lead = leadFromLeadsObject(object('L1', { hs_pipeline_stage: 'new-stage-id' }), object('C1', { firstname: 'Ada' }));
		expect(lead.name).toBe('Ada');
		expect(lead.status).toBe('new-stage-id');
		const alone = leadFromLeadsObject(object('L2', {}));
		expect(alone.name).toBeUndefined();
		expect(alone.contactId).toBeUndefined();
		expect(alone.email).toBeUndefined();
	});

	test('toRecord picks the mapping by lead model, with the stage name from the pipelines', () => {
		const pipelines: Pipeline[] = [
			{ id: 'lp', name: 'Leads', objectType: 'lead', stages: [{ id: 'ls1', name: 'Attempting', order: 0, closed: 'open' }] },
		];
		const fromLeads = toRecord('lead', object('L1', { hs_pipeline: 'lp', hs_pipeline_stage: 'ls1' }), { leadModel: 'leadsObject', pipelines });
		expect(fromLeads).toMatchObject({ leadModel: 'leadsObject', status: 'Attempting' });
		const fromContact = toRecord('lead', object('C1', { hs_lead_status: 'NEW' }), { leadModel: 'contactLifecycle', pipelines });
		expect(fromContact).toMatchObject({ leadModel: 'contactLifecycle', status: 'NEW', contactId: 'C1' });
	});
});

describe('associationsFor', () => {
	const link = (typeId: number, id: string) => ({
		to: { id },
		types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
	});

	test('task → contact is type 204, deal → contact 3, lead → contact 578', () => {
		expect(associationsFor('tasks', [{ type: 'contact', id: '1' }], 'leadsObject')).toEqual([link(204, '1')]);
		expect(associationsFor('deals', [{ type: 'contact', id: '2' }], 'leadsObject')).toEqual([link(3, '2')]);
		expect(associationsFor('leads', [{ type: 'contact', id: '3' }], 'leadsObject')).toEqual([link(578, '3')]);
	});

	test('several related records keep their order', () => {
		expect(
			associationsFor(
				'notes',
				[
					{ type: 'deal', id: '9' },
					{ type: 'company', id: '8' },
				],
				'leadsObject',
			),
		).toEqual([link(214, '9'), link(190, '8')]);
	});

	test('a lead is a Leads record or a contact, depending on the lead model', () => {
		expect(associationsFor('tasks', [{ type: 'lead', id: '5' }], 'leadsObject')).toEqual([link(646, '5')]);
		expect(associationsFor('tasks', [{ type: 'lead', id: '5' }], 'contactLifecycle')).toEqual([link(204, '5')]);
	});

	test('no related records gives no associations', () => {
		expect(associationsFor('tasks', undefined, 'leadsObject')).toEqual([]);
		expect(associationsFor('tasks', [], 'leadsObject')).toEqual([]);
	});

	test('an unknown pair fails on "related", listing what the object can be associated with', () => {
		expect(inputErrorOf(() => associationsFor('contacts', [{ type: 'deal', id: '1' }], 'leadsObject'))).toEqual({
			message: 'HubSpot contacts cannot be associated with deals',
			field: 'related',
			hint: 'Associable with: companies.',
		});
		expect(inputErrorOf(() => associationsFor('widgets', [{ type: 'contact', id: '1' }], 'leadsObject')).hint).toBe(
			'Associable with: nothing.',
		);
	});
});

describe('searchValue', () => {
	test('datetimes become epoch milliseconds as a string', () => {
		expect(searchValue('tasks', 'dueAt', '2026-12-01T10:00:00Z')).toBe(String(Date.UTC(2026, 11, 1, 10, 0, 0)));
		expect(searchValue('deals', 'closeDate', new Date(Date.UTC(2026, 0, 1)))).toBe('1767225600000');
		expect(searchValue('deals', 'updatedAt', '1767225600000')).toBe('1767225600000');
		expect(searchValue('deals', 'updatedAt', 1767225600000)).toBe('1767225600000');
	});

	test('an unreadable datetime is an error on the field', () => {
		expect(inputErrorOf(() => searchValue('deals', 'closeDate', 'last week'))).toEqual({
			message: '"last week" is not a date',
			field: 'closeDate',
			hint: 'Use an ISO date such as 2026-12-01 or 2026-12-01T10:00:00Z (or epoch milliseconds).',
		});
	});

	test('task status, upper-cased and boolean fields are converted like writes', () => {
		expect(searchValue('tasks', 'status', 'open')).toBe('NOT_STARTED');
		expect(searchValue('tasks', 'status', 'completed')).toBe('COMPLETED');
		expect(searchValue('tickets', 'priority', ' low ')).toBe('LOW');
		expect(searchValue('deals', 'isWon', true)).toBe('true');
		expect(searchValue('deals', 'isWon', 'yes')).toBe('false');
	});

	test('anything else is passed as a string', () => {
		expect(searchValue('deals', 'amount', 1000)).toBe('1000');
		expect(searchValue('contacts', 'my_custom', 'Value')).toBe('Value');
	});
});
