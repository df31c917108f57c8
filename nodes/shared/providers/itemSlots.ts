/**
 * Per-item bookkeeping every provider's batch writes share: build each item's request body (an
 * item that cannot be built fails alone), send the valid ones, and put each result back in its
 * item's slot.
 */
import { InvalidItemError } from '../contract/itemErrors';
import type { ItemResult, WriteOptions } from '../contract/provider';

export interface PreparedItems<T> {
	/** Bodies of the items that could be built, in item order. */
	valid: T[];
	/** Per item: its index in `valid`, or why it could not be built. */
	slots: Array<number | Error>;
}

/** Builds every item; with `stopOnInvalid`, the first item that cannot be built aborts before any write. */
export function prepareItems<I, T>(inputs: readonly I[], build: (input: I, index: number) => T, options: WriteOptions = {}): PreparedItems<T> {
	const valid: T[] = [];
	const slots: Array<number | Error> = [];
	inputs.forEach((input, index) => {
		try {
			valid.push(build(input, index));
			slots.push(valid.length - 1);
		} catch (error) {
			slots.push(error as Error);
		}
	});
	const firstBad = slots.findIndex((slot) => slot instanceof Error);
	if (options.stopOnInvalid && firstBad >= 0) throw new InvalidItemError(firstBad, slots[firstBad] as Error);
	return { valid, slots };
}

/** One result per item: the result of its valid body, or the error it was prepared with. */
export function mergeItems<R>(slots: ReadonlyArray<number | Error>, results: ReadonlyArray<ItemResult<R>>): Array<ItemResult<R>> {
	return slots.map((slot) => (typeof slot === 'number' ? results[slot] : { ok: false, error: slot }));
}

/**
 * Runs inputs in rounds where no key repeats (the same record twice in one batch call is
 * ambiguous to CRMs), and returns the results in input order.
 */
export async function inDistinctRounds<T, R>(inputs: readonly T[], keyOf: (input: T) => string, run: (round: T[]) => Promise<R[]>): Promise<R[]> {
	const results: R[] = new Array(inputs.length);
	let pending = inputs.map((input, index) => ({ input, index }));
	while (pending.length) {
		const seen = new Set<string>();
		const round = pending.filter((p) => !seen.has(keyOf(p.input)) && seen.add(keyOf(p.input)));
		pending = pending.filter((p) => !round.includes(p));
		const answers = await run(round.map((r) => r.input));
		round.forEach((r, i) => (results[r.index] = answers[i]));
	}
	return results;
}
