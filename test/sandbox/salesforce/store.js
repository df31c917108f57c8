'use strict';
/**
 * The org behind the Salesforce sandbox: records, write rules, derived fields and history rows.
 * Everything here is transport-free: server.js maps HTTP requests onto these methods, and the
 * sandbox's JS API (insert / update / remove) uses the same methods, so both apply one set of
 * rules.
 *
 * Errors are thrown as SfError with Salesforce's error items `{message, errorCode, fields}`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm ;
 * status codes: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm).
 * Message texts follow what Salesforce returns where known; the ones marked (unverified) are the
 * sandbox's best wording.
 */
const { OBJECTS, STATUS_BACKED, fieldDef, objectFlag } = require('./objects');
const { PREFIXES, makeId, normalizeId, typeOfId } = require('./ids');
const { parseDateTime, isDate, isEmail } = require('./values');
const seed = require('./seed');

class SfError extends Error {
	/** @param {number} status HTTP status @param {Array<{message:string,errorCode:string,fields?:string[]}>} errors */
	constructor(status, errors, violations = []) {
		super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
		this.status = status;
		this.errors = errors;
		this.violations = violations;
	}
}

const err = (errorCode, message, fields) => (fields === undefined ? { message, errorCode } : { message, errorCode, fields });
const fail = (errorCode, message, fields, status = 400) => new SfError(status, [err(errorCode, message, fields)]);

const STRING_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox', 'reference', 'id']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int']);
const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** The SOAP-style type name Salesforce's JSON parser reports (JSON_PARSER_ERROR messages). */
const PARSER_TYPE = { boolean: 'boolean', int: 'int', double: 'double', currency: 'double', percent: 'double', date: 'date', datetime: 'datetime' };

function jsonToken(value) {
	if (value === null) return 'VALUE_NULL';
	if (typeof value === 'string') return 'VALUE_STRING';
	if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
	if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
	if (Array.isArray(value)) return 'START_ARRAY';
	return 'START_OBJECT';
}

class Org {
	constructor({ clock }) {
		this.clock = clock;
		this.orgId = '00DHs0000000001MAA';
		this.lagMs = 0;
		this.reset(true);
	}

	/**
	 * The org's clock in whole seconds: Salesforce keeps datetimes to the second (every REST
	 * response shows ".000" milliseconds), and the SOQL datetime literal has no fraction.
	 */
	now() {
		return Math.floor(this.clock() / 1000) * 1000;
	}

	// ------------------------------------------------------------------ setup

	reset(withSeed = true) {
		this.records = new Map(Object.keys(OBJECTS).filter((t) => !OBJECTS[t].virtual).map((t) => [t, new Map()]));
		this.deleted = new Map();
		this.counters = new Map();
		this.caseNumber = 1000;
		this.fieldHistory = seed.fieldHistory();
		this.users = new Map();
		const at = seed.SEED_TIME;
		const rows = seed.users();
		this.integrationUserId = this.nextId('User');
		for (const [i, row] of rows.entries()) {
			const { key, ...fields } = row;
			const id = i === 0 ? this.integrationUserId : this.nextId('User');
			this.putSystem('User', id, { ...fields, Name: `${fields.FirstName} ${fields.LastName}` }, at, this.integrationUserId);
			this.users.set(key, id);
		}
		const picklists = seed.picklists();
		for (const [object, values] of Object.entries(picklists)) this.setPicklist(object, values, at);
		if (!withSeed) {
			// An empty org still needs the integration user and the status picklists to work at all.
			for (const [key, id] of [...this.users]) {
				if (key !== 'integration') {
					this.store('User').delete(id);
					this.users.delete(key);
				}
			}
		}
	}

	nextId(type) {
		const n = (this.counters.get(PREFIXES[type]) || 0) + 1;
		this.counters.set(PREFIXES[type], n);
		return makeId(PREFIXES[type], n);
	}

