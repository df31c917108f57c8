/**
 * Pipedrive records ↔ the normalized model.
 *
 * | normalized | Pipedrive                         | API                     |
 * |------------|-----------------------------------|-------------------------|
 * | lead       | Lead (UUID id, labels, no stage)  | v1 `/leads`             |
 * | contact    | Person                            | v2 `/persons`           |
 * | company    | Organization                      | v2 `/organizations`     |
 * | deal       | Deal (pipeline, stage, status)    | v2 `/deals`             |
 * | task       | Activity (`type`, `done`, due)    | v2 `/activities`        |
 * | note       | Note                              | v1 `/notes`             |
 * There are no tickets in Pipedrive.
 *
 * Field names from Pipedrive's v1/v2 OpenAPI specs; times: v2 and v1 leads answer ISO 8601 with
 * a zone, v1 notes and users "YYYY-MM-DD HH:mm:ss" in UTC.
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
} from '../../model/types';
import { parseCalendarDate, parseEnum, parseInstant, parseNumber, show } from '../../model/parse';
import { CrmCapabilityError, CrmInputError } from '../../transport/errors';
import type { PdRecord } from './client';
import { PROVIDER_ID, recordUrl } from './profile';

/**
 * Leads have no pipeline or stage in Pipedrive. Their labels (Hot, Warm, Cold, or the company's
 * own, `/v1/leadLabels`) are offered as the stages of one pipeline, so "Update Status" by name sets
 * the lead's label (replacing its labels: a status is one value). Converting to a deal (Qualify)
 * is how a lead enters a real pipeline.
 */
export const LEAD_LABEL_PIPELINE = 'leadLabels';

export interface LeadLabel {
	id: string;
	name: string;
}

export interface MappingContext {
	siteUrl: string;
	pipelines: Pipeline[];
	leadLabels: LeadLabel[];
	/** Persons of leads (by id), for the lead's name, email and phone. */
	persons?: Map<string, PdRecord>;
	organizations?: Map<string, PdRecord>;
}

/** Where each normalized resource lives. */
export const PATH_OF: Partial<Record<ResourceType, string>> = {
	lead: '/api/v1/leads',
	contact: '/api/v2/persons',
	company: '/api/v2/organizations',
	deal: '/api/v2/deals',
	task: '/api/v2/activities',
	note: '/api/v1/notes',
};

/**
 * Extra query of v2 reads: a person's `marketing_status` (its email opt-out) is only answered when
 * asked for (`include_fields`, GET /api/v2/persons).
 */
export function readQuery(resource: ResourceType): Record<string, string> {
	return resource === 'contact' ? { include_fields: 'marketing_status' } : {};
}

export const OBJECT_OF: Partial<Record<ResourceType, string>> = {
	lead: 'lead',
	contact: 'person',
	company: 'organization',
	deal: 'deal',
	task: 'activity',
	note: 'note',
};

export function pathOf(resource: ResourceType): string {
	const path = PATH_OF[resource];
	if (!path) {
		throw new CrmCapabilityError('Pipedrive', `${resource}s`, resource === 'ticket' ? 'Pipedrive has no tickets; track support requests as deals in a dedicated pipeline, or as activities.' : undefined);
	}
	return path;
}

/** Epoch ms of a Pipedrive time (ISO with zone, or "YYYY-MM-DD HH:mm:ss" UTC); NaN when absent. */
export function toMs(value: unknown): number {
	if (value === undefined || value === null || value === '') return Number.NaN;
	try {
		return parseInstant(value, 'time', { naive: 'utc' });
	} catch {
		return Number.NaN;
	}
}

const iso = (value: unknown): string | undefined => {
	const ms = toMs(value);
	return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};
const idOf = (value: unknown): string | undefined => {
	if (value === undefined || value === null || value === '') return undefined;
	// v1 answers may nest the linked record ({value: 5, name: ...}); v2 gives the id.
	if (typeof value === 'object') return idOf((value as { value?: unknown; id?: unknown }).value ?? (value as { id?: unknown }).id);
	return String(value);
};
const str = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

