'use strict';
/**
 * What the local Pipedrive sandbox accepts: request bodies and query parameters per endpoint, and
 * the token cost of each call.
 *
 * Sources: the request models of Pipedrive's OpenAPI specs as shipped in the official client
 * (`pipedrive` 33.7.0 on npm: dist/versions/v2/models/add-deal-request.d.ts, update-deal-request,
 * add-person-request, add-activity-request, add-organization-request, add-stage-request,
 * add-pipeline-request, convert-lead-to-deal-request; dist/versions/v1/models/add-lead-request,
 * update-lead-request, add-note-request, add-lead-label-request, add-webhook-request) and the API
 * reference https://developers.pipedrive.com/docs/api/v1 and /v2. Numbers and dates the specs give
 * only in descriptions (limit ≤ 500, YYYY-MM-DD, HH:MM) are checked by the server.
 */
const { T, validate } = require('../schemaValidator');

/** A top-level property that may also be null (the validator has no null type). */
const nullable = (schema) => ({ ...schema, nullable: true });
/** A JSON number (integer or not). */
const number = () => ({ type: 'any', numeric: true });
const ids = () => T.array(T.integer());

const customFields = T.map(T.any());
const contactItem = T.object({ value: T.string(), primary: T.boolean(), label: T.string() }, { required: ['value'] });
const address = T.object(
	Object.fromEntries(['value', 'country', 'admin_area_level_1', 'admin_area_level_2', 'locality', 'sublocality', 'route', 'street_number', 'subpremise', 'postal_code'].map((k) => [k, T.string()])),
);

const DEAL_FIELDS = {
	title: T.string(),
	owner_id: T.integer(),
	person_id: nullable(T.integer()),
	org_id: nullable(T.integer()),
	pipeline_id: T.integer(),
	stage_id: T.integer(),
	value: number(),
	currency: T.string(),
	is_deleted: T.boolean(),
	is_archived: T.boolean(),
	archive_time: nullable(T.string()),
	status: T.string({ enum: ['open', 'won', 'lost'] }),
	probability: number(),
	lost_reason: T.string(),
	visible_to: T.integer(),
	close_time: T.string(),
	won_time: T.string(),
	lost_time: T.string(),
	expected_close_date: T.string(),
	label_ids: ids(),
	custom_fields: customFields,
};

const PERSON_FIELDS = {
	name: T.string(),
	owner_id: T.integer(),
	org_id: T.integer(),
	add_time: T.string(),
	emails: T.array(contactItem),
	phones: T.array(contactItem),
	visible_to: T.integer(),
	label_ids: ids(),
	postal_address: address,
	notes: T.string(),
	im: T.array(contactItem),
	birthday: T.string(),
	job_title: T.string(),
	marketing_status: T.string({ enum: ['no_consent', 'unsubscribed', 'subscribed', 'archived'] }),
	custom_fields: customFields,
};

const ORGANIZATION_FIELDS = {
	name: T.string(),
	owner_id: T.integer(),
	add_time: T.string(),
	visible_to: T.integer(),
	label_ids: ids(),
	address,
	website: nullable(T.string()),
	linkedin: nullable(T.string()),
	industry: nullable(T.integer()),
	annual_revenue: nullable(number()),
	employee_count: nullable(T.integer()),
	custom_fields: customFields,
};

const participant = T.object({ person_id: T.integer(), primary: T.boolean() });
const attendee = T.object({ email: T.string(), name: T.string(), status: T.string(), is_organizer: T.boolean(), person_id: T.integer(), user_id: T.integer() });
const ACTIVITY_FIELDS = {
	subject: T.string(),
	type: T.string(),
	owner_id: T.integer(),
	deal_id: T.integer(),
	lead_id: T.string(),
	person_id: T.integer(),
	org_id: T.integer(),
	project_id: T.integer(),
	due_date: T.string(),
	due_time: T.string(),
	duration: T.string(),
	busy: T.boolean(),
	done: T.boolean(),
	location: T.object({ value: T.string() }, { additional: T.any() }),
	participants: T.array(participant),
	attendees: T.array(attendee),
	public_description: T.string(),
	priority: T.integer(),
	outcome: nullable(T.integer()),
	note: T.string(),
};

const STAGE_FIELDS = { name: T.string(), pipeline_id: T.integer(), deal_probability: T.integer({ min: 0, max: 100 }), is_deal_rot_enabled: T.boolean(), days_to_rotten: nullable(T.integer()) };
const PIPELINE_FIELDS = { name: T.string(), is_deal_probability_enabled: T.boolean() };

