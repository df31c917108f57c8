import type { CrmRecord, RecordInput, RecordUpdate, ResourceType, SearchQuery, User } from '../../nodes/shared/model/types';
import type { CrmProvider, ItemResult } from '../../nodes/shared/contract/provider';
import {
	UserDirectory,
	Rotation,
	assignUsers,
	nextTurn,
	readPath,
	rotationWindow,
	ruleMatches,
	settleTurns,
	takeTurns,
	withAssignedUsers,
} from '../../nodes/shared/engines/assignment';
import type { AssignmentRule, AssignmentStrategy } from '../../nodes/shared/engines/assignment';
import { assignTasks } from '../../nodes/shared/engines/tasks';
import { CrmInputError } from '../../nodes/shared/transport/errors';
import { asyncInputErrorOf } from './expectError';

const user = (id: string, name: string, email: string, active = true): User => ({
	id,
	provider: 'fake',
	name,
	email,
	active,
	raw: {},
});

const ada = user('u1', 'Ada Lovelace', 'ada@example.com');
const bob = user('u2', 'Bob Builder', 'Bob@Example.com');
const cy = user('u3', 'Cy Young', 'cy@example.com');
const dee = user('u4', 'Dee Parted', 'dee@example.com', false);
const ALL_USERS = [ada, bob, cy, dee];

/**
 * A provider with only what assignment uses; it records every call. Its tasks live in memory and
 * its search does what round-robin asks of a CRM: owner in a list, newest first, a limit.
 */
function fakeProvider(users: User[] = ALL_USERS, loads: Record<string, number> = {}) {
	const calls = { listUsers: 0, countOpenRecords: [] as Array<[ResourceType, string]>, searches: [] as SearchQuery[], updates: 0 };
	const tasks: Array<{ id: string; ownerId: string; createdAt: string }> = [];
	let clock = Date.parse('2026-01-05T09:00:00Z');
	const toRecord = (t: (typeof tasks)[number]) => ({ ...t, provider: 'fake', raw: {} }) as unknown as CrmRecord;
	const provider = {
		displayName: 'FakeCRM',
		capabilities: { records: { task: ['create', 'update', 'search'] } },
		async listUsers() {
			calls.listUsers++;
			return users;
		},
		async countOpenRecords(resource: ResourceType, ownerId: string) {
			calls.countOpenRecords.push([resource, ownerId]);
			return loads[ownerId] ?? 0;
		},
		async *searchRecords(resource: ResourceType, query: SearchQuery) {
			calls.searches.push(query);
			const owners = (query.filters.find((f) => f.field === 'ownerId' && f.operator === 'in')?.value ?? []) as string[];
			const found = tasks.filter((t) => owners.includes(t.ownerId)).reverse();
			yield found.slice(0, query.limit).map(toRecord);
		},
		async createRecords(resource: ResourceType, inputs: RecordInput[]) {
			await Promise.resolve();
			return inputs.map((input) => {
				const task = { id: String(tasks.length + 1), ownerId: String(input.fields.ownerId), createdAt: new Date((clock += 1000)).toISOString() };
				tasks.push(task);
				return { ok: true as const, value: toRecord(task) };
			});
		},
		async updateRecords(resource: ResourceType, updates: RecordUpdate[]) {
			calls.updates++;
			return updates.map((u) => {
				const task = tasks.find((t) => t.id === u.id)!;
				task.ownerId = String(u.fields.ownerId);
				return { ok: true as const, value: toRecord(task) };
			});
		},
	};
	/** Tasks given to these owners before the test, oldest first. */
	const history = (...owners: string[]) => owners.forEach((ownerId) => tasks.push({ id: String(tasks.length + 1), ownerId, createdAt: new Date((clock += 1000)).toISOString() }));
	return { provider: provider as unknown as CrmProvider, calls, tasks, history };
}

const tasksOf = (provider: CrmProvider) => new Rotation(provider, { resource: 'task', order: 'createdAt' });

async function run(strategy: AssignmentStrategy, items: unknown[], options: { provider?: CrmProvider } = {}) {
	const provider = options.provider ?? fakeProvider().provider;
	return assignUsers(provider, new UserDirectory(provider), strategy, items, tasksOf(provider));
}

