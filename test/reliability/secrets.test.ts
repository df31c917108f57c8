/* eslint-disable */
// No credential leaves the package, whatever a CRM or a gateway echoes: crafted error answers that
// repeat the request (its headers, body and query string; as JSON, a Salesforce error list, plain
// text and HTML) on every CRM and sign-in (HubSpot token; Salesforce JWT and OAuth2, including
// the token grant with its signed assertion; EspoCRM API key, HMAC and user/password), read back
// from the node's error (message, description, details) and the Continue On Fail items.
import type { IDataObject } from 'n8n-workflow';

import { CREDENTIAL_REF, HubSpotSandbox, SalesforceSandbox } from '../helpers/providers';
import { EspoCrmSandbox } from '../sandbox/espocrm/crmSandbox';
import { ZohoSandbox } from '../helpers/zohoSandbox';
import { PipedriveSandbox } from '../helpers/pipedriveSandbox';
import { resetTarget, runStep, startTarget, stopTarget } from './harness';
import type { Target } from './harness';
import type { EchoFormat } from '../helpers/faultProxy';

jest.setTimeout(240_000);

const FORMATS: EchoFormat[] = ['json', 'nested', 'text', 'html'];

const OPERATIONS: Array<{ label: string; parameters: IDataObject; method: string; statuses: number[] }> = [
	{ label: 'get', parameters: { resource: 'company', operation: 'get', recordId: '={{ $json.id }}' }, method: '*', statuses: [400, 404] },
	{ label: 'create', parameters: { resource: 'company', operation: 'create', name: 'Echo Inc' }, method: 'POST', statuses: [400, 500] },
	{ label: 'search', parameters: { resource: 'company', operation: 'search', filters: { filter: [{ field: 'name', operator: 'eq', value: 'Echo' }] }, limit: 5 }, method: '*', statuses: [400, 422] },
];

/** The API path every operation's first data call ends with, per CRM (the proxy matches path ends). */
const API_PATH: Record<string, (label: string) => string> = {
	hubspot: (label) => (label === 'get' ? '/crm/v3/objects/companies/batch/read' : label === 'create' ? '/crm/v3/objects/companies/batch/create' : '/crm/v3/objects/companies/search'),
	salesforce: (label) => (label === 'get' ? '/composite/sobjects/Account' : label === 'create' ? '/composite/sobjects' : '/query'),
	espocrm: (label) => (label === 'get' ? '/api/v1/Account' : label === 'create' ? '/api/v1/Account' : '/api/v1/Account'),
	zoho: (label) => (label === 'search' ? '/crm/v8/coql' : '/crm/v8/Accounts'),
	pipedrive: (label) => (label === 'get' ? '/api/v2/organizations/12345' : '/api/v2/organizations'),
};

const targets: Array<[string, Target]> = [
	['HubSpot (private app token)', { name: 'hubspot', sandbox: new HubSpotSandbox(), proxy: undefined as any }],
	['Salesforce (JWT)', { name: 'salesforce', sandbox: new SalesforceSandbox('jwt'), proxy: undefined as any }],
	['Salesforce (OAuth2)', { name: 'salesforce', sandbox: new SalesforceSandbox('oAuth2'), proxy: undefined as any }],
	['EspoCRM (API key)', { name: 'espocrm', sandbox: new EspoCrmSandbox(CREDENTIAL_REF, 'apiKey'), proxy: undefined as any }],
	['EspoCRM (HMAC)', { name: 'espocrm', sandbox: new EspoCrmSandbox(CREDENTIAL_REF, 'hmac'), proxy: undefined as any }],
	['EspoCRM (user and password)', { name: 'espocrm', sandbox: new EspoCrmSandbox(CREDENTIAL_REF, 'basic'), proxy: undefined as any }],
	['Zoho CRM (OAuth2)', { name: 'zoho', sandbox: new ZohoSandbox(CREDENTIAL_REF), proxy: undefined as any }],
	['Pipedrive (API token)', { name: 'pipedrive', sandbox: new PipedriveSandbox(CREDENTIAL_REF), proxy: undefined as any }],
];

let crafted = 0;
let leaked = 0;
const leaks: string[] = [];
afterAll(() => console.log(`Secrets: ${crafted} crafted answers echoing the request, ${leaked} leaked${leaks.length ? `:\n${leaks.join('\n')}` : ''}`));

