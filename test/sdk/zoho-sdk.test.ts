/* eslint-disable */
/**
 * Conformance of the local Zoho CRM sandbox with Zoho's official TypeScript SDK
 * (@zohocrm/typescript-sdk-8.0, written by Zoho, nobody here). The SDK is initialized against the
 * sandbox as a custom Environment (API URL and accounts URL), gets its access token from the
 * sandbox's token endpoint with a refresh token (stored in a FileStore in a temp dir), and then
 * performs every call the package's Zoho provider relies on: records get / list with page_token /
 * insert / update / upsert / delete, search, COQL, users, layouts, pipelines, Blueprint get and
 * update, from addresses, send_mail, notifications enable / get / update / disable. Each answer must
 * be parsed by the SDK into its model classes (not an SDKException, not an APIException where a
 * success is expected), the parsed values must be the sandbox's stored values, and what the SDK
 * sent must fit the sandbox's request schemas (no violations).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as Z from '@zohocrm/typescript-sdk-8.0';

import { startZohoServer, SANDBOX_CLIENT } from '../sandbox/zoho/server';
import type { FakeZoho } from '../sandbox/zoho';

let zoho: FakeZoho;
let dir: string;

beforeAll(async () => {
	zoho = await startZohoServer({ port: 0 });
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoho-sdk-'));
	const environment = new Z.Environment(zoho.baseUrl, `${zoho.baseUrl}/oauth/v2/token`, zoho.baseUrl);
	const token = new Z.OAuthBuilder().clientId(SANDBOX_CLIENT.clientId).clientSecret(SANDBOX_CLIENT.clientSecret).refreshToken(SANDBOX_CLIENT.refreshToken).findUser(false).build();
	const logger = new Z.LogBuilder().level(Z.Levels.OFF).filePath(path.join(dir, 'sdk.log')).build();
	// The SDK checks picklists against the module's field metadata it fetched from the sandbox.
	const sdkConfig = new Z.SDKConfigBuilder().pickListValidation(true).autoRefreshFields(false).build();
	await (await new Z.InitializeBuilder())
		.environment(environment)
		.token(token)
		.store(new Z.FileStore(path.join(dir, 'tokens.txt')))
		.SDKConfig(sdkConfig)
		// With the trailing slash: the SDK joins "resources/" to it without one for related lists.
		.resourcePath(`${dir}/`)
		.logger(logger)
		.initialize();
});
afterAll(async () => {
	await zoho.stop();
	fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => expect(zoho.violations).toEqual([]));

/** The parsed object of an SDK answer, after checking it is the expected model class. */
function parsed<T>(response: any, model: new (...args: any[]) => T, status?: number): T {
	expect(response).toBeDefined();
	if (status !== undefined) expect(response.getStatusCode()).toBe(status);
	const object = response.getObject();
	if (!(object instanceof model)) throw new Error(`SDK parsed ${object?.constructor?.name} (status ${response.getStatusCode()}), expected ${model.name}: ${JSON.stringify(object)}`);
	return object;
}

/** Picklist fields of the sandbox's catalogue: the SDK wants them as Choice (it read the field metadata). */
const PICKLISTS = ['Lead_Status', 'Stage', 'Pipeline', 'Status', 'Priority', 'Lead_Source', 'Industry', 'Type'];

function record(fields: Record<string, unknown>) {
	const r = new Z.Record.Record();
	for (const [k, v] of Object.entries(fields)) r.addKeyValue(k, PICKLISTS.includes(k) ? new Z.Choice(v) : v);
	return r;
}

function body(records: Z.Record.Record[], extra: { trigger?: string[]; larId?: string; duplicateCheck?: string[] } = {}) {
	const b = new Z.Record.BodyWrapper();
	b.setData(records);
	if (extra.trigger) b.setTrigger(extra.trigger);
	if (extra.larId) b.setLarId(extra.larId);
	if (extra.duplicateCheck) b.setDuplicateCheckFields(extra.duplicateCheck);
	return b;
}

