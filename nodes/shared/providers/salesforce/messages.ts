/**
 * Messages on Salesforce:
 * - logged: email, SMS and WhatsApp become a completed Task on the record (email with
 *   `TaskSubtype = Email`, so the timeline shows it as an email); a note becomes a Note
 *   (`ParentId`, `Title`, `Body`; Object Reference, Note). Logging never sends anything.
 * - sent (email only): the `emailSimple` standard invocable action
 *   (https://developer.salesforce.com/docs/atlas.en-us.api_action.meta/api_action/actions_obj_email_simple.htm),
 *   then logged as above. Its recipient input changed names across API versions
 *   (`emailAddresses` up to v61, `recipientAddresses` from v65), so the action's describe is read
 *   once and the input it lists is used. Recipients per email: 5 up to v61, 150 from v62.
 *   `logEmailOnSend` stays off: the completed Task carries the dedupe marker instead, so one email
 *   shows once on the timeline.
 * Dedupe: a marker line `[crm-dedupe:<hash>]` at the end of the Task description / Note body.
 * Long text fields cannot be filtered in SOQL, so the record's recent tasks and notes are read and
 * the marker is looked for here.
 */
import { createHash } from 'crypto';

import type { Message, MessageChannel, RelatedRef } from '../../model/types';
import { CrmApiError, CrmInputError } from '../../transport/errors';
import { chunk } from '../../transport/pagination';
import type { ItemResult, MessageInput } from '../../contract/provider';
import { mergeItems, prepareItems } from '../itemSlots';
import type { SalesforceApi } from './api';
import type { SObjectRecord } from './mapping';
import { PROVIDER_ID, relatedFields, resourceOfId, timeMs } from './mapping';
import type { TaskStatuses } from './metadata';
import { soql, soqlIn } from './soql';

const MARKER = /\n?\[crm-dedupe:([0-9a-f]{32})\]\s*$/;
/** Inputs per emailSimple call: the limit is not documented, so calls stay small. */
const EMAILS_PER_CALL = 10;
const CHANNEL_LABEL: Record<MessageChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp message', note: 'Note' };

