/**
 * A scoring model: field rules with weights, event terms that fade with a half-life, and bands.
 * Everything a user typed is checked here, before any record is read or written; an error
 * names the rule (its position, counted from 1 as the editor lists them, and its name) and says
 * what would be valid.
 */
import type { ActivityKind } from '../../contract/provider';
import type { ResourceType } from '../../model/types';
import { parseInstant, parseNumber, show } from '../../model/parse';
import { CrmInputError } from '../../transport/errors';

export const CONDITION_OPERATORS = ['equals', 'notEquals', 'contains', 'inList', 'between', 'isSet', 'isNotSet', 'withinDays'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const EVENT_KINDS = ['any', 'email', 'call', 'meeting', 'task', 'note', 'stageChange'] as const;
export type EventKind = ActivityKind | 'any';

/**
 * Normalized fields a rule may test, per resource (the model every provider maps to). Anything
 * else must be a vendor property read from the record as the CRM returned it: `raw.<path>`,
 * e.g. `raw.properties.industry` (HubSpot) or `raw.Industry` (Salesforce); such a path is
 * checked against the record once it is read.
 */
export const SCORABLE_FIELDS: Partial<Record<ResourceType, readonly string[]>> = {
	lead: ['id', 'firstName', 'lastName', 'name', 'email', 'phone', 'company', 'title', 'status', 'source', 'ownerId', 'pipelineId', 'stageId', 'createdAt', 'updatedAt'],
	contact: ['id', 'firstName', 'lastName', 'email', 'phone', 'companyId', 'ownerId', 'timeZone', 'createdAt', 'updatedAt'],
};

export const RAW_PREFIX = 'raw.';

export interface FieldRule {
	/** Position in the list, from 1 (for messages and the breakdown). */
	index: number;
	name: string;
	field: string;
	operator: ConditionOperator;
	/** equals / notEquals / contains: the text; inList: the values. */
	values: string[];
	min?: number;
	max?: number;
	days?: number;
	weight: number;
}

export interface EventTerm {
	index: number;
	name: string;
	kind: EventKind;
	weight: number;
	halfLifeDays: number;
}

export interface Band {
	name: string;
	/** Lowest score of the band; the last band has none (everything below the others). */
	min?: number;
}

export interface ScoringModel {
	rules: FieldRule[];
	events: EventTerm[];
	/** Highest first. */
	bands: Band[];
}

/** The rule as the node (or an AI agent) passes it: anything may be missing or of the wrong type. */
export interface RuleInput {
	name?: unknown;
	field?: unknown;
	operator?: unknown;
	value?: unknown;
	min?: unknown;
	max?: unknown;
	days?: unknown;
	weight?: unknown;
}

export interface EventInput {
	name?: unknown;
	kind?: unknown;
	weight?: unknown;
	halfLifeDays?: unknown;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());
const blank = (value: unknown) => text(value) === '';

function ruleLabel(kind: 'Rule' | 'Event term', index: number, name: string): string {
	return `${kind} ${index}${name ? ` ("${name}")` : ''}`;
}

function refuse(label: string, message: string, field: string, hint?: string): never {
	throw new CrmInputError(`${label}: ${message}`, field, hint);
}

function numberOf(label: string, value: unknown, what: string, field: string): number {
	try {
		return parseNumber(value, field, { what });
	} catch (error) {
		const e = error as CrmInputError;
		return refuse(label, `${what} ${show(value)} is not a number`, field, e.hint);
	}
}

function parseRule(input: RuleInput, index: number, resource: ResourceType): FieldRule {
	const name = text(input.name);
	const label = ruleLabel('Rule', index, name);
	const field = text(input.field);
	const known = SCORABLE_FIELDS[resource] ?? [];
	if (!field) refuse(label, 'no field', 'rules', `Use one of ${known.join(', ')}, or raw.<vendor property path>.`);
	if (!known.includes(field) && !(field.startsWith(RAW_PREFIX) && field.length > RAW_PREFIX.length)) {
		refuse(label, `unknown field "${field}" for ${resource}s`, 'rules', `Use one of ${known.join(', ')}, or raw.<vendor property path> (e.g. raw.properties.industry on HubSpot, raw.Industry on Salesforce).`);
	}
	const operator = CONDITION_OPERATORS.find((o) => o.toLowerCase() === text(input.operator).toLowerCase());
	if (!operator) refuse(label, `unknown operator ${show(input.operator ?? '')}`, 'rules', `Valid operators: ${CONDITION_OPERATORS.join(', ')}.`);
	if (blank(input.weight)) refuse(label, 'no weight', 'rules', 'Use a number such as 10 or -5.');
	const weight = numberOf(label, input.weight, 'weight', 'rules');
	const rule: FieldRule = { index, name: name || `${field} ${operator}`, field, operator, values: [], weight };
	switch (operator) {
		case 'equals':
		case 'notEquals':
		case 'contains':
			if (blank(input.value) && operator === 'contains') refuse(label, '"contains" needs a value', 'rules');
			rule.values = [text(input.value)];
			break;
		case 'inList':
			rule.values = text(input.value)
				.split(/[,;\n]/)
				.map((v) => v.trim())
				.filter(Boolean);
			if (!rule.values.length) refuse(label, '"in list" needs values', 'rules', 'Separate values with commas, e.g. "Web, Referral".');
			break;
		case 'between':
			if (!blank(input.min)) rule.min = numberOf(label, input.min, 'minimum', 'rules');
			if (!blank(input.max)) rule.max = numberOf(label, input.max, 'maximum', 'rules');
			if (rule.min === undefined && rule.max === undefined) refuse(label, '"between" needs a minimum, a maximum or both', 'rules');
			if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) refuse(label, `minimum ${rule.min} is above maximum ${rule.max}`, 'rules');
			break;
		case 'withinDays': {
			const days = numberOf(label, input.days, 'days', 'rules');
			if (days <= 0) refuse(label, `days must be above 0 (got ${days})`, 'rules');
			rule.days = days;
			break;
		}
		default:
			break;
	}
	return rule;
}

