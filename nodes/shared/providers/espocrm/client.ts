/**
 * The EspoCRM REST calls the provider makes, on top of the shared transport. Every call names
 * the scope and the role action it needs, so a 403 says which permission the API user lacks.
 *
 * Endpoints (https://docs.espocrm.com/development/api/ and the pages it links):
 * - `GET {entityType}` list, `GET/PUT/DELETE {entityType}/{id}`, `POST {entityType}`:
 *   https://docs.espocrm.com/development/api/crud/
 * - search parameters as one JSON query parameter `searchParams`:
 *   https://docs.espocrm.com/development/api-search-params/#params
 * - `GET {entityType}/{id}/stream` (offset, maxSize), `POST Note`: https://docs.espocrm.com/development/api/stream/
 * - `GET Metadata?key=…` (as of v8.2): https://docs.espocrm.com/development/api/metadata/
 * - `POST MassAction` is only named in the docs (https://docs.espocrm.com/development/custom-buttons/);
 *   its body `{entityType, action: "update", params: {ids}, data: {values}}` and answer
 *   `{count, ids}` are read from the EspoCRM source (Core/MassAction/Api/PostProcess.php,
 *   Tools/MassUpdate/Data.php) (unverified against the docs).
 */
import { CrmApiError } from '../../transport/errors';
import type { CrmRequest, CrmTransport } from '../../transport/http';
import { id, listOf, number, object, optional } from '../../transport/answerShape';

/** A list or stream answer: `list` always, `total` (a count, or -1/-2 without counting). */
const LIST_ANSWER = object({ list: listOf(object({ id })), total: optional(number) });
const RECORD_ANSWER = object({ id });

/** EspoCRM's list page limit: `maxSize` may not exceed 200 (OpenAPI spec; `recordListMaxSizeLimit`). */
export const ESPO_PAGE_SIZE = 200;

/** Parallel requests one provider call runs where EspoCRM has no batch endpoint. */
export const ESPO_CONCURRENCY = 4;

export interface WhereItem {
	type: string;
	attribute?: string;
	value?: unknown;
	dateTime?: boolean;
	timeZone?: string;
}

export interface SearchParams {
	where?: WhereItem[];
	select?: string[];
	orderBy?: string;
	order?: 'asc' | 'desc';
	maxSize?: number;
	offset?: number;
	textFilter?: string;
	primaryFilter?: string;
}

export interface ListAnswer<T = EspoRecord> {
	list: T[];
	/** -1: more records, -2: no more (when the entity type has counting disabled). */
	total: number;
}

export type EspoRecord = Record<string, unknown> & { id: string };

/** The role action a request needs, for the 403 message. */
type Access = { scope: string; action: string };

function accessOf(method: string, scope: string): Access {
	const action = method === 'GET' ? 'read' : method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'edit';
	return { scope, action };
}

/**
 * 403s whose `X-Status-Reason` says what EspoCRM refused (confirmed on EspoCRM 9.1.7): the role
 * action the request needs is then not the cause, and the hint names what is.
 */
const REASON_HINTS: Array<{ reason: RegExp; needs: string; hint: string }> = [
	{
		reason: /^Assignment failure/i,
		needs: 'the "Assignment Permission"',
		hint: 'The API user\'s role needs "Assignment Permission" set to "all" (or "team" for users of its teams): Administration → Roles → the API user\'s role → Assignment Permission. At its default "no" the API user may assign records only to itself.',
	},
	{
		reason: /^Not allowed 'from' address/i,
		needs: 'a From address the API user may send from',
		hint: "EspoCRM 9.1+ accepts an email (Log Only too) only From the address of a group email account (Administration → Group Email Accounts; for the system address create one with that address and SMTP, shared), or the user's own address. Set Options → From to such an address, or add the group email account.",
	},
];

/** A 403 rewritten to name what the API user's role lacks. */
function withAccessHint(error: unknown, access: Access): unknown {
	if (!(error instanceof CrmApiError) || error.status !== 403) return error;
	const known = REASON_HINTS.find((r) => r.reason.test(error.message));
	if (known) {
		return new CrmApiError(error.vendor, {
			message: `${error.message} (needs ${known.needs})`,
			status: error.status,
			code: error.code ?? 'forbidden',
			requestId: error.requestId,
			field: error.field,
			body: error.body,
			hint: known.hint,
		});
	}
	const { scope, action } = access;
	const hint =
		action === 'mass update'
			? `The API user's role needs the "Mass Update" permission and "edit" access to ${scope} (Administration → Roles → the role). Without it, records are updated one by one.`
			: scope === 'Webhook'
				? 'The API user\'s role needs the "Webhooks" scope enabled, and access to the entity type of the event (Administration → Roles → the role → Webhooks).'
				: `The API user's role needs "${action}" access to ${scope}: Administration → Roles → the API user's role → ${scope} → ${action} (for example "all"), then save.`;
	return new CrmApiError(error.vendor, {
		message: `${error.message} (needs "${action}" access to ${scope})`,
		status: error.status,
		code: error.code ?? 'forbidden',
		requestId: error.requestId,
		field: error.field,
		body: error.body,
		hint,
	});
}

