/**
 * Keyset paging on a time field. Offset paging (`after=200`) over a result set that changes while
 * we page skips records: when one record's time moves to "now", everything behind it shifts one
 * place forward. Anchoring each page on the last time seen ("time >= T") cannot skip; the
 * records at exactly T come again and are dropped by key. Only when one timestamp holds more than
 * a page of records does it fall back to offsets within that timestamp.
 */

export interface TimeQuery {
	/** Lower bound of the time field. */
	from: number;
	/** `gte`: time >= from; `gt`: time > from; `eq`: time == from (the same-timestamp group). */
	mode: 'gte' | 'gt' | 'eq';
	/** Offset, only with `eq`. */
	offset: number;
	limit: number;
}

export async function* keysetScan<T>(
	fetch: (query: TimeQuery) => Promise<T[]>,
	timeOf: (item: T) => number,
	keyOf: (item: T) => string,
	since: number,
	limit: number,
): AsyncGenerator<T[]> {
	const yielded = new Set<string>();
	const fresh = (items: T[]) => items.filter((item) => !yielded.has(keyOf(item)) && (yielded.add(keyOf(item)), true));
	let query: TimeQuery = { from: since, mode: 'gte', offset: 0, limit };
	for (;;) {
		const page = await fetch(query);
		const out = fresh(page);
		if (out.length) yield out;
		if (page.length < limit) return;
		const last = timeOf(page[page.length - 1]);
		if (last > query.from) {
			query = { from: last, mode: 'gte', offset: 0, limit };
			continue;
		}
		// A full page of one timestamp: page through that timestamp, then go strictly after it.
		for (let offset = page.length; ; offset += limit) {
			const group = await fetch({ from: last, mode: 'eq', offset, limit });
			const groupOut = fresh(group);
			if (groupOut.length) yield groupOut;
			if (group.length < limit) break;
		}
		query = { from: last, mode: 'gt', offset: 0, limit };
	}
}
