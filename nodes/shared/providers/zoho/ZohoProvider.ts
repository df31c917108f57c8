/**
 * The Zoho CRM provider (API v8, https://www.zoho.com/crm/developer/docs/api/v8/). Leads,
 * Contacts, Accounts (companies), Deals (pipelines per layout), Cases (tickets), Tasks and Notes;
 * writes go 100 records per call with one result per record; searches run as COQL; full lists
 * page with `page_token` past Zoho's 2,000-record `page` limit; Blueprint-owned stages move
 * through their transition; events poll with COQL and arrive instantly through Notifications.
 * See README "Zoho CRM" for scopes, limits and what stays unverified without a live org.
 */
import type {
	Contact,
	CrmRecord,
	Deal,
	Message,
	MessageChannel,
	Pipeline,
	RecordInput,
	RecordUpdate,
	RelatedRef,
	ResourceType,
	SearchQuery,
	User,
} from '../../model/types';
import type { EventFeed, EventType, InstantEventSource } from '../../contract/events';
import { ALL_EVENT_TYPES } from '../../contract/events';
import type {
	Activity,
	CrmProvider,
	ItemResult,
	MessageInput,
	ProviderCapabilities,
	ProviderContext,
	ProviderDefinition,
	QualifyInput,
	QualifyResult,
	WriteOptions,
} from '../../contract/provider';
import { CrmApiError, CrmInputError } from '../../transport/errors';
import { CrmTransport } from '../../transport/http';
import type { AuthenticatedRequest } from '../../transport/http';
import type { IHttpRequestOptions } from 'n8n-workflow';
import { mapLimit } from '../../transport/concurrency';
import { collectPages, paginateCursor, paginateOffset } from '../../transport/pagination';
import { inDistinctRounds, mergeItems, prepareItems } from '../itemSlots';
import { listZohoActivities } from './activities';
import { ZohoBlueprint } from './blueprint';
import { COQL_MAX_OFFSET, ZOHO_BATCH_SIZE, ZOHO_PAGE_SIZE, ZohoClient } from './client';
import type { AutomationTriggers, WriteEntry } from './client';
import { whereClause } from './coql';
import { FEED_PAGE_SIZE, ZOHO_EVENTS, ZohoEventFeed } from './events';
import type { FeedDependencies } from './events';
import { apiNameOf, fieldsFor, MODULE_OF, PROVIDER_ID, relatedFields, toRecord, toZohoFields, ZOHO } from './mapping';
import type { MappingContext, ZohoRecord } from './mapping';
import { ZohoMessages } from './messages';
import { watchSpecOf, ZohoNotificationSource } from './notifications';
import { loadCaseStatuses, loadDealPipelines, loadLeadStatuses } from './pipelines';
import type { DealPipeline } from './pipelines';
import { apiDomainOf, dataCentreOf, recordUrl, uiHostOf, ZOHO_CONCURRENCY, zohoHttpProfile } from './profile';

export const ZOHO_INSTANT_EVENTS: readonly EventType[] = ALL_EVENT_TYPES.filter((type) => watchSpecOf(type) !== undefined);

/** What the record needs before Zoho takes it (Zoho's mandatory fields of the standard layouts). */
const REQUIRED: Record<string, Array<[api: string, field: string]>> = {
	Leads: [['Last_Name', 'lastName']],
	Contacts: [['Last_Name', 'lastName']],
	Accounts: [['Account_Name', 'name']],
	Deals: [['Deal_Name', 'name']],
	Cases: [['Subject', 'subject']],
	Tasks: [['Subject', 'subject']],
	Notes: [['Note_Content', 'body'], ['Parent_Id', 'related']],
};

/** Open records per resource for least-loaded counting (COQL criteria). */
function openCriteria(resource: ResourceType, closedStages: string[]): string[] {
	const quoted = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(', ');
	switch (resource) {
		case 'task':
			return [`Status != 'Completed'`];
		case 'ticket':
			return [`Status != 'Closed'`];
		case 'deal':
			return closedStages.length ? [`Stage not in (${quoted(closedStages)})`] : [];
		default:
			return [];
	}
}

export interface ZohoOptions {
	uiHost: string;
	triggers: AutomationTriggers;
}

