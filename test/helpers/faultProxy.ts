/* eslint-disable */
// A loopback HTTP proxy in front of any local sandbox that injects the faults real CRMs and their
// gateways produce: 429 with Retry-After, 500/502/503, a dropped connection, a hanging connection,
// garbled 200 answers (truncated JSON, an HTML page), and error answers that echo the request
// (headers, body, query) as vendors and gateways do. A fault either stops the request before the
// sandbox sees it (`phase: 'before'`: nothing was applied) or replaces the sandbox's real answer
// after it handled the request (`phase: 'after'`: a write was applied, its answer is lost).
// Faults come from a plan (a function of the request, e.g. seeded random) and from rules added
// one by one (method, path suffix, skip, times). The sandbox's origin in answers (Salesforce's
// instance_url, paging links) is rewritten to the proxy's, so the client keeps talking through it.
// Every credential value that passes through is collected, for the tests that check no error
// echoes one.
import * as http from 'node:http';

export type FaultKind =
	| 'rateLimited'
	| 'serverError'
	| 'unavailable'
	/** An HTML error page with the fault's `status` (default 502). */
	| 'status'
	| 'dropped'
	| 'hanging'
	| 'truncatedJson'
	| 'htmlPage'
	/** An error answer with the fault's `status` whose body repeats the request in `format`; never forwarded. */
	| 'echo';

/** The kinds a random plan draws from by default (the ones a gateway produces on its own). */
export const FAULT_KINDS: readonly FaultKind[] = ['rateLimited', 'serverError', 'unavailable', 'dropped', 'hanging', 'truncatedJson', 'htmlPage'];

export type EchoFormat = 'json' | 'text' | 'html' | 'nested';

export interface Fault {
	kind: FaultKind;
	/** `before` (default): the sandbox never sees the request. `after`: it handles it, the answer is replaced. */
	phase?: 'before' | 'after';
	/** Status of `status` and `echo` faults. */
	status?: number;
	/** Body format of `echo` faults (default json). */
	format?: EchoFormat;
}

/** A fault for requests matching method and path: the first `skip` pass, the next `times` (default 1) get it. */
export interface FaultRule {
	method?: string;
	/** The request path (without query) ends with this. */
	pathEndsWith: string;
	skip?: number;
	times?: number;
	fault: Fault;
}

export interface ProxiedRequest {
	method: string;
	/** Path and query, as sent. */
	path: string;
	body: string;
}

/** Decides the fault for one request; undefined lets it through untouched. */
export type FaultPlan = (request: ProxiedRequest) => Fault | undefined;

export interface FaultProxyOptions {
	/** The sandbox's base URL (scheme, host and port). */
	target: string;
	plan?: FaultPlan;
	/** Retry-After of injected 429s, in seconds (default 0: tests do not wait). */
	retryAfterSeconds?: number;
	/** How long a hanging connection stays open before the proxy gives up on it (default 5 s). */
	hangMs?: number;
}

export interface InjectedFault extends Fault {
	method: string;
	path: string;
}

/** One request through the proxy. */
export interface ProxyLogEntry {
	method: string;
	/** Path and query, as sent. */
	path: string;
	status: number | 'dropped' | 'hanging';
	fault?: FaultKind;
	/** The sandbox's own answer, when the request was forwarded. */
	upstreamStatus?: number;
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is temporarily unavailable.</p></body></html>';
const AUTH_HEADERS = ['authorization', 'x-api-key', 'x-api-token', 'x-hmac-authorization', 'espo-authorization'];

export class FaultProxy {
	url = '';
	/** Every fault injected, in order. */
	readonly injected: InjectedFault[] = [];
	/** Every request, in order. */
	readonly log: ProxyLogEntry[] = [];
	/** Every credential value that passed through: auth headers (whole and without the scheme), token-grant form fields. */
	readonly secretsSeen = new Set<string>();
	private plan: FaultPlan | undefined;
	private rules: Array<FaultRule & { seen: number; used: number }> = [];
	private readonly server: http.Server;
	private readonly hanging = new Set<NodeJS.Timeout>();
	private readonly target: URL;

	constructor(private readonly options: FaultProxyOptions) {
		this.target = new URL(options.target);
		this.plan = options.plan;
		this.server = http.createServer((req, res) => void this.handle(req, res));
	}

	/** The proxy's address (same as `url`). */
	get baseUrl(): string {
		return this.url;
	}

	/** Replaces the plan (undefined: no faults from a plan; rules stay). */
	setPlan(plan: FaultPlan | undefined): void {
		this.plan = plan;
	}

	/** Adds a fault rule; rules are asked before the plan. */
	add(rule: FaultRule): void {
		this.rules.push({ ...rule, seen: 0, used: 0 });
	}

	/** Forgets the rules, the faults injected and the log. */
	clear(): void {
		this.rules = [];
		this.injected.length = 0;
		this.log.length = 0;
	}

