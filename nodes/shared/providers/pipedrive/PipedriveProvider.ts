/**
 * The Pipedrive provider: API v2 for deals, persons, organizations, activities, pipelines and
 * stages; v1 for leads, notes, lead labels, users, webhooks and the deal flow (see ./mapping.ts
 * for the resource table and ../shared/vendors/pipedrive.md for the sources).
 *
 * Pipedrive has no bulk create or update endpoint: each write is one request, run concurrently
 * inside the 2-second burst limit (the shared limiter), with one result per item. A 429 is
 * retried by the transport (Pipedrive did not process it), so no write is lost or repeated.
 */
import { sleep } from 'n8n-workflow';

import type { Contact, CrmRecord, Message, MessageChannel, Pipeline, RecordInput, RecordUpdate, RelatedRef, ResourceType, SearchQuery, Stage, User } from '../../model/types';
import type { EventFeed, EventType, InstantEventSource } from '../../contract/events';
import type { Activity, CrmProvider, ItemResult, MessageInput, ProviderCapabilities, ProviderContext, ProviderDefinition, QualifyInput, QualifyResult, WriteOptions } from '../../contract/provider';
import { CrmApiError, CrmCapabilityError, CrmInputError, CrmUnknownOutcomeError, outcomeUnknown } from '../../transport/errors';
import { CrmTransport } from '../../transport/http';
import { mapLimit } from '../../transport/concurrency';
import { chunk, collectPages } from '../../transport/pagination';
import { inDistinctRounds, mergeItems, prepareItems } from '../itemSlots';
import type { PdRecord } from './client';
import { PD_CONCURRENCY, PipedriveClient, v1, v2 } from './client';
import { dealChanges, PIPEDRIVE_EVENTS, PipedriveEventFeed } from './events';
import type { FeedDependencies } from './events';
import type { LeadLabel, MappingContext } from './mapping';
import { LEAD_LABEL_PIPELINE, leadId, numericId, pathOf, readQuery, relatedBody, toBody, toContact, toRecord } from './mapping';
import { PIPEDRIVE_INSTANT_EVENTS, PipedriveWebhookSource } from './webhooks';
import { dealFlowHistory, listPipedriveActivities } from './activities';
import { BURST_PER_2S, PIPEDRIVE_VENDOR, PROVIDER_ID, pipedriveHttpProfile, pipedriveSiteUrl } from './profile';
import { matchesFilters, serverFilters } from './search';

/** A marker in a logged note's text, so a retried run finds the note instead of logging twice. */
export const dedupeMarker = (key: string) => `[n8n-crm:${key}]`;

/** Deals read by one `GET /deals?ids=` (our choice; the spec names no maximum). */
const DEAL_IDS_PER_READ = 100;

/** How long (and how often) qualifying waits for Pipedrive's asynchronous lead → deal conversion. */
const CONVERSION_POLLS = 20;
const CONVERSION_POLL_MS = 500;

export class PipedriveProvider implements CrmProvider {
	readonly id = PROVIDER_ID;
	readonly displayName = 'Pipedrive';
	readonly capabilities: ProviderCapabilities = {
		records: {
			lead: ['create', 'get', 'update', 'search'],
			contact: ['create', 'get', 'update', 'search'],
			company: ['create', 'get', 'update', 'search'],
			deal: ['create', 'get', 'update', 'search'],
			task: ['create', 'get', 'update', 'search'],
			note: ['create', 'get'],
			// No tickets in Pipedrive.
		},
		// Leads: their labels, as the stages of one pipeline (./mapping.ts LEAD_LABEL_PIPELINE).
		pipelines: ['deal', 'lead'],
		// No bulk write endpoint: a batch is this many concurrent single writes.
		batchSize: 100,
		// Logged as notes (an email is logged as a note with its subject and recipients).
		messageLog: ['note', 'email'],
		// The Mailbox API reads, updates and deletes mail; it cannot send.
		messageDelivery: [],
		contactUpsert: true,
		leadQualify: true,
		events: PIPEDRIVE_EVENTS,
		instantEvents: PIPEDRIVE_INSTANT_EVENTS,
	};

