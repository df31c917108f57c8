/**
 * The Salesforce REST resources the provider uses, over the shared transport:
 * - SOQL `GET /query?q=` with `nextRecordsUrl` paging (up to 2,000 records per batch,
 *   `Sforce-Query-Options: batchSize=` 200–2,000; resources-query / headers_queryoptions);
 * - sObject Collections (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html
 *   and -update / -retrieve-post): create and update at most 200 records per call with
 *   `allOrNone: false`, HTTP 200 with one `{id, success, errors}` per record in request order;
 *   retrieve by POST up to 2,000 ids, `null` for an id that does not exist or is not visible;
 * - `GET /sobjects/{SObject}/describe`, cached for the life of the provider (one execution).
 */
import { boolean, listOf, nullable, number, object, optional, text } from '../../transport/answerShape';
import { CrmApiError, CrmUnknownOutcomeError, outcomeUnknown } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { chunk, paginateCursor } from '../../transport/pagination';
import type { ItemResult } from '../../contract/provider';
import type { SObjectRecord } from './mapping';
import { describeErrors } from './profile';

/** A query answer (resources-query): `done`, `totalSize` and `records` always; the next page's URL when not done. */
const QUERY_ANSWER = object({ totalSize: number, done: boolean, records: listOf(object()), nextRecordsUrl: optional(text) });
const COUNT_ANSWER = object({ totalSize: number });
const DESCRIBE_ANSWER = object({ name: text, fields: listOf(object({ name: text })) });
/** sObject Collections retrieve: one entry per id, `null` for an id not found. */
const RETRIEVE_ANSWER = listOf(nullable(object()));

export const COLLECTION_LIMIT = 200;
const RETRIEVE_LIMIT = 2000;

interface QueryResponse {
	totalSize?: number;
	done?: boolean;
	nextRecordsUrl?: string;
	records?: SObjectRecord[];
}

interface SaveResult {
	id?: string;
	success?: boolean;
	errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

export interface DescribeField {
	name: string;
	type: string;
	createable?: boolean;
	updateable?: boolean;
	filterable?: boolean;
	restrictedPicklist?: boolean;
	picklistValues?: Array<{ value: string; label?: string; active?: boolean }>;
}

export interface Describe {
	name: string;
	fields: DescribeField[];
	recordTypeInfos?: Array<{ recordTypeId: string; name: string; developerName?: string; active?: boolean; master?: boolean }>;
}

export interface NewRecord {
	type: string;
	fields: Record<string, unknown>;
}

export interface RecordChange {
	type: string;
	id: string;
	fields: Record<string, unknown>;
}

export class SalesforceApi {
	private readonly describes = new Map<string, Promise<Describe>>();

	constructor(
		readonly transport: CrmTransport,
		readonly apiVersion: string,
	) {}

	path(resource: string): string {
		return `/services/data/v${this.apiVersion}${resource}`;
	}

	/** Pages of a SOQL query, following `nextRecordsUrl` until `done`. */
	query(soql: string, options: { batchSize?: number } = {}): AsyncGenerator<SObjectRecord[]> {
		const headers = options.batchSize ? { 'Sforce-Query-Options': `batchSize=${Math.min(2000, Math.max(200, options.batchSize))}` } : undefined;
		return paginateCursor(async (next) => {
			const { body } = await this.transport.request<QueryResponse>({
				method: 'GET',
				path: next ?? this.path('/query'),
				qs: next ? undefined : { q: soql },
				headers,
				idempotent: true,
				expect: QUERY_ANSWER,
			});
			if (body.done === false && !body.nextRecordsUrl) {
				throw new CrmApiError('Salesforce', { message: 'A query answer says more records follow but gives no nextRecordsUrl', code: 'MALFORMED_RESPONSE' });
			}
			return { items: body.records ?? [], next: body.done === false ? body.nextRecordsUrl : undefined };
		});
	}

	/** Every record of a (bounded) query. */
	async queryAll(soql: string): Promise<SObjectRecord[]> {
		const all: SObjectRecord[] = [];
		for await (const page of this.query(soql)) all.push(...page);
		return all;
	}

	/** `SELECT COUNT() ...`: the count is `totalSize`. */
	async count(soql: string): Promise<number> {
		const { body } = await this.transport.request<QueryResponse>({ method: 'GET', path: this.path('/query'), qs: { q: soql }, idempotent: true, expect: COUNT_ANSWER });
		return Number(body.totalSize);
	}

	describe(sobject: string): Promise<Describe> {
		let cached = this.describes.get(sobject);
		if (!cached) {
			cached = this.transport
				.request<Describe>({ method: 'GET', path: this.path(`/sobjects/${sobject}/describe`), idempotent: true, expect: DESCRIBE_ANSWER })
				.then((r) => r.body);
			cached.catch(() => this.describes.delete(sobject));
			this.describes.set(sobject, cached);
		}
		return cached;
	}

	async fieldNames(sobject: string): Promise<Set<string>> {
		return new Set((await this.describe(sobject)).fields.map((f) => f.name));
	}

