/**
 * The EspoCRM provider (EspoCRM 9.x, REST API `api/v1/`, https://docs.espocrm.com/development/api/).
 *
 * EspoCRM has no batch create or batch read endpoint: reads of many records are one list call
 * per 200 ids (`where id in`), identical updates of many records are one mass update
 * (`POST MassAction`), and everything else runs as single requests with bounded concurrency.
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
import { CrmApiError, CrmCapabilityError, CrmInputError, CrmUnknownOutcomeError, outcomeUnknown } from '../../transport/errors';
import { CrmTransport } from '../../transport/http';
import { chunk, collectPages, paginateOffset } from '../../transport/pagination';
import { inDistinctRounds, mergeItems, prepareItems } from '../itemSlots';
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
import type { EspoRecord, SearchParams, WhereItem } from './client';
import { ESPO_CONCURRENCY, ESPO_PAGE_SIZE, EspoClient, mapLimit } from './client';
import { ESPOCRM_EVENTS, EspoEventFeed, readByIds } from './events';
import type { FeedDependencies } from './events';
import {
	attributeOf,
	ENTITY_OF,
	espoDate,
	PROVIDER_ID,
	relatedAttributes,
	selectFor,
	STAGE_FIELD,
	toAttributes,
	toContact,
	toRecord,
} from './mapping';
import type { EspoTicket, MappingContext } from './mapping';
import { EspoMessages } from './messages';
import { EspoMetadata, metadataCacheFor } from './metadata';
import { espoHttpProfile, espoSiteUrl } from './profile';
import { closeDateHistory, EspoStream, lastActivityAt, stageHistory, ticketTimes } from './stream';
import { listEspoActivities } from './activities';
import { ESPOCRM_INSTANT_EVENTS, EspoWebhookSource } from './webhooks';
import { toWhere } from './where';

/** What identifies a new record for a person looking for it. */
function identityOf(attributes: Record<string, unknown>): string {
	for (const name of ['emailAddress', 'name', 'lastName', 'subject']) {
		if (typeof attributes[name] === 'string' && attributes[name]) return `with ${name} "${String(attributes[name])}"`;
	}
	return 'created by this run';
}

/** EspoCRM's primary filters for "not closed" (OpenAPI spec: Opportunity/Case `open`, Task/Lead `actual`). */
const OPEN_FILTER: Partial<Record<ResourceType, string>> = { deal: 'open', ticket: 'open', task: 'actual', lead: 'actual' };

/** Days from now a deal created by lead conversion closes when nothing says otherwise. */
const DEFAULT_CLOSE_DAYS = 30;

interface PreparedUpdate {
	id: string;
	attributes: Record<string, unknown>;
}

/**
 * EspoCRM keeps a contact's title as its role at its account (`accountsColumns.{id}.role`), not on
 * the contact: written without an account it answers 200 and the title is gone (confirmed on
 * EspoCRM 9.1.7). So a title is written only together with an account: in the same write, or one
 * the contact already has; otherwise the item fails with this error instead of losing the value.
 */
const titleNeedsAccount = (attributes: Record<string, unknown>) =>
	attributes.title !== undefined && attributes.title !== null && attributes.title !== '' && !attributes.accountId;
const titleWithoutAccount = () =>
	new CrmInputError(
		"EspoCRM keeps a contact's title as its role at its account, and this contact has no account: the title would be lost",
		'title',
		'Link the contact to a company in the same write (Company ID, or Related: company), or leave the title out.',
	);

export class EspoCrmProvider implements CrmProvider {
	readonly id = PROVIDER_ID;
	readonly displayName = 'EspoCRM';
	readonly capabilities: ProviderCapabilities = {
		records: {
			lead: ['create', 'get', 'update', 'search'],
			contact: ['create', 'get', 'update', 'search'],
			company: ['create', 'get', 'update', 'search'],
			deal: ['create', 'get', 'update', 'search'],
			ticket: ['create', 'get', 'update', 'search'],
			task: ['create', 'get', 'update', 'search'],
			// Stream posts: written on a record's stream; read back as messages, not as records.
			note: ['create'],
		},
		// One stage/status list per entity type, exposed as one pipeline each (./metadata.ts).
		pipelines: ['deal', 'ticket', 'lead'],
		// Reads by id and mass updates take 200 records per call; creates are one per request.
		batchSize: ESPO_PAGE_SIZE,
		// No SMS/WhatsApp records in EspoCRM's core (Call and Sms entities are not messages we can log).
		messageLog: ['email', 'note'],
		messageDelivery: ['email'],
		contactUpsert: true,
		leadQualify: true,
		events: ESPOCRM_EVENTS,
		instantEvents: ESPOCRM_INSTANT_EVENTS,
	};

