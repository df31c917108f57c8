/**
 * Salesforce sObjects ↔ the normalized model. Field names are the standard API names of the
 * Object Reference (https://developer.salesforce.com/docs/platform/object-reference/guide); the
 * vendor record stays in `raw`. Salesforce's REST API takes and returns JSON types (numbers,
 * booleans, `YYYY-MM-DD` dates, ISO datetimes), unlike HubSpot's strings.
 */
import type {
	Company,
	Contact,
	CrmRecord,
	Deal,
	ForecastCategory,
	Lead,
	Note,
	OptOut,
	Pipeline,
	RelatedRef,
	ResourceType,
	Task,
	TaskKind,
	TaskPriority,
	Ticket,
} from '../../model/types';
import { CrmInputError } from '../../transport/errors';
import { parseCalendarDate, parseEnum, parseIsoInstant, parseNumber } from '../../model/parse';
import type { SoqlType } from './soql';

export const PROVIDER_ID = 'salesforce';

/** An sObject record as the REST API returns it. */
export interface SObjectRecord {
	Id: string;
	attributes?: { type?: string; url?: string };
	[field: string]: unknown;
}

interface FieldSpec {
	field: string;
	type: SoqlType;
	readOnly?: boolean;
	/**
	 * Selected only when the org's describe lists it: the field exists only in some orgs
	 * (multi-currency) or versions, or field-level security may hide it from the API user, and a
	 * query naming a field the user cannot see fails as a whole (400 INVALID_FIELD "No such
	 * column"; describe lists only the fields the user can see).
	 */
	optional?: boolean;
}

const f = (field: string, type: SoqlType = 'string', extra: Partial<FieldSpec> = {}): FieldSpec => ({ field, type, ...extra });
const ro = (field: string, type: SoqlType = 'string', extra: Partial<FieldSpec> = {}): FieldSpec => f(field, type, { readOnly: true, ...extra });

const SYSTEM = { createdAt: ro('CreatedDate', 'datetime'), updatedAt: ro('LastModifiedDate', 'datetime') };

