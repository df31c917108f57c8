/* eslint-disable */
/**
 * Conformance of the local Salesforce sandbox with jsforce, the de-facto official JavaScript
 * client of the Salesforce APIs (maintained in the jsforce org, written by nobody here). Every
 * REST resource the package's Salesforce provider and credentials use is called through jsforce's
 * own methods: OAuth web-server flow, refresh on an expired session and JWT bearer grant
 * (/services/oauth2/authorize and /token), SOQL query with Sforce-Query-Options and
 * nextRecordsUrl paging, COUNT(), sObject describe, sObject Collections create / update /
 * retrieve, the emailSimple standard action (describe and invoke) and limits. The sandbox must
 * accept what jsforce sends (no schema violations) and answer what jsforce parses: values are
 * compared with the sandbox's store, describe answers with jsforce's declared types
 * (test/sdk/jsforceTypes.ts), errors with jsforce's error parsing (errorCode / name).
 * Field-level security (hideFields) is exercised through jsforce too.
 */
import * as crypto from 'node:crypto';

import * as jsforce from 'jsforce';

import { startSalesforceServer } from '../sandbox/salesforce/server';
const { OBJECTS } = require('../sandbox/salesforce/objects') as { OBJECTS: Record<string, { fields: Record<string, unknown> }> };
import type { FakeSalesforce } from '../sandbox/salesforce';
import { expectJsforceType, jsforceTypeProblems } from './jsforceTypes';

const VERSION = '66.0';
const CONSUMER_KEY = '3MVG9sdk.conformance';
const CONSUMER_SECRET = 'sdk-conformance-secret';
const REDIRECT_URI = 'https://n8n.example/rest/oauth2-credential/callback';
const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

/**
 * Real describe answers carry `listviewable: null` and `lookupLayoutable: null` where jsforce
 * declares booleans (a recorded describe of a real org's object in a public repository shows
 * `"listviewable":null,"lookupLayoutable":null`); the sandbox answers the same.
 */
const NULL_IN_REAL_DESCRIBES = ['listviewable', 'lookupLayoutable'];

let sf: FakeSalesforce;
let conn: jsforce.Connection;

beforeAll(async () => {
	sf = await startSalesforceServer({ port: 0 });
});
afterAll(() => sf.stop());
beforeEach(() => {
	sf.reset();
	sf.registerConnectedApp({ consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET, redirectUri: REDIRECT_URI, publicKeyPem: keys.publicKey });
	conn = new jsforce.Connection({ instanceUrl: sf.baseUrl, accessToken: sf.token, version: VERSION });
});
// What jsforce sent fits the sandbox's request schemas (written from Salesforce's docs).
afterEach(() => expect(sf.violations).toEqual([]));

const oauth2 = () => new jsforce.OAuth2({ loginUrl: sf.baseUrl, clientId: CONSUMER_KEY, clientSecret: CONSUMER_SECRET, redirectUri: REDIRECT_URI });

/** The web-server flow up to the code: the sandbox stands in for the login page and redirects. */
async function authorizationCode(oauth: jsforce.OAuth2): Promise<string> {
	const redirect = await fetch(oauth.getAuthorizationUrl({ scope: 'api refresh_token', state: 'n8n' }), { redirect: 'manual' });
	expect(redirect.status).toBe(302);
	const location = new URL(redirect.headers.get('location')!);
	expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
	expect(location.searchParams.get('state')).toBe('n8n');
	return location.searchParams.get('code')!;
}

/** The error a call fails with (the test fails if it succeeds). */
function failure(call: PromiseLike<unknown>): Promise<any> {
	return Promise.resolve(call).then(
		(value) => {
			throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
		},
		(error) => error,
	);
}

function jwtAssertion(claims: Record<string, unknown>): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = `${part({ alg: 'RS256' })}.${part(claims)}`;
	return `${unsigned}.${crypto.sign('RSA-SHA256', Buffer.from(unsigned), keys.privateKey).toString('base64url')}`;
}

