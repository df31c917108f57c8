'use strict';
/**
 * Request schemas of the HubSpot API subset the sandbox speaks, written from HubSpot's
 * documentation, plus a tiny validator (no dependencies).
 *
 * Sources, cited per endpoint below:
 * - [objects]  spec PublicApiSpecs/CRM/Objects/Rollouts/424/v3/objects.json (HubSpot-public-api-spec-collection)
 *              and the per-object guides (contacts/companies/deals/tickets/tasks/notes/emails/communications/leads).
 * - [search]   https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm and
 *              https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
 * - [assocV4]  spec PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/associations.json;
 *              1,000-id batch read: https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api
 * - [owners]   spec PublicApiSpecs/CRM/Crm Owners/Rollouts/146888/v3/crmOwners.json
 * - [pipelines] spec PublicApiSpecs/CRM/Pipelines/Rollouts/145896/v3/pipelines.json
 * - [properties] https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/{objectType}/{propertyName})
 * - [account]  spec PublicApiSpecs/Account/Account Info/Rollouts/144923/v3/accountInfo.json
 * - [single-send] spec PublicApiSpecs/Marketing/Transactional Single Send/Rollouts/140892/v3/transactionalSingleSend.json
 */

const { T, typeOf, validate, compilePaths } = require('../schemaValidator');

// ---------------------------------------------------------------------------------------------
// Object types, property catalogue and association types.
// ---------------------------------------------------------------------------------------------

/** Object type names the path accepts, with HubSpot's objectTypeIds as aliases (research §2). */
const OBJECT_TYPE_IDS = {
	'0-1': 'contacts',
	'0-2': 'companies',
	'0-3': 'deals',
	'0-5': 'tickets',
	'0-27': 'tasks',
	'0-46': 'notes',
	'0-49': 'emails',
	'0-18': 'communications',
	'0-136': 'leads',
};
const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tickets', 'tasks', 'notes', 'emails', 'communications', 'leads'];
const PIPELINE_OBJECT_TYPES = ['deals', 'tickets', 'leads'];

function canonicalObjectType(name) {
	const lower = String(name).toLowerCase();
	return OBJECT_TYPE_IDS[lower] || (OBJECT_TYPES.includes(lower) ? lower : undefined);
}

/**
 * Known properties per object type. `type`: string | number | datetime | enumeration | bool.
 * `readOnly`: calculated / system-set (writing it is an error, as the update-contact page says:
 * "Read-only and non-existent properties will result in an error"). Enumeration options live in
 * seed.js (`enumerations`). Names: research §3 (guides), deal calculated properties (unverified
 * read-only flags, as noted there).
 */
const P = {
	text: { type: 'string' },
	number: { type: 'number' },
	datetime: { type: 'datetime' },
	enumeration: { type: 'enumeration' },
	ro: (type = 'string') => ({ type, readOnly: true }),
};
const COMMON_READ_ONLY = { hs_object_id: P.ro('number'), hs_lastmodifieddate: P.ro('datetime'), hs_createdate: P.ro('datetime') };
const ENGAGEMENT = { ...COMMON_READ_ONLY, hs_timestamp: P.datetime, hubspot_owner_id: P.text, hs_attachment_ids: P.text };

