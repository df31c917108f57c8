/**
 * EspoCRM ↔ normalized model. Entity types and attribute names come from EspoCRM 9.x's
 * published OpenAPI spec (https://docs.espocrm.com/api/, schemas Lead, Contact, Account,
 * Opportunity, Case, Task, Email) and the CRUD article (https://docs.espocrm.com/development/api/crud/).
 * Datetimes are UTC strings "YYYY-MM-DD HH:mm:ss" and dates "YYYY-MM-DD"
 * (https://docs.espocrm.com/development/api/#date-and-time-values). Records keep the vendor
 * record in `raw` and a link into EspoCRM's UI (`#Lead/view/<id>`) in `url`.
 */
import type {
	Company,
	Contact,
	CrmRecord,
	Deal,
	Lead,
	Note,
	Pipeline,
	RelatedRef,
	ResourceType,
	Task,
	TaskPriority,
	Ticket,
} from '../../model/types';
import { CrmInputError } from '../../transport/errors';
import { parseCalendarDate, parseInstant, parseNumber } from '../../model/parse';
import type { EspoRecord } from './client';

export const PROVIDER_ID = 'espocrm';
export const LEAD_MODEL = 'leadEntity';

/** The EspoCRM entity type behind each resource. */
export const ENTITY_OF: Record<ResourceType, string> = {
	lead: 'Lead',
	contact: 'Contact',
	company: 'Account',
	deal: 'Opportunity',
	ticket: 'Case',
	task: 'Task',
	note: 'Note',
	message: 'Email',
};

/** Resource of a parent/related entity type (Task.parentType, Email.parentType). */
export function resourceOfEntity(entityType: string | undefined | null): ResourceType | undefined {
	const found = (Object.keys(ENTITY_OF) as ResourceType[]).find((r) => ENTITY_OF[r] === entityType);
	return found === 'note' || found === 'message' || found === 'task' ? undefined : found;
}

/** The one status/stage field each pipeline resource has (one "pipeline" per entity type). */
export const STAGE_FIELD: Partial<Record<ResourceType, string>> = { deal: 'stage', ticket: 'status', lead: 'status' };

type Converter = 'number' | 'int' | 'datetime' | 'date' | 'bool' | 'priority' | 'taskStatus' | 'list' | 'percent';

interface FieldSpec {
	attribute: string;
	convert?: Converter;
	readOnly?: boolean;
}

const RO = true;
const COMMON: Record<string, FieldSpec> = {
	ownerId: { attribute: 'assignedUserId' },
	description: { attribute: 'description' },
	createdAt: { attribute: 'createdAt', convert: 'datetime', readOnly: RO },
	updatedAt: { attribute: 'modifiedAt', convert: 'datetime', readOnly: RO },
};

