// Lead scoring with hand-checked numbers: field rules, decay at given ages, bands, bad rules.
import type { Activity, CrmProvider, ItemResult } from '../../nodes/shared/contract/provider';
import { bandOf, decayed, parseBands, parseScoredAt, parseScoringModel, scoreRecord, scoreRecords } from '../../nodes/shared/engines/scoring';
import type { Lead, RecordUpdate } from '../../nodes/shared/model/types';
import { CrmCapabilityError } from '../../nodes/shared/transport/errors';
import { inputErrorOf } from './expectError';

const DAY = 86_400_000;
const SCORED_AT = Date.UTC(2026, 11, 1); // 2026-12-01T00:00:00Z
const ago = (days: number) => SCORED_AT - days * DAY;

const lead: Lead = {
	id: 'L1',
	provider: 'test',
	leadModel: 'lead',
	title: 'VP Sales',
	source: 'Referral',
	company: 'Acme',
	createdAt: '2026-11-20T00:00:00Z', // 11 days before SCORED_AT
	raw: { properties: { numemployees: '250', industry: null } },
};

const RULES = [
	{ name: 'Senior title', field: 'title', operator: 'contains', value: 'vp', weight: 25 },
	{ name: 'Good source', field: 'source', operator: 'inList', value: 'Web, Referral', weight: '15' },
	{ name: 'No company', field: 'company', operator: 'isNotSet', weight: -10 },
	{ name: 'Mid-size', field: 'raw.properties.numemployees', operator: 'between', min: 100, max: 1000, weight: 10 },
	{ name: 'Created this week', field: 'createdAt', operator: 'withinDays', days: 7, weight: 8 },
	{ name: 'Created in 2 weeks', field: 'createdAt', operator: 'withinDays', days: 14, weight: 5 },
	{ name: 'Industry set', field: 'raw.properties.industry', operator: 'isSet', weight: 3 },
];

describe('decay', () => {
	test('half-life 7 days: age 0 → full weight, 7 days → half, 14 days → a quarter, 3.5 days → 1/√2', () => {
		expect(decayed(20, 0, 7 * DAY)).toBe(20);
		expect(decayed(20, 7 * DAY, 7 * DAY)).toBe(10);
		expect(decayed(20, 14 * DAY, 7 * DAY)).toBe(5);
		expect(decayed(20, 3.5 * DAY, 7 * DAY)).toBeCloseTo(14.1421, 4);
		// The same as e^(−ln2·age/half-life).
		expect(decayed(20, 3 * DAY, 7 * DAY)).toBeCloseTo(20 * Math.exp((-Math.LN2 * 3) / 7), 12);
		// Negative weights fade the same way.
		expect(decayed(-8, 14 * DAY, 7 * DAY)).toBe(-2);
	});
});

describe('field rules', () => {
	test('each rule gives its weight when it holds, 0 otherwise; the sum is the score', () => {
		const model = parseScoringModel('lead', { rules: RULES, bands: 'A=60, B=30, C' });
		const result = scoreRecord(lead, model, SCORED_AT);
		expect(result.breakdown.rules.map((r) => [r.rule, r.name, r.matched, r.points])).toEqual([
			[1, 'Senior title', true, 25],
			[2, 'Good source', true, 15],
			[3, 'No company', false, 0],
			[4, 'Mid-size', true, 10],
			[5, 'Created this week', false, 0],
			[6, 'Created in 2 weeks', true, 5],
			[7, 'Industry set', false, 0],
		]);
		// 25 + 15 + 10 + 5 = 55 → B (A needs 60)
		expect(result.score).toBe(55);
		expect(result.band).toBe('B');
		expect(result.scoredAt).toBe('2026-12-01T00:00:00.000Z');
	});

	test('operators: equals (case, numbers), notEquals, inList, between bounds, isSet on empty text', () => {
		const rec: Lead = { ...lead, status: 'New', phone: '', raw: { n: '1,250', t: 'x' } };
		const model = parseScoringModel('lead', {
			rules: [
				{ field: 'status', operator: 'equals', value: 'new', weight: 1 },
				{ field: 'raw.n', operator: 'equals', value: '1250', weight: 2 },
				{ field: 'status', operator: 'notEquals', value: 'Junk', weight: 4 },
				{ field: 'raw.n', operator: 'between', min: 1250, weight: 8 },
				{ field: 'raw.n', operator: 'between', max: 1249.99, weight: 16 },
				{ field: 'raw.t', operator: 'between', min: 0, weight: 32 },
				{ field: 'phone', operator: 'isSet', weight: 64 },
				{ field: 'email', operator: 'isNotSet', weight: 128 },
			],
		});
		// 1 + 2 + 4 + 8 (+0 +0 +0) + 128 = 143
		expect(scoreRecord(rec, model, SCORED_AT).score).toBe(143);
		expect(scoreRecord(rec, model, SCORED_AT).band).toBe('');
	});

	test('a date rule counts only dates in the window before scoredAt (a future date does not)', () => {
		const model = parseScoringModel('lead', { rules: [{ field: 'createdAt', operator: 'withinDays', days: 30, weight: 1 }] });
		expect(scoreRecord({ ...lead, createdAt: new Date(ago(30)).toISOString() }, model, SCORED_AT).score).toBe(1);
		expect(scoreRecord({ ...lead, createdAt: new Date(ago(30.01)).toISOString() }, model, SCORED_AT).score).toBe(0);
		expect(scoreRecord({ ...lead, createdAt: new Date(ago(-1)).toISOString() }, model, SCORED_AT).score).toBe(0);
	});
});

