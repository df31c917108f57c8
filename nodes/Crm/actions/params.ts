import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AssignmentRule, AssignmentStrategy } from '../../shared/engines/assignment';
import type { RelatedRef, ResourceType, SearchFilter, SearchQuery } from '../../shared/model/types';
import { parseLimit } from '../../shared/model/parse';
import { CrmInputError } from '../../shared/transport/errors';

/** Readers that turn one item's node parameters into typed engine requests. */

export function str(ctx: IExecuteFunctions, name: string, i: number, fallback = ''): string {
	const value = ctx.getNodeParameter(name, i, fallback) as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

/** A resource locator's value (list pick or typed), whatever the mode. */
export function locator(ctx: IExecuteFunctions, name: string, i: number): string {
	const value = ctx.getNodeParameter(name, i, '', { extractValue: true }) as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

/** The "Fields" collection, with empty strings dropped (n8n shows unset fields as ''). */
export function fields(ctx: IExecuteFunctions, i: number, name = 'fields'): Record<string, unknown> {
	const raw = ctx.getNodeParameter(name, i, {}) as IDataObject;
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (value === '' || value === undefined || value === null) continue;
		out[key] = typeof value === 'string' ? value.trim() : value;
	}
	return out;
}

export function customProperties(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	const raw = ctx.getNodeParameter('customProperties.property', i, []) as Array<{ name?: string; value?: unknown }>;
	const out: Record<string, unknown> = {};
	for (const entry of raw) {
		const name = String(entry.name ?? '').trim();
		if (!name) throw new CrmInputError('A custom property has no name', 'customProperties');
		out[name] = entry.value;
	}
	return out;
}

export function associations(ctx: IExecuteFunctions, i: number): RelatedRef[] {
	const raw = ctx.getNodeParameter('associations.record', i, []) as Array<{ type?: string; id?: string }>;
	return raw.map((entry) => {
		const id = String(entry.id ?? '').trim();
		if (!id) throw new CrmInputError(`The associated ${entry.type ?? 'record'} has no ID`, 'associations');
		return { type: entry.type as ResourceType, id };
	});
}

export function related(ctx: IExecuteFunctions, i: number): RelatedRef[] {
	const type = str(ctx, 'relatedType', i) as ResourceType;
	const id = str(ctx, 'relatedId', i);
	if (!id) throw new CrmInputError(`The related ${type} ID is empty`, 'relatedId');
	return [{ type, id }];
}

export function searchQuery(ctx: IExecuteFunctions, i: number): SearchQuery {
	const raw = ctx.getNodeParameter('filters.filter', i, []) as Array<{ field?: string; operator?: string; value?: unknown }>;
	const filters: SearchFilter[] = raw.map((f) => {
		const field = String(f.field ?? '').trim();
		if (!field) throw new CrmInputError('A search filter has no field', 'filters');
		return { field, operator: (f.operator ?? 'eq') as SearchFilter['operator'], value: f.value };
	});
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const text = str(ctx, 'searchText', i);
	return {
		filters,
		...(text ? { text } : {}),
		...(returnAll ? {} : { limit: parseLimit(ctx.getNodeParameter('limit', i, 50)) }),
	};
}

export function limitOf(ctx: IExecuteFunctions, i: number): number | undefined {
	return (ctx.getNodeParameter('returnAll', i, false) as boolean) ? undefined : parseLimit(ctx.getNodeParameter('limit', i, 50));
}

function userList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	return String(value ?? '')
		.split(/[,;\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

/** The assignment strategy, read from the first item: one strategy per run keeps turns fair. */
export function strategy(ctx: IExecuteFunctions): AssignmentStrategy {
	const type = str(ctx, 'strategy', 0, 'specific');
	switch (type) {
		case 'specific': {
			const user = locator(ctx, 'user', 0);
			if (!user) throw new CrmInputError('No user chosen', 'user', 'Pick a user from the list or enter an email.');
			return { type, user };
		}
		case 'roundRobin':
			return { type, users: userList(ctx.getNodeParameter('users', 0, [])) };
		case 'leastLoaded':
			return {
				type,
				users: userList(ctx.getNodeParameter('users', 0, [])),
				countResource: str(ctx, 'countResource', 0, 'task') as ResourceType,
			};
		case 'rules': {
			const rules = (ctx.getNodeParameter('rules.rule', 0, []) as AssignmentRule[]).map((r) => ({
				field: String(r.field ?? '').trim(),
				operator: r.operator,
				value: r.value === undefined ? undefined : String(r.value),
				user: String(r.user ?? '').trim(),
			}));
			return { type, rules, fallbackUser: str(ctx, 'fallbackUser', 0) || undefined };
		}
		default:
			throw new CrmInputError(`Unknown assignment strategy "${type}"`, 'strategy', 'Valid: specific, roundRobin, leastLoaded, rules.');
	}
}
