/* eslint-disable */
// Types of the local Pipedrive sandbox (./server.js). Import the runtime from './server'.

export type { FaultSpec } from '../sandboxServer';
import type { FaultSpec } from '../sandboxServer';

export interface RecordedRequest {
	method: string;
	/** The full path, e.g. /api/v2/deals. */
	path: string;
	/** v1 or v2 (undefined when the path is not an API path). */
	version?: 'v1' | 'v2';
	/** The path under the version, e.g. /deals/5. */
	resource: string;
	/** Query parameters (the api_token parameter left out). */
	query: Record<string, string>;
	body: any;
	/** HTTP status answered; 0 when the socket was dropped by a fault. */
	status: number;
	/** apiToken (x-api-token header), apiTokenQuery (?api_token=) or oauth (Bearer). */
	auth?: 'apiToken' | 'apiTokenQuery' | 'oauth';
	userId?: number;
	/** Tokens this request spent from the daily budget (0 when refused). */
	cost: number;
	violations: string[];
	/** Sandbox clock (ms) when the request arrived. */
	at: number;
}

export interface LimitOptions {
	plan?: 'essential' | 'advanced' | 'professional' | 'power' | 'enterprise';
	/** Requests per window for an api_token / an OAuth token / search endpoints. */
	apiToken?: number;
	oauth?: number;
	search?: number;
	windowMs?: number;
	/** Tokens per UTC day for the company. */
	dailyBudget?: number;
}

export interface StartOptions {
	/** 0 = random */
	port?: number;
	host?: string;
	/** JSONL path: one line per request. */
	requestLog?: string;
	latencyMs?: number;
	limits?: LimitOptions;
	/** Deliver queued webhook events right after each write (default true); false: only deliverWebhooks(). */
	autoDeliverWebhooks?: boolean;
	/** How long a subscriber may take to answer (default 10 s). */
	webhookTimeoutMs?: number;
}

export type Collection = 'deals' | 'persons' | 'organizations' | 'activities' | 'pipelines' | 'stages' | 'leads' | 'notes' | 'leadLabels';
export type PipedriveRecord = Record<string, any> & { id: any };

export interface ChangelogEntry {
	id: number;
	field_key: string;
	old_value: string | null;
	new_value: string | null;
	actor_user_id: number;
	time: string;
	change_source: string;
	change_source_user_agent: string | null;
	is_bulk_update_flag: boolean;
}

export interface Webhook {
	id: number;
	owner_id: number;
	user_id: number;
	event_action: string;
	event_object: string;
	subscription_url: string;
	version: string;
	http_auth_user: string | null;
	http_auth_password: string | null;
	name: string;
	is_active?: number;
	last_http_status: number | null;
	bannedUntil?: number;
	lastSuccessAt?: number;
	[key: string]: any;
}

export interface WebhookDelivery {
	webhookId: number;
	url: string;
	/** meta.id: the same on every attempt of one event. */
	eventId: string;
	attempt: number;
	/** The receiver's status (0: no answer, or not sent). */
	status: number;
	/** "banned": not sent because the webhook was banned. */
	skipped?: string;
	/** The JSON sent. */
	body?: string;
	headers: Record<string, string | number>;
	at: number;
}

export interface WriteOptions {
	userId?: number;
	/** meta.change_source / changelog change_source: "app" (default, a user in the web app) or "api". */
	changeSource?: string;
	userAgent?: string;
}

export class FakePipedrive {
	constructor(options?: StartOptions);
	baseUrl: string;
	requests: RecordedRequest[];
	violations: string[];
	webhookDeliveries: WebhookDelivery[];
	/** Webhooks Pipedrive deleted after 3 days without a success. */
	removedWebhooks: Webhook[];
	users: Array<Record<string, any> & { id: number; email: string; name: string; active_flag: boolean }>;
	company: { id: number; name: string; domain: string };
	limits: Required<LimitOptions>;
	readonly apiToken: string;
	readonly oauthToken: string;
	readonly tokenUserId: number;
	reset(): void;
	fault(spec: FaultSpec): void;
	setClock(fn: () => number): void;
	now(): number;
	onRequest(fn: ((request: RecordedRequest) => void) | undefined): void;
	setLimits(patch: LimitOptions): void;
	setCosts(patch: { v1?: Partial<Record<'get' | 'list' | 'create' | 'update' | 'delete' | 'search', number>>; v2?: Partial<Record<'get' | 'list' | 'create' | 'update' | 'delete' | 'search', number>> }): void;
	tokensLeft(): number;
	tokensUsed(): number;
	addToken(token: string, spec: { userId: number; kind?: 'apiToken' | 'oauth'; scopes?: string[] }): void;
	setSearchLag(ms: number): void;
	setConversionPolls(n: number): void;
	userByEmail(email: string): (Record<string, any> & { id: number }) | undefined;
	defineCustomField(entity: 'deals' | 'persons' | 'organizations' | 'activities', name: string, fieldType?: string, options?: string[]): string;
	create(collection: Collection, fields: Record<string, any>, opts?: WriteOptions): PipedriveRecord;
	update(collection: Collection, id: number | string, fields: Record<string, any>, opts?: WriteOptions): PipedriveRecord;
	remove(collection: Collection, id: number | string, opts?: WriteOptions): void;
	get(collection: Collection, id: number | string): PipedriveRecord | undefined;
	list(collection: Collection): PipedriveRecord[];
	listLeadLabels(): PipedriveRecord[];
	createLeadLabel(fields: { name: string; color: string }): PipedriveRecord;
	stageByName(name: string, pipelineId?: number): PipedriveRecord | undefined;
	replaceStages(pipelineId: number, stages: Array<{ name: string; deal_probability?: number }>, opts?: { pipelineName?: string }): PipedriveRecord[];
	changelogOf(dealId: number | string): ChangelogEntry[];
	listWebhooks(): Webhook[];
	/** Runs every webhook delivery due on the sandbox clock; resolves what it sent. */
	deliverWebhooks(): Promise<Array<{ webhookId: number; eventId: string; attempt: number; status: number }>>;
	listen(port?: number): Promise<FakePipedrive>;
	stop(): Promise<void>;
}

export function startPipedriveServer(options?: StartOptions): Promise<FakePipedrive>;
export function seedDemoData(sandbox: FakePipedrive): Record<string, number>;
/** Stage names like the example workflows' (HubSpot's defaults) and a "Qualified" lead label. */
export function useExampleProcess(sandbox: FakePipedrive): void;
export const API_TOKEN: string;
export const OAUTH_TOKEN: string;
