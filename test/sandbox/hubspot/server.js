'use strict';
/**
 * A stateful local HubSpot CRM API sandbox for tests and demos. Speaks the subset of the API
 * the package's HubSpot provider uses, and checks every request against the request schemas in
 * ./schemas.js (written from HubSpot's docs). Schema violations are answered with 400 and
 * recorded in `violations`, so tests can assert that the package only sends documented requests.
 *
 *   node test/sandbox/hubspot/server.js [--port 3000] [--token test-token] [--log requests.jsonl]
 *       [--demo-data] [--rate-limit 100] [--latency-ms 50]
 *
 * Control endpoints (no auth; for tests and demos, not part of HubSpot's API):
 *   POST /__sandbox/reset          {"seed": true, "demoData": false}   clear the store
 *   POST /__sandbox/demo-data                                          add the demo dataset
 *   POST /__sandbox/fault          {"method","pathPrefix","status","body","headers","times","delayMs","drop"}
 *   GET  /__sandbox/requests                                           the request log so far
 *
 * Conformance: test/sdk/hubspot-sdk.test.ts calls every endpoint the provider uses through HubSpot's
 * official SDK (@hubspot/api-client) and checks each answer against the SDK's model declarations.
 * Nothing here has been checked against a real portal: behaviour the docs state cites them;
 * behaviour that is only our belief is marked UNCONFIRMED or "unverified" (grep for both).
 *
 * UNCONFIRMED choices where HubSpot's behaviour is not documented:
 * - ids: one counter for all object types (numeric strings from 1000), so ids never collide
 *   across types;
 * - datetime properties are stored and returned as ISO-8601 strings (input: ISO or epoch ms),
 *   including `hs_date_entered_{stageId}` and `hs_v2_date_entered_current_stage` on deals;
 * - search: NEQ / NOT_IN / NOT_CONTAINS_TOKEN match records without a value; string compares
 *   are case-insensitive; `after` is the numeric offset;
 * - write responses carry all stored properties of the record.
 */
const crypto = require('crypto');
const fs = require('fs');
const { URL } = require('url');

const schemas = require('./schemas');
const { SandboxServer } = require('../sandboxServer');
const { defaultSeed, emptySeed } = require('./seed');
const { seedDemoData } = require('./demo-data');

const {
	matchEndpoint,
	checkRequest,
	canonicalObjectType,
	propertyDefinition,
	defaultProperties,
	timestampProperties,
	SEARCHABLE,
	ASSOCIATION_TYPES,
	REVERSE_TYPE,
	associationTarget,
	SEARCH_LIMITS,
} = schemas;

const SINGULAR = {
	contacts: 'contact',
	companies: 'company',
	deals: 'deal',
	tickets: 'ticket',
	tasks: 'task',
	notes: 'note',
	emails: 'email',
	communications: 'communication',
	leads: 'lead',
};

/** HubSpot's 401 text for a missing or unknown token (research §8, wording unverified). */
const AUTH_MESSAGE =
	'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/**
 * Required-on-create properties per object type (guides; research §1/§3). Deals: the v3 deals
 * guide says a create "should include" dealname and dealstage (not "must"), so a deal without a
 * stage is accepted and keeps no stage (what HubSpot then does is unverified).
 */
const REQUIRED_ON_CREATE = {
	tickets: ['hs_pipeline_stage'],
	leads: ['hs_lead_name'],
	tasks: ['hs_timestamp'],
	notes: ['hs_timestamp'],
	emails: ['hs_timestamp'],
	communications: ['hs_timestamp', 'hs_communication_channel_type', 'hs_communication_logged_from'],
};

/** Pipeline/stage property names of object types with pipelines. */
const PIPELINE_PROPS = {
	deals: { pipeline: 'pipeline', stage: 'dealstage', defaultPipeline: 'default' },
	tickets: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage', defaultPipeline: '0' },
	leads: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage', defaultPipeline: 'lead-pipeline-id', defaultStage: 'new-stage-id' },
};

class ApiError extends Error {
	constructor(status, category, message, extra = {}) {
		super(message);
		this.status = status;
		this.category = category;
		this.extra = extra;
	}
}

