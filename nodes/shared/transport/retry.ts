/** When and how long to wait before trying a failed request again. */

export interface RetryPolicy {
	/** Total attempts, the first included. */
	maxAttempts: number;
	/** First backoff step; doubles each attempt. */
	baseDelayMs: number;
	/** Upper bound for one wait, whatever the vendor asks. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 60_000,
};

const NETWORK_ERROR_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

/** The network error code of a thrown error (axios and Node put it in different places). */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return code;
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string') {
			const known = message.match(/\bE[A-Z_]{4,}\b/g)?.find((word) => NETWORK_ERROR_CODES.has(word));
			if (known) return known;
			if (/socket hang up|timeout of \d+ms exceeded/i.test(message)) return 'ECONNRESET';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * Parses `Retry-After`: either delay-seconds or an HTTP date. Returns milliseconds to wait, or
 * undefined when the header is missing or unreadable.
 */
export function retryAfterMs(value: unknown, now: number): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	// An HTTP date (RFC 9110 IMF-fixdate, e.g. "Wed, 21 Oct 2026 07:28:00 GMT"); Date.parse alone
	// would also accept junk such as "-1".
	if (!/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter": a random wait in [c/2, c] where c = base * 2^(attempt-1),
 * capped; never zero, yet spread out so parallel callers do not retry in lockstep.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
