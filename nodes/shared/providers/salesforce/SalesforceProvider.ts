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
	SearchFilter,
	SearchQuery,
	StageEntry,
	Ticket,
	User,
} from '../../model/types';
import type { EventFeed, EventType } from '../../contract/events';
import { CrmApiError, CrmCapabilityError, CrmInputError, CrmUnknownOutcomeError } from '../../transport/errors';
import { CrmTransport } from '../../transport/http';
import { redact } from '../../transport/redact';
import { chunk } from '../../transport/pagination';
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
import { COLLECTION_LIMIT, SalesforceApi } from './api';
import type { NewRecord } from './api';
import { SALESFORCE_EVENTS, SalesforceEventFeed } from './events';
import {
	fieldOf,
	hasOptionalFields,
	PROVIDER_ID,
	relatedFields,
	selectFields,
	sobjectOf,
	timeMs,
	toContact,
	toRecord,
	toSObjectFields,
} from './mapping';
import type { SObjectRecord, WriteContext } from './mapping';
import { SalesforceMessages } from './messages';
import { loadPipeline, loadTaskStatuses, PIPELINES } from './metadata';
import type { TaskStatuses } from './metadata';
import { SALESFORCE_DEFAULT_API_VERSION, salesforceHttpProfile } from './profile';
import { orderByOf, whereOf } from './search';
import { listSalesforceActivities } from './activities';
import { and, soql, soqlCount, soqlIn, soqlLiteral, soqlString } from './soql';

/** Ids per `IN (...)` list in a query (the query travels in the URL; Salesforce allows 16 KB). */
const IDS_PER_QUERY = 200;

interface StageWriteContext extends WriteContext {
	/** The stage list writes of stages / statuses are checked against. */
	pipeline?: Pipeline;
}

/** What each sObject requires on create (Object Reference), as normalized field names. */
const REQUIRED: Partial<Record<ResourceType, Array<{ field: string; why: string }>>> = {
	lead: [
		{ field: 'lastName', why: 'Salesforce requires a last name on leads' },
		{ field: 'company', why: 'Salesforce requires a company on leads' },
	],
	contact: [{ field: 'lastName', why: 'Salesforce requires a last name on contacts' }],
	deal: [{ field: 'closeDate', why: 'Salesforce requires a close date on opportunities' }],
};

