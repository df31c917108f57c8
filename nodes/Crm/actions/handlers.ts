import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { UserDirectory } from '../../shared/engines/assignment';
import type { RunOptions } from '../../shared/engines/batch';
import { InvalidItemError } from '../../shared/contract/itemErrors';
import { perItem, writeValid } from '../../shared/engines/batch';
import { sendMessages } from '../../shared/engines/messaging';
import type { SendMessageRequest } from '../../shared/engines/messaging';
import { createRecords, getRecords, searchRecords, updateRecords, upsertContacts } from '../../shared/engines/records';
import { resolveNewRecordStage, updateStages } from '../../shared/engines/stageUpdate';
import { assignOwners, assignTasks, listOpenTasks } from '../../shared/engines/tasks';
import { WEEKDAYS } from '../../shared/engines/dueDate';
import type { MessageChannel, RecordInput, ResourceType } from '../../shared/model/types';
import type { CrmProvider, ItemResult } from '../../shared/contract/provider';
import { requireRecordOperation } from '../../shared/contract/capabilities';
import { CrmInputError } from '../../shared/transport/errors';
import * as p from './params';
import { scoreRecord } from './score';

export interface HandlerContext {
	ctx: IExecuteFunctions;
	provider: CrmProvider;
	items: INodeExecutionData[];
	resource: ResourceType;
	options: RunOptions;
}

/** One result per input item: an object, or a list of objects (searches and lists). */
export type HandlerResult = Array<ItemResult<IDataObject | IDataObject[]>>;
type Handler = (h: HandlerContext) => Promise<HandlerResult>;

const indexes = (h: HandlerContext) => h.items.map((_, i) => i);
const json = (value: unknown) => value as IDataObject;

/**
 * Reads every item's parameters first; with "Continue On Fail" off, one bad item stops the run
 * here, before anything is written.
 */
async function readAll<T>(h: HandlerContext, read: (i: number) => T | Promise<T>): Promise<Array<ItemResult<T>>> {
	const results = await perItem(indexes(h), read);
	const bad = results.findIndex((r) => !r.ok);
	if (h.options.stopOnInvalid && bad >= 0) throw new InvalidItemError(bad, (results[bad] as { error: Error }).error);
	return results;
}

const createRecord: Handler = async (h) => {
	const { ctx, provider, resource } = h;
	const inputs = await readAll(h, async (i): Promise<RecordInput> => {
		const fields = p.fields(ctx, i);
		if (resource === 'lead' && p.str(ctx, 'email', i)) fields.email = p.str(ctx, 'email', i);
		if (resource === 'company' || resource === 'deal') fields.name = p.str(ctx, 'name', i);
		if (resource === 'ticket') fields.subject = p.str(ctx, 'subject', i);
		if (resource === 'deal' || resource === 'ticket') {
			Object.assign(fields, await resolveNewRecordStage(provider, resource, p.locator(ctx, 'pipeline', i), p.locator(ctx, 'stage', i)));
		}
		const related = resource === 'deal' || resource === 'ticket' ? p.associations(ctx, i) : [];
		return { fields, customProperties: p.customProperties(ctx, i), related };
	});
	return writeValid(inputs, (valid) => createRecords(provider, resource, valid, h.options)).then(asJson);
};

const getRecord: Handler = async (h) => {
	const ids = await readAll(h, (i) => p.str(h.ctx, 'recordId', i));
	return writeValid(ids, (valid) => getRecords(h.provider, h.resource, valid, h.options)).then(asJson);
};

const updateRecord: Handler = async (h) => {
	const updates = await readAll(h, (i) => ({
		id: p.str(h.ctx, 'recordId', i),
		fields: p.fields(h.ctx, i),
		customProperties: p.customProperties(h.ctx, i),
	}));
	return writeValid(updates, (valid) => updateRecords(h.provider, h.resource, valid, h.options)).then(asJson);
};

const searchRecord: Handler = async (h) => {
	const queries = await readAll(h, (i) => p.searchQuery(h.ctx, i));
	const out: HandlerResult = [];
	for (const query of queries) {
		if (!query.ok) {
			out.push(query);
			continue;
		}
		try {
			out.push({ ok: true, value: (await searchRecords(h.provider, h.resource, query.value)).map(json) });
		} catch (error) {
			out.push({ ok: false, error: error as Error });
		}
	}
	return out;
};

