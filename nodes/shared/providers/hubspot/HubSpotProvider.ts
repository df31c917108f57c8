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
	Stage,
	User,
} from '../../model/types';
import { CrmApiError, CrmInputError } from '../../transport/errors';
import { CrmTransport } from '../../transport/http';
import { collectPages, paginateCursor } from '../../transport/pagination';
import { id, listOf, object } from '../../transport/answerShape';
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
import { InvalidItemError } from '../../contract/itemErrors';
import { mergeItems, prepareItems } from '../itemSlots';
import { HubSpotBatcher, HUBSPOT_BATCH_SIZE } from './batch';
import type { BatchInput } from './batch';
import {
	associationsFor,
	LEAD_STATUS_PIPELINE_ID,
	objectTypeOf,
	PROVIDER_ID,
	propertiesFor,
	stageEnteredProperty,
	stageHistoryOf,
	closeDateHistoryOf,
	recordUrl,
	toContact,
	toProperties,
	toRecord,
} from './mapping';
import type { HubSpotObject, LeadModel } from './mapping';
import { hubspotHttpProfile, HUBSPOT_DEFAULT_BASE_URL } from './profile';
import type { HubSpotTier } from './profile';
import { HubSpotMessages } from './messages';
import { listHubSpotActivities } from './activities';
import { HUBSPOT_EVENTS, HubSpotEventFeed } from './events';
import type { EventFeed, EventType } from '../../contract/events';
import { HubSpotSearch } from './search';

const PIPELINES_ANSWER = object({ results: listOf(object({ id, stages: listOf(object({ id })) })) });

/** Contact fields a Leads-object lead carries through its associated contact. */
const LEAD_CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'company', 'title'];

/** The Leads-object properties of a lead input: contact details go to its contact instead. */
function leadsObjectFields(input: RecordInput): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(input.fields)) {
		if (!LEAD_CONTACT_FIELDS.includes(k) && k !== 'contactId' && k !== 'status') fields[k] = v;
	}
	if (input.fields.status !== undefined && fields.stageId === undefined) fields.stageId = input.fields.status;
	if (!fields.name) {
		fields.name =
			[input.fields.firstName, input.fields.lastName].filter(Boolean).join(' ') ||
			String(input.fields.email ?? input.fields.contactId ?? '');
	}
	return fields;
}

/**
 * Contact leads keep their status in `hs_lead_status`, exposed as the stages of a synthetic
 * pipeline: a stage move is a status write.
 */
function contactLeadUpdateFields(fields: Record<string, unknown>): Record<string, unknown> {
	const { stageId, pipelineId, ...rest } = fields;
	if (pipelineId !== undefined && pipelineId !== LEAD_STATUS_PIPELINE_ID) {
		throw new CrmInputError(`Contact leads have one status list, not pipeline "${String(pipelineId)}"`, 'pipeline');
	}
	return stageId !== undefined && rest.status === undefined ? { ...rest, status: stageId } : rest;
}

export class HubSpotProvider implements CrmProvider {
	readonly id = PROVIDER_ID;
	readonly displayName = 'HubSpot';
	readonly capabilities: ProviderCapabilities = {
		records: {
			lead: ['create', 'get', 'update', 'search'],
			contact: ['create', 'get', 'update', 'search'],
			company: ['create', 'get', 'update', 'search'],
			deal: ['create', 'get', 'update', 'search'],
			ticket: ['create', 'get', 'update', 'search'],
			task: ['create', 'get', 'update', 'search'],
			note: ['create', 'get', 'search'],
		},
		pipelines: ['deal', 'ticket', 'lead'],
		batchSize: HUBSPOT_BATCH_SIZE,
		messageLog: ['email', 'sms', 'whatsapp', 'note'],
		messageDelivery: ['email'],
		contactUpsert: true,
		leadQualify: true,
		events: HUBSPOT_EVENTS,
		// HubSpot registers webhooks per developer app (or only in the UI for private apps), not
		// per account by API: polling only (see README).
		instantEvents: [],
	};