const PROPERTIES = {
	// https://developers.hubspot.com/docs/api/crm/contacts
	contacts: {
		...COMMON_READ_ONLY,
		email: P.text,
		firstname: P.text,
		lastname: P.text,
		phone: P.text,
		mobilephone: P.text,
		company: P.text,
		jobtitle: P.text,
		website: P.text,
		address: P.text,
		city: P.text,
		state: P.text,
		zip: P.text,
		country: P.text,
		hubspot_owner_id: P.text,
		lifecyclestage: P.enumeration,
		hs_lead_status: P.enumeration,
		hs_timezone: P.text,
		createdate: P.ro('datetime'),
		lastmodifieddate: P.ro('datetime'),
		associatedcompanyid: P.ro('number'),
		hs_analytics_source: P.ro(),
		hs_email_optout: P.ro('bool'),
	},
	// https://developers.hubspot.com/docs/api/crm/companies
	companies: {
		...COMMON_READ_ONLY,
		name: P.text,
		domain: P.text,
		website: P.text,
		phone: P.text,
		industry: P.text,
		city: P.text,
		country: P.text,
		description: P.text,
		numberofemployees: P.number,
		annualrevenue: P.number,
		hubspot_owner_id: P.text,
		createdate: P.ro('datetime'),
	},
	// https://developers.hubspot.com/docs/api/crm/deals
	deals: {
		...COMMON_READ_ONLY,
		dealname: P.text,
		amount: P.number,
		deal_currency_code: P.text,
		pipeline: P.text,
		dealstage: P.text,
		closedate: P.datetime,
		hubspot_owner_id: P.text,
		description: P.text,
		dealtype: P.text,
		createdate: P.ro('datetime'),
		hs_is_closed: P.ro('bool'),
		hs_is_closed_won: P.ro('bool'),
		hs_deal_stage_probability: P.ro('number'),
		hs_v2_date_entered_current_stage: P.ro('datetime'),
		// "Last Activity Date": set by HubSpot when an activity is logged on the deal (the sandbox:
		// when a note, task, email or communication is associated with it, to its hs_timestamp).
		notes_last_updated: P.ro('datetime'),
	},
	// https://developers.hubspot.com/docs/api/crm/tickets
	tickets: {
		...COMMON_READ_ONLY,
		subject: P.text,
		content: P.text,
		hs_pipeline: P.text,
		hs_pipeline_stage: P.text,
		hs_ticket_priority: P.enumeration,
		hs_ticket_category: P.text,
		hubspot_owner_id: P.text,
		createdate: P.ro('datetime'),
		closed_date: P.ro('datetime'),
		first_agent_reply_date: P.ro('datetime'),
	},
	// https://developers.hubspot.com/docs/api/crm/tasks
	tasks: {
		...ENGAGEMENT,
		hs_task_subject: P.text,
		hs_task_body: P.text,
		hs_task_status: P.enumeration,
		hs_task_priority: P.enumeration,
		hs_task_type: P.enumeration,
		hs_task_reminders: P.text,
	},
	// https://developers.hubspot.com/docs/api/crm/notes
	notes: { ...ENGAGEMENT, hs_note_body: P.text },
	// https://developers.hubspot.com/docs/api-reference/crm-emails-v3/guide
	emails: {
		...ENGAGEMENT,
		hs_email_direction: P.enumeration,
		hs_email_status: P.enumeration,
		hs_email_subject: P.text,
		hs_email_text: P.text,
		hs_email_html: P.text,
		hs_email_headers: P.text,
		hs_email_from_email: P.ro(),
		hs_email_from_firstname: P.ro(),
		hs_email_from_lastname: P.ro(),
		hs_email_to_email: P.ro(),
		hs_email_to_firstname: P.ro(),
		hs_email_to_lastname: P.ro(),
	},
	// https://developers.hubspot.com/docs/api/crm/communications
	communications: {
		...ENGAGEMENT,
		hs_communication_channel_type: P.enumeration,
		hs_communication_logged_from: P.enumeration,
		hs_communication_body: P.text,
	},
	// https://developers.hubspot.com/docs/api-reference/crm-leads-v3/guide
	leads: {
		...COMMON_READ_ONLY,
		hs_lead_name: P.text,
		hs_lead_type: P.text,
		hs_lead_label: P.text,
		hs_pipeline: P.text,
		hs_pipeline_stage: P.text,
		hubspot_owner_id: P.text,
	},
};

/** Calculated per-stage deal properties (hs_date_entered_{stageId} etc.; research §3, read-only). */
const DYNAMIC_READ_ONLY = [/^hs_date_entered_.+/, /^hs_date_exited_.+/, /^hs_time_in_.+/];

/** The property definition, or undefined when the object type has no such property. */
function propertyDefinition(objectType, name, custom = {}) {
	const known = (PROPERTIES[objectType] || {})[name] || (custom[objectType] || {})[name];
	if (known) return known;
	if (objectType === 'deals' && DYNAMIC_READ_ONLY.some((re) => re.test(name))) return P.ro('datetime');
	return undefined;
}

