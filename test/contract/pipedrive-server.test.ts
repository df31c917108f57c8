/* eslint-disable */
// The local Pipedrive sandbox's own behaviour, over HTTP: auth, errors, pagination, search,
// token budget and burst limits with their headers, webhooks v2 deliveries (retries, the ban, the
// deletion after 3 days), lead conversion, and the CrmSandbox adapter the workflow tests use.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { usePipedriveSandbox } from '../sandbox/pipedrive/testing';
import { PipedriveSandbox } from '../helpers/pipedriveSandbox';
import { CREDENTIAL_REF } from '../helpers/providers';

const box = usePipedriveSandbox();
const NOW = Date.parse('2026-03-02T10:00:00Z');

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}) {
	const headers: Record<string, string> = { ...(options.token === null ? {} : { 'x-api-token': options.token ?? box.pipedrive.apiToken }), ...(options.headers ?? {}) };
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${box.pipedrive.baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
	const text = await response.text();
	return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: text ? JSON.parse(text) : undefined };
}

function clockAt(ms: number) {
	let now = ms;
	box.pipedrive.setClock(() => now);
	return { advance: (by: number) => (now += by) };
}

describe('auth and errors', () => {
	test('x-api-token header, api_token query and OAuth bearer are accepted; anything else is a 401 in Pipedrive\'s shape', async () => {
		expect((await call('GET', '/api/v1/users/me')).status).toBe(200);
		expect((await call('GET', `/api/v1/users/me?api_token=${box.pipedrive.apiToken}`, { token: null })).status).toBe(200);
		expect((await call('GET', '/api/v1/users/me', { token: null, headers: { authorization: `Bearer ${box.pipedrive.oauthToken}` } })).status).toBe(200);
		expect(box.pipedrive.requests.map((r) => r.auth)).toEqual(['apiToken', 'apiTokenQuery', 'oauth']);
		for (const headers of [{}, { 'x-api-token': 'wrong' }, { authorization: `Bearer ${box.pipedrive.apiToken}` }] as Array<Record<string, string>>) {
			const answer = await call('GET', '/api/v2/deals', { token: null, headers });
			expect(answer.status).toBe(401);
			expect(answer.body).toMatchObject({ success: false, error: 'unauthorized access', data: null, additional_data: null });
			expect(answer.headers['x-ratelimit-limit']).toBeUndefined();
		}
	});

	test('undocumented bodies and query parameters are 400s recorded as violations; v1 endpoints replaced by v2 are 410', async () => {
		const extra = await call('POST', '/api/v2/deals', { body: { title: 'X', colour: 'red' } });
		expect(extra.status).toBe(400);
		expect(extra.body.error).toContain('body.colour is not a documented field');
		const query = await call('GET', '/api/v2/deals?start=0');
		expect(query.status).toBe(400);
		const v1 = await call('GET', '/api/v1/persons/search?term=ab');
		expect(v1.status).toBe(410);
		expect(v1.body.success).toBe(false);
		expect(box.pipedrive.violations).toEqual([
			'POST /api/v2/deals: body.colour is not a documented field',
			'GET /api/v2/deals: query parameter start is not documented for this endpoint',
			'GET /api/v1/persons/search: API v1 endpoint replaced by v2 (out of support since 2026-08-01)',
		]);
		box.pipedrive.violations.length = 0;
	});

	test('bad values name the field: unknown stage, wrong date, unknown custom field, a note without a parent', async () => {
		expect((await call('POST', '/api/v2/deals', { body: { title: 'X', stage_id: 99 } })).body.error).toBe('stage_id: stage 99 does not exist');
		expect((await call('POST', '/api/v2/activities', { body: { subject: 'X', due_date: '01.12.2026' } })).body.error).toContain('due_date must be a date YYYY-MM-DD');
		expect((await call('POST', '/api/v2/deals', { body: { title: 'X', custom_fields: { abc: 1 } } })).body.error).toBe('custom_fields.abc is not a custom field of deals');
		const note = await call('POST', '/api/v1/notes', { body: { content: 'Floating' } });
		expect(note.status).toBe(400);
		expect(note.body.error).toContain('must be attached');
		expect((await call('GET', '/api/v2/persons/77')).status).toBe(404);
		// v1's status=all_not_deleted does not exist in v2.
		expect((await call('GET', '/api/v2/deals?status=all_not_deleted')).body.error).toBe('status must be open, won, lost or deleted (got "all_not_deleted")');
	});
});