	store(type) {
		return this.records.get(type);
	}

	/** Writes a record without validation (seed rows, status values, history rows). */
	putSystem(type, id, values, at = this.now(), userId = this.integrationUserId) {
		const fields = OBJECTS[type].fields;
		const record = { type, id, values: { Id: id }, versions: [] };
		for (const name of Object.keys(fields)) if (record.values[name] === undefined) record.values[name] = null;
		for (const [name, def] of Object.entries(fields)) if (def.type === 'boolean') record.values[name] = false;
		Object.assign(record.values, values);
		if ('CreatedDate' in fields) record.values.CreatedDate = at;
		if ('CreatedById' in fields) record.values.CreatedById = userId;
		if ('LastModifiedDate' in fields) record.values.LastModifiedDate = at;
		if ('LastModifiedById' in fields) record.values.LastModifiedById = userId;
		if ('SystemModstamp' in fields) record.values.SystemModstamp = at;
		if ('IsDeleted' in fields) record.values.IsDeleted = false;
		record.versions.push({ at, values: { ...record.values } });
		this.store(type).set(id, record);
		return record;
	}

	/** Replaces the values of a status object (LeadStatus, OpportunityStage, CaseStatus, TaskStatus). */
	setPicklist(object, values, at = this.now()) {
		if (!OBJECTS[object] || !OBJECTS[object].statusObject) throw new Error(`setPicklist: ${object} is not a status object`);
		if (!Array.isArray(values) || values.length === 0) throw new Error(`setPicklist(${object}): give at least one value`);
		const rows = values.map((v, i) => seed.statusRow(object, v, i));
		const labels = new Set();
		for (const row of rows) {
			if (labels.has(row.MasterLabel.toLowerCase())) throw new Error(`setPicklist(${object}): duplicate value ${row.MasterLabel}`);
			labels.add(row.MasterLabel.toLowerCase());
		}
		if (object !== 'OpportunityStage' && !rows.some((r) => r.IsDefault)) rows[0].IsDefault = true;
		this.store(object).clear();
		for (const row of rows) this.putSystem(object, this.nextId(object), row, at);
	}

	/** Status rows of a status object, in SortOrder. */
	statusRows(object) {
		return [...this.store(object).values()].map((r) => r.values).sort((a, b) => a.SortOrder - b.SortOrder);
	}

	statusRow(object, label) {
		if (label === null || label === undefined) return undefined;
		return this.statusRows(object).find((r) => r.MasterLabel === label);
	}

	defaultStatus(object) {
		const rows = this.statusRows(object);
		if (object === 'OpportunityStage') return rows.find((r) => r.IsActive && !r.IsClosed);
		return rows.find((r) => r.IsDefault) || rows[0];
	}

	setFieldHistory(object, field, on) {
		if (object !== 'Case') throw new Error('setFieldHistory: the sandbox models field history for Case only (CaseHistory)');
		const def = fieldDef('Case', field);
		if (!def) throw new Error(`setFieldHistory: Case has no field ${field}`);
		this.fieldHistory[`Case.${def.name}`] = Boolean(on);
	}

	isTracked(object, field) {
		return Boolean(this.fieldHistory[`${object}.${field}`]);
	}

	// ------------------------------------------------------------------ reads

	/** A live record by id (15 or 18 characters), or undefined. */
	find(id) {
		const id18 = normalizeId(id);
		if (!id18) return undefined;
		for (const store of this.records.values()) {
			const record = store.get(id18);
			if (record) return record;
		}
		return undefined;
	}

	get(type, id) {
		const id18 = normalizeId(id);
		return id18 ? this.store(type).get(id18) : undefined;
	}

	list(type) {
		return [...this.store(type).values()];
	}

	/** Field values a query sees: the last committed version at least `lagMs` old (see setVisibilityLag). */
	visibleValues(record, cutoff) {
		if (!this.lagMs) return record.values;
		for (let i = record.versions.length - 1; i >= 0; i--) {
			if (record.versions[i].at <= cutoff) return record.versions[i].values;
		}
		return null;
	}