/** Every text that leaves the node for this run: the error's parts and the output items. */
function visible(run: Awaited<ReturnType<typeof runStep>>): string {
	const error = run.error;
	const parts: unknown[] = [run.output, run.result.error?.message, run.result.error?.description];
	if (error) parts.push(error.message, error.description, error.messages, error.context, (error as any).errorResponse, JSON.stringify(error));
	return JSON.stringify(parts);
}

/** The credential's own secret values, as stored. */
function storedSecrets(target: Target): string[] {
	const stored = target.sandbox.credentials[target.sandbox.target.credentialType] as Record<string, any>;
	const values = ['accessToken', 'apiKey', 'apiToken', 'secretKey', 'password', 'clientSecret'].map((k) => stored[k]).filter((v) => typeof v === 'string' && v.length >= 6);
	const token = stored.oauthTokenData ?? {};
	for (const k of ['access_token', 'refresh_token']) if (typeof token[k] === 'string') values.push(token[k]);
	if (typeof stored.privateKey === 'string') values.push(...stored.privateKey.split('\n').filter((l: string) => l.length >= 40 && !l.startsWith('-----')));
	return values;
}

function check(label: string, target: Target, run: Awaited<ReturnType<typeof runStep>>): void {
	crafted++;
	const text = visible(run);
	const secrets = [...target.proxy.secretsSeen, ...storedSecrets(target)].filter((s) => s.length >= 6);
	const found = secrets.filter((s) => text.includes(s));
	if (found.length) {
		leaked++;
		leaks.push(`${label}: ${found.map((s) => `${s.slice(0, 12)}…`).join(', ')}`);
	}
	// The run did fail on the crafted answer, and said so (the test would pass vacuously otherwise).
	expect(run.error ?? run.output[0]?.error).toBeDefined();
}

describe.each(targets)('%s', (label, target) => {
	beforeAll(() => startTarget(target));
	afterAll(() => stopTarget(target));
	beforeEach(() => resetTarget(target));

	for (const operation of OPERATIONS) {
		for (const status of operation.statuses) {
			test(`${operation.label}: ${status} answers echoing the request leak nothing (${FORMATS.join(', ')}; node error and Continue On Fail)`, async () => {
				for (const format of FORMATS) {
					for (const continueOnFail of [false, true]) {
						target.proxy.clear();
						target.proxy.add({ ...(operation.method === '*' ? {} : { method: operation.method }), pathEndsWith: API_PATH[target.name](operation.label), times: 10, fault: { kind: 'echo', status, format } });
						const run = await runStep(target, operation.parameters, [{ id: target.name === 'hubspot' || target.name === 'pipedrive' ? '12345' : target.name === 'zoho' ? '5725767000000999999' : '0010000000ABCDEAAA' }], { continueOnFail });
						expect(target.proxy.log.some((e) => e.fault === 'echo')).toBe(true);
						check(`${label} ${operation.label} ${status} ${format}${continueOnFail ? ' (Continue On Fail)' : ''}`, target, run);
					}
				}
			});
		}
	}

	if (target.name === 'salesforce') {
		test('the token grant answered with an echo of its form (assertion, refresh token, client secret) leaks nothing', async () => {
			for (const format of FORMATS) {
				await resetTarget(target);
				target.proxy.add({ method: 'POST', pathEndsWith: '/services/oauth2/token', times: 10, fault: { kind: 'echo', status: 400, format } });
				// OAuth2 has its token already: a 401 on the first API call makes n8n refresh it.
				if (target.sandbox.target.credentialType === 'crmSalesforceOAuth2Api') target.proxy.add({ pathEndsWith: '/composite/sobjects', times: 2, fault: { kind: 'echo', status: 401, format } });
				const run = await runStep(target, OPERATIONS[1].parameters, [{}]);
				expect(target.proxy.log.some((e) => e.fault === 'echo' && e.path.endsWith('/token'))).toBe(true);
				check(`${label} token grant ${format}`, target, run);
			}
		});
	}

	afterAll(() => expect(leaked).toBe(0));
});

test('no crafted answer leaked', () => {
	expect(crafted).toBeGreaterThan(0);
	expect(leaks).toEqual([]);
});
