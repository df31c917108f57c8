/* eslint-disable */
// The fault proxy itself: each fault kind reaches the client as the real thing would, and a fault
// injected `after` lets the sandbox apply the request while `before` does not.
import * as http from 'node:http';

import { FaultProxy, startFaultProxy, withTimeout } from '../helpers/faultProxy';
import type { Fault } from '../helpers/faultProxy';

let upstream: http.Server;
let upstreamUrl: string;
let applied: string[];
let proxy: FaultProxy;
let next: Fault | undefined;

beforeAll(async () => {
	upstream = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			applied.push(`${req.method} ${req.url} ${body}`);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ results: [{ id: '1' }, { id: '2' }], echo: body }));
		});
	});
	await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
	upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
	proxy = await startFaultProxy({ target: upstreamUrl, hangMs: 300, retryAfterSeconds: 2, plan: () => next });
});
afterAll(async () => {
	await proxy.stop();
	await new Promise<void>((resolve) => upstream.close(() => resolve()));
});
beforeEach(() => {
	applied = [];
	next = undefined;
	proxy.clear();
});

const post = (path = '/things?x=1') => fetch(`${proxy.url}${path}`, { method: 'POST', body: '{"a":1}' });

test('without a fault the answer passes through unchanged', async () => {
	const response = await post();
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({ results: [{ id: '1' }, { id: '2' }], echo: '{"a":1}' });
	expect(applied).toEqual(['POST /things?x=1 {"a":1}']);
});

test('429 carries Retry-After; 500 and 503 are answered without reaching the sandbox', async () => {
	next = { kind: 'rateLimited' };
	const limited = await post();
	expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
	next = { kind: 'serverError' };
	expect((await post()).status).toBe(500);
	next = { kind: 'unavailable' };
	expect((await post()).status).toBe(503);
	expect(applied).toEqual([]);
});

test('a 500 after the sandbox applied the request: applied, answer lost', async () => {
	next = { kind: 'serverError', phase: 'after' };
	expect((await post()).status).toBe(500);
	expect(applied).toHaveLength(1);
});

test('truncated JSON and HTML pages come with status 200', async () => {
	next = { kind: 'truncatedJson', phase: 'after' };
	const truncated = await post();
	const text = await truncated.text();
	expect(truncated.status).toBe(200);
	expect(() => JSON.parse(text)).toThrow();
	expect(text.startsWith('{"results":[{"id":"1"}')).toBe(true);
	next = { kind: 'htmlPage' };
	const html = await post();
	expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html']);
	expect(await html.text()).toMatch(/^<!DOCTYPE html>/);
});

test('a dropped connection fails the request; a hanging one runs into the client timeout', async () => {
	next = { kind: 'dropped' };
	await expect(post()).rejects.toThrow();
	next = { kind: 'hanging' };
	const timed = withTimeout(() => post(), 100);
	await expect(timed(undefined)).rejects.toMatchObject({ code: 'ECONNABORTED' });
	expect(proxy.counts()).toMatchObject({ dropped: 1, hanging: 1 });
	expect(proxy.injected.map((f) => `${f.kind} ${f.method} ${f.path}`)).toEqual(['dropped POST /things', 'hanging POST /things']);
});

test('rules: the first `skip` matching requests pass, the next `times` get the fault, then the plan decides again', async () => {
	proxy.add({ method: 'POST', pathEndsWith: '/things', skip: 1, times: 2, fault: { kind: 'status', status: 502, phase: 'after' } });
	const statuses: number[] = [];
	for (let i = 0; i < 4; i++) statuses.push((await post()).status);
	expect(statuses).toEqual([200, 502, 502, 200]);
	expect(applied).toHaveLength(4); // after-apply: the sandbox saw every one
	expect(proxy.log.map((e) => [e.status, e.fault ?? '-', e.upstreamStatus])).toEqual([
		[200, '-', 200],
		[502, 'status', 200],
		[502, 'status', 200],
		[200, '-', 200],
	]);
	expect((await fetch(`${proxy.url}/other`, { method: 'POST', body: 'x' })).status).toBe(200);
});

test('an echo answer repeats the request (credentials included) and is never forwarded; credentials passing through are collected', async () => {
	proxy.add({ pathEndsWith: '/things', fault: { kind: 'echo', status: 401, format: 'text' } });
	const response = await fetch(`${proxy.url}/things?q=1`, { method: 'POST', headers: { authorization: 'Bearer secret-token-123' }, body: 'grant_type=refresh_token&refresh_token=refresh-xyz-789' });
	expect(response.status).toBe(401);
	const text = await response.text();
	expect(text).toContain('secret-token-123');
	expect(text).toContain('refresh-xyz-789');
	expect(applied).toEqual([]);
	expect([...proxy.secretsSeen]).toEqual(expect.arrayContaining(['Bearer secret-token-123', 'secret-token-123', 'refresh-xyz-789']));
});

test("the sandbox's own address in an answer is rewritten to the proxy's", async () => {
	const response = await fetch(`${proxy.url}/things`, { method: 'POST', body: `see ${upstreamUrl}/next` });
	expect(((await response.json()) as { echo: string }).echo).toBe(`see ${proxy.url}/next`);
});
