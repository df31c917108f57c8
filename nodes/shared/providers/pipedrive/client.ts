/**
 * The Pipedrive REST calls on top of the shared transport: API v2 (`/api/v2/...`, cursor pages,
 * up to 500 per page) where it exists, v1 (`/api/v1/...`, offset pages) for leads, notes, lead
 * labels, users, webhooks and the deal flow. Both answer `{success, data, additional_data}`.
 */
import type { IDataObject } from 'n8n-workflow';

import { listOf, nullable, object, optional, anyJson } from '../../transport/answerShape';
import type { CrmRequest, CrmTransport } from '../../transport/http';
import type { CursorPage, OffsetPage } from '../../transport/pagination';
import { paginateCursor, paginateOffset } from '../../transport/pagination';

export type PdRecord = Record<string, unknown> & { id: string | number };

/** Largest page both API versions take (`limit` max 500). */
export const PD_PAGE_SIZE = 500;
/**
 * Writes in flight at once where Pipedrive has no bulk endpoint. The limiter keeps them inside
 * the 2-second burst; more in flight would only queue in it.
 */
export const PD_CONCURRENCY = 8;

const ENVELOPE = object({ data: anyJson });
const LIST_ENVELOPE = object({ data: nullable(listOf(anyJson)), additional_data: optional(anyJson) });
/** v2 search answers `data: {items: [{result_score, item}]}`. */
const SEARCH_ENVELOPE = object({ data: nullable(object({ items: listOf(anyJson) })), additional_data: optional(anyJson) });

export const v1 = (path: string) => `/api/v1${path}`;
export const v2 = (path: string) => `/api/v2${path}`;

export class PipedriveClient {
	constructor(readonly transport: CrmTransport) {}

	private async data<T>(request: CrmRequest): Promise<{ data: T; additional?: Record<string, unknown> }> {
		const { body } = await this.transport.request<{ data: T; additional_data?: Record<string, unknown> }>(request);
		return { data: body.data, additional: body.additional_data ?? undefined };
	}

	get<T = PdRecord>(path: string, qs?: IDataObject): Promise<T> {
		return this.data<T>({ method: 'GET', path, qs, idempotent: true, expect: ENVELOPE }).then((r) => r.data);
	}

	post<T = PdRecord>(path: string, body: unknown): Promise<T> {
		return this.data<T>({ method: 'POST', path, body, expect: ENVELOPE }).then((r) => r.data);
	}

	/** PATCH (v2, v1 leads) or PUT (v1) sets fields to values: the same request again writes the same values. */
	update<T = PdRecord>(path: string, body: unknown, method: 'PATCH' | 'PUT' = 'PATCH'): Promise<T> {
		return this.data<T>({ method, path, body, idempotent: true, expect: ENVELOPE }).then((r) => r.data);
	}

	remove(path: string): Promise<unknown> {
		return this.data({ method: 'DELETE', path, idempotent: true }).then((r) => r.data);
	}

	/** One v2 page: `additional_data.next_cursor` (null on the last page). */
	async pageV2<T = PdRecord>(path: string, qs: IDataObject, cursor?: string, bucket?: string): Promise<CursorPage<T>> {
		const search = /\/search$/.test(path);
		const { data, additional } = await this.data<T[] | { items: T[] } | null>({
			method: 'GET',
			path,
			qs: { ...qs, ...(cursor ? { cursor } : {}) },
			idempotent: true,
			expect: search ? SEARCH_ENVELOPE : LIST_ENVELOPE,
			...(bucket ? { bucket } : {}),
		});
		const next = additional?.next_cursor;
		const items = Array.isArray(data) ? data : (data?.items ?? []);
		return { items, next: typeof next === 'string' && next ? next : undefined };
	}

	listV2<T = PdRecord>(path: string, qs: IDataObject, options: { maxItems?: number; bucket?: string } = {}): AsyncGenerator<T[]> {
		const limit = Math.min(PD_PAGE_SIZE, options.maxItems ?? PD_PAGE_SIZE);
		return paginateCursor((cursor) => this.pageV2<T>(path, { ...qs, limit }, cursor, options.bucket), { maxItems: options.maxItems });
	}

	/** One v1 page: `additional_data.pagination.more_items_in_collection` (or flat, see below). */
	async pageV1<T = PdRecord>(path: string, qs: IDataObject, start: number, limit: number): Promise<OffsetPage<T>> {
		const { data, additional } = await this.data<T[] | null>({ method: 'GET', path, qs: { ...qs, start, limit }, idempotent: true, expect: LIST_ENVELOPE });
		// Most v1 lists nest it (`additional_data.pagination`); some (the deal flow) answer it flat.
		const pagination = (additional?.pagination ?? additional ?? {}) as { more_items_in_collection?: unknown };
		return { items: data ?? [], hasMore: pagination.more_items_in_collection === true };
	}

	listV1<T = PdRecord>(path: string, qs: IDataObject, options: { maxItems?: number } = {}): AsyncGenerator<T[]> {
		return paginateOffset((start, limit) => this.pageV1<T>(path, qs, start, limit), PD_PAGE_SIZE, options);
	}
}

/** Shared with the other providers (one implementation). */
export { mapLimit } from '../../transport/concurrency';
