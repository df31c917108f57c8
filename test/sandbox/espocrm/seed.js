'use strict';
/**
 * Default dataset of the local EspoCRM sandbox: users, API users and their role, settings and the
 * metadata (stage/status lists) of a fresh EspoCRM 9.x. No CRM records are seeded (tests create
 * their own; `--demo-data` adds a realistic set, see ./demo-data.js).
 *
 * Sources:
 * - Field definitions (options, defaults, audited, notActualOptions, probabilityMap): EspoCRM 9.x
 *   metadata, application/Espo/Modules/Crm/Resources/metadata/entityDefs/{Lead,Opportunity,Case,Task}.json
 *   (the same values as the enums of the published OpenAPI spec, https://docs.espocrm.com/api/);
 *   `scopes.*.statusField` and `stream` from .../metadata/scopes/*.json.
 * - Users and API users: https://docs.espocrm.com/development/api/#authentication (API key, HMAC,
 *   a regular user's password) and https://docs.espocrm.com/administration/users-management/.
 * - Settings: `defaultCurrency` (USD), `currencyList`, `outboundEmailFromAddress` (crm@example.com) are
 *   EspoCRM's defaults (metadata/entityDefs/Settings.json).
 */

const SEED_TIME = '2024-01-02 09:00:00';

const person = (id, userName, firstName, lastName, email, extra = {}) => ({
	id,
	userName,
	type: 'regular',
	firstName,
	lastName,
	name: `${firstName} ${lastName}`,
	emailAddress: email,
	isActive: true,
	createdAt: SEED_TIME,
	modifiedAt: SEED_TIME,
	...extra,
});

/** The role the seeded API users have: every scope, mass update, webhooks, the stream. */
function fullRole() {
	const all = { create: 'yes', read: 'all', edit: 'all', delete: 'all', stream: 'all' };
	return {
		name: 'n8n integration',
		scopes: {
			Lead: { ...all },
			Contact: { ...all },
			Account: { ...all },
			Opportunity: { ...all },
			Case: { ...all },
			Task: { ...all },
			Email: { ...all },
			User: { create: 'no', read: 'all', edit: 'no', delete: 'no' },
			Webhook: { create: 'yes', read: 'own', edit: 'own', delete: 'own' },
		},
		massUpdate: 'yes',
		assignment: 'all',
	};
}

