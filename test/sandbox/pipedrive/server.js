'use strict';
/**
 * A stateful local Pipedrive API sandbox for tests and demos: the v2 and v1 endpoints the package's
 * Pipedrive provider uses, in Pipedrive's shape as its docs and OpenAPI specs describe it (our
 * reading of them; see ./schemas.js for sources). Requests that do not match the documented API
 * are answered with 400 and recorded in `violations`, so tests can assert the package only sends
 * documented requests. Every behaviour the docs do not confirm is marked UNCONFIRMED here and
 * listed in ./UNCONFIRMED.md.
 *
 *   node test/sandbox/pipedrive/server.js [--port 8790] [--example-process] [--demo-data]
 *
 * Base URLs: `<baseUrl>/api/v2/...` and `<baseUrl>/api/v1/...` (also `<baseUrl>/v1/...`), like
 * `https://{company}.pipedrive.com/api/v2`. Auth: `x-api-token: test-api-token` (or the
 * discouraged `?api_token=`), or `Authorization: Bearer test-oauth-token`.
 *
 * Modelled (sources inline):
 * - errors 400, 401, 403 (OAuth scope), 404, 410, 429 in Pipedrive's shape (no 422: we found no
 *   documented case that answers it);
 * - v2 deals, persons, organizations, activities, pipelines, stages (list with cursor/limit ≤ 500,
 *   `updated_since`/`updated_until`, `sort_by`/`sort_direction`, filters; get; POST; PATCH; DELETE),
 *   v2 search for deals, persons, organizations, leads; v2 field lists (custom fields by hash key);
 *   v2 lead→deal conversion (async, polled);
 * - v1 leads (CRUD, archived), leadLabels, notes, users (+ /users/me; API v2 has no users list —
 *   the official client's v2 UsersApi only reads followers), deals/{id}/flow and
 *   /changelog, webhooks; v1 endpoints replaced by v2 answer 410 (out of support since 2026-08-01);
 * - token-based rate limits: a daily token budget per company spent by cost per endpoint, a burst
 *   limit per token and 2-second window (search: its own), rate-limit headers on every answer;
 * - webhooks v2: {meta, data, previous} envelopes POSTed with HTTP Basic auth, retries, the ban
 *   after 10 failed first attempts (30 min) and the deletion after 3 days without a success, on
 *   the sandbox clock (deliverWebhooks() runs due deliveries; tests advance the clock).
 *
 * Control endpoints (no auth; not Pipedrive's API):
 *   POST /__sandbox/reset {"demoData": false}   POST /__sandbox/example-process
 *   POST /__sandbox/fault {...FaultSpec}        POST /__sandbox/clock {"now"|"advanceMs"}
 *   POST /__sandbox/limits {...LimitOptions}    POST /__sandbox/webhooks/deliver
 *   GET  /__sandbox/requests                    GET  /__sandbox/webhooks/deliveries
 */
const { SandboxServer } = require('../sandboxServer');
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');

const { BODIES, checkBody, QUERY, SORT_BY, SEARCH_FIELDS, DEFAULT_COSTS, BURST_BY_PLAN, WEBHOOK_OBJECTS } = require('./schemas');
const { defaultSeed, useExampleProcess, API_TOKEN, OAUTH_TOKEN } = require('./seed');

const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';
const DAY_MS = 86_400_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const pad = (n) => String(n).padStart(2, '0');
/** API v2 times: RFC 3339 in UTC, second precision. */
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
/** API v1 times: "YYYY-MM-DD HH:mm:ss" UTC. */
const v1Time = (ms) => iso(ms).replace('T', ' ').replace('Z', '');
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An error answer in Pipedrive's shape (`success: false`, `error`, `error_info`, `data`, `additional_data`). */
class ApiError extends Error {
	constructor(status, message, extra = {}, headers = {}) {
		super(message);
		this.status = status;
		this.body = { success: false, error: message, error_info: ERROR_INFO, data: null, additional_data: null, ...extra };
		this.headers = headers;
	}
}
// UNCONFIRMED: the exact error texts and the `code` values below (the specs hardly document errors).
const badRequest = (message) => new ApiError(400, message, { code: 'ERR_SCHEMA_VALIDATION_FAILED' });
const notFound = (what) => new ApiError(404, `${what} not found`, { code: 'ERR_NOT_FOUND' });

/** Entities of the v2 API: URL segment → webhook entity name and the OAuth scope group. */
const V2_ENTITIES = {
	deals: { entity: 'deal', scope: 'deals', label: 'Deal' },
	persons: { entity: 'person', scope: 'contacts', label: 'Person' },
	organizations: { entity: 'organization', scope: 'contacts', label: 'Organization' },
	activities: { entity: 'activity', scope: 'activities', label: 'Activity' },
	pipelines: { entity: 'pipeline', scope: 'deals', label: 'Pipeline' },
	stages: { entity: 'stage', scope: 'deals', label: 'Stage' },
};
/** Deal fields whose changes the deal's changelog/flow records. */
const TRACKED_DEAL_FIELDS = ['title', 'value', 'currency', 'stage_id', 'pipeline_id', 'status', 'owner_id', 'person_id', 'org_id', 'expected_close_date', 'probability', 'lost_reason', 'is_archived'];
/** v1 endpoints replaced by v2 and out of support since 2026-08-01
 * (https://developers.pipedrive.com/changelog/post/deprecated-apiv1-endpoints-become-out-of-support). */
const V1_REPLACED = /^\/(deals|persons|organizations|activities|pipelines|stages|products)(\/search|\/\d+)?$|^\/itemSearch/;

const WEBHOOK_RETRY_DELAYS_MS = [3_000, 30_000, 150_000];
const WEBHOOK_TIMEOUT_MS = 10_000;
const WEBHOOK_BAN_AFTER_FAILURES = 10;
const WEBHOOK_BAN_MS = 30 * 60_000;
const WEBHOOK_DELETE_AFTER_MS = 3 * DAY_MS;
const MAX_WEBHOOKS_PER_USER = 40;

class FakePipedrive extends SandboxServer {
	constructor(options = {}) {
		super(options);
		this.options = options;
		this.requests = [];
		this.violations = [];
		this.webhookDeliveries = [];
		this.reset();
	}

	// ─────────────────────────────────────────────────────────── public API (tests)

	/** Clears everything and reseeds users, the default pipeline, lead labels and tokens. */
	reset() {
		const seed = defaultSeed();
		this.company = seed.company;
		this.users = seed.users;
		this.tokens = seed.tokens;
		this.activityTypes = seed.activityTypes;
		this.store = { deals: new Map(), persons: new Map(), organizations: new Map(), activities: new Map(), pipelines: new Map(), stages: new Map(), leads: new Map(), notes: new Map(), leadLabels: new Map() };
		for (const p of seed.pipelines) this.store.pipelines.set(p.id, p);
		for (const s of seed.stages) this.store.stages.set(s.id, s);
		for (const l of seed.leadLabels) this.store.leadLabels.set(l.id, l);
		this.nextIds = { deals: 1, persons: 1, organizations: 1, activities: 1, pipelines: 2, stages: seed.stages.length + 1, notes: 1, webhooks: 1, changes: 1 };
		this.customFields = { deals: [], persons: [], organizations: [], activities: [] };
		this.changelogs = new Map();
		this.conversions = new Map();
		this.webhooks = new Map();
		this.webhookQueue = [];
		this.removedWebhooks = [];
		this.webhookDeliveries.length = 0;
		this.requests.length = 0;
		this.violations.length = 0;
		this.faults.length = 0;
		this.requestHook = undefined;
		this.searchLagMs = 0;
		this.conversionPolls = 1;
		this.costs = clone(DEFAULT_COSTS);
		this.limits = { plan: 'professional', ...BURST_BY_PLAN.professional, windowMs: 2000, dailyBudget: 30_000 * 3 * this.users.filter((u) => u.active_flag).length };
		this.usage = { day: undefined, tokensUsed: 0, writes: 0, windows: new Map() };
		if (this.options.limits) this.setLimits(this.options.limits);
	}

	/**
	 * Tightens or loosens the limits: `plan` (essential … enterprise: the documented burst table),
	 * `apiToken`/`oauth`/`search` (requests per window), `windowMs` (2000), `dailyBudget` (tokens).
	 * UNCONFIRMED: the default budget (30,000 × multiplier 3 × 5 active seats; the multiplier table
	 * is on Pipedrive's page, not in our notes).
	 */
	setLimits(patch) {
		if (patch.plan) Object.assign(this.limits, BURST_BY_PLAN[patch.plan], { plan: patch.plan });
		for (const key of ['apiToken', 'oauth', 'search', 'windowMs', 'dailyBudget']) if (patch[key] !== undefined) this.limits[key] = patch[key];
	}
	setCosts(patch) {
		for (const version of ['v1', 'v2']) Object.assign(this.costs[version], patch[version] || {});
	}
	/** Tokens left in today's budget (sandbox clock, UTC day). */
	tokensLeft() {
		this.rollDay();
		return this.limits.dailyBudget - this.usage.tokensUsed;
	}
	tokensUsed() {
		this.rollDay();
		return this.usage.tokensUsed;
	}
	/** Adds an API token or an OAuth access token (with scopes) of a user. */
	addToken(token, spec) {
		this.tokens[token] = { kind: 'apiToken', ...spec };
	}
	/** Search finds a record only `ms` after its last write (Pipedrive's search index lags; UNCONFIRMED how much). */
	setSearchLag(ms) {
		this.searchLagMs = ms;
	}
	/** How many status polls answer `running` before a lead conversion completes (default 1). */
	setConversionPolls(n) {
		this.conversionPolls = n;
	}
	get apiToken() {
		return API_TOKEN;
	}
	get oauthToken() {
		return OAUTH_TOKEN;
	}

	userByEmail(email) {
		return this.users.find((u) => u.email === email);
	}
	/** The token's user (the admin for the seeded tokens). */
	get tokenUserId() {
		return this.tokens[API_TOKEN].userId;
	}

	/** A custom field (40-hex key, as Pipedrive's) on deals, persons, organizations or activities; returns its key. */
	defineCustomField(entity, name, fieldType = 'varchar', options) {
		const key = crypto.createHash('sha1').update(`${entity}:${name}:${this.customFields[entity].length}`).digest('hex');
		this.customFields[entity].push({ key, name, field_type: fieldType, options: options ? options.map((label, i) => ({ id: i + 1, label })) : null });
		return key;
	}