const FIELDS: Record<string, Record<string, FieldSpec>> = {
	Lead: {
		...COMMON,
		firstName: { attribute: 'firstName' },
		lastName: { attribute: 'lastName' },
		name: { attribute: 'name' },
		email: { attribute: 'emailAddress' },
		phone: { attribute: 'phoneNumber' },
		company: { attribute: 'accountName' },
		title: { attribute: 'title' },
		status: { attribute: 'status' },
		stageId: { attribute: 'status' },
		source: { attribute: 'source' },
		website: { attribute: 'website' },
		emailOptOut: { attribute: 'emailAddressIsOptedOut', convert: 'bool' },
		contactId: { attribute: 'createdContactId', readOnly: RO },
		convertedAt: { attribute: 'convertedAt', convert: 'datetime', readOnly: RO },
	},
	Contact: {
		...COMMON,
		firstName: { attribute: 'firstName' },
		lastName: { attribute: 'lastName' },
		email: { attribute: 'emailAddress' },
		phone: { attribute: 'phoneNumber' },
		title: { attribute: 'title' },
		companyId: { attribute: 'accountId' },
		// The account's name is read-only on contacts: link the contact with companyId instead.
		company: { attribute: 'accountName', readOnly: RO },
		emailOptOut: { attribute: 'emailAddressIsOptedOut', convert: 'bool' },
		phoneOptOut: { attribute: 'phoneNumberIsOptedOut', convert: 'bool' },
		doNotCall: { attribute: 'doNotCall', convert: 'bool' },
	},
	Account: {
		...COMMON,
		name: { attribute: 'name' },
		domain: { attribute: 'website' },
		email: { attribute: 'emailAddress' },
		phone: { attribute: 'phoneNumber' },
		industry: { attribute: 'industry' },
		type: { attribute: 'type' },
	},
	Opportunity: {
		...COMMON,
		name: { attribute: 'name' },
		amount: { attribute: 'amount', convert: 'number' },
		currency: { attribute: 'amountCurrency' },
		stageId: { attribute: 'stage' },
		closeDate: { attribute: 'closeDate', convert: 'date' },
		probability: { attribute: 'probability', convert: 'percent' },
		companyId: { attribute: 'accountId' },
		contactIds: { attribute: 'contactsIds', convert: 'list' },
		contactId: { attribute: 'contactId' },
		source: { attribute: 'leadSource' },
	},
	Case: {
		...COMMON,
		subject: { attribute: 'name' },
		status: { attribute: 'status' },
		stageId: { attribute: 'status' },
		priority: { attribute: 'priority', convert: 'priority' },
		type: { attribute: 'type' },
		contactId: { attribute: 'contactId' },
		companyId: { attribute: 'accountId' },
		number: { attribute: 'number', convert: 'int', readOnly: RO },
		openedAt: { attribute: 'createdAt', convert: 'datetime', readOnly: RO },
	},
	Task: {
		...COMMON,
		subject: { attribute: 'name' },
		body: { attribute: 'description' },
		// The task's end date is its due date in EspoCRM (Task.dateEnd, "Date Due" in the UI).
		dueAt: { attribute: 'dateEnd', convert: 'datetime' },
		startAt: { attribute: 'dateStart', convert: 'datetime' },
		status: { attribute: 'status', convert: 'taskStatus' },
		priority: { attribute: 'priority', convert: 'priority' },
		completedAt: { attribute: 'dateCompleted', convert: 'datetime', readOnly: RO },
	},
	Note: {
		body: { attribute: 'post' },
		createdAt: COMMON.createdAt,
	},
};

/** Attributes read for each entity type: what the mapping needs, nothing more (`select`). */
const SELECT: Record<string, string[]> = {
	Lead: ['name', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'accountName', 'title', 'status', 'source', 'website', 'description', 'assignedUserId', 'assignedUserName', 'emailAddressIsOptedOut', 'phoneNumberIsOptedOut', 'doNotCall', 'createdContactId', 'createdAccountId', 'createdOpportunityId', 'convertedAt', 'createdAt', 'modifiedAt'],
	Contact: ['name', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'title', 'accountId', 'accountName', 'description', 'assignedUserId', 'assignedUserName', 'emailAddressIsOptedOut', 'phoneNumberIsOptedOut', 'doNotCall', 'createdAt', 'modifiedAt'],
	Account: ['name', 'website', 'emailAddress', 'phoneNumber', 'industry', 'type', 'description', 'assignedUserId', 'assignedUserName', 'createdAt', 'modifiedAt'],
	Opportunity: ['name', 'amount', 'amountCurrency', 'stage', 'probability', 'closeDate', 'leadSource', 'accountId', 'accountName', 'contactId', 'contactsIds', 'description', 'assignedUserId', 'assignedUserName', 'createdAt', 'modifiedAt'],
	Case: ['name', 'number', 'status', 'priority', 'type', 'description', 'accountId', 'contactId', 'contactsIds', 'assignedUserId', 'assignedUserName', 'createdAt', 'modifiedAt'],
	Task: ['name', 'status', 'priority', 'dateStart', 'dateEnd', 'dateEndDate', 'dateCompleted', 'description', 'parentType', 'parentId', 'parentName', 'assignedUserId', 'assignedUserName', 'createdAt', 'modifiedAt'],
	Email: ['name', 'status', 'dateSent', 'parentType', 'parentId', 'body', 'isHtml', 'createdAt'],
};

