/**
 * The normalized CRM model. Every provider maps its vendor records to these shapes and back,
 * so node and engine code never sees a vendor field name. Each record keeps the vendor's
 * record untouched in `raw`, so nothing the vendor returned is lost.
 */

export type ResourceType =
	| 'lead'
	| 'contact'
	| 'company'
	| 'deal'
	| 'ticket'
	| 'task'
	| 'note'
	| 'message';

export interface RecordBase {
	id: string;
	provider: string;
	/** Link into the CRM's own UI, when the provider knows how to build one. */
	url?: string;
	createdAt?: string;
	updatedAt?: string;
	raw: Record<string, unknown>;
}

export interface User {
	id: string;
	provider: string;
	name: string;
	email: string;
	active: boolean;
	raw: Record<string, unknown>;
}

/** What a person asked not to receive (email; calls and texts where the CRM records it; everything). */
export interface OptOut {
	email: boolean;
	all: boolean;
	phone?: boolean;
	/**
	 * Flags the CRM did not let this user read (e.g. Salesforce field-level security): their
	 * `false` means "unknown", not "did not opt out". Messages on those channels are not sent.
	 */
	unknown?: Array<'email' | 'phone'>;
}

export interface Lead extends RecordBase {
	/** How the provider stores leads (e.g. a dedicated Leads object or a contact in a lead stage). */
	leadModel: string;
	/** The lead's own opt-outs, where the CRM keeps them on the lead. */
	optedOut?: OptOut;
	firstName?: string;
	lastName?: string;
	name?: string;
	email?: string;
	phone?: string;
	company?: string;
	title?: string;
	status?: string;
	source?: string;
	ownerId?: string;
	pipelineId?: string;
	stageId?: string;
	contactId?: string;
	/** The lead reached qualification (converted, or a qualified status / lifecycle stage). */
	qualified?: boolean;
	/** The deal the lead was converted into, where the CRM links it. */
	convertedDealId?: string;
	/** The CRM itself says the lead became a customer (e.g. HubSpot lifecycle stage "customer"). */
	won?: boolean;
}

export interface Contact extends RecordBase {
	firstName?: string;
	lastName?: string;
	email?: string;
	phone?: string;
	companyId?: string;
	ownerId?: string;
	/** `phone`: asked not to be called or texted, where the CRM records it (calls, SMS, WhatsApp). */
	optedOut: OptOut;
	timeZone?: string;
}

export interface Company extends RecordBase {
	name?: string;
	domain?: string;
	ownerId?: string;
}

export type DealStatus = 'open' | 'won' | 'lost';

export interface Deal extends RecordBase {
	name?: string;
	amount?: number;
	currency?: string;
	pipelineId?: string;
	stageId?: string;
	stageName?: string;
	status?: DealStatus;
	probability?: number;
	closeDate?: string;
	ownerId?: string;
	contactIds?: string[];
	companyId?: string;
	stageChangedAt?: string;
	/** When the deal entered each stage, where the CRM records it (read for reports). */
	stageHistory?: StageEntry[];
	/** When the last activity (call, email, meeting, task, note) was logged on the deal, ISO. */
	lastActivityAt?: string;
	/** Every close date the deal had, oldest first, where the CRM keeps field history (read with `history`). */
	closeDateHistory?: CloseDateEntry[];
	/** The CRM's own forecast category of the deal (or of its stage), where it has one. */
	forecastCategory?: ForecastCategory;
}

export type ForecastCategory = 'pipeline' | 'bestCase' | 'commit' | 'closed' | 'omitted';

export interface CloseDateEntry {
	closeDate: string;
	/** Epoch milliseconds. */
	changedAt: number;
}

export interface StageEntry {
	stageId: string;
	/** Epoch milliseconds. */
	enteredAt: number;
}

export interface Ticket extends RecordBase {
	/** The CRM's own ticket number, where it has one (e.g. a case number). */
	number?: string;
	subject?: string;
	description?: string;
	status?: string;
	pipelineId?: string;
	stageId?: string;
	priority?: string;
	ownerId?: string;
	contactId?: string;
	openedAt?: string;
	firstResponseAt?: string;
	closedAt?: string;
	stageHistory?: StageEntry[];
}

export type TaskStatus = 'open' | 'completed';
export type TaskPriority = 'low' | 'medium' | 'high';

export interface RelatedRef {
	type: ResourceType;
	id: string;
}

export interface Task extends RecordBase {
	subject?: string;
	body?: string;
	dueAt?: string;
	status?: TaskStatus;
	priority?: TaskPriority;
	ownerId?: string;
	related?: RelatedRef[];
	completedAt?: string;
	/** What kind of activity the task is, where the CRM records it (call, email, meeting, to-do). */
	kind?: TaskKind;
}

export type TaskKind = 'task' | 'call' | 'email' | 'meeting';

export interface Note extends RecordBase {
	body?: string;
	ownerId?: string;
	related?: RelatedRef[];
}

export type MessageChannel = 'email' | 'sms' | 'whatsapp' | 'note';

export interface Message extends RecordBase {
	channel: MessageChannel;
	direction: 'outbound' | 'inbound' | 'internal';
	subject?: string;
	body?: string;
	to?: string[];
	from?: string;
	sentAt?: string;
	related?: RelatedRef[];
}

export interface Stage {
	id: string;
	name: string;
	order: number;
	probability?: number;
	/** `won`/`lost` for closed deal stages, `closed` for closed ticket stages, else `open`. */
	closed: 'open' | 'won' | 'lost' | 'closed';
}

export interface Pipeline {
	id: string;
	name: string;
	objectType: ResourceType;
	stages: Stage[];
}

export type CrmRecord = Lead | Contact | Company | Deal | Ticket | Task | Note | Message;

/** Fields a caller may write, per resource: the normalized names, plus vendor-native extras. */
export interface RecordInput {
	fields: Record<string, unknown>;
	/** Vendor property names written as they are (the "custom properties" escape hatch). */
	customProperties?: Record<string, unknown>;
	related?: RelatedRef[];
}

export interface RecordUpdate extends RecordInput {
	id: string;
}

/** A filter on a normalized field; providers translate to their query language. */
export interface SearchFilter {
	field: string;
	operator: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'in' | 'notIn' | 'exists' | 'notExists';
	value?: unknown;
}

export interface SearchQuery {
	filters: SearchFilter[];
	/** Free-text query where the vendor supports it. */
	text?: string;
	sort?: { field: string; direction: 'asc' | 'desc' };
	limit?: number;
	/** Extra vendor properties to fetch, beyond what the mapping needs. */
	properties?: string[];
}