describe('OAuth (POST /services/oauth2/token, GET /services/oauth2/authorize)', () => {
	test('web-server flow: jsforce exchanges the code and parses the identity URL and instance', async () => {
		const client = new jsforce.Connection({ oauth2: oauth2(), version: VERSION });
		const userInfo = await client.authorize(await authorizationCode(client.oauth2));
		expect(userInfo.id).toBe(sf.integrationUserId);
		expect(userInfo.organizationId).toMatch(/^00D[0-9A-Za-z]{15}$/);
		expect(userInfo.url).toBe(`${sf.baseUrl}/id/${userInfo.organizationId}/${sf.integrationUserId}`);
		expect(client.instanceUrl).toBe(sf.baseUrl);
		expect(client.refreshToken).toBeTruthy();
		const token = sf.requests.find((r) => r.path === '/services/oauth2/token')!;
		expect(token.body).toMatchObject({ grant_type: 'authorization_code', client_id: CONSUMER_KEY, redirect_uri: REDIRECT_URI });
		expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		// The session works: a query runs as the integration user.
		const me = await client.query<{ Id: string; Username: string }>(`SELECT Id, Username FROM User WHERE Id = '${sf.integrationUserId}'`);
		expect(me.records.map((u) => u.Username)).toEqual([sf.users().integration.Username]);
	});

	test('an expired session (401 INVALID_SESSION_ID) makes jsforce refresh the token and repeat the call', async () => {
		const client = new jsforce.Connection({ oauth2: oauth2(), version: VERSION });
		await client.authorize(await authorizationCode(client.oauth2));
		const before = client.accessToken;
		const refreshed = new Promise<string>((resolve) => client.on('refresh', (accessToken: string) => resolve(accessToken)));
		sf.expireSessions();
		sf.requests.length = 0;
		const count = await client.query('SELECT COUNT() FROM Lead');
		expect(count.totalSize).toBe(0);
		const accessToken = await refreshed;
		expect(accessToken).not.toBe(before);
		expect(client.accessToken).toBe(accessToken);
		expect(sf.requests.map((r) => `${r.method} ${r.path.replace(/\/v\d+\.0\//, '/vNN/')} ${r.status}`)).toEqual([
			'GET /services/data/vNN/query 401',
			'POST /services/oauth2/token 200',
			'GET /services/data/vNN/query 200',
		]);
		expect(sf.requests[1].body).toMatchObject({ grant_type: 'refresh_token', client_id: CONSUMER_KEY });
	});

	test('JWT bearer grant: jsforce posts the assertion and gets a session without a refresh token', async () => {
		const client = new jsforce.Connection({ loginUrl: sf.baseUrl, version: VERSION });
		const assertion = jwtAssertion({ iss: CONSUMER_KEY, sub: sf.users().integration.Username, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 120 });
		const userInfo = await client.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
		expect(userInfo.id).toBe(sf.integrationUserId);
		expect(client.instanceUrl).toBe(sf.baseUrl);
		expect(client.refreshToken).toBeUndefined();
		const limits = await client.limits();
		expect(limits.DailyApiRequests.Max).toBeGreaterThan(0);
	});

	test('a JWT for the wrong audience is refused in the OAuth error shape jsforce raises', async () => {
		const client = new jsforce.Connection({ loginUrl: sf.baseUrl, version: VERSION });
		const assertion = jwtAssertion({ iss: CONSUMER_KEY, sub: sf.users().integration.Username, aud: 'https://example.com', exp: Math.floor(Date.now() / 1000) + 120 });
		const error = await failure(client.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }));
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('invalid_grant');
		expect(error.message).toBe('Audience validation failed');
	});
});