export function selectFor(entityType: string, extra: string[] = []): string[] {
	return [...new Set(['id', ...(SELECT[entityType] ?? []), ...extra])];
}

/** The EspoCRM attribute behind a normalized field (for filters and sorts); unknown names pass as they are. */
export function attributeOf(entityType: string, field: string): string {
	return FIELDS[entityType]?.[field]?.attribute ?? field;
}

export function converterOf(entityType: string, field: string): Converter | undefined {
	return FIELDS[entityType]?.[field]?.convert;
}

export function writableFields(entityType: string): string[] {
	return Object.entries(FIELDS[entityType] ?? {})
		.filter(([, spec]) => !spec.readOnly)
		.map(([name]) => name);
}

// ── values ───────────────────────────────────────────────────────────────────

const pad = (n: number) => String(n).padStart(2, '0');

/** Any date-time input (ISO, epoch ms, Date, EspoCRM format) as EspoCRM's UTC "YYYY-MM-DD HH:mm:ss". */
export function espoDateTime(value: unknown, field = 'date'): string {
	const d = new Date(parseInstant(value, field, { naive: 'utc' }));
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A date input as "YYYY-MM-DD": a written calendar date is kept, an instant becomes its UTC date. */
export function espoDate(value: unknown, field = 'date'): string {
	return parseCalendarDate(value, field);
}

/** Epoch ms of EspoCRM's UTC datetimes ("YYYY-MM-DD HH:mm:ss"), ISO strings, dates, numbers. */
export function toMs(value: unknown): number {
	if (value === null || value === undefined || value === '') return Number.NaN;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number') return value;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text);
	const espo = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(text);
	if (espo) return Date.parse(`${espo[1]}T${espo[2].length === 5 ? `${espo[2]}:00` : espo[2]}Z`);
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
	return Date.parse(text);
}

/** EspoCRM datetime → ISO (UTC), undefined when empty. */
export function isoOf(value: unknown): string | undefined {
	const ms = toMs(value);
	return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const text = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : String(v));
const num = (v: unknown): number | undefined => {
	if (v === null || v === undefined || v === '') return undefined;
	const n = Number(v);
	return Number.isFinite(n) ? n : undefined;
};

/** low/medium/high/urgent ↔ EspoCRM's Low/Normal/High/Urgent (Task, Case priority options). */
const PRIORITY_IN: Record<string, string> = { low: 'Low', medium: 'Normal', normal: 'Normal', high: 'High', urgent: 'Urgent' };
const PRIORITY_OUT: Record<string, string> = { Low: 'low', Normal: 'medium', High: 'high', Urgent: 'urgent' };

function priorityIn(value: unknown, field: string): string {
	const mapped = PRIORITY_IN[String(value).trim().toLowerCase()];
	if (!mapped) throw new CrmInputError(`"${String(value)}" is not a priority`, field, 'Valid: low, medium, high, urgent.');
	return mapped;
}

/**
 * Task status: `completed` ↔ "Completed", `open` ↔ "Not Started"; EspoCRM's own option names
 * ("Started", "Deferred", …) are written as they are.
 */
function taskStatusIn(value: unknown): string {
	const t = String(value).trim();
	if (t.toLowerCase() === 'completed') return 'Completed';
	if (t.toLowerCase() === 'open') return 'Not Started';
	return t;
}

function convertIn(value: unknown, convert: Converter | undefined, field: string): unknown {
	if (value === null) return null;
	switch (convert) {
		case 'number':
		case 'int': {
			const n = parseNumber(value, field);
			return convert === 'int' ? Math.round(n) : n;
		}
		case 'percent': {
			// Normalized probabilities are fractions (0.2); EspoCRM stores whole percents (20).
			const n = parseNumber(value, field, { min: 0, max: 100, what: 'a probability' });
			return Math.round(n <= 1 ? n * 100 : n);
		}
		case 'datetime':
			return espoDateTime(value, field);
		case 'date':
			return espoDate(value, field);
		case 'bool':
			return value === true || String(value).toLowerCase() === 'true';
		case 'priority':
			return priorityIn(value, field);
		case 'taskStatus':
			return taskStatusIn(value);
		case 'list':
			return (Array.isArray(value) ? value : String(value).split(',')).map((v) => String(v).trim()).filter(Boolean);
		default:
			return typeof value === 'object' ? value : String(value);
	}
}

/** A filter value as EspoCRM compares it (datetimes in its UTC format, mapped enums). */
export function whereValue(entityType: string, field: string, value: unknown): unknown {
	const convert = converterOf(entityType, field);
	if (convert === 'datetime' || (convert === undefined && (field === 'createdAt' || field === 'modifiedAt'))) return espoDateTime(value, field);
	if (convert === 'list' || convert === 'bool' || convert === undefined) return value;
	return convertIn(value, convert, field);
}

/** Splits "Ada Lovelace" into first and last name (the last word is the last name). */
function splitName(name: string): { firstName?: string; lastName: string } {
	const parts = name.trim().split(/\s+/);
	const lastName = parts.pop() ?? '';
	return parts.length ? { firstName: parts.join(' '), lastName } : { lastName };
}

/** The entity type's one pipeline id (an entity has one stage/status list). */
export function pipelineIdOf(resource: ResourceType): string {
	return ENTITY_OF[resource];
}

/** Normalized fields (+ raw custom attributes) → EspoCRM attributes for a write. */
export function toAttributes(
	resource: ResourceType,
	fields: Record<string, unknown>,
	customProperties: Record<string, unknown> = {},
): Record<string, unknown> {
	const entityType = ENTITY_OF[resource];
	const specs = FIELDS[entityType] ?? {};
	const attributes: Record<string, unknown> = {};
	const input = { ...fields };
	if (resource === 'lead' && typeof input.name === 'string' && input.firstName === undefined && input.lastName === undefined) {
		Object.assign(input, splitName(input.name));
		delete input.name;
	} else if (resource === 'lead') {
		delete input.name;
	}
	for (const [name, value] of Object.entries(input)) {
		if (value === undefined) continue;
		if (name === 'pipelineId' && STAGE_FIELD[resource]) {
			if (String(value) !== pipelineIdOf(resource)) {
				throw new CrmInputError(
					`EspoCRM has one ${STAGE_FIELD[resource]} list for ${entityType}, not pipeline "${String(value)}"`,
					'pipeline',
					`The pipeline of ${entityType} records is "${pipelineIdOf(resource)}".`,
				);
			}
			continue;
		}
		const spec = specs[name];
		if (!spec) {
			throw new CrmInputError(
				`"${name}" is not a field EspoCRM ${entityType} records have`,
				name,
				`Writable fields: ${writableFields(entityType).join(', ')}. Put EspoCRM attribute names (e.g. custom fields like cSomething) under "Custom Properties".`,
			);
		}
		if (spec.readOnly) throw new CrmInputError(`"${name}" is set by EspoCRM and cannot be written`, name);
		attributes[spec.attribute] = convertIn(value, spec.convert, name);
	}
	for (const [name, value] of Object.entries(customProperties)) attributes[name] = value;
	return attributes;
}

/** Related records as EspoCRM link attributes: the parent of a task/email/note, a deal's account and contacts. */
export function relatedAttributes(resource: ResourceType, related: RelatedRef[] | undefined): Record<string, unknown> {
	const refs = related ?? [];
	if (refs.length === 0) return {};
	if (resource === 'task' || resource === 'message' || resource === 'note') {
		if (refs.length > 1) {
			throw new CrmInputError(`An EspoCRM ${ENTITY_OF[resource]} has one parent record, not ${refs.length}`, 'related');
		}
		const [ref] = refs;
		const parentType = ENTITY_OF[ref.type];
		if (!resourceOfEntity(parentType)) {
			throw new CrmInputError(`A ${ref.type} cannot be the parent of an EspoCRM ${ENTITY_OF[resource]}`, 'related', 'Parents: lead, contact, company, deal, ticket.');
		}
		return { parentType, parentId: String(ref.id) };
	}
	const attributes: Record<string, unknown> = {};
	for (const ref of refs) {
		if (ref.type === 'company' && (resource === 'deal' || resource === 'ticket' || resource === 'contact')) attributes.accountId = String(ref.id);
		else if (ref.type === 'contact' && resource === 'deal') {
			attributes.contactsIds = [...((attributes.contactsIds as string[]) ?? []), String(ref.id)];
		} else if (ref.type === 'contact' && resource === 'ticket') attributes.contactId = String(ref.id);
		else if (ref.type === 'lead' && resource === 'ticket') attributes.leadId = String(ref.id);
		else {
			throw new CrmInputError(`EspoCRM ${ENTITY_OF[resource]} records cannot be linked to a ${ref.type}`, 'related');
		}
	}
	return attributes;
}

// ── records ──────────────────────────────────────────────────────────────────

export interface MappingContext {
	/** The site URL, for `url` links into EspoCRM's UI. */
	siteUrl: string;
	/** Pipelines of the resource, for stage names and won/lost. */
	pipelines: Pipeline[];
}

function base(entityType: string, raw: EspoRecord, ctx: MappingContext) {
	return {
		id: String(raw.id),
		provider: PROVIDER_ID,
		...(ctx.siteUrl ? { url: `${ctx.siteUrl}/#${entityType}/view/${encodeURIComponent(String(raw.id))}` } : {}),
		createdAt: isoOf(raw.createdAt),
		updatedAt: isoOf(raw.modifiedAt),
		raw: raw as Record<string, unknown>,
	};
}

function stageOf(pipelines: Pipeline[], resource: ResourceType, value: unknown) {
	const pipeline = pipelines.find((p) => p.id === pipelineIdOf(resource));
	return pipeline?.stages.find((s) => s.id === value);
}

export function toLead(raw: EspoRecord, ctx: MappingContext): Lead {
	const first = text(raw.firstName);
	const last = text(raw.lastName);
	return {
		...base('Lead', raw, ctx),
		leadModel: LEAD_MODEL,
		firstName: first,
		lastName: last,
		name: text(raw.name) ?? ([first, last].filter(Boolean).join(' ') || undefined),
		email: text(raw.emailAddress),
		phone: text(raw.phoneNumber),
		company: text(raw.accountName),
		title: text(raw.title),
		status: text(raw.status),
		source: text(raw.source),
		ownerId: text(raw.assignedUserId),
		pipelineId: pipelineIdOf('lead'),
		stageId: text(raw.status),
		contactId: text(raw.createdContactId),
		optedOut: { email: raw.emailAddressIsOptedOut === true, all: false, phone: raw.phoneNumberIsOptedOut === true || raw.doNotCall === true },
		// Converted (or a "Qualified" status, which admins add) is qualified; the opportunity created then tells whether it was won.
		qualified: raw.status === 'Converted' || raw.status === 'Qualified' || Boolean(raw.createdOpportunityId),
		...(text(raw.createdOpportunityId) ? { convertedDealId: text(raw.createdOpportunityId) } : {}),
	};
}

export function toContact(raw: EspoRecord, ctx: MappingContext): Contact {
	return {
		...base('Contact', raw, ctx),
		firstName: text(raw.firstName),
		lastName: text(raw.lastName),
		email: text(raw.emailAddress),
		phone: text(raw.phoneNumber),
		companyId: text(raw.accountId),
		ownerId: text(raw.assignedUserId),
		// The email address's opted-out flag; "Do Not Call" and the phone number's flag for calls/texts.
		optedOut: {
			email: raw.emailAddressIsOptedOut === true,
			all: false,
			phone: raw.phoneNumberIsOptedOut === true || raw.doNotCall === true,
		},
	};
}

export function toCompany(raw: EspoRecord, ctx: MappingContext): Company {
	const website = text(raw.website);
	return {
		...base('Account', raw, ctx),
		name: text(raw.name),
		domain: website?.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, ''),
		ownerId: text(raw.assignedUserId),
	};
}

