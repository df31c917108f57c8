/**
 * Pipedrive's HTTP behaviour (see ../shared/vendors/pipedrive.md for the sources):
 * - one company domain, `https://<company>.pipedrive.com`, with API v1 under `/api/v1` and v2
 *   under `/api/v2` (https://pipedrive.readme.io/docs/how-to-get-the-company-domain);
 * - burst limit per API token over a rolling 2-second window: Essential 20, Advanced 40,
 *   Professional 80, Power 100, Enterprise 120 requests; search endpoints 10 per 2 s on every plan
 *   (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting); every answer carries
 *   `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (seconds);
 * - a daily token budget per company: each endpoint costs tokens (`x-token-cost` in Pipedrive's
 *   OpenAPI specs: 1–40), see `tokenCost` below; a spent budget answers 429 until the next day;
 * - errors `{success: false, error, error_info, data, additional_data, code?}`.
 */
import type { VendorErrorInfo } from '../../transport/errors';
import type { CrmRequest, VendorHttpProfile } from '../../transport/http';

export const PIPEDRIVE_VENDOR = 'Pipedrive';
export const PROVIDER_ID = 'pipedrive';

/** Burst limits per 2 s with an API token, by plan (the credential's plan; the smallest by default). */
export const BURST_PER_2S = { essential: 20, advanced: 40, professional: 80, power: 100, enterprise: 120 } as const;
export const SEARCH_BURST_PER_2S = 10;

/**
 * The site root (`https://acme.pipedrive.com`) from what the user typed: `acme`,
 * `acme.pipedrive.com`, or a full address (a proxy, or the local sandbox in tests).
 */
export function pipedriveSiteUrl(companyDomain: string): string {
	const text = String(companyDomain ?? '').trim().replace(/\/+$/, '');
	if (/^https?:\/\//i.test(text)) return text.replace(/\/api\/v[12]$/i, '');
	const company = text.replace(/\.pipedrive\.com.*$/i, '');
	return `https://${company}.pipedrive.com`;
}

/** Link into Pipedrive's UI for a record (`/deal/<id>`, `/person/<id>`, `/leads/inbox/<uuid>`, …). */
export function recordUrl(siteUrl: string, kind: 'deal' | 'person' | 'organization' | 'lead' | 'activity', id: string): string {
	const path = kind === 'lead' ? `leads/inbox/${id}` : kind === 'activity' ? `activities/${id}` : `${kind}/${id}`;
	return `${siteUrl}/${path}`;
}

/**
 * Tokens a request costs. Pipedrive prints the cost per endpoint (`x-token-cost`); the figures
 * here follow the published ones where we saw them (v2 `GET /deals` list 10; Mailbox v1: get one 2,
 * list 20, update 10, delete 6; search 40 (secondary)) and the rule that v2 costs about half of v1.
 * The rest are our estimate by kind of call (unverified): v2 get one 1, list 10, create/update 5,
 * delete 3; v1 get one 2, list 20, create/update 10, delete 6; search 20 on v2.
 */
export function tokenCost(request: Pick<CrmRequest, 'method' | 'path'>): number {
	const path = request.path.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '');
	const v2 = path.startsWith('/api/v2/');
	const segments = path.split('/').filter(Boolean).slice(2);
	if (segments.includes('search')) return v2 ? 20 : 40;
	const isOne = segments.length >= 2 && !['flow', 'changelog'].includes(segments[segments.length - 1]);
	switch (request.method) {
		case 'GET':
			return v2 ? (isOne ? 1 : 10) : isOne ? 2 : 20;
		case 'DELETE':
			return v2 ? 3 : 6;
		default:
			return v2 ? 5 : 10;
	}
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

function asObject(body: unknown): Record<string, unknown> {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
	if (typeof body === 'string') {
		try {
			const parsed = JSON.parse(body) as unknown;
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
		} catch {
			// not JSON
		}
	}
	return {};
}

/**
 * A 429 from a spent daily budget (not a burst): Pipedrive's text names the daily limit. Retrying
 * before the budget resets (midnight UTC) only spends more of the next day's.
 */
export function dailyBudgetSpent(body: unknown): boolean {
	const data = asObject(body);
	const text = `${String(data.error ?? '')} ${String(data.error_info ?? '')} ${String(data.code ?? '')}`;
	return /daily|budget|token.?limit/i.test(text);
}

export function parsePipedriveError(status: number, body: unknown, headers: Record<string, unknown>): VendorErrorInfo {
	const data = asObject(body);
	const requestId = header(headers, 'x-correlation-id') ?? header(headers, 'x-request-id');
	let message =
		typeof data.error === 'string' && data.error
			? data.error
			: typeof body === 'string' && body && !body.trim().startsWith('<')
				? body.slice(0, 300)
				: `Pipedrive answered HTTP ${status} without an error message`;
	const code = typeof data.code === 'string' ? data.code : typeof data.errorCode === 'string' ? data.errorCode : undefined;
	let hint: string | undefined;
	if (status === 401) {
		hint = 'The API token is wrong or was regenerated. Copy the current one from Pipedrive (Personal preferences → API) into the CRM: Pipedrive credential, and check the company domain.';
	} else if (status === 402) {
		hint = "The company's Pipedrive plan or subscription does not include this (payment required).";
	} else if (status === 403) {
		hint =
			code && code.startsWith('feature_capping')
				? "The company's Pipedrive plan limit is reached (open deals or custom fields); upgrade the plan or close records."
				: "The token's user may not do this: check its permission set (Company settings → Permission sets) and that it can see the record.";
	} else if (status === 404 || status === 410) {
		hint = 'Check the record id, and that the record was not deleted or archived (archived deals and leads are listed under /archived).';
	} else if (status === 429) {
		hint = dailyBudgetSpent(body)
			? "The company's daily API token budget is spent; it resets at the start of the next day (UTC). Lower how often workflows run, or raise the plan or seats."
			: 'Pipedrive kept refusing for its 2-second burst limit even after retries; lower the batch size or parallel workflows.';
	}
	if (message === 'Unauthorized' || (status === 401 && !data.error)) message = 'Pipedrive rejected the API token';
	return { message, code, requestId, hint };
}

export interface PipedriveProfileOptions {
	/** Requests per 2 s (the plan's burst limit); default: Essential, the smallest. */
	burstPer2s?: number;
}

export function pipedriveHttpProfile(siteUrl: string, options: PipedriveProfileOptions = {}): VendorHttpProfile {
	return {
		vendorName: PIPEDRIVE_VENDOR,
		baseUrl: siteUrl,
		rateLimits: {
			default: { max: options.burstPer2s ?? BURST_PER_2S.essential, windowMs: 2000 },
			search: { max: SEARCH_BURST_PER_2S, windowMs: 2000 },
		},
		parseError: parsePipedriveError,
		rateLimitKind: (status, body) => (status === 429 ? (dailyBudgetSpent(body) ? 'exhausted' : 'transient') : undefined),
		// The window is spent (remaining 0): hold the bucket until it resets, as Pipedrive says.
		rateLimitPauseMs: (headers) => {
			const remaining = Number(header(headers, 'x-ratelimit-remaining'));
			if (!Number.isFinite(remaining) || remaining > 0) return undefined;
			const reset = Number(header(headers, 'x-ratelimit-reset'));
			return Number.isFinite(reset) && reset > 0 ? Math.min(reset, 2) * 1000 : 2000;
		},
		requestCost: tokenCost,
		timeoutMs: 60_000,
	};
}