/** A 400 VALIDATION_ERROR in HubSpot's "Property values were not valid" shape. */
function propertyError(details) {
	const summary = details.map((d) => ({ isValid: false, message: d.message, error: d.code, name: d.name }));
	return new ApiError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(summary)}`, {
		errors: details.map((d) => ({ message: d.message, code: d.code, context: { propertyName: [d.name] } })),
	});
}

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const isBlank = (v) => v === undefined || v === null || v === '';
const numericId = (id) => (/^\d+$/.test(String(id)) ? Number(id) : Number.POSITIVE_INFINITY);
const byId = (a, b) => numericId(a.id) - numericId(b.id) || String(a.id).localeCompare(String(b.id));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Epoch ms of an ISO date / epoch-ms string, or NaN. */
function toMs(value) {
	const text = String(value).trim();
	if (/^-?\d+$/.test(text)) return Number(text);
	return Date.parse(text);
}
const isNumeric = (v) => typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class FakeHubSpot extends SandboxServer {
	constructor(options = {}) {
		super(options);
		this.options = options;
		this.token = options.token || 'test-token';
		this.requests = [];
		this.violations = [];
		this.sentEmails = [];
		this.customProperties = {};
		this.reset(options.seed !== false);
	}

	// ------------------------------------------------------------------ public API

	/** Clears records, requests, violations, faults and sent emails; reseeds unless `seed` is false. */
	reset(seed = true) {
		const data = seed ? defaultSeed() : emptySeed();
		this.account = data.account;
		this.owners = data.owners;
		this.pipelines = data.pipelines;
		this.enumerations = data.enumerations;
		this.objects = new Map(schemas.OBJECT_TYPES.map((t) => [t, new Map()]));
		this.links = new Map();
		this.nextId = 1000;
		this.requests.length = 0;
		this.violations.length = 0;
		this.sentEmails.length = 0;
		this.faults.length = 0;
		this.sends = new Map();
		this.windows = new Map();
		this.customProperties = {};
		this.requestHook = undefined;
		this.searchLagMs = 0;
	}

	/** Search shows a write only `ms` after it happened (0: at once). */
	setSearchLag(ms) {
		this.searchLagMs = ms;
	}

	/** Adds a custom property (string) to an object type, e.g. for tests that write custom properties. */
	defineProperty(objectType, name, definition = {}) {
		const type = this.objectType(objectType);
		this.customProperties[type] = { ...(this.customProperties[type] || {}), [name]: { type: 'string', ...definition } };
	}

	/**
	 * Inserts a record directly (no HTTP, not recorded). Applies the same property rules as the
	 * API (unknown/read-only properties, options, pipeline stages) and throws on invalid input;
	 * leads may be inserted without a contact association.
	 */
	/** Direct store update with HubSpot's rules (history, derived properties); returns the object. */
	updateObject(objectType, id, properties) {
		const type = this.objectType(objectType);
		const existing = this.store(type).get(String(id));
		if (!existing) throw new Error(`updateObject: ${type} ${id} does not exist`);
		const plan = this.planWrite(type, properties, { mode: 'update', existing });
		this.applyPlan(plan);
		return existing;
	}

	createObject(objectType, properties, options = {}) {
		const type = this.objectType(objectType);
		for (const [name, value] of Object.entries(properties)) {
			if (typeof value !== 'string') throw new TypeError(`createObject: property ${name} must be a string`);
		}
		if (options.id !== undefined && this.store(type).has(String(options.id))) throw new Error(`createObject: ${type} ${options.id} exists`);
		const associations = (options.associations || []).map((a) => ({
			toType: this.objectType(a.toType),
			toId: String(a.toId),
			typeId: a.typeId,
		}));
		for (const a of associations) {
			if (!this.store(a.toType).has(a.toId)) throw new Error(`createObject: ${a.toType} ${a.toId} does not exist`);
		}
		let plan;
		try {
			plan = this.planWrite(type, properties, { mode: 'create', skipLeadContactRule: true });
		} catch (error) {
			throw new Error(`createObject(${type}): ${error.message}`);
		}
		plan.links = associations;
		return this.applyPlan(plan, { id: options.id, createdAt: options.createdAt });
	}

	getObject(objectType, id) {
		return this.store(this.objectType(objectType)).get(String(id));
	}

	listObjects(objectType) {
		return [...this.store(this.objectType(objectType)).values()].sort(byId);
	}

	associations(fromType, fromId, toType) {
		const to = this.linksOf(this.objectType(fromType), String(fromId)).get(this.objectType(toType));
		return to ? [...to.keys()].sort((a, b) => numericId(a) - numericId(b)) : [];
	}

	// ------------------------------------------------------------------ store helpers

	objectType(name) {
		const type = canonicalObjectType(name);
		if (!type) throw new Error(`unknown object type ${name}`);
		return type;
	}

	store(type) {
		return this.objects.get(type);
	}

	linksOf(type, id) {
		const key = `${type}:${id}`;
		if (!this.links.has(key)) this.links.set(key, new Map());
		return this.links.get(key);
	}

	link(fromType, fromId, toType, toId, typeId) {
		const add = (aType, aId, bType, bId, t) => {
			const byType = this.linksOf(aType, aId);
			if (!byType.has(bType)) byType.set(bType, new Map());
			const ids = byType.get(bType);
			if (!ids.has(bId)) ids.set(bId, new Set());
			ids.get(bId).add(t);
		};
		add(fromType, fromId, toType, toId, typeId);
		add(toType, toId, fromType, fromId, REVERSE_TYPE[typeId] !== undefined ? REVERSE_TYPE[typeId] : typeId);
		this.touchLastActivity(fromType, fromId, toType, toId);
		this.touchLastActivity(toType, toId, fromType, fromId);
	}

	/** An activity associated with a deal moves the deal's "Last Activity Date" (notes_last_updated) to the activity's time. */
	touchLastActivity(activityType, activityId, recordType, recordId) {
		if (!['notes', 'tasks', 'emails', 'communications'].includes(activityType) || recordType !== 'deals') return;
		const activity = this.store(activityType).get(String(activityId));
		const record = this.store(recordType).get(String(recordId));
		if (!activity || !record) return;
		const at = Date.parse(activity.properties.hs_timestamp || activity.createdAt);
		const current = Date.parse(record.properties.notes_last_updated || '');
		if (Number.isFinite(at) && !(current >= at)) record.properties.notes_last_updated = new Date(at).toISOString();
	}

	unlinkAll(type, id) {
		for (const [toType, ids] of this.linksOf(type, id)) {
			for (const toId of ids.keys()) {
				const back = this.linksOf(toType, toId).get(type);
				if (back) back.delete(id);
			}
		}
		this.links.delete(`${type}:${id}`);
	}

	iso(ms = this.now()) {
		return new Date(ms).toISOString();
	}

	findByEmail(email) {
		const wanted = String(email).trim().toLowerCase();
		for (const contact of this.store('contacts').values()) if (contact.properties.email === wanted) return contact;
		return undefined;
	}

	/** The record addressed by id, or by a unique property (`idProperty`: email for contacts, hs_object_id). */
	lookup(type, id, idProperty) {
		if (!idProperty || idProperty === 'hs_object_id') return this.store(type).get(String(id));
		if (type === 'contacts' && idProperty === 'email') return this.findByEmail(id);
		throw new ApiError(400, 'VALIDATION_ERROR', `${idProperty} is not a unique identifier property of ${type}`);
	}

	enumOptions(type, name) {
		const def = (this.enumerations[type] || {})[name];
		return def ? def.options : [];
	}

	pipelineOf(type, pipelineId) {
		return (this.pipelines[type] || []).find((p) => p.id === pipelineId);
	}

	// ------------------------------------------------------------------ write rules

	/**
	 * Checks a write and returns a plan (nothing is changed). Throws ApiError for HubSpot-level
	 * errors: unknown / read-only properties, invalid options, dates, numbers, emails, missing
	 * required properties, stages outside the pipeline, bad associations, duplicate emails.
	 */
	planWrite(type, properties, { mode, existing, associations = [], claimedEmails, skipLeadContactRule }) {
		const details = [];
		const values = {};
		for (const [name, raw] of Object.entries(properties || {})) {
			const value = String(raw);
			const def = propertyDefinition(type, name, this.customProperties);
			if (!def) {
				details.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
				continue;
			}
			if (def.readOnly) {
				details.push({ name, code: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
				continue;
			}
			const normalized = this.normalizeValue(type, name, def, value, details);
			if (normalized !== undefined) values[name] = normalized;
		}
		const effective = { ...(existing ? existing.properties : {}), ...values };
		this.applyDefaults(type, mode, values, effective);
		this.checkRequired(type, mode, values, effective, details);
		this.checkPipeline(type, mode, values, effective, details);
		if (details.length) throw propertyError(details);

		if (type === 'contacts' && values.email) {
			const other = this.findByEmail(values.email);
			if ((other && (!existing || other.id !== existing.id)) || (claimedEmails && claimedEmails.has(values.email))) {
				throw new ApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${other ? other.id : 'in this batch'}`);
			}
			if (claimedEmails) claimedEmails.add(values.email);
		}
		const links = this.resolveAssociations(type, associations);
		if (type === 'leads' && mode === 'create' && !skipLeadContactRule && !links.some((l) => l.toType === 'contacts' && l.typeId === 578)) {
			throw new ApiError(
				400,
				'VALIDATION_ERROR',
				'A lead must be associated with an existing contact (associationTypeId 578, lead to primary contact).',
			);
		}
		return { type, mode, existing, values, effective, links };
	}

	normalizeValue(type, name, def, value, details) {
		if (value === '') return '';
		if (def.type === 'enumeration') {
			const options = this.enumOptions(type, name);
			if (options.length && !options.some((o) => o.value === value)) {
				details.push({
					name,
					code: 'INVALID_OPTION',
					message: `${value} was not one of the allowed options: ${options.map((o) => o.value).join(', ')}`,
				});
				return undefined;
			}
			return value;
		}
		if (def.type === 'datetime') {
			const ms = toMs(value);
			if (!Number.isFinite(ms)) {
				details.push({ name, code: 'INVALID_DATE', message: `${value} is not a valid date or epoch milliseconds for ${name}` });
				return undefined;
			}
			return new Date(ms).toISOString();
		}
		if (def.type === 'number' && !isNumeric(value)) {
			details.push({ name, code: 'INVALID_DECIMAL', message: `${value} is not a valid number for ${name}` });
			return undefined;
		}
		if (type === 'contacts' && name === 'email') {
			const email = value.trim().toLowerCase();
			if (!EMAIL_RE.test(email)) {
				details.push({ name, code: 'INVALID_EMAIL', message: `Email address ${value} is invalid` });
				return undefined;
			}
			return email;
		}
		return value;
	}

	applyDefaults(type, mode, values, effective) {
		if (mode !== 'create') return;
		const pp = PIPELINE_PROPS[type];
		if (pp && isBlank(effective[pp.pipeline])) values[pp.pipeline] = effective[pp.pipeline] = pp.defaultPipeline;
		if (pp && pp.defaultStage && isBlank(effective[pp.stage])) values[pp.stage] = effective[pp.stage] = pp.defaultStage;
		// HubSpot gives new tasks the status NOT_STARTED (unverified default).
		if (type === 'tasks' && isBlank(effective.hs_task_status)) values.hs_task_status = effective.hs_task_status = 'NOT_STARTED';
	}

	checkRequired(type, mode, values, effective, details) {
		for (const name of REQUIRED_ON_CREATE[type] || []) {
			if (details.some((d) => d.name === name)) continue; // already reported as invalid
			const missing = mode === 'create' ? isBlank(effective[name]) : values[name] === '';
			if (missing) details.push({ name, code: 'REQUIRED_PROPERTY', message: `Property "${name}" is required` });
		}
	}

	/** The stage must belong to the pipeline (deals: dealstage/pipeline; tickets, leads: hs_pipeline_stage/hs_pipeline). */
	checkPipeline(type, mode, values, effective, details) {
		const pp = PIPELINE_PROPS[type];
		if (!pp || (mode !== 'create' && values[pp.pipeline] === undefined && values[pp.stage] === undefined)) return;
		const pipelineId = effective[pp.pipeline] || pp.defaultPipeline;
		const pipeline = this.pipelineOf(type, pipelineId);
		if (!pipeline) {
			const known = (this.pipelines[type] || []).map((p) => p.id);
			details.push({ name: pp.pipeline, code: 'INVALID_OPTION', message: `${pipelineId} was not one of the allowed options: ${known.join(', ')}` });
			return;
		}
		const stageId = effective[pp.stage];
		if (isBlank(stageId)) return; // reported by checkRequired when required
		if (!pipeline.stages.some((s) => s.id === stageId)) {
			details.push({
				name: pp.stage,
				code: 'INVALID_OPTION',
				message: `${stageId} was not one of the allowed options for pipeline ${pipelineId}: ${pipeline.stages.map((s) => s.id).join(', ')}`,
			});
		}
	}

	/** Create-time associations `{to:{id}, types:[{associationCategory, associationTypeId}]}` → links. */
	resolveAssociations(type, associations) {
		const links = [];
		for (const [i, association] of (associations || []).entries()) {
			const toId = String(association.to && association.to.id);
			for (const spec of association.types || []) {
				const toType = spec.associationCategory === 'HUBSPOT_DEFINED' ? associationTarget(type, spec.associationTypeId) : undefined;
				if (!toType) {
					throw new ApiError(
						400,
						'VALIDATION_ERROR',
						`associations[${i}]: ${spec.associationCategory} association type ${spec.associationTypeId} is not valid from ${type}`,
						{ errors: [{ message: `invalid association type ${spec.associationTypeId}`, code: 'INVALID_ASSOCIATION_TYPE', context: { associationTypeId: [String(spec.associationTypeId)] } }] },
					);
				}
				if (!this.store(toType).has(toId)) {
					throw new ApiError(400, 'VALIDATION_ERROR', `associations[${i}]: ${SINGULAR[toType]} ${toId} does not exist`, {
						errors: [{ message: `${SINGULAR[toType]} ${toId} does not exist`, code: 'OBJECT_NOT_FOUND', context: { ids: [toId] } }],
					});
				}
				links.push({ toType, toId, typeId: spec.associationTypeId });
			}
		}
		return links;
	}

	/** Writes a plan: creates or updates the record, derived properties and associations. */
	applyPlan(plan, { id, createdAt } = {}) {
		const { type } = plan;
		const stamp = this.iso();
		const ts = timestampProperties(type);
		let object = plan.existing;
		if (!object) {
			const newId = id !== undefined ? String(id) : String(this.nextId++);
			if (/^\d+$/.test(newId) && Number(newId) >= this.nextId) this.nextId = Number(newId) + 1;
			const created = createdAt ? new Date(toMs(createdAt)).toISOString() : stamp;
			object = { id: newId, properties: { hs_object_id: newId, [ts.created]: created }, createdAt: created, updatedAt: created, archived: false };
			Object.defineProperty(object, 'history', { value: {}, enumerable: false, writable: true });
			this.store(type).set(newId, object);
		}
		const before = { ...object.properties };
		for (const [name, value] of Object.entries(plan.values)) {
			object.properties[name] = value;
			(object.history[name] = object.history[name] || []).unshift({ value, timestamp: stamp, sourceType: 'API' });
		}
		this.deriveProperties(type, object, before, stamp);
		object.properties[ts.modified] = plan.existing ? stamp : object.createdAt;
		object.updatedAt = plan.existing ? stamp : object.createdAt;
		for (const l of plan.links || []) this.link(type, object.id, l.toType, l.toId, l.typeId);
		return object;
	}

	deriveProperties(type, object, before, stamp) {
		const p = object.properties;
		if (type === 'deals') {
			const pipeline = this.pipelineOf('deals', p.pipeline);
			const stage = pipeline && pipeline.stages.find((s) => s.id === p.dealstage);
			if (stage) {
				const metadata = stage.metadata || {};
				const closed = String(metadata.isClosed) === 'true';
				p.hs_deal_stage_probability = String(metadata.probability ?? '');
				p.hs_is_closed = String(closed);
				p.hs_is_closed_won = String(closed && Number(metadata.probability) >= 1);
			}
			if (p.dealstage !== before.dealstage) {
				if (before.dealstage) p[`hs_date_exited_${before.dealstage}`] = stamp;
				if (p.dealstage) p[`hs_date_entered_${p.dealstage}`] = stamp;
				p.hs_v2_date_entered_current_stage = stamp;
			}
		}
		if (type === 'tickets' && p.hs_pipeline_stage !== before.hs_pipeline_stage) {
			const pipeline = this.pipelineOf('tickets', p.hs_pipeline);
			const stage = pipeline && pipeline.stages.find((s) => s.id === p.hs_pipeline_stage);
			if (stage && stage.metadata && stage.metadata.ticketState === 'CLOSED') p.closed_date = stamp;
		}
		if (type === 'emails' && p.hs_email_headers && p.hs_email_headers !== before.hs_email_headers) {
			// The guide: hs_email_headers "will automatically populate certain read only email properties".
			try {
				const headers = JSON.parse(p.hs_email_headers);
				const from = headers.from || {};
				const to = (headers.to || [])[0] || {};
				const set = (name, value) => value !== undefined && (p[name] = String(value));
				set('hs_email_from_email', from.email);
				set('hs_email_from_firstname', from.firstName);
				set('hs_email_from_lastname', from.lastName);
				set('hs_email_to_email', to.email);
				set('hs_email_to_firstname', to.firstName);
				set('hs_email_to_lastname', to.lastName);
			} catch {
				// not JSON: nothing to populate
			}
		}
	}

	// ------------------------------------------------------------------ response shapes

	/** SimplePublicObject with the requested properties (+ id/timestamp defaults); `null` for unset known ones. */
	view(type, object, { properties, all, propertiesWithHistory, associations } = {}) {
		const ts = timestampProperties(type);
		let props;
		if (all) props = { ...object.properties };
		else {
			const names = new Set([...(properties && properties.length ? properties : defaultProperties(type)), 'hs_object_id', ts.created, ts.modified]);
			props = {};
			for (const name of names) {
				if (object.properties[name] !== undefined) props[name] = object.properties[name];
				else if (propertyDefinition(type, name, this.customProperties)) props[name] = null;
			}
		}
		const out = { id: object.id, properties: props, createdAt: object.createdAt, updatedAt: object.updatedAt, archived: false };
		if (propertiesWithHistory && propertiesWithHistory.length) {
			out.propertiesWithHistory = {};
			for (const name of propertiesWithHistory) {
				if (object.history[name]) out.propertiesWithHistory[name] = clone(object.history[name]);
			}
		}
		if (associations && associations.length) {
			const result = {};
			for (const name of associations) {
				const toType = canonicalObjectType(name);
				const ids = toType ? this.associations(type, object.id, toType) : [];
				if (ids.length) {
					result[toType] = { results: ids.map((id) => ({ id, type: `${SINGULAR[type]}_to_${SINGULAR[toType]}` })) };
				}
			}
			if (Object.keys(result).length) out.associations = result;
		}
		return out;
	}

	errorBody(category, message, extra = {}) {
		return { status: 'error', message, correlationId: crypto.randomUUID(), category, ...extra };
	}

	// ------------------------------------------------------------------ HTTP plumbing

	async handle(req, res) {
		const url = new URL(req.url, 'http://sandbox');
		const query = {};
		for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
		const raw = await readBody(req);
		const record = {
			method: req.method,
			path: url.pathname,
			query,
			body: undefined,
			status: 0,
			authorization: req.headers.authorization,
			violations: [],
			at: this.now(),
		};
		let parseError;
		if (raw.length) {
			try {
				record.body = JSON.parse(raw);
			} catch {
				parseError = 'body is not valid JSON';
				record.body = raw;
			}
		}
		this.requests.push(record);
		if (this.options.latencyMs) await sleep(this.options.latencyMs);
		// Test hook: lets a simulation change the CRM while a client is in the middle of paging.
		if (this.requestHook) this.requestHook(record);

		let answer;
		try {
			answer = await this.answer(req, record, parseError);
		} catch (error) {
			answer = this.errorAnswer(error);
		}
		if (answer.drop) {
			record.status = 0;
			this.log(record);
			req.socket.destroy();
			return;
		}
		record.status = answer.status;
		this.log(record);
		const headers = { 'x-hubspot-correlation-id': crypto.randomUUID(), ...(answer.headers || {}) };
		if (answer.body && answer.body.correlationId) headers['x-hubspot-correlation-id'] = answer.body.correlationId;
		if (answer.status === 204 || answer.body === undefined) {
			res.writeHead(answer.status, headers);
			res.end();
			return;
		}
		const text = JSON.stringify(answer.body);
		res.writeHead(answer.status, { ...headers, 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	}

	/** Faults → auth → rate limit → route → schema → handler. */
	/** The sandbox's own control endpoints (reset, demo data, faults, request log). */
	control(record) {
		const body = record.body && typeof record.body === 'object' ? record.body : {};
		if (record.method === 'POST' && record.path === '/__sandbox/reset') {
			this.reset(body.seed !== false);
			if (body.demoData) seedDemoData(this);
			return { status: 200, body: { ok: true } };
		}
		if (record.method === 'POST' && record.path === '/__sandbox/demo-data') {
			seedDemoData(this);
			return { status: 200, body: { ok: true } };
		}
		if (record.method === 'POST' && record.path === '/__sandbox/fault') {
			this.fault(body);
			return { status: 200, body: { ok: true } };
		}
		if (record.method === 'GET' && record.path === '/__sandbox/requests') {
			return { status: 200, body: this.requests.filter((r) => !r.path.startsWith('/__sandbox/')).map(({ authorization, ...rest }) => rest) };
		}
		return { status: 404, body: { message: `Unknown sandbox control ${record.method} ${record.path}` } };
	}

	async answer(req, record, parseError) {
		if (record.path.startsWith('/__sandbox/')) return this.control(record);
		const fault = this.takeFault(record.method, record.path);
		if (fault) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.drop) return { drop: true };
			const body = fault.body !== undefined ? fault.body : this.errorBody(fault.status === 429 ? 'RATE_LIMITS' : 'INTERNAL_ERROR', `Injected fault (HTTP ${fault.status})`);
			return { status: fault.status, body, headers: fault.headers };
		}
		if (!this.authorized(req.headers.authorization)) {
			return { status: 401, body: this.errorBody('INVALID_AUTHENTICATION', AUTH_MESSAGE) };
		}
		const match = matchEndpoint(record.method, record.path);
		const isSearch = Boolean(match && match.endpoint && match.endpoint.id === 'objects.search');
		const rate = this.rateLimit(isSearch);
		if (rate.limited) return { status: 429, body: rate.body, headers: rate.headers };
		const answer = this.route(record, match, parseError);
		return { ...answer, headers: { ...(rate.headers || {}), ...(answer.headers || {}) } };
	}

	route(record, match, parseError) {
		if (!match) {
			this.addViolations(record, [`no documented endpoint ${record.method} ${record.path}`]);
			return { status: 404, body: this.errorBody('RESOURCE_NOT_FOUND', `No HubSpot endpoint ${record.method} ${record.path} in this sandbox`) };
		}
		if (match.methodMismatch) {
			this.addViolations(record, [`method ${record.method} is not documented for ${record.path}`]);
			return { status: 405, body: this.errorBody('VALIDATION_ERROR', `Method ${record.method} not allowed for ${record.path}`) };
		}
		const problems = parseError ? [parseError] : checkRequest(match.endpoint, match.params, record.query, record.body);
		if (problems.length) {
			this.addViolations(record, problems);
			return {
				status: 400,
				body: this.errorBody('VALIDATION_ERROR', `Request did not match the documented schema: ${problems.join('; ')}`, {
					errors: problems.map((message) => ({ message, code: 'SCHEMA_VIOLATION' })),
				}),
			};
		}
		const handler = HANDLERS[match.endpoint.id];
		const params = { ...match.params };
		for (const key of ['objectType', 'fromObjectType', 'toObjectType']) if (params[key]) params[key] = canonicalObjectType(params[key]);
		return handler.call(this, { params, query: record.query, body: record.body });
	}

	errorAnswer(error) {
		if (error instanceof ApiError) return { status: error.status, body: this.errorBody(error.category, error.message, error.extra) };
		return { status: 500, body: this.errorBody('INTERNAL_ERROR', `Sandbox error: ${error && error.message}`) };
	}

	addViolations(record, problems) {
		record.violations.push(...problems);
		this.violations.push(...problems.map((p) => `${record.method} ${record.path}: ${p}`));
	}

	authorized(header) {
		const m = /^Bearer\s+(.+)$/i.exec(String(header || '').trim());
		return Boolean(m && m[1] === this.token);
	}

	/**
	 * Sliding window per token (usage guidelines): non-search responses carry X-HubSpot-RateLimit-*;
	 * search has its own limit and sends no rate-limit headers. Rejected requests do not count.
	 */
	rateLimit(isSearch) {
		const config = isSearch ? this.options.searchRateLimit : this.options.rateLimit;
		if (!config) return {};
		const key = `${isSearch ? 'search' : 'default'}:${this.token}`;
		const now = this.now();
		const window = (this.windows.get(key) || []).filter((t) => t > now - config.windowMs);
		this.windows.set(key, window);
		const limited = window.length >= config.max;
		if (!limited) window.push(now);
		const headers = isSearch
			? undefined
			: {
					'X-HubSpot-RateLimit-Max': String(config.max),
					'X-HubSpot-RateLimit-Remaining': String(Math.max(0, config.max - window.length)),
					'X-HubSpot-RateLimit-Interval-Milliseconds': String(config.windowMs),
				};
		if (!limited) return { headers };
		// 429 bodies (research §9): TEN_SECONDLY_ROLLING for the burst limit; the older SECONDLY wording for search.
		const body = isSearch
			? { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: crypto.randomUUID(), policyName: 'SECONDLY' }
			: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: crypto.randomUUID(), policyName: 'TEN_SECONDLY_ROLLING' };
		return { limited: true, body, headers };
	}

	/** One JSON line per request; the Authorization header is never written. */
	log(record) {
		if (!this.options.requestLog) return;
		const line = { method: record.method, path: record.path, query: record.query, body: record.body, status: record.status, at: record.at };
		fs.appendFileSync(this.options.requestLog, `${JSON.stringify(line)}\n`);
	}
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

