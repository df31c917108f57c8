import type { Contact, CrmRecord, RecordInput, RecordUpdate, ResourceType } from '../model/types';
import type { CrmProvider, ItemResult } from '../providers/Provider';
import { requireRecordOperation } from '../providers/registry';
import { CrmCapabilityError, CrmInputError } from '../transport/errors';
import { checkValidation, perItem, writeValid } from './batch';
import type { RunOptions } from './batch';
import { isValidEmail } from './messaging';

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
		throw new CrmInputError(`"${String(fields.email)}" is not a valid email address`, 'email');
	}
}

export async function createRecords(
	provider: CrmProvider,
	resource: ResourceType,
	inputs: RecordInput[],
	options: RunOptions,
): Promise<Array<ItemResult<CrmRecord>>> {
	requireRecordOperation(provider, resource, 'create');
	const checked = await perItem(inputs, (input) => (validateFields(resource, input.fields, 'create'), input));
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
	});
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
