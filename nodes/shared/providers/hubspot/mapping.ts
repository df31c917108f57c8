/**
 * HubSpot ↔ normalized model. Property names and values come from HubSpot's CRM v3 object
 * guides and specs (see README "HubSpot facts"); everything HubSpot returns stays in `raw`.
 * HubSpot sends and expects every property value as a string.
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
	TaskKind,
	TaskPriority,
	Ticket,
} from '../../model/types';
import { CrmInputError } from '../../transport/errors';
import { parseEnum, parseInstant, parseIsoInstant, parseNumber } from '../../model/parse';

export const PROVIDER_ID = 'hubspot';

/** How a "lead" is stored: the Leads object (Sales Hub Pro+), or a contact with lifecycle stage "lead". */
export type LeadModel = 'leadsObject' | 'contactLifecycle';

/** A HubSpot object as the v3 API returns it. */
export interface HubSpotObject {
	id: string;
	properties: Record<string, string | null | undefined>;
	createdAt?: string;
	updatedAt?: string;
	archived?: boolean;
	url?: string;
	objectWriteTraceId?: string;
	associations?: Record<string, { results: Array<{ id: string; type?: string }> }>;
	[key: string]: unknown;
}

type Converter = 'text' | 'number' | 'datetime' | 'bool' | 'upper';

interface FieldSpec {
	property: string;
	convert?: Converter;
	/** Computed by HubSpot: readable, never sent. */
	readOnly?: boolean;
}

/** The HubSpot object type behind each resource (leads depend on the lead model). */
export function objectTypeOf(resource: ResourceType, leadModel: LeadModel): string {
	switch (resource) {
		case 'lead':
			return leadModel === 'leadsObject' ? 'leads' : 'contacts';
		case 'contact':
			return 'contacts';
		case 'company':
			return 'companies';
		case 'deal':
			return 'deals';
		case 'ticket':
			return 'tickets';
		case 'task':
			return 'tasks';
		case 'note':
			return 'notes';
		case 'message':
			return 'emails';
	}
}

const CONTACT_FIELDS: Record<string, FieldSpec> = {
	firstName: { property: 'firstname' },
	lastName: { property: 'lastname' },
	email: { property: 'email' },
	phone: { property: 'phone' },
	company: { property: 'company' },
	title: { property: 'jobtitle' },
	ownerId: { property: 'hubspot_owner_id' },
	companyId: { property: 'associatedcompanyid', readOnly: true },
	timeZone: { property: 'hs_timezone' },
	lifecycleStage: { property: 'lifecyclestage' },
	status: { property: 'hs_lead_status' },
	source: { property: 'hs_analytics_source', readOnly: true },
	createdAt: { property: 'createdate', convert: 'datetime', readOnly: true },
	updatedAt: { property: 'lastmodifieddate', convert: 'datetime', readOnly: true },
	// "Unsubscribed from all email": set by HubSpot's subscription tools, read-only here.
	emailOptOut: { property: 'hs_email_optout', convert: 'bool', readOnly: true },
};

