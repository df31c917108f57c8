/**
 * The `limit` rows that sort first, however many are offered: rows are collected and cut back
 * to `limit` whenever twice as many have piled up, so memory stays bounded by the limit.
 */
export class TopRows<T> {
	private rows: T[] = [];
	/** How many rows were offered (the report's exact count). */
	offered = 0;

	constructor(
		private readonly limit: number,
		private readonly compare: (a: T, b: T) => number,
	) {}

	add(row: T): void {
		this.offered++;
		this.rows.push(row);
		if (this.rows.length >= 2 * this.limit) this.cut();
	}

	private cut(): void {
		this.rows.sort(this.compare);
		this.rows.length = Math.min(this.rows.length, this.limit);
	}

	/** The kept rows, in order. */
	list(): T[] {
		this.cut();
		return this.rows;
	}

	/** Whether rows were left out (the report then says so). */
	get truncated(): boolean {
		return this.offered > this.limit;
	}
}

export const DEFAULT_MAX_ROWS = 500;
