/* eslint-disable */
// Types of the local EspoCRM sandbox (./server.js). Import the runtime from './server'.

export interface RecordedRequest {
	method: string;
	/** The full path, e.g. /api/v1/Lead. */
	path: string;
	/** The path under /api/v1, e.g. /Lead. */
	resource: string;
	query: Record<string, string>;
	/** The documented optional headers it sent (x-no-total, x-skip-duplicate-check). */
	headers: Record<string, string>;
	/** The parsed `searchParams` (or separate list parameters) of a list request. */
	search?: any;
	body: any;
	/** HTTP status answered; 0 when the socket was dropped by a fault. */
	status: number;
	/** Which auth method the request used: apiKey, hmac, password. */
	auth?: string;
	violations: string[];
	/** Sandbox clock (ms) when the request arrived. */
	at: number;
}

export type { FaultSpec } from '../sandboxServer';
import type { FaultSpec } from '../sandboxServer';

export interface StartOptions {
	/** 0 = random */
	port?: number;
	/** default 127.0.0.1 */
	host?: string;
	/** JSONL path: one line per request {method, path, query, body, status, at}. */
	requestLog?: string;
	latencyMs?: number;
	/** Run the webhook queue job every N ms (0/undefined: only when asked). */
	webhookIntervalMs?: number;
	webhookConfig?: Partial<WebhookConfig>;
}

export interface WebhookConfig {
	eventPortionSize: number;
	portionSize: number;
	batchSize: number;
	maxAttempts: number;
	failPeriodMs: number;
	maxCountPerUser: number;
}

/** A record as the API shows it (attributes as EspoCRM names them). */
export type EspoRecord = Record<string, any> & { id: string };

export interface EspoNote {
	id: string;
	type: 'Post' | 'Create' | 'Update' | 'EmailSent' | string;
	number: number;
	post: string | null;
	data: any;
	parentType: string | null;
	parentId: string | null;
	isInternal: boolean;
	createdAt: string;
	createdById: string;
	createdByName: string | null;
}

export interface Webhook {
	id: string;
	event: string;
	url: string;
	isActive: boolean;
	userId: string;
	secretKey: string;
	skipOwn: boolean;
}

export interface WebhookDelivery {
	webhookId: string;
	url: string;
	/** The exact bytes sent (PHP-style JSON). */
	payload: string;
	headers: Record<string, string | number>;
	/** The receiver's HTTP status (0: no answer). */
	status: number;
	at: number;
}

export interface SentEmail {
	id: string;
	messageId: string;
	from: string;
	to: string[];
	cc: string[];
	subject: string;
	body: string;
	isHtml: boolean;
	parentType: string | null;
	parentId: string | null;
	sentAt: string;
}

export interface RoleScopeLevels {
	create?: string;
	read?: string;
	edit?: string;
	delete?: string;
	stream?: string;
}

export class FakeEspoCrm {
	constructor(options?: StartOptions);
	/** http://127.0.0.1:<port> (the site URL; the API is under /api/v1). */
	baseUrl: string;
	requests: RecordedRequest[];
	/** All schema violations seen (each prefixed with "METHOD /resource: "). */
	violations: string[];
	/** What "SMTP" sent (emails created with status Sending). */
	sentEmails: SentEmail[];
	/** Every webhook POST the queue job made. */
	webhookDeliveries: WebhookDelivery[];
	webhookConfig: WebhookConfig;
	settings: Record<string, any>;
	metadata: any;
	/** Clear records, notes, webhooks, queues, requests, violations, faults, sent emails; reseed users and metadata. */
	reset(): void;
	fault(spec: FaultSpec): void;
	setClock(fn: () => number): void;
	now(): number;
	onRequest(fn: ((request: RecordedRequest) => void) | undefined): void;
	/** Changes a user's role, e.g. setRole('n8n-api', {scopes: {Lead: {create: 'no'}}, massUpdate: 'no'}). */
	setRole(userName: string, patch: { scopes?: Record<string, RoleScopeLevels>; massUpdate?: 'yes' | 'no' }): void;
	/** Replaces an enum field's options (with probabilityMap, notActualOptions, default…). */
	setFieldOptions(entityType: string, field: string, options: string[], extra?: Record<string, any>): void;
	/** Accepts writes of a custom attribute (default kind varchar). */
	defineAttribute(entityType: string, name: string, spec?: { kind: string; field?: string; max?: number }): void;
	setSettings(patch: Record<string, any>): void;
	/** Lists show a new record only `ms` after its creation (0: at once). */
	setReadLag(ms: number): void;
	/** The next email sent fails with this SMTP error (500, reason sendingFail). */
	failNextSmtp(message: string): void;
	/** Direct insert with EspoCRM's rules (defaults, stream notes, webhook events); returns the API view. */
	createRecord(entityType: string, attributes: Record<string, any>, options?: { userId?: string; skipChecks?: boolean }): EspoRecord;
	/** Direct update with EspoCRM's rules (audited fields → Update notes; webhook events). */
	updateRecord(entityType: string, id: string, attributes: Record<string, any>, options?: { userId?: string }): EspoRecord;
	deleteRecord(entityType: string, id: string, options?: { userId?: string }): void;
	/** The stored record (mutations are visible to the API). */
	getRecord(entityType: string, id: string): EspoRecord | undefined;
	listRecords(entityType: string): EspoRecord[];
	/** Every user (regular, admin, API and portal users), as the API shows them. */
	listUsers(): EspoRecord[];
	/** Every stream note, oldest first. */
	listNotes(): EspoNote[];
	/** A record's stream notes, oldest first. */
	notesOf(entityType: string, id: string): EspoNote[];
	postNote(entityType: string, id: string, post: string, options?: { userId?: string; isInternal?: boolean }): EspoNote;
	listWebhooks(): Webhook[];
	webhookQueueItems(): Array<{ number: number; webhookId: string; event: string; status: string; attempts: number; processAt: number | null; data: any }>;
	/** One run of the "Process Webhook Queue" job; resolves what it sent. */
	processWebhookQueue(): Promise<Array<{ webhookId: string; event: string; count: number; code: number }>>;
	listen(port?: number): Promise<FakeEspoCrm>;
	stop(): Promise<void>;
}

export function startEspoCrmServer(options?: StartOptions): Promise<FakeEspoCrm>;
export function seedDemoData(sandbox: FakeEspoCrm): Record<string, number>;
/** Stage names like the example workflows' (HubSpot's defaults) and a "Qualified" lead status. */
export function useExampleProcess(sandbox: FakeEspoCrm): void;
/** PHP json_encode as EspoCRM's Json::encode: escaped slashes and non-ASCII. */
export function phpJson(value: unknown): string;
/** EspoCRM's UTC "YYYY-MM-DD HH:mm:ss" of epoch ms. */
export function fmt(ms: number): string;
export function toMs(value: string | number): number;