/** Properties a record gets in responses when `properties` is not given (search guide lists contacts'). */
const DEFAULT_PROPERTIES = {
	contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
	companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
	deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
	tickets: ['content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority', 'subject'],
};
/** Always returned: the id and the create/modify timestamps (names differ per object type). */
function timestampProperties(objectType) {
	if (objectType === 'contacts') return { created: 'createdate', modified: 'lastmodifieddate' };
	if (['companies', 'deals', 'tickets'].includes(objectType)) return { created: 'createdate', modified: 'hs_lastmodifieddate' };
	return { created: 'hs_createdate', modified: 'hs_lastmodifieddate' };
}
function defaultProperties(objectType) {
	const { created, modified } = timestampProperties(objectType);
	return DEFAULT_PROPERTIES[objectType] || [created, 'hs_object_id', modified];
}

/** Properties the free-text `query` of a search looks at (search guide: "default searchable properties"). */
const SEARCHABLE = {
	contacts: ['firstname', 'lastname', 'email', 'phone', 'company', 'website', 'mobilephone'],
	companies: ['name', 'domain', 'website', 'phone'],
	deals: ['dealname'],
	tickets: ['subject', 'content'],
	tasks: ['hs_task_subject', 'hs_task_body'],
	notes: ['hs_note_body'],
	emails: ['hs_email_subject', 'hs_email_text'],
	communications: ['hs_communication_body'],
	leads: ['hs_lead_name'],
};

/**
 * Default HUBSPOT_DEFINED association type ids, from → to → [ids] (first = the default
 * unlabelled type; others are accepted too, e.g. "primary"). Source: research §4 table
 * (https://developers.hubspot.com/docs/reference/api/crm/associations/association-details,
 * secondary but high-confidence; 578 from the Leads guide, 279 from the associations overview).
 */
const ASSOCIATION_TYPES = {
	tasks: { contacts: [204], companies: [192], deals: [216], tickets: [230] },
	notes: { contacts: [202], companies: [190], deals: [214], tickets: [228] },
	emails: { contacts: [198], companies: [186], deals: [210], tickets: [224] },
	communications: { contacts: [81], companies: [87], deals: [85], tickets: [83] },
	deals: { contacts: [3], companies: [341, 5], deals: [451], tickets: [27] },
	tickets: { contacts: [16], companies: [339, 26], deals: [28], tickets: [452] },
	contacts: { contacts: [449], companies: [279, 1], deals: [4], tickets: [15] },
	companies: { contacts: [280, 2], companies: [450], deals: [342, 6], tickets: [340, 25] },
	leads: { contacts: [578, 608], companies: [610] },
};
// Other lead ids (research §4, secondary): lead → call 596, email 598, meeting 600, communication 602, task 646, note 854.
Object.assign(ASSOCIATION_TYPES.leads, { emails: [598], communications: [602], tasks: [646], notes: [854] });

/**
 * Type id of the reverse direction. Pairs from research §4 where both directions are listed;
 * engagement ↔ record reverse ids follow HubSpot's numbering (the reverse of n is n-1 for
 * task/note/email, n+1 for communications) — (unverified); lead reverse ids (unverified).
 */
const REVERSE_TYPE = {
	3: 4, 4: 3, 16: 15, 15: 16, 279: 280, 280: 279, 1: 2, 2: 1, 341: 342, 342: 341, 5: 6, 6: 5,
	339: 340, 340: 339, 26: 25, 25: 26, 27: 28, 28: 27, 449: 449, 450: 450, 451: 451, 452: 452,
	81: 82, 87: 88, 85: 86, 83: 84,
	578: 579, 608: 607, 610: 609, 598: 597, 602: 601, 646: 645, 854: 853,
};
for (const t of [204, 192, 216, 230, 202, 190, 214, 228, 198, 186, 210, 224]) REVERSE_TYPE[t] = t - 1;

