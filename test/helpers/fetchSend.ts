// A stand-in for n8n's `httpRequestWithAuthentication` (returnFullResponse + ignoreHttpStatusErrors)
// built on fetch, for tests that drive the transport or a provider without a workflow.
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { RawResponse } from '../../nodes/shared/transport/http';

export function fetchSend(token: string) {
	return async (options: IHttpRequestOptions): Promise<RawResponse> => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) {
			if (v !== undefined) url.searchParams.set(k, String(v));
		}
		const response = await fetch(url, {
			method: options.method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await response.text();
		const headers: Record<string, string> = {};
		response.headers.forEach((v, k) => (headers[k] = v));
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text, as n8n's helper does
		}
		return { statusCode: response.status, headers, body };
	};
}
