/* eslint-disable */
// Tests of the local Salesforce REST API sandbox itself (test/sandbox/salesforce): transport
// (versions, sessions, limits), OAuth grants, sObject rows and describe, SOQL, query paging,
// sObject Collections, org behaviour (derived fields, history rows), emailSimple and the
// sandbox's own controls.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSalesforceServer } from '../sandbox/salesforce/server';
import type { FakeSalesforce } from '../sandbox/salesforce';

let sf: FakeSalesforce;
const V = '/services/data/v67.0';

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: any;
}

async function api(
	method: string,
	urlPath: string,
	body?: unknown,
	options: { token?: string | null; headers?: Record<string, string>; form?: Record<string, string>; redirect?: 'manual' } = {},
): Promise<Answer> {
	const token = options.token === undefined ? sf.token : options.token;
	const headers: Record<string, string> = { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...(options.headers || {}) };
	let payload: string | undefined;
	if (options.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		payload = new URLSearchParams(options.form).toString();
	} else if (body !== undefined) {
		headers['content-type'] = 'application/json';
		payload = typeof body === 'string' ? body : JSON.stringify(body);
	}
	const response = await fetch(`${sf.baseUrl}${urlPath}`, { method, headers, body: payload, redirect: options.redirect || 'follow' });
	const text = await response.text();
	const out: Record<string, string> = {};
	response.headers.forEach((v, k) => (out[k] = v));
	return { status: response.status, headers: out, body: text ? JSON.parse(text) : undefined };
}

const query = (soql: string, headers?: Record<string, string>) => api('GET', `${V}/query?q=${encodeURIComponent(soql)}`, undefined, { headers });
const ids = (answer: Answer) => answer.body.records.map((r: any) => r.Id);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

beforeAll(async () => {
	sf = await startSalesforceServer({ port: 0 });
});
afterAll(() => sf.stop());
beforeEach(() => {
	sf.reset();
	sf.setClock(() => Date.now());
});

describe('versions, sessions and limits', () => {
	test('GET /services/data/ lists the served versions without authentication, newest Summer 26 (67.0)', async () => {
		const answer = await api('GET', '/services/data/', undefined, { token: null });
		expect(answer.status).toBe(200);
		expect(answer.body[0]).toEqual({ label: "Winter '21", url: '/services/data/v50.0', version: '50.0' });
		expect(answer.body[answer.body.length - 1]).toEqual({ label: "Summer '26", url: '/services/data/v67.0', version: '67.0' });
		expect(sf.apiVersion).toBe('67.0');
		expect((await api('GET', '/services/data/latest/limits')).status).toBe(200);
		expect((await api('GET', '/services/data/v50.0/limits')).status).toBe(200);
		const old = await api('GET', '/services/data/v49.0/limits');
		expect(old.status).toBe(404);
		expect(old.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
		expect(sf.violations).toEqual(['GET /services/data/v49.0/limits: API version v49.0 is not served (v50.0 … v67.0 or latest)']);
	});

	test('a missing, unknown or expired token is 401 INVALID_SESSION_ID and costs no API request', async () => {
		for (const token of [null, 'nope']) {
			const answer = await api('GET', `${V}/limits`, undefined, { token });
			expect(answer.status).toBe(401);
			expect(answer.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
		}
		const limits = await api('GET', `${V}/limits`);
		expect(limits.body.DailyApiRequests).toEqual({ Max: 100000, Remaining: 99999 });
		sf.expireSessions();
		expect((await api('GET', `${V}/limits`)).status).toBe(401);
		sf.reset();
		expect((await api('GET', `${V}/limits`)).status).toBe(200);
	});

	test('every API response carries Sforce-Limit-Info; a used-up daily limit answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
		sf.setDailyLimit(2);
		const first = await api('GET', `${V}/limits`);
		expect(first.headers['sforce-limit-info']).toBe('api-usage=1/2');
		expect(first.body.DailyApiRequests).toEqual({ Max: 2, Remaining: 1 });
		const second = await query('SELECT Id FROM Lead');
		expect(second.headers['sforce-limit-info']).toBe('api-usage=2/2');
		const third = await api('GET', `${V}/limits`);
		expect(third.status).toBe(403);
		expect(third.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
		expect(third.headers['sforce-limit-info']).toBe('api-usage=2/2');
		// The allocation is a rolling 24 hours on the sandbox clock.
		const start = Date.now();
		sf.setClock(() => start + 86_400_001);
		expect((await api('GET', `${V}/limits`)).status).toBe(200);
	});

	test('unknown resources are 404 violations; wrong methods 405', async () => {
		const unknown = await api('GET', `${V}/sobjects`);
		expect(unknown.status).toBe(404);
		const method = await api('PUT', `${V}/sobjects/Lead/00QHs0000000001MAA`, {});
		expect(method.status).toBe(405);
		expect(method.body[0].errorCode).toBe('METHOD_NOT_ALLOWED');
		expect(method.body[0].message).toBe("HTTP Method 'PUT' not allowed. Allowed are GET,PATCH,DELETE");
		expect(sf.violations).toEqual([
			`GET ${V}/sobjects: no documented endpoint GET ${V}/sobjects`,
			`PUT ${V}/sobjects/Lead/00QHs0000000001MAA: method PUT is not documented for ${V}/sobjects/Lead/00QHs0000000001MAA`,
		]);
	});
});

describe('OAuth 2.0', () => {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
	const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const jwt = (claims: Record<string, unknown>, key: crypto.KeyObject = privateKey, header: Record<string, unknown> = { alg: 'RS256' }) => {
		const data = `${enc(header)}.${enc(claims)}`;
		return `${data}.${crypto.sign('RSA-SHA256', Buffer.from(data), key).toString('base64url')}`;
	};
	const claims = (extra: Record<string, unknown> = {}) => ({
		iss: 'jwt-app',
		sub: 'ana@example.com.sandbox',
		aud: 'https://login.salesforce.com',
		exp: Math.floor(Date.now() / 1000) + 120,
		...extra,
	});
	const jwtGrant = (assertion: string) =>
		api('POST', '/services/oauth2/token', undefined, { token: null, form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion } });

	beforeEach(() => {
		sf.registerConnectedApp({ consumerKey: 'jwt-app', consumerSecret: 'jwt-secret', publicKeyPem });
		sf.registerConnectedApp({ consumerKey: 'web-app', consumerSecret: 'web-secret', redirectUri: 'https://n8n.example/callback' });
	});

	test('JWT bearer: a valid assertion returns the documented token body (no refresh token) and the token runs as `sub`', async () => {
		const answer = await jwtGrant(jwt(claims()));
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.body).sort()).toEqual(['access_token', 'id', 'instance_url', 'scope', 'token_type']);
		expect(answer.body).toMatchObject({ instance_url: sf.baseUrl, token_type: 'Bearer', scope: 'api' });
		expect(answer.body.access_token).toMatch(/^00DHs0000000001!/);
		const ana = sf.users().ana;
		expect(answer.body.id).toBe(`${sf.baseUrl}/id/00DHs0000000001MAA/${ana.Id}`);
		const created = await api('POST', `${V}/sobjects/Account`, { Name: 'Acme' }, { token: answer.body.access_token });
		expect(created.status).toBe(201);
		expect(sf.get('Account', created.body.id)).toMatchObject({ CreatedById: ana.Id, OwnerId: ana.Id });
		// Audiences: test.salesforce.com and the sandbox's own URL are accepted too.
		expect((await jwtGrant(jwt(claims({ aud: 'https://test.salesforce.com' }))) ).status).toBe(200);
		expect((await jwtGrant(jwt(claims({ aud: sf.baseUrl })))).status).toBe(200);
	});

	test('JWT bearer: bad signature, wrong audience, expiry, window, issuer and user failures', async () => {
		const cases: Array<[string, Record<string, string>]> = [
			[jwt(claims(), other.privateKey), { error: 'invalid_grant', error_description: 'invalid assertion' }],
			[jwt(claims(), privateKey, { alg: 'HS256' }), { error: 'invalid_grant', error_description: 'invalid assertion' }],
			['not.a.jwt', { error: 'invalid_grant', error_description: 'invalid assertion' }],
			[jwt(claims({ aud: 'https://evil.example' })), { error: 'invalid_grant', error_description: 'Audience validation failed' }],
			[jwt(claims({ exp: Math.floor(Date.now() / 1000) - 5 })), { error: 'invalid_grant', error_description: 'expired authorization code' }],
			[jwt(claims({ exp: Math.floor(Date.now() / 1000) + 600 })), { error: 'invalid_grant', error_description: 'invalid assertion' }],
			[jwt(claims({ iss: 'unknown-app' })), { error: 'invalid_client_id', error_description: 'client identifier invalid' }],
			[jwt(claims({ sub: 'eve@example.com.sandbox' })), { error: 'invalid_grant', error_description: "user hasn't approved this consumer" }],
			[jwt(claims({ sub: 'nobody@example.com' })), { error: 'invalid_grant', error_description: "user hasn't approved this consumer" }],
		];
		for (const [assertion, expected] of cases) {
			const answer = await jwtGrant(assertion);
			expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: expected });
		}
	});

	test('web server flow: authorize redirects with code and state; the code exchange returns refresh token and signature', async () => {
		const authorize = await api(
			'GET',
			`/services/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=${encodeURIComponent('https://n8n.example/callback')}&state=xyz&login_hint=ben@example.com.sandbox`,
			undefined,
			{ token: null, redirect: 'manual' },
		);
		expect(authorize.status).toBe(302);
		const location = new URL(authorize.headers.location);
		expect(`${location.origin}${location.pathname}`).toBe('https://n8n.example/callback');
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;
		const form = { grant_type: 'authorization_code', code, client_id: 'web-app', client_secret: 'web-secret', redirect_uri: 'https://n8n.example/callback' };
		const wrongSecret = await api('POST', '/services/oauth2/token', undefined, { token: null, form: { ...form, client_secret: 'x' } });
		expect(wrongSecret.body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
		const token = await api('POST', '/services/oauth2/token', undefined, { token: null, form });
		expect(token.status).toBe(200);
		expect(Object.keys(token.body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'refresh_token', 'scope', 'signature', 'token_type']);
		const expectedSignature = crypto.createHmac('sha256', 'web-secret').update(token.body.id + token.body.issued_at).digest('base64');
		expect(token.body.signature).toBe(expectedSignature);
		expect(token.body.id.endsWith(sf.users().ben.Id)).toBe(true);
		// Codes are single-use.
		const again = await api('POST', '/services/oauth2/token', undefined, { token: null, form });
		expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'invalid authorization code' });
		// Refresh: a new access token, no new refresh token; the old access token keeps working until sessions expire.
		sf.expireSessions();
		expect((await api('GET', `${V}/limits`, undefined, { token: token.body.access_token })).status).toBe(401);
		const refreshed = await api('POST', '/services/oauth2/token', undefined, {
			token: null,
			form: { grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: 'web-app', client_secret: 'web-secret' },
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).toBeUndefined();
		expect(refreshed.body).toMatchObject({ token_type: 'Bearer', instance_url: sf.baseUrl, scope: 'api refresh_token' });
		expect((await api('GET', `${V}/limits`, undefined, { token: refreshed.body.access_token })).status).toBe(200);
		const badRefresh = await api('POST', '/services/oauth2/token', undefined, { token: null, form: { grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'web-app' } });
		expect(badRefresh.body).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
	});

	test('web server flow: codes expire after 15 minutes; PKCE verifiers are checked; bad redirect URIs are refused', async () => {
		const verifier = 'v'.repeat(50);
		const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
		const start = Date.now();
		const authorize = async () => {
			const answer = await api(
				'GET',
				`/services/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=${encodeURIComponent('https://n8n.example/callback')}&code_challenge=${challenge}&code_challenge_method=S256`,
				undefined,
				{ token: null, redirect: 'manual' },
			);
			return new URL(answer.headers.location).searchParams.get('code')!;
		};
		const base = { grant_type: 'authorization_code', client_id: 'web-app', redirect_uri: 'https://n8n.example/callback' };
		const wrongVerifier = await api('POST', '/services/oauth2/token', undefined, { token: null, form: { ...base, code: await authorize(), code_verifier: 'w'.repeat(50) } });
		expect(wrongVerifier.body).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });
		const good = await api('POST', '/services/oauth2/token', undefined, { token: null, form: { ...base, code: await authorize(), code_verifier: verifier } });
		expect(good.status).toBe(200);
		const late = await authorize();
		sf.setClock(() => start + 16 * 60_000);
		const expired = await api('POST', '/services/oauth2/token', undefined, { token: null, form: { ...base, code: late, code_verifier: verifier } });
		expect(expired.body).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
		const badRedirect = await api('GET', '/services/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=https%3A%2F%2Fevil.example', undefined, { token: null, redirect: 'manual' });
		expect(badRedirect.status).toBe(400);
		expect(badRedirect.body).toEqual({ error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' });
	});

	test('unsupported grant types and JSON token requests are violations', async () => {
		const answer = await api('POST', '/services/oauth2/token', { grant_type: 'password', username: 'x', password: 'y' }, { token: null });
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
		expect(sf.violations).toEqual([
			'POST /services/oauth2/token: token requests are application/x-www-form-urlencoded (got "application/json")',
			'POST /services/oauth2/token: grant_type "password" is not supported by the sandbox',
		]);
	});
});

