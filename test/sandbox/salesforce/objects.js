'use strict';
/**
 * The sObject catalogue of the sandbox: which objects exist, their standard fields, field types
 * and properties (Create / Update / Nillable / Filter / Sort / Defaulted on create), written from
 * the Object Reference for the Salesforce Platform, Summer '26 (API 67.0):
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/
 * (one page per object: sforce_api_objects_<name>.htm) and the Field Reference tables
 * (https://developer.salesforce.com/docs/platform/field-reference/). Only the fields the
 * package's provider and the demo need are modelled; any other field name is answered like an
 * unknown field (INVALID_FIELD).
 *
 * Notes taken from those pages:
 * - Lead: LastName and Company are "Required"; Name is the read-only concatenation of
 *   FirstName, MiddleName, LastName; IsConverted / ConvertedDate / Converted*Id are
 *   Create-only ("set when converting the lead"); Status is backed by LeadStatus. DoNotCall is in
 *   the Lead field reference (salesforce-field-reference-lead.html: "DoNotCall | Do Not Call |
 *   boolean"), though the object page's list as stored here omits it.
 * - Opportunity: Name, StageName, CloseDate required; IsClosed / IsWon "can only be set via
 *   StageName"; Probability and ForecastCategoryName are "implied, but not directly controlled,
 *   by the StageName field"; ForecastCategory follows ForecastCategoryName; LastStageChangeDate
 *   (datetime, API 52.0+) is "the date of the last change made to the Stage field";
 *   LastAmountChangedHistoryId / LastCloseDateChangedHistoryId point at OpportunityHistory;
 *   PushCount counts close-date pushes by a calendar month.
 * - Case: CaseNumber is an auto number that "can't be set directly"; ClosedDate and IsClosed are
 *   read-only; Status is backed by CaseStatus.
 * - Task: Status (default Not Started) and Priority (default Normal) are required and defaulted;
 *   IsClosed is "only set indirectly via the Status picklist"; CompletedDateTime is read-only
 *   and follows the closed status (rules in store.js); TaskSubtype is restricted and "isn't
 *   updateable"; WhoId refers to Contact or Lead, WhatId to non-human records.
 * - OpportunityHistory and CaseHistory are read-only; neither has LastModifiedDate /
 *   LastModifiedById (CaseHistory has no SystemModstamp either), so those system fields are
 *   not modelled on them even though other objects carry them.
 * - The status objects (LeadStatus, OpportunityStage, CaseStatus, TaskStatus) support only
 *   describeSObjects(), query() and retrieve(); their field reference tables have no IsDeleted.
 */

const OR = 'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference';

/** Field builders. Properties mirror the Object Reference "Properties" column. */
const base = (type, label, extra = {}) => ({
	type,
	label,
	create: true,
	update: true,
	nillable: true,
	filter: true,
	sort: true,
	defaulted: false,
	required: false,
	...extra,
});
const F = {
	string: (label, length, extra) => base('string', label, { length, ...extra }),
	textarea: (label, length = 32000, extra) => base('textarea', label, { length, filter: false, sort: false, ...extra }),
	email: (label, extra) => base('email', label, { length: 80, ...extra }),
	phone: (label, extra) => base('phone', label, { length: 40, ...extra }),
	url: (label, extra) => base('url', label, { length: 255, ...extra }),
	picklist: (label, values, extra) => base('picklist', label, { length: 255, values, ...extra }),
	combobox: (label, values, extra) => base('combobox', label, { length: 255, values, ...extra }),
	boolean: (label, extra) => base('boolean', label, { nillable: false, defaulted: true, ...extra }),
	date: (label, extra) => base('date', label, extra),
	datetime: (label, extra) => base('datetime', label, extra),
	currency: (label, extra) => base('currency', label, { precision: 18, scale: 2, ...extra }),
	double: (label, extra) => base('double', label, { precision: 18, scale: 2, ...extra }),
	percent: (label, extra) => base('percent', label, { precision: 3, scale: 0, ...extra }),
	int: (label, extra) => base('int', label, { digits: 9, ...extra }),
	reference: (label, referenceTo, relationshipName, extra) => base('reference', label, { length: 18, referenceTo, relationshipName, ...extra }),
};
/** Read-only (system-set) variant of a field. */
const ro = (def) => ({ ...def, create: false, update: false });
/** Settable on create only. */
const createOnly = (def) => ({ ...def, update: false });