	/** Direct writes as a user in Pipedrive's web app (`change_source` app) unless `changeSource` says otherwise. */
	create(collection, fields, opts = {}) {
		return clone(this.insert(collection, clone(fields), this.actor(opts)));
	}
	update(collection, id, fields, opts = {}) {
		return clone(this.patch(collection, this.mustGet(collection, id), clone(fields), this.actor(opts)));
	}
	remove(collection, id, opts = {}) {
		this.destroy(collection, this.mustGet(collection, id), this.actor(opts));
	}
	get(collection, id) {
		const record = this.store[collection].get(collection === 'leads' ? id : Number(id));
		return record && !record.is_deleted ? clone(record) : undefined;
	}
	list(collection) {
		return [...this.store[collection].values()].filter((r) => !r.is_deleted).map(clone);
	}
	listLeadLabels() {
		return this.list('leadLabels');
	}
	createLeadLabel(fields) {
		return this.create('leadLabels', fields);
	}
	stageByName(name, pipelineId) {
		return this.list('stages').find((s) => s.name === name && (pipelineId === undefined || s.pipeline_id === pipelineId));
	}
	/** Replaces a pipeline's stages (deals in removed stages move to the first new one). */
	replaceStages(pipelineId, stages, { pipelineName } = {}) {
		const pipeline = this.store.pipelines.get(pipelineId);
		if (pipelineName) pipeline.name = pipelineName;
		for (const s of [...this.store.stages.values()]) if (s.pipeline_id === pipelineId) this.store.stages.delete(s.id);
		const created = stages.map((s, i) => this.insert('stages', { ...s, pipeline_id: pipelineId, order_nr: i }, this.actor({})));
		for (const d of this.store.deals.values()) if (d.pipeline_id === pipelineId && !this.store.stages.has(d.stage_id)) d.stage_id = created[0].id;
		return created.map(clone);
	}
	/** The deal's changelog, oldest first (as /v1/deals/{id}/changelog shows its entries). */
	changelogOf(dealId) {
		return clone(this.changelogs.get(Number(dealId)) || []);
	}
	listWebhooks() {
		return [...this.webhooks.values()].map(clone);
	}

	// ─────────────────────────────────────────────────────────── store rules

	actor(opts) {
		return { userId: opts.userId ?? this.tokenUserId, changeSource: opts.changeSource ?? 'app', userAgent: opts.userAgent ?? null };
	}
	mustGet(collection, id) {
		const record = this.store[collection].get(collection === 'leads' || collection === 'leadLabels' ? String(id) : Number(id));
		if (!record || record.is_deleted) throw notFound(V2_ENTITIES[collection]?.label ?? { leads: 'Lead', notes: 'Note', leadLabels: 'Lead label' }[collection]);
		return record;
	}
	exists(collection, id) {
		const record = this.store[collection].get(id);
		return !!record && !record.is_deleted;
	}
	checkUser(field, id) {
		const user = this.users.find((u) => u.id === id);
		if (!user) throw badRequest(`${field}: user ${id} does not exist`);
		if (!user.active_flag) throw badRequest(`${field}: user ${id} is deactivated`); // UNCONFIRMED: deactivated users as owners
	}
	checkLink(field, collection, id) {
		if (id === null || id === undefined) return;
		if (!this.exists(collection, id)) throw badRequest(`${field}: ${collection.replace(/s$/, '')} ${id} does not exist`);
	}
	checkCustomFields(collection, values) {
		if (!values) return;
		const defs = this.customFields[collection] || [];
		for (const key of Object.keys(values)) if (!defs.some((d) => d.key === key)) throw badRequest(`custom_fields.${key} is not a custom field of ${collection}`);
	}
	checkDates(input, dateFields) {
		for (const f of dateFields) if (input[f] !== undefined && input[f] !== null && !DATE_RE.test(input[f])) throw badRequest(`${f} must be a date YYYY-MM-DD (got "${input[f]}")`);
	}

	insert(collection, input, actor) {
		const now = this.now();
		const base = { add_time: iso(now), update_time: iso(now) };
		let record;
		switch (collection) {
			case 'deals':
				record = this.newDeal(input, actor, base);
				break;
			case 'persons':
				record = this.newPerson(input, actor, base);
				break;
			case 'organizations':
				if (!input.name || !String(input.name).trim()) throw badRequest('name: Organization name is required');
				this.checkCustomFields('organizations', input.custom_fields);
				if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
				record = { id: this.nextIds.organizations++, name: input.name, owner_id: input.owner_id ?? actor.userId, ...base, is_deleted: false, visible_to: input.visible_to ?? 3, address: input.address ?? null, label_ids: input.label_ids ?? [], website: input.website ?? null, linkedin: input.linkedin ?? null, industry: input.industry ?? null, annual_revenue: input.annual_revenue ?? null, employee_count: input.employee_count ?? null, custom_fields: this.customValues('organizations', {}, input.custom_fields) };
				break;
			case 'activities':
				record = this.newActivity(input, actor, base);
				break;
			case 'pipelines':
				record = { id: this.nextIds.pipelines++, name: input.name, order_nr: this.store.pipelines.size, is_deleted: false, is_deal_probability_enabled: input.is_deal_probability_enabled ?? false, ...base };
				break;
			case 'stages':
				if (!this.exists('pipelines', input.pipeline_id)) throw badRequest(`pipeline_id: pipeline ${input.pipeline_id} does not exist`);
				record = { id: this.nextIds.stages++, order_nr: input.order_nr ?? [...this.store.stages.values()].filter((s) => s.pipeline_id === input.pipeline_id).length, name: input.name, is_deleted: false, deal_probability: input.deal_probability ?? 100, pipeline_id: input.pipeline_id, is_deal_rot_enabled: input.is_deal_rot_enabled ?? false, days_to_rotten: input.days_to_rotten ?? null, ...base };
				break;
			case 'leads':
				record = this.newLead(input, actor, now);
				break;
			case 'leadLabels':
				record = { id: crypto.randomUUID(), name: input.name, color: input.color, add_time: iso(now), update_time: iso(now) };
				break;
			case 'notes':
				record = this.newNote(input, actor, now);
				break;
			default:
				throw new Error(`unknown collection ${collection}`);
		}
		record._writtenAt = now;
		this.store[collection].set(record.id, record);
		if (collection === 'deals') this.logChange(record, 'add_time', null, record.add_time, actor);
		this.queueEvent('create', collection, record, null, actor);
		return record;
	}

	newDeal(input, actor, base) {
		if (!input.title || !String(input.title).trim()) throw badRequest('title: Deal title is required');
		const placement = this.placement(input, undefined);
		if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
		this.checkLink('person_id', 'persons', input.person_id);
		this.checkLink('org_id', 'organizations', input.org_id);
		this.checkCustomFields('deals', input.custom_fields);
		this.checkDates(input, ['expected_close_date']);
		const user = this.users.find((u) => u.id === actor.userId);
		const record = {
			id: this.nextIds.deals++,
			title: input.title,
			owner_id: input.owner_id ?? actor.userId,
			person_id: input.person_id ?? null,
			org_id: input.org_id ?? null,
			pipeline_id: placement.pipeline_id,
			stage_id: placement.stage_id,
			value: input.value ?? 0,
			currency: input.currency ?? user?.default_currency ?? 'EUR',
			...base,
			stage_change_time: null, // UNCONFIRMED: null until the first stage change
			is_deleted: false,
			is_archived: input.is_archived ?? false,
			status: 'open',
			probability: input.probability ?? null,
			lost_reason: null,
			visible_to: input.visible_to ?? 3,
			close_time: null,
			won_time: null,
			lost_time: null,
			expected_close_date: input.expected_close_date ?? null,
			label_ids: input.label_ids ?? [],
			origin: actor.changeSource === 'api' ? 'API' : 'ManuallyCreated',
			origin_id: null,
			channel: null,
			channel_id: null,
			source_lead_id: input.source_lead_id ?? null,
			arr: null,
			mrr: null,
			acv: null,
			custom_fields: this.customValues('deals', {}, input.custom_fields),
		};
		this.applyStatus(record, input, this.now());
		return record;
	}

	/** Pipeline and stage of a deal write: a stage implies its pipeline; a pipeline alone its first stage. */
	placement(input, current) {
		let pipelineId = input.pipeline_id ?? current?.pipeline_id;
		let stageId = input.stage_id ?? (input.pipeline_id !== undefined && input.pipeline_id !== current?.pipeline_id ? undefined : current?.stage_id);
		if (input.stage_id !== undefined) {
			const stage = this.store.stages.get(input.stage_id);
			if (!stage || stage.is_deleted) throw badRequest(`stage_id: stage ${input.stage_id} does not exist`);
			if (input.pipeline_id !== undefined && input.pipeline_id !== stage.pipeline_id) throw badRequest(`stage_id: stage ${input.stage_id} is not in pipeline ${input.pipeline_id}`); // UNCONFIRMED
			pipelineId = stage.pipeline_id;
		}
		if (pipelineId === undefined) pipelineId = [...this.store.pipelines.values()].filter((p) => !p.is_deleted).sort((a, b) => a.order_nr - b.order_nr)[0].id;
		if (!this.exists('pipelines', pipelineId)) throw badRequest(`pipeline_id: pipeline ${pipelineId} does not exist`);
		if (stageId === undefined) {
			const first = [...this.store.stages.values()].filter((s) => s.pipeline_id === pipelineId && !s.is_deleted).sort((a, b) => a.order_nr - b.order_nr)[0];
			if (!first) throw badRequest(`pipeline_id: pipeline ${pipelineId} has no stages`);
			stageId = first.id;
		}
		return { pipeline_id: pipelineId, stage_id: stageId };
	}

	applyStatus(record, input, now) {
		if (input.status === undefined || input.status === record.status) return;
		record.status = input.status;
		if (input.status === 'won') Object.assign(record, { won_time: input.won_time ?? iso(now), close_time: input.close_time ?? iso(now), lost_time: null, lost_reason: null });
		else if (input.status === 'lost') Object.assign(record, { lost_time: input.lost_time ?? iso(now), close_time: input.close_time ?? iso(now), won_time: null, lost_reason: input.lost_reason ?? record.lost_reason });
		else Object.assign(record, { won_time: null, lost_time: null, close_time: null, lost_reason: null });
	}