describe('sObject rows and describe', () => {
	test('create → 201 {id, success, errors}; get (15- or 18-char id, ?fields=); patch → 204; delete → 204', async () => {
		sf.setClock(() => Date.parse('2026-11-20T09:00:00.000Z'));
		const created = await api('POST', `${V}/sobjects/Lead`, { FirstName: 'Jo', LastName: 'Smith', Company: 'Acme', Email: 'jo@acme.example' });
		expect(created.status).toBe(201);
		expect(created.body).toEqual({ id: expect.stringMatching(/^00Q[0-9A-Za-z]{15}$/), success: true, errors: [] });
		const id: string = created.body.id;
		const full = await api('GET', `${V}/sobjects/Lead/${id}`);
		expect(full.body.attributes).toEqual({ type: 'Lead', url: `${V}/sobjects/Lead/${id}` });
		expect(full.body).toMatchObject({
			Id: id,
			Name: 'Jo Smith',
			Status: 'New',
			IsConverted: false,
			OwnerId: sf.integrationUserId,
			CreatedDate: '2026-11-20T09:00:00.000+0000',
			SystemModstamp: '2026-11-20T09:00:00.000+0000',
			IsDeleted: false,
			Phone: null,
		});
		const some = await api('GET', `${V}/sobjects/lead/${id.slice(0, 15)}?fields=name,Status`);
		expect(some.body).toEqual({ attributes: { type: 'Lead', url: `${V}/sobjects/Lead/${id}` }, Name: 'Jo Smith', Status: 'New', Id: id });
		sf.setClock(() => Date.parse('2026-11-20T10:00:00.000Z'));
		const patched = await api('PATCH', `${V}/sobjects/Lead/${id}`, { Status: 'Working', Title: 'CTO' });
		expect(patched.status).toBe(204);
		expect(patched.body).toBeUndefined();
		expect(sf.get('Lead', id)).toMatchObject({ Status: 'Working', Title: 'CTO', LastModifiedDate: '2026-11-20T10:00:00.000+0000', CreatedDate: '2026-11-20T09:00:00.000+0000' });
		expect((await api('DELETE', `${V}/sobjects/Lead/${id}`)).status).toBe(204);
		expect((await api('GET', `${V}/sobjects/Lead/${id}`)).body).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
		expect((await api('GET', `${V}/sobjects/Lead/00QHs0000000099MAA`)).body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
		expect(sf.violations).toEqual([]);
	});

	test('write errors: required, unknown, read-only, restricted picklist, email, string length', async () => {
		const cases: Array<[string, unknown, unknown]> = [
			['Lead', { FirstName: 'X' }, [{ message: 'Required fields are missing: [LastName, Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName', 'Company'] }]],
			['Lead', { LastName: 'X', Company: 'Y', Foo__c: 1 }, [{ message: "No such column 'Foo__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' }]],
			[
				'Opportunity',
				{ Name: 'D', StageName: 'Prospecting', CloseDate: '2026-12-01', IsClosed: true, IsWon: true },
				[
					{
						message: 'Unable to create/update fields: IsClosed, IsWon. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
						errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
						fields: ['IsClosed', 'IsWon'],
					},
				],
			],
			['Opportunity', { Name: 'D', StageName: 'Won it', CloseDate: '2026-12-01' }, [{ message: 'Stage: bad value for restricted picklist field: Won it', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['StageName'] }]],
			['Case', { Status: 'Done' }, [{ message: 'Status: bad value for restricted picklist field: Done', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] }]],
			['Task', { Subject: 'x', Status: 'completed' }, [{ message: 'Status: bad value for restricted picklist field: completed', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] }]],
			['Contact', { LastName: 'X', Email: 'not-an-email' }, [{ message: 'Email: invalid email address: not-an-email', errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }]],
			['Contact', { LastName: 'x'.repeat(81) }, [{ message: `Last Name: data value too large: ${'x'.repeat(81)} (max length=80)`, errorCode: 'STRING_TOO_LONG', fields: ['LastName'] }]],
			['OpportunityHistory', { StageName: 'x' }, [{ message: 'entity type cannot be inserted: Opportunity History', errorCode: 'INVALID_TYPE_FOR_OPERATION' }]],
		];
		for (const [type, body, expected] of cases) {
			const answer = await api('POST', `${V}/sobjects/${type}`, body);
			expect({ type, status: answer.status, body: answer.body }).toEqual({ type, status: 400, body: expected });
		}
		expect(sf.list('Lead')).toHaveLength(0);
		const lead = sf.insert('Lead', { LastName: 'X', Company: 'Y' });
		const clear = await api('PATCH', `${V}/sobjects/Lead/${lead.Id}`, { LastName: '' });
		expect(clear.body).toEqual([{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]);
		expect(sf.violations).toEqual([]);
	});

	test('reference checks: malformed id, wrong object type, unknown id, deleted record, inactive owner', async () => {
		const account = sf.insert('Account', { Name: 'Acme' });
		const contact = sf.insert('Contact', { LastName: 'C' });
		sf.remove('Contact', contact.Id);
		const cases: Array<[unknown, unknown]> = [
			[{ LastName: 'X', AccountId: 'nope' }, { message: 'Account ID: id value of incorrect type: nope', errorCode: 'MALFORMED_ID', fields: ['AccountId'] }],
			[{ LastName: 'X', AccountId: sf.integrationUserId }, { message: `Account ID: id value of incorrect type: ${sf.integrationUserId}`, errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['AccountId'] }],
			[{ LastName: 'X', AccountId: '001Hs0000000099IAA' }, { message: 'invalid cross reference id', errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] }],
			[{ LastName: 'X', ReportsToId: contact.Id }, { message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: ['ReportsToId'] }],
			[{ LastName: 'X', OwnerId: sf.users().eve.Id }, { message: `operation performed with inactive user [${sf.users().eve.Id}] as owner of record`, errorCode: 'INACTIVE_OWNER_OR_USER', fields: ['OwnerId'] }],
		];
		for (const [body, expected] of cases) {
			const answer = await api('POST', `${V}/sobjects/Contact`, body);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual([expected]);
		}
		const ok = await api('POST', `${V}/sobjects/Contact`, { LastName: 'X', AccountId: account.Id.slice(0, 15), OwnerId: sf.users().ana.Id });
		expect(ok.status).toBe(201);
		expect(sf.get('Contact', ok.body.id)!.AccountId).toBe(account.Id);
	});

	test('a value of the wrong JSON type is a violation answered with JSON_PARSER_ERROR', async () => {
		const answer = await api('POST', `${V}/sobjects/Opportunity`, { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-12-01', Amount: '1000' });
		expect(answer.status).toBe(400);
		expect(answer.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		expect(sf.violations).toEqual([`POST ${V}/sobjects/Opportunity: body.Amount must be a number (currency) (got VALUE_STRING)`]);
		const date = await api('POST', `${V}/sobjects/Opportunity`, { Name: 'D', StageName: 'Prospecting', CloseDate: '12/01/2026' });
		expect(date.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		const invalidJson = await api('POST', `${V}/sobjects/Lead`, '{"LastName":');
		expect(invalidJson.status).toBe(400);
		expect(sf.violations).toHaveLength(3);
	});

	test('converted leads are read-only; a converted status can only be set by conversion', async () => {
		const lead = sf.insert('Lead', { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines', Email: 'ada@ae.example' });
		const viaStatus = await api('PATCH', `${V}/sobjects/Lead/${lead.Id}`, { Status: 'Qualified' });
		expect(viaStatus.status).toBe(400);
		expect(viaStatus.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Status'] });
		const result = sf.convertLead(lead.Id);
		expect(sf.get('Lead', lead.Id)).toMatchObject({ IsConverted: true, Status: 'Qualified', ConvertedAccountId: result.accountId, ConvertedContactId: result.contactId, ConvertedOpportunityId: result.opportunityId });
		expect(sf.get('Contact', result.contactId)).toMatchObject({ FirstName: 'Ada', Email: 'ada@ae.example', AccountId: result.accountId });
		expect(sf.get('Opportunity', result.opportunityId!)).toMatchObject({ Name: 'Analytical Engines', StageName: 'Prospecting', AccountId: result.accountId });
		const update = await api('PATCH', `${V}/sobjects/Lead/${lead.Id}`, { Title: 'CEO' });
		expect(update.body).toEqual([{ message: 'cannot reference converted lead', errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', fields: [] }]);
	});

	test('describe: documented field properties, picklists from the status objects, master record type', async () => {
		const answer = await api('GET', `${V}/sobjects/Opportunity/describe`);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ name: 'Opportunity', keyPrefix: '006', createable: true, queryable: true });
		const field = (name: string) => answer.body.fields.find((f: any) => f.name === name);
		expect(field('StageName')).toMatchObject({ type: 'picklist', createable: true, updateable: true, nillable: false, filterable: true, label: 'Stage' });
		expect(field('StageName').picklistValues.map((p: any) => p.value)).toEqual([
			'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost',
		]);
		expect(field('IsWon')).toMatchObject({ type: 'boolean', createable: false, updateable: false });
		expect(field('LastStageChangeDate')).toMatchObject({ type: 'datetime', createable: false });
		expect(field('AccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' });
		expect(answer.body.recordTypeInfos).toEqual([expect.objectContaining({ master: true, recordTypeId: '012000000000000AAA', name: 'Master' })]);
		const lead = await api('GET', `${V}/sobjects/Lead/describe`);
		const status = lead.body.fields.find((f: any) => f.name === 'Status');
		expect(status.picklistValues.filter((p: any) => p.defaultValue).map((p: any) => p.value)).toEqual(['New']);
		expect(lead.body.fields.find((f: any) => f.name === 'Description')).toMatchObject({ type: 'textarea', filterable: false });
		const missing = await api('GET', `${V}/sobjects/Widget__c/describe`);
		expect(missing.status).toBe(404);
		expect(sf.violations).toEqual([`GET ${V}/sobjects/Widget__c/describe: sObject Widget__c is not modelled by the sandbox`]);
	});

	test('status objects are queryable and replaceable (an org with HubSpot-style deal stages)', async () => {
		const leadStatus = await query('SELECT MasterLabel, ApiName, IsConverted, IsDefault, SortOrder FROM LeadStatus ORDER BY SortOrder');
		expect(leadStatus.body.records.map((r: any) => [r.MasterLabel, r.IsConverted, r.IsDefault])).toEqual([
			['New', false, true],
			['Working', false, false],
			['Nurturing', false, false],
			['Qualified', true, false],
			['Unqualified', false, false],
		]);
		expect(leadStatus.body.records[0].attributes.url).toMatch(new RegExp(`^${V}/sobjects/LeadStatus/01J`));
		const taskStatus = await query('SELECT MasterLabel FROM TaskStatus WHERE IsClosed = true');
		expect(taskStatus.body.records.map((r: any) => r.MasterLabel)).toEqual(['Completed']);
		sf.setPicklist('OpportunityStage', [
			{ MasterLabel: 'Appointment scheduled', DefaultProbability: 20 },
			{ MasterLabel: 'Qualified to buy', DefaultProbability: 40 },
			{ MasterLabel: 'Contract sent', DefaultProbability: 90, ForecastCategoryName: 'Commit' },
			{ MasterLabel: 'Closed won', IsWon: true },
			{ MasterLabel: 'Closed lost', IsClosed: true },
		]);
		const stages = await query('SELECT MasterLabel, DefaultProbability, ForecastCategory, ForecastCategoryName, IsClosed, IsWon, IsActive FROM OpportunityStage ORDER BY SortOrder');
		expect(stages.body.records.map(({ attributes, ...r }: any) => r)).toEqual([
			{ MasterLabel: 'Appointment scheduled', DefaultProbability: 20, ForecastCategory: 'Pipeline', ForecastCategoryName: 'Pipeline', IsClosed: false, IsWon: false, IsActive: true },
			{ MasterLabel: 'Qualified to buy', DefaultProbability: 40, ForecastCategory: 'Pipeline', ForecastCategoryName: 'Pipeline', IsClosed: false, IsWon: false, IsActive: true },
			{ MasterLabel: 'Contract sent', DefaultProbability: 90, ForecastCategory: 'Forecast', ForecastCategoryName: 'Commit', IsClosed: false, IsWon: false, IsActive: true },
			{ MasterLabel: 'Closed won', DefaultProbability: 100, ForecastCategory: 'Closed', ForecastCategoryName: 'Closed', IsClosed: true, IsWon: true, IsActive: true },
			{ MasterLabel: 'Closed lost', DefaultProbability: 0, ForecastCategory: 'Omitted', ForecastCategoryName: 'Omitted', IsClosed: true, IsWon: false, IsActive: true },
		]);
		const old = await api('POST', `${V}/sobjects/Opportunity`, { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-12-01' });
		expect(old.body[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
		const created = await api('POST', `${V}/sobjects/Opportunity`, { Name: 'D', StageName: 'Contract sent', CloseDate: '2026-12-01' });
		expect(sf.get('Opportunity', created.body.id)).toMatchObject({ Probability: 90, ForecastCategoryName: 'Commit', ForecastCategory: 'Forecast', IsClosed: false });
	});
});

describe('SOQL', () => {
	test("quoted-string escapes: O\\'Brien matches; an escaped injection attempt matches nothing", async () => {
		sf.insert('Lead', { LastName: "O'Brien", Company: 'A' });
		sf.insert('Lead', { LastName: 'Other', Company: 'B' });
		expect(ids(await query("SELECT Id FROM Lead WHERE LastName = 'O\\'Brien'"))).toHaveLength(1);
		const value = "x' OR Name != '";
		const escaped = value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
		const safe = await query(`SELECT Id FROM Lead WHERE LastName = '${escaped}'`);
		expect(safe.status).toBe(200);
		expect(safe.body).toEqual({ totalSize: 0, done: true, records: [] });
		// The same value unescaped turns into a filter that matches every lead (why escaping matters).
		expect(ids(await query(`SELECT Id FROM Lead WHERE LastName = '${value}'`))).toHaveLength(2);
		const bad = await query("SELECT Id FROM Lead WHERE LastName = 'a\\qb'");
		expect(bad.status).toBe(400);
		expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
		const likeOnly = await query("SELECT Id FROM Lead WHERE LastName = '50\\%'");
		expect(likeOnly.body[0].errorCode).toBe('MALFORMED_QUERY');
	});

	test('LIKE (case-insensitive, % and _, \\% and \\_ literal), case-insensitive =, IN / NOT IN, NOT, parentheses', async () => {
		for (const [last, company, source] of [
			['Ann', '50% Off', 'Web'],
			['ANNA', '50 Percent', 'Other'],
			['Bob', 'Bob_s', null],
			['Cy', 'Bob-s', 'Web'],
		]) {
			sf.insert('Lead', { LastName: last, Company: company, LeadSource: source });
		}
		const names = async (where: string) => (await query(`SELECT LastName FROM Lead WHERE ${where} ORDER BY LastName`)).body.records.map((r: any) => r.LastName);
		expect(await names("LastName LIKE 'an%'")).toEqual(['Ann', 'ANNA']);
		expect(await names("LastName LIKE 'an_'")).toEqual(['Ann']);
		expect(await names("Company LIKE '50\\%%'")).toEqual(['Ann']);
		expect(await names("Company LIKE 'bob\\_s'")).toEqual(['Bob']);
		expect(await names("Company LIKE 'bob_s'")).toEqual(['Bob', 'Cy']);
		expect(await names("lastname = 'anna'")).toEqual(['ANNA']);
		expect(await names("LeadSource IN ('web', 'Other')")).toEqual(['Ann', 'ANNA', 'Cy']);
		expect(await names("LeadSource NOT IN ('Web')")).toEqual(['ANNA', 'Bob']);
		expect(await names("LeadSource != 'Web'")).toEqual(['ANNA', 'Bob']);
		expect(await names('LeadSource = null')).toEqual(['Bob']);
		expect(await names("NOT (LeadSource = 'Web' OR LastName = 'Bob')")).toEqual(['ANNA']);
		expect(await names("(LeadSource = 'Web' AND Company LIKE 'b%') OR LastName = 'ANNA'")).toEqual(['ANNA', 'Cy']);
		const soql = "SELECT Id FROM Lead WHERE LeadSource = 'Web' AND LastName = 'x' OR LastName = 'y'";
		const mixed = await query(soql);
		expect(mixed.status).toBe(400);
		const column = soql.indexOf(' OR ') + 2;
		expect(mixed.body[0]).toEqual({
			message: `\n${soql}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\nunexpected token: 'OR'`,
			errorCode: 'MALFORMED_QUERY',
		});
	});

	test('errors: unknown field, unknown object, relationship fields, type mismatches, invalid ids, unsupported clauses', async () => {
		const unknownField = await query('SELECT Id, Foo FROM Lead');
		expect(unknownField.status).toBe(400);
		expect(unknownField.body).toEqual([
			{
				message:
					"\nSELECT Id, Foo FROM Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
				errorCode: 'INVALID_FIELD',
			},
		]);
		const unknownObject = await query('SELECT Id FROM Widget');
		expect(unknownObject.body[0].errorCode).toBe('INVALID_TYPE');
		expect(unknownObject.body[0].message).toContain("sObject type 'Widget' is not supported.");
		const expectations: Array<[string, string]> = [
			['SELECT Owner.Name FROM Lead', 'MALFORMED_QUERY'],
			["SELECT Id FROM Opportunity WHERE Amount = '100'", 'INVALID_FIELD'],
			['SELECT Id FROM Lead WHERE LastName = 5', 'INVALID_FIELD'],
			["SELECT Id FROM Opportunity WHERE CloseDate = '2026-01-01'", 'INVALID_FIELD'],
			['SELECT Id FROM Opportunity WHERE CloseDate = 2026-01-01T00:00:00Z', 'INVALID_FIELD'],
			['SELECT Id FROM Lead WHERE CreatedDate > 2026-01-01', 'INVALID_FIELD'],
			["SELECT Id FROM Lead WHERE OwnerId = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR'],
			['SELECT Id FROM Lead WHERE IsConverted > true', 'INVALID_QUERY_FILTER_OPERATOR'],
			["SELECT Id FROM Opportunity WHERE Amount LIKE '1%'", 'INVALID_QUERY_FILTER_OPERATOR'],
			["SELECT Id FROM Lead WHERE Description = 'x'", 'INVALID_FIELD'],
			['SELECT Id FROM Lead ORDER BY Description', 'INVALID_FIELD'],
			['SELECT Id, Id FROM Lead', 'MALFORMED_QUERY'],
			['SELECT Id FROM Lead GROUP BY Status', 'MALFORMED_QUERY'],
			['SELECT COUNT(Id) FROM Lead', 'MALFORMED_QUERY'],
			['SELECT Id, (SELECT Id FROM Tasks) FROM Lead', 'MALFORMED_QUERY'],
			['SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:7', 'MALFORMED_QUERY'],
			['SELECT Id FROM Lead WITH SECURITY_ENFORCED', 'MALFORMED_QUERY'],
			['SELECT Id FROM Lead LIMIT 5 OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE'],
			['SELECT Id FROM Lead OFFSET 5 LIMIT 2', 'MALFORMED_QUERY'],
		];
		for (const [soql, code] of expectations) {
			const answer = await query(soql);
			expect({ soql, status: answer.status, code: answer.body[0].errorCode }).toEqual({ soql, status: 400, code });
		}
		expect(sf.violations).toEqual([]);
	});

	test('dates, dateTimes (Z, ±hh:mm, ms and +0000) and YESTERDAY / TODAY / TOMORROW as UTC ranges', async () => {
		const at = (iso: string) => sf.setClock(() => Date.parse(iso));
		at('2026-11-19T23:59:59.000Z');
		sf.insert('Opportunity', { Name: 'a', StageName: 'Prospecting', CloseDate: '2026-11-19' });
		at('2026-11-20T00:00:00.000Z');
		sf.insert('Opportunity', { Name: 'b', StageName: 'Prospecting', CloseDate: '2026-11-20' });
		at('2026-11-20T09:00:00.000Z');
		sf.insert('Opportunity', { Name: 'c', StageName: 'Prospecting', CloseDate: '2026-11-21' });
		at('2026-11-20T12:00:00.000Z');
		const names = async (where: string) => (await query(`SELECT Name FROM Opportunity WHERE ${where} ORDER BY Name`)).body.records.map((r: any) => r.Name);
		expect(await names('CreatedDate = TODAY')).toEqual(['b', 'c']);
		expect(await names('CreatedDate = YESTERDAY')).toEqual(['a']);
		expect(await names('CreatedDate < TODAY')).toEqual(['a']);
		expect(await names('CreatedDate >= TODAY')).toEqual(['b', 'c']);
		expect(await names('CloseDate = TOMORROW')).toEqual(['c']);
		expect(await names('CloseDate > TODAY')).toEqual(['c']);
		expect(await names('CloseDate <= 2026-11-20')).toEqual(['a', 'b']);
		expect(await names('CreatedDate >= 2026-11-20T09:00:00Z')).toEqual(['c']);
		expect(await names('CreatedDate >= 2026-11-20T09:00:00.000+0000')).toEqual(['c']);
		expect(await names('CreatedDate > 2026-11-20T01:00:00+02:00')).toEqual(['a', 'b', 'c']);
		expect(await names('CreatedDate > 2026-11-20T10:00:00+02:00')).toEqual(['c']);
		expect(await names('CreatedDate < 2026-11-20T00:00:00.001Z')).toEqual(['a', 'b']);
	});

	test('ORDER BY (case-insensitive, nulls first by default, DESC, NULLS LAST), LIMIT, OFFSET and COUNT()', async () => {
		for (const [name, amount] of [['beta', 300], ['Alpha', null], ['gamma', 100], ['Delta', 200]] as Array<[string, number | null]>) {
			sf.insert('Opportunity', { Name: name, StageName: 'Prospecting', CloseDate: '2026-12-01', Amount: amount });
		}
		const names = async (tail: string) => (await query(`SELECT Name FROM Opportunity ${tail}`)).body.records.map((r: any) => r.Name);
		expect(await names('ORDER BY Name')).toEqual(['Alpha', 'beta', 'Delta', 'gamma']);
		expect(await names('ORDER BY Amount')).toEqual(['Alpha', 'gamma', 'Delta', 'beta']);
		expect(await names('ORDER BY Amount DESC')).toEqual(['Alpha', 'beta', 'Delta', 'gamma']);
		expect(await names('ORDER BY Amount DESC NULLS LAST')).toEqual(['beta', 'Delta', 'gamma', 'Alpha']);
		expect(await names('ORDER BY Name LIMIT 2')).toEqual(['Alpha', 'beta']);
		expect(await names('ORDER BY Name LIMIT 2 OFFSET 1')).toEqual(['beta', 'Delta']);
		const count = await query('SELECT COUNT() FROM Opportunity WHERE Amount > 150');
		expect(count.body).toEqual({ totalSize: 2, done: true, records: [] });
		const values = await query("SELECT Name, Amount, CloseDate, IsClosed, CreatedDate FROM Opportunity WHERE Name = 'beta'");
		expect(values.body.records[0]).toMatchObject({ Name: 'beta', Amount: 300, CloseDate: '2026-12-01', IsClosed: false, CreatedDate: expect.stringMatching(DATETIME) });
		expect(Object.keys(values.body.records[0])).toEqual(['attributes', 'Name', 'Amount', 'CloseDate', 'IsClosed', 'CreatedDate']);
	});

	test('paging: batchSize from Sforce-Query-Options (200…2000, default 2000), nextRecordsUrl locators, invalid locators', async () => {
		for (let i = 0; i < 450; i++) sf.insert('Lead', { LastName: `L${String(i).padStart(3, '0')}`, Company: 'Bulk' });
		const whole = await query('SELECT Id FROM Lead');
		expect(whole.body).toMatchObject({ totalSize: 450, done: true });
		expect(whole.body.records).toHaveLength(450);
		const first = await query('SELECT Id, LastName FROM Lead ORDER BY LastName', { 'Sforce-Query-Options': 'batchSize=200' });
		expect(first.body).toMatchObject({ totalSize: 450, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v67\.0\/query\/01g[0-9A-Za-z]{15}-200$/) });
		expect(first.body.records).toHaveLength(200);
		const second = await api('GET', first.body.nextRecordsUrl);
		expect(second.body).toMatchObject({ totalSize: 450, done: false, nextRecordsUrl: first.body.nextRecordsUrl.replace(/-200$/, '-400') });
		const third = await api('GET', second.body.nextRecordsUrl);
		expect(third.body.done).toBe(true);
		expect(third.body.nextRecordsUrl).toBeUndefined();
		const all = [...first.body.records, ...second.body.records, ...third.body.records].map((r: any) => r.LastName);
		expect(all).toHaveLength(450);
		expect(all[0]).toBe('L000');
		expect(all[449]).toBe('L449');
		// Below the documented minimum the batch is 200.
		const small = await query('SELECT Id FROM Lead', { 'Sforce-Query-Options': 'batchSize=50' });
		expect(small.body.records).toHaveLength(200);
		// A cursor read to the end is gone; unknown locators are INVALID_QUERY_LOCATOR.
		const gone = await api('GET', second.body.nextRecordsUrl);
		expect(gone.status).toBe(400);
		expect(gone.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
		const malformedHeader = await query('SELECT Id FROM Lead', { 'Sforce-Query-Options': 'size=10' });
		expect(malformedHeader.status).toBe(400);
		expect(sf.violations).toEqual([`GET ${V}/query: header Sforce-Query-Options must be "batchSize=N" (got "size=10")`]);
	});

	test('visibility lag: fresh writes are invisible to queries (old versions stay visible) but retrievable by id', async () => {
		const start = Date.parse('2026-11-20T09:00:00.000Z');
		let now = start;
		sf.setClock(() => now);
		const old = sf.insert('Lead', { LastName: 'Old', Company: 'A' });
		now += 60_000;
		sf.setVisibilityLag(5_000);
		const fresh = sf.insert('Lead', { LastName: 'Fresh', Company: 'B' });
		sf.update('Lead', old.Id, { LastName: 'Renamed' });
		const during = await query('SELECT LastName FROM Lead ORDER BY LastName');
		expect(during.body.records.map((r: any) => r.LastName)).toEqual(['Old']);
		expect((await api('GET', `${V}/sobjects/Lead/${fresh.Id}`)).status).toBe(200);
		now += 5_000;
		const after = await query('SELECT LastName FROM Lead ORDER BY LastName');
		expect(after.body.records.map((r: any) => r.LastName)).toEqual(['Fresh', 'Renamed']);
	});
});

describe('sObject Collections', () => {
	test('create: results in request order; partial failure keeps the valid records', async () => {
		const answer = await api('POST', `${V}/composite/sobjects`, {
			allOrNone: false,
			records: [
				{ attributes: { type: 'Account' }, Name: 'Acme' },
				{ attributes: { type: 'Contact' }, FirstName: 'No last name' },
				{ attributes: { type: 'Contact' }, LastName: 'Smith' },
			],
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ id: expect.stringMatching(/^001/), success: true, errors: [] },
			{ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] },
			{ id: expect.stringMatching(/^003/), success: true, errors: [] },
		]);
		expect(sf.list('Contact').map((c) => c.LastName)).toEqual(['Smith']);
		expect(sf.list('Account')).toHaveLength(1);
	});

	test('allOrNone: one failure rolls back all; the others report ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
		const answer = await api('POST', `${V}/composite/sobjects`, {
			allOrNone: true,
			records: [
				{ attributes: { type: 'Account' }, Name: 'Acme' },
				{ attributes: { type: 'Lead' }, LastName: 'X', Company: 'Y', Status: 'Bogus' },
			],
		});
		expect(answer.body).toEqual([
			{ success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] },
			{ success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Status: bad value for restricted picklist field: Bogus', fields: ['Status'] }] },
		]);
		expect(sf.list('Account')).toHaveLength(0);
	});

	test('request-shape errors: over 200 records, missing attributes.type, an id on create', async () => {
		const tooMany = await api('POST', `${V}/composite/sobjects`, { records: Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `A${i}` })) });
		expect(tooMany.status).toBe(400);
		expect(tooMany.body).toEqual([{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' }]);
		const noType = await api('POST', `${V}/composite/sobjects`, { records: [{ Name: 'A' }] });
		expect(noType.status).toBe(400);
		expect(noType.body).toEqual([{ message: 'Must send a concrete entity type.', errorCode: 'INVALID_TYPE' }]);
		const withId = await api('POST', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'Account' }, Id: '001Hs0000000001IAA', Name: 'A' }] });
		expect(withId.body).toEqual([{ success: false, errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'cannot specify Id in an insert call', fields: ['Id'] }] }]);
		expect(sf.list('Account')).toHaveLength(0);
		expect(sf.violations).toEqual([
			`POST ${V}/composite/sobjects: body.records has 201 items; at most 200 are allowed`,
			`POST ${V}/composite/sobjects: body.records[0].attributes is required`,
			`POST ${V}/composite/sobjects: body.records[0] has an id; create requests "don't set the id field for any object"`,
		]);
	});

	test('update: id or Id per record, mixed types; missing, malformed and foreign ids fail per record', async () => {
		const account = sf.insert('Account', { Name: 'Acme' });
		const contact = sf.insert('Contact', { LastName: 'Smith' });
		const answer = await api('PATCH', `${V}/composite/sobjects`, {
			records: [
				{ attributes: { type: 'Account' }, id: account.Id, Website: 'https://acme.example' },
				{ attributes: { type: 'Contact' }, Id: contact.Id.slice(0, 15), Title: 'CEO' },
				{ attributes: { type: 'Contact' }, Title: 'no id' },
				{ attributes: { type: 'Contact' }, id: account.Id, Title: 'wrong type' },
				{ attributes: { type: 'Contact' }, id: '003Hs0000000099IAA', Title: 'unknown' },
			],
		});
		expect(answer.body).toEqual([
			{ id: account.Id, success: true, errors: [] },
			{ id: contact.Id, success: true, errors: [] },
			{ success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] },
			{ success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `Contact ID: id value of incorrect type: ${account.Id}`, fields: ['Id'] }] },
			{ success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] },
		]);
		expect(sf.get('Account', account.Id)!.Website).toBe('https://acme.example');
		expect(sf.get('Contact', contact.Id)!.Title).toBe('CEO');
		expect(sf.violations).toEqual([`PATCH ${V}/composite/sobjects: body.records[2].id is required ("Each object must contain an id field")`]);
	});

	test('retrieve (GET and POST): records in id order with null for ids not found; unknown fields are INVALID_FIELD', async () => {
		const a = sf.insert('Account', { Name: 'A', Website: 'https://a.example' });
		const b = sf.insert('Account', { Name: 'B' });
		const get = await api('GET', `${V}/composite/sobjects/Account?ids=${b.Id},001Hs0000000099IAA,${a.Id.slice(0, 15)}&fields=Name,website`);
		expect(get.body).toEqual([
			{ attributes: { type: 'Account', url: `${V}/sobjects/Account/${b.Id}` }, Name: 'B', Website: null },
			null,
			{ attributes: { type: 'Account', url: `${V}/sobjects/Account/${a.Id}` }, Name: 'A', Website: 'https://a.example' },
		]);
		const post = await api('POST', `${V}/composite/sobjects/Account`, { ids: [a.Id, 'garbage'], fields: ['Id', 'Name'] });
		expect(post.body).toEqual([{ attributes: { type: 'Account', url: `${V}/sobjects/Account/${a.Id}` }, Id: a.Id, Name: 'A' }, null]);
		const unknown = await api('POST', `${V}/composite/sobjects/Account`, { ids: [a.Id], fields: ['Nope'] });
		expect(unknown.status).toBe(400);
		expect(unknown.body[0].errorCode).toBe('INVALID_FIELD');
		const tooMany = await api('POST', `${V}/composite/sobjects/Account`, { ids: Array(2001).fill(a.Id), fields: ['Name'] });
		expect(tooMany.status).toBe(400);
		const noFields = await api('GET', `${V}/composite/sobjects/Account?ids=${a.Id}`);
		expect(noFields.status).toBe(400);
		expect(sf.violations).toEqual([
			`POST ${V}/composite/sobjects/Account: body.ids has 2001 items; at most 2000 are allowed`,
			`GET ${V}/composite/sobjects/Account: query fields is required`,
		]);
	});

	test('delete: ?ids=&allOrNone=, per-id results; deleted ids are ENTITY_IS_DELETED', async () => {
		const a = sf.insert('Account', { Name: 'A' });
		const c = sf.insert('Contact', { LastName: 'C' });
		const answer = await api('DELETE', `${V}/composite/sobjects?ids=${a.Id},${c.Id},bad&allOrNone=false`);
		expect(answer.body).toEqual([
			{ id: a.Id, success: true, errors: [] },
			{ id: c.Id, success: true, errors: [] },
			{ success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id bad', fields: [] }] },
		]);
		const again = await api('DELETE', `${V}/composite/sobjects?ids=${a.Id}`);
		expect(again.body).toEqual([{ success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] }]);
		const b = sf.insert('Account', { Name: 'B' });
		const atomic = await api('DELETE', `${V}/composite/sobjects?ids=${b.Id},${a.Id}&allOrNone=true`);
		expect(atomic.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
		expect(sf.get('Account', b.Id)).toBeDefined();
	});
});

describe('org behaviour', () => {
	test('Opportunity: stage drives Probability / ForecastCategoryName / IsClosed / IsWon; history rows on create and tracked changes only', async () => {
		let now = Date.parse('2026-11-01T10:00:00.000Z');
		sf.setClock(() => now);
		const opp = sf.insert('Opportunity', { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-12-15', Amount: 1000 });
		expect(opp).toMatchObject({ Probability: 10, ForecastCategoryName: 'Pipeline', ForecastCategory: 'Pipeline', IsClosed: false, IsWon: false, LastStageChangeDate: null, ExpectedRevenue: 100, PushCount: 0 });
		now += 3_600_000;
		expect((await api('PATCH', `${V}/sobjects/Opportunity/${opp.Id}`, { NextStep: 'Call' })).status).toBe(204);
		now += 3_600_000;
		await api('PATCH', `${V}/sobjects/Opportunity/${opp.Id}`, { StageName: 'Negotiation/Review', Probability: 55 });
		const afterStage = sf.get('Opportunity', opp.Id)!;
		expect(afterStage).toMatchObject({ StageName: 'Negotiation/Review', Probability: 55, ForecastCategoryName: 'Pipeline', LastStageChangeDate: '2026-11-01T12:00:00.000+0000' });
		now += 3_600_000;
		await api('PATCH', `${V}/sobjects/Opportunity/${opp.Id}`, { StageName: 'Closed Won', CloseDate: '2027-01-10', Amount: 1200 });
		expect(sf.get('Opportunity', opp.Id)).toMatchObject({ Probability: 100, ForecastCategoryName: 'Closed', ForecastCategory: 'Closed', IsClosed: true, IsWon: true, ExpectedRevenue: 1200, PushCount: 1 });
		const history = await query(`SELECT StageName, Amount, Probability, CloseDate, ForecastCategory, PrevAmount, PrevCloseDate, CreatedDate FROM OpportunityHistory WHERE OpportunityId = '${opp.Id}' ORDER BY CreatedDate`);
		expect(history.body.records.map(({ attributes, ...r }: any) => r)).toEqual([
			{ StageName: 'Prospecting', Amount: 1000, Probability: 10, CloseDate: '2026-12-15', ForecastCategory: 'Pipeline', PrevAmount: null, PrevCloseDate: null, CreatedDate: '2026-11-01T10:00:00.000+0000' },
			{ StageName: 'Negotiation/Review', Amount: 1000, Probability: 55, CloseDate: '2026-12-15', ForecastCategory: 'Pipeline', PrevAmount: 1000, PrevCloseDate: '2026-12-15', CreatedDate: '2026-11-01T12:00:00.000+0000' },
			{ StageName: 'Closed Won', Amount: 1200, Probability: 100, CloseDate: '2027-01-10', ForecastCategory: 'Closed', PrevAmount: 1000, PrevCloseDate: '2026-12-15', CreatedDate: '2026-11-01T13:00:00.000+0000' },
		]);
		const last = history.body.records[2];
		void last;
		const final = sf.get('Opportunity', opp.Id)!;
		expect(final.LastAmountChangedHistoryId).toMatch(/^008/);
		expect(final.LastAmountChangedHistoryId).toBe(final.LastCloseDateChangedHistoryId);
		const historyWrite = await api('PATCH', `${V}/sobjects/OpportunityHistory/${final.LastAmountChangedHistoryId}`, { Amount: 1 });
		expect(historyWrite.body[0].errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
	});

	test('Case: IsClosed / ClosedDate follow CaseStatus; CaseNumber auto-numbers; CaseHistory only while tracking is on (FieldDefinition tells)', async () => {
		let now = Date.parse('2026-11-02T08:00:00.000Z');
		sf.setClock(() => now);
		const first = sf.insert('Case', { Subject: 'Broken' });
		const second = sf.insert('Case', { Subject: 'Also broken', Status: 'Closed' });
		expect([first.CaseNumber, second.CaseNumber]).toEqual(['00001000', '00001001']);
		expect(first).toMatchObject({ Status: 'New', Priority: 'Medium', IsClosed: false, ClosedDate: null });
		expect(second).toMatchObject({ IsClosed: true, ClosedDate: '2026-11-02T08:00:00.000+0000' });
		now += 60_000;
		await api('PATCH', `${V}/sobjects/Case/${first.Id}`, { Status: 'Working' });
		now += 60_000;
		await api('PATCH', `${V}/sobjects/Case/${first.Id}`, { Status: 'Closed' });
		expect(sf.get('Case', first.Id)).toMatchObject({ IsClosed: true, ClosedDate: '2026-11-02T08:02:00.000+0000' });
		const tracked = async () =>
			(await query("SELECT QualifiedApiName, IsFieldHistoryTracked FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName = 'Case' AND QualifiedApiName = 'Status'")).body.records[0].IsFieldHistoryTracked;
		expect(await tracked()).toBe(true);
		sf.setFieldHistory('Case', 'Status', false);
		expect(await tracked()).toBe(false);
		now += 60_000;
		await api('PATCH', `${V}/sobjects/Case/${first.Id}`, { Status: 'Escalated' });
		expect(sf.get('Case', first.Id)).toMatchObject({ IsClosed: false, ClosedDate: null });
		const history = await query(`SELECT Field, DataType, OldValue, NewValue, CreatedDate FROM CaseHistory WHERE CaseId = '${first.Id}' ORDER BY CreatedDate`);
		expect(history.body.records.map(({ attributes, ...r }: any) => r)).toEqual([
			{ Field: 'Status', DataType: 'DynamicEnum', OldValue: 'New', NewValue: 'Working', CreatedDate: '2026-11-02T08:01:00.000+0000' },
			{ Field: 'Status', DataType: 'DynamicEnum', OldValue: 'Working', NewValue: 'Closed', CreatedDate: '2026-11-02T08:02:00.000+0000' },
		]);
		const unscoped = await query('SELECT QualifiedApiName FROM FieldDefinition');
		expect(unscoped.body[0].errorCode).toBe('MALFORMED_QUERY');
		const notEquals = await query("SELECT QualifiedApiName FROM FieldDefinition WHERE EntityDefinitionId = 'Case' AND QualifiedApiName != 'Status'");
		expect(notEquals.body[0].message).toContain('Only equals comparisons permitted');
	});

	test('Task: IsClosed follows TaskStatus; CompletedDateTime set on close, kept for the same status, cleared on reopen; AccountId derived', async () => {
		let now = Date.parse('2026-11-03T08:00:00.000Z');
		sf.setClock(() => now);
		const account = sf.insert('Account', { Name: 'Acme' });
		const contact = sf.insert('Contact', { LastName: 'C', AccountId: account.Id });
		const task = sf.insert('Task', { Subject: 'Call', WhoId: contact.Id });
		expect(task).toMatchObject({ Status: 'Not Started', Priority: 'Normal', IsClosed: false, CompletedDateTime: null, AccountId: account.Id, TaskSubtype: 'Task', IsHighPriority: false });
		now += 60_000;
		await api('PATCH', `${V}/sobjects/Task/${task.Id}`, { Status: 'Completed', Priority: 'High' });
		expect(sf.get('Task', task.Id)).toMatchObject({ IsClosed: true, CompletedDateTime: '2026-11-03T08:01:00.000+0000', IsHighPriority: true });
		now += 60_000;
		await api('PATCH', `${V}/sobjects/Task/${task.Id}`, { Description: 'done' });
		expect(sf.get('Task', task.Id)!.CompletedDateTime).toBe('2026-11-03T08:01:00.000+0000');
		await api('PATCH', `${V}/sobjects/Task/${task.Id}`, { Status: 'In Progress' });
		expect(sf.get('Task', task.Id)).toMatchObject({ IsClosed: false, CompletedDateTime: null });
		const subtype = await api('PATCH', `${V}/sobjects/Task/${task.Id}`, { TaskSubtype: 'Call' });
		expect(subtype.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
		const lead = sf.insert('Lead', { LastName: 'L', Company: 'Co' });
		const leadAndWhat = await api('POST', `${V}/sobjects/Task`, { Subject: 'x', WhoId: lead.Id, WhatId: account.Id });
		expect(leadAndWhat.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhatId'] });
		const badWho = await api('POST', `${V}/sobjects/Task`, { Subject: 'x', WhoId: account.Id });
		expect(badWho.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhoId'] });
	});
});

describe('emailSimple', () => {
	const send = (inputs: unknown[], version = 'v67.0') => api('POST', `/services/data/${version}/actions/standard/emailSimple`, { inputs });

	test('describe lists the inputs of the requested API version', async () => {
		const current = await api('GET', `${V}/actions/standard/emailSimple`);
		expect(current.body).toMatchObject({ name: 'emailSimple', type: 'EMAILSIMPLE', label: 'Send Email' });
		const names = current.body.inputs.map((i: any) => i.name);
		expect(names).toEqual(expect.arrayContaining(['recipientAddresses', 'ccAddresses', 'bccAddresses', 'emailSubject', 'emailBody', 'senderType', 'senderAddress', 'logEmailOnSend', 'recipientId', 'relatedRecordId', 'emailTemplateId']));
		expect(names).not.toContain('emailAddresses');
		const old = await api('GET', '/services/data/v55.0/actions/standard/emailSimple');
		expect(old.body.inputs.map((i: any) => i.name)).toEqual(['emailAddresses', 'emailAddressesArray', 'emailSubject', 'emailBody', 'senderType', 'senderAddress']);
		expect(old.body.inputs.filter((i: any) => i.required).map((i: any) => i.name)).toEqual(['emailSubject', 'emailBody']);
	});

	test('send with logEmailOnSend: the email is recorded and logged as an EmailMessage and a Task (Enhanced Email)', async () => {
		sf.setClock(() => Date.parse('2026-11-04T09:00:00.000Z'));
		const contact = sf.insert('Contact', { FirstName: 'Jo', LastName: 'Doe', Email: 'jo@acme.example' });
		const opp = sf.insert('Opportunity', { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-12-01' });
		const answer = await send([
			{ recipientId: contact.Id, relatedRecordId: opp.Id, ccAddresses: 'boss@acme.example', emailSubject: 'Welcome', emailBody: 'Hello Jo', logEmailOnSend: true },
			{ recipientAddresses: ['a@x.example', 'b@x.example'], emailSubject: 'FYI', emailBody: 'Plain', senderType: 'OrgWideEmailAddress', senderAddress: 'support@example.com' },
		]);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null },
			{ actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null },
		]);
		expect(sf.sentEmails.map((e) => [e.to, e.cc, e.subject, e.from, e.countsAgainst])).toEqual([
			[['jo@acme.example'], ['boss@acme.example'], 'Welcome', 'integration@example.com', 'SingleEmail'],
			[['a@x.example', 'b@x.example'], [], 'FYI', 'support@example.com', 'DailyWorkflowEmails'],
		]);
		const logged = sf.sentEmails[0].logged!;
		expect(sf.get('Task', logged.taskId)).toMatchObject({ Subject: 'Email: Welcome', Status: 'Completed', IsClosed: true, TaskSubtype: 'Email', WhoId: contact.Id, WhatId: opp.Id, ActivityDate: '2026-11-04' });
		expect(sf.get('EmailMessage', logged.emailMessageId)).toMatchObject({ Subject: 'Welcome', TextBody: 'Hello Jo', Status: '3', Incoming: false, RelatedToId: opp.Id, ActivityId: logged.taskId, ToAddress: 'jo@acme.example', CcAddress: 'boss@acme.example' });
		expect(sf.sentEmails[1].logged).toBeNull();
		const limits = await api('GET', `${V}/limits`);
		expect(limits.body.SingleEmail).toEqual({ Max: 5000, Remaining: 4998 });
		expect(limits.body.DailyWorkflowEmails).toEqual({ Max: 5000, Remaining: 4998 });
	});

	test('input validation: recipients (5 before v62, 150 after), required inputs, senderType, logging targets, limits', async () => {
		const lead = sf.insert('Lead', { LastName: 'L', Company: 'Co', Email: 'l@co.example' });
		const account = sf.insert('Account', { Name: 'Acme' });
		const addresses = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@x.example`);
		const cases: Array<[unknown, string, string?]> = [
			[{ recipientAddresses: addresses(151), emailSubject: 's', emailBody: 'b' }, 'LIMIT_EXCEEDED'],
			[{ recipientAddresses: 'x@x.example', emailBody: 'b' }, 'REQUIRED_FIELD_MISSING'],
			[{ emailSubject: 's', emailBody: 'b' }, 'REQUIRED_FIELD_MISSING'],
			[{ recipientAddresses: 'not an address', emailSubject: 's', emailBody: 'b' }, 'INVALID_EMAIL_ADDRESS'],
			[{ recipientAddresses: 'x@x.example', emailSubject: 's', emailBody: 'b', senderType: 'OrgWideEmailAddress' }, 'REQUIRED_FIELD_MISSING'],
			[{ recipientAddresses: 'x@x.example', emailSubject: 's', emailBody: 'b', logEmailOnSend: true }, 'REQUIRED_FIELD_MISSING'],
			[{ recipientId: lead.Id, relatedRecordId: account.Id, emailSubject: 's', emailBody: 'b', logEmailOnSend: true }, 'FIELD_INTEGRITY_EXCEPTION'],
			[{ recipientId: account.Id, emailSubject: 's', emailBody: 'b' }, 'FIELD_INTEGRITY_EXCEPTION'],
			[{ recipientAddresses: 'x@x.example', emailTemplateId: '00XHs0000000001IAA', recipientId: lead.Id }, 'INVALID_CROSS_REFERENCE_KEY'],
		];
		for (const [input, code] of cases) {
			const answer = await send([input]);
			expect({ input, status: answer.status, code: answer.body[0].errors && answer.body[0].errors[0].statusCode, isSuccess: answer.body[0].isSuccess }).toEqual({
				input,
				status: 400,
				code,
				isSuccess: false,
			});
		}
		expect((await send([{ recipientAddresses: addresses(150), emailSubject: 's', emailBody: 'b' }])).status).toBe(200);
		const tooManyOld = await send([{ emailAddresses: addresses(6).join(','), emailSubject: 's', emailBody: 'b' }], 'v55.0');
		expect(tooManyOld.body[0].errors[0].statusCode).toBe('LIMIT_EXCEEDED');
		expect((await send([{ emailAddressesArray: addresses(5), emailSubject: 's', emailBody: 'b' }], 'v55.0')).status).toBe(200);
		sf.setEmailLimits({ singleEmail: 1 });
		const logged = { recipientId: lead.Id, emailSubject: 's', emailBody: 'b', logEmailOnSend: true };
		const mixed = await send([logged, logged]);
		expect(mixed.status).toBe(200);
		expect(mixed.body.map((r: any) => (r.isSuccess ? 'ok' : r.errors[0].statusCode))).toEqual(['ok', 'SINGLE_EMAIL_LIMIT_EXCEEDED']);
		expect(sf.violations).toEqual([]);
	});

	test('inputs of another API version, unknown inputs and wrong types are violations', async () => {
		const old = await send([{ emailAddresses: 'x@x.example', emailSubject: 's', emailBody: 'b' }]);
		expect(old.status).toBe(400);
		expect(old.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		const typed = await send([{ recipientAddresses: 'x@x.example', emailSubject: 's', emailBody: 'b', logEmailOnSend: 'true' }]);
		expect(typed.status).toBe(400);
		const empty = await api('POST', `${V}/actions/standard/emailSimple`, { inputs: [] });
		expect(empty.status).toBe(400);
		expect(sf.violations).toEqual([
			`POST ${V}/actions/standard/emailSimple: body.inputs[0].emailAddresses is not a documented field`,
			`POST ${V}/actions/standard/emailSimple: body.inputs[0].logEmailOnSend must be a boolean (got string)`,
			`POST ${V}/actions/standard/emailSimple: body.inputs has 0 items; at least 1 are needed`,
		]);
		expect(sf.sentEmails).toHaveLength(0);
	});
});

describe('sandbox controls', () => {
	test('request records keep headers of interest; the request log file never holds tokens or secrets', async () => {
		const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-sandbox-')), 'requests.jsonl');
		const local = await startSalesforceServer({ port: 0, requestLog: log, token: 'local-token' });
		try {
			local.registerConnectedApp({ consumerKey: 'k', consumerSecret: 's', redirectUri: 'https://x.example/cb' });
			await fetch(`${local.baseUrl}${V}/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, { headers: { authorization: 'Bearer local-token', 'Sforce-Query-Options': 'batchSize=500' } });
			await fetch(`${local.baseUrl}/services/oauth2/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'secret-refresh', client_id: 'k', client_secret: 's' }).toString(),
			});
			expect(local.requests[0].headers).toMatchObject({ authorization: 'Bearer local-token', 'sforce-query-options': 'batchSize=500' });
			expect(local.requests[1].body).toMatchObject({ refresh_token: 'secret-refresh' });
			const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
			expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
				['GET', `${V}/query`, 200],
				['POST', '/services/oauth2/token', 400],
			]);
			const text = fs.readFileSync(log, 'utf8');
			expect(text).not.toContain('local-token');
			expect(text).not.toContain('secret-refresh');
			expect(lines[1].body).toEqual({ grant_type: 'refresh_token', refresh_token: '[redacted]', client_id: 'k', client_secret: '[redacted]' });
		} finally {
			await local.stop();
		}
	});

	test('faults, the request hook and the control endpoints', async () => {
		await api('POST', '/__sandbox/fault', { method: 'GET', pathPrefix: `${V}/limits`, status: 503, times: 1 }, { token: null });
		expect((await api('GET', `${V}/limits`)).body).toEqual([{ message: 'Injected fault (HTTP 503)', errorCode: 'SERVER_UNAVAILABLE' }]);
		expect((await api('GET', `${V}/limits`)).status).toBe(200);
		const seen: string[] = [];
		sf.onRequest((r) => seen.push(`${r.method} ${r.path}`));
		await query('SELECT Id FROM Lead');
		sf.onRequest(undefined);
		expect(seen).toEqual([`GET ${V}/query`]);
		const log = (await api('GET', '/__sandbox/requests', undefined, { token: null })).body;
		expect(log.map((r: any) => [r.path, r.status])).toEqual([
			[`${V}/limits`, 503],
			[`${V}/limits`, 200],
			[`${V}/query`, 200],
		]);
		expect(log.every((r: any) => r.headers.authorization === undefined)).toBe(true);
		expect((await api('POST', '/__sandbox/reset', { demoData: true }, { token: null })).status).toBe(200);
		expect(sf.requests).toHaveLength(0);
		expect(sf.list('Opportunity').length).toBeGreaterThan(0);
	});

	test('the demo org: every stage with history, every case status, open / completed / overdue tasks, converted leads — all through the rules', async () => {
		await api('POST', '/__sandbox/reset', { demoData: true }, { token: null });
		const stages = new Set(sf.list('Opportunity').map((o) => o.StageName));
		expect(stages.size).toBe(sf.list('OpportunityStage').length);
		const walked = sf.list('Opportunity').find((o) => o.StageName === 'Negotiation/Review')!;
		expect(sf.list('OpportunityHistory').filter((h) => h.OpportunityId === walked.Id).length).toBeGreaterThan(3);
		expect(new Set(sf.list('Case').map((c) => c.Status))).toEqual(new Set(['New', 'Working', 'Escalated', 'Closed']));
		expect(sf.list('CaseHistory').length).toBeGreaterThan(0);
		const today = new Date().toISOString().slice(0, 10);
		const tasks = sf.list('Task');
		expect(tasks.some((t) => t.IsClosed)).toBe(true);
		expect(tasks.some((t) => !t.IsClosed && t.ActivityDate < today)).toBe(true);
		expect(sf.list('Lead').filter((l) => l.IsConverted)).toHaveLength(2);
		expect(sf.violations).toEqual([]);
		const count = await query('SELECT COUNT() FROM Opportunity WHERE IsClosed = false');
		expect(count.body.totalSize).toBe(sf.list('Opportunity').filter((o) => !o.IsClosed).length);
	});

	test('the JS API applies the API rules, throws Salesforce errors and is not recorded', () => {
		expect(() => sf.insert('Lead', { LastName: 'X' })).toThrow('REQUIRED_FIELD_MISSING: Required fields are missing: [Company]');
		try {
			sf.insert('Opportunity', { Name: 'D', StageName: 'Nope', CloseDate: '2026-01-01' });
			throw new Error('expected a failure');
		} catch (error: any) {
			expect(error.errors).toEqual([{ message: 'Stage: bad value for restricted picklist field: Nope', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['StageName'] }]);
		}
		const users = sf.users();
		expect(Object.keys(users)).toEqual(['integration', 'ana', 'ben', 'cleo', 'dan', 'eve']);
		expect(users.ana).toMatchObject({ Name: 'Ana Alvarez', Email: 'ana@example.com', Username: 'ana@example.com.sandbox', IsActive: true, UserType: 'Standard' });
		expect(users.eve.IsActive).toBe(false);
		expect(users.ana.Id).toMatch(/^005[0-9A-Za-z]{15}$/);
		expect(sf.requests).toHaveLength(0);
	});
});

describe('field-level security (hideFields)', () => {
	test('hidden fields: left out of describe and of a row read without ?fields=; naming one is 400 INVALID_FIELD', async () => {
		const lead = sf.insert('Lead', { LastName: 'Fls', Company: 'Acme', HasOptedOutOfEmail: true });
		sf.hideFields('lead', ['hasoptedoutofemail']);
		const describe = await api('GET', `${V}/sobjects/Lead/describe`);
		expect(describe.body.fields.map((f: any) => f.name)).not.toContain('HasOptedOutOfEmail');
		expect(describe.body.fields.map((f: any) => f.name)).toContain('DoNotCall');

		const row = await api('GET', `${V}/sobjects/Lead/${lead.Id}`);
		expect(row.status).toBe(200);
		expect(row.body).not.toHaveProperty('HasOptedOutOfEmail');
		expect(row.body).toMatchObject({ Id: lead.Id, LastName: 'Fls', DoNotCall: false });
		const named = await api('GET', `${V}/sobjects/Lead/${lead.Id}?fields=Id,HasOptedOutOfEmail`);
		expect(named.status).toBe(400);
		expect(named.body[0].errorCode).toBe('INVALID_FIELD');

		const soql = await query('SELECT Id FROM Lead ORDER BY HasOptedOutOfEmail');
		expect(soql.status).toBe(400);
		expect(soql.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'HasOptedOutOfEmail' on entity 'Lead'") });

		const create = await api('POST', `${V}/sobjects/Lead`, { LastName: 'New', Company: 'Acme', HasOptedOutOfEmail: false });
		expect(create.status).toBe(400);
		expect(create.body).toEqual([{ errorCode: 'INVALID_FIELD', message: "No such column 'HasOptedOutOfEmail' on sobject of type Lead", fields: [] }]);
		expect(sf.list('Lead')).toHaveLength(1);
		// The JS API (the org itself) still sees the field; reset() shows it again.
		expect(sf.get('Lead', lead.Id)!.HasOptedOutOfEmail).toBe(true);
		sf.reset();
		expect((await api('GET', `${V}/sobjects/Lead/describe`)).body.fields.map((f: any) => f.name)).toContain('HasOptedOutOfEmail');
		expect(sf.violations).toEqual([]);
	});

	test('hideFields refuses fields the object does not have, and Id', () => {
		expect(() => sf.hideFields('Lead', ['NoSuchField'])).toThrow('hideFields: Lead has no field NoSuchField');
		expect(() => sf.hideFields('Lead', ['Id'])).toThrow('hideFields: Id is always visible');
	});
});