/** The chosen user ids, or the error message for failed items. */
const picks = (results: Array<ItemResult<User>>) => results.map((r) => (r.ok ? r.value.id : `error: ${r.error.message}`));

describe('readPath', () => {
	const item = { company: 'Acme', record: { owner: { email: 'a@b.c' }, amount: 0 }, list: ['x', 'y'] };

	test('reads top-level and dotted paths', () => {
		expect(readPath(item, 'company')).toBe('Acme');
		expect(readPath(item, 'record.owner.email')).toBe('a@b.c');
		expect(readPath(item, 'record.amount')).toBe(0);
		expect(readPath(item, 'list.1')).toBe('y');
	});

	test('missing parts and non-objects give undefined', () => {
		expect(readPath(item, 'record.missing.deep')).toBeUndefined();
		expect(readPath(item, 'company.length.x')).toBeUndefined();
		expect(readPath(null, 'a')).toBeUndefined();
		expect(readPath('text', 'a')).toBeUndefined();
	});

	test('empty segments are ignored, and an empty path is the item itself', () => {
		expect(readPath(item, '.record..amount.')).toBe(0);
		expect(readPath(item, '')).toBe(item);
	});
});

describe('ruleMatches', () => {
	const rule = (operator: AssignmentRule['operator'], value: string | undefined, field = 'value'): AssignmentRule => ({
		field,
		operator,
		value,
		user: 'u1',
	});
	const item = (value: unknown) => ({ value });

	test.each<[AssignmentRule['operator'], string | undefined, unknown, boolean]>([
		['equals', 'Acme', 'acme', true],
		['equals', 'Acme', 'Acme Inc', false],
		['equals', '', undefined, true],
		['equals', '5', 5, true],
		['notEquals', 'Acme', 'ACME', false],
		['notEquals', 'Acme', 'Globex', true],
		['contains', 'CORP', 'Mega corp ltd', true],
		['contains', 'corp', 'Acme', false],
		['startsWith', 'de', 'DE-Berlin', true],
		['startsWith', 'de', 'Berlin-DE', false],
		['greaterThan', '1000', '1500', true],
		['greaterThan', '1000', 1000, false],
		['greaterThan', '1000', 'lots', false],
		['greaterThan', '-5', undefined, false],
		['greaterThan', '-5', null, false],
		['lessThan', '10', '9.5', true],
		['lessThan', '10', 10, false],
		['lessThan', '10', undefined, false],
		['lessThan', '10', '', false],
		['isEmpty', undefined, '', true],
		['isEmpty', undefined, null, true],
		['isEmpty', undefined, undefined, true],
		['isEmpty', undefined, 0, false],
		['isNotEmpty', undefined, 'x', true],
		['isNotEmpty', undefined, false, true],
		['isNotEmpty', undefined, '', false],
	])('%s %p against %p → %p', (operator, value, actual, expected) => {
		expect(ruleMatches(rule(operator, value), item(actual))).toBe(expected);
	});

	test('a missing value compares against the empty string', () => {
		expect(ruleMatches(rule('equals', undefined), item(''))).toBe(true);
		expect(ruleMatches(rule('contains', undefined), item('anything'))).toBe(true);
	});

	test('reads the field by dot path', () => {
		const r = rule('equals', 'DE', 'record.address.country');
		expect(ruleMatches(r, { record: { address: { country: 'de' } } })).toBe(true);
		expect(ruleMatches(r, { record: { address: { country: 'fr' } } })).toBe(false);
		expect(ruleMatches(r, { record: {} })).toBe(false);
	});
});

