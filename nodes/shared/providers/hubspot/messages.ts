/**
 * Messages on HubSpot: logged as engagements on the record's timeline, or really sent.
 * - email → `emails` object (hs_email_direction EMAIL, hs_email_status SENT, hs_email_headers);
 * - sms / whatsapp → `communications` object (hs_communication_channel_type SMS / WHATS_APP,
 *   hs_communication_logged_from must be CRM);
 * - note → `notes` object. Logging never delivers anything (HubSpot engagement guides).
 * - Delivery: the transactional single-send API (`/marketing/v3/transactional/single-email/send`,
 *   Transactional Email add-on, scope `transactional-email`), whose `sendId` makes repeats no-ops.
 * Dedupe: the key's hash is stored as an HTML comment in the engagement body and looked up on
 * the engagements associated with the record. (HubSpot documents HTML bodies for notes and
 * emails; that comments survive its sanitizer is our understanding, not a documented promise.)
 */
import { createHash } from 'crypto';

import type { Message, MessageChannel, RelatedRef } from '../../model/types';
import { CrmInputError } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { chunk } from '../../transport/pagination';
import type { ItemResult, MessageInput } from '../../contract/provider';
import type { HubSpotBatcher } from './batch';
import { associationsFor, objectTypeOf, PROVIDER_ID } from './mapping';
import type { HubSpotObject, LeadModel } from './mapping';

const CHANNEL_OBJECT: Record<MessageChannel, { objectType: string; bodyProperty: string }> = {
	email: { objectType: 'emails', bodyProperty: 'hs_email_html' },
	sms: { objectType: 'communications', bodyProperty: 'hs_communication_body' },
	whatsapp: { objectType: 'communications', bodyProperty: 'hs_communication_body' },
	note: { objectType: 'notes', bodyProperty: 'hs_note_body' },
};

const ASSOCIATION_READ_LIMIT = 1000;

