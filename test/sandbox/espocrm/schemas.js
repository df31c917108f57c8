'use strict';
/**
 * Request schemas of the EspoCRM 9.x REST API subset the sandbox speaks, written from EspoCRM's
 * documentation, plus the attribute catalogue the record endpoints validate against.
 *
 * Sources, cited per table below:
 * - [spec]     EspoCRM's published OpenAPI spec (https://docs.espocrm.com/api/, docs/api/spec.json in
 *              espocrm/documentation): entity schemas (attributes, types, maxLength, readOnly, enums),
 *              `*_create` required lists, list parameters (`maxSize` 0..200, `offset`, `orderBy`,
 *              `order`, `attributeSelect`, `whereGroup`), the `whereItem` schema (types, attribute,
 *              value, dateTime, timeZone) and the `X-Skip-Duplicate-Check` / `X-No-Total` headers.
 * - [search]   https://docs.espocrm.com/development/api-search-params/ (`searchParams` JSON, where items)
 * - [crud]     https://docs.espocrm.com/development/api/crud/ (GET list/read, POST, PUT, DELETE)
 * - [stream]   https://docs.espocrm.com/development/api/stream/ (`GET {entityType}/{id}/stream`
 *              offset/maxSize; `POST Note` type/parentId/parentType/post/attachmentsIds)
 * - [metadata] https://docs.espocrm.com/development/api/metadata/ (`GET Metadata?key=`)
 * - [api]      https://docs.espocrm.com/development/api/ (`GET App/user`, auth headers, error codes)
 * - [webhooks] https://docs.espocrm.com/administration/webhooks/ (`POST Webhook {event, url, skipOwn}`,
 *              `DELETE Webhook/{id}`, event names)
 * - [source]   where the docs name an endpoint without its body, the body is read from EspoCRM's
 *              source (9.3.10): `POST MassAction` (Core/MassAction/Api/PostProcess.php,
 *              Tools/MassUpdate/Data.php), `POST Lead/action/convert` and `getConvertAttributes`
 *              (Modules/Crm/Controllers/Lead.php). Marked (unverified) in the tables.
 */

// The validator is the one the HubSpot sandbox uses (one small schema language for all sandboxes).
const { T, validate } = require('../hubspot/schemas');

// ---------------------------------------------------------------------------------------------
// Attribute catalogue. Kinds: varchar, text, enum (options from the instance's metadata),
// float, int, bool, date ("YYYY-MM-DD"), datetime ("YYYY-MM-DD HH:mm:ss"), link (an id), ids,
// map, email, currency (a code of Settings.currencyList), list (array of objects), parentType.
// `ro`: read-only ([spec] readOnly, or calculated); writing it is a violation here.
// ---------------------------------------------------------------------------------------------

const v = (max) => ({ kind: 'varchar', max });
const text = { kind: 'text' };
const en = (field) => ({ kind: 'enum', field });
const float = { kind: 'float' };
const int = { kind: 'int' };
const bool = { kind: 'bool' };
const date = { kind: 'date' };
const datetime = { kind: 'datetime' };
const link = (entity) => ({ kind: 'link', entity });
const ids = { kind: 'ids' };
const map = { kind: 'map' };
const email = { kind: 'email' };
const currency = { kind: 'currency' };
const list = { kind: 'list' };
const parentType = { kind: 'parentType' };
const ro = (spec = { kind: 'any' }) => ({ ...spec, ro: true });

const PERSON_CONTACT = {
	emailAddress: email,
	emailAddressData: list,
	emailAddressIsOptedOut: bool,
	emailAddressIsInvalid: bool,
	phoneNumber: v(36),
	phoneNumberData: list,
	phoneNumberIsOptedOut: bool,
	phoneNumberIsInvalid: bool,
};
const SYSTEM = {
	id: ro(),
	createdAt: ro(datetime),
	modifiedAt: ro(datetime),
	createdById: ro(),
	createdByName: ro(),
	modifiedById: ro(),
	modifiedByName: ro(),
	assignedUserId: link('User'),
	assignedUserName: ro(),
	teamsIds: ids,
	teamsNames: ro(),
	streamUpdatedAt: ro(datetime),
};
const ADDRESS = (prefix) => ({
	[`${prefix}Street`]: v(255),
	[`${prefix}City`]: v(100),
	[`${prefix}State`]: v(100),
	[`${prefix}Country`]: v(100),
	[`${prefix}PostalCode`]: v(40),
});

