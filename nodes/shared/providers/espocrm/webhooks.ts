/**
 * EspoCRM webhooks as the instant source of trigger events
 * (https://docs.espocrm.com/administration/webhooks/):
 * - `POST Webhook {"event","url"}` answers the webhook's `id` and generated `secretKey`;
 *   `DELETE Webhook/{id}` removes it. Only API users with the "Webhooks" scope (and access to the
 *   event's entity type) or admins may create webhooks; at most `webhookMaxCountPerUser` (50).
 * - Events: `{Entity}.create` (all attributes), `{Entity}.update` (changed attributes),
 *   `{Entity}.fieldUpdate.{field}` (the field's new attributes and the id).
 * - Deliveries: POST, JSON, always an array; events of one webhook are sent in batches by the
 *   "Process Webhook Queue" job (every 5 minutes by default; `webhookBatchSize` 50).
 * - Signature (9.0+): header `Signature` = base64(webhookId + ":" + hex HMAC-SHA256 of the raw
 *   payload with the secret key). (`X-Signature`, the pre-9.0 form, is not checked.)
 * A delivery carries no timestamp, so a replayed delivery cannot be told by its age: events are
 * keyed like the polling feed's (one key per stream note / completion), and the trigger node
 * drops keys it has already emitted.
 */
import { createHmac, timingSafeEqual } from 'crypto';

import type { ResourceType } from '../../model/types';
import type { CrmEvent, EventType, InstantEventSource } from '../../contract/events';
import { ALL_EVENT_TYPES } from '../../contract/events';
import { CrmApiError, CrmInputError } from '../../transport/errors';
import type { EspoRecord } from './client';
import { ESPO_CONCURRENCY, mapLimit } from './client';
import type { FeedDependencies } from './events';
import { changeKey, completionKey, originField, pipelineRef, readByIds, stageOfRecord, stageRef } from './events';
import { ENTITY_OF, toMs } from './mapping';
import { transitions } from './stream';

export interface WebhookSpec {
	event: string;
	kind: 'created' | 'field' | 'completed';
	resource: ResourceType;
	field?: string;
}

export function webhookSpecOf(type: EventType): WebhookSpec | undefined {
	switch (type) {
		case 'newLead':
			return { event: 'Lead.create', kind: 'created', resource: 'lead' };
		case 'newContact':
			return { event: 'Contact.create', kind: 'created', resource: 'contact' };
		case 'dealCreated':
			return { event: 'Opportunity.create', kind: 'created', resource: 'deal' };
		case 'ticketOpened':
			return { event: 'Case.create', kind: 'created', resource: 'ticket' };
		case 'dealStageChanged':
		case 'dealWonLost':
			return { event: 'Opportunity.fieldUpdate.stage', kind: 'field', resource: 'deal', field: 'stage' };
		case 'ticketStatusChanged':
			return { event: 'Case.fieldUpdate.status', kind: 'field', resource: 'ticket', field: 'status' };
		case 'taskCompleted':
			return { event: 'Task.fieldUpdate.status', kind: 'completed', resource: 'task', field: 'status' };
		case 'taskOverdue':
			// Nothing happens in EspoCRM when a due date passes: polling only.
			return undefined;
	}
}

export const ESPOCRM_INSTANT_EVENTS: readonly EventType[] = ALL_EVENT_TYPES.filter((type) => webhookSpecOf(type) !== undefined);

/** The `Signature` header EspoCRM sends with a delivery of `rawBody` by webhook `webhookId`. */
export function webhookSignature(webhookId: string, secretKey: string, rawBody: Buffer | string): string {
	const hash = createHmac('sha256', secretKey).update(rawBody).digest('hex');
	return Buffer.from(`${webhookId}:${hash}`, 'utf8').toString('base64');
}

/** Constant-time comparison (a different length fails without comparing contents). */
export function signaturesMatch(received: string | undefined, expected: string): boolean {
	const a = Buffer.from(String(received ?? '').trim(), 'utf8');
	const b = Buffer.from(expected, 'utf8');
	if (a.length !== b.length) {
		timingSafeEqual(b, b);
		return false;
	}
	return timingSafeEqual(a, b);
}

function headerOf(headers: Record<string, string | undefined>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
	return key === undefined ? undefined : headers[key];
}

/** Notes read per record to match a delivered change to its stream note (the newest). */
const RECENT_NOTES = 200;

export class EspoWebhookSource implements InstantEventSource {
	private readonly spec: WebhookSpec;

	constructor(
		private readonly type: EventType,
		private readonly deps: FeedDependencies,
	) {
		const spec = webhookSpecOf(type);
		if (!spec) throw new CrmInputError(`EspoCRM cannot send the "${type}" event by webhook`, 'event', 'Use the CRM Trigger (polling) for it.');
		this.spec = spec;
	}

	async register(targetUrl: string): Promise<{ id: string; secret?: string }> {
		const answer = await this.deps.client.call<Record<string, unknown>>(
			{ method: 'POST', path: '/Webhook', body: { event: this.spec.event, url: targetUrl } },
			{ scope: 'Webhook', action: 'create' },
		);
		const id = answer?.id === undefined ? '' : String(answer.id);
		const secret = typeof answer?.secretKey === 'string' ? answer.secretKey : undefined;
		if (!id || !secret) {
			throw new CrmApiError('EspoCRM', { message: 'EspoCRM created the webhook without an id or secret key; deliveries could not be verified' });
		}
		return { id, secret };
	}