/** The per-record results of a write, each a SuccessResponse or an APIException as the SDK parsed it. */
function results(response: any) {
	return parsed(response, Z.Record.ActionWrapper).getData() as Array<Z.Record.SuccessResponse | Z.Record.APIException>;
}

const code = (r: any) => r.getCode().getValue();
const lastRequest = () => zoho.requests[zoho.requests.length - 1];

describe('OAuth', () => {
	it('got its access token from the sandbox token endpoint with the refresh token and sends Zoho-oauthtoken', async () => {
		const ops = new Z.Users.UsersOperations();
		const params = new Z.ParameterMap();
		await params.add(Z.Users.GetUsersParam.TYPE, 'ActiveUsers');
		parsed(await ops.getUsers(params), Z.Users.ResponseWrapper, 200);
		const tokenCall = zoho.requests.find((r) => r.path === '/oauth/v2/token');
		expect(tokenCall?.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: SANDBOX_CLIENT.refreshToken, client_id: SANDBOX_CLIENT.clientId });
		expect(tokenCall?.status).toBe(200);
		expect(lastRequest().headers.authorization).toMatch(/^Zoho-oauthtoken 1000\./);
	});
});

describe('users, layouts, pipelines, from addresses', () => {
	it('lists active users', async () => {
		const params = new Z.ParameterMap();
		await params.add(Z.Users.GetUsersParam.TYPE, 'ActiveUsers');
		const wrapper = parsed(await new Z.Users.UsersOperations().getUsers(params), Z.Users.ResponseWrapper, 200);
		const users = wrapper.getUsers();
		expect(users.map((u) => u.getEmail())).toEqual(zoho.users.filter((u) => u.status === 'active').map((u) => u.email));
		expect(String(users[0].getId())).toBe(zoho.users[0].id);
		expect(wrapper.getInfo().getMoreRecords()).toBe(false);
	});

	it('reads the Deals layouts and their pipelines with stages and forecast types', async () => {
		const params = new Z.ParameterMap();
		await params.add(Z.Layouts.GetLayoutsParam.MODULE, 'Deals');
		const layouts = parsed(await new Z.Layouts.LayoutsOperations().getLayouts(params), Z.Layouts.ResponseWrapper, 200).getLayouts();
		expect(layouts.length).toBe(1);
		const layoutId = layouts[0].getId();
		const pipelines = parsed(await new Z.Pipeline.PipelineOperations(BigInt(layoutId as any)).getPipelines(), Z.Pipeline.ResponseWrapper, 200).getPipeline();
		expect(pipelines.map((p) => p.getDisplayValue())).toEqual(zoho.pipelines.map((p) => p.name));
		const won = pipelines[0].getMaps().find((m) => m.getForecastType() === 'Closed Won')!;
		expect(won.getDisplayValue()).toBe('Closed Won');
		expect(pipelines[0].getDefault()).toBe(true);
		expect(pipelines[1].getMaps().map((m) => m.getDisplayValue())).toEqual(zoho.pipelines[1].stages.map((s) => s.name));
	});

	it('reads the Stage field with each value\'s probability and forecast type', async () => {
		const params = new Z.ParameterMap();
		await params.add(Z.Fields.GetFieldsParam.MODULE, 'Deals');
		const fields = parsed(await new Z.Fields.FieldsOperations().getFields(params), Z.Fields.ResponseWrapper, 200).getFields();
		const stage = fields.find((f) => f.getAPIName() === 'Stage')!;
		const negotiation = stage.getPickListValues().find((v) => v.getActualValue() === 'Negotiation/Review')!;
		expect(negotiation.getProbability()).toBe(90);
		expect(negotiation.getForecastType()).toBe('Open');
		expect(stage.getPickListValues().find((v) => v.getActualValue() === 'Closed Lost')!.getForecastType()).toBe('Closed Lost');
		expect(fields.find((f) => f.getAPIName() === 'Deal_Name')!.getSystemMandatory()).toBe(true);
	});

	it('lists the assignment rules of Leads', async () => {
		const params = new Z.ParameterMap();
		await params.add(Z.AssignmentRules.GetAssignmentRulesParam.MODULE, 'Leads');
		const rules = parsed(await new Z.AssignmentRules.AssignmentRulesOperations().getAssignmentRules(params), Z.AssignmentRules.ResponseWrapper, 200).getAssignmentRules();
		expect(rules.map((r) => [String(r.getId()), r.getName(), r.getModule().getAPIName()])).toEqual(zoho.assignmentRules.map((r) => [r.id, r.name, 'Leads']));
	});

	it('lists the allowed From addresses', async () => {
		const wrapper = parsed(await new Z.FromAddresses.FromAddressesOperations().getFromAddresses(), Z.FromAddresses.ResponseWrapper, 200);
		expect(wrapper.getFromAddresses().map((a) => a.getEmail())).toEqual(zoho.fromAddresses.map((a) => a.email));
	});
});