	private readonly batcher: HubSpotBatcher;
	private readonly search: HubSpotSearch;
	private readonly messages: HubSpotMessages;
	private readonly pipelineCache = new Map<string, Promise<Pipeline[]>>();
	private users?: Promise<User[]>;
	private account?: Promise<{ portalId?: number | string; uiDomain?: string }>;

	constructor(
		readonly transport: CrmTransport,
		readonly leadModel: LeadModel,
	) {
		this.batcher = new HubSpotBatcher(transport);
		this.search = new HubSpotSearch(transport);
		this.messages = new HubSpotMessages(transport, this.batcher, leadModel);
	}

	listActivities(resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
		return listHubSpotActivities({ batcher: this.batcher, messages: this.messages }, this.objectType(resource), ids, since);
	}

	private objectType(resource: ResourceType): string {
		return objectTypeOf(resource, this.leadModel);
	}

	/** Pipelines needed to name stages when mapping records of this resource. */
	private async pipelinesFor(resource: ResourceType): Promise<Pipeline[]> {
		if (!this.capabilities.pipelines.includes(resource)) return [];
		if (resource === 'lead' && this.leadModel === 'contactLifecycle') return [];
		return this.listPipelines(resource);
	}

	private async mapAll(resource: ResourceType, objects: HubSpotObject[]): Promise<CrmRecord[]> {
		const pipelines = await this.pipelinesFor(resource);
		const contacts =
			resource === 'lead' && this.leadModel === 'leadsObject'
				? await this.leadContacts(objects.map((o) => o.id))
				: new Map<string, HubSpotObject>();
		return objects.map((object) =>
			toRecord(resource, object, { leadModel: this.leadModel, pipelines, leadContact: contacts.get(object.id) }),
		);
	}

	private async mapResults(
		resource: ResourceType,
		results: Array<ItemResult<HubSpotObject>>,
	): Promise<Array<ItemResult<CrmRecord>>> {
		const okObjects = results.filter((r): r is { ok: true; value: HubSpotObject } => r.ok).map((r) => r.value);
		const mapped = await this.mapAll(resource, okObjects);
		let next = 0;
		return results.map((r) => (r.ok ? { ok: true, value: mapped[next++] } : r));
	}

	/** Converts inputs to batch bodies; an input that cannot be converted fails alone. */
	private prepare(
		inputs: Array<{ build: () => Record<string, unknown>; key: string }>,
		options: WriteOptions = {},
	): { batch: BatchInput[]; slots: Array<number | Error> } {
		const { valid, slots } = prepareItems(inputs, (input) => ({ key: input.key, body: input.build() }), options);
		return { batch: valid, slots };
	}

	private merge<T>(slots: Array<number | Error>, results: Array<ItemResult<T>>): Array<ItemResult<T>> {
		return mergeItems(slots, results);
	}

	async createRecords(resource: ResourceType, inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		if (resource === 'lead' && this.leadModel === 'leadsObject') return this.createLeadsObjects(inputs, options);
		const objectType = this.objectType(resource);
		const { batch, slots } = this.prepare(
			inputs.map((input, index) => ({
				key: String(index),
				build: () => {
					const properties = toProperties(objectType, input.fields, input.customProperties);
					if (resource === 'lead' && !properties.lifecyclestage) properties.lifecyclestage = 'lead';
					if (resource === 'note' && !properties.hs_timestamp) properties.hs_timestamp = new Date().toISOString();
					if (resource === 'task' && !properties.hs_timestamp) {
						throw new CrmInputError('A task needs a due date', 'dueAt', 'HubSpot requires hs_timestamp (the due date) on tasks.');
					}
					return {
						properties,
						associations: associationsFor(objectType, input.related, this.leadModel),
						objectWriteTraceId: String(index),
					};
				},
			})),
			options,
		);
		const results = await this.batcher.run(objectType, 'create', batch);
		return this.mapResults(resource, this.merge(slots, results));
	}

