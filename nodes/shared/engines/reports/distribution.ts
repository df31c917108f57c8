/**
 * A distribution of values (durations, amounts) for medians and p90s whose memory does not grow
 * with the number of records: values are kept exactly up to EXACT_LIMIT, then folded into
 * log-spaced bins (each 1% wide), so quantiles stay within 1% and a group costs at most a few
 * thousand numbers however many records it sees.
 */

const EXACT_LIMIT = 10_000;
const GAMMA = 1.01;
const LOG_GAMMA = Math.log(GAMMA);

export class Distribution {
	private exact: number[] | undefined = [];
	private bins: Map<number, number> | undefined;
	private zeros = 0;
	count = 0;
	sum = 0;

	add(value: number): void {
		if (!Number.isFinite(value)) return;
		this.count++;
		this.sum += value;
		if (this.exact) {
			this.exact.push(value);
			if (this.exact.length > EXACT_LIMIT) this.fold();
			return;
		}
		this.bin(value);
	}

	private fold(): void {
		const values = this.exact ?? [];
		this.exact = undefined;
		this.bins = new Map();
		for (const value of values) this.bin(value);
	}

	private bin(value: number): void {
		if (value <= 0) {
			this.zeros++;
			return;
		}
		const index = Math.floor(Math.log(value) / LOG_GAMMA);
		this.bins!.set(index, (this.bins!.get(index) ?? 0) + 1);
	}

	mean(): number | null {
		return this.count ? this.sum / this.count : null;
	}

	/**
	 * The q-quantile (0..1). Exact values use linear interpolation between the closest ranks
	 * (the common spreadsheet definition: median of 1,2,3,4 is 2.5; p90 of 1..10 is 9.1).
	 */
	quantile(q: number): number | null {
		if (this.count === 0) return null;
		if (this.exact) {
			const sorted = [...this.exact].sort((a, b) => a - b);
			const rank = q * (sorted.length - 1);
			const low = Math.floor(rank);
			const high = Math.ceil(rank);
			return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
		}
		const target = q * (this.count - 1);
		if (target < this.zeros) return 0;
		let seen = this.zeros;
		for (const index of [...this.bins!.keys()].sort((a, b) => a - b)) {
			seen += this.bins!.get(index)!;
			if (seen > target) return GAMMA ** (index + 0.5);
		}
		return null;
	}
}