	readonly client: EspoClient;
	private readonly metadata: EspoMetadata;
	private readonly stream: EspoStream;
	private readonly messages: EspoMessages;
	private users?: Promise<User[]>;
	private portalUsers?: Promise<Set<string>>;
	private me?: Promise<string>;
	/** Set once the API user's role turns out to lack the Mass Update permission. */
	private massUpdateDenied = false;

	constructor(
		readonly transport: CrmTransport,
		readonly siteUrl: string,
		/** Shares metadata between the providers of one execution (see ./metadata.ts); none: this provider's own. */
		metadataScope?: string,
	) {
		this.client = new EspoClient(transport);
		this.metadata = new EspoMetadata(this.client, metadataCacheFor(metadataScope));
		this.stream = new EspoStream(this.client);
		this.messages = new EspoMessages(this.client, this.metadata, this.stream, siteUrl);
	}

	listActivities(resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
		return listEspoActivities({ client: this.client, stream: this.stream }, this.entity(resource), STAGE_FIELD[resource], ids, since);
	}

	private entity(resource: ResourceType): string {
		return ENTITY_OF[resource];
	}

	/** Pipelines needed to name stages when mapping records of this resource. */
	private async pipelinesFor(resource: ResourceType): Promise<Pipeline[]> {
		return this.capabilities.pipelines.includes(resource) ? this.listPipelines(resource) : [];
	}

	private async mapAll(resource: ResourceType, raws: EspoRecord[]): Promise<CrmRecord[]> {
		const ctx: MappingContext = { siteUrl: this.siteUrl, pipelines: await this.pipelinesFor(resource) };
		const closedTaskStatuses = resource === 'task' ? await this.metadata.closedTaskStatuses() : undefined;
		return raws.map((raw) => toRecord(resource, raw, ctx, { closedTaskStatuses }));
	}

	private async mapResults(resource: ResourceType, results: Array<ItemResult<EspoRecord>>): Promise<Array<ItemResult<CrmRecord>>> {
		const ok = results.filter((r): r is { ok: true; value: EspoRecord } => r.ok).map((r) => r.value);
		const mapped = await this.mapAll(resource, ok);
		let next = 0;
		return results.map((r) => (r.ok ? { ok: true, value: mapped[next++] } : r));
	}

	private notFound(resource: ResourceType, id: string): CrmApiError {
		return new CrmApiError('EspoCRM', {
			message: `No ${this.entity(resource)} with id "${id}"`,
			status: 404,
			code: 'notFound',
			hint: `Check the record id, that the record was not deleted, and that the API user's role may read ${this.entity(resource)} records.`,
		});
	}

	// ── writes ───────────────────────────────────────────────────────────────

