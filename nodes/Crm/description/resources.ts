import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { workingDaysOption } from '../../shared/node/providerDescription';

import {
	assignmentFields,
	associationsField,
	customPropertiesField,
	pipelineLocator,
	recordIdField,
	returnAllAndLimit,
	searchFields,
	show,
	stageLocator,
	transitionGuardField,
} from './common';
import { scoreProperties } from './score';

const op = (name: string, value: string, action: string, description?: string): INodePropertyOptions => ({
	name,
	value,
	action,
	...(description ? { description } : {}),
});

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Company', value: 'company' },
		{ name: 'Contact', value: 'contact' },
		{ name: 'Deal', value: 'deal' },
		{ name: 'Lead', value: 'lead' },
		{ name: 'Message', value: 'message' },
		{ name: 'Pipeline', value: 'pipeline' },
		{ name: 'Task', value: 'task' },
		{ name: 'Ticket', value: 'ticket' },
		{ name: 'User', value: 'user' },
	],
	default: 'lead',
};

function operations(resource: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show([resource]),
		options,
		default: defaultValue,
	};
}

type FieldDef = [displayName: string, name: string, type?: 'string' | 'number' | 'dateTime' | 'options', extra?: Partial<INodeProperties>];

function fieldsCollection(resource: string, ops: string[], defs: FieldDef[], displayName = 'Fields'): INodeProperties {
	return {
		displayName,
		name: 'fields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show([resource], ops),
		options: defs
			.sort((a, b) => a[0].localeCompare(b[0]))
			.map(([label, name, type, extra]) => ({
				displayName: label,
				name,
				type: type ?? 'string',
				default: type === 'number' ? 0 : '',
				...(extra ?? {}),
			})) as INodeProperties[],
	};
}

const ownerField: FieldDef = ['Owner ID', 'ownerId', 'string', { description: 'ID of the CRM user who owns the record' }];
const emailField: FieldDef = ['Email', 'email', 'string', { placeholder: 'name@email.com' }];

// ── Lead ─────────────────────────────────────────────────────────────────────
const leadFields: FieldDef[] = [
	['First Name', 'firstName'],
	['Last Name', 'lastName'],
	['Name', 'name', 'string', { description: 'Lead name, where the CRM has one (else first + last name)' }],
	['Phone', 'phone'],
	['Company', 'company'],
	['Title', 'title'],
	['Status', 'status', 'string', { description: 'Lead status name or ID' }],
	ownerField,
];
const lead: INodeProperties[] = [
	operations(
		'lead',
		[
			op('Assign Owner', 'assignOwner', 'Assign an owner to a lead', 'Pick the owner with an assignment strategy'),
			op('Create', 'create', 'Create a lead'),
			op('Get', 'get', 'Get a lead'),
			op('Qualify', 'qualify', 'Qualify a lead', 'Mark the lead qualified, optionally creating a deal'),
			op('Score', 'score', 'Score a lead', 'Score by weighted field rules and fading activity, with a band; optionally write both back'),
			op('Search', 'search', 'Search leads'),
			op('Update', 'update', 'Update a lead'),
			op('Update Status', 'updateStatus', 'Update the status of a lead', 'Move the lead to a status by name or ID'),
		],
		'create',
	),
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', displayOptions: show(['lead'], ['create']) },
	fieldsCollection('lead', ['create'], leadFields, 'Additional Fields'),
	fieldsCollection('lead', ['update'], [...leadFields, emailField], 'Update Fields'),
	recordIdField('lead', ['get', 'update', 'updateStatus', 'assignOwner', 'qualify'], 'Lead ID'),
	stageLocator('lead', ['updateStatus'], 'Status'),
	transitionGuardField('lead', ['updateStatus']),
	{
		displayName: 'Create Deal',
		name: 'createDeal',
		type: 'boolean',
		default: false,
		description: 'Whether to also create a deal for the qualified lead',
		displayOptions: show(['lead'], ['qualify']),
	},
	{
		displayName: 'Deal Name',
		name: 'dealName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['lead'], operation: ['qualify'], createDeal: [true] } },
	},
	...assignmentFields('lead', ['assignOwner']),
	...searchFields('lead', ['email', 'lastName', 'company', 'status', 'ownerId']),
	customPropertiesField('lead', ['create', 'update']),
	...scoreProperties('lead'),
];

