// Small helpers for asserting on the errors the engines throw.
import { CrmInputError } from '../../nodes/shared/transport/errors';

/** Runs `fn`, fails the test when it does not throw, and returns what it threw. */
export function thrownBy(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('Expected the call to throw, but it returned normally');
}

/** Like `thrownBy`, but for a CrmInputError; returns its message, field and hint. */
export function inputErrorOf(fn: () => unknown): { message: string; field?: string; hint?: string } {
	const error = thrownBy(fn);
	expect(error).toBeInstanceOf(CrmInputError);
	const e = error as CrmInputError;
	return { message: e.message, field: e.field, hint: e.hint };
}

/** The async variant of `inputErrorOf`. */
export async function asyncInputErrorOf(
	promise: Promise<unknown>,
): Promise<{ message: string; field?: string; hint?: string }> {
	let error: unknown;
	try {
		await promise;
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(CrmInputError);
	const e = error as CrmInputError;
	return { message: e.message, field: e.field, hint: e.hint };
}