describe('UserDirectory', () => {
	test('lists users once and reuses the list', async () => {
		const { provider, calls } = fakeProvider();
		const directory = new UserDirectory(provider);
		await directory.resolve('u1', 'user');
		await directory.resolve('bob@example.com', 'user');
		await directory.resolveAll(['u3', 'u1'], 'users');
		expect(calls.listUsers).toBe(1);
	});

	test('resolveAll trims, skips blanks and keeps order', async () => {
		const directory = new UserDirectory(fakeProvider().provider);
		expect((await directory.resolveAll([' u3 ', '', 'ada@example.com', '  '], 'users')).map((u) => u.id)).toEqual(['u3', 'u1']);
	});

	test('resolveAll with no users is an error on the field', async () => {
		const directory = new UserDirectory(fakeProvider().provider);
		expect(await asyncInputErrorOf(directory.resolveAll([' ', ''], 'users'))).toEqual({
			message: 'No users to choose from',
			field: 'users',
			hint: 'Add at least one user.',
		});
	});

	test('the hint marks a longer list with "…"', async () => {
		const many = Array.from({ length: 21 }, (_, i) => user(`m${i}`, `M ${i}`, `m${i}@example.com`));
		const directory = new UserDirectory(fakeProvider(many).provider);
		const { hint } = await asyncInputErrorOf(directory.resolve('nobody', 'user'));
		expect(hint).toBe(
			`Use a user id, email or name. Active users include: ${many
				.slice(0, 20)
				.map((u) => u.email)
				.join(', ')}, ….`,
		);
	});
});

describe('assignUsers: specific', () => {
	test.each([
		['by id', 'u2'],
		['by email, case-insensitive', 'BOB@example.COM'],
		['by full name, case-insensitive', 'bob builder'],
		['with surrounding whitespace', '  u2  '],
	])('finds the user %s and gives every item that user', async (_label, reference) => {
		const results = await run({ type: 'specific', user: reference }, [{}, {}, {}]);
		expect(picks(results)).toEqual(['u2', 'u2', 'u2']);
		expect(results[0]).toEqual({ ok: true, value: bob });
	});

	test('an unknown user fails the whole call, listing only active users by email', async () => {
		expect(await asyncInputErrorOf(run({ type: 'specific', user: 'zed@example.com' }, [{}]))).toEqual({
			message: 'Unknown user "zed@example.com" in FakeCRM',
			field: 'user',
			hint: 'Use a user id, email or name. Active users include: ada@example.com, Bob@Example.com, cy@example.com.',
		});
	});

	test('a user without an email is listed by name; no users says "none found"', async () => {
		const noEmail = user('u9', 'Nameless Nina', '');
		const one = fakeProvider([noEmail]).provider;
		expect((await asyncInputErrorOf(run({ type: 'specific', user: 'x' }, [{}], { provider: one }))).hint).toBe(
			'Use a user id, email or name. Active users include: Nameless Nina.',
		);
		const none = fakeProvider([]).provider;
		expect((await asyncInputErrorOf(run({ type: 'specific', user: 'x' }, [{}], { provider: none }))).hint).toBe(
			'Use a user id, email or name. Active users include: none found.',
		);
	});

	test('a deactivated user is refused', async () => {
		expect(await asyncInputErrorOf(run({ type: 'specific', user: 'dee@example.com' }, [{}]))).toEqual({
			message: 'User "dee@example.com" is deactivated in FakeCRM',
			field: 'user',
			hint: undefined,
		});
	});
});

