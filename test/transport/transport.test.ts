/* eslint-disable */
// The shared transport against a real local HTTP server: retries, backoff, Retry-After,
// vendor rate-limit headers, the client-side limiter, idempotency and error mapping.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { CrmTransport } from '../../nodes/shared/transport/http';
import { fetchSend } from '../helpers/fetchSend';
import { CrmApiError } from '../../nodes/shared/transport/errors';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { hubspotHttpProfile } from '../../nodes/shared/providers/hubspot/profile';

type Reply = { status: number; headers?: Record<string, string>; body?: unknown; drop?: boolean };

let server: http.Server;
let baseUrl: string;
let script: Reply[] = [];
let hits: Array<{ method: string; url: string; at: number }> = [];

const TOKEN = 'pat-na1-secret-token-value';

beforeAll(async () => {
	server = http.createServer((req, res) => {
		hits.push({ method: req.method!, url: req.url!, at: Date.now() });
		const reply = script.shift() ?? { status: 200, body: { ok: true } };
		if (reply.drop) {
			req.socket.destroy();
			return;
		}
		res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
		res.end(JSON.stringify(reply.body ?? {}));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
	script = [];
	hits = [];
	resetLimiters();
});

const send = fetchSend(TOKEN);

function transport(sleeps: number[] = [], overrides: Partial<ReturnType<typeof hubspotHttpProfile>> = {}) {
	return new CrmTransport(send, { ...hubspotHttpProfile(baseUrl, '100'), ...overrides }, {
		credentialKey: `cred-${Math.random()}`,
		retry: { baseDelayMs: 100, maxAttempts: 4 },
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		random: () => 0.5,
	});
}

test('a 429 with Retry-After waits as asked, then succeeds', async () => {
	script = [
		{ status: 429, headers: { 'retry-after': '2' }, body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' } },
		{ status: 200, body: { results: [1] } },
	];
	const sleeps: number[] = [];
	const t = transport(sleeps);
	const answer = await t.request({ method: 'POST', path: '/crm/v3/objects/deals/batch/create', body: { inputs: [] } });
	expect(answer.body).toEqual({ results: [1] });
	expect(hits).toHaveLength(2);
	// The limiter holds the bucket for the asked 2 s (the clock may have moved a few ms).
	expect(sleeps).toHaveLength(1);
	expect(sleeps[0]).toBeGreaterThan(1900);
	expect(sleeps[0]).toBeLessThanOrEqual(2000);
	expect(t.stats).toEqual({ requests: 2, retries: 1, cost: 2 }); // no requestCost in this profile: 1 per request sent
});

test('a 429 is retried even for a non-idempotent create (the vendor did not process it)', async () => {
	script = [{ status: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } }, { status: 201, body: { id: '1' } }];
	const sleeps: number[] = [];
	const answer = await transport(sleeps).request({ method: 'POST', path: '/crm/v3/objects/tasks', body: {}, idempotent: false });
	expect(answer.status).toBe(201);
	// Exponential backoff, attempt 1 with random 0.5: between base/2 and base.
	expect(sleeps).toEqual([75]);
});

test('the daily limit is not retried and says when it resets', async () => {
	script = [{ status: 429, body: { status: 'error', message: 'You have reached your daily limit.', policyName: 'DAILY', correlationId: 'corr-daily' } }];
	const error = await transport().request({ method: 'GET', path: '/crm/v3/owners', idempotent: true }).catch((e) => e);
	expect(error).toBeInstanceOf(CrmApiError);
	expect(error.status).toBe(429);
	expect(error.requestId).toBe('corr-daily');
	expect(error.hint).toMatch(/daily API limit/);
	expect(hits).toHaveLength(1);
});

test('5xx is retried with growing backoff for idempotent calls, until attempts run out', async () => {
	script = [500, 502, 503, 504].map((status) => ({ status, body: { message: 'upstream', correlationId: `c-${status}` } }));
	const sleeps: number[] = [];
	const error = await transport(sleeps).request({ method: 'GET', path: '/crm/v3/owners', idempotent: true }).catch((e) => e);
	expect(hits).toHaveLength(4);
	expect(sleeps).toEqual([75, 150, 300]);
	expect(error.status).toBe(504);
	expect(error.requestId).toBe('c-504');
});

test('5xx on a non-idempotent call is not retried blindly', async () => {
	script = [{ status: 500, body: { message: 'internal', correlationId: 'c1' } }];
	const error = await transport().request({ method: 'POST', path: '/crm/v3/objects/deals/batch/create', body: {} }).catch((e) => e);
	expect(hits).toHaveLength(1);
	expect(error).toBeInstanceOf(CrmApiError);
	expect(error.message).toBe('internal');
	expect(error.status).toBe(500);
});

test('a dropped connection is retried for reads and reported with a hint for writes', async () => {
	script = [{ status: 0, drop: true }, { status: 200, body: { ok: 1 } }];
	const read = await transport().request({ method: 'GET', path: '/crm/v3/owners', idempotent: true });
	expect(read.body).toEqual({ ok: 1 });
	expect(hits).toHaveLength(2);

	hits = [];
	script = [{ status: 0, drop: true }];
	const error = await transport().request({ method: 'POST', path: '/crm/v3/objects/tasks', body: {} }).catch((e) => e);
	expect(hits).toHaveLength(1);
	expect(error).toBeInstanceOf(CrmApiError);
	expect(error.hint).toMatch(/not retried automatically/);
});

test('X-HubSpot-RateLimit-Remaining: 0 when we used little of the window pauses briefly, never a whole window', async () => {
	script = [
		{ status: 200, headers: { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-max': '100' }, body: {} },
		{ status: 200, body: {} },
	];
	const sleeps: number[] = [];
	const t = transport(sleeps);
	await t.request({ method: 'GET', path: '/a', idempotent: true });
	await t.request({ method: 'GET', path: '/b', idempotent: true });
	// Someone else spent the window (we sent one request): about a tenth of the (10.5 s) window.
	expect(sleeps).toHaveLength(1);
	expect(sleeps[0]).toBeGreaterThan(900);
	expect(sleeps[0]).toBeLessThan(2000); // (a tenth of the window plus the measured latency)
});

test('the client-side limiter keeps any window under the limit (real time)', async () => {
	// Departure times are taken on the client: arrival times on a loaded machine can bunch up.
	const departures: number[] = [];
	const timedSend: typeof send = (options) => {
		departures.push(Date.now());
		return send(options);
	};
	const t = new CrmTransport(timedSend, { ...hubspotHttpProfile(baseUrl, '100'), rateLimits: { default: { max: 4, windowMs: 300 } } }, {
		credentialKey: 'limiter-test',
	});
	await Promise.all(Array.from({ length: 10 }, (_, i) => t.request({ method: 'GET', path: `/x${i}`, idempotent: true })));
	expect(hits).toHaveLength(10);
	const times = departures.sort((a, b) => a - b);
	for (let i = 0; i + 4 < times.length; i++) {
		// Any 5 consecutive requests span at least one window (small slack for timer jitter).
		expect(times[i + 4] - times[i]).toBeGreaterThanOrEqual(290);
	}
});

test('errors never carry the token, even when the vendor echoes it', async () => {
	script = [{ status: 400, body: { status: 'error', message: 'Bad header', category: 'VALIDATION_ERROR', correlationId: 'c9', echo: `Bearer ${TOKEN}` } }];
	const error = await transport().request({ method: 'POST', path: '/crm/v3/objects/deals/search', body: {}, idempotent: true }).catch((e) => e);
	expect(error).toBeInstanceOf(CrmApiError);
	const serialized = JSON.stringify({ ...error, message: error.message, description: error.describe() });
	expect(serialized).not.toContain(TOKEN);
	expect(serialized).toContain('[redacted]');
	expect(error.code).toBe('VALIDATION_ERROR');
});