describe('records', () => {
	it('inserts records with per-record results, reads them back by id and in a list', async () => {
		const ops = new Z.Record.RecordOperations('Leads');
		const answer = results(await ops.createRecords(body([record({ Last_Name: 'Lovelace', First_Name: 'Ada', Company: 'Analytical', Email: 'ada@example.com' }), record({ Last_Name: 'Babbage', Company: 'Engines' })], { trigger: [] })));
		expect(answer.every((r) => r instanceof Z.Record.SuccessResponse)).toBe(true);
		const ids = answer.map((r) => String((r as Z.Record.SuccessResponse).getDetails().get('id')));
		expect(ids.map((id) => zoho.getRecord('Leads', id)?.Last_Name)).toEqual(['Lovelace', 'Babbage']);
		expect(lastRequest().body.trigger).toEqual([]);
		expect(zoho.workflowRuns.at(-1)!.triggers).toEqual([]);
		// The SDK validated the records against the field metadata it read from the sandbox.
		expect(zoho.requests.some((r) => r.resource === '/settings/fields' && r.query.module === 'Leads' && r.status === 200)).toBe(true);

		const params = new Z.ParameterMap();
		await params.add(Z.Record.GetRecordParam.FIELDS, 'Last_Name,Email,Owner');
		const one = parsed(await ops.getRecord(BigInt(ids[0]), params), Z.Record.ResponseWrapper, 200).getData()[0];
		expect(one.getKeyValue('Last_Name')).toBe('Lovelace');
		expect(String(one.getId())).toBe(ids[0]);
		expect((one.getKeyValue('Owner') as any).getEmail()).toBe('admin@example.com');
	});

	it('reports invalid and missing fields per record (INVALID_DATA, MANDATORY_NOT_FOUND)', async () => {
		const ops = new Z.Record.RecordOperations('Leads');
		const answer = results(await ops.createRecords(body([record({ Last_Name: 'Ok', Company: 'X' }), record({ Company: 'No name' }), record({ Last_Name: 'Bad', Company: 'X', Email: 'not-an-email' })])));
		expect(answer[0]).toBeInstanceOf(Z.Record.SuccessResponse);
		expect(answer[1]).toBeInstanceOf(Z.Record.APIException);
		expect(code(answer[1])).toBe('MANDATORY_NOT_FOUND');
		expect((answer[1] as Z.Record.APIException).getDetails().get('api_name')).toBe('Last_Name');
		expect(code(answer[2])).toBe('INVALID_DATA');
		expect((answer[2] as Z.Record.APIException).getDetails().get('api_name')).toBe('Email');
		expect(lastRequest().status).toBe(207);
	});

	it('pages a list with page_token past the first page', async () => {
		for (let i = 0; i < 5; i++) zoho.createRecord('Contacts', { Last_Name: `C${i}` });
		const ops = new Z.Record.RecordOperations('Contacts');
		const first = new Z.ParameterMap();
		await first.add(Z.Record.GetRecordsParam.FIELDS, 'Last_Name');
		await first.add(Z.Record.GetRecordsParam.PER_PAGE, 3);
		await first.add(Z.Record.GetRecordsParam.SORT_ORDER, 'asc');
		const page1 = parsed(await ops.getRecords(first), Z.Record.ResponseWrapper, 200);
		expect(page1.getInfo().getMoreRecords()).toBe(true);
		const next = new Z.ParameterMap();
		await next.add(Z.Record.GetRecordsParam.FIELDS, 'Last_Name');
		await next.add(Z.Record.GetRecordsParam.PER_PAGE, 3);
		await next.add(Z.Record.GetRecordsParam.SORT_ORDER, 'asc');
		await next.add(Z.Record.GetRecordsParam.PAGE_TOKEN, page1.getInfo().getNextPageToken());
		const page2 = parsed(await ops.getRecords(next), Z.Record.ResponseWrapper, 200);
		expect([...page1.getData(), ...page2.getData()].map((r) => r.getKeyValue('Last_Name'))).toEqual(['C0', 'C1', 'C2', 'C3', 'C4']);
		expect(page2.getInfo().getMoreRecords()).toBe(false);
	});

	it('updates and upserts (action insert/update, duplicate_field)', async () => {
		const lead = zoho.createRecord('Leads', { Last_Name: 'Hopper', Company: 'Navy', Email: 'grace@example.com' });
		const ops = new Z.Record.RecordOperations('Leads');
		const update = record({ Lead_Status: 'Contacted' });
		update.setId(BigInt(lead.id));
		const updated = results(await ops.updateRecords(body([update])));
		expect(updated[0]).toBeInstanceOf(Z.Record.SuccessResponse);
		expect(zoho.getRecord('Leads', lead.id)!.Lead_Status).toBe('Contacted');

		const upserted = results(await ops.upsertRecords(body([record({ Last_Name: 'Hopper', Company: 'Navy', Email: 'grace@example.com', Designation: 'Admiral' }), record({ Last_Name: 'New', Company: 'N', Email: 'new@example.com' })], { duplicateCheck: ['Email'] })));
		expect(upserted.map((r) => (r as Z.Record.SuccessResponse).getAction().getValue())).toEqual(['update', 'insert']);
		expect((upserted[0] as Z.Record.SuccessResponse).getDuplicateField()).toBe('Email');
		expect(zoho.getRecord('Leads', lead.id)!.Designation).toBe('Admiral');
	});

	it('assigns by an assignment rule (lar_id) round robin', async () => {
		const ops = new Z.Record.RecordOperations('Leads');
		const rule = zoho.assignmentRules[0];
		const answer = results(await ops.createRecords(body([record({ Last_Name: 'A', Company: 'A' }), record({ Last_Name: 'B', Company: 'B' })], { larId: rule.id })));
		const owners = answer.map((r) => zoho.getRecord('Leads', String((r as Z.Record.SuccessResponse).getDetails().get('id')))!.Owner.id);
		expect(owners).toEqual(rule.users);
	});

	it('deletes records', async () => {
		const lead = zoho.createRecord('Leads', { Last_Name: 'Gone', Company: 'G' });
		const params = new Z.ParameterMap();
		await params.add(Z.Record.DeleteRecordsParam.IDS, lead.id);
		const answer = results(await new Z.Record.RecordOperations('Leads').deleteRecords(params));
		expect(answer[0]).toBeInstanceOf(Z.Record.SuccessResponse);
		expect(zoho.getRecord('Leads', lead.id)).toBeUndefined();
	});

	it('answers a missing required list parameter with an error the SDK parses (REQUIRED_PARAM_MISSING)', async () => {
		const error = parsed(await new Z.Record.RecordOperations('Leads').getRecords(new Z.ParameterMap()), Z.Record.APIException, 400);
		expect(code(error)).toBe('REQUIRED_PARAM_MISSING');
		expect(error.getDetails().get('param')).toBe('fields');
	});
});

