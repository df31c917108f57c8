/**
 * Pipedrive webhooks (v2 format) as the instant source of trigger events
 * (https://pipedrive.readme.io/docs/guide-for-webhooks-v2; v1 `POST/GET /webhooks`,
 * `DELETE /webhooks/{id}`):
 * - registered with `event_action`, `event_object`, `version: "2.0"` and HTTP basic credentials
 *   we generate: Pipedrive signs nothing, the basic credentials are the only proof a delivery is
 *   Pipedrive's, so they are checked (constant time) on every delivery;
 * - a delivery is `{meta, data, previous}`: `meta.id` is the delivery's id (the dedupe key),
 *   `meta.change_source` (`app`/`api`) and `meta.user_id` say who changed it (the loop guard),
 *   `previous` holds only the changed fields (a stage move has `previous.stage_id`);
 * - Pipedrive bans a webhook that keeps failing for 30 minutes and deletes it after 3 days
 *   without a success: `exists` asks Pipedrive whether ours is still there, so the trigger
 *   registers it again on the next activation or restart (and says so).
 */
import { randomBytes, timingSafeEqual } from 'crypto';

import type { CrmEvent, EventType, InstantEventSource } from '../../contract/events';
import { CrmApiError, CrmInputError } from '../../transport/errors';
import type { PdRecord } from './client';
import { v1 } from './client';
import type { FeedDependencies } from './events';
import { completionKey, originOf, pipelineRef, stageRef } from './events';
import { toMs } from './mapping';

interface WebhookSpec {
	object: 'lead' | 'person' | 'deal' | 'activity';
	action: 'create' | 'change';
	resource: 'lead' | 'contact' | 'deal' | 'task';
}

export function webhookSpecOf(type: EventType): WebhookSpec | undefined {
	switch (type) {
		case 'newLead':
			return { object: 'lead', action: 'create', resource: 'lead' };
		case 'newContact':
			return { object: 'person', action: 'create', resource: 'contact' };
		case 'dealCreated':
			return { object: 'deal', action: 'create', resource: 'deal' };
		case 'dealStageChanged':
		case 'dealWonLost':
			return { object: 'deal', action: 'change', resource: 'deal' };
		case 'taskCompleted':
			return { object: 'activity', action: 'change', resource: 'task' };
		default:
			return undefined;
	}
}

export const PIPEDRIVE_INSTANT_EVENTS: readonly EventType[] = ['newLead', 'newContact', 'dealCreated', 'dealStageChanged', 'dealWonLost', 'taskCompleted'];

