// Jest helpers for the Pipedrive sandbox: one server per test file (reset before each test, every
// test fails on a schema violation), the credential data that points the package at it, and a
// stand-in for n8n's `httpRequestWithAuthentication` that applies the CRM: Pipedrive credential.
import type { IAuthenticateGeneric, IHttpRequestOptions } from 'n8n-workflow';

import { CrmPipedriveApi } from '../../../credentials/CrmPipedriveApi.credentials';
import { pipedriveProvider } from '../../../nodes/shared/providers/pipedrive/PipedriveProvider';
import type { PipedriveProvider } from '../../../nodes/shared/providers/pipedrive/PipedriveProvider';
import type { RawResponse } from '../../../nodes/shared/transport/http';
import { resetLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { startPipedriveServer } from './server';
import type { FakePipedrive, StartOptions } from './index';

/** The credential as a user fills it in: the company address (a full URL is accepted) and the API token. */
export function pipedriveCredentials(sandbox: FakePipedrive, token = sandbox.apiToken): Record<string, string> {
	return { companyDomain: sandbox.baseUrl, apiToken: token };
}

/**
 * Sends like n8n's helper with `returnFullResponse` and `ignoreHttpStatusErrors`, after the
 * credential's generic authenticate (the `x-api-token` header from the credential's apiToken).
 */
export function pipedriveSend(credentials: Record<string, string>) {
	const headerName = Object.keys((new CrmPipedriveApi().authenticate as IAuthenticateGeneric).properties.headers ?? {})[0];
	return async (options: IHttpRequestOptions): Promise<RawResponse> => {
		const url = new URL(String(options.url), options.baseURL);
		for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		const headers: Record<string, string> = { accept: 'application/json', [headerName]: credentials.apiToken };
		for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(url, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
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

/** The package's Pipedrive provider against the sandbox, authenticated as the credential does it. */
export function pipedriveTestProvider(sandbox: FakePipedrive, options: { unlimited?: boolean } = {}): PipedriveProvider {
	const credentials = pipedriveCredentials(sandbox);
	return pipedriveProvider.create({
		send: pipedriveSend(credentials),
		credentials,
		credentialType: 'crmPipedriveApi',
		credentialKey: `pipedrive-test-${providers++}`,
		transportOverrides: {
			retry: { baseDelayMs: 10 },
			...(options.unlimited ? { rateLimits: { default: { max: 100_000, windowMs: 2000 } } } : {}),
		},
	}) as PipedriveProvider;
}

export function usePipedriveSandbox(options: { checkSchemas?: boolean; start?: StartOptions; beforeEach?: (sandbox: FakePipedrive) => void } = {}) {
	const box = { pipedrive: undefined as unknown as FakePipedrive };
	beforeAll(async () => {
		box.pipedrive = await startPipedriveServer({ port: 0, ...(options.start ?? {}) });
	});
	afterAll(() => box.pipedrive.stop());
	beforeEach(() => {
		box.pipedrive.reset();
		box.pipedrive.setClock(() => Date.now());
		resetLimiters();
		options.beforeEach?.(box.pipedrive);
	});
	if (options.checkSchemas !== false) afterEach(() => expect(box.pipedrive.violations).toEqual([]));
	return box;
}

/** Requests of one method and path under the version, e.g. callsTo(p, 'PATCH', 'v2', /^\/deals\/\d+$/). */
export const callsTo = (sandbox: FakePipedrive, method: string, version: 'v1' | 'v2', resource: string | RegExp) =>
	sandbox.requests.filter((r) => r.method === method && r.version === version && (typeof resource === 'string' ? r.resource === resource : resource.test(r.resource)));
