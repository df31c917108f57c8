/* eslint-disable */
// Types of the local Zoho CRM sandbox (./server.js). Import the runtime from './server'.
import type { FaultSpec } from '../sandboxServer';
export type { FaultSpec } from '../sandboxServer';

export type ZohoRecord = Record<string, any> & { id: string };

export interface RecordedRequest {
	method: string;
	/** The full path, e.g. /dc/eu/crm/v8/Leads. */
	path: string;
	/** The path under /crm/v8 (data-centre prefix removed), e.g. /Leads. */
	resource: string;
	query: Record<string, string>;
	headers: { authorization?: string };
	body: any;
	/** What the sandbox answered. */
	response?: any;
	status: number;
	/** Data centre the request went to (us, eu, …). */
	dc?: string;
	/** Refresh token behind the access token used. */
	auth?: string;
	violations: string[];
	at: number;
}

export interface ZohoUser {
	id: string;
	first_name: string;
	last_name: string;
	email: string;
	status: 'active' | 'disabled';
	role: string;
	profile: string;
}

export interface Stage {
	name: string;
	probability: number;
	forecast_type: 'Open' | 'Closed Won' | 'Closed Lost';
}
export interface Pipeline {
	id: string;
	name: string;
	default: boolean;
	stages: Stage[];
}
export interface Blueprint {
	id: string;
	name: string;
	module: string;
	field: string;
	appliesTo: { field: string; value: string };
	transitions: Array<{ id: string; name: string; from: string[]; to: string; fields: string[] }>;
}

export interface NotificationDelivery {
	channel_id: string;
	url: string;
	body: { server_time: number; query_params: Record<string, string>; module: string; resource_uri: string; ids: string[]; operation: 'insert' | 'update' | 'delete'; channel_id: string; token: string | null; affected_fields?: Array<Record<string, string[]>> };
	/** HTTP status the notify_url answered; 0 when it could not be reached (see `error`). */
	status: number;
	error?: string;
	at: number;
}

export interface SentEmail {
	module: string;
	recordId: string;
	message_id: string;
	from: { user_name?: string; email: string };
	to: Array<{ user_name?: string; email: string }>;
	cc?: Array<{ user_name?: string; email: string }>;
	subject: string;
	content: string;
	mail_format: string;
	sent_time: string;
	scheduled_time: string | null;
}

export interface WorkflowRun {
	module: string;
	id: string;
	operation: 'create' | 'edit';
	/** The `trigger` list in effect (workflow, approval, blueprint by default). */
	triggers: string[];
	at: number;
}

export interface StartOptions {
	port?: number;
	host?: string;
	exampleProcess?: boolean;
	demoData?: boolean;
	/** Simultaneous API calls allowed before 429 (default 15, Zoho's Professional edition). */
	concurrencyLimit?: number;
	/** Milliseconds each API call takes (default 0). */
	latencyMs?: number;
}

export declare const SANDBOX_CLIENT: { clientId: string; clientSecret: string; refreshToken: string; euRefreshToken: string };

export declare class FakeZoho {
	baseUrl: string;
	/** An access token (US data centre) for tests that skip OAuth. */
	token: string;
	orgId: string;
	requests: RecordedRequest[];
	violations: string[];
	notifications: NotificationDelivery[];
	sentEmails: SentEmail[];
	workflowRuns: WorkflowRun[];
	users: ZohoUser[];
	pipelines: Pipeline[];
	blueprints: Blueprint[];
	assignmentRules: Array<{ id: string; name: string; module: string; users: string[] }>;
	fromAddresses: Array<{ id: string; email: string; user_name: string; type: string; default: boolean }>;
	credits: { limit: number; used: number };
	reset(): void;
	stop(): Promise<void>;
	now(): number;
	setClock(fn: () => number): void;
	onRequest(fn: ((request: RecordedRequest) => void) | undefined): void;
	fault(spec: FaultSpec): void;
	/** The `api_domain` of a data centre (us: baseUrl; others: baseUrl/dc/{dc}). */
	apiDomain(dc: string): string;
	useExampleProcess(): void;
	forceRateLimit(times?: number): void;
	setUniqueField(module: string, field: string): void;
	/** A custom field an admin added (data_type as Zoho's field metadata: text, integer, double…); gone on reset. */
	defineField(module: string, apiName: string, dataType?: string): void;
	addWorkflowRule(rule: { module: string; on?: Array<'create' | 'edit'>; set: Record<string, unknown> }): void;
	expireAccessTokens(): void;
	/** A refresh token (client 1000.SANDBOXCLIENT) granting exactly these scopes. */
	addRefreshToken(scopes: string[], dc?: string): string;
	concurrencyLimit: number;
	latencyMs: number;
	issueGrantCode(refreshToken?: string): string;
	flushNotifications(): Promise<void>;
	user(idOrEmail: string): ZohoUser | undefined;
	getRecord(module: string, id: string): ZohoRecord | undefined;
	listRecords(module: string): ZohoRecord[];
	stageHistory(dealId: string): ZohoRecord[];
	createRecord(module: string, fields: Record<string, unknown>, options?: { trigger?: string[]; actor?: string }): ZohoRecord;
	updateRecord(module: string, id: string, fields: Record<string, unknown>, options?: { trigger?: string[]; actor?: string }): ZohoRecord;
	deleteRecord(module: string, id: string): void;
}

export declare function startZohoServer(options?: StartOptions): Promise<FakeZoho>;
export declare function zohoTime(ms: number): string;
