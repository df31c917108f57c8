/**
 * Zoho CRM Notifications (v8 `/actions/watch`, scope ZohoCRM.notifications.ALL) as the instant
 * source of the CRM Webhook Trigger:
 * - register: `POST /actions/watch {"watch":[{channel_id, events, notify_url, token,
 *   channel_expiry, return_affected_field_values, notify_on_related_action:false,
 *   notification_condition?}]}`. We choose `channel_id` (a number) and `token` (≤ 50 chars, our
 *   shared secret). A channel lives at most one week; without `channel_expiry`, or with a longer
 *   one, Zoho gives it one hour (v7 enable-notifications page) — so we ask for 7 days minus a margin.
 * - renew: `PATCH /actions/watch` with the channel's id, events and a new `channel_expiry`.
 * - unregister: `DELETE /actions/watch?channel_ids=`.
 * - a delivery is a JSON POST `{channel_id, token, module, operation: insert|update|delete, ids[],
 *   server_time, resource_uri, query_params, affected_fields?}`, several ids at once. Zoho signs
 *   nothing: the `token` (and channel id) we registered is the only proof, checked in constant time.
 * - stage / status events register with `notification_condition` on that field (`field_selection`),
 *   so Zoho calls only when it changes (shape from the v8 SDK's NotificationCondition model:
 *   `{type: "field_selection", module: {api_name}, field_selection: {field: {api_name}}}`; a
 *   condition without comparator is "the field changed" — unverified against a live org).
 * Events get the polling feed's keys, so a record delivered twice (or also polled) starts once.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'crypto';

import type { CrmEvent, EventType, InstantEventSource } from '../../contract/events';
import { CrmApiError, CrmInputError } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import type { FeedDependencies } from './events';
import { ZohoEventFeed } from './events';
import { timeMs, ZOHO } from './mapping';

interface WatchSpec {
	event: string;
	module: string;
	/** The field whose change is the event (a notification condition). */
	field?: string;
	/** The delivery operation that counts. */
	operation: 'insert' | 'update';
}

export function watchSpecOf(type: EventType): WatchSpec | undefined {
	switch (type) {
		case 'newLead':
			return { event: 'Leads.create', module: 'Leads', operation: 'insert' };
		case 'newContact':
			return { event: 'Contacts.create', module: 'Contacts', operation: 'insert' };
		case 'dealCreated':
			return { event: 'Deals.create', module: 'Deals', operation: 'insert' };
		case 'ticketOpened':
			return { event: 'Cases.create', module: 'Cases', operation: 'insert' };
		case 'dealStageChanged':
		case 'dealWonLost':
			return { event: 'Deals.edit', module: 'Deals', field: 'Stage', operation: 'update' };
		case 'ticketStatusChanged':
			return { event: 'Cases.edit', module: 'Cases', field: 'Status', operation: 'update' };
		case 'taskCompleted':
			return { event: 'Tasks.edit', module: 'Tasks', field: 'Status', operation: 'update' };
		case 'taskOverdue':
			// Nothing happens in Zoho when a due date passes: polling only.
			return undefined;
	}
}

/** A channel lives at most a week (Zoho); we ask for a week minus this margin. */
const CHANNEL_LIFETIME_MS = 7 * 86_400_000 - 3_600_000;
/** How far back a delivered stage move may lie (Zoho delivers within minutes; replays are keyed). */
const DELIVERY_WINDOW_MS = 3_600_000;