	newPerson(input, actor, base) {
		if (!input.name || !String(input.name).trim()) throw badRequest('name: Person name is required');
		if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
		this.checkLink('org_id', 'organizations', input.org_id);
		this.checkCustomFields('persons', input.custom_fields);
		return {
			id: this.nextIds.persons++,
			...this.names(input.name),
			owner_id: input.owner_id ?? actor.userId,
			org_id: input.org_id ?? null,
			...base,
			emails: this.contacts(input.emails),
			phones: this.contacts(input.phones),
			is_deleted: false,
			visible_to: input.visible_to ?? 3,
			label_ids: input.label_ids ?? [],
			picture_id: null,
			postal_address: input.postal_address ?? null,
			notes: input.notes ?? null,
			im: this.contacts(input.im),
			birthday: input.birthday ?? null,
			job_title: input.job_title ?? null,
			marketing_status: input.marketing_status ?? 'no_consent', // UNCONFIRMED default
			custom_fields: this.customValues('persons', {}, input.custom_fields),
		};
	}
	/** UNCONFIRMED: v2 derives first_name/last_name from `name` (first word / the rest). */
	names(name) {
		const [first, ...rest] = String(name).trim().split(/\s+/);
		return { name: String(name).trim(), first_name: first, last_name: rest.join(' ') || null };
	}
	/** Email/phone items; the first is primary when none is marked. UNCONFIRMED: the default label "work". */
	contacts(items) {
		if (!items) return [];
		const hasPrimary = items.some((i) => i.primary);
		return items.map((i, n) => ({ value: i.value, primary: hasPrimary ? !!i.primary : n === 0, label: i.label ?? 'work' }));
	}
	customValues(collection, current, input) {
		const out = { ...current };
		for (const def of this.customFields[collection] || []) if (!(def.key in out)) out[def.key] = null;
		return { ...out, ...(input || {}) };
	}

	newActivity(input, actor, base) {
		const type = input.type ?? 'task'; // UNCONFIRMED: the default type of an activity created without one
		if (!this.activityTypes.includes(type)) throw badRequest(`type: "${type}" is not an activity type (${this.activityTypes.join(', ')})`);
		this.checkActivityInput(input);
		return {
			id: this.nextIds.activities++,
			subject: input.subject ?? type.charAt(0).toUpperCase() + type.slice(1),
			type,
			owner_id: input.owner_id ?? actor.userId,
			creator_user_id: actor.userId,
			is_deleted: false,
			...base,
			deal_id: input.deal_id ?? null,
			lead_id: input.lead_id ?? null,
			person_id: input.person_id ?? null,
			org_id: input.org_id ?? null,
			project_id: input.project_id ?? null,
			due_date: input.due_date ?? null,
			due_time: input.due_time ?? null,
			duration: input.duration ?? null,
			busy: input.busy ?? false,
			done: input.done ?? false,
			marked_as_done_time: input.done ? base.add_time : null,
			location: input.location ?? null,
			participants: input.participants ?? [],
			attendees: input.attendees ?? [],
			conference_meeting_client: null,
			conference_meeting_url: null,
			conference_meeting_id: null,
			public_description: input.public_description ?? null,
			priority: input.priority ?? null,
			outcome: input.outcome ?? null,
			note: input.note ?? null,
		};
	}
	checkActivityInput(input) {
		if (input.type !== undefined && !this.activityTypes.includes(input.type)) throw badRequest(`type: "${input.type}" is not an activity type (${this.activityTypes.join(', ')})`);
		if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
		this.checkLink('deal_id', 'deals', input.deal_id);
		this.checkLink('person_id', 'persons', input.person_id);
		this.checkLink('org_id', 'organizations', input.org_id);
		if (input.lead_id !== undefined && input.lead_id !== null && !this.exists('leads', input.lead_id)) throw badRequest(`lead_id: lead ${input.lead_id} does not exist`);
		this.checkDates(input, ['due_date']);
		for (const f of ['due_time', 'duration']) if (input[f] !== undefined && input[f] !== null && !TIME_RE.test(input[f])) throw badRequest(`${f} must be HH:MM (got "${input[f]}")`);
	}

	newLead(input, actor, now) {
		if (!input.title || !String(input.title).trim()) throw badRequest('title: Lead title is required');
		this.checkLeadInput(input);
		// "A lead always has to be linked to a person or an organization or both" (API reference, POST /v1/leads).
		if (!input.person_id && !input.organization_id) throw badRequest('A lead must be linked to a person or an organization (person_id or organization_id)');
		const id = crypto.randomUUID();
		return {
			id,
			title: input.title,
			owner_id: input.owner_id ?? actor.userId,
			creator_id: actor.userId,
			label_ids: input.label_ids ?? [],
			person_id: input.person_id ?? null,
			organization_id: input.organization_id ?? null,
			source_name: actor.changeSource === 'api' ? 'API' : 'Manually created',
			origin: actor.changeSource === 'api' ? 'API' : 'ManuallyCreated',
			origin_id: input.origin_id ?? null,
			channel: input.channel ?? null,
			channel_id: input.channel_id ?? null,
			source_deal_id: null,
			is_archived: false,
			was_seen: input.was_seen ?? false,
			value: input.value ?? null,
			expected_close_date: input.expected_close_date ?? null,
			next_activity_id: null,
			add_time: new Date(now).toISOString(),
			update_time: new Date(now).toISOString(),
			visible_to: input.visible_to ?? '3',
			cc_email: `${this.company.domain}+lead${id.slice(0, 8)}@pipedrivemail.com`,
		};
	}
	checkLeadInput(input) {
		if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
		this.checkLink('person_id', 'persons', input.person_id);
		this.checkLink('organization_id', 'organizations', input.organization_id);
		for (const label of input.label_ids || []) if (!this.store.leadLabels.has(label)) throw badRequest(`label_ids: lead label ${label} does not exist`);
		this.checkDates(input, ['expected_close_date']);
	}

	newNote(input, actor, now) {
		if (!String(input.content ?? '').trim()) throw badRequest('content: Note content is required');
		this.checkNoteLinks(input);
		if (!['lead_id', 'deal_id', 'person_id', 'org_id', 'project_id', 'task_id'].some((k) => input[k] !== undefined && input[k] !== null)) {
			throw badRequest('A note must be attached to a lead, deal, person, organization, project or task');
		}
		const user = this.users.find((u) => u.id === (input.user_id ?? actor.userId));
		return {
			id: this.nextIds.notes++,
			active_flag: true,
			add_time: input.add_time ?? v1Time(now),
			content: input.content,
			lead_id: input.lead_id ?? null,
			deal_id: input.deal_id ?? null,
			person_id: input.person_id ?? null,
			org_id: input.org_id ?? null,
			project_id: input.project_id ?? null,
			task_id: input.task_id ?? null,
			last_update_user_id: null,
			pinned_to_deal_flag: !!input.pinned_to_deal_flag,
			pinned_to_organization_flag: !!input.pinned_to_organization_flag,
			pinned_to_person_flag: !!input.pinned_to_person_flag,
			pinned_to_project_flag: !!input.pinned_to_project_flag,
			pinned_to_task_flag: !!input.pinned_to_task_flag,
			update_time: v1Time(now),
			user_id: user ? user.id : actor.userId,
		};
	}
	checkNoteLinks(input) {
		this.checkLink('deal_id', 'deals', input.deal_id);
		this.checkLink('person_id', 'persons', input.person_id);
		this.checkLink('org_id', 'organizations', input.org_id);
		if (input.lead_id !== undefined && input.lead_id !== null && !this.exists('leads', input.lead_id)) throw badRequest(`lead_id: lead ${input.lead_id} does not exist`);
		if (input.user_id !== undefined) this.checkUser('user_id', input.user_id);
	}

	patch(collection, record, input, actor) {
		const now = this.now();
		const before = clone(record);
		switch (collection) {
			case 'deals': {
				if (input.title !== undefined && !String(input.title).trim()) throw badRequest('title: Deal title cannot be empty');
				if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
				this.checkLink('person_id', 'persons', input.person_id);
				this.checkLink('org_id', 'organizations', input.org_id);
				this.checkCustomFields('deals', input.custom_fields);
				this.checkDates(input, ['expected_close_date']);
				const placement = input.stage_id !== undefined || input.pipeline_id !== undefined ? this.placement(input, record) : undefined;
				const { status, custom_fields: custom, won_time: _w, lost_time: _l, close_time: _c, archive_time: _a, ...plain } = input;
				Object.assign(record, plain, placement || {});
				if (custom) record.custom_fields = this.customValues('deals', record.custom_fields, custom);
				this.applyStatus(record, { status, won_time: input.won_time, lost_time: input.lost_time, close_time: input.close_time, lost_reason: input.lost_reason }, now);
				if (record.stage_id !== before.stage_id) record.stage_change_time = iso(now);
				break;
			}
			case 'persons': {
				if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
				this.checkLink('org_id', 'organizations', input.org_id);
				this.checkCustomFields('persons', input.custom_fields);
				const { name, emails, phones, im, custom_fields: custom, ...plain } = input;
				Object.assign(record, plain);
				if (name !== undefined) Object.assign(record, this.names(name));
				if (emails !== undefined) record.emails = this.contacts(emails);
				if (phones !== undefined) record.phones = this.contacts(phones);
				if (im !== undefined) record.im = this.contacts(im);
				if (custom) record.custom_fields = this.customValues('persons', record.custom_fields, custom);
				break;
			}
			case 'organizations': {
				if (input.owner_id !== undefined) this.checkUser('owner_id', input.owner_id);
				this.checkCustomFields('organizations', input.custom_fields);
				const { custom_fields: custom, ...plain } = input;
				Object.assign(record, plain);
				if (custom) record.custom_fields = this.customValues('organizations', record.custom_fields, custom);
				break;
			}
			case 'activities':
				this.checkActivityInput(input);
				if (input.done !== undefined && input.done !== record.done) record.marked_as_done_time = input.done ? iso(now) : null;
				Object.assign(record, input);
				break;
			case 'stages':
				if (input.pipeline_id !== undefined && !this.exists('pipelines', input.pipeline_id)) throw badRequest(`pipeline_id: pipeline ${input.pipeline_id} does not exist`);
				Object.assign(record, input);
				break;
			case 'leads':
				this.checkLeadInput(input);
				Object.assign(record, input);
				break;
			case 'notes':
				this.checkNoteLinks(input);
				// pinned_to_lead_flag is accepted but not part of the Note the API answers (client's Note model).
				Object.assign(record, { ...input, pinned_to_lead_flag: undefined });
				delete record.pinned_to_lead_flag;
				record.last_update_user_id = actor.userId;
				break;
			default:
				Object.assign(record, input);
		}
		const changed = Object.keys(record).filter((k) => k !== 'update_time' && k !== '_writtenAt' && JSON.stringify(record[k]) !== JSON.stringify(before[k]));
		if (!changed.length) return record;
		record.update_time = collection === 'notes' ? v1Time(now) : collection === 'leads' ? new Date(now).toISOString() : iso(now);
		record._writtenAt = now;
		if (collection === 'deals') for (const f of changed.filter((k) => TRACKED_DEAL_FIELDS.includes(k))) this.logChange(record, f, before[f], record[f], actor);
		const previous = Object.fromEntries(changed.map((k) => [k, before[k]]));
		this.queueEvent('change', collection, record, previous, actor);
		return record;
	}