	/**
	 * Leads object: a lead must have `hs_lead_name` and be associated with an existing contact
	 * (HubSpot Leads guide). The contact is upserted by email first, then the lead is created
	 * with the primary lead → contact association.
	 */
	private async createLeadsObjects(inputs: RecordInput[], options: WriteOptions): Promise<Array<ItemResult<CrmRecord>>> {
		// Check every input before the contact upsert writes anything.
		const checked = inputs.map((input): Error | undefined => {
			try {
				if (!input.fields.contactId && !input.fields.email) {
					throw new CrmInputError(
						'A HubSpot lead needs an email (or a Contact ID)',
						'email',
						"HubSpot's Leads object requires an associated contact; the contact is found or created by email.",
					);
				}
				toProperties('leads', leadsObjectFields(input), input.customProperties);
				return undefined;
			} catch (error) {
				return error as Error;
			}
		});
		const firstBad = checked.findIndex(Boolean);
		if (options.stopOnInvalid && firstBad >= 0) throw new InvalidItemError(firstBad, checked[firstBad]!);

		const needContact = inputs.map((input, i) => !checked[i] && !input.fields.contactId);
		const contactInputs = inputs
			.filter((_, i) => needContact[i])
			.map((input): RecordInput => {
				const fields: Record<string, unknown> = {};
				for (const f of LEAD_CONTACT_FIELDS) if (input.fields[f] !== undefined) fields[f] = input.fields[f];
				return { fields };
			});
		const contacts = contactInputs.length ? await this.upsertContacts(contactInputs) : [];
		let nextContact = 0;
		const contactIds = inputs.map((input, i): string | Error => {
			if (checked[i]) return checked[i]!;
			if (!needContact[i]) return String(input.fields.contactId);
			const contact = contacts[nextContact++];
			return contact.ok ? contact.value.id : contact.error;
		});

		const { batch, slots } = this.prepare(
			inputs.map((input, index) => ({
				key: String(index),
				build: () => {
					const contactId = contactIds[index];
					if (contactId instanceof Error) throw contactId;
					return {
						properties: toProperties('leads', leadsObjectFields(input), input.customProperties),
						associations: associationsFor('leads', [{ type: 'contact', id: contactId }, ...(input.related ?? [])], this.leadModel),
						objectWriteTraceId: String(index),
					};
				},
			})),
		);
		const results = await this.batcher.run('leads', 'create', batch);
		return this.mapResults('lead', this.merge(slots, results));
	}