const FIELDS: Record<string, Record<string, FieldSpec>> = {
	contacts: CONTACT_FIELDS,
	leads: {
		name: { property: 'hs_lead_name' },
		type: { property: 'hs_lead_type' },
		label: { property: 'hs_lead_label' },
		pipelineId: { property: 'hs_pipeline' },
		stageId: { property: 'hs_pipeline_stage' },
		ownerId: { property: 'hubspot_owner_id' },
		createdAt: { property: 'hs_createdate', convert: 'datetime', readOnly: true },
		updatedAt: { property: 'hs_lastmodifieddate', convert: 'datetime', readOnly: true },
	},
	companies: {
		name: { property: 'name' },
		domain: { property: 'domain' },
		ownerId: { property: 'hubspot_owner_id' },
		createdAt: { property: 'createdate', convert: 'datetime', readOnly: true },
		updatedAt: { property: 'hs_lastmodifieddate', convert: 'datetime', readOnly: true },
	},
	deals: {
		name: { property: 'dealname' },
		amount: { property: 'amount', convert: 'number' },
		currency: { property: 'deal_currency_code' },
		pipelineId: { property: 'pipeline' },
		stageId: { property: 'dealstage' },
		closeDate: { property: 'closedate', convert: 'datetime' },
		ownerId: { property: 'hubspot_owner_id' },
		probability: { property: 'hs_deal_stage_probability', convert: 'number', readOnly: true },
		isClosed: { property: 'hs_is_closed', convert: 'bool', readOnly: true },
		isWon: { property: 'hs_is_closed_won', convert: 'bool', readOnly: true },
		// "Date entered current stage" (hs_v2_*): present on current portals (unverified on older ones).
		stageChangedAt: { property: 'hs_v2_date_entered_current_stage', convert: 'datetime', readOnly: true },
		// "Last Activity Date": HubSpot sets it when an activity is logged on the deal.
		lastActivityAt: { property: 'notes_last_updated', convert: 'datetime', readOnly: true },
		createdAt: { property: 'createdate', convert: 'datetime', readOnly: true },
		updatedAt: { property: 'hs_lastmodifieddate', convert: 'datetime', readOnly: true },
	},
	tickets: {
		subject: { property: 'subject' },
		description: { property: 'content' },
		pipelineId: { property: 'hs_pipeline' },
		stageId: { property: 'hs_pipeline_stage' },
		priority: { property: 'hs_ticket_priority', convert: 'upper' },
		ownerId: { property: 'hubspot_owner_id' },
		openedAt: { property: 'createdate', convert: 'datetime', readOnly: true },
		firstResponseAt: { property: 'first_agent_reply_date', convert: 'datetime', readOnly: true },
		closedAt: { property: 'closed_date', convert: 'datetime', readOnly: true },
		createdAt: { property: 'createdate', convert: 'datetime', readOnly: true },
		updatedAt: { property: 'hs_lastmodifieddate', convert: 'datetime', readOnly: true },
	},
	tasks: {
		subject: { property: 'hs_task_subject' },
		body: { property: 'hs_task_body' },
		// HubSpot's task guide: hs_timestamp "marks the task's due date" and is required.
		dueAt: { property: 'hs_timestamp', convert: 'datetime' },
		status: { property: 'hs_task_status' },
		priority: { property: 'hs_task_priority', convert: 'upper' },
		type: { property: 'hs_task_type', convert: 'upper' },
		ownerId: { property: 'hubspot_owner_id' },
		// Set by HubSpot when the task is completed (property name per HubSpot's task properties; unverified).
		completedAt: { property: 'hs_task_completion_date', convert: 'datetime', readOnly: true },
		createdAt: { property: 'hs_createdate', convert: 'datetime', readOnly: true },
		updatedAt: { property: 'hs_lastmodifieddate', convert: 'datetime', readOnly: true },
	},
	notes: {
		body: { property: 'hs_note_body' },
		sentAt: { property: 'hs_timestamp', convert: 'datetime' },
		ownerId: { property: 'hubspot_owner_id' },
		createdAt: { property: 'hs_createdate', convert: 'datetime', readOnly: true },
		updatedAt: { property: 'hs_lastmodifieddate', convert: 'datetime', readOnly: true },
	},
};

/** Properties to request when reading a resource. */
export function propertiesFor(objectType: string, extra: string[] = []): string[] {
	const base = Object.values(FIELDS[objectType] ?? {}).map((f) => f.property);
	return [...new Set([...base, ...extra])];
}

/** The HubSpot property behind a normalized field, for searches and sorts. */
export function propertyOf(objectType: string, field: string): string {
	return FIELDS[objectType]?.[field]?.property ?? field;
}

/** Normalized fields a user may write on a resource (for error messages). */
export function writableFields(objectType: string): string[] {
	return Object.entries(FIELDS[objectType] ?? {})
		.filter(([, spec]) => !spec.readOnly)
		.map(([name]) => name);
}

const TASK_STATUS_OUT: Record<string, 'open' | 'completed'> = { COMPLETED: 'completed' };
const TASK_PRIORITIES: TaskPriority[] = ['low', 'medium', 'high'];

