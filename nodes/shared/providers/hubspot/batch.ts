/**
 * HubSpot's batch endpoints (`/crm/v3/objects/{type}/batch/{create|update|upsert|read}`), with
 * one result per input in input order. Facts used (HubSpot CRM v3 object specs):
 * - at most 100 inputs per call;
 * - 200/201 when all succeed, 207 with `errors[]` (each with `context.ids`) when some fail;
 * - batch create echoes each input's `objectWriteTraceId` on its result;
 * - a validation error in one input can fail the whole call with 400: the chunk is then retried
 *   one input at a time, so only the bad input fails. HubSpot validates a batch before writing
 *   any of it, so this does not write twice (uncertain for every error class: documented).
 */
import type { ItemResult } from '../../contract/provider';
import { inDistinctRounds } from '../itemSlots';
import { chunk } from '../../transport/pagination';
import { CrmApiError, CrmUnknownOutcomeError, outcomeUnknown } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { listOf, object, optional, text } from '../../transport/answerShape';
import type { HubSpotObject } from './mapping';
import { HUBSPOT_OBJECT } from './search';

export const HUBSPOT_BATCH_SIZE = 100;

interface BatchResponse {
	results?: HubSpotObject[];
	errors?: Array<{
		message?: string;
		category?: string;
		context?: Record<string, unknown>;
		status?: string;
	}>;
	numErrors?: number;
}

export interface BatchInput {
	/** What identifies this input in the response: trace id (create), id (update), email (upsert). */
	key: string;
	body: Record<string, unknown>;
}

type Action = 'create' | 'update' | 'upsert' | 'read';

/** A batch answer: `results` always (HubSpot object specs), `errors` on a 207. */
const BATCH_ANSWER = object({
	results: listOf(HUBSPOT_OBJECT),
	errors: optional(listOf(object({ message: optional(text), category: optional(text), context: optional(object()) }))),
});

/** The errors of a batch read that only say a record is gone (deleted or merged since it was found). */
const GONE = new Set(['OBJECT_NOT_FOUND']);

function resultKey(action: Action, object: HubSpotObject): string | undefined {
	switch (action) {
		case 'create':
			return object.objectWriteTraceId ? String(object.objectWriteTraceId) : undefined;
		case 'upsert':
			return object.properties?.email ? String(object.properties.email).toLowerCase() : undefined;
		default:
			return String(object.id);
	}
}

function errorKeys(error: NonNullable<BatchResponse['errors']>[number]): string[] {
	const context = error.context ?? {};
	const keys: string[] = [];
	for (const name of ['ids', 'objectWriteTraceId', 'objectWriteTraceIds', 'id']) {
		const value = context[name];
		if (Array.isArray(value)) keys.push(...value.map((v) => String(v)));
		else if (typeof value === 'string') keys.push(value);
	}
	return keys;
}

/** What a user can look up when a write's outcome is unknown. */
function checkOf(objectType: string, action: Action, input: BatchInput): string {
	if (action === 'update') return `read ${objectType} ${input.key}; running this item again writes the same values.`;
	if (action === 'upsert') return `running this item again is safe (HubSpot upserts ${objectType} by ${String(input.body.idProperty ?? 'id')} "${input.key}").`;
	const properties = (input.body.properties ?? {}) as Record<string, unknown>;
	const name = ['email', 'dealname', 'name', 'subject', 'hs_task_subject', 'domain'].find((p) => typeof properties[p] === 'string' && properties[p]);
	const identity = name ? `with ${name} "${String(properties[name])}"` : 'created by this run';
	return `search HubSpot ${objectType} for one ${identity} before running this item again (it may exist already).`;
}

export class HubSpotBatcher {
	constructor(private readonly transport: CrmTransport) {}

	/** Runs a batch action over all inputs, chunked, and returns one result per input. */
	async run(
		objectType: string,
		action: Action,
		inputs: BatchInput[],
		extraBody: Record<string, unknown> = {},
	): Promise<Array<ItemResult<HubSpotObject>>> {
		const results: Array<ItemResult<HubSpotObject>> = [];
		for (const part of chunk(inputs, HUBSPOT_BATCH_SIZE)) {
			results.push(...(await this.runChunk(objectType, action, part, extraBody)));
		}
		return results;
	}

	/**
	 * Reads records by id for a poll, where a read that did not happen must fail the poll rather
	 * than look like "no records": any failed call throws (after the transport's retries), and so
	 * does any per-record error other than "not found". Records deleted since they were found are
	 * absent from the map.
	 */
	async readAll(objectType: string, ids: string[], extraBody: Record<string, unknown>): Promise<Map<string, HubSpotObject>> {
		const found = new Map<string, HubSpotObject>();
		for (const part of chunk([...new Set(ids)], HUBSPOT_BATCH_SIZE)) {
			const { body } = await this.transport.request<BatchResponse>({
				method: 'POST',
				path: `/crm/v3/objects/${objectType}/batch/read`,
				body: { ...extraBody, inputs: part.map((id) => ({ id })) },
				idempotent: true,
				expect: BATCH_ANSWER,
			});
			for (const object of body.results ?? []) found.set(String(object.id), object);
			const failure = (body.errors ?? []).find((error) => !GONE.has(String(error.category)));
			if (failure) {
				throw new CrmApiError('HubSpot', {
					message: `Batch read of ${objectType} failed: ${failure.message ?? failure.category ?? 'unknown error'}`,
					code: failure.category,
					status: 207,
				});
			}
		}
		return found;
	}