describe('search and COQL', () => {
	it('searches by criteria and by email', async () => {
		zoho.createRecord('Leads', { Last_Name: 'Turing', Company: 'Bletchley', Email: 'alan@example.com' });
		zoho.createRecord('Leads', { Last_Name: 'Other', Company: 'Else', Email: 'other@example.com' });
		const ops = new Z.Record.RecordOperations('Leads');
		const byCriteria = new Z.ParameterMap();
		await byCriteria.add(Z.Record.SearchRecordsParam.CRITERIA, '((Last_Name:starts_with:Tur)and(Company:equals:Bletchley))');
		const found = parsed(await ops.searchRecords(byCriteria), Z.Record.ResponseWrapper, 200).getData();
		expect(found.map((r) => r.getKeyValue('Email'))).toEqual(['alan@example.com']);
		const byEmail = new Z.ParameterMap();
		await byEmail.add(Z.Record.SearchRecordsParam.EMAIL, 'other@example.com');
		expect(parsed(await ops.searchRecords(byEmail), Z.Record.ResponseWrapper, 200).getData().map((r) => r.getKeyValue('Last_Name'))).toEqual(['Other']);
	});

	it('runs a COQL query and an aggregate', async () => {
		zoho.createRecord('Deals', { Deal_Name: 'Big', Stage: 'Qualification', Closing_Date: '2026-12-31', Amount: 5000 });
		zoho.createRecord('Deals', { Deal_Name: 'Small', Stage: 'Qualification', Closing_Date: '2026-12-31', Amount: 100 });
		const ops = new Z.Coql.CoqlOperations();
		const query = new Z.Coql.BodyWrapper();
		query.setSelectQuery("select Deal_Name, Amount, Stage from Deals where Amount >= 1000 order by Amount desc limit 0, 200");
		const rows = parsed(await ops.getRecords(query), Z.Coql.ResponseWrapper, 200).getData();
		expect(rows.map((r) => r.getKeyValue('Deal_Name'))).toEqual(['Big']);
		expect(rows[0].getKeyValue('Amount')).toBe(5000);
		const sum = new Z.Coql.BodyWrapper();
		sum.setSelectQuery('select Stage, SUM(Amount) from Deals where id is not null group by Stage');
		const grouped = parsed(await ops.getRecords(sum), Z.Coql.ResponseWrapper, 200).getData();
		expect(grouped[0].getKeyValue('SUM(Amount)')).toBe(5100);
	});

	it('refuses a COQL LIMIT above 2,000 with an error the SDK parses', async () => {
		const query = new Z.Coql.BodyWrapper();
		query.setSelectQuery('select Deal_Name from Deals where id is not null limit 2001');
		const error = parsed(await new Z.Coql.CoqlOperations().getRecords(query), Z.Coql.APIException, 400);
		expect(code(error)).toBe('LIMIT_EXCEEDED');
	});
});

