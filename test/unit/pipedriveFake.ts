/* eslint-disable */
// A minimal in-memory Pipedrive at the HTTP boundary (the `send` a node hands the provider), in
// Pipedrive's envelope `{success, data, additional_data}`, for unit tests until the full sandbox
// (test/sandbox/pipedrive) is wired in. It answers only the calls these tests make.
import type { IHttpRequestOptions } from 'n8n-workflow';

import { pipedriveProvider } from '../../nodes/shared/providers/pipedrive/PipedriveProvider';
import type { PipedriveProvider } from '../../nodes/shared/providers/pipedrive/PipedriveProvider';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

export const ME = 7;

export class FakePipedrive {
	deals = new Map<number, any>();
	flows = new Map<number, any[]>();
	requests: Array<{ method: string; path: string; body?: any; qs?: any }> = [];
	/** Answer the next N matching requests with 429 (not processed). */
	throttleNext = 0;
	private nextId = 1;
	private flowId = 1;
	stages = [
		{ id: 1, name: 'Qualified', pipeline_id: 1, order_nr: 1, deal_probability: 10 },
		{ id: 2, name: 'Proposal Made', pipeline_id: 1, order_nr: 2, deal_probability: 50 },
		{ id: 3, name: 'Negotiations Started', pipeline_id: 1, order_nr: 3, deal_probability: 80 },
	];

	addDeal(title: string, stageId = 1): any {
		const id = this.nextId++;
		const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
		const deal = { id, title, stage_id: stageId, pipeline_id: 1, status: 'open', owner_id: ME, value: 100, currency: 'EUR', add_time: now, update_time: now };
		this.deals.set(id, deal);
		this.flows.set(id, []);
		return deal;
	}

	/** A change as Pipedrive records it in the deal's flow. */
	change(id: number, field: string, value: any, source: 'api' | 'app', userId: number, at = new Date()) {
		const deal = this.deals.get(id);
		const old = deal[field];
		deal[field] = value;
		deal.update_time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
		this.flows.get(id)!.unshift({
			object: 'dealChange',
			timestamp: at.toISOString().slice(0, 19).replace('T', ' '),
			data: { id: this.flowId++, item_id: id, user_id: userId, field_key: field, old_value: String(old), new_value: String(value), log_time: at.toISOString().slice(0, 19).replace('T', ' '), change_source: source },
		});
	}

	send = async (options: IHttpRequestOptions) => {
		const url = new URL(String(options.url));
		const path = url.pathname;
		const method = String(options.method ?? 'GET');
		this.requests.push({ method, path, body: options.body, qs: options.qs });
		const ok = (data: any, additional: any = null) => ({ statusCode: 200, headers: { 'x-ratelimit-remaining': '19' }, body: { success: true, data, additional_data: additional } });
		if (this.throttleNext > 0 && method === 'PATCH') {
			this.throttleNext--;
			return { statusCode: 429, headers: { 'retry-after': '0' }, body: { success: false, error: 'Request over limit', error_info: 'Too many requests in 2 seconds' } };
		}
		let m: RegExpMatchArray | null;
		if (method === 'GET' && path === '/api/v1/users/me') return ok({ id: ME, name: 'API user', email: 'api@example.com' });
		if (method === 'GET' && path === '/api/v2/pipelines') return ok([{ id: 1, name: 'Sales' }], { next_cursor: null });
		if (method === 'GET' && path === '/api/v2/stages') return ok(this.stages, { next_cursor: null });
		if ((m = path.match(/^\/api\/v2\/deals\/(\d+)$/))) {
			const deal = this.deals.get(Number(m[1]));
			if (!deal) return { statusCode: 404, headers: {}, body: { success: false, error: 'Deal not found' } };
			if (method === 'PATCH') {
				Object.assign(deal, options.body, { update_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
			}
			return ok(deal);
		}
		if (method === 'GET' && path === '/api/v2/deals') {
			const since = (options.qs as any)?.updated_since;
			const ids = (options.qs as any)?.ids ? String((options.qs as any).ids).split(',').map(Number) : undefined;
			const list = [...this.deals.values()].filter((d) => (!since || d.update_time >= since) && (!ids || ids.includes(d.id))).sort((a, b) => (a.update_time < b.update_time ? -1 : 1));
			if ((options.qs as any)?.sort_direction === 'desc') list.reverse();
			return ok(list.slice(0, Number((options.qs as any)?.limit ?? 100)), { next_cursor: null });
		}
		if ((m = path.match(/^\/api\/v1\/deals\/(\d+)\/flow$/))) {
			return ok(this.flows.get(Number(m[1])) ?? [], { pagination: { start: 0, limit: 500, more_items_in_collection: false } });
		}
		return { statusCode: 404, headers: {}, body: { success: false, error: `fake: no route ${method} ${path}` } };
	};

	provider(): PipedriveProvider {
		resetLimiters();
		return pipedriveProvider.create({
			send: this.send as any,
			credentials: { companyDomain: 'http://acme.test', apiToken: 'token' },
			credentialKey: `fake-${Math.random()}`,
			transportOverrides: { retry: { baseDelayMs: 1 }, rateLimits: { default: { max: 10_000, windowMs: 2000 } } },
		}) as PipedriveProvider;
	}
}
