/** Bounded concurrency for providers whose vendor limits simultaneous calls (EspoCRM's server, Zoho's per-org concurrency, Pipedrive's burst window). */

/** Runs `fn` over the items with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<I, O>(items: readonly I[], limit: number, fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
	const out = new Array<O>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			out[index] = await fn(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return out;
}