describe('event terms', () => {
	const activities: Activity[] = [
		{ kind: 'email', occurredAt: ago(7), id: 'e1' },
		{ kind: 'email', occurredAt: ago(14), id: 'e2' },
		{ kind: 'meeting', occurredAt: ago(2), id: 'm1' },
		{ kind: 'note', occurredAt: ago(0), id: 'n1' },
		{ kind: 'email', occurredAt: ago(-1), id: 'future' },
	];

	test('Σ a·e^(−ln2·age/half-life) per term, with the ages in the breakdown; later activities do not count', () => {
		const model = parseScoringModel('lead', {
			rules: RULES,
			events: [
				{ name: 'Emails', kind: 'email', weight: 20, halfLifeDays: 7 },
				{ name: 'Meetings', kind: 'meeting', weight: 8, halfLifeDays: 2 },
				{ name: 'Anything', kind: 'any', weight: -1, halfLifeDays: 1 },
			],
			bands: 'A=60, B=30, C',
		});
		const result = scoreRecord(lead, model, SCORED_AT, activities);
		const [emails, meetings, any] = result.breakdown.events;
		// emails: 20·2^−1 + 20·2^−2 = 10 + 5
		expect(emails).toMatchObject({ term: 1, count: 2, points: 15 });
		expect(emails.events).toEqual([
			{ kind: 'email', id: 'e1', ageDays: 7, points: 10 },
			{ kind: 'email', id: 'e2', ageDays: 14, points: 5 },
		]);
		// meeting: 8·2^−1 = 4
		expect(meetings).toMatchObject({ count: 1, points: 4 });
		// any, half-life 1 day: −1·(2^0 + 2^−2 + 2^−7 + 2^−14) = −(1 + 0.25 + 0.0078125 + 0.000061…) = −1.2579
		expect(any).toMatchObject({ count: 4, points: -1.2579 });
		// 55 (rules) + 15 + 4 − 1.2579 = 72.7421 → 72.74 → A
		expect(result.score).toBe(72.74);
		expect(result.band).toBe('A');
	});

	test('deterministic: the same record, activities and scoredAt give the same result in any activity order', () => {
		const model = parseScoringModel('lead', { events: [{ kind: 'any', weight: 3, halfLifeDays: 5 }] });
		const a = scoreRecord(lead, model, SCORED_AT, activities);
		const b = scoreRecord(lead, model, SCORED_AT, [...activities].reverse());
		expect(b).toEqual(a);
		expect(scoreRecord(lead, model, SCORED_AT + DAY, activities).score).not.toBe(a.score);
	});
});

describe('bands', () => {
	test('thresholds, highest first; the last band takes everything below', () => {
		const bands = parseBands('A=60, B=30, C');
		expect(bands).toEqual([{ name: 'A', min: 60 }, { name: 'B', min: 30 }, { name: 'C' }]);
		expect([60, 59.99, 30, 29.99, -5].map((s) => bandOf(s, bands))).toEqual(['A', 'B', 'B', 'C', 'C']);
		expect(parseBands('Hot >= 50; Warm: 20; Cold')).toEqual([{ name: 'Hot', min: 50 }, { name: 'Warm', min: 20 }, { name: 'Cold' }]);
		expect(bandOf(10, parseBands('A=60, B=30'))).toBe('');
	});

	test('bad bands are refused', () => {
		expect(inputErrorOf(() => parseBands('A, B=30')).message).toContain('Band "A" has no lowest score');
		expect(inputErrorOf(() => parseBands('A=30, B=60, C')).message).toBe('Band "B" (60) is not below band "A" (30)');
		expect(inputErrorOf(() => parseBands('A=x, C')).message).toContain('"x"');
	});
});

