/* eslint-disable */
// A loopback HTTP proxy in front of any local sandbox that injects the faults real CRMs and their
// gateways produce: 429 with Retry-After, 500/503, a dropped connection, a hanging connection, and
// garbled 200 answers (truncated JSON, an HTML page). A fault either stops the request before the
// sandbox sees it (`phase: 'before'`: nothing was applied) or replaces the sandbox's real answer
// after it handled the request (`phase: 'after'`: a write was applied, its answer is lost).
// Tests point the provider's base URL at `proxy.url` and choose faults with a plan.
import * as http from 'node:http';

export type FaultKind = 'rateLimited' | 'serverError' | 'unavailable' | 'dropped' | 'hanging' | 'truncatedJson' | 'htmlPage';

export const FAULT_KINDS: readonly FaultKind[] = ['rateLimited', 'serverError', 'unavailable', 'dropped', 'hanging', 'truncatedJson', 'htmlPage'];

export interface Fault {
	kind: FaultKind;
	/** `before` (default): the sandbox never sees the request. `after`: it handles it, the answer is replaced. */
	phase?: 'before' | 'after';
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

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is temporarily unavailable.</p></body></html>';

export class FaultProxy {
	url = '';
	/** Every fault injected, in order. */
	readonly injected: InjectedFault[] = [];
	private plan: FaultPlan | undefined;
	private readonly server: http.Server;
	private readonly hanging = new Set<NodeJS.Timeout>();
	private readonly target: URL;

	constructor(private readonly options: FaultProxyOptions) {
		this.target = new URL(options.target);
		this.plan = options.plan;
		this.server = http.createServer((req, res) => void this.handle(req, res));
	}

	/** Replaces the plan (undefined: no faults). */
	setPlan(plan: FaultPlan | undefined): void {
		this.plan = plan;
	}

	/** Forgets the faults injected so far. */
	clear(): void {
		this.injected.length = 0;
	}

	/** Injected faults by kind. */
	counts(): Record<FaultKind, number> {
		const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
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

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const request: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
		const fault = this.plan?.(request);
		if (fault) this.injected.push({ ...fault, method: request.method, path: request.path.replace(/\?.*$/, '') });

		if (fault && (fault.phase ?? 'before') === 'before') {
			this.inject(fault.kind, req, res, undefined);
			return;
		}
		let answer: Answer;
		try {
			answer = await this.forward(req, body);
		} catch {
			req.socket.destroy();
			return;
		}
		if (fault) this.inject(fault.kind, req, res, answer);
		else send(res, answer.status, answer.headers, answer.body);
	}

	private inject(kind: FaultKind, req: http.IncomingMessage, res: http.ServerResponse, answer: Answer | undefined): void {
		switch (kind) {
			case 'rateLimited':
				send(res, 429, { 'content-type': 'application/json', 'retry-after': String(this.options.retryAfterSeconds ?? 0) }, Buffer.from('{"message":"Too many requests"}'));
				return;
			case 'serverError':
				send(res, 500, { 'content-type': 'application/json' }, Buffer.from('{"message":"Internal server error"}'));
				return;
			case 'unavailable':
				send(res, 503, { 'content-type': 'text/html' }, Buffer.from(HTML_PAGE));
				return;
			case 'dropped':
				req.socket.destroy();
				return;
			case 'hanging': {
				const timer = setTimeout(() => {
					this.hanging.delete(timer);
					req.socket.destroy();
				}, this.options.hangMs ?? 5000);
				this.hanging.add(timer);
				return;
			}
			case 'truncatedJson': {
				// The real answer (or, before the sandbox saw it, a plausible one) cut off mid-way.
				const full = answer?.body.length ? answer.body : Buffer.from('{"results":[{"id":"1","properties":{}}],"total":1}');
				send(res, 200, { 'content-type': 'application/json' }, full.subarray(0, Math.max(1, Math.floor(full.length / 2))));
				return;
			}
			case 'htmlPage':
				send(res, 200, { 'content-type': 'text/html' }, Buffer.from(HTML_PAGE));
				return;
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
						resolve({ status: response.statusCode ?? 502, headers: out, body: Buffer.concat(parts) });
					});
					response.on('error', reject);
				},
			);
			upstream.on('error', reject);
			upstream.end(body);
		});
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
