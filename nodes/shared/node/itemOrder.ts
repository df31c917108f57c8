import type { IDataObject } from 'n8n-workflow';

/**
 * Key order of an output item, which is the column order of n8n's table view: what a person
 * looks for first (which record, its stage and status, then who), then the other fields, then bookkeeping,
 * and the vendor's full record (`raw`, wide) last. Only the order changes, never the content.
 */
const FIRST = [
	'id',
	'type',
	'name',
	'subject',
	'stage',
	'stageName',
	'previousStage',
	'previous',
	'status',
	'changed',
	'firstName',
	'lastName',
	'email',
	'company',
	'amount',
	'currency',
	'assignedTo',
	'dueAt',
	'delivery',
];
const LAST = ['createdAt', 'updatedAt', 'url', 'provider', 'eventKey', 'raw'];

export function readableOrder(json: IDataObject): IDataObject {
	const keys = Object.keys(json);
	const first = FIRST.filter((key) => key in json);
	const last = LAST.filter((key) => key in json);
	const middle = keys.filter((key) => !FIRST.includes(key) && !LAST.includes(key));
	const ordered: IDataObject = {};
	for (const key of [...first, ...middle, ...last]) ordered[key] = json[key];
	return ordered;
}