describe('nextTurn / takeTurns: whose turn it is, from the CRM\'s history', () => {
	const users = [ada, bob, cy];

	test('an empty history starts with the first user in list order', () => {
		expect(takeTurns(users, [], 4).map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u1']);
	});

	test('a clean rotation continues exactly after its last turn, wherever it stopped', () => {
		expect(nextTurn(users, ['u1', 'u2', 'u3', 'u1']).id).toBe('u2');
		expect(nextTurn(users, ['u1', 'u2', 'u3', 'u1', 'u2']).id).toBe('u3');
		expect(nextTurn(users, ['u1', 'u2', 'u3']).id).toBe('u1');
		// Rotation order is what the history shows, not the list order.
		expect(nextTurn(users, ['u3', 'u1', 'u2', 'u3']).id).toBe('u1');
	});

	test('users never served come first, in list order', () => {
		expect(nextTurn(users, ['u2']).id).toBe('u1');
		expect(nextTurn([cy, bob, ada], ['u2']).id).toBe('u3');
	});

	test('an uneven history (concurrent runs, records given by hand) evens out before rotating on', () => {
		expect(takeTurns(users, ['u1', 'u1', 'u1', 'u2'], 6).map((u) => u.id)).toEqual(['u3', 'u2', 'u3', 'u2', 'u3', 'u1']);
	});

	test('only the last window of turns counts', () => {
		const old = Array<string>(rotationWindow(3)).fill('u1');
		expect(rotationWindow(3)).toBe(99);
		expect(rotationWindow(4)).toBe(100);
		expect(rotationWindow(7)).toBe(98);
		// 99 turns of u1 then one of u2 each: inside the window u1 dominates, so u3 then u2 are due.
		expect(nextTurn(users, [...old, 'u2']).id).toBe('u3');
		// Records of people outside the rotation do not count.
		expect(nextTurn(users, ['zz', 'zz', 'u1']).id).toBe('u2');
	});
});

describe('settleTurns: concurrent executions that read the same history', () => {
	const users = [ada, bob, cy];
	const turn = (id: string, ownerId: string) => ({ id, ownerId, at: `2026-01-05T09:00:0${id}Z` });

	const none = new Set<string>();

	test('the first writer keeps its pick, the later ones move to the turn due at their place', () => {
		// Three read an empty history and picked u1; tasks 1, 2, 3 were written in that order.
		const after = [turn('1', 'u1'), turn('2', 'u1'), turn('3', 'u1')];
		expect(settleTurns(users, after, [turn('1', 'u1')], none)).toEqual(new Map());
		expect(settleTurns(users, after, [turn('2', 'u1')], none)).toEqual(new Map([['2', bob]]));
		// Task 2 is judged at its due owner (u2), not at the u1 it still has: 3 is due to u3.
		expect(settleTurns(users, after, [turn('3', 'u1')], none)).toEqual(new Map([['3', cy]]));
	});

	test('turns read before writing stand as they are, even when uneven', () => {
		const after = [turn('1', 'u1'), turn('2', 'u1'), turn('3', 'u1')];
		expect(settleTurns(users, after, [turn('3', 'u1')], new Set(['1', '2']))).toEqual(new Map([['3', bob]]));
	});

	test('several records of one execution are settled in order, each after the one before', () => {
		const after = [turn('1', 'u1'), turn('2', 'u1'), turn('3', 'u2'), turn('4', 'u3')];
		// 1 stands (read before); 2 → u2; 3 (someone else's) → u3; 4 → u1.
		expect([...settleTurns(users, after, [turn('2', 'u1'), turn('4', 'u3')], new Set(['1']))!]).toEqual([
			['2', bob],
			['4', ada],
		]);
	});

	test('a record of ours the CRM does not show yet leaves everything as it is', () => {
		expect(settleTurns(users, [turn('1', 'u1')], [turn('2', 'u1')], none)).toBeUndefined();
	});
});

describe('assignUsers: roundRobin', () => {
	const strategy: AssignmentStrategy = { type: 'roundRobin', users: ['u1', 'bob@example.com', 'Cy Young'] };

	test('rotates through the users within one call, from one search of the CRM', async () => {
		const { provider, calls } = fakeProvider();
		expect(picks(await run(strategy, [1, 2, 3, 4, 5], { provider }))).toEqual(['u1', 'u2', 'u3', 'u1', 'u2']);
		expect(calls.searches).toEqual([
			{ filters: [{ field: 'ownerId', operator: 'in', value: ['u1', 'u2', 'u3'] }], sort: { field: 'createdAt', direction: 'desc' }, limit: 99 },
		]);
	});

	test('the rotation continues from the tasks the CRM already has', async () => {
		const { provider, history } = fakeProvider();
		history('u1', 'u2');
		expect(picks(await run(strategy, [1, 2], { provider }))).toEqual(['u3', 'u1']);
	});

	test('no items asks the CRM nothing', async () => {
		const { provider, calls } = fakeProvider();
		expect(await run(strategy, [], { provider })).toEqual([]);
		expect(calls.searches).toEqual([]);
	});

	test('an unknown user in the list fails the call on the users field', async () => {
		const error = await asyncInputErrorOf(run({ type: 'roundRobin', users: ['u1', 'ghost'] }, [1]));
		expect(error.message).toBe('Unknown user "ghost" in FakeCRM');
		expect(error.field).toBe('users');
	});
});

describe('assignTasks with round-robin: no state in n8n, the CRM is the rotation', () => {
	const strategy: AssignmentStrategy = { type: 'roundRobin', users: ['u1', 'u2', 'u3'] };
	const context = { strategy, timeZone: 'UTC', calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] } };
	const request = (n: number) => ({ subject: `Call ${n}`, due: '2026-01-06', related: [{ type: 'lead' as const, id: `L${n}` }], item: {} });
	const owners = (tasks: Array<{ ownerId: string }>) => tasks.map((t) => t.ownerId);

	test('executions one after another rotate exactly, each with two searches and no correction', async () => {
		const { provider, tasks, calls } = fakeProvider();
		for (let n = 0; n < 7; n++) await assignTasks(provider, [request(n)], context, { stopOnInvalid: true });
		expect(owners(tasks)).toEqual(['u1', 'u2', 'u3', 'u1', 'u2', 'u3', 'u1']);
		expect(calls.searches).toHaveLength(14);
		expect(calls.updates).toBe(0);
	});

	test('executions at the same time all read the same history, and still end up in rotation', async () => {
		const { provider, tasks, calls } = fakeProvider();
		const results = await Promise.all([0, 1, 2, 3, 4].map((n) => assignTasks(provider, [request(n)], context, { stopOnInvalid: true })));
		// Everyone first picked u1; the later writers moved their task to the owner due at its place.
		expect(owners(tasks)).toEqual(['u1', 'u2', 'u3', 'u1', 'u2']);
		// Tasks 2, 3 and 5 moved; task 4 was due to u1, its first pick.
		expect(calls.updates).toBe(3);
		// The output reports the owner the task ended with.
		expect(results.map((r) => (r[0].ok ? r[0].value.assignedTo.id : 'error'))).toEqual(['u1', 'u2', 'u3', 'u1', 'u2']);
	});

	test('one execution with many items rotates exactly, continuing the history', async () => {
		const { provider, tasks, history } = fakeProvider();
		history('u3', 'u1');
		await assignTasks(provider, [0, 1, 2, 3, 4].map(request), context, { stopOnInvalid: true });
		expect(owners(tasks).slice(2)).toEqual(['u2', 'u3', 'u1', 'u2', 'u3']);
	});
});

