/* eslint-disable */
// A loopback HTTP proxy in front of a CRM sandbox that injects the faults the sandboxes' own
// fault queue cannot: faults AFTER the CRM applied a write (the request reaches the sandbox, which
// writes; the client then gets a 502, a garbled or truncated body, or a dropped connection), and
// answers that echo the request (headers, body, query) as vendors and gateways do in errors.
// Everything else is forwarded as is; the sandbox's origin in answers (Salesforce's instance_url,
// paging links) is rewritten to the proxy's, so the client keeps talking through it.
import * as http from 'node:http';

export type WriteFault =
	/** Forwarded (applied), then answered with this status and a vendor-less error page. */
	| { kind: 'status'; status: number }
	/** Forwarded (applied), then answered 200 with the real body cut in half. */
	| { kind: 'truncated' }
	/** Forwarded (applied), then answered 200 with an HTML page (a gateway's). */
	| { kind: 'html' }
	/** Forwarded (applied), then the connection is dropped without an answer. */
	| { kind: 'drop' }
	/** Not forwarded: answered with this status and a body echoing the request in `format`. */
	| { kind: 'echo'; status: number; format: 'json' | 'text' | 'html' | 'nested' };

export interface FaultRule {
	method?: string;
	/** The request path (without query) ends with this. */
	pathEndsWith: string;
	/** Matching requests to let through untouched first. */
	skip?: number;
	/** How many matching requests get the fault (default 1). */
	times?: number;
	fault: WriteFault;
}

export interface ProxyLogEntry {
	method: string;
	path: string;
	status: number | 'dropped';
	fault?: WriteFault['kind'];
	/** The sandbox's own answer (when forwarded). */
	upstreamStatus?: number;
}

export class WriteFaultProxy {
	readonly log: ProxyLogEntry[] = [];
	/** Every credential value that passed through: auth headers (whole and without the scheme), token-grant form fields. */
	readonly secretsSeen = new Set<string>();
	private rules: Array<FaultRule & { seen: number; used: number }> = [];
	private server = http.createServer((req, res) => void this.handle(req, res));
	baseUrl = '';

	constructor(private readonly target: string) {}

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
		const address = this.server.address() as { port: number };
		this.baseUrl = `http://127.0.0.1:${address.port}`;
		return this;
	}

	stop(): Promise<void> {
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections?.();
		});
	}

	add(rule: FaultRule): void {
		this.rules.push({ ...rule, seen: 0, used: 0 });
	}

	clear(): void {
		this.rules = [];
		this.log.length = 0;
	}

	private take(method: string, path: string): WriteFault | undefined {
		const matching = this.rules.filter((rule) => (!rule.method || rule.method.toUpperCase() === method) && path.endsWith(rule.pathEndsWith));
		matching.forEach((rule) => rule.seen++);
		const rule = matching.find((r) => r.seen > (r.skip ?? 0) && r.used < (r.times ?? 1));
		if (!rule) return undefined;
		rule.used++;
		return rule.fault;
	}

	private collectSecrets(req: http.IncomingMessage, body: string): void {
		for (const name of ['authorization', 'x-api-key', 'x-api-token', 'x-hmac-authorization', 'espo-authorization']) {
			const value = req.headers[name];
			if (typeof value !== 'string' || !value) continue;
			this.secretsSeen.add(value);
			const token = value.replace(/^(Bearer|Basic|OAuth)\s+/i, '');
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
		const url = new URL(req.url ?? '/', this.baseUrl);
		const method = (req.method ?? 'GET').toUpperCase();
		const fault = this.take(method, url.pathname);
		this.collectSecrets(req, body.toString('utf8'));

		if (fault?.kind === 'echo') {
			const echoed = echoBody(req, url, body.toString('utf8'), fault.format);
			res.writeHead(fault.status, { 'content-type': echoed.type, 'www-authenticate': `Bearer error="invalid_token", echo="${String(req.headers.authorization ?? '')}"` });
			res.end(echoed.text);
			this.log.push({ method, path: url.pathname, status: fault.status, fault: fault.kind });
			return;
		}

		const upstream = await forward(this.target, req, url, body);
		const text = upstream.body.toString('utf8').split(this.target).join(this.baseUrl);
		if (!fault) {
			const headers = { ...upstream.headers };
			delete headers['content-length'];
			delete headers['transfer-encoding'];
			res.writeHead(upstream.status, headers);
			res.end(text);
			this.log.push({ method, path: url.pathname, status: upstream.status });
			return;
		}
		const entry = { method, path: url.pathname, fault: fault.kind, upstreamStatus: upstream.status };
		switch (fault.kind) {
			case 'status':
				res.writeHead(fault.status, { 'content-type': 'text/html' });
				res.end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
				this.log.push({ ...entry, status: fault.status });
				return;
			case 'truncated':
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
				this.log.push({ ...entry, status: 200 });
				return;
			case 'html':
				res.writeHead(200, { 'content-type': 'text/html' });
				res.end('<html><body>Service temporarily unavailable</body></html>');
				this.log.push({ ...entry, status: 200 });
				return;
			case 'drop':
				this.log.push({ ...entry, status: 'dropped' });
				req.socket.destroy();
				return;
		}
	}
}

function forward(target: string, req: http.IncomingMessage, url: URL, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
	const to = new URL(url.pathname + url.search, target);
	return new Promise((resolve, reject) => {
		const outgoing = http.request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
			const parts: Buffer[] = [];
			answer.on('data', (part: Buffer) => parts.push(part));
			answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(parts) }));
			answer.on('error', reject);
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

/** An error answer that repeats the request back, the ways vendors and gateways do. */
function echoBody(req: http.IncomingMessage, url: URL, body: string, format: 'json' | 'text' | 'html' | 'nested'): { type: string; text: string } {
	const headers = req.headers;
	const query = Object.fromEntries(url.searchParams.entries());
	const headerLines = Object.entries(headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n');
	switch (format) {
		case 'json':
			// HubSpot / EspoCRM style error object with the request in its message and context.
			return {
				type: 'application/json',
				text: JSON.stringify({
					status: 'error',
					message: `Invalid request ${req.method} ${url.pathname}?${url.search.slice(1)} with headers ${JSON.stringify(headers)} and body ${body}`,
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
			return { type: 'text/plain', text: `Bad request\n${req.method} ${url.pathname}${url.search}\n${headerLines}\n\n${body}` };
		case 'html':
			return { type: 'text/html', text: `<html><body><h1>Error</h1><pre>${headerLines}</pre><pre>${url.search}</pre><pre>${body}</pre></body></html>` };
	}
}
