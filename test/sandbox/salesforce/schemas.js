'use strict';
/**
 * Request schemas of the Salesforce REST API subset the sandbox speaks, written from the REST API
 * Developer Guide (Summer '26, API 67.0) and the Actions Developer Guide, plus a tiny validator.
 *
 * Sources, cited per endpoint below:
 * - [versions]  https://developer.salesforce.com/docs/platform/api-rest/guide/resources-versions.html
 *               (GET /services/data/, no authentication; `latest` alias for the newest version)
 * - [limits]    https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 * - [query]     https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm and
 *               …/resources_query_more_results.htm; Sforce-Query-Options batchSize "The default is 2,000; the
 *               minimum is 200, and the maximum is 2,000":
 *               https://developer.salesforce.com/docs/platform/api-rest/guide/headers-queryoptions.html
 * - [sobject]   sObject Describe / sObject Rows: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm,
 *               …/resources_sobject_retrieve.htm (GET ?fields=, PATCH → 204, DELETE → 204, POST → 201)
 * - [coll]      sObject Collections: create (POST, ≤ 200 records, attributes.type on each, no id),
 *               update (PATCH, ≤ 200, "Each object must contain an id field"), delete (DELETE ?ids=&allOrNone=,
 *               ≤ 200), retrieve (GET ?ids=&fields=, ~800 ids before HTTP 414; POST {ids, fields} "up to
 *               2,000 records"):
 *               https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 *               …_update.htm, …_delete.htm, …_retrieve.htm, …_retrieve_post.htm
 * - [actions]   Invocable Actions (top-level key "inputs"; response [{actionName, errors, isSuccess,
 *               outputValues}]): https://developer.salesforce.com/docs/atlas.en-us.api_action.meta/api_action/actions_intro_invoking.htm
 *               Simple Email Actions (inputs per API version; see EMAIL_INPUTS):
 *               https://developer.salesforce.com/docs/atlas.en-us.api_action.meta/api_action/actions_obj_email_simple.htm
 *
 * A request that doesn't fit its schema is a *violation*: it is recorded and answered with 400.
 */

const { T, typeOf, validate, compilePaths } = require('../schemaValidator');

// ---------------------------------------------------------------------------------------------
// API versions.
// ---------------------------------------------------------------------------------------------

/** The newest generally available version (Summer '26; Winter '27 / 68.0 is a preview). */
const CURRENT_VERSION = '67.0';
const OLDEST_VERSION = 50;
const SEASONS = ['Winter', 'Spring', 'Summer'];