// ── Contact ──────────────────────────────────────────────────────────────────
const contactFields: FieldDef[] = [
	['First Name', 'firstName'],
	['Last Name', 'lastName'],
	['Phone', 'phone'],
	['Company', 'company'],
	['Title', 'title'],
	['Time Zone', 'timeZone'],
	['Lifecycle Stage', 'lifecycleStage'],
	ownerField,
];
const contact: INodeProperties[] = [
	operations(
		'contact',
		[
			op('Create or Update', 'upsert', 'Create or update a contact', 'Create a contact, or update the one with the same email'),
			op('Get', 'get', 'Get a contact'),
			op('Score', 'score', 'Score a contact', 'Score by weighted field rules and fading activity, with a band; optionally write both back'),
			op('Search', 'search', 'Search contacts'),
			op('Update', 'update', 'Update a contact'),
		],
		'upsert',
	),
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', required: true, default: '', displayOptions: show(['contact'], ['upsert']) },
	fieldsCollection('contact', ['upsert'], contactFields, 'Additional Fields'),
	fieldsCollection('contact', ['update'], [...contactFields, emailField], 'Update Fields'),
	recordIdField('contact', ['get', 'update'], 'Contact ID'),
	...searchFields('contact', ['email', 'lastName', 'firstName', 'ownerId']),
	customPropertiesField('contact', ['upsert', 'update']),
	...scoreProperties('contact'),
];

// ── Company ──────────────────────────────────────────────────────────────────
const company: INodeProperties[] = [
	operations(
		'company',
		[
			op('Create', 'create', 'Create a company'),
			op('Get', 'get', 'Get a company'),
			op('Search', 'search', 'Search companies'),
			op('Update', 'update', 'Update a company'),
		],
		'create',
	),
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', displayOptions: show(['company'], ['create']) },
	fieldsCollection('company', ['create'], [['Domain', 'domain'], ownerField], 'Additional Fields'),
	fieldsCollection('company', ['update'], [['Name', 'name'], ['Domain', 'domain'], ownerField], 'Update Fields'),
	recordIdField('company', ['get', 'update'], 'Company ID'),
	...searchFields('company', ['name', 'domain', 'ownerId']),
	customPropertiesField('company', ['create', 'update']),
];

// ── Deal ─────────────────────────────────────────────────────────────────────
const dealFields: FieldDef[] = [
	['Amount', 'amount', 'number'],
	['Currency', 'currency', 'string', { placeholder: 'EUR' }],
	['Close Date', 'closeDate', 'dateTime'],
	ownerField,
];
const deal: INodeProperties[] = [
	operations(
		'deal',
		[
			op('Assign Owner', 'assignOwner', 'Assign an owner to a deal', 'Pick the owner with an assignment strategy'),
			op('Create', 'create', 'Create a deal'),
			op('Get', 'get', 'Get a deal'),
			op('Search', 'search', 'Search deals'),
			op('Update', 'update', 'Update a deal'),
			op('Update Stage', 'updateStage', 'Update the stage of a deal', 'Move the deal to a stage by name or ID'),
		],
		'create',
	),
	// The record first: what the node acts on, then how.
	recordIdField('deal', ['get', 'update', 'updateStage', 'assignOwner'], 'Deal ID'),
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', displayOptions: show(['deal'], ['create']) },
	pipelineLocator('deal', ['create']),
	stageLocator('deal', ['create', 'updateStage']),
	fieldsCollection('deal', ['create'], dealFields, 'Additional Fields'),
	fieldsCollection('deal', ['update'], [['Name', 'name'], ...dealFields], 'Update Fields'),
	associationsField('deal', ['create'], ['contact', 'company']),
	transitionGuardField('deal', ['updateStage']),
	{
		displayName: 'Move to Pipeline',
		name: 'targetPipeline',
		type: 'string',
		default: '',
		description: "Name or ID of another pipeline to move the deal to; empty keeps the deal's pipeline",
		displayOptions: show(['deal'], ['updateStage']),
	},
	...assignmentFields('deal', ['assignOwner']),
	...searchFields('deal', ['name', 'stageId', 'pipelineId', 'amount', 'ownerId', 'closeDate']),
	customPropertiesField('deal', ['create', 'update']),
];