describe('assignUsers: leastLoaded', () => {
	test('counts open records per user with the chosen resource, once per user', async () => {
		const { provider, calls } = fakeProvider(ALL_USERS, { u1: 3, u2: 1, u3: 2 });
		const results = await run({ type: 'leastLoaded', users: ['u1', 'u2', 'u3'], countResource: 'deal' }, [1], { provider });
		expect(picks(results)).toEqual(['u2']);
		expect(calls.countOpenRecords).toEqual([
			['deal', 'u1'],
			['deal', 'u2'],
			['deal', 'u3'],
		]);
	});

	test('within one call each pick adds to that user\'s load; ties go to list order', async () => {
		// Loads a:0, b:2, c:2 → a(0→1), a(1→2), a (tie at 2, first in list, →3), b (2→3), c (2→3).
		const { provider } = fakeProvider(ALL_USERS, { u1: 0, u2: 2, u3: 2 });
		const results = await run({ type: 'leastLoaded', users: ['u1', 'u2', 'u3'], countResource: 'task' }, [1, 2, 3, 4, 5], {
			provider,
		});
		expect(picks(results)).toEqual(['u1', 'u1', 'u1', 'u2', 'u3']);
	});

	test('list order, not id order, breaks ties', async () => {
		const { provider } = fakeProvider(ALL_USERS, { u1: 1, u2: 1, u3: 1 });
		const results = await run({ type: 'leastLoaded', users: ['u3', 'u1', 'u2'], countResource: 'task' }, [1, 2, 3, 4], {
			provider,
		});
		expect(picks(results)).toEqual(['u3', 'u1', 'u2', 'u3']);
	});
});

