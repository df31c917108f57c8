'use strict';
/**
 * Default dataset of the local HubSpot sandbox: owners, pipelines and property definitions.
 * No CRM records are seeded (tests create their own and expect empty object stores).
 *
 * Sources (see /tmp/research/hubspot.md and /work/shared/vendors/hubspot.md):
 * - Owners: spec PublicApiSpecs/CRM/Crm Owners/Rollouts/146888/v3/crmOwners.json (PublicOwner).
 * - Pipelines: spec PublicApiSpecs/CRM/Pipelines/Rollouts/145896/v3/pipelines.json; the deal
 *   pipeline id `default` (https://developers.hubspot.com/docs/methods/pipelines/pipelines_overview)
 *   with HubSpot's default stage ids; stage metadata values are strings.
 * - Ticket pipeline `0` with stages 1..4 and the lead pipeline `lead-pipeline-id` (secondary /
 *   unverified in the research notes; read them at runtime in real code).
 * - Property options (lifecyclestage, hs_lead_status, task/ticket/email enums): defaults as
 *   listed in the research notes (marked unverified there; real portals can customise them).
 */

const SEED_TIME = '2024-01-02T09:00:00.000Z';

function owners() {
	const person = (id, userId, email, firstName, lastName, archived = false) => ({
		id,
		email,
		firstName,
		lastName,
		userId,
		userIdIncludingInactive: userId,
		type: 'PERSON',
		archived,
		createdAt: SEED_TIME,
		updatedAt: SEED_TIME,
		teams: [{ id: '5001', name: 'Sales', primary: true }],
	});
	return [
		person('101', 9001, 'ana@example.com', 'Ana', 'Alvarez'),
		person('102', 9002, 'ben@example.com', 'Ben', 'Baker'),
		person('103', 9003, 'cleo@example.com', 'Cleo', 'Chen'),
		person('104', 9004, 'dan@example.com', 'Dan', 'Dietrich'),
		// Only listed with ?archived=true (a deactivated user).
		person('105', 9005, 'eve@example.com', 'Eve', 'Evans', true),
	];
}