/** The object type an association type id (used from `fromType`) points to, or undefined. */
function associationTarget(fromType, typeId) {
	for (const [toType, ids] of Object.entries(ASSOCIATION_TYPES[fromType] || {})) if (ids.includes(typeId)) return toType;
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Endpoint schemas. `path` segments `{name}` are parameters, checked by `params`.
// Query parameter schemas are for string values: `q.int`, `q.bool`, `q.str`, `q.list`.
// ---------------------------------------------------------------------------------------------

const q = {
	int: (min, max) => ({ kind: 'int', min, max }),
	bool: () => ({ kind: 'bool' }),
	str: () => ({ kind: 'str' }),
	list: () => ({ kind: 'list' }),
	enum: (...values) => ({ kind: 'enum', values }),
};

function validateQueryValue(spec, name, value) {
	switch (spec.kind) {
		case 'int':
			if (!/^\d+$/.test(value)) return `query ${name} must be an integer (got "${value}")`;
			if (spec.min !== undefined && Number(value) < spec.min) return `query ${name} must be ≥ ${spec.min} (got ${value})`;
			if (spec.max !== undefined && Number(value) > spec.max) return `query ${name} must be ≤ ${spec.max} (got ${value})`;
			return undefined;
		case 'bool':
			return value === 'true' || value === 'false' ? undefined : `query ${name} must be true or false (got "${value}")`;
		case 'enum':
			return spec.values.includes(value) ? undefined : `query ${name} must be one of ${spec.values.join(', ')} (got "${value}")`;
		default:
			return undefined;
	}
}

const objectType = { kind: 'objectType' };
const pipelineObjectType = { kind: 'pipelineObjectType' };
const anyParam = { kind: 'any' };

/** `properties` of a write: string → string ("All values … are strings", objects spec). */
const propertyValues = T.map(T.string());
const associationSpec = T.object(
	{
		associationCategory: T.string({ enum: ['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED', 'WORK'] }),
		associationTypeId: T.integer(),
	},
	{ required: ['associationCategory', 'associationTypeId'] },
);
/** PublicAssociationsForObject: {to:{id}, types:[AssociationSpec]} [objects]. */
const associationForCreate = T.object(
	{ to: T.object({ id: T.string() }, { required: ['id'] }), types: T.array(associationSpec, { minItems: 1 }) },
	{ required: ['to', 'types'] },
);
/** Batch inputs: "at most 100 inputs" (HubSpot guides; shared vendor file "Batch sizes"). */
const BATCH_MAX = 100;
const inputs = (item) => T.array(item, { maxItems: BATCH_MAX, minItems: 1 });

const filter = T.object(
	{
		propertyName: T.string(),
		operator: T.string({
			enum: ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'],
		}),
		value: T.string(),
		highValue: T.string(),
		values: T.array(T.string()),
	},
	{ required: ['propertyName', 'operator'] },
);
const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 10, filtersTotal: 25, limit: 200, resultCap: 10000, queryLength: 3000 };