describe('Blueprint', () => {
	it('refuses a plain stage update (RECORD_IN_BLUEPRINT), lists the transitions, runs one', async () => {
		const deal = zoho.createRecord('Deals', { Deal_Name: 'Ent', Pipeline: 'Enterprise', Stage: 'Discovery', Closing_Date: '2026-12-31' });
		const update = record({ Stage: 'Proposal' });
		update.setId(BigInt(deal.id));
		const refused = results(await new Z.Record.RecordOperations('Deals').updateRecords(body([update])));
		expect(code(refused[0])).toBe('RECORD_IN_BLUEPRINT');

		const ops = new Z.Blueprint.BlueprintOperations(deal.id, 'Deals');
		const bp = parsed(await ops.getBlueprint(), Z.Blueprint.ResponseWrapper, 200).getBlueprint();
		expect(bp.getProcessInfo().getFieldValue()).toBe('Discovery');
		const transitions = bp.getTransitions();
		expect(transitions.map((t) => t.getNextFieldValue())).toEqual(['Proposal', 'Lost']);
		expect(transitions[0].getFields().map((f) => f.getAPIName())).toEqual(['Amount']);

		const run = new Z.Blueprint.BluePrint();
		run.setTransitionId(String(transitions[0].getId()));
		run.setData(record({ Amount: 9000 }));
		const wrapper = new Z.Blueprint.BodyWrapper();
		wrapper.setBlueprint([run]);
		const answer = parsed(await ops.updateBlueprint(wrapper), Z.Blueprint.SuccessResponse, 200);
		expect(code(answer)).toBe('SUCCESS');
		expect(zoho.getRecord('Deals', deal.id)).toMatchObject({ Stage: 'Proposal', Amount: 9000 });
		expect(zoho.stageHistory(deal.id).map((h) => h.Stage)).toEqual(['Proposal', 'Discovery']);
	});
});

