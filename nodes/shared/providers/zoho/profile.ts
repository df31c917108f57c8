/**
 * Zoho CRM's HTTP behaviour (API v8, `{api_domain}/crm/v8/...`, header `Authorization:
 * Zoho-oauthtoken <token>`), from ../shared/vendors/zoho.md and Zoho's pages cited there:
 * - data centres: accounts host per DC (zoho.com/accounts/protocol/oauth/multi-dc.html; Canada is
 *   accounts.zohocloud.ca) and the API host the token response names in `api_domain`;
 * - limits: API credits per rolling 24 h, and a concurrency limit per org and app (Free 5,
 *   Standard 10, Professional 15, Enterprise 20, Ultimate 25; secondary sources). Going over
 *   answers 429 `TOO_MANY_REQUESTS` without `Retry-After`: the transport backs off exponentially.
 *   Used-up daily credits answer 429 too, with code `LIMIT_EXCEEDED` (unverified): not retried.
 * - Remaining credits come in `X-API-CREDITS-REMAINING` once half the credits are used (secondary,
 *   citing v8 api-limits.html); errors show them when Zoho sends them.
 */
import type { VendorErrorInfo } from '../../transport/errors';
import type { VendorHttpProfile } from '../../transport/http';
import { ZOHO } from './mapping';

export type DataCentre = 'US' | 'EU' | 'IN' | 'AU' | 'CN' | 'JP' | 'CA' | 'SA' | 'UK';

interface DataCentreHosts {
	accounts: string;
	api: string;
	/** The CRM web app (record links). UNCONFIRMED for CA, SA and UK: not in Zoho's pages we read. */
	ui: string;
}