// ── Ticket ───────────────────────────────────────────────────────────────────
const ticketFields: FieldDef[] = [
	['Description', 'description'],
	[
		'Priority',
		'priority',
		'options',
		{
			options: [
				{ name: 'High', value: 'high' },
				{ name: 'Low', value: 'low' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'Urgent', value: 'urgent' },
			],
			default: 'medium',
		},
	],
	ownerField,
];
const ticket: INodeProperties[] = [
	operations(
		'ticket',
		[
			op('Assign Owner', 'assignOwner', 'Assign an owner to a ticket', 'Pick the owner with an assignment strategy'),
			op('Create', 'create', 'Create a ticket'),
			op('Get', 'get', 'Get a ticket'),
			op('Search', 'search', 'Search tickets'),
			op('Update', 'update', 'Update a ticket'),
			op('Update Status', 'updateStage', 'Update the status of a ticket', 'Move the ticket to a status (stage) by name or ID'),
		],
		'create',
	),
	// The record first: what the node acts on, then how.
	recordIdField('ticket', ['get', 'update', 'updateStage', 'assignOwner'], 'Ticket ID'),
	{ displayName: 'Subject', name: 'subject', type: 'string', required: true, default: '', displayOptions: show(['ticket'], ['create']) },
	pipelineLocator('ticket', ['create']),
	stageLocator('ticket', ['create', 'updateStage'], 'Status'),
	fieldsCollection('ticket', ['create'], ticketFields, 'Additional Fields'),
	fieldsCollection('ticket', ['update'], [['Subject', 'subject'], ...ticketFields], 'Update Fields'),
	associationsField('ticket', ['create'], ['contact', 'company', 'deal']),
	transitionGuardField('ticket', ['updateStage']),
	{
		displayName: 'Move to Pipeline',
		name: 'targetPipeline',
		type: 'string',
		default: '',
		description: "Name or ID of another pipeline to move the ticket to; empty keeps the ticket's pipeline",
		displayOptions: show(['ticket'], ['updateStage']),
	},
	...assignmentFields('ticket', ['assignOwner']),
	...searchFields('ticket', ['subject', 'stageId', 'pipelineId', 'priority', 'ownerId']),
	customPropertiesField('ticket', ['create', 'update']),
];

// ── Task ─────────────────────────────────────────────────────────────────────
const relatedTypeOptions = [
	{ name: 'Company', value: 'company' },
	{ name: 'Contact', value: 'contact' },
	{ name: 'Deal', value: 'deal' },
	{ name: 'Lead', value: 'lead' },
	{ name: 'Ticket', value: 'ticket' },
];
const task: INodeProperties[] = [
	operations(
		'task',
		[
			op('Assign', 'assign', 'Assign a task', 'Create a task on a record for a user picked by a strategy'),
			op('Complete', 'complete', 'Complete a task'),
			op('List Open', 'listOpen', 'List open tasks'),
		],
		'assign',
	),
	{ displayName: 'Subject', name: 'subject', type: 'string', required: true, default: '', placeholder: 'Call within 1 business day', displayOptions: show(['task'], ['assign']) },
	{ displayName: 'Related To', name: 'relatedType', type: 'options', options: relatedTypeOptions, default: 'contact', description: 'The kind of record the task is about', displayOptions: show(['task'], ['assign']) },
	{ displayName: 'Related Record ID', name: 'relatedId', type: 'string', required: true, default: '', displayOptions: show(['task'], ['assign']) },
	{
		displayName: 'Due',
		name: 'due',
		type: 'string',
		default: 'in 1 business day at 10:00',
		description:
			'An ISO date (2026-12-01T10:00) or a phrase: "in 2 business days at 10:00", "in 3 hours", "tomorrow at 9:00"',
		displayOptions: show(['task'], ['assign']),
	},
	...assignmentFields('task', ['assign']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['task'], ['assign']),
		options: [
			{ displayName: 'Body', name: 'body', type: 'string', typeOptions: { rows: 3 }, default: '' },
			{
				displayName: 'Holidays',
				name: 'holidays',
				type: 'string',
				default: '',
				placeholder: '2026-12-25, 2026-12-26',
				description: 'Dates (yyyy-MM-dd) that do not count as business days',
			},
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				options: [
					{ name: 'High', value: 'high' },
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
				],
				default: 'medium',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: "Time zone for relative due dates; empty uses the workflow's time zone",
			},
			workingDaysOption,
		],
	},
	recordIdField('task', ['complete'], 'Task ID'),
	{
		displayName: 'Owner',
		name: 'owner',
		type: 'string',
		default: '',
		placeholder: 'ana@example.com',
		description: 'Email or ID of the user whose open tasks to list; empty lists everyone\'s',
		displayOptions: show(['task'], ['listOpen']),
	},
	...returnAllAndLimit('task', ['listOpen']),
];