	/** Injected faults by kind. */
	counts(): Record<FaultKind, number> {
		const counts = Object.fromEntries([...FAULT_KINDS, 'status', 'echo'].map((k) => [k, 0])) as Record<FaultKind, number>;
		for (const fault of this.injected) counts[fault.kind]++;
		return counts;
	}

	async start(): Promise<this> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, '127.0.0.1', () => resolve());
		});
		const address = this.server.address() as { port: number };
		this.url = `http://127.0.0.1:${address.port}`;
		return this;
	}

	async stop(): Promise<void> {
		for (const timer of this.hanging) clearTimeout(timer);
		this.hanging.clear();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private faultFor(request: ProxiedRequest): Fault | undefined {
		const pathname = request.path.replace(/\?.*$/, '');
		const matching = this.rules.filter((r) => (!r.method || r.method.toUpperCase() === request.method.toUpperCase()) && pathname.endsWith(r.pathEndsWith));
		matching.forEach((rule) => rule.seen++);
		const rule = matching.find((r) => r.seen > (r.skip ?? 0) && r.used < (r.times ?? 1));
		if (rule) {
			rule.used++;
			return rule.fault;
		}
		return this.plan?.(request);
	}

	private collectSecrets(req: http.IncomingMessage, body: string): void {
		for (const name of AUTH_HEADERS) {
			const value = req.headers[name];
			if (typeof value !== 'string' || !value) continue;
			this.secretsSeen.add(value);
			const token = value.replace(/^(Bearer|Basic|OAuth|Zoho-oauthtoken)\s+/i, '');
			this.secretsSeen.add(token);
			if (/^Basic\s/i.test(value)) this.secretsSeen.add(Buffer.from(token, 'base64').toString('utf8'));
		}
		for (const [key, value] of new URLSearchParams(body)) {
			if (/assertion|secret|token|password|code/i.test(key) && value.length >= 6) this.secretsSeen.add(value);
		}
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const request: ProxiedRequest = { method: (req.method ?? 'GET').toUpperCase(), path: req.url ?? '/', body: body.toString('utf8') };
		this.collectSecrets(req, request.body);
		const fault = this.faultFor(request);
		if (fault) this.injected.push({ ...fault, method: request.method, path: request.path.replace(/\?.*$/, '') });
		const entry: ProxyLogEntry = { method: request.method, path: request.path, status: 0, ...(fault ? { fault: fault.kind } : {}) };
		this.log.push(entry);

		if (fault && (fault.kind === 'echo' || (fault.phase ?? 'before') === 'before')) {
			entry.status = this.inject(fault, req, res, request, undefined);
			return;
		}
		let answer: Answer;
		try {
			answer = await this.forward(req, body);
		} catch {
			entry.status = 'dropped';
			req.socket.destroy();
			return;
		}
		entry.upstreamStatus = answer.status;
		if (fault) {
			entry.status = this.inject(fault, req, res, request, answer);
			return;
		}
		entry.status = answer.status;
		send(res, answer.status, answer.headers, answer.body);
	}

	private inject(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse, request: ProxiedRequest, answer: Answer | undefined): ProxyLogEntry['status'] {
		switch (fault.kind) {
			case 'rateLimited':
				send(res, 429, { 'content-type': 'application/json', 'retry-after': String(this.options.retryAfterSeconds ?? 0) }, Buffer.from('{"message":"Too many requests"}'));
				return 429;
			case 'serverError':
				send(res, 500, { 'content-type': 'application/json' }, Buffer.from('{"message":"Internal server error"}'));
				return 500;
			case 'unavailable':
				send(res, 503, { 'content-type': 'text/html' }, Buffer.from(HTML_PAGE));
				return 503;
			case 'status': {
				const status = fault.status ?? 502;
				send(res, status, { 'content-type': 'text/html' }, Buffer.from(`<html><body><h1>${status} Bad Gateway</h1></body></html>`));
				return status;
			}
			case 'echo': {
				const status = fault.status ?? 400;
				const echoed = echoBody(req, request, fault.format ?? 'json');
				send(res, status, { 'content-type': echoed.type, 'www-authenticate': `Bearer error="invalid_token", echo="${String(req.headers.authorization ?? '')}"` }, Buffer.from(echoed.text));
				return status;
			}
			case 'dropped':
				req.socket.destroy();
				return 'dropped';
			case 'hanging': {
				const timer = setTimeout(() => {
					this.hanging.delete(timer);
					req.socket.destroy();
				}, this.options.hangMs ?? 5000);
				this.hanging.add(timer);
				return 'hanging';
			}
			case 'truncatedJson': {
				// The real answer (or, before the sandbox saw it, a plausible one) cut off mid-way.
				const full = answer?.body.length ? answer.body : Buffer.from('{"results":[{"id":"1","properties":{}}],"total":1}');
				send(res, 200, { 'content-type': 'application/json' }, full.subarray(0, Math.max(1, Math.floor(full.length / 2))));
				return 200;
			}
			case 'htmlPage':
				send(res, 200, { 'content-type': 'text/html' }, Buffer.from(HTML_PAGE));
				return 200;
		}
	}

	private forward(req: http.IncomingMessage, body: Buffer): Promise<Answer> {
		return new Promise((resolve, reject) => {
			const headers = { ...req.headers, host: this.target.host };
			delete headers['content-length'];
			const upstream = http.request(
				{ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: { ...headers, 'content-length': String(body.length) } },
				(response) => {
					const parts: Buffer[] = [];
					response.on('data', (part: Buffer) => parts.push(part));
					response.on('end', () => {
						const out: Record<string, string> = {};
						for (const [name, value] of Object.entries(response.headers)) {
							if (value === undefined || name === 'content-length' || name === 'transfer-encoding' || name === 'connection') continue;
							out[name] = Array.isArray(value) ? value.join(', ') : value;
						}
						resolve({ status: response.statusCode ?? 502, headers: out, body: this.rewriteOrigin(Buffer.concat(parts)) });
					});
					response.on('error', reject);
				},
			);
			upstream.on('error', reject);
			upstream.end(body);
		});
	}

	/** The sandbox's own address in an answer becomes the proxy's. */
	private rewriteOrigin(body: Buffer): Buffer {
		const origin = this.target.origin;
		const text = body.toString('utf8');
		return text.includes(origin) ? Buffer.from(text.split(origin).join(this.url)) : body;
	}
}

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
}

