/* eslint-disable */
// Zoho CRM mapping, COQL, data centres and error reading, with plain data.
import { isQualifiedStatus, toRecord, toZohoFields, relatedFields, zohoDateTime } from '../../nodes/shared/providers/zoho/mapping';
import { whereClause } from '../../nodes/shared/providers/zoho/coql';
import { apiDomainOf, DATA_CENTRES, parseZohoError, uiHostOf, zohoHttpProfile } from '../../nodes/shared/providers/zoho/profile';
import { CrmInputError } from '../../nodes/shared/transport/errors';
import type { Deal, Lead, Task } from '../../nodes/shared/model/types';

const ctx = { recordUrl: (m: string, id: string) => `https://crm.zoho.eu/crm/tab/${m}/${id}`, closedStages: new Map([['Closed Won', 'won' as const]]), pipelineIdByName: new Map([['Standard', 'p1']]) };

test('a deal reads its pipeline (object or name), stage, won status, contact and owner', () => {
	const deal = toRecord('deal', { id: '9', Deal_Name: 'Big', Amount: 10.5, Stage: 'Closed Won', Pipeline: 'Standard', Owner: { id: 'u1', name: 'A' }, Contact_Name: { id: 'c1' }, Modified_Time: '2026-05-01T10:00:00+02:00' }, ctx) as Deal;
	expect(deal).toMatchObject({ id: '9', name: 'Big', amount: 10.5, stageId: 'Closed Won', status: 'won', pipelineId: 'p1', ownerId: 'u1', contactIds: ['c1'], updatedAt: '2026-05-01T08:00:00.000Z', url: 'https://crm.zoho.eu/crm/tab/Deals/9' });
	expect((toRecord('deal', { id: '9', Pipeline: { name: 'X', id: 'p9' } }, ctx) as Deal).pipelineId).toBe('p9');
});

test('report fields: the last activity of a deal, a lead qualified by its status, a task is a to-do', () => {
	expect((toRecord('deal', { id: '9', Last_Activity_Time: '2026-05-01T10:00:00+02:00' }, ctx) as Deal).lastActivityAt).toBe('2026-05-01T08:00:00.000Z');
	expect((toRecord('deal', { id: '9' }, ctx) as Deal).lastActivityAt).toBeUndefined();
	// Zoho's Probability is a whole percent; the model's a fraction, both ways.
	expect((toRecord('deal', { id: '9', Probability: 90 }, ctx) as Deal).probability).toBe(0.9);
	expect(toZohoFields('Deals', { probability: 0.4 })).toEqual({ Probability: 40 });
	expect(toZohoFields('Deals', { probability: 75 })).toEqual({ Probability: 75 });
	expect(['Pre-Qualified', 'Qualified', 'Not Qualified', 'Unqualified', 'Contacted', undefined].map(isQualifiedStatus)).toEqual([true, true, false, false, false, false]);
	expect((toRecord('lead', { id: '1', Lead_Status: 'Pre-Qualified' }, ctx) as Lead).qualified).toBe(true);
	expect((toRecord('task', { id: '2', Status: 'Completed' }, ctx) as Task).kind).toBe('task');
});

test('writes: Zoho API names and value forms; unknown and read-only fields are refused by name', () => {
	expect(toZohoFields('Tasks', { subject: 'S', dueAt: '2026-12-01T23:30:00-05:00', status: 'completed', priority: 'high', ownerId: '7' })).toEqual({ Subject: 'S', Due_Date: '2026-12-01', Status: 'Completed', Priority: 'High', Owner: { id: '7' } });
	expect(toZohoFields('Deals', { amount: '1,250.50', closeDate: '2026-12-31', contactIds: ['c1'] })).toEqual({ Amount: 1250.5, Closing_Date: '2026-12-31', Contact_Name: { id: 'c1' } });
	expect(() => toZohoFields('Leads', { shoe: 1 })).toThrow('"shoe" is not a field of Zoho Leads');
	expect(() => toZohoFields('Cases', { number: '5' })).toThrow('set by Zoho CRM');
	expect(() => toZohoFields('Deals', { contactIds: ['a', 'b'] })).toThrow(CrmInputError);
	expect(zohoDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05+00:00');
});

test('links: a task to a deal and a contact, a note to its one parent', () => {
	expect(relatedFields('Tasks', [{ type: 'deal', id: 'd' }, { type: 'contact', id: 'c' }])).toEqual({ What_Id: { id: 'd' }, $se_module: 'Deals', Who_Id: { id: 'c' } });
	expect(() => relatedFields('Tasks', [{ type: 'deal', id: 'd' }, { type: 'lead', id: 'l' }])).toThrow('one lead, account, deal or case');
	expect(relatedFields('Notes', [{ type: 'ticket', id: 't' }])).toEqual({ Parent_Id: { module: { api_name: 'Cases' }, id: 't' } });
});

test('COQL: filters become nested criteria, values quoted, limits named', () => {
	expect(whereClause('Leads', [])).toBe('id is not null');
	expect(whereClause('Leads', [{ field: 'company', operator: 'eq', value: "O'Neil" }, { field: 'ownerId', operator: 'in', value: ['1', '2'] }, { field: 'email', operator: 'exists' }])).toBe(
		"((Company = 'O\\'Neil' and Owner in ('1', '2')) and Email is not null)",
	);
	expect(whereClause('Deals', [{ field: 'amount', operator: 'gt', value: '10' }])).toBe('Amount > 10');
	expect(() => whereClause('Leads', [{ field: 'ownerId', operator: 'in', value: Array.from({ length: 51 }, String) }])).toThrow('at most 50 values');
	expect(() => whereClause('Leads', [{ field: 'x) or (1', operator: 'eq', value: 1 }])).toThrow('not a Zoho field API name');
});

test('data centres: the token\'s api_domain wins; without it the centre\'s host; Canada signs in at zohocloud.ca', () => {
	expect(apiDomainOf({ dataCentre: 'EU', oauthTokenData: { api_domain: 'https://www.zohoapis.eu/' } })).toBe('https://www.zohoapis.eu');
	expect(apiDomainOf({ dataCentre: 'JP' })).toBe('https://www.zohoapis.jp');
	expect(DATA_CENTRES.CA.accounts).toBe('https://accounts.zohocloud.ca');
	expect(uiHostOf('https://www.zohoapis.com.au', 'AU')).toBe('https://crm.zoho.com.au');
	expect(zohoHttpProfile('https://www.zohoapis.in').baseUrl).toBe('https://www.zohoapis.in/crm/v8');
});

test('errors: code, field and a hint; remaining credits when Zoho sends them; used-up credits are not retried', () => {
	const info = parseZohoError(400, { data: [{ code: 'INVALID_DATA', details: { api_name: 'Email', expected_data_type: 'email' }, message: 'invalid data', status: 'error' }] }, {});
	expect(info).toMatchObject({ code: 'INVALID_DATA', field: 'Email', message: 'INVALID_DATA: invalid data' });
	expect(info.hint).toContain('expected email');
	expect(parseZohoError(429, { code: 'TOO_MANY_REQUESTS', message: 'x' }, { 'X-API-CREDITS-REMAINING': '1200' }).hint).toContain('Zoho API credits remaining: 1200.');
	const profile = zohoHttpProfile('https://www.zohoapis.com');
	expect(profile.rateLimitKind!(429, { code: 'TOO_MANY_REQUESTS' })).toBe('transient');
	expect(profile.rateLimitKind!(429, { code: 'LIMIT_EXCEEDED' })).toBe('exhausted');
});
