import type {
	Contact,
	CrmRecord,
	Message,
	MessageChannel,
	Pipeline,
	RecordInput,
	RecordUpdate,
	RelatedRef,
	ResourceType,
	SearchQuery,
	User,
} from '../model/types';
import type { EventFeed, EventType, InstantEventSource } from './events';
import type { AuthenticatedRequest, CrmTransport } from '../transport/http';

/** One result per input, in input order: the batch never hides which item failed. */
export type ItemResult<T> = { ok: true; value: T } | { ok: false; error: Error };

export interface WriteOptions {
	stopOnInvalid?: boolean;
}

export type RecordOperation = 'create' | 'get' | 'update' | 'search';

/** What a provider can do; engines and nodes ask this instead of checking vendor names. */
export interface ProviderCapabilities {
	/** Record operations per resource. */
	records: Partial<Record<ResourceType, readonly RecordOperation[]>>;
	/** Resources whose records sit in pipelines with stages (stage updates, stage filters). */
	pipelines: readonly ResourceType[];
	/** Largest number of records one batch call takes. */
	batchSize: number;
	/** Channels a message can be logged on the record's timeline with. */
	messageLog: readonly MessageChannel[];
	/** Channels the CRM can really deliver (not only record). */
	messageDelivery: readonly MessageChannel[];
	/** Contact upsert keyed by email. */
	contactUpsert: boolean;
	/** Lead qualification / conversion. */
	leadQualify: boolean;
	/** Events the CRM Trigger can poll for. */
	events: readonly EventType[];
	/** Events the CRM can push by webhook (instant delivery); empty where it cannot. */
	instantEvents: readonly EventType[];
}

export interface MessageInput {
	channel: MessageChannel;
	subject?: string;
	body: string;
	to?: string[];
	from?: string;
	/** Records the message is shown on; the first contact is the recipient. */
	related: RelatedRef[];
	ownerId?: string;
	/** `send` delivers through the CRM where it can, `log` only records it. */
	delivery: 'log' | 'send';
	/** Vendor template for real delivery (e.g. a transactional email id). */
	templateId?: string;
	/** Marks the message so a retried execution can find it instead of logging twice. */
	dedupeKey?: string;
	sentAt?: string;
}

/** What happened on a record, as the CRM records it (normalized for event scoring). */
export type ActivityKind = 'email' | 'call' | 'meeting' | 'task' | 'note' | 'stageChange';

export interface Activity {
	kind: ActivityKind;
	/**
	 * When it happened (epoch ms): an email's sent time, a call's or meeting's start, a task's
	 * completion (else due date, else creation), a status or stage move's change time.
	 */
	occurredAt: number;
	/** The vendor's id of the activity (engagement, Task, history row...), when it has one. */
	id?: string;
}

export interface QualifyInput {
	id: string;
	/** Where the provider supports it: also create a deal from the lead. */
	createDeal?: { name: string; pipelineId?: string; stageId?: string; amount?: number };
}

export interface QualifyResult {
	lead: CrmRecord;
	deal?: CrmRecord;
}

export interface CrmProvider {
	readonly id: string;
	readonly displayName: string;
	readonly capabilities: ProviderCapabilities;
	readonly transport: CrmTransport;

	/**
	 * Writes are batched by the provider. With `stopOnInvalid`, an input the provider cannot
	 * convert (InvalidItemError) aborts the call before anything is written.
	 */
	createRecords(resource: ResourceType, inputs: RecordInput[], options?: WriteOptions): Promise<Array<ItemResult<CrmRecord>>>;
	updateRecords(resource: ResourceType, updates: RecordUpdate[], options?: WriteOptions): Promise<Array<ItemResult<CrmRecord>>>;
	getRecords(resource: ResourceType, ids: string[]): Promise<Array<ItemResult<CrmRecord>>>;
	/** Pages of matching records; the caller stops iterating when it has enough. */
	searchRecords(resource: ResourceType, query: SearchQuery): AsyncGenerator<CrmRecord[]>;
	/**
	 * Every record of a resource, page by page, for reports (which aggregate as pages arrive).
	 * With `stageHistory`, deals and tickets carry when they entered each stage, where the CRM
	 * records it. With `history`, deals carry `closeDateHistory` (and `lastActivityAt` where it is
	 * derived from history), where the CRM keeps it.
	 */
	streamRecords(resource: ResourceType, options: { stageHistory?: boolean; history?: boolean }): AsyncGenerator<CrmRecord[]>;
	/** Open records of a resource owned by a user, counted by the CRM (for least-loaded). */
	countOpenRecords(resource: ResourceType, ownerId: string): Promise<number>;
	upsertContacts(inputs: RecordInput[], options?: WriteOptions): Promise<Array<ItemResult<Contact>>>;

