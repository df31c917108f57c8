import type { VendorErrorInfo } from '../../transport/errors';
import type { VendorHttpProfile } from '../../transport/http';

/**
 * Salesforce's HTTP behaviour (REST API Developer Guide, "Status Codes and Error Responses",
 * https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.md; limits cheat sheet,
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html):
 * - error bodies are a JSON array `[{message, errorCode, fields}]`;
 * - 401 INVALID_SESSION_ID when the token expired: the credential renews it (OAuth2 refresh or a
 *   new JWT grant) and the request is sent again;
 * - 403 REQUEST_LIMIT_EXCEEDED: "TotalRequests Limit exceeded." is the org's rolling 24-hour
 *   allocation (not worth retrying); the concurrent long-running request limit
 *   ("ConcurrentRequests ..." / "ConcurrentPerOrgLongTxn ...") clears in seconds (retried);
 * - no per-second limit and no Retry-After: the client-side pace below only keeps a large run
 *   from hammering the org.
 */

export const SALESFORCE_DEFAULT_API_VERSION = '66.0';

interface SalesforceErrorItem {
	message?: string;
	errorCode?: string;
	statusCode?: string;
	fields?: string[];
}

function parsed(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/** The error items of a Salesforce error body (an array; OAuth errors are `{error, error_description}`). */
export function errorItems(body: unknown): SalesforceErrorItem[] {
	const data = parsed(body);
	if (Array.isArray(data)) return data.filter((e) => e && typeof e === 'object') as SalesforceErrorItem[];
	if (data && typeof data === 'object') {
		const object = data as Record<string, unknown>;
		if (typeof object.error === 'string') {
			return [{ errorCode: object.error, message: String(object.error_description ?? object.error) }];
		}
		if (typeof object.errorCode === 'string' || typeof object.message === 'string') return [object as SalesforceErrorItem];
	}
	return [];
}

const HINTS: Record<string, string> = {
	INVALID_SESSION_ID:
		'The session expired or was revoked and could not be renewed. Reconnect the Salesforce OAuth2 credential, or check the JWT credential (consumer key, username, private key, pre-authorized user).',
	INVALID_FIELD:
		'A field name is not known on this object (or not visible to the user). Custom fields end in __c; check the field-level security of the integration user.',
	INVALID_TYPE: 'The object does not exist or is not visible to the user.',
	MALFORMED_QUERY: 'The query was rejected: check the filter values and field names.',
	INSUFFICIENT_ACCESS_OR_READONLY: "The user's profile or permission sets do not allow this on the record.",
	INVALID_CROSS_REFERENCE_KEY: 'A referenced record id (owner, account, contact, ...) does not exist or is of the wrong type.',
	REQUIRED_FIELD_MISSING: 'Salesforce requires this field on the object.',
	INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'The value is not one of the picklist values allowed for this record (or its record type).',
	FIELD_CUSTOM_VALIDATION_EXCEPTION: "A validation rule in the org rejected the record; the message is the rule's own.",
	DUPLICATES_DETECTED: 'A duplicate rule in the org blocked the record: search for the existing record first.',
	API_DISABLED_FOR_ORG: 'This Salesforce edition has no API access (e.g. Professional Edition without the API add-on).',
	ENTITY_IS_DELETED: 'The record is in the recycle bin.',
	NOT_FOUND: 'Check the record id and that the record was not deleted.',
	INVALID_FIELD_FOR_INSERT_UPDATE: 'The field is read-only (computed by Salesforce, or not editable for this user).',
};

/** One line per distinct message; the first error's code and field win. */
export function describeErrors(items: SalesforceErrorItem[], status: number): VendorErrorInfo {
	const first = items[0] ?? {};
	const code = first.errorCode ?? first.statusCode;
	const messages = [...new Set(items.map((e) => e.message).filter((m): m is string => Boolean(m)))];
	const field = items.flatMap((e) => e.fields ?? []).find(Boolean);
	let hint = code ? HINTS[code] : undefined;
	if (code === 'REQUEST_LIMIT_EXCEEDED') {
		hint = isDailyLimit(first.message)
			? "The org's 24-hour API request allocation is used up (Setup → Company Information → API Requests). It frees up as the rolling window moves; lower the workflow frequency or ask Salesforce for more."
			: 'Too many long-running requests run in the org at once; it clears within seconds to minutes.';
	}
	return {
		message: messages.slice(0, 5).join('; ') || `Salesforce answered HTTP ${status} without an error message`,
		code,
		field,
		hint,
	};
}

function isDailyLimit(message: string | undefined): boolean {
	return /TotalRequests/i.test(message ?? '');
}

export function parseSalesforceError(status: number, body: unknown): VendorErrorInfo {
	const items = errorItems(body);
	if (items.length) return describeErrors(items, status);
	const text = typeof body === 'string' && body && !body.trim().startsWith('<') ? body.slice(0, 300) : '';
	return { message: text || `Salesforce answered HTTP ${status} without an error message`, hint: status === 404 ? HINTS.NOT_FOUND : undefined };
}

export function salesforceHttpProfile(baseUrl: string): VendorHttpProfile {
	return {
		vendorName: 'Salesforce',
		baseUrl,
		// No documented per-second limit: a pace that keeps large runs polite.
		rateLimits: { default: { max: 25, windowMs: 1_000 } },
		parseError: (status, body) => parseSalesforceError(status, body),
		rateLimitKind(status, body) {
			const [first] = errorItems(body);
			if (first?.errorCode !== 'REQUEST_LIMIT_EXCEEDED') return undefined;
			return isDailyLimit(first.message) ? 'exhausted' : 'transient';
		},
		renewAuthOn401: true,
	};
}
