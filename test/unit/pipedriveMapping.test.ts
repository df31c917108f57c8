/* eslint-disable @typescript-eslint/no-explicit-any */
import { toBody, toRecord, relatedBody, pathOf } from '../../nodes/shared/providers/pipedrive/mapping';
import { parsePipedriveError, pipedriveHttpProfile, pipedriveSiteUrl, tokenCost } from '../../nodes/shared/providers/pipedrive/profile';
import { CrmInputError } from '../../nodes/shared/transport/errors';

const ctx = {
	siteUrl: 'https://acme.pipedrive.com',
	pipelines: [{ id: '1', name: 'Sales', objectType: 'deal' as const, stages: [{ id: '2', name: 'Proposal Made', order: 0, closed: 'open' as const }] }],
	leadLabels: [{ id: 'f0c2', name: 'Hot' }],
};

test('the company domain becomes the site; records link into Pipedrive', () => {
	expect(pipedriveSiteUrl('acme')).toBe('https://acme.pipedrive.com');
	expect(pipedriveSiteUrl('acme.pipedrive.com/')).toBe('https://acme.pipedrive.com');
	expect(pipedriveSiteUrl('http://127.0.0.1:4010/api/v2')).toBe('http://127.0.0.1:4010');
	const deal = toRecord('deal', { id: 5, title: 'Big', stage_id: 2, pipeline_id: 1, status: 'won', value: 10, currency: 'EUR', owner_id: 7, person_id: 9, add_time: '2026-01-02T03:04:05Z' }, ctx) as any;
	expect(deal).toMatchObject({ id: '5', url: 'https://acme.pipedrive.com/deal/5', name: 'Big', stageId: '2', stageName: 'Proposal Made', status: 'won', amount: 10, ownerId: '7', contactIds: ['9'], createdAt: '2026-01-02T03:04:05.000Z' });
	const person = toRecord('contact', { id: 9, first_name: 'Ana', emails: [{ value: 'b@x.com' }, { value: 'ana@x.com', primary: true }], marketing_status: 'unsubscribed' }, ctx) as any;
	expect(person).toMatchObject({ url: 'https://acme.pipedrive.com/person/9', email: 'ana@x.com', optedOut: { email: true, all: false } });
	const task = toRecord('task', { id: 3, subject: 'Call', due_date: '2026-05-01', due_time: '09:30', done: true, owner_id: 7, deal_id: 5 }, ctx) as any;
	expect(task).toMatchObject({ dueAt: '2026-05-01T09:30:00.000Z', status: 'completed', ownerId: '7', related: [{ type: 'deal', id: '5' }] });
});

test('normalized fields become Pipedrive fields; what Pipedrive lacks is refused by name', () => {
	expect(toBody('deal', { name: 'X', amount: '1,250.50', stageId: '2', ownerId: '7', closeDate: '2026-12-01T23:00:00-05:00' }, undefined, [])).toEqual({
		title: 'X',
		value: 1250.5,
		stage_id: 2,
		owner_id: 7,
		expected_close_date: '2026-12-01',
	});
	expect(toBody('task', { dueAt: '2026-05-01T11:30:00+02:00', status: 'completed' }, undefined, [])).toEqual({ due_date: '2026-05-01', due_time: '09:30', done: true });
	expect(toBody('lead', { status: 'hot' }, undefined, ctx.leadLabels)).toEqual({ label_ids: ['f0c2'] });
	expect(() => toBody('lead', { status: 'Qualified' }, undefined, ctx.leadLabels)).toThrow(/not a Pipedrive lead label/);
	expect(toBody('company', { domain: 'x.com' }, undefined, [])).toEqual({ website: 'x.com' });
	expect(toBody('contact', { firstName: 'Ana', lastName: 'Lima', email: 'a@x.com' }, undefined, [])).toEqual({ name: 'Ana Lima', emails: [{ value: 'a@x.com', primary: true, label: 'work' }] });
	expect(() => toBody('lead', { source: 'Web' }, undefined, [])).toThrow(CrmInputError);
	expect(() => toBody('deal', { stageId: 'Proposal' }, undefined, [])).toThrow(/not a Pipedrive id/);
	expect(() => toBody('deal', { status: 'closed' }, undefined, [])).toThrow(expect.objectContaining({ field: 'status', hint: 'Valid: open, won, lost.' }));
	const key = 'a'.repeat(40);
	expect(toBody('deal', {}, { [key]: 'v', visible_to: 3 }, [])).toEqual({ custom_fields: { [key]: 'v' }, visible_to: 3 });
	expect(relatedBody('task', [{ type: 'deal', id: '5' }, { type: 'contact', id: '9' }])).toEqual({ deal_id: 5, participants: [{ person_id: 9, primary: true }] });
	expect(() => relatedBody('deal', [{ type: 'lead', id: 'x' }])).toThrow(/cannot link a deal to a lead/);
	expect(() => pathOf('ticket')).toThrow(expect.objectContaining({ message: 'Pipedrive does not support tickets', hint: expect.stringMatching(/Pipedrive has no tickets/) }));
});

test('token costs per endpoint: v2 about half of v1; a 250-deal stage update costs 250 × PATCH', () => {
	expect(tokenCost({ method: 'GET', path: '/api/v2/deals' })).toBe(10);
	expect(tokenCost({ method: 'GET', path: '/api/v2/deals/5' })).toBe(1);
	expect(tokenCost({ method: 'PATCH', path: '/api/v2/deals/5' })).toBe(5);
	expect(tokenCost({ method: 'GET', path: '/api/v1/leads' })).toBe(20);
	expect(tokenCost({ method: 'GET', path: '/api/v1/deals/5/flow' })).toBe(20);
	expect(tokenCost({ method: 'GET', path: '/api/v2/persons/search' })).toBe(20);
});

test("Pipedrive's errors are read with a hint; a spent daily budget is not retried, a burst 429 is", () => {
	const info = parsePipedriveError(403, { success: false, error: "Couldn't add the deal. Open deals limit reached.", code: 'feature_capping_deals_limit' }, {});
	expect(info.message).toBe("Couldn't add the deal. Open deals limit reached.");
	expect(info.hint).toMatch(/plan limit/);
	expect(parsePipedriveError(401, { success: false, error: 'unauthorized access' }, {}).hint).toMatch(/API token/);
	const profile = pipedriveHttpProfile('https://acme.pipedrive.com');
	expect(profile.rateLimitKind!(429, { success: false, error: 'Daily token budget exceeded' })).toBe('exhausted');
	expect(profile.rateLimitKind!(429, { success: false, error: 'Request over limit' })).toBe('transient');
	expect(profile.rateLimitPauseMs!({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }, 'default')).toBe(1000);
	expect(profile.rateLimitPauseMs!({ 'x-ratelimit-remaining': '5' }, 'default')).toBeUndefined();
	expect(profile.rateLimits.default).toEqual({ max: 20, windowMs: 2000 });
	expect(profile.rateLimits.search).toEqual({ max: 10, windowMs: 2000 });
});