const leadValue = T.object({ amount: number(), currency: T.string() }, { required: ['amount', 'currency'] });
const VISIBLE_TO = T.string({ enum: ['1', '3', '5', '7'] });
const LEAD_FIELDS = {
	title: T.string(),
	owner_id: T.integer(),
	label_ids: T.array(T.string()),
	person_id: nullable(T.integer()),
	organization_id: nullable(T.integer()),
	value: nullable(leadValue),
	expected_close_date: nullable(T.string()),
	visible_to: VISIBLE_TO,
	was_seen: T.boolean(),
	origin_id: nullable(T.string()),
	channel: nullable(T.integer()),
	channel_id: nullable(T.string()),
};
const { origin_id: _originId, ...LEAD_UPDATE_FIELDS } = LEAD_FIELDS;

const flag = T.integer({ min: 0, max: 1 });
const NOTE_FIELDS = {
	content: T.string(),
	lead_id: T.string(),
	deal_id: T.integer(),
	person_id: T.integer(),
	org_id: T.integer(),
	project_id: T.integer(),
	task_id: T.integer(),
	user_id: T.integer(),
	add_time: T.string(),
	pinned_to_lead_flag: flag,
	pinned_to_deal_flag: flag,
	pinned_to_organization_flag: flag,
	pinned_to_person_flag: flag,
	pinned_to_project_flag: flag,
	pinned_to_task_flag: flag,
};

const LABEL_COLORS = ['blue', 'brown', 'dark-gray', 'gray', 'green', 'orange', 'pink', 'purple', 'red', 'yellow'];

const WEBHOOK_ACTIONS = ['create', 'change', 'delete', '*'];
const WEBHOOK_OBJECTS = ['activity', 'deal', 'lead', 'note', 'organization', 'person', 'pipeline', 'product', 'stage', 'user', '*'];
const WEBHOOK_FIELDS = {
	subscription_url: T.string(),
	event_action: T.string({ enum: WEBHOOK_ACTIONS }),
	event_object: T.string({ enum: WEBHOOK_OBJECTS }),
	name: T.string(),
	user_id: T.integer(),
	http_auth_user: nullable(T.string()),
	http_auth_password: nullable(T.string()),
	version: T.string({ enum: ['1.0', '2.0'] }),
};

const BODIES = {
	'deal.create': T.object(DEAL_FIELDS, { required: ['title'] }),
	'deal.update': T.object(DEAL_FIELDS),
	'person.create': T.object(PERSON_FIELDS, { required: ['name'] }),
	'person.update': T.object(PERSON_FIELDS),
	'organization.create': T.object(ORGANIZATION_FIELDS, { required: ['name'] }),
	'organization.update': T.object(ORGANIZATION_FIELDS),
	'activity.create': T.object(ACTIVITY_FIELDS),
	'activity.update': T.object(ACTIVITY_FIELDS),
	'stage.create': T.object(STAGE_FIELDS, { required: ['name', 'pipeline_id'] }),
	'stage.update': T.object(STAGE_FIELDS),
	'pipeline.create': T.object(PIPELINE_FIELDS, { required: ['name'] }),
	'pipeline.update': T.object(PIPELINE_FIELDS),
	'lead.create': T.object(LEAD_FIELDS, { required: ['title'] }),
	'lead.update': T.object({ ...LEAD_UPDATE_FIELDS, title: nullable(T.string()), is_archived: T.boolean() }),
	'leadLabel.create': T.object({ name: T.string(), color: T.string({ enum: LABEL_COLORS }) }, { required: ['name', 'color'] }),
	'leadLabel.update': T.object({ name: T.string(), color: T.string({ enum: LABEL_COLORS }) }),
	'note.create': T.object(NOTE_FIELDS, { required: ['content'] }),
	'note.update': T.object(NOTE_FIELDS),
	'webhook.create': T.object(WEBHOOK_FIELDS, { required: ['subscription_url', 'event_action', 'event_object', 'name'] }),
	'lead.convert': T.object({ stage_id: T.integer(), pipeline_id: T.integer() }),
};

/**
 * The body's problems, like schemaValidator.validate, plus the two top-level extensions used
 * above: `nullable` properties accept null, `numeric` ones any JSON number.
 */
function checkBody(schema, body) {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return validate(schema, body);
	const rest = {};
	const out = [];
	for (const [key, value] of Object.entries(body)) {
		const property = schema.properties[key];
		if (property && value === null && property.nullable) continue;
		if (property && property.numeric) {
			if (typeof value !== 'number' || !Number.isFinite(value)) out.push(`body.${key} must be a number (got ${value === null ? 'null' : typeof value})`);
			continue;
		}
		rest[key] = value;
	}
	const required = schema.required.filter((k) => body[k] === undefined);
	out.push(...required.map((k) => `body.${k} is required`));
	return [...out, ...validate({ ...schema, required: [] }, rest)];
}