function stage(id, label, displayOrder, metadata) {
	return { id, label, displayOrder, archived: false, metadata, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT', createdAt: SEED_TIME, updatedAt: SEED_TIME };
}

function pipeline(id, label, displayOrder, stages) {
	return { id, label, displayOrder, archived: false, createdAt: SEED_TIME, updatedAt: SEED_TIME, stages };
}

const deal = (probability, isClosed = false) => ({ probability, isClosed: String(isClosed) });
const ticket = (ticketState) => ({ ticketState });

function pipelines() {
	return {
		deals: [
			pipeline('default', 'Sales Pipeline', 0, [
				stage('appointmentscheduled', 'Appointment scheduled', 0, deal('0.2')),
				stage('qualifiedtobuy', 'Qualified to buy', 1, deal('0.4')),
				stage('presentationscheduled', 'Presentation scheduled', 2, deal('0.6')),
				stage('decisionmakerboughtin', 'Decision maker bought-in', 3, deal('0.8')),
				stage('contractsent', 'Contract sent', 4, deal('0.9')),
				stage('closedwon', 'Closed won', 5, deal('1.0', true)),
				stage('closedlost', 'Closed lost', 6, deal('0.0', true)),
			]),
			pipeline('1001', 'Renewals', 1, [
				stage('2001', 'Renewal due', 0, deal('0.5')),
				stage('2002', 'Renewal negotiation', 1, deal('0.8')),
				stage('2003', 'Renewed', 2, deal('1.0', true)),
				stage('2004', 'Churned', 3, deal('0.0', true)),
			]),
		],
		tickets: [
			pipeline('0', 'Support Pipeline', 0, [
				stage('1', 'New', 0, ticket('OPEN')),
				stage('2', 'Waiting on contact', 1, ticket('OPEN')),
				stage('3', 'Waiting on us', 2, ticket('OPEN')),
				stage('4', 'Closed', 3, ticket('CLOSED')),
			]),
		],
		leads: [
			pipeline('lead-pipeline-id', 'Lead pipeline', 0, [
				stage('new-stage-id', 'New', 0, {}),
				stage('attempting-stage-id', 'Attempting', 1, {}),
				stage('connected-stage-id', 'Connected', 2, {}),
				stage('qualified-stage-id', 'Qualified', 3, {}),
				stage('unqualified-stage-id', 'Disqualified', 4, {}),
			]),
		],
	};
}

/** Enumeration options as the properties API returns them. */
function options(pairs) {
	return pairs.map(([value, label], displayOrder) => ({ label, value, displayOrder, hidden: false, description: '' }));
}

/** Enumeration properties: objectType → propertyName → { label, options }. */
function enumerations() {
	return {
		contacts: {
			lifecyclestage: {
				label: 'Lifecycle Stage',
				fieldType: 'radio',
				options: options([
					['subscriber', 'Subscriber'],
					['lead', 'Lead'],
					['marketingqualifiedlead', 'Marketing Qualified Lead'],
					['salesqualifiedlead', 'Sales Qualified Lead'],
					['opportunity', 'Opportunity'],
					['customer', 'Customer'],
					['evangelist', 'Evangelist'],
					['other', 'Other'],
				]),
			},
			hs_lead_status: {
				label: 'Lead Status',
				fieldType: 'radio',
				options: options([
					['NEW', 'New'],
					['OPEN', 'Open'],
					['IN_PROGRESS', 'In Progress'],
					['OPEN_DEAL', 'Open Deal'],
					['UNQUALIFIED', 'Unqualified'],
					['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
					['CONNECTED', 'Connected'],
					['BAD_TIMING', 'Bad Timing'],
				]),
			},
		},
		tickets: {
			hs_ticket_priority: {
				label: 'Priority',
				fieldType: 'select',
				options: options([
					['LOW', 'Low'],
					['MEDIUM', 'Medium'],
					['HIGH', 'High'],
					['URGENT', 'Urgent'],
				]),
			},
		},
		tasks: {
			hs_task_status: {
				label: 'Task Status',
				fieldType: 'select',
				options: options([
					['NOT_STARTED', 'Not started'],
					['IN_PROGRESS', 'In progress'],
					['WAITING', 'Waiting'],
					['COMPLETED', 'Completed'],
					['DEFERRED', 'Deferred'],
				]),
			},
			hs_task_priority: {
				label: 'Priority',
				fieldType: 'select',
				options: options([
					['NONE', 'None'],
					['LOW', 'Low'],
					['MEDIUM', 'Medium'],
					['HIGH', 'High'],
				]),
			},
			hs_task_type: {
				label: 'Task Type',
				fieldType: 'select',
				options: options([
					['TODO', 'To-do'],
					['CALL', 'Call'],
					['EMAIL', 'Email'],
					['LINKED_IN', 'LinkedIn'],
				]),
			},
		},
		emails: {
			hs_email_direction: {
				label: 'Email direction',
				fieldType: 'select',
				options: options([
					['EMAIL', 'Sent by owner'],
					['INCOMING_EMAIL', 'Reply from contact'],
					['FORWARDED_EMAIL', 'Forwarded'],
				]),
			},
			hs_email_status: {
				label: 'Email send status',
				fieldType: 'select',
				options: options([
					['BOUNCED', 'Bounced'],
					['FAILED', 'Failed'],
					['SCHEDULED', 'Scheduled'],
					['SENDING', 'Sending'],
					['SENT', 'Sent'],
				]),
			},
		},
		communications: {
			hs_communication_channel_type: {
				label: 'Channel type',
				fieldType: 'select',
				options: options([
					['SMS', 'SMS'],
					['WHATS_APP', 'WhatsApp'],
					['LINKEDIN_MESSAGE', 'LinkedIn'],
				]),
			},
			hs_communication_logged_from: {
				label: 'Logged from',
				fieldType: 'select',
				options: options([['CRM', 'CRM']]),
			},
		},
	};
}

const ACCOUNT = {
	portalId: 12345678,
	accountType: 'STANDARD',
	timeZone: 'US/Eastern',
	companyCurrency: 'USD',
	additionalCurrencies: [],
	utcOffset: '-05:00',
	utcOffsetMilliseconds: -18000000,
	uiDomain: 'app.hubspot.com',
	dataHostingLocation: 'na1',
};

/** A fresh copy of the default dataset (callers may mutate it). */
function defaultSeed() {
	return { account: { ...ACCOUNT }, owners: owners(), pipelines: pipelines(), enumerations: enumerations() };
}

/** What the sandbox holds with `seed: false`: the account only. */
function emptySeed() {
	return { account: { ...ACCOUNT }, owners: [], pipelines: { deals: [], tickets: [], leads: [] }, enumerations: enumerations() };
}

module.exports = { defaultSeed, emptySeed, SEED_TIME };