	async updateRecords(resource: ResourceType, updates: RecordUpdate[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const objectType = this.objectType(resource);
		const { batch, slots } = this.prepare(
			updates.map((update) => ({
				key: String(update.id),
				build: () => {
					if (!update.id) throw new CrmInputError('The record id is empty', 'id');
					let fields = update.fields;
					if (resource === 'lead' && this.leadModel === 'leadsObject') fields = this.leadsObjectUpdateFields(fields);
					if (resource === 'lead' && this.leadModel === 'contactLifecycle') fields = contactLeadUpdateFields(fields);
					return { id: String(update.id), properties: toProperties(objectType, fields, update.customProperties) };
				},
			})),
			options,
		);
		// The same record twice in one batch is ambiguous to HubSpot; repeats go in later rounds.
		const results = await this.batcher.runDistinctKeys(objectType, 'update', batch);
		return this.mapResults(resource, this.merge(slots, results));
	}

	private leadsObjectUpdateFields(fields: Record<string, unknown>): Record<string, unknown> {
		const contactFields = Object.keys(fields).filter((f) => LEAD_CONTACT_FIELDS.includes(f));
		if (contactFields.length) {
			throw new CrmInputError(
				`${contactFields.join(', ')} belong to the lead's contact in HubSpot's Leads object`,
				contactFields[0],
				'Update them with Contact → Update (the lead output has contactId).',
			);
		}
		const { status, ...rest } = fields;
		return status !== undefined && rest.stageId === undefined ? { ...rest, stageId: status } : rest;
	}

	async getRecords(resource: ResourceType, ids: string[]): Promise<Array<ItemResult<CrmRecord>>> {
		const objectType = this.objectType(resource);
		const results = await this.readObjects(objectType, ids);
		if (resource === 'lead' && this.leadModel === 'contactLifecycle') {
			// A contact that is not (or no longer) in lifecycle stage "lead" still reads as a lead:
			// the stage is in the output, and failing would lose the record.
		}
		return this.mapResults(resource, results);
	}

	private async readObjects(objectType: string, ids: string[], properties?: string[]): Promise<Array<ItemResult<HubSpotObject>>> {
		const { batch, slots } = this.prepare(
			ids.map((id) => ({
				key: String(id),
				build: () => {
					if (!id || !String(id).trim()) throw new CrmInputError('The record id is empty', 'id');
					return { id: String(id).trim() };
				},
			})),
		);
		const results = await this.batcher.run(objectType, 'read', batch, {
			properties: properties ?? propertiesFor(objectType),
			propertiesWithHistory: [],
		});
		return this.merge(slots, results).map((r, i) =>
			r.ok || !(r.error instanceof CrmApiError) || r.error.code !== 'OBJECT_NOT_FOUND'
				? r
				: {
						ok: false,
						error: new CrmApiError('HubSpot', {
							message: `No ${objectType.replace(/s$/, '')} with id "${ids[i]}"`,
							code: 'OBJECT_NOT_FOUND',
							status: 404,
							hint: 'Check the record id and that the record was not deleted.',
						}),
					},
		);
	}

	/** Lead id → associated contact (Leads object). */
	private async leadContacts(leadIds: string[]): Promise<Map<string, HubSpotObject>> {
		const contactOf = await this.messages.associatedIds('leads', 'contacts', leadIds);
		const contactIds = [...new Set([...contactOf.values()].map((ids) => ids[0]).filter(Boolean))];
		const contacts = new Map<string, HubSpotObject>();
		if (contactIds.length) {
			const read = await this.readObjects('contacts', contactIds);
			read.forEach((r) => r.ok && contacts.set(r.value.id, r.value));
		}
		const byLead = new Map<string, HubSpotObject>();
		for (const [leadId, ids] of contactOf) {
			const contact = contacts.get(ids[0]);
			if (contact) byLead.set(leadId, contact);
		}
		return byLead;
	}

	async *searchRecords(resource: ResourceType, query: SearchQuery): AsyncGenerator<CrmRecord[]> {
		const objectType = this.objectType(resource);
		const filters = [...query.filters];
		if (resource === 'lead' && this.leadModel === 'contactLifecycle') {
			filters.push({ field: 'lifecycleStage', operator: 'eq', value: 'lead' });
		}
		for await (const page of this.search.pages(objectType, { ...query, filters })) {
			yield await this.mapAll(resource, page);
		}
	}

	async *streamRecords(resource: ResourceType, options: { stageHistory?: boolean; history?: boolean }): AsyncGenerator<CrmRecord[]> {
		const objectType = this.objectType(resource);
		const pipelines = await this.pipelinesFor(resource);
		const stageIds = options.stageHistory && (resource === 'deal' || resource === 'ticket') ? [...new Set(pipelines.flatMap((p) => p.stages.map((s) => s.id)))] : [];
		const properties = propertiesFor(objectType, stageIds.map(stageEnteredProperty)).join(',');
		const closeDateHistory = options.history === true && resource === 'deal';
		const account = await this.accountDetails();
		const pages = paginateCursor(async (after) => {
			const { body } = await this.transport.request<{ results?: HubSpotObject[]; paging?: { next?: { after?: string } } }>({
				method: 'GET',
				path: `/crm/v3/objects/${objectType}`,
				qs: { limit: 100, properties, archived: false, ...(closeDateHistory ? { propertiesWithHistory: 'closedate' } : {}), ...(after ? { after } : {}) },
				idempotent: true,
			});
			return { items: body.results ?? [], next: body.paging?.next?.after };
		});
		for await (const page of pages) {
			const records = await this.mapAll(resource, page);
			records.forEach((record, i) => {
				if (stageIds.length) (record as Deal).stageHistory = stageHistoryOf(page[i], stageIds);
				if (closeDateHistory) (record as Deal).closeDateHistory = closeDateHistoryOf(page[i]);
				record.url ??= recordUrl(account, objectType, record.id);
			});
			yield records;
		}
	}

	/** Portal id and UI domain, for links into HubSpot's record pages (none when the account cannot be read). */
	private accountDetails(): Promise<{ portalId?: number | string; uiDomain?: string }> {
		this.account ??= this.transport
			.request<{ portalId?: number; uiDomain?: string }>({ method: 'GET', path: '/account-info/v3/details', idempotent: true })
			.then(({ body }) => ({ portalId: body.portalId, uiDomain: body.uiDomain }))
			.catch(() => ({}));
		return this.account;
	}

	async countOpenRecords(resource: ResourceType, ownerId: string): Promise<number> {
		const objectType = this.objectType(resource);
		const filters: SearchQuery['filters'] = [{ field: 'ownerId', operator: 'eq', value: ownerId }];
		if (resource === 'task') filters.push({ field: 'status', operator: 'neq', value: 'COMPLETED' });
		if (resource === 'deal' || resource === 'ticket') {
			const closed = (await this.listPipelines(resource)).flatMap((p) => p.stages.filter((s) => s.closed !== 'open').map((s) => s.id));
			if (closed.length) filters.push({ field: 'stageId', operator: 'notIn', value: closed });
		}
		if (resource === 'lead' && this.leadModel === 'contactLifecycle') {
			filters.push({ field: 'lifecycleStage', operator: 'eq', value: 'lead' });
		}
		return this.search.count(objectType, filters);
	}

	async upsertContacts(inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<Contact>>> {
		const { batch, slots } = this.prepare(
			inputs.map((input) => {
				const email = String(input.fields.email ?? '').trim().toLowerCase();
				return {
					key: email,
					build: () => {
						if (!email) throw new CrmInputError('An email is needed to create or update a contact by email', 'email');
						return { id: email, idProperty: 'email', properties: toProperties('contacts', { ...input.fields, email }, input.customProperties) };
					},
				};
			}),
			options,
		);
		// Upserting the same email twice in one call is ambiguous; repeats go in later rounds.
		const results = await this.batcher.runDistinctKeys('contacts', 'upsert', batch);
		return this.merge(slots, results).map((r) => (r.ok ? { ok: true, value: toContact(r.value) } : r));
	}

	listUsers(): Promise<User[]> {
		this.users ??= collectPages(
			paginateCursor(async (after) => {
				const { body } = await this.transport.request<{ results?: Array<Record<string, unknown>>; paging?: { next?: { after?: string } } }>({
					method: 'GET',
					path: '/crm/v3/owners',
					qs: { limit: 100, archived: false, ...(after ? { after } : {}) },
					idempotent: true,
				});
				return {
					items: (body.results ?? []).map((o): User => ({
						id: String(o.id),
						provider: PROVIDER_ID,
						name: [o.firstName, o.lastName].filter(Boolean).join(' ') || String(o.email ?? o.id),
						email: String(o.email ?? ''),
						active: o.archived !== true,
						raw: o,
					})),
					next: body.paging?.next?.after,
				};
			}),
		);
		return this.users;
	}

	listPipelines(resource: ResourceType): Promise<Pipeline[]> {
		if (!this.capabilities.pipelines.includes(resource)) return Promise.resolve([]);
		const cached = this.pipelineCache.get(resource);
		if (cached) return cached;
		const loading =
			resource === 'lead' && this.leadModel === 'contactLifecycle' ? this.leadStatusPipeline() : this.loadPipelines(resource);
		this.pipelineCache.set(resource, loading);
		loading.catch(() => this.pipelineCache.delete(resource));
		return loading;
	}

	private async loadPipelines(resource: ResourceType): Promise<Pipeline[]> {
		const objectType = this.objectType(resource);
		const { body } = await this.transport.request<{ results?: Array<Record<string, unknown>> }>({
			method: 'GET',
			path: `/crm/v3/pipelines/${objectType}`,
			idempotent: true,
			// A pipeline list without its stages would make every stage look unknown (and no deal won).
			expect: PIPELINES_ANSWER,
		});
		return (body.results ?? [])
			.filter((p) => p.archived !== true)
			.sort((a, b) => Number(a.displayOrder ?? 0) - Number(b.displayOrder ?? 0))
			.map((p) => ({
				id: String(p.id),
				name: String(p.label ?? p.id),
				objectType: resource,
				stages: ((p.stages as Array<Record<string, unknown>>) ?? [])
					.filter((s) => s.archived !== true)
					.sort((a, b) => Number(a.displayOrder ?? 0) - Number(b.displayOrder ?? 0))
					.map((s, order) => toStage(s, order)),
			}));
	}

	/** Contact-lifecycle leads: the `hs_lead_status` options act as the lead "pipeline". */
	private async leadStatusPipeline(): Promise<Pipeline[]> {
		const { body } = await this.transport.request<{ options?: Array<{ label?: string; value?: string; displayOrder?: number; hidden?: boolean }> }>({
			method: 'GET',
			path: '/crm/v3/properties/contacts/hs_lead_status',
			idempotent: true,
			expect: object({ options: listOf(object()) }),
		});
		const stages = (body.options ?? [])
			.filter((o) => !o.hidden && o.value)
			.sort((a, b) => Number(a.displayOrder ?? 0) - Number(b.displayOrder ?? 0))
			.map((o, order): Stage => ({ id: String(o.value), name: String(o.label ?? o.value), order, closed: 'open' }));
		return [{ id: LEAD_STATUS_PIPELINE_ID, name: 'Lead status', objectType: 'lead', stages }];
	}

	logMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return this.messages.log(inputs);
	}

	deliverMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return this.messages.deliver(inputs);
	}

