'use strict';
/**
 * A stateful local EspoCRM 9.x API sandbox for tests and demos. Speaks the REST API subset the
 * package's EspoCRM provider uses (`/api/v1/…`) and checks every request against the schemas in
 * ./schemas.js (written from EspoCRM's docs). Schema violations are answered with 400 and
 * recorded in `violations`, so tests can assert that the package only sends documented requests.
 *
 *   node test/sandbox/espocrm/server.js [--port 8789] [--demo-data] [--example-process]
 *       [--log requests.jsonl] [--latency-ms 50] [--webhook-interval-ms 5000]
 *
 * `--example-process` names the opportunity stages like the package's example workflows (an
 * admin's custom stage list; see seed.js `useExampleProcess`).
 *
 * Sign in as the seeded API users (X-Api-Key `test-api-key`; HMAC key `test-hmac-key` with
 * secret `test-hmac-secret`) or as `admin` / `sandbox-admin-password` (Espo-Authorization or Basic).
 *
 * Control endpoints (no auth; for tests and demos, not part of EspoCRM's API):
 *   POST /__sandbox/reset          {"demoData": false}      clear the store (users, metadata reseeded)
 *   POST /__sandbox/demo-data                               add the demo dataset
 *   POST /__sandbox/example-process                         stage names like the example workflows'
 *   POST /__sandbox/fault          {"method","pathPrefix","status","body","headers","times","delayMs","drop"}
 *   POST /__sandbox/webhooks/process                        run the "Process Webhook Queue" job once
 *   POST /__sandbox/clock          {"now": ISO | ms} | {"advanceMs": n}   move the sandbox clock
 *   GET  /__sandbox/requests                                the request log so far
 *   GET  /__sandbox/emails                                  what "SMTP" sent
 *
 * Checked against a real EspoCRM 9.1.7 (issue 17; test/contract/espocrm-targets.test.ts runs on
 * both, test/real/espocrm.sh): behaviours marked "confirmed on EspoCRM 9.1.7" in this file were
 * seen there; everything else is UNCONFIRMED against real EspoCRM (written from docs and source).
 *
 * Behaviour modelled on EspoCRM (sources in ./schemas.js and ./seed.js):
 * - auth: X-Api-Key, X-Hmac-Authorization (hex HMAC of "METHOD /path", as of 8.4.1; the older
 *   binary form is not accepted here), Espo-Authorization / Basic for regular users; 401 without a
 *   body and without X-Status-Reason otherwise (confirmed on EspoCRM 9.1.7);
 * - errors: the message in `X-Status-Reason`; validation failures 400 with a `messageTranslation`
 *   body; duplicates 409 `duplicate` with the duplicates as the body; missing role access 403
 *   (confirmed on EspoCRM 9.1.7: validation body, 409 duplicate, 403 reasons);
 * - lists: `searchParams` JSON or separate parameters, where items, `select`, `orderBy` (id as the
 *   tie-breaker, same direction), `maxSize` ≤ 200 (403 above), `offset`, `total` (-1/-2 with
 *   `X-No-Total`) (UNCONFIRMED against real EspoCRM: the tie-breaker, -1/-2 totals, 403 above 200);
 * - stream: Create notes (statusField/statusValue/statusStyle), Update notes for audited fields
 *   other than the status field (fields, attributes.was/became), Status notes for the status
 *   field {field, value, style}, EmailSent notes, posts; newest first (confirmed on EspoCRM 9.1.7:
 *   Create and Status notes, the order);
 * - webhooks: event queue → per-webhook batches (20 events processed, 20 webhooks, 50 items per
 *   POST), `Signature` = base64(id + ":" + hex HMAC-SHA256(payload, secretKey)) and the legacy
 *   `X-Signature`, PHP-style JSON (escaped slashes and non-ASCII), retries on 0/401/403/404/405/
 *   408/500/503 up to 4 attempts 10 minutes apart, removal on 410 (confirmed on EspoCRM 9.1.7:
 *   201 on create, the Signature, fieldUpdate deliveries carrying id and the new stage;
 *   UNCONFIRMED against real EspoCRM: batch sizes, retries, removal on 410);
 * - email: From must be a group email account's address (or the user's own), for Archived too
 *   (confirmed on EspoCRM 9.1.7); `status: "Sending"` goes through that account's SMTP and is
 *   recorded in `sentEmails`; `Archived` is only stored.
 * UNCONFIRMED against real EspoCRM: `setReadLag` (lists lagging behind writes), lead conversion
 * (`Lead/action/convert`, `getConvertAttributes`), primary filters beyond open/actual, SMTP
 * failures (`sendingFail`).
 * Sandbox choices where EspoCRM's behaviour is not documented: a link to a record that does not
 * exist is a 400; comparisons of text are case-insensitive (MySQL's default collation) and never
 * match NULL; webhook URLs are not checked for internal hosts (EspoCRM 9.3.2+ forbids them unless
 * listed in `webhookAllowedAddressList`).
 */
const { SandboxServer } = require('../sandboxServer');
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const { URL } = require('url');

const schemas = require('./schemas');
const { defaultSeed, useExampleProcess } = require('./seed');

const { ATTRIBUTES, REQUIRED_ON_CREATE, PARENT_TYPES, RECORD_ENTITIES, GROUP_TYPES, checkWhere, validate, BODIES, WEBHOOK_EVENT } = schemas;

const MAX_SIZE = 200;
/** Webhook queue defaults (https://docs.espocrm.com/administration/webhooks/#config-parameters). */
const WEBHOOK_DEFAULTS = { eventPortionSize: 20, portionSize: 20, batchSize: 50, maxAttempts: 4, failPeriodMs: 10 * 60_000, maxCountPerUser: 50 };
/** Attributes a webhook update event leaves out (EspoCRM Core/Webhook/Manager.php). */
const WEBHOOK_SKIP = ['isFollowed', 'isStarred', 'followersIds', 'followersNames', 'modifiedAt', 'modifiedById', 'modifiedByName', 'streamUpdatedAt', 'versionNumber'];

class ApiError extends Error {
	/** `reason` goes to X-Status-Reason; `body` is sent as JSON (or text). */
	constructor(status, reason, body, headers = {}) {
		super(reason || `HTTP ${status}`);
		this.status = status;
		this.reason = reason;
		this.body = body;
		this.headers = headers;
	}
}

/**
 * confirmed on EspoCRM 9.1.7 (default `phoneNumberInternational`): a phone number must be
 * international: "+1 (555) 010-2000" is stored as "+15550102000", "+44 20 7946 0958" as
 * "+442079460958"; "555-0100" and "0049 30 1234567" fail validation (400, field phoneNumber, valid).
 * UNCONFIRMED against real EspoCRM: how an extension ("x12") is kept (dropped here).
 */
function normalizePhone(entityType, value) {
	const text = String(value).trim().replace(/\s*(x|ext\.?)\s*\d+$/i, '');
	const digits = text.replace(/[\s().-]/g, '');
	if (!/^\+[1-9]\d{6,14}$/.test(digits)) throw validationError(entityType, 'phoneNumber', 'valid');
	return digits;
}

