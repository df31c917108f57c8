import { chunk, collectPages, paginateCursor, paginateOffset } from '../../nodes/shared/transport/pagination';
import type { CursorPage, OffsetPage } from '../../nodes/shared/transport/pagination';

/** Collects the pages (as arrays) a generator yields. */
async function pagesOf<T>(generator: AsyncGenerator<T[]>): Promise<T[][]> {
	const pages: T[][] = [];
	for await (const page of generator) pages.push(page);
	return pages;
}

/** A cursor API over fixed pages: the cursor of page i is `c<i>`. */
function cursorApi<T>(pages: Array<CursorPage<T>>) {
	const asked: Array<string | undefined> = [];
	const fetchPage = async (cursor: string | undefined) => {
		asked.push(cursor);
		const index = cursor === undefined ? 0 : Number(cursor.slice(1));
		return pages[index];
	};
	return { fetchPage, asked };
}

describe('paginateCursor', () => {
	test('follows the cursor and stops when a page has none', async () => {
		const api = cursorApi([
			{ items: [1, 2], next: 'c1' },
			{ items: [3, 4], next: 'c2' },
			{ items: [5] },
		]);
		expect(await pagesOf(paginateCursor(api.fetchPage))).toEqual([[1, 2], [3, 4], [5]]);
		expect(api.asked).toEqual([undefined, 'c1', 'c2']);
	});

	test('a single page without a cursor is fetched once', async () => {
		const api = cursorApi([{ items: ['only'] }]);
		expect(await pagesOf(paginateCursor(api.fetchPage))).toEqual([['only']]);
		expect(api.asked).toEqual([undefined]);
	});

	test('empty pages are not yielded, but their cursor is followed', async () => {
		const api = cursorApi([{ items: [], next: 'c1' }, { items: [1] }]);
		expect(await pagesOf(paginateCursor(api.fetchPage))).toEqual([[1]]);
		expect(api.asked).toEqual([undefined, 'c1']);
	});

	test('stops when the vendor hands back a cursor it already gave', async () => {
		const asked: Array<string | undefined> = [];
		const fetchPage = async (cursor: string | undefined): Promise<CursorPage<string>> => {
			asked.push(cursor);
			if (cursor === undefined) return { items: ['a'], next: 'x' };
			if (cursor === 'x') return { items: ['b'], next: 'y' };
			return { items: ['c'], next: 'x' }; // loops back to "x"
		};
		expect(await pagesOf(paginateCursor(fetchPage))).toEqual([['a'], ['b'], ['c']]);
		expect(asked).toEqual([undefined, 'x', 'y']);
	});

	test('stops when the same cursor comes back twice in a row', async () => {
		let calls = 0;
		const fetchPage = async (): Promise<CursorPage<number>> => ({ items: [++calls], next: 'same' });
		expect(await pagesOf(paginateCursor(fetchPage))).toEqual([[1], [2]]);
		expect(calls).toBe(2);
	});

	test('maxItems cuts a page in the middle and fetches nothing more', async () => {
		const api = cursorApi([
			{ items: [1, 2, 3], next: 'c1' },
			{ items: [4, 5, 6], next: 'c2' },
			{ items: [7, 8, 9] },
		]);
		expect(await pagesOf(paginateCursor(api.fetchPage, { maxItems: 5 }))).toEqual([
			[1, 2, 3],
			[4, 5],
		]);
		expect(api.asked).toEqual([undefined, 'c1']);
	});

	test('maxItems equal to a page boundary stops without asking for the next page', async () => {
		const api = cursorApi([
			{ items: [1, 2], next: 'c1' },
			{ items: [3, 4], next: 'c2' },
		]);
		expect(await pagesOf(paginateCursor(api.fetchPage, { maxItems: 2 }))).toEqual([[1, 2]]);
		expect(api.asked).toEqual([undefined]);
	});

	test('maxItems larger than the total returns everything', async () => {
		const api = cursorApi([{ items: [1], next: 'c1' }, { items: [2] }]);
		expect(await collectPages(paginateCursor(api.fetchPage, { maxItems: 100 }))).toEqual([1, 2]);
	});
});

