import type { ItemResult } from '../contract/provider';
import { InvalidItemError } from '../contract/itemErrors';

export interface RunOptions {
	/** true: any invalid item aborts the whole run before writing (no "Continue On Fail"). */
	stopOnInvalid: boolean;
}

/** Enforces `stopOnInvalid` over per-item validation results. */
export function checkValidation<T>(results: Array<ItemResult<T>>, options: RunOptions): void {
	if (!options.stopOnInvalid) return;
	const index = results.findIndex((r) => !r.ok);
	if (index >= 0) throw new InvalidItemError(index, (results[index] as { error: Error }).error);
}

/**
 * Runs `write` on the valid items only and puts every result back in its item's slot, so item
 * i's output or error always belongs to input item i.
 */
export async function writeValid<P, R>(
	prepared: Array<ItemResult<P>>,
	write: (valid: P[]) => Promise<Array<ItemResult<R>>>,
): Promise<Array<ItemResult<R>>> {
	const valid: P[] = [];
	const slots: number[] = [];
	prepared.forEach((p, i) => {
		if (p.ok) {
			valid.push(p.value);
			slots.push(i);
		}
	});
	// A provider that finds an invalid item names it by its position among the valid ones;
	// translate that back to the item's own index.
	const written = valid.length
		? await write(valid).catch((error: unknown) =>
				Promise.reject(error instanceof InvalidItemError ? new InvalidItemError(slots[error.itemIndex], error.cause) : error),
			)
		: [];
	const results: Array<ItemResult<R>> = prepared.map((p) => (p.ok ? { ok: false, error: new Error('not written') } : p));
	slots.forEach((slot, i) => (results[slot] = written[i]));
	return results;
}

/** Maps each item through a function that may throw, capturing the throw as that item's error. */
export async function perItem<I, O>(inputs: I[], fn: (input: I, index: number) => O | Promise<O>): Promise<Array<ItemResult<O>>> {
	const out: Array<ItemResult<O>> = [];
	for (let i = 0; i < inputs.length; i++) {
		try {
			out.push({ ok: true, value: await fn(inputs[i], i) });
		} catch (error) {
			out.push({ ok: false, error: error as Error });
		}
	}
	return out;
}