const upsertContact: Handler = async (h) => {
	const inputs = await readAll(h, (i) => ({
		fields: { ...p.fields(h.ctx, i), email: p.str(h.ctx, 'email', i) },
		customProperties: p.customProperties(h.ctx, i),
	}));
	return writeValid(inputs, (valid) => upsertContacts(h.provider, valid, h.options)).then(asJson);
};

const updateStage: Handler = async (h) => {
	const requests = await readAll(h, (i) => ({
		id: p.str(h.ctx, 'recordId', i),
		stage: p.locator(h.ctx, 'stage', i),
		pipeline: p.str(h.ctx, 'targetPipeline', i) || undefined,
		allowedTransitions: p.str(h.ctx, 'allowedTransitions', i) || undefined,
	}));
	const results = await writeValid(requests, (valid) => updateStages(h.provider, h.resource, valid, h.options));
	return results.map((r) =>
		r.ok
			? {
					ok: true,
					value: json({
						...r.value.record,
						previousStage: r.value.previousStage ?? null,
						stage: r.value.stage,
						pipeline: r.value.pipeline,
						changed: r.value.changed,
					}),
				}
			: r,
	);
};

const assignOwner: Handler = async (h) => {
	const requests = await readAll(h, (i) => ({ id: p.str(h.ctx, 'recordId', i), item: h.items[i].json }));
	const context = { strategy: p.strategy(h.ctx) };
	const results = await writeValid(requests, (valid) => assignOwners(h.provider, h.resource, valid, context, h.options));
	return results.map((r) => (r.ok ? { ok: true, value: json({ ...r.value.record, assignedTo: r.value.assignedTo }) } : r));
};

const qualifyLead: Handler = async (h) => {
	if (!h.provider.capabilities.leadQualify) {
		throw new CrmInputError(`${h.provider.displayName} has no lead qualification`, 'operation', 'Use Lead → Update Status.');
	}
	const inputs = await readAll(h, (i) => {
		const id = p.str(h.ctx, 'recordId', i);
		if (!id) throw new CrmInputError('The lead ID is empty', 'recordId');
		const createDeal = h.ctx.getNodeParameter('createDeal', i, false) as boolean;
		return { id, ...(createDeal ? { createDeal: { name: p.str(h.ctx, 'dealName', i) } } : {}) };
	});
	const results = await writeValid(inputs, (valid) => h.provider.qualifyLeads(valid));
	return results.map((r) => (r.ok ? { ok: true, value: json({ ...r.value.lead, deal: r.value.deal ?? null }) } : r));
};

const assignTask: Handler = async (h) => {
	const { ctx } = h;
	const requests = await readAll(h, (i) => {
		const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
		return {
			subject: p.str(ctx, 'subject', i),
			due: p.str(ctx, 'due', i) || 'in 1 business day',
			related: p.related(ctx, i),
			item: h.items[i].json,
			...(options.body ? { body: String(options.body) } : {}),
			...(options.priority ? { priority: String(options.priority) } : {}),
		};
	});
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const holidays = String(options.holidays ?? '')
		.split(/[,;\s]+/)
		.filter(Boolean);
	const workingDays = Array.isArray(options.workingDays) ? options.workingDays.map(Number) : WEEKDAYS.workingDays;
	const context = {
		strategy: p.strategy(ctx),
		timeZone: String(options.timeZone || ctx.getTimezone()),
		calendar: { workingDays, holidays },
	};
	const results = await writeValid(requests, (valid) => assignTasks(h.provider, valid, context, h.options));
	return results.map((r) => (r.ok ? { ok: true, value: json({ ...r.value.task, assignedTo: r.value.assignedTo }) } : r));
};

const completeTask: Handler = async (h) => {
	const updates = await readAll(h, (i) => ({ id: p.str(h.ctx, 'recordId', i), fields: { status: 'completed' } }));
	return writeValid(updates, (valid) => updateRecords(h.provider, 'task', valid, h.options)).then(asJson);
};

const listOpen: Handler = async (h) => {
	const directory = new UserDirectory(h.provider);
	return perItem(indexes(h), async (i) => {
		const owner = p.str(h.ctx, 'owner', i);
		const ownerId = owner ? (await directory.resolve(owner, 'owner')).id : undefined;
		return (await listOpenTasks(h.provider, { ownerId, limit: p.limitOf(h.ctx, i) })).map(json);
	});
};