describe('assignUsers: rules', () => {
	const rules: AssignmentRule[] = [
		{ field: 'country', operator: 'equals', value: 'DE', user: 'ada@example.com' },
		{ field: 'deal.amount', operator: 'greaterThan', value: '10000', user: 'Bob Builder' },
		{ field: 'country', operator: 'startsWith', value: 'D', user: 'u3' },
	];

	test('the first matching rule wins', async () => {
		const items = [
			{ country: 'de', deal: { amount: 50000 } }, // rules 1, 2 and 3 match → rule 1
			{ country: 'FR', deal: { amount: 50000 } }, // rule 2
			{ country: 'DK', deal: { amount: 10 } }, // rule 3
		];
		expect(picks(await run({ type: 'rules', rules, fallbackUser: 'u3' }, items))).toEqual(['u1', 'u2', 'u3']);
	});

	test('items no rule matches go to the fallback user', async () => {
		expect(picks(await run({ type: 'rules', rules, fallbackUser: 'cy@example.com' }, [{ country: 'US' }, {}]))).toEqual([
			'u3',
			'u3',
		]);
	});

	test('no match and no fallback fails only that item, listing the rules checked', async () => {
		const results = await run({ type: 'rules', rules }, [{ country: 'DE' }, { country: 'US' }, { deal: { amount: 20000 } }]);
		expect(picks(results)).toEqual(['u1', 'error: No assignment rule matched and there is no fallback user', 'u2']);
		const failed = results[1] as { ok: false; error: Error };
		expect(failed.error).toBeInstanceOf(CrmInputError);
		expect((failed.error as CrmInputError).field).toBe('rules');
		expect((failed.error as CrmInputError).hint).toBe(
			'Rules checked: country equals DE; deal.amount greaterThan 10000; country startsWith D. Set "Fallback User".',
		);
	});

	test('with no rules at all the hint says "none"', async () => {
		const results = await run({ type: 'rules', rules: [] }, [{}]);
		expect(((results[0] as { ok: false; error: Error }).error as CrmInputError).hint).toBe(
			'Rules checked: none. Set "Fallback User".',
		);
	});

	test('a rule naming an unknown user fails that item on rules.user; a bad fallback on fallbackUser', async () => {
		const results = await run(
			{
				type: 'rules',
				rules: [{ field: 'vip', operator: 'isNotEmpty', user: 'ghost' }],
				fallbackUser: 'dee@example.com',
			},
			[{ vip: 'yes' }, {}],
		);
		expect(results.map((r) => !r.ok && [r.error.message, (r.error as CrmInputError).field])).toEqual([
			['Unknown user "ghost" in FakeCRM', 'rules.user'],
			['User "dee@example.com" is deactivated in FakeCRM', 'fallbackUser'],
		]);
	});
});

describe('withAssignedUsers', () => {
	test('attaches users to valid items only; invalid items keep their error and use no turn', async () => {
		const { provider } = fakeProvider();
		const bad = new Error('invalid input');
		const prepared: Array<ItemResult<{ n: number }>> = [
			{ ok: true, value: { n: 1 } },
			{ ok: false, error: bad },
			{ ok: true, value: { n: 2 } },
		];
		const results = await withAssignedUsers(provider, { type: 'roundRobin', users: ['u1', 'u2'] }, tasksOf(provider), prepared, (v) => v);
		expect(results).toEqual([
			{ ok: true, value: { n: 1, user: ada } },
			{ ok: false, error: bad },
			{ ok: true, value: { n: 2, user: bob } },
		]);
	});

	test('a strategy that fails as a whole becomes every valid item\'s error', async () => {
		const { provider } = fakeProvider();
		const bad = new Error('invalid input');
		const results = await withAssignedUsers(
			provider,
			{ type: 'specific', user: 'ghost' },
			tasksOf(provider),
			[{ ok: true, value: 'a' }, { ok: false, error: bad }, { ok: true, value: 'b' }],
			(v) => ({ v }),
		);
		expect(results.map((r) => (r.ok ? 'ok' : r.error.message))).toEqual([
			'Unknown user "ghost" in FakeCRM',
			'invalid input',
			'Unknown user "ghost" in FakeCRM',
		]);
	});
});