/** The primary (or first) value of a v2 `emails`/`phones` list (v1: `email`/`phone`). */
function primaryOf(list: unknown): string | undefined {
	if (!Array.isArray(list)) return str(list);
	const entries = list as Array<{ value?: unknown; primary?: unknown }>;
	return str((entries.find((e) => e?.primary) ?? entries[0])?.value);
}

function stageName(pipelines: Pipeline[], stageId: string | undefined): string | undefined {
	return stageId ? pipelines.flatMap((p) => p.stages).find((s) => s.id === stageId)?.name : undefined;
}

/** Opt-outs: Pipedrive keeps a person's email marketing consent as `marketing_status` (Campaigns). */
function optOutOf(raw: PdRecord): Contact['optedOut'] {
	const status = str(raw.marketing_status);
	return { email: status === 'unsubscribed', all: false };
}

export function toContact(raw: PdRecord, ctx: Pick<MappingContext, 'siteUrl'>): Contact {
	const id = String(raw.id);
	return {
		id,
		provider: PROVIDER_ID,
		url: recordUrl(ctx.siteUrl, 'person', id),
		firstName: str(raw.first_name),
		lastName: str(raw.last_name),
		email: primaryOf(raw.emails ?? raw.email),
		phone: primaryOf(raw.phones ?? raw.phone),
		companyId: idOf(raw.org_id),
		ownerId: idOf(raw.owner_id),
		optedOut: optOutOf(raw),
		createdAt: iso(raw.add_time),
		updatedAt: iso(raw.update_time),
		raw,
	};
}

export function toRecord(resource: ResourceType, raw: PdRecord, ctx: MappingContext): CrmRecord {
	const id = String(raw.id);
	const base = { id, provider: PROVIDER_ID, createdAt: iso(raw.add_time), updatedAt: iso(raw.update_time), raw };
	switch (resource) {
		case 'contact':
			return toContact(raw, ctx);
		case 'company': {
			const company: Company = { ...base, url: recordUrl(ctx.siteUrl, 'organization', id), name: str(raw.name), ownerId: idOf(raw.owner_id) };
			return company;
		}
		case 'deal': {
			const stageId = idOf(raw.stage_id);
			const status = str(raw.status);
			const deal: Deal = {
				...base,
				url: recordUrl(ctx.siteUrl, 'deal', id),
				name: str(raw.title),
				amount: raw.value === undefined || raw.value === null ? undefined : Number(raw.value),
				currency: str(raw.currency),
				pipelineId: idOf(raw.pipeline_id),
				stageId,
				stageName: stageName(ctx.pipelines, stageId),
				status: status === 'won' || status === 'lost' ? status : 'open',
				// A percent (0–100) in Pipedrive; 0..1 in the model.
				probability: raw.probability === undefined || raw.probability === null ? undefined : Number(raw.probability) / 100,
				// A closed deal's actual close time; an open deal's expected close date.
				closeDate: status === 'won' || status === 'lost' ? (iso(raw.close_time) ?? str(raw.expected_close_date)) : str(raw.expected_close_date),
				ownerId: idOf(raw.owner_id),
				contactIds: idOf(raw.person_id) ? [idOf(raw.person_id)!] : [],
				companyId: idOf(raw.org_id),
				stageChangedAt: iso(raw.stage_change_time),
			};
			return deal;
		}
		case 'task': {
			const task: Task = {
				...base,
				url: recordUrl(ctx.siteUrl, 'activity', id),
				subject: str(raw.subject),
				body: str(raw.note),
				dueAt: dueAtOf(raw),
				status: raw.done === true || raw.done === 1 ? 'completed' : 'open',
				ownerId: idOf(raw.owner_id ?? raw.user_id),
				related: relatedOf(raw),
				completedAt: iso(raw.marked_as_done_time),
				kind: activityKind(raw.type),
			};
			return task;
		}
		case 'note': {
			const note: Note = { ...base, body: str(raw.content), ownerId: idOf(raw.user_id), related: relatedOf(raw) };
			return note;
		}
		case 'lead': {
			const person = idOf(raw.person_id) ? ctx.persons?.get(idOf(raw.person_id)!) : undefined;
			const organization = idOf(raw.organization_id) ? ctx.organizations?.get(idOf(raw.organization_id)!) : undefined;
			const labels = Array.isArray(raw.label_ids) ? (raw.label_ids as unknown[]).map(String) : [];
			const value = (raw.value ?? undefined) as { amount?: unknown; currency?: unknown } | undefined;
			const lead: Lead & { amount?: number; currency?: string } = {
				...base,
				url: recordUrl(ctx.siteUrl, 'lead', id),
				leadModel: 'pipedriveLead',
				name: str(raw.title),
				firstName: str(person?.first_name),
				lastName: str(person?.last_name),
				email: person ? primaryOf(person.emails ?? person.email) : undefined,
				phone: person ? primaryOf(person.phones ?? person.phone) : undefined,
				company: str(organization?.name),
				title: str(person?.job_title),
				// Leads have labels, not statuses or stages: the first label is the status, and the labels
				// are the stages of one "Lead labels" pipeline (see LEAD_LABEL_PIPELINE).
				status: labels.map((l) => ctx.leadLabels.find((x) => x.id === l)?.name ?? l)[0],
				pipelineId: LEAD_LABEL_PIPELINE,
				...(labels[0] ? { stageId: labels[0] } : {}),
				source: str(raw.source_name ?? raw.origin),
				// Qualified: a label named "Qualified". A converted lead leaves Pipedrive's lead list (it
				// becomes the deal), so no listed lead is converted or won: `convertedDealId`/`won` stay unset.
				qualified: labels.some((l) => (ctx.leadLabels.find((x) => x.id === l)?.name ?? '').trim().toLowerCase() === 'qualified'),
				ownerId: idOf(raw.owner_id),
				contactId: idOf(raw.person_id),
				...(person ? { optedOut: optOutOf(person) } : {}),
				...(value?.amount !== undefined && value?.amount !== null ? { amount: Number(value.amount), currency: str(value.currency) } : {}),
			};
			return lead;
		}
		default:
			throw new CrmCapabilityError('Pipedrive', `${resource} records`);
	}
}