/** Normalized field → sObject field, per sObject. `stageId` is the picklist value the stage lists use. */
const FIELDS: Record<string, Record<string, FieldSpec>> = {
	Lead: {
		firstName: f('FirstName'),
		lastName: f('LastName'),
		name: ro('Name'),
		email: f('Email'),
		phone: f('Phone'),
		company: f('Company'),
		title: f('Title'),
		status: f('Status'),
		stageId: f('Status'),
		source: f('LeadSource'),
		ownerId: f('OwnerId', 'id'),
		isConverted: ro('IsConverted', 'boolean'),
		contactId: ro('ConvertedContactId', 'id'),
		convertedDealId: ro('ConvertedOpportunityId', 'id', { optional: true }),
		emailOptOut: f('HasOptedOutOfEmail', 'boolean', { optional: true }),
		doNotCall: f('DoNotCall', 'boolean', { optional: true }),
		...SYSTEM,
	},
	Contact: {
		firstName: f('FirstName'),
		lastName: f('LastName'),
		name: ro('Name'),
		email: f('Email'),
		phone: f('Phone'),
		title: f('Title'),
		companyId: f('AccountId', 'id'),
		ownerId: f('OwnerId', 'id'),
		emailOptOut: f('HasOptedOutOfEmail', 'boolean', { optional: true }),
		doNotCall: f('DoNotCall', 'boolean', { optional: true }),
		...SYSTEM,
	},
	Account: {
		name: f('Name'),
		domain: f('Website'),
		phone: f('Phone'),
		ownerId: f('OwnerId', 'id'),
		...SYSTEM,
	},
	Opportunity: {
		name: f('Name'),
		amount: f('Amount', 'number'),
		currency: f('CurrencyIsoCode', 'string', { optional: true }),
		stageId: f('StageName'),
		probability: f('Probability', 'number'),
		closeDate: f('CloseDate', 'date'),
		ownerId: f('OwnerId', 'id'),
		companyId: f('AccountId', 'id'),
		isClosed: ro('IsClosed', 'boolean'),
		isWon: ro('IsWon', 'boolean'),
		// Not found on a Salesforce page (only in customer code): selected when describe lists it.
		stageChangedAt: ro('LastStageChangeDate', 'datetime', { optional: true }),
		lastActivityAt: ro('LastActivityDate', 'date', { optional: true }),
		forecastCategory: ro('ForecastCategoryName', 'string', { optional: true }),
		...SYSTEM,
	},
	Case: {
		subject: f('Subject'),
		description: f('Description'),
		status: f('Status'),
		stageId: f('Status'),
		priority: f('Priority'),
		origin: f('Origin'),
		ownerId: f('OwnerId', 'id'),
		contactId: f('ContactId', 'id'),
		companyId: f('AccountId', 'id'),
		number: ro('CaseNumber'),
		isClosed: ro('IsClosed', 'boolean'),
		closedAt: ro('ClosedDate', 'datetime'),
		openedAt: ro('CreatedDate', 'datetime'),
		...SYSTEM,
	},
	Task: {
		subject: f('Subject'),
		body: f('Description'),
		dueAt: f('ActivityDate', 'date'),
		status: f('Status'),
		priority: f('Priority'),
		type: f('Type', 'string', { optional: true }),
		kind: ro('TaskSubtype', 'string', { optional: true }),
		ownerId: f('OwnerId', 'id'),
		whoId: f('WhoId', 'id'),
		whatId: f('WhatId', 'id'),
		isClosed: ro('IsClosed', 'boolean'),
		// Set by Salesforce when the task is saved with a closed status (field reference; the
		// API version it appeared in is not stated: present at the pinned version).
		completedAt: ro('CompletedDateTime', 'datetime'),
		...SYSTEM,
	},
	Note: {
		title: f('Title'),
		body: f('Body'),
		ownerId: f('OwnerId', 'id'),
		parentId: f('ParentId', 'id'),
		...SYSTEM,
	},
};

export function sobjectOf(resource: ResourceType): string {
	switch (resource) {
		case 'lead':
			return 'Lead';
		case 'contact':
			return 'Contact';
		case 'company':
			return 'Account';
		case 'deal':
			return 'Opportunity';
		case 'ticket':
			return 'Case';
		case 'task':
		case 'message':
			return 'Task';
		case 'note':
			return 'Note';
	}
}

/** The sObject field behind a normalized field; names that are not normalized pass as API names. */
export function fieldOf(sobject: string, field: string): { field: string; type?: SoqlType } {
	const spec = FIELDS[sobject]?.[field];
	return spec ? { field: spec.field, type: spec.type } : { field };
}

/** Fields to select; optional ones only when the org's describe lists them. */
export function selectFields(sobject: string, existing?: ReadonlySet<string>): string[] {
	const fields = Object.values(FIELDS[sobject] ?? {})
		.filter((spec) => !spec.optional || existing?.has(spec.field))
		.map((spec) => spec.field);
	return ['Id', ...new Set(fields)];
}

/** Optional fields of an sObject (whether the org has them is read from describe). */
export function hasOptionalFields(sobject: string): boolean {
	return Object.values(FIELDS[sobject] ?? {}).some((spec) => spec.optional);
}

export function writableFields(sobject: string): string[] {
	return Object.entries(FIELDS[sobject] ?? {})
		.filter(([name, spec]) => !spec.readOnly && name !== 'stageId')
		.map(([name]) => name);
}

/** A JSON value for a field of this type, as the REST API takes it. */
export function toSalesforceValue(value: unknown, type: SoqlType, field: string): unknown {
	if (value === null || value === undefined || value === '') return null;
	switch (type) {
		case 'number':
			return parseNumber(value, field);
		case 'boolean':
			return value === true || String(value).trim().toLowerCase() === 'true';
		case 'date':
			// The calendar date as written (an ISO datetime keeps the date of its own offset, so
			// "10:00 in Berlin" stays on its day).
			return parseCalendarDate(value, field);
		case 'datetime':
			return parseIsoInstant(value, field);
		default:
			return typeof value === 'string' ? value : String(value);
	}
}