	/**
	 * Like `run`, but inputs sharing a key (the same record id or email twice) go in separate
	 * rounds, so no call carries the same record twice and each input gets its own result.
	 */
	async runDistinctKeys(objectType: string, action: Action, inputs: BatchInput[]): Promise<Array<ItemResult<HubSpotObject>>> {
		return inDistinctRounds(inputs, (input) => input.key, (round) => this.run(objectType, action, round));
	}

	private async runChunk(
		objectType: string,
		action: Action,
		inputs: BatchInput[],
		extraBody: Record<string, unknown>,
	): Promise<Array<ItemResult<HubSpotObject>>> {
		let response: BatchResponse;
		try {
			const answer = await this.transport.request<BatchResponse>({
				method: 'POST',
				path: `/crm/v3/objects/${objectType}/batch/${action}`,
				body: { ...extraBody, inputs: inputs.map((i) => i.body) },
				// Reads and upserts (keyed by a unique property) are safe to repeat; updates set
				// the same values again; creates are not repeated after an unclear failure.
				idempotent: action !== 'create',
				expect: BATCH_ANSWER,
			});
			response = answer.body;
		} catch (error) {
			if (
				inputs.length > 1 &&
				error instanceof CrmApiError &&
				error.status !== undefined &&
				error.status >= 400 &&
				error.status < 500 &&
				error.status !== 401 &&
				error.status !== 403 &&
				error.status !== 429
			) {
				// One bad input fails the whole call: isolate it by sending each input alone.
				const single: Array<ItemResult<HubSpotObject>> = [];
				for (const input of inputs) {
					single.push(...(await this.runChunk(objectType, action, [input], extraBody)));
				}
				return single;
			}
			if (action !== 'read' && outcomeUnknown(error)) {
				return inputs.map((input) => ({ ok: false, error: CrmUnknownOutcomeError.of(error, 'HubSpot', checkOf(objectType, action, input)) }));
			}
			return inputs.map(() => ({ ok: false, error: error as Error }));
		}
		const matched = this.matchResults(action, inputs, response);
		// A write the answer says nothing about (no result, no error) may have been applied.
		return matched.map((r, i) =>
			!r.ok && action !== 'read' && r.error instanceof CrmApiError && r.error.code === 'NO_RESULT'
				? { ok: false, error: CrmUnknownOutcomeError.of(r.error, 'HubSpot', checkOf(objectType, action, inputs[i])) }
				: r,
		);
	}

	private matchResults(
		action: Action,
		inputs: BatchInput[],
		response: BatchResponse,
	): Array<ItemResult<HubSpotObject>> {
		const byKey = new Map<string, HubSpotObject>();
		const unkeyed: HubSpotObject[] = [];
		for (const object of response.results ?? []) {
			const key = resultKey(action, object);
			if (key !== undefined) byKey.set(key, object);
			else unkeyed.push(object);
		}
		const errorsByKey = new Map<string, Error>();
		const unkeyedErrors: Error[] = [];
		for (const error of response.errors ?? []) {
			const apiError = new CrmApiError('HubSpot', {
				message: error.message ?? 'HubSpot rejected this record',
				code: error.category,
				status: 207,
				hint: error.category === 'OBJECT_NOT_FOUND' ? 'Check the record id and that the record was not deleted.' : undefined,
			});
			const keys = errorKeys(error);
			if (keys.length === 0) unkeyedErrors.push(apiError);
			for (const key of keys) errorsByKey.set(key.toLowerCase(), apiError);
		}
		return inputs.map((input): ItemResult<HubSpotObject> => {
			const key = input.key;
			const found = byKey.get(key) ?? byKey.get(key.toLowerCase());
			if (found) return { ok: true, value: found };
			const error = errorsByKey.get(key.toLowerCase());
			if (error) return { ok: false, error };
			// Results without a key come back in input order (HubSpot's documented behaviour for
			// creates without trace ids is unspecified; order is the best remaining guess).
			const next = unkeyed.shift();
			if (next) return { ok: true, value: next };
			return {
				ok: false,
				error:
					unkeyedErrors.shift() ??
					new CrmApiError('HubSpot', {
						message: 'HubSpot returned no result for this record',
						code: 'NO_RESULT',
						status: 207,
					}),
			};
		});
	}
}