/** An activity's kind from its `type` key: call, meeting and email as such, every other type a task. */
export function activityKind(type: unknown): 'call' | 'meeting' | 'email' | 'task' {
	const key = String(type ?? '').toLowerCase();
	return key === 'call' || key === 'meeting' || key === 'email' ? key : 'task';
}

/** An activity's due moment: `due_date` + `due_time` (UTC, "HH:MM"); the date alone when no time. */
export function dueAtOf(raw: PdRecord): string | undefined {
	const date = str(raw.due_date);
	if (!date) return undefined;
	const time = str(raw.due_time);
	return time ? new Date(`${date}T${time.length === 5 ? `${time}:00` : time}Z`).toISOString() : date;
}

export function relatedOf(raw: PdRecord): RelatedRef[] {
	const refs: RelatedRef[] = [];
	if (idOf(raw.deal_id)) refs.push({ type: 'deal', id: idOf(raw.deal_id)! });
	if (idOf(raw.lead_id)) refs.push({ type: 'lead', id: idOf(raw.lead_id)! });
	if (idOf(raw.person_id)) refs.push({ type: 'contact', id: idOf(raw.person_id)! });
	for (const p of Array.isArray(raw.participants) ? (raw.participants as Array<{ person_id?: unknown }>) : []) {
		const pid = idOf(p?.person_id);
		if (pid && !refs.some((r) => r.type === 'contact' && r.id === pid)) refs.push({ type: 'contact', id: pid });
	}
	if (idOf(raw.org_id)) refs.push({ type: 'company', id: idOf(raw.org_id)! });
	return refs;
}

// ── writes ─────────────────────────────────────────────────────────────────────────────────

/** A Pipedrive numeric id (persons, deals, users, …) from user input. */
export function numericId(value: unknown, field: string): number {
	return parseNumber(value, field, { integer: true, min: 1, what: 'a Pipedrive id (a whole number)' });
}

/** Lead ids are UUIDs. */
export function leadId(value: unknown, field = 'id'): string {
	const text = String(value ?? '').trim();
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) {
		throw new CrmInputError(`${show(value)} is not a Pipedrive lead id`, field, 'Pipedrive lead ids are UUIDs such as 2e1c2d4a-5b6c-11ef-8e2a-0242ac120002.');
	}
	return text;
}