/** [spec] schemas Lead, Contact, Account, Opportunity, Case, Task, Email, User (9.x defaults). */
const ATTRIBUTES = {
	Lead: {
		...SYSTEM,
		...PERSON_CONTACT,
		...ADDRESS('address'),
		name: ro(),
		salutationName: en('salutationName'),
		firstName: v(100),
		lastName: v(100),
		middleName: v(100),
		title: v(100),
		status: en('status'),
		source: en('source'),
		industry: en('industry'),
		opportunityAmount: float,
		opportunityAmountCurrency: currency,
		opportunityAmountConverted: ro(float),
		website: v(255),
		doNotCall: bool,
		description: text,
		convertedAt: ro(datetime),
		accountName: v(255),
		acceptanceStatusMeetings: v(),
		acceptanceStatusCalls: v(),
		campaignId: link('Campaign'),
		campaignName: ro(),
		createdAccountId: link('Account'),
		createdAccountName: ro(),
		createdContactId: link('Contact'),
		createdContactName: ro(),
		createdOpportunityId: link('Opportunity'),
		createdOpportunityName: ro(),
		targetListsIds: ids,
		targetListsNames: ro(),
		targetListId: link('TargetList'),
		targetListName: ro(),
		originalEmailId: link('Email'),
		originalEmailName: ro(),
	},
	Contact: {
		...SYSTEM,
		...PERSON_CONTACT,
		...ADDRESS('address'),
		name: ro(),
		salutationName: en('salutationName'),
		firstName: v(100),
		lastName: v(100),
		middleName: v(100),
		title: v(100),
		description: text,
		doNotCall: bool,
		accountId: link('Account'),
		accountName: ro(),
		accountsIds: ids,
		accountsNames: ro(),
		accountsColumns: map,
		accountRole: v(255),
		accountIsInactive: bool,
		accountType: ro(),
		opportunityRole: en('opportunityRole'),
		acceptanceStatusMeetings: v(),
		acceptanceStatusCalls: v(),
		campaignId: link('Campaign'),
		campaignName: ro(),
		targetListsIds: ids,
		targetListsNames: ro(),
		targetListId: link('TargetList'),
		targetListName: ro(),
		portalUserId: ro(),
		portalUserName: ro(),
		hasPortalUser: ro(bool),
		originalLeadId: ro(),
		originalLeadName: ro(),
		originalEmailId: link('Email'),
		originalEmailName: ro(),
	},
	Account: {
		...SYSTEM,
		...PERSON_CONTACT,
		...ADDRESS('billingAddress'),
		...ADDRESS('shippingAddress'),
		name: v(249),
		website: v(255),
		type: en('type'),
		industry: en('industry'),
		sicCode: v(40),
		description: text,
		campaignId: link('Campaign'),
		campaignName: ro(),
		targetListsIds: ids,
		targetListsNames: ro(),
		targetListId: link('TargetList'),
		targetListName: ro(),
		originalLeadId: ro(),
		originalLeadName: ro(),
	},
	Opportunity: {
		...SYSTEM,
		name: v(255),
		amount: float,
		amountCurrency: currency,
		amountConverted: ro(float),
		amountWeightedConverted: ro(float),
		accountId: link('Account'),
		accountName: ro(),
		contactsIds: ids,
		contactsNames: ro(),
		contactsColumns: map,
		contactId: link('Contact'),
		contactName: ro(),
		stage: en('stage'),
		lastStage: { kind: 'enum', field: 'stage' },
		probability: int,
		leadSource: en('leadSource'),
		closeDate: date,
		description: text,
		campaignId: link('Campaign'),
		campaignName: ro(),
		originalLeadId: ro(),
		originalLeadName: ro(),
		contactRole: en('opportunityRole'),
	},
	Case: {
		...SYSTEM,
		name: v(255),
		number: ro(int),
		status: en('status'),
		priority: en('priority'),
		type: en('type'),
		description: text,
		accountId: link('Account'),
		accountName: ro(),
		leadId: link('Lead'),
		leadName: ro(),
		contactId: link('Contact'),
		contactName: ro(),
		contactsIds: ids,
		contactsNames: ro(),
		inboundEmailId: ro(),
		inboundEmailName: ro(),
		originalEmailId: link('Email'),
		originalEmailName: ro(),
		isInternal: bool,
		collaboratorsIds: ids,
		collaboratorsNames: ro(),
	},
	Task: {
		...SYSTEM,
		name: v(255),
		status: en('status'),
		priority: en('priority'),
		dateStart: datetime,
		dateStartDate: date,
		dateEnd: datetime,
		dateEndDate: date,
		dateCompleted: ro(datetime),
		description: text,
		parentId: { kind: 'parentId' },
		parentType,
		parentName: ro(),
		accountId: ro(),
		accountName: ro(),
		contactId: ro(),
		contactName: ro(),
		collaboratorsIds: ids,
		collaboratorsNames: ro(),
	},
	Email: {
		...SYSTEM,
		name: v(255),
		subject: v(255),
		fromString: v(255),
		replyToString: v(255),
		from: v(255),
		to: v(),
		cc: v(),
		bcc: v(),
		replyTo: v(),
		personStringData: v(255),
		emailAddress: v(255),
		fromName: ro(),
		fromAddress: ro(),
		body: text,
		bodyPlain: ro(text),
		isHtml: bool,
		status: en('status'),
		parentId: { kind: 'parentId' },
		parentType,
		parentName: ro(),
		dateSent: datetime,
		sendAt: datetime,
		messageId: ro(),
		isRead: ro(bool),
		isImportant: ro(bool),
		hasAttachment: ro(bool),
		sentById: ro(),
		sentByName: ro(),
		repliedId: link('Email'),
		accountId: ro(),
		accountName: ro(),
	},
	User: {
		id: ro(),
		userName: ro(v(50)),
		name: ro(),
		type: ro(),
		authMethod: ro(),
		isActive: ro(bool),
		salutationName: ro(),
		firstName: ro(v(100)),
		lastName: ro(v(100)),
		title: ro(v(100)),
		emailAddress: ro(email),
		phoneNumber: ro(v(36)),
		teamsIds: ro(ids),
		createdAt: ro(datetime),
		modifiedAt: ro(datetime),
	},
};