	/** Rows a query over `type` sees now, including records deleted within the lag window. */
	queryRows(type) {
		if (OBJECTS[type].virtual) return this.virtualRows(type);
		const cutoff = this.now() - this.lagMs;
		const rows = [];
		for (const record of this.store(type).values()) {
			const values = this.visibleValues(record, cutoff);
			if (values) rows.push(values);
		}
		if (this.lagMs) {
			for (const tomb of this.deleted.values()) {
				if (tomb.type === type && tomb.at > cutoff) {
					const values = this.visibleValues(tomb.record, cutoff);
					if (values) rows.push(values);
				}
			}
		}
		return rows.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
	}

	/** FieldDefinition rows generated from the catalogue (with IsFieldHistoryTracked). */
	virtualRows() {
		const rows = [];
		for (const [object, def] of Object.entries(OBJECTS)) {
			if (def.virtual) continue;
			for (const [name, field] of Object.entries(def.fields)) {
				rows.push({
					Id: '000000000000000AAA',
					DurableId: `${object}.${name}`,
					QualifiedApiName: name,
					EntityDefinitionId: object,
					DeveloperName: name,
					NamespacePrefix: null,
					Label: field.label,
					DataType: uiDataType(field),
					IsFieldHistoryTracked: this.isTracked(object, name),
					IsNillable: Boolean(field.nillable),
					IsCalculated: Boolean(field.calculated),
				});
			}
		}
		return rows;
	}

	// ------------------------------------------------------------------ writes