/** Constant-time comparison (a different length fails without comparing contents). */
function sameSecret(received: string, expected: string): boolean {
	const a = Buffer.from(received, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	if (a.length !== b.length) {
		timingSafeEqual(b, b);
		return false;
	}
	return timingSafeEqual(a, b);
}

/** The `Authorization` value Pipedrive sends for a webhook registered with these credentials. */
export function basicAuthorization(secret: string): string {
	return `Basic ${Buffer.from(secret, 'utf8').toString('base64')}`;
}

export class PipedriveWebhookSource implements InstantEventSource {
	private readonly spec: WebhookSpec;

	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {
		const spec = webhookSpecOf(type);
		if (!spec) throw new CrmInputError(`Pipedrive cannot send the "${type}" event by webhook`, 'event', 'Use the CRM Trigger (polling) for it.');
		this.spec = spec;
	}

	async register(targetUrl: string): Promise<{ id: string; secret?: string }> {
		const user = `n8n-${randomBytes(6).toString('hex')}`;
		const password = randomBytes(24).toString('base64url');
		const answer = await this.deps.client.post<PdRecord>(v1('/webhooks'), {
			subscription_url: targetUrl,
			event_action: this.spec.action,
			event_object: this.spec.object,
			name: `n8n CRM Webhook Trigger (${this.type})`,
			version: '2.0',
			http_auth_user: user,
			http_auth_password: password,
		});
		if (answer?.id === undefined || answer.id === null) throw new CrmApiError('Pipedrive', { message: 'Pipedrive created the webhook without an id' });
		return { id: String(answer.id), secret: `${user}:${password}` };
	}

	async unregister(registration: { id: string }): Promise<void> {
		await this.deps.client
			.remove(v1(`/webhooks/${encodeURIComponent(registration.id)}`))
			// Already gone (deleted by Pipedrive after 3 days of failures, or by an admin): nothing to do.
			.catch((error: unknown) => (error instanceof CrmApiError && (error.status === 404 || error.status === 410) ? undefined : Promise.reject(error)));
	}

	/**
	 * Is our webhook still registered (not deleted by Pipedrive after failing for 3 days, nor by an
	 * admin)? A banned one (`is_active: 0`, for 30 minutes) still is: registering a second one
	 * would deliver every event twice once the ban ends.
	 */
	async exists(registration: { id: string }): Promise<boolean> {
		const hooks = (await this.deps.client.get<PdRecord[] | null>(v1('/webhooks'))) ?? [];
		return hooks.some((h) => String(h.id) === registration.id);
	}

	verify(request: { headers: Record<string, string | undefined> }, registration: { id: string; secret?: string }): boolean {
		if (!registration.secret) return false;
		const key = Object.keys(request.headers).find((k) => k.toLowerCase() === 'authorization');
		const received = key === undefined ? undefined : request.headers[key];
		if (!received) return false;
		return sameSecret(received.trim(), basicAuthorization(registration.secret));
	}

	async toEvents(body: unknown): Promise<CrmEvent[]> {
		const delivery = (body && typeof body === 'object' ? body : {}) as { meta?: Record<string, unknown>; data?: PdRecord | null; previous?: Record<string, unknown> | null };
		const meta = delivery.meta ?? {};
		const data = delivery.data;
		if (!data || typeof data !== 'object' || data.id === undefined) return [];
		const entity = String(meta.entity ?? meta.object ?? '');
		const action = String(meta.action ?? '');
		if (entity && entity !== this.spec.object) return [];
		if (action && !(action === this.spec.action || (this.spec.action === 'create' && action === 'added') || (this.spec.action === 'change' && action === 'updated'))) return [];
		const previous = delivery.previous ?? {};
		const own = await this.deps.ownUserId().catch(() => '');
		const origin = originOf(meta.change_source, meta.user_id, own);
		const deliveryAt = toMs(meta.timestamp);
		const id = String(data.id);
		const [record] = await this.deps.toRecords(this.spec.resource, [data]);
		const pipelines = this.spec.resource === 'deal' ? await this.deps.pipelines() : [];
		const dealPlace = () => ({ ...pipelineRef(data.pipeline_id === undefined ? undefined : String(data.pipeline_id), pipelines) });
		const at = (value: unknown) => (Number.isFinite(toMs(value)) ? toMs(value) : Number.isFinite(deliveryAt) ? deliveryAt : Date.now());
		// The same change delivered again (a retry carries the same meta.id) maps to the same key.
		const deliveryKey = String(meta.id ?? `${id}@${String(data.update_time ?? '')}`);

		switch (this.type) {
			case 'newLead':
			case 'newContact':
			case 'dealCreated':
				// The polling feed's key: a creation happens once per record.
				return [{ type: this.type, key: id, at: at(data.add_time), record, origin, ...(this.type === 'dealCreated' ? { stage: stageRef(String(data.stage_id ?? ''), pipelines), ...dealPlace() } : {}) }];
			case 'dealStageChanged': {
				if (!('stage_id' in previous)) return [];
				const from = previous.stage_id === null || previous.stage_id === undefined ? undefined : String(previous.stage_id);
				return [
					{
						type: this.type,
						key: `${id}|stage_id|w:${deliveryKey}`,
						at: at(data.stage_change_time ?? data.update_time),
						record,
						stage: stageRef(String(data.stage_id ?? ''), pipelines)!,
						...(from ? { previous: stageRef(from, pipelines) } : {}),
						...dealPlace(),
						origin,
					},
				];
			}
			case 'dealWonLost': {
				const status = String(data.status ?? '');
				if (!('status' in previous) || (status !== 'won' && status !== 'lost')) return [];
				return [
					{
						type: this.type,
						key: `${id}|status|w:${deliveryKey}`,
						at: at(status === 'won' ? data.won_time : data.lost_time),
						record,
						stage: stageRef(String(data.stage_id ?? ''), pipelines, status)!,
						...dealPlace(),
						origin,
					},
				];
			}
			case 'taskCompleted': {
				if (!('done' in previous) || data.done !== true) return [];
				const doneAt = at(data.marked_as_done_time ?? data.update_time);
				// The polling feed's key, when Pipedrive sends the completion time.
				return [{ type: this.type, key: completionKey(id, doneAt), at: doneAt, record, origin }];
			}
			default:
				return [];
		}
	}
}