	listUsers(): Promise<User[]>;
	/** Other forms of a user id the CRM accepts for the same user (e.g. a shorter legacy form). */
	userIdForms?(id: string): string[];
	/** Where an admin grants read access to a field the CRM hides from the API user. */
	readonly fieldAccessHint?: string;
	listPipelines(resource: ResourceType): Promise<Pipeline[]>;

	logMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>>;
	deliverMessages(inputs: MessageInput[]): Promise<Array<ItemResult<Message>>>;
	/** Messages already recorded with these dedupe keys, by key. */
	findMessagesByDedupeKey(
		requests: Array<{ key: string; related: RelatedRef[]; channel: MessageChannel }>,
	): Promise<Map<string, Message>>;

	qualifyLeads(inputs: QualifyInput[]): Promise<Array<ItemResult<QualifyResult>>>;

	/**
	 * Activities of each record (lead or contact) at or after `since` (epoch ms), one result per
	 * id in the order of `ids`. Kinds the CRM does not keep are simply absent. Optional: the Score
	 * operation calls it only for event terms (engines/scoring).
	 */
	listActivities?(resource: ResourceType, ids: string[], since: number): Promise<Array<ItemResult<Activity[]>>>;

	/** The polling source of one event type (see engines/events). */
	eventFeed(type: EventType): EventFeed;
	/** The webhook source of one event type, where `capabilities.instantEvents` lists it. */
	instantEvents?(type: EventType): InstantEventSource;
}

/** What a node hands a provider factory: the authenticated request and the credential's data. */
export interface ProviderContext {
	send: AuthenticatedRequest;
	credentials: Record<string, unknown>;
	/** The credential type in use, for providers with several ways to sign in (default: the first). */
	credentialType?: string;
	/** The credential as stored now (e.g. after n8n renewed its OAuth2 token during this execution). */
	reloadCredentials?: () => Promise<Record<string, unknown>>;
	/** Identifies the credential for the per-account rate limiter. */
	credentialKey: string;
	/** The n8n execution the provider serves (when known): lets a provider share reads between the nodes of one execution. */
	executionId?: string;
	/** Transport overrides (tests use short backoffs; benchmarks and simulations lift the limits). */
	transportOverrides?: {
		retry?: { baseDelayMs?: number; maxAttempts?: number };
		rateLimits?: Record<string, { max: number; windowMs: number }>;
	};
}

/**
 * One way to sign in to a CRM: an option of the nodes' CRM picker and the n8n credential type
 * behind it. n8n's editor treats the picker as the nodes' authentication field: it shows the
 * credentials of every option in one list, and picking a credential of another CRM switches the
 * CRM — the whole move of a workflow to another CRM is choosing another credential.
 */
export interface AuthenticationOption {
	/** The picker value (the node parameter `provider`), unique across providers. */
	value: string;
	/** Shown in the editor, e.g. "Salesforce (JWT)". */
	name: string;
	credentialType: string;
	/**
	 * For an OAuth2 credential: how n8n's request helper sends the token, where the vendor differs
	 * from `Authorization: Bearer` (Zoho: `Zoho-oauthtoken`).
	 */
	oauth2?: { tokenType?: string };
}

export interface ProviderDefinition {
	id: string;
	displayName: string;
	/** How users sign in: one option per credential type. */
	authentications: readonly AuthenticationOption[];
	/** The CRM registers webhooks by API (the CRM Webhook Trigger offers only these CRMs). */
	webhooks?: boolean;
	create(context: ProviderContext): CrmProvider;
}