export function zohoTimestamp(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function tokenMatches(received: unknown, expected: string): boolean {
	const a = Buffer.from(typeof received === 'string' ? received : '', 'utf8');
	const b = Buffer.from(expected, 'utf8');
	if (a.length !== b.length) {
		timingSafeEqual(b, b);
		return false;
	}
	return timingSafeEqual(a, b);
}

interface Delivery {
	channel_id?: unknown;
	token?: unknown;
	module?: unknown;
	operation?: unknown;
	ids?: unknown;
	server_time?: unknown;
}

export class ZohoNotificationSource implements InstantEventSource {
	private readonly spec: WatchSpec;
	private readonly feed: ZohoEventFeed;

	constructor(
		type: EventType,
		private readonly transport: CrmTransport,
		deps: FeedDependencies,
		private readonly now: () => number = Date.now,
	) {
		const spec = watchSpecOf(type);
		if (!spec) throw new CrmInputError(`Zoho CRM cannot send the "${type}" event by notification`, 'event', 'Use the CRM Trigger (polling) for it.');
		this.spec = spec;
		this.feed = new ZohoEventFeed(type, deps);
	}

	private watch(channelId: string, targetUrl: string | undefined, token: string | undefined, expiresAt: number): Record<string, unknown> {
		return {
			channel_id: Number(channelId),
			events: [this.spec.event],
			...(targetUrl ? { notify_url: targetUrl } : {}),
			...(token ? { token } : {}),
			channel_expiry: zohoTimestamp(expiresAt),
			return_affected_field_values: true,
			notify_on_related_action: false,
			...(this.spec.field
				? { notification_condition: [{ type: 'field_selection', module: { api_name: this.spec.module }, field_selection: { field: { api_name: this.spec.field } } }] }
				: {}),
		};
	}

	/** A week minus a margin from now, in whole seconds (as Zoho's timestamps carry it). */
	private expiry(): number {
		return Math.floor((this.now() + CHANNEL_LIFETIME_MS) / 1000) * 1000;
	}

	/** The channel's entry of a watch answer must be a success. */
	private check(body: unknown, what: string): void {
		const entry = ((body ?? {}) as { watch?: Array<Record<string, unknown>> }).watch?.[0];
		if (!entry || entry.status !== 'success') {
			throw new CrmApiError(ZOHO, {
				message: `Zoho CRM did not ${what} the notification channel: ${String(entry?.message ?? entry?.code ?? 'no answer for it')}`,
				code: typeof entry?.code === 'string' ? entry.code : undefined,
				body: entry,
			});
		}
	}

	async register(targetUrl: string): Promise<{ id: string; secret?: string; expiresAt?: number }> {
		// A 13-digit number: Zoho's channel ids are numbers we pick (long).
		const id = String(randomInt(1_000_000_000_000, 9_000_000_000_000));
		const secret = randomBytes(24).toString('hex');
		const expiresAt = this.expiry();
		const { body } = await this.transport.request({ method: 'POST', path: '/actions/watch', body: { watch: [this.watch(id, targetUrl, secret, expiresAt)] } });
		this.check(body, 'enable');
		return { id, secret, expiresAt };
	}

	/** Moves the channel's expiry a week ahead (PATCH keeps its URL and token). */
	async renew(registration: { id: string; url?: string }): Promise<{ expiresAt: number }> {
		const expiresAt = this.expiry();
		const { body } = await this.transport.request({ method: 'PATCH', path: '/actions/watch', body: { watch: [this.watch(registration.id, undefined, undefined, expiresAt)] }, idempotent: true });
		this.check(body, 'renew');
		return { expiresAt };
	}

	async unregister(registration: { id: string }): Promise<void> {
		await this.transport
			.request({ method: 'DELETE', path: '/actions/watch', qs: { channel_ids: registration.id }, idempotent: true })
			// Already gone (expired or removed in Zoho): nothing to do.
			.catch((error: unknown) => (error instanceof CrmApiError && (error.status === 404 || error.status === 400) ? undefined : Promise.reject(error)));
	}

	verify(request: { rawBody: Buffer }, registration: { id: string; secret?: string }): boolean {
		if (!registration.secret || !Buffer.isBuffer(request.rawBody)) return false;
		let body: Delivery;
		try {
			body = JSON.parse(request.rawBody.toString('utf8')) as Delivery;
		} catch {
			return false;
		}
		return !!body && tokenMatches(body.token, registration.secret) && String(body.channel_id) === registration.id;
	}

	async toEvents(body: unknown): Promise<CrmEvent[]> {
		const delivery = (body ?? {}) as Delivery;
		if (delivery.operation !== this.spec.operation || delivery.module !== this.spec.module) return [];
		const ids = (Array.isArray(delivery.ids) ? delivery.ids : []).map(String).filter(Boolean);
		if (ids.length === 0) return [];
		const at = timeMs(delivery.server_time);
		const now = Number.isFinite(at) ? at : this.now();
		// The delivered ids become candidates of the polling feed: the same reads, keys and events.
		const candidates = await this.feed.candidatesFor(ids);
		return this.feed.expand(candidates, now - DELIVERY_WINDOW_MS);
	}
}
