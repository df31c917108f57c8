'use strict';
/**
 * A stateful local Zoho CRM v8 API sandbox for tests and demos: our reading of Zoho's docs,
 * checked against Zoho's official SDK (test/sdk/zoho-sdk.test.ts drives it with
 * @zohocrm/typescript-sdk-8.0). Bodies are checked against ./schemas.js and the field catalogue
 * in ./seed.js; what breaks them is recorded in `violations` (the request still gets Zoho's answer).
 *
 *   node test/sandbox/zoho/server.js [--port 8790] [--example-process] [--demo-data]
 *
 * Accounts server and API share this one HTTP server. The US data centre lives at the root
 * (`/oauth/v2/token`, `/crm/v8/…`); another data centre `dc` lives under `/dc/{dc}` (e.g.
 * `/dc/eu/oauth/v2/token`, api_domain `${baseUrl}/dc/eu`). A refresh token belongs to one data
 * centre and its access tokens work only on that data centre's api_domain (INVALID_TOKEN
 * elsewhere), like an EU org called on www.zohoapis.com.
 *
 * Control endpoints (no auth; not part of Zoho's API):
 *   POST /__sandbox/reset {"demoData", "exampleProcess"} · /__sandbox/example-process · /__sandbox/demo-data
 *   POST /__sandbox/fault {"method","pathPrefix","status","body","headers","times","delayMs","drop"}
 *   POST /__sandbox/rate-limit {"times"}        the next N API calls get 429 TOO_MANY_REQUESTS
 *   POST /__sandbox/clock {"now"} | {"advanceMs"}
 *   GET  /__sandbox/requests · /__sandbox/notifications · /__sandbox/emails
 *
 * Sources (Zoho developer docs, v8 unless noted; cited again where used):
 *   OAuth  https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html (10 tokens / 10 min),
 *          https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html (accounts server per DC, api_domain)
 *   Records https://www.zoho.com/crm/developer/docs/api/v8/get-records.html, insert-records.html,
 *          update-records.html, upsert-records.html, delete-records.html, search-records.html
 *   COQL   https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html, COQL-Limitations.html
 *   Notifications https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html, enable.html
 *   Blueprint https://www.zoho.com/crm/developer/docs/api/v8/get-blueprint-details.html, update-blueprint.html
 *   Send mail https://www.zoho.com/crm/developer/docs/api/v8/send-mail.html, get-from-addresses.html
 *   Limits https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html
 * Every behaviour the docs do not confirm is marked `UNCONFIRMED:` here and listed in UNCONFIRMED.md.
 */
const { SandboxServer } = require('../sandboxServer');
const http = require('http');
const crypto = require('crypto');
const { URL } = require('url');

const { validate } = require('../schemaValidator');
const { BODIES } = require('./schemas');
const { defaultSeed, pipelines, EXAMPLE_STAGES, SYSTEM_DUPLICATE_CHECK, sid, ID_PREFIX } = require('./seed');
const coql = require('./coql');

const API = '/crm/v8';
const ACCESS_TOKEN_TTL_S = 3600;
/** A refresh token mints at most 10 access tokens in 10 minutes (access-token-expiry.html). */
const TOKEN_MINT_LIMIT = { count: 10, windowMs: 10 * 60_000 };
const MAX_RECORDS_PER_WRITE = 100;
const MAX_PER_PAGE = 200;
/** `page` reaches only the first 2,000 records; beyond that `page_token` (get-records.html). */
const PAGE_PARAM_LIMIT = 2000;
const SEARCH_LIMIT = 2000;
const COQL_MAX_LIMIT = 2000;
const COQL_MAX_ROWS = 100_000;
const CHANNEL_MAX_MS = 7 * 24 * 3600_000;
const CHANNEL_DEFAULT_MS = 3600_000;
const DEFAULT_TRIGGERS = ['workflow', 'approval', 'blueprint'];
const EVENT_OPERATION = { create: 'insert', edit: 'update', delete: 'delete' };