describe('lists', () => {
	test('cursor pages stay exact while records are added between pages (keyset on sort_by and id)', async () => {
		for (let i = 1; i <= 5; i++) box.pipedrive.create('deals', { title: `D${i}` });
		const first = await call('GET', '/api/v2/deals?limit=2');
		expect(first.body.data.map((d: any) => d.title)).toEqual(['D1', 'D2']);
		box.pipedrive.create('deals', { title: 'D6' });
		const titles = [...first.body.data.map((d: any) => d.title)];
		let cursor = first.body.additional_data.next_cursor;
		while (cursor) {
			const page = await call('GET', `/api/v2/deals?limit=2&cursor=${cursor}`);
			titles.push(...page.body.data.map((d: any) => d.title));
			cursor = page.body.additional_data.next_cursor;
		}
		expect(titles).toEqual(['D1', 'D2', 'D3', 'D4', 'D5', 'D6']);
		expect((await call('GET', '/api/v2/deals?limit=501')).status).toBe(400);
		box.pipedrive.violations.length = 0;
	});

	test('updated_since is inclusive, updated_until exclusive; archived deals only on /deals/archived', async () => {
		const clock = clockAt(NOW);
		const a = box.pipedrive.create('deals', { title: 'A' });
		clock.advance(60_000);
		const b = box.pipedrive.create('deals', { title: 'B' });
		const since = await call('GET', `/api/v2/deals?updated_since=${encodeURIComponent(b.update_time)}`);
		expect(since.body.data.map((d: any) => d.id)).toEqual([b.id]);
		const until = await call('GET', `/api/v2/deals?updated_until=${encodeURIComponent(b.update_time)}`);
		expect(until.body.data.map((d: any) => d.id)).toEqual([a.id]);
		box.pipedrive.update('deals', a.id, { is_archived: true });
		expect((await call('GET', '/api/v2/deals')).body.data.map((d: any) => d.id)).toEqual([b.id]);
		expect((await call('GET', '/api/v2/deals/archived')).body.data.map((d: any) => d.id)).toEqual([a.id]);
	});

	test('search finds a record only after the index lag', async () => {
		const clock = clockAt(NOW);
		box.pipedrive.setSearchLag(5_000);
		box.pipedrive.create('persons', { name: 'Lagging Lara', emails: [{ value: 'lara@x.example' }] });
		expect((await call('GET', '/api/v2/persons/search?term=lara@x.example&exact_match=true')).body.data.items).toEqual([]);
		clock.advance(5_000);
		expect((await call('GET', '/api/v2/persons/search?term=lara@x.example&exact_match=true')).body.data.items).toHaveLength(1);
		expect((await call('GET', '/api/v2/persons/search?term=l')).status).toBe(400);
	});
});