// ── query parameters per list/search endpoint (from the client's request builders) ─────────
const V2_LIST = ['limit', 'cursor', 'sort_by', 'sort_direction', 'updated_since', 'updated_until', 'ids', 'filter_id', 'owner_id', 'include_fields', 'custom_fields', 'include_option_labels', 'include_labels'];
const QUERY = {
	'v2.deals.list': [...V2_LIST, 'person_id', 'org_id', 'pipeline_id', 'stage_id', 'status'],
	'v2.persons.list': [...V2_LIST, 'org_id', 'deal_id'],
	'v2.organizations.list': V2_LIST,
	'v2.activities.list': [...V2_LIST, 'deal_id', 'lead_id', 'person_id', 'org_id', 'done'],
	'v2.pipelines.list': ['limit', 'cursor', 'sort_by', 'sort_direction'],
	'v2.stages.list': ['limit', 'cursor', 'sort_by', 'sort_direction', 'pipeline_id'],
	'v2.fields.list': ['limit', 'cursor', 'include_fields'],
	'v2.get': ['include_fields', 'custom_fields', 'include_option_labels', 'include_labels'],
	'v2.deals.search': ['term', 'fields', 'exact_match', 'person_id', 'organization_id', 'status', 'include_fields', 'limit', 'cursor'],
	'v2.persons.search': ['term', 'fields', 'exact_match', 'organization_id', 'include_fields', 'limit', 'cursor'],
	'v2.organizations.search': ['term', 'fields', 'exact_match', 'limit', 'cursor'],
	'v2.leads.search': ['term', 'fields', 'exact_match', 'person_id', 'organization_id', 'include_fields', 'limit', 'cursor'],
	'v1.leads.list': ['limit', 'start', 'owner_id', 'person_id', 'organization_id', 'filter_id', 'updated_since', 'sort', 'archived_status'],
	'v1.notes.list': ['user_id', 'lead_id', 'deal_id', 'person_id', 'org_id', 'project_id', 'task_id', 'start', 'limit', 'sort', 'start_date', 'end_date', 'updated_since', 'pinned_to_lead_flag', 'pinned_to_deal_flag', 'pinned_to_organization_flag', 'pinned_to_person_flag', 'pinned_to_project_flag', 'pinned_to_task_flag'],
	'v1.deals.flow': ['start', 'limit', 'all_changes', 'items'],
	'v1.deals.changelog': ['cursor', 'limit'],
	none: [],
};
const SORT_BY = {
	deals: ['id', 'update_time', 'add_time'],
	persons: ['id', 'update_time', 'add_time'],
	organizations: ['id', 'update_time', 'add_time'],
	activities: ['id', 'update_time', 'add_time', 'due_date'],
	pipelines: ['id', 'update_time', 'add_time'],
	stages: ['id', 'update_time', 'add_time', 'order_nr'],
};
const SEARCH_FIELDS = {
	deals: ['custom_fields', 'notes', 'title'],
	persons: ['custom_fields', 'email', 'notes', 'phone', 'name'],
	organizations: ['address', 'custom_fields', 'notes', 'name'],
	leads: ['custom_fields', 'notes', 'title'],
};

/**
 * Token cost per call. Documented: the Mailbox (v1) reference prints get one 2, list 20, update 10,
 * delete 6 (https://developers.pipedrive.com/docs/api/v1/Mailbox), and "v2 endpoints cost about
 * 50 % fewer tokens than the v1 endpoints they replace"
 * (https://developers.pipedrive.com/changelog/post/deprecation-of-selected-api-v1-endpoints).
 * UNCONFIRMED: search 40 (secondary: api-evangelist's summary), the exact v2 figures (half of v1's
 * here), the cost of POST = the cost of an update. Tests can replace them with setCosts().
 */
const DEFAULT_COSTS = {
	v1: { get: 2, list: 20, create: 10, update: 10, delete: 6, search: 40 },
	v2: { get: 1, list: 10, create: 5, update: 5, delete: 3, search: 20 },
};

/**
 * Burst limits per token and 2-second window, by plan, from
 * https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting ("Rate limiting when
 * authenticating with api_token", "… for OAuth apps using access_token", "… for Search API").
 */
const BURST_BY_PLAN = {
	essential: { apiToken: 20, oauth: 80, search: 10 },
	advanced: { apiToken: 40, oauth: 160, search: 10 },
	professional: { apiToken: 80, oauth: 320, search: 10 },
	power: { apiToken: 100, oauth: 400, search: 10 },
	enterprise: { apiToken: 120, oauth: 480, search: 10 },
};

module.exports = { BODIES, checkBody, QUERY, SORT_BY, SEARCH_FIELDS, DEFAULT_COSTS, BURST_BY_PLAN, WEBHOOK_ACTIONS, WEBHOOK_OBJECTS, LABEL_COLORS };