/** Where a related record goes on a deal, activity, note or lead. */
const RELATED_FIELD: Partial<Record<ResourceType, Partial<Record<ResourceType, string>>>> = {
	deal: { contact: 'person_id', company: 'org_id' },
	task: { deal: 'deal_id', lead: 'lead_id', company: 'org_id', contact: 'participants' },
	note: { deal: 'deal_id', lead: 'lead_id', company: 'org_id', contact: 'person_id' },
	lead: { contact: 'person_id', company: 'organization_id' },
	contact: { company: 'org_id' },
};

export function relatedBody(resource: ResourceType, related: RelatedRef[] | undefined): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const ref of related ?? []) {
		const field = RELATED_FIELD[resource]?.[ref.type];
		if (!field) {
			const valid = Object.keys(RELATED_FIELD[resource] ?? {});
			throw new CrmInputError(`Pipedrive cannot link a ${resource} to a ${ref.type}`, 'related', valid.length ? `A ${resource} links to: ${valid.join(', ')}.` : undefined);
		}
		const value = ref.type === 'lead' ? leadId(ref.id, 'related') : numericId(ref.id, 'related');
		if (field === 'participants') body.participants = [...((body.participants as unknown[]) ?? []), { person_id: value, primary: !body.participants }];
		else body[field] = value;
	}
	return body;
}

const DEAL_STATUS = ['open', 'won', 'lost'] as const;

/** Fields every resource refuses (with what to use instead) rather than dropping them silently. */
function refuse(resource: string, field: string, why: string): never {
	throw new CrmInputError(`Pipedrive ${resource}s have no "${field}" field`, field, why);
}

/**
 * The request body for normalized fields. `labels` resolves a lead status to label ids.
 * `custom` are Pipedrive field keys written as they are (v2: custom fields go under `custom_fields`).
 */