const path = (...parts: string[]) => `/${parts.map((p) => encodeURIComponent(p)).join('/')}`;

export class EspoClient {
	constructor(readonly transport: CrmTransport) {}

	async call<T>(request: CrmRequest, access: Access): Promise<T> {
		try {
			return (await this.transport.request<T>(request)).body;
		} catch (error) {
			throw withAccessHint(error, access);
		}
	}

	/**
	 * A list page. Without `count`, the request says `X-No-Total: true` (CRUD article: the total is
	 * not computed, which is faster on big tables); `total` is then -1 (more) or -2 (no more).
	 */
	list<T = EspoRecord>(entityType: string, params: SearchParams, options: { count?: boolean } = {}): Promise<ListAnswer<T>> {
		return this.call<ListAnswer<T>>(
			{
				method: 'GET',
				path: path(entityType),
				qs: { searchParams: JSON.stringify(params) },
				...(options.count ? {} : { headers: { 'X-No-Total': 'true' } }),
				idempotent: true,
				expect: LIST_ANSWER,
			},
			accessOf('GET', entityType),
		).then((body) => ({ list: body.list, total: Number(body.total ?? 0) }));
	}

	read(entityType: string, id: string): Promise<EspoRecord> {
		return this.call({ method: 'GET', path: path(entityType, id), idempotent: true, expect: RECORD_ANSWER }, accessOf('GET', entityType));
	}

	create(entityType: string, attributes: Record<string, unknown>, headers?: Record<string, string>): Promise<EspoRecord> {
		return this.call({ method: 'POST', path: path(entityType), body: attributes, ...(headers ? { headers } : {}) }, accessOf('POST', entityType));
	}

	/** `PUT` as in the CRUD article (the 9.3 OpenAPI spec lists `PATCH`; EspoCRM routes both). */
	update(entityType: string, id: string, attributes: Record<string, unknown>): Promise<EspoRecord> {
		// Setting fields to values is idempotent: a retry after a 5xx writes the same values.
		return this.call({ method: 'PUT', path: path(entityType, id), body: attributes, idempotent: true }, accessOf('PUT', entityType));
	}

	remove(entityType: string, id: string): Promise<unknown> {
		return this.call({ method: 'DELETE', path: path(entityType, id), idempotent: true }, accessOf('DELETE', entityType));
	}

	/** `POST {controller}/action/{action}` (e.g. `Lead/action/convert`, named in the API overview's HMAC example). */
	action<T>(controller: string, action: string, body: Record<string, unknown>, access: Access): Promise<T> {
		return this.call({ method: 'POST', path: `${path(controller)}/action/${encodeURIComponent(action)}`, body }, access);
	}

	/** Newest notes first. */
	stream(entityType: string, id: string, offset: number, maxSize: number): Promise<ListAnswer> {
		return this.call<ListAnswer>(
			{ method: 'GET', path: `${path(entityType, id)}/stream`, qs: { offset, maxSize }, idempotent: true, expect: LIST_ANSWER },
			accessOf('GET', entityType),
		).then((body) => ({ list: body.list, total: Number(body.total ?? 0) }));
	}

	massUpdate(entityType: string, ids: string[], values: Record<string, unknown>): Promise<{ count?: number; ids?: string[] }> {
		return this.call(
			{ method: 'POST', path: '/MassAction', body: { entityType, action: 'update', params: { ids }, data: { values } }, idempotent: true },
			{ scope: entityType, action: 'mass update' },
		);
	}

	metadata<T>(key: string): Promise<T> {
		return this.call({ method: 'GET', path: '/Metadata', qs: { key }, idempotent: true }, { scope: 'Metadata', action: 'read' });
	}

	settings(): Promise<Record<string, unknown>> {
		return this.call({ method: 'GET', path: '/Settings', idempotent: true }, { scope: 'Settings', action: 'read' });
	}
}

/** Shared with the other providers (one implementation). */
export { mapLimit } from '../../transport/concurrency';