class ZohoError extends Error {
	constructor(status, code, message, details = {}, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.details = details;
		this.headers = headers;
	}
	body() {
		return { code: this.code, details: this.details, message: this.message, status: 'error' };
	}
}
/** A per-record failure (goes into `data[i]`, not the HTTP status). */
class RecordError extends Error {
	constructor(code, message, details = {}) {
		super(message);
		this.code = code;
		this.details = details;
	}
	entry() {
		return { code: this.code, details: this.details, message: this.message, status: 'error' };
	}
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const isBlank = (v) => v === undefined || v === null || v === '';
const pad = (n) => String(n).padStart(2, '0');
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Zoho's datetime form: 2026-12-04T00:18:53+00:00 (the org's time zone; UTC here). */
function zohoTime(ms) {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`;
}

/** Parses application/json, x-www-form-urlencoded and multipart/form-data (the SDK's token call). */
function parseBody(raw, contentType = '') {
	if (!raw.length) return undefined;
	const text = raw.toString('utf8');
	if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
	if (contentType.includes('multipart/form-data')) {
		const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
		const out = {};
		for (const part of text.split(`--${boundary}`)) {
			const m = /name="([^"]+)"[^]*?\r\n\r\n([^]*)\r\n$/.exec(part);
			if (m) out[m[1]] = m[2];
		}
		return out;
	}
	try {
		return JSON.parse(text);
	} catch {
		return { __invalidJson: text };
	}
}

class FakeZoho extends SandboxServer {
	constructor(options = {}) {
		super(options);
		this.options = options;
		this.requests = [];
		this.violations = [];
		this.notifications = [];
		this.sentEmails = [];
		this.workflowRuns = [];
		this.pending = new Set();
		this.inFlight = 0;
		/** Simultaneous API calls allowed (Professional edition: 15). */
		this.concurrencyLimit = options.concurrencyLimit ?? 15;
		/** Time each API call takes, so concurrency can be seen in tests. */
		this.latencyMs = options.latencyMs ?? 0;
		this.reset();
	}

	// ------------------------------------------------------------------ control API (tests)

	reset() {
		const seed = defaultSeed();
		this.seed = seed;
		this.orgId = seed.orgId;
		this.users = seed.users;
		this.modules = seed.modules;
		this.layouts = seed.layouts;
		this.pipelines = seed.pipelines;
		this.blueprints = seed.blueprints;
		this.assignmentRules = seed.assignmentRules.map((r) => ({ ...r, next: 0 }));
		this.fromAddresses = seed.fromAddresses;
		this.refreshTokens = new Map(seed.refreshTokens.map((t) => [t.token, { ...t, minted: [] }]));
		this.accessTokens = new Map();
		this.grantCodes = new Map();
		this.records = new Map(Object.keys(this.modules).map((m) => [m, new Map()]));
		this.meta = new Map();
		this.channels = new Map();
		this.workflowRules = [];
		this.uniqueFields = {};
		this.counter = 10_000;
		this.rateLimitTimes = 0;
		this.credits = { limit: 50_000 + this.users.length * 1000, used: 0 };
		this.requests.length = 0;
		this.violations.length = 0;
		this.notifications.length = 0;
		this.sentEmails.length = 0;
		this.workflowRuns.length = 0;
		this.faults.length = 0;
		this.requestHook = undefined;
		this.pageTokens = new Map();
		this._relatedActions = [];
		/** An access token for the seeded US refresh token, for tests that skip OAuth. */
		this.token = this.mintAccessToken(this.refreshTokens.get('1000.sandbox-refresh-token-us'), { count: false });
	}

	/** Stage names like the examples' (an org that migrated its HubSpot process) in the default pipeline. */
	useExampleProcess() {
		this.pipelines = pipelines(EXAMPLE_STAGES);
	}

	/** A custom field an admin added to a module (e.g. a lead score); gone on reset. */
	defineField(module, api_name, data_type = 'text') {
		const m = this.modules[this.moduleName(module)];
		this.modules = { ...this.modules, [module]: { ...m, fields: [...m.fields, { api_name, data_type }] } };
	}

	/** The next `times` API calls are answered 429 TOO_MANY_REQUESTS (no Retry-After, as Zoho does). */
	forceRateLimit(times = 1) {
		this.rateLimitTimes = times;
	}

	/** A field whose values must be unique (Zoho's "Do not allow duplicate values"; off by default). */
	setUniqueField(module, field) {
		(this.uniqueFields[module] ??= []).push(field);
	}

	/** A workflow rule that sets fields when a record is created/edited and `workflow` is triggered. */
	addWorkflowRule(rule) {
		this.workflowRules.push({ on: ['create', 'edit'], ...rule });
	}

	/** Every access token stops working (as if an hour passed). */
	expireAccessTokens() {
		for (const t of this.accessTokens.values()) t.expiresAt = 0;
	}

	/** A one-time authorization code (the consent step of the authorization-code flow). */
	issueGrantCode(refreshToken = '1000.sandbox-refresh-token-us') {
		const code = `1000.${crypto.randomBytes(12).toString('hex')}`;
		this.grantCodes.set(code, refreshToken);
		return code;
	}

	/** Waits until every notification callback sent so far has been answered. */
	async flushNotifications() {
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	user(idOrEmail) {
		return this.users.find((u) => u.id === idOrEmail || u.email === idOrEmail);
	}

	getRecord(module, id) {
		return clone(this.records.get(module)?.get(String(id)));
	}

	listRecords(module) {
		return [...this.records.get(module).values()].map(clone);
	}

	stageHistory(dealId) {
		return clone(this.meta.get(String(dealId))?.stageHistory ?? []);
	}

	/** Creates a record as a user in the CRM would (workflows run; notifications are sent). */
	createRecord(module, fields, options = {}) {
		const result = this.writeRecords(module, [fields], { mode: 'insert', triggers: options.trigger ?? DEFAULT_TRIGGERS, actor: options.actor, direct: true });
		if (result[0].status !== 'success') throw new Error(`createRecord ${module}: ${JSON.stringify(result[0])}`);
		return this.getRecord(module, result[0].details.id);
	}

	/** Updates a record as a user in the CRM would (Blueprint does not stop a user-side edit here). */
	updateRecord(module, id, fields, options = {}) {
		const result = this.writeRecords(module, [{ ...fields, id: String(id) }], { mode: 'update', triggers: options.trigger ?? DEFAULT_TRIGGERS, actor: options.actor, direct: true, skipBlueprint: true });
		if (result[0].status !== 'success') throw new Error(`updateRecord ${module}: ${JSON.stringify(result[0])}`);
		return this.getRecord(module, id);
	}

	deleteRecord(module, id) {
		this.deleteRecords(module, [String(id)]);
	}

	// ------------------------------------------------------------------ HTTP

	async handle(req, res) {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const url = new URL(req.url, 'http://sandbox');
		const entry = {
			method: req.method,
			path: url.pathname,
			resource: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { authorization: req.headers.authorization },
			body: parseBody(Buffer.concat(chunks), req.headers['content-type']),
			status: 0,
			violations: [],
			at: this.now(),
		};
		const send = (status, body, headers = {}) => {
			entry.status = status;
			entry.response = body;
			const out = { ...headers };
			if (body !== undefined) out['content-type'] = 'application/json;charset=utf-8';
			res.writeHead(status, out);
			res.end(body === undefined ? undefined : JSON.stringify(body));
		};
		try {
			if (url.pathname.startsWith('/__sandbox/')) return send(...(await this.control(req.method, url, entry.body)));
			this.requests.push(entry);
			this.requestHook?.(entry);
			const fault = this.takeFault(req.method, url.pathname);
			if (fault) {
				if (fault.delayMs) await sleep(fault.delayMs);
				if (fault.drop) {
					req.socket.destroy();
					return;
				}
				if (fault.status) return send(fault.status, fault.body, fault.headers);
			}
			const dcMatch = /^\/dc\/([a-z]+)(\/.*)$/.exec(url.pathname);
			const dc = dcMatch ? dcMatch[1] : 'us';
			const path = dcMatch ? dcMatch[2] : url.pathname;
			entry.dc = dc;
			entry.resource = path.startsWith(API) ? path.slice(API.length) : path;
			if (path === '/oauth/v2/token' && req.method === 'POST') return send(...this.tokenEndpoint(dc, { ...entry.query, ...(entry.body || {}) }));
			if (path === '/oauth/v2/auth' && req.method === 'GET') return this.authorizeEndpoint(dc, url, res, entry);
			if (!path.startsWith(`${API}/`)) throw new ZohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
			const token = this.authenticate(req.headers.authorization, dc);
			entry.auth = token.refresh;
			this.checkScope(token, req.method, entry.resource, url.searchParams);
			if (this.inFlight >= this.concurrencyLimit) {
				// Concurrency per org and app (api-limits.html; Free 5, Standard 10, Professional 15 per a
				// secondary source). UNCONFIRMED: the answer is the same 429 as the rate limit.
				throw new ZohoError(429, 'TOO_MANY_REQUESTS', 'The API concurrency limit has been exceeded', {});
			}
			if (this.rateLimitTimes > 0) {
				this.rateLimitTimes -= 1;
				// Zoho answers 429 without Retry-After (secondary: api-evangelist citing api-limits.html).
				throw new ZohoError(429, 'TOO_MANY_REQUESTS', 'The API concurrency limit or rate limit has been exceeded', {});
			}
			if (entry.body?.__invalidJson !== undefined) throw new ZohoError(400, 'INVALID_DATA', 'body is not valid JSON', {});
			this.inFlight += 1;
			try {
				if (this.latencyMs) await sleep(this.latencyMs);
				entry.ifModifiedSince = req.headers['if-modified-since'];
				const [status, body, headers] = await this.route(req.method, entry.resource, url.searchParams, entry.body, entry, dc);
				return send(status, body, { ...this.creditHeaders(), ...(headers || {}) });
			} finally {
				this.inFlight -= 1;
			}
		} catch (error) {
			if (error instanceof ZohoError) return send(error.status, error.body(), error.headers);
			entry.violations.push(`sandbox error: ${error.message}`);
			return send(500, { code: 'INTERNAL_ERROR', details: {}, message: String(error.stack), status: 'error' });
		} finally {
			if (entry.violations.length) this.violations.push(...entry.violations.map((v) => `${entry.method} ${entry.path}: ${v}`));
		}
	}

	violation(entry, message) {
		entry.violations.push(message);
	}

	checkBody(entry, schema) {
		for (const v of validate(schema, entry.body ?? null)) this.violation(entry, v);
	}

	// UNCONFIRMED: header name and the 50 % threshold are from a secondary source (api-evangelist).
	creditHeaders() {
		if (this.credits.used < this.credits.limit / 2) return {};
		return { 'X-API-CREDITS-REMAINING': String(Math.max(0, this.credits.limit - this.credits.used)) };
	}

	spendCredits(n) {
		if (this.credits.used + n > this.credits.limit) {
			// UNCONFIRMED: the code Zoho answers when the day's credits are spent.
			throw new ZohoError(429, 'TOO_MANY_REQUESTS', 'You have reached the API credit limit for the day', {});
		}
		this.credits.used += n;
	}

	async control(method, url, body = {}) {
		const path = url.pathname.slice('/__sandbox'.length);
		if (method === 'POST' && path === '/reset') {
			this.reset();
			if (body.exampleProcess) this.useExampleProcess();
			if (body.demoData) require('./demo-data').loadDemoData(this);
			return [200, { ok: true }];
		}
		if (method === 'POST' && path === '/example-process') {
			this.useExampleProcess();
			return [200, { ok: true }];
		}
		if (method === 'POST' && path === '/demo-data') {
			require('./demo-data').loadDemoData(this);
			return [200, { ok: true }];
		}
		if (method === 'POST' && path === '/fault') {
			this.fault(body);
			return [200, { ok: true }];
		}
		if (method === 'POST' && path === '/rate-limit') {
			this.forceRateLimit(body.times ?? 1);
			return [200, { ok: true }];
		}
		if (method === 'POST' && path === '/clock') {
			const base = this.now();
			const target = body.now !== undefined ? (typeof body.now === 'number' ? body.now : Date.parse(body.now)) : base + (body.advanceMs || 0);
			const offset = target - Date.now();
			this.setClock(() => Date.now() + offset);
			return [200, { now: new Date(this.now()).toISOString() }];
		}
		if (method === 'GET' && path === '/requests') return [200, this.requests];
		if (method === 'GET' && path === '/notifications') return [200, this.notifications];
		if (method === 'GET' && path === '/emails') return [200, this.sentEmails];
		return [404, { error: 'unknown control endpoint' }];
	}

	// ------------------------------------------------------------------ OAuth (accounts server)

	apiDomain(dc) {
		return dc === 'us' ? this.baseUrl : `${this.baseUrl}/dc/${dc}`;
	}

	mintAccessToken(refresh, { count = true } = {}) {
		const token = `1000.${crypto.randomBytes(16).toString('hex')}.${crypto.randomBytes(16).toString('hex')}`;
		if (count) refresh.minted.push(this.now());
		this.accessTokens.set(token, { refresh: refresh.token, dc: refresh.dc, scopes: refresh.scopes, expiresAt: this.now() + ACCESS_TOKEN_TTL_S * 1000 });
		return token;
	}

	/**
	 * POST /oauth/v2/token: refresh_token and authorization_code grants. Errors are 200 with
	 * {"error": "…"} as Zoho's accounts server answers (UNCONFIRMED: status 200 for errors).
	 */
	tokenEndpoint(dc, p) {
		let refresh;
		let issueRefresh = false;
		if (p.grant_type === 'refresh_token') refresh = this.refreshTokens.get(p.refresh_token);
		else if (p.grant_type === 'authorization_code') {
			const token = this.grantCodes.get(p.code);
			this.grantCodes.delete(p.code);
			refresh = token && this.refreshTokens.get(token);
			if (!refresh) return [200, { error: 'invalid_code' }];
			issueRefresh = true;
		} else return [200, { error: 'unsupported_grant_type' }];
		if (!refresh || refresh.dc !== dc) return [200, { error: 'invalid_code' }];
		if (refresh.clientId !== p.client_id) return [200, { error: 'invalid_client' }];
		if (refresh.clientSecret !== p.client_secret) return [200, { error: 'invalid_client_secret' }];
		const now = this.now();
		refresh.minted = refresh.minted.filter((t) => now - t < TOKEN_MINT_LIMIT.windowMs);
		if (refresh.minted.length >= TOKEN_MINT_LIMIT.count) {
			// UNCONFIRMED: the exact body; Zoho documents the limit, third parties quote this answer.
			return [400, { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' }];
		}
		const access = this.mintAccessToken(refresh);
		return [
			200,
			{
				access_token: access,
				...(issueRefresh ? { refresh_token: refresh.token } : {}),
				scope: refresh.scopes.join(' '),
				api_domain: this.apiDomain(dc),
				token_type: 'Bearer',
				expires_in: ACCESS_TOKEN_TTL_S,
			},
		];
	}

	/** GET /oauth/v2/auth: consents at once and redirects with code, location and accounts-server. */
	authorizeEndpoint(dc, url, res, entry) {
		const refresh = [...this.refreshTokens.values()].find((t) => t.dc === dc && t.clientId === url.searchParams.get('client_id'));
		const redirect = new URL(url.searchParams.get('redirect_uri') || 'http://localhost/');
		if (!refresh) redirect.searchParams.set('error', 'invalid_client');
		else {
			redirect.searchParams.set('code', this.issueGrantCode(refresh.token));
			redirect.searchParams.set('location', dc);
			redirect.searchParams.set('accounts-server', this.apiDomain(dc));
		}
		if (url.searchParams.get('state')) redirect.searchParams.set('state', url.searchParams.get('state'));
		entry.status = 302;
		res.writeHead(302, { location: redirect.toString() });
		res.end();
	}

	authenticate(header, dc) {
		const m = /^Zoho-oauthtoken (\S+)$/.exec(header || '');
		// UNCONFIRMED: the code for a missing header / another scheme (AUTHENTICATION_FAILURE here).
		if (!m) throw new ZohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed', {});
		const token = this.accessTokens.get(m[1]);
		if (!token || token.expiresAt <= this.now() || token.dc !== dc) throw new ZohoError(401, 'INVALID_TOKEN', 'invalid oauth token', {});
		return token;
	}

	/**
	 * OAuth scopes (oauth-scopes.html): ZohoCRM.modules.{ALL|READ|CREATE|UPDATE|DELETE} or per
	 * module (ZohoCRM.modules.leads.READ), ZohoCRM.settings.{ALL|READ|…}, ZohoCRM.users.{ALL|READ},
	 * ZohoCRM.coql.READ (+ module read), ZohoCRM.notifications.{ALL|READ|CREATE|UPDATE|DELETE},
	 * ZohoCRM.send_mail.all.CREATE. A call outside the token's scopes: 401 OAUTH_SCOPE_MISMATCH.
	 * UNCONFIRMED: which scope Blueprint and Stage_History need (here the module's UPDATE/READ).
	 */
	checkScope(token, method, resource, q) {
		const op = { GET: 'READ', POST: 'CREATE', PUT: 'UPDATE', PATCH: 'UPDATE', DELETE: 'DELETE' }[method] || 'ALL';
		const granted = (family, operation, module) =>
			token.scopes.some((s) => {
				const parts = s.split('.');
				if (parts[0] !== 'ZohoCRM' || parts[1] !== family) return false;
				if (parts.length === 3) return parts[2] === 'ALL' || parts[2] === operation;
				return module && parts[2].toLowerCase() === module.toLowerCase() && (parts[3] === 'ALL' || parts[3] === operation);
			});
		const [a, b, , d] = resource.split('/').filter(Boolean);
		let ok;
		if (a === 'users') ok = granted('users', op);
		else if (a === 'org') ok = granted('org', op);
		else if (a === 'settings') ok = granted('settings', op) || (b && granted('settings', op, b));
		else if (a === 'coql') ok = granted('coql', 'READ') && (granted('modules', 'READ') || !!token.scopes.find((s) => /^ZohoCRM\.modules\.\w+\.(ALL|READ)$/.test(s)));
		else if (a === 'actions') ok = granted('notifications', op);
		else if (d === 'send_mail') ok = token.scopes.includes('ZohoCRM.send_mail.all.CREATE') || token.scopes.includes('ZohoCRM.send_mail.ALL');
		else {
			const writeOp = b === 'upsert' ? 'CREATE' : b === 'search' ? 'READ' : d === 'blueprint' && method === 'PUT' ? 'UPDATE' : op;
			ok = granted('modules', writeOp, a) || (b === 'upsert' && granted('modules', 'UPDATE', a) && granted('modules', 'CREATE', a));
		}
		if (!ok) throw new ZohoError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', {});
	}

	/** A refresh token with exactly these scopes (for scope tests); returns the token string. */
	addRefreshToken(scopes, dc = 'us') {
		const token = `1000.sandbox-refresh-${crypto.randomBytes(6).toString('hex')}`;
		this.refreshTokens.set(token, { token, clientId: '1000.SANDBOXCLIENT', clientSecret: 'sandbox-secret', dc, scopes, minted: [] });
		return token;
	}

	// ------------------------------------------------------------------ routing

	async route(method, resource, q, body, entry, dc) {
		const parts = resource.split('/').filter(Boolean).map(decodeURIComponent);
		const [a, b, c, d] = parts;
		if (a === 'users' && parts.length === 1 && method === 'GET') return this.getUsers(q);
		if (a === 'org' && method === 'GET') return [200, { org: [{ id: this.orgId, company_name: 'Sandbox Org', primary_email: 'admin@example.com', time_zone: 'UTC', currency: 'US Dollar', iso_code: 'USD', country_code: 'US' }] }];
		if (a === 'settings') return this.settings(method, parts.slice(1), q, entry);
		if (a === 'coql' && method === 'POST') return this.coqlQuery(entry);
		if (a === 'actions' && b === 'watch') return this.watch(method, q, entry, dc);
		const module = this.moduleName(a);
		if (parts.length === 1) {
			if (method === 'GET') return this.listEndpoint(module, q, entry);
			if (method === 'POST') return this.writeEndpoint(module, entry, 'insert');
			if (method === 'PUT') return this.writeEndpoint(module, entry, 'update');
			if (method === 'DELETE') return this.deleteEndpoint(module, (q.get('ids') || '').split(',').filter(Boolean));
		}
		if (parts.length === 2 && b === 'upsert' && method === 'POST') return this.writeEndpoint(module, entry, 'upsert');
		if (parts.length === 2 && b === 'search' && method === 'GET') return this.searchEndpoint(module, q);
		if (parts.length === 2) {
			if (method === 'GET') return this.getOne(module, b, q);
			if (method === 'PUT') {
				this.checkBody(entry, BODIES.records);
				const data = (body?.data || []).map((r) => ({ ...r, id: b }));
				return this.writeEndpoint(module, { ...entry, body: { ...body, data } }, 'update', { checked: true });
			}
			if (method === 'DELETE') return this.deleteEndpoint(module, [b]);
		}
		const record = this.mustFind(module, b);
		if (c === 'actions' && d === 'blueprint' && parts.length === 4) return method === 'GET' ? this.getBlueprint(module, record) : this.runBlueprint(module, record, entry);
		if (c === 'actions' && d === 'send_mail' && parts.length === 4 && method === 'POST') return this.sendMail(module, record, entry);
		if (c === 'Stage_History' && module === 'Deals' && method === 'GET') return this.relatedList(this.stageHistory(record.id), q);
		if (c === 'Notes' && parts.length === 3) {
			if (method === 'GET') return this.relatedList(this.listRecords('Notes').filter((n) => n.Parent_Id?.id === record.id), q);
			if (method === 'POST') {
				this.checkBody(entry, BODIES.records);
				const data = (entry.body?.data || []).map((n) => ({ ...n, Parent_Id: { module: { api_name: module }, id: record.id } }));
				return this.writeEndpoint('Notes', { ...entry, body: { ...entry.body, data } }, 'insert', { checked: true });
			}
		}
		if (c === 'Emails' && method === 'GET') {
			// The record's Emails list (email-related-records.html; key names from the SDK's Email model).
			this.spendCredits(1);
			const emails = this.sentEmails
				.filter((e) => e.recordId === record.id)
				.map((e) => ({ message_id: e.message_id, thread_id: e.message_id, subject: e.subject, from: clone(e.from), to: clone(e.to), cc: clone(e.cc ?? []), sent: true, sent_time: e.sent_time, time: e.sent_time, mail_format: e.mail_format, has_attachment: false, read: false, editable: false, owner: this.minUser(this.users[0]), status: [{ type: 'sent' }] }));
			return emails.length ? [200, { Emails: emails, info: { per_page: 200, count: emails.length, more_records: false, next_index: null, prev_index: null } }] : [204];
		}
		throw new ZohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
	}

	moduleName(name) {
		if (!this.modules[name]) throw new ZohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 });
		return name;
	}

	mustFind(module, id) {
		const record = this.records.get(module).get(String(id));
		// UNCONFIRMED: INVALID_DATA for an unknown id in a record sub-path.
		if (!record) throw new ZohoError(400, 'INVALID_DATA', 'the related id given seems to be invalid', { api_name: 'id' });
		return record;
	}

	// ------------------------------------------------------------------ metadata

	getUsers(q) {
		this.spendCredits(1);
		const type = q.get('type') || 'AllUsers';
		let users = this.users;
		if (type === 'ActiveUsers') users = users.filter((u) => u.status === 'active');
		else if (type === 'DeactiveUsers') users = users.filter((u) => u.status !== 'active');
		else if (type === 'CurrentUser') users = users.slice(0, 1);
		return [200, { users: users.map((u) => this.userJson(u)), info: { per_page: 200, count: users.length, page: 1, more_records: false } }];
	}

	userJson(u) {
		return {
			id: u.id,
			first_name: u.first_name,
			last_name: u.last_name,
			full_name: `${u.first_name} ${u.last_name}`,
			email: u.email,
			status: u.status,
			confirm: true,
			role: { name: u.role, id: sid(u.role === 'CEO' ? 701 : 702) },
			profile: { name: u.profile, id: sid(u.profile === 'Administrator' ? 711 : 712) },
			time_zone: 'UTC',
			zuid: String(Number(u.id.slice(-3)) + 70000000),
		};
	}

	minUser(u) {
		return { name: `${u.first_name} ${u.last_name}`, id: u.id, email: u.email };
	}

	settings(method, parts, q, entry) {
		const [a, b, c] = parts;
		if (method !== 'GET') throw new ZohoError(405, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
		this.spendCredits(1);
		if (a === 'modules' && !b) {
			return [200, { modules: Object.entries(this.modules).map(([api_name, m]) => ({ id: m.id, api_name, module_name: api_name, singular_label: m.singular, plural_label: api_name, api_supported: true, generated_type: 'default', creatable: true, editable: true, deletable: true, viewable: true, status: 'visible' })) }];
		}
		if (a === 'fields') return [200, { fields: this.fieldsJson(this.moduleName(q.get('module'))) }];
		if (a === 'layouts') {
			const module = this.moduleName(q.get('module'));
			return [200, { layouts: this.layouts[module].map((l) => ({ id: l.id, name: l.name, api_name: l.name, status: 'active', visible: true, sections: [{ display_label: `${l.name} Information`, sequence_number: 1, api_name: `${l.name}_Information`, fields: this.fieldsJson(module) }] })) }];
		}
		if (a === 'pipeline') {
			const layoutId = q.get('layout_id');
			if (!layoutId) throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'layout_id' });
			if (layoutId !== this.layouts.Deals[0].id) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { param: 'layout_id' });
			return [200, { pipeline: this.pipelines.map((p) => this.pipelineJson(p)) }];
		}
		if (a === 'automation' && b === 'assignment_rules') {
			const module = q.get('module');
			const rules = this.assignmentRules.filter((r) => !module || r.module === module);
			if (!rules.length) return [204];
			return [200, { assignment_rules: rules.map((r) => ({ id: r.id, name: r.name, module: { api_name: r.module, id: this.modules[r.module].id }, description: 'Assigns new leads round robin', created_time: zohoTime(0), modified_time: zohoTime(0), created_by: this.minUser(this.users[0]), modified_by: this.minUser(this.users[0]), default_assignee: { id: r.users[0], name: this.minUser(this.user(r.users[0])).name } })) }];
		}
		if (a === 'emails' && b === 'actions' && c === 'from_addresses') return [200, { from_addresses: this.fromAddresses.map(clone) }];
		if (a === 'related_lists') {
			// The related lists the sandbox serves (related-list-meta.html); `href` null = not in the API.
			const module = this.moduleName(q.get('module'));
			const lists = [
				['Notes', { api_name: 'Notes', id: this.modules.Notes.id }],
				['Emails', null],
				...(module === 'Deals' ? [['Stage_History', null]] : []),
			];
			return [200, { related_lists: lists.map(([api_name, mod], i) => ({ id: sid(980000 + i), api_name, display_label: api_name.replace(/_/g, ' '), name: api_name, module: mod, href: `${module}/{ENTITYID}/${api_name}`, type: 'default', visible: true, sequence_number: String(i + 1), status: 'visible' })) }];
		}
		throw new ZohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
	}

	fieldsJson(module) {
		return this.modules[module].fields.map((f, i) => {
			const out = {
				id: sid(900000 + this.modules[module].id.slice(-2) * 100 + i).slice(-19),
				api_name: f.api_name,
				field_label: f.api_name.replace(/_/g, ' '),
				display_label: f.api_name.replace(/_/g, ' '),
				data_type: f.data_type,
				json_type: { integer: 'integer', double: 'double', currency: 'double', boolean: 'boolean', lookup: 'jsonobject', ownerlookup: 'jsonobject' }[f.data_type] || 'string',
				system_mandatory: !!f.required,
				read_only: !!f.read_only,
				field_read_only: !!f.read_only,
				custom_field: false,
				visible: true,
				length: f.length || 255,
			};
			if (f.data_type === 'picklist') {
				const values = f.pipelineStages ? [...new Set(this.pipelines.flatMap((p) => p.stages.map((s) => s.name)))] : f.pipelines ? this.pipelines.map((p) => p.name) : f.values;
				out.pick_list_values = values.map((v, j) => ({ display_value: v, actual_value: v, sequence_number: j + 1, id: sid(800000 + j), type: 'used' }));
				if (f.pipelineStages) {
					// Stage values carry probability and forecast type (the SDK's PickListValue model).
					const stages = new Map(this.pipelines.flatMap((p) => p.stages.map((s) => [s.name, s])));
					for (const v of out.pick_list_values) Object.assign(v, { probability: stages.get(v.actual_value).probability, forecast_type: stages.get(v.actual_value).forecast_type, forecast_category: this.forecastCategory(stages.get(v.actual_value).forecast_type) });
				}
			}
			if (f.data_type === 'lookup' && f.module) out.lookup = { module: { api_name: f.module, id: this.modules[f.module].id }, display_label: f.module, api_name: f.api_name };
			return out;
		});
	}

	forecastCategory(type) {
		const n = type === 'Open' ? 1 : type === 'Closed Won' ? 2 : 3;
		return { name: ['Pipeline', 'Closed', 'Omitted'][n - 1], id: sid(320000 + n) };
	}

	pipelineJson(p) {
		return {
			id: p.id,
			display_value: p.name,
			actual_value: p.name,
			default: p.default,
			child_available: false,
			maps: p.stages.map((s, i) => ({
				id: sid(310000 + Number(p.id.slice(-3)) * 10 + i),
				display_value: s.name,
				actual_value: s.name,
				sequence_number: i + 1,
				// No probability here: the SDK's pipeline Maps model has none; it is on the Stage
				// field's pick_list_values (the SDK's fields PickListValue has probability).
				forecast_type: s.forecast_type,
				forecast_category: this.forecastCategory(s.forecast_type),
				colour_code: null,
			})),
		};
	}

	// ------------------------------------------------------------------ records: read

	recordJson(module, record, fields) {
		if (!fields) return clone(record);
		const out = { id: record.id };
		for (const f of fields) if (f in record) out[f] = clone(record[f]);
		if (fields.includes('What_Id') && record.$se_module) out.$se_module = record.$se_module;
		return out;
	}

	parseFields(module, q, required = true) {
		const raw = q.get('fields');
		if (!raw) {
			if (required) throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'fields' });
			return undefined;
		}
		const fields = raw.split(',').map((s) => s.trim());
		// fields ≤ 50 per call (get-records.html).
		if (fields.length > 50) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'the number of fields exceeds the limit', { limit: 50, param: 'fields' });
		const known = this.modules[module].fields.map((f) => f.api_name).concat('id', '$se_module');
		const bad = fields.find((f) => !known.includes(f));
		if (bad) throw new ZohoError(400, 'INVALID_DATA', 'the field name given seems to be invalid', { api_name: bad, param: 'fields' });
		return fields;
	}

	sorted(records, sortBy = 'id', order = 'desc') {
		const dir = order === 'asc' ? 1 : -1;
		return records.sort((x, y) => {
			const a = x[sortBy] ?? '';
			const b = y[sortBy] ?? '';
			const cmp = sortBy === 'id' ? (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0) : a < b ? -1 : a > b ? 1 : 0;
			return cmp * dir || (BigInt(x.id) < BigInt(y.id) ? -1 : 1) * dir;
		});
	}

	/** GET /{module}: fields (required), per_page ≤200, page (first 2,000 records) or page_token, sort_by, ids. */
	listEndpoint(module, q, entry = {}) {
		this.spendCredits(1);
		const fields = this.parseFields(module, q);
		const perPage = Number(q.get('per_page') || MAX_PER_PAGE);
		if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { param: 'per_page', maximum_length: MAX_PER_PAGE });
		const sortBy = q.get('sort_by') || 'id';
		// sort_by only id, Created_Time, Modified_Time (get-records.html).
		if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy)) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { param: 'sort_by', supported_values: ['id', 'Created_Time', 'Modified_Time'] });
		const sortOrder = q.get('sort_order') || 'desc';
		let records = [...this.records.get(module).values()];
		const ids = q.get('ids');
		if (ids) records = records.filter((r) => ids.split(',').includes(r.id));
		// If-Modified-Since header: only records modified after it; 304 when there are none (get-records.html).
		const modifiedSince = entry.ifModifiedSince;
		if (modifiedSince) {
			const since = Date.parse(modifiedSince);
			if (Number.isNaN(since)) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { header: 'If-Modified-Since' });
			records = records.filter((r) => Date.parse(r.Modified_Time) > since);
			if (!records.length) return [304];
		}
		records = this.sorted(records, sortBy, sortOrder);
		let offset;
		const pageToken = q.get('page_token');
		if (pageToken) {
			if (q.get('page')) throw new ZohoError(400, 'INVALID_DATA', 'page and page_token cannot be given together', { param: 'page' });
			const state = this.pageTokens.get(pageToken);
			// page tokens expire after 24 hours (get-records.html).
			if (!state || state.module !== module || state.expiresAt < this.now()) throw new ZohoError(400, 'INVALID_DATA', 'invalid page token', { param: 'page_token' });
			offset = state.offset;
		} else {
			const page = Number(q.get('page') || 1);
			offset = (page - 1) * perPage;
			// UNCONFIRMED: the code Zoho answers past the 2,000th record with `page`.
			if (offset + perPage > PAGE_PARAM_LIMIT && page > 1) throw new ZohoError(400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'you can fetch only 2000 records using page param. Use page_token param to fetch more records', { limit: PAGE_PARAM_LIMIT });
		}
		const slice = records.slice(offset, offset + perPage);
		if (!slice.length) return [204];
		const more = offset + perPage < records.length;
		let next = null;
		if (more) {
			next = crypto.randomBytes(24).toString('hex');
			this.pageTokens.set(next, { module, offset: offset + perPage, expiresAt: this.now() + 24 * 3600_000 });
		}
		return [
			200,
			{
				data: slice.map((r) => this.recordJson(module, r, fields)),
				info: { per_page: perPage, next_page_token: next, count: slice.length, sort_by: sortBy, page: pageToken ? null : Number(q.get('page') || 1), previous_page_token: null, page_token_expiry: next ? zohoTime(this.now() + 24 * 3600_000) : null, sort_order: sortOrder, more_records: more },
			},
		];
	}

	getOne(module, id, q) {
		this.spendCredits(1);
		const record = this.records.get(module).get(String(id));
		// UNCONFIRMED: an unknown id answers 204 (no content).
		if (!record) return [204];
		return [200, { data: [this.recordJson(module, record, this.parseFields(module, q, false))] }];
	}

	relatedList(rows, q) {
		this.spendCredits(1);
		if (!rows.length) return [204];
		const perPage = Math.min(Number(q.get('per_page') || MAX_PER_PAGE), MAX_PER_PAGE);
		const page = Number(q.get('page') || 1);
		const slice = rows.slice((page - 1) * perPage, page * perPage);
		if (!slice.length) return [204];
		return [200, { data: slice, info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < rows.length } }];
	}

	// ------------------------------------------------------------------ records: write

	writeEndpoint(module, entry, mode, opts = {}) {
		if (!opts.checked) this.checkBody(entry, mode === 'upsert' ? BODIES.upsert : BODIES.records);
		const body = entry.body || {};
		const data = Array.isArray(body.data) ? body.data : [];
		if (!data.length) throw new ZohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' });
		// ≤100 records per call (insert-records.html). UNCONFIRMED: the code of the answer.
		if (data.length > MAX_RECORDS_PER_WRITE) throw new ZohoError(400, 'LIMIT_EXCEEDED', `you can add/update at most ${MAX_RECORDS_PER_WRITE} records per call`, { limit: MAX_RECORDS_PER_WRITE, api_name: 'data' });
		// Writes cost 1 credit per 10 records (UNCONFIRMED, secondary source).
		this.spendCredits(Math.ceil(data.length / 10));
		if (body.lar_id !== undefined && !this.assignmentRules.some((r) => r.id === String(body.lar_id) && r.module === module)) {
			throw new ZohoError(400, 'INVALID_DATA', 'the given lar_id is invalid', { api_name: 'lar_id' });
		}
		const results = this.writeRecords(module, data, {
			mode,
			triggers: body.trigger ?? DEFAULT_TRIGGERS,
			larId: body.lar_id,
			duplicateCheck: body.duplicate_check_fields,
		});
		const ok = results.filter((r) => r.status === 'success').length;
		// UNCONFIRMED: 201 insert / 200 update when all succeed, 207 mixed, 400 when all fail.
		const status = ok === results.length ? (mode === 'update' ? 200 : 201) : ok === 0 ? 400 : 207;
		return [status, { data: results }];
	}

	/** Applies writes record by record; returns Zoho's per-record entries; notifies channels once per operation. */
	writeRecords(module, data, opts) {
		const results = [];
		const events = { insert: [], update: [] };
		const actor = opts.actor ? this.user(opts.actor) : this.users[0];
		data.forEach((input, index) => {
			try {
				if (!input || typeof input !== 'object' || Array.isArray(input)) throw new RecordError('INVALID_DATA', 'invalid data', { json_path: `$.data[${index}]` });
				let mode = opts.mode;
				let existing;
				let duplicateField = null;
				if (mode === 'update') {
					if (isBlank(input.id)) throw new RecordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `$.data[${index}].id` });
					existing = this.records.get(module).get(String(input.id));
					if (!existing) throw new RecordError('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'id', json_path: `$.data[${index}].id` });
				} else if (mode === 'upsert') {
					const checkFields = opts.duplicateCheck?.length ? opts.duplicateCheck : SYSTEM_DUPLICATE_CHECK[module];
					for (const field of checkFields) {
						if (isBlank(input[field])) continue;
						const match = [...this.records.get(module).values()].find((r) => String(r[field] ?? '').toLowerCase() === String(input[field]).toLowerCase());
						if (match) {
							existing = match;
							duplicateField = field;
							break;
						}
					}
					mode = existing ? 'update' : 'insert';
				}
				const record = this.applyFields(module, existing, input, index, { ...opts, mode, actor });
				const entry = {
					code: 'SUCCESS',
					details: { Modified_Time: record.Modified_Time, Modified_By: clone(record.Modified_By), Created_Time: record.Created_Time, id: record.id, Created_By: clone(record.Created_By) },
					message: mode === 'insert' ? 'record added' : 'record updated',
					status: 'success',
				};
				if (opts.mode === 'upsert') {
					entry.action = mode;
					entry.duplicate_field = duplicateField;
				}
				results.push(entry);
				events[mode].push({ id: record.id, changed: record.__changed });
				delete record.__changed;
			} catch (error) {
				if (!(error instanceof RecordError)) throw error;
				results.push(error.entry());
			}
		});
		if (events.insert.length) this.notify(module, 'insert', events.insert);
		if (events.update.length) this.notify(module, 'update', events.update);
		return results;
	}

	/** Validates one record's input against the field catalogue and stores it. Throws RecordError. */
	applyFields(module, existing, input, index, opts) {
		const path = (f) => `$.data[${index}].${f}`;
		const catalogue = new Map(this.modules[module].fields.map((f) => [f.api_name, f]));
		const now = zohoTime(this.now());
		const next = existing ? clone(existing) : { id: this.nextId() };
		const changed = [];
		for (const [key, value] of Object.entries(input)) {
			if (key === 'id' || key === '$se_module') continue;
			if (key.startsWith('$')) continue;
			const field = catalogue.get(key);
			if (!field) {
				// UNCONFIRMED: Zoho's answer to an unknown field name (the sandbox ignores it and records a violation).
				this.violations.push(`${module} data[${index}]: ${key} is not a field of ${module}`);
				continue;
			}
			if (field.read_only) {
				this.violations.push(`${module} data[${index}]: ${key} is read-only`);
				continue;
			}
			const stored = this.convert(module, field, value, input, path(key));
			if (JSON.stringify(next[key] ?? null) !== JSON.stringify(stored ?? null)) changed.push(key);
			next[key] = stored;
		}
		if (input.$se_module !== undefined) next.$se_module = input.$se_module;
		// Defaults and derived values.
		for (const field of catalogue.values()) if (!existing && field.default !== undefined && isBlank(next[field.api_name])) next[field.api_name] = field.default;
		if (module === 'Deals') this.dealDerived(next, existing, input, index, changed);
		for (const field of catalogue.values()) {
			if (field.required && isBlank(next[field.api_name]) && (!existing || field.api_name in input)) {
				throw new RecordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: field.api_name, json_path: path(field.api_name) });
			}
		}
		for (const field of this.uniqueFields[module] || []) {
			if (isBlank(next[field])) continue;
			const dup = [...this.records.get(module).values()].find((r) => r.id !== next.id && String(r[field]).toLowerCase() === String(next[field]).toLowerCase());
			if (dup) throw new RecordError('DUPLICATE_DATA', 'duplicate data', { api_name: field, json_path: path(field), duplicate_record: { Owner: clone(dup.Owner), module: { api_name: module, id: this.modules[module].id }, id: dup.id } });
		}
		// Blueprint: an API update of the Blueprint's field is refused (RECORD_IN_BLUEPRINT; public clients quote it).
		const meta = this.meta.get(next.id) || {};
		if (existing && meta.blueprint && !opts.skipBlueprint && !opts.viaBlueprint) {
			const bp = this.blueprints.find((x) => x.id === meta.blueprint);
			if (bp && changed.includes(bp.field)) {
				// UNCONFIRMED: the details of RECORD_IN_BLUEPRINT.
				throw new RecordError('RECORD_IN_BLUEPRINT', 'the record is in blueprint', { api_name: bp.field, json_path: path(bp.field), id: next.id });
			}
		}
		// Owner: given, by assignment rule (lar_id), or the acting user.
		if (!existing && isBlank(next.Owner)) {
			let owner = opts.actor;
			if (opts.larId !== undefined) {
				const rule = this.assignmentRules.find((r) => r.id === String(opts.larId));
				owner = this.user(rule.users[rule.next++ % rule.users.length]);
			}
			next.Owner = this.minUser(owner);
		} else if (!existing && opts.larId !== undefined) {
			// UNCONFIRMED: an explicit Owner wins over lar_id.
		}
		if (!existing) {
			next.Created_Time = now;
			next.Created_By = this.minUser(opts.actor);
		}
		if (module === 'Tasks' && changed.includes('Status')) next.Closed_Time = next.Status === 'Completed' ? now : null;
		// UNCONFIRMED: when Zoho moves Last_Activity_Time (here: a deal's create/edit, and a task or
		// note added to the deal, as Zoho's help describes the field; a live org would settle it).
		if (module === 'Deals') next.Last_Activity_Time = now;
		const activityParent = ['Tasks', 'Calls', 'Events'].includes(module) && !existing && next.$se_module === 'Deals' ? next.What_Id?.id : module === 'Notes' && !existing && next.Parent_Id?.module?.api_name === 'Deals' ? next.Parent_Id.id : undefined;
		const parentDeal = activityParent && this.records.get('Deals').get(String(activityParent));
		if (parentDeal) parentDeal.Last_Activity_Time = now;
		if (['Leads', 'Contacts'].includes(module)) next.Full_Name = [next.First_Name, next.Last_Name].filter(Boolean).join(' ');
		next.Modified_Time = now;
		next.Modified_By = this.minUser(opts.actor);
		// Workflows run unless `trigger` leaves them out (insert-records.html: trigger).
		const triggers = opts.triggers || [];
		if (triggers.includes('workflow')) {
			for (const rule of this.workflowRules.filter((r) => r.module === module && r.on.includes(existing ? 'edit' : 'create'))) {
				for (const [k, v] of Object.entries(rule.set || {})) {
					if (next[k] !== v) changed.push(k);
					next[k] = v;
				}
			}
		}
		this.workflowRuns.push({ module, id: next.id, operation: existing ? 'edit' : 'create', triggers: [...triggers], at: this.now() });
		if (!existing) {
			meta.module = module;
			const plain = (v) => (v && typeof v === 'object' ? v.name : v);
			const bp = this.blueprints.find((x) => x.module === module && plain(next[x.appliesTo.field]) === x.appliesTo.value);
			// UNCONFIRMED: a record enters its Blueprint on create only when `blueprint` is triggered.
			if (bp && triggers.includes('blueprint')) meta.blueprint = bp.id;
		}
		if (module === 'Deals' && (!existing || changed.includes('Stage'))) {
			(meta.stageHistory ??= []).unshift({
				id: this.nextId(),
				Stage: next.Stage,
				Amount: next.Amount ?? null,
				Probability: next.Probability ?? null,
				Expected_Revenue: next.Expected_Revenue ?? null,
				Closing_Date: next.Closing_Date ?? null,
				Modified_Time: now,
				Modified_By: clone(next.Modified_By),
			});
		}
		this.meta.set(next.id, meta);
		this.records.get(module).set(next.id, next);
		// notify_on_related_action: a note/task added to a record is an update of that record.
		const parent = module === 'Notes' ? next.Parent_Id : module === 'Tasks' && !existing ? next.What_Id && { id: next.What_Id.id, module: { api_name: next.$se_module } } : undefined;
		if (parent?.module?.api_name && !existing) this.relatedActions.push({ module: parent.module.api_name, id: parent.id });
		const stored = this.records.get(module).get(next.id);
		stored.__changed = changed;
		return stored;
	}

	get relatedActions() {
		return (this._relatedActions ??= []);
	}

	dealDerived(next, existing, input, index, changed) {
		if (isBlank(next.Pipeline)) {
			const standard = this.pipelines.find((p) => p.default);
			next.Pipeline = { name: standard.name, id: standard.id };
		}
		const pipeline = this.pipelines.find((p) => p.id === next.Pipeline.id);
		if (!pipeline) throw new RecordError('INVALID_DATA', "Layout doesn't contain the Pipeline", { api_name: 'Pipeline', json_path: `$.data[${index}].Pipeline` });
		if (!isBlank(next.Stage)) {
			const stage = pipeline.stages.find((s) => s.name === next.Stage);
			if (!stage) throw new RecordError('INVALID_DATA', "Pipeline doesn't contain the Stage", { api_name: 'Stage', json_path: `$.data[${index}].Stage` });
			// Probability follows the stage unless given (Zoho's stage-probability mapping).
			if ((!existing || changed.includes('Stage')) && input.Probability === undefined) next.Probability = stage.probability;
		}
		next.Expected_Revenue = typeof next.Amount === 'number' && typeof next.Probability === 'number' ? (next.Amount * next.Probability) / 100 : null;
	}

	nextId() {
		this.counter += 1;
		return `${ID_PREFIX}${String(this.counter).padStart(6, '0')}`;
	}

	/** One field value as Zoho takes it; throws INVALID_DATA naming the field and expected type. */
	convert(module, field, value, input, jsonPath) {
		const invalid = (expected, extra = {}) => new RecordError('INVALID_DATA', 'invalid data', { expected_data_type: expected, api_name: field.api_name, json_path: jsonPath, ...extra });
		if (value === null) return null;
		switch (field.data_type) {
			case 'text':
			case 'textarea':
			case 'phone':
			case 'website':
			case 'autonumber':
				if (typeof value !== 'string') throw invalid(field.data_type);
				if (field.length && value.length > field.length) throw new RecordError('INVALID_DATA', 'invalid data', { maximum_length: field.length, api_name: field.api_name, json_path: jsonPath });
				return value;
			case 'email':
				if (typeof value !== 'string' || (value !== '' && !EMAIL_RE.test(value))) throw invalid('email');
				return value;
			case 'picklist': {
				if (field.pipelines && typeof value === 'object') return this.pipelineRef(value, invalid);
				if (typeof value !== 'string') throw invalid('picklist');
				if (field.pipelineStages) return value; // checked with the pipeline
				if (field.pipelines) return this.pipelineRef(value, invalid);
				// UNCONFIRMED: an unknown picklist value is refused (orgs with restricted picklists).
				if (!field.values.includes(value)) throw invalid('picklist');
				return value;
			}
			case 'integer':
				if (!Number.isInteger(value)) throw invalid('integer');
				return value;
			case 'double':
			case 'currency':
				if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field.data_type === 'currency' ? 'double' : 'double');
				return value;
			case 'boolean':
				if (typeof value !== 'boolean') throw invalid('boolean');
				return value;
			case 'date':
				if (typeof value !== 'string' || !DATE_RE.test(value) || Number.isNaN(Date.parse(value))) throw invalid('date');
				return value;
			case 'datetime':
				if (typeof value !== 'string' || !DATETIME_RE.test(value)) throw invalid('datetime');
				return value;
			case 'ownerlookup': {
				const id = typeof value === 'object' ? value?.id : value;
				const user = this.users.find((u) => u.id === String(id) && u.status === 'active');
				if (!user) throw new RecordError('INVALID_DATA', 'invalid data', { expected_data_type: 'jsonobject', api_name: field.api_name, json_path: jsonPath });
				return this.minUser(user);
			}
			case 'lookup': {
				if (typeof value !== 'object' || isBlank(value.id)) throw invalid('jsonobject');
				let target = field.module;
				if (field.modules) {
					target = field.api_name === 'Parent_Id' ? value.module?.api_name : input.$se_module;
					if (!field.modules.includes(target)) {
						throw new RecordError('INVALID_DATA', 'invalid data', { api_name: field.api_name === 'Parent_Id' ? 'Parent_Id.module' : '$se_module', json_path: jsonPath, expected_data_type: 'module', supported_values: field.modules });
					}
				}
				const related = this.records.get(target).get(String(value.id));
				if (!related) throw new RecordError('INVALID_DATA', 'the related id given seems to be invalid', { api_name: field.api_name, json_path: jsonPath });
				const out = { name: this.displayName(target, related), id: related.id };
				if (field.api_name === 'Parent_Id') out.module = { api_name: target, id: this.modules[target].id };
				return out;
			}
			default:
				return value;
		}
	}

	/**
	 * Deals.Pipeline as {name, id}. UNCONFIRMED: the SDK types Pipeline as a picklist (Choice) and
	 * older answers show the name as a string; we take either a name or {id}/{name} and answer
	 * {name, id} (see UNCONFIRMED.md).
	 */
	pipelineRef(value, invalid) {
		const pipeline = this.pipelines.find((p) => (typeof value === 'string' ? p.name === value : (value.id !== undefined && p.id === String(value.id)) || (value.id === undefined && p.name === value.name)));
		if (!pipeline) throw invalid('picklist');
		return { name: pipeline.name, id: pipeline.id };
	}

	displayName(module, r) {
		return r.Full_Name || r.Account_Name || r.Deal_Name || r.Subject || r.Note_Title || [r.First_Name, r.Last_Name].filter(Boolean).join(' ') || r.id;
	}

	deleteEndpoint(module, ids) {
		if (!ids.length) throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'ids' });
		if (ids.length > MAX_RECORDS_PER_WRITE) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'you can delete at most 100 records per call', { limit: MAX_RECORDS_PER_WRITE, param: 'ids' });
		this.spendCredits(Math.ceil(ids.length / 10));
		return [200, { data: this.deleteRecords(module, ids) }];
	}

	deleteRecords(module, ids) {
		const deleted = [];
		const results = ids.map((id) => {
			if (!this.records.get(module).delete(id)) return { code: 'INVALID_DATA', details: { id }, message: 'the id given seems to be invalid', status: 'error' };
			deleted.push({ id, changed: [] });
			return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' };
		});
		if (deleted.length) this.notify(module, 'delete', deleted);
		return results;
	}

	// ------------------------------------------------------------------ search + COQL

	/** GET /{module}/search: criteria | email | phone | word; at most 2,000 records reachable (search-records.html). */
	searchEndpoint(module, q) {
		this.spendCredits(1);
		const perPage = Number(q.get('per_page') || MAX_PER_PAGE);
		const page = Number(q.get('page') || 1);
		if (perPage > MAX_PER_PAGE) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { param: 'per_page', maximum_length: MAX_PER_PAGE });
		if (page * perPage > SEARCH_LIMIT) throw new ZohoError(400, 'LIMIT_REACHED', 'Search results exceed 2000 records. Please refine your search criteria', { limit: SEARCH_LIMIT });
		let match;
		if (q.get('criteria')) match = this.parseCriteria(module, q.get('criteria'));
		else if (q.get('email')) match = (r) => ['Email', 'Secondary_Email'].some((f) => String(r[f] ?? '').toLowerCase() === q.get('email').toLowerCase());
		else if (q.get('phone')) match = (r) => ['Phone', 'Mobile'].some((f) => r[f] === q.get('phone'));
		else if (q.get('word')) {
			const w = q.get('word').toLowerCase();
			match = (r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(w));
		} else throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'criteria' });
		const records = this.sorted([...this.records.get(module).values()].filter(match), 'id', 'asc');
		const slice = records.slice((page - 1) * perPage, page * perPage);
		if (!slice.length) return [204];
		const fields = this.parseFields(module, q, false);
		return [200, { data: slice.map((r) => this.recordJson(module, r, fields)), info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < Math.min(records.length, SEARCH_LIMIT) } }];
	}

	/** `((Field:operator:value)and(…))`; operators of search-records.html; `\(`, `\)`, `\,` escaped in values. */
	parseCriteria(module, text) {
		let pos = 0;
		const fail = () => {
			throw new ZohoError(400, 'INVALID_QUERY', 'invalid query formed', { reason: 'invalid criteria', api_name: 'criteria' });
		};
		const group = () => {
			if (text[pos] !== '(') fail();
			pos++;
			let node;
			if (text[pos] === '(') {
				node = group();
				while (text.startsWith('and', pos) || text.startsWith('or', pos)) {
					const op = text.startsWith('and', pos) ? 'and' : 'or';
					pos += op.length;
					const right = group();
					const left = node;
					node = op === 'and' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
				}
			} else {
				let raw = '';
				while (pos < text.length && text[pos] !== ')') {
					if (text[pos] === '\\') pos++;
					raw += text[pos++];
				}
				const [field, op, ...rest] = raw.split(':');
				const value = rest.join(':');
				if (!field || !op) fail();
				node = this.criterion(module, field, op, value);
			}
			if (text[pos] !== ')') fail();
			pos++;
			return node;
		};
		const node = group();
		if (pos !== text.length) fail();
		return node;
	}

	criterion(module, field, op, value) {
		const get = (r) => {
			const v = r[field];
			return v && typeof v === 'object' ? v.id : v;
		};
		const values = value.split(',');
		const cmpNum = (r) => (typeof get(r) === 'number' ? Number(value) : value);
		const ops = {
			equals: (r) => values.some((v) => String(get(r) ?? '').toLowerCase() === v.toLowerCase()),
			not_equal: (r) => String(get(r) ?? '').toLowerCase() !== value.toLowerCase(),
			in: (r) => values.includes(String(get(r))),
			starts_with: (r) => String(get(r) ?? '').toLowerCase().startsWith(value.toLowerCase()),
			greater_than: (r) => get(r) !== null && get(r) !== undefined && get(r) > cmpNum(r),
			greater_equal: (r) => get(r) !== null && get(r) !== undefined && get(r) >= cmpNum(r),
			less_than: (r) => get(r) !== null && get(r) !== undefined && get(r) < cmpNum(r),
			less_equal: (r) => get(r) !== null && get(r) !== undefined && get(r) <= cmpNum(r),
			between: (r) => get(r) >= values[0] && get(r) <= values[1],
		};
		if (!ops[op]) throw new ZohoError(400, 'INVALID_QUERY', 'invalid query formed', { reason: `the operator ${op} is not supported`, api_name: field, operator: op });
		if (!['id', ...this.modules[module].fields.map((f) => f.api_name)].includes(field)) throw new ZohoError(400, 'INVALID_QUERY', 'invalid query formed', { reason: 'the field is not available', api_name: field });
		return ops[op];
	}

	/** POST /coql (Get-Records-through-COQL-Query.html; limits from COQL-Limitations.html). */
	coqlQuery(entry) {
		this.checkBody(entry, BODIES.coql);
		const text = entry.body?.select_query;
		if (typeof text !== 'string') throw new ZohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'select_query' });
		let query;
		try {
			query = coql.parse(text);
		} catch (error) {
			if (!(error instanceof coql.CoqlSyntaxError)) throw error;
			throw new ZohoError(400, 'SYNTAX_ERROR', 'error occured while parsing the query', { clause: error.clause, near: error.near, line: 1, column: 1 });
		}
		const module = this.modules[query.module] ? query.module : undefined;
		if (!module) throw new ZohoError(400, 'INVALID_QUERY', 'invalid query formed', { reason: 'invalid module', clause: 'from', near: query.module });
		// UNCONFIRMED in v8: a WHERE clause is required (older versions' docs; v8's examples all have one).
		if (!query.where) throw new ZohoError(400, 'SYNTAX_ERROR', 'error occured while parsing the query', { clause: 'where', near: 'end of query', line: 1, column: text.length });
		if (coql.countCriteria(query.where) > 25) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'the number of criteria exceeds the limit', { limit: 25, clause: 'where' });
		if (query.select.length > 50) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'the number of columns exceeds the limit', { limit: 50, clause: 'select' });
		const limit = query.limit ?? 200;
		const offset = query.offset ?? 0;
		if (limit > COQL_MAX_LIMIT) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'limit exceeded', { clause: 'limit', limit: COQL_MAX_LIMIT });
		if (offset + limit > COQL_MAX_ROWS) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'limit exceeded', { clause: 'offset', limit: COQL_MAX_ROWS });
		// Credits by LIMIT: 1 (≤200), 2 (≤1000), 3 (≤2000) (COQL-Overview.html).
		this.spendCredits(limit <= 200 ? 1 : limit <= 1000 ? 2 : 3);
		const known = new Set(['id', ...this.modules[module].fields.map((f) => f.api_name)]);
		const checkField = (name, clause) => {
			if (!known.has(name.split('.')[0])) throw new ZohoError(400, 'INVALID_QUERY', 'invalid query formed', { reason: 'column given seems to be invalid', clause, near: name });
		};
		query.select.forEach((s) => checkField(s.field, 'select'));
		const walk = (n) => (n.op ? (walk(n.left), walk(n.right)) : checkField(n.field, 'where'));
		walk(query.where);
		query.orderBy.forEach((o) => checkField(o.field, 'order by'));
		query.groupBy.forEach((g) => checkField(g, 'group by'));
		for (const node of [query.where]) this.checkCoqlIn(node);
		this.coqlTimes(module, query.where);
		let rows = [...this.records.get(module).values()].filter((r) => this.coqlMatch(module, r, query.where));
		const aggregates = query.select.filter((s) => s.aggregate);
		let out;
		if (aggregates.length || query.groupBy.length) {
			const groups = new Map();
			for (const r of rows) {
				const key = JSON.stringify(query.groupBy.map((g) => this.coqlValue(module, r, g)));
				if (!groups.has(key)) groups.set(key, []);
				groups.get(key).push(r);
			}
			if (!query.groupBy.length && !groups.size) groups.set('[]', []);
			out = [...groups.entries()].map(([key, members]) => {
				const row = {};
				JSON.parse(key).forEach((v, i) => (row[query.groupBy[i]] = v));
				for (const a of aggregates) {
					const nums = members.map((m) => this.coqlValue(module, m, a.field)).filter((v) => v !== null && v !== undefined);
					row[a.alias] = a.aggregate === 'COUNT' ? nums.length : !nums.length ? null : a.aggregate === 'SUM' ? nums.reduce((s, v) => s + Number(v), 0) : a.aggregate === 'MIN' ? Math.min(...nums) : a.aggregate === 'MAX' ? Math.max(...nums) : nums.reduce((s, v) => s + Number(v), 0) / nums.length;
				}
				return row;
			});
		} else {
			// Without ORDER BY, records come by id ascending (COQL-Overview.html).
			rows = this.sorted(rows, 'id', 'asc');
			for (const o of [...query.orderBy].reverse()) rows.sort((x, y) => this.coqlCompare(this.coqlValue(module, x, o.field), this.coqlValue(module, y, o.field)) * (o.desc ? -1 : 1));
			out = rows.map((r) => {
				const row = { id: r.id };
				for (const s of query.select) {
					const v = this.coqlValue(module, r, s.field, true);
					row[s.field] = v === undefined ? null : v;
				}
				return row;
			});
		}
		const page = out.slice(offset, offset + limit);
		if (!page.length) return [204];
		return [200, { data: page, info: { count: page.length, more_records: offset + limit < out.length } }];
	}

	/**
	 * Datetime and date criteria: values in Zoho's ISO form (yyyy-MM-ddTHH:mm:ss±HH:mm; dates
	 * yyyy-MM-dd), compared as instants, whatever the offset (COQL-Overview.html, date/time values).
	 * UNCONFIRMED: a `Z` suffix is accepted here; another form is refused with INVALID_QUERY.
	 */
	coqlTimes(module, node) {
		if (!node) return;
		if (node.op) return this.coqlTimes(module, node.left), this.coqlTimes(module, node.right);
		const type = this.modules[module].fields.find((f) => f.api_name === node.field)?.data_type;
		if (type !== 'datetime' && type !== 'date') return;
		const re = type === 'datetime' ? DATETIME_RE : DATE_RE;
		for (const v of node.values ?? (node.value === undefined ? [] : [node.value])) {
			if (v !== null && (typeof v !== 'string' || !re.test(v))) throw new ZohoError(400, 'INVALID_QUERY', 'invalid query formed', { reason: `invalid ${type} value`, clause: 'where', near: String(v), api_name: node.field });
		}
		node.time = type === 'datetime';
	}

	checkCoqlIn(node) {
		if (node.op) return this.checkCoqlIn(node.left), this.checkCoqlIn(node.right);
		if ((node.cmp === 'in' || node.cmp === 'not in') && node.values.length > 50) throw new ZohoError(400, 'LIMIT_EXCEEDED', 'limit exceeded', { clause: 'where', limit: 50, near: node.field });
	}

	/** A field's value for COQL; lookups compare by id and come back as {id} (or {id,name} selected whole). */
	coqlValue(module, record, name, forOutput = false) {
		const [head, ...rest] = name.split('.');
		const v = record[head];
		if (!rest.length) {
			// Deals.Pipeline ({name, id}) compares by its name like a picklist; lookups by id.
			if (v && typeof v === 'object' && head === 'Pipeline') return forOutput ? clone(v) : v.name;
			if (v && typeof v === 'object') return forOutput ? { id: v.id } : v.id;
			return v;
		}
		if (!v || typeof v !== 'object') return null;
		if (head === 'Owner' || head === 'Created_By' || head === 'Modified_By') {
			const user = this.user(v.id);
			return user ? { email: user.email, id: user.id, first_name: user.first_name, last_name: user.last_name, full_name: `${user.first_name} ${user.last_name}` }[rest[0]] ?? null : null;
		}
		const field = this.modules[module].fields.find((f) => f.api_name === head);
		const target = field?.module || v.module?.api_name || record.$se_module;
		const related = target && this.records.get(target)?.get(v.id);
		return related ? (rest[0] === 'id' ? related.id : related[rest[0]] ?? null) : null;
	}

	coqlCompare(a, b) {
		if (a === b) return 0;
		if (a === null || a === undefined) return -1;
		if (b === null || b === undefined) return 1;
		return a < b ? -1 : 1;
	}

	coqlMatch(module, record, node) {
		if (!node) return true;
		if (node.op === 'and') return this.coqlMatch(module, record, node.left) && this.coqlMatch(module, record, node.right);
		if (node.op === 'or') return this.coqlMatch(module, record, node.left) || this.coqlMatch(module, record, node.right);
		let v = this.coqlValue(module, record, node.field);
		const blank = v === null || v === undefined || v === '';
		if (node.time && !blank) {
			// Compare instants: the record's time and the criterion's, both parsed.
			v = Date.parse(v);
			node = { ...node, value: node.value === undefined || node.value === null ? node.value : Date.parse(node.value), values: node.values?.map((x) => Date.parse(x)) };
		}
		const norm = (x) => (typeof x === 'string' ? x.toLowerCase() : x);
		const like = (pattern) => new RegExp(`^${String(pattern).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i').test(String(v ?? ''));
		switch (node.cmp) {
			case 'is null':
				return blank;
			case 'is not null':
				return !blank;
			case '=':
				return !blank && norm(v) === norm(node.value);
			case '!=':
				return blank || norm(v) !== norm(node.value);
			case '<':
				return !blank && v < node.value;
			case '>':
				return !blank && v > node.value;
			case '<=':
				return !blank && v <= node.value;
			case '>=':
				return !blank && v >= node.value;
			case 'like':
				return !blank && like(node.value);
			case 'not like':
				return blank || !like(node.value);
			case 'in':
				return !blank && node.values.some((x) => norm(x) === norm(v));
			case 'not in':
				return blank || !node.values.some((x) => norm(x) === norm(v));
			case 'between':
				return !blank && v >= node.values[0] && v <= node.values[1];
			default:
				return false;
		}
	}

	// ------------------------------------------------------------------ Blueprint

	blueprintOf(record) {
		const id = this.meta.get(record.id)?.blueprint;
		return id && this.blueprints.find((b) => b.id === id);
	}

	getBlueprint(module, record) {
		this.spendCredits(1);
		const bp = this.blueprintOf(record);
		// UNCONFIRMED: the answer for a record outside every Blueprint.
		if (!bp) throw new ZohoError(400, 'RECORD_NOT_IN_PROCESS', 'record not in process', { id: record.id });
		const catalogue = new Map(this.modules[module].fields.map((f) => [f.api_name, f]));
		const transitions = bp.transitions.filter((t) => t.from.includes(record[bp.field]));
		return [
			200,
			{
				blueprint: {
					process_info: { field_id: sid(990001), is_continuous: false, api_name: bp.field, continuous: false, field_label: bp.field, name: bp.name, column_name: 'STAGE', field_value: record[bp.field], id: bp.id, field_name: bp.field, escalation: null },
					transitions: transitions.map((t) => ({
						next_transitions: [],
						percent_partial_save: 0,
						data: {},
						next_field_value: t.to,
						name: t.name,
						criteria_matched: true,
						id: t.id,
						fields: t.fields.map((name) => ({ display_label: name.replace(/_/g, ' '), _type: 'field', data_type: catalogue.get(name).data_type, field_label: name.replace(/_/g, ' '), api_name: name, id: sid(990100 + t.fields.indexOf(name)), mandatory: true, read_only: false, visible: true, json_type: catalogue.get(name).data_type === 'currency' ? 'double' : 'string' })),
						criteria_message: null,
						type: 'static',
						execution_time: null,
					})),
				},
			},
		];
	}

	runBlueprint(module, record, entry) {
		this.checkBody(entry, BODIES.blueprint);
		this.spendCredits(1);
		const bp = this.blueprintOf(record);
		if (!bp) throw new ZohoError(400, 'RECORD_NOT_IN_PROCESS', 'record not in process', { id: record.id });
		const items = entry.body?.blueprint || [];
		// One transition per call (update-blueprint.html).
		if (items.length !== 1) throw new ZohoError(400, 'INVALID_DATA', 'only one transition can be executed per call', { api_name: 'blueprint' });
		const { transition_id: transitionId, data = {} } = items[0];
		const transition = bp.transitions.find((t) => t.id === String(transitionId) && t.from.includes(record[bp.field]));
		// UNCONFIRMED: the code for a transition that is not available from the record's state.
		if (!transition) throw new ZohoError(400, 'INVALID_DATA', 'transition id given seems to be invalid', { api_name: 'transition_id' });
		const merged = { ...record, ...data };
		const missing = transition.fields.find((f) => isBlank(merged[f]));
		if (missing) throw new ZohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: missing, json_path: `$.blueprint[0].data.${missing}` });
		const results = this.writeRecords(module, [{ ...data, id: record.id, [bp.field]: transition.to }], { mode: 'update', triggers: DEFAULT_TRIGGERS, viaBlueprint: true });
		if (results[0].status !== 'success') throw new ZohoError(400, results[0].code, results[0].message, results[0].details);
		// A state no transition leaves ends the process: the record exits the Blueprint.
		// UNCONFIRMED: exit at an end state (Zoho's Blueprint docs describe exit states).
		if (!bp.transitions.some((t) => t.from.includes(transition.to))) delete this.meta.get(record.id).blueprint;
		return [200, { code: 'SUCCESS', details: {}, message: 'transition updated successfully', status: 'success' }];
	}

	// ------------------------------------------------------------------ send_mail

	sendMail(module, record, entry) {
		this.checkBody(entry, BODIES.sendMail);
		this.spendCredits(1);
		const items = entry.body?.data || [];
		// One email per call (send-mail.html). UNCONFIRMED: the code of the answer.
		if (items.length !== 1) throw new ZohoError(400, 'INVALID_DATA', 'only one email can be sent per call', { api_name: 'data' });
		const mail = items[0];
		const from = this.fromAddresses.find((a) => a.email.toLowerCase() === String(mail.from?.email || '').toLowerCase());
		if (!from) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'from', json_path: '$.data[0].from' });
		for (const [i, to] of (mail.to || []).entries()) if (!EMAIL_RE.test(String(to.email))) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'to', json_path: `$.data[0].to[${i}].email` });
		if (isBlank(mail.content) && !mail.template) throw new ZohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'content', json_path: '$.data[0].content' });
		// UNCONFIRMED: Zoho refuses mail to a record whose Email_Opt_Out is set (consent emails excepted).
		if (record.Email_Opt_Out === true && !mail.consent_email) throw new ZohoError(400, 'INVALID_DATA', 'the record has opted out of emails', { api_name: 'Email_Opt_Out', id: record.id });
		const messageId = `${crypto.randomBytes(16).toString('hex')}@zoho.sandbox`;
		this.sentEmails.push({ module, recordId: record.id, message_id: messageId, from: clone(mail.from), to: clone(mail.to), cc: clone(mail.cc), subject: mail.subject, content: mail.content, mail_format: mail.mail_format || 'html', sent_time: zohoTime(this.now()), scheduled_time: mail.scheduled_time ?? null });
		return [200, { data: [{ code: 'SUCCESS', details: { message_id: messageId }, message: 'Your mail has been sent successfully.', status: 'success' }] }];
	}

	// ------------------------------------------------------------------ notifications

	liveChannels() {
		const now = this.now();
		for (const [id, ch] of this.channels) if (ch.expiresAt <= now) this.channels.delete(id);
		return [...this.channels.values()];
	}

	/**
	 * channel_expiry: at most one week ahead; omitted or later → one hour (v7 enable.html).
	 * UNCONFIRMED: a past expiry is refused with INVALID_DATA.
	 */
	channelExpiry(value, index) {
		const now = this.now();
		if (value === undefined) return now + CHANNEL_DEFAULT_MS;
		const at = Date.parse(value);
		if (Number.isNaN(at) || at <= now) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'channel_expiry', json_path: `$.watch[${index}].channel_expiry` });
		return at - now > CHANNEL_MAX_MS ? now + CHANNEL_DEFAULT_MS : at;
	}

	checkWatchItem(item, index) {
		for (const event of item.events || []) {
			const [module, op] = String(event).split('.');
			if (!this.modules[module] || !['create', 'edit', 'delete', 'all'].includes(op)) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'events', json_path: `$.watch[${index}].events` });
		}
		// token ≤ 50 characters (enable.html).
		if (item.token !== undefined && String(item.token).length > 50) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'token', json_path: `$.watch[${index}].token`, maximum_length: 50 });
		if (item.notify_url !== undefined && !/^https?:\/\//.test(item.notify_url)) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'notify_url', json_path: `$.watch[${index}].notify_url` });
	}

	watchDetails(ch, dc) {
		return ch.events.map((event) => {
			const module = event.split('.')[0];
			return { channel_expiry: zohoTime(ch.expiresAt), resource_uri: `${this.apiDomain(dc)}${API}/${module}`, resource_id: this.modules[module].id, resource_name: module, channel_id: ch.channel_id };
		});
	}

	watch(method, q, entry, dc) {
		this.spendCredits(1);
		if (method === 'GET') {
			let channels = this.liveChannels();
			if (q.get('channel_id')) channels = channels.filter((c) => c.channel_id === q.get('channel_id'));
			if (q.get('module')) channels = channels.filter((c) => c.events.some((e) => e.startsWith(`${q.get('module')}.`)));
			if (!channels.length) return [204];
			return [
				200,
				{
					watch: channels.map((ch) => ({ notify_on_related_action: ch.notify_on_related_action, channel_expiry: zohoTime(ch.expiresAt), resource_uri: `${this.apiDomain(dc)}${API}/${ch.events[0].split('.')[0]}`, resource_id: this.modules[ch.events[0].split('.')[0]].id, notify_url: ch.notify_url, resource_name: ch.events[0].split('.')[0], channel_id: ch.channel_id, events: [...ch.events], token: ch.token ?? null, return_affected_field_values: ch.return_affected_field_values, notification_condition: clone(ch.notification_condition) ?? null })),
					info: { per_page: 200, count: channels.length, page: 1, more_records: false },
				},
			];
		}
		if (method === 'DELETE') {
			const ids = (q.get('channel_ids') || '').split(',').filter(Boolean);
			if (!ids.length) throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'channel_ids' });
			this.liveChannels();
			const watch = ids.map((id) => {
				const ch = this.channels.get(id);
				this.channels.delete(id);
				// UNCONFIRMED: an unknown channel id is answered like a known one.
				const module = ch?.events[0].split('.')[0];
				return { code: 'SUCCESS', details: { resource_uri: module ? `${this.apiDomain(dc)}${API}/${module}` : null, resource_id: module ? this.modules[module].id : null, resource_name: module ?? null, channel_id: id }, message: 'Successfully unsubscribed from actions-watch', status: 'success' };
			});
			return [200, { watch }];
		}
		this.checkBody(entry, BODIES.watch(method));
		const items = entry.body?.watch || [];
		if (!items.length) throw new ZohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'watch' });
		items.forEach((item, i) => this.checkWatchItem(item, i));
		this.liveChannels();
		const watch = items.map((item, i) => {
			const id = String(item.channel_id);
			let ch = this.channels.get(id);
			if (method === 'PATCH') {
				if (!ch) throw new ZohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'channel_id', json_path: `$.watch[${i}].channel_id` });
				ch.events = item._delete_events ? ch.events.filter((e) => !item.events.includes(e)) : [...new Set([...ch.events, ...item.events])];
				for (const k of ['token', 'notify_url', 'notify_on_related_action', 'return_affected_field_values', 'notification_condition']) if (item[k] !== undefined) ch[k] = item[k];
				if (item.channel_expiry !== undefined) ch.expiresAt = this.channelExpiry(item.channel_expiry, i);
			} else {
				// POST adds a channel (UNCONFIRMED: a second POST for a known channel_id merges its events); PUT replaces.
				const merged = method === 'POST' && ch ? [...new Set([...ch.events, ...item.events])] : [...item.events];
				ch = {
					channel_id: id,
					events: merged,
					token: item.token,
					notify_url: item.notify_url,
					notify_on_related_action: item.notify_on_related_action ?? true,
					return_affected_field_values: item.return_affected_field_values ?? false,
					notification_condition: item.notification_condition,
					expiresAt: this.channelExpiry(item.channel_expiry, i),
				};
				this.channels.set(id, ch);
			}
			return { code: 'SUCCESS', details: { events: this.watchDetails(ch, dc) }, message: method === 'POST' ? 'Successfully subscribed for actions-watch of the given module' : 'Successfully updated the subscribe details', status: 'success' };
		});
		return [200, { watch }];
	}

	/**
	 * Sends one callback per matching channel for a write: {server_time, query_params, module,
	 * resource_uri, ids, affected_fields?, operation, channel_id, token} (notifications overview;
	 * payload key list from a third-party example). UNCONFIRMED: no retries on failure; the shape of
	 * affected_fields; the URL is called with its query string as given.
	 */
	notify(module, operation, items) {
		const related = this.relatedActions.splice(0);
		for (const ch of this.liveChannels()) {
			const wanted = ch.events.some((e) => {
				const [m, op] = e.split('.');
				return m === module && (op === 'all' || EVENT_OPERATION[op] === operation);
			});
			if (wanted) {
				let selected = items;
				const condition = (ch.notification_condition || []).find((c) => c.module?.api_name === module);
				if (condition && operation === 'update') {
					const fields = this.conditionFields(condition.field_selection);
					selected = items.filter((it) => it.changed.some((f) => fields.includes(f)));
				}
				if (selected.length) this.deliver(ch, module, operation, selected);
			}
		}
		// A note or task added to a record notifies the parent's "edit" channels (notify_on_related_action).
		for (const r of related) {
			for (const ch of this.liveChannels()) {
				if (ch.notify_on_related_action === false) continue;
				if (ch.events.some((e) => e === `${r.module}.edit` || e === `${r.module}.all`)) this.deliver(ch, r.module, 'update', [{ id: r.id, changed: [] }]);
			}
		}
	}

	conditionFields(selection) {
		if (!selection) return [];
		if (selection.field?.api_name) return [selection.field.api_name];
		return (selection.group || []).flatMap((g) => this.conditionFields(g));
	}

	deliver(ch, module, operation, items) {
		const target = new URL(ch.notify_url);
		const body = {
			server_time: this.now(),
			query_params: Object.fromEntries(target.searchParams),
			module,
			resource_uri: `${this.baseUrl}${API}/${module}`,
			ids: items.map((i) => i.id),
			operation,
			channel_id: ch.channel_id,
			token: ch.token ?? null,
		};
		if (ch.return_affected_field_values && operation === 'update') body.affected_fields = items.map((i) => ({ [i.id]: i.changed }));
		const record = { channel_id: ch.channel_id, url: ch.notify_url, body, status: 0, at: this.now() };
		this.notifications.push(record);
		const payload = JSON.stringify(body);
		const promise = new Promise((resolve) => {
			const req = http.request(target, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
				record.status = res.statusCode;
				res.resume();
				res.on('end', resolve);
			});
			req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
			req.on('error', (error) => {
				record.error = error.message;
				resolve();
			});
			req.end(payload);
		});
		this.pending.add(promise);
		promise.finally(() => this.pending.delete(promise));
	}
}

async function startZohoServer(options = {}) {
	const server = new FakeZoho(options);
	await server.listen(options.port ?? 0);
	if (options.exampleProcess) server.useExampleProcess();
	if (options.demoData) require('./demo-data').loadDemoData(server);
	return server;
}

/** The seeded OAuth client and refresh tokens (US and EU data centres). */
const SANDBOX_CLIENT = { clientId: '1000.SANDBOXCLIENT', clientSecret: 'sandbox-secret', refreshToken: '1000.sandbox-refresh-token-us', euRefreshToken: '1000.sandbox-refresh-token-eu' };

module.exports = { FakeZoho, startZohoServer, zohoTime, SANDBOX_CLIENT };

if (require.main === module) {
	const args = process.argv.slice(2);
	const port = Number(args[args.indexOf('--port') + 1]) || 8790;
	startZohoServer({ port, exampleProcess: args.includes('--example-process'), demoData: args.includes('--demo-data') }).then((s) => {
		console.log(`Zoho CRM sandbox on ${s.baseUrl} (access token ${s.token}; refresh token 1000.sandbox-refresh-token-us, client 1000.SANDBOXCLIENT / sandbox-secret)`);
	});
}