/** Id, IsDeleted and the audit fields every object carries (history objects: see header). */
function systemFields({ lastModified = true, systemModstamp = true, isDeleted = true } = {}) {
	const fields = {
		Id: ro(base('id', 'Record ID', { length: 18, nillable: false, idLookup: true })),
		CreatedDate: ro(F.datetime('Created Date', { nillable: false, defaulted: true })),
		CreatedById: ro(F.reference('Created By ID', ['User'], 'CreatedBy', { nillable: false, defaulted: true })),
	};
	if (isDeleted) fields.IsDeleted = ro(F.boolean('Deleted', { sort: false }));
	if (lastModified) {
		fields.LastModifiedDate = ro(F.datetime('Last Modified Date', { nillable: false, defaulted: true }));
		fields.LastModifiedById = ro(F.reference('Last Modified By ID', ['User'], 'LastModifiedBy', { nillable: false, defaulted: true }));
	}
	if (systemModstamp) fields.SystemModstamp = ro(F.datetime('System Modstamp', { nillable: false, defaulted: true }));
	return fields;
}

// Default values of the ordinary picklists (unrestricted: the API accepts other values).
// (unverified: these are the values of a new org as commonly seen; orgs customise them.)
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRIES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
const OWNER = (label = 'Owner ID') => F.reference(label, ['User'], 'Owner', { nillable: false, defaulted: true });

/** What a WhatId / RelatedToId / Note.ParentId may point at among the modelled objects. */
const WHAT_TYPES = ['Account', 'Opportunity', 'Case'];

