import type { CrmRecord, ResourceType, User } from '../model/types';
import type { CrmProvider, ItemResult } from '../contract/provider';
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

/**
 * Where a rotation's history lives: in the CRM, not in n8n. The rotation's turns are the records
 * of `resource` its users own, newest by `order` first (tasks by creation, owners set on existing
 * records by last change). Every n8n worker reads the same CRM, so the turn is shared without any
 * state in the workflow (n8n workers neither load nor safely save a workflow's static data).
 */
export interface RotationLedger {
	resource: ResourceType;
	order: 'createdAt' | 'updatedAt';
}

/** A record that counts as a user's turn. */
export interface Turn {
	id: string;
	ownerId: string;
	at: string;
}

/** How many recent turns round-robin weighs: about 100, a whole number of rounds. */
export function rotationWindow(userCount: number): number {
	return Math.max(userCount, userCount * Math.floor(100 / userCount));
}

function byTime(a: Turn, b: Turn): number {
	const ta = Date.parse(a.at);
	const tb = Date.parse(b.at);
	if (ta !== tb) return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
	// The same instant: the record id decides, the same way for every reader.
	if (/^\d+$/.test(a.id) && /^\d+$/.test(b.id) && a.id.length !== b.id.length) return a.id.length - b.id.length;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The rotation's latest turns, oldest first: one search (ownerId in the rotation's users, newest
 * first, `limit` records), the same request shape on every CRM.
 */
export async function readTurns(provider: CrmProvider, users: User[], ledger: RotationLedger, limit: number): Promise<Turn[]> {
	const ids = new Set(users.map((u) => u.id));
	const turns: Turn[] = [];
	const query = {
		filters: [{ field: 'ownerId', operator: 'in' as const, value: [...ids] }],
		sort: { field: ledger.order, direction: 'desc' as const },
		limit,
	};
	for await (const page of provider.searchRecords(ledger.resource, query)) {
		for (const record of page) {
			const ownerId = (record as { ownerId?: string }).ownerId;
			if (ownerId && ids.has(ownerId)) turns.push({ id: record.id, ownerId, at: record[ledger.order] ?? '' });
		}
		if (turns.length >= limit) break;
	}
	return turns.slice(0, limit).sort(byTime);
}

/**
 * One execution's view of a rotation: what it read before writing (so that, after writing, it can
 * tell its own and concurrent executions' new turns from the settled history).
 */
export class Rotation {
	readonly directory: UserDirectory;
	/** Ids of the turns read before writing. */
	seen?: Set<string>;

	constructor(
		readonly provider: CrmProvider,
		readonly ledger: RotationLedger,
	) {
		this.directory = new UserDirectory(provider);
	}

	async history(users: User[]): Promise<string[]> {
		const turns = await readTurns(this.provider, users, this.ledger, rotationWindow(users.length));
		this.seen = new Set(turns.map((t) => t.id));
		return turns.map((t) => t.ownerId);
	}
}

/**
 * Whose turn it is after `owners` (oldest first): the user with the fewest turns in the last
 * `window`; among equals, the one served longest ago; users never served go first, in list order.
 * A clean rotation therefore continues exactly, and one disturbed (by concurrent runs, or records
 * given to these users by hand) evens itself out.
 */
export function nextTurn(users: User[], owners: string[], window = rotationWindow(users.length)): User {
	const recent = owners.slice(-window);
	const count = new Map(users.map((u) => [u.id, 0]));
	const lastServed = new Map<string, number>();
	recent.forEach((owner, i) => {
		if (!count.has(owner)) return;
		count.set(owner, count.get(owner)! + 1);
		lastServed.set(owner, i);
	});
	const rank = (u: User, index: number) => [count.get(u.id)!, lastServed.get(u.id) ?? index - users.length] as const;
	let best = 0;
	users.forEach((u, i) => {
		const [c, last] = rank(u, i);
		const [bc, blast] = rank(users[best], best);
		if (c < bc || (c === bc && last < blast)) best = i;
	});
	return users[best];
}

/** Picks for `count` items in a row, each taking the turn after the previous. */
export function takeTurns(users: User[], owners: string[], count: number): User[] {
	const history = [...owners];
	const picks: User[] = [];
	for (let i = 0; i < count; i++) {
		const user = nextTurn(users, history);
		picks.push(user);
		history.push(user.id);
	}
	return picks;
}

