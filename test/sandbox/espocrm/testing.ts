// Jest helpers for the EspoCRM sandbox: one server per test file (reset before each test, every
// test fails on a schema violation), and a stand-in for n8n's `httpRequestWithAuthentication`
// that applies the real CRM: EspoCRM credential (API key, HMAC or password) to each request.
import { ICredentialsHelper } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { CrmEspoCrmApi } from '../../../credentials/CrmEspoCrmApi.credentials';
import { CrmHubSpotApi } from '../../../credentials/CrmHubSpotApi.credentials';
import { espocrmProvider } from '../../../nodes/shared/providers/espocrm/EspoCrmProvider';
import type { EspoCrmProvider } from '../../../nodes/shared/providers/espocrm/EspoCrmProvider';
import type { RawResponse } from '../../../nodes/shared/transport/http';
import { resetLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { startEspoCrmServer } from './server';
import type { FakeEspoCrm } from './index';

export type AuthKind = 'apiKey' | 'hmac' | 'basic';

export function espoCredentials(sandbox: FakeEspoCrm, auth: AuthKind = 'apiKey'): Record<string, string> {
	const siteUrl = sandbox.baseUrl;
	if (auth === 'hmac') return { siteUrl, authMethod: 'hmac', apiKey: 'test-hmac-key', secretKey: 'test-hmac-secret' };
	if (auth === 'basic') return { siteUrl, authMethod: 'basic', username: 'admin', password: 'sandbox-admin-password' };
	return { siteUrl, authMethod: 'apiKey', apiKey: 'test-api-key' };
}

/** Sends like n8n's helper with `returnFullResponse` and `ignoreHttpStatusErrors`, after the credential's authenticate(). */
export function espoSend(credentials: Record<string, string>) {
	const credential = new CrmEspoCrmApi();
	return async (options: IHttpRequestOptions): Promise<RawResponse> => {
		const signed = await credential.authenticate(credentials, { ...options });
		const url = new URL(signed.url);
		for (const [k, v] of Object.entries(signed.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		const headers: Record<string, string> = { accept: 'application/json' };
		for (const [k, v] of Object.entries(signed.headers ?? {})) headers[k] = String(v);
		if (signed.body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(url, {
			method: signed.method ?? 'GET',
			headers,
			body: signed.body === undefined ? undefined : JSON.stringify(signed.body),
		});
		const text = await response.text();
		const responseHeaders: Record<string, string> = {};
		response.headers.forEach((v, k) => (responseHeaders[k] = v));
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text, as n8n's helper does
		}
		return { statusCode: response.status, headers: responseHeaders, body };
	};
}

let providers = 0;

/** A provider against the sandbox, authenticated the way the credential does it. */
export function espoProvider(sandbox: FakeEspoCrm, auth: AuthKind = 'apiKey', options: { unlimited?: boolean } = {}): EspoCrmProvider {
	const credentials = espoCredentials(sandbox, auth);
	return espocrmProvider.create({
		send: espoSend(credentials),
		credentials,
		credentialType: 'crmEspoCrmApi',
		credentialKey: `espo-test-${auth}-${providers++}`,
		transportOverrides: {
			retry: { baseDelayMs: 10 },
			...(options.unlimited ? { rateLimits: { default: { max: 100_000, windowMs: 1000 } } } : {}),
		},
	}) as EspoCrmProvider;
}

export function useEspoSandbox(options: { checkSchemas?: boolean; beforeEach?: (sandbox: FakeEspoCrm) => void } = {}) {
	const box = { espo: undefined as unknown as FakeEspoCrm };
	beforeAll(async () => {
		box.espo = await startEspoCrmServer({ port: 0 });
	});
	afterAll(() => box.espo.stop());
	beforeEach(() => {
		box.espo.reset();
		box.espo.setClock(() => Date.now());
		resetLimiters();
		options.beforeEach?.(box.espo);
	});
	if (options.checkSchemas !== false) afterEach(() => expect(box.espo.violations).toEqual([]));
	return box;
}

/** Requests of one method and resource path. */
export const callsTo = (sandbox: FakeEspoCrm, method: string, resource: string) =>
	sandbox.requests.filter((r) => r.method === method && r.resource === resource);

/**
 * What n8n-core asks of n8n's credentials helper, for node contexts built in tests (hook, webhook,
 * execute): decrypted credential data by type, and the credential's own authenticate().
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types: Record<string, ICredentialType> = { crmEspoCrmApi: new CrmEspoCrmApi(), crmHubSpotApi: new CrmHubSpotApi() };
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		return structuredClone(this.data[type]);
	}
	async authenticate(credentials: ICredentialDataDecryptedObject, type: string, request: IHttpRequestOptions) {
		const auth = this.types[type].authenticate;
		if (typeof auth === 'function') return await auth(credentials, request);
		return request;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not implemented');
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type: string) {
		return this.types[type].properties;
	}
}
