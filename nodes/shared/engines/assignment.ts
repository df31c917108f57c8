import type { ResourceType, User } from '../model/types';
import type { CrmProvider, ItemResult } from '../providers/Provider';
import { CrmInputError } from '../transport/errors';

export type RuleOperator =
	| 'equals'
	| 'notEquals'
	| 'contains'
	| 'startsWith'
	| 'greaterThan'
	| 'lessThan'
	| 'isEmpty'
	| 'isNotEmpty';

export interface AssignmentRule {
	/** A field of the input item, dot paths allowed (e.g. `record.company`). */
	field: string;
	operator: RuleOperator;
	value?: string;
	/** User id, email or name. */
	user: string;
}

export type AssignmentStrategy =
	| { type: 'specific'; user: string }
	| { type: 'roundRobin'; users: string[] }
	/** Fewest open records of `countResource` (tasks by default), counted by the CRM itself. */
	| { type: 'leastLoaded'; users: string[]; countResource: ResourceType }
	| { type: 'rules'; rules: AssignmentRule[]; fallbackUser?: string };

/** Where round-robin keeps its position between executions (the node's static data). */
export interface RoundRobinStore {
	get(key: string): number | undefined;
	set(key: string, next: number): void;
}

/** Resolves what a user typed (id, email or full name) against the CRM's users. */
export class UserDirectory {
	private users?: Promise<User[]>;

	constructor(private readonly provider: CrmProvider) {}

	all(): Promise<User[]> {
		this.users ??= this.provider.listUsers();
		return this.users;
	}

	async resolve(reference: string, field: string): Promise<User> {
		const wanted = reference.trim();
		const users = await this.all();
		const lower = wanted.toLowerCase();
		const match =
			users.find((u) => u.id === wanted) ??
			users.find((u) => u.email.toLowerCase() === lower) ??
			users.find((u) => u.name.toLowerCase() === lower);
		if (!match) {
			const active = users.filter((u) => u.active);
			const sample = active.slice(0, 20).map((u) => u.email || u.name);
			throw new CrmInputError(
				`Unknown user "${reference}" in ${this.provider.displayName}`,
				field,
				`Use a user id, email or name. Active users include: ${sample.join(', ') || 'none found'}${active.length > 20 ? ', …' : ''}.`,
			);
		}
		if (!match.active) {
			throw new CrmInputError(`User "${reference}" is deactivated in ${this.provider.displayName}`, field);
		}
		return match;
	}

	async resolveAll(references: string[], field: string): Promise<User[]> {
		const cleaned = references.map((r) => r.trim()).filter(Boolean);
		if (cleaned.length === 0) throw new CrmInputError('No users to choose from', field, 'Add at least one user.');
		const users: User[] = [];
		for (const reference of cleaned) users.push(await this.resolve(reference, field));
		return users;
	}
}

export function readPath(source: unknown, path: string): unknown {
	let current = source;
	for (const part of path.split('.').filter(Boolean)) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

export function ruleMatches(rule: AssignmentRule, item: unknown): boolean {
	const actual = readPath(item, rule.field);
	const text = actual === undefined || actual === null ? '' : String(actual);
	const expected = rule.value ?? '';
	switch (rule.operator) {
		case 'equals':
			return text.toLowerCase() === expected.toLowerCase();
		case 'notEquals':
			return text.toLowerCase() !== expected.toLowerCase();
		case 'contains':
			return text.toLowerCase().includes(expected.toLowerCase());
		case 'startsWith':
			return text.toLowerCase().startsWith(expected.toLowerCase());
		case 'greaterThan':
			return text !== '' && Number(text) > Number(expected);
		case 'lessThan':
			return text !== '' && Number(text) < Number(expected);
		case 'isEmpty':
			return text === '';
		case 'isNotEmpty':
			return text !== '';
	}
}

/** Stable key for a round-robin list, so editing the list starts a new rotation. */
export function rotationKey(users: User[]): string {
	return `rr:${users.map((u) => u.id).join(',')}`;
}

/**
 * Picks a user for each item with the chosen strategy. Items are assigned in order, and within
 * one run the strategy's state advances per item (round-robin turns, least-loaded counts), so a
 * batch spreads out rather than piling onto one person.
 */
export async function assignUsers(
	provider: CrmProvider,
	directory: UserDirectory,
	strategy: AssignmentStrategy,
	items: unknown[],
	store: RoundRobinStore,
): Promise<Array<ItemResult<User>>> {
	switch (strategy.type) {
		case 'specific': {
			const user = await directory.resolve(strategy.user, 'user');
			return items.map(() => ({ ok: true, value: user }));
		}
		case 'roundRobin': {
			const users = await directory.resolveAll(strategy.users, 'users');
			const key = rotationKey(users);
			let next = (store.get(key) ?? 0) % users.length;
			const results = items.map((): ItemResult<User> => {
				const user = users[next];
				next = (next + 1) % users.length;
				return { ok: true, value: user };
			});
			store.set(key, next);
			return results;
		}
		case 'leastLoaded': {
			const users = await directory.resolveAll(strategy.users, 'users');
			const load = new Map<string, number>();
			for (const user of users) {
				load.set(user.id, await provider.countOpenRecords(strategy.countResource, user.id));
			}
			return items.map((): ItemResult<User> => {
				let best = users[0];
				for (const user of users) if (load.get(user.id)! < load.get(best.id)!) best = user;
				load.set(best.id, load.get(best.id)! + 1);
				return { ok: true, value: best };
			});
		}
		case 'rules': {
			const results: Array<ItemResult<User>> = [];
			for (const item of items) {
				try {
					const rule = strategy.rules.find((r) => ruleMatches(r, item));
					const reference = rule?.user ?? strategy.fallbackUser;
					if (!reference) {
						throw new CrmInputError(
							'No assignment rule matched and there is no fallback user',
							'rules',
							`Rules checked: ${strategy.rules.map((r) => `${r.field} ${r.operator} ${r.value ?? ''}`.trim()).join('; ') || 'none'}. Set "Fallback User".`,
						);
					}
					results.push({ ok: true, value: await directory.resolve(reference, rule ? 'rules.user' : 'fallbackUser') });
				} catch (error) {
					results.push({ ok: false, error: error as Error });
				}
			}
			return results;
		}
	}
}

/**
 * Picks a user for each valid item and attaches it; invalid items keep their error and do not
 * use up a turn (round-robin) or a slot (least-loaded). A strategy that fails as a whole (e.g.
 * an unknown user in the list) becomes every valid item's error.
 */
export async function withAssignedUsers<T>(
	provider: CrmProvider,
	strategy: AssignmentStrategy,
	store: RoundRobinStore,
	prepared: Array<ItemResult<T>>,
	itemOf: (value: T) => unknown,
): Promise<Array<ItemResult<T & { user: User }>>> {
	const valid = prepared.filter((p): p is { ok: true; value: T } => p.ok).map((p) => p.value);
	const picks = await assignUsers(provider, new UserDirectory(provider), strategy, valid.map(itemOf), store).catch(
		(error: Error) => valid.map((): ItemResult<User> => ({ ok: false, error })),
	);
	let next = 0;
	return prepared.map((p) => {
		if (!p.ok) return p;
		const pick = picks[next++];
		return pick.ok ? { ok: true, value: { ...p.value, user: pick.value } } : pick;
	});
}