export class SalesforceProvider implements CrmProvider {
	readonly id = PROVIDER_ID;
	readonly displayName = 'Salesforce';
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
		batchSize: COLLECTION_LIMIT,
		messageLog: ['email', 'sms', 'whatsapp', 'note'],
		messageDelivery: ['email'],
		contactUpsert: true,
		// The REST API has no lead conversion (only SOAP convertLead or Apex): see qualifyLeads.
		leadQualify: false,
		events: SALESFORCE_EVENTS,
		// Salesforce pushes changes over CometD / Pub/Sub (gRPC) or Outbound Messages set up in
		// Setup, not webhooks registered by API: polling only.
		instantEvents: [],
	};

	private readonly api: SalesforceApi;
	private readonly messages: SalesforceMessages;
	private readonly pipelineCache = new Map<ResourceType, Promise<Pipeline[]>>();
	private users?: Promise<User[]>;
	private taskStatuses?: Promise<TaskStatuses>;
	/** Whether the org lets this user read EmailMessage (Email-to-Case), learned on first use. */
	private emailMessagesReadable = true;

	constructor(
		readonly transport: CrmTransport,
		readonly apiVersion: string,
		readonly instanceUrl: string,
	) {
		this.api = new SalesforceApi(transport, apiVersion);
		this.messages = new SalesforceMessages(this.api, instanceUrl, () => this.loadTaskStatuses());
	}

	listActivities(resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>> {
		return listSalesforceActivities(this.api, ids, since);
	}

	private loadTaskStatuses(): Promise<TaskStatuses> {
		this.taskStatuses ??= loadTaskStatuses(this.api);
		this.taskStatuses.catch(() => (this.taskStatuses = undefined));
		return this.taskStatuses;
	}

	/** The fields to read of an sObject; org-dependent fields only where describe lists them. */
	private async fieldsOf(sobject: string): Promise<string[]> {
		return selectFields(sobject, hasOptionalFields(sobject) ? await this.api.fieldNames(sobject) : undefined);
	}

	private async mapAll(resource: ResourceType, records: SObjectRecord[]): Promise<CrmRecord[]> {
		const pipelines = this.capabilities.pipelines.includes(resource) ? await this.listPipelines(resource) : [];
		return records.map((record) => toRecord(resource, record, { instanceUrl: this.instanceUrl, pipelines }));
	}

	/** Records by id, normalized; ids not found are missing from the map. */
	private async readMap(resource: ResourceType, ids: string[]): Promise<Map<string, CrmRecord>> {
		const sobject = sobjectOf(resource);
		const found = await this.api.retrieve(sobject, ids, await this.fieldsOf(sobject));
		const unique = [...new Map([...found.values()].map((r) => [String(r.Id), r])).values()];
		const mapped = await this.mapAll(resource, unique);
		const byId = new Map(unique.map((r, i) => [String(r.Id), mapped[i]]));
		const result = new Map<string, CrmRecord>();
		for (const id of ids) {
			const record = found.get(id);
			if (record) result.set(id, byId.get(String(record.Id))!);
		}
		return result;
	}

	private notFound(resource: ResourceType, id: string): CrmApiError {
		return new CrmApiError('Salesforce', {
			message: `No Salesforce ${sobjectOf(resource)} with id "${id}"`,
			code: 'NOT_FOUND',
			status: 404,
			hint: 'Check the record id, that the record was not deleted, and that the user can see it.',
		});
	}

	private async writeContext(resource: ResourceType, inputs: RecordInput[]): Promise<StageWriteContext> {
		const sets = (name: string) => inputs.some((i) => i.fields[name] !== undefined);
		return {
			...(resource === 'task' ? { taskStatus: await this.loadTaskStatuses() } : {}),
			...(PIPELINES[resource] && (sets('stageId') || sets('status')) ? { pipeline: (await this.listPipelines(resource))[0] } : {}),
		};
	}

	/**
	 * A stage or status given by name or value becomes the picklist value; an unknown one fails
	 * with the valid values. Converted lead statuses are set only by lead conversion ("You can't
	 * convert a lead via the API by changing Status", Object Reference, Lead).
	 */
	private stageValue(resource: ResourceType, value: unknown, pipeline: Pipeline): string {
		const wanted = String(value).trim();
		const stage = pipeline.stages.find((s) => s.id === wanted) ?? pipeline.stages.find((s) => s.name.toLowerCase() === wanted.toLowerCase() || s.id.toLowerCase() === wanted.toLowerCase());
		const field = resource === 'deal' ? 'stage' : 'status';
		if (!stage) {
			throw new CrmInputError(`Unknown ${field} "${wanted}" in Salesforce's ${pipeline.name}`, field, `Valid: ${pipeline.stages.map((s) => `"${s.name}"`).join(', ')}.`);
		}
		if (resource === 'lead' && stage.closed === 'closed') {
			const open = pipeline.stages.filter((s) => s.closed === 'open').map((s) => `"${s.name}"`);
			throw new CrmInputError(
				`"${stage.name}" is a converted lead status: Salesforce sets it only when the lead is converted`,
				'status',
				`Statuses a lead can be moved to: ${open.join(', ')}. Convert the lead in Salesforce (its REST API has no conversion).`,
			);
		}
		return stage.id;
	}

	/** Normalized fields → sObject fields for one record, with what only this provider knows. */
	private fieldsFor(resource: ResourceType, input: RecordInput, context: StageWriteContext, mode: 'create' | 'update'): Record<string, unknown> {
		const sobject = sobjectOf(resource);
		const { pipelineId, ...fields } = input.fields;
		const pipeline = PIPELINES[resource];
		if (pipelineId !== undefined && pipeline && pipelineId !== pipeline.id) {
			throw new CrmInputError(`Salesforce has one ${pipeline.name} list, not pipeline "${String(pipelineId)}"`, 'pipeline', `Use "${pipeline.name}".`);
		}
		if (pipelineId !== undefined && !pipeline) fields.pipelineId = pipelineId;
		for (const name of ['stageId', 'status'] as const) {
			if (fields[name] !== undefined && context.pipeline) fields[name] = this.stageValue(resource, fields[name], context.pipeline);
		}
		if (mode === 'create') {
			for (const rule of REQUIRED[resource] ?? []) {
				if (fields[rule.field] === undefined || String(fields[rule.field]).trim() === '') {
					throw new CrmInputError(`${rule.why}`, rule.field, `Set "${rule.field}" on the item.`);
				}
			}
		}
		const body = toSObjectFields(sobject, fields, input.customProperties, context);
		if (mode === 'create' && (resource === 'task' || resource === 'note')) {
			Object.assign(body, relatedFields(input.related, resource === 'note' ? 'ParentId' : 'WhatId'));
			if (resource === 'task' && body.Status === undefined && context.taskStatus) body.Status = context.taskStatus.open;
		}
		if (mode === 'create' && (resource === 'deal' || resource === 'ticket')) Object.assign(body, parentFields(resource, input.related));
		return body;
	}

	async createRecords(resource: ResourceType, inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const sobject = sobjectOf(resource);
		const context = await this.writeContext(resource, inputs);
		const { valid, slots } = prepareItems(inputs, (input) => ({ type: sobject, fields: this.fieldsFor(resource, input, context, 'create'), related: input.related ?? [] }), options);
		const created = await this.api.create(valid.map((v): NewRecord => ({ type: v.type, fields: v.fields })));
		const linked = resource === 'deal' ? await this.addContactRoles(valid.map((v) => v.related), created) : created;
		return mergeItems(slots, await this.readBack(resource, linked));
	}

	/**
	 * A new opportunity's related contacts become its contact roles (the first one primary). An
	 * opportunity whose roles fail stays created: its item fails naming the opportunity's id.
	 */
	private async addContactRoles(related: RelatedRef[][], created: Array<ItemResult<string>>): Promise<Array<ItemResult<string>>> {
		const roles: Array<NewRecord & { item: number }> = [];
		created.forEach((result, i) => {
			if (!result.ok) return;
			related[i]
				.filter((r) => r.type === 'contact')
				.forEach((contact, n) => roles.push({ item: i, type: 'OpportunityContactRole', fields: { OpportunityId: result.value, ContactId: contact.id, IsPrimary: n === 0 } }));
		});
		if (!roles.length) return created;
		const results = await this.api.create(roles.map(({ type, fields }) => ({ type, fields })));
		const out = [...created];
		results.forEach((r, n) => {
			const item = roles[n].item;
			const deal = created[item];
			if (r.ok || !deal.ok || !out[item].ok) return;
			const unknown = r.error instanceof CrmUnknownOutcomeError ? ' (the link may have been made)' : '';
			out[item] = {
				ok: false,
				error: new CrmApiError('Salesforce', {
					message: `The opportunity ${deal.value} was created, but linking its contacts failed${unknown}: ${r.error.message}`,
					recordId: deal.value,
					hint: `Do not run this item again (it would create a second opportunity): add the contact roles to opportunity ${deal.value} in Salesforce.`,
				}),
			};
		});
		return out;
	}

	/**
	 * Reads written records back (Salesforce answers writes with ids only). A read-back that fails
	 * does not hide what was written: those items succeed with their id only.
	 */
	private async readBack(resource: ResourceType, written: Array<ItemResult<string>>): Promise<Array<ItemResult<CrmRecord>>> {
		const ids = written.filter((r): r is { ok: true; value: string } => r.ok).map((r) => r.value);
		let records: Map<string, CrmRecord>;
		let readError: Error | undefined;
		try {
			records = ids.length ? await this.readMap(resource, ids) : new Map<string, CrmRecord>();
		} catch (error) {
			records = new Map();
			readError = error as Error;
		}
		return written.map((r): ItemResult<CrmRecord> => {
			if (!r.ok) return r;
			const record = records.get(r.value);
			if (record) return { ok: true, value: record };
			if (readError) return { ok: true, value: writtenOnly(r.value, sobjectOf(resource), readError) };
			return { ok: false, error: this.notFound(resource, r.value) };
		});
	}

	async updateRecords(resource: ResourceType, updates: RecordUpdate[], options: WriteOptions = {}): Promise<Array<ItemResult<CrmRecord>>> {
		const sobject = sobjectOf(resource);
		const context = await this.writeContext(resource, updates);
		const { valid, slots } = prepareItems(
			updates,
			(update) => {
				if (!String(update.id ?? '').trim()) throw new CrmInputError('The record id is empty', 'id');
				return { type: sobject, id: String(update.id).trim(), fields: this.fieldsFor(resource, update, context, 'update') };
			},
			options,
		);
		// The same record twice in one collection call is ambiguous: repeats go in later rounds.
		const written = await inDistinctRounds(valid, (v) => v.id, (round) => this.api.update(round));
		return mergeItems(slots, await this.readBack(resource, written));
	}

	async getRecords(resource: ResourceType, ids: string[]): Promise<Array<ItemResult<CrmRecord>>> {
		const { valid, slots } = prepareItems(ids, (id) => {
			const trimmed = String(id ?? '').trim();
			if (!trimmed) throw new CrmInputError('The record id is empty', 'id');
			return trimmed;
		});
		const records = valid.length ? await this.readMap(resource, valid) : new Map<string, CrmRecord>();
		return mergeItems(
			slots,
			valid.map((id): ItemResult<CrmRecord> => {
				const record = records.get(id);
				return record ? { ok: true, value: record } : { ok: false, error: this.notFound(resource, id) };
			}),
		);
	}

	/** Normalized filters with a meaning beyond one field (task status, the single pipeline, ...). */
	private specialFilter(resource: ResourceType) {
		return (filter: SearchFilter): string | null | undefined => {
			if (filter.field === 'pipelineId' && PIPELINES[resource]) {
				const matches = String(filter.value ?? '') === PIPELINES[resource]!.id;
				if (filter.operator === 'eq') return matches ? null : 'Id = null';
			}
			if (resource === 'task' && filter.field === 'status') {
				const value = String(filter.value ?? '').trim().toLowerCase();
				if (value === 'completed' || value === 'open') {
					const closed = value === 'completed';
					if (filter.operator === 'eq') return `IsClosed = ${closed}`;
					if (filter.operator === 'neq') return `IsClosed = ${!closed}`;
				}
			}
			return undefined;
		};
	}

	private async queryOf(resource: ResourceType, query: SearchQuery): Promise<string> {
		const sobject = sobjectOf(resource);
		const custom = query.filters.some((f) => !fieldOf(sobject, f.field).type);
		const describe = custom ? await this.api.describe(sobject) : undefined;
		const filters = [...query.filters];
		const where = whereOf(sobject, { ...query, filters }, { describe, special: this.specialFilter(resource) });
		// Converted leads are kept by Salesforce but read-only: searches skip them unless asked.
		const leadDefault = resource === 'lead' && !filters.some((f) => f.field === 'isConverted' || f.field === 'IsConverted') ? 'IsConverted = false' : undefined;
		return soql({
			select: [...(await this.fieldsOf(sobject)), ...(query.properties ?? [])],
			from: sobject,
			where: and([where, leadDefault]),
			orderBy: orderByOf(sobject, query.sort),
			limit: query.limit,
		});
	}

	async *searchRecords(resource: ResourceType, query: SearchQuery): AsyncGenerator<CrmRecord[]> {
		for await (const page of this.api.query(await this.queryOf(resource, query))) yield await this.mapAll(resource, page);
	}

	async *streamRecords(resource: ResourceType, options: { stageHistory?: boolean; history?: boolean }): AsyncGenerator<CrmRecord[]> {
		const sobject = sobjectOf(resource);
		const text = soql({ select: await this.fieldsOf(sobject), from: sobject, orderBy: 'Id ASC' });
		for await (const page of this.api.query(text)) {
			const records = await this.mapAll(resource, page);
			for (const part of chunk(records, IDS_PER_QUERY)) {
				if (resource === 'deal' && (options.stageHistory || options.history)) await this.addDealHistory(part as Deal[], options);
				if (resource === 'ticket') await this.addTicketTimes(part as Ticket[], options.stageHistory === true);
			}
			yield records;
		}
	}

	/**
	 * From each deal's OpportunityHistory rows (one per change of stage, amount, probability or
	 * close date): when it entered each stage, and with `history` every close date it had.
	 */
	private async addDealHistory(deals: Deal[], options: { stageHistory?: boolean; history?: boolean }): Promise<void> {
		const rows = await this.api.queryAll(
			soql({
				select: ['OpportunityId', 'StageName', ...(options.history ? ['CloseDate'] : []), 'CreatedDate'],
				from: 'OpportunityHistory',
				where: soqlIn('OpportunityId', deals.map((d) => d.id)),
				orderBy: 'CreatedDate ASC, Id ASC',
			}),
		);
		if (options.stageHistory) {
			const byDeal = groupHistory(rows, 'OpportunityId', (row) => String(row.StageName));
			for (const deal of deals) deal.stageHistory = byDeal.get(deal.id) ?? [];
		}
		if (options.history) {
			const byDeal = valueHistory(rows, 'OpportunityId', (row) => String(row.CloseDate ?? ''));
			for (const deal of deals) deal.closeDateHistory = (byDeal.get(deal.id) ?? []).map((h) => ({ closeDate: h.value, changedAt: h.at }));
		}
	}

	/**
	 * Ticket timestamps for SLA reports: first response = the first outgoing email on the case
	 * (EmailMessage, Email-to-Case orgs; Salesforce has no standard first-response field), and
	 * with `stageHistory` the Status history (CaseHistory, where field history tracking is on).
	 */
	private async addTicketTimes(tickets: Ticket[], stageHistory: boolean): Promise<void> {
		const ids = tickets.map((t) => t.id);
		if (this.emailMessagesReadable) {
			const rows = await this.api
				.queryAll(soql({ select: ['ParentId', 'MessageDate'], from: 'EmailMessage', where: and([soqlIn('ParentId', ids), 'Incoming = false']), orderBy: 'MessageDate ASC' }))
				.catch((error: unknown) => {
					// No Email-to-Case in this org, or the user may not read emails: no first responses.
					if (!(error instanceof CrmApiError) || ![400, 403, 404].includes(error.status ?? 0)) return Promise.reject(error);
					this.emailMessagesReadable = false;
					return [];
				});
			const first = new Map<string, number>();
			for (const row of rows) if (!first.has(String(row.ParentId))) first.set(String(row.ParentId), timeMs(row.MessageDate));
			for (const ticket of tickets) {
				const at = first.get(ticket.id);
				if (at !== undefined && Number.isFinite(at)) ticket.firstResponseAt = new Date(at).toISOString();
			}
		}
		if (!stageHistory) return;
		const rows = await this.api.queryAll(
			soql({ select: ['CaseId', 'NewValue', 'CreatedDate'], from: 'CaseHistory', where: and([soqlIn('CaseId', ids), `Field = ${soqlString('Status')}`]), orderBy: 'CreatedDate ASC, Id ASC' }),
		);
		const byCase = groupHistory(rows, 'CaseId', (row) => String(row.NewValue));
		for (const ticket of tickets) {
			const history = byCase.get(ticket.id) ?? [];
			// The opening status is not a history row: the case entered it when it was created.
			const opened = ticket.openedAt ? Date.parse(ticket.openedAt) : Number.NaN;
			const first = (ticket.raw as { Status?: string }).Status;
			ticket.stageHistory = history.length && Number.isFinite(opened) ? history : first && Number.isFinite(opened) ? [{ stageId: first, enteredAt: opened }] : history;
		}
	}

	async countOpenRecords(resource: ResourceType, ownerId: string): Promise<number> {
		const sobject = sobjectOf(resource);
		const open: Partial<Record<ResourceType, string>> = { task: 'IsClosed = false', deal: 'IsClosed = false', ticket: 'IsClosed = false', lead: 'IsConverted = false' };
		return this.api.count(soqlCount(sobject, and([`OwnerId = ${soqlLiteral(ownerId, 'id', 'ownerId')}`, open[resource]])));
	}

	/**
	 * Create or update by email: Salesforce upserts only on external-id fields and Email is not
	 * one, so contacts are looked up by email (the oldest match wins when several share it), then
	 * updated or created in collection calls.
	 */
	async upsertContacts(inputs: RecordInput[], options: WriteOptions = {}): Promise<Array<ItemResult<Contact>>> {
		const emailOf = (input: RecordInput) => {
			const email = String(input.fields.email ?? '').trim().toLowerCase();
			if (!email) throw new CrmInputError('An email is needed to create or update a contact by email', 'email');
			return email;
		};
		const emails = prepareItems(inputs, emailOf, options);
		// The lookup must be complete: a garbled answer read as "no such contact" would create a
		// duplicate, so a failed lookup fails its items (nothing is written for them).
		const existing = new Map<string, string>();
		const lookupFailed = new Map<string, Error>();
		for (const part of chunk([...new Set(emails.valid)], IDS_PER_QUERY)) {
			try {
				const rows = await this.api.queryAll(soql({ select: ['Id', 'Email'], from: 'Contact', where: soqlIn('Email', part), orderBy: 'CreatedDate ASC, Id ASC' }));
				for (const row of rows) {
					const email = String(row.Email ?? '').toLowerCase();
					if (!existing.has(email)) existing.set(email, String(row.Id));
				}
			} catch (error) {
				for (const email of part) lookupFailed.set(email, error as Error);
			}
		}
		// Every item's body is built (and so checked) before anything is written. New emails are
		// created once (the first input); later inputs with that email update the new contact.
		const firstOf = new Map<string, number>();
		const plans = prepareItems(
			inputs,
			(input, index) => {
				const email = emailOf(input);
				const failed = lookupFailed.get(email);
				if (failed) throw failed;
				const create = !existing.has(email) && !firstOf.has(email);
				if (create) firstOf.set(email, index);
				const fields = create
					? this.fieldsFor('contact', { ...input, fields: { ...input.fields, email } }, {}, 'create')
					: this.fieldsFor('contact', input, {}, 'update');
				return { email, create, fields };
			},
			options,
		);
		const results = await inDistinctRounds(plans.valid, (v) => v.email, async (round) => {
			const creates = round.filter((v) => v.create);
			const updates = round.filter((v) => !v.create);
			const created = await this.api.create(creates.map((v) => ({ type: 'Contact', fields: v.fields })));
			created.forEach((r, i) => r.ok && existing.set(creates[i].email, r.value));
			// An update of a contact whose create failed or is uncertain fails with it.
			const targets = prepareItems(updates, (v) => {
				const id = existing.get(v.email);
				if (!id) throw new CrmApiError('Salesforce', { message: `The contact with email "${v.email}" was not created by an earlier item of this run`, hint: 'See that item\'s error.' });
				return { type: 'Contact', id, fields: v.fields };
			});
			const updated = mergeItems(targets.slots, await this.api.update(targets.valid));
			return round.map((v) => (v.create ? created[creates.indexOf(v)] : updated[updates.indexOf(v)]));
		});
		const read = await this.readBack('contact', results);
		const contacts = read.map((r): ItemResult<Contact> => {
			if (!r.ok) return r;
			const readBackFailed = 'readBackError' in r.value;
			return { ok: true, value: readBackFailed ? (r.value as Contact) : toContact(r.value.raw as SObjectRecord, { instanceUrl: this.instanceUrl }) };
		});
		return mergeItems(plans.slots, contacts);
	}

	readonly fieldAccessHint = 'Salesforce: field-level security';

	/** Salesforce takes an 18-character id's 15-character (case-sensitive) form too. */
	userIdForms(id: string): string[] {
		return id.length === 18 ? [id.slice(0, 15)] : [];
	}

	listUsers(): Promise<User[]> {
		this.users ??= this.api
			.queryAll(soql({ select: ['Id', 'Name', 'FirstName', 'LastName', 'Email', 'Username', 'IsActive', 'UserType'], from: 'User', where: `UserType = ${soqlString('Standard')}`, orderBy: 'Name ASC' }))
			.then((rows) =>
				rows.map((row): User => ({
					id: String(row.Id),
					provider: PROVIDER_ID,
					name: String(row.Name ?? ([row.FirstName, row.LastName].filter(Boolean).join(' ') || row.Email)),
					email: String(row.Email ?? ''),
					active: row.IsActive === true,
					raw: row as Record<string, unknown>,
				})),
			);
		this.users.catch(() => (this.users = undefined));
		return this.users;
	}

	listPipelines(resource: ResourceType): Promise<Pipeline[]> {
		if (!this.capabilities.pipelines.includes(resource)) return Promise.resolve([]);
		let cached = this.pipelineCache.get(resource);
		if (!cached) {
			cached = loadPipeline(this.api, resource);
			cached.catch(() => this.pipelineCache.delete(resource));
			this.pipelineCache.set(resource, cached);
		}
		return cached;
	}

	logMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return this.messages.log(inputs);
	}

	deliverMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return this.messages.deliver(inputs);
	}

	findMessagesByDedupeKey(requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>): Promise<Map<string, Message>> {
		return this.messages.findByDedupeKey(requests);
	}

	/**
	 * Salesforce's REST API has no lead conversion: it is a SOAP call (`convertLead`) or Apex
	 * (Object Reference, convertLead), neither reachable with the REST credential alone.
	 */
	async qualifyLeads(inputs: QualifyInput[]): Promise<Array<ItemResult<QualifyResult>>> {
		throw new CrmCapabilityError(
			'Salesforce',
			`lead conversion over its REST API (${inputs.length} lead${inputs.length === 1 ? '' : 's'} not converted)`,
			'Salesforce converts leads only through its SOAP API or Apex. Use Lead → Update Status to move the lead to a status such as "Qualified", and convert it in Salesforce.',
		);
	}

	eventFeed(type: EventType): EventFeed {
		if (!this.capabilities.events.includes(type)) throw new CrmCapabilityError('Salesforce', `the "${type}" event`);
		return new SalesforceEventFeed(type, {
			api: this.api,
			read: (resource, ids) => this.readMap(resource, ids),
			pipelines: (resource) => this.listPipelines(resource),
		});
	}
}

