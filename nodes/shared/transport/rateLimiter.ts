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
		const { max } = this.limit;
		const windowMs = this.windowMs();
		while (this.grants.length > 0 && this.grants[0] <= now - windowMs) this.grants.shift();
		let start = Math.max(now, this.blockedUntil);
		if (this.grants.length >= max) {
			// The window that ends at `start` must hold fewer than `max` grants.
			start = Math.max(start, this.grants[this.grants.length - max] + windowMs);
		}
		this.grants.push(start);
		return start - now;
	}

	/**
	 * The window we count in: the limit's, plus the longest recent time from a slot's start to
	 * its answer. The vendor counts a request when it arrives, somewhere in that time; counting
	 * the slot that much longer keeps slow or queued requests from landing in a full window.
	 */
	private windowMs(): number {
		return this.limit.windowMs + Math.max(0, ...this.latencies);
	}

	/** The recent start-to-answer times (the last 20). */
	private readonly latencies: number[] = [];

	/**
	 * The vendor says its window is spent (e.g. HubSpot `X-HubSpot-RateLimit-Remaining: 0`, on the
	 * last allowed request or on a 429). When our own grants fill the window, `reserve` already
	 * waits for the next free slot: nothing to do. Otherwise someone else (another n8n process,
	 * another app on the account) uses the budget too: hold off briefly — a tenth of the window
	 * at most, never the whole window, which would lose the slots that free up meanwhile.
	 */
	vendorWindowFull(pauseMs: number): void {
		const now = this.now();
		const { max } = this.limit;
		const windowMs = this.windowMs();
		const ours = this.grants.filter((t) => t > now - windowMs && t <= now).length;
		if (ours >= max) return;
		this.blockUntil(now + Math.min(pauseMs, Math.ceil(windowMs / 10)));
	}

	/** Waits for a slot; call the returned function when the answer came (it measures the latency). */
	async acquire(sleep: Sleep): Promise<() => void> {
		const wait = this.reserve();
		const start = this.now() + Math.max(0, wait);
		if (wait > 0) await sleep(wait);
		return () => {
			this.latencies.push(Math.max(0, this.now() - start));
			if (this.latencies.length > 20) this.latencies.shift();
		};
	}
}

const limiters = new Map<string, SlidingWindowLimiter>();

/**
 * The limit a client keeps to: the vendor's, with its window stretched by 5 % (at least 100 ms).
 * The vendor counts requests when they arrive, we count them when they leave: with varying
 * latency, a client at exactly the vendor's limit lands some requests in a full window (429s).
 * The stretch absorbs up to that much jitter for a 5 % lower throughput, and keeps the full burst.
 */
export function withMargin(limit: RateLimit): RateLimit {
	return { max: limit.max, windowMs: limit.windowMs + Math.max(100, Math.ceil(limit.windowMs * 0.05)) };
}

/**
 * One limiter per key for the life of the process, kept with a margin under the vendor's limit;
 * the limit is refreshed from the caller's config.
 */
export function limiterFor(key: string, limit: RateLimit, now?: Clock): SlidingWindowLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new SlidingWindowLimiter(withMargin(limit), now);
		limiters.set(key, limiter);
	} else {
		limiter.setLimit(withMargin(limit));
	}
	return limiter;
}

/** For tests: forget every limiter. */
export function resetLimiters(): void {
	limiters.clear();
}
