/* eslint-disable */
// One EspoCRM contract suite, two targets: the local sandbox (default, CI) or a real EspoCRM
// (when ESPOCRM_KEYS names the keys.json that ../../../shared/real-crms/espocrm/setup.sh writes).
//
//   ESPOCRM_KEYS=/path/keys.json [ESPOCRM_URL=http://127.0.0.1:8090] [ESPOCRM_ADMIN=admin]
//   [ESPOCRM_ADMIN_PASSWORD=Admin-pass-1] [ESPOCRM_TREE=/path/to/espocrm]   (tree: to run the webhook queue job)
//
// Tests speak to the target only through this interface: the provider under test (its requests
// recorded on the client side, so the same assertions hold on both), an admin API for setting up
// and reading back, the seeded users by role, and the webhook queue job.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { espocrmProvider } from '../../nodes/shared/providers/espocrm/EspoCrmProvider';
import type { EspoCrmProvider } from '../../nodes/shared/providers/espocrm/EspoCrmProvider';
import type { EspoNote } from '../../nodes/shared/providers/espocrm/stream';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { startEspoCrmServer } from '../sandbox/espocrm/server';
import type { FakeEspoCrm } from '../sandbox/espocrm';
import { espoSend } from '../sandbox/espocrm/testing';

/** The API users: full role with API key / HMAC, and the role the README names as the minimum. */
export type ApiUser = 'api' | 'hmac' | 'readme';
/** Seeded regular users: sales reps sam and rita, support agents sue and alex, inactive ivan. */
export type Person = 'sam' | 'rita' | 'sue' | 'alex' | 'ivan';

export interface Call {
	method: string;
	/** Path under /api/v1, e.g. /Lead or /Case/abc/stream. */
	resource: string;
	query: Record<string, string>;
	search?: any;
	body?: any;
	status: number;
}

interface TargetConfig {
	kind: 'sandbox' | 'real';
	siteUrl: string;
	keys: Record<ApiUser, Record<string, string>>;
	users: Record<Person, string>;
	adminAuth: string;
	tree?: string;
}

export class EspoTarget {
	readonly calls: Call[] = [];
	private providers = 0;
	constructor(
		private readonly config: TargetConfig,
		readonly sandbox?: FakeEspoCrm,
	) {}

	get kind() {
		return this.config.kind;
	}
	get siteUrl() {
		return this.config.siteUrl;
	}

	credentials(who: ApiUser = 'api'): Record<string, string> {
		return { siteUrl: this.config.siteUrl, ...this.config.keys[who] };
	}

	userId(person: Person): string {
		return this.config.users[person];
	}

	/** A provider as the nodes build it, authenticated by the real credential; its requests land in `calls`. */
	provider(who: ApiUser = 'api', options: { credentials?: Record<string, string>; executionId?: string; credentialKey?: string } = {}): EspoCrmProvider {
		const credentials = options.credentials ?? this.credentials(who);
		const send = espoSend(credentials);
		return espocrmProvider.create({
			send: async (request: IHttpRequestOptions) => {
				const response = await send(request);
				const url = new URL(request.url);
				const query = Object.fromEntries(Object.entries(request.qs ?? {}).map(([k, v]) => [k, String(v)]));
				this.calls.push({
					method: String(request.method ?? 'GET'),
					resource: url.pathname.replace(/^.*?\/api\/v1/, ''),
					query,
					search: query.searchParams ? JSON.parse(query.searchParams) : undefined,
					body: request.body,
					status: response.statusCode,
				});
				return response;
			},
			credentials,
			credentialType: 'crmEspoCrmApi',
			credentialKey: options.credentialKey ?? `espo-target-${who}-${this.providers++}`,
			...(options.executionId ? { executionId: options.executionId } : {}),
			transportOverrides: { retry: { baseDelayMs: 10 }, rateLimits: { default: { max: 100_000, windowMs: 1000 } } },
		}) as EspoCrmProvider;
	}

	callsTo(method: string, resource: string | RegExp): Call[] {
		return this.calls.filter((c) => c.method === method && (typeof resource === 'string' ? c.resource === resource : resource.test(c.resource)));
	}

