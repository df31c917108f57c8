'use strict';
/**
 * A stateful local Salesforce REST API sandbox for tests and demos. Speaks the subset of the REST
 * API the package's Salesforce provider uses (current version: API 67.0, Summer '26 — the newest
 * generally available release listed by the docs' version picker, e.g.
 * https://developer.salesforce.com/docs/atlas.en-us.bi_dev_guide_saql.meta/bi_dev_guide_saql/bi_saql_quotedstringescapes.htm ;
 * 68.0 / Winter '27 pages are marked "preview"), checks every request against the request schemas
 * in ./schemas.js and answers with the documented response shapes. Requests outside the schemas are
 * *violations*: recorded in `violations` (and on the request) and answered with 400.
 *
 *   node test/sandbox/salesforce/server.js [--port 8788] [--host 127.0.0.1] [--token test-token]
 *       [--demo-data] [--log requests.jsonl] [--daily-limit 15000]
 *
 * Endpoints (versioned ones under /services/data/vNN.0 for NN = 50 … 67, or /services/data/latest):
 *   POST /services/oauth2/token        JWT bearer, authorization_code (+PKCE), refresh_token grants
 *   GET  /services/oauth2/authorize    auto-approves and 302-redirects with ?code=&state=
 *   GET  /services/data/               versions (no authentication)
 *   GET  /limits, GET /query?q=, GET /query/{locator}-{offset}
 *   GET  /sobjects/{SObject}/describe, GET|PATCH|DELETE /sobjects/{SObject}/{id}, POST /sobjects/{SObject}
 *   POST|PATCH|DELETE /composite/sobjects, GET|POST /composite/sobjects/{SObject}
 *   GET|POST /actions/standard/emailSimple
 *
 * Field-level security: hideFields('Lead', ['HasOptedOutOfEmail']) hides fields from the API user (see
 * hideFields below); reset() shows them again.
 *
 * Control endpoints (no auth; not part of Salesforce's API):
 *   POST /__sandbox/reset {"seed": true, "demoData": false} · POST /__sandbox/demo-data ·
 *   POST /__sandbox/fault {"method","pathPrefix","status","body","headers","times","delayMs","drop"} ·
 *   GET /__sandbox/requests
 *
 * Documented facts this file relies on (more in schemas.js, soql.js, store.js, objects.js):
 * - Errors are a JSON array [{message, errorCode, fields?}]; 401 for an expired/invalid session;
 *   403 REQUEST_LIMIT_EXCEEDED "you've exceeded API request limits"; 404 NOT_FOUND "The requested
 *   resource does not exist"; 405 for a method the resource doesn't allow:
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 *   INVALID_SESSION_ID text "Session expired or invalid": https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_understanding_refresh_token_oauth.htm
 * - Sforce-Limit-Info: api-usage=used/max on responses; DailyApiRequests / SingleEmail in /limits:
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm (via
 *   /work/shared/vendors/salesforce.md); default allocation 100,000 requests per 24 h (Enterprise base):
 *   https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html
 * - Query: nextRecordsUrl "/services/data/vNN.0/query/01g…-2000"; batchSize 200…2000, default 2000;
 *   "There is no guarantee that the requested batch size is the actual batch size".
 * - sObject Collections: results in request order; allOrNone failures roll back the others with
 *   ALL_OR_NONE_OPERATION_ROLLED_BACK "Record rolled back because not all records were valid and the
 *   request was using AllOrNone header" (docs example response, e.g. resources_composite_sobjects_collections_create.htm);
 *   failed items have no "id" (docs examples); retrieve returns null for ids that aren't found.
 * - emailSimple: see schemas.js EMAIL_INPUTS; "If you're using logEmailOnSend or emailTemplateId,
 *   the daily email-sending limit is based on the single email limit", otherwise on the daily workflow
 *   email limit; with Enhanced Email "each email is stored as an EmailMessage record and a Task record"
 *   (EmailMessage object reference), so logEmailOnSend creates both (the Task with TaskSubtype Email).
 * - Lead conversion: the REST API has no lead-conversion resource and there is no standard invocable
 *   action for it (the standard actions list has none; conversion is the SOAP call convertLead() and
 *   Apex Database.convertLead(), which orgs expose through custom Apex REST or invocable classes:
 *   https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_convertlead.htm ,
 *   https://github.com/bolaurent/salesforce_rest_leadconvert). The sandbox therefore serves no REST
 *   conversion; `convertLead()` on the JS API simulates a user converting a lead in the UI.
 * - OAuth: token responses and errors (see handleToken); JWT "exp … within 3 minutes"
 *   (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm , as quoted by
 *   https://documentation.sailpoint.com/connectors/salesforce/help/integrating_salesforce/generating_jwt_assertion.html);
 *   aud https://login.salesforce.com or https://test.salesforce.com; JWT error example
 *   {"error":"invalid_grant","error_description":"Audience validation failed"} and refresh error
 *   "expired access/refresh token": https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm ;
 *   web-server flow codes expire after 15 minutes (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm ,
 *   as quoted in https://community.easymorph.com/t/authorization-tokens-in-salesforce/3104?page=2);
 *   signature = Base64(HMAC-SHA256(client_secret, id + issued_at)) (web server flow docs).
 *
 * Conformance: test/sdk/salesforce-sdk.test.ts calls every resource the provider and credentials use
 * through jsforce (OAuth grants, query paging, describe, collections, emailSimple, limits) and checks
 * describe answers against jsforce's declared types. Nothing here has been checked against a real
 * org: behaviour the docs state cites them; behaviour that is only our belief is marked UNCONFIRMED
 * or "unverified" (grep for both).
 *
 * UNCONFIRMED choices where the docs don't settle Salesforce's behaviour:
 * - versions 50.0 … 67.0 are served (the list GET /services/data/ returns); others answer 404;
 * - the static token (options.token) runs as the integration user; expireSessions() invalidates it and
 *   every issued access token until reset(); refresh tokens survive; access tokens don't time out;
 * - every authenticated /services/data call counts one API request (collections count one); 401s don't;
 *   the 24-hour window is rolling on the sandbox clock;
 * - batchSize outside 200…2000 is clamped; the cursor keeps a snapshot of the rows taken at query
 *   time, expires 15 minutes after its last use (INVALID_QUERY_LOCATOR, unverified) and is dropped
 *   when read to the end; with OFFSET only the first batch is returned (done: true);
 * - a malformed id in a /sobjects URL answers 404 NOT_FOUND "Provided external ID field does not exist
 *   or is not accessible: X" (unverified); ids of another object's key prefix answer 404 NOT_FOUND;
 * - field values must have the JSON type of the field (strings for text/picklist/id, numbers, booleans,
 *   "YYYY-MM-DD" dates, ISO dateTimes); a mismatch is recorded as a violation and answered with
 *   JSON_PARSER_ERROR (Salesforce itself coerces some strings to numbers);
 * - emailSimple: per-input errors use REQUIRED_FIELD_MISSING / INVALID_EMAIL_ADDRESS /
 *   FIELD_INTEGRITY_EXCEPTION / INVALID_CROSS_REFERENCE_KEY / LIMIT_EXCEEDED /
 *   SINGLE_EMAIL_LIMIT_EXCEEDED (codes from the StatusCode list; messages unverified); the call answers
 *   200, or 400 when every input failed; at most 200 inputs per call (no documented limit found); no
 *   email templates or org-wide addresses exist (emailTemplateId is INVALID_CROSS_REFERENCE_KEY; any
 *   valid senderAddress is accepted); the logged Task has Subject "Email: <subject>", Status Completed,
 *   TaskSubtype Email; each recipient address counts once against SingleEmail / DailyWorkflowEmails;
 * - OAuth: all active users are pre-authorized for every connected app; an unknown or inactive `sub`
 *   answers "user hasn't approved this consumer"; an expired `exp` "expired authorization code"
 *   (as Salesforce answers in https://salesforce.stackexchange.com/questions/282513); an `exp` more than
 *   3 minutes (+10 s clock skew) ahead, a bad signature or a malformed assertion "invalid assertion";
 *   scope defaults to "api refresh_token" (JWT: "api"); no id_token is issued; refresh tokens don't rotate.
 */
