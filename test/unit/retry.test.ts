import { DEFAULT_RETRY_POLICY, backoffMs, networkErrorCode, retryAfterMs } from '../../nodes/shared/transport/retry';
import type { RetryPolicy } from '../../nodes/shared/transport/retry';

const NOW = Date.UTC(2026, 2, 6, 12, 0, 0); // Fri, 06 Mar 2026 12:00:00 GMT

describe('retryAfterMs', () => {
	test.each<[unknown, number]>([
		['120', 120_000],
		['0', 0],
		[' 3 ', 3000],
		['1.5', 1500],
		['0.25', 250],
		[2, 2000],
		[0.5, 500],
	])('delay-seconds %p → %p ms', (value, expected) => {
		expect(retryAfterMs(value, NOW)).toBe(expected);
	});

	test('an HTTP date is the time until that date', () => {
		expect(retryAfterMs('Fri, 06 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
		expect(retryAfterMs('Fri, 06 Mar 2026 12:05:00 GMT', NOW)).toBe(300_000);
	});

	test('an HTTP date in the past means "no wait"', () => {
		expect(retryAfterMs('Fri, 06 Mar 2026 11:59:00 GMT', NOW)).toBe(0);
	});

	test.each<[unknown]>([['soon'], ['later please'], [''], ['   '], [undefined], [null], [{}], [['5']], [true]])(
		'unreadable %p → undefined',
		(value) => {
			expect(retryAfterMs(value, NOW)).toBeUndefined();
		},
	);

	// BUG: Date.parse in V8 is lenient and reads "-1" (or "soon 5") as a date in 2001, so these
	// come back as 0 ("retry now") instead of undefined ("unreadable, use backoff").
	test.each([['-1'], ['soon 5']])('garbage with digits %p → undefined', (value) => {
		expect(retryAfterMs(value, NOW)).toBeUndefined();
	});
});

describe('backoffMs', () => {
	const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000 };
	const low = () => 0;
	const high = () => 1;

	test.each([
		[1, 250, 500],
		[2, 500, 1000],
		[3, 1000, 2000],
		[4, 2000, 4000],
		[7, 16_000, 32_000],
		[8, 30_000, 60_000], // 500 * 2^7 = 64 000 is over the 60 000 cap
	])('attempt %p waits between %p and %p ms', (attempt, min, max) => {
		expect(backoffMs(attempt, policy, low)).toBe(min);
		expect(backoffMs(attempt, policy, high)).toBe(max);
	});

	test('the cap bounds the ceiling, so a late attempt waits between half the cap and the cap', () => {
		expect(backoffMs(20, policy, low)).toBe(30_000);
		expect(backoffMs(20, policy, high)).toBe(60_000);
		expect(backoffMs(20, policy, () => 0.5)).toBe(45_000);
	});

	test('is never zero and rounds to whole milliseconds', () => {
		const tiny: RetryPolicy = { maxAttempts: 3, baseDelayMs: 3, maxDelayMs: 1000 };
		expect(backoffMs(1, tiny, low)).toBe(2); // 1.5 rounds up
		expect(backoffMs(1, tiny, () => 0.3)).toBe(2); // 1.5 + 0.45
	});

	test('the default policy starts at 250–500 ms', () => {
		expect(backoffMs(1, DEFAULT_RETRY_POLICY, low)).toBe(250);
		expect(backoffMs(1, DEFAULT_RETRY_POLICY, high)).toBe(500);
		expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000 });
	});
});

describe('networkErrorCode', () => {
	test('reads a known code on the error', () => {
		expect(networkErrorCode(Object.assign(new Error('boom'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
		expect(networkErrorCode({ code: 'ETIMEDOUT' })).toBe('ETIMEDOUT');
		expect(networkErrorCode({ code: 'UND_ERR_SOCKET' })).toBe('UND_ERR_SOCKET');
	});

	test('reads a known code on the cause (and the cause of the cause)', () => {
		expect(networkErrorCode(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe('ECONNREFUSED');
		expect(networkErrorCode({ message: 'wrapped', cause: { cause: { code: 'EAI_AGAIN' } } })).toBe('EAI_AGAIN');
	});

	test('stops after four levels of causes', () => {
		expect(networkErrorCode({ cause: { cause: { cause: { code: 'EPIPE' } } } })).toBe('EPIPE');
		expect(networkErrorCode({ cause: { cause: { cause: { cause: { code: 'EPIPE' } } } } })).toBeUndefined();
	});

	test('finds a known code in the message', () => {
		expect(networkErrorCode(new Error('connect ECONNREFUSED 127.0.0.1:443'))).toBe('ECONNREFUSED');
		expect(networkErrorCode(new Error('getaddrinfo ENOTFOUND api.hubapi.com'))).toBe('ENOTFOUND');
		expect(networkErrorCode(new Error('write EPIPE'))).toBe('EPIPE');
	});

	test('"socket hang up" and axios timeouts count as ECONNRESET', () => {
		expect(networkErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
		expect(networkErrorCode(new Error('Socket Hang Up'))).toBe('ECONNRESET');
		expect(networkErrorCode(new Error('timeout of 30000ms exceeded'))).toBe('ECONNRESET');
	});

	test('unknown codes, unrelated messages and non-objects give undefined', () => {
		expect(networkErrorCode({ code: 'ERR_BAD_REQUEST', message: 'Request failed with status code 400' })).toBeUndefined();
		expect(networkErrorCode(new Error('EVERYTHING is fine'))).toBeUndefined();
		expect(networkErrorCode(new Error('ECONNRESETX happened'))).toBeUndefined();
		expect(networkErrorCode('ECONNRESET')).toBeUndefined();
		expect(networkErrorCode(undefined)).toBeUndefined();
		expect(networkErrorCode(null)).toBeUndefined();
	});

	// BUG: only the first E-word of the message is checked, so an earlier uppercase word that
	// starts with E (here "ERROR") hides the real code after it.
	test('finds a known code after another uppercase E-word in the message', () => {
		expect(networkErrorCode(new Error('ERROR: read ECONNRESET'))).toBe('ECONNRESET');
	});

	test('a non-string code is ignored and the message is still read', () => {
		expect(networkErrorCode({ code: 504, message: 'read ETIMEDOUT' })).toBe('ETIMEDOUT');
	});
});
