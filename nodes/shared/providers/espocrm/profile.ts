import type { VendorErrorInfo } from '../../transport/errors';
import type { VendorHttpProfile } from '../../transport/http';

/**
 * EspoCRM's HTTP behaviour (9.x, REST API under `api/v1/`).
 *
 * Sources:
 * - API overview, auth headers, error codes, UTC datetimes "YYYY-MM-DD HH:mm:ss":
 *   https://docs.espocrm.com/development/api/
 * - List params (`maxSize` ≤ 200 in the published OpenAPI spec, `offset`, `where`, `select`,
 *   `orderBy`, `order`; all of them in one JSON `searchParams` query parameter):
 *   https://docs.espocrm.com/development/api-search-params/ and https://docs.espocrm.com/api/
 * - Errors: the message is in the `X-Status-Reason` header (shown in the docs' Python client,
 *   https://docs.espocrm.com/development/api-client-python/); validation failures carry a JSON
 *   body `{"messageTranslation":{"label":"validationFailure","data":{"field","type"}}}` and
 *   duplicates a 409 with reason `duplicate` and the duplicates as the body (EspoCRM source,
 *   application/Espo/Core/Api/ErrorOutput.php, Core/FieldValidation/Exceptions/ValidationError.php,
 *   Core/Record/Service.php; the docs only describe the status codes).
 * - EspoCRM documents no API rate limit (a self-hosted PHP server): the client-side limit below is
 *   our own politeness, not a vendor figure (unverified).
 */

export const ESPOCRM_VENDOR = 'EspoCRM';

/** The REST root of an instance, from the site URL the user opens in the browser. */
export function espoApiBase(siteUrl: string): string {
	const site = String(siteUrl ?? '')
		.trim()
		.replace(/\/+$/, '')
		.replace(/\/api\/v1$/i, '');
	return `${site}/api/v1`;
}

/** The site URL (for links into the UI, `#Lead/view/<id>`). */
export function espoSiteUrl(siteUrl: string): string {
	return espoApiBase(siteUrl).replace(/\/api\/v1$/, '');
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

function parsed(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (!text.startsWith('{') && !text.startsWith('[')) return body;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return body;
	}
}

const AUTH_HINT =
	'Check the CRM: EspoCRM credential: for an API user, the API key (and, for HMAC, the secret key) from Administration → API Users → the user; for a regular user, the user name and password. The API user must be active.';

/** Names the records EspoCRM thinks the new one duplicates. */
function duplicatesText(data: unknown): string | undefined {
	if (!Array.isArray(data) || data.length === 0) return undefined;
	const names = data
		.slice(0, 5)
		.map((d) => (d && typeof d === 'object' ? (d as Record<string, unknown>) : {}))
		.map((d) => `"${String(d.name ?? d.id ?? '?')}" (${String(d.id ?? '?')})`);
	return `${names.join(', ')}${data.length > 5 ? ', …' : ''}`;
}

export function parseEspoError(status: number, body: unknown, headers: Record<string, unknown>): VendorErrorInfo {
	const reason = header(headers, 'x-status-reason');
	const data = parsed(body);
	const object = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
	const translation = (object.messageTranslation ?? {}) as { label?: unknown; data?: Record<string, unknown> };
	const field = typeof translation.data?.field === 'string' ? translation.data.field : undefined;
	const failure = typeof translation.data?.type === 'string' ? translation.data.type : undefined;

	let message = reason ?? (typeof object.message === 'string' ? object.message : undefined);
	let hint: string | undefined;
	let code = reason && /^[a-zA-Z]+$/.test(reason) ? reason : typeof translation.label === 'string' ? translation.label : undefined;

	if (status === 409 && (reason === 'duplicate' || Array.isArray(data))) {
		const names = duplicatesText(data);
		message = `EspoCRM found a possible duplicate${names ? `: ${names}` : ''}`;
		hint = 'Update the existing record instead (for contacts: Contact → Create or Update), or change the value that makes it a duplicate.';
		code = 'duplicate';
	} else if (status === 409 && reason === 'modified') {
		message = 'The record was changed by someone else meanwhile (EspoCRM optimistic concurrency control)';
		hint = 'Run the item again; it reads the current version first.';
	} else if (field) {
		message = `EspoCRM rejected the value of "${field}"${failure ? ` (${failure})` : ''}`;
		hint =
			failure === 'required'
				? `EspoCRM requires "${field}" on this record type.`
				: field === 'phoneNumber' && failure === 'valid'
					? // confirmed on EspoCRM 9.1.7 (default settings): "555-0100" is refused, "+1 555 010 0100" is stored as "+15550100100".
						'EspoCRM expects phone numbers in international format with the country code, e.g. +1 555 010 2000 (it stores them without spaces: +15550102000).'
					: 'Check the value against the field in Administration → Entity Manager.';
	} else if (status === 401) {
		// confirmed on EspoCRM 9.1.7: a wrong API key or HMAC signature is a bare 401 (no X-Status-Reason, empty body).
		message =
			reason === 'second-step-required'
				? 'EspoCRM asks for a second authentication step (2FA)'
				: 'EspoCRM rejected the credentials: wrong API key or secret key (or user name and password), or the user is inactive';
		hint =
			reason === 'second-step-required'
				? 'Two-factor authentication cannot be answered by an automation: use an API user (API key or HMAC) instead of a regular user.'
				: AUTH_HINT;
	} else if (status === 403) {
		message = message ?? 'Access denied';
		hint = "The API user's role does not allow this. In EspoCRM: Administration → Roles → the API user's role.";
	} else if (status === 404) {
		message = message ?? 'Not found';
		hint = 'Check the record id, that the record was not deleted, and that the API user may read it.';
	} else if (status >= 500 && object.message !== undefined && reason === 'sendingFail') {
		message = `EspoCRM could not send the email: ${String(object.message)}`;
		hint = "Check the outbound email (SMTP) settings in Administration → Outbound Emails, or the group email account of the From address.";
	}
	if (!message) {
		const text = typeof body === 'string' ? body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() : '';
		message = text && text.length < 300 ? text : `EspoCRM answered HTTP ${status} without a reason`;
		if (status >= 500) hint = 'See data/logs in the EspoCRM installation for details.';
	}
	return { message, code, hint, field };
}

export interface EspoProfileOptions {
	/** Requests per second this package allows itself against one instance. */
	requestsPerSecond?: number;
}

export function espoHttpProfile(siteUrl: string, options: EspoProfileOptions = {}): VendorHttpProfile {
	return {
		vendorName: ESPOCRM_VENDOR,
		baseUrl: espoApiBase(siteUrl),
		rateLimits: { default: { max: options.requestsPerSecond ?? 20, windowMs: 1000 } },
		parseError: parseEspoError,
		// A proxy in front of EspoCRM may answer 429 or 503; EspoCRM itself has no documented limit.
		rateLimitKind: (status) => (status === 429 ? 'transient' : undefined),
		timeoutMs: 60_000,
	};
}