	/** Request body of one new record; throws what the item lacks before anything is sent. */
	private createBody(resource: ResourceType, input: RecordInput, defaults: { currency?: string }): Record<string, unknown> {
		const attributes = { ...toAttributes(resource, input.fields, input.customProperties), ...relatedAttributes(resource, input.related) };
		const entityType = this.entity(resource);
		const requireAttribute = (attribute: string, field: string, why: string) => {
			if (attributes[attribute] === undefined || attributes[attribute] === null || attributes[attribute] === '') {
				throw new CrmInputError(`EspoCRM requires ${why} on ${entityType} records`, field);
			}
		};
		if (resource === 'contact') {
			requireAttribute('lastName', 'lastName', 'a last name');
			if (titleNeedsAccount(attributes)) throw titleWithoutAccount();
		}
		if (resource === 'deal') {
			// Opportunity: name, amount and closeDate are required fields (entityDefs, OpenAPI Opportunity_create).
			requireAttribute('name', 'name', 'a name');
			requireAttribute('amount', 'amount', 'an amount');
			requireAttribute('closeDate', 'closeDate', 'a close date');
			if (attributes.amountCurrency === undefined && defaults.currency) attributes.amountCurrency = defaults.currency;
		}
		if (resource === 'task') {
			requireAttribute('name', 'subject', 'a subject');
			requireAttribute('assignedUserId', 'ownerId', 'an assigned user');
		}
		if (resource === 'note') {
			requireAttribute('post', 'body', 'a text');
			requireAttribute('parentId', 'related', 'a parent record');
			attributes.type = 'Post';
		}
		return attributes;
	}

	async createRecords(resource: ResourceType, inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const entityType = this.entity(resource);
		const defaults = resource === 'deal' ? { currency: await this.defaultCurrency() } : {};
		const prepared = prepareItems(inputs, (input) => this.createBody(resource, input, defaults), options);
		const results = await mapLimit(prepared.valid, ESPO_CONCURRENCY, (body) => this.createOne(entityType, body));
		if (resource === 'ticket') await this.withCaseNumbers(results);
		return this.mapResults(resource, mergeItems(prepared.slots, results));
	}

	/**
	 * EspoCRM's create answer has no Case `number` (the database sets it; confirmed on EspoCRM 9.1.7):
	 * new cases are read back in one list call for it.
	 */
	private async withCaseNumbers(results: Array<ItemResult<EspoRecord>>): Promise<void> {
		const lacking = results.filter((r): r is { ok: true; value: EspoRecord } => r.ok && (r.value.number === undefined || r.value.number === null));
		if (lacking.length === 0) return;
		let numbers: Map<string, unknown>;
		try {
			numbers = new Map((await readByIds(this.client, 'Case', lacking.map((r) => String(r.value.id)))).map((raw) => [String(raw.id), raw.number]));
		} catch {
			return; // the cases are written: a failed read-back only leaves their numbers out
		}
		for (const r of lacking) if (numbers.get(String(r.value.id)) !== undefined) r.value = { ...r.value, number: numbers.get(String(r.value.id)) };
	}

	/**
	 * One create (EspoCRM has no batch create nor idempotency key). An answer lost or unreadable
	 * after the request was sent (5xx, dropped, truncated JSON) is "may have been applied", with
	 * what to look up: never a success without an id, never a plain failure.
	 */
	private async createOne(entityType: string, body: Record<string, unknown>): Promise<ItemResult<EspoRecord>> {
		const check = () => `look for a ${entityType} ${identityOf(body)} in EspoCRM before running this item again (it may exist already).`;
		try {
			const raw = (await this.client.create(entityType, body)) as unknown;
			if (raw && typeof raw === 'object' && typeof (raw as EspoRecord).id === 'string' && (raw as EspoRecord).id) return { ok: true, value: raw as EspoRecord };
			const garbled = new CrmApiError('EspoCRM', { message: 'EspoCRM answered the create with an unreadable body (no record id)', status: 200 });
			return { ok: false, error: CrmUnknownOutcomeError.of(garbled, 'EspoCRM', check()) };
		} catch (error) {
			return { ok: false, error: outcomeUnknown(error) ? CrmUnknownOutcomeError.of(error, 'EspoCRM', check()) : (error as Error) };
		}
	}

	private async defaultCurrency(): Promise<string | undefined> {
		try {
			const value = (await this.metadata.settings()).defaultCurrency;
			return typeof value === 'string' && value ? value : undefined;
		} catch {
			return undefined; // EspoCRM then answers which field is missing.
		}
	}