export function toDeal(raw: EspoRecord, ctx: MappingContext): Deal {
	const stage = stageOf(ctx.pipelines, 'deal', raw.stage);
	const percent = num(raw.probability);
	const contactIds = Array.isArray(raw.contactsIds) ? raw.contactsIds.map(String) : raw.contactId ? [String(raw.contactId)] : undefined;
	return {
		...base('Opportunity', raw, ctx),
		name: text(raw.name),
		amount: num(raw.amount),
		currency: text(raw.amountCurrency),
		pipelineId: pipelineIdOf('deal'),
		stageId: text(raw.stage),
		stageName: stage?.name ?? text(raw.stage),
		status: stage?.closed === 'won' ? 'won' : stage?.closed === 'lost' ? 'lost' : 'open',
		probability: percent !== undefined ? percent / 100 : stage?.probability,
		closeDate: text(raw.closeDate),
		ownerId: text(raw.assignedUserId),
		...(contactIds ? { contactIds } : {}),
		companyId: text(raw.accountId),
	};
}

export type EspoTicket = Ticket & { reopened?: number };

export function toTicket(raw: EspoRecord, ctx: MappingContext): EspoTicket {
	const priority = PRIORITY_OUT[String(raw.priority)] ?? text(raw.priority)?.toLowerCase();
	return {
		...base('Case', raw, ctx),
		subject: text(raw.name),
		description: text(raw.description),
		status: text(raw.status),
		pipelineId: pipelineIdOf('ticket'),
		stageId: text(raw.status),
		priority,
		ownerId: text(raw.assignedUserId),
		contactId: text(raw.contactId) ?? (Array.isArray(raw.contactsIds) && raw.contactsIds.length ? String(raw.contactsIds[0]) : undefined),
		openedAt: isoOf(raw.createdAt),
		...(raw.number !== undefined && raw.number !== null ? { number: String(raw.number) } : {}),
	};
}

