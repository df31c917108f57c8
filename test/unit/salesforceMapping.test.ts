/* eslint-disable */
// Salesforce ↔ normalized model: field mapping and conversions, error parsing, rate-limit kinds.
import { relatedFields, resourceOfId, selectFields, toRecord, toSObjectFields } from '../../nodes/shared/providers/salesforce/mapping';
import { parseSalesforceError, salesforceHttpProfile } from '../../nodes/shared/providers/salesforce/profile';
import { CrmInputError } from '../../nodes/shared/transport/errors';

const pipelines = [
	{ id: 'OpportunityStage', name: 'Sales Process', objectType: 'deal' as const, stages: [{ id: 'Closed Won', name: 'Closed Won', order: 0, closed: 'won' as const }] },
];

test('normalized fields become sObject fields with JSON types', () => {
	expect(toSObjectFields('Opportunity', { name: 'Big', amount: '1,200.50', closeDate: '2026-12-01T10:00:00+01:00', probability: 0.75, stageId: 'Prospecting' })).toEqual({
		Name: 'Big',
		Amount: 1200.5,
		CloseDate: '2026-12-01',
		Probability: 75,
		StageName: 'Prospecting',
	});
	// A due time late in the evening of a zone ahead of UTC keeps its own calendar day.
	expect(toSObjectFields('Task', { dueAt: '2026-12-01T23:30:00.000+10:00', priority: 'HIGH', status: 'completed' }, {}, { taskStatus: { open: 'Not Started', completed: 'Completed' } })).toEqual({
		ActivityDate: '2026-12-01',
		Priority: 'High',
		Status: 'Completed',
	});
	expect(toSObjectFields('Case', { priority: 'medium' })).toEqual({ Priority: 'Medium' });
	expect(toSObjectFields('Lead', { status: 'Working', emailOptOut: 'true' }, { Industry: 'Retail', Score__c: 5 })).toEqual({
		Status: 'Working',
		HasOptedOutOfEmail: true,
		Industry: 'Retail',
		Score__c: 5,
	});
});

test('bad input names the field and what is valid', () => {
	expect(() => toSObjectFields('Lead', { lifecycleStage: 'lead' })).toThrow(/"lifecycleStage" is not a field Salesforce Lead records have/);
	try {
		toSObjectFields('Lead', { lifecycleStage: 'lead' });
	} catch (error) {
		expect((error as CrmInputError).field).toBe('lifecycleStage');
		expect((error as CrmInputError).hint).toMatch(/firstName, lastName/);
	}
	expect(() => toSObjectFields('Lead', { name: 'x' })).toThrow(/set by Salesforce/);
	expect(() => toSObjectFields('Opportunity', { amount: 'lots' })).toThrow(/not a number/);
	expect(() => toSObjectFields('Opportunity', { probability: 75 })).toThrow(/fraction between 0 and 1/);
	expect(() => toSObjectFields('Lead', {}, { 'Bad Name': 1 })).toThrow(/API name/);
});

test('org-dependent fields are selected only when describe lists them', () => {
	expect(selectFields('Opportunity')).not.toContain('CurrencyIsoCode');
	expect(selectFields('Opportunity', new Set(['CurrencyIsoCode']))).toContain('CurrencyIsoCode');
	expect(selectFields('Lead')[0]).toBe('Id');
});

test('records map to the normalized model, vendor record in raw', () => {
	const record = {
		Id: '006000000000001AAA',
		Name: 'Big',
		StageName: 'Closed Won',
		Amount: 5000,
		Probability: 100,
		IsClosed: true,
		IsWon: true,
		CloseDate: '2026-12-01',
		CreatedDate: '2026-11-20T09:00:00.000+0000',
		LastModifiedDate: '2026-11-21T10:00:00.000+0000',
	};
	const deal = toRecord('deal', record, { instanceUrl: 'https://acme.my.salesforce.com/', pipelines }) as any;
	expect(deal).toMatchObject({
		id: record.Id,
		provider: 'salesforce',
		url: 'https://acme.my.salesforce.com/lightning/r/Opportunity/006000000000001AAA/view',
		name: 'Big',
		stageId: 'Closed Won',
		stageName: 'Closed Won',
		pipelineId: 'OpportunityStage',
		status: 'won',
		probability: 1,
		createdAt: '2026-11-20T09:00:00.000Z',
	});
	expect(deal.raw).toBe(record);
	const task = toRecord('task', { Id: '00T1', IsClosed: false, Priority: 'Normal', WhoId: '00Q000000000001', WhatId: '500000000000001', ActivityDate: '2026-12-01' }, { instanceUrl: 'x' }) as any;
	expect(task).toMatchObject({ status: 'open', priority: 'medium', dueAt: '2026-12-01', related: [{ type: 'lead', id: '00Q000000000001' }, { type: 'ticket', id: '500000000000001' }] });
	const contact = toRecord('contact', { Id: '003', HasOptedOutOfEmail: true, DoNotCall: true }, { instanceUrl: 'x' }) as any;
	expect(contact.optedOut).toEqual({ email: true, phone: true, all: false });
});

test('related records: leads and contacts are the who, the rest the what', () => {
	expect(resourceOfId('00Q5e000001abcdEAA')).toBe('lead');
	expect(relatedFields([{ type: 'contact', id: '003a' }, { type: 'deal', id: '006b' }])).toEqual({ WhoId: '003a', WhatId: '006b' });
	expect(relatedFields([{ type: 'ticket', id: '500c' }], 'ParentId')).toEqual({ ParentId: '500c' });
	expect(() => relatedFields([{ type: 'note', id: '002' }])).toThrow(/cannot be linked to a note/);
});

test('error bodies and rate-limit kinds', () => {
	const required = parseSalesforceError(400, [{ message: 'Required fields are missing: [Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }]);
	expect(required).toMatchObject({ code: 'REQUIRED_FIELD_MISSING', field: 'Company', message: 'Required fields are missing: [Company]' });
	expect(parseSalesforceError(401, '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]').code).toBe('INVALID_SESSION_ID');
	expect(parseSalesforceError(400, { error: 'invalid_grant', error_description: 'audience is invalid' })).toMatchObject({ code: 'invalid_grant', message: 'audience is invalid' });
	const profile = salesforceHttpProfile('https://x');
	expect(profile.rateLimitKind!(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }])).toBe('exhausted');
	expect(profile.rateLimitKind!(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.' }])).toBe('transient');
	expect(profile.rateLimitKind!(403, [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'no' }])).toBeUndefined();
	expect(parseSalesforceError(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]).hint).toMatch(/24-hour/);
	expect(profile.renewAuthOn401).toBe(true);
});