describe('related lists', () => {
	it('reads a deal\'s Stage_History and a lead\'s Notes as related records', async () => {
		const deal = zoho.createRecord('Deals', { Deal_Name: 'H', Stage: 'Qualification', Closing_Date: '2026-12-31', Amount: 10 });
		zoho.updateRecord('Deals', deal.id, { Stage: 'Needs Analysis' });
		const params = new Z.ParameterMap();
		await params.add(Z.RelatedRecords.GetRelatedRecordsParam.FIELDS, 'Stage,Probability,Modified_Time');
		const history = parsed(await new Z.RelatedRecords.RelatedRecordsOperations('Stage_History', 'Deals').getRelatedRecords(BigInt(deal.id), params), Z.RelatedRecords.ResponseWrapper, 200).getData();
		expect(history.map((h) => [h.getKeyValue('Stage'), h.getKeyValue('Probability')])).toEqual([
			['Needs Analysis', 20],
			['Qualification', 10],
		]);

		const leadRecord = zoho.createRecord('Leads', { Last_Name: 'N', Company: 'N' });
		zoho.createRecord('Notes', { Note_Title: 'T', Note_Content: 'C', Parent_Id: { module: { api_name: 'Leads' }, id: leadRecord.id } });
		const noteParams = new Z.ParameterMap();
		await noteParams.add(Z.RelatedRecords.GetRelatedRecordsParam.FIELDS, 'Note_Title,Note_Content,Parent_Id');
		const notes = parsed(await new Z.RelatedRecords.RelatedRecordsOperations('Notes', 'Leads').getRelatedRecords(BigInt(leadRecord.id), noteParams), Z.RelatedRecords.ResponseWrapper, 200).getData();
		expect(notes.map((n) => n.getKeyValue('Note_Content'))).toEqual(['C']);
	});

	it('creates a note on a lead through the Notes module with Parent_Id', async () => {
		const leadRecord = zoho.createRecord('Leads', { Last_Name: 'P', Company: 'P' });
		const parent = record({});
		parent.setId(BigInt(leadRecord.id));
		const module = new Z.Modules.MinifiedModule();
		module.setAPIName('Leads');
		parent.addKeyValue('module', module);
		const answer = results(await new Z.Record.RecordOperations('Notes').createRecords(body([record({ Note_Title: 'From SDK', Note_Content: 'Body', Parent_Id: parent })])));
		expect(answer[0]).toBeInstanceOf(Z.Record.SuccessResponse);
		expect(zoho.listRecords('Notes').filter((n) => n.Parent_Id.id === leadRecord.id)).toMatchObject([{ Note_Title: 'From SDK', Parent_Id: { id: leadRecord.id, module: { api_name: 'Leads' } } }]);
	});
});

describe('send_mail', () => {
	it('sends one email from an allowed address', async () => {
		const contact = zoho.createRecord('Contacts', { Last_Name: 'Mail', Email: 'mail@example.com' });
		const data = new Z.SendMail.Data();
		const from = new Z.SendMail.From();
		from.setUserName('Ada Admin');
		from.setEmail('admin@example.com');
		const to = new Z.SendMail.To();
		to.setUserName('Mail');
		to.setEmail('mail@example.com');
		data.setFrom(from);
		data.setTo([to]);
		data.setSubject('Hello');
		data.setContent('<p>Hi</p>');
		data.setMailFormat(new Z.Choice('html'));
		const wrapper = new Z.SendMail.BodyWrapper();
		wrapper.setData([data]);
		const answer = parsed(await new Z.SendMail.SendMailOperations(BigInt(contact.id), 'Contacts').sendMail(wrapper), Z.SendMail.ActionWrapper, 200).getData();
		expect(answer[0]).toBeInstanceOf(Z.SendMail.SuccessResponse);
		expect(zoho.sentEmails).toMatchObject([{ recordId: contact.id, subject: 'Hello', to: [{ email: 'mail@example.com' }] }]);
		// The record's Emails list shows it.
		const listed = parsed(await new Z.EmailRelatedRecords.EmailRelatedRecordsOperations(BigInt(contact.id), 'Contacts').getEmailsRelatedRecords(new Z.ParameterMap()), Z.EmailRelatedRecords.ResponseWrapper, 200).getEmails();
		expect(listed.map((e) => [e.getSubject(), e.getMessageId(), e.getSent()])).toEqual([['Hello', zoho.sentEmails[0].message_id, true]]);
	});
});

