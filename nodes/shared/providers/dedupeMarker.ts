/**
 * The dedupe marker a provider writes into a logged message's text (`[crm-dedupe:<hash>]`), so a
 * retried execution finds the message instead of logging it twice. The hash hides the key (which
 * may hold customer data) and keeps the marker short.
 */
import { createHash } from 'crypto';

export function dedupeHash(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function dedupeMarker(key: string): string {
	return `[crm-dedupe:${dedupeHash(key)}]`;
}

/** The text with the marker of `key` appended on its own line (unchanged without a key). */
export function withDedupeMarker(text: string, key: string | undefined): string {
	return key ? `${text}\n\n${dedupeMarker(key)}` : text;
}

/** The hash of the marker in a text, if any. */
export function dedupeHashIn(text: unknown): string | undefined {
	return typeof text === 'string' ? /\[crm-dedupe:([0-9a-f]{32})\]/.exec(text)?.[1] : undefined;
}

/** The text without its marker. */
export function withoutDedupeMarker(text: unknown): string | undefined {
	return typeof text === 'string' ? text.replace(/\s*\[crm-dedupe:[0-9a-f]{32}\]\s*$/, '') : undefined;
}