function toHubSpotValue(value: unknown, convert: Converter | undefined, field: string): string {
	if (value === null || value === undefined) return '';
	switch (convert) {
		case 'number':
			return String(parseNumber(value, field));
		case 'datetime':
			return parseIsoInstant(value, field);
		case 'bool':
			return String(value === true || value === 'true');
		case 'upper':
			return String(value).trim().toUpperCase();
		default:
			return typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
}

/** Turns normalized fields (+ raw custom properties) into HubSpot properties for a write. */
export function toProperties(
	objectType: string,
	fields: Record<string, unknown>,
	customProperties: Record<string, unknown> = {},
): Record<string, string> {
	const specs = FIELDS[objectType] ?? {};
	const properties: Record<string, string> = {};
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		const spec = specs[name];
		if (!spec) {
			throw new CrmInputError(
				`"${name}" is not a field HubSpot ${objectType} have`,
				name,
				`Writable fields: ${writableFields(objectType).join(', ')}. Put HubSpot property names under "Custom Properties".`,
			);
		}
		if (spec.readOnly) {
			throw new CrmInputError(`"${name}" is calculated by HubSpot and cannot be written`, name);
		}
		let v = value;
		if (objectType === 'tasks' && name === 'status') v = taskStatusIn(value);
		if (objectType === 'tasks' && name === 'priority') v = taskPriorityIn(value);
		// hs_ticket_priority's default options (a portal may add its own: those go under Custom Properties).
		if (objectType === 'tickets' && name === 'priority') v = parseEnum(value, 'priority', ['low', 'medium', 'high', 'urgent'] as const, { normal: 'medium' }, 'ticket priority');
		properties[spec.property] = toHubSpotValue(v, spec.convert, name);
	}
	for (const [name, value] of Object.entries(customProperties)) {
		properties[name] = toHubSpotValue(value, undefined, name);
	}
	return properties;
}

function taskStatusIn(value: unknown): string {
	const text = String(value).trim();
	if (text.toLowerCase() === 'completed') return 'COMPLETED';
	if (text.toLowerCase() === 'open') return 'NOT_STARTED';
	return text.toUpperCase();
}

function taskPriorityIn(value: unknown): string {
	return parseEnum(value, 'priority', TASK_PRIORITIES, { normal: 'medium' }, 'task priority').toUpperCase();
}

const text = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === '' ? undefined : v);
const num = (v: string | null | undefined): number | undefined => {
	const t = text(v);
	if (t === undefined) return undefined;
	const n = Number(t);
	return Number.isFinite(n) ? n : undefined;
};
/** HubSpot datetimes arrive as ISO strings or epoch milliseconds; dates go out as ISO. */
const iso = (v: string | null | undefined): string | undefined => {
	const t = text(v);
	if (t === undefined) return undefined;
	const date = /^\d+$/.test(t) ? new Date(Number(t)) : new Date(t);
	return Number.isNaN(date.getTime()) ? t : date.toISOString();
};

function base(object: HubSpotObject) {
	return {
		id: String(object.id),
		provider: PROVIDER_ID,
		...(typeof object.url === 'string' ? { url: object.url } : {}),
		createdAt: object.createdAt ?? undefined,
		updatedAt: object.updatedAt ?? undefined,
		raw: object as Record<string, unknown>,
	};
}

export function toContact(object: HubSpotObject): Contact {
	const p = object.properties ?? {};
	const emailOptOut = text(p.hs_email_optout) === 'true';
	return {
		...base(object),
		firstName: text(p.firstname),
		lastName: text(p.lastname),
		email: text(p.email),
		phone: text(p.phone),
		companyId: text(p.associatedcompanyid),
		ownerId: text(p.hubspot_owner_id),
		// HubSpot exposes no documented "opted out of everything" flag for SMS/WhatsApp on the
		// contact; "all" follows the email flag, which is HubSpot's portal-wide unsubscribe.
		optedOut: { email: emailOptOut, all: emailOptOut },
		timeZone: text(p.hs_timezone),
	};
}