const PRIORITIES: Record<string, Record<string, string>> = {
	// TaskPriority defaults: High, Normal, Low; Case Priority: High, Medium, Low (Object Reference).
	Task: { high: 'High', medium: 'Normal', normal: 'Normal', low: 'Low' },
	Case: { high: 'High', medium: 'Medium', normal: 'Medium', low: 'Low' },
};

/** Normalized priorities (any case) become the org's default picklist values; others are refused. */
function priorityValue(sobject: string, value: unknown): unknown {
	const table = PRIORITIES[sobject];
	if (!table) return value;
	return table[parseEnum(value, 'priority', ['high', 'medium', 'low'] as const, { normal: 'medium' })];
}

/** The model's probability is a fraction 0..1; Salesforce stores a percentage. */
function percentOf(value: unknown): number {
	const fraction = parseNumber(value, 'probability', { min: 0, max: 1, what: 'a probability (a fraction between 0 and 1; 0.75 means 75 %)' });
	return Math.round(fraction * 10000) / 100;
}

export interface WriteContext {
	/** Task status values: the default open one and the first closed one. */
	taskStatus?: { open: string; completed: string };
}

/**
 * The sObject body for normalized fields plus API-named custom properties. A field this
 * resource does not have fails with the names that would be valid.
 */
export function toSObjectFields(
	sobject: string,
	fields: Record<string, unknown>,
	customProperties: Record<string, unknown> = {},
	context: WriteContext = {},
): Record<string, unknown> {
	const specs = FIELDS[sobject] ?? {};
	const body: Record<string, unknown> = {};
	for (const [name, raw] of Object.entries(fields)) {
		if (raw === undefined) continue;
		const spec = specs[name];
		if (!spec) {
			throw new CrmInputError(
				`"${name}" is not a field Salesforce ${sobject} records have in this node`,
				name,
				`Fields: ${writableFields(sobject).join(', ')}. Put Salesforce API names (e.g. Industry, My_Field__c) under Custom Properties.`,
			);
		}
		if (spec.readOnly) throw new CrmInputError(`"${name}" is set by Salesforce and cannot be written`, name);
		let value: unknown = raw;
		if (name === 'priority') value = priorityValue(sobject, raw);
		if (name === 'probability') value = percentOf(raw);
		if (sobject === 'Task' && name === 'status' && context.taskStatus) {
			const lower = String(raw).trim().toLowerCase();
			if (lower === 'completed') value = context.taskStatus.completed;
			else if (lower === 'open') value = context.taskStatus.open;
		}
		body[spec.field] = toSalesforceValue(value, spec.type, name);
	}
	for (const [name, value] of Object.entries(customProperties)) {
		if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
			throw new CrmInputError(`"${name}" is not a Salesforce field API name`, 'customProperties');
		}
		body[name] = value;
	}
	return body;
}

/** Record id key prefixes of the standard objects (first three characters of every id). */
const KEY_PREFIX: Record<string, ResourceType> = { '00Q': 'lead', '003': 'contact', '001': 'company', '006': 'deal', '500': 'ticket', '00T': 'task' };

export function resourceOfId(id: string): ResourceType | undefined {
	return KEY_PREFIX[String(id).slice(0, 3)];
}