export function toBody(
	resource: ResourceType,
	fields: Record<string, unknown>,
	custom: Record<string, unknown> | undefined,
	labels: LeadLabel[],
): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	const set = (key: string, value: unknown) => {
		if (value !== undefined) body[key] = value;
	};
	for (const [field, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		const empty = value === null || value === '';
		switch (`${resource}.${field}`) {
			case 'contact.firstName':
			case 'contact.lastName':
				// v2 persons take one `name` and derive first/last name from it (composed below).
				break;
			case 'contact.name':
			case 'company.name':
				set('name', String(value));
				break;
			case 'contact.email':
				set('emails', empty ? [] : [{ value: String(value).trim(), primary: true, label: 'work' }]);
				break;
			case 'contact.phone':
				set('phones', empty ? [] : [{ value: String(value).trim(), primary: true, label: 'work' }]);
				break;
			case 'contact.companyId':
				set('org_id', empty ? null : numericId(value, 'companyId'));
				break;
			case 'company.domain':
				set('website', empty ? null : String(value));
				break;
			case 'contact.title':
				set('job_title', empty ? null : String(value));
				break;
			case 'deal.name':
			case 'lead.name':
				set('title', String(value));
				break;
			case 'deal.amount':
				set('value', empty ? 0 : parseNumber(value, 'amount', { what: 'an amount' }));
				break;
			case 'deal.currency':
				set('currency', String(value).trim().toUpperCase());
				break;
			case 'deal.pipelineId':
				set('pipeline_id', numericId(value, 'pipelineId'));
				break;
			case 'deal.stageId':
				set('stage_id', numericId(value, 'stageId'));
				break;
			case 'deal.status':
				set('status', parseEnum(value, 'status', DEAL_STATUS, {}, 'Pipedrive deal status'));
				break;
			case 'deal.probability':
				set('probability', empty ? null : parseNumber(value, 'probability', { min: 0, max: 100, what: 'a probability (0–100)' }));
				break;
			case 'deal.closeDate':
			case 'lead.closeDate':
				set('expected_close_date', empty ? null : parseCalendarDate(value, 'closeDate'));
				break;
			case 'deal.companyId':
				set('org_id', empty ? null : numericId(value, 'companyId'));
				break;
			case 'deal.contactIds': {
				const ids = Array.isArray(value) ? value : [value];
				if (ids.length > 1) throw new CrmInputError('A Pipedrive deal has one person', 'contactIds', 'Give one contact id; add others as participants in Pipedrive.');
				set('person_id', ids.length ? numericId(ids[0], 'contactIds') : null);
				break;
			}
			case 'task.subject':
				set('subject', String(value));
				break;
			case 'task.body':
				set('note', empty ? null : String(value));
				break;
			case 'task.dueAt': {
				if (empty) {
					set('due_date', null);
					set('due_time', null);
					break;
				}
				const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
				if (dateOnly) set('due_date', value.trim());
				else {
					// Pipedrive keeps due date and time in UTC ("HH:MM").
					const at = new Date(parseInstant(value, 'dueAt')).toISOString();
					set('due_date', at.slice(0, 10));
					set('due_time', at.slice(11, 16));
				}
				break;
			}
			case 'task.status':
				set('done', parseEnum(value, 'status', ['open', 'completed'] as const, { done: 'completed', complete: 'completed', 'not started': 'open' }, 'task status') === 'completed');
				break;
			case 'task.type':
				set('type', String(value));
				break;
			case 'task.priority':
				// Activity priority is a per-company option list in Pipedrive (not low/medium/high): not written.
				break;
			case 'note.body':
				set('content', String(value));
				break;
			case 'lead.pipelineId':
				if (String(value) !== LEAD_LABEL_PIPELINE) throw new CrmInputError(`Pipedrive leads have no pipeline ${show(value)}`, 'pipelineId', 'Leads are in no pipeline; qualify the lead to make it a deal in a pipeline.');
				break;
			case 'lead.stageId':
			case 'lead.status': {
				if (empty) {
					set('label_ids', []);
					break;
				}
				const wanted = String(value).trim().toLowerCase();
				const label = labels.find((l) => l.name.toLowerCase() === wanted || l.id === String(value).trim());
				if (!label) {
					throw new CrmInputError(
						`${show(value)} is not a Pipedrive lead label`,
						'status',
						`Pipedrive leads have no status; they have labels: ${labels.map((l) => l.name).join(', ') || 'none defined'}. To move a lead through stages, qualify it into a deal.`,
					);
				}
				set('label_ids', [label.id]);
				break;
			}
			case 'lead.amount':
				set('value', empty ? null : { amount: parseNumber(value, 'amount', { what: 'an amount' }), currency: String(fields.currency ?? 'USD').toUpperCase() });
				break;
			case 'lead.currency':
				break; // with the amount
			default:
				if (field === 'ownerId') {
					set('owner_id', numericId(value, 'ownerId'));
					break;
				}
				// Lead person fields are handled by the provider (they go on the lead's person).
				if (resource === 'lead' && ['firstName', 'lastName', 'email', 'phone', 'company', 'title'].includes(field)) break;
				if (field === 'source' && resource === 'lead') refuse('lead', field, 'Pipedrive sets a lead\'s source (origin) itself; use a custom field for your own source.');
				throw new CrmInputError(`Pipedrive has no "${field}" on ${resource}s`, field, 'Use Custom Properties with the Pipedrive field key to write other fields.');
		}
	}
	if (resource === 'contact' && fields.name === undefined && (fields.firstName !== undefined || fields.lastName !== undefined)) {
		const name = [fields.firstName, fields.lastName].filter((part) => part !== undefined && part !== null && String(part).trim() !== '').map((part) => String(part).trim()).join(' ');
		if (name) body.name = name;
	}
	if (custom && Object.keys(custom).length) {
		const v2 = (PATH_OF[resource] ?? '').startsWith('/api/v2');
		// Pipedrive custom field keys are 40-character hashes; v2 takes them under `custom_fields`.
		const customFields: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(custom)) {
			if (v2 && /^[0-9a-f]{40}$/.test(key)) customFields[key] = value;
			else body[key] = value;
		}
		if (Object.keys(customFields).length) body.custom_fields = customFields;
	}
	return body;
}