	async unregister(registration: { id: string }): Promise<void> {
		await this.deps.client
			.call({ method: 'DELETE', path: `/Webhook/${encodeURIComponent(registration.id)}`, idempotent: true }, { scope: 'Webhook', action: 'delete' })
			// Already gone (removed by an admin, or dropped by EspoCRM after a 410): nothing to do.
			.catch((error: unknown) => (error instanceof CrmApiError && error.status === 404 ? undefined : Promise.reject(error)));
	}

	verify(
		request: { method: string; url: string; headers: Record<string, string | undefined>; rawBody: Buffer },
		registration: { id: string; secret?: string },
	): boolean {
		if (!registration.secret || !Buffer.isBuffer(request.rawBody)) return false;
		const received = headerOf(request.headers, 'signature');
		if (!received) return false;
		return signaturesMatch(received, webhookSignature(registration.id, registration.secret, request.rawBody));
	}

	async toEvents(body: unknown): Promise<CrmEvent[]> {
		const items = (Array.isArray(body) ? body : [body]).filter(
			(item): item is EspoRecord => !!item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string',
		);
		if (items.length === 0) return [];
		if (this.spec.kind === 'created') return this.created(items);
		if (this.spec.kind === 'completed') return this.completed(items);
		return this.changed(items, this.spec.field!);
	}

	private async created(items: EspoRecord[]): Promise<CrmEvent[]> {
		const { resource } = this.spec;
		const records = await this.deps.toRecords(resource, items);
		const pipelines = await this.deps.pipelines(resource);
		const own = (await this.deps.ownUserId?.().catch(() => '')) ?? '';
		return items.map((item, i) => {
			const at = toMs(item.createdAt);
			return {
				type: this.type,
				// The same key as the polling feed's: a creation happens once per record.
				key: String(item.id),
				at: Number.isFinite(at) ? at : Date.now(),
				record: records[i],
				...stageOfRecord(resource, records[i], pipelines),
				...originField(item.createdById, own),
			};
		});
	}

	/**
	 * A delivered `{id, stage}` is matched to the newest Status note that moved the record into
	 * that value (several deliveries for one record match successive notes, newest last), so the
	 * event has the move's own time, the previous value (the note before it) and the same key as
	 * polling (confirmed on EspoCRM 9.1.7, A → B → C in one delivery batch). Without a matching
	 * note (the entity's stream is off, or the move is older than the newest 200 notes) the
	 * record's modification time keys it.
	 */
	private async changed(items: EspoRecord[], field: string): Promise<CrmEvent[]> {
		const { resource } = this.spec;
		const entityType = ENTITY_OF[resource];
		const ids = [...new Set(items.map((i) => String(i.id)))];
		const raws = await readByIds(this.deps.client, entityType, ids);
		const byId = new Map(raws.map((raw) => [String(raw.id), raw]));
		const records = await this.deps.toRecords(resource, raws);
		const recordById = new Map(raws.map((raw, i) => [String(raw.id), records[i]]));
		const pipelines = await this.deps.pipelines(resource);
		const streams = await mapLimit(raws, ESPO_CONCURRENCY, (raw) => this.deps.stream.notes(entityType, String(raw.id), 0, RECENT_NOTES));
		const movesById = new Map(raws.map((raw, i) => [String(raw.id), transitions(streams[i], field)]));
		const own = (await this.deps.ownUserId?.().catch(() => '')) ?? '';

		const events: CrmEvent[] = [];
		for (const id of ids) {
			const raw = byId.get(id);
			const record = recordById.get(id);
			if (!raw || !record) continue; // deleted since, or no longer readable by the API user
			const delivered = items.filter((i) => String(i.id) === id).map((i) => String(i[field] ?? ''));
			const moves = movesById.get(id) ?? [];
			let below = moves.length;
			const matched: CrmEvent[] = [];
			for (let d = delivered.length - 1; d >= 0; d--) {
				let found = -1;
				for (let m = below - 1; m >= 0; m--) {
					if (moves[m].to === delivered[d]) {
						found = m;
						break;
					}
				}
				if (found >= 0) {
					const move = moves[found];
					below = found;
					matched.unshift({
						type: this.type,
						key: changeKey(id, field, move.noteId),
						at: move.at,
						record,
						stage: stageRef(move.to, pipelines),
						...(move.from !== undefined ? { previous: stageRef(move.from, pipelines) } : {}),
						...pipelineRef(resource, pipelines),
						...originField(move.byUserId, own),
					});
				} else {
					const modified = toMs(raw.modifiedAt);
					const at = Number.isFinite(modified) ? modified : Date.now();
					matched.unshift({
						type: this.type,
						key: `${id}|${field}|w:${at}|${delivered[d]}`,
						at,
						record,
						stage: stageRef(delivered[d], pipelines),
						...pipelineRef(resource, pipelines),
						...originField(raw.modifiedById, own),
					});
				}
			}
			events.push(...matched);
		}
		return events;
	}

	/** `Task.fieldUpdate.status` deliveries into "Completed": keyed by the completion time, as polling. */
	private async completed(items: EspoRecord[]): Promise<CrmEvent[]> {
		const ids = [...new Set(items.filter((i) => i.status === 'Completed').map((i) => String(i.id)))];
		if (ids.length === 0) return [];
		const raws = await readByIds(this.deps.client, 'Task', ids);
		const records = await this.deps.toRecords('task', raws);
		return raws.map((raw, i) => {
			const completedAt = toMs(raw.dateCompleted);
			const modified = toMs(raw.modifiedAt);
			const done = raw.status === 'Completed' && Number.isFinite(completedAt);
			const at = done ? completedAt : Number.isFinite(modified) ? modified : Date.now();
			return {
				type: this.type,
				key: done ? completionKey(String(raw.id), completedAt) : `${String(raw.id)}|completed|w:${at}`,
				at,
				record: records[i],
			};
		});
	}
}