	destroy(collection, record, actor) {
		const before = clone(record);
		if (['deals', 'persons', 'organizations', 'activities', 'pipelines', 'stages'].includes(collection)) {
			// v2 deletes are soft: is_deleted (Pipedrive keeps deleted deals 30 days); GET answers 404 afterwards (UNCONFIRMED).
			record.is_deleted = true;
			record.update_time = iso(this.now());
		} else this.store[collection].delete(record.id);
		this.queueEvent('delete', collection, null, before, actor);
	}

	logChange(deal, field, oldValue, newValue, actor) {
		const list = this.changelogs.get(deal.id) || [];
		const text = (v) => (v === null || v === undefined ? null : String(v));
		list.push({
			id: this.nextIds.changes++,
			field_key: field,
			old_value: text(oldValue),
			new_value: text(newValue),
			actor_user_id: actor.userId,
			time: v1Time(this.now()),
			change_source: actor.changeSource,
			change_source_user_agent: actor.userAgent,
			is_bulk_update_flag: false,
		});
		this.changelogs.set(deal.id, list);
	}

	// ─────────────────────────────────────────────────────────── webhooks

	/** Queues a webhooks-v2 event for every active webhook that matches it. */
	queueEvent(action, collection, record, previous, actor) {
		const entity = { deals: 'deal', persons: 'person', organizations: 'organization', activities: 'activity', leads: 'lead', notes: 'note', pipelines: 'pipeline', stages: 'stage' }[collection];
		if (!entity) return;
		const subject = record || previous;
		const eventId = crypto.randomUUID();
		const correlationId = crypto.randomUUID();
		for (const webhook of this.webhooks.values()) {
			// v2 has no pipeline/stage events (https://pipedrive.readme.io/docs/guide-for-webhooks-v2); v1 deliveries are not modelled.
			if (webhook.version !== '2.0' || entity === 'pipeline' || entity === 'stage') continue;
			if (webhook.event_action !== '*' && webhook.event_action !== action) continue;
			if (webhook.event_object !== '*' && webhook.event_object !== entity) continue;
			const meta = {
				action,
				entity,
				entity_id: subject.id,
				company_id: this.company.id,
				correlation_id: correlationId,
				id: eventId,
				is_bulk_edit: false,
				timestamp: new Date(this.now()).toISOString(),
				type: 'general',
				user_id: actor.userId,
				version: '2.0',
				webhook_id: webhook.id,
				webhook_owner_id: webhook.owner_id,
				change_source: actor.changeSource,
				host: `${this.company.domain}.pipedrive.com`,
			};
			const data = record ? this.publicView(record) : null;
			const prev = action === 'change' ? previous : action === 'delete' ? this.publicView(previous) : null;
			this.webhookQueue.push({ webhookId: webhook.id, meta, data, previous: prev, attempt: 0, dueAt: this.now() });
		}
		if (this.options.autoDeliverWebhooks !== false && this.webhookQueue.length) setImmediate(() => this.deliverWebhooks().catch(() => {}));
	}

	/**
	 * Delivers every queued event that is due on the sandbox clock: 2xx within 10 s is a success;
	 * otherwise retried after 3, 30 and 150 s (4 attempts). 10 failed first attempts ban the
	 * webhook for 30 minutes (its events are dropped meanwhile); 3 days without a success delete it.
	 * Secondary source: api-evangelist's asyncapi summary of https://pipedrive.readme.io/docs/guide-for-webhooks-v2 (UNCONFIRMED:
	 * the schedule, whether banned events are dropped or held, that a deleted webhook disappears from GET /v1/webhooks).
	 */
	deliverWebhooks() {
		// One pass at a time, each after the previous one: a caller always gets a full pass that starts after its call.
		const run = (this.deliveryChain || Promise.resolve()).then(() => this.runDeliveries());
		this.deliveryChain = run.catch(() => {});
		return run;
	}

	async runDeliveries() {
		const sent = [];
		for (;;) {
			const now = this.now();
			this.expireWebhooks(now);
			const index = this.webhookQueue.findIndex((item) => item.dueAt <= now);
			if (index < 0) break;
			const [item] = this.webhookQueue.splice(index, 1);
			const webhook = this.webhooks.get(item.webhookId);
			if (!webhook) continue;
			if (webhook.bannedUntil && now < webhook.bannedUntil) {
				this.webhookDeliveries.push({ webhookId: webhook.id, url: webhook.subscription_url, eventId: item.meta.id, attempt: item.attempt + 1, status: 0, skipped: 'banned', body: undefined, headers: {}, at: now });
				continue;
			}
			item.attempt += 1;
			const status = await this.post(webhook, item);
			sent.push({ webhookId: webhook.id, eventId: item.meta.id, attempt: item.attempt, status });
			const ok = status >= 200 && status < 300;
			webhook.last_delivery_time = v1Time(this.now());
			webhook.last_http_status = status || null;
			if (ok) {
				webhook.lastSuccessAt = this.now();
				webhook.failingSinceSuccess = false;
				if (item.attempt === 1) webhook.firstAttemptFailures = 0;
				continue;
			}
			webhook.failingSinceSuccess = true;
			if (item.attempt === 1) {
				webhook.firstAttemptFailures = (webhook.firstAttemptFailures || 0) + 1;
				if (webhook.firstAttemptFailures >= WEBHOOK_BAN_AFTER_FAILURES) {
					webhook.bannedUntil = this.now() + WEBHOOK_BAN_MS;
					webhook.firstAttemptFailures = 0;
				}
			}
			if (item.attempt <= WEBHOOK_RETRY_DELAYS_MS.length) this.webhookQueue.push({ ...item, dueAt: this.now() + WEBHOOK_RETRY_DELAYS_MS[item.attempt - 1] });
		}
		return sent;
	}

	/** Deletes webhooks that failed and had no success for 3 days (since their last success, or creation). */
	expireWebhooks(now) {
		for (const webhook of [...this.webhooks.values()]) {
			if (!webhook.failingSinceSuccess || now - (webhook.lastSuccessAt ?? webhook.createdAt) < WEBHOOK_DELETE_AFTER_MS) continue;
			this.webhooks.delete(webhook.id);
			this.webhookQueue = this.webhookQueue.filter((i) => i.webhookId !== webhook.id);
			this.removedWebhooks.push({ ...this.webhookView(webhook), remove_reason: 'too_many_failures', remove_time: v1Time(now) });
		}
	}

	post(webhook, item) {
		const body = JSON.stringify({ meta: { ...item.meta, attempt: item.attempt }, data: item.data, previous: item.previous });
		const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Pipedrive Webhooks' };
		if (webhook.http_auth_user) headers.authorization = `Basic ${Buffer.from(`${webhook.http_auth_user}:${webhook.http_auth_password ?? ''}`).toString('base64')}`;
		const record = { webhookId: webhook.id, url: webhook.subscription_url, eventId: item.meta.id, attempt: item.attempt, status: 0, body, headers, at: this.now() };
		this.webhookDeliveries.push(record);
		return new Promise((resolve) => {
			let request;
			try {
				request = http.request(webhook.subscription_url, { method: 'POST', headers, timeout: this.options.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS }, (res) => {
					res.resume();
					res.on('end', () => resolve((record.status = res.statusCode)));
				});
			} catch {
				return resolve(0);
			}
			request.on('timeout', () => request.destroy());
			request.on('error', () => resolve(0));
			request.end(body);
		});
	}

	// ─────────────────────────────────────────────────────────── views

	/** A record as the API shows it (internal bookkeeping removed). */
	publicView(record) {
		if (!record) return record;
		const { _writtenAt, ...view } = record;
		return clone(view);
	}
	noteView(note) {
		const user = this.users.find((u) => u.id === note.user_id);
		const deal = note.deal_id ? this.store.deals.get(note.deal_id) : undefined;
		const person = note.person_id ? this.store.persons.get(note.person_id) : undefined;
		const org = note.org_id ? this.store.organizations.get(note.org_id) : undefined;
		return {
			...this.publicView(note),
			deal: deal ? { title: deal.title } : null,
			person: person ? { name: person.name } : null,
			organization: org ? { name: org.name } : null,
			project: null,
			task: null,
			user: user ? { email: user.email, icon_url: null, is_you: user.id === this.tokenUserId, name: user.name } : undefined,
		};
	}
	userView(user, viewerId) {
		return { ...clone(user), is_you: user.id === viewerId };
	}

	// ─────────────────────────────────────────────────────────── HTTP

