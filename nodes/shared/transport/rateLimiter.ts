/**
 * Client-side rate limiting: a sliding-window limiter per (vendor, credential, bucket), shared
 * by every execution in this n8n process, so a large batch or many parallel executions stay
 * under the vendor's limit instead of collecting 429s.
 *
 * Slots are reserved synchronously (JavaScript runs one callback at a time), so concurrent
 * callers never get the same slot; each caller then waits until its slot's time.
 */

export interface RateLimit {
	/** Requests allowed per window. */
	max: number;
	windowMs: number;
}

export type Clock = () => number;
export type Sleep = (ms: number) => Promise<void>;

export class SlidingWindowLimiter {
	/** Start times of granted requests, ascending, pruned to the current window. */
	private readonly grants: number[] = [];
	private blockedUntil = 0;

	constructor(
		private limit: RateLimit,
		private readonly now: Clock = Date.now,
	) {}

	/** The vendor told us (headers or a 429) to hold off until `timestamp`. */
	blockUntil(timestamp: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, timestamp);
	}

	setLimit(limit: RateLimit): void {
		this.limit = limit;
	}

	/** Reserves the next free slot and returns how long the caller must wait before using it. */
	reserve(): number {
		const now = this.now();
		const { max, windowMs } = this.limit;
		while (this.grants.length > 0 && this.grants[0] <= now - windowMs) this.grants.shift();
		let start = Math.max(now, this.blockedUntil);
		if (this.grants.length >= max) {
			// The window that ends at `start` must hold fewer than `max` grants.
			start = Math.max(start, this.grants[this.grants.length - max] + windowMs);
		}
		this.grants.push(start);
		return start - now;
	}

	async acquire(sleep: Sleep): Promise<void> {
		const wait = this.reserve();
		if (wait > 0) await sleep(wait);
	}
}

const limiters = new Map<string, SlidingWindowLimiter>();

/** One limiter per key for the life of the process; the limit is refreshed from the caller's config. */
export function limiterFor(key: string, limit: RateLimit, now?: Clock): SlidingWindowLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new SlidingWindowLimiter(limit, now);
		limiters.set(key, limiter);
	} else {
		limiter.setLimit(limit);
	}
	return limiter;
}

/** For tests: forget every limiter. */
export function resetLimiters(): void {
	limiters.clear();
}