	async updateRecords(resource: ResourceType, updates: RecordUpdate[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const prepared = prepareItems(
			updates,
			(update): PreparedUpdate => {
				const id = String(update.id ?? '').trim();
				if (!id) throw new CrmInputError('The record id is empty', 'id');
				return { id, attributes: { ...toAttributes(resource, update.fields, update.customProperties), ...relatedAttributes(resource, update.related) } };
			},
			options,
		);
		// The same record twice: the later write goes in a later round, so the last one wins.
		const written = await inDistinctRounds(prepared.valid, (u) => u.id, (round) => this.updateRound(resource, round));
		return this.mapResults(resource, mergeItems(prepared.slots, written));
	}

	/**
	 * One round of updates (distinct ids). Records that get the very same values go in one mass
	 * update and are read back in one list call; records the mass update skipped (EspoCRM leaves
	 * out records it may not edit or that fail validation) are written one by one, so each gets
	 * its own error.
	 */
	private async updateRound(resource: ResourceType, round: PreparedUpdate[]): Promise<Array<ItemResult<EspoRecord>>> {
		const entityType = this.entity(resource);
		const results: Array<ItemResult<EspoRecord> | undefined> = new Array(round.length);
		if (resource === 'contact') {
			const withoutAccount = await this.contactsWithoutAccount(round.filter((u) => titleNeedsAccount(u.attributes)).map((u) => u.id));
			round.forEach((u, i) => {
				if (titleNeedsAccount(u.attributes) && withoutAccount.has(u.id)) results[i] = { ok: false, error: titleWithoutAccount() };
			});
		}
		const groups = new Map<string, number[]>();
		round.forEach((u, i) => {
			if (results[i]) return;
			const key = JSON.stringify(Object.entries(u.attributes).sort(([a], [b]) => (a < b ? -1 : 1)));
			groups.set(key, [...(groups.get(key) ?? []), i]);
		});
		for (const indexes of groups.values()) {
			if (indexes.length < 2 || this.massUpdateDenied) continue;
			for (const part of chunk(indexes, ESPO_PAGE_SIZE)) {
				const ids = part.map((i) => round[i].id);
				let updated: Set<string>;
				try {
					const answer = await this.client.massUpdate(entityType, ids, round[part[0]].attributes);
					updated = new Set((answer?.ids ?? []).map(String));
				} catch (error) {
					if (error instanceof CrmApiError && error.status === 403) {
						this.massUpdateDenied = true;
						break;
					}
					part.forEach((i) => (results[i] = { ok: false, error: error as Error }));
					continue;
				}
				const done = part.filter((i) => updated.has(round[i].id));
				const raws = done.length ? await readByIds(this.client, entityType, done.map((i) => round[i].id)) : [];
				const byId = new Map(raws.map((raw) => [String(raw.id), raw]));
				for (const i of done) {
					const raw = byId.get(round[i].id);
					if (raw) results[i] = { ok: true, value: raw };
				}
			}
		}
		const single = round.map((_, i) => i).filter((i) => results[i] === undefined);
		await mapLimit(single, ESPO_CONCURRENCY, async (i) => {
			try {
				results[i] = { ok: true, value: await this.client.update(entityType, round[i].id, round[i].attributes) };
			} catch (error) {
				results[i] = { ok: false, error: error as Error };
			}
		});
		return results as Array<ItemResult<EspoRecord>>;
	}

	/** Ids of these contacts that have no account (one list call per 200; unknown ids are left to the write's own 404). */
	private async contactsWithoutAccount(ids: string[]): Promise<Set<string>> {
		if (ids.length === 0) return new Set();
		const raws = await readByIds(this.client, 'Contact', ids);
		return new Set(raws.filter((raw) => !raw.accountId).map((raw) => String(raw.id)));
	}

	private async requireAccountForTitle(updates: PreparedUpdate[]): Promise<void> {
		if ((await this.contactsWithoutAccount(updates.filter((u) => titleNeedsAccount(u.attributes)).map((u) => u.id))).size > 0) throw titleWithoutAccount();
	}

	// ── reads ────────────────────────────────────────────────────────────────

	async getRecords(resource: ResourceType, ids: string[]): Promise<Array<ItemResult<CrmRecord>>> {
		const entityType = this.entity(resource);
		const wanted = ids.map((id) => String(id ?? '').trim());
		const raws = await readByIds(this.client, entityType, wanted.filter(Boolean));
		const byId = new Map(raws.map((raw) => [String(raw.id), raw]));
		const results = wanted.map((id): ItemResult<EspoRecord> => {
			if (!id) return { ok: false, error: new CrmInputError('The record id is empty', 'id') };
			const raw = byId.get(id);
			return raw ? { ok: true, value: raw } : { ok: false, error: this.notFound(resource, id) };
		});
		return this.mapResults(resource, results);
	}

	private async whereContext() {
		return { closedTaskStatuses: await this.metadata.closedTaskStatuses() };
	}

	async *searchRecords(resource: ResourceType, query: SearchQuery): AsyncGenerator<CrmRecord[]> {
		const entityType = this.entity(resource);
		if (query.text?.includes('*')) {
			// EspoCRM's text filter reads "*" as a wildcard ("*" alone matches every record), with no escape.
			throw new CrmInputError(`The search text ${JSON.stringify(query.text)} contains "*"`, 'searchText', 'EspoCRM reads * as "anything"; search for the words without it, or use filters.');
		}
		const where = toWhere(resource, query.filters, await this.whereContext());
		const params: SearchParams = {
			where,
			select: selectFor(entityType, query.properties),
			orderBy: query.sort ? attributeOf(entityType, query.sort.field) : 'createdAt',
			order: query.sort?.direction === 'desc' ? 'desc' : 'asc',
			...(query.text ? { textFilter: query.text } : {}),
		};
		const pages = paginateOffset(
			async (offset, limit) => {
				const { list, total } = await this.client.list(entityType, { ...params, offset, maxSize: limit });
				return { items: list, hasMore: total === -1 ? true : total === -2 ? false : offset + list.length < total };
			},
			ESPO_PAGE_SIZE,
			{ maxItems: query.limit },
		);
		for await (const page of pages) yield await this.mapAll(resource, page);
	}

	/**
	 * Every record, keyset-paged by id (no record is skipped or read twice when others are
	 * written meanwhile). Deals with `stageHistory` and every ticket also read their stream: stage
	 * history, and the ticket times SLA and workload reports need (closed, first response).
	 * One stream read per record: `GET Note` filtered by parent would be one query per page, but
	 * for a non-admin user (every API user) EspoCRM lists only the notes that user wrote (checked
	 * on EspoCRM 9.1.7), so it cannot replace the streams.
	 */
	async *streamRecords(resource: ResourceType, options: { stageHistory?: boolean; history?: boolean }): AsyncGenerator<CrmRecord[]> {
		const entityType = this.entity(resource);
		const field = STAGE_FIELD[resource];
		const withStream = (resource === 'deal' && (options.stageHistory || options.history)) || resource === 'ticket';
		const closed = resource === 'ticket' ? new Set((await this.listPipelines('ticket')).flatMap((p) => p.stages.filter((s) => s.closed !== 'open').map((s) => s.id))) : new Set<string>();
		const portal = resource === 'ticket' ? await this.portalUserIds() : new Set<string>();
		let after: string | undefined;
		for (;;) {
			const { list } = await this.client.list(entityType, {
				where: after ? [{ type: 'greaterThan', attribute: 'id', value: after }] : [],
				select: selectFor(entityType),
				orderBy: 'id',
				order: 'asc',
				maxSize: ESPO_PAGE_SIZE,
			});
			if (list.length === 0) return;
			after = String(list[list.length - 1].id);
			const records = await this.mapAll(resource, list);
			if (withStream && field) {
				const streams = await mapLimit(list, ESPO_CONCURRENCY, (raw) => this.stream.notes(entityType, String(raw.id)));
				records.forEach((record, i) => {
					if (options.stageHistory) (record as Deal).stageHistory = stageHistory(list[i], streams[i], field);
					if (options.history && resource === 'deal') {
						(record as Deal).closeDateHistory = closeDateHistory(list[i], streams[i]);
						(record as Deal).lastActivityAt = lastActivityAt(streams[i]);
					}
					if (resource === 'ticket') Object.assign(record as EspoTicket, ticketTimes(list[i], streams[i], closed, (id) => !portal.has(id)));
				});
			}
			yield records;
			if (list.length < ESPO_PAGE_SIZE) return;
		}
	}

	/** Portal users post on cases too; their posts are not a first response. */
	private portalUserIds(): Promise<Set<string>> {
		this.portalUsers ??= collectPages(
			paginateOffset(async (offset, limit) => {
				const { list } = await this.client.list('User', {
					where: [{ type: 'equals', attribute: 'type', value: 'portal' }],
					select: ['id'],
					offset,
					maxSize: limit,
				});
				return { items: list };
			}, ESPO_PAGE_SIZE),
		)
			.then((users) => new Set(users.map((u) => String(u.id))))
			.catch(() => new Set<string>());
		return this.portalUsers;
	}

	/**
	 * Open records of an owner, counted by EspoCRM (`total` of a one-record list), with EspoCRM's
	 * own "open" primary filters (OpenAPI spec `primaryFilter` enums): Opportunity `open` (stage
	 * neither won nor lost), Case `open`, Task and Lead `actual` (status not in notActualOptions).
	 */
	async countOpenRecords(resource: ResourceType, ownerId: string): Promise<number> {
		const entityType = this.entity(resource);
		const where: WhereItem[] = [{ type: 'equals', attribute: 'assignedUserId', value: ownerId }];
		const primaryFilter = OPEN_FILTER[resource];
		const params: SearchParams = { where, select: ['id'], ...(primaryFilter ? { primaryFilter } : {}) };
		const first = await this.client.list(entityType, { ...params, maxSize: 1 }, { count: true });
		if (first.total >= 0) return first.total;
		// Counting disabled for the entity type (total -1/-2): count the ids page by page.
		let count = 0;
		for await (const page of paginateOffset(async (offset, limit) => {
			const { list } = await this.client.list(entityType, { ...params, offset, maxSize: limit });
			return { items: list };
		}, ESPO_PAGE_SIZE)) count += page.length;
		return count;
	}

	/**
	 * No upsert in EspoCRM's API: contacts are found by email address (`emailAddress in (...)`,
	 * which matches any of a contact's addresses), then updated, or created when none has it.
	 */
	async upsertContacts(inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<Contact>>> {
		const prepared = prepareItems(
			inputs,
			(input) => {
				const email = String(input.fields.email ?? '').trim().toLowerCase();
				if (!email) throw new CrmInputError('An email is needed to create or update a contact by email', 'email');
				return { email, input: { ...input, fields: { ...input.fields, email } } };
			},
			options,
		);
		const existing = new Map<string, string>();
		for (const part of chunk([...new Set(prepared.valid.map((p) => p.email))], 100)) {
			const { list } = await this.client.list('Contact', {
				where: [{ type: 'in', attribute: 'emailAddress', value: part }],
				select: ['id', 'emailAddress', 'createdAt'],
				orderBy: 'createdAt',
				order: 'asc',
				maxSize: ESPO_PAGE_SIZE,
			});
			// A list never returns emailAddressData (confirmed on EspoCRM 9.1.7, even when selected): a contact
			// found by another of its addresses than the primary one is read by id, which has them all.
			const addressesOf = await mapLimit(list, ESPO_CONCURRENCY, async (contact): Promise<unknown[]> =>
				part.includes(String(contact.emailAddress ?? '').toLowerCase())
					? [contact.emailAddress]
					: (((await this.client.read('Contact', String(contact.id))).emailAddressData as Array<{ emailAddress?: unknown }> | undefined) ?? []).map((d) => d.emailAddress),
			);
			list.forEach((contact, i) => {
				for (const address of addressesOf[i]) {
					const lower = String(address ?? '').toLowerCase();
					if (part.includes(lower) && !existing.has(lower)) existing.set(lower, String(contact.id));
				}
			});
		}
		// Every item's body is built (and so checked) before anything is written: the first input
		// of a new email creates the contact, the others update it.
		const creating = new Set<string>();
		const plans = prepareItems(
			prepared.valid,
			({ email, input }) => {
				if (existing.has(email) || creating.has(email)) {
					// The contact already has this address (maybe not as its primary one): leave its addresses as they are.
					const fields: Record<string, unknown> = { ...input.fields };
					delete fields.email;
					return { email, create: false, attributes: toAttributes('contact', fields, input.customProperties) };
				}
				creating.add(email);
				return { email, create: true, attributes: this.createBody('contact', input, {}) };
			},
			options,
		);
		const planned = await inDistinctRounds(plans.valid, (p) => p.email, (round) =>
			mapLimit(round, ESPO_CONCURRENCY, async ({ email, create, attributes }): Promise<ItemResult<EspoRecord>> => {
				if (create) {
					const created = await this.createOne('Contact', attributes);
					if (created.ok) existing.set(email, String(created.value.id));
					return created;
				}
				const id = existing.get(email);
				if (!id) return { ok: false, error: new CrmApiError('EspoCRM', { message: `The contact with email "${email}" was not created by an earlier item of this run`, hint: "See that item's error." }) };
				try {
					await this.requireAccountForTitle([{ id, attributes }]);
					return { ok: true, value: await this.client.update('Contact', id, attributes) };
				} catch (error) {
					return { ok: false, error: error as Error };
				}
			}),
		);
		const written = mergeItems(plans.slots, planned);
		const ctx: MappingContext = { siteUrl: this.siteUrl, pipelines: [] };
		return mergeItems(prepared.slots, written).map((r) => (r.ok ? { ok: true, value: toContact(r.value, ctx) } : r));
	}

	/**
	 * Regular and admin users (the ones records can be assigned to). EspoCRM shows a non-admin user
	 * (every API user) only active regular and admin users (confirmed on EspoCRM 9.1.7): an inactive
	 * user is then missing, not listed as inactive; an admin credential still sees them marked.
	 */
	listUsers(): Promise<User[]> {
		this.users ??= collectPages(
			paginateOffset(async (offset, limit) => {
				const { list } = await this.client.list('User', {
					where: [{ type: 'in', attribute: 'type', value: ['regular', 'admin'] }],
					select: ['id', 'name', 'userName', 'firstName', 'lastName', 'emailAddress', 'isActive', 'type'],
					orderBy: 'userName',
					order: 'asc',
					offset,
					maxSize: limit,
				});
				return {
					items: list.map(
						(u): User => ({
							id: String(u.id),
							provider: PROVIDER_ID,
							name: String(u.name || [u.firstName, u.lastName].filter(Boolean).join(' ') || u.userName || u.id),
							email: String(u.emailAddress ?? ''),
							active: u.isActive !== false,
							raw: u,
						}),
					),
				};
			}, ESPO_PAGE_SIZE),
		);
		this.users.catch(() => (this.users = undefined));
		return this.users;
	}

	async listPipelines(resource: ResourceType): Promise<Pipeline[]> {
		if (!this.capabilities.pipelines.includes(resource)) return [];
		return [await this.metadata.pipeline(resource)];
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
	 * Qualifying converts the lead (`POST Lead/action/convert {id, records}`; the values EspoCRM
	 * pre-fills come from `POST Lead/action/getConvertAttributes {id}`): a contact (and an account
	 * when the lead has an account name) and, when asked, an opportunity. The lead's status becomes
	 * "Converted". (Payloads read from EspoCRM's Lead controller,
	 * application/Espo/Modules/Crm/Controllers/Lead.php; the docs only name `Lead/action/convert`,
	 * https://docs.espocrm.com/development/api/#hmac-authentication) (unverified). A new deal without
	 * a close date closes in 30 days (EspoCRM requires one; our choice).
	 */
	async qualifyLeads(inputs: QualifyInput[]): Promise<Array<ItemResult<QualifyResult>>> {
		const currency = inputs.some((i) => i.createDeal) ? await this.defaultCurrency() : undefined;
		const converted = await mapLimit(inputs, ESPO_CONCURRENCY, async (input): Promise<ItemResult<EspoRecord>> => {
			try {
				const id = String(input.id ?? '').trim();
				if (!id) throw new CrmInputError('The lead id is empty', 'id');
				const access = { scope: 'Lead', action: 'edit' };
				const prefill = await this.client.action<Record<string, Record<string, unknown>>>('Lead', 'getConvertAttributes', { id }, access);
				const records: Record<string, Record<string, unknown>> = {};
				if (prefill?.Contact) records.Contact = prefill.Contact;
				if (prefill?.Account && String(prefill.Account.name ?? '').trim()) records.Account = prefill.Account;
				if (input.createDeal) {
					const base = prefill?.Opportunity ?? {};
					records.Opportunity = {
						...base,
						name: input.createDeal.name,
						amount: input.createDeal.amount ?? base.amount ?? 0,
						amountCurrency: base.amountCurrency ?? currency,
						closeDate: base.closeDate ?? espoDate(Date.now() + DEFAULT_CLOSE_DAYS * 86_400_000),
						...(input.createDeal.stageId ? { stage: input.createDeal.stageId } : {}),
					};
				}
				if (!records.Contact && !records.Account && !records.Opportunity) {
					throw new CrmCapabilityError('EspoCRM', 'converting this lead', 'The API user may create none of Contact, Account, Opportunity (Administration → Roles).');
				}
				return { ok: true, value: await this.client.action<EspoRecord>('Lead', 'convert', { id, records }, access) };
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
		const leads = await this.mapResults('lead', converted);
		const dealIds = converted.map((c) => (c.ok && c.value.createdOpportunityId ? String(c.value.createdOpportunityId) : undefined));
		const deals = dealIds.some(Boolean) ? await this.getRecords('deal', dealIds.filter((d): d is string => !!d)) : [];
		let next = 0;
		return leads.map((lead, i): ItemResult<QualifyResult> => {
			if (!lead.ok) return lead;
			if (!dealIds[i]) return { ok: true, value: { lead: lead.value } };
			const deal = deals[next++];
			return deal.ok ? { ok: true, value: { lead: lead.value, deal: deal.value } } : { ok: false, error: deal.error };
		});
	}

	// ── events ───────────────────────────────────────────────────────────────

	private feedDependencies(): FeedDependencies {
		return {
			client: this.client,
			stream: this.stream,
			metadata: this.metadata,
			pipelines: (resource) => this.pipelinesFor(resource),
			toRecords: (resource, raws) => this.mapAll(resource, raws),
			ownUserId: () => this.ownUserId(),
		};
	}

	/** The credential's user (`GET App/user`, https://docs.espocrm.com/development/api/): the loop guard's "own". */
	private ownUserId(): Promise<string> {
		this.me ??= this.client
			.call<{ user?: { id?: unknown } }>({ method: 'GET', path: '/App/user', idempotent: true }, { scope: 'User', action: 'read' })
			.then((answer) => (answer?.user?.id === undefined ? '' : String(answer.user.id)));
		this.me.catch(() => (this.me = undefined));
		return this.me;
	}

	eventFeed(type: EventType): EventFeed {
		return new EspoEventFeed(type, this.feedDependencies());
	}

	instantEvents(type: EventType): InstantEventSource {
		return new EspoWebhookSource(type, this.feedDependencies());
	}
}

export const espocrmProvider: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'EspoCRM',
	// One credential type; it holds the sign-in method (API key, HMAC or password) itself.
	authentications: [{ value: 'espocrm', name: 'EspoCRM', credentialType: 'crmEspoCrmApi' }],
	webhooks: true,
	create(context: ProviderContext): CrmProvider {
		const siteUrl = String(context.credentials.siteUrl ?? '').trim();
		if (!siteUrl) {
			throw new CrmInputError('The CRM: EspoCRM credential has no Site URL', 'credential', 'Enter the address you open EspoCRM at, e.g. https://crm.example.com.');
		}
		const profile = espoHttpProfile(siteUrl);
		const transport = new CrmTransport(context.send, { ...profile, rateLimits: { ...profile.rateLimits, ...context.transportOverrides?.rateLimits } }, {
			credentialKey: context.credentialKey,
			retry: context.transportOverrides?.retry,
		});
		const site = espoSiteUrl(siteUrl);
		return new EspoCrmProvider(transport, site, context.executionId ? `${context.executionId}|${context.credentialKey}|${site}` : undefined);
	},
};