	findMessagesByDedupeKey(
		requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>,
	): Promise<Map<string, Message>> {
		return this.messages.findByDedupeKey(requests);
	}

	eventFeed(type: EventType): EventFeed {
		return new HubSpotEventFeed(type, {
			search: this.search,
			batcher: this.batcher,
			leadModel: this.leadModel,
			pipelines: (resource) => this.pipelinesFor(resource),
			toRecords: (resource, objects) => this.mapAll(resource, objects),
		});
	}

	/**
	 * Qualifying a lead: on the Leads object, move it to the stage named "Qualified" (HubSpot's
	 * default `qualified-stage-id`); on contact leads, set lifecycle stage `salesqualifiedlead`.
	 * Optionally a deal is created and associated with the lead's contact.
	 */
	async qualifyLeads(inputs: QualifyInput[]): Promise<Array<ItemResult<QualifyResult>>> {
		let updates: RecordUpdate[];
		if (this.leadModel === 'leadsObject') {
			const [pipeline] = await this.listPipelines('lead');
			const stage =
				pipeline?.stages.find((s) => s.id === 'qualified-stage-id') ??
				pipeline?.stages.find((s) => s.name.trim().toLowerCase() === 'qualified');
			if (!stage) {
				throw new CrmInputError(
					'The HubSpot lead pipeline has no "Qualified" stage',
					'stage',
					`Stages: ${(pipeline?.stages ?? []).map((s) => `"${s.name}"`).join(', ')}. Use Lead → Update Status instead.`,
				);
			}
			updates = inputs.map((i) => ({ id: i.id, fields: { stageId: stage.id } }));
		} else {
			updates = inputs.map((i) => ({ id: i.id, fields: { lifecycleStage: 'salesqualifiedlead' } }));
		}
		const leads = await this.updateRecords('lead', updates);
		const dealInputs: RecordInput[] = [];
		const dealSlot: number[] = [];
		leads.forEach((lead, index) => {
			const wanted = inputs[index].createDeal;
			if (!lead.ok || !wanted) {
				dealSlot.push(-1);
				return;
			}
			const contactId = (lead.value as { contactId?: string }).contactId;
			dealInputs.push({
				fields: {
					name: wanted.name,
					...(wanted.pipelineId ? { pipelineId: wanted.pipelineId } : {}),
					...(wanted.stageId ? { stageId: wanted.stageId } : {}),
					...(wanted.amount !== undefined ? { amount: wanted.amount } : {}),
				},
				related: contactId ? [{ type: 'contact', id: contactId }] : [],
			});
			dealSlot.push(dealInputs.length - 1);
		});
		const deals = dealInputs.length ? await this.createRecords('deal', dealInputs) : [];
		return leads.map((lead, index): ItemResult<QualifyResult> => {
			if (!lead.ok) return lead;
			const slot = dealSlot[index];
			if (slot === -1) return { ok: true, value: { lead: lead.value } };
			const deal = deals[slot];
			if (!deal.ok) return { ok: false, error: deal.error };
			return { ok: true, value: { lead: lead.value, deal: deal.value } };
		});
	}
}

