import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { redact, redactDeep } from './redact';

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
	/** The record this item wrote before the error (e.g. created, then a follow-up step failed). */
	recordId?: string;
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
	readonly recordId?: string;
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
		this.recordId = info.recordId;
		this.body = info.body;
	}

	/** One line for the user: vendor, status, message, and the request id when there is one. */
	describe(): string {
		const parts = [this.hint, this.requestId ? `${this.vendor} request id: ${this.requestId}` : ''];
		return parts.filter(Boolean).join(' ');
	}
}

/**
 * A write whose answer was lost or unreadable (5xx, garbled body, dropped connection) after the
 * CRM may already have applied it: not a plain failure, since running it again could duplicate.
 * `check` tells the user what to look up before running the item again.
 */
export class CrmUnknownOutcomeError extends CrmApiError {
	readonly outcome = 'unknown';

	constructor(
		vendor: string,
		info: VendorErrorInfo & { status?: number; body?: unknown },
		readonly check: string,
	) {
		super(vendor, { ...info, message: `may have been applied: ${info.message}` });
		this.name = 'CrmUnknownOutcomeError';
	}

	describe(): string {
		return [`Check before running this item again: ${this.check}`, super.describe()].filter(Boolean).join(' ');
	}

	/** The same uncertainty for one item of a batch call, with that item's own check. */
	static of(error: unknown, vendor: string, check: string): CrmUnknownOutcomeError {
		if (error instanceof CrmUnknownOutcomeError) return new CrmUnknownOutcomeError(error.vendor, { ...error, message: error.message.replace(/^may have been applied: /, '') }, check);
		const api = error instanceof CrmApiError ? error : undefined;
		return new CrmUnknownOutcomeError(
			api?.vendor ?? vendor,
			{ message: api?.message ?? (error instanceof Error ? error.message : String(error)), status: api?.status, code: api?.code, requestId: api?.requestId },
			check,
		);
	}
}

/**
 * Did a failed write possibly reach the CRM? A 5xx, a network error after the request was sent,
 * or a success status with an unreadable body: yes. A 4xx (refused) or 429 (not processed): no.
 */
export function outcomeUnknown(error: unknown): boolean {
	if (error instanceof CrmUnknownOutcomeError) return true;
	if (!(error instanceof CrmApiError)) return false;
	if (error.status === undefined) return error.code !== undefined && error.code !== 'ECONNREFUSED' && error.code !== 'ENOTFOUND' && error.code !== 'EAI_AGAIN';
	return error.status >= 500 || (error.status < 300 && error.status >= 200);
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

/**
 * Converts any error from the engine/provider/transport layers into n8n's error classes. This is
 * the one place errors leave the package (node errors, trigger errors, Continue-On-Fail items go
 * through here or `errorItemJson`), so every text is redacted here: whatever a vendor or gateway
 * echoes (headers, tokens, JWT assertions, API keys, passwords) never reaches the user.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	const prefix = itemIndex === undefined ? '' : `Item ${itemIndex}: `;
	let built: NodeApiError | NodeOperationError;
	let message: string;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		// n8n's own errors (e.g. a failed token grant) may carry the request in their cause or
		// response: rebuilt from their redacted texts only.
		message = redact(error.message.startsWith('Item ') ? error.message : `${prefix}${error.message}`);
		const httpCode = (error as NodeApiError).httpCode ?? undefined;
		built = httpCode
			? new NodeApiError(node, { message, httpCode }, { message, description: redactOptional(error.description), httpCode, itemIndex })
			: new NodeOperationError(node, message, { description: redactOptional(error.description), itemIndex });
	} else if (error instanceof CrmApiError) {
		const status = error.status ? ` (HTTP ${error.status})` : '';
		message = redact(`${prefix}${error.vendor}${status}: ${error.message}`);
		const details: JsonObject = redactDeep({
			message: error.message,
			...(error.status ? { httpCode: String(error.status) } : {}),
			...(error.code ? { code: error.code } : {}),
			...(error.requestId ? { requestId: error.requestId } : {}),
			...(error.field ? { field: error.field } : {}),
			...(error instanceof CrmUnknownOutcomeError ? { outcome: error.outcome, check: error.check } : {}),
		}) as JsonObject;
		built = new NodeApiError(node, details, {
			message,
			description: redactOptional(error.describe() || undefined),
			httpCode: error.status ? String(error.status) : undefined,
			itemIndex,
		});
	} else if (error instanceof CrmInputError) {
		message = redact(`${prefix}${error.message}`);
		built = new NodeOperationError(node, message, { description: redactOptional(error.hint), itemIndex });
	} else {
		message = redact(`${prefix}${error instanceof Error ? error.message : String(error)}`);
		built = new NodeOperationError(node, message, { itemIndex });
	}
	// n8n swaps a message that mentions a network code (ECONNRESET, ETIMEDOUT, ...) for a generic
	// text (NodeError.setDescriptiveErrorMessage), losing "Item N:" and what was called: keep ours.
	if (built.message !== message) {
		built.description = [built.message, built.description].filter(Boolean).join(' ');
		built.message = message;
	}
	built.messages = built.messages.map(redact);
	return built;
}

function redactOptional(text: string | null | undefined): string | undefined {
	return text ? redact(text) : undefined;
}

/** The JSON an error item carries when the node runs with "Continue On Fail" (redacted). */
export function errorItemJson(error: unknown): JsonObject {
	return redactDeep(rawErrorItemJson(error)) as JsonObject;
}

function rawErrorItemJson(error: unknown): JsonObject {
	if (error instanceof CrmApiError) {
		return {
			error: error.message,
			...(error instanceof CrmUnknownOutcomeError ? { outcome: error.outcome, check: error.check } : {}),
			...(error.status ? { httpCode: error.status } : {}),
			...(error.code ? { code: error.code } : {}),
			...(error.requestId ? { requestId: error.requestId } : {}),
			...(error.field ? { field: error.field } : {}),
			...(error.recordId ? { id: error.recordId } : {}),
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
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return { error: error.message, ...(error.description ? { hint: error.description } : {}) };
	}
	return { error: error instanceof Error ? error.message : String(error) };
}