describe('rate limits', () => {
	test('every answer carries the burst headers; the burst window refuses with 429 and frees after 2 s; refused requests cost nothing', async () => {
		const clock = clockAt(NOW);
		box.pipedrive.setLimits({ apiToken: 3 });
		const answers = [];
		for (let i = 0; i < 4; i++) answers.push(await call('GET', '/api/v2/deals'));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
		expect(answers.map((a) => a.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
		expect(answers[0].headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-reset': '2', 'x-daily-requests-left': '10000' });
		expect(answers[3].body).toMatchObject({ success: false, error: 'Request over limit' });
		expect(box.pipedrive.tokensUsed()).toBe(3 * 10);
		clock.advance(2_000);
		expect((await call('GET', '/api/v2/deals')).status).toBe(200);
	});

	test('search has its own, lower burst limit', async () => {
		clockAt(NOW);
		box.pipedrive.setLimits({ search: 2 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/api/v2/persons/search?term=ab')).status);
		expect(statuses).toEqual([200, 200, 429]);
		expect((await call('GET', '/api/v2/persons')).status).toBe(200);
	});

	test('the daily token budget is spent by cost (v2 cheaper than v1), refuses with 429 when spent, and renews at UTC midnight', async () => {
		const clock = clockAt(Date.parse('2026-03-02T23:59:00Z'));
		box.pipedrive.setLimits({ dailyBudget: 30 });
		const deal = await call('POST', '/api/v2/deals', { body: { title: 'Budget' } }); // 5
		await call('GET', `/api/v2/deals/${deal.body.data.id}`); // 1
		await call('GET', '/api/v1/leads'); // 20
		expect(box.pipedrive.requests.map((r) => r.cost)).toEqual([5, 1, 20]);
		expect(box.pipedrive.tokensLeft()).toBe(4);
		const refused = await call('GET', '/api/v2/deals'); // 10 > 4
		expect(refused.status).toBe(429);
		expect(refused.headers['x-ratelimit-reset']).toBe('60');
		clock.advance(60_000);
		expect((await call('GET', '/api/v2/deals')).status).toBe(200);
		expect(box.pipedrive.tokensLeft()).toBe(20);
	});
});

describe('webhooks v2', () => {
	let receiver: http.Server;
	let url: string;
	const received: Array<{ auth?: string; body: any }> = [];
	let answer = 200;
	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (c) => (text += c));
			req.on('end', () => {
				received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
				res.writeHead(answer).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterAll(() => new Promise((resolve) => receiver.close(resolve)));
	beforeEach(() => {
		received.length = 0;
		answer = 200;
	});

	async function subscribe(extra: Record<string, unknown> = {}) {
		const created = await call('POST', '/api/v1/webhooks', { body: { subscription_url: url, event_action: '*', event_object: 'deal', name: 'n8n', version: '2.0', http_auth_user: 'u', http_auth_password: 'p', ...extra } });
		expect(created.status).toBe(201);
		return created.body.data.id as number;
	}

	test('create, change and delete envelopes: meta (id, action, entity, entity_id, change_source, user), data, previous with only the changed fields', async () => {
		await subscribe();
		const deal = (await call('POST', '/api/v2/deals', { body: { title: 'Hook' } })).body.data;
		await call('PATCH', `/api/v2/deals/${deal.id}`, { body: { stage_id: 3, value: 10 } });
		box.pipedrive.update('deals', deal.id, { stage_id: 4 }, { userId: box.pipedrive.userByEmail('ana@example.com')!.id });
		await call('DELETE', `/api/v2/deals/${deal.id}`);
		await box.pipedrive.deliverWebhooks();
		expect(received.map((r) => [r.body.meta.action, r.body.meta.change_source])).toEqual([
			['create', 'api'],
			['change', 'api'],
			['change', 'app'],
			['delete', 'api'],
		]);
		expect(received[1].body.previous).toEqual({ stage_id: 1, value: 0, stage_change_time: null });
		expect(received[1].body.data).toMatchObject({ id: deal.id, stage_id: 3 });
		expect(received[2].body.meta.user_id).toBe(box.pipedrive.userByEmail('ana@example.com')!.id);
		expect(received[3].body.data).toBeNull();
		expect(received[3].body.previous).toMatchObject({ id: deal.id, title: 'Hook' });
		expect(new Set(received.map((r) => r.body.meta.id)).size).toBe(4);
		expect(received[0].body.meta).toMatchObject({ entity: 'deal', entity_id: deal.id, version: '2.0', is_bulk_edit: false, attempt: 1 });
		expect(received.every((r) => r.auth === `Basic ${Buffer.from('u:p').toString('base64')}`)).toBe(true);
	});

	test('a failed delivery is retried after 3, 30 and 150 s with the same meta.id and a growing meta.attempt', async () => {
		const clock = clockAt(NOW);
		await subscribe();
		answer = 500;
		box.pipedrive.create('deals', { title: 'Retry' });
		await box.pipedrive.deliverWebhooks();
		for (const wait of [3_000, 30_000, 150_000]) {
			clock.advance(wait - 1);
			await box.pipedrive.deliverWebhooks();
			clock.advance(1);
			await box.pipedrive.deliverWebhooks();
		}
		clock.advance(3_600_000);
		await box.pipedrive.deliverWebhooks();
		expect(received.map((r) => r.body.meta.attempt)).toEqual([1, 2, 3, 4]);
		expect(new Set(received.map((r) => r.body.meta.id)).size).toBe(1);
	});

	test('10 failed first attempts ban the webhook for 30 minutes; 3 days without a success delete it', async () => {
		const clock = clockAt(NOW);
		const id = await subscribe({ event_action: 'create' });
		answer = 503;
		for (let i = 0; i < 10; i++) box.pipedrive.create('deals', { title: `F${i}` });
		await box.pipedrive.deliverWebhooks();
		expect(received).toHaveLength(10);
		box.pipedrive.create('deals', { title: 'During the ban' });
		await box.pipedrive.deliverWebhooks();
		expect(received).toHaveLength(10);
		expect(box.pipedrive.webhookDeliveries.at(-1)).toMatchObject({ skipped: 'banned' });
		expect((await call('GET', '/api/v1/webhooks')).body.data[0].is_active).toBe(0);
		clock.advance(30 * 60_000);
		answer = 200;
		box.pipedrive.create('deals', { title: 'After the ban' });
		await box.pipedrive.deliverWebhooks();
		expect(received.at(-1)!.body.data.title).toBe('After the ban');
		expect(box.pipedrive.listWebhooks().map((w) => w.id)).toEqual([id]);

		answer = 500;
		box.pipedrive.create('deals', { title: 'Failing again' });
		await box.pipedrive.deliverWebhooks();
		clock.advance(3 * 86_400_000 - 30 * 60_000 - 1);
		await box.pipedrive.deliverWebhooks();
		expect(box.pipedrive.listWebhooks()).toHaveLength(1);
		clock.advance(30 * 60_000 + 1);
		await box.pipedrive.deliverWebhooks();
		expect(box.pipedrive.listWebhooks()).toEqual([]);
		expect(box.pipedrive.removedWebhooks.map((w) => w.id)).toEqual([id]);
		expect((await call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
	});

	test('at most 40 webhooks per user; a bad subscription URL is refused naming the field', async () => {
		for (let i = 0; i < 40; i++) await subscribe();
		const over = await call('POST', '/api/v1/webhooks', { body: { subscription_url: url, event_action: '*', event_object: '*', name: 'x' } });
		expect(over.status).toBe(400);
		expect(over.body.errors.subscription_url[0]).toContain('40');
		box.pipedrive.reset();
		const bad = await call('POST', '/api/v1/webhooks', { body: { subscription_url: 'not a url', event_action: '*', event_object: '*', name: 'x' } });
		expect(bad.body).toMatchObject({ success: false, errors: { subscription_url: ['The subscription URL must be a valid URL'] } });
	});
});

describe('lead conversion', () => {
	test('converting an unknown lead is a 404; a converted lead is gone and its activities move to the deal', async () => {
		expect((await call('POST', '/api/v2/leads/00000000-0000-0000-0000-000000000000/convert/deal', { body: {} })).status).toBe(404);
		const person = box.pipedrive.create('persons', { name: 'P' });
		const lead = box.pipedrive.create('leads', { title: 'L', person_id: person.id });
		box.pipedrive.create('activities', { subject: 'Call', lead_id: lead.id });
		box.pipedrive.setConversionPolls(0);
		const started = await call('POST', `/api/v2/leads/${lead.id}/convert/deal`, { body: {} });
		const status = await call('GET', `/api/v2/leads/${lead.id}/convert/status/${started.body.data.conversion_id}`);
		expect(status.body.data).toMatchObject({ status: 'completed', lead_id: lead.id });
		expect((await call('GET', `/api/v1/leads/${lead.id}`)).status).toBe(404);
		expect(box.pipedrive.list('activities')[0]).toMatchObject({ lead_id: null, deal_id: status.body.data.deal_id });
	});
});

describe('test controls', () => {
	test('faults answer the next matching requests (or drop the socket) before any work or cost', async () => {
		box.pipedrive.fault({ method: 'PATCH', pathPrefix: '/api/v2/deals', status: 503, body: { success: false, error: 'Service unavailable' }, times: 2 });
		const deal = box.pipedrive.create('deals', { title: 'F' });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await call('PATCH', `/api/v2/deals/${deal.id}`, { body: { value: i } })).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect(box.pipedrive.requests.map((r) => r.cost)).toEqual([0, 0, 5]);
		box.pipedrive.fault({ pathPrefix: '/api/v1/users', status: 0, drop: true });
		await expect(call('GET', '/api/v1/users')).rejects.toThrow();
	});

	test('control endpoints: clock, limits, example process, reset', async () => {
		const post = (path: string, body: unknown): Promise<any> => fetch(`${box.pipedrive.baseUrl}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
		expect(await post('/__sandbox/clock', { now: '2026-05-01T00:00:00Z', advanceMs: 1000 })).toEqual({ now: '2026-05-01T00:00:01.000Z' });
		expect(box.pipedrive.now()).toBe(Date.parse('2026-05-01T00:00:01Z'));
		expect((await post('/__sandbox/limits', { dailyBudget: 100 })).tokensLeft).toBe(100);
		await post('/__sandbox/example-process', {});
		expect(box.pipedrive.stageByName('Contract sent')).toBeTruthy();
		expect(await post('/__sandbox/demo-data', {})).toEqual({ organizations: 6, persons: 6, leads: 6, deals: 6, activities: 6, notes: 6 });
		expect(box.pipedrive.list('deals').map((d) => d.owner_id)).not.toContain(box.pipedrive.tokenUserId);
		await post('/__sandbox/reset', {});
		expect(box.pipedrive.stageByName('Contract sent')).toBeUndefined();
		expect(box.pipedrive.list('deals')).toEqual([]);
	});
});

describe('the CrmSandbox adapter', () => {
	const sandbox = new PipedriveSandbox(CREDENTIAL_REF);
	beforeAll(() => sandbox.start());
	afterAll(() => sandbox.stop());
	beforeEach(() => {
		sandbox.reset();
		sandbox.useExampleProcess();
	});
	afterEach(() => expect(sandbox.violations()).toEqual([]));

	test('example process: stages by name, moves in the flow, leads with their person, tasks and notes', () => {
		expect(sandbox.pd.list('stages').map((s: any) => s.name)).toEqual(['Appointment scheduled', 'Qualified to buy', 'Presentation scheduled', 'Decision maker bought-in', 'Contract sent']);
		const deal = sandbox.createDeal('Big one', 'Decision maker bought-in', 500);
		sandbox.moveDeal(deal, 'Contract sent');
		expect(sandbox.dealStage(deal)).toBe('Contract sent');
		expect(sandbox.pd.changelogOf(deal).filter((c: any) => c.field_key === 'stage_id')).toHaveLength(1);

		const lead = sandbox.createLead({ email: 'nina@acme.example', firstName: 'Nina', company: 'Acme' });
		const stored = sandbox.pd.get('leads', lead)!;
		expect(sandbox.pd.get('persons', stored.person_id)!.emails[0].value).toBe('nina@acme.example');
		expect(sandbox.ownerOf('lead', lead)).toBe(sandbox.userId('ana@example.com'));
		expect(() => sandbox.createTicket()).toThrow('Pipedrive has no tickets');

		sandbox.createOpenTask('ana@example.com');
		expect(sandbox.tasks()).toEqual([{ subject: 'x', ownerId: sandbox.userId('ana@example.com'), priority: undefined, related: [], open: true }]);
		sandbox.pd.create('notes', { content: 'Plain note', deal_id: Number(deal) });
		sandbox.pd.create('notes', { content: 'Email: Welcome! (to nina@acme.example)\n\nHi Nina\n\n[n8n-crm:k1]', lead_id: lead });
		expect(sandbox.notes()).toEqual([{ body: 'Plain note', related: [deal] }]);
		expect(sandbox.loggedEmails()).toEqual([{ subject: 'Welcome!', body: 'Hi Nina', related: [lead] }]);
	});
});