	readonly client: PipedriveClient;
	private pipelines?: Promise<Pipeline[]>;
	private users?: Promise<User[]>;
	private labels?: Promise<LeadLabel[]>;
	private me?: Promise<string>;

	constructor(
		readonly transport: CrmTransport,
		readonly siteUrl: string,
	) {
		this.client = new PipedriveClient(transport);
	}

	// ── shared lookups (cached per provider, i.e. per node run) ────────────────

	/** The token's own user id: the writes of this package are made as that user. */
	ownUserId(): Promise<string> {
		this.me ??= this.client.get<PdRecord>(v1('/users/me')).then((u) => String(u.id));
		this.me.catch(() => (this.me = undefined));
		return this.me;
	}

	leadLabels(): Promise<LeadLabel[]> {
		this.labels ??= this.client.get<PdRecord[] | null>(v1('/leadLabels')).then((list) => (list ?? []).map((l) => ({ id: String(l.id), name: String(l.name ?? l.id) })));
		this.labels.catch(() => (this.labels = undefined));
		return this.labels;
	}

	private async context(resource: ResourceType, raws: PdRecord[]): Promise<MappingContext> {
		const ctx: MappingContext = { siteUrl: this.siteUrl, pipelines: resource === 'deal' ? await this.listPipelines('deal') : [], leadLabels: [] };
		if (resource === 'lead') {
			ctx.leadLabels = await this.leadLabels().catch(() => []);
			ctx.persons = await this.readMany('contact', raws.map((r) => r.person_id));
			ctx.organizations = await this.readMany('company', raws.map((r) => r.organization_id));
		}
		return ctx;
	}

	/** Records by id, read concurrently (v2 get one costs 1 token; a missing one is left out). */
	private async readMany(resource: ResourceType, ids: unknown[]): Promise<Map<string, PdRecord>> {
		const wanted = [...new Set(ids.filter((id) => id !== undefined && id !== null && id !== '').map(String))];
		const found = await mapLimit(wanted, PD_CONCURRENCY, (id) => this.readOne(resource, id).catch(() => undefined));
		return new Map(found.filter((r): r is PdRecord => !!r).map((r) => [String(r.id), r]));
	}

	private readOne(resource: ResourceType, id: string): Promise<PdRecord> {
		return this.client.get<PdRecord>(`${pathOf(resource)}/${encodeURIComponent(id)}`, readQuery(resource));
	}

	async mapAll(resource: ResourceType, raws: PdRecord[]): Promise<CrmRecord[]> {
		const ctx = await this.context(resource, raws);
		return raws.map((raw) => toRecord(resource, raw, ctx));
	}

	private async mapResults(resource: ResourceType, results: Array<ItemResult<PdRecord>>): Promise<Array<ItemResult<CrmRecord>>> {
		const mapped = await this.mapAll(resource, results.filter((r): r is { ok: true; value: PdRecord } => r.ok).map((r) => r.value));
		let next = 0;
		return results.map((r) => (r.ok ? { ok: true, value: mapped[next++] } : r));
	}

	private checkId(resource: ResourceType, id: unknown): string {
		const text = String(id ?? '').trim();
		if (!text) throw new CrmInputError('The record id is empty', 'id');
		return resource === 'lead' ? leadId(text) : String(numericId(text, 'id'));
	}

	// ── writes ───────────────────────────────────────────────────────────────

