/** Pagination helpers: providers describe one page fetch, these loop until the last page. */

export interface CursorPage<T> {
	items: T[];
	/** The cursor of the next page; undefined on the last page. */
	next?: string;
}

/** Cursor style (HubSpot `after`, Salesforce `nextRecordsUrl`, Pipedrive `cursor`). */
export async function* paginateCursor<T>(
	fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
	options: { maxItems?: number } = {},
): AsyncGenerator<T[]> {
	let cursor: string | undefined;
	let yielded = 0;
	const seen = new Set<string>();
	do {
		const page = await fetchPage(cursor);
		let items = page.items;
		if (options.maxItems !== undefined) items = items.slice(0, options.maxItems - yielded);
		yielded += items.length;
		if (items.length > 0) yield items;
		if (options.maxItems !== undefined && yielded >= options.maxItems) return;
		// A vendor that hands back the same cursor twice would loop forever: stop instead.
		if (page.next !== undefined && seen.has(page.next)) return;
		if (page.next !== undefined) seen.add(page.next);
		cursor = page.next;
	} while (cursor !== undefined);
}

export interface OffsetPage<T> {
	items: T[];
	/** Whether the vendor says there is more (when it says); else a short page ends the loop. */
	hasMore?: boolean;
}

/** Offset style (EspoCRM `offset`/`maxSize`, Zoho `page`/`per_page`). */
export async function* paginateOffset<T>(
	fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
	pageSize: number,
	options: { maxItems?: number } = {},
): AsyncGenerator<T[]> {
	let offset = 0;
	for (;;) {
		const remaining = options.maxItems === undefined ? pageSize : options.maxItems - offset;
		if (remaining <= 0) return;
		const limit = Math.min(pageSize, remaining);
		const page = await fetchPage(offset, limit);
		if (page.items.length > 0) yield page.items;
		offset += page.items.length;
		const more = page.hasMore ?? page.items.length >= limit;
		if (!more || page.items.length === 0) return;
	}
}

/** Drains a paginated generator into one array (for small, bounded lists only). */
export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
	const all: T[] = [];
	for await (const page of pages) all.push(...page);
	return all;
}

/** Splits a list into chunks of at most `size` (batch endpoints' input limits). */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	if (!(size >= 1)) throw new RangeError(`chunk size must be at least 1, got ${size}`);
	const chunks: T[][] = [];
	for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
	return chunks;
}
