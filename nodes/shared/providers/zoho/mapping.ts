/**
 * Zoho CRM (API v8) ↔ normalized model. Module and field API names are Zoho's standard ones
 * (v8 "Modules and fields" pages; Leads, Contacts, Accounts, Deals, Cases, Tasks, Notes). An org
 * may rename labels but not these API names; custom fields go under "Custom Properties" with their
 * API names. Everything Zoho returned stays in `raw`.
 *
 * - Lookups (Owner, Account_Name, Contact_Name, What_Id, Who_Id, Related_To) are `{id, name?}`
 *   objects on read and `{id}` on write.
 * - Date-times are ISO 8601 with an offset and no fraction (`2026-05-01T10:00:00+00:00`); dates
 *   `YYYY-MM-DD` (Closing_Date, Due_Date).
 * - Stages: a deal's `Stage` holds the stage's value (not an id), so stage ids in the normalized
 *   model are those values; a pipeline's stages come from its `maps` (./pipelines.ts).
 * - Cases are the package's tickets (the standard Cases module; Zoho Desk tickets are another
 *   product and are not used).
 */
import type {
	Company,
	Contact,
	CrmRecord,
	Deal,
	Lead,
	Note,
	RelatedRef,
	ResourceType,
	Task,
	TaskPriority,
	Ticket,
} from '../../model/types';
import { parseCalendarDate, parseEnum, parseInstant, parseNumber } from '../../model/parse';
import { CrmInputError } from '../../transport/errors';

export const PROVIDER_ID = 'zoho';
export const ZOHO = 'Zoho CRM';

/** A record as Zoho's record APIs return it. */
export type ZohoRecord = Record<string, unknown> & { id: string };

export const MODULE_OF: Record<ResourceType, string> = {
	lead: 'Leads',
	contact: 'Contacts',
	company: 'Accounts',
	deal: 'Deals',
	ticket: 'Cases',
	task: 'Tasks',
	note: 'Notes',
	// Messages are not records of their own on Zoho (send_mail, notes): never read as a module.
	message: 'Notes',
};

const RESOURCE_OF_MODULE: Record<string, ResourceType> = {
	Leads: 'lead',
	Contacts: 'contact',
	Accounts: 'company',
	Deals: 'deal',
	Cases: 'ticket',
	Tasks: 'task',
	Notes: 'note',
};

export function resourceOfModule(module: string): ResourceType | undefined {
	return Object.prototype.hasOwnProperty.call(RESOURCE_OF_MODULE, module) ? RESOURCE_OF_MODULE[module] : undefined;
}

type Kind = 'text' | 'number' | 'datetime' | 'date' | 'lookup' | 'bool';

interface FieldSpec {
	api: string;
	kind?: Kind;
	/** Set by Zoho: read, never written. */
	readOnly?: boolean;
}

const TIMES: Record<string, FieldSpec> = {
	createdAt: { api: 'Created_Time', kind: 'datetime', readOnly: true },
	updatedAt: { api: 'Modified_Time', kind: 'datetime', readOnly: true },
};

