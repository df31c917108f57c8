/**
 * Messages on Zoho CRM:
 * - log: a Note on the record (`POST /Notes`, 100 per call, `Parent_Id: {module:{api_name}, id}`);
 *   a logged email is a note titled "Email: <subject>" (Zoho's API has no "log an email" record).
 * - send: `POST /{module}/{id}/actions/send_mail` (v8 send-mail page; scope
 *   ZohoCRM.send_mail.all.CREATE; one email per call, to ≤ 50). `from` must be one of the user's
 *   allowed from-addresses (`GET /settings/emails/actions/from_addresses`); without one, Zoho's
 *   default from-address is used. Zoho shows the email in the record's Emails list.
 * - dedupe: the marker `[crm-dedupe:<hash>]` in a note's content (a sent email with a dedupe key
 *   also gets a short "Email sent" note carrying it, since a sent email cannot carry a marker we
 *   can search for); found again through the record's notes (`GET /{module}/{id}/Notes`).
 */
import type { Message, MessageChannel, RelatedRef } from '../../model/types';
import type { ItemResult, MessageInput } from '../../contract/provider';
import { CrmApiError, CrmInputError, CrmUnknownOutcomeError, outcomeUnknown } from '../../transport/errors';
import type { CrmTransport } from '../../transport/http';
import { mapLimit } from '../../transport/concurrency';
import { dedupeHash, dedupeHashIn, withDedupeMarker, withoutDedupeMarker } from '../dedupeMarker';
import { mergeItems, prepareItems } from '../itemSlots';
import type { ZohoClient } from './client';
import { iso, MODULE_OF, PROVIDER_ID, relatedFields, ZOHO } from './mapping';
import type { ZohoRecord } from './mapping';
import { ZOHO_CONCURRENCY } from './profile';

/** Notes read per record when looking for dedupe markers (the newest). */
const NOTES_SCANNED = 200;

interface FromAddress {
	email: string;
	user_name?: string;
	default?: boolean;
}

export class ZohoMessages {
	private fromAddresses?: Promise<FromAddress[]>;

	constructor(
		private readonly transport: CrmTransport,
		private readonly client: ZohoClient,
		private readonly recordUrl: (module: string, id: string) => string,
	) {}

	private toMessage(input: MessageInput, id: string, raw: Record<string, unknown>, channel: MessageChannel, direction: Message['direction']): Message {
		return {
			id,
			provider: PROVIDER_ID,
			url: this.recordUrl('Notes', id),
			channel,
			direction,
			subject: input.subject,
			body: input.body,
			to: input.to,
			...(input.from ? { from: input.from } : {}),
			sentAt: input.sentAt ?? new Date().toISOString(),
			related: input.related,
			createdAt: iso(raw.Created_Time),
			raw,
		};
	}

	private noteBody(input: MessageInput, title: string): Record<string, unknown> {
		const parent = input.related[0];
		if (!parent) throw new CrmInputError('A Zoho note needs a record to be shown on', 'relatedTo');
		return {
			Note_Title: title.slice(0, 120),
			Note_Content: withDedupeMarker(input.body, input.dedupeKey),
			...relatedFields('Notes', [parent]),
			...(input.ownerId ? { Owner: { id: input.ownerId } } : {}),
		};
	}

	private titleOf(input: MessageInput): string {
		if (input.channel === 'email') return `Email: ${input.subject ?? '(no subject)'}`;
		return input.subject ?? 'Note';
	}

	async log(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const prepared = prepareItems(inputs, (input) => this.noteBody(input, this.titleOf(input)));
		const written = await this.client.write('POST', '/Notes', prepared.valid, {
			check: (i) => `look for the note "${String(prepared.valid[i].Note_Title)}" on the record in Zoho CRM before running this item again.`,
		});
		let next = 0;
		const validInputs = inputs.filter((_, i) => typeof prepared.slots[i] === 'number');
		const messages = written.map((w): ItemResult<Message> => {
			const input = validInputs[next++];
			return w.ok ? { ok: true, value: this.toMessage(input, String(w.value.details?.id), { ...prepared.valid[next - 1], ...w.value.details }, input.channel, input.channel === 'email' ? 'outbound' : 'internal') } : w;
		});
		return mergeItems(prepared.slots, messages);
	}

	private allowedFrom(): Promise<FromAddress[]> {
		this.fromAddresses ??= this.transport
			.request<{ from_addresses?: FromAddress[] }>({ method: 'GET', path: '/settings/emails/actions/from_addresses', idempotent: true })
			.then(({ body }) => (Array.isArray(body?.from_addresses) ? body.from_addresses.filter((a) => a && typeof a.email === 'string') : []));
		this.fromAddresses.catch(() => (this.fromAddresses = undefined));
		return this.fromAddresses;
	}

	async deliver(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const addresses = await this.allowedFrom();
		return mapLimit(inputs, ZOHO_CONCURRENCY, async (input): Promise<ItemResult<Message>> => {
			try {
				return { ok: true, value: await this.sendOne(input, addresses) };
			} catch (error) {
				return { ok: false, error: error as Error };
			}
		});
	}