describe('SOQL query (GET /query, nextRecordsUrl)', () => {
	beforeEach(() => {
		for (let i = 0; i < 450; i++) sf.insert('Lead', { LastName: `Lead ${String(i).padStart(3, '0')}`, Company: 'Acme', Email: `l${i}@acme.example` });
	});

	test('batchSize 200: jsforce follows nextRecordsUrl with queryMore until done', async () => {
		const soql = 'SELECT Id, LastName, Email FROM Lead ORDER BY CreatedDate ASC, Id ASC';
		const first = await conn.query<{ Id: string; LastName: string }>(soql, { autoFetch: false, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
		expect(first).toMatchObject({ totalSize: 450, done: false });
		expect(first.records).toHaveLength(200);
		// jsforce keeps the locator (the last segment of nextRecordsUrl) and rebuilds the URL on its base.
		expect(first.nextRecordsUrl).toMatch(new RegExp(`^${sf.baseUrl}/services/data/v${VERSION}/query/01g[0-9A-Za-z]{15}-200$`));
		const second = await conn.queryMore<{ Id: string; LastName: string }>(first.nextRecordsUrl!);
		expect(second.records).toHaveLength(200);
		const third = await conn.queryMore<{ Id: string; LastName: string }>(second.nextRecordsUrl!);
		expect(third).toMatchObject({ done: true });
		expect(third.nextRecordsUrl).toBeUndefined();
		const all = [...first.records, ...second.records, ...third.records];
		// Every record once across the pages.
		expect(all.map((r) => r.Id).sort()).toEqual(sf.list('Lead').map((r) => r.Id).sort());
		expect(new Set(all.map((r) => r.Id)).size).toBe(450);
		expect(all[0]).toMatchObject({ attributes: { type: 'Lead', url: `/services/data/v${VERSION}/sobjects/Lead/${all[0].Id}` } });
		expect(sf.requests.map((r) => r.path)).toEqual([`/services/data/v${VERSION}/query`, new URL(first.nextRecordsUrl!).pathname, new URL(second.nextRecordsUrl!).pathname]);
		expect(sf.requests[0].headers['sforce-query-options']).toBe('batchSize=200');
	});

	test('autoFetch reads every page; COUNT() answers totalSize only', async () => {
		const all = await conn.query<{ Id: string }>('SELECT Id FROM Lead').run({ autoFetch: true, maxFetch: 10_000, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
		expect(all.records).toHaveLength(450);
		expect(new Set(all.records.map((r) => r.Id)).size).toBe(450);
		const count = await conn.query("SELECT COUNT() FROM Lead WHERE Company = 'Acme' AND IsConverted = false");
		expect(count).toMatchObject({ totalSize: 450, done: true, records: [] });
	});

	test('the status objects and users the provider reads come back with the selected fields', async () => {
		const stages = await conn.query<Record<string, unknown>>(
			'SELECT ApiName, MasterLabel, SortOrder, IsActive, IsClosed, IsWon, DefaultProbability, ForecastCategoryName FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder ASC',
		);
		expect(stages.records.length).toBeGreaterThan(2);
		expect(Object.keys(stages.records[0]).sort()).toEqual(['ApiName', 'DefaultProbability', 'ForecastCategoryName', 'IsActive', 'IsClosed', 'IsWon', 'MasterLabel', 'SortOrder', 'attributes']);
		expect(stages.records.some((s) => s.IsWon === true)).toBe(true);
		for (const object of ['CaseStatus', 'LeadStatus', 'TaskStatus']) {
			const flag = object === 'LeadStatus' ? 'IsConverted' : 'IsClosed';
			const rows = await conn.query<Record<string, unknown>>(`SELECT ApiName, MasterLabel, SortOrder, IsDefault, ${flag} FROM ${object} ORDER BY SortOrder ASC`);
			expect(rows.records.filter((r) => r.IsDefault === true)).toHaveLength(1);
			expect(rows.records.some((r) => r[flag] === true)).toBe(true);
		}
		const users = await conn.query<Record<string, unknown>>("SELECT Id, Name, FirstName, LastName, Email, Username, IsActive, UserType FROM User WHERE UserType = 'Standard' ORDER BY Name ASC");
		expect(users.records.map((u) => u.Id).sort()).toEqual(Object.values(sf.users()).map((u) => u.Id).sort());
	});

	test('a field that does not exist fails the query: jsforce raises INVALID_FIELD', async () => {
		const error = await failure(conn.query('SELECT Id, NoSuchField__c FROM Lead'));
		expect(error.name).toBe('INVALID_FIELD');
		expect(error.errorCode).toBe('INVALID_FIELD');
		expect(error.message).toMatch(/No such column 'NoSuchField__c' on entity 'Lead'/);
	});
});

describe('describe (GET /sobjects/{SObject}/describe)', () => {
	test.each(['Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'Task', 'Note', 'User', 'OpportunityContactRole'])(
		'%s: every property of jsforce\'s DescribeSObjectResult and Field types, the fields the org has',
		async (sobject) => {
			const describe = await conn.describe(sobject);
			expectJsforceType('DescribeSObjectResult', describe, NULL_IN_REAL_DESCRIBES);
			expect(describe.name).toBe(sobject);
			const names = describe.fields.map((f) => f.name);
			expect(names).toContain('Id');
			expect(names).toEqual(Object.keys(OBJECTS[sobject].fields));
			for (const field of describe.fields.filter((f) => f.type === 'picklist')) expect(Array.isArray(field.picklistValues)).toBe(true);
		},
	);

	test('the type check itself names a missing property and a wrong kind', () => {
		expect(jsforceTypeProblems('Field', { name: 'X', type: 'string', label: 1 }).slice(0, 3)).toEqual([
			"Field.aggregatable is missing (jsforce's Field declares it)",
			"Field.autoNumber is missing (jsforce's Field declares it)",
			"Field.byteLength is missing (jsforce's Field declares it)",
		]);
		expect(jsforceTypeProblems('Field', { name: 'X', type: 'string', label: 1 })).toContain('Field.label is 1, not a string');
	});
});

describe('sObject Collections (POST / PATCH /composite/sobjects, POST /composite/sobjects/{SObject})', () => {
	test('create with allOrNone false: one SaveResult per record in order, a bad record fails alone', async () => {
		const results = await conn.sobject('Lead').create(
			[
				{ LastName: 'Ok', Company: 'Acme', HasOptedOutOfEmail: true },
				{ LastName: 'No company' },
				{ LastName: 'Also ok', Company: 'Globex' },
			],
			{ allOrNone: false },
		);
		expect(results.map((r) => r.success)).toEqual([true, false, true]);
		const failed = results[1] as { success: false; errors: Array<{ errorCode?: string; statusCode?: string; message: string; fields?: string[] }> };
		expect(failed.errors[0]).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] });
		const ids = results.filter((r): r is { success: true; id: string; errors: never[] } => r.success).map((r) => r.id);
		expect(ids.map((id) => sf.get('Lead', id)!.LastName)).toEqual(['Ok', 'Also ok']);
		expect(sf.get('Lead', ids[0])!.HasOptedOutOfEmail).toBe(true);
		const call = sf.requests.find((r) => r.path.endsWith('/composite/sobjects'))!;
		expect(call.body).toMatchObject({ allOrNone: false, records: [{ attributes: { type: 'Lead' } }, {}, {}] });
	});

	test('mixed types in one create (a task and a note on a contact), as the message log sends them', async () => {
		const contact = sf.insert('Contact', { LastName: 'Ada', Email: 'ada@example.com' });
		const results = (await conn.create('Task', [
			{ attributes: { type: 'Task' }, WhoId: contact.Id, Subject: 'Email: Hi', Description: 'Body\n[crm-dedupe:0123456789abcdef0123456789abcdef]', Status: 'Completed', ActivityDate: '2026-11-20', TaskSubtype: 'Email' },
		] as any)) as unknown as any[];
		expect(results[0].success).toBe(true);
		const note = await conn.sobject('Note').create([{ ParentId: contact.Id, Title: 'Note', Body: 'Text' }], { allOrNone: false });
		expect(note[0].success).toBe(true);
		const task = sf.get('Task', (results[0] as any).id)!;
		expect(task).toMatchObject({ WhoId: contact.Id, Status: 'Completed', IsClosed: true, TaskSubtype: 'Email' });
	});

	test('update (PATCH) and retrieve (POST with ids and fields): null for an id that does not exist', async () => {
		const lead = sf.insert('Lead', { LastName: 'Before', Company: 'Acme' });
		const updated = await conn.sobject('Lead').update([{ Id: lead.Id, LastName: 'After', Status: 'Working' }], { allOrNone: false });
		expect(updated).toEqual([{ id: lead.Id, success: true, errors: [] }]);
		const missing = '00Q000000000000AAA';
		const records = await conn.sobject('Lead').retrieve([lead.Id, missing], { fields: ['Id', 'LastName', 'Status', 'HasOptedOutOfEmail', 'DoNotCall'] });
		expect(records[1]).toBeNull();
		expect(records[0]).toEqual({
			attributes: { type: 'Lead', url: `/services/data/v${VERSION}/sobjects/Lead/${lead.Id}` },
			Id: lead.Id,
			LastName: 'After',
			Status: 'Working',
			HasOptedOutOfEmail: false,
			DoNotCall: false,
		});
		const retrieve = sf.requests.find((r) => r.method === 'POST' && r.path.endsWith('/composite/sobjects/Lead'))!;
		expect(retrieve.body).toEqual({ ids: [lead.Id, missing], fields: ['Id', 'LastName', 'Status', 'HasOptedOutOfEmail', 'DoNotCall'] });
	});
});

describe('emailSimple action (GET / POST /actions/standard/emailSimple)', () => {
	test('the describe lists the recipient input of this API version; a send answers one result per input', async () => {
		const describe = await conn.request<{ name: string; inputs: Array<{ name: string; type: string; required: boolean }> }>(`/actions/standard/emailSimple`);
		expect(describe.name).toBe('emailSimple');
		const inputs = describe.inputs.map((i) => i.name);
		expect(inputs).toEqual(expect.arrayContaining(['recipientAddresses', 'emailSubject', 'emailBody', 'senderType', 'logEmailOnSend']));
		expect(inputs).not.toContain('emailAddresses');

		const outputs = await conn.requestPost<Array<{ actionName: string; isSuccess: boolean; errors: Array<{ statusCode: string; message: string }> | null }>>(`/actions/standard/emailSimple`, {
			inputs: [
				{ recipientAddresses: 'ada@example.com', emailSubject: 'Hello', emailBody: 'Hi Ada', senderType: 'CurrentUser', logEmailOnSend: false },
				{ recipientAddresses: 'not-an-address', emailSubject: 'Hello', emailBody: 'Hi', senderType: 'CurrentUser', logEmailOnSend: false },
			],
		});
		expect(outputs.map((o) => [o.actionName, o.isSuccess])).toEqual([['emailSimple', true], ['emailSimple', false]]);
		expect(outputs[0].errors).toBeNull();
		expect(outputs[1].errors![0].statusCode).toBe('INVALID_EMAIL_ADDRESS');
		expect(sf.sentEmails.map((e) => [e.to, e.subject])).toEqual([[['ada@example.com'], 'Hello']]);
	});

	test('before API 65.0 the recipient input is emailAddresses', async () => {
		const old = new jsforce.Connection({ instanceUrl: sf.baseUrl, accessToken: sf.token, version: '61.0' });
		const describe = await old.request<{ inputs: Array<{ name: string }> }>('/actions/standard/emailSimple');
		expect(describe.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(['emailAddresses']));
		expect(describe.inputs.map((i) => i.name)).not.toContain('recipientAddresses');
	});
});

describe('limits (GET /limits) and the Sforce-Limit-Info header', () => {
	test('jsforce reads DailyApiRequests and keeps api-usage from the response header', async () => {
		sf.setDailyLimit(15_000);
		await conn.query('SELECT COUNT() FROM Account');
		const limits = await conn.limits();
		expect(limits.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 15_000 - 2 });
		expect(limits.SingleEmail.Max).toBeGreaterThan(0);
		expect(conn.limitInfo).toEqual({ apiUsage: { used: 2, limit: 15_000 } });
	});
});

describe('field-level security (sandbox hideFields)', () => {
	test('describe leaves hidden fields out; queries, retrieves and writes naming one fail with INVALID_FIELD', async () => {
		const lead = sf.insert('Lead', { LastName: 'Fls', Company: 'Acme', HasOptedOutOfEmail: true });
		sf.hideFields('Lead', ['HasOptedOutOfEmail', 'DoNotCall']);

		const describe = await conn.describe('Lead');
		const names = describe.fields.map((f) => f.name);
		expect(names).not.toContain('HasOptedOutOfEmail');
		expect(names).not.toContain('DoNotCall');
		expect(names).toContain('Email');
		expectJsforceType('DescribeSObjectResult', describe, NULL_IN_REAL_DESCRIBES);

		const query = await failure(conn.query('SELECT Id, Email, HasOptedOutOfEmail FROM Lead'));
		expect(query.errorCode).toBe('INVALID_FIELD');
		expect(query.message).toMatch(/No such column 'HasOptedOutOfEmail' on entity 'Lead'/);
		const where = await failure(conn.query('SELECT Id FROM Lead WHERE DoNotCall = false'));
		expect(where.errorCode).toBe('INVALID_FIELD');

		const retrieve = await failure(conn.sobject('Lead').retrieve([lead.Id], { fields: ['Id', 'HasOptedOutOfEmail'] }));
		expect(retrieve.errorCode).toBe('INVALID_FIELD');
		const visible = await conn.sobject('Lead').retrieve([lead.Id], { fields: ['Id', 'LastName'] });
		expect(visible[0]).toMatchObject({ Id: lead.Id, LastName: 'Fls' });

		const write = await conn.sobject('Lead').update([{ Id: lead.Id, HasOptedOutOfEmail: false }], { allOrNone: false });
		expect(write[0].success).toBe(false);
		expect((write[0] as any).errors[0].statusCode).toBe('INVALID_FIELD');
		expect(sf.get('Lead', lead.Id)!.HasOptedOutOfEmail).toBe(true);

		// Other objects are not affected; clearing the list shows the fields again.
		expect((await conn.query('SELECT Id, HasOptedOutOfEmail FROM Contact')).done).toBe(true);
		sf.hideFields('Lead', []);
		expect((await conn.query<{ HasOptedOutOfEmail: boolean }>('SELECT HasOptedOutOfEmail FROM Lead')).records[0].HasOptedOutOfEmail).toBe(true);
		// FLS errors are Salesforce's answers, not schema violations.
		expect(sf.violations).toEqual([]);
	});
});
