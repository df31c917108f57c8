import type { Contact, Message } from '../model/types';
import type { CrmProvider, ItemResult, MessageInput } from '../providers/Provider';
import { requireMessageChannel } from '../providers/registry';
import { CrmInputError } from '../transport/errors';
import { checkValidation, perItem, writeValid } from './batch';
import type { RunOptions } from './batch';

export interface SendMessageRequest extends MessageInput {
	/** Transactional messages (receipts, password resets) may go to opted-out contacts. */
	ignoreOptOut: boolean;
}

export type Delivery = 'sent' | 'logged' | 'skipped' | 'duplicate';

export interface SendMessageResult {
	delivery: Delivery;
	reason?: string;
	message?: Message;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function isValidEmail(email: string): boolean {
	return EMAIL.test(email.trim());
}

/**
 * Sends or logs messages: checks each recipient contact's opt-out flags (skipping opted-out
 * contacts, with the reason, unless the message is transactional), skips messages whose dedupe
 * key is already on the record (a retried execution), then writes the rest in batches.
 */
export async function sendMessages(
	provider: CrmProvider,
	requests: SendMessageRequest[],
	options: RunOptions,
): Promise<Array<ItemResult<SendMessageResult>>> {
	const contactIds = [
		...new Set(requests.flatMap((r) => r.related.filter((ref) => ref.type === 'contact').map((ref) => ref.id))),
	];
	const contacts = new Map<string, Contact>();
	const contactErrors = new Map<string, Error>();
	if (contactIds.length) {
		const read = await provider.getRecords('contact', contactIds);
		read.forEach((r, i) => (r.ok ? contacts.set(contactIds[i], r.value as Contact) : contactErrors.set(contactIds[i], r.error)));
	}

	const checked = await perItem(requests, (request) => {
		requireMessageChannel(provider, request.channel, request.delivery);
		if (!request.body?.trim()) throw new CrmInputError('The message body is empty', 'body');
		if (request.related.length === 0) {
			throw new CrmInputError('The message is not linked to any record', 'relatedTo', 'Set the record type and id to show the message on.');
		}
		const contactRef = request.related.find((ref) => ref.type === 'contact');
		const contact = contactRef ? contacts.get(contactRef.id) : undefined;
		if (contactRef && contactErrors.has(contactRef.id)) throw contactErrors.get(contactRef.id)!;
		let to = (request.to ?? []).map((t) => t.trim()).filter(Boolean);
		if (request.channel === 'email') {
			if (to.length === 0 && contact?.email) to = [contact.email];
			if (to.length === 0) {
				throw new CrmInputError('The email has no recipient', 'to', 'Set "To" or link the message to a contact that has an email.');
			}
			const bad = to.find((t) => !isValidEmail(t));
			if (bad) throw new CrmInputError(`"${bad}" is not a valid email address`, 'to');
		}
		let skipReason: string | undefined;
		if (contact && request.channel !== 'note' && !request.ignoreOptOut) {
			if (request.channel === 'email' && contact.optedOut.email) skipReason = 'Contact has opted out of email';
			else if (request.channel !== 'email' && contact.optedOut.phone) skipReason = 'Contact does not want to be called or texted';
			else if (contact.optedOut.all) skipReason = 'Contact has opted out of all communication';
		}
		return { request: { ...request, to }, skipReason };
	});
	checkValidation(checked, options);

	return writeValid(checked, async (valid) => {
		const results: Array<ItemResult<SendMessageResult> | undefined> = valid.map((v) =>
			v.skipReason ? { ok: true, value: { delivery: 'skipped', reason: v.skipReason } } : undefined,
		);
		// Dedupe: keys already recorded in the CRM, and keys repeated within this batch.
		const keyed = valid.filter((v, i) => !results[i] && v.request.dedupeKey);
		const existing = keyed.length
			? await provider.findMessagesByDedupeKey(
					keyed.map((v) => ({ key: v.request.dedupeKey!, related: v.request.related, channel: v.request.channel })),
				)
			: new Map<string, Message>();
		const seenInBatch = new Set<string>();
		valid.forEach((v, i) => {
			const key = v.request.dedupeKey;
			if (results[i] || !key) return;
			const found = existing.get(key);
			if (found) {
				results[i] = { ok: true, value: { delivery: 'duplicate', reason: `Already recorded with dedupe key "${key}"`, message: found } };
			} else if (seenInBatch.has(key)) {
				results[i] = { ok: true, value: { delivery: 'duplicate', reason: `Dedupe key "${key}" repeats an earlier item` } };
			}
			seenInBatch.add(key);
		});

		for (const mode of ['log', 'send'] as const) {
			const indexes = valid.map((v, i) => i).filter((i) => !results[i] && valid[i].request.delivery === mode);
			if (!indexes.length) continue;
			const inputs = indexes.map((i) => valid[i].request);
			const written = mode === 'log' ? await provider.logMessages(inputs) : await provider.deliverMessages(inputs);
			indexes.forEach((index, j) => {
				const w = written[j];
				results[index] = w.ok ? { ok: true, value: { delivery: mode === 'log' ? 'logged' : 'sent', message: w.value } } : w;
			});
		}
		return results as Array<ItemResult<SendMessageResult>>;
	});
}