/** Task/Note links: WhoId takes a lead or contact, WhatId (or a note's ParentId) anything else. */
export function relatedFields(related: RelatedRef[] = [], parentField: 'WhatId' | 'ParentId' = 'WhatId'): Record<string, string> {
	const out: Record<string, string> = {};
	for (const ref of related) {
		if (ref.type === 'lead' || ref.type === 'contact') {
			if (parentField === 'ParentId') out.ParentId ??= ref.id;
			else out.WhoId ??= ref.id;
		} else if (['company', 'deal', 'ticket'].includes(ref.type)) {
			out[parentField] ??= ref.id;
		} else {
			throw new CrmInputError(`A Salesforce activity cannot be linked to a ${ref.type}`, 'relatedTo', 'Link it to a lead, contact, company, deal or ticket.');
		}
	}
	return out;
}

export interface ReadContext {
	instanceUrl: string;
	pipelines?: Pipeline[];
}

const str = (value: unknown): string | undefined => (value === null || value === undefined || value === '' ? undefined : String(value));
const num = (value: unknown): number | undefined => (value === null || value === undefined || value === '' ? undefined : Number(value));
const time = (value: unknown): string | undefined => {
	const text = str(value);
	if (!text) return undefined;
	const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
	return Number.isNaN(ms) ? text : new Date(ms).toISOString();
};

/** Epoch ms of a Salesforce datetime (`2026-11-20T09:00:00.000+0000`). */
export function timeMs(value: unknown): number {
	const text = str(value);
	return text ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
}

function base(sobject: string, record: SObjectRecord, context: ReadContext) {
	return {
		id: String(record.Id),
		provider: PROVIDER_ID,
		url: `${context.instanceUrl.replace(/\/+$/, '')}/lightning/r/${sobject}/${record.Id}/view`,
		createdAt: time(record.CreatedDate),
		updatedAt: time(record.LastModifiedDate),
		raw: record as Record<string, unknown>,
	};
}

function stageOf(resource: ResourceType, value: unknown, context: ReadContext) {
	const stageId = str(value);
	const pipeline = context.pipelines?.find((p) => p.objectType === resource) ?? context.pipelines?.[0];
	const stage = pipeline?.stages.find((s) => s.id === stageId);
	return { pipelineId: pipeline?.id, stageId, stageName: stage?.name ?? stageId };
}

/** ForecastCategoryName (Opportunity field reference picklist) → the model's buckets; "Most Likely" sits between pipeline and best case and is counted as pipeline. */
const FORECAST_CATEGORY: Record<string, ForecastCategory> = { Pipeline: 'pipeline', 'Most Likely': 'pipeline', 'Best Case': 'bestCase', Commit: 'commit', Closed: 'closed', Omitted: 'omitted' };

/** TaskSubtype → activity kind; Task, Cadence and LinkedIn are to-dos. */
const TASK_KIND: Record<string, TaskKind> = { Call: 'call', Email: 'email', ListEmail: 'email' };

const TASK_PRIORITY: Record<string, TaskPriority> = { high: 'high', normal: 'medium', medium: 'medium', low: 'low' };

