/* eslint-disable */
// The transport's answer check, against a real local server behind the fault proxy: a garbled 200
// (HTML, JSON cut off, JSON without the declared shape) is retried when the request is idempotent
// and then fails with MALFORMED_RESPONSE; a write is not repeated and says it may have been applied.
import * as http from 'node:http';

import { CrmTransport } from '../../nodes/shared/transport/http';
import { id, listOf, object } from '../../nodes/shared/transport/answerShape';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { hubspotHttpProfile } from '../../nodes/shared/providers/hubspot/profile';
import { fetchSend } from '../helpers/fetchSend';
import { FaultProxy, startFaultProxy } from '../helpers/faultProxy';
import type { Fault } from '../helpers/faultProxy';

let server: http.Server;
let proxy: FaultProxy;
let answer: unknown;
let hits = 0;
let faults: Fault[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		hits++;
		req.resume();
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	proxy = await startFaultProxy({ target: `http://127.0.0.1:${(server.address() as { port: number }).port}`, plan: () => faults.shift() });
});
afterAll(async () => {
	await proxy.stop();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
	resetLimiters();
	hits = 0;
	faults = [];
	answer = { results: [{ id: '1' }] };
});

const RESULTS = object({ results: listOf(object({ id })) });
const transport = () =>
	new CrmTransport(fetchSend('token'), hubspotHttpProfile(proxy.url, '100'), {
		credentialKey: `answers-${Math.random()}`,
		retry: { baseDelayMs: 1, maxAttempts: 3 },
	});

test('a garbled answer followed by a good one: retried, the good one is returned', async () => {
	faults = [{ kind: 'htmlPage' }, { kind: 'truncatedJson', phase: 'after' }];
	const t = transport();
	const { body } = await t.request({ method: 'GET', path: '/x', idempotent: true, expect: RESULTS });
	expect(body).toEqual({ results: [{ id: '1' }] });
	expect(t.stats).toMatchObject({ requests: 3, retries: 2 });
});

test.each([
	['an HTML page', { kind: 'htmlPage' } as Fault, /HTML page/],
	['JSON cut off', { kind: 'truncatedJson', phase: 'after' } as Fault, /incomplete JSON/],
])('%s on every attempt fails a read with MALFORMED_RESPONSE (nothing was changed)', async (_name, fault, problem) => {
	faults = [fault, fault, fault];
	const error = await transport().request({ method: 'POST', path: '/crm/v3/objects/deals/search', idempotent: true, expect: RESULTS }).catch((e) => e);
	expect(error).toMatchObject({ name: 'CrmApiError', code: 'MALFORMED_RESPONSE', status: 200 });
	expect(error.message).toMatch(problem);
	expect(error.hint).toMatch(/nothing was changed/);
});

test('JSON of the wrong shape is no answer either: the missing list is named', async () => {
	answer = { status: 'COMPLETE' };
	const error = await transport().request({ method: 'GET', path: '/x', idempotent: true, expect: RESULTS }).catch((e) => e);
	expect(error).toMatchObject({ code: 'MALFORMED_RESPONSE' });
	expect(error.message).toMatch(/results is undefined, not a list/);
	expect(hits).toBe(3);
});

test('a garbled answer to a write is not repeated and says the write may have been applied', async () => {
	faults = [{ kind: 'truncatedJson', phase: 'after' }];
	const error = await transport().request({ method: 'POST', path: '/crm/v3/objects/deals/batch/create', body: { inputs: [] }, expect: RESULTS }).catch((e) => e);
	expect(error).toMatchObject({ code: 'MALFORMED_RESPONSE' });
	expect(error.hint).toMatch(/may have been applied/);
	expect(hits).toBe(1);
});

test('without a declared shape any JSON passes, an HTML page does not', async () => {
	answer = { anything: true };
	await expect(transport().request({ method: 'GET', path: '/x', idempotent: true })).resolves.toMatchObject({ body: { anything: true } });
	faults = [{ kind: 'htmlPage' }, { kind: 'htmlPage' }, { kind: 'htmlPage' }];
	await expect(transport().request({ method: 'GET', path: '/x', idempotent: true })).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
});