/** Zoho's data centres (multi-dc.html): where the user signs in, calls the API, and opens records. */
export const DATA_CENTRES: Record<DataCentre, DataCentreHosts> = {
	US: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com', ui: 'https://crm.zoho.com' },
	EU: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu', ui: 'https://crm.zoho.eu' },
	IN: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in', ui: 'https://crm.zoho.in' },
	AU: { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au', ui: 'https://crm.zoho.com.au' },
	CN: { accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn', ui: 'https://crm.zoho.com.cn' },
	JP: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp', ui: 'https://crm.zoho.jp' },
	CA: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca', ui: 'https://crm.zohocloud.ca' },
	SA: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa', ui: 'https://crm.zoho.sa' },
	UK: { accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk', ui: 'https://crm.zoho.uk' },
};

export function dataCentreOf(value: unknown): DataCentre {
	const dc = String(value ?? 'US').toUpperCase();
	return (Object.prototype.hasOwnProperty.call(DATA_CENTRES, dc) ? dc : 'US') as DataCentre;
}

/**
 * Where API calls go: the `api_domain` of the token response (kept by n8n in `oauthTokenData`);
 * without it, the data centre's default host. A non-US org called on the US host answers
 * INVALID_TOKEN, so the token's own domain always wins.
 */
export function apiDomainOf(credentials: Record<string, unknown>): string {
	const token = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
	const domain = typeof token.api_domain === 'string' && token.api_domain.trim() ? token.api_domain.trim() : DATA_CENTRES[dataCentreOf(credentials.dataCentre)].api;
	return domain.replace(/\/+$/, '');
}

/**
 * The web app's host for record links: the data centre's, or for a non-Zoho API domain (a test
 * server, a proxy) the API domain itself.
 */
export function uiHostOf(apiDomain: string, dataCentre: DataCentre): string {
	return /\.zohoapis\./i.test(apiDomain) ? DATA_CENTRES[dataCentre].ui : apiDomain;
}

/** A record's page in the CRM: `{ui}/crm/tab/{Module}/{id}` (UNCONFIRMED: Zoho's URL style as seen in the app, not documented for the API). */
export function recordUrl(uiHost: string, module: string, id: string): string {
	return `${uiHost}/crm/tab/${encodeURIComponent(module)}/${encodeURIComponent(id)}`;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
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

/** Zoho's error object: the body itself, or the first entry of `data` (bulk answers). */
export function zohoErrorObject(body: unknown): Record<string, unknown> {
	const data = asObject(body);
	if (typeof data.code === 'string') return data;
	const first = Array.isArray(data.data) ? (data.data[0] as Record<string, unknown> | undefined) : undefined;
	return first && typeof first === 'object' ? first : data;
}

/** Scopes each operation needs (README "Zoho CRM"), named in scope errors. */
export const ZOHO_SCOPES = [
	'ZohoCRM.modules.ALL',
	'ZohoCRM.settings.ALL',
	'ZohoCRM.users.READ',
	'ZohoCRM.coql.READ',
	'ZohoCRM.notifications.ALL',
	'ZohoCRM.send_mail.all.CREATE',
];

/** The hint for one Zoho error code (also used for per-record errors of batch answers). */
export function hintFor(code: string | undefined, status: number | undefined, details: Record<string, unknown>): string | undefined {
	switch (code) {
		case 'INVALID_TOKEN':
		case 'AUTHENTICATION_FAILURE':
			return 'Zoho refused the access token. Reconnect the CRM: Zoho CRM credential, and check its data centre: an org in another data centre refuses tokens of this one.';
		case 'OAUTH_SCOPE_MISMATCH':
			return `The credential lacks a scope this call needs. Reconnect the CRM: Zoho CRM credential with its default scopes (${ZOHO_SCOPES.join(', ')}).`;
		case 'NO_PERMISSION':
			return "The Zoho user's profile does not allow this (Setup → Users and Control → Security Control → Profiles).";
		case 'MANDATORY_NOT_FOUND':
			return details.api_name ? `Zoho requires the field ${String(details.api_name)}.` : undefined;
		case 'DUPLICATE_DATA':
			return 'A record with the same unique value exists already (Zoho duplicate check). Use Contact → Create or Update to upsert by email.';
		case 'INVALID_DATA':
			return details.api_name ? `Zoho refused the value of ${String(details.api_name)}${details.expected_data_type ? ` (expected ${String(details.expected_data_type)})` : ''}.` : undefined;
		case 'RECORD_IN_BLUEPRINT':
			return 'A Blueprint owns this field: the record moves only through a Blueprint transition (Update Stage runs the transition to the wanted stage).';
		case 'LIMIT_EXCEEDED':
			return "The org's Zoho API credits for the last 24 hours are used up (or a per-call limit was passed); credits free up on a rolling 24-hour window.";
		case 'TOO_MANY_REQUESTS':
			return "Too many simultaneous calls for the org (Zoho's concurrency limit per org and app), even after backing off. Run fewer executions at once.";
		default:
			return status === 404 ? 'Check the record id and that the record was not deleted.' : undefined;
	}
}

export function parseZohoError(status: number, body: unknown, headers: Record<string, unknown>): VendorErrorInfo {
	const error = zohoErrorObject(body);
	const code = typeof error.code === 'string' ? error.code : undefined;
	const details = (error.details && typeof error.details === 'object' ? error.details : {}) as Record<string, unknown>;
	let message =
		typeof error.message === 'string' && error.message
			? error.message
			: typeof body === 'string' && body && !body.trim().startsWith('<')
				? body.slice(0, 300)
				: `Zoho CRM answered HTTP ${status} without an error message`;
	if (code && !message.includes(code)) message = `${code}: ${message}`;
	const credits = header(headers, 'x-api-credits-remaining');
	const hint = [hintFor(code, status, details), credits !== undefined ? `Zoho API credits remaining: ${credits}.` : ''].filter(Boolean).join(' ') || undefined;
	const field = typeof details.api_name === 'string' ? details.api_name : undefined;
	return { message, code, hint, field };
}

/** Simultaneous calls one provider makes (Zoho Free allows 5 per org; we stay under it). */
export const ZOHO_CONCURRENCY = 4;

export function zohoHttpProfile(apiDomain: string): VendorHttpProfile {
	return {
		vendorName: ZOHO,
		baseUrl: `${apiDomain}/crm/v8`,
		// Zoho limits concurrency and daily credits, not requests per second: this window is our
		// own pacing (unverified against an org), the concurrency bound is in the provider.
		rateLimits: { default: { max: 10, windowMs: 1_000 } },
		parseError: parseZohoError,
		rateLimitKind(status, body) {
			if (status !== 429) return undefined;
			return zohoErrorObject(body).code === 'LIMIT_EXCEEDED' ? 'exhausted' : 'transient';
		},
		renewAuthOn401: true,
	};
}