	async handle(req, res) {
		const url = new URL(req.url, 'http://sandbox');
		const raw = await new Promise((resolve) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		});
		if (url.pathname.startsWith('/__sandbox/')) return this.control(req, res, url, raw);
		const match = /^(?:\/api)?\/(v1|v2)(\/.*)?$/.exec(url.pathname);
		const entry = {
			method: req.method,
			path: url.pathname,
			version: match ? match[1] : undefined,
			resource: match ? match[2] || '/' : url.pathname,
			query: Object.fromEntries([...url.searchParams.entries()].filter(([k]) => k !== 'api_token')),
			body: undefined,
			status: 0,
			auth: undefined,
			userId: undefined,
			cost: 0,
			violations: [],
			at: this.now(),
		};
		this.requests.push(entry);
		let rateHeaders = {};
		const send = (status, body, headers = {}) => {
			entry.status = status;
			if (entry.violations.length) this.violations.push(...entry.violations.map((v) => `${req.method} ${entry.path}: ${v}`));
			if (this.options.requestLog) fs.appendFileSync(this.options.requestLog, `${JSON.stringify({ method: entry.method, path: entry.path, query: entry.query, body: entry.body, status, at: entry.at })}\n`);
			const text = body === undefined ? '' : JSON.stringify(body);
			res.writeHead(status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...rateHeaders, ...headers });
			res.end(text);
		};
		try {
			if (!match || (match[1] === 'v2' && !url.pathname.startsWith('/api/v2'))) {
				entry.violations.push('not a Pipedrive API path (expected /api/v2/… or /api/v1/…)');
				throw new ApiError(404, 'Not found');
			}
			if (raw.trim()) {
				try {
					entry.body = JSON.parse(raw);
				} catch {
					entry.violations.push('the body is not valid JSON');
					throw badRequest('Invalid JSON body');
				}
			}
			const fault = this.takeFault(req.method, url.pathname);
			if (fault) {
				if (fault.delayMs) await sleep(fault.delayMs);
				if (fault.drop) {
					req.socket.destroy();
					return;
				}
				return send(fault.status, fault.body, fault.headers || {});
			}
			this.requestHook?.(entry);
			if (this.options.latencyMs) await sleep(this.options.latencyMs);
			const token = this.authenticate(req, url, entry);
			const route = this.resolve(req.method, entry.version, entry.resource, entry);
			this.checkScope(token, route);
			rateHeaders = this.spend(token, route, req.method, entry);
			const answer = await route.handler({ req, url, entry, params: route.params, body: entry.body, query: url.searchParams, actor: { userId: token.userId, changeSource: 'api', userAgent: req.headers['user-agent'] ?? null } });
			return send(answer.status ?? 200, answer.body, answer.headers);
		} catch (error) {
			if (!(error instanceof ApiError)) return send(500, { success: false, error: `Sandbox failure: ${error && error.message}`, error_info: ERROR_INFO, data: null, additional_data: null });
			return send(error.status, error.body, error.headers);
		}
	}

	/** x-api-token header, api_token query (discouraged by Pipedrive) or an OAuth bearer token. */
	authenticate(req, url, entry) {
		const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization || ''));
		const candidates = [
			['header', req.headers['x-api-token']],
			['query', url.searchParams.get('api_token')],
			['bearer', bearer && bearer[1]],
		].filter(([, v]) => v);
		// UNCONFIRMED: the 401 body's texts (errorCode as seen in v1 answers).
		const unauthorized = () => new ApiError(401, 'unauthorized access', { errorCode: 401 });
		if (!candidates.length) throw unauthorized();
		const [how, value] = candidates[0];
		const token = this.tokens[value];
		if (!token || (how === 'bearer') !== (token.kind === 'oauth')) throw unauthorized();
		entry.auth = how === 'bearer' ? 'oauth' : how === 'query' ? 'apiTokenQuery' : 'apiToken';
		entry.userId = token.userId;
		return { ...token, value };
	}

	/** OAuth scopes (https://pipedrive.readme.io/docs/marketplace-scopes-and-permissions-explanations); api tokens have every right of their user. */
	checkScope(token, route) {
		if (token.kind !== 'oauth' || !route.scope) return;
		const [group, level] = route.scope.split(':');
		const ok = token.scopes.some((s) => s === group || s === `${group}:full` || (level === 'read' && s === `${group}:read`));
		// UNCONFIRMED: the 403 body's text.
		if (!ok) throw new ApiError(403, `Scope and URL mismatch: this request needs the ${group === 'admin' ? 'admin' : `${group}:${level}`} scope`, { errorCode: 403 });
	}

	rollDay() {
		const day = new Date(this.now()).toISOString().slice(0, 10);
		if (this.usage.day !== day) Object.assign(this.usage, { day, tokensUsed: 0, writes: 0 });
	}

	/**
	 * Burst limit per token per 2-second window (search endpoints: their own, lower limit), then the
	 * company's daily token budget. Headers on every authenticated answer: x-ratelimit-limit,
	 * x-ratelimit-remaining, x-ratelimit-reset (seconds) and, for api_token requests,
	 * x-daily-requests-left (POST/PUT left of the 10,000 a day "fair usage";
	 * https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting). A refused request costs nothing.
	 * UNCONFIRMED: the daily-budget 429's text and headers (no documented budget header is sent).
	 */
	spend(token, route, method, entry) {
		this.rollDay();
		const now = this.now();
		const isSearch = route.kind === 'search';
		const limit = token.kind === 'oauth' ? this.limits.oauth : this.limits.apiToken;
		const windowOf = (key) => {
			const hits = (this.usage.windows.get(key) || []).filter((t) => now - t < this.limits.windowMs);
			this.usage.windows.set(key, hits);
			return hits;
		};
		const general = windowOf(token.value);
		const search = isSearch ? windowOf(`${token.value}#search`) : undefined;
		const effective = search && this.limits.search - search.length < limit - general.length ? { hits: search, limit: this.limits.search } : { hits: general, limit };
		const resetIn = (hits) => (hits.length ? Math.max(1, Math.ceil((hits[0] + this.limits.windowMs - now) / 1000)) : Math.ceil(this.limits.windowMs / 1000));
		const headers = (remaining) => ({
			'x-ratelimit-limit': String(effective.limit),
			'x-ratelimit-remaining': String(Math.max(0, remaining)),
			'x-ratelimit-reset': String(resetIn(effective.hits)),
			...(token.kind === 'oauth' ? {} : { 'x-daily-requests-left': String(Math.max(0, 10_000 - this.usage.writes)) }),
		});
		if (effective.hits.length >= effective.limit) {
			// UNCONFIRMED: the 429 body's error text.
			throw new ApiError(429, 'Request over limit', { errorCode: 429 }, headers(0));
		}
		const cost = this.costs[entry.version][route.kind];
		if (this.usage.tokensUsed + cost > this.limits.dailyBudget) {
			const midnight = Date.parse(`${this.usage.day}T00:00:00Z`) + DAY_MS;
			throw new ApiError(429, 'Daily token budget exceeded', { errorCode: 429 }, { ...headers(effective.limit - effective.hits.length), 'x-ratelimit-reset': String(Math.ceil((midnight - now) / 1000)) });
		}
		general.push(now);
		if (search) search.push(now);
		this.usage.tokensUsed += cost;
		if (['POST', 'PUT', 'PATCH'].includes(method)) this.usage.writes += 1;
		entry.cost = cost;
		return headers(effective.limit - effective.hits.length);
	}

	// ─────────────────────────────────────────────────────────── routes

	resolve(method, version, resource, entry) {
		for (const route of this.routes()) {
			if (route.method !== method || route.version !== version) continue;
			const m = route.regex.exec(resource);
			if (!m) continue;
			const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
			this.checkQuery(route, entry);
			if (route.body) {
				const problems = checkBody(BODIES[route.body], entry.body ?? {});
				if (problems.length) {
					entry.violations.push(...problems);
					throw badRequest(`Validation failed: ${problems.join('; ')}`);
				}
			}
			return { ...route, params };
		}
		if (version === 'v1' && V1_REPLACED.test(resource)) {
			entry.violations.push('API v1 endpoint replaced by v2 (out of support since 2026-08-01)');
			// UNCONFIRMED: Pipedrive says these "may still answer"; the sandbox refuses them so the package cannot rely on them.
			throw new ApiError(410, 'This API v1 endpoint is out of support; use API v2', { code: 'ERR_GONE' });
		}
		entry.violations.push(`no such endpoint ${method} /${version}${resource}`);
		throw new ApiError(404, 'Unknown method .');
	}

	checkQuery(route, entry) {
		const allowed = QUERY[route.query || 'none'];
		const unknown = Object.keys(entry.query).filter((k) => !allowed.includes(k));
		if (unknown.length) {
			entry.violations.push(...unknown.map((k) => `query parameter ${k} is not documented for this endpoint`));
			throw badRequest(`Unknown query parameters: ${unknown.join(', ')}`);
		}
	}

	routes() {
		if (this.routeTable) return this.routeTable;
		const table = [];
		const add = (method, version, path, kind, handler, extra = {}) => {
			const names = [];
			const source = path.replace(/\{(\w+)\}/g, (_, n) => (names.push(n), '([^/]+)'));
			table.push({ method, version, path, kind, handler, regex: new RegExp(`^${source}/?$`), names, ...extra });
		};
		const ok = (data, additional) => ({ body: { success: true, data, ...(additional !== undefined ? { additional_data: additional } : {}) } });
		for (const [segment, info] of Object.entries(V2_ENTITIES)) {
			const read = `${info.scope}:read`;
			const full = `${info.scope}:full`;
			const entity = info.entity;
			add('GET', 'v2', `/${segment}`, 'list', (c) => this.listV2(segment, c), { query: `v2.${segment}.list`, scope: read });
			if (segment === 'deals') add('GET', 'v2', '/deals/archived', 'list', (c) => this.listV2(segment, c, { archived: true }), { query: 'v2.deals.list', scope: read });
			if (['deals', 'persons', 'organizations'].includes(segment)) add('GET', 'v2', `/${segment}/search`, 'search', (c) => this.search(segment, c), { query: `v2.${segment}.search`, scope: 'search:read' });
			add('GET', 'v2', `/${segment}/{id}`, 'get', (c) => ok(this.viewV2(segment, this.mustGet(segment, this.intParam(c.params.id)), c.query)), { query: 'v2.get', scope: read });
			add('POST', 'v2', `/${segment}`, 'create', (c) => ok(this.viewV2(segment, this.insert(segment, c.body, c.actor))), { body: `${entity}.create`, scope: full });
			add('PATCH', 'v2', `/${segment}/{id}`, 'update', (c) => ok(this.viewV2(segment, this.patch(segment, this.mustGet(segment, this.intParam(c.params.id)), c.body ?? {}, c.actor))), { body: `${entity}.update`, scope: full });
			add('DELETE', 'v2', `/${segment}/{id}`, 'delete', (c) => {
				const record = this.mustGet(segment, this.intParam(c.params.id));
				this.destroy(segment, record, c.actor);
				return ok({ id: record.id });
			}, { scope: full });
		}
		for (const [segment, collection] of [['dealFields', 'deals'], ['personFields', 'persons'], ['organizationFields', 'organizations'], ['activityFields', 'activities']]) {
			add('GET', 'v2', `/${segment}`, 'list', () => ok(this.fieldsOf(collection), { next_cursor: null }), { query: 'v2.fields.list', scope: collection === 'activities' ? 'activities:read' : collection === 'deals' ? 'deals:read' : 'contacts:read' });
		}
		add('GET', 'v2', '/leads/search', 'search', (c) => this.search('leads', c), { query: 'v2.leads.search', scope: 'search:read' });
		add('POST', 'v2', '/leads/{id}/convert/deal', 'create', (c) => this.startConversion(c), { body: 'lead.convert', scope: 'leads:full' });
		add('GET', 'v2', '/leads/{id}/convert/status/{conversion_id}', 'get', (c) => this.conversionStatus(c), { scope: 'leads:read' });

		// v1
		add('GET', 'v1', '/leads', 'list', (c) => this.listLeads(c, false), { query: 'v1.leads.list', scope: 'leads:read' });
		add('GET', 'v1', '/leads/archived', 'list', (c) => this.listLeads(c, true), { query: 'v1.leads.list', scope: 'leads:read' });
		add('GET', 'v1', '/leads/{id}', 'get', (c) => ok(this.publicView(this.mustGet('leads', c.params.id))), { scope: 'leads:read' });
		add('POST', 'v1', '/leads', 'create', (c) => ({ status: 201, ...ok(this.publicView(this.insert('leads', c.body, c.actor))) }), { body: 'lead.create', scope: 'leads:full' });
		add('PATCH', 'v1', '/leads/{id}', 'update', (c) => ok(this.publicView(this.patch('leads', this.mustGet('leads', c.params.id), c.body ?? {}, c.actor))), { body: 'lead.update', scope: 'leads:full' });
		add('DELETE', 'v1', '/leads/{id}', 'delete', (c) => {
			const lead = this.mustGet('leads', c.params.id);
			this.destroy('leads', lead, c.actor);
			return ok({ id: lead.id });
		}, { scope: 'leads:full' });
		add('GET', 'v1', '/leadLabels', 'list', () => ok(this.list('leadLabels').map((l) => this.publicView(l))), { scope: 'leads:read' });
		add('POST', 'v1', '/leadLabels', 'create', (c) => ok(this.publicView(this.insert('leadLabels', c.body, c.actor))), { body: 'leadLabel.create', scope: 'leads:full' });
		add('PATCH', 'v1', '/leadLabels/{id}', 'update', (c) => ok(this.publicView(this.patch('leadLabels', this.mustGet('leadLabels', c.params.id), c.body ?? {}, c.actor))), { body: 'leadLabel.update', scope: 'leads:full' });
		add('DELETE', 'v1', '/leadLabels/{id}', 'delete', (c) => {
			const label = this.mustGet('leadLabels', c.params.id);
			this.store.leadLabels.delete(label.id);
			return ok({ id: label.id });
		}, { scope: 'leads:full' });
		add('GET', 'v1', '/notes', 'list', (c) => this.listNotes(c), { query: 'v1.notes.list', scope: 'deals:read' });
		add('GET', 'v1', '/notes/{id}', 'get', (c) => ok(this.noteView(this.mustGet('notes', this.intParam(c.params.id)))), { scope: 'deals:read' });
		add('POST', 'v1', '/notes', 'create', (c) => ok(this.noteView(this.insert('notes', c.body, c.actor))), { body: 'note.create', scope: 'deals:full' });
		add('PUT', 'v1', '/notes/{id}', 'update', (c) => ok(this.noteView(this.patch('notes', this.mustGet('notes', this.intParam(c.params.id)), c.body ?? {}, c.actor))), { body: 'note.update', scope: 'deals:full' });
		add('DELETE', 'v1', '/notes/{id}', 'delete', (c) => {
			this.destroy('notes', this.mustGet('notes', this.intParam(c.params.id)), c.actor);
			return ok(true);
		}, { scope: 'deals:full' });
		add('GET', 'v1', '/users', 'list', (c) => ok(this.users.map((u) => this.userView(u, c.actor.userId))), { scope: 'users:read' });
		add('GET', 'v1', '/users/me', 'get', (c) => ok(this.me(c.actor.userId)), { scope: 'base' });
		add('GET', 'v1', '/users/{id}', 'get', (c) => {
			const user = this.users.find((u) => u.id === this.intParam(c.params.id));
			if (!user) throw notFound('User');
			return ok(this.userView(user, c.actor.userId));
		}, { scope: 'users:read' });
		add('GET', 'v1', '/deals/{id}/flow', 'list', (c) => this.flow(c), { query: 'v1.deals.flow', scope: 'deals:read' });
		add('GET', 'v1', '/deals/{id}/changelog', 'list', (c) => this.changelog(c), { query: 'v1.deals.changelog', scope: 'deals:read' });
		add('GET', 'v1', '/webhooks', 'list', (c) => ({ body: { success: true, data: this.listWebhooks().filter((w) => w.owner_id === c.actor.userId).map((w) => this.webhookView(w)) } }), { scope: 'admin' });
		add('POST', 'v1', '/webhooks', 'create', (c) => this.addWebhook(c), { body: 'webhook.create', scope: 'admin' });
		add('DELETE', 'v1', '/webhooks/{id}', 'delete', (c) => {
			const webhook = this.webhooks.get(this.intParam(c.params.id));
			if (!webhook) throw new ApiError(404, 'Webhook not found');
			this.webhooks.delete(webhook.id);
			this.webhookQueue = this.webhookQueue.filter((i) => i.webhookId !== webhook.id);
			return { body: { success: true } };
		}, { scope: 'admin' });
		this.routeTable = table;
		return table;
	}

	intParam(value) {
		if (!/^\d+$/.test(value)) throw badRequest(`id must be an integer (got "${value}")`);
		return Number(value);
	}

	viewV2(collection, record, query) {
		const view = this.publicView(record);
		// marketing_status is one of the optional include_fields of persons (GET /api/v2/persons).
		if (collection === 'persons' && !(query?.get('include_fields') || '').split(',').includes('marketing_status')) delete view.marketing_status;
		const only = query?.get('custom_fields');
		if (only && view.custom_fields) {
			const keys = only.split(',');
			view.custom_fields = Object.fromEntries(Object.entries(view.custom_fields).filter(([k]) => keys.includes(k)));
		}
		return view;
	}

	/** v2 list: filters, sort, keyset cursor (opaque to clients), limit ≤ 500 ("max 500", descriptions of the v2 list endpoints). */
	listV2(collection, c, { archived = false } = {}) {
		const q = c.query;
		const limit = this.limitParam(q, 500);
		const sortBy = q.get('sort_by') ?? 'id';
		if (!SORT_BY[collection].includes(sortBy)) throw badRequest(`sort_by must be one of ${SORT_BY[collection].join(', ')}`);
		const direction = q.get('sort_direction') ?? 'asc';
		if (!['asc', 'desc'].includes(direction)) throw badRequest('sort_direction must be asc or desc');
		const since = this.timeParam(q, 'updated_since');
		const until = this.timeParam(q, 'updated_until');
		if (q.get('filter_id')) {
			c.entry.violations.push('filter_id: the sandbox has no filters');
			throw badRequest('filter_id: filter does not exist');
		}
		const status = q.get('status');
		if (status && !status.split(',').every((v) => ['open', 'won', 'lost', 'deleted'].includes(v))) throw badRequest(`status must be open, won, lost or deleted (got "${status}")`);
		const wantDeleted = collection === 'deals' && status && status.split(',').includes('deleted');
		let rows = [...this.store[collection].values()].filter((r) => (wantDeleted ? r.is_deleted : !r.is_deleted));
		if (collection === 'deals') rows = rows.filter((r) => !!r.is_archived === archived); // archived deals are hidden since 2025-07-15 (pipedrive.md)
		const ints = (name) => (q.get(name) ? q.get(name).split(',').map(Number) : undefined);
		const idsFilter = ints('ids');
		if (idsFilter) rows = rows.filter((r) => idsFilter.includes(r.id));
		for (const field of ['owner_id', 'person_id', 'org_id', 'pipeline_id', 'stage_id', 'deal_id']) {
			const wanted = q.get(field);
			if (wanted !== null && wanted !== '') rows = rows.filter((r) => String(r[field]) === wanted);
		}
		if (q.get('lead_id')) rows = rows.filter((r) => r.lead_id === q.get('lead_id'));
		if (status && !wantDeleted) rows = rows.filter((r) => status.split(',').includes(r.status));
		if (q.get('done') !== null) rows = rows.filter((r) => String(r.done) === (q.get('done') === '1' ? 'true' : q.get('done') === '0' ? 'false' : q.get('done')));
		if (since !== undefined) rows = rows.filter((r) => Date.parse(r.update_time) >= since);
		if (until !== undefined) rows = rows.filter((r) => Date.parse(r.update_time) < until);
		const key = (r) => r[sortBy] ?? '';
		const cmp = (a, b) => {
			const x = key(a);
			const y = key(b);
			const primary = x < y ? -1 : x > y ? 1 : 0;
			return (primary || a.id - b.id) * (direction === 'desc' ? -1 : 1);
		};
		rows.sort(cmp);
		const cursor = q.get('cursor');
		if (cursor) {
			let after;
			try {
				after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
			} catch {
				throw badRequest('cursor: invalid cursor');
			}
			if (!after || after.s !== sortBy || after.d !== direction) throw badRequest('cursor: invalid cursor');
			rows = rows.filter((r) => cmp(r, { id: after.id, [sortBy]: after.k }) > 0);
		}
		const page = rows.slice(0, limit);
		const last = page[page.length - 1];
		const next = rows.length > limit ? Buffer.from(JSON.stringify({ s: sortBy, d: direction, k: key(last), id: last.id })).toString('base64url') : null;
		return { body: { success: true, data: page.map((r) => this.viewV2(collection, r, q)), additional_data: { next_cursor: next } } };
	}

	limitParam(q, max, fallback = 100) {
		const raw = q.get('limit');
		if (raw === null) return fallback;
		const n = Number(raw);
		// UNCONFIRMED: Pipedrive may clamp a limit above the maximum instead of refusing it.
		if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`limit must be an integer from 1 to ${max} (got "${raw}")`);
		return n;
	}
	timeParam(q, name) {
		const raw = q.get(name);
		if (raw === null) return undefined;
		if (!RFC3339_RE.test(raw)) throw badRequest(`${name} must be an RFC 3339 date-time like 2025-01-01T10:20:00Z (got "${raw}")`);
		return Date.parse(raw);
	}

	fieldsOf(collection) {
		const system = {
			deals: [['title', 'Title', 'varchar'], ['value', 'Value', 'monetary'], ['stage_id', 'Stage', 'stage'], ['pipeline_id', 'Pipeline', 'double'], ['owner_id', 'Owner', 'user'], ['status', 'Status', 'status'], ['person_id', 'Contact person', 'people'], ['org_id', 'Organization', 'org'], ['expected_close_date', 'Expected close date', 'date']],
			persons: [['name', 'Name', 'varchar'], ['emails', 'Email', 'varchar'], ['phones', 'Phone', 'phone'], ['owner_id', 'Owner', 'user'], ['org_id', 'Organization', 'org']],
			organizations: [['name', 'Name', 'varchar'], ['address', 'Address', 'address'], ['owner_id', 'Owner', 'user']],
			activities: [['subject', 'Subject', 'varchar'], ['type', 'Type', 'varchar'], ['due_date', 'Due date', 'date'], ['owner_id', 'Assigned to user', 'user'], ['done', 'Done', 'boolean']],
		}[collection];
		return [
			...system.map(([code, name, type]) => ({ field_name: name, field_code: code, field_type: type, is_custom_field: false, is_optional_response_field: false, options: null, subfields: null })),
			...this.customFields[collection].map((f) => ({ field_name: f.name, field_code: f.key, field_type: f.field_type, is_custom_field: true, is_optional_response_field: false, options: f.options, subfields: null })),
		];
	}

	/**
	 * v2 search (https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons and the v2
	 * equivalents): `term` at least 2 characters (1 with exact_match), matched case-insensitively in
	 * the chosen `fields`; exact_match compares whole values. UNCONFIRMED: the result_score values.
	 */
	search(collection, c) {
		const q = c.query;
		const term = q.get('term');
		const exact = q.get('exact_match') === 'true' || q.get('exact_match') === '1';
		if (!term || term.trim().length < (exact ? 1 : 2)) throw badRequest(`term must be at least ${exact ? 1 : 2} characters`);
		const fields = q.get('fields') ? q.get('fields').split(',') : SEARCH_FIELDS[collection];
		for (const f of fields) if (!SEARCH_FIELDS[collection].includes(f)) throw badRequest(`fields: "${f}" is not searchable here (${SEARCH_FIELDS[collection].join(', ')})`);
		const limit = this.limitParam(q, 500);
		const needle = term.trim().toLowerCase();
		const now = this.now();
		const valuesOf = (r, field) => {
			switch (field) {
				case 'email':
					return r.emails.map((e) => e.value);
				case 'phone':
					return r.phones.map((p) => p.value);
				case 'name':
				case 'title':
					return [r.name ?? r.title];
				case 'address':
					return r.address ? [r.address.value] : [];
				case 'notes':
					return [...this.store.notes.values()].filter((n) => (collection === 'deals' && n.deal_id === r.id) || (collection === 'persons' && n.person_id === r.id) || (collection === 'organizations' && n.org_id === r.id) || (collection === 'leads' && n.lead_id === r.id)).map((n) => n.content);
				case 'custom_fields':
					return Object.values(r.custom_fields || {}).filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
				default:
					return [];
			}
		};
		let rows = [...this.store[collection].values()].filter((r) => !r.is_deleted && now - r._writtenAt >= this.searchLagMs);
		for (const [param, field] of [['person_id', 'person_id'], ['organization_id', collection === 'leads' ? 'organization_id' : 'org_id']]) {
			if (q.get(param)) rows = rows.filter((r) => String(r[field]) === q.get(param));
		}
		if (q.get('status')) rows = rows.filter((r) => r.status === q.get('status'));
		const scored = [];
		for (const r of rows) {
			let score = 0;
			for (const f of fields) {
				for (const v of valuesOf(r, f)) {
					const text = String(v ?? '').toLowerCase();
					if (text === needle) score = Math.max(score, 1);
					else if (!exact && text.includes(needle)) score = Math.max(score, text.startsWith(needle) ? 0.8 : 0.5);
				}
			}
			if (score) scored.push({ r, score });
		}
		scored.sort((a, b) => b.score - a.score || (a.r.id < b.r.id ? -1 : 1));
		const start = q.get('cursor') ? Number(Buffer.from(q.get('cursor'), 'base64url').toString('utf8')) : 0;
		if (!Number.isInteger(start) || start < 0) throw badRequest('cursor: invalid cursor');
		const page = scored.slice(start, start + limit);
		const next = scored.length > start + limit ? Buffer.from(String(start + limit)).toString('base64url') : null;
		return { body: { success: true, data: { items: page.map(({ r, score }) => ({ result_score: score, item: this.searchItem(collection, r) })) }, additional_data: { next_cursor: next } } };
	}

	searchItem(collection, r) {
		const ref = (col, id) => {
			const x = id ? this.store[col].get(id) : undefined;
			return x ? { id: x.id, name: x.name ?? x.title } : null;
		};
		const customs = Object.values(r.custom_fields || {}).filter((v) => v !== null && v !== undefined).map(String);
		if (collection === 'persons') return { id: r.id, type: 'person', name: r.name, phones: r.phones.map((p) => p.value), emails: r.emails.map((e) => e.value), visible_to: r.visible_to, owner: { id: r.owner_id }, organization: ref('organizations', r.org_id), custom_fields: customs, notes: [] };
		if (collection === 'organizations') return { id: r.id, type: 'organization', name: r.name, address: r.address ? r.address.value : null, visible_to: r.visible_to, owner: { id: r.owner_id }, custom_fields: customs, notes: [] };
		if (collection === 'deals') {
			const stage = this.store.stages.get(r.stage_id);
			return { id: r.id, type: 'deal', title: r.title, value: r.value, currency: r.currency, status: r.status, visible_to: r.visible_to, owner: { id: r.owner_id }, stage: { id: stage.id, name: stage.name }, person: ref('persons', r.person_id), organization: ref('organizations', r.org_id), custom_fields: customs, notes: [], is_archived: r.is_archived };
		}
		return { id: r.id, type: 'lead', title: r.title, owner: { id: r.owner_id }, person: ref('persons', r.person_id), organization: ref('organizations', r.organization_id), phones: [], emails: [], custom_fields: [], notes: [], value: r.value ? r.value.amount : null, currency: r.value ? r.value.currency : null, visible_to: Number(r.visible_to), is_archived: r.is_archived };
	}

	/** v1 leads list: offset pagination, additional_data {start, limit, more_items_in_collection} (GetLeadsResponse). */
	listLeads(c, archived) {
		const q = c.query;
		const limit = this.limitParam(q, 500);
		const start = Number(q.get('start') ?? 0);
		if (!Number.isInteger(start) || start < 0) throw badRequest('start must be a non-negative integer');
		const since = q.get('updated_since') ? Date.parse(q.get('updated_since')) : undefined;
		if (q.get('updated_since') && Number.isNaN(since)) throw badRequest('updated_since must be an ISO 8601 date-time');
		let rows = [...this.store.leads.values()].filter((l) => l.is_archived === archived);
		for (const field of ['owner_id', 'person_id', 'organization_id']) if (q.get(field)) rows = rows.filter((l) => String(l[field]) === q.get(field));
		if (since !== undefined) rows = rows.filter((l) => Date.parse(l.update_time) >= since);
		const [sortField, sortDir = 'ASC'] = (q.get('sort') ?? 'add_time ASC').split(/\s+/);
		rows.sort((a, b) => {
			const x = a[sortField] ?? '';
			const y = b[sortField] ?? '';
			return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1) * (sortDir.toUpperCase() === 'DESC' ? -1 : 1);
		});
		const page = rows.slice(start, start + limit);
		return { body: { success: true, data: page.map((l) => this.publicView(l)), additional_data: { start, limit, more_items_in_collection: rows.length > start + limit } } };
	}

	/** v1 notes list: additional_data.pagination {start, limit, more_items_in_collection, next_start}. */
	listNotes(c) {
		const q = c.query;
		const limit = this.limitParam(q, 500);
		const start = Number(q.get('start') ?? 0);
		let rows = [...this.store.notes.values()];
		for (const field of ['user_id', 'deal_id', 'person_id', 'org_id', 'lead_id']) if (q.get(field)) rows = rows.filter((n) => String(n[field]) === q.get(field));
		if (q.get('updated_since')) rows = rows.filter((n) => n.update_time >= q.get('updated_since'));
		rows.sort((a, b) => a.id - b.id);
		const page = rows.slice(start, start + limit);
		const more = rows.length > start + limit;
		return { body: { success: true, data: page.map((n) => this.noteView(n)), additional_data: { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } } } };
	}

	me(userId) {
		const user = this.users.find((u) => u.id === userId);
		return { ...this.userView(user, userId), company_id: this.company.id, company_name: this.company.name, company_domain: this.company.domain, company_country: 'DE', company_industry: 'Software', language: { language_code: 'en', country_code: 'US' } };
	}

	/**
	 * v1 deal flow (GetDealUpdatesResponse): newest first, `object` dealChange/note/activity with a
	 * `timestamp` and the change in `data` (id, item_id, user_id, field_key, old_value, new_value,
	 * is_bulk_update_flag, log_time, change_source, change_source_user_agent, additional_data).
	 * UNCONFIRMED: which fields produce dealChange entries and the formatted values.
	 */
	flow(c) {
		const deal = this.mustGet('deals', this.intParam(c.params.id));
		const q = c.query;
		const limit = this.limitParam(q, 500);
		const start = Number(q.get('start') ?? 0);
		const kinds = q.get('items') ? q.get('items').split(',') : ['dealChange', 'note', 'activity'];
		const stageName = (id) => this.store.stages.get(Number(id))?.name ?? null;
		const entries = [];
		if (kinds.includes('dealChange')) {
			for (const change of this.changelogs.get(deal.id) || []) {
				const formatted = change.field_key === 'stage_id' ? { old_value_formatted: stageName(change.old_value), new_value_formatted: stageName(change.new_value) } : { old_value_formatted: change.old_value, new_value_formatted: change.new_value };
				entries.push({ object: 'dealChange', timestamp: change.time, seq: change.id, data: { id: change.id, item_id: deal.id, user_id: change.actor_user_id, field_key: change.field_key, old_value: change.old_value, new_value: change.new_value, is_bulk_update_flag: change.is_bulk_update_flag, log_time: change.time, change_source: change.change_source, change_source_user_agent: change.change_source_user_agent, additional_data: formatted } });
			}
		}
		if (kinds.includes('note')) for (const n of this.store.notes.values()) if (n.deal_id === deal.id) entries.push({ object: 'note', timestamp: n.add_time, seq: 0, data: this.noteView(n) });
		if (kinds.includes('activity')) for (const a of this.store.activities.values()) if (a.deal_id === deal.id && !a.is_deleted) entries.push({ object: 'activity', timestamp: v1Time(Date.parse(a.add_time)), seq: 0, data: this.publicView(a) });
		entries.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : b.seq - a.seq));
		const page = entries.slice(start, start + limit).map(({ seq, ...e }) => e);
		const owner = this.users.find((u) => u.id === deal.owner_id);
		return {
			body: {
				success: true,
				data: page,
				additional_data: { start, limit, more_items_in_collection: entries.length > start + limit },
				related_objects: { deal: { [deal.id]: { id: deal.id, title: deal.title, status: deal.status, value: deal.value, currency: deal.currency, stage_id: deal.stage_id, pipeline_id: deal.pipeline_id } }, user: owner ? { [owner.id]: { id: owner.id, name: owner.name, email: owner.email, has_pic: 0, pic_hash: null, active_flag: owner.active_flag } } : {} },
			},
		};
	}

	/** v1 deal changelog (GetChangelogResponse): newest first, cursor pagination. */
	changelog(c) {
		const deal = this.mustGet('deals', this.intParam(c.params.id));
		const limit = this.limitParam(c.query, 500);
		const rows = [...(this.changelogs.get(deal.id) || [])].reverse();
		const start = c.query.get('cursor') ? Number(Buffer.from(c.query.get('cursor'), 'base64url').toString('utf8')) : 0;
		const page = rows.slice(start, start + limit).map(({ id, ...rest }) => rest);
		const next = rows.length > start + limit ? Buffer.from(String(start + limit)).toString('base64url') : null;
		return { body: { success: true, data: page, additional_data: { next_cursor: next } } };
	}

	/** POST /v1/webhooks (https://developers.pipedrive.com/docs/api/v1/Webhooks#addWebhook); 201 with the webhook. */
	addWebhook(c) {
		const b = c.body;
		const errors = {};
		let url;
		try {
			url = new URL(b.subscription_url);
		} catch {
			errors.subscription_url = ['The subscription URL must be a valid URL'];
		}
		if (url && !['http:', 'https:'].includes(url.protocol)) errors.subscription_url = ['The subscription URL must be http(s)'];
		if (url && /pipedrive\.com$/.test(url.hostname)) errors.subscription_url = ['Pipedrive API endpoints cannot be used as the subscription_url'];
		const userId = b.user_id ?? c.actor.userId;
		if (b.user_id !== undefined && !this.users.some((u) => u.id === b.user_id)) errors.user_id = ['User not found'];
		// "The maximum limit of webhooks is 40 different webhooks per user" (guide for webhooks v2). UNCONFIRMED: the answer when over it.
		if ([...this.webhooks.values()].filter((w) => w.owner_id === c.actor.userId).length >= MAX_WEBHOOKS_PER_USER) errors.subscription_url = ['Webhooks limit reached (40 per user)'];
		if (Object.keys(errors).length) throw new ApiError(400, 'Validation failed', { errors });
		const now = this.now();
		const webhook = {
			id: this.nextIds.webhooks++,
			company_id: this.company.id,
			owner_id: c.actor.userId,
			user_id: userId,
			event_action: b.event_action,
			event_object: b.event_object,
			subscription_url: b.subscription_url,
			version: b.version ?? '1.0', // the spec's default (client-php docs: "default to '1.0'")
			is_active: 1,
			add_time: v1Time(now),
			remove_time: null,
			type: 'general',
			http_auth_user: b.http_auth_user ?? null,
			http_auth_password: b.http_auth_password ?? null,
			remove_reason: null,
			last_delivery_time: null,
			last_http_status: null,
			admin_id: c.actor.userId,
			name: b.name,
			createdAt: now,
		};
		this.webhooks.set(webhook.id, webhook);
		return { status: 201, body: { success: true, data: this.webhookView(webhook) } };
	}
	webhookView(webhook) {
		const { createdAt, lastSuccessAt, failingSinceSuccess, firstAttemptFailures, bannedUntil, ...view } = webhook;
		// UNCONFIRMED: whether Pipedrive shows the password back; the sandbox masks it.
		return { ...clone(view), http_auth_password: view.http_auth_password ? '******' : null, is_active: bannedUntil && this.now() < bannedUntil ? 0 : 1 };
	}

	/**
	 * v2 lead → deal conversion, async: POST answers a conversion_id; the status endpoint answers
	 * `running` for `conversionPolls` polls, then converts and answers `completed` with the deal_id
	 * (GetConvertResponse1). The deal takes the lead's title, owner, person, organization, value;
	 * the lead's notes and activities move to the deal; the lead is removed (GET → 404) and the deal
	 * keeps `source_lead_id`. UNCONFIRMED: when the work happens, the lead's fate, what moves.
	 */
	startConversion(c) {
		const lead = this.mustGet('leads', c.params.id);
		const placement = this.placement(c.body ?? {}, undefined);
		const conversion = { id: crypto.randomUUID(), leadId: lead.id, placement, pollsLeft: this.conversionPolls, status: 'not_started', dealId: undefined, actor: c.actor };
		this.conversions.set(conversion.id, conversion);
		return { body: { success: true, data: { conversion_id: conversion.id }, additional_data: null } };
	}
	conversionStatus(c) {
		const conversion = this.conversions.get(c.params.conversion_id);
		if (!conversion || conversion.leadId !== c.params.id) throw notFound('Conversion');
		if (conversion.status !== 'completed' && conversion.status !== 'failed') {
			if (conversion.pollsLeft > 0) {
				conversion.pollsLeft -= 1;
				conversion.status = 'running';
			} else this.convert(conversion);
		}
		return { body: { success: true, data: { conversion_id: conversion.id, status: conversion.status, lead_id: conversion.leadId, ...(conversion.dealId ? { deal_id: conversion.dealId } : {}) }, additional_data: null } };
	}
	convert(conversion) {
		const lead = this.store.leads.get(conversion.leadId);
		if (!lead) {
			conversion.status = 'failed';
			return;
		}
		const deal = this.insert(
			'deals',
			{ title: lead.title, owner_id: lead.owner_id, person_id: lead.person_id ?? undefined, org_id: lead.organization_id ?? undefined, ...conversion.placement, ...(lead.value ? { value: lead.value.amount, currency: lead.value.currency } : {}), ...(lead.expected_close_date ? { expected_close_date: lead.expected_close_date } : {}), source_lead_id: lead.id },
			conversion.actor,
		);
		for (const a of this.store.activities.values()) if (a.lead_id === lead.id) Object.assign(a, { lead_id: null, deal_id: deal.id });
		for (const n of this.store.notes.values()) if (n.lead_id === lead.id) Object.assign(n, { lead_id: null, deal_id: deal.id });
		this.destroy('leads', lead, conversion.actor);
		conversion.status = 'completed';
		conversion.dealId = deal.id;
	}

	// ─────────────────────────────────────────────────────────── control

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
		if (route === 'POST /__sandbox/limits') {
			this.setLimits(body);
			return json(200, { limits: this.limits, tokensLeft: this.tokensLeft() });
		}
		if (route === 'POST /__sandbox/clock') {
			const base = body.now !== undefined ? Date.parse(body.now) : this.now();
			const target = base + Number(body.advanceMs || 0);
			this.setClock(() => target);
			return json(200, { now: new Date(target).toISOString() });
		}
		if (route === 'POST /__sandbox/webhooks/deliver') return json(200, { sent: await this.deliverWebhooks() });
		if (route === 'GET /__sandbox/webhooks/deliveries') return json(200, this.webhookDeliveries);
		if (route === 'GET /__sandbox/requests') return json(200, this.requests);
		return json(404, { error: `unknown control route ${route}` });
	}
}

// demo-data uses the class's public API only; required late to keep the module graph flat.
const { seedDemoData } = require('./demo-data');

/** Starts a sandbox on `options.port` (0 = random) and resolves once it listens. */
async function startPipedriveServer(options = {}) {
	const sandbox = new FakePipedrive(options);
	return sandbox.listen(options.port || 0);
}

module.exports = { startPipedriveServer, FakePipedrive, ApiError, useExampleProcess, seedDemoData, API_TOKEN, OAUTH_TOKEN, WEBHOOK_OBJECTS };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name, fallback) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : fallback;
	};
	startPipedriveServer({ port: Number(arg('port', process.env.PORT || 8790)), host: arg('host', '127.0.0.1'), requestLog: arg('log', undefined) }).then((sandbox) => {
		if (args.includes('--example-process')) useExampleProcess(sandbox);
		if (args.includes('--demo-data')) seedDemoData(sandbox);
		console.log(`Pipedrive sandbox listening on ${sandbox.baseUrl} (company domain URL; x-api-token ${API_TOKEN}, OAuth bearer ${OAUTH_TOKEN})`);
		const stop = () => sandbox.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