	private body(resource: ResourceType, input: RecordInput, labels: LeadLabel[], creating: boolean): Record<string, unknown> {
		pathOf(resource);
		const body = { ...toBody(resource, input.fields, input.customProperties, labels), ...relatedBody(resource, input.related) };
		if (creating) {
			const need = (key: string, field: string, what: string) => {
				if (body[key] === undefined || body[key] === null || body[key] === '') throw new CrmInputError(`Pipedrive requires ${what} on new ${resource}s`, field);
			};
			if (resource === 'contact' && !body.name) {
				const name = [input.fields.firstName, input.fields.lastName].filter(Boolean).join(' ') || String(input.fields.email ?? '');
				if (name) body.name = name;
				need('name', 'name', 'a name (or first/last name or email)');
			}
			if (resource === 'company') need('name', 'name', 'a name');
			if (resource === 'deal') need('title', 'name', 'a name');
			if (resource === 'task') {
				need('subject', 'subject', 'a subject');
				body.type ??= 'task';
			}
			if (resource === 'note') {
				need('content', 'body', 'a text');
				if (!['deal_id', 'person_id', 'org_id', 'lead_id'].some((k) => body[k] !== undefined)) throw new CrmInputError('A Pipedrive note needs a record to sit on', 'related', 'Link it to a deal, contact, company or lead.');
			}
		}
		return body;
	}

	async createRecords(resource: ResourceType, inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const labels = resource === 'lead' && inputs.some((i) => i.fields.status || i.fields.stageId) ? await this.leadLabels() : [];
		const prepared = prepareItems(inputs, (input) => ({ input, body: this.body(resource, input, labels, true) }), options);
		const results = await mapLimit(prepared.valid, PD_CONCURRENCY, ({ input, body }) =>
			resource === 'lead' ? this.createLead(input, body) : this.createOne(resource, body),
		);
		return this.mapResults(resource, mergeItems(prepared.slots, results));
	}

	/**
	 * One create (no idempotency key in Pipedrive): an answer lost after sending is "may have been
	 * applied", never a plain failure that a rerun would duplicate.
	 */
	private async createOne(resource: ResourceType, body: Record<string, unknown>): Promise<ItemResult<PdRecord>> {
		try {
			const raw = await this.client.post<PdRecord>(pathOf(resource), body);
			if (raw && raw.id !== undefined && raw.id !== null) return { ok: true, value: raw };
			throw new CrmApiError(PIPEDRIVE_VENDOR, { message: 'Pipedrive answered the create without a record id', status: 200 });
		} catch (error) {
			if (!outcomeUnknown(error)) return { ok: false, error: error as Error };
			const what = String(body.title ?? body.name ?? body.subject ?? body.content ?? '').slice(0, 60);
			return { ok: false, error: CrmUnknownOutcomeError.of(error, PIPEDRIVE_VENDOR, `look for the ${resource}${what ? ` "${what}"` : ''} in Pipedrive before running this item again.`) };
		}
	}

	/**
	 * A lead needs a person or an organization (Pipedrive refuses one without). The lead's own
	 * name, email and phone go on a new person; a company name on a new organization.
	 */
	private async createLead(input: RecordInput, body: Record<string, unknown>): Promise<ItemResult<PdRecord>> {
		const f = input.fields;
		if (body.person_id === undefined && (f.email || f.firstName || f.lastName || f.phone)) {
			const person = await this.createOne('contact', this.body('contact', { fields: { firstName: f.firstName, lastName: f.lastName, email: f.email, phone: f.phone, title: f.title, ownerId: f.ownerId } }, [], true));
			if (!person.ok) return person;
			body.person_id = Number(person.value.id);
		}
		if (body.organization_id === undefined && f.company) {
			const org = await this.createOne('company', { name: String(f.company), ...(f.ownerId ? { owner_id: numericId(f.ownerId, 'ownerId') } : {}) });
			if (!org.ok) return org;
			body.organization_id = Number(org.value.id);
		}
		if (body.person_id === undefined && body.organization_id === undefined) {
			return { ok: false, error: new CrmInputError('A Pipedrive lead needs a person or an organization', 'email', 'Give the lead an email or name (a person is created), a company, or link a contact.') };
		}
		body.title ??= String(f.company ?? ([f.firstName, f.lastName].filter(Boolean).join(' ') || f.email) ?? 'Lead');
		return this.createOne('lead', body);
	}