	/**
	 * Checks a create or update and returns a plan; nothing changes. Throws SfError in the order
	 * Salesforce reports problems: unknown field, value of the wrong JSON type, read-only field,
	 * converted lead, invalid values, missing required fields, cross-field rules.
	 */
	prepare(type, input, { mode, existing, userId }) {
		const object = OBJECTS[type];
		if (mode === 'create' && !objectFlag(type, 'createable')) {
			throw fail('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${object.label}`);
		}
		if (mode === 'update' && !objectFlag(type, 'updateable')) {
			throw fail('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${object.label}`);
		}
		if (input === null || typeof input !== 'object' || Array.isArray(input)) {
			throw new SfError(400, [err('JSON_PARSER_ERROR', `Cannot deserialize instance of ${type} from ${jsonToken(input)} value`)], [
				'body must be a JSON object of field values',
			]);
		}
		const entries = [];
		for (const [key, value] of Object.entries(input)) {
			if (key === 'attributes') continue;
			const def = fieldDef(type, key);
			if (!def) throw fail('INVALID_FIELD', `No such column '${key}' on sobject of type ${type}`);
			entries.push({ def, value });
		}
		// JSON value types (the REST JSON parser rejects values that don't match the field's type).
		for (const { def, value } of entries) {
			const problem = jsonTypeProblem(def, value);
			if (problem) {
				throw new SfError(
					400,
					[err('JSON_PARSER_ERROR', `Cannot deserialize instance of ${PARSER_TYPE[def.type] || 'string'} from ${jsonToken(value)} value ${JSON.stringify(value)} or request may be missing a required field`)],
					[`body.${def.name} ${problem}`],
				);
			}
		}
		const readOnly = entries.filter(({ def }) => (mode === 'create' ? !def.create : !def.update)).map(({ def }) => def.name);
		if (readOnly.length) {
			throw fail(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
				`Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
				readOnly,
			);
		}
		if (mode === 'update' && type === 'Lead' && existing.values.IsConverted) {
			// Lead page: "After a lead has been converted, it's read only."
			throw fail('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
		}
		const values = {};
		for (const { def, value } of entries) values[def.name] = this.normalizeValue(type, def, value, { userId });
		const effective = { ...(existing ? existing.values : {}), ...values };
		this.checkRequired(type, mode, values);
		this.checkCrossField(type, mode, values, effective, existing);
		return { type, mode, existing, values, userId };
	}

	normalizeValue(type, def, raw, { userId }) {
		let value = raw;
		if (typeof value === 'string' && STRING_TYPES.has(def.type) && value === '') value = null;
		if (value === null) return null;
		const label = def.label;
		if (def.type === 'datetime') return parseDateTime(value);
		if (def.type === 'date' || def.type === 'boolean' || NUMBER_TYPES.has(def.type)) return value;
		if (def.length && value.length > def.length) {
			throw fail('STRING_TOO_LONG', `${label}: data value too large: ${value} (max length=${def.length})`, [def.name]);
		}
		if (def.type === 'email' && !isEmail(value)) throw fail('INVALID_EMAIL_ADDRESS', `${label}: invalid email address: ${value}`, [def.name]);
		if (def.type === 'picklist' && def.restricted) {
			const allowed = this.picklistValues(type, def).map((p) => p.value);
			if (!allowed.includes(value)) {
				throw fail('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${label}: bad value for restricted picklist field: ${value}`, [def.name]);
			}
		}
		if (def.type === 'reference') return this.checkReference(def, value, userId);
		return value;
	}

	/** Reference checks: id format, target type, existence, active owner. */
	checkReference(def, value) {
		const id = normalizeId(value);
		if (!id) throw fail('MALFORMED_ID', `${def.label}: id value of incorrect type: ${value}`, [def.name]);
		const target = typeOfId(id);
		const allowed = def.referenceTo.filter((t) => PREFIXES[t] === id.slice(0, 3));
		if (!target || allowed.length === 0) {
			throw fail('FIELD_INTEGRITY_EXCEPTION', `${def.label}: id value of incorrect type: ${value}`, [def.name]);
		}
		const record = allowed.map((t) => this.store(t).get(id)).find(Boolean);
		if (!record) {
			if (this.deleted.has(id)) throw fail('ENTITY_IS_DELETED', 'entity is deleted', [def.name]);
			throw fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [def.name]);
		}
		if (record.type === 'User' && !record.values.IsActive && def.name === 'OwnerId') {
			throw fail('INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${id}] as owner of record`, [def.name]);
		}
		return id;
	}

	/**
	 * Required fields ("Required" in the Object Reference, or not nillable without a default) must
	 * be given on create and can't be cleared (null / "") on update.
	 */
	checkRequired(type, mode, values) {
		const missing = [];
		for (const [name, def] of Object.entries(OBJECTS[type].fields)) {
			if (!def.create && !def.update) continue;
			const needed = def.required || !def.nillable;
			if (name in values) {
				if (values[name] === null && needed) missing.push(name);
			} else if (mode === 'create' && needed && !def.defaulted && def.create) {
				missing.push(name);
			}
		}
		if (missing.length) throw fail('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
	}

	checkCrossField(type, mode, values, effective) {
		if (type === 'Lead' && 'Status' in values && !effective.IsConverted) {
			const status = this.statusRow('LeadStatus', values.Status);
			if (status && status.IsConverted) {
				// Lead page: "You can't convert a lead via the API by changing Status to one of the
				// converted lead status values." (error code and text: unverified)
				throw fail('FIELD_INTEGRITY_EXCEPTION', `Status: ${values.Status} is a converted status; convert the lead with convertLead() instead`, ['Status']);
			}
		}
		if (type === 'Task' && effective.WhoId && typeOfId(effective.WhoId) === 'Lead' && effective.WhatId) {
			// Tasks on leads can't also relate to another record (emailSimple docs: relatedRecordId
			// "can't be used to log an email if recipientId is a lead record"). Wording unverified.
			throw fail('FIELD_INTEGRITY_EXCEPTION', 'Related To ID: an activity related to a lead can’t also be related to another record', ['WhatId']);
		}
		void mode;
	}

	/** Picklist values of a field: from its status object, a static list, or nothing. */
	picklistValues(type, def) {
		const backing = STATUS_BACKED[`${type}.${def.name}`] || (def.values && def.values.source);
		if (backing && OBJECTS[backing]) {
			return this.statusRows(backing)
				.filter((r) => r.IsActive !== false)
				.map((r) => ({ value: r.MasterLabel, label: r.MasterLabel, defaultValue: Boolean(r.IsDefault) }));
		}
		if (backing === 'fieldNames') return Object.keys(OBJECTS.Case.fields).map((f) => ({ value: f, label: f, defaultValue: false }));
		return (Array.isArray(def.values) ? def.values : []).map((v) => {
			const [value, label] = Array.isArray(v) ? v : [v, v];
			return { value, label, defaultValue: def.defaultValue === value };
		});
	}

	/** Applies a plan from prepare(): the record, derived fields, history rows, a new version. */
	commit(plan) {
		const { type, values, userId } = plan;
		const at = this.now();
		let record = plan.existing;
		const before = record ? { ...record.values } : {};
		if (!record) {
			const id = this.nextId(type);
			record = { type, id, values: { Id: id }, versions: [] };
			for (const [name, def] of Object.entries(OBJECTS[type].fields)) {
				if (name === 'Id') continue;
				record.values[name] = def.type === 'boolean' ? false : null;
				if (def.defaultValue !== undefined) record.values[name] = def.defaultValue;
			}
			record.values.CreatedDate = at;
			record.values.CreatedById = userId;
			record.values.IsDeleted = false;
			if ('OwnerId' in record.values) record.values.OwnerId = userId;
			for (const [name, backing] of Object.entries(STATUS_BACKED)) {
				const [objectName, field] = name.split('.');
				if (objectName === type) {
					const status = this.defaultStatus(backing);
					record.values[field] = status ? status.MasterLabel : null;
				}
			}
			this.store(type).set(id, record);
		}
		Object.assign(record.values, values);
		record.values.LastModifiedDate = at;
		record.values.LastModifiedById = userId;
		record.values.SystemModstamp = at;
		this.derive(type, record, before, plan, at);
		record.versions.push({ at, values: { ...record.values } });
		return record;
	}

	derive(type, record, before, plan, at) {
		const v = record.values;
		const created = plan.mode === 'create';
		const changed = (name) => (created ? v[name] !== null && v[name] !== undefined : before[name] !== v[name]);
		if (type === 'Lead') v.Name = [v.FirstName, v.MiddleName, v.LastName].filter(Boolean).join(' ');
		if (type === 'Contact') v.Name = [v.FirstName, v.LastName].filter(Boolean).join(' ');
		if (type === 'EmailMessage') v.Name = v.Subject ? v.Subject.slice(0, 255) : '[No Subject]';
		if (type === 'Opportunity') this.deriveOpportunity(record, before, plan, at, changed);
		if (type === 'Case') {
			if (created) v.CaseNumber = String(this.caseNumber++).padStart(8, '0');
			const status = this.statusRow('CaseStatus', v.Status);
			const closed = Boolean(status && status.IsClosed);
			if (closed && (created || !before.IsClosed)) v.ClosedDate = at;
			if (!closed) v.ClosedDate = null;
			v.IsClosed = closed;
			if (!created) this.writeCaseHistory(record, before, plan.userId, at);
		}
		if (type === 'Task') {
			const status = this.statusRow('TaskStatus', v.Status);
			const closed = Boolean(status && status.IsClosed);
			// CompletedDateTime (Task page): set on insert with a closed status; reset when saved with
			// a new closed status; NULL with a non-closed status; unchanged for the same status.
			if (created) v.CompletedDateTime = closed ? at : null;
			else if (before.Status !== v.Status) v.CompletedDateTime = closed ? at : null;
			v.IsClosed = closed;
			v.IsHighPriority = v.Priority === 'High';
			if (created && !v.TaskSubtype) v.TaskSubtype = 'Task';
			v.AccountId = this.taskAccount(v);
			if (closed) this.touchLastActivity(v, at);
		}
	}

	/**
	 * LastActivityDate (Opportunity/Lead/Contact/Account field reference): "the most recent of the
	 * due date of the most recent event, or the due date of the most recently closed task" logged
	 * against the record. The sandbox has no events: a closed task moves it to its due date (or
	 * the day it was closed when it has none); only the task's WhatId/WhoId record is touched.
	 */
	touchLastActivity(v, at) {
		const day = v.ActivityDate || String(at).slice(0, 10);
		for (const id of [v.WhatId, v.WhoId]) {
			const target = id ? this.find(id) : undefined;
			if (!target || !('LastActivityDate' in (OBJECTS[target.type] && OBJECTS[target.type].fields ? OBJECTS[target.type].fields : {}))) continue;
			if (!target.values.LastActivityDate || target.values.LastActivityDate < day) target.values.LastActivityDate = day;
		}
	}

	deriveOpportunity(record, before, plan, at, changed) {
		const v = record.values;
		const created = plan.mode === 'create';
		const given = plan.values;
		const stage = this.statusRow('OpportunityStage', v.StageName);
		if (stage && (created || before.StageName !== v.StageName)) {
			v.IsClosed = stage.IsClosed;
			v.IsWon = stage.IsWon;
			if (!('Probability' in given)) v.Probability = stage.DefaultProbability;
			if (!('ForecastCategoryName' in given)) v.ForecastCategoryName = stage.ForecastCategoryName;
			if (!created) v.LastStageChangeDate = at;
		}
		v.ForecastCategory = seed.FORECAST_CATEGORY[v.ForecastCategoryName] || null;
		v.ExpectedRevenue = v.Amount !== null && v.Probability !== null ? Math.round(v.Amount * v.Probability) / 100 : null;
		if (created) v.PushCount = 0;
		else if (before.CloseDate && v.CloseDate && monthIndex(v.CloseDate) > monthIndex(before.CloseDate)) v.PushCount = (v.PushCount || 0) + 1;
		const tracked = ['Amount', 'Probability', 'StageName', 'CloseDate'];
		if (created || tracked.some((f) => before[f] !== v[f])) {
			const history = this.putSystem(
				'OpportunityHistory',
				this.nextId('OpportunityHistory'),
				{
					OpportunityId: record.id,
					StageName: v.StageName,
					Amount: v.Amount,
					ExpectedRevenue: v.ExpectedRevenue,
					CloseDate: v.CloseDate,
					Probability: v.Probability,
					ForecastCategory: v.ForecastCategory,
					PrevAmount: created ? null : before.Amount,
					PrevCloseDate: created ? null : before.CloseDate,
				},
				at,
				plan.userId,
			);
			if (changed('Amount')) v.LastAmountChangedHistoryId = history.id;
			if (changed('CloseDate')) v.LastCloseDateChangedHistoryId = history.id;
		}
	}

	/** CaseHistory rows for tracked fields that changed; reference fields give two rows (name + id). */
	writeCaseHistory(record, before, userId, at) {
		for (const [name, def] of Object.entries(OBJECTS.Case.fields)) {
			if (!this.isTracked('Case', name) || before[name] === record.values[name]) continue;
			const add = (dataType, oldValue, newValue) =>
				this.putSystem('CaseHistory', this.nextId('CaseHistory'), { CaseId: record.id, Field: name, DataType: dataType, OldValue: oldValue, NewValue: newValue }, at, userId);
			if (def.type === 'reference') {
				add('Text', this.displayName(before[name]), this.displayName(record.values[name]));
				add('EntityId', before[name], record.values[name]);
			} else {
				add(historyDataType(def, `Case.${name}`), historyValue(def, before[name]), historyValue(def, record.values[name]));
			}
		}
	}

	displayName(id) {
		if (!id) return null;
		const record = this.find(id);
		if (!record) return null;
		return record.values.Name ?? record.values.CaseNumber ?? record.values.Subject ?? id;
	}

	/** Task.AccountId (Task page): WhatId's account (Account / Opportunity), else the WhoId contact's account. */
	taskAccount(v) {
		if (v.WhatId) {
			const what = this.find(v.WhatId);
			if (what && what.type === 'Account') return what.id;
			if (what && what.type === 'Opportunity') return what.values.AccountId;
		}
		if (v.WhoId) {
			const who = this.find(v.WhoId);
			if (who && who.type === 'Contact') return who.values.AccountId;
		}
		return null;
	}

	/** Deletes a record (a version without values keeps it visible to lagging queries). */
	remove(type, id) {
		if (!objectFlag(type, 'deletable')) throw fail('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${OBJECTS[type].label}`);
		const record = this.get(type, id);
		if (!record) {
			const id18 = normalizeId(id);
			if (id18 && this.deleted.has(id18)) throw fail('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
			throw fail('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
		}
		const at = this.now();
		this.store(type).delete(record.id);
		record.versions.push({ at, values: null });
		this.deleted.set(record.id, { type, at, record });
	}

	/** Create + commit in one step (direct JS API and single-record REST create). */
	insert(type, input, userId = this.integrationUserId) {
		return this.commit(this.prepare(type, input, { mode: 'create', userId }));
	}

	update(type, id, input, userId = this.integrationUserId) {
		const existing = this.get(type, id);
		if (!existing) throw fail('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
		return this.commit(this.prepare(type, input, { mode: 'update', existing, userId }));
	}

	/**
	 * Lead conversion as SOAP convertLead() / Apex Database.convertLead() do it (the REST API has no
	 * lead-conversion resource; see server.js). Creates or reuses the account and contact, creates an
	 * opportunity unless doNotCreateOpportunity, and marks the lead converted.
	 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_convertlead.htm
	 */
	convertLead(leadId, options = {}, userId = this.integrationUserId) {
		const lead = this.get('Lead', leadId);
		if (!lead) throw new Error(`convertLead: no lead ${leadId}`);
		if (lead.values.IsConverted) throw new Error(`convertLead: lead ${leadId} is already converted`);
		const converted = this.statusRows('LeadStatus').filter((r) => r.IsConverted);
		const statusLabel = options.convertedStatus || (converted[0] && converted[0].MasterLabel);
		if (!converted.some((r) => r.MasterLabel === statusLabel)) throw new Error(`convertLead: ${statusLabel} is not a converted lead status`);
		const l = lead.values;
		const ownerId = options.ownerId || l.OwnerId;
		const accountId = options.accountId || this.insert('Account', { Name: l.Company || `${l.LastName}`, Website: l.Website, Phone: l.Phone, Industry: l.Industry, OwnerId: ownerId }, userId).id;
		const contactId =
			options.contactId ||
			this.insert(
				'Contact',
				{ FirstName: l.FirstName, LastName: l.LastName, Email: l.Email, Phone: l.Phone, MobilePhone: l.MobilePhone, Title: l.Title, LeadSource: l.LeadSource, AccountId: accountId, OwnerId: ownerId, HasOptedOutOfEmail: l.HasOptedOutOfEmail },
				userId,
			).id;
		let opportunityId = null;
		if (!options.doNotCreateOpportunity) {
			const stage = this.defaultStatus('OpportunityStage');
			const closeDate = endOfQuarter(this.now());
			opportunityId = this.insert(
				'Opportunity',
				{ Name: options.opportunityName || l.Company || l.LastName, StageName: stage.MasterLabel, CloseDate: closeDate, AccountId: accountId, OwnerId: ownerId, LeadSource: l.LeadSource },
				userId,
			).id;
		}
		const at = this.now();
		Object.assign(l, {
			IsConverted: true,
			ConvertedDate: new Date(at).toISOString().slice(0, 10),
			ConvertedAccountId: accountId,
			ConvertedContactId: contactId,
			ConvertedOpportunityId: opportunityId,
			Status: statusLabel,
			LastModifiedDate: at,
			LastModifiedById: userId,
			SystemModstamp: at,
		});
		lead.versions.push({ at, values: { ...l } });
		return { leadId: lead.id, accountId, contactId, opportunityId };
	}
}

/** A problem with a JSON value's type for a field, or undefined. */
function jsonTypeProblem(def, value) {
	if (value === null) return undefined;
	if (STRING_TYPES.has(def.type)) return typeof value === 'string' ? undefined : `must be a string (${def.type}) (got ${jsonToken(value)})`;
	if (def.type === 'boolean') return typeof value === 'boolean' ? undefined : `must be a boolean (got ${jsonToken(value)})`;
	if (def.type === 'int') return Number.isInteger(value) ? undefined : `must be an integer (got ${jsonToken(value)})`;
	if (NUMBER_TYPES.has(def.type)) return typeof value === 'number' && Number.isFinite(value) ? undefined : `must be a number (${def.type}) (got ${jsonToken(value)})`;
	if (def.type === 'date') return typeof value === 'string' && isDate(value) ? undefined : `must be a date "YYYY-MM-DD" (got ${JSON.stringify(value)})`;
	if (def.type === 'datetime') {
		return typeof value === 'string' && Number.isFinite(parseDateTime(value)) ? undefined : `must be an ISO 8601 dateTime (got ${JSON.stringify(value)})`;
	}
	return undefined;
}

function monthIndex(date) {
	return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
}

function endOfQuarter(ms) {
	const d = new Date(ms);
	const quarterEndMonth = Math.floor(d.getUTCMonth() / 3) * 3 + 3;
	return new Date(Date.UTC(d.getUTCFullYear(), quarterEndMonth, 0)).toISOString().slice(0, 10);
}

/** CaseHistory.DataType of a field (unverified mapping beyond "DynamicEnum" for status picklists). */
function historyDataType(def, key) {
	if (STATUS_BACKED[key]) return 'DynamicEnum';
	return { boolean: 'Boolean', date: 'Date', datetime: 'DateTime', currency: 'Currency', double: 'Double', percent: 'Percent', email: 'Email', phone: 'Phone', picklist: 'DynamicEnum' }[def.type] || 'Text';
}

function historyValue(def, value) {
	if (value === null || value === undefined) return null;
	if (def.type === 'datetime') return new Date(value).toISOString().replace('Z', '+0000');
	return value;
}

/** FieldDefinition.DataType, worded as Setup shows field types. */
function uiDataType(field) {
	switch (field.type) {
		case 'id':
			return 'Lookup()';
		case 'string':
			return field.autoNumber ? 'Auto Number' : `Text(${field.length})`;
		case 'textarea':
			return field.length > 255 ? `Long Text Area(${field.length})` : 'Text Area(255)';
		case 'email':
			return 'Email';
		case 'phone':
			return 'Phone';
		case 'url':
			return 'URL(255)';
		case 'picklist':
			return 'Picklist';
		case 'combobox':
			return 'Picklist (Combo Box)';
		case 'boolean':
			return 'Checkbox';
		case 'date':
			return 'Date';
		case 'datetime':
			return 'Date/Time';
		case 'currency':
			return 'Currency(18, 2)';
		case 'percent':
			return 'Percent(3, 0)';
		case 'double':
			return 'Number(18, 2)';
		case 'int':
			return 'Number(9, 0)';
		case 'reference':
			return `Lookup(${field.referenceTo.join(',')})`;
		default:
			return field.type;
	}
}

module.exports = { Org, SfError, fail, err, clone, jsonToken };