export function leadFromContact(object: HubSpotObject): Lead {
	const p = object.properties ?? {};
	const first = text(p.firstname);
	const last = text(p.lastname);
	return {
		...base(object),
		leadModel: 'contactLifecycle',
		firstName: first,
		lastName: last,
		name: [first, last].filter(Boolean).join(' ') || undefined,
		email: text(p.email),
		phone: text(p.phone),
		company: text(p.company),
		title: text(p.jobtitle),
		status: text(p.hs_lead_status),
		stageId: text(p.hs_lead_status),
		pipelineId: LEAD_STATUS_PIPELINE_ID,
		source: text(p.hs_analytics_source),
		ownerId: text(p.hubspot_owner_id),
		contactId: String(object.id),
		optedOut: toContact(object).optedOut,
		...lifecycleOutcome(text(p.lifecyclestage)),
	};
}

function lifecycleOutcome(stage: string | undefined): Pick<Lead, 'qualified' | 'won'> {
	if (!stage) return {};
	return { qualified: QUALIFIED_LIFECYCLE.includes(stage), won: WON_LIFECYCLE.includes(stage) };
}

/** A Leads-object record; contact details come from its associated contact when known. */
export function leadFromLeadsObject(object: HubSpotObject, contact?: HubSpotObject, stageName?: string): Lead {
	const p = object.properties ?? {};
	const c = contact?.properties ?? {};
	const first = text(c.firstname);
	const last = text(c.lastname);
	return {
		...base(object),
		leadModel: 'leadsObject',
		firstName: first,
		lastName: last,
		name: text(p.hs_lead_name) ?? ([first, last].filter(Boolean).join(' ') || undefined),
		email: text(c.email),
		phone: text(c.phone),
		company: text(c.company),
		title: text(c.jobtitle),
		status: stageName ?? text(p.hs_pipeline_stage),
		pipelineId: text(p.hs_pipeline),
		stageId: text(p.hs_pipeline_stage),
		source: text(c.hs_analytics_source),
		ownerId: text(p.hubspot_owner_id),
		contactId: contact ? String(contact.id) : undefined,
		...(contact ? { optedOut: toContact(contact).optedOut } : {}),
	};
}

export function toCompany(object: HubSpotObject): Company {
	const p = object.properties ?? {};
	return { ...base(object), name: text(p.name), domain: text(p.domain), ownerId: text(p.hubspot_owner_id) };
}

export function toDeal(object: HubSpotObject, pipelines: Pipeline[]): Deal {
	const p = object.properties ?? {};
	const pipeline = pipelines.find((x) => x.id === text(p.pipeline));
	const stage = pipeline?.stages.find((s) => s.id === text(p.dealstage));
	const won = text(p.hs_is_closed_won) === 'true' || stage?.closed === 'won';
	const closed = text(p.hs_is_closed) === 'true' || stage?.closed === 'won' || stage?.closed === 'lost';
	return {
		...base(object),
		name: text(p.dealname),
		amount: num(p.amount),
		currency: text(p.deal_currency_code),
		pipelineId: text(p.pipeline),
		stageId: text(p.dealstage),
		stageName: stage?.name,
		status: won ? 'won' : closed ? 'lost' : 'open',
		probability: num(p.hs_deal_stage_probability) ?? stage?.probability,
		closeDate: iso(p.closedate),
		ownerId: text(p.hubspot_owner_id),
		stageChangedAt: iso(p.hs_v2_date_entered_current_stage),
		lastActivityAt: iso(p.notes_last_updated),
	};
}

/** Every close date a deal had, oldest first, from `propertiesWithHistory.closedate` (HubSpot lists newest first). */
export function closeDateHistoryOf(object: HubSpotObject): Array<{ closeDate: string; changedAt: number }> | undefined {
	const versions = (object.propertiesWithHistory as Record<string, Array<{ value?: string | null; timestamp?: string }>> | undefined)?.closedate;
	if (!Array.isArray(versions)) return undefined;
	return versions
		.map((v) => ({ closeDate: iso(v.value) ?? '', changedAt: Date.parse(String(v.timestamp)) }))
		.filter((v) => v.closeDate && Number.isFinite(v.changedAt))
		.sort((a, b) => a.changedAt - b.changedAt);
}