/** A record that was written but could not be read back: its id, and why the rest is missing. */
function writtenOnly(id: string, sobject: string, error: Error): CrmRecord {
	return { id, provider: PROVIDER_ID, raw: { Id: id, attributes: { type: sobject } }, readBackError: redact(`Written; reading it back failed: ${error.message}`) } as CrmRecord;
}

/** A new opportunity or case: its account, and a case's contact (opportunity contacts become roles). */
function parentFields(resource: 'deal' | 'ticket', related: RelatedRef[] = []): Record<string, string> {
	const out: Record<string, string> = {};
	for (const ref of related) {
		if (ref.type === 'company') out.AccountId ??= ref.id;
		else if (ref.type === 'contact' && resource === 'ticket') out.ContactId ??= ref.id;
		else if (!(ref.type === 'contact' && resource === 'deal')) {
			throw new CrmInputError(`A Salesforce ${sobjectOf(resource)} cannot be associated with a ${ref.type}`, 'associations', 'Associate a company or a contact.');
		}
	}
	return out;
}

/** History rows per record: each change of one value (a stage, a close date), in time order. */
function valueHistory(rows: SObjectRecord[], parentField: string, valueOf: (row: SObjectRecord) => string): Map<string, Array<{ value: string; at: number }>> {
	const byParent = new Map<string, Array<{ value: string; at: number }>>();
	for (const row of rows) {
		const at = timeMs(row.CreatedDate);
		const value = valueOf(row);
		if (!Number.isFinite(at) || !value) continue;
		const list = byParent.get(String(row[parentField])) ?? [];
		if (list[list.length - 1]?.value !== value) list.push({ value, at });
		byParent.set(String(row[parentField]), list);
	}
	return byParent;
}