const list = (value) => (value ? String(value).split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const ok = (body, status = 200) => ({ status, body });

/** One page of an offset-paged list: {results, paging?:{next:{after, link}}}. */
function page(items, query, defaultLimit, linkBase) {
	const limit = query.limit ? Number(query.limit) : defaultLimit;
	const offset = query.after && /^\d+$/.test(query.after) ? Number(query.after) : 0;
	const results = items.slice(offset, offset + limit);
	const out = { results };
	if (offset + limit < items.length) {
		const after = String(offset + limit);
		out.paging = { next: { after, link: `${linkBase}?after=${after}` } };
	}
	return out;
}

function notFound(message = 'Object not found.  objectId are usually numeric.') {
	return new ApiError(404, 'OBJECT_NOT_FOUND', message);
}

// ---------------------------------------------------------------------- search evaluation

/** Compares two property values: dates as epoch ms, numbers numerically, else case-insensitive text. */
function compare(def, a, b) {
	if (def && def.type === 'datetime') {
		const [x, y] = [toMs(a), toMs(b)];
		if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
	}
	if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
	return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** CONTAINS_TOKEN: the value's words include the pattern's words; `*` is a wildcard (search guide). */
function containsToken(value, pattern) {
	const text = String(value).toLowerCase();
	const tokens = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
	const p = String(pattern).toLowerCase().trim();
	if (p.includes('*')) {
		const re = new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 's');
		return re.test(text) || tokens.some((t) => re.test(t));
	}
	const words = p.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
	return words.length > 0 && words.every((w) => tokens.includes(w));
}

function matchFilter(def, value, filter) {
	const has = !isBlank(value);
	switch (filter.operator) {
		case 'HAS_PROPERTY':
			return has;
		case 'NOT_HAS_PROPERTY':
			return !has;
		case 'NEQ':
			return !has || compare(def, value, filter.value) !== 0;
		case 'NOT_IN':
			return !has || !(filter.values || []).some((v) => compare(def, value, v) === 0);
		case 'NOT_CONTAINS_TOKEN':
			return !has || !containsToken(value, filter.value);
	}
	if (!has) return false;
	switch (filter.operator) {
		case 'EQ':
			return compare(def, value, filter.value) === 0;
		case 'LT':
			return compare(def, value, filter.value) < 0;
		case 'LTE':
			return compare(def, value, filter.value) <= 0;
		case 'GT':
			return compare(def, value, filter.value) > 0;
		case 'GTE':
			return compare(def, value, filter.value) >= 0;
		case 'BETWEEN':
			return compare(def, value, filter.value) >= 0 && compare(def, value, filter.highValue) <= 0;
		case 'IN':
			return (filter.values || []).some((v) => compare(def, value, v) === 0);
		case 'CONTAINS_TOKEN':
			return containsToken(value, filter.value);
		default:
			return false;
	}
}

function sortSpec(sort) {
	if (typeof sort === 'string') return sort.startsWith('-') ? { propertyName: sort.slice(1), direction: 'DESCENDING' } : { propertyName: sort, direction: 'ASCENDING' };
	return { propertyName: sort.propertyName, direction: sort.direction || 'ASCENDING' };
}

// ---------------------------------------------------------------------- handlers (routing table)

const HANDLERS = {
	'account.details'() {
		return ok(clone(this.account));
	},

	'owners.list'({ query }) {
		const archived = query.archived === 'true';
		let owners = this.owners.filter((o) => o.archived === archived);
		if (query.email) owners = owners.filter((o) => o.email.toLowerCase() === query.email.toLowerCase());
		return ok(clone(page(owners, query, 100, `${this.baseUrl}/crm/v3/owners/`)));
	},

	'owners.get'({ params, query }) {
		const key = query.idProperty === 'userId' ? 'userId' : 'id';
		const owner = this.owners.find((o) => String(o[key]) === params.ownerId && o.archived === (query.archived === 'true'));
		if (!owner) throw notFound(`Owner ${params.ownerId} not found`);
		return ok(clone(owner));
	},

	'pipelines.list'({ params }) {
		return ok({ results: clone(this.pipelines[params.objectType] || []) });
	},

	'pipelines.get'({ params }) {
		const pipeline = this.pipelineOf(params.objectType, params.pipelineId);
		if (!pipeline) throw notFound(`Pipeline ${params.pipelineId} not found`);
		return ok(clone(pipeline));
	},

	'properties.get'({ params }) {
		const type = params.objectType;
		const name = params.propertyName;
		const def = propertyDefinition(type, name, this.customProperties);
		if (!def) throw notFound(`Unable to find property ${name} for object type ${type}`);
		const enumeration = (this.enumerations[type] || {})[name];
		const fieldTypes = { enumeration: 'select', datetime: 'date', number: 'number', bool: 'booleancheckbox', string: 'text' };
		const boolOptions = [
			{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
			{ label: 'No', value: 'false', displayOrder: 1, hidden: false },
		];
		return ok({
			name,
			label: enumeration ? enumeration.label : name,
			type: def.type,
			fieldType: enumeration ? enumeration.fieldType : fieldTypes[def.type],
			description: '',
			groupName: `${SINGULAR[type]}information`,
			options: enumeration ? clone(enumeration.options) : def.type === 'bool' ? boolOptions : [],
			displayOrder: -1,
			calculated: false,
			externalOptions: false,
			hasUniqueValue: name === 'hs_object_id',
			hidden: false,
			hubspotDefined: !(this.customProperties[type] || {})[name],
			formField: !def.readOnly,
			modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: Boolean(def.readOnly) },
			createdAt: '2019-08-06T02:41:52.451Z',
			updatedAt: '2019-08-06T02:41:52.451Z',
			archived: false,
		});
	},

	'objects.list'({ params, query }) {
		const type = params.objectType;
		const shape = { properties: list(query.properties), propertiesWithHistory: list(query.propertiesWithHistory), associations: list(query.associations) };
		const objects = query.archived === 'true' ? [] : this.listObjects(type);
		const result = page(objects, query, 10, `${this.baseUrl}/crm/v3/objects/${type}`);
		result.results = result.results.map((o) => this.view(type, o, shape));
		return ok(result);
	},

	'objects.get'({ params, query }) {
		const type = params.objectType;
		const object = query.archived === 'true' ? undefined : this.lookup(type, params.objectId, query.idProperty);
		if (!object) throw notFound();
		return ok(this.view(type, object, { properties: list(query.properties), propertiesWithHistory: list(query.propertiesWithHistory), associations: list(query.associations) }));
	},

	'objects.create'({ params, body }) {
		const type = params.objectType;
		const plan = this.planWrite(type, body.properties, { mode: 'create', associations: body.associations });
		return ok(this.view(type, this.applyPlan(plan), { all: true }), 201);
	},

	'objects.update'({ params, query, body }) {
		const type = params.objectType;
		const existing = this.lookup(type, params.objectId, query.idProperty);
		if (!existing) throw notFound();
		const plan = this.planWrite(type, body.properties, { mode: 'update', existing });
		return ok(this.view(type, this.applyPlan(plan), { all: true }));
	},

	'objects.archive'({ params }) {
		const type = params.objectType;
		if (this.store(type).has(params.objectId)) {
			this.unlinkAll(type, params.objectId);
			this.store(type).delete(params.objectId);
		}
		return { status: 204 };
	},

	/** All inputs are checked first; any invalid input fails the whole batch with nothing written. */
	'objects.batch.create'({ params, body }) {
		const type = params.objectType;
		const startedAt = this.iso();
		const claimedEmails = new Set();
		const plans = body.inputs.map((input) =>
			this.planWrite(type, input.properties, { mode: 'create', associations: input.associations, claimedEmails }),
		);
		const results = plans.map((plan, i) => {
			const out = this.view(type, this.applyPlan(plan), { all: true });
			if (body.inputs[i].objectWriteTraceId !== undefined) out.objectWriteTraceId = body.inputs[i].objectWriteTraceId;
			return out;
		});
		return ok({ status: 'COMPLETE', results, startedAt, completedAt: this.iso() }, 201);
	},

	'objects.batch.read'({ params, body }) {
		const type = params.objectType;
		const startedAt = this.iso();
		const results = [];
		const missing = [];
		for (const input of body.inputs) {
			const object = this.lookup(type, input.id, body.idProperty);
			if (object) results.push(this.view(type, object, { properties: body.properties, propertiesWithHistory: body.propertiesWithHistory }));
			else missing.push(input.id);
		}
		const message = `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`;
		return batchAnswer(results, missing, message, startedAt, this.iso());
	},

	'objects.batch.update'({ params, body }) {
		const type = params.objectType;
		const startedAt = this.iso();
		rejectDuplicateIds(body.inputs.map((i) => (i.idProperty === 'email' ? String(i.id).toLowerCase() : i.id)));
		const claimedEmails = new Set();
		const missing = [];
		const planned = [];
		for (const input of body.inputs) {
			const existing = this.lookup(type, input.id, input.idProperty);
			if (!existing) missing.push(input.id);
			else planned.push({ input, plan: this.planWrite(type, input.properties, { mode: 'update', existing, claimedEmails }) });
		}
		const results = planned.map(({ input, plan }) => {
			const out = this.view(type, this.applyPlan(plan), { all: true });
			if (input.objectWriteTraceId !== undefined) out.objectWriteTraceId = input.objectWriteTraceId;
			return out;
		});
		const message = `Could not update some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`;
		return batchAnswer(results, missing, message, startedAt, this.iso());
	},

	/** Contacts by `idProperty: "email"` (the only unique property this sandbox knows besides hs_object_id). */
	'objects.batch.upsert'({ params, body }) {
		const type = params.objectType;
		const startedAt = this.iso();
		for (const input of body.inputs) {
			if (!(type === 'contacts' && input.idProperty === 'email')) {
				throw new ApiError(400, 'VALIDATION_ERROR', `${input.idProperty} is not a unique identifier property of ${type}`);
			}
		}
		rejectDuplicateIds(body.inputs.map((i) => String(i.id).trim().toLowerCase()));
		const claimedEmails = new Set();
		const plans = body.inputs.map((input) => {
			const existing = this.findByEmail(input.id);
			if (existing) return this.planWrite(type, input.properties, { mode: 'update', existing, claimedEmails });
			return this.planWrite(type, { email: String(input.id), ...input.properties }, { mode: 'create', claimedEmails });
		});
		const results = plans.map((plan, i) => {
			const out = { ...this.view(type, this.applyPlan(plan), { all: true }), new: !plan.existing };
			if (body.inputs[i].objectWriteTraceId !== undefined) out.objectWriteTraceId = body.inputs[i].objectWriteTraceId;
			return out;
		});
		return ok({ status: 'COMPLETE', results, startedAt, completedAt: this.iso() });
	},

	'objects.batch.archive'({ params, body }) {
		for (const input of body.inputs) HANDLERS['objects.archive'].call(this, { params: { ...params, objectId: input.id } });
		return { status: 204 };
	},

	'objects.search'({ params, body }) {
		return ok(this.search(params.objectType, body || {}));
	},

	/**
	 * `toObjectId` is a string: the v4 API reference
	 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations)
	 * and the official SDK's MultiAssociatedObjectWithLabel declare `"toObjectId": "<string>"`
	 * (test/sdk/hubspot-sdk.test.ts checks it). UNCONFIRMED: whether real portals send a JSON
	 * string or a number here; the provider reads either with String().
	 * UNCONFIRMED: an input id without associations is left out of `results` (no 207 / errors
	 * entry); `label` is null for unlabeled association types (the reference only shows a string).
	 */
	'associations.batch.read'({ params, body }) {
		const { fromObjectType: from, toObjectType: to } = params;
		const startedAt = this.iso();
		const results = [];
		for (const input of body.inputs) {
			const targets = this.linksOf(from, String(input.id)).get(to);
			if (!targets || targets.size === 0) continue;
			results.push({
				from: { id: String(input.id) },
				to: [...targets.entries()]
					.sort(([a], [b]) => numericId(a) - numericId(b))
					.map(([toId, types]) => ({
						toObjectId: String(toId),
						associationTypes: [...types].map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: null })),
					})),
			});
		}
		return ok({ status: 'COMPLETE', results, startedAt, completedAt: this.iso() });
	},

	'associations.default.create'({ params }) {
		const { fromObjectType: from, toObjectType: to, fromObjectId, toObjectId } = params;
		const typeId = ((ASSOCIATION_TYPES[from] || {})[to] || [])[0];
		if (typeId === undefined) throw new ApiError(400, 'VALIDATION_ERROR', `No default association type from ${from} to ${to}`);
		if (!this.store(from).has(fromObjectId)) throw notFound(`${SINGULAR[from]} ${fromObjectId} does not exist`);
		if (!this.store(to).has(toObjectId)) throw notFound(`${SINGULAR[to]} ${toObjectId} does not exist`);
		const startedAt = this.iso();
		this.link(from, fromObjectId, to, toObjectId, typeId);
		return ok({
			status: 'COMPLETE',
			results: [{ from: { id: fromObjectId }, to: { id: toObjectId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }],
			startedAt,
			completedAt: this.iso(),
		});
	},

	/** A repeated `sendId` is not sent again (sendResult IDEMPOTENT_IGNORE, single-send spec enum). */
	'transactional.send'({ body }) {
		const sendId = body.message.sendId;
		if (sendId !== undefined && this.sends.has(sendId)) return ok({ ...clone(this.sends.get(sendId)), sendResult: 'IDEMPOTENT_IGNORE' });
		const response = { statusId: crypto.randomUUID(), status: 'PENDING', requestedAt: this.iso() };
		this.sentEmails.push({
			statusId: response.statusId,
			emailId: body.emailId,
			message: clone(body.message),
			contactProperties: clone(body.contactProperties || {}),
			customProperties: clone(body.customProperties || {}),
			requestedAt: response.requestedAt,
		});
		if (sendId !== undefined) this.sends.set(sendId, response);
		return ok(clone(response));
	},
};