describe('notifications', () => {
	it('enables a channel, lists it, updates it and disables it; expiry over a week becomes one hour', async () => {
		const ops = new Z.Notifications.NotificationsOperations();
		const channel = new Z.Notifications.Notification();
		channel.setChannelId('1000000068001');
		channel.setEvents(['Deals.edit', 'Deals.create']);
		channel.setNotifyUrl('http://127.0.0.1:9/webhook');
		channel.setToken('secret-token');
		channel.setChannelExpiry(new Date(zoho.now() + 30 * 24 * 3600_000));
		const wrapper = new Z.Notifications.BodyWrapper();
		wrapper.setWatch([channel]);
		const enabled = parsed(await ops.enableNotifications(wrapper), Z.Notifications.ActionWrapper, 200).getWatch();
		expect(enabled[0]).toBeInstanceOf(Z.Notifications.SuccessResponse);
		const events = (enabled[0] as Z.Notifications.SuccessResponse).getDetails().get('events') as any[];
		const expiry = events[0].getChannelExpiry() as Date;
		expect(Math.abs(expiry.getTime() - (zoho.now() + 3600_000))).toBeLessThan(5000);

		const listed = parsed(await ops.getNotifications(new Z.ParameterMap()), Z.Notifications.ResponseWrapper, 200).getWatch();
		expect(listed.map((n) => n.getChannelId())).toEqual(['1000000068001']);
		expect(listed[0].getEvents()).toEqual(['Deals.edit', 'Deals.create']);

		const patch = new Z.Notifications.Notification();
		patch.setChannelId('1000000068001');
		patch.setEvents(['Contacts.all']);
		const patchBody = new Z.Notifications.BodyWrapper();
		patchBody.setWatch([patch]);
		expect(parsed(await ops.updateNotification(patchBody), Z.Notifications.ActionWrapper, 200).getWatch()[0]).toBeInstanceOf(Z.Notifications.SuccessResponse);

		const params = new Z.ParameterMap();
		await params.add(Z.Notifications.DeleteNotificationParam.CHANNEL_IDS, '1000000068001');
		expect(parsed(await ops.deleteNotification(params), Z.Notifications.ActionWrapper, 200).getWatch()[0]).toBeInstanceOf(Z.Notifications.SuccessResponse);
		expect(await ops.getNotifications(new Z.ParameterMap()).then((r) => r.getStatusCode())).toBe(204);
	});
});

describe('errors of the whole call', () => {
	it('429 TOO_MANY_REQUESTS parses as the SDK\'s APIException', async () => {
		// The SDK's HTTP client (got) retries a GET on 429 twice by itself: three 429s reach the SDK.
		const before = zoho.requests.length;
		zoho.forceRateLimit(3);
		const error = parsed(await new Z.Users.UsersOperations().getUsers(new Z.ParameterMap()), Z.Users.APIException, 429);
		expect(code(error)).toBe('TOO_MANY_REQUESTS');
		expect(zoho.requests.slice(before).map((r) => r.status)).toEqual([429, 429, 429]);
	});

	// Last in the file: the SDK's stored token stays dead afterwards.
	it('an expired token is answered 401 INVALID_TOKEN, parsed as the SDK\'s APIException', async () => {
		zoho.expireAccessTokens();
		const error = parsed(await new Z.Users.UsersOperations().getUsers(new Z.ParameterMap()), Z.Users.APIException, 401);
		expect(code(error)).toBe('INVALID_TOKEN');
	});
});
