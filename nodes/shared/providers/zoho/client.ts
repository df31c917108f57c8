/**
 * Zoho CRM v8 record calls, one place for their request and answer shapes
 * (www.zoho.com/crm/developer/docs/api/v8/: insert-records, update-records, upsert-records,
 * get-records, COQL-Overview):
 * - writes take at most 100 records per call (`{"data":[…]}`) and answer one entry per record,
 *   in order: `{code, details, message, status: "success"|"error"}` (HTTP 201/200, 207 when mixed,
 *   400 when all fail); a write's body may carry `trigger` (which of the org's automations run),
 *   `duplicate_check_fields` (upsert) and `lar_id` (an assignment rule);
 * - list GETs need `fields` (≤ 50) and take `per_page` ≤ 200; `page` reaches the first 2,000
 *   records only, `page_token` (from `info.next_page_token`) goes past them; 204 = nothing;
 * - COQL (`POST /coql {"select_query"}`): ≤ 2,000 rows per call, OFFSET up to 100,000.
 */
import type { ItemResult } from '../../contract/provider';
import { listOf, object } from '../../transport/answerShape';
import { CrmApiError, CrmUnknownOutcomeError, outcomeUnknown } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { chunk } from '../../transport/pagination';
import { hintFor } from './profile';
import { ZOHO } from './mapping';
import type { ZohoRecord } from './mapping';

export const ZOHO_BATCH_SIZE = 100;
export const ZOHO_PAGE_SIZE = 200;
export const COQL_PAGE_SIZE = 2000;
/** COQL reaches rows up to OFFSET 100,000 (COQL-Limitations.html). */
export const COQL_MAX_OFFSET = 100_000;

const WRITE_ANSWER = object({ data: listOf(object()) });

/** One entry of a write answer. */
export interface WriteEntry {
	code?: string;
	status?: string;
	message?: string;
	action?: string;
	details?: Record<string, unknown>;
}

/** Which of the org's own automations a write runs (`trigger`); undefined = Zoho's default (all run). */
export type AutomationTriggers = string[] | undefined;

export function entryError(entry: WriteEntry | undefined, fallback: string): CrmApiError {
	const details = (entry?.details ?? {}) as Record<string, unknown>;
	const code = entry?.code;
	return new CrmApiError(ZOHO, {
		message: `${code ? `${code}: ` : ''}${entry?.message ?? fallback}`,
		code,
		field: typeof details.api_name === 'string' ? details.api_name : undefined,
		hint: hintFor(code, undefined, details),
		status: code === 'RECORD_IN_BLUEPRINT' ? 400 : undefined,
		body: entry,
	});
}

/** The per-record entries of a write that Zoho refused as a whole (HTTP 400 with `data`), when readable. */
function refusedEntries(error: unknown, count: number): WriteEntry[] | undefined {
	if (!(error instanceof CrmApiError) || error.status === undefined || error.status >= 500) return undefined;
	const body = error.body as { data?: unknown } | undefined;
	return body && Array.isArray(body.data) && body.data.length === count ? (body.data as WriteEntry[]) : undefined;
}

export class ZohoClient {
	constructor(
		readonly transport: CrmTransport,
		/** `trigger` sent with every write (the credential's choice). */
		private readonly triggers: AutomationTriggers,
	) {}

	/**
	 * Writes records 100 per call. Each input gets its entry: success with the entry's details
	 * (id, times), or the record's own error. A call whose answer is lost (5xx, network) leaves
	 * its records "may have been applied", with `check(index)` saying what to look up.
	 */
	async write(
		method: 'POST' | 'PUT',
		path: string,
		records: Array<Record<string, unknown>>,
		options: { extra?: Record<string, unknown>; check: (index: number) => string },
	): Promise<Array<ItemResult<WriteEntry>>> {
		const results: Array<ItemResult<WriteEntry>> = [];
		let offset = 0;
		for (const part of chunk(records, ZOHO_BATCH_SIZE)) {
			const start = offset;
			offset += part.length;
			let entries: WriteEntry[];
			try {
				const { body } = await this.transport.request<{ data: WriteEntry[] }>({
					method,
					path,
					body: { data: part, ...(this.triggers ? { trigger: this.triggers } : {}), ...options.extra },
					expect: WRITE_ANSWER,
				});
				entries = body.data;
			} catch (error) {
				const refused = refusedEntries(error, part.length);
				if (refused) entries = refused;
				else {
					part.forEach((_, i) =>
						results.push({ ok: false, error: outcomeUnknown(error) ? CrmUnknownOutcomeError.of(error, ZOHO, options.check(start + i)) : (error as Error) }),
					);
					continue;
				}
			}
			part.forEach((_, i) => {
				const entry = entries[i];
				if (entry && entry.status === 'success' && entry.details && entry.details.id !== undefined) results.push({ ok: true, value: entry });
				else if (!entry) {
					const missing = new CrmApiError(ZOHO, { message: `Zoho CRM answered ${entries.length} results for ${part.length} records`, code: 'MALFORMED_RESPONSE' });
					results.push({ ok: false, error: CrmUnknownOutcomeError.of(missing, ZOHO, options.check(start + i)) });
				} else results.push({ ok: false, error: entryError(entry, 'Zoho CRM refused the record') });
			});
		}
		return results;
	}

	/** Records by id (`GET /{module}?ids=`, 100 per call): a map of those found. */
	async getByIds(module: string, ids: string[], fields: string[]): Promise<Map<string, ZohoRecord>> {
		const found = new Map<string, ZohoRecord>();
		for (const part of chunk([...new Set(ids)], ZOHO_BATCH_SIZE)) {
			const { data } = await this.list(module, { ids: part.join(','), fields: fields.join(',') });
			for (const record of data) found.set(String(record.id), record);
		}
		return found;
	}

	/** One page of a list GET (`data` + `info`); 204 is an empty page. */
	async list(module: string, qs: Record<string, string | number>, path = `/${module}`): Promise<{ data: ZohoRecord[]; info: Record<string, unknown> }> {
		const { status, body } = await this.transport.request<{ data?: ZohoRecord[]; info?: Record<string, unknown> } | string | undefined>({
			method: 'GET',
			path,
			qs,
			idempotent: true,
		});
		if (status === 204 || body === undefined || body === '') return { data: [], info: {} };
		return readList(body, `GET ${path}`);
	}

	/** One COQL query; 204 (no rows) is an empty answer. */
	async coql(query: string): Promise<{ data: ZohoRecord[]; more: boolean }> {
		const { status, body } = await this.transport.request<{ data?: ZohoRecord[]; info?: Record<string, unknown> } | string | undefined>({
			method: 'POST',
			path: '/coql',
			body: { select_query: query },
			// A read: safe to send again.
			idempotent: true,
		});
		if (status === 204 || body === undefined || body === '') return { data: [], more: false };
		const { data, info } = readList(body, 'POST /coql');
		return { data, more: info.more_records === true };
	}
}

/** A list answer must have its `data` list: anything else is a garbled answer, not "no records". */
function readList(body: unknown, what: string): { data: ZohoRecord[]; info: Record<string, unknown> } {
	const value = body as { data?: unknown; info?: unknown };
	if (!value || typeof value !== 'object' || !Array.isArray(value.data) || value.data.some((r) => !r || typeof r !== 'object')) {
		throw new CrmApiError(ZOHO, { message: `Unreadable answer to ${what}: no list of records`, code: 'MALFORMED_RESPONSE' });
	}
	return { data: value.data as ZohoRecord[], info: (value.info && typeof value.info === 'object' ? value.info : {}) as Record<string, unknown> };
}