	async updateRecords(resource: ResourceType, updates: RecordUpdate[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const labels = resource === 'lead' && updates.some((u) => u.fields.status !== undefined || u.fields.stageId !== undefined) ? await this.leadLabels() : [];
		const prepared = prepareItems(
			updates,
			(update) => {
				const id = this.checkId(resource, update.id);
				if (resource === 'lead' && ['firstName', 'lastName', 'email', 'phone', 'company', 'title'].some((k) => update.fields[k] !== undefined)) {
					throw new CrmInputError("A Pipedrive lead's name, email and phone are its person's", 'email', 'Update the lead\'s contact (Contact → Update with the lead\'s contactId) instead.');
				}
				return { id, body: this.body(resource, update, labels, false) };
			},
			options,
		);
		// The same record twice: the later write goes in a later round, so the last one wins.
		const written = await inDistinctRounds(prepared.valid, (u) => u.id, (round) =>
			mapLimit(round, PD_CONCURRENCY, async ({ id, body }): Promise<ItemResult<PdRecord>> => {
				try {
					// v2 and v1 leads: PATCH; v1 notes: PUT.
					const method = resource === 'note' ? 'PUT' : 'PATCH';
					if (resource === 'contact') await this.completeName(id, body, updates.find((u) => String(u.id).trim() === id)?.fields ?? {});
					return { ok: true, value: await this.client.update<PdRecord>(`${pathOf(resource)}/${encodeURIComponent(id)}`, body, method) };
				} catch (error) {
					return { ok: false, error: error as Error };
				}
			}),
		);
		return this.mapResults(resource, mergeItems(prepared.slots, written));
	}

	/**
	 * v2 persons have one `name` (first and last name are derived from it): an update of only the
	 * first or only the last name keeps the other part of the current name.
	 */
	private async completeName(id: string, body: Record<string, unknown>, fields: Record<string, unknown>): Promise<void> {
		if (fields.name !== undefined || (fields.firstName === undefined) === (fields.lastName === undefined)) return;
		const current = await this.readOne('contact', id);
		const first = fields.firstName !== undefined ? fields.firstName : current.first_name;
		const last = fields.lastName !== undefined ? fields.lastName : current.last_name;
		const name = [first, last].filter((p) => p !== undefined && p !== null && String(p).trim() !== '').map((p) => String(p).trim()).join(' ');
		if (name) body.name = name;
	}

	// ── reads ────────────────────────────────────────────────────────────────

	/**
	 * Deals: v2 `GET /deals?ids=…` reads up to 100 per request (10 tokens instead of 1 per deal);
	 * the ids it does not list (archived, deleted, not visible) are read one by one for their own
	 * error. The others: one v2/v1 `GET` each.
	 */
	async getRecords(resource: ResourceType, ids: string[]): Promise<Array<ItemResult<CrmRecord>>> {
		pathOf(resource);
		const listed = new Map<string, PdRecord>();
		if (resource === 'deal') {
			const valid = [...new Set(ids.map((id) => String(id ?? '').trim()).filter((id) => /^\d+$/.test(id)))];
			for (const part of chunk(valid, DEAL_IDS_PER_READ)) {
				const page = await this.client.pageV2<PdRecord>(v2('/deals'), { ids: part.join(','), limit: DEAL_IDS_PER_READ });
				for (const raw of page.items) listed.set(String(raw.id), raw);
			}
		}
		const results = await mapLimit(ids, PD_CONCURRENCY, async (id): Promise<ItemResult<PdRecord>> => {
			try {
				const known = listed.get(String(id ?? '').trim());
				if (known) return { ok: true, value: known };
				return { ok: true, value: await this.readOne(resource, this.checkId(resource, id)) };
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
		return this.mapResults(resource, results);
	}

	/**
	 * Free text through the v2 search endpoints (`/deals/search`, `/persons/search`, …; leads:
	 * `/api/v2/leads/search`), filters through the list endpoints' own parameters where they have
	 * one (owner, pipeline, stage, status, organization, person, `updated_since`), the other
	 * filters on the records read (so a search never answers more than it was asked).
	 */
	async *searchRecords(resource: ResourceType, query: SearchQuery): AsyncGenerator<CrmRecord[]> {
		const path = pathOf(resource);
		if (resource === 'note') throw new CrmCapabilityError('Pipedrive', 'searching notes', 'Read a record\'s notes in Pipedrive, or get a note by id.');
		const limit = query.limit;
		let yielded = 0;
		const take = async (raws: PdRecord[]) => {
			const records = (await this.mapAll(resource, raws)).filter((r) => matchesFilters(r, query.filters));
			const page = limit === undefined ? records : records.slice(0, limit - yielded);
			yielded += page.length;
			return page;
		};
		const qs = serverFilters(resource, query.filters);
		if (query.text?.trim()) {
			const term = query.text.trim();
			if (term.length < 2) throw new CrmInputError('Pipedrive searches need at least 2 characters', 'searchText');
			const searchPath = resource === 'lead' ? v2('/leads/search') : `${path}/search`;
			for await (const page of this.client.listV2<{ item: PdRecord }>(searchPath, { term }, { bucket: 'search' })) {
				const ids = page.map((hit) => String(hit.item?.id ?? (hit as unknown as PdRecord).id));
				const full = await this.readMany(resource, ids);
				const out = await take(ids.map((id) => full.get(id)).filter((r): r is PdRecord => !!r));
				if (out.length) yield out;
				if (limit !== undefined && yielded >= limit) return;
			}
			return;
		}
		const pages = resource === 'lead' ? this.client.listV1(path, qs) : this.client.listV2(path, { ...qs, ...readQuery(resource), ...(query.sort ? sortOf(query.sort) : {}) });
		for await (const raws of pages) {
			const out = await take(raws);
			if (out.length) yield out;
			if (limit !== undefined && yielded >= limit) return;
		}
	}

	async *streamRecords(resource: ResourceType, options: { stageHistory?: boolean; history?: boolean }): AsyncGenerator<CrmRecord[]> {
		const path = pathOf(resource);
		const pages = resource === 'lead' || resource === 'note' ? this.client.listV1(path, {}) : this.client.listV2(path, readQuery(resource));
		for await (const raws of pages) {
			const records = await this.mapAll(resource, raws);
			if (resource === 'deal' && options.stageHistory) {
				const flows = await mapLimit(raws, PD_CONCURRENCY, async (raw) => (await dealChanges(this.client, String(raw.id), 0, await this.ownUserId().catch(() => ''))).filter((c) => c.field === 'stage_id'));
				records.forEach((record, i) => {
					(record as { stageHistory?: unknown }).stageHistory = flows[i].map((m) => ({ stageId: m.to, enteredAt: m.at }));
				});
			}
			if (resource === 'deal' && options.history) {
				const histories = await mapLimit(raws, PD_CONCURRENCY, (raw) => dealFlowHistory(this.client, raw));
				records.forEach((record, i) => Object.assign(record, histories[i]));
			}
			yield records;
		}
	}

	/** Activities and notes of leads and persons (./activities.ts). */
	listActivities(resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
		return listPipedriveActivities(this.client, resource, ids, since);
	}

	async countOpenRecords(resource: ResourceType, ownerId: string): Promise<number> {
		const owner = numericId(ownerId, 'ownerId');
		const pages =
			resource === 'deal'
				? this.client.listV2(v2('/deals'), { owner_id: owner, status: 'open' })
				: resource === 'task'
					? this.client.listV2(v2('/activities'), { owner_id: owner, done: false })
					: resource === 'lead'
						? this.client.listV1(v1('/leads'), { owner_id: owner, archived_status: 'not_archived' })
						: resource === 'contact' || resource === 'company'
							? this.client.listV2(pathOf(resource), { owner_id: owner })
							: undefined;
		if (!pages) throw new CrmCapabilityError('Pipedrive', `counting open ${resource}s`);
		let count = 0;
		for await (const page of pages) count += page.length;
		return count;
	}

	/** Persons by email through `/persons/search` (exact, on the email field), then updated or created. */
	async upsertContacts(inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<Contact>>> {
		const prepared = prepareItems(
			inputs,
			(input) => {
				const email = String(input.fields.email ?? '').trim().toLowerCase();
				if (!email) throw new CrmInputError('An email is needed to create or update a contact by email', 'email');
				this.body('contact', input, [], false);
				return { email, input };
			},
			options,
		);
		const existing = new Map<string, string>();
		await mapLimit([...new Set(prepared.valid.map((p) => p.email))], 2, async (email) => {
			const page = await this.client.pageV2<{ item: PdRecord }>(v2('/persons/search'), { term: email, fields: 'email', exact_match: true, limit: 1 }, undefined, 'search');
			const id = page.items[0]?.item?.id;
			if (id !== undefined) existing.set(email, String(id));
		});
		const written = await inDistinctRounds(prepared.valid, (p) => p.email, (round) =>
			mapLimit(round, PD_CONCURRENCY, async ({ email, input }): Promise<ItemResult<PdRecord>> => {
				const id = existing.get(email);
				if (!id) {
					const created = await this.createOne('contact', this.body('contact', input, [], true));
					if (created.ok) existing.set(email, String(created.value.id));
					return created;
				}
				try {
					const fields = { ...input.fields };
					delete fields.email; // the person has this address already (maybe not as its primary one)
					return { ok: true, value: await this.client.update<PdRecord>(`${v2('/persons')}/${id}`, this.body('contact', { ...input, fields }, [], false)) };
				} catch (error) {
					return { ok: false, error: error as Error };
				}
			}),
		);
		return mergeItems(prepared.slots, written).map((r) => (r.ok ? { ok: true, value: toContact(r.value, { siteUrl: this.siteUrl }) } : r));
	}

	/** Users from v1 `/users` (Pipedrive lists users in v1 only). */
	listUsers(): Promise<User[]> {
		this.users ??= this.client.get<PdRecord[] | null>(v1('/users')).then((list) =>
			(list ?? []).map((u) => ({
				id: String(u.id),
				provider: PROVIDER_ID,
				name: String(u.name ?? u.email ?? u.id),
				email: String(u.email ?? ''),
				active: u.active_flag !== false && u.is_deleted !== true,
				raw: u,
			})),
		);
		this.users.catch(() => (this.users = undefined));
		return this.users;
	}

	/** Deal pipelines (v2 `/pipelines`) with their stages (v2 `/stages`), in Pipedrive's order. */
	async listPipelines(resource: ResourceType): Promise<Pipeline[]> {
		if (resource === 'lead') {
			const labels = await this.leadLabels();
			return [{ id: LEAD_LABEL_PIPELINE, name: 'Lead labels', objectType: 'lead', stages: labels.map((l, order) => ({ id: l.id, name: l.name, order, closed: 'open' as const })) }];
		}
		if (resource !== 'deal') return [];
		this.pipelines ??= (async () => {
			const [pipelines, stages] = await Promise.all([collectPages(this.client.listV2(v2('/pipelines'), {})), collectPages(this.client.listV2(v2('/stages'), {}))]);
			return pipelines.map((p) => ({
				id: String(p.id),
				name: String(p.name ?? p.id),
				objectType: 'deal' as const,
				stages: stages
					.filter((s) => String(s.pipeline_id) === String(p.id))
					.sort((a, b) => Number(a.order_nr ?? 0) - Number(b.order_nr ?? 0))
					.map(
						(s, order): Stage => ({
							id: String(s.id),
							name: String(s.name ?? s.id),
							order,
							// Pipedrive keeps percents (0–100); the model's probability is 0..1.
							...(s.deal_probability !== undefined && s.deal_probability !== null ? { probability: Number(s.deal_probability) / 100 } : {}),
							// Won/lost is a deal's status in Pipedrive, not a stage: every stage is open.
							closed: 'open',
						}),
					),
			}));
		})();
		this.pipelines.catch(() => (this.pipelines = undefined));
		return this.pipelines;
	}

	// ── messages ─────────────────────────────────────────────────────────────

	/** Notes on the first related deal, lead, contact or company (one note per message). */
	async logMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return mapLimit(inputs, PD_CONCURRENCY, async (input): Promise<ItemResult<Message>> => {
			try {
				const related = relatedBody('note', input.related);
				if (Object.keys(related).length === 0) throw new CrmInputError('The message is not linked to a record Pipedrive keeps notes on', 'relatedTo', 'Link it to a deal, lead, contact or company.');
				const lines = [
					input.channel === 'email' ? `Email${input.subject ? `: ${input.subject}` : ''}${input.to?.length ? ` (to ${input.to.join(', ')})` : ''}` : input.subject ?? '',
					input.body,
					input.dedupeKey ? dedupeMarker(input.dedupeKey) : '',
				].filter(Boolean);
				const note = await this.client.post<PdRecord>(v1('/notes'), { content: lines.join('\n\n'), ...related, ...(input.ownerId ? { user_id: numericId(input.ownerId, 'ownerId') } : {}) });
				return { ok: true, value: this.toMessage(note, input.channel, input) };
			} catch (error) {
				return { ok: false, error: outcomeUnknown(error) ? CrmUnknownOutcomeError.of(error, PIPEDRIVE_VENDOR, "look at the record's notes in Pipedrive before running this item again.") : (error as Error) };
			}
		});
	}

	private toMessage(note: PdRecord, channel: MessageChannel, input?: Partial<MessageInput>): Message {
		return {
			id: String(note.id),
			provider: PROVIDER_ID,
			channel,
			direction: channel === 'note' ? 'internal' : 'outbound',
			subject: input?.subject,
			body: String(note.content ?? ''),
			to: input?.to,
			sentAt: input?.sentAt ?? (note.add_time ? new Date(`${String(note.add_time).replace(' ', 'T')}Z`).toISOString() : undefined),
			related: input?.related,
			createdAt: note.add_time ? String(note.add_time) : undefined,
			raw: note,
		};
	}

	async deliverMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const error = new CrmCapabilityError(
			'Pipedrive',
			'sending messages through the CRM',
			"Pipedrive's API cannot send email (its Mailbox API only reads, updates and deletes mail). Send it with an email node, and use Delivery \"Log Only\" to record it on the record.",
		);
		return inputs.map(() => ({ ok: false, error }));
	}

	/** Notes of the related record whose text carries the dedupe marker (v1 notes list, newest first). */
	async findMessagesByDedupeKey(requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>): Promise<Map<string, Message>> {
		const found = new Map<string, Message>();
		const byRecord = new Map<string, Array<{ key: string; channel: MessageChannel }>>();
		for (const r of requests) {
			const related = relatedBody('note', r.related);
			const [field, value] = Object.entries(related)[0] ?? [];
			if (!field) continue;
			const k = `${field}=${String(value)}`;
			byRecord.set(k, [...(byRecord.get(k) ?? []), { key: r.key, channel: r.channel }]);
		}
		await mapLimit([...byRecord.entries()], PD_CONCURRENCY, async ([k, wanted]) => {
			const [field, value] = k.split('=');
			for await (const notes of this.client.listV1(v1('/notes'), { [field]: value, sort: 'add_time DESC' })) {
				for (const note of notes) {
					for (const w of wanted) if (!found.has(w.key) && String(note.content ?? '').includes(dedupeMarker(w.key))) found.set(w.key, this.toMessage(note, w.channel));
				}
				if (wanted.every((w) => found.has(w.key))) return;
			}
		});
		return found;
	}

	// ── leads ────────────────────────────────────────────────────────────────

	/**
	 * Qualifying is Pipedrive's lead → deal conversion (v2 `POST /leads/{id}/convert/deal`,
	 * asynchronous: `GET /leads/{id}/convert/status/{conversion_id}` until done). A deal is always
	 * created (that is what converting means in Pipedrive); the deal's name, pipeline, stage and
	 * amount, when given, are set on it after.
	 */
	async qualifyLeads(inputs: QualifyInput[]): Promise<Array<ItemResult<QualifyResult>>> {
		return mapLimit(inputs, 4, async (input): Promise<ItemResult<QualifyResult>> => {
			try {
				const id = leadId(input.id);
				const [lead] = await this.mapAll('lead', [await this.readOne('lead', id)]);
				const conversion = await this.client.post<PdRecord>(v2(`/leads/${id}/convert/deal`), {
					...(input.createDeal?.stageId ? { stage_id: numericId(input.createDeal.stageId, 'stageId') } : {}),
					...(input.createDeal?.pipelineId && !input.createDeal.stageId ? { pipeline_id: numericId(input.createDeal.pipelineId, 'pipelineId') } : {}),
				});
				const conversionId = String(conversion.conversion_id ?? conversion.id ?? '');
				let dealId: string | undefined;
				for (let i = 0; i < CONVERSION_POLLS && !dealId; i++) {
					const status = await this.client.get<PdRecord>(v2(`/leads/${id}/convert/status/${encodeURIComponent(conversionId)}`));
					if (status.deal_id) dealId = String(status.deal_id);
					else if (['failed', 'rejected', 'error'].includes(String(status.status))) throw new CrmApiError(PIPEDRIVE_VENDOR, { message: `Pipedrive could not convert lead ${id} to a deal (${String(status.status)})` });
					else await sleep(CONVERSION_POLL_MS);
				}
				if (!dealId) {
					throw new CrmUnknownOutcomeError(PIPEDRIVE_VENDOR, { message: `The conversion of lead ${id} did not finish in time` }, 'look for a deal converted from this lead in Pipedrive before running this item again.');
				}
				const fields: Record<string, unknown> = {};
				if (input.createDeal?.name) fields.name = input.createDeal.name;
				if (input.createDeal?.amount !== undefined) fields.amount = input.createDeal.amount;
				const [deal] = Object.keys(fields).length ? await this.updateRecords('deal', [{ id: dealId, fields }]) : await this.getRecords('deal', [dealId]);
				if (!deal.ok) return deal;
				return { ok: true, value: { lead, deal: deal.value } };
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
	}

	// ── events ───────────────────────────────────────────────────────────────

	feedDependencies(): FeedDependencies {
		return {
			client: this.client,
			toRecords: (resource, raws) => this.mapAll(resource, raws),
			pipelines: () => this.listPipelines('deal'),
			ownUserId: () => this.ownUserId(),
		};
	}

	eventFeed(type: EventType): EventFeed {
		return new PipedriveEventFeed(type, this.feedDependencies());
	}

	instantEvents(type: EventType): InstantEventSource {
		return new PipedriveWebhookSource(type, this.feedDependencies());
	}
}

function sortOf(sort: { field: string; direction: 'asc' | 'desc' }): Record<string, string> {
	const by: Record<string, string> = { createdAt: 'add_time', updatedAt: 'update_time', id: 'id' };
	const field = by[sort.field];
	if (!field) throw new CrmInputError(`Pipedrive cannot sort by "${sort.field}"`, 'sort', 'Sort by createdAt, updatedAt or id.');
	return { sort_by: field, sort_direction: sort.direction };
}

export const pipedriveProvider: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'Pipedrive',
	authentications: [{ value: 'pipedrive', name: 'Pipedrive', credentialType: 'crmPipedriveApi' }],
	webhooks: true,
	create(context: ProviderContext): CrmProvider {
		const domain = String(context.credentials.companyDomain ?? '').trim();
		if (!domain) throw new CrmInputError('The CRM: Pipedrive credential has no company domain', 'credential', 'Enter the part before .pipedrive.com of the address you open Pipedrive at.');
		const siteUrl = pipedriveSiteUrl(domain);
		const profile = pipedriveHttpProfile(siteUrl, { burstPer2s: BURST_PER_2S.essential });
		const transport = new CrmTransport(context.send, { ...profile, rateLimits: { ...profile.rateLimits, ...context.transportOverrides?.rateLimits } }, {
			credentialKey: context.credentialKey,
			retry: context.transportOverrides?.retry,
		});
		return new PipedriveProvider(transport, siteUrl);
	},
};