export function toTask(raw: EspoRecord, ctx: MappingContext, closedStatuses: readonly string[] = ['Completed', 'Canceled', 'Deferred']): Task {
	const priority = PRIORITY_OUT[String(raw.priority)];
	const parent = resourceOfEntity(text(raw.parentType));
	const dueDate = text(raw.dateEndDate);
	return {
		...base('Task', raw, ctx),
		subject: text(raw.name),
		body: text(raw.description),
		// An all-day task has only a due date: due at its end (UTC).
		dueAt: isoOf(raw.dateEnd) ?? (dueDate ? isoOf(`${dueDate} 23:59:59`) : undefined),
		// Not actual statuses (Completed, Canceled, Deferred by default) are not open any more.
		status: closedStatuses.includes(String(raw.status)) ? 'completed' : 'open',
		priority: (priority === 'urgent' ? 'high' : priority) as TaskPriority | undefined,
		ownerId: text(raw.assignedUserId),
		completedAt: isoOf(raw.dateCompleted),
		// Calls and meetings are entities of their own in EspoCRM (not read as tasks).
		kind: 'task',
		...(parent && raw.parentId ? { related: [{ type: parent, id: String(raw.parentId) }] } : {}),
	};
}

export function toNote(raw: EspoRecord, ctx: MappingContext): Note {
	const parent = resourceOfEntity(text(raw.parentType));
	return {
		...base('Note', raw, ctx),
		url: raw.parentType && raw.parentId && ctx.siteUrl ? `${ctx.siteUrl}/#${String(raw.parentType)}/view/${String(raw.parentId)}` : undefined,
		body: text(raw.post),
		ownerId: text(raw.createdById),
		...(parent && raw.parentId ? { related: [{ type: parent, id: String(raw.parentId) }] } : {}),
	};
}

export function toRecord(resource: ResourceType, raw: EspoRecord, ctx: MappingContext, options: { closedTaskStatuses?: readonly string[] } = {}): CrmRecord {
	switch (resource) {
		case 'lead':
			return toLead(raw, ctx);
		case 'contact':
			return toContact(raw, ctx);
		case 'company':
			return toCompany(raw, ctx);
		case 'deal':
			return toDeal(raw, ctx);
		case 'ticket':
			return toTicket(raw, ctx);
		case 'task':
			return toTask(raw, ctx, options.closedTaskStatuses);
		case 'note':
			return toNote(raw, ctx);
		case 'message':
			throw new CrmInputError('Messages are read through the Message resource, not as records');
	}
}