const FIELDS: Record<string, Record<string, FieldSpec>> = {
	Leads: {
		firstName: { api: 'First_Name' },
		lastName: { api: 'Last_Name' },
		email: { api: 'Email' },
		phone: { api: 'Phone' },
		company: { api: 'Company' },
		title: { api: 'Designation' },
		status: { api: 'Lead_Status' },
		// Update Status by name writes the status as the stage of the leads' one "pipeline".
		stageId: { api: 'Lead_Status' },
		source: { api: 'Lead_Source' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		emailOptOut: { api: 'Email_Opt_Out', kind: 'bool' },
		...TIMES,
	},
	Contacts: {
		firstName: { api: 'First_Name' },
		lastName: { api: 'Last_Name' },
		email: { api: 'Email' },
		phone: { api: 'Phone' },
		title: { api: 'Title' },
		companyId: { api: 'Account_Name', kind: 'lookup' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		emailOptOut: { api: 'Email_Opt_Out', kind: 'bool' },
		...TIMES,
	},
	Accounts: {
		name: { api: 'Account_Name' },
		domain: { api: 'Website' },
		phone: { api: 'Phone' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		...TIMES,
	},
	Deals: {
		name: { api: 'Deal_Name' },
		amount: { api: 'Amount', kind: 'number' },
		// `Currency` exists only in multi-currency orgs (asking for it elsewhere is INVALID_DATA): write it as a Custom Property there.
		pipelineId: { api: 'Pipeline' },
		stageId: { api: 'Stage' },
		probability: { api: 'Probability', kind: 'number' },
		closeDate: { api: 'Closing_Date', kind: 'date' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		contactId: { api: 'Contact_Name', kind: 'lookup' },
		companyId: { api: 'Account_Name', kind: 'lookup' },
		...TIMES,
	},
	Cases: {
		subject: { api: 'Subject' },
		description: { api: 'Description' },
		status: { api: 'Status' },
		stageId: { api: 'Status' },
		priority: { api: 'Priority' },
		origin: { api: 'Case_Origin' },
		email: { api: 'Email' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		contactId: { api: 'Related_To', kind: 'lookup' },
		companyId: { api: 'Account_Name', kind: 'lookup' },
		number: { api: 'Case_Number', readOnly: true },
		...TIMES,
	},
	Tasks: {
		subject: { api: 'Subject' },
		body: { api: 'Description' },
		dueAt: { api: 'Due_Date', kind: 'date' },
		status: { api: 'Status' },
		priority: { api: 'Priority' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		completedAt: { api: 'Closed_Time', kind: 'datetime', readOnly: true },
		...TIMES,
	},
	Notes: {
		title: { api: 'Note_Title' },
		body: { api: 'Note_Content' },
		ownerId: { api: 'Owner', kind: 'lookup' },
		...TIMES,
	},
};

/** Fields always read besides the mapped ones (lookups of related records, the layout). */
const EXTRA_READ: Record<string, string[]> = {
	Tasks: ['What_Id', 'Who_Id', '$se_module'],
	Notes: ['Parent_Id'],
	Cases: ['Deal_Name'],
	Deals: ['Last_Activity_Time'],
};

/** The API names to read for a module (Zoho's list GET requires `fields`, at most 50). */
export function fieldsFor(module: string, extra: string[] = []): string[] {
	const mapped = Object.values(FIELDS[module] ?? {}).map((f) => f.api);
	return [...new Set([...mapped, ...(EXTRA_READ[module] ?? []), ...extra])].slice(0, 50);
}

/** The API name behind a normalized field (for searches and sorts); unknown names pass as API names. */
export function apiNameOf(module: string, field: string): string {
	if (field === 'id') return 'id';
	return FIELDS[module]?.[field]?.api ?? field;
}

export function fieldKind(module: string, apiName: string): Kind {
	return Object.values(FIELDS[module] ?? {}).find((f) => f.api === apiName)?.kind ?? 'text';
}

export function writableFields(module: string): string[] {
	return Object.entries(FIELDS[module] ?? {})
		.filter(([, spec]) => !spec.readOnly)
		.map(([name]) => name);
}

// ── values out (writes) ──────────────────────────────────────────────────────────────────────

/** A Zoho date-time: ISO 8601 with `+00:00`, no fraction (Zoho's documented format). */
export function zohoDateTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const TASK_STATUS_IN: Record<string, string> = { open: 'Not Started', completed: 'Completed' };
/** Zoho's Tasks priorities: Highest, High, Normal, Low, Lowest. */
const TASK_PRIORITY_IN: Record<TaskPriority, string> = { low: 'Low', medium: 'Normal', high: 'High' };

function valueOut(module: string, name: string, spec: FieldSpec, value: unknown): unknown {
	if (value === null) return null;
	// Normalized probabilities are fractions (0.9); Zoho's Probability is a whole percent (90).
	if (module === 'Deals' && name === 'probability') {
		const n = parseNumber(value, name, { min: 0, max: 100, what: 'a probability' });
		return Math.round(n <= 1 ? n * 100 : n);
	}
	if (module === 'Tasks' && name === 'status') return TASK_STATUS_IN[String(value).trim().toLowerCase()] ?? String(value);
	if (module === 'Tasks' && name === 'priority') {
		const text = String(value).trim();
		if (/^(highest|lowest)$/i.test(text)) return text[0].toUpperCase() + text.slice(1).toLowerCase();
		return TASK_PRIORITY_IN[parseEnum(text, 'priority', ['low', 'medium', 'high'] as const, { normal: 'medium' }, 'task priority')];
	}
	switch (spec.kind) {
		case 'lookup': {
			const id = typeof value === 'object' && value && 'id' in value ? (value as { id: unknown }).id : value;
			if (id === undefined || id === '') throw new CrmInputError(`"${name}" needs a record id`, name);
			return { id: String(id) };
		}
		case 'number':
			return parseNumber(value, name);
		case 'date':
			return parseCalendarDate(value, name);
		case 'datetime':
			return zohoDateTime(parseInstant(value, name));
		case 'bool':
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 'false') return value === 'true';
			throw new CrmInputError(`"${name}" must be true or false`, name);
		default:
			return typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
}

/** Normalized fields (+ raw custom API names) → a Zoho record body. */
export function toZohoFields(module: string, fields: Record<string, unknown>, customProperties: Record<string, unknown> = {}): Record<string, unknown> {
	const specs = FIELDS[module] ?? {};
	const out: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		// The deal's contact as a list (the normalized Deal has contactIds): Zoho's Contact_Name holds one.
		if (module === 'Deals' && name === 'contactIds') {
			const ids = Array.isArray(value) ? value : [value];
			if (ids.length > 1) throw new CrmInputError('A Zoho deal has one contact (Contact_Name)', 'contactIds', 'Give one contact id.');
			if (ids.length === 1) out.Contact_Name = { id: String(ids[0]) };
			continue;
		}
		const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
		if (!spec) {
			throw new CrmInputError(
				`"${name}" is not a field of Zoho ${module}`,
				name,
				`Writable fields: ${writableFields(module).join(', ')}. Put Zoho field API names under "Custom Properties".`,
			);
		}
		if (spec.readOnly) throw new CrmInputError(`"${name}" is set by Zoho CRM and cannot be written`, name);
		out[spec.api] = valueOut(module, name, spec, value);
	}
	for (const [name, value] of Object.entries(customProperties)) out[name] = value;
	return out;
}

/**
 * A task's links: What_Id (+ `$se_module`) for a lead, account, deal or case; Who_Id for a contact.
 * A note's parent: `Parent_Id: {module: {api_name}, id}` (v8 shape, per the v8 create-notes sample).
 */
export function relatedFields(module: string, related: RelatedRef[] = []): Record<string, unknown> {
	if (related.length === 0) return {};
	if (module === 'Notes') {
		const [parent, ...rest] = related;
		if (rest.length) throw new CrmInputError('A Zoho note has one parent record', 'related', 'Link the note to one record.');
		return { Parent_Id: { module: { api_name: MODULE_OF[parent.type] }, id: String(parent.id) } };
	}
	if (module === 'Tasks') {
		const out: Record<string, unknown> = {};
		for (const ref of related) {
			if (ref.type === 'contact') {
				if (out.Who_Id) throw new CrmInputError('A Zoho task links one contact (Who_Id)', 'related');
				out.Who_Id = { id: String(ref.id) };
			} else if (['lead', 'company', 'deal', 'ticket'].includes(ref.type)) {
				if (out.What_Id) throw new CrmInputError('A Zoho task links one lead, account, deal or case (What_Id)', 'related', 'Link one of them, plus a contact if needed.');
				out.What_Id = { id: String(ref.id) };
				out.$se_module = MODULE_OF[ref.type];
			} else {
				throw new CrmInputError(`A Zoho task cannot be linked to a ${ref.type}`, 'related', 'Link a lead, contact, company, deal or ticket.');
			}
		}
		// Zoho allows Who_Id with a lead as What_Id only for contacts' own records (a lead has no contacts).
		return out;
	}
	if (module === 'Deals' || module === 'Cases') {
		const out: Record<string, unknown> = {};
		for (const ref of related) {
			if (ref.type === 'contact') out[module === 'Deals' ? 'Contact_Name' : 'Related_To'] = { id: String(ref.id) };
			else if (ref.type === 'company') out.Account_Name = { id: String(ref.id) };
			else if (ref.type === 'deal' && module === 'Cases') out.Deal_Name = { id: String(ref.id) };
			else throw new CrmInputError(`A Zoho ${module === 'Deals' ? 'deal' : 'case'} cannot be linked to a ${ref.type}`, 'related');
		}
		return out;
	}
	if (module === 'Contacts') {
		const company = related.find((r) => r.type === 'company');
		return company ? { Account_Name: { id: String(company.id) } } : {};
	}
	return {};
}

// ── values in (reads) ────────────────────────────────────────────────────────────────────────

const text = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : typeof v === 'object' ? undefined : String(v));
const num = (v: unknown): number | undefined => {
	if (v === null || v === undefined || v === '') return undefined;
	const n = Number(v);
	return Number.isFinite(n) ? n : undefined;
};
/** A whole percent (Zoho's Probability, 90) as the model's fraction (0.9). */
export const percentOf = (v: unknown): number | undefined => {
	const n = num(v);
	return n === undefined ? undefined : n / 100;
};
export const lookupId = (v: unknown): string | undefined =>
	v && typeof v === 'object' && 'id' in v && (v as { id: unknown }).id !== null && (v as { id: unknown }).id !== undefined ? String((v as { id: unknown }).id) : undefined;
/** Zoho date-times ("2026-05-01T10:00:00+02:00") as ISO UTC; anything else as given. */
export function iso(v: unknown): string | undefined {
	const t = text(v);
	if (t === undefined) return undefined;
	const ms = Date.parse(t);
	return Number.isNaN(ms) ? t : new Date(ms).toISOString();
}
export function timeMs(v: unknown): number {
	const t = text(v);
	return t === undefined ? Number.NaN : Date.parse(t);
}

/**
 * The pipeline a deal is in: v8 answers `{name, id}` (older orgs a plain name). The pipeline id
 * of the normalized model is Zoho's pipeline id where it is given, else the name.
 */
export function pipelineOf(v: unknown): { id?: string; name?: string } {
	if (v && typeof v === 'object') {
		const o = v as { id?: unknown; name?: unknown; display_value?: unknown };
		return { id: o.id !== undefined && o.id !== null ? String(o.id) : undefined, name: text(o.name ?? o.display_value) };
	}
	const name = text(v);
	return name ? { name } : {};
}

export interface MappingContext {
	/** Link into the UI for a record: `{ui}/crm/tab/{Module}/{id}` (see ./profile.ts). */
	recordUrl(module: string, id: string): string;
	/** Pipeline names → ids, for deals whose Pipeline comes as a name only. */
	pipelineIdByName?: Map<string, string>;
	/** Stage values that close a deal as won / lost (from the pipelines' forecast types). */
	closedStages?: Map<string, 'won' | 'lost'>;
	/** Stage value → its display name, where they differ. */
	stageNames?: Map<string, string>;
	/** Task statuses that mean done (Zoho's default: Completed). */
	completedTaskStatuses?: Set<string>;
}

function base(module: string, raw: ZohoRecord, ctx: MappingContext) {
	return {
		id: String(raw.id),
		provider: PROVIDER_ID,
		url: ctx.recordUrl(module, String(raw.id)),
		createdAt: iso(raw.Created_Time),
		updatedAt: iso(raw.Modified_Time),
		raw: raw as Record<string, unknown>,
	};
}

function optOut(raw: ZohoRecord) {
	const email = raw.Email_Opt_Out === true;
	// Zoho keeps one opt-out flag on leads and contacts (email); "all" follows it (no SMS/call flag).
	return { email, all: email };
}

const TASK_PRIORITY_OUT: Record<string, TaskPriority> = { highest: 'high', high: 'high', normal: 'medium', low: 'low', lowest: 'low' };

export function toContact(raw: ZohoRecord, ctx: MappingContext): Contact {
	return {
		...base('Contacts', raw, ctx),
		firstName: text(raw.First_Name),
		lastName: text(raw.Last_Name),
		email: text(raw.Email),
		phone: text(raw.Phone),
		companyId: lookupId(raw.Account_Name),
		ownerId: lookupId(raw.Owner),
		optedOut: optOut(raw),
	};
}

export function toRecord(resource: ResourceType, raw: ZohoRecord, ctx: MappingContext): CrmRecord {
	const module = MODULE_OF[resource];
	switch (resource) {
		case 'lead': {
			const lead: Lead = {
				...base(module, raw, ctx),
				leadModel: 'zohoLeads',
				optedOut: optOut(raw),
				firstName: text(raw.First_Name),
				lastName: text(raw.Last_Name),
				name: text(raw.Full_Name) ?? ([text(raw.First_Name), text(raw.Last_Name)].filter(Boolean).join(' ') || undefined),
				email: text(raw.Email),
				phone: text(raw.Phone),
				company: text(raw.Company),
				title: text(raw.Designation),
				status: text(raw.Lead_Status),
				...(text(raw.Lead_Status) ? { pipelineId: LEAD_STATUS_PIPELINE_ID, stageId: text(raw.Lead_Status) } : {}),
				source: text(raw.Lead_Source),
				ownerId: lookupId(raw.Owner),
				// Zoho's default statuses qualify with "Pre-Qualified" (custom ones may say "Qualified"); converted
				// leads leave GET /Leads, so `convertedDealId` and `won` stay unset.
				qualified: isQualifiedStatus(text(raw.Lead_Status)),
			};
			return lead;
		}
		case 'contact':
			return toContact(raw, ctx);
		case 'company': {
			const company: Company = { ...base(module, raw, ctx), name: text(raw.Account_Name), domain: text(raw.Website), ownerId: lookupId(raw.Owner) };
			return company;
		}
		case 'deal': {
			const stage = text(raw.Stage);
			const pipeline = pipelineOf(raw.Pipeline);
			const closed = stage ? ctx.closedStages?.get(stage) : undefined;
			const contact = lookupId(raw.Contact_Name);
			const deal: Deal = {
				...base(module, raw, ctx),
				name: text(raw.Deal_Name),
				amount: num(raw.Amount),
				currency: text(raw.Currency),
				pipelineId: pipeline.id ?? (pipeline.name ? (ctx.pipelineIdByName?.get(pipeline.name) ?? pipeline.name) : undefined),
				stageId: stage,
				stageName: stage ? (ctx.stageNames?.get(stage) ?? stage) : undefined,
				status: closed ?? 'open',
				probability: percentOf(raw.Probability),
				closeDate: text(raw.Closing_Date),
				ownerId: lookupId(raw.Owner),
				contactIds: contact ? [contact] : [],
				companyId: lookupId(raw.Account_Name),
				// Zoho's system field: the deal's last edit or activity. No close-date history (Stage_History
				// keeps Closing_Date only at stage moves) and no forecast category beyond Pipeline/Closed/
				// Omitted, so `closeDateHistory` and `forecastCategory` stay unset (reports say so / use probability).
				lastActivityAt: iso(raw.Last_Activity_Time),
			};
			return deal;
		}
		case 'ticket': {
			const status = text(raw.Status);
			const ticket: Ticket = {
				...base(module, raw, ctx),
				number: text(raw.Case_Number),
				subject: text(raw.Subject),
				description: text(raw.Description),
				status,
				pipelineId: status ? CASE_STATUS_PIPELINE_ID : undefined,
				stageId: status,
				priority: text(raw.Priority),
				ownerId: lookupId(raw.Owner),
				contactId: lookupId(raw.Related_To),
				openedAt: iso(raw.Created_Time),
			};
			return ticket;
		}
		case 'task': {
			const status = text(raw.Status);
			const done = status !== undefined && (ctx.completedTaskStatuses ?? new Set(['Completed'])).has(status);
			const related: RelatedRef[] = [];
			const what = lookupId(raw.What_Id);
			const whatType = resourceOfModule(String(raw.$se_module ?? ''));
			if (what && whatType) related.push({ type: whatType, id: what });
			const who = lookupId(raw.Who_Id);
			if (who) related.push({ type: 'contact', id: who });
			const priority = text(raw.Priority);
			const task: Task = {
				...base(module, raw, ctx),
				subject: text(raw.Subject),
				body: text(raw.Description),
				dueAt: text(raw.Due_Date),
				status: done ? 'completed' : 'open',
				priority: priority ? TASK_PRIORITY_OUT[priority.toLowerCase()] : undefined,
				ownerId: lookupId(raw.Owner),
				related,
				completedAt: done ? iso(raw.Closed_Time) : undefined,
				// Tasks are to-dos; Zoho's calls and meetings are the Calls and Events modules (not read as tasks).
				kind: 'task',
			};
			return task;
		}
		case 'note':
		case 'message': {
			const parent = raw.Parent_Id as { id?: unknown; module?: { api_name?: unknown } } | undefined;
			const parentType = resourceOfModule(String(parent?.module?.api_name ?? raw.$se_module ?? ''));
			const parentId = lookupId(parent);
			const note: Note = {
				...base(module, raw, ctx),
				body: text(raw.Note_Content),
				ownerId: lookupId(raw.Owner),
				related: parentId && parentType ? [{ type: parentType, id: parentId }] : [],
			};
			return note;
		}
	}
}

/** A lead status that means qualified: contains "qualified", not "not qualified" / "unqualified". */
export function isQualifiedStatus(status: string | undefined): boolean {
	return status !== undefined && /qualified/i.test(status) && !/\b(not|un|dis)[- ]?qualified/i.test(status);
}

/** Cases have one status list: it is the tickets' one pipeline. */
export const CASE_STATUS_PIPELINE_ID = 'case-status';
/** Leads have one status list (`Lead_Status`): it is the leads' one pipeline. */
export const LEAD_STATUS_PIPELINE_ID = 'lead-status';