const ENDPOINTS = [
	{
		// [account] GET /account-info/v3/details; no parameters.
		id: 'account.details',
		method: 'GET',
		path: '/account-info/v3/details',
		doc: 'spec Account Info v3 accountInfo.json',
	},
	{
		// [owners] GET /crm/v3/owners: email, after, limit (default 100), archived. The spec states no
		// maximum; 500 is what HubSpot's own clients page with (unverified).
		id: 'owners.list',
		method: 'GET',
		path: '/crm/v3/owners',
		query: { email: q.str(), after: q.str(), limit: q.int(1, 500), archived: q.bool() },
		doc: 'spec CRM Owners v3 crmOwners.json',
	},
	{
		// [owners] GET /crm/v3/owners/{ownerId}?idProperty=id|userId&archived=
		id: 'owners.get',
		method: 'GET',
		path: '/crm/v3/owners/{ownerId}',
		params: { ownerId: anyParam },
		query: { idProperty: q.enum('id', 'userId'), archived: q.bool() },
		doc: 'spec CRM Owners v3 crmOwners.json',
	},
	{
		// [pipelines] GET /crm/v3/pipelines/{objectType} → {results:[Pipeline]} (no paging).
		id: 'pipelines.list',
		method: 'GET',
		path: '/crm/v3/pipelines/{objectType}',
		params: { objectType: pipelineObjectType },
		doc: 'spec CRM Pipelines v3 pipelines.json',
	},
	{
		id: 'pipelines.get',
		method: 'GET',
		path: '/crm/v3/pipelines/{objectType}/{pipelineId}',
		params: { objectType: pipelineObjectType, pipelineId: anyParam },
		doc: 'spec CRM Pipelines v3 pipelines.json',
	},
	{
		// [properties] GET /crm/v3/properties/{objectType}/{propertyName}?archived=&properties=
		id: 'properties.get',
		method: 'GET',
		path: '/crm/v3/properties/{objectType}/{propertyName}',
		params: { objectType, propertyName: anyParam },
		query: { archived: q.bool(), properties: q.str() },
		doc: 'https://developers.hubspot.com/docs/api/crm/properties',
	},
	{
		// [objects] GET /crm/v3/objects/{objectType}: limit (default 10, ≤100), after, properties,
		// propertiesWithHistory, associations, archived.
		id: 'objects.list',
		method: 'GET',
		path: '/crm/v3/objects/{objectType}',
		params: { objectType },
		query: { limit: q.int(1, 100), after: q.str(), properties: q.list(), propertiesWithHistory: q.list(), associations: q.list(), archived: q.bool() },
		doc: 'spec CRM Objects v3 objects.json (GET /crm/v3/objects/{objectType})',
	},
	{
		// [objects] GET /crm/v3/objects/{objectType}/{objectId}
		id: 'objects.get',
		method: 'GET',
		path: '/crm/v3/objects/{objectType}/{objectId}',
		params: { objectType, objectId: anyParam },
		query: { properties: q.list(), propertiesWithHistory: q.list(), associations: q.list(), archived: q.bool(), idProperty: q.str() },
		doc: 'spec CRM Objects v3 objects.json (GET …/{objectId})',
	},
	{
		// [objects] POST /crm/v3/objects/{objectType}: SimplePublicObjectInputForCreate. The spec marks
		// `associations` required; HubSpot accepts it omitted, so it is optional here.
		id: 'objects.create',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}',
		params: { objectType },
		body: T.object({ properties: propertyValues, associations: T.array(associationForCreate) }, { required: ['properties'] }),
		doc: 'spec CRM Objects v3 objects.json (POST /crm/v3/objects/{objectType})',
	},
	{
		// [objects] PATCH /crm/v3/objects/{objectType}/{objectId}[?idProperty=] body {properties}
		id: 'objects.update',
		method: 'PATCH',
		path: '/crm/v3/objects/{objectType}/{objectId}',
		params: { objectType, objectId: anyParam },
		query: { idProperty: q.str() },
		body: T.object({ properties: propertyValues, objectWriteTraceId: T.string() }, { required: ['properties'] }),
		doc: 'https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/update-contact',
	},
	{
		// [objects] DELETE /crm/v3/objects/{objectType}/{objectId} → 204
		id: 'objects.archive',
		method: 'DELETE',
		path: '/crm/v3/objects/{objectType}/{objectId}',
		params: { objectType, objectId: anyParam },
		doc: 'spec CRM Objects v3 objects.json (DELETE …/{objectId})',
	},
	{
		// [objects] POST …/batch/create: {inputs:[{properties, associations, objectWriteTraceId?}]} → 201
		id: 'objects.batch.create',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}/batch/create',
		params: { objectType },
		body: T.object(
			{
				inputs: inputs(
					T.object(
						{ properties: propertyValues, associations: T.array(associationForCreate), objectWriteTraceId: T.string() },
						{ required: ['properties'] },
					),
				),
			},
			{ required: ['inputs'] },
		),
		doc: 'spec CRM Objects v3 objects.json (BatchInputSimplePublicObjectBatchInputForCreate)',
	},
	{
		// [objects] POST …/batch/read[?archived=]: {inputs:[{id}], properties, propertiesWithHistory, idProperty?}
		// (the spec marks properties and propertiesWithHistory required).
		id: 'objects.batch.read',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}/batch/read',
		params: { objectType },
		query: { archived: q.bool() },
		body: T.object(
			{
				inputs: inputs(T.object({ id: T.string() }, { required: ['id'] })),
				properties: T.array(T.string()),
				propertiesWithHistory: T.array(T.string()),
				idProperty: T.string(),
			},
			{ required: ['inputs', 'properties', 'propertiesWithHistory'] },
		),
		doc: 'spec CRM Objects v3 objects.json (BatchReadInputSimplePublicObjectId)',
	},
	{
		// [objects] POST …/batch/update: {inputs:[{id, properties, idProperty?, objectWriteTraceId?}]}
		id: 'objects.batch.update',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}/batch/update',
		params: { objectType },
		body: T.object(
			{
				inputs: inputs(
					T.object(
						{ id: T.string(), properties: propertyValues, idProperty: T.string(), objectWriteTraceId: T.string() },
						{ required: ['id', 'properties'] },
					),
				),
			},
			{ required: ['inputs'] },
		),
		doc: 'spec CRM Objects v3 objects.json (BatchInputSimplePublicObjectBatchInput)',
	},
	{
		// [objects] POST …/batch/upsert: {inputs:[{id, idProperty, properties, objectWriteTraceId?}]};
		// idProperty goes per input (research §1: the spec has no query parameter).
		id: 'objects.batch.upsert',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}/batch/upsert',
		params: { objectType },
		body: T.object(
			{
				inputs: inputs(
					T.object(
						{ id: T.string(), idProperty: T.string(), properties: propertyValues, objectWriteTraceId: T.string() },
						{ required: ['id', 'idProperty', 'properties'] },
					),
				),
			},
			{ required: ['inputs'] },
		),
		doc: 'https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts',
	},
	{
		// [objects] POST …/batch/archive: {inputs:[{id}]} → 204
		id: 'objects.batch.archive',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}/batch/archive',
		params: { objectType },
		body: T.object({ inputs: inputs(T.object({ id: T.string() }, { required: ['id'] })) }, { required: ['inputs'] }),
		doc: 'spec CRM Objects v3 objects.json (BatchInputSimplePublicObjectId)',
	},
	{
		// [search] POST …/search. `sorts` is typed string[] in the spec but documented and sent as
		// {propertyName, direction} objects; both are accepted. `after` is a string in the spec.
		// Caps (5 groups / 10 filters per group / 25 filters, limit ≤ 200, query ≤ 3000 chars) are
		// checked in `searchViolations`.
		id: 'objects.search',
		method: 'POST',
		path: '/crm/v3/objects/{objectType}/search',
		params: { objectType },
		body: T.object({
			filterGroups: T.array(T.object({ filters: T.array(filter) }, { required: ['filters'] })),
			sorts: T.array(
				T.anyOf(
					T.string(),
					T.object({ propertyName: T.string(), direction: T.string({ enum: ['ASCENDING', 'DESCENDING'] }) }, { required: ['propertyName'] }),
				),
			),
			properties: T.array(T.string()),
			limit: T.integer({ min: 0, max: SEARCH_LIMITS.limit }),
			after: T.string(),
			query: T.string({ maxLength: SEARCH_LIMITS.queryLength }),
		}),
		doc: 'https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm',
	},
	{
		// [assocV4] POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read {inputs:[{id}]} (≤ 1,000)
		id: 'associations.batch.read',
		method: 'POST',
		path: '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read',
		params: { fromObjectType: objectType, toObjectType: objectType },
		body: T.object(
			{ inputs: T.array(T.object({ id: T.string(), after: T.string() }, { required: ['id'] }), { maxItems: 1000, minItems: 1 }) },
			{ required: ['inputs'] },
		),
		doc: 'spec CRM Associations v4 associations.json; changelog bug-fix-batch-read-limit-for-hubspot-associations-api',
	},
	{
		// [assocV4] PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId} (no body)
		id: 'associations.default.create',
		method: 'PUT',
		path: '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}',
		params: { fromObjectType: objectType, fromObjectId: anyParam, toObjectType: objectType, toObjectId: anyParam },
		doc: 'spec CRM Associations v4 associations.json ("Create the default (most generic) association type")',
	},
	{
		// [single-send] POST /marketing/v3/transactional/single-email/send
		id: 'transactional.send',
		method: 'POST',
		path: '/marketing/v3/transactional/single-email/send',
		body: T.object(
			{
				emailId: T.integer(),
				message: T.object(
					{
						to: T.string(),
						from: T.string(),
						sendId: T.string(),
						replyTo: T.array(T.string()),
						cc: T.array(T.string()),
						bcc: T.array(T.string()),
					},
					{ required: ['to'] },
				),
				contactProperties: T.map(T.string()),
				customProperties: T.map(T.any()),
			},
			{ required: ['emailId', 'message'] },
		),
		doc: 'spec Marketing Transactional Single Send v3 transactionalSingleSend.json (PublicSingleSendRequestEgg)',
	},
];