const sendMessage: Handler = async (h) => {
	const { ctx } = h;
	const requests = await readAll(h, (i): SendMessageRequest => {
		const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
		const channel = p.str(ctx, 'channel', i, 'email') as MessageChannel;
		const to = String(options.to ?? '')
			.split(/[,;]/)
			.map((t) => t.trim())
			.filter(Boolean);
		return {
			channel,
			delivery: channel === 'note' ? 'log' : (p.str(ctx, 'delivery', i, 'log') as 'log' | 'send'),
			subject: channel === 'email' ? p.str(ctx, 'subject', i) : undefined,
			body: String(ctx.getNodeParameter('body', i, '')),
			related: p.related(ctx, i),
			to,
			...(options.from ? { from: String(options.from) } : {}),
			...(options.ownerId ? { ownerId: String(options.ownerId) } : {}),
			...(options.templateId ? { templateId: String(options.templateId) } : {}),
			...(options.dedupeKey ? { dedupeKey: String(options.dedupeKey) } : {}),
			ignoreOptOut: options.ignoreOptOut === true,
		};
	});
	const results = await writeValid(requests, (valid) => sendMessages(h.provider, valid, h.options));
	return results.map((r) => {
		if (!r.ok) return r;
		const { message, delivery, reason } = r.value;
		return { ok: true, value: json({ ...(message ?? {}), delivery, ...(reason ? { reason } : {}) }) };
	});
};

const listUsers: Handler = async (h) => {
	const users = await h.provider.listUsers();
	return perItem(indexes(h), (i) => {
		const limit = p.limitOf(h.ctx, i);
		return (limit === undefined ? users : users.slice(0, limit)).map(json);
	});
};

const userByEmail: Handler = async (h) => {
	const directory = new UserDirectory(h.provider);
	return perItem(indexes(h), async (i) => {
		const email = p.str(h.ctx, 'email', i);
		if (!email) throw new CrmInputError('The email is empty', 'email');
		const users = await directory.all();
		const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
		if (!user) {
			throw new CrmInputError(`No ${h.provider.displayName} user has the email "${email}"`, 'email', `Users: ${users.slice(0, 20).map((u) => u.email).join(', ')}.`);
		}
		return json(user);
	});
};

const listPipelines: Handler = async (h) =>
	perItem(indexes(h), async (i) => {
		const objectType = p.str(h.ctx, 'objectType', i, 'deal') as ResourceType;
		if (!h.provider.capabilities.pipelines.includes(objectType)) {
			requireRecordOperation(h.provider, objectType, 'search');
			throw new CrmInputError(`${h.provider.displayName} has no pipelines for ${objectType}s`, 'objectType');
		}
		return (await h.provider.listPipelines(objectType)).map(json);
	});

function asJson<T>(results: Array<ItemResult<T>>): HandlerResult {
	return results.map((r) => (r.ok ? { ok: true, value: json(r.value) } : r));
}

/** `resource.operation` → handler. The node's description lists the same pairs. */
export const HANDLERS: Record<string, Handler> = {
	'lead.create': createRecord,
	'lead.get': getRecord,
	'lead.update': updateRecord,
	'lead.search': searchRecord,
	'lead.updateStatus': updateStage,
	'lead.assignOwner': assignOwner,
	'lead.qualify': qualifyLead,
	'lead.score': scoreRecord,
	'contact.upsert': upsertContact,
	'contact.get': getRecord,
	'contact.update': updateRecord,
	'contact.search': searchRecord,
	'contact.score': scoreRecord,
	'company.create': createRecord,
	'company.get': getRecord,
	'company.update': updateRecord,
	'company.search': searchRecord,
	'deal.create': createRecord,
	'deal.get': getRecord,
	'deal.update': updateRecord,
	'deal.search': searchRecord,
	'deal.updateStage': updateStage,
	'deal.assignOwner': assignOwner,
	'ticket.create': createRecord,
	'ticket.get': getRecord,
	'ticket.update': updateRecord,
	'ticket.search': searchRecord,
	'ticket.updateStage': updateStage,
	'ticket.assignOwner': assignOwner,
	'task.assign': assignTask,
	'task.complete': completeTask,
	'task.listOpen': listOpen,
	'message.send': sendMessage,
	'user.getAll': listUsers,
	'user.getByEmail': userByEmail,
	'pipeline.getAll': listPipelines,
};