// ── Message ──────────────────────────────────────────────────────────────────
const message: INodeProperties[] = [
	operations('message', [op('Send', 'send', 'Send a message', 'Send or log an email, SMS, WhatsApp message or note on a record')], 'send'),
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Internal Note', value: 'note' },
			{ name: 'SMS', value: 'sms' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		default: 'email',
		displayOptions: show(['message'], ['send']),
	},
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		options: [
			{ name: 'Log Only', value: 'log', description: "Record the message on the record's timeline; nothing is delivered" },
			{ name: 'Send Through the CRM', value: 'send', description: 'Really deliver it, where the CRM can (the output says which happened)' },
		],
		default: 'log',
		displayOptions: { show: { resource: ['message'], operation: ['send'], channel: ['email', 'sms', 'whatsapp'] } },
	},
	{ displayName: 'Related To', name: 'relatedType', type: 'options', options: relatedTypeOptions, default: 'contact', description: 'The record the message is shown on (a contact is also the recipient)', displayOptions: show(['message'], ['send']) },
	{ displayName: 'Related Record ID', name: 'relatedId', type: 'string', required: true, default: '', displayOptions: show(['message'], ['send']) },
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['message'], operation: ['send'], channel: ['email'] } },
	},
	{ displayName: 'Body', name: 'body', type: 'string', typeOptions: { rows: 5 }, required: true, default: '', displayOptions: show(['message'], ['send']) },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['message'], ['send']),
		options: [
			{
				displayName: 'Dedupe Key',
				name: 'dedupeKey',
				type: 'string',
				default: '',
				placeholder: 'welcome-{{ $json.ID }}',
				description: 'A key unique to this message; if a message with the same key is already on the record, it is not logged or sent again',
			},
			{ displayName: 'From', name: 'from', type: 'string', default: '', placeholder: 'sales@example.com' },
			{
				displayName: 'Ignore Opt-Out (Transactional)',
				name: 'ignoreOptOut',
				type: 'boolean',
				default: false,
				description: 'Whether to send even to contacts who opted out. Only for transactional messages such as receipts or password resets.',
			},
			{ displayName: 'Owner ID', name: 'ownerId', type: 'string', default: '', description: 'CRM user the logged message is attributed to' },
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				default: '',
				description: 'For "Send Through the CRM": the CRM email template (HubSpot: the transactional email ID)',
			},
			{ displayName: 'To', name: 'to', type: 'string', default: '', description: "Recipients, comma-separated; default: the related contact's email" },
		],
	},
];

// ── User, Pipeline ───────────────────────────────────────────────────────────
const user: INodeProperties[] = [
	operations(
		'user',
		[op('Get by Email', 'getByEmail', 'Get a user by email'), op('Get Many', 'getAll', 'Get many users')],
		'getAll',
	),
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', required: true, default: '', displayOptions: show(['user'], ['getByEmail']) },
	...returnAllAndLimit('user', ['getAll']),
];

const pipeline: INodeProperties[] = [
	operations('pipeline', [op('Get Many', 'getAll', 'Get many pipelines', 'List pipelines and their stages')], 'getAll'),
	{
		displayName: 'Object Type',
		name: 'objectType',
		type: 'options',
		options: [
			{ name: 'Deal', value: 'deal' },
			{ name: 'Lead', value: 'lead' },
			{ name: 'Ticket', value: 'ticket' },
		],
		default: 'deal',
		displayOptions: show(['pipeline'], ['getAll']),
	},
];

export const resourceProperties: INodeProperties[] = [
	...company,
	...contact,
	...deal,
	...lead,
	...message,
	...pipeline,
	...task,
	...ticket,
	...user,
];
