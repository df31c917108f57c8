/* eslint-disable */
// Types of the local Salesforce REST API sandbox (./server.js). Import the runtime from './server'.

/** Salesforce error item: the body of a non-2xx answer is an array of these. */
export interface SalesforceError {
	message: string;
	errorCode: string;
	fields?: string[];
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Parsed JSON body, or the parsed form for application/x-www-form-urlencoded bodies. */
	body: any;
	/** HTTP status answered; 0 when the socket was dropped by a fault. */
	status: number;
	/** Schema violations found in this request. */
	violations: string[];
	/** Server clock (ms) when the request arrived. */
	at: number;
	/** Headers of interest as received (kept in memory only; never written to the request log). */
	headers: { authorization?: string; 'content-type'?: string; 'sforce-query-options'?: string; accept?: string };
}

export type { FaultSpec } from '../sandboxServer';
import type { FaultSpec } from '../sandboxServer';

export interface StartOptions {
	/** 0 = random */
	port?: number;
	/** default 127.0.0.1 */
	host?: string;
	/** Static bearer token that runs as the integration user (default 'test-token'). */
	token?: string;
	/** JSONL path: one line per request {method, path, query, body, status, at} (OAuth secrets redacted). */
	requestLog?: string;
	/** default true: seed users (false: the integration user only). */
	seed?: boolean;
	/** Add the demo org (demo-data.js) after start. */
	demoData?: boolean;
	/** DailyApiRequests Max (default 100,000). */
	dailyLimit?: number;
}

/** A record's fields as JSON values (datetimes "2026-11-20T09:00:00.000+0000", dates "YYYY-MM-DD"). */
export type SObjectRecord = Record<string, any> & { Id: string };

export interface SentEmail {
	to: string[];
	cc: string[];
	bcc: string[];
	subject: string;
	body: string;
	richBody: boolean;
	senderType: 'CurrentUser' | 'DefaultWorkflowUser' | 'OrgWideEmailAddress';
	from: string;
	recipientId: string | null;
	relatedRecordId: string | null;
	/** Task + EmailMessage created when logEmailOnSend was true. */
	logged: { taskId: string; emailMessageId: string } | null;
	countsAgainst: 'SingleEmail' | 'DailyWorkflowEmails';
	apiVersion: string;
	userId: string;
	sentAt: string;
}

/** A status-object value for setPicklist (only a label is required). */
export interface PicklistValue {
	MasterLabel?: string;
	label?: string;
	ApiName?: string;
	SortOrder?: number;
	IsDefault?: boolean;
	IsConverted?: boolean;
	IsClosed?: boolean;
	IsWon?: boolean;
	IsActive?: boolean;
	DefaultProbability?: number | null;
	ForecastCategoryName?: 'Pipeline' | 'Best Case' | 'Commit' | 'Most Likely' | 'Closed' | 'Omitted';
	Description?: string | null;
}

export interface ConnectedApp {
	consumerKey: string;
	consumerSecret?: string;
	redirectUri?: string;
	/** PEM public key or X.509 certificate used to verify JWT bearer assertions. */
	publicKeyPem?: string;
	/** Space-separated OAuth scopes (default "api refresh_token"). */
	scopes?: string;
}

export class FakeSalesforce {
	constructor(options?: StartOptions);
	/** http://127.0.0.1:<port> (also the instance_url of issued tokens). */
	baseUrl: string;
	/** The static bearer token. */
	token: string;
	/** Current API version served, "67.0" (Summer '26); versions 50.0 … 67.0 are accepted. */
	apiVersion: string;
	readonly integrationUserId: string;
	requests: RecordedRequest[];
	/** All schema violations seen (each prefixed with "METHOD path: "). */
	violations: string[];
	sentEmails: SentEmail[];
	/** Clears records, requests, violations, faults, sent emails, sessions, cursors and API usage; reseeds users unless `seed` is false. Connected apps are kept. */
	reset(seed?: boolean): void;
	fault(spec: FaultSpec): void;
	onRequest(fn: ((request: RecordedRequest) => void) | undefined): void;
	setClock(fn: () => number): void;
	now(): number;
	/** Queries don't see records created or modified within the last `ms` (retrieve by id does). */
	setVisibilityLag(ms: number): void;
	/** Every access token (the static one included, until reset()) answers 401 INVALID_SESSION_ID; refresh tokens still work. */
	expireSessions(): void;
	/** DailyApiRequests Max; once used up the API answers 403 REQUEST_LIMIT_EXCEEDED. */
	setDailyLimit(n: number): void;
	setEmailLimits(limits: { singleEmail?: number; workflowEmail?: number }): void;
	/**
	 * Field-level security: the API user cannot see these fields of `sobject` (replaces the object's
	 * list; [] shows all again; reset() clears). Describe leaves them out; a query, retrieve or
	 * write naming one fails with INVALID_FIELD "No such column …".
	 */
	hideFields(sobject: string, fields: string[]): void;
	/** Field history tracking for a Case field (CaseHistory rows while on; FieldDefinition.IsFieldHistoryTracked). */
	setFieldHistory(object: 'Case', field: string, on: boolean): void;
	setPicklist(object: 'LeadStatus' | 'OpportunityStage' | 'CaseStatus' | 'TaskStatus', values: Array<PicklistValue | string>): void;
	registerConnectedApp(app: ConnectedApp): ConnectedApp;
	/** Direct insert with the API's rules (history rows, derived fields); not recorded. Throws Error with `.errors` on invalid input. */
	insert(sobject: string, fields: Record<string, any>): SObjectRecord;
	update(sobject: string, id: string, fields: Record<string, any>): SObjectRecord;
	remove(sobject: string, id: string): void;
	get(sobject: string, id: string): SObjectRecord | undefined;
	/** Records of an object in Id (creation) order. */
	list(sobject: string): SObjectRecord[];
	/** Seed users by key: integration, ana, ben, cleo, dan, eve (inactive). */
	users(): Record<string, SObjectRecord>;
	/** Converts a lead as a user would in Salesforce (SOAP convertLead() semantics; the REST API has no conversion resource). */
	convertLead(
		leadId: string,
		options?: { convertedStatus?: string; accountId?: string; contactId?: string; doNotCreateOpportunity?: boolean; opportunityName?: string; ownerId?: string },
	): { leadId: string; accountId: string; contactId: string; opportunityId: string | null };
	listen(port?: number): Promise<FakeSalesforce>;
	stop(): Promise<void>;
}

export function startSalesforceServer(options?: StartOptions): Promise<FakeSalesforce>;
export function seedDemoData(sandbox: FakeSalesforce): void;