function parseEvent(input: EventInput, index: number): EventTerm {
	const name = text(input.name);
	const label = ruleLabel('Event term', index, name);
	const kind = EVENT_KINDS.find((k) => k.toLowerCase() === text(input.kind || 'any').toLowerCase());
	if (!kind) refuse(label, `unknown activity kind ${show(input.kind)}`, 'events', `Valid kinds: ${EVENT_KINDS.join(', ')}.`);
	if (blank(input.weight)) refuse(label, 'no weight', 'events', 'Use a number such as 5 or -5.');
	const weight = numberOf(label, input.weight, 'weight', 'events');
	if (blank(input.halfLifeDays)) refuse(label, 'no half-life', 'events', 'Use a number of days above 0, such as 7.');
	const halfLifeDays = numberOf(label, input.halfLifeDays, 'half-life', 'events');
	if (halfLifeDays <= 0) refuse(label, `half-life must be above 0 days (got ${halfLifeDays})`, 'events', 'Use a number of days above 0, such as 7.');
	return { index, name: name || kind, kind, weight, halfLifeDays };
}

/**
 * Bands from text such as "A=60, B=30, C": a name and the lowest score of the band, highest
 * first; the last band may have no threshold (everything else). Without a catch-all band, a
 * score below every threshold gets no band (empty).
 */
export function parseBands(value: unknown): Band[] {
	const hint = 'Write bands as name=lowest score, highest first, the last one without a score: "A=60, B=30, C".';
	const parts = text(value)
		.split(/[,;\n]/)
		.map((p) => p.trim())
		.filter(Boolean);
	const bands: Band[] = parts.map((part, i) => {
		const m = /^([^=:≥]+?)\s*(?:[=:≥]|>=)\s*(.+)$/.exec(part);
		if (!m) {
			if (i !== parts.length - 1) throw new CrmInputError(`Band "${part}" has no lowest score (only the last band may omit it)`, 'bands', hint);
			return { name: part };
		}
		const min = parseNumber(m[2], 'bands', { what: `the lowest score of band "${m[1]}"` });
		return { name: m[1].trim(), min };
	});
	for (let i = 1; i < bands.length; i++) {
		const [prev, cur] = [bands[i - 1].min, bands[i].min];
		if (prev !== undefined && cur !== undefined && cur >= prev) throw new CrmInputError(`Band "${bands[i].name}" (${cur}) is not below band "${bands[i - 1].name}" (${prev})`, 'bands', hint);
	}
	if (new Set(bands.map((b) => b.name)).size !== bands.length) throw new CrmInputError('Two bands have the same name', 'bands', hint);
	return bands;
}

export function parseScoringModel(resource: ResourceType, input: { rules?: RuleInput[]; events?: EventInput[]; bands?: unknown }): ScoringModel {
	if (!SCORABLE_FIELDS[resource]) throw new CrmInputError(`Scoring works on leads and contacts, not ${resource}s`, 'resource');
	const rules = (input.rules ?? []).map((r, i) => parseRule(r ?? {}, i + 1, resource));
	const events = (input.events ?? []).map((e, i) => parseEvent(e ?? {}, i + 1));
	if (!rules.length && !events.length) throw new CrmInputError('No rules and no event terms: nothing to score', 'rules', 'Add at least one rule.');
	return { rules, events, bands: parseBands(input.bands) };
}

/**
 * The scoring time: a given instant (so decay is reproducible) or now. A date-time without a
 * zone is read as UTC, so the same text gives the same score on every n8n host.
 */
export function parseScoredAt(value: unknown, now: number): number {
	return blank(value) ? now : parseInstant(typeof value === 'string' ? value.trim() : value, 'scoredAt', { naive: 'utc' });
}
