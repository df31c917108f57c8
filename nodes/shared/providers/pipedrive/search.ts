/**
 * Search filters on Pipedrive: the v2 list endpoints filter by a few fields themselves
 * (`owner_id`, `person_id`, `org_id`, `pipeline_id`, `stage_id`, `status`, `updated_since`; v1
 * leads: `owner_id`, `person_id`, `organization_id`); every filter is also checked on the
 * normalized records read, so filters Pipedrive cannot apply still hold (at the cost of reading
 * more pages).
 */
import type { CrmRecord, ResourceType, SearchFilter } from '../../model/types';
import { show } from '../../model/parse';
import { CrmInputError } from '../../transport/errors';
import { toMs } from './mapping';

const SERVER_FIELDS: Partial<Record<ResourceType, Record<string, string>>> = {
	deal: { ownerId: 'owner_id', pipelineId: 'pipeline_id', stageId: 'stage_id', status: 'status', companyId: 'org_id', contactIds: 'person_id' },
	contact: { ownerId: 'owner_id', companyId: 'org_id' },
	company: { ownerId: 'owner_id' },
	task: { ownerId: 'owner_id' },
	lead: { ownerId: 'owner_id', contactId: 'person_id' },
};

/** The list endpoint's own query parameters for the filters it can apply (equality only). */
export function serverFilters(resource: ResourceType, filters: SearchFilter[]): Record<string, string | boolean> {
	const qs: Record<string, string | boolean> = {};
	for (const f of filters) {
		const param = SERVER_FIELDS[resource]?.[f.field];
		if (param && f.operator === 'eq' && f.value !== undefined && f.value !== null && f.value !== '') qs[param] = String(f.value);
		if (resource === 'task' && f.field === 'status' && f.operator === 'eq') qs.done = String(f.value) === 'completed';
		if (resource !== 'lead' && f.field === 'updatedAt' && (f.operator === 'gte' || f.operator === 'gt') && Number.isFinite(toMs(f.value))) {
			qs.updated_since = new Date(toMs(f.value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
		}
	}
	return qs;
}

function compare(a: unknown, b: unknown): number {
	const ta = typeof a === 'string' ? toMs(a) : Number.NaN;
	const tb = typeof b === 'string' || typeof b === 'number' ? toMs(b) : Number.NaN;
	if (typeof a === 'string' && /^\d{4}-\d{2}-\d{2}/.test(a) && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
	const na = Number(a);
	const nb = Number(b);
	if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
	return String(a ?? '').localeCompare(String(b ?? ''));
}

const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();

function matches(value: unknown, filter: SearchFilter): boolean {
	const values = Array.isArray(value) ? value : [value];
	const present = values.some((v) => v !== undefined && v !== null && v !== '');
	switch (filter.operator) {
		case 'exists':
			return present;
		case 'notExists':
			return !present;
		case 'eq':
			return values.some((v) => same(v, filter.value));
		case 'neq':
			return !values.some((v) => same(v, filter.value));
		case 'in':
		case 'notIn': {
			const list = Array.isArray(filter.value) ? filter.value : String(filter.value ?? '').split(',').map((s) => s.trim());
			const hit = values.some((v) => list.some((w) => same(v, w)));
			return filter.operator === 'in' ? hit : !hit;
		}
		case 'contains':
			return values.some((v) => String(v ?? '').toLowerCase().includes(String(filter.value ?? '').toLowerCase()));
		case 'lt':
			return present && compare(values[0], filter.value) < 0;
		case 'lte':
			return present && compare(values[0], filter.value) <= 0;
		case 'gt':
			return present && compare(values[0], filter.value) > 0;
		case 'gte':
			return present && compare(values[0], filter.value) >= 0;
		default:
			throw new CrmInputError(`${show((filter as SearchFilter).operator)} is not a filter operator`, 'filters');
	}
}

/** Does a normalized record pass every filter? (`raw.<key>` filters on a Pipedrive field.) */
export function matchesFilters(record: CrmRecord, filters: SearchFilter[]): boolean {
	return filters.every((f) => {
		const value = f.field.startsWith('raw.') ? record.raw[f.field.slice(4)] : (record as unknown as Record<string, unknown>)[f.field];
		return matches(value, f);
	});
}
