'use strict';
/**
 * The company a fresh Pipedrive sandbox starts with: its users (the API token belongs to the admin),
 * one pipeline with Pipedrive's default stages, the default lead labels and activity types. No
 * deals, persons or leads (tests create their own; demo-data.js adds a realistic set).
 *
 * Defaults as a new Pipedrive account shows them (UNCONFIRMED against a real account: the default
 * stage names and probabilities, the default lead labels' names and colours, ids).
 */

const SEED_TIME = '2024-01-02T09:00:00Z';
const COMPANY = { id: 7700001, name: 'Sandbox Sales Ltd', domain: 'sandbox' };

/** API tokens (x-api-token / api_token) and OAuth access tokens, each of a user. */
const API_TOKEN = 'test-api-token';
const OAUTH_TOKEN = 'test-oauth-token';

const user = (id, name, email, extra = {}) => ({
	id,
	name,
	email,
	default_currency: 'EUR',
	locale: 'en_US',
	lang: 1,
	phone: null,
	activated: true,
	last_login: '2024-01-02 09:00:00',
	created: '2024-01-02 09:00:00',
	modified: null,
	has_created_company: false,
	access: [{ app: 'sales', admin: false, permission_set_id: 'ps-regular' }],
	active_flag: true,
	timezone_name: 'Europe/Berlin',
	timezone_offset: '+01:00',
	role_id: 1,
	icon_url: null,
	is_deleted: false,
	...extra,
});

function defaultSeed() {
	const admin = { access: [{ app: 'sales', admin: true, permission_set_id: 'ps-admin' }], has_created_company: true };
	const users = [
		user(1000001, 'Ada Admin', 'admin@example.com', admin),
		user(1000002, 'Ana Alvarez', 'ana@example.com'),
		user(1000003, 'Ben Baker', 'ben@example.com'),
		user(1000004, 'Cleo Chen', 'cleo@example.com'),
		user(1000005, 'Dan Dietrich', 'dan@example.com'),
		user(1000006, 'Eve Evans', 'eve@example.com', { active_flag: false, activated: false }),
	];
	const pipelines = [{ id: 1, name: 'Pipeline', order_nr: 0, is_deleted: false, is_deal_probability_enabled: false, add_time: SEED_TIME, update_time: SEED_TIME }];
	const stageNames = [
		['Qualified', 100],
		['Contact Made', 100],
		['Demo Scheduled', 100],
		['Proposal Made', 100],
		['Negotiations Started', 100],
	];
	const stages = stageNames.map(([name, probability], i) => ({
		id: i + 1,
		order_nr: i,
		name,
		is_deleted: false,
		deal_probability: probability,
		pipeline_id: 1,
		is_deal_rot_enabled: false,
		days_to_rotten: null,
		add_time: SEED_TIME,
		update_time: SEED_TIME,
	}));
	const leadLabels = [
		['f981b4b0-2d9b-11ef-9d4a-35fdb7b6ad71', 'Hot', 'red'],
		['f981b4b1-2d9b-11ef-9d4a-35fdb7b6ad71', 'Warm', 'yellow'],
		['f981b4b2-2d9b-11ef-9d4a-35fdb7b6ad71', 'Cold', 'blue'],
	].map(([id, name, color]) => ({ id, name, color, add_time: SEED_TIME, update_time: SEED_TIME }));
	return {
		company: { ...COMPANY },
		users,
		tokens: { [API_TOKEN]: { userId: 1000001, kind: 'apiToken' }, [OAUTH_TOKEN]: { userId: 1000001, kind: 'oauth', scopes: ['base', 'deals:full', 'activities:full', 'contacts:full', 'leads:full', 'users:read', 'search:read', 'admin'] } },
		pipelines,
		stages,
		leadLabels,
		activityTypes: ['call', 'meeting', 'task', 'deadline', 'email', 'lunch'],
	};
}

/**
 * The sales process named like the package's example workflows (HubSpot's default stage names): a
 * Pipedrive admin who migrated keeps these names. "Closed won" and "Closed lost" are not stages in
 * Pipedrive but the deal's `status` (won/lost). Lead status "Qualified" is a lead label (leads have
 * no stage in Pipedrive).
 */
const EXAMPLE_STAGES = ['Appointment scheduled', 'Qualified to buy', 'Presentation scheduled', 'Decision maker bought-in', 'Contract sent'];
const EXAMPLE_PROBABILITIES = [20, 40, 60, 80, 90];

function useExampleProcess(sandbox) {
	sandbox.replaceStages(
		1,
		EXAMPLE_STAGES.map((name, i) => ({ name, deal_probability: EXAMPLE_PROBABILITIES[i] })),
		{ pipelineName: 'Sales' },
	);
	if (!sandbox.listLeadLabels().some((l) => l.name === 'Qualified')) sandbox.createLeadLabel({ name: 'Qualified', color: 'green' });
}

module.exports = { defaultSeed, useExampleProcess, EXAMPLE_STAGES, SEED_TIME, API_TOKEN, OAUTH_TOKEN };
