/**
 * Messages on EspoCRM:
 * - email, Send Through the CRM: `POST Email` with `status: "Sending"`; EspoCRM sends it through
 *   its SMTP (the system outbound account, or the group/personal account of the From address)
 *   and stores it as Sent (EspoCRM source: Services/Email.php `create`, Tools/Email/SendService.php;
 *   the docs show `status: "Sending"` in formula examples,
 *   https://docs.espocrm.com/administration/formula-scripts-examples/) (unverified in the API docs);
 * - email, Log Only: an archived email (`status: "Archived"`, the default status) linked to the
 *   record by `parentType`/`parentId`;
 * - note: a post on the record's stream, `POST Note {type: "Post", parentType, parentId, post}`
 *   (https://docs.espocrm.com/development/api/stream/#post-to-stream).
 * Email attributes: `name`/`subject`, `from`, `to` (addresses separated by ";"), `body`,
 * `isHtml`, `dateSent` (OpenAPI spec, schema Email). SMS and WhatsApp have no core EspoCRM
 * record: the provider declares only email and note.
 * Dedupe: the key's hash is kept in the message (an HTML comment in an email body; a short
 * reference line in a note, whose text EspoCRM shows as written) and looked up on the record.
 */
import { createHash } from 'crypto';

import type { Message, MessageChannel, RelatedRef } from '../../model/types';
import { CrmCapabilityError, CrmInputError } from '../../transport/errors';
import type { ItemResult, MessageInput } from '../../contract/provider';
import type { EspoClient, EspoRecord } from './client';
import { ESPO_CONCURRENCY, mapLimit } from './client';
import { ENTITY_OF, espoDateTime, isoOf, PROVIDER_ID, relatedAttributes } from './mapping';
import type { EspoMetadata } from './metadata';
import type { EspoStream } from './stream';