const validationError = (entityType, field, type) =>
	new ApiError(400, `Field validation failure; entityType: ${entityType}, field: ${field}, type: ${type}.`, {
		messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } },
	});

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const isBlank = (v) => v === undefined || v === null || v === '';
const pad = (n) => String(n).padStart(2, '0');
const EMAIL_RE = /^[^\s@;]+@[^\s@;]+\.[^\s@;]+$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** EspoCRM's UTC datetime format (second precision). */
function fmt(ms) {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
function toMs(value) {
	if (isBlank(value)) return Number.NaN;
	const text = String(value);
	if (DATETIME_RE.test(text)) return Date.parse(`${text.replace(' ', 'T')}${text.length === 16 ? ':00' : ''}Z`);
	if (DATE_RE.test(text)) return Date.parse(`${text}T00:00:00Z`);
	return Date.parse(text);
}

/** PHP json_encode as EspoCRM's Json::encode uses it: "\/" and \uXXXX for non-ASCII. */
function phpJson(value) {
	return JSON.stringify(value)
		.replace(/\//g, '\\/')
		.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Parses `a[0][b]=1&a[0][c]=2` into nested objects/arrays (PHP's query parsing). */
function parseBracketQuery(searchParams) {
	const out = {};
	for (const [rawKey, value] of searchParams.entries()) {
		const parts = [];
		const head = /^[^[]+/.exec(rawKey);
		if (!head) continue;
		parts.push(head[0]);
		for (const m of rawKey.slice(head[0].length).matchAll(/\[([^\]]*)\]/g)) parts.push(m[1]);
		let target = out;
		for (let i = 0; i < parts.length; i++) {
			const key = parts[i] === '' ? String(Object.keys(target).length) : parts[i];
			if (i === parts.length - 1) target[key] = value;
			else target = target[key] ??= {};
		}
	}
	const arrays = (node) => {
		if (!node || typeof node !== 'object') return node;
		const keys = Object.keys(node);
		const out2 = keys.length && keys.every((k, i) => String(i) === k) ? keys.map((k) => arrays(node[k])) : Object.fromEntries(keys.map((k) => [k, arrays(node[k])]));
		return out2;
	};
	return arrays(out);
}

const PERSON_ENTITIES = ['Lead', 'Contact'];
const EMAIL_ENTITIES = ['Lead', 'Contact', 'Account'];
const LINK_NAMES = { accountId: ['accountName', 'Account'], contactId: ['contactName', 'Contact'], leadId: ['leadName', 'Lead'], campaignId: ['campaignName', 'Campaign'] };

class FakeEspoCrm extends SandboxServer {
	constructor(options = {}) {
		super(options);
		this.options = options;
		this.requests = [];
		this.violations = [];
		this.sentEmails = [];
		this.webhookDeliveries = [];
		this.webhookConfig = { ...WEBHOOK_DEFAULTS, ...(options.webhookConfig || {}) };
		this.reset();
	}

	// ------------------------------------------------------------------ public API

	/** Clears records, notes, webhooks, queues, requests, violations, faults, sent emails; reseeds users and metadata. */
	reset() {
		const seed = defaultSeed();
		this.users = new Map(seed.users.map((u) => [u.id, u]));
		this.roles = seed.roles;
		this.metadata = seed.metadata;
		this.settings = seed.settings;
		this.customAttributes = {};
		this.records = new Map(RECORD_ENTITIES.map((e) => [e, new Map()]));
		this.deleted = new Map();
		this.notes = new Map();
		this.webhooks = new Map();
		this.eventQueue = [];
		this.webhookQueue = [];
		this.counters = { id: 0x10000, note: 0, caseNumber: 0, queue: 0 };
		this.requests.length = 0;
		this.violations.length = 0;
		this.sentEmails.length = 0;
		this.faults.length = 0;
		this.webhookDeliveries.length = 0;
		this.requestHook = undefined;
		this.smtpFailure = undefined;
		this.readLagMs = 0;
	}

	/** Changes an API user's role (e.g. `{scopes: {Lead: {create: 'no'}}, massUpdate: 'no', webhooks: false}`). */
	setRole(userName, patch) {
		const user = this.userByName(userName);
		const key = user.role || (user.role = `role-${user.id}`);
		const role = this.roles[key] ?? { scopes: {}, massUpdate: 'no' };
		const scopes = { ...role.scopes };
		for (const [scope, actions] of Object.entries(patch.scopes || {})) scopes[scope] = { ...(scopes[scope] || {}), ...actions };
		this.roles[key] = { ...role, ...patch, scopes };
	}

	/** Replaces a field's options (an admin adding stages in the Entity Manager), with probabilityMap etc. */
	setFieldOptions(entityType, field, options, extra = {}) {
		const defs = this.metadata.entityDefs[entityType].fields;
		defs[field] = { ...(defs[field] || { type: 'enum' }), options: [...options], ...extra };
	}

	/** Adds a custom attribute (e.g. `cRegion`, a varchar) so writes to it are accepted. */
	defineAttribute(entityType, name, spec = { kind: 'varchar' }) {
		this.customAttributes[entityType] = { ...(this.customAttributes[entityType] || {}), [name]: spec };
	}

	setSettings(patch) {
		Object.assign(this.settings, patch);
	}

	/**
	 * Lists show a new record only `ms` after its creation (a replica behind the primary; 0: at
	 * once). EspoCRM reads its own database, so this only models setups with read replicas.
	 */
	setReadLag(ms) {
		this.readLagMs = ms;
	}

	/** The next `POST Email` with status Sending fails with this SMTP error (once). */
	failNextSmtp(message) {
		this.smtpFailure = message;
	}

	/** Direct insert with EspoCRM's rules (defaults, stream, webhook events), as `userId` (default Ana). */
	createRecord(entityType, attributes, options = {}) {
		return this.view(entityType, this.insert(entityType, attributes, { userId: options.userId || 'u-ana', skipChecks: options.skipChecks }));
	}

	/** Direct update with EspoCRM's rules (audited fields → stream notes, webhook events). */
	updateRecord(entityType, id, attributes, options = {}) {
		const record = this.store(entityType).get(String(id));
		if (!record) throw new Error(`updateRecord: ${entityType} ${id} does not exist`);
		this.applyUpdate(entityType, record, attributes, { userId: options.userId || 'u-ana' });
		return this.view(entityType, record);
	}

	deleteRecord(entityType, id, options = {}) {
		this.remove(entityType, String(id), options.userId || 'u-ana');
	}

	/** The stored record (mutations are visible to the API). */
	getRecord(entityType, id) {
		return this.store(entityType).get(String(id));
	}

	listRecords(entityType) {
		return [...this.store(entityType).values()].map((r) => this.view(entityType, r));
	}

	/** Every user (regular, admin, API and portal users), as the API shows them. */
	listUsers() {
		return [...this.users.values()].map((u) => this.userView(u));
	}

	/** Every stream note, oldest first. */
	listNotes() {
		return [...this.notes.values()].sort((a, b) => a.number - b.number).map((n) => this.noteView(n));
	}

	/** The record's notes, oldest first. */
	notesOf(entityType, id) {
		return [...this.notes.values()].filter((n) => n.parentType === entityType && n.parentId === String(id)).sort((a, b) => a.number - b.number).map((n) => this.noteView(n));
	}

	/** A post on a record's stream, as a user (default Ana). */
	postNote(entityType, id, post, options = {}) {
		return this.noteView(this.addNote({ type: 'Post', parentType: entityType, parentId: String(id), post, isInternal: options.isInternal === true }, options.userId || 'u-ana'));
	}

	listWebhooks() {
		return [...this.webhooks.values()].map((w) => clone(w));
	}

	/** Pending or processed webhook queue items (for tests). */
	webhookQueueItems() {
		return this.webhookQueue.map((i) => clone(i));
	}

	async listen(port = 0) {
		await super.listen(port);
		if (this.options.webhookIntervalMs) {
			this.webhookTimer = setInterval(() => this.processWebhookQueue().catch(() => {}), this.options.webhookIntervalMs);
		}
		return this;
	}

	async stop() {
		if (this.webhookTimer) clearInterval(this.webhookTimer);
		await super.stop();
	}

	// ------------------------------------------------------------------ store

	store(entityType) {
		const store = this.records.get(entityType);
		if (!store) throw new ApiError(404, `Unknown entity type ${entityType}`);
		return store;
	}

	nextId() {
		this.counters.id += 1;
		return `6${this.counters.id.toString(16).padStart(16, '0')}`;
	}

	userByName(userName) {
		const user = [...this.users.values()].find((u) => u.userName === userName || u.id === userName);
		if (!user) throw new Error(`No sandbox user ${userName}`);
		return user;
	}

	fieldDefs(entityType, field) {
		return (this.metadata.entityDefs[entityType] || { fields: {} }).fields[field];
	}

	attributeSpec(entityType, attribute) {
		return (ATTRIBUTES[entityType] || {})[attribute] || (this.customAttributes[entityType] || {})[attribute];
	}

	statusField(entityType) {
		return (this.metadata.scopes[entityType] || {}).statusField;
	}

	auditedAttributes(entityType) {
		const fields = (this.metadata.entityDefs[entityType] || { fields: {} }).fields;
		const out = [];
		for (const [field, defs] of Object.entries(fields)) {
			if (!defs.audited) continue;
			if (defs.type === 'link') out.push(`${field}Id`);
			else if (defs.type === 'currency') out.push(field, `${field}Currency`);
			else out.push(field);
		}
		return out;
	}

	userName(id) {
		const user = this.users.get(String(id));
		return user ? user.name : null;
	}

	nameOf(entityType, id) {
		const record = this.records.get(entityType)?.get(String(id));
		if (!record) return null;
		return this.view(entityType, record).name ?? null;
	}

	/** A record as the API shows it: stored attributes plus names of links and computed fields. */
	view(entityType, record) {
		const out = clone(record);
		if (PERSON_ENTITIES.includes(entityType)) out.name = [record.firstName, record.lastName].filter(Boolean).join(' ') || null;
		// confirmed on EspoCRM 9.1.7: Contact.title is not stored on the contact but as the role on its
		// account link (accountsColumns.{accountId}.role): without an account, a written title is lost.
		if (entityType === 'Contact') out.title = record.accountId ? record.title ?? null : null;
		if (EMAIL_ENTITIES.includes(entityType)) {
			const data = record.emailAddressData || [];
			const primary = data.find((d) => d.primary) || data[0];
			out.emailAddress = primary ? primary.emailAddress : null;
			out.emailAddressIsOptedOut = primary ? primary.optOut === true : false;
			out.emailAddressIsInvalid = primary ? primary.invalid === true : false;
			out.emailAddressData = clone(data);
		}
		if ('assignedUserId' in record || entityType === 'Task') out.assignedUserName = record.assignedUserId ? this.userName(record.assignedUserId) : null;
		out.createdByName = record.createdById ? this.userName(record.createdById) : null;
		out.modifiedByName = record.modifiedById ? this.userName(record.modifiedById) : null;
		for (const [attribute, [name, target]] of Object.entries(LINK_NAMES)) {
			if (attribute in record && entityType !== 'Lead') out[name] = record[attribute] ? this.nameOf(target, record[attribute]) : null;
		}
		if ('parentId' in record) out.parentName = record.parentId && record.parentType ? this.nameOf(record.parentType, record.parentId) : null;
		if (Array.isArray(record.contactsIds)) out.contactsNames = Object.fromEntries(record.contactsIds.map((id) => [id, this.nameOf('Contact', id)]));
		if (entityType === 'Opportunity') {
			out.amountConverted = record.amount ?? null;
			out.amountWeightedConverted = record.amount !== null && record.amount !== undefined ? Math.round(record.amount * (record.probability ?? 0)) / 100 : null;
		}
		return out;
	}

	noteView(note) {
		return { ...clone(note), createdByName: note.createdById ? this.userName(note.createdById) : null };
	}

	// ------------------------------------------------------------------ writes (EspoCRM's save rules)

	/** Checks and normalizes an input; throws ApiError (validation) or records violations. */
	checkInput(entityType, input, mode, violations, user) {
		const out = {};
		for (const [attribute, value] of Object.entries(input || {})) {
			if (value === undefined) continue;
			const spec = this.attributeSpec(entityType, attribute);
			if (!spec) {
				violations.push(`body.${attribute} is not an attribute of ${entityType}`);
				continue;
			}
			if (spec.ro) {
				violations.push(`body.${attribute} is read-only on ${entityType}`);
				continue;
			}
			const problem = this.kindProblem(entityType, attribute, spec, value);
			if (problem) {
				violations.push(`body.${attribute} ${problem}`);
				continue;
			}
			out[attribute] = clone(value);
		}
		if (violations.length) return out;
		for (const [attribute, value] of Object.entries(out)) {
			const spec = this.attributeSpec(entityType, attribute);
			if (spec.kind === 'enum' && !isBlank(value)) {
				const options = (this.fieldDefs(entityType, spec.field) || {}).options;
				if (options && !options.includes(value)) throw validationError(entityType, spec.field, 'valid');
			}
			if (spec.kind === 'currency' && !isBlank(value) && !this.settings.currencyList.includes(value)) {
				throw validationError(entityType, attribute.replace(/Currency$/, ''), 'valid');
			}
			if (spec.kind === 'email' && !isBlank(value) && !EMAIL_RE.test(String(value))) throw validationError(entityType, 'emailAddress', 'valid');
			if (attribute === 'phoneNumber' && !isBlank(value)) out.phoneNumber = normalizePhone(entityType, value);
			if (spec.kind === 'link' && !isBlank(value)) this.checkLinkExists(entityType, attribute, spec.entity, value);
		}
		if (!isBlank(out.parentId) || !isBlank(out.parentType)) {
			if (!PARENT_TYPES.includes(out.parentType)) throw validationError(entityType, 'parent', 'valid');
			if (!this.records.get(out.parentType)?.has(String(out.parentId))) {
				throw new ApiError(400, `Record linked by 'parent' does not exist: ${out.parentType} ${out.parentId}.`);
			}
		}
		if (mode === 'create') {
			for (const required of REQUIRED_ON_CREATE[entityType] || []) {
				if (isBlank(out[required])) throw validationError(entityType, required.replace(/Id$/, ''), 'required');
			}
		} else {
			for (const required of REQUIRED_ON_CREATE[entityType] || []) {
				if (required in out && isBlank(out[required])) throw validationError(entityType, required.replace(/Id$/, ''), 'required');
			}
		}
		void user;
		return out;
	}

	kindProblem(entityType, attribute, spec, value) {
		const nullable = value === null;
		switch (spec.kind) {
			case 'varchar':
			case 'text':
			case 'enum':
			case 'currency':
			case 'link':
			case 'parentId':
			case 'parentType':
				if (nullable) return undefined;
				if (typeof value !== 'string') return `must be a string (got ${typeof value})`;
				if (spec.max !== undefined && value.length > spec.max) return `is longer than ${spec.max} characters`;
				if (spec.kind === 'parentType' && !PARENT_TYPES.includes(value)) return `must be one of ${PARENT_TYPES.join(', ')}`;
				return undefined;
			case 'email':
				return nullable || typeof value === 'string' ? undefined : 'must be a string';
			case 'float':
				return nullable || (typeof value === 'number' && Number.isFinite(value)) ? undefined : `must be a number (got ${typeof value})`;
			case 'int':
				return nullable || Number.isInteger(value) ? undefined : `must be an integer (got ${JSON.stringify(value)})`;
			case 'bool':
				return typeof value === 'boolean' ? undefined : `must be a boolean (got ${typeof value})`;
			case 'date':
				return nullable || (typeof value === 'string' && DATE_RE.test(value)) ? undefined : `must be a date "YYYY-MM-DD" (got ${JSON.stringify(value)})`;
			case 'datetime':
				return nullable || (typeof value === 'string' && DATETIME_RE.test(value)) ? undefined : `must be a UTC datetime "YYYY-MM-DD HH:mm:ss" (got ${JSON.stringify(value)})`;
			case 'ids':
				return nullable || (Array.isArray(value) && value.every((v) => typeof v === 'string')) ? undefined : 'must be an array of ids';
			case 'map':
				return nullable || (value && typeof value === 'object' && !Array.isArray(value)) ? undefined : 'must be an object';
			case 'list':
				return nullable || (Array.isArray(value) && value.every((v) => v && typeof v === 'object')) ? undefined : 'must be an array of objects';
			default:
				return undefined;
		}
	}

	checkLinkExists(entityType, attribute, target, id) {
		if (target === 'User') {
			if (!this.users.has(String(id))) throw new ApiError(400, `Record linked by '${attribute}' does not exist: User ${id}.`);
			return;
		}
		const store = this.records.get(target);
		if (store && !store.has(String(id))) throw new ApiError(400, `Record linked by '${attribute}' does not exist: ${target} ${id}.`);
	}

	/** Writes email addresses the way EspoCRM keeps them (emailAddressData with a primary). */
	applyEmail(record, input) {
		let data = clone(record.emailAddressData || []);
		if (Array.isArray(input.emailAddressData)) {
			data = input.emailAddressData.map((d, i) => ({
				emailAddress: String(d.emailAddress),
				lower: String(d.emailAddress).toLowerCase(),
				primary: d.primary === true || (i === 0 && !input.emailAddressData.some((x) => x.primary)),
				optOut: d.optOut === true,
				invalid: d.invalid === true,
			}));
		}
		if ('emailAddress' in input) {
			const address = input.emailAddress;
			const kept = data.find((d) => d.lower === String(address || '').toLowerCase());
			data = data.filter((d) => !d.primary && d !== kept);
			if (!isBlank(address)) data.unshift({ emailAddress: String(address), lower: String(address).toLowerCase(), primary: true, optOut: kept ? kept.optOut : false, invalid: kept ? kept.invalid : false });
			data.forEach((d, i) => (d.primary = i === 0));
		}
		const primary = data.find((d) => d.primary);
		if (primary && 'emailAddressIsOptedOut' in input) primary.optOut = input.emailAddressIsOptedOut === true;
		if (primary && 'emailAddressIsInvalid' in input) primary.invalid = input.emailAddressIsInvalid === true;
		record.emailAddressData = data;
		delete record.emailAddress;
		delete record.emailAddressIsOptedOut;
		delete record.emailAddressIsInvalid;
	}

	/** Derived values EspoCRM's hooks set (probability, lastStage, dateCompleted, convertedAt). */
	applyDerived(entityType, record, input, before) {
		if (entityType === 'Opportunity' && 'stage' in input && !('probability' in input)) {
			const map = (this.fieldDefs('Opportunity', 'stage') || {}).probabilityMap || {};
			if (record.stage in map) record.probability = map[record.stage];
		}
		if (entityType === 'Opportunity' && (!before || before.stage !== record.stage)) {
			const map = (this.fieldDefs('Opportunity', 'stage') || {}).probabilityMap || {};
			if (map[record.stage] !== 0) record.lastStage = record.stage;
		}
		if (entityType === 'Task' && (!before || before.status !== record.status)) {
			record.dateCompleted = record.status === 'Completed' ? fmt(this.now()) : null;
		}
		if (entityType === 'Lead' && (!before || before.status !== record.status) && record.status === 'Converted') record.convertedAt = fmt(this.now());
		// confirmed on EspoCRM 9.1.7: a contact's title lives on its account link; without an account it is not kept.
		if (entityType === 'Contact' && isBlank(record.accountId)) record.title = null;
	}

	insert(entityType, input, { userId, skipChecks = false, violations = [] }) {
		const checked = skipChecks ? clone(input) : this.checkInput(entityType, input, 'create', violations);
		if (violations.length) return undefined;
		const now = fmt(this.now());
		const record = { id: this.nextId() };
		for (const [field, defs] of Object.entries((this.metadata.entityDefs[entityType] || { fields: {} }).fields)) {
			if (defs.default !== undefined && checked[field] === undefined) record[field] = defs.default;
		}
		if (entityType === 'Opportunity' && isBlank(checked.amountCurrency)) record.amountCurrency = this.settings.defaultCurrency;
		if (entityType === 'Lead' && !isBlank(checked.opportunityAmount) && isBlank(checked.opportunityAmountCurrency)) record.opportunityAmountCurrency = this.settings.defaultCurrency;
		Object.assign(record, checked);
		if (EMAIL_ENTITIES.includes(entityType)) this.applyEmail(record, checked);
		if (entityType === 'Case') record.number = ++this.counters.caseNumber;
		if (entityType === 'Task' && !('parentId' in record)) Object.assign(record, { parentId: null, parentType: null });
		if (!('assignedUserId' in record) && entityType !== 'Email') record.assignedUserId = null;
		record.createdAt = now;
		record.modifiedAt = now;
		record.createdById = userId;
		record.modifiedById = null;
		this.applyDerived(entityType, record, checked, undefined);
		this.store(entityType).set(record.id, record);
		if ((this.metadata.scopes[entityType] || {}).stream) this.noteCreate(entityType, record, userId);
		this.queueEvent(`${entityType}.create`, entityType, record.id, this.view(entityType, record), userId);
		return record;
	}

	applyUpdate(entityType, record, input, { userId, skipChecks = false, violations = [] }) {
		const checked = skipChecks ? clone(input) : this.checkInput(entityType, input, 'update', violations);
		if (violations.length) return undefined;
		const before = this.view(entityType, record);
		Object.assign(record, checked);
		if (EMAIL_ENTITIES.includes(entityType) && ['emailAddress', 'emailAddressData', 'emailAddressIsOptedOut', 'emailAddressIsInvalid'].some((a) => a in checked)) {
			this.applyEmail(record, checked);
		}
		this.applyDerived(entityType, record, checked, before);
		const after = this.view(entityType, record);
		const changed = Object.keys(after).filter((a) => !WEBHOOK_SKIP.includes(a) && a !== 'id' && JSON.stringify(after[a]) !== JSON.stringify(before[a]));
		if (changed.length === 0) return record;
		record.modifiedAt = fmt(this.now());
		record.modifiedById = userId;
		if ((this.metadata.scopes[entityType] || {}).stream) this.noteUpdate(entityType, record, before, after, userId);
		const data = { id: record.id };
		for (const attribute of changed) data[attribute] = after[attribute];
		this.queueEvent(`${entityType}.update`, entityType, record.id, data, userId);
		const fields = new Set(changed.map((a) => (/Id$/.test(a) && a !== 'id' ? a.slice(0, -2) : /Name$/.test(a) && `${a.slice(0, -4)}Id` in after ? a.slice(0, -4) : a)));
		for (const field of fields) {
			const attributes = field in after && !(`${field}Id` in after) ? [field] : [`${field}Id`, `${field}Name`].filter((a) => a in after);
			const itemData = { id: record.id };
			for (const attribute of attributes) itemData[attribute] = after[attribute];
			this.queueEvent(`${entityType}.fieldUpdate.${field}`, entityType, record.id, itemData, userId);
		}
		return record;
	}

	remove(entityType, id, userId) {
		const store = this.store(entityType);
		const record = store.get(id);
		if (!record) throw new ApiError(404);
		store.delete(id);
		this.deleted.set(`${entityType}:${id}`, record);
		this.queueEvent(`${entityType}.delete`, entityType, id, { id }, userId);
	}

	// ------------------------------------------------------------------ stream

	addNote(fields, userId) {
		const note = {
			id: this.nextId(),
			type: 'Post',
			post: null,
			data: {},
			parentType: null,
			parentId: null,
			relatedType: null,
			relatedId: null,
			isInternal: false,
			...fields,
			number: ++this.counters.note,
			createdAt: fmt(this.now()),
			createdById: userId,
		};
		this.notes.set(note.id, note);
		if (note.parentType && note.parentId) {
			const parent = this.records.get(note.parentType)?.get(note.parentId);
			if (parent) parent.streamUpdatedAt = note.createdAt;
		}
		return note;
	}

	/** The label style of a status value (`entityDefs.{Entity}.fields.{field}.style`), "default" when none. */
	statusStyle(entityType, field, value) {
		const styles = (this.fieldDefs(entityType, field) || {}).style || {};
		return styles[value] || 'default';
	}

	// confirmed on EspoCRM 9.1.7: data {statusValue, statusField, statusStyle} (plus the assigned user).
	noteCreate(entityType, record, userId) {
		const data = {};
		if (record.assignedUserId) Object.assign(data, { assignedUserId: record.assignedUserId, assignedUserName: this.userName(record.assignedUserId) });
		const statusField = this.statusField(entityType);
		if (statusField && !isBlank(record[statusField])) Object.assign(data, { statusValue: record[statusField], statusField, statusStyle: this.statusStyle(entityType, statusField, record[statusField]) });
		this.addNote({ type: 'Create', parentType: entityType, parentId: record.id, data }, userId);
	}

	/**
	 * An Update note for changed audited fields (fields, attributes.was/became), then a Status note
	 * when the status field changed. confirmed on EspoCRM 9.1.7: the status field is never in an
	 * Update note; its change is a `Status` note `data: {field, value, style}` with no "was" value
	 * (mass updates too). (Tools/Stream/Service.php getAuditedFieldsData / noteStatus.)
	 */
	noteUpdate(entityType, record, before, after, userId) {
		const statusField = this.statusField(entityType);
		const audited = this.auditedAttributes(entityType).filter((a) => a !== statusField);
		const fields = [];
		const was = {};
		const became = {};
		for (const attribute of audited) {
			if (JSON.stringify(before[attribute]) === JSON.stringify(after[attribute])) continue;
			const field = /Id$/.test(attribute) ? attribute.slice(0, -2) : /Currency$/.test(attribute) ? attribute.slice(0, -8) : attribute;
			if (!fields.includes(field)) fields.push(field);
			was[attribute] = before[attribute] ?? null;
			became[attribute] = after[attribute] ?? null;
		}
		const statusChanged = statusField && before[statusField] !== after[statusField] && !isBlank(after[statusField]);
		if (fields.length) this.addNote({ type: 'Update', parentType: entityType, parentId: record.id, data: { fields, attributes: { was, became } } }, userId);
		if (statusChanged) {
			const value = after[statusField];
			this.addNote({ type: 'Status', parentType: entityType, parentId: record.id, data: { field: statusField, value, style: this.statusStyle(entityType, statusField, value) } }, userId);
		}
	}

	// ------------------------------------------------------------------ webhooks

	queueEvent(event, targetType, targetId, data, userId) {
		// EspoCRM queues an event only when an active webhook for it exists (Manager::eventExists).
		if (![...this.webhooks.values()].some((w) => w.isActive && w.event === event)) return;
		this.eventQueue.push({ number: ++this.counters.queue, event, targetType, targetId, data: clone(data), userId, isProcessed: false });
	}

	/** One run of the "Process Webhook Queue" job: events → per-webhook items → signed batched POSTs. */
	async processWebhookQueue() {
		const cfg = this.webhookConfig;
		const now = this.now();
		for (const item of this.eventQueue.filter((e) => !e.isProcessed).slice(0, cfg.eventPortionSize)) {
			for (const webhook of [...this.webhooks.values()].filter((w) => w.isActive && w.event === item.event)) {
				if (webhook.skipOwn && webhook.userId && item.userId === webhook.userId) continue;
				this.webhookQueue.push({
					number: ++this.counters.queue,
					webhookId: webhook.id,
					event: item.event,
					targetType: item.targetType,
					targetId: item.targetId,
					data: clone(item.data),
					status: 'Pending',
					attempts: 0,
					processAt: null,
				});
			}
			item.isProcessed = true;
		}
		const due = (i) => i.status === 'Pending' && (i.processAt === null || i.processAt <= now);
		const webhookIds = [...new Set(this.webhookQueue.filter(due).map((i) => i.webhookId))].slice(0, cfg.portionSize);
		const results = [];
		for (const webhookId of webhookIds) {
			const webhook = this.webhooks.get(webhookId);
			const items = this.webhookQueue.filter((i) => i.webhookId === webhookId && due(i)).slice(0, cfg.batchSize);
			if (!webhook || !webhook.isActive) {
				this.webhookQueue = this.webhookQueue.filter((i) => !items.includes(i));
				continue;
			}
			// Items whose record is gone entirely are dropped (EspoCRM reads targets withDeleted()).
			const live = items.filter((i) => this.records.get(i.targetType)?.has(i.targetId) || this.deleted.has(`${i.targetType}:${i.targetId}`));
			this.webhookQueue = this.webhookQueue.filter((i) => !items.includes(i) || live.includes(i));
			if (live.length === 0) continue;
			const code = await this.deliver(webhook, live.map((i) => i.data));
			results.push({ webhookId, event: webhook.event, count: live.length, code });
			if (code >= 200 && code < 400) {
				for (const item of live) Object.assign(item, { status: 'Success', attempts: item.attempts + 1, processAt: null });
			} else if (code === 410) {
				this.webhookQueue = this.webhookQueue.filter((i) => !(i.webhookId === webhookId && i.status === 'Pending'));
				this.webhooks.delete(webhookId);
			} else {
				const retry = [0, 401, 403, 404, 405, 408, 500, 503].includes(code);
				for (const item of live) {
					item.attempts += 1;
					item.processAt = now + cfg.failPeriodMs;
					if (!retry || item.attempts >= cfg.maxAttempts) Object.assign(item, { status: 'Failed', processAt: null });
				}
			}
		}
		return results;
	}

	/** POSTs one batch the way EspoCRM's webhook Sender does; resolves the HTTP status (0: no answer). */
	deliver(webhook, dataList) {
		const payload = phpJson(dataList);
		const hex = crypto.createHmac('sha256', webhook.secretKey).update(payload).digest('hex');
		const binary = crypto.createHmac('sha256', webhook.secretKey).update(payload).digest();
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(payload),
			Signature: Buffer.from(`${webhook.id}:${hex}`).toString('base64'),
			'X-Signature': Buffer.concat([Buffer.from(`${webhook.id}:`), binary]).toString('base64'),
		};
		const delivery = { webhookId: webhook.id, url: webhook.url, payload, headers: { ...headers }, status: 0, at: this.now() };
		this.webhookDeliveries.push(delivery);
		return new Promise((resolve) => {
			let target;
			try {
				target = new URL(webhook.url);
			} catch {
				resolve(0);
				return;
			}
			const request = http.request(
				{ method: 'POST', hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers, timeout: 10_000 },
				(response) => {
					response.resume();
					response.on('end', () => {
						delivery.status = response.statusCode;
						resolve(response.statusCode);
					});
				},
			);
			request.on('timeout', () => {
				request.destroy();
				delivery.status = 408;
				resolve(408);
			});
			request.on('error', () => resolve(delivery.status || 0));
			request.end(payload);
		});
	}

	// ------------------------------------------------------------------ access

	/** May `user` do `action` (create/read/edit/delete/stream) on `scope`? Admins and regular users may. */
	allows(user, scope, action) {
		if (user.type === 'admin' || user.type === 'regular') return true;
		const role = this.roles[user.role];
		const level = role && role.scopes[scope] ? role.scopes[scope][action] : undefined;
		return level !== undefined && level !== 'no';
	}

	/** Records an 'own' read level limits the user to. */
	readable(user, scope, record) {
		if (user.type !== 'api') return true;
		const level = (this.roles[user.role]?.scopes[scope] || {}).read;
		if (level !== 'own') return true;
		return record.assignedUserId === user.id || record.createdById === user.id;
	}

	requireAccess(user, scope, action) {
		if (!this.allows(user, scope, action)) throw new ApiError(403, `No ${action} access.`);
	}

	/**
	 * confirmed on EspoCRM 9.1.7: a role's "Assignment Permission" (default "no") limits whom the
	 * user may assign records to; with "no" only to themselves. Setting another user on create or
	 * update answers 403 "Assignment failure: assigned user or team not allowed." (a mass update
	 * skips the record instead). UNCONFIRMED against real EspoCRM: the "team" level (treated as "all" here).
	 */
	checkAssignment(user, input) {
		if (user.type !== 'api' || isBlank(input && input.assignedUserId) || input.assignedUserId === user.id) return;
		const permission = this.roles[user.role]?.assignment ?? 'no';
		if (permission === 'no') throw new ApiError(403, 'Assignment failure: assigned user or team not allowed.');
	}

	// ------------------------------------------------------------------ HTTP

	async handle(req, res) {
		const url = new URL(req.url, 'http://sandbox');
		const raw = await new Promise((resolve) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		});
		if (url.pathname.startsWith('/__sandbox/')) return this.control(req, res, url, raw);
		const resource = url.pathname.replace(/^\/api\/v1/, '');
		const entry = {
			method: req.method,
			path: url.pathname,
			resource,
			query: Object.fromEntries(url.searchParams.entries()),
			// The documented optional request headers ([spec]; never the auth headers).
			headers: Object.fromEntries(['x-no-total', 'x-skip-duplicate-check'].filter((h) => req.headers[h] !== undefined).map((h) => [h, String(req.headers[h])])),
			body: undefined,
			status: 0,
			auth: undefined,
			violations: [],
			at: this.now(),
		};
		this.requests.push(entry);
		const send = (status, body, headers = {}) => {
			entry.status = status;
			if (entry.violations.length) this.violations.push(...entry.violations.map((v) => `${req.method} ${resource}: ${v}`));
			if (this.options.requestLog) {
				const line = { method: entry.method, path: entry.path, query: entry.query, body: entry.body, status, at: entry.at };
				fs.appendFileSync(this.options.requestLog, `${JSON.stringify(line)}\n`);
			}
			const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
			res.writeHead(status, { ...(text && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}), ...headers });
			res.end(text);
		};
		try {
			if (!url.pathname.startsWith('/api/v1/')) throw new ApiError(404);
			if (raw.trim()) {
				try {
					entry.body = JSON.parse(raw);
				} catch {
					entry.violations.push('the body is not valid JSON');
					throw new ApiError(400, 'Bad JSON body.');
				}
			}
			const fault = this.takeFault(req.method, resource, url.pathname);
			if (fault) {
				if (fault.delayMs) await sleep(fault.delayMs);
				if (fault.drop) {
					entry.status = 0;
					req.socket.destroy();
					return;
				}
				return send(fault.status, fault.body, fault.headers || {});
			}
			this.requestHook?.(entry);
			if (this.options.latencyMs) await sleep(this.options.latencyMs);
			const user = this.authenticate(req, resource, entry);
			if (!user) return send(401, undefined, entry.authReason ? { 'X-Status-Reason': entry.authReason } : {});
			const answer = await this.route(req, url, resource, entry, user);
			if (entry.violations.length) throw new ApiError(400, `Sandbox: request does not match EspoCRM's documented API: ${entry.violations.join('; ')}`.slice(0, 900));
			return send(answer.status ?? 200, answer.body, answer.headers);
		} catch (error) {
			if (!(error instanceof ApiError)) {
				return send(500, undefined, { 'X-Status-Reason': String(error && error.message).replace(/[^\x20-\x7e]/g, ' ').slice(0, 300) });
			}
			const reason = error.reason !== undefined ? error.reason.replace(/[^\x20-\x7e]/g, ' ') : undefined;
			return send(error.status, error.body, { ...(reason ? { 'X-Status-Reason': reason } : {}), ...error.headers });
		}
	}

	/** EspoCRM's auth headers (API overview): Espo-Authorization first, then the API methods, then Basic. */
	authenticate(req, resource, entry) {
		const header = (name) => req.headers[name.toLowerCase()];
		const decode = (value) => {
			const text = Buffer.from(String(value), 'base64').toString('utf8');
			const at = text.indexOf(':');
			return at < 0 ? [undefined, undefined] : [text.slice(0, at), text.slice(at + 1)];
		};
		const byPassword = (userName, password) => {
			const user = [...this.users.values()].find((u) => u.userName === userName && u.password && u.password === password && u.isActive);
			entry.auth = 'password';
			return user;
		};
		if (header('espo-authorization')) return byPassword(...decode(header('espo-authorization')));
		if (header('x-hmac-authorization')) {
			entry.auth = 'hmac';
			const [apiKey, hash] = decode(header('x-hmac-authorization'));
			const user = [...this.users.values()].find((u) => u.type === 'api' && u.authMethod === 'Hmac' && u.apiKey === apiKey && u.isActive);
			if (!user) return undefined;
			const signed = `${req.method} ${resource}`;
			const hex = crypto.createHmac('sha256', user.secretKey).update(signed).digest('hex');
			return hash === hex ? user : undefined;
		}
		if (header('x-api-key')) {
			entry.auth = 'apiKey';
			return [...this.users.values()].find((u) => u.type === 'api' && u.authMethod === 'ApiKey' && u.apiKey === header('x-api-key') && u.isActive);
		}
		const basic = /^Basic\s+(.+)$/i.exec(String(header('authorization') || ''));
		if (basic) return byPassword(...decode(basic[1]));
		return undefined;
	}

	async route(req, url, resource, entry, user) {
		const parts = resource.split('/').filter(Boolean).map(decodeURIComponent);
		const method = req.method;
		const body = entry.body;
		const noQuery = () => {
			for (const key of Object.keys(entry.query)) entry.violations.push(`query parameter ${key} is not documented here`);
		};
		if (method === 'GET' && resource === '/App/user') {
			noQuery();
			return { body: this.appUser(user) };
		}
		if (method === 'GET' && resource === '/Metadata') {
			for (const key of Object.keys(entry.query)) if (key !== 'key') entry.violations.push(`query parameter ${key} is not documented for Metadata`);
			return { body: this.metadataFor(user, entry.query.key) };
		}
		if (method === 'GET' && resource === '/Settings') {
			noQuery();
			const { groupEmailAddresses, ...visible } = this.settings;
			void groupEmailAddresses;
			return { body: clone(visible) };
		}
		if (method === 'POST' && resource === '/MassAction') return this.massAction(user, body, entry);
		if (method === 'POST' && parts[0] === 'Lead' && parts[1] === 'action') return this.leadAction(user, parts[2], body, entry);
		if (method === 'POST' && resource === '/Note') return this.createNote(user, body, entry);
		if (parts[0] === 'Webhook') return this.webhookRoute(method, parts, user, body, entry);
		if (parts[0] === 'User') {
			if (method !== 'GET') throw new ApiError(403, `No ${method === 'POST' ? 'create' : 'edit'} access.`);
			this.requireAccess(user, 'User', 'read');
			if (parts.length === 1) return { body: this.list('User', user, url, entry, req) };
			const found = this.users.get(parts[1]);
			if (!found) throw new ApiError(404);
			if (!this.userVisible(user, found)) throw new ApiError(403, "No 'read' access.");
			return { body: this.userView(found) };
		}
		const entityType = parts[0];
		if (!RECORD_ENTITIES.includes(entityType)) throw new ApiError(404, `Unknown route ${method} ${resource}.`);
		if (parts.length === 3 && parts[2] === 'stream' && method === 'GET') return this.streamOf(entityType, parts[1], user, entry);
		if (parts.length === 1 && method === 'GET') {
			this.requireAccess(user, entityType, 'read');
			return { body: this.list(entityType, user, url, entry, req) };
		}
		if (parts.length === 1 && method === 'POST') return this.createViaApi(entityType, user, body, entry, req);
		if (parts.length === 2) {
			const record = this.store(entityType).get(parts[1]);
			if (method === 'GET') {
				noQuery();
				this.requireAccess(user, entityType, 'read');
				if (!record) throw new ApiError(404);
				if (!this.readable(user, entityType, record)) throw new ApiError(403, 'No read access.');
				return { body: this.view(entityType, record) };
			}
			if (method === 'PUT' || method === 'PATCH') {
				this.requireAccess(user, entityType, 'edit');
				if (!record) throw new ApiError(404);
				if (!body || typeof body !== 'object' || Array.isArray(body)) entry.violations.push('body must be an object of attributes');
				if (entry.violations.length) return {};
				this.checkAssignment(user, body);
				this.applyUpdate(entityType, record, body, { userId: user.id, violations: entry.violations });
				return { body: this.view(entityType, record) };
			}
			if (method === 'DELETE') {
				this.requireAccess(user, entityType, 'delete');
				if (!record) throw new ApiError(404);
				this.remove(entityType, record.id, user.id);
				return { body: true };
			}
		}
		throw new ApiError(404, `Unknown route ${method} ${resource}.`);
	}

	/**
	 * confirmed on EspoCRM 9.1.7: for a non-admin (every API user, even with User read "all") the
	 * User list holds only active regular and admin users; reading an inactive or API user by id is
	 * 403 "No 'read' access.". UNCONFIRMED against real EspoCRM: that portal users stay visible
	 * (the seeded instance has none; the provider lists them to tell customers' posts from agents').
	 */
	userVisible(viewer, user) {
		if (viewer.type === 'admin') return true;
		return user.isActive !== false && ['regular', 'admin', 'portal'].includes(user.type);
	}

	appUser(user) {
		const table = {};
		for (const scope of [...RECORD_ENTITIES, 'User', 'Webhook']) {
			table[scope] = Object.fromEntries(['create', 'read', 'edit', 'delete'].map((a) => [a, this.allows(user, scope, a) ? 'yes' : 'no']));
		}
		return {
			user: this.userView(user),
			acl: { table, massUpdatePermission: user.type === 'api' ? this.roles[user.role]?.massUpdate ?? 'no' : 'yes' },
			preferences: { timeZone: null, language: null },
			token: crypto.createHash('sha256').update(`${user.id}`).digest('hex').slice(0, 32),
		};
	}

	userView(user) {
		const { password, secretKey, apiKey, role, ...visible } = user;
		void password;
		void secretKey;
		void apiKey;
		void role;
		return { ...clone(visible), emailAddress: user.emailAddress ?? null };
	}

	/** `GET Metadata[?key=a.b.c]`; entity definitions of scopes the user may not read are left out. */
	metadataFor(user, key) {
		const tree = clone(this.metadata);
		for (const scope of Object.keys(tree.entityDefs)) if (!this.allows(user, scope, 'read')) delete tree.entityDefs[scope];
		if (key === undefined) return tree;
		let node = tree;
		for (const part of String(key).split('.')) {
			if (node === null || typeof node !== 'object' || !(part in node)) return null;
			node = node[part];
		}
		return node;
	}

	// ------------------------------------------------------------------ lists

	/** The list parameters of a GET: `searchParams` JSON, or separate parameters ([search], [spec]). */
	searchParamsOf(url, entry) {
		const query = entry.query;
		for (const key of Object.keys(query)) {
			const base = key.replace(/\[.*$/, '');
			if (!schemas.LIST_QUERY.includes(base)) entry.violations.push(`query parameter ${key} is not a list parameter`);
		}
		let params;
		if (query.searchParams !== undefined) {
			if (Object.keys(query).length > 1) entry.violations.push('searchParams replaces the other list parameters; do not mix them');
			try {
				params = JSON.parse(query.searchParams);
			} catch {
				throw new ApiError(400, 'Invalid search params JSON.');
			}
			entry.search = params;
			const problems = validate(schemas.searchParamsSchema, params, 'searchParams');
			entry.violations.push(...problems);
		} else {
			const parsed = parseBracketQuery(url.searchParams);
			params = {
				where: parsed.whereGroup ?? parsed.where,
				select: (parsed.attributeSelect ?? parsed.select)?.split(','),
				orderBy: parsed.orderBy,
				order: parsed.order,
				maxSize: parsed.maxSize === undefined ? undefined : Number(parsed.maxSize),
				offset: parsed.offset === undefined ? undefined : Number(parsed.offset),
				textFilter: parsed.textFilter ?? parsed.q,
				primaryFilter: parsed.primaryFilter,
			};
			entry.search = params;
		}
		const where = params.whereGroup ?? params.where;
		if (where !== undefined && where !== null) checkWhere(where, 'where', entry.violations);
		return { ...params, where: where || [], select: params.attributeSelect ?? params.select };
	}

	list(entityType, user, url, entry, req) {
		const params = this.searchParamsOf(url, entry);
		if (entry.violations.length) return {};
		const attributeOk = (a) => a === 'id' || !!this.attributeSpec(entityType, a);
		const checkAttribute = (a, where) => {
			if (!attributeOk(a)) {
				entry.violations.push(`${where} "${a}" is not an attribute of ${entityType}`);
				throw new ApiError(400, `Not existing attribute '${a}' in ${where}.`);
			}
		};
		const walk = (items) => items.forEach((i) => (GROUP_TYPES.includes(i.type) ? walk(i.value) : checkAttribute(i.attribute, 'where')));
		walk(params.where);
		for (const a of params.select || []) checkAttribute(a, 'select');
		if (params.orderBy) checkAttribute(params.orderBy, 'orderBy');
		const maxSize = params.maxSize ?? MAX_SIZE;
		if (maxSize > MAX_SIZE) {
			entry.violations.push(`maxSize ${maxSize} exceeds ${MAX_SIZE}`);
			throw new ApiError(403, `Max size should not exceed ${MAX_SIZE}. Use offset and limit.`);
		}
		const offset = params.offset ?? 0;
		const visibleBefore = this.now() - this.readLagMs;
		const source =
			entityType === 'User'
				? [...this.users.values()].filter((u) => this.userVisible(user, u)).map((u) => this.userView(u))
				: [...this.store(entityType).values()]
						.filter((r) => this.readable(user, entityType, r) && (!this.readLagMs || toMs(r.createdAt) <= visibleBefore))
						.map((r) => this.view(entityType, r));
		const primary = params.primaryFilter ? this.primaryFilter(entityType, params.primaryFilter) : () => true;
		let matched = source.filter((record) => primary(record) && params.where.every((item) => this.matches(entityType, record, item)));
		if (params.textFilter) {
			const needle = String(params.textFilter).replace(/\*/g, '').toLowerCase();
			matched = matched.filter((r) => ['name', 'emailAddress', 'accountName'].some((a) => String(r[a] ?? '').toLowerCase().includes(needle)));
		}
		const direction = String(params.order || 'asc').toLowerCase() === 'desc' ? -1 : 1;
		const orderBy = params.orderBy || 'createdAt';
		matched.sort((a, b) => direction * (compareSort(a[orderBy], b[orderBy]) || compareSort(a.id, b.id)));
		// confirmed on EspoCRM 9.1.7: a list never returns emailAddressData / phoneNumberData, even when selected (a read by id does).
		const listed = matched.map(({ emailAddressData, phoneNumberData, ...rest }) => (void emailAddressData, void phoneNumberData, rest));
		const page = listed.slice(offset, offset + maxSize).map((r) => (params.select ? pick(r, ['id', ...params.select]) : r));
		const noTotalHeader = req.headers['x-no-total'];
		if (noTotalHeader !== undefined && !['true', 'false'].includes(String(noTotalHeader))) entry.violations.push('X-No-Total must be "true" or "false"');
		const noTotal = String(noTotalHeader || '') === 'true';
		return { list: page, total: noTotal ? (offset + page.length < matched.length ? -1 : -2) : matched.length };
	}

	/**
	 * EspoCRM's primary filters the sandbox knows ([spec] `primaryFilter` enums; meanings from the
	 * select classes under Modules/Crm/Classes/Select, e.g. Task/PrimaryFilters/Overdue.php): not-actual statuses from the
	 * metadata, won/lost stages by probability 100/0; a Deferred task still counts as overdue.
	 */
	primaryFilter(entityType, name) {
		const defs = (field) => this.fieldDefs(entityType, field) || {};
		const notActual = (field) => defs(field).notActualOptions || [];
		const probability = (stage) => (defs('stage').probabilityMap || {})[stage];
		const now = fmt(this.now());
		const filters = {
			Task: {
				actual: (r) => !notActual('status').includes(r.status),
				completed: (r) => r.status === 'Completed',
				deferred: (r) => r.status === 'Deferred',
				overdue: (r) => !isBlank(r.dateEnd) && r.dateEnd < now && !notActual('status').filter((s) => s !== 'Deferred').includes(r.status),
			},
			Opportunity: {
				open: (r) => probability(r.stage) !== 100 && probability(r.stage) !== 0,
				won: (r) => probability(r.stage) === 100,
				lost: (r) => probability(r.stage) === 0,
			},
			Case: { open: (r) => !notActual('status').includes(r.status), closed: (r) => r.status === 'Closed' },
			Lead: { actual: (r) => !notActual('status').includes(r.status), converted: (r) => r.status === 'Converted' },
		};
		const filter = (filters[entityType] || {})[name];
		if (!filter) throw new ApiError(400, `Sandbox: primary filter '${name}' is not implemented for ${entityType}.`);
		return filter;
	}

	/** One where item against a record (as the API shows it). */
	matches(entityType, record, item) {
		const { type, attribute, value } = item;
		switch (type) {
			case 'and':
				return (value || []).every((i) => this.matches(entityType, record, i));
			case 'or':
				return (value || []).some((i) => this.matches(entityType, record, i));
			case 'not':
				return !(value || []).every((i) => this.matches(entityType, record, i));
			default:
				break;
		}
		const values = attribute === 'emailAddress' && Array.isArray(record.emailAddressData)
			? record.emailAddressData.map((d) => d.emailAddress)
			: [record[attribute]];
		const present = values.filter((v) => !isBlank(v));
		const any = (fn) => present.some(fn);
		const eq = (a, b) => compareValue(a, b) === 0;
		const like = (v, pattern) => new RegExp(`^${String(pattern).split('%').map(escapeRegExp).join('.*')}$`, 'i').test(String(v));
		switch (type) {
			case 'equals':
			case 'on':
				return any((v) => eq(v, value));
			case 'notEquals':
			case 'notOn':
				return present.length > 0 && !any((v) => eq(v, value));
			case 'in':
				return any((v) => (value || []).some((x) => eq(v, x)));
			case 'notIn':
				return present.length > 0 && !any((v) => (value || []).some((x) => eq(v, x)));
			case 'greaterThan':
			case 'after':
				return any((v) => compareValue(v, value) > 0);
			case 'lessThan':
			case 'before':
				return any((v) => compareValue(v, value) < 0);
			case 'greaterThanOrEquals':
				return any((v) => compareValue(v, value) >= 0);
			case 'lessThanOrEquals':
				return any((v) => compareValue(v, value) <= 0);
			case 'between':
				return any((v) => compareValue(v, value[0]) >= 0 && compareValue(v, value[1]) <= 0);
			case 'isNull':
				return present.length === 0 || (Array.isArray(record[attribute]) && record[attribute].length === 0);
			case 'isNotNull':
				return present.length > 0 && !(Array.isArray(record[attribute]) && record[attribute].length === 0);
			case 'isTrue':
				return record[attribute] === true;
			case 'isFalse':
				return record[attribute] === false;
			case 'contains':
				return any((v) => String(v).toLowerCase().includes(String(value).toLowerCase()));
			case 'notContains':
				return !any((v) => String(v).toLowerCase().includes(String(value).toLowerCase()));
			case 'startsWith':
				return any((v) => String(v).toLowerCase().startsWith(String(value).toLowerCase()));
			case 'endsWith':
				return any((v) => String(v).toLowerCase().endsWith(String(value).toLowerCase()));
			case 'like':
				return any((v) => like(v, value));
			case 'notLike':
				return !any((v) => like(v, value));
			case 'linkedWith':
				return (record[attribute] || []).some((id) => (value || []).includes(id));
			case 'isLinked':
				return (record[attribute] || []).length > 0;
			case 'isNotLinked':
				return (record[attribute] || []).length === 0;
			default:
				throw new ApiError(400, `Sandbox: where type "${type}" is not implemented.`);
		}
	}

	// ------------------------------------------------------------------ endpoints

	createViaApi(entityType, user, body, entry, req) {
		this.requireAccess(user, entityType, 'create');
		if (!body || typeof body !== 'object' || Array.isArray(body)) entry.violations.push('body must be an object of attributes');
		const skipHeader = req.headers['x-skip-duplicate-check'];
		if (skipHeader !== undefined && !['true', 'false'].includes(String(skipHeader))) entry.violations.push('X-Skip-Duplicate-Check must be "true" or "false"');
		if (entry.violations.length) return {};
		if (entityType === 'Email') return this.createEmail(user, body, entry);
		const checked = this.checkInput(entityType, body, 'create', entry.violations);
		if (entry.violations.length) return {};
		this.checkAssignment(user, checked);
		if (String(skipHeader) !== 'true') this.duplicateCheck(entityType, checked);
		const record = this.insert(entityType, checked, { userId: user.id, skipChecks: true });
		const answer = this.view(entityType, record);
		// confirmed on EspoCRM 9.1.7: the create answer has no Case `number` (set by the database); a read has it.
		if (entityType === 'Case') delete answer.number;
		return { body: answer };
	}

	/** Possible duplicates: leads/contacts with the same email address, accounts with the same name. */
	duplicateCheck(entityType, input, exceptId) {
		let duplicates = [];
		if (['Lead', 'Contact'].includes(entityType) && !isBlank(input.emailAddress)) {
			const lower = String(input.emailAddress).toLowerCase();
			duplicates = [...this.store(entityType).values()].filter((r) => r.id !== exceptId && (r.emailAddressData || []).some((d) => d.lower === lower));
		}
		if (entityType === 'Account' && !isBlank(input.name)) {
			duplicates = [...this.store('Account').values()].filter((r) => r.id !== exceptId && String(r.name).toLowerCase() === String(input.name).toLowerCase());
		}
		if (duplicates.length) {
			throw new ApiError(409, 'duplicate', duplicates.map((r) => pick(this.view(entityType, r), ['id', 'name', 'emailAddress', 'createdAt'])));
		}
	}

	/** `POST Email`: Archived is stored; Sending goes through "SMTP" and becomes Sent. */
	createEmail(user, body, entry) {
		const checked = this.checkInput('Email', body, 'create', entry.violations);
		if (entry.violations.length) return {};
		const to = String(checked.to).split(';').map((t) => t.trim()).filter(Boolean);
		if (to.some((t) => !EMAIL_RE.test(t)) || !EMAIL_RE.test(String(checked.from))) throw validationError('Email', to.some((t) => !EMAIL_RE.test(t)) ? 'to' : 'from', 'valid');
		const status = checked.status ?? 'Archived';
		if (!['Archived', 'Sending', 'Draft'].includes(status)) throw new ApiError(400, `Status "${status}" cannot be set on create.`);
		// confirmed on EspoCRM 9.1.7: every email (Archived too) needs a From address the user may use:
		// a group email account's address (since 9.1 also for the system outbound address) or their own.
		// Otherwise 403 "Not allowed 'from' address.". UNCONFIRMED against real EspoCRM: personal email accounts.
		const fromLower = String(checked.from).toLowerCase();
		const allowedFrom = [...(this.settings.groupEmailAddresses || []), user.emailAddress].filter(Boolean).map((a) => String(a).toLowerCase());
		if (!allowedFrom.includes(fromLower)) throw new ApiError(403, "Not allowed 'from' address.");
		const record = this.insert('Email', { ...checked, status: status === 'Sending' ? 'Draft' : status }, { userId: user.id, skipChecks: true });
		if (status !== 'Sending') return { body: this.view('Email', record) };
		const from = String(checked.from).toLowerCase();
		const system = from === String(this.settings.outboundEmailFromAddress).toLowerCase();
		const group = (this.settings.groupEmailAddresses || []).map((a) => a.toLowerCase()).includes(from);
		if (!group && !(system && this.settings.outboundEmailIsShared)) {
			throw new ApiError(500, system ? 'Can not use system SMTP. System SMTP is not shared.' : `No SMTP params for ${from}.`);
		}
		if (this.smtpFailure) {
			const message = this.smtpFailure;
			this.smtpFailure = undefined;
			throw new ApiError(500, 'sendingFail', { id: record.id, message });
		}
		record.status = 'Sent';
		record.dateSent = fmt(this.now());
		record.messageId = `<${record.id}@espocrm-sandbox>`;
		record.sentById = user.id;
		this.sentEmails.push({
			id: record.id,
			messageId: record.messageId,
			from: checked.from,
			to,
			cc: isBlank(checked.cc) ? [] : String(checked.cc).split(';').filter(Boolean),
			subject: checked.subject ?? checked.name,
			body: checked.body ?? '',
			isHtml: checked.isHtml !== false,
			parentType: checked.parentType ?? null,
			parentId: checked.parentId ?? null,
			sentAt: record.dateSent,
		});
		if (record.parentType && record.parentId) {
			this.addNote({ type: 'EmailSent', parentType: record.parentType, parentId: record.parentId, relatedType: 'Email', relatedId: record.id, data: { emailId: record.id, emailName: record.name } }, user.id);
		}
		return { body: this.view('Email', record) };
	}

	streamOf(entityType, id, user, entry) {
		for (const key of Object.keys(entry.query)) if (!['offset', 'maxSize'].includes(key)) entry.violations.push(`query parameter ${key} is not documented for the stream`);
		const offset = entry.query.offset === undefined ? 0 : Number(entry.query.offset);
		const maxSize = entry.query.maxSize === undefined ? 20 : Number(entry.query.maxSize);
		if (!Number.isInteger(offset) || offset < 0) entry.violations.push('offset must be a non-negative integer');
		if (!Number.isInteger(maxSize) || maxSize < 0) entry.violations.push('maxSize must be a non-negative integer');
		if (entry.violations.length) return {};
		if (maxSize > MAX_SIZE) {
			entry.violations.push(`maxSize ${maxSize} exceeds ${MAX_SIZE}`);
			throw new ApiError(403, `Max size should not exceed ${MAX_SIZE}. Use offset and limit.`);
		}
		this.requireAccess(user, entityType, 'read');
		const record = this.store(entityType).get(id);
		if (!record) throw new ApiError(404);
		if (!this.readable(user, entityType, record)) throw new ApiError(403, 'No read access.');
		const notes = [...this.notes.values()].filter((n) => n.parentType === entityType && n.parentId === id).sort((a, b) => b.number - a.number);
		return { body: { list: notes.slice(offset, offset + maxSize).map((n) => this.noteView(n)), total: notes.length } };
	}

	createNote(user, body, entry) {
		entry.violations.push(...validate(BODIES.note, body, 'body'));
		if (entry.violations.length) return {};
		const parent = this.records.get(body.parentType)?.get(body.parentId);
		if (!parent) throw new ApiError(404);
		if (!this.allows(user, body.parentType, 'read')) throw new ApiError(403, 'No read access.');
		if (isBlank(body.post) && !(body.attachmentsIds || []).length) throw validationError('Note', 'post', 'required');
		const note = this.addNote({ type: 'Post', parentType: body.parentType, parentId: body.parentId, post: body.post ?? null, isInternal: body.isInternal === true }, user.id);
		return { body: this.noteView(note) };
	}

	massAction(user, body, entry) {
		entry.violations.push(...validate(BODIES.massAction, body, 'body'));
		if (body && body.params && !Array.isArray(body.params.ids)) entry.violations.push('body.params.ids: the sandbox supports mass update by ids');
		if (entry.violations.length) return {};
		const entityType = body.entityType;
		if (!RECORD_ENTITIES.includes(entityType)) throw new ApiError(404);
		if (!this.allows(user, entityType, 'edit')) throw new ApiError(403, `No edit access for '${entityType}'.`);
		const permission = user.type === 'api' ? this.roles[user.role]?.massUpdate : 'yes';
		if (permission !== 'yes') throw new ApiError(403, 'No mass-update permission.');
		const values = body.data.values;
		const problems = [];
		try {
			this.checkInput(entityType, values, 'update', problems);
		} catch (error) {
			// Every record fails the same validation: EspoCRM skips them all (Tools/MassUpdate/Processor.php).
			if (error instanceof ApiError && error.status === 400) return { body: { count: 0, ids: [] } };
			throw error;
		}
		if (problems.length) {
			entry.violations.push(...problems.map((p) => p.replace(/^body\./, 'body.data.values.')));
			return {};
		}
		const ids = [];
		for (const id of body.params.ids) {
			const record = this.store(entityType).get(id);
			if (!record || !this.readable(user, entityType, record)) continue;
			try {
				this.checkAssignment(user, values);
				this.applyUpdate(entityType, record, values, { userId: user.id });
				ids.push(id);
			} catch {
				// EspoCRM skips records that fail validation or access checks.
			}
		}
		return { body: { count: ids.length, ids } };
	}

	leadAction(user, action, body, entry) {
		if (action === 'getConvertAttributes') {
			entry.violations.push(...validate(BODIES.getConvertAttributes, body, 'body'));
			if (entry.violations.length) return {};
			this.requireAccess(user, 'Lead', 'read');
			const lead = this.store('Lead').get(body.id);
			if (!lead) throw new ApiError(404);
			return { body: this.convertValues(user, this.view('Lead', lead)) };
		}
		if (action === 'convert') {
			entry.violations.push(...validate(BODIES.convert, body, 'body'));
			if (entry.violations.length) return {};
			this.requireAccess(user, 'Lead', 'edit');
			const lead = this.store('Lead').get(body.id);
			if (!lead) throw new ApiError(404);
			return { body: this.convertLead(user, lead, body.records || {}, body.skipDuplicateCheck === true, entry) };
		}
		throw new ApiError(404, `Unknown action Lead/action/${action}.`);
	}

	/** What EspoCRM pre-fills from a lead (same-named fields, plus Lead.convertFields). */
	convertValues(user, lead) {
		const out = {};
		const mapping = this.metadata.entityDefs.Lead.convertFields;
		for (const entityType of this.metadata.entityDefs.Lead.convertEntityList) {
			if (!this.allows(user, entityType, 'create')) continue;
			const values = {};
			for (const attribute of Object.keys(ATTRIBUTES[entityType])) {
				const spec = ATTRIBUTES[entityType][attribute];
				if (spec.ro || !(attribute in lead) || ['id', 'createdAt', 'modifiedAt', 'emailAddressData', 'phoneNumberData'].includes(attribute)) continue;
				if (ATTRIBUTES.Lead[attribute] && !ATTRIBUTES.Lead[attribute].ro && !isBlank(lead[attribute])) values[attribute] = lead[attribute];
			}
			for (const [target, source] of Object.entries(mapping[entityType] || {})) if (!isBlank(lead[source])) values[target] = lead[source];
			if (entityType === 'Opportunity' && !isBlank(lead.opportunityAmountCurrency)) values.amountCurrency = lead.opportunityAmountCurrency;
			delete values.status;
			out[entityType] = values;
		}
		return out;
	}

	convertLead(user, lead, records, skipDuplicateCheck, entry) {
		const problems = [];
		const prepared = {};
		for (const entityType of ['Account', 'Contact', 'Opportunity']) {
			if (!records[entityType]) continue;
			if (!this.allows(user, entityType, 'create')) throw new ApiError(403, `No 'create' access for ${entityType}.`);
			prepared[entityType] = this.checkInput(entityType, records[entityType], 'create', problems);
		}
		if (problems.length) {
			entry.violations.push(...problems.map((p) => p.replace(/^body\./, 'body.records.')));
			return {};
		}
		if (!skipDuplicateCheck && prepared.Contact) this.duplicateCheck('Contact', prepared.Contact);
		const account = prepared.Account ? this.insert('Account', prepared.Account, { userId: user.id, skipChecks: true }) : undefined;
		const contact = prepared.Contact ? this.insert('Contact', { ...prepared.Contact, ...(account ? { accountId: account.id } : {}) }, { userId: user.id, skipChecks: true }) : undefined;
		const opportunity = prepared.Opportunity
			? this.insert('Opportunity', { ...prepared.Opportunity, ...(account ? { accountId: account.id } : {}), ...(contact ? { contactId: contact.id, contactsIds: [contact.id] } : {}) }, { userId: user.id, skipChecks: true })
			: undefined;
		this.applyUpdate(
			'Lead',
			lead,
			{ status: 'Converted', ...(account ? { createdAccountId: account.id } : {}), ...(contact ? { createdContactId: contact.id } : {}), ...(opportunity ? { createdOpportunityId: opportunity.id } : {}) },
			{ userId: user.id, skipChecks: true },
		);
		return this.view('Lead', lead);
	}

	webhookRoute(method, parts, user, body, entry) {
		if (user.type === 'api' && !this.allows(user, 'Webhook', 'create')) throw new ApiError(403, "No access to 'Webhook'.");
		const own = (w) => user.type === 'admin' || w.userId === user.id;
		if (method === 'POST' && parts.length === 1) {
			entry.violations.push(...validate(BODIES.webhook, body, 'body'));
			if (entry.violations.length) return {};
			const match = WEBHOOK_EVENT.exec(body.event);
			if (!match) throw validationError('Webhook', 'event', 'valid');
			if (!RECORD_ENTITIES.includes(match[1]) || !this.allows(user, match[1], 'read')) throw new ApiError(403, `No access to '${match[1]}'.`);
			if (!/^https?:\/\//i.test(body.url)) throw validationError('Webhook', 'url', 'valid');
			if ([...this.webhooks.values()].filter((w) => w.userId === user.id).length >= this.webhookConfig.maxCountPerUser) {
				throw new ApiError(403, 'Webhook max count exceeded.');
			}
			const now = fmt(this.now());
			const [entityType, kind] = [match[1], match[2]];
			const webhook = {
				id: this.nextId(),
				event: body.event,
				url: body.url,
				isActive: true,
				userId: user.id,
				userName: user.name,
				entityType,
				type: kind.startsWith('fieldUpdate') ? 'fieldUpdate' : kind,
				field: kind.startsWith('fieldUpdate.') ? kind.slice('fieldUpdate.'.length) : null,
				secretKey: crypto.randomBytes(16).toString('hex'),
				skipOwn: body.skipOwn === true,
				createdAt: now,
				modifiedAt: now,
			};
			this.webhooks.set(webhook.id, webhook);
			// confirmed on EspoCRM 9.1.7: 201 Created.
			return { status: 201, body: clone(webhook) };
		}
		if (method === 'GET' && parts.length === 1) {
			const list = [...this.webhooks.values()].filter(own).map((w) => clone(w));
			return { body: { list, total: list.length } };
		}
		const webhook = this.webhooks.get(parts[1]);
		if (method === 'GET' && parts.length === 2) {
			if (!webhook) throw new ApiError(404);
			if (!own(webhook)) throw new ApiError(403, 'No read access.');
			return { body: clone(webhook) };
		}
		if (method === 'DELETE' && parts.length === 2) {
			if (!webhook) throw new ApiError(404);
			if (!own(webhook)) throw new ApiError(403, 'No delete access.');
			this.webhooks.delete(webhook.id);
			this.webhookQueue = this.webhookQueue.filter((i) => !(i.webhookId === webhook.id && i.status === 'Pending'));
			return { body: true };
		}
		throw new ApiError(404);
	}

	// ------------------------------------------------------------------ control

	async control(req, res, url, raw) {
		const json = (status, body) => {
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		let body = {};
		try {
			body = raw.trim() ? JSON.parse(raw) : {};
		} catch {
			return json(400, { error: 'bad JSON' });
		}
		const route = `${req.method} ${url.pathname}`;
		if (route === 'POST /__sandbox/reset') {
			this.reset();
			if (body.demoData) seedDemoData(this);
			return json(200, { ok: true });
		}
		if (route === 'POST /__sandbox/demo-data') return json(200, seedDemoData(this));
		if (route === 'POST /__sandbox/example-process') {
			useExampleProcess(this);
			return json(200, { ok: true });
		}
		if (route === 'POST /__sandbox/fault') {
			this.fault(body);
			return json(200, { ok: true });
		}
		if (route === 'POST /__sandbox/webhooks/process') return json(200, { sent: await this.processWebhookQueue() });
		if (route === 'POST /__sandbox/clock') {
			const base = body.now !== undefined ? toMs(body.now) : this.now();
			const target = base + Number(body.advanceMs || 0);
			this.setClock(() => target);
			return json(200, { now: fmt(target) });
		}
		if (route === 'GET /__sandbox/requests') return json(200, this.requests.map(({ method, path, query, body: b, status, at, violations }) => ({ method, path, query, body: b, status, at, violations })));
		if (route === 'GET /__sandbox/emails') return json(200, this.sentEmails);
		return json(404, { error: `unknown control route ${route}` });
	}
}

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text compares case-insensitively (MySQL's default collation); numbers and datetimes by value. */
function compareValue(a, b) {
	if (typeof a === 'number' && (typeof b === 'number' || (typeof b === 'string' && b.trim() !== '' && Number.isFinite(Number(b))))) return a - Number(b);
	if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b) ? 0 : 1;
	const x = String(a).toLowerCase();
	const y = String(b).toLowerCase();
	return x < y ? -1 : x > y ? 1 : 0;
}

/** Sort order: NULL first (MySQL ascending), then by value. */
function compareSort(a, b) {
	if (isBlank(a) || isBlank(b)) return isBlank(a) === isBlank(b) ? 0 : isBlank(a) ? -1 : 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function pick(record, attributes) {
	const out = {};
	for (const a of attributes) if (a in record) out[a] = record[a];
	return out;
}

// demo-data requires the class's public API only; required late to keep the module graph flat.
const { seedDemoData } = require('./demo-data');

/** Starts a sandbox on `options.port` (0 = random) and resolves once it listens. */
async function startEspoCrmServer(options = {}) {
	const sandbox = new FakeEspoCrm(options);
	return sandbox.listen(options.port || 0);
}

module.exports = { startEspoCrmServer, FakeEspoCrm, ApiError, seedDemoData, useExampleProcess, phpJson, fmt, toMs };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name, fallback) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : fallback;
	};
	startEspoCrmServer({
		port: Number(arg('port', process.env.PORT || 8789)),
		host: arg('host', '127.0.0.1'),
		requestLog: arg('log', undefined),
		...(arg('latency-ms', undefined) ? { latencyMs: Number(arg('latency-ms')) } : {}),
		webhookIntervalMs: Number(arg('webhook-interval-ms', 5000)),
	}).then((sandbox) => {
		if (args.includes('--example-process')) useExampleProcess(sandbox);
		if (args.includes('--demo-data')) seedDemoData(sandbox);
		console.log(
			`EspoCRM sandbox listening on ${sandbox.baseUrl} (site URL for the credential; X-Api-Key test-api-key, HMAC test-hmac-key/test-hmac-secret, admin/sandbox-admin-password)`,
		);
		const stop = () => sandbox.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