describe('paginateOffset', () => {
	/** An offset API over a list; `hasMore` is reported only when `reportHasMore`. */
	function offsetApi(total: number, reportHasMore = false) {
		const asked: Array<[number, number]> = [];
		const fetchPage = async (offset: number, limit: number): Promise<OffsetPage<number>> => {
			asked.push([offset, limit]);
			const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
			return reportHasMore ? { items, hasMore: offset + items.length < total } : { items };
		};
		return { fetchPage, asked };
	}

	test('without hasMore, a short page ends the loop', async () => {
		const api = offsetApi(5);
		expect(await pagesOf(paginateOffset(api.fetchPage, 2))).toEqual([[0, 1], [2, 3], [4]]);
		expect(api.asked).toEqual([
			[0, 2],
			[2, 2],
			[4, 2],
		]);
	});

	test('without hasMore, an exact multiple needs one more (empty) page to know it is done', async () => {
		const api = offsetApi(4);
		expect(await pagesOf(paginateOffset(api.fetchPage, 2))).toEqual([
			[0, 1],
			[2, 3],
		]);
		expect(api.asked).toEqual([
			[0, 2],
			[2, 2],
			[4, 2],
		]);
	});

	test('hasMore: false ends the loop even after a full page', async () => {
		const api = offsetApi(4, true);
		expect(await pagesOf(paginateOffset(api.fetchPage, 2))).toEqual([
			[0, 1],
			[2, 3],
		]);
		expect(api.asked).toEqual([
			[0, 2],
			[2, 2],
		]);
	});

	test('hasMore: true continues after a short page', async () => {
		const pages: Array<OffsetPage<string>> = [
			{ items: ['a'], hasMore: true },
			{ items: ['b', 'c'], hasMore: false },
		];
		const asked: number[] = [];
		const fetchPage = async (offset: number) => {
			asked.push(offset);
			return pages[asked.length - 1];
		};
		expect(await pagesOf(paginateOffset(fetchPage, 10))).toEqual([['a'], ['b', 'c']]);
		expect(asked).toEqual([0, 1]);
	});

	test('an empty page ends the loop even when hasMore says true', async () => {
		let calls = 0;
		const fetchPage = async (): Promise<OffsetPage<number>> => {
			calls++;
			return { items: [], hasMore: true };
		};
		expect(await pagesOf(paginateOffset(fetchPage, 10))).toEqual([]);
		expect(calls).toBe(1);
	});

	test('maxItems shrinks the last request and stops there', async () => {
		const api = offsetApi(100);
		expect(await pagesOf(paginateOffset(api.fetchPage, 2, { maxItems: 5 }))).toEqual([[0, 1], [2, 3], [4]]);
		expect(api.asked).toEqual([
			[0, 2],
			[2, 2],
			[4, 1],
		]);
	});

	test('maxItems of 0 fetches nothing', async () => {
		const api = offsetApi(100);
		expect(await pagesOf(paginateOffset(api.fetchPage, 2, { maxItems: 0 }))).toEqual([]);
		expect(api.asked).toEqual([]);
	});
});

describe('collectPages', () => {
	test('flattens the pages in order', async () => {
		async function* pages() {
			yield [1, 2];
			yield [];
			yield [3];
		}
		expect(await collectPages(pages())).toEqual([1, 2, 3]);
	});
});

describe('chunk', () => {
	test('splits into chunks of at most the size, the last one shorter', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(chunk(['a', 'b', 'c'], 3)).toEqual([['a', 'b', 'c']]);
		expect(chunk([1, 2], 100)).toEqual([[1, 2]]);
		expect(chunk([1, 2, 3], 1)).toEqual([[1], [2], [3]]);
	});

	test('an empty list gives no chunks', () => {
		expect(chunk([], 10)).toEqual([]);
	});

	test('does not change the input', () => {
		const list = [1, 2, 3];
		chunk(list, 2);
		expect(list).toEqual([1, 2, 3]);
	});
});