export function dedupeHash(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function withMarker(body: string, key: string | undefined): string {
	return key ? `${body}\n[crm-dedupe:${dedupeHash(key)}]` : body;
}

function today(sentAt?: string): string {
	const ms = sentAt ? Date.parse(sentAt) : Date.now();
	return new Date(Number.isNaN(ms) ? Date.now() : ms).toISOString().slice(0, 10);
}

interface ActionResult {
	isSuccess?: boolean;
	errors?: Array<{ statusCode?: string; message?: string }> | null;
}

export class SalesforceMessages {
	private recipientInput?: Promise<{ name: string; max: number }>;

	constructor(
		private readonly api: SalesforceApi,
		private readonly instanceUrl: string,
		private readonly taskStatuses: () => Promise<TaskStatuses>,
	) {}

	/** Writes each message as a completed Task or a Note; one result per input. */
	async log(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const statuses = await this.taskStatuses();
		const { valid, slots } = prepareItems(inputs, (input) => this.record(input, statuses.completed));
		const created = await this.api.create(valid.map((v) => ({ type: v.type, fields: v.fields })));
		return mergeItems(
			slots,
			created.map((result, i): ItemResult<Message> => (result.ok ? { ok: true, value: this.message(valid[i].input, result.value, valid[i].type) } : result)),
		);
	}

	private record(input: MessageInput, completedStatus: string): { type: string; fields: Record<string, unknown>; input: MessageInput } {
		const body = withMarker(input.body, input.dedupeKey);
		if (input.channel === 'note') {
			const parent = relatedFields(input.related.slice(0, 1), 'ParentId');
			const title = (input.subject || input.body.split('\n')[0] || 'Note').slice(0, 80);
			return { type: 'Note', input, fields: { ...parent, Title: title, Body: body, ...(input.ownerId ? { OwnerId: input.ownerId } : {}) } };
		}
		const subject = input.channel === 'email' ? input.subject || '(no subject)' : `${CHANNEL_LABEL[input.channel]}${input.to?.length ? ` to ${input.to.join(', ')}` : ''}`;
		return {
			type: 'Task',
			input,
			fields: {
				...relatedFields(input.related),
				Subject: subject.slice(0, 255),
				Description: body,
				Status: completedStatus,
				ActivityDate: today(input.sentAt),
				...(input.channel === 'email' ? { TaskSubtype: 'Email' } : {}),
				...(input.ownerId ? { OwnerId: input.ownerId } : {}),
			},
		};
	}

	private message(input: MessageInput, id: string, sobject: string): Message {
		return {
			id,
			provider: PROVIDER_ID,
			url: `${this.instanceUrl.replace(/\/+$/, '')}/lightning/r/${sobject}/${id}/view`,
			channel: input.channel,
			direction: input.channel === 'note' ? 'internal' : 'outbound',
			subject: input.subject,
			body: input.body,
			to: input.to,
			from: input.from,
			sentAt: input.sentAt ?? new Date().toISOString(),
			related: input.related,
			raw: {},
		};
	}

	/** The recipient input this org's emailSimple takes, and how many recipients it allows. */
	private recipients(): Promise<{ name: string; max: number }> {
		this.recipientInput ??= this.api.describeAction('emailSimple').then((describe) => {
			const names = new Set((describe.inputs ?? []).map((i) => i.name));
			if (names.has('recipientAddresses')) return { name: 'recipientAddresses', max: 150 };
			return { name: 'emailAddresses', max: Number(this.api.apiVersion) >= 62 ? 150 : 5 };
		});
		return this.recipientInput;
	}

	/** Sends emails through emailSimple, then logs each sent one as a completed Task. */
	async deliver(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>> {
		const recipients = await this.recipients();
		const { valid, slots } = prepareItems(inputs, (input) => {
			if (input.channel !== 'email') throw new CrmInputError(`Salesforce can send emails only, not ${input.channel}`, 'channel');
			const to = input.to ?? [];
			if (to.length > recipients.max) {
				throw new CrmInputError(`Salesforce sends an email to at most ${recipients.max} recipients, this one has ${to.length}`, 'to', 'Split the recipients over several messages.');
			}
			if (input.templateId) throw new CrmInputError('Email templates are not supported on Salesforce in this node', 'templateId', 'Leave Template ID empty.');
			return {
				input,
				action: {
					[recipients.name]: to.join(','),
					emailSubject: input.subject || '(no subject)',
					emailBody: input.body,
					senderType: input.from ? 'OrgWideEmailAddress' : 'CurrentUser',
					...(input.from ? { senderAddress: input.from } : {}),
					// recipientId would add the record's own address as a second recipient; the
					// record link is the completed Task logged below.
					logEmailOnSend: false,
				},
			};
		});
		const sent: Array<ItemResult<MessageInput>> = [];
		for (const part of chunk(valid, EMAILS_PER_CALL)) {
			const outputs = await this.api.invokeAction<ActionResult>('emailSimple', part.map((p) => p.action));
			part.forEach((p, i) => {
				const output = outputs[i];
				if (output?.isSuccess) sent.push({ ok: true, value: p.input });
				else {
					const error = output?.errors?.[0];
					sent.push({
						ok: false,
						error: new CrmApiError('Salesforce', {
							message: error?.message ?? 'Salesforce did not send this email',
							code: error?.statusCode,
							hint: 'Check the sender (verified email or org-wide address) and the daily email limits (Setup → Company Information).',
						}),
					});
				}
			});
		}
		const okInputs = sent.filter((s): s is { ok: true; value: MessageInput } => s.ok).map((s) => s.value);
		const logged = okInputs.length ? await this.log(okInputs) : [];
		let next = 0;
		const results = sent.map((s): ItemResult<Message> => {
			if (!s.ok) return s;
			const log = logged[next++];
			if (log.ok) return log;
			return {
				ok: false,
				error: new CrmApiError('Salesforce', {
					message: `The email was sent, but logging it on the record failed: ${log.error.message}`,
					hint: 'Do not send it again; log it by hand or with Delivery "Log Only".',
				}),
			};
		});
		return mergeItems(slots, results);
	}

	/** Messages already on the related records with these dedupe keys. */
	async findByDedupeKey(requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>): Promise<Map<string, Message>> {
		const wanted = new Map(requests.map((r) => [dedupeHash(r.key), r]));
		const ids = [...new Set(requests.flatMap((r) => r.related.map((ref) => ref.id)))];
		const found = new Map<string, Message>();
		const consider = (row: SObjectRecord, sobject: 'Task' | 'Note', text: unknown) => {
			const hash = MARKER.exec(String(text ?? ''))?.[1];
			const request = hash ? wanted.get(hash) : undefined;
			if (!request || found.has(request.key)) return;
			const related = [row.WhoId, row.WhatId, row.ParentId].filter(Boolean).map((id) => ({ type: resourceOfId(String(id)) ?? 'note', id: String(id) })) as RelatedRef[];
			found.set(request.key, {
				id: String(row.Id),
				provider: PROVIDER_ID,
				url: `${this.instanceUrl.replace(/\/+$/, '')}/lightning/r/${sobject}/${row.Id}/view`,
				channel: request.channel,
				direction: request.channel === 'note' ? 'internal' : 'outbound',
				subject: String(row.Subject ?? row.Title ?? '') || undefined,
				body: String(text ?? '').replace(MARKER, ''),
				sentAt: Number.isFinite(timeMs(row.CreatedDate)) ? new Date(timeMs(row.CreatedDate)).toISOString() : undefined,
				related,
				raw: row as Record<string, unknown>,
			});
		};
		for (const part of chunk(ids, 100)) {
			const who = part.filter((id) => ['lead', 'contact'].includes(resourceOfId(id) ?? ''));
			const what = part.filter((id) => !who.includes(id));
			const where = [who.length ? soqlIn('WhoId', who) : '', what.length ? soqlIn('WhatId', what) : ''].filter(Boolean).join(' OR ');
			if (where) {
				const tasks = await this.api.queryAll(
					soql({ select: ['Id', 'Subject', 'Description', 'WhoId', 'WhatId', 'CreatedDate'], from: 'Task', where, orderBy: 'CreatedDate DESC', limit: 2000 }),
				);
				for (const row of tasks) consider(row, 'Task', row.Description);
			}
			const notes = await this.api.queryAll(
				soql({ select: ['Id', 'Title', 'Body', 'ParentId', 'CreatedDate'], from: 'Note', where: soqlIn('ParentId', part), orderBy: 'CreatedDate DESC', limit: 2000 }),
			);
			for (const row of notes) consider(row, 'Note', row.Body);
		}
		return found;
	}
}
