import { SlidingWindowLimiter, limiterFor, resetLimiters, withMargin } from '../../nodes/shared/transport/rateLimiter';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
	let time = start;
	return { now: () => time, advance: (ms: number) => void (time += ms), set: (t: number) => void (time = t) };
}

describe('SlidingWindowLimiter.reserve', () => {
	test('the first `max` reservations wait 0, the next waits until the window slides', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 3, windowMs: 1000 }, clock.now);
		expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 0, 0]);
		expect(limiter.reserve()).toBe(1000);
	});

	test('later reservations queue up window by window', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 1000 }, clock.now);
		expect(Array.from({ length: 7 }, () => limiter.reserve())).toEqual([0, 0, 1000, 1000, 2000, 2000, 3000]);
	});

	test('waits shrink as the clock moves on, and old grants leave the window', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 1000 }, clock.now);
		limiter.reserve(); // at 0
		clock.advance(400);
		limiter.reserve(); // at 400
		expect(limiter.reserve()).toBe(600); // the grant at 0 leaves the window at 1000
		clock.advance(1000); // now 1400: grants at 0 and 400 are gone, 1000 is still in
		expect(limiter.reserve()).toBe(0);
		expect(limiter.reserve()).toBe(600); // window must clear the grant at 1000 → 2000
	});

	test('a grant exactly one window old no longer counts', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 1, windowMs: 500 }, clock.now);
		expect(limiter.reserve()).toBe(0);
		clock.advance(499);
		expect(limiter.reserve()).toBe(1);
		clock.advance(501); // now 1000: grants at 0 and 500 are both ≤ now - 500
		expect(limiter.reserve()).toBe(0);
	});

	test('blockUntil pushes every wait out to the block', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 1000 }, clock.now);
		limiter.blockUntil(clock.now() + 5000);
		expect(limiter.reserve()).toBe(5000);
		expect(limiter.reserve()).toBe(5000);
		expect(limiter.reserve()).toBe(6000); // still only 2 per window after the block
	});

	test('blockUntil keeps the later of two blocks, and a past block changes nothing', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 10, windowMs: 1000 }, clock.now);
		limiter.blockUntil(clock.now() + 3000);
		limiter.blockUntil(clock.now() + 1000);
		expect(limiter.reserve()).toBe(3000);
		clock.advance(10_000);
		limiter.blockUntil(clock.now() - 1);
		expect(limiter.reserve()).toBe(0);
	});

	test('setLimit takes effect for the next reservation', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 1, windowMs: 1000 }, clock.now);
		expect(limiter.reserve()).toBe(0);
		limiter.setLimit({ max: 3, windowMs: 1000 });
		expect(limiter.reserve()).toBe(0);
		expect(limiter.reserve()).toBe(0);
		expect(limiter.reserve()).toBe(1000);
	});

	test('acquire sleeps only when it has to, for exactly the reserved wait', async () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 1, windowMs: 250 }, clock.now);
		const sleeps: number[] = [];
		const sleep = async (ms: number) => void sleeps.push(ms);
		await limiter.acquire(sleep);
		await limiter.acquire(sleep);
		await limiter.acquire(sleep);
		expect(sleeps).toEqual([250, 500]);
	});
});

describe('limiterFor / resetLimiters', () => {
	beforeEach(() => resetLimiters());
	afterAll(() => resetLimiters());

	test('returns the same limiter for the same key, and different ones for different keys', () => {
		const clock = manualClock();
		const a = limiterFor('hubspot:cred1:default', { max: 1, windowMs: 1000 }, clock.now);
		expect(limiterFor('hubspot:cred1:default', { max: 1, windowMs: 1000 }, clock.now)).toBe(a);
		expect(limiterFor('hubspot:cred2:default', { max: 1, windowMs: 1000 }, clock.now)).not.toBe(a);
	});

	test('the shared limiter keeps its grants across callers', () => {
		const clock = manualClock();
		limiterFor('k', { max: 1, windowMs: 1000 }, clock.now).reserve();
		// The shared limiter keeps a margin: the window is stretched by 100 ms (5 %, at least 100 ms).
		expect(limiterFor('k', { max: 1, windowMs: 1000 }, clock.now).reserve()).toBe(1100);
	});

	test('a later call updates the limit of the existing limiter', () => {
		const clock = manualClock();
		const first = limiterFor('k', { max: 1, windowMs: 1000 }, clock.now);
		expect(first.reserve()).toBe(0);
		const again = limiterFor('k', { max: 2, windowMs: 1000 }, clock.now);
		expect(again).toBe(first);
		expect(again.reserve()).toBe(0); // room for a second request now
		expect(again.reserve()).toBe(1100);
	});

	test('resetLimiters forgets every limiter and its grants', () => {
		const clock = manualClock();
		const before = limiterFor('k', { max: 1, windowMs: 1000 }, clock.now);
		before.reserve();
		resetLimiters();
		const after = limiterFor('k', { max: 1, windowMs: 1000 }, clock.now);
		expect(after).not.toBe(before);
		expect(after.reserve()).toBe(0);
	});
});

describe('margin and vendor signals', () => {
	test('withMargin stretches the window by 5 %, at least 100 ms, and keeps the burst', () => {
		expect(withMargin({ max: 100, windowMs: 10_000 })).toEqual({ max: 100, windowMs: 10_500 });
		expect(withMargin({ max: 4, windowMs: 1000 })).toEqual({ max: 4, windowMs: 1100 });
	});

	test('"window full" from the vendor while our own grants fill it changes nothing', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 1000 }, clock.now);
		limiter.reserve();
		limiter.reserve();
		limiter.vendorWindowFull(1000);
		expect(limiter.reserve()).toBe(1000); // the next slot, not a second window
	});

	test('"window full" while we used little of it pauses a tenth of the window, never the whole window', () => {
		const clock = manualClock();
		const limiter = new SlidingWindowLimiter({ max: 100, windowMs: 10_000 }, clock.now);
		limiter.reserve();
		limiter.vendorWindowFull(10_000);
		expect(limiter.reserve()).toBe(1000);
		clock.advance(1000);
		expect(limiter.reserve()).toBe(0);
	});
});