	private async sendOne(input: MessageInput, addresses: FromAddress[]): Promise<Message> {
		if (input.channel !== 'email') throw new CrmInputError(`Zoho CRM sends email only, not ${input.channel}`, 'channel');
		const record = input.related.find((r) => r.type !== 'note' && r.type !== 'message');
		if (!record) throw new CrmInputError('A Zoho email is sent from a record', 'relatedTo', 'Link the message to a lead, contact, deal or ticket.');
		const wanted = input.from?.trim().toLowerCase();
		const from = wanted ? addresses.find((a) => a.email.toLowerCase() === wanted) : (addresses.find((a) => a.default) ?? addresses[0]);
		if (!from) {
			throw new CrmInputError(
				wanted ? `"${input.from}" is not an allowed From address of this Zoho user` : 'This Zoho user has no From address to send with',
				'from',
				addresses.length ? `Allowed: ${addresses.map((a) => a.email).join(', ')}.` : 'Add one in Zoho: Setup → Channels → Email → Email Configuration (from addresses).',
			);
		}
		const to = (input.to ?? []).filter(Boolean);
		if (to.length === 0) throw new CrmInputError('The email has no recipient', 'to');
		if (to.length > 50) throw new CrmInputError(`Zoho sends to at most 50 addresses, not ${to.length}`, 'to');
		const module = MODULE_OF[record.type];
		const mail = {
			from: { user_name: from.user_name ?? from.email, email: from.email },
			to: to.map((email) => ({ email })),
			subject: input.subject ?? '',
			content: input.body,
			mail_format: /<\/?[a-z][\s\S]*>/i.test(input.body) ? 'html' : 'text',
			...(input.templateId ? { template: { id: input.templateId } } : {}),
		};
		const entry = await this.transport
			.request<{ data?: Array<Record<string, unknown>> }>({
				method: 'POST',
				path: `/${module}/${encodeURIComponent(record.id)}/actions/send_mail`,
				body: { data: [mail] },
			})
			.then(
				({ body }) => body?.data?.[0],
				(error: unknown) =>
					Promise.reject(
						outcomeUnknown(error) ? CrmUnknownOutcomeError.of(error, ZOHO, `check the Emails list of ${module} ${record.id} in Zoho CRM for "${input.subject ?? ''}" before sending again.`) : error,
					),
			);
		if (!entry || entry.status !== 'success') {
			throw new CrmApiError(ZOHO, { message: `Zoho CRM did not send the email: ${String(entry?.message ?? entry?.code ?? 'no answer')}`, code: typeof entry?.code === 'string' ? entry.code : undefined, body: entry });
		}
		const details = (entry.details ?? {}) as Record<string, unknown>;
		const id = String(details.message_id ?? details.id ?? '');
		if (input.dedupeKey) {
			// Best effort: the email is sent; a failed marker note only weakens the dedupe.
			await this.client.write('POST', '/Notes', [this.noteBody({ ...input, body: `Email sent: ${input.subject ?? ''}`, related: [record] }, `Email sent: ${input.subject ?? ''}`)], { check: () => '' }).catch(() => undefined);
		}
		return { ...this.toMessage(input, id, entry, 'email', 'outbound'), from: from.email, url: this.recordUrl(module, record.id) };
	}

	async findByDedupeKey(requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>): Promise<Map<string, Message>> {
		const found = new Map<string, Message>();
		const byRecord = new Map<string, { ref: RelatedRef; keys: Map<string, string> }>();
		for (const request of requests) {
			const ref = request.related[0];
			if (!ref) continue;
			const id = `${ref.type}:${ref.id}`;
			if (!byRecord.has(id)) byRecord.set(id, { ref, keys: new Map() });
			byRecord.get(id)!.keys.set(dedupeHash(request.key), request.key);
		}
		await mapLimit([...byRecord.values()], ZOHO_CONCURRENCY, async ({ ref, keys }) => {
			const module = MODULE_OF[ref.type];
			const { data } = await this.client.list('Notes', { fields: 'Note_Title,Note_Content,Created_Time,Parent_Id', per_page: NOTES_SCANNED, sort_by: 'Created_Time', sort_order: 'desc' }, `/${module}/${encodeURIComponent(ref.id)}/Notes`);
			for (const note of data as ZohoRecord[]) {
				const hash = dedupeHashIn(note.Note_Content);
				const key = hash ? keys.get(hash) : undefined;
				if (!key || found.has(key)) continue;
				const title = String(note.Note_Title ?? '');
				const channel: MessageChannel = /^Email( sent)?: /.test(title) ? 'email' : 'note';
				found.set(key, {
					id: String(note.id),
					provider: PROVIDER_ID,
					url: this.recordUrl('Notes', String(note.id)),
					channel,
					direction: channel === 'email' ? 'outbound' : 'internal',
					subject: title.replace(/^Email( sent)?: /, ''),
					body: withoutDedupeMarker(note.Note_Content),
					related: [ref],
					createdAt: iso(note.Created_Time),
					raw: note,
				});
			}
		});
		return found;
	}
}