function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
	res.writeHead(status, { ...headers, 'content-length': String(body.length) });
	res.end(body);
}

/** An error answer that repeats the request back, the ways vendors and gateways do. */
function echoBody(req: http.IncomingMessage, request: ProxiedRequest, format: EchoFormat): { type: string; text: string } {
	const headers = req.headers;
	const url = new URL(request.path, 'http://proxy.local');
	const query = Object.fromEntries(url.searchParams.entries());
	const body = request.body;
	const headerLines = Object.entries(headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n');
	switch (format) {
		case 'json':
			// HubSpot / EspoCRM style error object with the request in its message and context.
			return {
				type: 'application/json',
				text: JSON.stringify({
					status: 'error',
					message: `Invalid request ${request.method} ${url.pathname}?${url.search.slice(1)} with headers ${JSON.stringify(headers)} and body ${body}`,
					category: 'VALIDATION_ERROR',
					correlationId: 'echo-1',
					context: { headers, query, body },
				}),
			};
		case 'nested':
			// Salesforce style: a list of errors, the request in message and fields.
			return {
				type: 'application/json',
				text: JSON.stringify([{ errorCode: 'INVALID_SESSION_ID', message: `Session expired or invalid: Authorization: ${String(headers.authorization ?? '')}; request ${body}`, fields: [String(headers.authorization ?? ''), JSON.stringify(query)] }]),
			};
		case 'text':
			return { type: 'text/plain', text: `Bad request\n${request.method} ${url.pathname}${url.search}\n${headerLines}\n\n${body}` };
		case 'html':
			return { type: 'text/html', text: `<html><body><h1>Error</h1><pre>${headerLines}</pre><pre>${url.search}</pre><pre>${body}</pre></body></html>` };
	}
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
	return new FaultProxy(options).start();
}

/**
 * A plan that injects a fault into a share `rate` of the matching requests, drawn from `kinds` with
 * `random` (seeded in tests, so a failing run replays). `phase` picks before/after per fault.
 */
export function randomFaultPlan(options: {
	random: () => number;
	rate: number;
	kinds?: readonly FaultKind[];
	/** Share of faults injected after the sandbox applied the request (default 0.5). */
	afterShare?: number;
	matches?: (request: ProxiedRequest) => boolean;
}): FaultPlan {
	const kinds = options.kinds ?? FAULT_KINDS;
	return (request) => {
		if (options.matches && !options.matches(request)) return undefined;
		if (options.random() >= options.rate) return undefined;
		const kind = kinds[Math.floor(options.random() * kinds.length)];
		return { kind, phase: options.random() < (options.afterShare ?? 0.5) ? 'after' : 'before' };
	};
}

/**
 * Gives a test's stand-in for n8n's request helper the helper's timeout: after `ms` it fails with
 * ECONNABORTED, as n8n's (axios) helper does, while the hanging request is left to the proxy.
 */
export function withTimeout<A, R>(send: (options: A) => Promise<R>, ms: number): (options: A) => Promise<R> {
	return (options) => {
		const sent = send(options);
		sent.catch(() => undefined);
		return new Promise<R>((resolve, reject) => {
			const timer = setTimeout(() => reject(Object.assign(new Error(`timeout of ${ms}ms exceeded`), { code: 'ECONNABORTED' })), ms);
			sent.then(
				(value) => {
					clearTimeout(timer);
					resolve(value);
				},
				(error: unknown) => {
					clearTimeout(timer);
					reject(error);
				},
			);
		});
	};
}