export function dedupeMarker(key: string): string {
	const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
	return `<!-- crm-dedupe:${hash} -->`;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text becomes simple HTML; text that already looks like HTML is kept. */
function toHtml(body: string): string {
	return /<\/?[a-z][\s\S]*>/i.test(body) ? body : escapeHtml(body).replace(/\r?\n/g, '<br>');
}

function stripMarker(html: string | undefined | null): string | undefined {
	return html ? html.replace(/\s*<!-- crm-dedupe:[0-9a-f]+ -->/g, '') : undefined;
}

export class HubSpotMessages {
	constructor(
		private readonly transport: CrmTransport,
		private readonly batcher: HubSpotBatcher,
		private readonly leadModel: LeadModel,
	) {}

	private properties(input: MessageInput): Record<string, string> {
		const timestamp = input.sentAt ? new Date(input.sentAt).toISOString() : new Date().toISOString();
		const marker = input.dedupeKey ? dedupeMarker(input.dedupeKey) : '';
		const html = `${toHtml(input.body)}${marker}`;
		const owner: Record<string, string> = input.ownerId ? { hubspot_owner_id: input.ownerId } : {};
		switch (input.channel) {
			case 'email':
				return {
					hs_timestamp: timestamp,
					hs_email_direction: 'EMAIL',
					hs_email_status: 'SENT',
					hs_email_subject: input.subject ?? '',
					hs_email_text: input.body,
					hs_email_html: html,
					hs_email_headers: JSON.stringify({
						...(input.from ? { from: { email: input.from } } : {}),
						to: (input.to ?? []).map((email) => ({ email })),
						cc: [],
						bcc: [],
					}),
					...owner,
				};
			case 'sms':
			case 'whatsapp':
				return {
					hs_timestamp: timestamp,
					hs_communication_channel_type: input.channel === 'sms' ? 'SMS' : 'WHATS_APP',
					hs_communication_logged_from: 'CRM',
					hs_communication_body: html,
					...owner,
				};
			case 'note':
				return { hs_timestamp: timestamp, hs_note_body: html, ...owner };
		}
	}

	private toMessage(input: MessageInput, object: HubSpotObject): Message {
		const p = object.properties ?? {};
		const body = p[CHANNEL_OBJECT[input.channel].bodyProperty];
		return {
			id: String(object.id),
			provider: PROVIDER_ID,
			channel: input.channel,
			direction: input.channel === 'note' ? 'internal' : 'outbound',
			subject: input.subject,
			body: stripMarker(body) ?? input.body,
			to: input.to,
			from: input.from,
			sentAt: p.hs_timestamp ?? undefined,
			related: input.related,
			createdAt: object.createdAt,
			raw: object as Record<string, unknown>,
		};
	}

	async log(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const results: Array<ItemResult<Message>> = new Array(inputs.length);
		const byObjectType = new Map<string, number[]>();
		inputs.forEach((input, index) => {
			const { objectType } = CHANNEL_OBJECT[input.channel];
			byObjectType.set(objectType, [...(byObjectType.get(objectType) ?? []), index]);
		});
		for (const [objectType, indexes] of byObjectType) {
			const batch: Array<{ key: string; body: Record<string, unknown> }> = [];
			const batchIndexes: number[] = [];
			for (const index of indexes) {
				try {
					batch.push({
						key: String(index),
						body: {
							properties: this.properties(inputs[index]),
							associations: associationsFor(objectType, inputs[index].related, this.leadModel),
							objectWriteTraceId: String(index),
						},
					});
					batchIndexes.push(index);
				} catch (error) {
					results[index] = { ok: false, error: error as Error };
				}
			}
			const created = await this.batcher.run(objectType, 'create', batch);
			created.forEach((result, i) => {
				const index = batchIndexes[i];
				results[index] = result.ok ? { ok: true, value: this.toMessage(inputs[index], result.value) } : result;
			});
		}
		return results;
	}

	/** Real delivery: transactional email, one call per message (the API has no batch form). */
	async deliver(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const results: Array<ItemResult<Message>> = [];
		for (const input of inputs) {
			try {
				if (input.channel !== 'email') throw new CrmInputError(`HubSpot cannot deliver ${input.channel} messages`, 'channel');
				const emailId = Number(input.templateId);
				if (!input.templateId || !Number.isInteger(emailId)) {
					throw new CrmInputError(
						'Sending through HubSpot needs the id of a transactional email',
						'templateId',
						'Create a transactional email in HubSpot (Marketing → Email, Transactional add-on) and put its numeric id in "Template ID"; or use Delivery "Log Only".',
					);
				}
				const to = input.to?.[0];
				if (!to) throw new CrmInputError('The message has no recipient email', 'to');
				const { body } = await this.transport.request<Record<string, unknown>>({
					method: 'POST',
					path: '/marketing/v3/transactional/single-email/send',
					body: {
						emailId,
						message: {
							to,
							...(input.from ? { from: input.from } : {}),
							...(input.dedupeKey ? { sendId: input.dedupeKey } : {}),
						},
						customProperties: { subject: input.subject ?? '', body: input.body },
					},
					// With a sendId HubSpot ignores repeats (IDEMPOTENT_IGNORE), so retrying is safe.
					idempotent: Boolean(input.dedupeKey),
				});
				results.push({
					ok: true,
					value: {
						id: String(body.statusId ?? ''),
						provider: PROVIDER_ID,
						channel: 'email',
						direction: 'outbound',
						subject: input.subject,
						body: input.body,
						to: input.to,
						from: input.from,
						sentAt: typeof body.requestedAt === 'string' ? body.requestedAt : new Date().toISOString(),
						related: input.related,
						raw: body,
					},
				});
			} catch (error) {
				results.push({ ok: false, error: error as Error });
			}
		}
		return results;
	}

	/** Associated record ids, from → to, via the v4 batch read (1,000 ids per call). */
	async associatedIds(fromType: string, toType: string, ids: string[]): Promise<Map<string, string[]>> {
		const map = new Map<string, string[]>();
		const unique = [...new Set(ids)];
		for (const part of chunk(unique, ASSOCIATION_READ_LIMIT)) {
			const { body } = await this.transport.request<{
				results?: Array<{ from?: { id?: string }; to?: Array<{ toObjectId?: string | number }> }>;
			}>({
				method: 'POST',
				path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
				body: { inputs: part.map((id) => ({ id })) },
				idempotent: true,
			});
			for (const result of body?.results ?? []) {
				const from = String(result.from?.id ?? '');
				const to = (result.to ?? []).map((t) => String(t.toObjectId));
				map.set(from, [...(map.get(from) ?? []), ...to]);
			}
		}
		return map;
	}

	async findByDedupeKey(
		requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>,
	): Promise<Map<string, Message>> {
		const found = new Map<string, Message>();
		// Group by (record type, engagement type): one association read per group.
		const groups = new Map<string, Array<{ key: string; recordId: string; channel: MessageChannel }>>();
		for (const request of requests) {
			const anchor = request.related[0];
			if (!anchor) continue;
			const fromType = objectTypeOf(anchor.type, this.leadModel);
			const { objectType } = CHANNEL_OBJECT[request.channel];
			const groupKey = `${fromType}|${objectType}`;
			groups.set(groupKey, [...(groups.get(groupKey) ?? []), { key: request.key, recordId: anchor.id, channel: request.channel }]);
		}
		for (const [groupKey, members] of groups) {
			const [fromType, objectType] = groupKey.split('|');
			const associated = await this.associatedIds(fromType, objectType, members.map((m) => m.recordId));
			const engagementIds = [...new Set([...associated.values()].flat())];
			if (engagementIds.length === 0) continue;
			const bodyProperty = CHANNEL_OBJECT[members[0].channel].bodyProperty;
			const read = await this.batcher.run(
				objectType,
				'read',
				engagementIds.map((id) => ({ key: id, body: { id } })),
				{ properties: [bodyProperty, 'hs_timestamp', 'hs_email_subject'], propertiesWithHistory: [] },
			);
			const bodies = new Map<string, HubSpotObject>();
			for (const r of read) if (r.ok) bodies.set(r.value.id, r.value);
			for (const member of members) {
				const marker = dedupeMarker(member.key);
				for (const id of associated.get(member.recordId) ?? []) {
					const object = bodies.get(id);
					const body = object?.properties?.[bodyProperty];
					if (object && body && body.includes(marker)) {
						found.set(member.key, {
							id: object.id,
							provider: PROVIDER_ID,
							channel: member.channel,
							direction: member.channel === 'note' ? 'internal' : 'outbound',
							subject: object.properties.hs_email_subject ?? undefined,
							body: stripMarker(body),
							sentAt: object.properties.hs_timestamp ?? undefined,
							raw: object as Record<string, unknown>,
						});
						break;
					}
				}
			}
		}
		return found;
	}
}