describe('bad rules fail before anything is read or written, naming the rule', () => {
	const good = { name: 'ok', field: 'title', operator: 'isSet', weight: 1 };
	test.each([
		[{ name: 'Industry', field: 'industry', operator: 'equals', value: 'x', weight: 1 }, 'Rule 2 ("Industry"): unknown field "industry" for leads', 'Use one of id, firstName'],
		[{ name: 'Weight', field: 'title', operator: 'isSet', weight: 'abc' }, 'Rule 2 ("Weight"): weight "abc" is not a number', 'Use a number'],
		[{ name: 'No weight', field: 'title', operator: 'isSet' }, 'Rule 2 ("No weight"): no weight', 'Use a number'],
		[{ name: 'Op', field: 'title', operator: 'startsWith', value: 'V', weight: 1 }, 'Rule 2 ("Op"): unknown operator "startsWith"', 'Valid operators: equals, notEquals, contains, inList, between, isSet, isNotSet, withinDays.'],
		[{ field: 'createdAt', operator: 'withinDays', days: 0, weight: 1 }, 'Rule 2: days must be above 0 (got 0)', undefined],
		[{ field: 'raw.n', operator: 'between', min: 5, max: 1, weight: 1 }, 'Rule 2: minimum 5 is above maximum 1', undefined],
	])('%j', (bad, message, hint) => {
		const error = inputErrorOf(() => parseScoringModel('lead', { rules: [good, bad] }));
		expect(error.message).toBe(message);
		if (hint) expect(error.hint).toContain(hint);
		expect(error.field).toBe('rules');
	});

	test.each([
		[{ name: 'Emails', kind: 'email', weight: 5, halfLifeDays: 0 }, 'Event term 1 ("Emails"): half-life must be above 0 days (got 0)'],
		[{ name: 'Emails', kind: 'email', weight: 5, halfLifeDays: -3 }, 'Event term 1 ("Emails"): half-life must be above 0 days (got -3)'],
		[{ name: 'Emails', kind: 'email', weight: 5, halfLifeDays: 'week' }, 'Event term 1 ("Emails"): half-life "week" is not a number'],
		[{ name: 'Emails', kind: 'email', weight: '5x', halfLifeDays: 7 }, 'Event term 1 ("Emails"): weight "5x" is not a number'],
		[{ name: 'Tweets', kind: 'tweet', weight: 5, halfLifeDays: 7 }, 'Event term 1 ("Tweets"): unknown activity kind "tweet"'],
	])('event %j', (bad, message) => {
		const error = inputErrorOf(() => parseScoringModel('contact', { events: [bad] }));
		expect(error.message).toBe(message);
		expect(error.field).toBe('events');
	});

	test('contact fields differ from lead fields; deals are not scored; an empty model is refused', () => {
		expect(inputErrorOf(() => parseScoringModel('contact', { rules: [{ field: 'company', operator: 'isSet', weight: 1 }] })).message).toBe(
			'Rule 1: unknown field "company" for contacts',
		);
		expect(inputErrorOf(() => parseScoringModel('deal', { rules: [good] })).message).toBe('Scoring works on leads and contacts, not deals');
		expect(inputErrorOf(() => parseScoringModel('lead', {})).message).toContain('nothing to score');
	});

	test('a raw. field the record does not have names the rule and lists what the record has', () => {
		const model = parseScoringModel('lead', { rules: [good, { name: 'Typo', field: 'raw.properties.numemployes', operator: 'isSet', weight: 1 }] });
		const error = inputErrorOf(() => scoreRecord(lead, model, SCORED_AT));
		expect(error.message).toBe('Rule 2 ("Typo"): the record has no field "raw.properties.numemployes"');
		expect(error.hint).toContain('raw.properties');
	});

	test('scoredAt: a date is read strictly, empty means now', () => {
		expect(parseScoredAt('2026-12-01T00:00:00Z', 5)).toBe(SCORED_AT);
		expect(parseScoredAt('', 5)).toBe(5);
		// No zone: UTC, whatever the host's zone.
		expect(parseScoredAt('2026-12-01T00:00:00', 5)).toBe(SCORED_AT);
		expect(inputErrorOf(() => parseScoredAt('yesterday', 5)).field).toBe('scoredAt');
	});
});