/** 200 when every input was found, else 207 with `errors[].context.ids` (BatchResponse…WithErrors). */
function batchAnswer(results, missing, message, startedAt, completedAt) {
	if (!missing.length) return ok({ status: 'COMPLETE', results, startedAt, completedAt });
	return ok(
		{
			status: 'COMPLETE',
			results,
			numErrors: 1,
			errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message, context: { ids: missing.map(String) }, errors: [], links: {} }],
			startedAt,
			completedAt,
		},
		207,
	);
}

function rejectDuplicateIds(ids) {
	const seen = new Set();
	const dupes = new Set(ids.filter((id) => seen.has(id) || !seen.add(id)));
	if (dupes.size) {
		throw new ApiError(400, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${[...dupes].join(', ')}]. IDs must be unique`);
	}
}

/** CRM search over the store (filters, free text, one sort, offset paging, 10,000-result cap). */
FakeHubSpot.prototype.search = function search(type, body) {
	const definition = (name) => {
		const def = propertyDefinition(type, name, this.customProperties);
		if (!def) throw new ApiError(400, 'VALIDATION_ERROR', `There was a problem with the request: property ${name} does not exist on ${type}`);
		return def;
	};
	const groups = (body.filterGroups || []).map((g) => g.filters.map((f) => ({ filter: f, def: definition(f.propertyName) })));
	const sorts = (body.sorts || []).map(sortSpec).map((s) => ({ ...s, def: definition(s.propertyName) }));
	const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
	if (!Number.isInteger(after) || after < 0) throw new ApiError(400, 'VALIDATION_ERROR', `after must be a numeric offset (got "${body.after}")`);
	if (after >= SEARCH_LIMITS.resultCap) {
		throw new ApiError(400, 'VALIDATION_ERROR', `Cannot page past ${SEARCH_LIMITS.resultCap} results (after=${after}). Narrow the search with filters.`);
	}
	// Search indexing delay: HubSpot shows new records in search only after a few seconds. (Only
	// creations are delayed here; changes to existing records show at once.)
	const visibleBefore = this.now() - (this.searchLagMs || 0);
	let matched = this.listObjects(type).filter(
		(o) => (!this.searchLagMs || toMs(o.createdAt) <= visibleBefore) &&
			(groups.length === 0 || groups.some((filters) => filters.every(({ filter, def }) => matchFilter(def, o.properties[filter.propertyName], filter)))),
	);
	if (body.query) {
		const needle = body.query.toLowerCase();
		matched = matched.filter((o) => (SEARCHABLE[type] || []).some((p) => String(o.properties[p] || '').toLowerCase().includes(needle)));
	}
	matched.sort((a, b) => {
		for (const s of sorts) {
			const [x, y] = [a.properties[s.propertyName], b.properties[s.propertyName]];
			if (isBlank(x) !== isBlank(y)) return isBlank(x) ? 1 : -1; // no value sorts last
			const c = isBlank(x) ? 0 : compare(s.def, x, y);
			if (c !== 0) return s.direction === 'DESCENDING' ? -c : c;
		}
		return byId(a, b);
	});
	const limit = body.limit === undefined ? 10 : body.limit;
	const results = matched.slice(after, after + limit).map((o) => {
		const view = this.view(type, o, { properties: body.properties });
		return { id: view.id, properties: view.properties, createdAt: view.createdAt, updatedAt: view.updatedAt, archived: false };
	});
	const out = { total: matched.length, results };
	if (after + limit < matched.length && limit > 0) out.paging = { next: { after: String(after + limit) } };
	return out;
};

/** Starts a sandbox on `options.port` (0 = random) and resolves once it listens. */
async function startHubSpotServer(options = {}) {
	const sandbox = new FakeHubSpot(options);
	return sandbox.listen(options.port || 0);
}

module.exports = { startHubSpotServer, FakeHubSpot, ApiError, seedDemoData };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name, fallback) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : fallback;
	};
	const rate = arg('rate-limit', undefined);
	startHubSpotServer({
		port: Number(arg('port', process.env.PORT || 3000)),
		host: arg('host', '127.0.0.1'),
		token: arg('token', 'test-token'),
		requestLog: arg('log', undefined),
		...(rate ? { rateLimit: { max: Number(rate), windowMs: 10_000 }, searchRateLimit: { max: 4, windowMs: 1000 } } : {}),
		...(arg('latency-ms', undefined) ? { latencyMs: Number(arg('latency-ms')) } : {}),
	}).then((sandbox) => {
		if (args.includes('--demo-data')) seedDemoData(sandbox);
		console.log(`HubSpot sandbox listening on ${sandbox.baseUrl} (Authorization: Bearer ${sandbox.token})`);
		const stop = () => sandbox.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