const crypto = require('crypto');
const fs = require('fs');
const { URL } = require('url');

const schemas = require('./schemas');
const { SandboxServer } = require('../sandboxServer');
const soql = require('./soql');
const { Org, SfError } = require('./store');
const { OBJECTS, objectName, fieldDef } = require('./objects');
const { makeId, normalizeId, typeOfId, PREFIXES } = require('./ids');
const { toJson, formatDateTime, isEmail, splitAddresses } = require('./values');
const { seedDemoData } = require('./demo-data');

const LOGIN_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];
const CURSOR_IDLE_MS = 15 * 60_000;
const AUTH_CODE_TTL_MS = 15 * 60_000;
const JWT_MAX_AHEAD_MS = 3 * 60_000 + 10_000;
const DAY = 86_400_000;

const ok = (body, status = 200, headers) => ({ status, body, headers });
const sfErrors = (status, errorCode, message, fields) => ({ status, body: [fields === undefined ? { message, errorCode } : { message, errorCode, fields }] });
const oauthError = (error, description, status = 400) => ({ status, body: { error, error_description: description } });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

/** A collection/per-record error item from an SfError. */
function resultError(error) {
	const e = error.errors[0];
	return { statusCode: e.errorCode, message: e.message, fields: e.fields || [] };
}

class FakeSalesforce extends SandboxServer {
	constructor(options = {}) {
		super(options);
		this.options = options;
		this.token = options.token || 'test-token';
		this.apiVersion = schemas.CURRENT_VERSION;
		this.requests = [];
		this.violations = [];
		this.sentEmails = [];
		this.apps = new Map();
		this.org = new Org({ clock: () => this.now() });
		this.reset(options.seed !== false);
	}

	// ------------------------------------------------------------------ public API

	/** Clears records, requests, violations, faults, sent emails, sessions, cursors and usage; reseeds unless `seed` is false. Connected apps are kept. */
	reset(seed = true) {
		this.org.lagMs = 0;
		this.org.reset(seed);
		this.requests.length = 0;
		this.violations.length = 0;
		this.sentEmails.length = 0;
		this.faults.length = 0;
		this.sessions = new Map();
		this.refreshTokens = new Map();
		this.authCodes = new Map();
		this.cursors = new Map();
		this.cursorCounter = 0;
		this.staticTokenValid = true;
		this.apiCalls = [];
		this.dailyLimit = this.options.dailyLimit || 100_000;
		this.hiddenFields = new Map();
		this.emailLimits = { singleEmail: 5000, workflowEmail: 5000 };
		this.emailUsage = { singleEmail: [], workflowEmail: [] };
		this.requestHook = undefined;
	}

	/** Queries don't see a record created or modified within the last `ms` (retrieve by id does). */
	setVisibilityLag(ms) {
		this.org.lagMs = ms;
	}

	/** Invalidates every access token, the static one included (until reset()); refresh tokens survive. */
	expireSessions() {
		this.sessions.clear();
		this.staticTokenValid = false;
	}

	setDailyLimit(n) {
		this.dailyLimit = n;
	}

	/** Daily caps for emailSimple (SingleEmail: logged or templated sends; DailyWorkflowEmails: the rest). */
	setEmailLimits({ singleEmail, workflowEmail } = {}) {
		if (singleEmail !== undefined) this.emailLimits.singleEmail = singleEmail;
		if (workflowEmail !== undefined) this.emailLimits.workflowEmail = workflowEmail;
	}

	/**
	 * Field-level security: the API user may not read these fields of `sobject` (replaces the
	 * object's earlier list; [] shows all again). What Salesforce does with a field the user cannot
	 * see, as the sandbox answers it:
	 * - describe leaves it out: describe returns only the fields the user can view
	 *   (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_dynamic_permissions.htm:
	 *   "if you describe account fields ... and you don't have access to all fields, not all fields
	 *   are returned"; an API describe run as a user without FLS access shows the same,
	 *   https://zenn.dev/peko_kun/scraps/a56f892026bf54);
	 * - a SOQL query naming it (SELECT, WHERE or ORDER BY) fails as a whole with 400 INVALID_FIELD
	 *   "No such column 'X' on entity 'Y'", the same error as for a field that does not exist
	 *   (https://salesforcedictionary.com/errors/invalid-field-no-such-column);
	 * - UNCONFIRMED: sObject Collections retrieve and GET /sobjects/{type}/{id}?fields= naming it answer
	 *   the same 400 INVALID_FIELD; without ?fields= the record comes without it; a write naming it
	 *   fails that record with INVALID_FIELD "No such column 'X' on sobject of type Y".
	 */
	hideFields(sobject, fields) {
		const type = this.objectType(sobject);
		const names = fields.map((field) => {
			const def = fieldDef(type, field);
			if (!def) throw new Error(`hideFields: ${type} has no field ${field}`);
			if (def.name === 'Id') throw new Error('hideFields: Id is always visible');
			return def.name;
		});
		if (names.length) this.hiddenFields.set(type, new Set(names));
		else this.hiddenFields.delete(type);
	}

	/** Whether the API user can see this field (field-level security; canonical field name). */
	fieldVisible(type, name) {
		const hidden = this.hiddenFields.get(type);
		return !hidden || !hidden.has(name);
	}

	/** The INVALID_FIELD error for an input naming fields the user cannot see, or undefined. */
	hiddenFieldError(type, input) {
		const hidden = Object.keys(input || {}).find((key) => {
			const def = key !== 'attributes' && fieldDef(type, key);
			return def && !this.fieldVisible(type, def.name);
		});
		return hidden ? new SfError(400, [{ message: `No such column '${hidden}' on sobject of type ${type}`, errorCode: 'INVALID_FIELD', fields: [] }]) : undefined;
	}

	/** org.prepare behind field-level security. */
	prepareVisible(type, input, options) {
		const error = this.hiddenFieldError(type, input);
		if (error) throw error;
		return this.org.prepare(type, input, options);
	}

	setFieldHistory(object, field, on) {
		this.org.setFieldHistory(object, field, on);
	}

	/** Replaces a status picklist: 'LeadStatus' | 'OpportunityStage' | 'CaseStatus' | 'TaskStatus'. */
	setPicklist(object, values) {
		this.org.setPicklist(object, values);
	}

	registerConnectedApp({ consumerKey, consumerSecret, redirectUri, publicKeyPem, scopes }) {
		if (!consumerKey) throw new Error('registerConnectedApp: consumerKey is required');
		let publicKey;
		if (publicKeyPem) {
			publicKey = publicKeyPem.includes('CERTIFICATE') ? new crypto.X509Certificate(publicKeyPem).publicKey : crypto.createPublicKey(publicKeyPem);
		}
		const app = { consumerKey, consumerSecret, redirectUri, publicKey, scopes: scopes || 'api refresh_token' };
		this.apps.set(consumerKey, app);
		return app;
	}

	/** Direct insert with the API's rules (not recorded as a request). Returns the record's fields. */
	insert(sobject, fields) {
		const type = this.objectType(sobject);
		return this.view(this.wrap(() => this.org.insert(type, fields)));
	}

	update(sobject, id, fields) {
		const type = this.objectType(sobject);
		return this.view(this.wrap(() => this.org.update(type, id, fields)));
	}

	remove(sobject, id) {
		const type = this.objectType(sobject);
		this.wrap(() => this.org.remove(type, id));
	}

	get(sobject, id) {
		const record = this.org.get(this.objectType(sobject), id);
		return record ? this.view(record) : undefined;
	}

