/**
 * Raised before anything is written when an item's input is invalid and the node is not set
 * to continue on failure: one bad item must not leave a half-applied batch behind.
 */
export class InvalidItemError extends Error {
	constructor(
		readonly itemIndex: number,
		readonly cause: Error,
	) {
		super(cause.message);
		this.name = 'InvalidItemError';
	}
}
