import type { VendorErrorInfo } from '../../transport/errors';
import type { VendorHttpProfile } from '../../transport/http';

/**
 * HubSpot's HTTP behaviour, from https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * and the CRM API specs (see ../shared/vendors/hubspot.md):
 * - burst limit per private app: 100 / 10 s (Free, Starter), 190 / 10 s (Professional, Enterprise),
 *   250 / 10 s with the API limit increase;
 * - CRM search: 4 requests / s per token (changelog "crm-search-api-rate-limit-increase"; some
 *   pages quote 5 / s per account, so we stay at the documented 4);
 * - 429 bodies carry `policyName` (e.g. TEN_SECONDLY_ROLLING, DAILY); a daily cap is not worth retrying.
 */

export const HUBSPOT_DEFAULT_BASE_URL = 'https://api.hubapi.com';

export type HubSpotTier = '100' | '190' | '250';

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name.toLowerCase()] ?? headers[name];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

function asObject(body: unknown): Record<string, unknown> {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
	if (typeof body === 'string') {
		try {
			const parsed = JSON.parse(body) as unknown;
			if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
		} catch {
			// not JSON: fall through
		}
	}
	return {};
}

const SCOPE_HINT =
	'The private app is missing a scope. In HubSpot: Settings → Integrations → Private Apps → your app → Scopes, add the scope named above, then commit the change (the token stays the same).';

export function parseHubSpotError(
	status: number,
	body: unknown,
	headers: Record<string, unknown>,
): VendorErrorInfo {
	const data = asObject(body);
	const category = typeof data.category === 'string' ? data.category : undefined;
	const requestId =
		(typeof data.correlationId === 'string' ? data.correlationId : undefined) ??
		header(headers, 'x-hubspot-correlation-id');
	let message =
		typeof data.message === 'string' && data.message
			? data.message
			: typeof body === 'string' && body && !body.trim().startsWith('<')
				? body.slice(0, 300)
				: `HubSpot answered HTTP ${status} without an error message`;
	const details = Array.isArray(data.errors) ? (data.errors as Array<Record<string, unknown>>) : [];
	const detailMessages = [
		...new Set(details.map((d) => (typeof d.message === 'string' ? d.message : '')).filter((m) => m && !message.includes(m))),
	];
	if (detailMessages.length) message = `${message} (${detailMessages.slice(0, 5).join('; ')})`;

	let hint: string | undefined;
	let field: string | undefined;
	if (status === 401) {
		hint =
			'The access token is invalid, expired or was rotated. Copy the current token from the private app (Settings → Integrations → Private Apps → Auth) into the CRM: HubSpot credential.';
	} else if (status === 403 && (category === 'MISSING_SCOPES' || /scope/i.test(message))) {
		const scopes = details.flatMap((d) => {
			const context = (d.context ?? {}) as Record<string, unknown>;
			const required = context.requiredGranularScopes ?? context.requiredScopes;
			return Array.isArray(required) ? required.map(String) : [];
		});
		hint = scopes.length ? `Required scopes: ${[...new Set(scopes)].join(', ')}. ${SCOPE_HINT}` : SCOPE_HINT;
	} else if (status === 429) {
		hint =
			data.policyName === 'DAILY'
				? "The account's daily API limit is used up; it resets at midnight in the account's time zone."
				: 'HubSpot rate limit reached even after retries. Lower the batch size or the workflow frequency, or set the credential\'s rate-limit tier to match the account.';
	} else if (status === 409) {
		hint = 'A record with the same unique value (e.g. email) already exists. Use Contact → Create or Update to upsert.';
	} else if (status === 404) {
		hint = 'Check the record id and that the record was not deleted.';
	}
	for (const d of details) {
		const context = (d.context ?? {}) as Record<string, unknown>;
		const propertyName = context.propertyName;
		if (Array.isArray(propertyName) && propertyName.length) field = String(propertyName[0]);
		else if (typeof propertyName === 'string') field = propertyName;
		if (field) break;
	}
	return { message, code: category, requestId, hint, field };
}

export function hubspotHttpProfile(baseUrl: string, tier: HubSpotTier): VendorHttpProfile {
	const burst = Number(tier) || 100;
	return {
		vendorName: 'HubSpot',
		baseUrl: baseUrl || HUBSPOT_DEFAULT_BASE_URL,
		rateLimits: {
			default: { max: burst, windowMs: 10_000 },
			search: { max: 4, windowMs: 1_000 },
		},
		parseError: parseHubSpotError,
		rateLimitKind(status, body) {
			if (status !== 429) return undefined;
			return asObject(body).policyName === 'DAILY' ? 'exhausted' : 'transient';
		},
		rateLimitPauseMs(headers) {
			// Search endpoints send no rate-limit headers; others tell us when the window is spent.
			const remaining = header(headers, 'x-hubspot-ratelimit-remaining');
			const interval = header(headers, 'x-hubspot-ratelimit-interval-milliseconds');
			if (remaining === undefined || Number(remaining) > 0) return undefined;
			return Number(interval) > 0 ? Number(interval) : 10_000;
		},
	};
}
