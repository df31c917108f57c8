/**
 * Redaction of secrets from any text that leaves the package (error messages, descriptions,
 * Continue-On-Fail items). Vendors and gateways echo requests in their error answers (headers,
 * bodies, query strings), so redaction works twice over:
 * - by value: the credential's own secrets, registered when a provider is built (and their
 *   base64 / URL-encoded forms, as in `Basic user:password` or a query string);
 * - by shape: authorization headers and schemes, JWTs (a signed assertion or an id token),
 *   token / key / password fields in JSON, form or query syntax, and the vendors' token formats
 *   (HubSpot private app tokens, Salesforce session ids), for tokens the package never saw
 *   (a token n8n renewed during the run).
 */

const REDACTED = '[redacted]';

/** Secrets by value, longest first (so a secret that contains another is replaced whole). */
let secrets: string[] = [];
const MAX_SECRETS = 500;

/** Values shorter than this are not redacted by value: too many false hits ("1", "true"). */
const MIN_SECRET_LENGTH = 6;

function base64Bytes(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function base64(text: string): string {
	return base64Bytes(new TextEncoder().encode(text));
}

/** The base64 text that every encoding of `prefix + anything` starts with. */
function base64Prefix(prefix: string): string {
	const bytes = new TextEncoder().encode(prefix);
	return base64Bytes(bytes.subarray(0, bytes.length - (bytes.length % 3)));
}

/** Remembers secret values (and their encoded forms) for the life of the process. */
export function registerSecrets(values: ReadonlyArray<unknown>): void {
	const found = new Set(secrets);
	for (const value of values) {
		if (typeof value !== 'string') continue;
		const text = value.trim();
		if (text.length < MIN_SECRET_LENGTH) continue;
		found.add(text);
		found.add(encodeURIComponent(text));
		found.add(base64(text));
		// A header such as EspoCRM's X-Hmac-Authorization is base64(key + ":" + signature).
		const prefix = base64Prefix(`${text}:`);
		if (prefix.length >= 8) found.add(prefix);
		// A PEM key echoed line by line.
		for (const line of text.split(/\r?\n/)) if (line.trim().length >= 16) found.add(line.trim());
	}
	secrets = [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length).slice(0, MAX_SECRETS);
}

/** Registers the `user:password` pair of a basic-auth credential (its header is base64 of both). */
export function registerBasicAuth(user: unknown, password: unknown): void {
	if (typeof user !== 'string' || typeof password !== 'string' || !password) return;
	registerSecrets([password, `${user}:${password}`, base64(`${user}:${password}`)]);
}

/** Credential fields whose values are secrets (n8n credential data, incl. OAuth2 token data). */
const SECRET_FIELD = /token|secret|password|key|assertion/i;

/** Registers every secret of a credential as n8n hands it to the node. */
export function registerCredentialSecrets(credentials: Record<string, unknown>): void {
	const values: unknown[] = [];
	const walk = (object: Record<string, unknown>, depth: number) => {
		for (const [key, value] of Object.entries(object)) {
			if (typeof value === 'string' && SECRET_FIELD.test(key) && !/^(tokenType|token_type|apiVersion)$/i.test(key)) values.push(value);
			else if (value && typeof value === 'object' && depth < 3) walk(value as Record<string, unknown>, depth + 1);
		}
	};
	walk(credentials, 0);
	registerSecrets(values);
	registerBasicAuth(credentials.username ?? credentials.user, credentials.password);
}

/** For tests. */
export function forgetSecrets(): void {
	secrets = [];
}

/** Names of fields, headers and parameters whose value is a secret. */
const SECRET_NAME =
	'(?:authorization|proxy-authorization|x-api-key|x-hmac-authorization|espo-authorization|x-auth-token|api[_-]?key|apikey|secret[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|accesstoken|refreshtoken|client[_-]?secret|assertion|password|passwd|private[_-]?key|privatekey|session[_-]?id|sessionid|token|secret|cookie|set-cookie)';

const SHAPES: Array<[RegExp, string]> = [
	// An auth scheme and its credential, wherever it stands.
	[/\b(Bearer)(\s+)[A-Za-z0-9._~+/=:!-]{6,}/gi, `$1$2${REDACTED}`],
	// Basic / OAuth / HMAC followed by an encoded value (a digit or padding in it: not a word).
	[/\b(Basic|OAuth|HMAC)(\s+)(?=[A-Za-z0-9._~+/=:!-]*[\d=])[A-Za-z0-9._~+/=:!-]{8,}/gi, `$1$2${REDACTED}`],
	// JSON (also escaped inside a JSON string) or JS-object style: "name": "value" / 'name': 'value'.
	[new RegExp(`((?:\\\\?["'])[\\w-]*${SECRET_NAME}(?:\\\\?["'])\\s*:\\s*)(\\\\?["'])((?:(?!\\2).)*)\\2`, 'gi'), `$1$2${REDACTED}$2`],
	// Header, form, query or log style: name: value / name=value (up to a separator).
	[new RegExp(`(\\b${SECRET_NAME}\\b\\s*[:=]\\s*)(?!(?:(?:Bearer|Basic|OAuth|Digest|HMAC|Token)\\s+)?\\[redacted\\])(?:(?:Bearer|Basic|OAuth|Digest|HMAC|Token)\\s+)?[^\\s&,;"'<>}\\]\\[]+`, 'gi'), `$1${REDACTED}`],
	// A JWT (header.payload.signature, base64url; the header always starts with eyJ = '{"').
	[/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
	// HubSpot private app / OAuth tokens (pat-na1-…, CN…), Salesforce session ids (00D…!…).
	[/\bpat-[a-z]{2,3}\d?-[A-Za-z0-9-]{8,}/gi, REDACTED],
	[/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}/g, REDACTED],
];

/** The text with every known secret and secret-shaped value replaced by "[redacted]". */
export function redact(text: string): string {
	if (!text) return text;
	let out = text;
	for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
	for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
	return out;
}

/** A JSON value with every string redacted, and values of secret-named keys dropped. */
export function redactDeep(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return redact(value);
	if (depth > 20 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		out[key] = new RegExp(`^${SECRET_NAME}$`, 'i').test(key) && typeof v === 'string' ? REDACTED : redactDeep(v, depth + 1);
	}
	return out;
}