export class ZohoProvider implements CrmProvider {
	readonly id = PROVIDER_ID;
	readonly displayName = ZOHO;
	readonly capabilities: ProviderCapabilities = {
		records: {
			lead: ['create', 'get', 'update', 'search'],
			contact: ['create', 'get', 'update', 'search'],
			company: ['create', 'get', 'update', 'search'],
			deal: ['create', 'get', 'update', 'search'],
			// Tickets are Zoho CRM's Cases module.
			ticket: ['create', 'get', 'update', 'search'],
			task: ['create', 'get', 'update', 'search'],
			note: ['create', 'get', 'search'],
		},
		pipelines: ['deal', 'ticket', 'lead'],
		batchSize: ZOHO_BATCH_SIZE,
		messageLog: ['email', 'note'],
		messageDelivery: ['email'],
		contactUpsert: true,
		leadQualify: true,
		events: ZOHO_EVENTS,
		instantEvents: ZOHO_INSTANT_EVENTS,
	};
	readonly fieldAccessHint = 'Setup → Users and Control → Security Control → Profiles → the profile → Field-level access';

	readonly client: ZohoClient;
	private readonly blueprint: ZohoBlueprint;
	private readonly messages: ZohoMessages;
	private readonly pipelineCache = new Map<string, Promise<Pipeline[]>>();
	private users?: Promise<User[]>;
	private me?: Promise<string | undefined>;

	constructor(
		readonly transport: CrmTransport,
		private readonly options: ZohoOptions,
	) {
		this.client = new ZohoClient(transport, options.triggers);
		this.blueprint = new ZohoBlueprint(transport);
		this.messages = new ZohoMessages(transport, this.client, (module, id) => this.url(module, id));
	}

	private url(module: string, id: string): string {
		return recordUrl(this.options.uiHost, module, id);
	}

	private module(resource: ResourceType): string {
		return MODULE_OF[resource];
	}