compilePaths(ENDPOINTS);

/** Finds the endpoint for a method + path: {endpoint, params} | {methodMismatch: true} | undefined. */
function matchEndpoint(method, path) {
	let pathMatched = false;
	for (const endpoint of ENDPOINTS) {
		const m = endpoint.regex.exec(path);
		if (!m) continue;
		pathMatched = true;
		if (endpoint.method !== method) continue;
		const params = {};
		endpoint.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
		return { endpoint, params };
	}
	return pathMatched ? { methodMismatch: true } : undefined;
}

/** Violations of the endpoint's path parameters, query and body schemas. */
function checkRequest(endpoint, params, query, body) {
	const out = [];
	for (const [name, spec] of Object.entries(endpoint.params || {})) {
		const value = params[name];
		if (spec.kind === 'objectType' && !canonicalObjectType(value)) out.push(`path {${name}} "${value}" is not a supported object type`);
		if (spec.kind === 'pipelineObjectType' && !PIPELINE_OBJECT_TYPES.includes(canonicalObjectType(value))) {
			out.push(`path {${name}} "${value}" is not an object type with pipelines`);
		}
	}
	const allowed = endpoint.query || {};
	for (const [name, value] of Object.entries(query)) {
		if (!allowed[name]) out.push(`query ${name} is not a documented parameter`);
		else {
			const problem = validateQueryValue(allowed[name], name, value);
			if (problem) out.push(problem);
		}
	}
	if (endpoint.body) {
		if (body === undefined) out.push('body is required');
		else validate(endpoint.body, body, 'body', out);
	} else if (body !== undefined && endpoint.method !== 'GET' && endpoint.method !== 'DELETE') {
		out.push('this endpoint takes no body');
	}
	if (endpoint.id === 'objects.search' && body && typeof body === 'object') out.push(...searchViolations(body));
	return out;
}