const OBJECTS = {
	// sforce_api_objects_user.htm. Read-only in the sandbox (choice: users come from the seed).
	User: {
		label: 'User',
		labelPlural: 'Users',
		doc: `${OR}/sforce_api_objects_user.htm`,
		createable: false,
		updateable: false,
		deletable: false,
		fields: {
			...systemFields({ isDeleted: false }),
			Username: ro(F.string('Username', 80, { nillable: false, idLookup: true })),
			FirstName: ro(F.string('First Name', 40)),
			LastName: ro(F.string('Last Name', 80, { nillable: false })),
			Name: ro(F.string('Full Name', 121, { nillable: false, nameField: true })),
			Alias: ro(F.string('Alias', 8, { nillable: false })),
			Email: ro(F.email('Email', { nillable: false })),
			Title: ro(F.string('Title', 80)),
			IsActive: ro(F.boolean('Active')),
			UserType: ro(F.picklist('User Type', ['Standard', 'PowerPartner', 'PowerCustomerSuccess', 'CustomerSuccess', 'Guest', 'CspLitePortal', 'CsnOnly', 'SelfService'], { restricted: true })),
			TimeZoneSidKey: ro(F.picklist('Time Zone', ['GMT', 'Europe/Berlin', 'America/Los_Angeles'], { restricted: true, nillable: false })),
		},
	},
	// sforce_api_objects_lead.htm
	Lead: {
		label: 'Lead',
		labelPlural: 'Leads',
		doc: `${OR}/sforce_api_objects_lead.htm`,
		fields: {
			...systemFields(),
			Salutation: F.picklist('Salutation', SALUTATIONS),
			FirstName: F.string('First Name', 40),
			MiddleName: F.string('Middle Name', 40),
			LastName: F.string('Last Name', 80, { nillable: false, required: true }),
			Name: ro(F.string('Full Name', 203, { nillable: false, nameField: true })),
			Company: F.string('Company', 255, { required: true }),
			Title: F.string('Title', 128),
			Email: F.email('Email', { idLookup: true }),
			Phone: F.phone('Phone'),
			MobilePhone: F.phone('Mobile Phone'),
			Website: F.url('Website'),
			Street: F.textarea('Street', 255, { filter: true, sort: true }),
			City: F.string('City', 40),
			State: F.string('State/Province', 80),
			PostalCode: F.string('Zip/Postal Code', 20),
			Country: F.string('Country', 80),
			Description: F.textarea('Description'),
			Status: F.picklist('Status', { source: 'LeadStatus' }, { nillable: false, defaulted: true, restricted: true }),
			LeadSource: F.picklist('Lead Source', LEAD_SOURCES),
			Industry: F.picklist('Industry', INDUSTRIES),
			Rating: F.picklist('Rating', RATINGS),
			NumberOfEmployees: F.int('Employees'),
			AnnualRevenue: F.currency('Annual Revenue'),
			OwnerId: OWNER(),
			IsConverted: createOnly(F.boolean('Converted')),
			ConvertedDate: createOnly(F.date('Converted Date')),
			ConvertedAccountId: createOnly(F.reference('Converted Account ID', ['Account'], 'ConvertedAccount')),
			ConvertedContactId: createOnly(F.reference('Converted Contact ID', ['Contact'], 'ConvertedContact')),
			ConvertedOpportunityId: createOnly(F.reference('Converted Opportunity ID', ['Opportunity'], 'ConvertedOpportunity')),
			IsUnreadByOwner: F.boolean('Unread By Owner'),
			HasOptedOutOfEmail: F.boolean('Email Opt Out', { sort: false }),
			HasOptedOutOfFax: F.boolean('Fax Opt Out'),
			DoNotCall: F.boolean('Do Not Call'),
			LastActivityDate: ro(F.date('Last Activity')),
		},
	},
	// sforce_api_objects_contact.htm
	Contact: {
		label: 'Contact',
		labelPlural: 'Contacts',
		doc: `${OR}/sforce_api_objects_contact.htm`,
		fields: {
			...systemFields(),
			Salutation: F.picklist('Salutation', SALUTATIONS),
			FirstName: F.string('First Name', 40),
			LastName: F.string('Last Name', 80, { nillable: false, required: true }),
			Name: ro(F.string('Full Name', 121, { nillable: false, nameField: true })),
			Email: F.email('Email', { idLookup: true }),
			Phone: F.phone('Business Phone'),
			MobilePhone: F.phone('Mobile Phone'),
			Title: F.string('Title', 128),
			Department: F.string('Department', 80),
			AccountId: F.reference('Account ID', ['Account'], 'Account'),
			ReportsToId: F.reference('Reports To ID', ['Contact'], 'ReportsTo'),
			OwnerId: OWNER(),
			LeadSource: F.picklist('Lead Source', LEAD_SOURCES),
			MailingStreet: F.textarea('Mailing Street', 255, { filter: true, sort: true }),
			MailingCity: F.string('Mailing City', 40),
			MailingState: F.string('Mailing State/Province', 80),
			MailingPostalCode: F.string('Mailing Zip/Postal Code', 20),
			MailingCountry: F.string('Mailing Country', 80),
			Birthdate: F.date('Birthdate'),
			Description: F.textarea('Contact Description'),
			HasOptedOutOfEmail: F.boolean('Email Opt Out', { sort: false }),
			HasOptedOutOfFax: F.boolean('Fax Opt Out'),
			DoNotCall: F.boolean('Do Not Call'),
			LastActivityDate: ro(F.date('Last Activity')),
		},
	},
	// sforce_api_objects_account.htm
	Account: {
		label: 'Account',
		labelPlural: 'Accounts',
		doc: `${OR}/sforce_api_objects_account.htm`,
		fields: {
			...systemFields(),
			Name: F.string('Account Name', 255, { nillable: false, required: true, nameField: true }),
			Type: F.picklist('Account Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other']),
			Industry: F.picklist('Industry', INDUSTRIES),
			Rating: F.picklist('Account Rating', RATINGS),
			AccountSource: F.picklist('Account Source', LEAD_SOURCES),
			Website: F.url('Website'),
			Phone: F.phone('Account Phone'),
			Description: F.textarea('Account Description'),
			NumberOfEmployees: F.int('Employees'),
			AnnualRevenue: F.currency('Annual Revenue'),
			BillingStreet: F.textarea('Billing Street', 255, { filter: true, sort: true }),
			BillingCity: F.string('Billing City', 40),
			BillingState: F.string('Billing State/Province', 80),
			BillingPostalCode: F.string('Billing Zip/Postal Code', 20),
			BillingCountry: F.string('Billing Country', 80),
			ParentId: F.reference('Parent Account ID', ['Account'], 'Parent'),
			OwnerId: OWNER(),
			LastActivityDate: ro(F.date('Last Activity')),
		},
	},
	// sforce_api_objects_opportunity.htm
	Opportunity: {
		label: 'Opportunity',
		labelPlural: 'Opportunities',
		doc: `${OR}/sforce_api_objects_opportunity.htm`,
		fields: {
			...systemFields(),
			Name: F.string('Name', 120, { nillable: false, required: true, nameField: true }),
			AccountId: F.reference('Account ID', ['Account'], 'Account'),
			ContactId: createOnly(F.reference('Contact ID', ['Contact'], 'Contact')),
			StageName: F.picklist('Stage', { source: 'OpportunityStage' }, { nillable: false, required: true, restricted: true }),
			Amount: F.currency('Amount'),
			Probability: F.percent('Probability (%)', { defaulted: true }),
			ExpectedRevenue: ro(F.currency('Expected Amount')),
			CloseDate: F.date('Close Date', { nillable: false, required: true }),
			Type: F.picklist('Opportunity Type', ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer']),
			LeadSource: F.picklist('Lead Source', LEAD_SOURCES),
			NextStep: F.string('Next Step', 255),
			Description: F.textarea('Description'),
			IsClosed: ro(F.boolean('Closed')),
			IsWon: ro(F.boolean('Won')),
			ForecastCategory: ro(F.picklist('Forecast Category', ['BestCase', 'Closed', 'Forecast', 'MostLikely', 'Omitted', 'Pipeline'], { restricted: true, nillable: false })),
			ForecastCategoryName: F.picklist('Forecast Category', ['Pipeline', 'Best Case', 'Commit', 'Most Likely', 'Closed', 'Omitted'], { restricted: true, defaulted: true }),
			OwnerId: OWNER(),
			LastStageChangeDate: ro(F.datetime('Last Stage Change Date')),
			LastAmountChangedHistoryId: ro(F.reference('Opportunity History ID', ['OpportunityHistory'], 'LastAmountChangedHistory')),
			LastCloseDateChangedHistoryId: ro(F.reference('Opportunity History ID', ['OpportunityHistory'], 'LastCloseDateChangedHistory')),
			PushCount: ro(F.int('Push Count')),
			LastActivityDate: ro(F.date('Last Activity')),
		},
	},
	// sforce_api_objects_opportunityhistory.htm ("This object is read-only. The system generates a
	// new record whenever a user or client application changes the value of any of [Amount,
	// Probability, Stage, Close Date]").
	OpportunityHistory: {
		label: 'Opportunity History',
		labelPlural: 'Opportunity History',
		doc: `${OR}/sforce_api_objects_opportunityhistory.htm`,
		createable: false,
		updateable: false,
		deletable: false,
		fields: {
			...systemFields({ lastModified: false }),
			OpportunityId: ro(F.reference('Opportunity ID', ['Opportunity'], 'Opportunity', { nillable: false })),
			StageName: ro(F.picklist('Stage Name', { source: 'OpportunityStage' }, { nillable: false })),
			Amount: ro(F.currency('Amount')),
			ExpectedRevenue: ro(F.currency('Expected Revenue')),
			CloseDate: ro(F.date('Close Date')),
			Probability: ro(F.percent('Probability')),
			ForecastCategory: ro(F.picklist('To Forecast Category', ['BestCase', 'Closed', 'Forecast', 'MostLikely', 'Omitted', 'Pipeline'], { restricted: true })),
			PrevAmount: ro(F.currency('Previous Amount')),
			PrevCloseDate: ro(F.date('Previous Close Date')),
		},
	},
	// sforce_api_objects_case.htm
	Case: {
		label: 'Case',
		labelPlural: 'Cases',
		doc: `${OR}/sforce_api_objects_case.htm`,
		fields: {
			...systemFields(),
			CaseNumber: ro(F.string('Case Number', 30, { nillable: false, defaulted: true, autoNumber: true, idLookup: true, nameField: true })),
			Subject: F.string('Subject', 255),
			Description: F.textarea('Description'),
			Status: F.picklist('Status', { source: 'CaseStatus' }, { defaulted: true, restricted: true }),
			Priority: F.picklist('Priority', ['High', 'Medium', 'Low'], { defaulted: true, defaultValue: 'Medium' }),
			Origin: F.picklist('Case Origin', ['Phone', 'Email', 'Web']),
			Type: F.picklist('Case Type', ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']),
			Reason: F.picklist('Case Reason', ['Installation', 'Equipment Complexity', 'Performance', 'Breakdown', 'Equipment Design', 'Feedback', 'Other']),
			IsClosed: ro(F.boolean('Closed')),
			ClosedDate: ro(F.datetime('Closed Date')),
			IsEscalated: F.boolean('Escalated'),
			ContactId: F.reference('Contact ID', ['Contact'], 'Contact'),
			AccountId: F.reference('Account ID', ['Account'], 'Account'),
			ParentId: F.reference('Parent Case ID', ['Case'], 'Parent'),
			SuppliedName: F.string('Web Name', 80),
			SuppliedEmail: F.email('Web Email'),
			SuppliedPhone: F.string('Web Phone', 40),
			OwnerId: OWNER(),
		},
	},
	// sforce_api_objects_casehistory.htm ("This object is always read-only"; "Case history entries
	// are indirectly created each time a case is modified"; two rows when a foreign key changes).
	CaseHistory: {
		label: 'Case History',
		labelPlural: 'Case History',
		doc: `${OR}/sforce_api_objects_casehistory.htm`,
		createable: false,
		updateable: false,
		deletable: false,
		fields: {
			...systemFields({ lastModified: false, systemModstamp: false }),
			CaseId: ro(F.reference('Case ID', ['Case'], 'Case', { nillable: false })),
			Field: ro(F.picklist('Changed Field', { source: 'fieldNames' }, { nillable: false, restricted: true })),
			DataType: ro(F.picklist('Data Type', ['Text', 'DynamicEnum', 'EntityId', 'Boolean', 'Date', 'DateTime', 'Currency', 'Double', 'Percent', 'Email', 'Phone'], { restricted: true })),
			OldValue: ro(base('anyType', 'Old Value', { length: 255, filter: false })),
			NewValue: ro(base('anyType', 'New Value', { length: 255, filter: false })),
		},
	},
	// sforce_api_objects_task.htm
	Task: {
		label: 'Task',
		labelPlural: 'Tasks',
		doc: `${OR}/sforce_api_objects_task.htm`,
		fields: {
			...systemFields(),
			Subject: F.combobox('Subject', ['Call', 'Send Letter', 'Send Quote', 'Other']),
			Description: F.textarea('Description'),
			Status: F.picklist('Status', { source: 'TaskStatus' }, { nillable: false, defaulted: true, required: true, restricted: true }),
			Priority: F.picklist('Priority', ['High', 'Normal', 'Low'], { nillable: false, defaulted: true, required: true, defaultValue: 'Normal' }),
			ActivityDate: F.date('Due Date Only'),
			WhoId: F.reference('Name ID', ['Contact', 'Lead'], 'Who'),
			WhatId: F.reference('Related To ID', WHAT_TYPES, 'What'),
			AccountId: ro(F.reference('Account ID', ['Account'], 'Account')),
			OwnerId: OWNER('Assigned To ID'),
			Type: F.picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
			TaskSubtype: createOnly(F.picklist('Task Subtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], { restricted: true })),
			IsClosed: ro(F.boolean('Closed')),
			IsHighPriority: ro(F.boolean('High Priority')),
			CompletedDateTime: ro(F.datetime('Completed Date')),
			CallDurationInSeconds: F.int('Call Duration'),
		},
	},
	// sforce_api_objects_note.htm
	// object-opportunitycontactrole.html: "Represents the role that a Contact plays on an
	// Opportunity"; OpportunityId required and not updateable; ContactId Create/Update; IsPrimary
	// "Defaulted on create" (false), one primary per opportunity; Role a picklist.
	OpportunityContactRole: {
		label: 'Opportunity Contact Role',
		labelPlural: 'Opportunity Contact Roles',
		doc: `${OR}/sforce_api_objects_opportunitycontactrole.htm`,
		fields: {
			...systemFields(),
			OpportunityId: createOnly(F.reference('Opportunity ID', ['Opportunity'], 'Opportunity', { nillable: false, required: true })),
			ContactId: F.reference('Contact ID', ['Contact'], 'Contact', { nillable: false, required: true }),
			IsPrimary: F.boolean('Primary'),
			Role: F.picklist('Role', ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other']),
		},
	},
	Note: {
		label: 'Note',
		labelPlural: 'Notes',
		doc: `${OR}/sforce_api_objects_note.htm`,
		fields: {
			...systemFields(),
			ParentId: createOnly(F.reference('Parent ID', ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'], 'Parent', { nillable: false, required: true })),
			Title: F.string('Title', 80, { nillable: false, required: true, nameField: true }),
			Body: F.textarea('Body', 32000),
			IsPrivate: F.boolean('Private'),
			OwnerId: OWNER(),
		},
	},
	// sforce_api_objects_emailmessage.htm ("If your org uses Enhanced Email, each email is stored
	// as an EmailMessage record and a Task record"; Status: 0 New .. 5 Draft, "For emails not
	// sent as part of a case, only the status 3 (Sent) is valid").
	EmailMessage: {
		label: 'Email Message',
		labelPlural: 'Email Messages',
		doc: `${OR}/sforce_api_objects_emailmessage.htm`,
		fields: {
			...systemFields(),
			Subject: F.string('Subject', 3000),
			TextBody: F.textarea('Text Body', 131072),
			HtmlBody: F.textarea('HTML Body', 131072),
			FromAddress: F.email('From Address'),
			FromName: F.string('From Name', 1000),
			ToAddress: F.string('To Address', 4000),
			CcAddress: F.string('CC Address', 4000),
			BccAddress: F.string('BCC Address', 4000),
			Status: F.picklist('Status', [['0', 'New'], ['1', 'Read'], ['2', 'Replied'], ['3', 'Sent'], ['4', 'Forwarded'], ['5', 'Draft']], { nillable: false, required: true, restricted: true }),
			MessageDate: F.datetime('Message Date'),
			Incoming: createOnly(F.boolean('Is Incoming')),
			RelatedToId: F.reference('Related To ID', WHAT_TYPES, 'RelatedTo'),
			ParentId: createOnly(F.reference('Case ID', ['Case'], 'Parent')),
			ActivityId: createOnly(F.reference('Activity ID', ['Task'], 'Activity')),
			Name: ro(F.string('Email Message Name', 255, { nillable: false, nameField: true })),
			HasAttachment: ro(F.boolean('Has Attachment')),
		},
	},
	// The status objects: sforce_api_objects_leadstatus.htm, _opportunitystage.htm,
	// _casestatus.htm, _taskstatus.htm (describeSObjects(), query(), retrieve() only).
	LeadStatus: statusObject('Lead Status', 'leadstatus', {
		IsConverted: ro(F.boolean('Is Converted')),
		IsDefault: ro(F.boolean('Is Default')),
	}),
	OpportunityStage: statusObject('Opportunity Stage', 'opportunitystage', {
		DefaultProbability: ro(F.percent('Probability (%)')),
		Description: ro(F.string('Description', 255)),
		ForecastCategory: ro(F.picklist('Forecast Category', ['BestCase', 'Closed', 'Forecast', 'MostLikely', 'Omitted', 'Pipeline'], { restricted: true, nillable: false })),
		ForecastCategoryName: ro(F.picklist('Forecast Category Name', ['Pipeline', 'Best Case', 'Commit', 'Most Likely', 'Closed', 'Omitted'], { restricted: true, nillable: false })),
		IsActive: ro(F.boolean('Is Active')),
		IsClosed: ro(F.boolean('Closed')),
		IsWon: ro(F.boolean('Won')),
	}),
	CaseStatus: statusObject('Case Status Value', 'casestatus', {
		IsClosed: ro(F.boolean('Is Closed')),
		IsDefault: ro(F.boolean('Is Default')),
	}),
	TaskStatus: statusObject('Task Status Value', 'taskstatus', {
		IsClosed: ro(F.boolean('Is Closed')),
		IsDefault: ro(F.boolean('Is Default')),
	}),
	// FieldDefinition (Tooling API object, "exposed in SOAP API version 45.0 and later"; queryable
	// through /query): https://developer.salesforce.com/docs/platform/api-tooling/references/tooling-objects/tooling-fielddefinition.html
	// IsFieldHistoryTracked tells whether field history tracking is on for a field. Rows are
	// generated from this catalogue (see virtualRows in store.js).
	FieldDefinition: {
		label: 'Field Definition',
		labelPlural: 'Field Definitions',
		doc: 'https://developer.salesforce.com/docs/platform/api-tooling/references/tooling-objects/tooling-fielddefinition.html',
		createable: false,
		updateable: false,
		deletable: false,
		virtual: true,
		fields: {
			Id: ro(base('id', 'Field Definition ID', { length: 18, nillable: false })),
			DurableId: ro(F.string('Durable ID', 255)),
			QualifiedApiName: ro(F.string('Qualified API Name', 255, { nillable: false })),
			EntityDefinitionId: ro(F.string('Entity Definition ID', 255)),
			DeveloperName: ro(F.string('Developer Name', 40)),
			NamespacePrefix: ro(F.string('Namespace Prefix', 15)),
			Label: ro(F.string('Label', 255)),
			DataType: ro(F.string('Data Type', 255)),
			IsFieldHistoryTracked: ro(F.boolean('Is Field History Tracked')),
			IsNillable: ro(F.boolean('Is Nillable')),
			IsCalculated: ro(F.boolean('Is Calculated')),
		},
	},
};

function statusObject(label, page, extra) {
	return {
		label,
		labelPlural: `${label}s`,
		doc: `${OR}/sforce_api_objects_${page}.htm`,
		createable: false,
		updateable: false,
		deletable: false,
		statusObject: true,
		fields: {
			...systemFields({ isDeleted: false }),
			ApiName: ro(F.string('API Name', 255, { nillable: false, idLookup: true })),
			MasterLabel: ro(F.string('Master Label', 255, { nameField: true })),
			SortOrder: ro(F.int('Sort Order')),
			...extra,
		},
	};
}

/** Which status object backs a picklist field, and which flag a status carries. */
const STATUS_BACKED = {
	'Lead.Status': 'LeadStatus',
	'Opportunity.StageName': 'OpportunityStage',
	'Case.Status': 'CaseStatus',
	'Task.Status': 'TaskStatus',
};

const OBJECT_NAMES = Object.keys(OBJECTS);
const LOWER_OBJECTS = new Map(OBJECT_NAMES.map((n) => [n.toLowerCase(), n]));

/** The canonical object name for a name in any case, or undefined. */
function objectName(name) {
	return LOWER_OBJECTS.get(String(name).toLowerCase());
}

const fieldIndex = new Map();
for (const [name, def] of Object.entries(OBJECTS)) {
	fieldIndex.set(name, new Map(Object.keys(def.fields).map((f) => [f.toLowerCase(), f])));
}

/** The canonical field name for a field of an object (case-insensitive), or undefined. */
function fieldName(object, name) {
	const index = fieldIndex.get(object);
	return index ? index.get(String(name).toLowerCase()) : undefined;
}

function fieldDef(object, name) {
	const canonical = fieldName(object, name);
	return canonical ? { name: canonical, ...OBJECTS[object].fields[canonical] } : undefined;
}

/** Whether an object may be written through the API (createable / updateable / deletable). */
function objectFlag(object, flag) {
	const def = OBJECTS[object];
	return def[flag] !== false;
}

module.exports = { OBJECTS, OBJECT_NAMES, STATUS_BACKED, WHAT_TYPES, objectName, fieldName, fieldDef, objectFlag };
