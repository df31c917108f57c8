// The Zoho provider on the local Zoho sandbox, for contract and trigger tests that skip n8n:
// requests go over HTTP with the sandbox's access token in Zoho's own header form.
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { RawResponse } from '../../nodes/shared/transport/http';
import { zohoProvider, ZohoProvider } from '../../nodes/shared/providers/zoho/ZohoProvider';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { startZohoServer } from '../sandbox/zoho/server';
import type { FakeZoho } from '../sandbox/zoho';

export function zohoSend(token: () => string) {
	return async (options: IHttpRequestOptions): Promise<RawResponse> => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		const response = await fetch(url, {
			method: options.method,
			headers: { authorization: `Zoho-oauthtoken ${token()}`, 'content-type': 'application/json' },
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await response.text();
		const headers: Record<string, string> = {};
		response.headers.forEach((v, k) => (headers[k] = v));
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { statusCode: response.status, headers, body };
	};
}

export function zohoTestProvider(zoho: FakeZoho, credentials: Record<string, unknown> = {}): ZohoProvider {
	return zohoProvider.create({
		send: zohoSend(() => zoho.token),
		credentials: { dataCentre: 'US', oauthTokenData: { api_domain: zoho.baseUrl, access_token: zoho.token }, ...credentials },
		credentialKey: `zoho-test-${Math.random()}`,
		transportOverrides: { retry: { baseDelayMs: 1, maxAttempts: 4 }, rateLimits: { default: { max: 1000, windowMs: 1000 } } },
	}) as ZohoProvider;
}

/** One sandbox per test file, reset before each test; a test whose requests broke the schemas fails. */
export function useZohoSandbox(options: { checkSchemas?: boolean; exampleProcess?: boolean } = {}) {
	const box = { zoho: undefined as unknown as FakeZoho };
	beforeAll(async () => {
		box.zoho = await startZohoServer({ port: 0 });
	});
	afterAll(() => box.zoho.stop());
	beforeEach(() => {
		box.zoho.reset();
		if (options.exampleProcess) box.zoho.useExampleProcess();
		resetLimiters();
	});
	if (options.checkSchemas !== false) afterEach(() => expect(box.zoho.violations).toEqual([]));
	return box;
}

export const callsTo = (zoho: FakeZoho, method: string, resource: string) => zoho.requests.filter((r) => r.method === method && r.resource === resource);