	/**
	 * Creates records (any types, 200 per call); one result per record: its new id. Each call
	 * stands alone (`allOrNone: false`): a failed call fails only its own records, and earlier
	 * calls' ids are kept. A call whose answer is lost or unreadable after Salesforce may have
	 * created its records is reported per record as "may have been applied", never retried
	 * blindly (sObject Collections has no idempotency key).
	 */
	async create(records: NewRecord[]): Promise<Array<ItemResult<string>>> {
		const results: Array<ItemResult<string>> = [];
		for (const part of chunk(records, COLLECTION_LIMIT)) {
			const check = (r: NewRecord) => `look for a ${r.type} ${identityOf(r.fields)} in Salesforce before running this item again (it may exist already).`;
			const saved = await this.collectionCall(
					part,
					() =>
						this.transport.request<SaveResult[]>({
							method: 'POST',
							path: this.path('/composite/sobjects'),
							body: { allOrNone: false, records: part.map((r) => ({ attributes: { type: r.type }, ...r.fields })) },
							idempotent: false,
						}),
					check,
				);
			// A success without an id cannot be told apart from a garbled answer.
			const noId = new CrmApiError('Salesforce', { message: 'Salesforce reported success without a record id', status: 200 });
			results.push(...saved.map((r, i): ItemResult<string> => (r.ok && !r.value ? { ok: false, error: CrmUnknownOutcomeError.of(noId, 'Salesforce', check(part[i])) } : r)));
		}
		return results;
	}

	/** Updates records (200 per call); the same values again are harmless, so it is retried. */
	async update(changes: RecordChange[]): Promise<Array<ItemResult<string>>> {
		const results: Array<ItemResult<string>> = [];
		for (const part of chunk(changes, COLLECTION_LIMIT)) {
			const saved = await this.collectionCall(
				part,
				() =>
					this.transport.request<SaveResult[]>({
						method: 'PATCH',
						path: this.path('/composite/sobjects'),
						body: { allOrNone: false, records: part.map((c) => ({ attributes: { type: c.type }, id: c.id, ...c.fields })) },
						idempotent: true,
					}),
				(c) => `read ${c.type} ${c.id}; running this item again writes the same values.`,
			);
			results.push(...saved.map((r, i): ItemResult<string> => (r.ok ? { ok: true, value: r.value || part[i].id } : r)));
		}
		return results;
	}

	/** One collection call: per-record results, or per-record errors when the call failed as a whole. */
	private async collectionCall<T>(part: T[], send: () => Promise<{ body: SaveResult[] }>, check: (record: T) => string): Promise<Array<ItemResult<string>>> {
		let body: SaveResult[];
		try {
			({ body } = await send());
		} catch (error) {
			const unknown = outcomeUnknown(error);
			return part.map((record) => ({ ok: false, error: unknown ? CrmUnknownOutcomeError.of(error, 'Salesforce', check(record)) : (error as Error) }));
		}
		if (!Array.isArray(body) || body.length !== part.length) {
			// HTTP 2xx, yet not one result per record: the records may have been written.
			const cause = new CrmApiError('Salesforce', { message: 'Salesforce answered with an unreadable or incomplete result list', status: 200 });
			const list = Array.isArray(body) ? body : [];
			return part.map((record, i) => (list[i]?.success && typeof list[i].id === 'string' && list.length === part.length ? { ok: true, value: String(list[i].id) } : { ok: false, error: CrmUnknownOutcomeError.of(cause, 'Salesforce', check(record)) }));
		}
		return saveResults(body, part.length);
	}

	/** Reads records by id (2,000 per call); a missing id maps to no entry. */
	async retrieve(sobject: string, ids: string[], fields: string[]): Promise<Map<string, SObjectRecord>> {
		const found = new Map<string, SObjectRecord>();
		for (const part of chunk([...new Set(ids)], RETRIEVE_LIMIT)) {
			const { body } = await this.transport.request<Array<SObjectRecord | null>>({
				method: 'POST',
				path: this.path(`/composite/sobjects/${sobject}`),
				body: { ids: part, fields },
				idempotent: true,
				expect: RETRIEVE_ANSWER,
			});
			if (body.length !== part.length) {
				throw new CrmApiError('Salesforce', { message: `A retrieve of ${part.length} ${sobject} records answered ${body.length} entries`, code: 'MALFORMED_RESPONSE' });
			}
			body.forEach((record, i) => {
				if (!record) return;
				found.set(part[i], record);
				found.set(String(record.Id), record);
			});
		}
		return found;
	}

	/** A standard invocable action (e.g. emailSimple): one output per input, in order. */
	async invokeAction<T>(name: string, inputs: Array<Record<string, unknown>>): Promise<T[]> {
		const { body } = await this.transport.request<T[]>({
			method: 'POST',
			path: this.path(`/actions/standard/${name}`),
			body: { inputs },
			idempotent: false,
		});
		return body ?? [];
	}

	async describeAction(name: string): Promise<{ inputs?: Array<{ name: string; type?: string; required?: boolean }> }> {
		const { body } = await this.transport.request<{ inputs?: Array<{ name: string }> }>({
			method: 'GET',
			path: this.path(`/actions/standard/${name}`),
			idempotent: true,
		});
		return body ?? {};
	}
}

/** What identifies a new record for a person looking for it: its email, name or subject. */
function identityOf(fields: Record<string, unknown>): string {
	for (const name of ['Email', 'Name', 'Subject', 'LastName', 'Title', 'OpportunityId']) {
		if (typeof fields[name] === 'string' && fields[name]) return `with ${name} "${String(fields[name])}"`;
	}
	return 'created by this run';
}

/** Per-record results of a collection call (one entry per record, checked by the caller). */
function saveResults(body: SaveResult[], expected: number): Array<ItemResult<string>> {
	const list = body;
	return Array.from({ length: expected }, (_, i): ItemResult<string> => {
		const result = list[i];
		if (result?.success) return { ok: true, value: String(result.id ?? '') };
		const info = describeErrors(
			(result?.errors ?? []).map((e) => ({ errorCode: e.statusCode, message: e.message, fields: e.fields })),
			200,
		);
		return {
			ok: false,
			error: new CrmApiError('Salesforce', { ...info, message: result ? info.message : 'Salesforce returned no result for this record' }),
		};
	});
}