/** HubSpot's object type ids, for links into the record pages of its UI. */
const UI_OBJECT_TYPE_ID: Record<string, string> = { contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5', leads: '0-136' };

/**
 * The record page in HubSpot's UI: `https://{uiDomain}/contacts/{portalId}/record/{objectTypeId}/{id}`
 * (the address HubSpot's UI itself shows for a record). Tasks, notes and emails have no page of their own.
 */
export function recordUrl(account: { portalId?: number | string; uiDomain?: string }, objectType: string, id: string): string | undefined {
	const typeId = UI_OBJECT_TYPE_ID[objectType];
	if (!typeId || account.portalId === undefined) return undefined;
	return `https://${account.uiDomain || 'app.hubspot.com'}/contacts/${account.portalId}/record/${typeId}/${encodeURIComponent(id)}`;
}

/** Lifecycle stages from sales-qualified on: the contact was qualified; customer and evangelist: won. */
const QUALIFIED_LIFECYCLE = ['salesqualifiedlead', 'opportunity', 'customer', 'evangelist'];
const WON_LIFECYCLE = ['customer', 'evangelist'];

/** HubSpot task types that are a logged kind of activity; other types (TODO, LINKED_IN, …) are to-dos. */
const TASK_KIND: Record<string, TaskKind> = { CALL: 'call', EMAIL: 'email' };

export function toTicket(object: HubSpotObject, pipelines: Pipeline[]): Ticket {
	const p = object.properties ?? {};
	const pipeline = pipelines.find((x) => x.id === text(p.hs_pipeline));
	const stage = pipeline?.stages.find((s) => s.id === text(p.hs_pipeline_stage));
	return {
		...base(object),
		subject: text(p.subject),
		description: text(p.content),
		status: stage?.name ?? text(p.hs_pipeline_stage),
		pipelineId: text(p.hs_pipeline),
		stageId: text(p.hs_pipeline_stage),
		priority: text(p.hs_ticket_priority)?.toLowerCase(),
		ownerId: text(p.hubspot_owner_id),
		openedAt: iso(p.createdate) ?? object.createdAt,
		firstResponseAt: iso(p.first_agent_reply_date),
		closedAt: iso(p.closed_date),
	};
}

export function toTask(object: HubSpotObject, related?: RelatedRef[]): Task {
	const p = object.properties ?? {};
	const priority = text(p.hs_task_priority)?.toLowerCase();
	return {
		...base(object),
		subject: text(p.hs_task_subject),
		body: text(p.hs_task_body),
		dueAt: iso(p.hs_timestamp),
		status: TASK_STATUS_OUT[text(p.hs_task_status) ?? ''] ?? 'open',
		priority: TASK_PRIORITIES.includes(priority as TaskPriority) ? (priority as TaskPriority) : undefined,
		ownerId: text(p.hubspot_owner_id),
		completedAt: iso(p.hs_task_completion_date),
		kind: TASK_KIND[text(p.hs_task_type)?.toUpperCase() ?? ''] ?? 'task',
		...(related ? { related } : {}),
	};
}

export function toNote(object: HubSpotObject, related?: RelatedRef[]): Note {
	const p = object.properties ?? {};
	return {
		...base(object),
		body: text(p.hs_note_body),
		ownerId: text(p.hubspot_owner_id),
		...(related ? { related } : {}),
	};
}

/** The synthetic pipeline that exposes contact lead statuses (`hs_lead_status`) as stages. */
export const LEAD_STATUS_PIPELINE_ID = 'hs_lead_status';

/** Maps any resource's object; pipelines give stage names, lead contacts give lead details. */
export function toRecord(
	resource: ResourceType,
	object: HubSpotObject,
	context: { leadModel: LeadModel; pipelines: Pipeline[]; leadContact?: HubSpotObject },
): CrmRecord {
	switch (resource) {
		case 'lead': {
			if (context.leadModel === 'contactLifecycle') return leadFromContact(object);
			const pipeline = context.pipelines.find((x) => x.id === object.properties?.hs_pipeline);
			const stage = pipeline?.stages.find((s) => s.id === object.properties?.hs_pipeline_stage);
			return leadFromLeadsObject(object, context.leadContact, stage?.name);
		}
		case 'contact':
			return toContact(object);
		case 'company':
			return toCompany(object);
		case 'deal':
			return toDeal(object, context.pipelines);
		case 'ticket':
			return toTicket(object, context.pipelines);
		case 'task':
			return toTask(object);
		case 'note':
			return toNote(object);
		case 'message':
			throw new CrmInputError('Messages are read through the Message resource, not as records');
	}
}

/**
 * Default (HUBSPOT_DEFINED) association type ids, from → to. Source: HubSpot's association
 * type table (developers.hubspot.com/docs/reference/api/crm/associations/association-details),
 * cross-checked against several public clients; 578 is in the Leads guide. The lead → company
 * id (610) is the least certain.
 */
const ASSOCIATION_TYPE_IDS: Record<string, Partial<Record<string, number>>> = {
	tasks: { contacts: 204, companies: 192, deals: 216, tickets: 230, leads: 646 },
	notes: { contacts: 202, companies: 190, deals: 214, tickets: 228, leads: 854 },
	emails: { contacts: 198, companies: 186, deals: 210, tickets: 224, leads: 598 },
	communications: { contacts: 81, companies: 87, deals: 85, tickets: 83, leads: 602 },
	deals: { contacts: 3, companies: 5 },
	tickets: { contacts: 16, companies: 26, deals: 28 },
	contacts: { companies: 1 },
	leads: { contacts: 578, companies: 610 },
};

/** HubSpot object types of related records, by normalized resource. */
export function relatedObjectType(resource: ResourceType, leadModel: LeadModel): string {
	return objectTypeOf(resource, leadModel);
}

export function associationsFor(
	fromObjectType: string,
	related: RelatedRef[] | undefined,
	leadModel: LeadModel,
): Array<{ to: { id: string }; types: Array<{ associationCategory: string; associationTypeId: number }> }> {
	return (related ?? []).map((ref) => {
		const toType = relatedObjectType(ref.type, leadModel);
		const typeId = ASSOCIATION_TYPE_IDS[fromObjectType]?.[toType];
		if (typeId === undefined) {
			throw new CrmInputError(
				`HubSpot ${fromObjectType} cannot be associated with ${ref.type}s`,
				'related',
				`Associable with: ${Object.keys(ASSOCIATION_TYPE_IDS[fromObjectType] ?? {}).join(', ') || 'nothing'}.`,
			);
		}
		return { to: { id: String(ref.id) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] };
	});
}

/**
 * A filter value as HubSpot search expects it: strings; datetimes as epoch milliseconds
 * (the search guide's date filters use ms timestamps).
 */
export function searchValue(objectType: string, field: string, value: unknown): string {
	const spec = FIELDS[objectType]?.[field];
	if (spec?.convert === 'datetime') return String(parseInstant(value, field));
	if (objectType === 'tasks' && field === 'status') return taskStatusIn(value);
	if (spec?.convert === 'upper') return String(value).trim().toUpperCase();
	if (spec?.convert === 'bool') return String(value === true || value === 'true');
	return String(value);
}

/** HubSpot keeps `hs_date_entered_{stageId}` on deals and tickets: the time each stage was entered. */
export function stageEnteredProperty(stageId: string): string {
	return `hs_date_entered_${stageId}`;
}

export function stageHistoryOf(object: HubSpotObject, stageIds: string[]): Array<{ stageId: string; enteredAt: number }> {
	const history: Array<{ stageId: string; enteredAt: number }> = [];
	for (const stageId of stageIds) {
		const value = iso(object.properties?.[stageEnteredProperty(stageId)]);
		if (value) history.push({ stageId, enteredAt: Date.parse(value) });
	}
	return history.sort((a, b) => a.enteredAt - b.enteredAt);
}
