// The Pipedrive provider against the local Pipedrive sandbox (test/sandbox/pipedrive), signed the
// way n8n signs it: the credential's own `authenticate` block puts the token in `x-api-token`.
import type { IHttpRequestOptions } from 'n8n-workflow';

import { CrmPipedriveApi } from '../../credentials/CrmPipedriveApi.credentials';
import { pipedriveProvider } from '../../nodes/shared/providers/pipedrive/PipedriveProvider';
import type { PipedriveProvider } from '../../nodes/shared/providers/pipedrive/PipedriveProvider';
import type { RawResponse } from '../../nodes/shared/transport/http';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { startPipedriveServer } from '../sandbox/pipedrive/server';
import type { FakePipedrive } from '../sandbox/pipedrive';

let providers = 0;

export function pipedriveCredentials(sandbox: FakePipedrive, token = sandbox.apiToken): Record<string, string> {
	return { companyDomain: sandbox.baseUrl, apiToken: token };
}

export function pipedriveSend(credentials: Record<string, string>) {
	const headers = new CrmPipedriveApi().authenticate.properties.headers as Record<string, string>;
	return async (options: IHttpRequestOptions): Promise<RawResponse> => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		const sent: Record<string, string> = { accept: 'application/json', ...(options.headers as Record<string, string>) };
		// The credential's header, its expression resolved as n8n does.
		for (const [k, v] of Object.entries(headers)) sent[k] = v.replace('={{$credentials.apiToken}}', credentials.apiToken);
		if (options.body !== undefined) sent['content-type'] = 'application/json';
		const response = await fetch(url, { method: options.method ?? 'GET', headers: sent, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
		const text = await response.text();
		const out: Record<string, string> = {};
		response.headers.forEach((v, k) => (out[k] = v));
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { statusCode: response.status, headers: out, body };
	};
}

export function pipedriveTestProvider(sandbox: FakePipedrive, options: { unlimited?: boolean } = {}): PipedriveProvider {
	const credentials = pipedriveCredentials(sandbox);
	return pipedriveProvider.create({
		send: pipedriveSend(credentials),
		credentials,
		credentialKey: `pipedrive-test-${providers++}`,
		transportOverrides: {
			retry: { baseDelayMs: 10 },
			...(options.unlimited ? { rateLimits: { default: { max: 100_000, windowMs: 2000 }, search: { max: 100_000, windowMs: 2000 } } } : {}),
		},
	}) as PipedriveProvider;
}

export function usePipedriveSandbox() {
	const box = { pd: undefined as unknown as FakePipedrive };
	beforeAll(async () => {
		box.pd = await startPipedriveServer({ port: 0 });
	});
	afterAll(() => box.pd.stop());
	beforeEach(() => {
		box.pd.reset();
		resetLimiters();
	});
	return box;
}