/** History rows per record, as stage entries in time order. */
function groupHistory(rows: SObjectRecord[], parentField: string, stageOf: (row: SObjectRecord) => string): Map<string, StageEntry[]> {
	const byParent = new Map<string, StageEntry[]>();
	for (const [parent, list] of valueHistory(rows, parentField, stageOf)) byParent.set(parent, list.map((h) => ({ stageId: h.value, enteredAt: h.at })));
	return byParent;
}

export const salesforceProvider: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'Salesforce',
	authentications: [
		{ value: 'salesforce', name: 'Salesforce (OAuth2)', credentialType: 'crmSalesforceOAuth2Api' },
		{ value: 'salesforceJwt', name: 'Salesforce (JWT)', credentialType: 'crmSalesforceJwtApi' },
	],
	create(context: ProviderContext): CrmProvider {
		const credentials = context.credentials;
		const apiVersion = String(credentials.apiVersion || SALESFORCE_DEFAULT_API_VERSION).replace(/^v/i, '');
		// OAuth2: the instance comes with the token (n8n keeps the token response in
		// oauthTokenData). JWT: the credential resolves relative URLs against the instance its
		// token grant returned, so paths stay relative until then.
		const tokenData = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
		const instanceUrl = String(tokenData.instance_url ?? credentials.instanceUrl ?? '').replace(/\/+$/, '');
		const baseUrl = context.credentialType === 'crmSalesforceJwtApi' ? '' : instanceUrl;
		if (!baseUrl && context.credentialType !== 'crmSalesforceJwtApi') {
			throw new CrmInputError('The Salesforce OAuth2 credential is not connected', 'credential', 'Open the credential and click "Connect my account".');
		}
		const profile = salesforceHttpProfile(baseUrl);
		const transport = new CrmTransport(context.send, { ...profile, rateLimits: { ...profile.rateLimits, ...context.transportOverrides?.rateLimits } }, {
			credentialKey: context.credentialKey,
			retry: context.transportOverrides?.retry,
		});
		return new SalesforceProvider(transport, apiVersion, instanceUrl || 'https://login.salesforce.com');
	},
};

