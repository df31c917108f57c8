/* eslint-disable */
// Normalized search filters → EspoCRM where items (https://docs.espocrm.com/development/api-search-params/).
import { idsWhere, timeWhere, toWhere, toWhereItem } from '../../nodes/shared/providers/espocrm/where';
import { inputErrorOf } from './expectError';

const ctx = { closedTaskStatuses: ['Completed', 'Canceled', 'Deferred'] };

test('each operator maps to its where type, on the EspoCRM attribute behind the field', () => {
	const where = toWhere(
		'lead',
		[
			{ field: 'email', operator: 'eq', value: 'a@b.example' },
			{ field: 'ownerId', operator: 'neq', value: 'u1' },
			{ field: 'company', operator: 'contains', value: 'Acme' },
			{ field: 'status', operator: 'in', value: 'New, Assigned,' },
			{ field: 'status', operator: 'notIn', value: ['Dead'] },
			{ field: 'phone', operator: 'exists' },
			{ field: 'title', operator: 'notExists' },
			{ field: 'cScore', operator: 'gt', value: 5 },
		],
		ctx,
	);
	expect(where).toEqual([
		{ type: 'equals', attribute: 'emailAddress', value: 'a@b.example' },
		{ type: 'notEquals', attribute: 'assignedUserId', value: 'u1' },
		{ type: 'contains', attribute: 'accountName', value: 'Acme' },
		{ type: 'in', attribute: 'status', value: ['New', 'Assigned'] },
		{ type: 'notIn', attribute: 'status', value: ['Dead'] },
		{ type: 'isNotNull', attribute: 'phoneNumber' },
		{ type: 'isNull', attribute: 'title' },
		{ type: 'greaterThan', attribute: 'cScore', value: 5 },
	]);
});

test('date-times compare in EspoCRM\'s UTC format; mapped values (priority, probability) convert', () => {
	expect(toWhereItem('deal', { field: 'createdAt', operator: 'lt', value: '2026-06-01T02:00:00+02:00' }, ctx)).toEqual({ type: 'lessThan', attribute: 'createdAt', value: '2026-06-01 00:00:00' });
	expect(toWhereItem('task', { field: 'dueAt', operator: 'lte', value: Date.UTC(2026, 0, 1) }, ctx)).toEqual({ type: 'lessThanOrEquals', attribute: 'dateEnd', value: '2026-01-01 00:00:00' });
	expect(toWhereItem('deal', { field: 'closeDate', operator: 'gte', value: '2026-06-01T10:00:00Z' }, ctx)).toEqual({ type: 'greaterThanOrEquals', attribute: 'closeDate', value: '2026-06-01' });
	expect(toWhereItem('ticket', { field: 'priority', operator: 'in', value: 'high,urgent' }, ctx)).toEqual({ type: 'in', attribute: 'priority', value: ['High', 'Urgent'] });
	expect(toWhereItem('deal', { field: 'probability', operator: 'gte', value: 0.5 }, ctx)).toEqual({ type: 'greaterThanOrEquals', attribute: 'probability', value: 50 });
	expect(toWhereItem('contact', { field: 'emailOptOut', operator: 'eq', value: true }, ctx)).toEqual({ type: 'equals', attribute: 'emailAddressIsOptedOut', value: true });
});

test('task status open / completed means EspoCRM\'s not-actual statuses; its own names pass as they are', () => {
	expect(toWhereItem('task', { field: 'status', operator: 'eq', value: 'open' }, ctx)).toEqual({ type: 'notIn', attribute: 'status', value: ['Completed', 'Canceled', 'Deferred'] });
	expect(toWhereItem('task', { field: 'status', operator: 'neq', value: 'completed' }, ctx)).toEqual({ type: 'notIn', attribute: 'status', value: ['Completed', 'Canceled', 'Deferred'] });
	expect(toWhereItem('task', { field: 'status', operator: 'eq', value: 'Completed ' }, { closedTaskStatuses: ['Done'] })).toEqual({ type: 'in', attribute: 'status', value: ['Done'] });
	expect(toWhereItem('task', { field: 'status', operator: 'eq', value: 'Started' }, ctx)).toEqual({ type: 'equals', attribute: 'status', value: 'Started' });
});

test('bad filters fail with what is valid', () => {
	expect(inputErrorOf(() => toWhereItem('lead', { field: 'status', operator: 'like' as any, value: 'x' }, ctx))).toMatchObject({
		message: '"like" is not a search operator',
		hint: expect.stringContaining('Valid: eq, neq'),
	});
	expect(inputErrorOf(() => toWhereItem('lead', { field: ' ', operator: 'eq', value: 'x' }, ctx)).message).toBe('A search filter has no field');
	expect(inputErrorOf(() => toWhereItem('deal', { field: 'createdAt', operator: 'gt', value: 'soon' }, ctx)).message).toBe('"soon" is not a date');
});

test('keyset pages on a time attribute and reads by id', () => {
	const from = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
	expect(timeWhere('modifiedAt', { from, mode: 'gte' })).toEqual({ type: 'greaterThanOrEquals', attribute: 'modifiedAt', value: '2026-01-02 03:04:05' });
	expect(timeWhere('modifiedAt', { from, mode: 'gt' })).toEqual({ type: 'greaterThan', attribute: 'modifiedAt', value: '2026-01-02 03:04:05' });
	expect(timeWhere('createdAt', { from, mode: 'eq' })).toEqual({ type: 'equals', attribute: 'createdAt', value: '2026-01-02 03:04:05' });
	expect(idsWhere(['a', 'b'])).toEqual({ type: 'in', attribute: 'id', value: ['a', 'b'] });
});
