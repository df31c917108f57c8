import type { Contact, CrmRecord, RecordInput, RecordUpdate, ResourceType } from '../model/types';
import type { CrmProvider, ItemResult } from '../contract/provider';
import { requireRecordOperation } from '../contract/capabilities';
import { CrmCapabilityError, CrmInputError } from '../transport/errors';
import { checkValidation, perItem, writeValid } from './batch';
import type { RunOptions } from './batch';
import { isEmail as isValidEmail, show } from '../model/parse';

/** Fields each resource needs on create, in the normalized model (any one of a group). */
const REQUIRED_ON_CREATE: Partial<Record<ResourceType, string[][]>> = {
	lead: [['lastName', 'email', 'name']],
	contact: [['email', 'lastName', 'firstName']],
	company: [['name', 'domain']],
	deal: [['name']],
	ticket: [['subject']],
};

/** Checks what can be checked before calling the CRM: required fields and email format. */
export function validateFields(resource: ResourceType, fields: Record<string, unknown>, mode: 'create' | 'update'): void {
	if (mode === 'create') {
		for (const group of REQUIRED_ON_CREATE[resource] ?? []) {
			if (!group.some((f) => fields[f] !== undefined && String(fields[f]).trim() !== '')) {
				throw new CrmInputError(
					group.length === 1 ? `A ${resource} needs a ${group[0]}` : `A ${resource} needs one of: ${group.join(', ')}`,
					group[0],
				);
			}
		}
	}
	if (fields.email !== undefined && fields.email !== '' && !isValidEmail(String(fields.email))) {
		throw new CrmInputError(`${show(fields.email)} is not a valid email address`, 'email');
	}
}

/**
 * Owner ids given as input must be users of the CRM: a wrong id is refused (with some valid
 * ones) before anything is written, instead of being written as is or refused half-way by the
 * CRM. The user list is read once per run, and only when some item sets an owner.
 */
export async function checkOwnerIds<T>(provider: CrmProvider, items: Array<ItemResult<T>>, ownerOf: (item: T) => unknown): Promise<Array<ItemResult<T>>> {
	const wanted = items.some((r) => r.ok && ownerOf(r.value) !== undefined && ownerOf(r.value) !== '');
	if (!wanted) return items;
	const users = await provider.listUsers();
	const ids = new Set(users.flatMap((u) => [u.id, ...(provider.userIdForms?.(u.id) ?? [])]));
	const sample = users.filter((u) => u.active).slice(0, 10).map((u) => `${u.id} (${u.email || u.name})`).join(', ');
	return items.map((r) => {
		if (!r.ok) return r;
		const owner = ownerOf(r.value);
		if (owner === undefined || owner === '' || (typeof owner === 'string' && ids.has(owner.trim()))) return r;
		return {
			ok: false,
			error: new CrmInputError(`${show(owner)} is not the id of a ${provider.displayName} user`, 'ownerId', `Valid user ids: ${sample}${users.length > 10 ? ', …' : ''}. Use User → Get by Email to find one.`),
		};
	});
}

export async function createRecords(
	provider: CrmProvider,
	resource: ResourceType,
	inputs: RecordInput[],
	options: RunOptions,
): Promise<Array<ItemResult<CrmRecord>>> {
	requireRecordOperation(provider, resource, 'create');
	const checked = await checkOwnerIds(provider, await perItem(inputs, (input) => (validateFields(resource, input.fields, 'create'), input)), (i) => i.fields.ownerId);
	checkValidation(checked, options);
	return writeValid(checked, (valid) => provider.createRecords(resource, valid, options));
}

export async function updateRecords(
	provider: CrmProvider,
	resource: ResourceType,
	updates: RecordUpdate[],
	options: RunOptions,
): Promise<Array<ItemResult<CrmRecord>>> {
	requireRecordOperation(provider, resource, 'update');
	const checked = await perItem(updates, (update) => {
		if (!String(update.id ?? '').trim()) throw new CrmInputError(`The ${resource} id is empty`, 'id');
		if (Object.keys(update.fields).length === 0 && Object.keys(update.customProperties ?? {}).length === 0) {
			throw new CrmInputError('Nothing to update', 'updateFields', 'Add at least one field to "Update Fields".');
		}
		validateFields(resource, update.fields, 'update');
		return update;
	}).then((items) => checkOwnerIds(provider, items, (u) => u.fields.ownerId));
	checkValidation(checked, options);
	return writeValid(checked, (valid) => provider.updateRecords(resource, valid, options));
}

export async function getRecords(
	provider: CrmProvider,
	resource: ResourceType,
	ids: string[],
	options: RunOptions,
): Promise<Array<ItemResult<CrmRecord>>> {
	requireRecordOperation(provider, resource, 'get');
	const checked = await perItem(ids, (id) => {
		if (!String(id ?? '').trim()) throw new CrmInputError(`The ${resource} id is empty`, 'id');
		return String(id).trim();
	});
	checkValidation(checked, options);
	return writeValid(checked, (valid) => provider.getRecords(resource, valid));
}

export async function upsertContacts(
	provider: CrmProvider,
	inputs: RecordInput[],
	options: RunOptions,
): Promise<Array<ItemResult<Contact>>> {
	if (!provider.capabilities.contactUpsert) {
		throw new CrmCapabilityError(provider.displayName, 'creating or updating contacts by email', 'Search by email, then create or update.');
	}
	const checked = await perItem(inputs, (input) => {
		if (!input.fields.email || !String(input.fields.email).trim()) {
			throw new CrmInputError('Create or update by email needs an email', 'email');
		}
		validateFields('contact', input.fields, 'update');
		return input;
	});
	checkValidation(checked, options);
	return writeValid(checked, (valid) => provider.upsertContacts(valid, options));
}

export async function searchRecords(
	provider: CrmProvider,
	resource: ResourceType,
	query: Parameters<CrmProvider['searchRecords']>[1],
): Promise<CrmRecord[]> {
	requireRecordOperation(provider, resource, 'search');
	const records: CrmRecord[] = [];
	for await (const page of provider.searchRecords(resource, query)) {
		records.push(...page);
		if (query.limit !== undefined && records.length >= query.limit) break;
	}
	return query.limit !== undefined ? records.slice(0, query.limit) : records;
}
