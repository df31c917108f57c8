/**
 * Deal pipelines and case statuses as the normalized model's pipelines.
 * - Deals: pipelines belong to a layout (`GET /settings/layouts?module=Deals`, then
 *   `GET /settings/pipeline?layout_id=`; v8 get-pipelines.html, scope
 *   ZohoCRM.settings.pipeline.READ). A pipeline's `maps` are its stages; a deal's `Stage` holds a
 *   stage's `actual_value`. Won / lost come from a stage's `forecast_type` ("Closed Won" /
 *   "Closed Lost"), or, where an org's answer lacks it, from a closed forecast category with
 *   probability 100 / 0 (unverified fallback).
 * - Cases: one status list (`GET /settings/fields?module=Cases`, the `Status` picklist), shown as
 *   one pipeline; "Closed" closes a case. Leads likewise (`Lead_Status`), so Update Status works
 *   by name on leads.
 */
import type { Pipeline, Stage } from '../../model/types';
import { CrmApiError } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { CASE_STATUS_PIPELINE_ID, LEAD_STATUS_PIPELINE_ID, ZOHO } from './mapping';

interface PicklistValue {
	id?: unknown;
	display_value?: unknown;
	actual_value?: unknown;
	sequence_number?: unknown;
	forecast_type?: unknown;
	forecast_category?: { name?: unknown } | null;
	probability?: unknown;
}

/** Zoho's default Cases statuses, used when the fields metadata cannot be read. */
const DEFAULT_CASE_STATUSES = ['New', 'On Hold', 'Escalated', 'Closed'];

function stageOf(value: PicklistValue, order: number): Stage {
	const id = String(value.actual_value ?? value.display_value ?? value.id);
	// Zoho's stage probability is a whole percent; the model's a fraction.
	const percent = value.probability === undefined || value.probability === null ? undefined : Number(value.probability);
	const probability = percent === undefined ? undefined : percent / 100;
	const type = String(value.forecast_type ?? '').toLowerCase();
	const category = String(value.forecast_category?.name ?? '').toLowerCase();
	let closed: Stage['closed'] = 'open';
	if (type === 'closed won') closed = 'won';
	else if (type === 'closed lost') closed = 'lost';
	else if (!type && category === 'closed') closed = percent === 0 ? 'lost' : 'won';
	return {
		id,
		name: String(value.display_value ?? id),
		order,
		...(probability !== undefined && Number.isFinite(probability) ? { probability } : {}),
		closed,
	};
}

const bySequence = (a: PicklistValue, b: PicklistValue) => Number(a.sequence_number ?? 0) - Number(b.sequence_number ?? 0);

export interface DealPipeline extends Pipeline {
	layoutId: string;
	isDefault: boolean;
}

export async function loadDealPipelines(transport: CrmTransport): Promise<DealPipeline[]> {
	const { body: layoutBody } = await transport.request<{ layouts?: Array<Record<string, unknown>> }>({
		method: 'GET',
		path: '/settings/layouts',
		qs: { module: 'Deals' },
		idempotent: true,
	});
	const layouts = (layoutBody?.layouts ?? []).filter((l) => l && l.id !== undefined && l.status !== 'deleted' && l.status !== 'inactive');
	if (!Array.isArray(layoutBody?.layouts)) throw new CrmApiError(ZOHO, { message: 'Unreadable answer to GET /settings/layouts: no layouts', code: 'MALFORMED_RESPONSE' });
	const pipelines: DealPipeline[] = [];
	for (const layout of layouts) {
		const { status, body } = await transport.request<{ pipeline?: Array<Record<string, unknown>> } | string>({
			method: 'GET',
			path: '/settings/pipeline',
			qs: { layout_id: String(layout.id) },
			idempotent: true,
		});
		// 204: no pipeline in that layout.
		if (status === 204 || !body || typeof body !== 'object') continue;
		if (!Array.isArray(body.pipeline)) throw new CrmApiError(ZOHO, { message: 'Unreadable answer to GET /settings/pipeline: no pipeline list', code: 'MALFORMED_RESPONSE' });
		for (const p of body.pipeline) {
			const maps = Array.isArray(p.maps) ? ([...p.maps] as PicklistValue[]).sort(bySequence) : [];
			pipelines.push({
				id: String(p.id),
				name: String(p.display_value ?? p.actual_value ?? p.id),
				objectType: 'deal',
				stages: maps.map(stageOf),
				layoutId: String(layout.id),
				isDefault: p.default === true,
			});
		}
	}
	return pipelines;
}

/** A picklist of statuses shown as one pipeline: Cases' `Status`, Leads' `Lead_Status`. */
interface StatusList {
	module: 'Cases' | 'Leads';
	field: string;
	id: string;
	name: string;
	objectType: 'ticket' | 'lead';
	/** Zoho's default values, used when the fields metadata cannot be read. */
	defaults: readonly string[];
	/** Values that end the record's course (a closed case; a lead that will not be worked). */
	closing: RegExp;
}

/**
 * Zoho's default Lead_Status values (v8 field metadata of a new org; "Qualified" is not one of
 * them, "Pre-Qualified" is). Junk, lost and not-qualified leads count as closed (our reading).
 */
const LEAD_STATUSES: StatusList = {
	module: 'Leads',
	field: 'Lead_Status',
	id: LEAD_STATUS_PIPELINE_ID,
	name: 'Lead status',
	objectType: 'lead',
	defaults: ['Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified'],
	closing: /^(junk lead|lost lead|not qualified)$/i,
};

const CASE_STATUSES: StatusList = {
	module: 'Cases',
	field: 'Status',
	id: CASE_STATUS_PIPELINE_ID,
	name: 'Case status',
	objectType: 'ticket',
	defaults: DEFAULT_CASE_STATUSES,
	closing: /^closed$/i,
};

async function loadStatusList(transport: CrmTransport, list: StatusList): Promise<Pipeline> {
	const values = await transport
		.request<{ fields?: Array<{ api_name?: string; pick_list_values?: PicklistValue[] }> }>({
			method: 'GET',
			path: '/settings/fields',
			qs: { module: list.module },
			idempotent: true,
		})
		.then(
			({ body }) => body?.fields?.find((f) => f.api_name === list.field)?.pick_list_values,
			// Without ZohoCRM.settings.fields.READ: Zoho's default statuses.
			(error: unknown) => (error instanceof CrmApiError && (error.status === 401 || error.status === 403) ? undefined : Promise.reject(error)),
		);
	const picked = values?.length ? [...values].sort(bySequence) : list.defaults.map((v, i) => ({ actual_value: v, display_value: v, sequence_number: i }));
	return {
		id: list.id,
		name: list.name,
		objectType: list.objectType,
		stages: picked
			.filter((v) => String(v.actual_value ?? v.display_value) !== '-None-')
			.map((v, order) => {
				const stage = stageOf(v, order);
				return { ...stage, closed: list.closing.test(stage.id) ? 'closed' : 'open' };
			}),
	};
}

export function loadCaseStatuses(transport: CrmTransport): Promise<Pipeline> {
	return loadStatusList(transport, CASE_STATUSES);
}

export function loadLeadStatuses(transport: CrmTransport): Promise<Pipeline> {
	return loadStatusList(transport, LEAD_STATUSES);
}
