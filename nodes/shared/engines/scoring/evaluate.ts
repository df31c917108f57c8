/**
 * Scores one record: `Σ wᵢ·[ruleᵢ matches] + Σ aⱼ·e^(−ln2·ageⱼ/half-lifeⱼ)`. Pure: the same
 * record, activities and `scoredAt` always give the same score and breakdown.
 */
import type { Activity } from '../../contract/provider';
import type { CrmRecord } from '../../model/types';
import { parseInstant, parseNumber } from '../../model/parse';
import { CrmInputError } from '../../transport/errors';
import type { Band, EventTerm, FieldRule, ScoringModel } from './model';
import { RAW_PREFIX } from './model';

export const DAY_MS = 86_400_000;

export interface RuleOutcome {
	rule: number;
	name: string;
	field: string;
	operator: string;
	/** The record's value the rule tested. */
	value: unknown;
	matched: boolean;
	points: number;
}

export interface EventOutcome {
	term: number;
	name: string;
	kind: string;
	weight: number;
	halfLifeDays: number;
	count: number;
	points: number;
	/** Each counted activity with its age at `scoredAt` and what it gave. */
	events: Array<{ kind: string; id?: string; ageDays: number; points: number }>;
}

export interface ScoreResult {
	score: number;
	band: string;
	breakdown: { rules: RuleOutcome[]; events: EventOutcome[] };
	scoredAt: string;
}

/** Two decimals for what people read; the band is taken from the rounded score. */
const round = (n: number) => Math.round(n * 100) / 100;
/** Ages and per-event points keep four decimals. */
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** `weight · e^(−ln2·age/halfLife)`, written as a power of 2 so whole half-lives are exact. */
export function decayed(weight: number, ageMs: number, halfLifeMs: number): number {
	return weight * Math.pow(2, -ageMs / halfLifeMs);
}

export function bandOf(score: number, bands: Band[]): string {
	return bands.find((b) => b.min === undefined || score >= b.min)?.name ?? '';
}

/** A rule's field on the record: a normalized field, or `raw.<path>` into the vendor record. */
export function fieldValue(record: CrmRecord, field: string): { known: boolean; value: unknown } {
	if (!field.startsWith(RAW_PREFIX)) return { known: true, value: (record as unknown as Record<string, unknown>)[field] };
	let current: unknown = record.raw;
	for (const key of field.slice(RAW_PREFIX.length).split('.')) {
		if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return { known: false, value: undefined };
		current = (current as Record<string, unknown>)[key];
	}
	return { known: true, value: current };
}

const isSet = (v: unknown) => v !== undefined && v !== null && String(v).trim() !== '' && !(Array.isArray(v) && v.length === 0);

function numberOrUndefined(v: unknown): number | undefined {
	try {
		return parseNumber(v, 'value');
	} catch {
		return undefined;
	}
}

function same(value: unknown, wanted: string): boolean {
	if (!isSet(value)) return wanted === '';
	const a = numberOrUndefined(value);
	const b = numberOrUndefined(wanted);
	if (a !== undefined && b !== undefined) return a === b;
	return String(value).trim().toLowerCase() === wanted.toLowerCase();
}

/** Does the rule hold? A value of the wrong kind (text for a number range) does not match. */
export function ruleMatches(rule: FieldRule, value: unknown, scoredAt: number): boolean {
	switch (rule.operator) {
		case 'isSet':
			return isSet(value);
		case 'isNotSet':
			return !isSet(value);
		case 'equals':
			return same(value, rule.values[0]);
		case 'notEquals':
			return !same(value, rule.values[0]);
		case 'contains':
			return isSet(value) && String(value).toLowerCase().includes(rule.values[0].toLowerCase());
		case 'inList':
			return rule.values.some((v) => same(value, v));
		case 'between': {
			const n = isSet(value) ? numberOrUndefined(value) : undefined;
			return n !== undefined && (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max);
		}
		case 'withinDays': {
			if (!isSet(value)) return false;
			let at: number;
			try {
				at = parseInstant(value, rule.field, { naive: 'utc' });
			} catch {
				return false;
			}
			return at <= scoredAt && at >= scoredAt - (rule.days as number) * DAY_MS;
		}
	}
}

function scoreEvents(term: EventTerm, activities: Activity[], scoredAt: number): EventOutcome {
	const halfLifeMs = term.halfLifeDays * DAY_MS;
	// Activities after `scoredAt` are not counted: scoring an earlier moment gives the same score later.
	const counted = activities
		.filter((a) => (term.kind === 'any' || a.kind === term.kind) && a.occurredAt <= scoredAt)
		.sort((a, b) => b.occurredAt - a.occurredAt || String(a.id ?? '').localeCompare(String(b.id ?? '')));
	let points = 0;
	const events = counted.map((a) => {
		const age = scoredAt - a.occurredAt;
		const p = decayed(term.weight, age, halfLifeMs);
		points += p;
		return { kind: a.kind, ...(a.id ? { id: a.id } : {}), ageDays: round4(age / DAY_MS), points: round4(p) };
	});
	return { term: term.index, name: term.name, kind: term.kind, weight: term.weight, halfLifeDays: term.halfLifeDays, count: counted.length, points: round4(points), events };
}

/**
 * Scores a record. `activities` is needed only when the model has event terms. A `raw.` field
 * the record does not have is an error naming the rule (an unknown vendor property, a typo).
 */
export function scoreRecord(record: CrmRecord, model: ScoringModel, scoredAt: number, activities: Activity[] = []): ScoreResult {
	let total = 0;
	const rules = model.rules.map((rule): RuleOutcome => {
		const { known, value } = fieldValue(record, rule.field);
		if (!known) {
			const top = Object.keys(record.raw ?? {}).slice(0, 15).join(', ');
			throw new CrmInputError(
				`Rule ${rule.index} ("${rule.name}"): the record has no field "${rule.field}"`,
				'rules',
				`The ${record.provider} record read has: raw.${top.split(', ').join(', raw.')}. Check the vendor property name.`,
			);
		}
		const matched = ruleMatches(rule, value, scoredAt);
		const points = matched ? rule.weight : 0;
		total += points;
		return { rule: rule.index, name: rule.name, field: rule.field, operator: rule.operator, value: value === undefined ? null : value, matched, points };
	});
	const events = model.events.map((term) => scoreEvents(term, activities, scoredAt));
	for (const e of events) total += e.points;
	const score = round(total);
	return { score, band: bandOf(score, model.bands), breakdown: { rules, events }, scoredAt: new Date(scoredAt).toISOString() };
}