	list(sobject) {
		return this.org.list(this.objectType(sobject)).sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => this.view(r));
	}

	/** Seed users as records (key → fields), e.g. users().ana.Id. */
	users() {
		const out = {};
		for (const [key, id] of this.org.users) out[key] = this.get('User', id);
		return out;
	}

	get integrationUserId() {
		return this.org.integrationUserId;
	}

	/** Converts a lead as a user would in Salesforce (SOAP convertLead() semantics; no REST resource exists). */
	convertLead(leadId, options = {}) {
		return this.wrap(() => this.org.convertLead(leadId, options));
	}

	// ------------------------------------------------------------------ helpers

	objectType(name) {
		const type = objectName(name);
		if (!type || OBJECTS[type].virtual) throw new Error(`unknown sObject ${name}`);
		return type;
	}

	wrap(fn) {
		try {
			return fn();
		} catch (error) {
			if (error instanceof SfError) {
				const wrapped = new Error(error.message);
				wrapped.errors = error.errors;
				throw wrapped;
			}
			throw error;
		}
	}

	/** A record's fields as JSON values (what GET /sobjects/{type}/{id} returns, minus attributes). */
	view(record, names) {
		const fields = OBJECTS[record.type].fields;
		const out = {};
		for (const name of names || Object.keys(fields)) out[name] = toJson(fields[name].type, record.values[name]);
		return out;
	}

	apiRecord(record, urlBase, names) {
		const visible = names || Object.keys(OBJECTS[record.type].fields).filter((name) => this.fieldVisible(record.type, name));
		return { attributes: { type: record.type, url: `${urlBase}/sobjects/${record.type}/${record.id}` }, ...this.view(record, visible) };
	}

	usage() {
		const since = this.now() - DAY;
		this.apiCalls = this.apiCalls.filter((t) => t > since);
		return this.apiCalls.length;
	}

	emailUsed(kind) {
		const since = this.now() - DAY;
		this.emailUsage[kind] = this.emailUsage[kind].filter((e) => e.at > since);
		return this.emailUsage[kind].reduce((n, e) => n + e.count, 0);
	}

	/** The user a bearer token runs as, or undefined when the token is unknown or expired. */
	sessionUser(header) {
		const m = /^Bearer\s+(.+)$/i.exec(String(header || '').trim());
		if (!m) return undefined;
		if (m[1] === this.token) return this.staticTokenValid ? this.org.integrationUserId : undefined;
		const session = this.sessions.get(m[1]);
		return session ? session.userId : undefined;
	}

	// ------------------------------------------------------------------ HTTP plumbing

	async handle(req, res) {
		const url = new URL(req.url, 'http://sandbox');
		const query = {};
		for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
		const raw = await readBody(req);
		const contentType = String(req.headers['content-type'] || '');
		const record = {
			method: req.method,
			path: url.pathname,
			query,
			body: undefined,
			status: 0,
			violations: [],
			at: this.now(),
			headers: pick(req.headers, ['authorization', 'content-type', 'sforce-query-options', 'accept']),
		};
		let parseError;
		if (raw.length) {
			if (contentType.includes('application/x-www-form-urlencoded')) record.body = Object.fromEntries(new URLSearchParams(raw));
			else {
				try {
					record.body = JSON.parse(raw);
				} catch (error) {
					parseError = `body is not valid JSON (${error.message})`;
					record.body = raw;
				}
			}
		}
		this.requests.push(record);
		if (this.requestHook) this.requestHook(record);

		let answer;
		try {
			answer = await this.answer(req, record, parseError, contentType);
		} catch (error) {
			answer = error instanceof SfError ? { status: error.status, body: error.errors } : sfErrors(500, 'UNKNOWN_EXCEPTION', `Sandbox error: ${error && error.stack}`);
		}
		if (answer.drop) {
			record.status = 0;
			this.log(record);
			req.socket.destroy();
			return;
		}
		record.status = answer.status;
		this.log(record);
		const headers = { ...(answer.headers || {}) };
		if (record.path.startsWith('/services/data/v') || record.path.startsWith('/services/data/latest')) {
			headers['Sforce-Limit-Info'] = `api-usage=${this.usage()}/${this.dailyLimit}`;
		}
		if (answer.status === 204 || answer.status === 302 || answer.body === undefined) {
			res.writeHead(answer.status, headers);
			res.end();
			return;
		}
		const text = JSON.stringify(answer.body);
		res.writeHead(answer.status, { ...headers, 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	}

	addViolations(record, problems) {
		if (!problems.length) return;
		record.violations.push(...problems);
		this.violations.push(...problems.map((p) => `${record.method} ${record.path}: ${p}`));
	}

	/** Faults → control → versions / OAuth → version → auth → daily limit → route → schema → handler. */
	async answer(req, record, parseError, contentType) {
		if (record.path.startsWith('/__sandbox/')) return this.control(record);
		const fault = this.takeFault(record.method, record.path);
		if (fault) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.drop) return { drop: true };
			return { status: fault.status, body: fault.body !== undefined ? fault.body : defaultFaultBody(fault.status), headers: fault.headers };
		}
		const path = record.path;
		if (path === '/services/data' || path === '/services/data/') {
			if (record.method !== 'GET') return this.notAllowed(record, ['GET']);
			return ok(schemas.versions());
		}
		if (path === '/services/oauth2/token') return this.handleToken(record, parseError, contentType);
		if (path === '/services/oauth2/authorize') return this.handleAuthorize(record);
		const m = /^\/services\/data\/([^/]+)(\/.*)?$/.exec(path);
		if (!m) {
			this.addViolations(record, [`no documented endpoint ${record.method} ${path}`]);
			return sfErrors(404, 'NOT_FOUND', 'The requested resource does not exist');
		}
		const version = schemas.resolveVersion(m[1]);
		if (!version) {
			this.addViolations(record, [`API version ${m[1]} is not served (v50.0 … v${schemas.CURRENT_VERSION} or latest)`]);
			return sfErrors(404, 'NOT_FOUND', 'The requested resource does not exist');
		}
		const userId = this.sessionUser(req.headers.authorization);
		if (!userId) return sfErrors(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		if (this.usage() >= this.dailyLimit) return sfErrors(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
		this.apiCalls.push(this.now());
		return this.route(record, m[2] || '', version, userId, parseError);
	}

	notAllowed(record, allowed) {
		this.addViolations(record, [`method ${record.method} is not documented for ${record.path}`]);
		return sfErrors(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${record.method}' not allowed. Allowed are ${allowed.join(',')}`);
	}

	route(record, rest, version, userId, parseError) {
		const match = schemas.matchEndpoint(record.method, rest);
		if (!match) {
			this.addViolations(record, [`no documented endpoint ${record.method} ${record.path}`]);
			return sfErrors(404, 'NOT_FOUND', 'The requested resource does not exist');
		}
		if (match.methodMismatch) return this.notAllowed(record, match.allowed);
		if (parseError) {
			this.addViolations(record, [parseError]);
			return sfErrors(400, 'JSON_PARSER_ERROR', `Unexpected character in request body: ${parseError}`);
		}
		const problems = schemas.checkRequest(match.endpoint, record.query, record.body, version);
		const queryOptions = schemas.parseQueryOptions(record.headers['sforce-query-options']);
		if (queryOptions.problem) problems.push(queryOptions.problem);
		const hard = problems.filter((p) => !/^body\.records\[\d+\]\.attributes(\.type)? is required$/.test(p));
		if (problems.length !== hard.length) {
			// sObject Collections without attributes.type: Salesforce's answer for this case.
			this.addViolations(record, problems);
			return sfErrors(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
		}
		if (hard.length) {
			this.addViolations(record, hard);
			const bodyProblem = hard.some((p) => p.startsWith('body'));
			return sfErrors(400, bodyProblem ? 'JSON_PARSER_ERROR' : 'INVALID_REQUEST', `Request did not match the documented schema: ${hard.join('; ')}`);
		}
		const ctx = {
			record,
			version,
			userId,
			params: match.params,
			query: record.query,
			body: record.body,
			batchSize: queryOptions.batchSize,
			urlBase: `/services/data/v${version}`,
			violate: (message) => this.addViolations(record, [message]),
		};
		if (match.params.sobject !== undefined) {
			const type = objectName(match.params.sobject);
			if (!type || (OBJECTS[type].virtual && match.endpoint.id !== 'sobject.describe')) {
				ctx.violate(`sObject ${match.params.sobject} is not modelled by the sandbox`);
				return sfErrors(404, 'NOT_FOUND', 'The requested resource does not exist');
			}
			ctx.type = type;
		}
		try {
			return HANDLERS[match.endpoint.id].call(this, ctx);
		} catch (error) {
			if (error instanceof SfError) {
				if (error.violations.length) ctx.violate(error.violations.join('; '));
				return { status: error.status, body: error.errors };
			}
			throw error;
		}
	}

	control(record) {
		const body = record.body && typeof record.body === 'object' ? record.body : {};
		if (record.method === 'POST' && record.path === '/__sandbox/reset') {
			this.reset(body.seed !== false);
			if (body.demoData) seedDemoData(this);
			return ok({ ok: true });
		}
		if (record.method === 'POST' && record.path === '/__sandbox/demo-data') {
			seedDemoData(this);
			return ok({ ok: true });
		}
		if (record.method === 'POST' && record.path === '/__sandbox/fault') {
			this.fault(body);
			return ok({ ok: true });
		}
		if (record.method === 'GET' && record.path === '/__sandbox/requests') {
			return ok(this.requests.filter((r) => !r.path.startsWith('/__sandbox/')).map((r) => ({ ...r, headers: { ...r.headers, authorization: undefined }, body: redact(r.body) })));
		}
		return { status: 404, body: { message: `Unknown sandbox control ${record.method} ${record.path}` } };
	}

	/** One JSON line per request; the Authorization header and OAuth secrets are never written. */
	log(record) {
		if (!this.options.requestLog) return;
		const line = { method: record.method, path: record.path, query: record.query, body: redact(record.body), status: record.status, at: record.at };
		fs.appendFileSync(this.options.requestLog, `${JSON.stringify(line)}\n`);
	}

	// ------------------------------------------------------------------ OAuth

	issueSession(userId, app, scope) {
		const accessToken = `${this.org.orgId.slice(0, 15)}!${randomToken(40)}`;
		this.sessions.set(accessToken, { userId, app: app.consumerKey, scope });
		return accessToken;
	}

	identityUrl(userId) {
		return `${this.baseUrl}/id/${this.org.orgId}/${userId}`;
	}

	/** POST /services/oauth2/token (application/x-www-form-urlencoded). */
	handleToken(record, parseError, contentType) {
		if (record.method !== 'POST') return this.notAllowed(record, ['POST']);
		const params = { ...record.query, ...(record.body && typeof record.body === 'object' ? record.body : {}) };
		// Client credentials may also come as HTTP Basic auth (RFC 6749 §2.3.1; how n8n's OAuth2
		// credential sends them with "authentication: header"): client_id:client_secret.
		const basic = /^Basic\s+(.+)$/i.exec(String(record.headers.authorization || ''));
		if (basic && params.client_id === undefined) {
			const [id, ...secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
			params.client_id = decodeURIComponent(id);
			params.client_secret = decodeURIComponent(secret.join(':'));
		}
		if (record.body !== undefined && !contentType.includes('application/x-www-form-urlencoded')) {
			this.addViolations(record, [`token requests are application/x-www-form-urlencoded (got "${contentType || 'no content-type'}")`]);
		}
		if (parseError) this.addViolations(record, [parseError]);
		const grant = params.grant_type;
		if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtGrant(record, params);
		if (grant === 'authorization_code') return this.codeGrant(record, params);
		if (grant === 'refresh_token') return this.refreshGrant(record, params);
		this.addViolations(record, [`grant_type ${grant === undefined ? 'is missing' : `"${grant}" is not supported by the sandbox`}`]);
		return oauthError('unsupported_grant_type', 'grant type not supported');
	}

	requireParams(record, params, names) {
		const missing = names.filter((n) => params[n] === undefined || params[n] === '');
		if (missing.length) this.addViolations(record, missing.map((n) => `form parameter ${n} is required`));
		return missing.length === 0;
	}

	/** OAuth 2.0 JWT bearer flow (RFC 7523 as Salesforce documents it; see the header). */
	jwtGrant(record, params) {
		if (!this.requireParams(record, params, ['assertion'])) return oauthError('invalid_grant', 'invalid assertion');
		const parts = String(params.assertion).split('.');
		let header;
		let claims;
		try {
			if (parts.length !== 3) throw new Error('not three parts');
			header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
			claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		} catch {
			return oauthError('invalid_grant', 'invalid assertion');
		}
		if (header.alg !== 'RS256') return oauthError('invalid_grant', 'invalid assertion');
		const app = this.apps.get(claims.iss);
		if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
		const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
		const signature = Buffer.from(parts[2], 'base64url');
		if (!app.publicKey || !crypto.verify('RSA-SHA256', signed, app.publicKey, signature)) return oauthError('invalid_grant', 'invalid assertion');
		const audiences = [...LOGIN_AUDIENCES, this.baseUrl];
		if (!audiences.includes(String(claims.aud).replace(/\/$/, ''))) return oauthError('invalid_grant', 'Audience validation failed');
		const exp = Number(claims.exp) * 1000;
		if (!Number.isFinite(exp) || exp <= this.now()) return oauthError('invalid_grant', 'expired authorization code');
		if (exp > this.now() + JWT_MAX_AHEAD_MS) return oauthError('invalid_grant', 'invalid assertion');
		const user = this.userByUsername(claims.sub ?? claims.prn);
		if (!user || !user.values.IsActive) return oauthError('invalid_grant', "user hasn't approved this consumer");
		const scope = app.scopes.split(/\s+/).filter((s) => s !== 'refresh_token' && s !== 'offline_access').join(' ') || 'api';
		return ok({
			access_token: this.issueSession(user.id, app, scope),
			scope,
			instance_url: this.baseUrl,
			id: this.identityUrl(user.id),
			token_type: 'Bearer',
		});
	}

	userByUsername(username) {
		if (typeof username !== 'string') return undefined;
		return this.org.list('User').find((u) => u.values.Username.toLowerCase() === username.toLowerCase());
	}

	appForClient(params, { requireSecret }) {
		const app = this.apps.get(params.client_id);
		if (!app) return { error: oauthError('invalid_client_id', 'client identifier invalid') };
		if ((requireSecret || params.client_secret !== undefined) && params.client_secret !== app.consumerSecret) {
			return { error: oauthError('invalid_client', 'invalid client credentials') };
		}
		return { app };
	}

	tokenResponse(app, userId, scope, withRefresh) {
		const issuedAt = String(this.now());
		const id = this.identityUrl(userId);
		const body = {
			access_token: this.issueSession(userId, app, scope),
			signature: crypto.createHmac('sha256', app.consumerSecret || '').update(id + issuedAt).digest('base64'),
			scope,
			instance_url: this.baseUrl,
			id,
			token_type: 'Bearer',
			issued_at: issuedAt,
		};
		if (withRefresh) {
			const refresh = `5Aep${randomToken(60)}`;
			this.refreshTokens.set(refresh, { userId, app: app.consumerKey, scope });
			body.refresh_token = refresh;
		}
		return ok(body);
	}

	/** Web server flow step 2: exchange the code (single use, 15 minutes) for tokens. */
	codeGrant(record, params) {
		if (!this.requireParams(record, params, ['code', 'client_id', 'redirect_uri'])) return oauthError('invalid_request', 'missing required parameter');
		const { app, error } = this.appForClient(params, { requireSecret: params.code_verifier === undefined });
		if (error) return error;
		const grant = this.authCodes.get(params.code);
		if (!grant || grant.app !== app.consumerKey) return oauthError('invalid_grant', 'invalid authorization code');
		this.authCodes.delete(params.code);
		if (grant.expiresAt <= this.now()) return oauthError('invalid_grant', 'expired authorization code');
		if (params.redirect_uri !== grant.redirectUri) return oauthError('invalid_grant', 'redirect_uri mismatch');
		if (grant.codeChallenge) {
			const verifier = params.code_verifier;
			const computed = verifier ? crypto.createHash('sha256').update(verifier).digest('base64url') : '';
			const expected = grant.codeChallengeMethod === 'plain' ? verifier : computed;
			if (!verifier || expected !== grant.codeChallenge) return oauthError('invalid_grant', 'invalid code verifier');
		}
		const scopes = grant.scope.split(/\s+/);
		return this.tokenResponse(app, grant.userId, grant.scope, scopes.includes('refresh_token') || scopes.includes('offline_access'));
	}

	refreshGrant(record, params) {
		if (!this.requireParams(record, params, ['refresh_token', 'client_id'])) return oauthError('invalid_request', 'missing required parameter');
		const { app, error } = this.appForClient(params, { requireSecret: false });
		if (error) return error;
		const grant = this.refreshTokens.get(params.refresh_token);
		if (!grant || grant.app !== app.consumerKey) return oauthError('invalid_grant', 'expired access/refresh token');
		const user = this.org.get('User', grant.userId);
		if (!user || !user.values.IsActive) return oauthError('invalid_grant', 'inactive user');
		return this.tokenResponse(app, grant.userId, grant.scope, false);
	}

	/** GET /services/oauth2/authorize: the sandbox stands in for the login and approval pages. */
	handleAuthorize(record) {
		if (record.method !== 'GET') return this.notAllowed(record, ['GET']);
		const p = record.query;
		if (!this.requireParams(record, p, ['response_type', 'client_id', 'redirect_uri'])) return oauthError('invalid_request', 'missing required parameter');
		const app = this.apps.get(p.client_id);
		if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
		if (app.redirectUri && p.redirect_uri !== app.redirectUri) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
		const target = new URL(p.redirect_uri);
		if (p.response_type !== 'code') {
			target.searchParams.set('error', 'unsupported_response_type');
			target.searchParams.set('error_description', 'response type not supported');
			if (p.state !== undefined) target.searchParams.set('state', p.state);
			return { status: 302, headers: { location: target.toString() } };
		}
		const user = p.login_hint ? this.userByUsername(p.login_hint) : this.org.get('User', this.org.integrationUserId);
		if (!user || !user.values.IsActive) {
			target.searchParams.set('error', 'access_denied');
			target.searchParams.set('error_description', 'end-user denied authorization');
			if (p.state !== undefined) target.searchParams.set('state', p.state);
			return { status: 302, headers: { location: target.toString() } };
		}
		const code = `aPrx${randomToken(48)}`;
		this.authCodes.set(code, {
			app: app.consumerKey,
			userId: user.id,
			redirectUri: p.redirect_uri,
			scope: p.scope || app.scopes,
			codeChallenge: p.code_challenge,
			codeChallengeMethod: p.code_challenge_method || (p.code_challenge ? 'S256' : undefined),
			expiresAt: this.now() + AUTH_CODE_TTL_MS,
		});
		target.searchParams.set('code', code);
		if (p.state !== undefined) target.searchParams.set('state', p.state);
		return { status: 302, headers: { location: target.toString() } };
	}

	// ------------------------------------------------------------------ query cursors

	openCursor(records, batchSize, urlBase, totalSize) {
		this.cursorCounter += 1;
		const id = makeId('01g', this.cursorCounter);
		this.cursors.set(id, { records, totalSize, batchSize, lastUsed: this.now() });
		return `${urlBase}/query/${id}-${batchSize}`;
	}

	page(locatorId, cursor, offset, batchSize, urlBase) {
		const records = cursor.records.slice(offset, offset + batchSize);
		const end = offset + records.length;
		const out = { totalSize: cursor.totalSize, done: end >= cursor.records.length };
		if (!out.done) out.nextRecordsUrl = `${urlBase}/query/${locatorId}-${end}`;
		out.records = records;
		if (out.done) this.cursors.delete(locatorId);
		else cursor.lastUsed = this.now();
		return out;
	}
}

// ---------------------------------------------------------------------- handlers (routing table)

const HANDLERS = {
	resources({ urlBase }) {
		return ok({
			tooling: `${urlBase}/tooling`,
			query: `${urlBase}/query`,
			sobjects: `${urlBase}/sobjects`,
			composite: `${urlBase}/composite`,
			actions: `${urlBase}/actions`,
			limits: `${urlBase}/limits`,
		});
	},

	limits() {
		return ok({
			DailyApiRequests: { Max: this.dailyLimit, Remaining: Math.max(0, this.dailyLimit - this.usage()) },
			DailyWorkflowEmails: { Max: this.emailLimits.workflowEmail, Remaining: Math.max(0, this.emailLimits.workflowEmail - this.emailUsed('workflowEmail')) },
			SingleEmail: { Max: this.emailLimits.singleEmail, Remaining: Math.max(0, this.emailLimits.singleEmail - this.emailUsed('singleEmail')) },
		});
	},

	query({ query, batchSize, urlBase }) {
		const result = soql.execute(query.q, { rowsOf: (type) => this.org.queryRows(type), now: this.now(), urlBase, visible: (type, name) => this.fieldVisible(type, name) });
		if (result.count) return ok({ totalSize: result.totalSize, done: true, records: [] });
		const size = batchSize || 2000;
		if (result.records.length <= size || result.offset) {
			return ok({ totalSize: result.totalSize, done: true, records: result.records.slice(0, size) });
		}
		const nextRecordsUrl = this.openCursor(result.records, size, urlBase, result.totalSize);
		return ok({ totalSize: result.totalSize, done: false, nextRecordsUrl, records: result.records.slice(0, size) });
	},

	'query.more'({ params, batchSize, urlBase }) {
		const m = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(params.locator);
		const cursor = m && this.cursors.get(m[1]);
		if (!cursor || cursor.lastUsed + CURSOR_IDLE_MS < this.now() || Number(m[2]) > cursor.records.length) {
			if (m) this.cursors.delete(m[1]);
			return sfErrors(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		}
		return ok(this.page(m[1], cursor, Number(m[2]), batchSize || cursor.batchSize, urlBase));
	},

	'sobject.describe'({ type, urlBase }) {
		return ok(describe(this.org, type, urlBase, (name) => this.fieldVisible(type, name)));
	},

	'sobject.get'({ type, params, query, urlBase }) {
		const record = this.lookupForUrl(type, params.id);
		if (record.status) return record;
		let names;
		if (query.fields) {
			names = [];
			for (const raw of query.fields.split(',').map((s) => s.trim()).filter(Boolean)) {
				const def = fieldDef(type, raw);
				if (!def || !this.fieldVisible(type, def.name)) return sfErrors(400, 'INVALID_FIELD', `No such column '${raw}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
				if (!names.includes(def.name)) names.push(def.name);
			}
			if (!names.includes('Id')) names.push('Id');
		}
		return ok(this.apiRecord(record, urlBase, names));
	},

	'sobject.create'({ type, body, userId, violate }) {
		if (body.attributes && body.attributes.type && objectName(body.attributes.type) !== type) {
			violate(`body.attributes.type "${body.attributes.type}" doesn't match the URL's sObject ${type}`);
		}
		const plan = this.prepareVisible(type, body, { mode: 'create', userId });
		const record = this.org.commit(plan);
		return ok({ id: record.id, success: true, errors: [] }, 201);
	},

	'sobject.update'({ type, params, body, userId }) {
		const record = this.lookupForUrl(type, params.id);
		if (record.status) return record;
		this.org.commit(this.prepareVisible(type, body, { mode: 'update', existing: record, userId }));
		return { status: 204 };
	},

	'sobject.delete'({ type, params }) {
		const record = this.lookupForUrl(type, params.id);
		if (record.status) return record;
		this.org.remove(type, record.id);
		return { status: 204 };
	},

	'collections.create'({ body, userId, violate }) {
		const records = body.records;
		if (records.length > schemas.COLLECTION_MAX) {
			violate(`body.records has ${records.length} items; at most ${schemas.COLLECTION_MAX} are allowed`);
			return sfErrors(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${schemas.COLLECTION_MAX} records into this call`);
		}
		if (chunkCount(records) > 10) return rejectAll(records, 'EXCEEDED_MAX_TYPES_LIMIT', 'Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.');
		const attempts = records.map((input, i) => {
			const type = objectName(input.attributes.type);
			if (!type || OBJECTS[type].virtual) return { error: { statusCode: 'INVALID_TYPE', message: `sObject type '${input.attributes.type}' is not supported.`, fields: [] } };
			if (input.id !== undefined || input.Id !== undefined) {
				violate(`body.records[${i}] has an id; create requests "don't set the id field for any object"`);
				return { error: { statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'cannot specify Id in an insert call', fields: ['Id'] } };
			}
			return this.attempt(() => this.prepareVisible(type, input, { mode: 'create', userId }), violate, i);
		});
		return ok(this.applyAll(attempts, body.allOrNone === true, (plan) => this.org.commit(plan).id));
	},

	'collections.update'({ body, userId, violate }) {
		const records = body.records;
		if (records.length > schemas.COLLECTION_MAX) {
			violate(`body.records has ${records.length} items; at most ${schemas.COLLECTION_MAX} are allowed`);
			return sfErrors(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${schemas.COLLECTION_MAX} records into this call`);
		}
		if (chunkCount(records) > 10) return rejectAll(records, 'EXCEEDED_MAX_TYPES_LIMIT', 'Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.');
		const attempts = records.map((input, i) => {
			const type = objectName(input.attributes.type);
			if (!type || OBJECTS[type].virtual) return { error: { statusCode: 'INVALID_TYPE', message: `sObject type '${input.attributes.type}' is not supported.`, fields: [] } };
			const rawId = input.id !== undefined ? input.id : input.Id;
			if (rawId === undefined || rawId === null || rawId === '') {
				violate(`body.records[${i}].id is required ("Each object must contain an id field")`);
				return { error: { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] } };
			}
			const id = normalizeId(String(rawId));
			if (!id || id.slice(0, 3) !== PREFIXES[type]) {
				return { error: { statusCode: 'MALFORMED_ID', message: `${OBJECTS[type].label} ID: id value of incorrect type: ${rawId}`, fields: ['Id'] } };
			}
			const existing = this.org.get(type, id);
			if (!existing) {
				if (this.org.deleted.has(id)) return { error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
				return { error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } };
			}
			const { id: _a, Id: _b, ...fields } = input;
			return this.attempt(() => this.prepareVisible(type, fields, { mode: 'update', existing, userId }), violate, i);
		});
		return ok(this.applyAll(attempts, body.allOrNone === true, (plan) => this.org.commit(plan).id));
	},

	'collections.delete'({ query, violate }) {
		const ids = query.ids.split(',').map((s) => s.trim()).filter(Boolean);
		if (ids.length > schemas.COLLECTION_MAX) {
			violate(`query ids lists ${ids.length} ids; at most ${schemas.COLLECTION_MAX} are allowed`);
			return sfErrors(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${schemas.COLLECTION_MAX} records into this call`);
		}
		const attempts = ids.map((raw) => {
			const id = normalizeId(raw);
			if (!id) return { error: { statusCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] } };
			const type = typeOfId(id);
			const record = type && this.org.find(id);
			if (!record) {
				if (this.org.deleted.has(id)) return { error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
				return { error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } };
			}
			if (OBJECTS[record.type].deletable === false) return { error: { statusCode: 'INVALID_TYPE_FOR_OPERATION', message: `entity type cannot be deleted: ${OBJECTS[record.type].label}`, fields: [] } };
			return { plan: record };
		});
		return ok(
			this.applyAll(attempts, query.allOrNone === 'true', (record) => {
				this.org.remove(record.type, record.id);
				return record.id;
			}),
		);
	},

	'collections.retrieve'({ type, query, urlBase }) {
		return this.retrieve(type, query.ids.split(','), query.fields.split(','), urlBase);
	},

	'collections.retrieve.post'({ type, body, urlBase }) {
		return this.retrieve(type, body.ids, body.fields, urlBase);
	},

	'actions.emailSimple.describe'({ version }) {
		return ok(emailSimpleDescribe(version));
	},

	'actions.emailSimple'({ body, version, userId }) {
		const results = body.inputs.map((input) => {
			try {
				this.sendSimpleEmail(input, version, userId);
				return { actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null };
			} catch (error) {
				if (!(error instanceof SfError)) throw error;
				return { actionName: 'emailSimple', errors: [resultError(error)], isSuccess: false, outputValues: null };
			}
		});
		return ok(results, results.every((r) => !r.isSuccess) ? 400 : 200);
	},
};

Object.assign(FakeSalesforce.prototype, {
	/** The record a /sobjects/{type}/{id} URL addresses, or an error answer. */
	lookupForUrl(type, rawId) {
		const id = normalizeId(rawId);
		if (!id) return sfErrors(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
		const record = this.org.get(type, id);
		if (record) return record;
		if (this.org.deleted.has(id) && this.org.deleted.get(id).type === type) return sfErrors(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
		return sfErrors(404, 'NOT_FOUND', 'The requested resource does not exist');
	},

	attempt(fn, violate) {
		try {
			return { plan: fn() };
		} catch (error) {
			if (!(error instanceof SfError)) throw error;
			if (error.violations.length) violate(error.violations.join('; '));
			return { error: resultError(error) };
		}
	},

	/** Per-record results in request order; with allOrNone one failure rolls back everything. */
	applyAll(attempts, allOrNone, apply) {
		const failed = attempts.some((a) => a.error);
		if (allOrNone && failed) {
			return attempts.map((a) => ({
				success: false,
				errors: [
					a.error || {
						statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
						message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
						fields: [],
					},
				],
			}));
		}
		return attempts.map((a) => {
			if (a.error) return { success: false, errors: [a.error] };
			try {
				return { id: apply(a.plan), success: true, errors: [] };
			} catch (error) {
				if (!(error instanceof SfError)) throw error;
				return { success: false, errors: [resultError(error)] };
			}
		});
	},

	retrieve(type, ids, fields, urlBase) {
		const names = [];
		for (const raw of fields.map((s) => String(s).trim()).filter(Boolean)) {
			const def = fieldDef(type, raw);
			if (!def || !this.fieldVisible(type, def.name)) return sfErrors(400, 'INVALID_FIELD', `No such column '${raw}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
			if (!names.includes(def.name)) names.push(def.name);
		}
		return ok(
			ids.map((raw) => {
				const record = this.org.get(type, String(raw).trim());
				return record ? this.apiRecord(record, urlBase, names) : null;
			}),
		);
	},

	/** One emailSimple input: validation, limits, the send, and logging when asked for. */
	sendSimpleEmail(input, version, userId) {
		const known = new Map(schemas.emailInputsFor(version).map((i) => [i.name, i]));
		const recipients = { to: [], cc: [], bcc: [] };
		for (const [name, value] of Object.entries(input)) {
			const spec = known.get(name);
			if (spec && spec.recipients) recipients[spec.recipients].push(...splitAddresses(value));
		}
		const failWith = (errorCode, message, fields = []) => new SfError(400, [{ errorCode, message, fields }]);
		let recipient;
		if (input.recipientId !== undefined) {
			const id = normalizeId(input.recipientId);
			recipient = id && this.org.find(id);
			if (!recipient) throw failWith('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: recipientId ${input.recipientId}`);
			if (!['Lead', 'Contact'].includes(recipient.type)) throw failWith('FIELD_INTEGRITY_EXCEPTION', `recipientId must be the ID of a lead or a contact record (got ${recipient.type})`);
			if (!recipient.values.Email) throw failWith('REQUIRED_FIELD_MISSING', `recipientId ${recipient.id} has no email address`);
			recipients.to.push(recipient.values.Email);
		}
		let related;
		if (input.relatedRecordId !== undefined) {
			const id = normalizeId(input.relatedRecordId);
			related = id && this.org.find(id);
			if (!related) throw failWith('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: relatedRecordId ${input.relatedRecordId}`);
			if (['Lead', 'Contact', 'User'].includes(related.type)) throw failWith('FIELD_INTEGRITY_EXCEPTION', "relatedRecordId must be the ID of a record that's not a person");
		}
		const all = [...recipients.to, ...recipients.cc, ...recipients.bcc];
		if (all.length === 0) throw failWith('REQUIRED_FIELD_MISSING', 'Missing required input parameter: at least one recipient (recipient addresses or recipientId)');
		const limit = schemas.emailRecipientLimit(version);
		if (all.length > limit) throw failWith('LIMIT_EXCEEDED', `Too many recipients: ${all.length}; the combined number of recipients must be ${limit} or fewer`);
		const bad = all.find((a) => !isEmail(a));
		if (bad) throw failWith('INVALID_EMAIL_ADDRESS', `Email address is invalid: ${bad}`);
		if (input.emailTemplateId !== undefined) throw failWith('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: emailTemplateId ${input.emailTemplateId} (the sandbox has no email templates)`);
		for (const name of ['emailSubject', 'emailBody']) {
			if (input[name] === undefined || input[name] === '') throw failWith('REQUIRED_FIELD_MISSING', `Missing required input parameter: ${name}`);
		}
		const senderType = input.senderType || 'CurrentUser';
		if (senderType === 'OrgWideEmailAddress') {
			if (!input.senderAddress) throw failWith('REQUIRED_FIELD_MISSING', 'Missing required input parameter: senderAddress (required when senderType is OrgWideEmailAddress)');
			if (!isEmail(input.senderAddress)) throw failWith('INVALID_EMAIL_ADDRESS', `Email address is invalid: ${input.senderAddress}`);
		}
		const log = input.logEmailOnSend === true;
		if (log && !recipient && !related) throw failWith('REQUIRED_FIELD_MISSING', 'To log an email, specify a value in recipientId or relatedRecordId');
		if (log && recipient && recipient.type === 'Lead' && related) {
			throw failWith('FIELD_INTEGRITY_EXCEPTION', "relatedRecordId can't be used to log an email if recipientId is a lead record");
		}
		const kind = log || input.emailTemplateId !== undefined ? 'singleEmail' : 'workflowEmail';
		const cap = this.emailLimits[kind];
		if (this.emailUsed(kind) + all.length > cap) {
			throw failWith(kind === 'singleEmail' ? 'SINGLE_EMAIL_LIMIT_EXCEEDED' : 'LIMIT_EXCEEDED', kind === 'singleEmail' ? 'Single email limit exceeded' : 'Daily workflow email limit exceeded');
		}
		const user = this.org.get('User', userId);
		const from = senderType === 'OrgWideEmailAddress' ? input.senderAddress : senderType === 'DefaultWorkflowUser' ? this.org.get('User', this.org.integrationUserId).values.Email : user.values.Email;
		let logged = null;
		if (log) {
			const today = new Date(this.now()).toISOString().slice(0, 10);
			const task = this.org.insert(
				'Task',
				{
					Subject: `Email: ${input.emailSubject}`.slice(0, 255),
					Description: input.emailBody,
					Status: this.completedTaskStatus(),
					Priority: 'Normal',
					TaskSubtype: 'Email',
					ActivityDate: today,
					WhoId: recipient ? recipient.id : null,
					WhatId: related ? related.id : null,
				},
				userId,
			);
			const rich = input.sendRichBody === true;
			const message = this.org.insert(
				'EmailMessage',
				{
					Subject: input.emailSubject,
					TextBody: rich ? null : input.emailBody,
					HtmlBody: rich ? input.emailBody : null,
					FromAddress: from,
					FromName: senderType === 'CurrentUser' ? user.values.Name : null,
					ToAddress: recipients.to.join('; ') || null,
					CcAddress: recipients.cc.join('; ') || null,
					BccAddress: recipients.bcc.join('; ') || null,
					Status: '3',
					MessageDate: formatDateTime(this.now()),
					Incoming: false,
					RelatedToId: related ? related.id : null,
					ParentId: related && related.type === 'Case' ? related.id : null,
					ActivityId: task.id,
				},
				userId,
			);
			logged = { taskId: task.id, emailMessageId: message.id };
		}
		this.emailUsage[kind].push({ at: this.now(), count: all.length });
		this.sentEmails.push({
			to: recipients.to,
			cc: recipients.cc,
			bcc: recipients.bcc,
			subject: input.emailSubject,
			body: input.emailBody,
			richBody: input.sendRichBody === true,
			senderType,
			from,
			recipientId: recipient ? recipient.id : null,
			relatedRecordId: related ? related.id : null,
			logged,
			countsAgainst: kind === 'singleEmail' ? 'SingleEmail' : 'DailyWorkflowEmails',
			apiVersion: version,
			userId,
			sentAt: formatDateTime(this.now()),
		});
	},

	completedTaskStatus() {
		const closed = this.org.statusRows('TaskStatus').find((r) => r.IsClosed);
		return closed ? closed.MasterLabel : this.org.defaultStatus('TaskStatus').MasterLabel;
	},
});

/** Answers every record of a collection with the same error (nothing is processed). */
function rejectAll(records, statusCode, message) {
	return ok(records.map(() => ({ success: false, errors: [{ statusCode, message, fields: [] }] })));
}

/** Number of chunks a collection is processed in ("{account1, account2, contact1, account3}" → 3). */
function chunkCount(records) {
	let chunks = 0;
	let last;
	for (const r of records) {
		const type = r && r.attributes && String(r.attributes.type).toLowerCase();
		if (type !== last) chunks += 1;
		last = type;
	}
	return chunks;
}

/**
 * sObject Describe: DescribeSObjectResult with its Field entries
 * (https://developer.salesforce.com/docs/platform/api/guide/sforce-api-calls-describesobjects-describesobjectresult.html,
 * the REST resource answers the same properties as JSON). Every property jsforce's
 * DescribeSObjectResult / Field types declare is present (test/sdk/salesforce-sdk.test.ts checks
 * it). The flags the provider does not read (activateable, feedEnabled, mruEnabled, cascadeDelete,
 * externalId, ...) carry fixed defaults: UNCONFIRMED per object and field.
 */
function describe(org, type, urlBase, visible = () => true) {
	const def = OBJECTS[type];
	const fields = Object.entries(def.fields).filter(([name]) => visible(name)).map(([name, f]) => {
		const picklist = f.type === 'picklist' || f.type === 'combobox' ? org.picklistValues(type, { name, ...f }) : [];
		return {
			aggregatable: f.type !== 'textarea' && f.type !== 'anyType',
			autoNumber: Boolean(f.autoNumber),
			byteLength: f.length ? f.length * 3 : 0,
			calculated: Boolean(f.calculated),
			calculatedFormula: null,
			cascadeDelete: false,
			caseSensitive: false,
			compoundFieldName: null,
			controllerName: null,
			createable: Boolean(f.create),
			custom: false,
			defaultValue: f.defaultValue ?? null,
			defaultValueFormula: null,
			defaultedOnCreate: Boolean(f.defaulted),
			dependentPicklist: false,
			deprecatedAndHidden: false,
			digits: f.digits || 0,
			displayLocationInDecimal: false,
			encrypted: false,
			externalId: false,
			extraTypeInfo: null,
			filterable: Boolean(f.filter),
			filteredLookupInfo: null,
			groupable: f.type !== 'textarea' && !['double', 'currency', 'percent', 'datetime'].includes(f.type),
			highScaleNumber: false,
			htmlFormatted: false,
			idLookup: Boolean(f.idLookup) || name === 'Id',
			inlineHelpText: null,
			label: f.label,
			length: f.type === 'textarea' || f.type === 'string' || f.type === 'email' || f.type === 'phone' || f.type === 'url' || f.type === 'picklist' || f.type === 'combobox' ? f.length || 0 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
			mask: null,
			maskType: null,
			name,
			nameField: Boolean(f.nameField),
			namePointing: false,
			nillable: Boolean(f.nillable),
			permissionable: !f.nameField && name !== 'Id' && Boolean(f.nillable),
			picklistValues: picklist.map((p) => ({ active: true, defaultValue: p.defaultValue, label: p.label, validFor: null, value: p.value })),
			precision: f.precision || 0,
			queryByDistance: false,
			referenceTargetField: null,
			referenceTo: f.referenceTo || [],
			relationshipName: f.relationshipName || null,
			relationshipOrder: null,
			restrictedDelete: false,
			restrictedPicklist: Boolean(f.restricted),
			scale: f.scale || 0,
			soapType: SOAP_TYPES[f.type] || 'xsd:string',
			sortable: Boolean(f.sort),
			type: f.type === 'datetime' ? 'datetime' : f.type,
			unique: false,
			updateable: Boolean(f.update),
			writeRequiresMasterRead: false,
		};
	});
	const masterRecordType = '012000000000000AAA';
	const writable = def.createable !== false;
	return {
		actionOverrides: [],
		activateable: false,
		name: type,
		label: def.label,
		labelPlural: def.labelPlural,
		keyPrefix: PREFIXES[type] || null,
		compactLayoutable: writable,
		custom: false,
		customSetting: false,
		deepCloneable: false,
		deprecatedAndHidden: false,
		feedEnabled: false,
		hasSubtypes: false,
		idEnabled: true,
		isInterface: false,
		isSubtype: false,
		listviewable: null,
		lookupLayoutable: null,
		mergeable: ['Lead', 'Contact', 'Account', 'Case'].includes(type),
		mruEnabled: writable,
		namedLayoutInfos: [],
		networkScopeFieldName: null,
		replicateable: !def.virtual,
		searchLayoutable: writable,
		supportedScopes: [],
		createable: writable,
		updateable: def.updateable !== false,
		deletable: def.deletable !== false,
		queryable: true,
		retrieveable: !def.virtual,
		searchable: writable,
		layoutable: writable,
		triggerable: writable,
		undeletable: def.deletable !== false,
		fields,
		childRelationships: [],
		recordTypeInfos: writable
			? [
					{
						active: true,
						available: true,
						defaultRecordTypeMapping: true,
						developerName: 'Master',
						master: true,
						name: 'Master',
						recordTypeId: masterRecordType,
						urls: { layout: `${urlBase}/sobjects/${type}/describe/layouts/${masterRecordType}` },
					},
				]
			: [],
		urls: {
			rowTemplate: `${urlBase}/sobjects/${type}/{ID}`,
			describe: `${urlBase}/sobjects/${type}/describe`,
			sobject: `${urlBase}/sobjects/${type}`,
		},
	};
}

const SOAP_TYPES = {
	id: 'tns:ID',
	reference: 'tns:ID',
	boolean: 'xsd:boolean',
	date: 'xsd:date',
	datetime: 'xsd:dateTime',
	double: 'xsd:double',
	currency: 'xsd:double',
	percent: 'xsd:double',
	int: 'xsd:int',
	anyType: 'xsd:anyType',
};

/** GET /actions/standard/emailSimple (describe; input list per API version). */
function emailSimpleDescribe(version) {
	const required = Number(version) < 58 ? new Set(['emailSubject', 'emailBody']) : new Set();
	const labels = {
		emailAddresses: 'Email Addresses (comma-separated)',
		emailAddressesArray: 'Email Addresses (collection)',
		recipientAddresses: 'Recipient Address List',
		emailSubject: 'Subject',
		emailBody: 'Body',
		senderType: 'Sender Type',
		senderAddress: 'Sender Address',
		logEmailOnSend: 'Log Email on Send',
		recipientId: 'Recipient ID',
		relatedRecordId: 'Related Record ID',
		emailTemplateId: 'Email Template ID',
		sendRichBody: 'Rich-Text-Formatted Body',
	};
	const inputs = schemas.emailInputsFor(version).map((i) => ({
		byteLength: 0,
		description: i.name === 'emailBody' || i.name === 'emailSubject' ? (Number(version) < 58 ? 'Required.' : 'Required if not using an email template.') : 'Optional.',
		label: labels[i.name] || i.name,
		maxOccurs: i.type === 'stringList' || i.type === 'stringOrList' ? 2000 : 1,
		name: i.name,
		picklistValues: i.enum ? i.enum.map((v) => ({ label: v, value: v })) : null,
		required: required.has(i.name),
		sobjectType: null,
		type: i.type === 'boolean' ? 'BOOLEAN' : i.name === 'emailBody' ? 'TEXTAREA' : 'STRING',
	}));
	return {
		description: 'Send an email where you specify the subject, body, and recipients.',
		inputs,
		label: 'Send Email',
		name: 'emailSimple',
		outputs: [],
		standard: true,
		targetEntityName: null,
		type: 'EMAILSIMPLE',
	};
}

function defaultFaultBody(status) {
	const codes = { 400: 'INVALID_REQUEST', 401: 'INVALID_SESSION_ID', 403: 'REQUEST_LIMIT_EXCEEDED', 404: 'NOT_FOUND', 500: 'UNKNOWN_EXCEPTION', 502: 'SERVER_UNAVAILABLE', 503: 'SERVER_UNAVAILABLE' };
	return [{ message: `Injected fault (HTTP ${status})`, errorCode: codes[status] || 'UNKNOWN_EXCEPTION' }];
}

function pick(headers, names) {
	const out = {};
	for (const n of names) if (headers[n] !== undefined) out[n] = headers[n];
	return out;
}

/** OAuth secrets never leave memory (request log file, /__sandbox/requests). */
function redact(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
	const out = { ...body };
	for (const key of ['client_secret', 'assertion', 'refresh_token', 'code', 'code_verifier']) if (key in out) out[key] = '[redacted]';
	return out;
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Starts a sandbox on `options.port` (0 = random) and resolves once it listens. */
async function startSalesforceServer(options = {}) {
	const sandbox = new FakeSalesforce(options);
	await sandbox.listen(options.port || 0);
	if (options.demoData) seedDemoData(sandbox);
	return sandbox;
}

module.exports = { startSalesforceServer, FakeSalesforce, seedDemoData };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name, fallback) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : fallback;
	};
	startSalesforceServer({
		port: Number(arg('port', process.env.PORT || 8788)),
		host: arg('host', '127.0.0.1'),
		token: arg('token', 'test-token'),
		requestLog: arg('log', undefined),
		demoData: args.includes('--demo-data'),
		...(arg('daily-limit', undefined) ? { dailyLimit: Number(arg('daily-limit')) } : {}),
	}).then((sandbox) => {
		console.log(`Salesforce sandbox listening on ${sandbox.baseUrl} (API v${sandbox.apiVersion}; Authorization: Bearer ${sandbox.token})`);
		const stop = () => sandbox.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