export function toRecord(resource: ResourceType, record: SObjectRecord, context: ReadContext): CrmRecord {
	const sobject = sobjectOf(resource);
	const common = base(sobject, record, context);
	switch (resource) {
		case 'lead': {
			const { pipelineId, stageId } = stageOf('lead', record.Status, context);
			const lead: Lead = {
				...common,
				leadModel: 'lead',
				firstName: str(record.FirstName),
				lastName: str(record.LastName),
				name: str(record.Name),
				email: str(record.Email),
				phone: str(record.Phone),
				company: str(record.Company),
				title: str(record.Title),
				status: str(record.Status),
				source: str(record.LeadSource),
				ownerId: str(record.OwnerId),
				pipelineId,
				stageId,
				contactId: str(record.ConvertedContactId),
				optedOut: optOutOf(record),
				// Converted (or in a status named "Qualified", which many orgs add) is qualified; the opportunity it became tells whether it was won.
				qualified: record.IsConverted === true || /^qualified$/i.test(String(record.Status ?? '')),
				...(str(record.ConvertedOpportunityId) ? { convertedDealId: str(record.ConvertedOpportunityId) } : {}),
			};
			return lead;
		}
		case 'contact':
			return toContact(record, context);
		case 'company': {
			const company: Company = { ...common, name: str(record.Name), domain: str(record.Website), ownerId: str(record.OwnerId) };
			return company;
		}
		case 'deal': {
			const { pipelineId, stageId, stageName } = stageOf('deal', record.StageName, context);
			const deal: Deal = {
				...common,
				name: str(record.Name),
				amount: num(record.Amount),
				currency: str(record.CurrencyIsoCode),
				pipelineId,
				stageId,
				stageName,
				status: record.IsWon === true ? 'won' : record.IsClosed === true ? 'lost' : 'open',
				// Salesforce keeps a percentage; the model's probability is a fraction (as HubSpot's).
				probability: record.Probability === null || record.Probability === undefined ? undefined : Number(record.Probability) / 100,
				closeDate: str(record.CloseDate),
				ownerId: str(record.OwnerId),
				companyId: str(record.AccountId),
				stageChangedAt: time(record.LastStageChangeDate),
				lastActivityAt: str(record.LastActivityDate),
				forecastCategory: FORECAST_CATEGORY[String(record.ForecastCategoryName ?? '')],
			};
			return deal;
		}
		case 'ticket': {
			const { pipelineId, stageId } = stageOf('ticket', record.Status, context);
			const ticket: Ticket = {
				...common,
				subject: str(record.Subject),
				description: str(record.Description),
				status: str(record.Status),
				pipelineId,
				stageId,
				priority: str(record.Priority),
				ownerId: str(record.OwnerId),
				contactId: str(record.ContactId),
				openedAt: time(record.CreatedDate),
				closedAt: time(record.ClosedDate),
				number: str(record.CaseNumber),
			};
			return ticket;
		}
		case 'task':
		case 'message': {
			const related: RelatedRef[] = [];
			for (const id of [record.WhoId, record.WhatId].map(str)) {
				const type = id ? resourceOfId(id) : undefined;
				if (id && type) related.push({ type, id });
			}
			const task: Task = {
				...common,
				subject: str(record.Subject),
				body: str(record.Description),
				dueAt: str(record.ActivityDate),
				status: record.IsClosed === true ? 'completed' : 'open',
				priority: TASK_PRIORITY[String(record.Priority ?? '').toLowerCase()],
				ownerId: str(record.OwnerId),
				related,
				completedAt: time(record.CompletedDateTime),
				kind: TASK_KIND[String(record.TaskSubtype ?? '')] ?? 'task',
			};
			return task;
		}
		case 'note': {
			const parent = str(record.ParentId);
			const type = parent ? resourceOfId(parent) : undefined;
			const note: Note = {
				...common,
				body: str(record.Body),
				ownerId: str(record.OwnerId),
				related: parent && type ? [{ type, id: parent }] : [],
			};
			return note;
		}
	}
}

export function toContact(record: SObjectRecord, context: ReadContext): Contact {
	return {
		...base('Contact', record, context),
		firstName: str(record.FirstName),
		lastName: str(record.LastName),
		email: str(record.Email),
		phone: str(record.Phone),
		companyId: str(record.AccountId),
		ownerId: str(record.OwnerId),
		optedOut: optOutOf(record),
	};
}

/**
 * A lead's or contact's opt-outs. A flag the record came without (field-level security hides
 * HasOptedOutOfEmail / DoNotCall from this user, so it was not selected) is listed as unknown:
 * its `false` means "could not be read", not "did not opt out".
 */
function optOutOf(record: SObjectRecord): OptOut {
	const unknown: NonNullable<OptOut['unknown']> = [];
	if (record.HasOptedOutOfEmail === undefined) unknown.push('email');
	if (record.DoNotCall === undefined) unknown.push('phone');
	return { email: record.HasOptedOutOfEmail === true, phone: record.DoNotCall === true, all: false, ...(unknown.length ? { unknown } : {}) };
}
