'use strict';
/**
 * The org a fresh Zoho sandbox starts with: users, the module/field catalogue, layouts, Deals
 * pipelines, a Blueprint on Deals.Stage, an assignment rule, allowed From addresses.
 *
 * Field API names and picklist values follow Zoho CRM's standard modules as its docs show them
 * (https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html, module-meta.html); which fields
 * an org makes mandatory is an admin setting, so the `required` marks below are the defaults as we
 * read them (UNCONFIRMED: Company on Leads and Closing_Date on Deals; see UNCONFIRMED.md).
 */

const ORG_ID = '60012345678';
/** Zoho ids are long digit strings; every seeded id starts with this prefix. */
const ID_PREFIX = '5725767000000';
const sid = (n) => `${ID_PREFIX}${String(n).padStart(6, '0')}`;

const USERS = [
	{ id: sid(101), first_name: 'Ada', last_name: 'Admin', email: 'admin@example.com', role: 'CEO', profile: 'Administrator' },
	{ id: sid(102), first_name: 'Sam', last_name: 'Sales', email: 'sam@example.com', role: 'Manager', profile: 'Standard' },
	{ id: sid(103), first_name: 'Sara', last_name: 'Support', email: 'sara@example.com', role: 'Manager', profile: 'Standard' },
	{ id: sid(104), first_name: 'Ian', last_name: 'Inactive', email: 'ian@example.com', role: 'Manager', profile: 'Standard', status: 'disabled' },
];

// Field kinds = Zoho's `data_type` values (field-meta.html): text, textarea, email, phone, website,
// picklist, integer, double, currency, boolean, date, datetime, lookup, ownerlookup, bigint.
const f = (api_name, data_type, extra = {}) => ({ api_name, data_type, ...extra });
const pick = (api_name, values, extra = {}) => f(api_name, 'picklist', { values, ...extra });
const lookup = (api_name, module, extra = {}) => f(api_name, 'lookup', { module, ...extra });