describe('the engine over a provider', () => {
	/** A provider holding records in memory: enough of the contract for scoring. */
	function memoryProvider(withActivities: boolean) {
		const calls: string[] = [];
		const records = new Map<string, Lead>([
			['L1', lead],
			['L2', { ...lead, id: 'L2', title: 'Intern', source: 'Cold call' }],
		]);
		const updates: RecordUpdate[] = [];
		const provider = {
			id: 'memory',
			displayName: 'Memory CRM',
			capabilities: { records: { lead: ['get', 'update'] } },
			async getRecords(_: string, ids: string[]): Promise<Array<ItemResult<Lead>>> {
				calls.push(`get ${ids.join(',')}`);
				return ids.map((id) => (records.has(id) ? { ok: true, value: records.get(id)! } : { ok: false, error: new Error(`no lead ${id}`) }));
			},
			async updateRecords(_: string, list: RecordUpdate[]) {
				calls.push(`update ${list.map((u) => u.id).join(',')}`);
				updates.push(...list);
				return list.map((u) => ({ ok: true, value: { ...records.get(u.id)!, raw: { ...u.customProperties } } }));
			},
			async listUsers() {
				return [];
			},
			...(withActivities
				? {
						async listActivities(_: string, ids: string[], since: number) {
							calls.push(`activities ${ids.join(',')} since ${new Date(since).toISOString()}`);
							return ids.map((id) => ({ ok: true, value: id === 'L1' ? [{ kind: 'email', occurredAt: ago(7) }, { kind: 'email', occurredAt: ago(400) }] : [] }));
						},
					}
				: {}),
		};
		return { provider: provider as unknown as CrmProvider, calls, updates };
	}
	const model = parseScoringModel('lead', {
		rules: [{ field: 'title', operator: 'contains', value: 'VP', weight: 50 }],
		events: [{ kind: 'email', weight: 20, halfLifeDays: 7 }],
		bands: 'A=60, B=30, C',
	});
	const request = (id: string) => ({ id, model, scoredAt: SCORED_AT, lookbackDays: 365 });

	test('one read, one activity call, one batched write-back of score and band', async () => {
		const { provider, calls, updates } = memoryProvider(true);
		const results = await scoreRecords(provider, 'lead', [request('L1'), request('L2')], { scoreField: 'lead_score', bandField: 'lead_band' }, { stopOnInvalid: true });
		expect(calls).toEqual(['get L1,L2', 'activities L1,L2 since 2025-12-01T00:00:00.000Z', 'update L1,L2']);
		// L1: 50 + 20·2^−1 = 60 → A (the 400-day-old email is outside the 365-day window); L2: 0 → C
		expect(results.map((r) => r.ok && [r.value.score, r.value.band, r.value.written])).toEqual([
			[60, 'A', ['lead_score', 'lead_band']],
			[0, 'C', ['lead_score', 'lead_band']],
		]);
		expect(updates.map((u) => u.customProperties)).toEqual([{ lead_score: 60, lead_band: 'A' }, { lead_score: 0, lead_band: 'C' }]);
	});

	test('an unknown record fails its item; with stopOnInvalid nothing is written', async () => {
		const { provider, calls } = memoryProvider(true);
		await expect(scoreRecords(provider, 'lead', [request('L1'), request('nope')], { scoreField: 's' }, { stopOnInvalid: true })).rejects.toMatchObject({ itemIndex: 1 });
		expect(calls.some((c) => c.startsWith('update'))).toBe(false);
		const { provider: p2, calls: c2 } = memoryProvider(true);
		const results = await scoreRecords(p2, 'lead', [request('L1'), request('nope')], { scoreField: 's' }, { stopOnInvalid: false });
		expect(results.map((r) => r.ok)).toEqual([true, false]);
		expect(c2).toContain('update L1');
	});

	test('event terms on a provider without activities: a capability error, before any read', async () => {
		const { provider, calls } = memoryProvider(false);
		await expect(scoreRecords(provider, 'lead', [request('L1')], {}, { stopOnInvalid: true })).rejects.toBeInstanceOf(CrmCapabilityError);
		expect(calls).toEqual([]);
	});
});
