/* eslint-disable */
// Types of the local HubSpot sandbox (./server.js). Import the runtime from './server'.

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: any;
	/** HTTP status answered; 0 when the socket was dropped by a fault. */
	status: number;
	/** The Authorization header as received (kept in memory only; never written to the request log). */
	authorization?: string;
	violations: string[];
	/** Server clock (ms) when the request arrived. */
	at: number;
}

export type { FaultSpec } from '../sandboxServer';
import type { FaultSpec } from '../sandboxServer';

export interface StartOptions {
	/** 0 = random */
	port?: number;
	/** default 127.0.0.1 */
	host?: string;
	/** default 'test-token' */
	token?: string;
	rateLimit?: { max: number; windowMs: number };
	searchRateLimit?: { max: number; windowMs: number };
	/** default true */
	seed?: boolean;
	/** JSONL path: one line per request {method, path, query, body, status, at}. */
	requestLog?: string;
	latencyMs?: number;
}

/** A CRM record as stored (the same object the API serializes). */
export interface StoredObject {
	id: string;
	properties: Record<string, string>;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

export interface SentEmail {
	statusId: string;
	emailId: number;
	message: { to: string; from?: string; sendId?: string; replyTo?: string[]; cc?: string[]; bcc?: string[] };
	contactProperties: Record<string, string>;
	customProperties: Record<string, any>;
	requestedAt: string;
}

export class FakeHubSpot {
	constructor(options?: StartOptions);
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	/** Every request, in order. */
	requests: RecordedRequest[];
	/** All schema violations seen (each prefixed with "METHOD path: "). */
	violations: string[];
	token: string;
	/** The seeded owners (GET /crm/v3/owners serves these; `archived` ones only with archived=true). */
	owners: Array<{ id: string; email: string; firstName: string; lastName: string; userId: number; archived: boolean; [key: string]: any }>;
	/** Pipelines per object type (deals, tickets, leads) as GET /crm/v3/pipelines/{objectType} serves them. */
	pipelines: Record<string, Array<{ id: string; label: string; displayOrder: number; stages: Array<{ id: string; label: string; metadata: Record<string, string>; [key: string]: any }>; [key: string]: any }>>;
	/** Enumeration property definitions per object type: options as GET /crm/v3/properties serves them. */
	enumerations: Record<string, Record<string, { label: string; fieldType: string; options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }> }>>;
	/** Transactional emails accepted by POST /marketing/v3/transactional/single-email/send (repeats by sendId excluded). */
	sentEmails: SentEmail[];
	/** Clear store, requests, violations, faults and sent emails; reseed by default. */
	reset(seed?: boolean): void;
	/** Answer matching requests with this status/body/headers (times default 1). */
	fault(spec: FaultSpec): void;
	/** Direct store insert (same property rules as the API; throws on invalid input). Returns the stored object. */
	createObject(
		objectType: string,
		properties: Record<string, string>,
		options?: { id?: string; createdAt?: string; associations?: Array<{ toType: string; toId: string; typeId: number }> },
	): any;
	/** The stored object itself (mutations are visible to the API). */
	getObject(objectType: string, id: string): any | undefined;
	/** Direct update with HubSpot's rules (property history, derived properties). */
	updateObject(objectType: string, id: string, properties: Record<string, string>): any;
	listObjects(objectType: string): any[];
	/** Ids of `toType` records associated with the record, ascending. */
	associations(fromType: string, fromId: string, toType: string): string[];
	/** Adds a custom (string) property so writes to it are accepted. */
	defineProperty(objectType: string, name: string, definition?: { type?: 'string' | 'number' | 'datetime' | 'bool'; readOnly?: boolean }): void;
	/** Server's notion of "now" (ms), default Date.now. */
	setClock(fn: () => number): void;
	/** Called with each recorded request before it is answered (simulations change the CRM here). */
	onRequest(fn: ((request: RecordedRequest) => void) | undefined): void;
	/** Search shows a write only `ms` after its modification time (0: at once). */
	setSearchLag(ms: number): void;
	now(): number;
	listen(port?: number): Promise<FakeHubSpot>;
	stop(): Promise<void>;
}

export function startHubSpotServer(options?: StartOptions): Promise<FakeHubSpot>;
