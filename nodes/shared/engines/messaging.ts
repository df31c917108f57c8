import type { Contact, Lead, Message } from '../model/types';
import type { CrmProvider, ItemResult, MessageInput } from '../contract/provider';
import { requireMessageChannel } from '../contract/capabilities';
import { CrmInputError } from '../transport/errors';
import { checkValidation, perItem, writeValid } from './batch';
import { isEmail } from '../model/parse';
import { checkOwnerIds } from './records';
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

/** (Kept for callers of the engine; the one email check is parse.ts's.) */
export function isValidEmail(email: string): boolean {
	return isEmail(email);
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
	// The person each message goes to: its contact, else its lead (whose own opt-outs count).
	const recipientOf = (related: SendMessageRequest['related']) =>
		related.find((ref) => ref.type === 'contact') ?? related.find((ref) => ref.type === 'lead');
	const recipients = new Map<string, Contact | Lead>();
	const recipientErrors = new Map<string, Error>();
	for (const type of ['contact', 'lead'] as const) {
		const ids = [...new Set(requests.map((r) => recipientOf(r.related)).filter((ref) => ref?.type === type).map((ref) => ref!.id))];
		if (!ids.length || !(provider.capabilities.records[type] ?? []).includes('get')) continue;
		const read = await provider.getRecords(type, ids);
		read.forEach((r, i) => (r.ok ? recipients.set(`${type}:${ids[i]}`, r.value as Contact | Lead) : recipientErrors.set(`${type}:${ids[i]}`, r.error)));
	}

	const checked = await perItem(requests, (request) => {
		requireMessageChannel(provider, request.channel, request.delivery);
		if (!request.body?.trim()) throw new CrmInputError('The message body is empty', 'body');
		if (request.related.length === 0) {
			throw new CrmInputError('The message is not linked to any record', 'relatedTo', 'Set the record type and id to show the message on.');
		}
		const recipientRef = recipientOf(request.related);
		const key = recipientRef ? `${recipientRef.type}:${recipientRef.id}` : '';
		if (recipientErrors.has(key)) throw recipientErrors.get(key)!;
		const recipient = recipients.get(key);
		let to = (request.to ?? []).map((t) => t.trim()).filter(Boolean);
		if (request.channel === 'email') {
			if (to.length === 0 && recipient?.email) to = [recipient.email];
			if (to.length === 0) {
				throw new CrmInputError('The email has no recipient', 'to', 'Set "To" or link the message to a contact or lead that has an email.');
			}
			const bad = to.find((t) => !isValidEmail(t));
			if (bad) throw new CrmInputError(`"${bad}" is not a valid email address`, 'to', 'Use addresses such as ana@example.com, separated by commas.');
		}
		if (request.from !== undefined && !isValidEmail(request.from)) {
			throw new CrmInputError(`"${request.from}" is not a valid email address`, 'from', 'Use the sender\'s address only, such as ana@example.com.');
		}
		let skipReason: string | undefined;
		const optedOut = recipient?.optedOut;
		const who = recipientRef?.type === 'lead' ? 'Lead' : 'Contact';
		if (optedOut && request.channel !== 'note' && !request.ignoreOptOut) {
			const flag = request.channel === 'email' ? 'email' : 'phone';
			if (request.channel === 'email' && optedOut.email) skipReason = `${who} has opted out of email`;
			else if (request.channel !== 'email' && optedOut.phone) skipReason = `${who} does not want to be called or texted`;
			else if (optedOut.all) skipReason = `${who} has opted out of all communication`;
			else if (optedOut.unknown?.includes(flag)) {
				// Not knowing is not consent: the message waits until the flag can be read.
				skipReason =
					`Opt-out unknown: the CRM does not let this user read whether the ${who.toLowerCase()} opted out of ${flag === 'email' ? 'email' : 'calls and texts'}. ` +
					`Give the user read access to that field (${provider.fieldAccessHint ?? 'the field permissions of their role'}), or turn on "Ignore Opt-Out" for transactional messages.`;
			}
		}
		return { request: { ...request, to }, skipReason };
	});
	const owned = await checkOwnerIds(provider, checked, (c) => c.request.ownerId);
	checkValidation(owned, options);

	return writeValid(owned, async (valid) => {
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