	/** A request as the admin (Espo-Authorization), for setting up and reading back. */
	async admin(method: string, path: string, body?: unknown): Promise<any> {
		const response = await fetch(`${this.config.siteUrl}/api/v1/${path}`, {
			method,
			headers: { 'Espo-Authorization': this.config.adminAuth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${response.headers.get('x-status-reason') ?? ''} ${text.slice(0, 300)}`);
		return text ? JSON.parse(text) : null;
	}

	create(entityType: string, attributes: Record<string, unknown>): Promise<any> {
		return this.admin('POST', entityType, attributes);
	}
	update(entityType: string, id: string, attributes: Record<string, unknown>): Promise<any> {
		return this.admin('PUT', `${entityType}/${id}`, attributes);
	}
	read(entityType: string, id: string): Promise<any> {
		return this.admin('GET', `${entityType}/${id}`);
	}
	/** A record's stream, oldest first. */
	async notes(entityType: string, id: string): Promise<EspoNote[]> {
		const { list } = await this.admin('GET', `${entityType}/${id}/stream?offset=0&maxSize=200`);
		return [...list].reverse();
	}

	/** One run of EspoCRM's "Process Webhook Queue" job. */
	async runWebhookQueue(): Promise<void> {
		if (this.sandbox) {
			await this.sandbox.processWebhookQueue();
			return;
		}
		if (!this.config.tree) throw new Error('ESPOCRM_TREE is needed to run the webhook queue job of a real EspoCRM');
		// Asynchronously: the job posts to receivers in this very process, which must stay responsive.
		const tree = this.config.tree;
		await new Promise<void>((resolve, reject) =>
			execFile('php', ['command.php', 'run-job', 'ProcessWebhookQueue'], { cwd: tree }, (error, stdout, stderr) =>
				error ? reject(new Error(`ProcessWebhookQueue failed: ${stderr || stdout || error.message}`)) : resolve(),
			),
		);
	}

	/** EspoCRM keeps times to the second: waits until the next second starts, so two writes get two times. */
	async nextSecond(): Promise<void> {
		await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
	}

	violations(): string[] {
		return this.sandbox ? this.sandbox.violations : [];
	}
}

const SANDBOX_USERS: Record<Person, string> = { sam: 'u-ana', rita: 'u-ben', sue: 'u-cleo', alex: 'u-dan', ivan: 'u-eve' };

function realConfig(): TargetConfig | undefined {
	const file = process.env.ESPOCRM_KEYS;
	if (!file) return undefined;
	const keys = JSON.parse(fs.readFileSync(file, 'utf8'));
	const api = keys.apiUsers;
	const admin = process.env.ESPOCRM_ADMIN ?? 'admin';
	const password = process.env.ESPOCRM_ADMIN_PASSWORD ?? 'Admin-pass-1';
	return {
		kind: 'real',
		siteUrl: String(process.env.ESPOCRM_URL ?? keys.url).replace(/\/+$/, ''),
		keys: {
			api: { authMethod: 'apiKey', apiKey: api['n8n-api'].apiKey },
			hmac: { authMethod: 'hmac', apiKey: api['n8n-hmac'].apiKey, secretKey: api['n8n-hmac'].secretKey },
			readme: { authMethod: 'apiKey', apiKey: api['n8n-readme'].apiKey },
		},
		users: Object.fromEntries((['sam', 'rita', 'sue', 'alex', 'ivan'] as Person[]).map((p) => [p, keys.users[p].id])) as Record<Person, string>,
		adminAuth: Buffer.from(`${admin}:${password}`).toString('base64'),
		tree: process.env.ESPOCRM_TREE,
	};
}

export const REAL_TARGET = !!process.env.ESPOCRM_KEYS;

/**
 * Jest hooks for a test file: the real EspoCRM when ESPOCRM_KEYS is set, else a sandbox per file
 * (reset before each test; a request breaking the sandbox's request schemas fails the test).
 */
export function useEspoTarget(): { target: EspoTarget } {
	const box = { target: undefined as unknown as EspoTarget };
	beforeAll(async () => {
		const real = realConfig();
		if (real) {
			box.target = new EspoTarget(real);
			return;
		}
		const espo = await startEspoCrmServer({ port: 0 });
		box.target = new EspoTarget(
			{
				kind: 'sandbox',
				siteUrl: espo.baseUrl,
				keys: {
					api: { authMethod: 'apiKey', apiKey: 'test-api-key' },
					hmac: { authMethod: 'hmac', apiKey: 'test-hmac-key', secretKey: 'test-hmac-secret' },
					readme: { authMethod: 'apiKey', apiKey: 'test-readme-key' },
				},
				users: SANDBOX_USERS,
				adminAuth: Buffer.from('admin:sandbox-admin-password').toString('base64'),
			},
			espo,
		);
	});
	afterAll(() => box.target.sandbox?.stop());
	beforeEach(() => {
		box.target.calls.length = 0;
		resetLimiters();
		if (box.target.sandbox) {
			box.target.sandbox.reset();
			box.target.sandbox.setClock(() => Date.now());
		}
	});
	afterEach(() => expect(box.target.violations()).toEqual([]));
	return box;
}

/** A short unique suffix: records of one run are told apart from everything else on a real instance. */
export const runTag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
