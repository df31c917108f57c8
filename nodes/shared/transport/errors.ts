import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** What a provider reads out of a vendor's error response. */
export interface VendorErrorInfo {
	message: string;
	/** The vendor's error code or category (e.g. VALIDATION_ERROR, MISSING_SCOPES). */
	code?: string;
	/** The vendor's correlation / request id, for support tickets. */
	requestId?: string;
	/** What the user can do about it, when the fix is known. */
	hint?: string;
	/** The field the vendor blamed, when it says. */
	field?: string;
}

/**
 * An error from a CRM call, carrying everything the user needs and nothing secret: the
 * request's headers (and so the token) are never copied in here.
 */
export class CrmApiError extends Error {
	readonly vendor: string;
	readonly status?: number;
	readonly code?: string;
	readonly requestId?: string;
	readonly hint?: string;
	readonly field?: string;
	/** The vendor's error body, for the error's details panel. */
	readonly body?: unknown;

	constructor(
		vendor: string,
		info: VendorErrorInfo & { status?: number; body?: unknown },
	) {
		super(info.message);
		this.name = 'CrmApiError';
		this.vendor = vendor;
		this.status = info.status;
		this.code = info.code;
		this.requestId = info.requestId;
		this.hint = info.hint;
		this.field = info.field;
		this.body = info.body;
	}

	/** One line for the user: vendor, status, message, and the request id when there is one. */
	describe(): string {
		const parts = [this.hint, this.requestId ? `${this.vendor} request id: ${this.requestId}` : ''];
		return parts.filter(Boolean).join(' ');
	}
}

/**
 * An error in the user's input for one item (unknown stage, invalid email, ...). It names the
 * field and, where it can, what would be valid.
 */
export class CrmInputError extends Error {
	constructor(
		message: string,
		readonly field?: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'CrmInputError';
	}
}

/** A provider was asked for something it cannot do. */
export class CrmCapabilityError extends CrmInputError {
	constructor(providerName: string, what: string, alternative?: string) {
		super(`${providerName} does not support ${what}`, undefined, alternative);
		this.name = 'CrmCapabilityError';
	}
}

/** Converts any error from the engine/provider/transport layers into n8n's error classes. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const prefix = itemIndex === undefined ? '' : `Item ${itemIndex}: `;
	if (error instanceof CrmApiError) {
		const status = error.status ? ` (HTTP ${error.status})` : '';
		const details: JsonObject = {
			message: error.message,
			...(error.status ? { httpCode: String(error.status) } : {}),
			...(error.code ? { code: error.code } : {}),
			...(error.requestId ? { requestId: error.requestId } : {}),
			...(error.field ? { field: error.field } : {}),
		};
		return new NodeApiError(node, details, {
			message: `${prefix}${error.vendor}${status}: ${error.message}`,
			description: error.describe() || undefined,
			httpCode: error.status ? String(error.status) : undefined,
			itemIndex,
		});
	}
	if (error instanceof CrmInputError) {
		return new NodeOperationError(node, `${prefix}${error.message}`, {
			description: error.hint,
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${prefix}${message}`, { itemIndex });
}

/** The JSON an error item carries when the node runs with "Continue On Fail". */
export function errorItemJson(error: unknown): JsonObject {
	if (error instanceof CrmApiError) {
		return {
			error: error.message,
			...(error.status ? { httpCode: error.status } : {}),
			...(error.code ? { code: error.code } : {}),
			...(error.requestId ? { requestId: error.requestId } : {}),
			...(error.field ? { field: error.field } : {}),
			...(error.hint ? { hint: error.hint } : {}),
		};
	}
	if (error instanceof CrmInputError) {
		return {
			error: error.message,
			...(error.field ? { field: error.field } : {}),
			...(error.hint ? { hint: error.hint } : {}),
		};
	}
	return { error: error instanceof Error ? error.message : String(error) };
}