const LEAD_STATUS = ['-None-', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified'];
const LEAD_SOURCE = ['-None-', 'Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Online Store', 'Partner', 'Public Relations', 'Sales Email Alias', 'Seminar Partner', 'Internal Seminar', 'Trade Show', 'Web Download', 'Web Research', 'Chat'];
const COMMON = [
	f('Owner', 'ownerlookup'),
	f('Created_Time', 'datetime', { read_only: true }),
	f('Modified_Time', 'datetime', { read_only: true }),
	f('Created_By', 'ownerlookup', { read_only: true }),
	f('Modified_By', 'ownerlookup', { read_only: true }),
	f('Description', 'textarea', { length: 32000 }),
];
const PERSON = [
	f('First_Name', 'text', { length: 40 }),
	f('Last_Name', 'text', { length: 80, required: true }),
	f('Full_Name', 'text', { read_only: true }),
	f('Email', 'email'),
	f('Secondary_Email', 'email'),
	f('Phone', 'phone', { length: 30 }),
	f('Mobile', 'phone', { length: 30 }),
	f('Email_Opt_Out', 'boolean'),
	pick('Lead_Source', LEAD_SOURCE),
];

const MODULES = {
	Leads: {
		id: sid(2),
		singular: 'Lead',
		fields: [
			...COMMON,
			...PERSON,
			// UNCONFIRMED: Company is mandatory in the default Leads layout (an admin can change it).
			f('Company', 'text', { length: 200, required: true }),
			f('Designation', 'text', { length: 100 }),
			f('Website', 'website'),
			pick('Lead_Status', LEAD_STATUS),
			pick('Industry', ['-None-', 'ASP (Application Service Provider)', 'Data/Telecom OEM', 'ERP (Enterprise Resource Planning)', 'Government/Military', 'Large Enterprise', 'ManagementISV', 'Non-management ISV', 'Service Provider', 'Small/Medium Enterprise', 'Storage Equipment', 'Storage Service Provider', 'Systems Integrator', 'Wireless Industry']),
			f('Annual_Revenue', 'currency'),
			f('No_of_Employees', 'integer'),
		],
	},
	Contacts: {
		id: sid(3),
		singular: 'Contact',
		fields: [...COMMON, ...PERSON, lookup('Account_Name', 'Accounts'), f('Title', 'text', { length: 100 }), f('Department', 'text', { length: 100 })],
	},
	Accounts: {
		id: sid(4),
		singular: 'Account',
		fields: [...COMMON, f('Account_Name', 'text', { length: 200, required: true }), f('Website', 'website'), f('Phone', 'phone', { length: 30 }), pick('Industry', ['-None-', 'Large Enterprise', 'Small/Medium Enterprise', 'Service Provider']), pick('Account_Type', ['-None-', 'Analyst', 'Competitor', 'Customer', 'Distributor', 'Integrator', 'Investor', 'Other', 'Partner', 'Press', 'Prospect', 'Reseller', 'Supplier', 'Vendor'])],
	},
	Deals: {
		id: sid(5),
		singular: 'Deal',
		fields: [
			...COMMON,
			f('Deal_Name', 'text', { length: 120, required: true }),
			// Stage values come from the pipelines (layout-scoped), not a fixed list.
			pick('Stage', [], { required: true, pipelineStages: true }),
			pick('Pipeline', [], { pipelines: true }),
			// UNCONFIRMED: Closing_Date is mandatory in the default Deals layout.
			f('Closing_Date', 'date', { required: true }),
			f('Amount', 'currency'),
			f('Probability', 'integer'),
			f('Expected_Revenue', 'currency', { read_only: true }),
			lookup('Account_Name', 'Accounts'),
			lookup('Contact_Name', 'Contacts'),
			pick('Type', ['-None-', 'Existing Business', 'New Business']),
			pick('Lead_Source', LEAD_SOURCE),
			f('Next_Step', 'text', { length: 100 }),
			// Set by Zoho when the deal is edited or an activity/note is added to it (see server.js).
			f('Last_Activity_Time', 'datetime', { read_only: true }),
		],
	},
	Cases: {
		id: sid(6),
		singular: 'Case',
		fields: [
			...COMMON,
			f('Subject', 'text', { length: 255, required: true }),
			f('Case_Number', 'autonumber', { read_only: true }),
			pick('Status', ['New', 'On Hold', 'Escalated', 'Closed'], { default: 'New' }),
			pick('Priority', ['-None-', 'High', 'Medium', 'Low']),
			// UNCONFIRMED: some orgs make Case_Origin mandatory; the sandbox does not.
			pick('Case_Origin', ['-None-', 'Email', 'Phone', 'Web']),
			pick('Type', ['-None-', 'Problem', 'Feature Request', 'Question']),
			f('Email', 'email'),
			f('Phone', 'phone', { length: 30 }),
			lookup('Account_Name', 'Accounts'),
			lookup('Related_To', 'Contacts'),
			lookup('Deal_Name', 'Deals'),
		],
	},
	Tasks: {
		id: sid(7),
		singular: 'Task',
		fields: [
			...COMMON,
			f('Subject', 'text', { length: 300, required: true }),
			f('Due_Date', 'date'),
			pick('Status', ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'], { default: 'Not Started' }),
			pick('Priority', ['High', 'Highest', 'Low', 'Lowest', 'Normal'], { default: 'High' }),
			// What_Id points to any of several modules, named by `$se_module` (tasks API docs).
			f('What_Id', 'lookup', { modules: ['Leads', 'Accounts', 'Deals', 'Cases'] }),
			lookup('Who_Id', 'Contacts'),
			f('Closed_Time', 'datetime', { read_only: true }),
		],
	},
	// Calls and meetings (Events), linked like tasks. UNCONFIRMED: a lead as What_Id (with `$se_module`)
	// as on Tasks (Zoho's UI shows a lead under "Call To"/"Participants" too).
	Calls: {
		id: sid(9),
		singular: 'Call',
		fields: [
			...COMMON,
			f('Subject', 'text', { length: 300, required: true }),
			pick('Call_Type', ['Outbound', 'Inbound', 'Missed'], { required: true }),
			f('Call_Start_Time', 'datetime', { required: true }),
			f('Call_Duration', 'text', { length: 10 }),
			f('What_Id', 'lookup', { modules: ['Leads', 'Accounts', 'Deals', 'Cases'] }),
			lookup('Who_Id', 'Contacts'),
		],
	},
	Events: {
		id: sid(10),
		singular: 'Meeting',
		fields: [
			...COMMON,
			f('Event_Title', 'text', { length: 300, required: true }),
			f('Start_DateTime', 'datetime', { required: true }),
			f('End_DateTime', 'datetime', { required: true }),
			f('What_Id', 'lookup', { modules: ['Leads', 'Accounts', 'Deals', 'Cases'] }),
			lookup('Who_Id', 'Contacts'),
		],
	},
	Notes: {
		id: sid(8),
		singular: 'Note',
		fields: [
			f('Owner', 'ownerlookup'),
			f('Created_Time', 'datetime', { read_only: true }),
			f('Modified_Time', 'datetime', { read_only: true }),
			f('Created_By', 'ownerlookup', { read_only: true }),
			f('Modified_By', 'ownerlookup', { read_only: true }),
			f('Note_Title', 'text', { length: 120 }),
			f('Note_Content', 'textarea', { length: 32000, required: true }),
			f('Parent_Id', 'lookup', { modules: ['Leads', 'Contacts', 'Accounts', 'Deals', 'Cases', 'Tasks'] }),
		],
	},
};

/** Default duplicate-check fields of upsert when none are given (upsert-records.html "system-defined duplicate check fields"). */
const SYSTEM_DUPLICATE_CHECK = { Leads: ['Email'], Contacts: ['Email'], Accounts: ['Account_Name'], Deals: ['Deal_Name'], Cases: ['Subject'], Tasks: ['Subject'], Calls: ['Subject'], Events: ['Event_Title'], Notes: [] };

const stage = (name, probability, forecast_type) => ({ name, probability, forecast_type });
const ZOHO_STAGES = [
	stage('Qualification', 10, 'Open'),
	stage('Needs Analysis', 20, 'Open'),
	stage('Value Proposition', 40, 'Open'),
	stage('Id. Decision Makers', 60, 'Open'),
	stage('Proposal/Price Quote', 75, 'Open'),
	stage('Negotiation/Review', 90, 'Open'),
	stage('Closed Won', 100, 'Closed Won'),
	stage('Closed Lost', 0, 'Closed Lost'),
	stage('Closed Lost to Competition', 0, 'Closed Lost'),
];
/** The stage names the package's examples use (like the HubSpot/EspoCRM/Salesforce sandboxes). */
const EXAMPLE_STAGES = [
	stage('Appointment scheduled', 20, 'Open'),
	stage('Qualified to buy', 40, 'Open'),
	stage('Presentation scheduled', 60, 'Open'),
	stage('Decision maker bought-in', 80, 'Open'),
	stage('Contract sent', 90, 'Open'),
	stage('Closed won', 100, 'Closed Won'),
	stage('Closed lost', 0, 'Closed Lost'),
];
const ENTERPRISE_STAGES = [stage('Discovery', 10, 'Open'), stage('Proposal', 50, 'Open'), stage('Negotiation', 80, 'Open'), stage('Won', 100, 'Closed Won'), stage('Lost', 0, 'Closed Lost')];

/**
 * Pipelines of the Deals "Standard" layout. The Enterprise pipeline's deals are under a Blueprint
 * on Stage (below), so a plain update of their Stage is refused with RECORD_IN_BLUEPRINT.
 */
function pipelines(standardStages = ZOHO_STAGES) {
	return [
		{ id: sid(301), name: 'Standard (Standard)', default: true, stages: standardStages },
		{ id: sid(302), name: 'Enterprise', default: false, stages: ENTERPRISE_STAGES },
	];
}

/**
 * A Blueprint on Deals.Stage for the Enterprise pipeline's deals. Transitions go forward stage by
 * stage; "Send proposal" needs Amount filled in; "Close lost" is possible from every open stage.
 */
function blueprints() {
	return [
		{
			id: sid(401),
			name: 'Enterprise sales',
			module: 'Deals',
			field: 'Stage',
			appliesTo: { field: 'Pipeline', value: 'Enterprise' },
			transitions: [
				{ id: sid(411), name: 'Send proposal', from: ['Discovery'], to: 'Proposal', fields: ['Amount'] },
				{ id: sid(412), name: 'Start negotiation', from: ['Proposal'], to: 'Negotiation', fields: [] },
				{ id: sid(413), name: 'Close won', from: ['Negotiation'], to: 'Won', fields: ['Closing_Date'] },
				{ id: sid(414), name: 'Close lost', from: ['Discovery', 'Proposal', 'Negotiation'], to: 'Lost', fields: [] },
			],
		},
	];
}

function defaultSeed() {
	return {
		orgId: ORG_ID,
		users: USERS.map((u) => ({ status: 'active', ...u })),
		modules: MODULES,
		layouts: Object.fromEntries(Object.entries(MODULES).map(([name, m], i) => [name, [{ id: sid(200 + i), name: 'Standard' }]])),
		pipelines: pipelines(),
		blueprints: blueprints(),
		assignmentRules: [{ id: sid(501), name: 'Round robin to sales', module: 'Leads', users: [sid(102), sid(103)] }],
		fromAddresses: [
			{ id: sid(601), email: 'admin@example.com', user_name: 'Ada Admin', type: 'primary', default: true },
			{ id: sid(602), email: 'sales@example.com', user_name: 'Sales Team', type: 'org_email', default: false },
		],
		refreshTokens: [
			{ token: '1000.sandbox-refresh-token-us', clientId: '1000.SANDBOXCLIENT', clientSecret: 'sandbox-secret', dc: 'us', scopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.ALL', 'ZohoCRM.org.ALL', 'ZohoCRM.notifications.ALL', 'ZohoCRM.send_mail.all.CREATE', 'ZohoCRM.coql.READ'] },
			{ token: '1000.sandbox-refresh-token-eu', clientId: '1000.SANDBOXCLIENT', clientSecret: 'sandbox-secret', dc: 'eu', scopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.ALL', 'ZohoCRM.org.ALL', 'ZohoCRM.notifications.ALL', 'ZohoCRM.send_mail.all.CREATE', 'ZohoCRM.coql.READ'] },
		],
	};
}

module.exports = { defaultSeed, pipelines, ZOHO_STAGES, EXAMPLE_STAGES, ENTERPRISE_STAGES, SYSTEM_DUPLICATE_CHECK, ORG_ID, ID_PREFIX, sid };