/** [{label, url, version}] for 50.0 … 67.0 (50.0 = Winter '21; three releases a year). */
function versions() {
	const out = [];
	for (let v = OLDEST_VERSION; v <= Number(CURRENT_VERSION); v++) {
		const index = v - OLDEST_VERSION;
		const season = SEASONS[index % 3];
		const year = 21 + Math.floor(index / 3);
		out.push({ label: `${season} '${year}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
	}
	return out;
}

/** "v67.0" / "latest" → "67.0", or undefined for versions the sandbox doesn't serve. */
function resolveVersion(segment) {
	if (segment === 'latest') return CURRENT_VERSION;
	const m = /^v(\d+)\.0$/.exec(segment);
	if (!m) return undefined;
	const n = Number(m[1]);
	return n >= OLDEST_VERSION && n <= Number(CURRENT_VERSION) ? `${n}.0` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Query-string parameters.
// ---------------------------------------------------------------------------------------------

const q = {
	str: (opts = {}) => ({ kind: 'str', ...opts }),
	list: (opts = {}) => ({ kind: 'list', ...opts }),
	bool: () => ({ kind: 'bool' }),
};

function validateQueryValue(spec, name, value) {
	if (spec.kind === 'bool') return value === 'true' || value === 'false' ? undefined : `query ${name} must be true or false (got "${value}")`;
	if (spec.kind === 'list') {
		const items = value.split(',').map((s) => s.trim()).filter(Boolean);
		if (items.length === 0) return `query ${name} must list at least one value`;
		if (spec.max && items.length > spec.max) return `query ${name} lists ${items.length} values; at most ${spec.max} are allowed`;
	}
	if (value === '') return `query ${name} is empty`;
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Bodies.
// ---------------------------------------------------------------------------------------------

/** `attributes` of an sObject in a request body ({type, referenceId?, url?}). */
const attributes = T.object({ type: T.string(), referenceId: T.string(), url: T.string() });
/** A single-record create/update body: field → value (field names and value types are checked by
 * the org against the object catalogue; unknown fields are Salesforce's INVALID_FIELD error). */
const sobjectBody = T.object({ attributes }, { additional: T.any() });
const COLLECTION_MAX = 200;
const RETRIEVE_MAX = 2000;
/** Not documented for emailSimple; the sandbox caps inputs per call at 200 (unverified). */
const ACTION_INPUTS_MAX = 200;

const collectionRecord = T.object({ attributes: T.object({ type: T.string(), referenceId: T.string(), url: T.string() }, { required: ['type'] }) }, { additional: T.any(), required: ['attributes'] });

/**
 * emailSimple inputs by API version (Simple Email Actions page, v67.0, and its versioned copies):
 * - 32.0+: emailAddresses, emailAddressesArray, emailBody, emailSubject, senderAddress, senderType
 *   (≤ 5 recipients in total).
 * - 58.0+: emailTemplateId, logEmailOnSend, recipientId, relatedRecordId ("This field is available
 *   in API version 58.0 and later"); sendRichBody, useLineBreaks, addThreadingTokenToBody /
 *   …Subject are listed from the same pages (their first version is not stated; 58.0 assumed).
 * - 62.0+: ccRecipientAddressList, bccRecipientAddressList; 63.0+ attachmentId; 64.0+
 *   ccRecipientAddressCollection, bccRecipientAddressCollection, attachmentIdCollection; the
 *   combined number of recipients "must be 150 or fewer" (API 64.0 page, 256.0 docs).
 * - 65.0+: recipientAddresses, ccAddresses, bccAddresses ("This field is available in API version
 *   65.0 and later"); the 67.0 page lists no emailAddresses / emailAddressesArray / *RecipientAddress*
 *   inputs any more, so from 65.0 the sandbox accepts only the new recipient inputs (choice).
 */
const EMAIL_INPUTS = [
	{ name: 'emailAddresses', type: 'string', from: 32, until: 64, recipients: 'to' },
	{ name: 'emailAddressesArray', type: 'stringList', from: 32, until: 64, recipients: 'to' },
	{ name: 'recipientAddresses', type: 'stringOrList', from: 65, recipients: 'to' },
	{ name: 'ccRecipientAddressList', type: 'string', from: 62, until: 64, recipients: 'cc' },
	{ name: 'ccRecipientAddressCollection', type: 'stringList', from: 64, until: 64, recipients: 'cc' },
	{ name: 'bccRecipientAddressList', type: 'string', from: 62, until: 64, recipients: 'bcc' },
	{ name: 'bccRecipientAddressCollection', type: 'stringList', from: 64, until: 64, recipients: 'bcc' },
	{ name: 'ccAddresses', type: 'stringOrList', from: 65, recipients: 'cc' },
	{ name: 'bccAddresses', type: 'stringOrList', from: 65, recipients: 'bcc' },
	{ name: 'emailSubject', type: 'string', from: 32 },
	{ name: 'emailBody', type: 'string', from: 32 },
	{ name: 'senderType', type: 'string', from: 32, enum: ['CurrentUser', 'DefaultWorkflowUser', 'OrgWideEmailAddress'] },
	{ name: 'senderAddress', type: 'string', from: 32 },
	{ name: 'emailTemplateId', type: 'string', from: 58 },
	{ name: 'logEmailOnSend', type: 'boolean', from: 58 },
	{ name: 'recipientId', type: 'string', from: 58 },
	{ name: 'relatedRecordId', type: 'string', from: 58 },
	{ name: 'sendRichBody', type: 'boolean', from: 58 },
	{ name: 'useLineBreaks', type: 'boolean', from: 58 },
	{ name: 'addThreadingTokenToBody', type: 'boolean', from: 58 },
	{ name: 'addThreadingTokenToSubject', type: 'boolean', from: 58 },
	{ name: 'attachmentId', type: 'string', from: 63 },
	{ name: 'attachmentIdCollection', type: 'stringList', from: 64 },
];

/** Recipient cap per call for an API version (5 before 62.0, 150 from 62.0; see EMAIL_INPUTS). */
function emailRecipientLimit(version) {
	return Number(version) >= 62 ? 150 : 5;
}

function emailInputsFor(version) {
	const v = Number(version);
	return EMAIL_INPUTS.filter((input) => v >= input.from && (input.until === undefined || v <= input.until));
}

function emailInputSchema(version) {
	const properties = {};
	for (const input of emailInputsFor(version)) {
		if (input.type === 'boolean') properties[input.name] = T.boolean();
		else if (input.type === 'stringList') properties[input.name] = T.array(T.string());
		else if (input.type === 'stringOrList') properties[input.name] = T.anyOf(T.string(), T.array(T.string()));
		else properties[input.name] = T.string(input.enum ? { enum: input.enum } : {});
	}
	return T.object(properties);
}

// ---------------------------------------------------------------------------------------------
// Endpoints (paths relative to /services/data/vXX.X).
// ---------------------------------------------------------------------------------------------

const sobjectParam = { kind: 'sobject' };
const anyParam = { kind: 'any' };

const ENDPOINTS = [
	{ id: 'resources', method: 'GET', path: '', doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_discoveryresource.htm' },
	{ id: 'limits', method: 'GET', path: '/limits', doc: '[limits]' },
	{
		// [query] GET /query?q=SOQL (explain= is not supported by the sandbox).
		id: 'query',
		method: 'GET',
		path: '/query',
		query: { q: q.str({ required: true }) },
		doc: '[query]',
	},
	{ id: 'query.more', method: 'GET', path: '/query/{locator}', params: { locator: anyParam }, doc: '[query] nextRecordsUrl' },
	{ id: 'sobject.describe', method: 'GET', path: '/sobjects/{sobject}/describe', params: { sobject: sobjectParam }, doc: '[sobject] describe' },
	{ id: 'sobject.get', method: 'GET', path: '/sobjects/{sobject}/{id}', params: { sobject: sobjectParam, id: anyParam }, query: { fields: q.list() }, doc: '[sobject] rows' },
	{ id: 'sobject.create', method: 'POST', path: '/sobjects/{sobject}', params: { sobject: sobjectParam }, body: sobjectBody, doc: '[sobject] create' },
	{ id: 'sobject.update', method: 'PATCH', path: '/sobjects/{sobject}/{id}', params: { sobject: sobjectParam, id: anyParam }, body: sobjectBody, doc: '[sobject] rows' },
	{ id: 'sobject.delete', method: 'DELETE', path: '/sobjects/{sobject}/{id}', params: { sobject: sobjectParam, id: anyParam }, doc: '[sobject] rows' },
	{
		id: 'collections.create',
		method: 'POST',
		path: '/composite/sobjects',
		body: T.object({ allOrNone: T.boolean(), records: T.array(collectionRecord, { minItems: 1 }) }, { required: ['records'] }),
		maxRecords: COLLECTION_MAX,
		doc: '[coll] create',
	},
	{
		id: 'collections.update',
		method: 'PATCH',
		path: '/composite/sobjects',
		body: T.object({ allOrNone: T.boolean(), records: T.array(collectionRecord, { minItems: 1 }) }, { required: ['records'] }),
		maxRecords: COLLECTION_MAX,
		doc: '[coll] update',
	},
	{
		id: 'collections.delete',
		method: 'DELETE',
		path: '/composite/sobjects',
		query: { ids: q.list({ required: true }), allOrNone: q.bool() },
		maxIds: COLLECTION_MAX,
		doc: '[coll] delete',
	},
	{
		id: 'collections.retrieve',
		method: 'GET',
		path: '/composite/sobjects/{sobject}',
		params: { sobject: sobjectParam },
		query: { ids: q.list({ required: true, max: RETRIEVE_MAX }), fields: q.list({ required: true }) },
		doc: '[coll] retrieve (GET)',
	},
	{
		id: 'collections.retrieve.post',
		method: 'POST',
		path: '/composite/sobjects/{sobject}',
		params: { sobject: sobjectParam },
		body: T.object({ ids: T.array(T.string(), { minItems: 1, maxItems: RETRIEVE_MAX }), fields: T.array(T.string(), { minItems: 1 }) }, { required: ['ids', 'fields'] }),
		doc: '[coll] retrieve (POST)',
	},
	{ id: 'actions.emailSimple.describe', method: 'GET', path: '/actions/standard/emailSimple', doc: '[actions]' },
	{
		id: 'actions.emailSimple',
		method: 'POST',
		path: '/actions/standard/emailSimple',
		body: (version) => T.object({ inputs: T.array(emailInputSchema(version), { minItems: 1, maxItems: ACTION_INPUTS_MAX }) }, { required: ['inputs'] }),
		doc: '[actions]',
	},
];

compilePaths(ENDPOINTS);

/** The endpoint for a method + path (relative to the version root): {endpoint, params} | {methodMismatch, allowed} | undefined. */
function matchEndpoint(method, path) {
	const allowed = [];
	for (const endpoint of ENDPOINTS) {
		const m = endpoint.regex.exec(path);
		if (!m) continue;
		// /sobjects/X/describe also fits /sobjects/{sobject}/{id}; the describe entry comes first.
		if (endpoint.id === 'sobject.get' && /\/describe\/?$/.test(path)) continue;
		if (endpoint.method !== method) {
			allowed.push(endpoint.method);
			continue;
		}
		const params = {};
		endpoint.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
		return { endpoint, params };
	}
	return allowed.length ? { methodMismatch: true, allowed: [...new Set(allowed)] } : undefined;
}

/** Violations of an endpoint's query and body schemas (path parameters are checked by the handlers). */
function checkRequest(endpoint, query, body, version) {
	const out = [];
	const allowed = endpoint.query || {};
	for (const [name, value] of Object.entries(query)) {
		if (!allowed[name]) out.push(`query ${name} is not a documented parameter`);
		else {
			const problem = validateQueryValue(allowed[name], name, value);
			if (problem) out.push(problem);
		}
	}
	for (const [name, spec] of Object.entries(allowed)) if (spec.required && query[name] === undefined) out.push(`query ${name} is required`);
	const schema = typeof endpoint.body === 'function' ? endpoint.body(version) : endpoint.body;
	if (schema) {
		if (body === undefined) out.push('body is required');
		else validate(schema, body, 'body', out);
	} else if (body !== undefined && endpoint.method !== 'GET' && endpoint.method !== 'DELETE') {
		out.push('this endpoint takes no body');
	} else if (body !== undefined) {
		out.push(`${endpoint.method} takes no body`);
	}
	return out;
}

/** Sforce-Query-Options header → {batchSize} or {problem}. Out-of-range sizes are clamped (see header comment in server.js). */
function parseQueryOptions(header) {
	if (header === undefined) return {};
	const m = /^\s*batchSize\s*=\s*(\d+)\s*$/i.exec(String(header));
	if (!m) return { problem: `header Sforce-Query-Options must be "batchSize=N" (got "${header}")` };
	return { batchSize: Math.min(2000, Math.max(200, Number(m[1]))) };
}

module.exports = {
	T,
	validate,
	ENDPOINTS,
	matchEndpoint,
	checkRequest,
	parseQueryOptions,
	versions,
	resolveVersion,
	CURRENT_VERSION,
	COLLECTION_MAX,
	RETRIEVE_MAX,
	ACTION_INPUTS_MAX,
	EMAIL_INPUTS,
	emailInputsFor,
	emailRecipientLimit,
};