	private async context(resource: ResourceType): Promise<MappingContext> {
		const ctx: MappingContext = { recordUrl: (m, id) => this.url(m, id) };
		if (resource === 'deal') {
			const pipelines = await this.listPipelines('deal');
			ctx.pipelineIdByName = new Map(pipelines.map((p) => [p.name, p.id]));
			ctx.closedStages = new Map(pipelines.flatMap((p) => p.stages.filter((s) => s.closed === 'won' || s.closed === 'lost').map((s) => [s.id, s.closed as 'won' | 'lost'])));
			ctx.stageNames = new Map(pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.name])));
		}
		return ctx;
	}

	private async mapAll(resource: ResourceType, raws: ZohoRecord[]): Promise<CrmRecord[]> {
		const ctx = await this.context(resource);
		return raws.map((raw) => toRecord(resource, raw, ctx));
	}

	private notFound(resource: ResourceType, id: string): CrmApiError {
		return new CrmApiError(ZOHO, {
			message: `No ${this.module(resource).replace(/s$/, '').replace(/ie$/, 'y')} record with id "${id}"`,
			status: 404,
			code: 'NOT_FOUND',
			hint: "Check the record id, that the record was not deleted, and that the Zoho user's profile may read the module.",
		});
	}

	/** Written records read back in full (Zoho's write answer has only id and times). */
	private async readBack(resource: ResourceType, results: Array<ItemResult<WriteEntry>>): Promise<Array<ItemResult<CrmRecord>>> {
		const ids = results.flatMap((r) => (r.ok ? [String(r.value.details?.id)] : []));
		const found = ids.length ? await this.client.getByIds(this.module(resource), ids, fieldsFor(this.module(resource))) : new Map<string, ZohoRecord>();
		const mapped = await this.mapAll(resource, ids.map((id) => found.get(id) ?? ({ id } as ZohoRecord)));
		const byId = new Map(ids.map((id, i) => [id, mapped[i]]));
		return results.map((r) => (r.ok ? { ok: true, value: byId.get(String(r.value.details?.id))! } : r));
	}

	// ── writes ───────────────────────────────────────────────────────────────

	/** The deal's pipeline (and its layout) as Zoho wants them, from a pipeline id or name. */
	private async dealPipelineFields(fields: Record<string, unknown>): Promise<Record<string, unknown>> {
		if (fields.Pipeline === undefined) return fields;
		const wanted = String(fields.Pipeline);
		const pipelines = (await this.listPipelines('deal')) as DealPipeline[];
		const pipeline = pipelines.find((p) => p.id === wanted) ?? pipelines.find((p) => p.name.toLowerCase() === wanted.toLowerCase());
		if (!pipeline) {
			throw new CrmInputError(`Zoho CRM has no deal pipeline "${wanted}"`, 'pipelineId', `Pipelines: ${pipelines.map((p) => `"${p.name}" (${p.id})`).join(', ') || 'none'}.`);
		}
		// The deal's layout is not sent: Zoho takes the pipeline by id (an org with several Deals layouts may also want `Layout`; unverified).
		return { ...fields, Pipeline: { id: pipeline.id, name: pipeline.name } };
	}

	private body(resource: ResourceType, input: RecordInput, mode: 'create' | 'update'): Record<string, unknown> {
		const module = this.module(resource);
		const body = { ...toZohoFields(module, input.fields, input.customProperties), ...relatedFields(module, input.related) };
		if (mode === 'create') {
			for (const [api, field] of REQUIRED[module] ?? []) {
				if (body[api] === undefined || body[api] === null || body[api] === '') throw new CrmInputError(`Zoho CRM requires ${field} on ${module}`, field);
			}
		}
		return body;
	}

	async createRecords(resource: ResourceType, inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const module = this.module(resource);
		const prepared = prepareItems(inputs, (input) => this.body(resource, input, 'create'), options);
		const valid = resource === 'deal' ? await this.withDealDefaults(prepared.valid) : prepared.valid.map((b): ItemResult<Record<string, unknown>> => ({ ok: true, value: b }));
		const sendable = valid.flatMap((v) => (v.ok ? [v.value] : []));
		const written = await this.client.write('POST', `/${module}`, sendable, {
			check: (i) => `look for a ${module} record like ${JSON.stringify(sendable[i]).slice(0, 120)} in Zoho CRM before running this item again (Zoho creates are not idempotent).`,
		});
		let next = 0;
		const results = valid.map((v): ItemResult<WriteEntry> => (v.ok ? written[next++] : v));
		return mergeItems(prepared.slots, await this.readBack(resource, results));
	}

	/** A new deal gets the default pipeline's first stage when none is given (Zoho requires Stage). */
	private async withDealDefaults(bodies: Array<Record<string, unknown>>): Promise<Array<ItemResult<Record<string, unknown>>>> {
		const pipelines = (await this.listPipelines('deal')) as DealPipeline[];
		const fallback = pipelines.find((p) => p.isDefault) ?? pipelines[0];
		return Promise.all(
			bodies.map(async (body): Promise<ItemResult<Record<string, unknown>>> => {
				try {
					const withPipeline = await this.dealPipelineFields(body);
					if (withPipeline.Stage === undefined && fallback?.stages[0]) withPipeline.Stage = fallback.stages[0].id;
					return { ok: true, value: withPipeline };
				} catch (error) {
					return { ok: false, error: error as Error };
				}
			}),
		);
	}

	async updateRecords(resource: ResourceType, updates: RecordUpdate[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const module = this.module(resource);
		const prepared = prepareItems(
			updates,
			(update) => {
				const id = String(update.id ?? '').trim();
				if (!id) throw new CrmInputError('The record id is empty', 'id');
				return { id, body: this.body(resource, update, 'update') };
			},
			options,
		);
		const written = await inDistinctRounds(prepared.valid, (u) => u.id, async (round): Promise<Array<ItemResult<WriteEntry>>> => {
			const bodies = await Promise.all(
				round.map(async (u): Promise<ItemResult<Record<string, unknown>>> => {
					try {
						return { ok: true, value: { id: u.id, ...(resource === 'deal' ? await this.dealPipelineFields(u.body) : u.body) } };
					} catch (error) {
						return { ok: false, error: error as Error };
					}
				}),
			);
			const sendable = bodies.flatMap((b) => (b.ok ? [b.value] : []));
			const answers = await this.client.write('PUT', `/${module}`, sendable, {
				check: (i) => `open ${module} ${String(sendable[i].id)} in Zoho CRM and check whether the update was applied before running this item again.`,
			});
			let next = 0;
			const results = bodies.map((b): ItemResult<WriteEntry> => (b.ok ? answers[next++] : b));
			return mapLimit(results, ZOHO_CONCURRENCY, (r, i) => this.throughBlueprint(module, r, bodies[i]));
		});
		return mergeItems(prepared.slots, await this.readBack(resource, written));
	}

	/**
	 * A record whose stage a Blueprint owns (`RECORD_IN_BLUEPRINT`) moves through the transition to
	 * the wanted stage; the update's other fields go with the transition as its data.
	 */
	private async throughBlueprint(module: string, result: ItemResult<WriteEntry>, body: ItemResult<Record<string, unknown>>): Promise<ItemResult<WriteEntry>> {
		if (result.ok || !body.ok || !(result.error instanceof CrmApiError) || result.error.code !== 'RECORD_IN_BLUEPRINT') return result;
		const stageField = module === 'Cases' ? 'Status' : module === 'Leads' ? 'Lead_Status' : 'Stage';
		const { id, [stageField]: target, ...rest } = body.value;
		if (target === undefined) return result;
		delete rest.Pipeline;
		try {
			await this.blueprint.moveTo(module, String(id), stageField, String(target), rest);
			return { ok: true, value: { status: 'success', code: 'SUCCESS', details: { id } } };
		} catch (error) {
			return { ok: false, error: error as Error };
		}
	}

	async getRecords(resource: ResourceType, ids: string[]): Promise<Array<ItemResult<CrmRecord>>> {
		const module = this.module(resource);
		const prepared = prepareItems(ids, (id) => {
			const clean = String(id ?? '').trim();
			if (!clean) throw new CrmInputError('The record id is empty', 'id');
			if (!/^\d+$/.test(clean)) throw new CrmInputError(`"${clean}" is not a Zoho CRM record id`, 'id', 'Zoho record ids are long numbers, e.g. 4150868000000225013.');
			return clean;
		});
		const found = await this.client.getByIds(module, prepared.valid, fieldsFor(module));
		const present = prepared.valid.filter((id) => found.has(id));
		const mapped = await this.mapAll(resource, present.map((id) => found.get(id)!));
		const byId = new Map(present.map((id, i) => [id, mapped[i]]));
		return mergeItems(
			prepared.slots,
			prepared.valid.map((id): ItemResult<CrmRecord> => (byId.has(id) ? { ok: true, value: byId.get(id)! } : { ok: false, error: this.notFound(resource, id) })),
		);
	}

	async *searchRecords(resource: ResourceType, query: SearchQuery): AsyncGenerator<CrmRecord[]> {
		const module = this.module(resource);
		const where = whereClause(module, query.filters, query.text);
		const sort = query.sort ? `${apiNameOf(module, query.sort.field)} ${query.sort.direction === 'desc' ? 'desc' : 'asc'}, id asc` : 'Created_Time asc, id asc';
		const maxItems = Math.min(query.limit ?? COQL_MAX_OFFSET, COQL_MAX_OFFSET);
		// COQL finds the ids (in order); the records are then read by id, with every field mapped.
		const pages = paginateOffset(
			async (offset, limit) => {
				const { data, more } = await this.client.coql(`select id from ${module} where ${where} order by ${sort} limit ${offset}, ${limit}`);
				return { items: data.map((row) => String(row.id)), hasMore: more };
			},
			FEED_PAGE_SIZE,
			{ maxItems },
		);
		for await (const ids of pages) {
			const found = await this.client.getByIds(module, ids, fieldsFor(module, query.properties));
			yield await this.mapAll(resource, ids.flatMap((id) => found.get(id) ?? []));
		}
	}

	/**
	 * Every record, oldest id first: `page` for the first 2,000, then `page_token` (Zoho's
	 * `info.next_page_token`), which reaches past them. Deals with `stageHistory` read their
	 * Stage_History related list.
	 */
	async *streamRecords(resource: ResourceType, options: { stageHistory?: boolean }): AsyncGenerator<CrmRecord[]> {
		const module = this.module(resource);
		const fields = fieldsFor(module).join(',');
		let page = 0;
		const pages = paginateCursor(async (cursor) => {
			page++;
			const qs: Record<string, string | number> = { fields, per_page: ZOHO_PAGE_SIZE, sort_by: 'id', sort_order: 'asc' };
			if (cursor?.startsWith('token:')) qs.page_token = cursor.slice('token:'.length);
			else qs.page = page;
			const { data, info } = await this.client.list(module, qs);
			const more = info.more_records === true;
			const token = typeof info.next_page_token === 'string' && info.next_page_token ? info.next_page_token : undefined;
			return { items: data, next: more ? (token ? `token:${token}` : `page:${page + 1}`) : undefined };
		});
		const feedDeps = this.feedDependencies();
		for await (const raws of pages) {
			const records = await this.mapAll(resource, raws);
			if (resource === 'deal' && options.stageHistory) {
				const histories = await mapLimit(raws, ZOHO_CONCURRENCY, (raw) => new ZohoEventFeed('dealStageChanged', feedDeps).stageEntries(String(raw.id)));
				records.forEach((record, i) => ((record as Deal).stageHistory = histories[i]));
			}
			yield records;
		}
	}

	async countOpenRecords(resource: ResourceType, ownerId: string): Promise<number> {
		const module = this.module(resource);
		const closed = resource === 'deal' ? (await this.listPipelines('deal')).flatMap((p) => p.stages.filter((s) => s.closed !== 'open').map((s) => s.id)) : [];
		const where = [`Owner = '${String(ownerId).replace(/'/g, "\\'")}'`, ...openCriteria(resource, [...new Set(closed)])].reduce((a, b) => `(${a} and ${b})`);
		let count = 0;
		for (let offset = 0; offset < COQL_MAX_OFFSET; offset += 2000) {
			const { data, more } = await this.client.coql(`select id from ${module} where ${where} order by id asc limit ${offset}, 2000`);
			count += data.length;
			if (!more || data.length < 2000) break;
		}
		return count;
	}

	/** `POST /Contacts/upsert` with `duplicate_check_fields: ["Email"]`, 100 per call. */
	async upsertContacts(inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<Contact>>> {
		const prepared = prepareItems(
			inputs,
			(input) => {
				const email = String(input.fields.email ?? '').trim().toLowerCase();
				if (!email) throw new CrmInputError('An email is needed to create or update a contact by email', 'email');
				const body = this.body('contact', { ...input, fields: { ...input.fields, email } }, 'update');
				return { email, body };
			},
			options,
		);
		const written = await inDistinctRounds(prepared.valid, (p) => p.email, (round) =>
			this.client.write(
				'POST',
				'/Contacts/upsert',
				round.map((r) => r.body),
				{ extra: { duplicate_check_fields: ['Email'] }, check: (i) => `look for the contact with email "${round[i].email}" in Zoho CRM before running this item again.` },
			),
		);
		const read = await this.readBack('contact', written);
		return mergeItems(prepared.slots, read).map((r) => (r.ok ? { ok: true, value: r.value as Contact } : r));
	}

	listUsers(): Promise<User[]> {
		this.users ??= collectPages(
			paginateOffset(async (offset, limit) => {
				const { body } = await this.transport.request<{ users?: Array<Record<string, unknown>>; info?: { more_records?: boolean } }>({
					method: 'GET',
					path: '/users',
					qs: { type: 'AllUsers', page: Math.floor(offset / limit) + 1, per_page: limit },
					idempotent: true,
				});
				if (body === undefined || (body as unknown) === '') return { items: [], hasMore: false };
				if (!Array.isArray(body.users)) throw new CrmApiError(ZOHO, { message: 'Unreadable answer to GET /users: no users list', code: 'MALFORMED_RESPONSE' });
				return {
					items: body.users.map(
						(u): User => ({
							id: String(u.id),
							provider: PROVIDER_ID,
							name: String(u.full_name ?? ([u.first_name, u.last_name].filter(Boolean).join(' ') || u.email || u.id)),
							email: String(u.email ?? ''),
							active: u.status === undefined || u.status === 'active',
							raw: u,
						}),
					),
					hasMore: body.info?.more_records === true,
				};
			}, ZOHO_PAGE_SIZE),
		);
		this.users.catch(() => (this.users = undefined));
		return this.users;
	}

	/** The credential's own Zoho user (for events' `origin`); undefined when Zoho does not say. */
	currentUserId(): Promise<string | undefined> {
		this.me ??= this.transport
			.request<{ users?: Array<{ id?: unknown }> }>({ method: 'GET', path: '/users', qs: { type: 'CurrentUser' }, idempotent: true })
			.then(({ body }) => (body?.users?.[0]?.id !== undefined ? String(body.users[0].id) : undefined))
			.catch(() => undefined);
		return this.me;
	}

	listPipelines(resource: ResourceType): Promise<Pipeline[]> {
		if (!this.capabilities.pipelines.includes(resource)) return Promise.resolve([]);
		const cached = this.pipelineCache.get(resource);
		if (cached) return cached;
		const loading =
			resource === 'deal' ? loadDealPipelines(this.transport) : (resource === 'lead' ? loadLeadStatuses(this.transport) : loadCaseStatuses(this.transport)).then((p) => [p]);
		this.pipelineCache.set(resource, loading);
		loading.catch(() => this.pipelineCache.delete(resource));
		return loading;
	}

	// ── messages ─────────────────────────────────────────────────────────────

	logMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return this.messages.log(inputs);
	}

	deliverMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return this.messages.deliver(inputs);
	}

	findMessagesByDedupeKey(requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>): Promise<Map<string, Message>> {
		return this.messages.findByDedupeKey(requests);
	}

	// ── leads ────────────────────────────────────────────────────────────────

	/**
	 * `POST /Leads/{id}/actions/convert` (v8 convert-lead page): the lead becomes a contact (and an
	 * account when it has a company), plus a deal when asked. Zoho removes the lead from Leads, so the
	 * lead is read before converting and returned with the ids Zoho answered in `raw.converted`.
	 */
	async qualifyLeads(inputs: QualifyInput[]): Promise<Array<ItemResult<QualifyResult>>> {
		const leads = await this.getRecords('lead', inputs.map((i) => i.id));
		const pipelines = inputs.some((i) => i.createDeal) ? ((await this.listPipelines('deal')) as DealPipeline[]) : [];
		const fallback = pipelines.find((p) => p.isDefault) ?? pipelines[0];
		return mapLimit(inputs, ZOHO_CONCURRENCY, async (input, index): Promise<ItemResult<QualifyResult>> => {
			const lead = leads[index];
			if (!lead.ok) return lead;
			try {
				const wanted = input.createDeal;
				let deal: Record<string, unknown> | undefined;
				if (wanted) {
					const pipeline = wanted.pipelineId ? pipelines.find((p) => p.id === wanted.pipelineId || p.name === wanted.pipelineId) : fallback;
					if (wanted.pipelineId && !pipeline) throw new CrmInputError(`Zoho CRM has no deal pipeline "${wanted.pipelineId}"`, 'pipelineId');
					deal = {
						Deal_Name: wanted.name,
						Closing_Date: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
						Stage: wanted.stageId ?? pipeline?.stages[0]?.id,
						...(pipeline ? { Pipeline: { id: pipeline.id, name: pipeline.name } } : {}),
						...(wanted.amount !== undefined ? { Amount: wanted.amount } : {}),
					};
				}
				const { body } = await this.transport.request<{ data?: Array<Record<string, unknown>> }>({
					method: 'POST',
					path: `/Leads/${encodeURIComponent(lead.value.id)}/actions/convert`,
					body: { data: [{ overwrite: true, notify_lead_owner: false, notify_new_entity_owner: false, ...(deal ? { Deals: deal } : {}) }] },
				});
				const entry = body?.data?.[0] ?? {};
				if (entry.status === 'error') throw new CrmApiError(ZOHO, { message: `${String(entry.code)}: ${String(entry.message)}`, code: String(entry.code), body: entry });
				// v8 answers the new records under `details` ({Contacts: {id}, ...}); older versions at the top level as ids.
				const details = ((entry.details as Record<string, unknown> | undefined) ?? entry) as Record<string, unknown>;
				const idOf = (v: unknown) => (v && typeof v === 'object' ? String((v as { id?: unknown }).id ?? '') : v ? String(v) : undefined) || undefined;
				const converted = { contactId: idOf(details.Contacts), accountId: idOf(details.Accounts), dealId: idOf(details.Deals) };
				const convertedLead = { ...lead.value, status: 'Converted', contactId: converted.contactId, raw: { ...lead.value.raw, converted } } as CrmRecord;
				if (!wanted) return { ok: true, value: { lead: convertedLead } };
				if (!converted.dealId) throw new CrmApiError(ZOHO, { message: 'Zoho CRM converted the lead but answered no deal id' });
				const [dealRead] = await this.getRecords('deal', [converted.dealId]);
				return dealRead.ok ? { ok: true, value: { lead: convertedLead, deal: dealRead.value } } : dealRead;
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
	}

	/** Tasks, notes and emails of leads or contacts, for event scoring (./activities.ts). */
	listActivities(resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
		return listZohoActivities({ client: this.client, transport: this.transport }, resource, ids, since);
	}

	// ── events ───────────────────────────────────────────────────────────────

	private feedDependencies(): FeedDependencies {
		return {
			client: this.client,
			pipelines: (resource) => this.listPipelines(resource),
			toRecords: (resource, raws) => this.mapAll(resource, raws),
			currentUserId: () => this.currentUserId(),
		};
	}

	eventFeed(type: EventType): EventFeed {
		return new ZohoEventFeed(type, this.feedDependencies());
	}

	instantEvents(type: EventType): InstantEventSource {
		return new ZohoNotificationSource(type, this.transport, this.feedDependencies());
	}
}

/** Writes' `trigger` from the credential: Zoho's default (every automation runs) or none. */
export function triggersOf(credentials: Record<string, unknown>): AutomationTriggers {
	return credentials.zohoAutomation === 'none' ? [] : undefined;
}

export const zohoProvider: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: ZOHO,
	authentications: [{ value: 'zoho', name: 'Zoho CRM', credentialType: 'crmZohoOAuth2Api', oauth2: { tokenType: 'Zoho-oauthtoken' } }],
	webhooks: true,
	create(context: ProviderContext): CrmProvider {
		const apiDomain = apiDomainOf(context.credentials);
		const profile = zohoHttpProfile(apiDomain);
		const transport = new CrmTransport(zohoSend(context), { ...profile, rateLimits: { ...profile.rateLimits, ...context.transportOverrides?.rateLimits } }, {
			credentialKey: context.credentialKey,
			retry: context.transportOverrides?.retry,
		});
		return new ZohoProvider(transport, { uiHost: uiHostOf(apiDomain, dataCentreOf(context.credentials.dataCentre)), triggers: triggersOf(context.credentials) });
	},
};


const tokenOf = (credentials: Record<string, unknown>): string => String(((credentials.oauthTokenData ?? {}) as Record<string, unknown>).access_token ?? '');

/**
 * Requests with Zoho's documented header, `Authorization: Zoho-oauthtoken <token>`, using the token
 * n8n keeps with the credential. n8n's OAuth2 helper cannot send that header form (a token type
 * other than Bearer makes it add `access_token` to the query instead, which is how n8n's own Zoho
 * nodes call Zoho; n8n's helper still adds that query parameter, as for those nodes), so the
 * header is ours and the renewal stays n8n's: after a 401 the transport
 * sends the request once through n8n's refreshing path (without our header); n8n renews and saves
 * the token once, and the request goes again with the renewed token from the stored credential.
 * One renewal per expired token, shared by every execution and worker through the credential.
 */
function zohoSend(context: ProviderContext): AuthenticatedRequest {
	let token = tokenOf(context.credentials);
	const withHeader = (options: IHttpRequestOptions): IHttpRequestOptions => ({ ...options, headers: { ...(options.headers ?? {}), Authorization: `Zoho-oauthtoken ${token}` } });
	return async (options) => {
		if (options.ignoreHttpStatusErrors !== false || !context.reloadCredentials) return context.send(withHeader(options));
		const reload = context.reloadCredentials;
		// A copy: n8n's helper rewrites the request's URL in place when it signs it.
		return context.send({ ...options }).catch(async (error: unknown) => {
			const renewed = tokenOf(await reload());
			if (!renewed || renewed === token) return Promise.reject(error);
			token = renewed;
			return context.send(withHeader({ ...options, ignoreHttpStatusErrors: true }));
		});
	};
}