/** The role the package README names as the minimum (no delete; Assignment Permission left at its default "no"). */
function readmeRole() {
	const scope = { create: 'yes', read: 'all', edit: 'all', delete: 'no', stream: 'all' };
	return {
		name: 'n8n README minimum',
		scopes: {
			...Object.fromEntries(['Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'Task', 'Email'].map((s) => [s, { ...scope }])),
			User: { create: 'no', read: 'all', edit: 'no', delete: 'no' },
			Webhook: { create: 'yes', read: 'own', edit: 'own', delete: 'own' },
		},
		massUpdate: 'yes',
		assignment: 'no',
	};
}

function users() {
	return [
		person('u-ana', 'ana', 'Ana', 'Alvarez', 'ana@example.com'),
		person('u-ben', 'ben', 'Ben', 'Baker', 'ben@example.com'),
		person('u-cleo', 'cleo', 'Cleo', 'Chen', 'cleo@example.com'),
		person('u-dan', 'dan', 'Dan', 'Dietrich', 'dan@example.com'),
		person('u-eve', 'eve', 'Eve', 'Evans', 'eve@example.com', { isActive: false }),
		// A regular admin for password (Espo-Authorization / Basic) sign-in.
		person('1', 'admin', 'Admin', 'Istrator', 'admin@example.com', { type: 'admin', password: 'sandbox-admin-password' }),
		// API users (Administration → API Users): one per API authentication method.
		person('u-api', 'n8n-api', 'n8n', 'API key', null, { type: 'api', authMethod: 'ApiKey', apiKey: 'test-api-key', role: 'n8n' }),
		person('u-hmac', 'n8n-hmac', 'n8n', 'HMAC', null, {
			type: 'api',
			authMethod: 'Hmac',
			apiKey: 'test-hmac-key',
			secretKey: 'test-hmac-secret',
			role: 'n8n',
		}),
		person('u-readme', 'n8n-readme', 'n8n', 'README role', null, { type: 'api', authMethod: 'ApiKey', apiKey: 'test-readme-key', role: 'readme' }),
		// A customer's portal user (posts on cases that are not agent responses).
		person('u-portal', 'pat', 'Pat', 'Portal', 'pat@customer.example', { type: 'portal' }),
	];
}

const INDUSTRIES = [
	'', 'Advertising', 'Aerospace', 'Agriculture', 'Apparel & Accessories', 'Architecture', 'Automotive', 'Banking',
	'Biotechnology', 'Building Materials & Equipment', 'Chemical', 'Construction', 'Consulting', 'Computer', 'Culture',
	'Creative', 'Defense', 'Education', 'Electronics', 'Electric Power', 'Energy', 'Entertainment & Leisure', 'Finance',
	'Food & Beverage', 'Grocery', 'Healthcare', 'Hospitality', 'Insurance', 'Legal', 'Manufacturing', 'Mass Media',
	'Marketing', 'Mining', 'Music', 'Publishing', 'Petroleum', 'Real Estate', 'Retail', 'Service', 'Sports', 'Software',
	'Support', 'Shipping', 'Travel', 'Technology', 'Telecommunications', 'Television', 'Transportation',
	'Testing, Inspection & Certification', 'Venture Capital', 'Wholesale', 'Water',
];
const SOURCES = ['', 'Call', 'Email', 'Existing Customer', 'Partner', 'Public Relations', 'Web Site', 'Campaign', 'Other'];

/** EspoCRM 9.x entityDefs (the parts the sandbox and the provider use) and scopes. */
function metadata() {
	return {
		scopes: {
			Lead: { entity: true, object: true, stream: true, statusField: 'status' },
			Contact: { entity: true, object: true, stream: true },
			Account: { entity: true, object: true, stream: true },
			Opportunity: { entity: true, object: true, stream: true, statusField: 'stage' },
			Case: { entity: true, object: true, stream: true, statusField: 'status' },
			Task: { entity: true, object: true, stream: true, statusField: 'status' },
			Email: { entity: true, object: true },
			User: { entity: true },
			Webhook: { entity: true },
		},
		entityDefs: {
			Lead: {
				fields: {
					salutationName: { type: 'enum', options: ['', 'Mr.', 'Ms.', 'Mrs.', 'Dr.'] },
					status: {
						type: 'enum',
						options: ['New', 'Assigned', 'In Process', 'Converted', 'Recycled', 'Dead'],
						default: 'New',
						audited: true,
						notActualOptions: ['Converted', 'Recycled', 'Dead'],
					},
					source: { type: 'enum', options: SOURCES },
					industry: { type: 'enum', options: INDUSTRIES },
					opportunityAmount: { type: 'currency', audited: true },
					doNotCall: { type: 'bool', audited: true },
					assignedUser: { type: 'link' },
				},
				convertEntityList: ['Account', 'Contact', 'Opportunity'],
				convertFields: {
					Contact: {},
					Account: { name: 'accountName' },
					Opportunity: { amount: 'opportunityAmount', leadSource: 'source' },
				},
			},
			Contact: {
				fields: {
					salutationName: { type: 'enum', options: ['', 'Mr.', 'Ms.', 'Mrs.', 'Dr.'] },
					lastName: { type: 'varchar', required: true, maxLength: 100 },
					opportunityRole: { type: 'enum', options: ['', 'Decision Maker', 'Evaluator', 'Influencer'] },
					assignedUser: { type: 'link' },
				},
			},
			Account: {
				fields: {
					name: { type: 'varchar', audited: true, required: true, maxLength: 249 },
					type: { type: 'enum', options: ['', 'Customer', 'Investor', 'Partner', 'Reseller'], audited: true },
					industry: { type: 'enum', options: INDUSTRIES },
					assignedUser: { type: 'link' },
				},
			},
			Opportunity: {
				fields: {
					name: { type: 'varchar', required: true },
					amount: { type: 'currency', audited: true, required: true },
					account: { type: 'link', audited: true },
					stage: {
						type: 'enum',
						options: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
						default: 'Prospecting',
						audited: true,
						probabilityMap: { Prospecting: 10, Qualification: 20, Proposal: 50, Negotiation: 80, 'Closed Won': 100, 'Closed Lost': 0 },
					},
					leadSource: { type: 'enum', options: SOURCES, audited: true },
					closeDate: { type: 'date', audited: true, required: true },
					probability: { type: 'int' },
					assignedUser: { type: 'link' },
				},
			},
			Case: {
				fields: {
					name: { type: 'varchar', required: true },
					number: { type: 'autoincrement' },
					status: {
						type: 'enum',
						options: ['New', 'Assigned', 'Pending', 'Closed', 'Rejected', 'Duplicate'],
						default: 'New',
						audited: true,
						notActualOptions: ['Closed', 'Rejected', 'Duplicate'],
					},
					priority: { type: 'enum', options: ['Low', 'Normal', 'High', 'Urgent'], default: 'Normal', audited: true },
					type: { type: 'enum', options: ['', 'Question', 'Incident', 'Problem'], audited: true },
					assignedUser: { type: 'link' },
				},
			},
			Task: {
				fields: {
					name: { type: 'varchar', required: true },
					status: {
						type: 'enum',
						options: ['Not Started', 'Started', 'Completed', 'Canceled', 'Deferred'],
						default: 'Not Started',
						audited: true,
						notActualOptions: ['Completed', 'Canceled', 'Deferred'],
					},
					priority: { type: 'enum', options: ['Low', 'Normal', 'High', 'Urgent'], default: 'Normal', audited: true },
					dateEnd: { type: 'datetimeOptional', audited: true },
					assignedUser: { type: 'link', required: true },
				},
			},
			Email: {
				fields: {
					name: { type: 'varchar', required: true },
					status: { type: 'enum', options: ['Draft', 'Sending', 'Sent', 'Archived', 'Failed'], default: 'Archived' },
					from: { type: 'varchar', required: true },
					to: { type: 'varchar', required: true },
				},
			},
		},
	};
}

function settings() {
	return {
		defaultCurrency: 'USD',
		baseCurrency: 'USD',
		currencyList: ['USD', 'EUR'],
		timeZone: 'UTC',
		outboundEmailFromAddress: 'crm@example.com',
		outboundEmailFromName: 'EspoCRM',
		outboundEmailIsShared: true,
		recordsPerPage: 20,
		// Sandbox-only: addresses of group email accounts (Administration → Group Email Accounts) whose SMTP sends.
		// EspoCRM 9.1 needs one for the system address too (as ../../../../shared/real-crms seeds it).
		groupEmailAddresses: ['crm@example.com', 'support@example.com'],
	};
}

function defaultSeed() {
	return { users: users(), roles: { n8n: fullRole(), readme: readmeRole() }, metadata: metadata(), settings: settings() };
}

/**
 * A sales process named like the package's example workflows (HubSpot's default stage names), as
 * an admin would set it up in Administration → Entity Manager → Opportunity → Stage, plus a
 * "Qualified" lead status: for running the shared examples unchanged on EspoCRM.
 */
function useExampleProcess(sandbox) {
	sandbox.setFieldOptions('Opportunity', 'stage', ['Appointment scheduled', 'Qualified to buy', 'Presentation scheduled', 'Decision maker bought-in', 'Contract sent', 'Closed won', 'Closed lost'], {
		default: 'Appointment scheduled',
		probabilityMap: {
			'Appointment scheduled': 20,
			'Qualified to buy': 40,
			'Presentation scheduled': 60,
			'Decision maker bought-in': 80,
			'Contract sent': 90,
			'Closed won': 100,
			'Closed lost': 0,
		},
	});
	sandbox.setFieldOptions('Lead', 'status', ['New', 'Assigned', 'In Process', 'Qualified', 'Converted', 'Recycled', 'Dead'], {
		default: 'New',
		notActualOptions: ['Converted', 'Recycled', 'Dead'],
	});
}

module.exports = { defaultSeed, useExampleProcess, SEED_TIME };
