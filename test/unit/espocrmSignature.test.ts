/* eslint-disable */
// Signatures: EspoCRM's webhook `Signature` header (verified in constant time on the raw body)
// and the credential's request signing (API key, HMAC of "METHOD /path", password).
import * as crypto from 'node:crypto';
import { Workflow } from 'n8n-workflow';

import { CrmEspoCrmApi, espoAuthHeaders } from '../../credentials/CrmEspoCrmApi.credentials';
import { EspoWebhookSource, signaturesMatch, webhookSignature } from '../../nodes/shared/providers/espocrm/webhooks';

/** The documented construction, written independently: base64(webhookId + ':' + hex HMAC-SHA256(payload, secret)). */
const documented = (id: string, secret: string, payload: string) =>
	Buffer.from(`${id}:${crypto.createHmac('sha256', secret).update(payload, 'utf8').digest('hex')}`).toString('base64');

describe('webhook signature', () => {
	const payload = '[{"id":"6a1","name":"W\\/1 \\u00fc"}]';

	test('matches the documented construction, over the exact bytes', () => {
		expect(webhookSignature('hook1', 's3cret', Buffer.from(payload))).toBe(documented('hook1', 's3cret', payload));
		expect(webhookSignature('hook1', 's3cret', payload)).toBe(documented('hook1', 's3cret', payload));
		// Re-serializing the parsed body changes the bytes, and so the signature.
		expect(webhookSignature('hook1', 's3cret', JSON.stringify(JSON.parse(payload)))).not.toBe(documented('hook1', 's3cret', payload));
	});

	test('constant-time comparison: equal, different, different length, missing', () => {
		const good = documented('hook1', 's3cret', payload);
		expect(signaturesMatch(good, good)).toBe(true);
		expect(signaturesMatch(` ${good} `, good)).toBe(true);
		expect(signaturesMatch(good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA'), good)).toBe(false);
		expect(signaturesMatch(good.slice(1), good)).toBe(false);
		expect(signaturesMatch(undefined, good)).toBe(false);
	});

	test('verify: valid, forged secret, other webhook id, missing header, no secret, no raw body', () => {
		const source = new EspoWebhookSource('newLead', {} as any);
		const registration = { id: 'hook1', secret: 's3cret' };
		const request = (headers: Record<string, string | undefined>, rawBody: any = Buffer.from(payload)) => ({ method: 'POST', url: '/webhook/x', headers, rawBody });
		expect(source.verify(request({ Signature: documented('hook1', 's3cret', payload) }), registration)).toBe(true);
		expect(source.verify(request({ signature: documented('hook1', 'guess', payload) }), registration)).toBe(false);
		expect(source.verify(request({ signature: documented('hook2', 's3cret', payload) }), registration)).toBe(false);
		// The legacy header alone (pre-9.0 construction) is not accepted.
		const legacy = Buffer.concat([Buffer.from('hook1:'), crypto.createHmac('sha256', 's3cret').update(payload).digest()]).toString('base64');
		expect(source.verify(request({ 'x-signature': legacy }), registration)).toBe(false);
		expect(source.verify(request({}), registration)).toBe(false);
		expect(source.verify(request({ signature: documented('hook1', 's3cret', payload) }), { id: 'hook1' })).toBe(false);
		expect(source.verify(request({ signature: documented('hook1', 's3cret', payload) }, payload), registration)).toBe(false);
	});

	test('only events EspoCRM can push have a webhook source', () => {
		expect(() => new EspoWebhookSource('taskOverdue', {} as any)).toThrow('EspoCRM cannot send the "taskOverdue" event by webhook');
	});
});

describe('credential request signing', () => {
	const hmac = { siteUrl: 'https://crm.example.com', authMethod: 'hmac', apiKey: 'KEY', secretKey: 'SECRET' };
	const expectedHmac = (signed: string) => Buffer.from(`KEY:${crypto.createHmac('sha256', 'SECRET').update(signed).digest('hex')}`).toString('base64');

	test('HMAC signs "METHOD /path" under api/v1, without the query, also in a sub-folder install', () => {
		expect(espoAuthHeaders(hmac, { method: 'POST', url: 'https://crm.example.com/api/v1/Lead/action/convert' })).toEqual({
			'X-Hmac-Authorization': expectedHmac('POST /Lead/action/convert'),
		});
		expect(espoAuthHeaders(hmac, { url: 'https://x.example/espo/api/v1/Lead?searchParams=%7B%7D' })).toEqual({ 'X-Hmac-Authorization': expectedHmac('GET /Lead') });
		// The credential test's relative URL (next to its baseURL).
		expect(espoAuthHeaders(hmac, { method: 'GET', url: '/App/user' })).toEqual({ 'X-Hmac-Authorization': expectedHmac('GET /App/user') });
	});

	test('API key and password methods', () => {
		expect(espoAuthHeaders({ authMethod: 'apiKey', apiKey: 'abc' }, { url: 'https://x/api/v1/Lead' })).toEqual({ 'X-Api-Key': 'abc' });
		expect(espoAuthHeaders({ authMethod: 'basic', username: 'ana', password: 'p:w' }, { url: 'https://x/api/v1/Lead' })).toEqual({
			'Espo-Authorization': Buffer.from('ana:p:w').toString('base64'),
		});
	});

	test('authenticate() adds the header and keeps the request; the credential is complete for n8n', async () => {
		const credential = new CrmEspoCrmApi();
		const signed = await credential.authenticate({ authMethod: 'apiKey', apiKey: 'k' }, { url: 'https://x/api/v1/Lead', method: 'GET', headers: { 'X-No-Total': 'true' }, qs: { a: 1 } });
		expect(signed).toEqual({ url: 'https://x/api/v1/Lead', method: 'GET', headers: { 'X-No-Total': 'true', 'X-Api-Key': 'k' }, qs: { a: 1 } });
		expect(credential).toMatchObject({ name: 'crmEspoCrmApi', displayName: 'CRM: EspoCRM API' });
		expect(credential.documentationUrl).toMatch(/^https:\/\/docs\.espocrm\.com\//);
		expect(credential.test.request).toMatchObject({ url: '/App/user', method: 'GET' });
		// n8n resolves the test request's baseURL as an expression over the credential's data.
		const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: { getByName: () => ({}), getByNameAndVersion: () => ({}), getKnownTypes: () => ({}) } as any });
		const node = { id: 'n', name: 'n', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} } as any;
		const resolve = (siteUrl: string) => workflow.expression.getSimpleParameterValue(node, credential.test.request.baseURL!, 'internal', { $credentials: { siteUrl } } as any);
		expect(resolve('https://crm.example.com/')).toBe('https://crm.example.com/api/v1');
		expect(resolve('https://x.example/espo')).toBe('https://x.example/espo/api/v1');
		for (const name of ['apiKey', 'secretKey', 'password']) {
			expect(credential.properties.find((p) => p.name === name)!.typeOptions).toEqual({ password: true });
		}
		expect(credential.icon).toEqual({ light: 'file:../icons/espocrm.svg', dark: 'file:../icons/espocrm.dark.svg' });
	});
});