export function dedupeHash(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

const emailMarker = (key: string) => `<!-- crm-dedupe:${dedupeHash(key)} -->`;
const noteMarker = (key: string) => `[crm-dedupe:${dedupeHash(key)}]`;

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text becomes simple HTML; text that already looks like HTML is kept. */
function toHtml(body: string): string {
	return /<\/?[a-z][\s\S]*>/i.test(body) ? body : escapeHtml(body).replace(/\r?\n/g, '<br>');
}

const stripMarkers = (text: unknown) =>
	typeof text === 'string' ? text.replace(/\s*<!-- crm-dedupe:[0-9a-f]+ -->/g, '').replace(/\s*\[crm-dedupe:[0-9a-f]+\]\s*$/g, '') : undefined;

export class EspoMessages {
	constructor(
		private readonly client: EspoClient,
		private readonly metadata: EspoMetadata,
		private readonly stream: EspoStream,
		private readonly siteUrl: string,
	) {}

	/** The From address: the message's, else the system outbound address from Settings. */
	private async from(input: MessageInput): Promise<string> {
		if (input.from?.trim()) return input.from.trim();
		let settings: Record<string, unknown> = {};
		try {
			settings = await this.metadata.settings();
		} catch {
			// Settings may be unreadable for the API user; the error below says what to do.
		}
		const system = typeof settings.outboundEmailFromAddress === 'string' ? settings.outboundEmailFromAddress.trim() : '';
		if (system) return system;
		throw new CrmInputError(
			'EspoCRM needs a From address for the email',
			'from',
			'Set Options → From to the system outbound address (Administration → Outbound Emails) or the address of a group email account.',
		);
	}

	private async emailAttributes(input: MessageInput, status: 'Archived' | 'Sending'): Promise<Record<string, unknown>> {
		const to = (input.to ?? []).filter(Boolean);
		if (to.length === 0) throw new CrmInputError('The email has no recipient', 'to');
		const subject = input.subject?.trim() || '(no subject)';
		return {
			name: subject,
			subject,
			from: await this.from(input),
			to: to.join(';'),
			body: `${toHtml(input.body)}${input.dedupeKey ? emailMarker(input.dedupeKey) : ''}`,
			isHtml: true,
			status,
			...(status === 'Archived' ? { dateSent: espoDateTime(input.sentAt ?? Date.now(), 'sentAt') } : {}),
			...relatedAttributes('message', input.related.slice(0, 1)),
			...(input.ownerId ? { assignedUserId: input.ownerId } : {}),
		};
	}

	private emailMessage(input: MessageInput, raw: EspoRecord): Message {
		return {
			id: String(raw.id),
			provider: PROVIDER_ID,
			url: this.siteUrl ? `${this.siteUrl}/#Email/view/${encodeURIComponent(String(raw.id))}` : undefined,
			channel: 'email',
			direction: 'outbound',
			subject: input.subject,
			body: input.body,
			to: input.to,
			from: typeof raw.from === 'string' ? raw.from : input.from,
			sentAt: isoOf(raw.dateSent) ?? new Date().toISOString(),
			related: input.related,
			createdAt: isoOf(raw.createdAt),
			raw,
		};
	}

	private noteMessage(input: MessageInput, raw: EspoRecord): Message {
		return {
			id: String(raw.id),
			provider: PROVIDER_ID,
			url: raw.parentType && raw.parentId && this.siteUrl ? `${this.siteUrl}/#${String(raw.parentType)}/view/${String(raw.parentId)}` : undefined,
			channel: 'note',
			direction: 'internal',
			body: input.body,
			sentAt: isoOf(raw.createdAt),
			related: input.related,
			createdAt: isoOf(raw.createdAt),
			raw,
		};
	}

	private async logOne(input: MessageInput): Promise<Message> {
		if (input.channel === 'email') {
			const raw = await this.client.create('Email', await this.emailAttributes(input, 'Archived'));
			return this.emailMessage(input, raw);
		}
		if (input.channel === 'note') {
			const parent = relatedAttributes('note', input.related.slice(0, 1));
			const post = input.dedupeKey ? `${input.body}\n\n${noteMarker(input.dedupeKey)}` : input.body;
			const raw = await this.client.create('Note', { type: 'Post', ...parent, post });
			return this.noteMessage(input, raw);
		}
		throw new CrmCapabilityError('EspoCRM', `logging ${input.channel} messages`, 'Channels it can log: email, note.');
	}

	log(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return mapLimit(inputs, ESPO_CONCURRENCY, async (input): Promise<ItemResult<Message>> => {
			try {
				return { ok: true, value: await this.logOne(input) };
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
	}

	/** Real delivery through EspoCRM's SMTP; one request per email (no batch send in the API). */
	deliver(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		return mapLimit(inputs, ESPO_CONCURRENCY, async (input): Promise<ItemResult<Message>> => {
			try {
				if (input.channel !== 'email') throw new CrmCapabilityError('EspoCRM', `sending ${input.channel} messages`, 'EspoCRM can send: email.');
				const raw = await this.client.create('Email', await this.emailAttributes(input, 'Sending'));
				return { ok: true, value: this.emailMessage(input, raw) };
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
	}

	async findByDedupeKey(requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>): Promise<Map<string, Message>> {
		const found = new Map<string, Message>();
		await mapLimit(requests, ESPO_CONCURRENCY, async (request) => {
			const anchor = request.related[0];
			if (!anchor) return;
			const parentType = ENTITY_OF[anchor.type];
			if (request.channel === 'email') {
				const marker = emailMarker(request.key);
				const { list } = await this.client.list('Email', {
					where: [
						{ type: 'equals', attribute: 'parentType', value: parentType },
						{ type: 'equals', attribute: 'parentId', value: String(anchor.id) },
						{ type: 'contains', attribute: 'body', value: marker },
					],
					select: ['id', 'name', 'status', 'dateSent', 'body', 'parentType', 'parentId', 'createdAt'],
					maxSize: 1,
				});
				const raw = list.find((e) => typeof e.body === 'string' && e.body.includes(marker));
				if (raw) {
					found.set(request.key, {
						id: String(raw.id),
						provider: PROVIDER_ID,
						channel: 'email',
						direction: 'outbound',
						subject: typeof raw.name === 'string' ? raw.name : undefined,
						body: stripMarkers(raw.body),
						sentAt: isoOf(raw.dateSent),
						related: [anchor],
						raw,
					});
				}
				return;
			}
			if (request.channel === 'note') {
				const marker = noteMarker(request.key);
				const notes = await this.stream.notes(parentType, String(anchor.id));
				const note = notes.find((n) => n.type === 'Post' && typeof n.post === 'string' && n.post.includes(marker));
				if (note) {
					found.set(request.key, {
						id: String(note.id),
						provider: PROVIDER_ID,
						channel: 'note',
						direction: 'internal',
						body: stripMarkers(note.post),
						sentAt: isoOf(note.createdAt),
						related: [anchor],
						raw: note as Record<string, unknown>,
					});
				}
			}
		});
		return found;
	}
}