/** Search filter caps (changelog 2024-08-26: ≤5 groups, ≤10 filters per group, ≤25 in total). */
function searchViolations(body) {
	const out = [];
	const groups = Array.isArray(body.filterGroups) ? body.filterGroups : [];
	if (groups.length > SEARCH_LIMITS.groups) out.push(`body.filterGroups has ${groups.length} groups; at most ${SEARCH_LIMITS.groups} are allowed`);
	let total = 0;
	groups.forEach((group, i) => {
		const filters = group && Array.isArray(group.filters) ? group.filters : [];
		total += filters.length;
		if (filters.length > SEARCH_LIMITS.filtersPerGroup) {
			out.push(`body.filterGroups[${i}] has ${filters.length} filters; at most ${SEARCH_LIMITS.filtersPerGroup} per group are allowed`);
		}
		filters.forEach((f, j) => {
			if (!f || typeof f !== 'object') return;
			const at = `body.filterGroups[${i}].filters[${j}]`;
			if (['IN', 'NOT_IN'].includes(f.operator) && !Array.isArray(f.values)) out.push(`${at}.values is required for ${f.operator}`);
			if (f.operator === 'BETWEEN' && (f.value === undefined || f.highValue === undefined)) out.push(`${at} BETWEEN needs value and highValue`);
			const needsValue = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];
			if (needsValue.includes(f.operator) && f.value === undefined) out.push(`${at}.value is required for ${f.operator}`);
		});
	});
	if (total > SEARCH_LIMITS.filtersTotal) out.push(`body.filterGroups has ${total} filters in total; at most ${SEARCH_LIMITS.filtersTotal} are allowed`);
	return out;
}

module.exports = {
	T,
	validate,
	ENDPOINTS,
	matchEndpoint,
	checkRequest,
	OBJECT_TYPES,
	PIPELINE_OBJECT_TYPES,
	canonicalObjectType,
	PROPERTIES,
	propertyDefinition,
	defaultProperties,
	timestampProperties,
	SEARCHABLE,
	ASSOCIATION_TYPES,
	REVERSE_TYPE,
	associationTarget,
	BATCH_MAX,
	SEARCH_LIMITS,
};