/** HubSpot stage metadata values are strings: deals `probability`/`isClosed`, tickets `ticketState`. */
function toStage(stage: Record<string, unknown>, order: number): Stage {
	const metadata = (stage.metadata ?? {}) as Record<string, unknown>;
	const probability = metadata.probability !== undefined ? Number(metadata.probability) : undefined;
	// Deal stages say `isClosed`; won/lost follows the probability (1.0 won, 0.0 lost). Older
	// portals omit `isClosed`, and then only the 1.0 / 0.0 probabilities mark closed stages.
	const isClosed =
		metadata.isClosed === undefined ? probability === 1 || probability === 0 : String(metadata.isClosed) === 'true';
	let closed: Stage['closed'] = 'open';
	if (metadata.ticketState === 'CLOSED') closed = 'closed';
	else if (isClosed) closed = probability !== undefined && probability >= 1 ? 'won' : probability === 0 ? 'lost' : 'closed';
	return {
		id: String(stage.id),
		name: String(stage.label ?? stage.id),
		order,
		...(probability !== undefined && Number.isFinite(probability) ? { probability } : {}),
		closed,
	};
}

export const hubspotProvider: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'HubSpot',
	authentications: [{ value: 'hubspot', name: 'HubSpot', credentialType: 'crmHubSpotApi' }],
	create(context: ProviderContext): CrmProvider {
		const credentials = context.credentials;
		const baseUrl = String(credentials.baseUrl || HUBSPOT_DEFAULT_BASE_URL);
		const tier = String(credentials.rateLimitTier || '100') as HubSpotTier;
		const leadModel = (credentials.leadModel === 'leadsObject' ? 'leadsObject' : 'contactLifecycle') as LeadModel;
		const profile = hubspotHttpProfile(baseUrl, tier);
		const rateLimits = { ...profile.rateLimits, ...context.transportOverrides?.rateLimits };
		const transport = new CrmTransport(context.send, { ...profile, rateLimits }, {
			credentialKey: context.credentialKey,
			retry: context.transportOverrides?.retry,
		});
		return new HubSpotProvider(transport, leadModel);
	},
};