/** [spec] `{Entity}_create` required lists (Contact lastName; Account, Case name; Opportunity name, amount, closeDate; Task name, assigned user; Email name, from, to). */
const REQUIRED_ON_CREATE = {
	Lead: [],
	Contact: ['lastName'],
	Account: ['name'],
	Opportunity: ['name', 'amount', 'closeDate'],
	Case: ['name'],
	Task: ['name', 'assignedUserId'],
	Email: ['name', 'from', 'to'],
};

/** Parent entity types of tasks and emails ([spec] Task.parentType / Email.parentType, 9.x defaults). */
const PARENT_TYPES = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];

/** Entity types with record endpoints in the sandbox. */
const RECORD_ENTITIES = ['Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'Task', 'Email'];

// ---------------------------------------------------------------------------------------------
// Where items and search parameters.
// ---------------------------------------------------------------------------------------------

/** [spec] whereItem.type enum. */
const WHERE_TYPES = [
	'and', 'or', 'not', 'subQueryNotIn', 'subQueryIn', 'expression', 'in', 'notIn', 'equals', 'notEquals', 'on', 'notOn',
	'like', 'notLike', 'startsWith', 'endsWith', 'contains', 'notContains', 'greaterThan', 'lessThan', 'greaterThanOrEquals',
	'lessThanOrEquals', 'after', 'before', 'between', 'ever', 'any', 'none', 'isNull', 'isNotNull', 'isTrue', 'isFalse',
	'today', 'past', 'future', 'lastSevenDays', 'lastXDays', 'nextXDays', 'olderThanXDays', 'afterXDays', 'currentMonth',
	'nextMonth', 'lastMonth', 'currentQuarter', 'lastQuarter', 'currentYear', 'lastYear', 'currentFiscalYear',
	'lastFiscalYear', 'currentFiscalQuarter', 'lastFiscalQuarter', 'arrayAnyOf', 'arrayNoneOf', 'arrayAllOf',
	'arrayIsEmpty', 'arrayIsNotEmpty', 'linkedWith', 'notLinkedWith', 'linkedWithAll', 'isLinked', 'isNotLinked',
];
const GROUP_TYPES = ['and', 'or', 'not'];

const whereItem = {
	type: 'object',
	properties: {
		type: T.string({ enum: WHERE_TYPES }),
		attribute: T.string(),
		value: T.any(),
		dateTime: T.boolean(),
		timeZone: T.string(),
	},
	required: ['type'],
};

/** Deep where validation: group types hold where items; other types need an attribute. */
function checkWhere(items, path, out) {
	if (!Array.isArray(items)) {
		out.push(`${path} must be an array`);
		return;
	}
	items.forEach((item, i) => {
		const at = `${path}[${i}]`;
		validate(whereItem, item, at, out);
		if (!item || typeof item !== 'object') return;
		if (GROUP_TYPES.includes(item.type)) checkWhere(item.value, `${at}.value`, out);
		else if (typeof item.attribute !== 'string' || !item.attribute) out.push(`${at}.attribute is required for type ${item.type}`);
		else if (item.value !== undefined && item.value !== null && typeof item.value === 'object' && !Array.isArray(item.value)) {
			out.push(`${at}.value must be a scalar or an array ([spec] whereItem.value)`);
		}
	});
}

/** [search] `searchParams` JSON; [spec] maxSize 0..200, order asc|desc. */
const searchParamsSchema = T.object({
	where: T.any(),
	whereGroup: T.any(),
	select: T.array(T.string()),
	attributeSelect: T.array(T.string()),
	orderBy: T.string(),
	order: T.string({ enum: ['asc', 'desc', 'ASC', 'DESC'] }),
	maxSize: T.integer({ min: 0 }),
	offset: T.integer({ min: 0 }),
	textFilter: T.string(),
	q: T.string(),
	primaryFilter: T.string(),
	boolFilterList: T.array(T.string()),
});

/** [spec] list query parameters when passed one by one (the sandbox parses `where[0][type]=…`). */
const LIST_QUERY = ['searchParams', 'maxSize', 'offset', 'orderBy', 'order', 'select', 'attributeSelect', 'where', 'whereGroup', 'textFilter', 'primaryFilter', 'boolFilterList', 'q'];

// ---------------------------------------------------------------------------------------------
// Bodies of the non-record endpoints.
// ---------------------------------------------------------------------------------------------

const BODIES = {
	/** [stream] Post to stream. `isInternal` is a Note attribute (entityDefs Note). */
	note: T.object(
		{
			type: T.string({ enum: ['Post'] }),
			parentType: T.string({ enum: PARENT_TYPES }),
			parentId: T.string(),
			post: T.string(),
			attachmentsIds: T.array(T.string()),
			isInternal: T.boolean(),
		},
		{ required: ['parentType', 'parentId'] },
	),
	/** [webhooks] */
	webhook: T.object({ event: T.string(), url: T.string(), skipOwn: T.boolean() }, { required: ['event', 'url'] }),
	/** [source] (unverified) mass update. */
	massAction: T.object(
		{
			entityType: T.string(),
			action: T.string({ enum: ['update'] }),
			params: T.object({ ids: T.array(T.string(), { minItems: 1 }), where: T.any(), searchParams: T.any() }),
			data: T.object({ values: T.map(T.any()), actions: T.map(T.string()) }, { required: ['values'] }),
			idle: T.boolean(),
		},
		{ required: ['entityType', 'action', 'params', 'data'] },
	),
	/** [source] (unverified) lead conversion. */
	convert: T.object(
		{
			id: T.string(),
			records: T.object({ Account: T.map(T.any()), Contact: T.map(T.any()), Opportunity: T.map(T.any()) }),
			skipDuplicateCheck: T.boolean(),
		},
		{ required: ['id'] },
	),
	getConvertAttributes: T.object({ id: T.string() }, { required: ['id'] }),
};

/** [webhooks] event names: `{Entity}.create|update|delete`, `{Entity}.fieldUpdate.{field}`. */
const WEBHOOK_EVENT = /^([A-Z][A-Za-z0-9]*)\.(create|update|delete|fieldUpdate\.[A-Za-z0-9]+)$/;

module.exports = {
	T,
	validate,
	ATTRIBUTES,
	REQUIRED_ON_CREATE,
	PARENT_TYPES,
	RECORD_ENTITIES,
	WHERE_TYPES,
	GROUP_TYPES,
	checkWhere,
	searchParamsSchema,
	LIST_QUERY,
	BODIES,
	WEBHOOK_EVENT,
};