/**
 * After writing: the owners our records should have. Turns read before writing (`seen`) stand as
 * they are; every newer one (ours and those of executions running at the same time) gets the
 * owner due at its place, in the CRM's order, so executions that see the same turns agree on the
 * same spread. Returns our records whose owner must change; undefined when one of our records is
 * not visible yet (a CRM whose search lags behind writes): then nothing can be judged.
 */
export function settleTurns(users: User[], turns: Turn[], ours: Turn[], seen: Set<string>): Map<string, User> | undefined {
	const mine = new Map(ours.map((t) => [t.id, t]));
	if (ours.some((t) => !turns.some((s) => s.id === t.id))) return undefined;
	const owners: string[] = [];
	const corrections = new Map<string, User>();
	for (const turn of turns) {
		if (seen.has(turn.id) && !mine.has(turn.id)) {
			owners.push(turn.ownerId);
			continue;
		}
		const due = nextTurn(users, owners);
		if (mine.has(turn.id) && due.id !== turn.ownerId) corrections.set(turn.id, due);
		owners.push(due.id);
	}
	return corrections;
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
	rotation: Rotation,
): Promise<Array<ItemResult<User>>> {
	switch (strategy.type) {
		case 'specific': {
			const user = await directory.resolve(strategy.user, 'user');
			return items.map(() => ({ ok: true, value: user }));
		}
		case 'roundRobin': {
			const users = await directory.resolveAll(strategy.users, 'users');
			if (items.length === 0) return [];
			const history = await rotation.history(users);
			return takeTurns(users, history, items.length).map((user) => ({ ok: true, value: user }));
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
	rotation: Rotation,
	prepared: Array<ItemResult<T>>,
	itemOf: (value: T) => unknown,
): Promise<Array<ItemResult<T & { user: User }>>> {
	const valid = prepared.filter((p): p is { ok: true; value: T } => p.ok).map((p) => p.value);
	const picks = await assignUsers(provider, rotation.directory, strategy, valid.map(itemOf), rotation).catch(
		(error: Error) => valid.map((): ItemResult<User> => ({ ok: false, error })),
	);
	let next = 0;
	return prepared.map((p) => {
		if (!p.ok) return p;
		const pick = picks[next++];
		return pick.ok ? { ok: true, value: { ...p.value, user: pick.value } } : pick;
	});
}

/**
 * Round-robin's second look, after the records are written: executions running at the same time
 * read the same history and may all have picked the same user. Re-reading the turns shows who
 * wrote first; each execution moves only its own records to the owner due at their place (one
 * batch update, only when it collided). Other strategies, and results that failed, pass through.
 */
export async function settleRotation<T>(
	rotation: Rotation,
	strategy: AssignmentStrategy,
	written: Array<ItemResult<T>>,
	recordOf: (value: T) => CrmRecord,
	reassigned: (value: T, record: CrmRecord, user: User) => T,
): Promise<Array<ItemResult<T>>> {
	const { provider, ledger, seen } = rotation;
	if (strategy.type !== 'roundRobin' || !seen) return written;
	const ours: Turn[] = [];
	for (const w of written) {
		if (!w.ok) continue;
		const record = recordOf(w.value);
		ours.push({ id: record.id, ownerId: (record as { ownerId?: string }).ownerId ?? '', at: record[ledger.order] ?? '' });
	}
	if (ours.length === 0) return written;
	const users = await rotation.directory.resolveAll(strategy.users, 'users');
	const turns = await readTurns(provider, users, ledger, rotationWindow(users.length) + ours.length);
	const corrections = settleTurns(users, turns, ours, seen);
	if (!corrections || corrections.size === 0) return written;
	const ids = [...corrections.keys()];
	const updated = await provider.updateRecords(
		ledger.resource,
		ids.map((id) => ({ id, fields: { ownerId: corrections.get(id)!.id } })),
	);
	const byId = new Map<string, CrmRecord>();
	updated.forEach((u, i) => {
		if (u.ok) byId.set(ids[i], u.value);
	});
	return written.map((w) => {
		if (!w.ok) return w;
		const record = recordOf(w.value);
		const moved = byId.get(record.id);
		// A failed correction leaves the first pick in place: still a valid, if less even, owner.
		return moved ? { ok: true, value: reassigned(w.value, moved, corrections.get(record.id)!) } : w;
	});
}
