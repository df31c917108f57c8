/* eslint-disable */
// The CRM Webhook Trigger node with EspoCRM, through n8n-core's HookContext (activation,
// deactivation) and WebhookContext (deliveries): the local EspoCRM server registers the webhook,
// runs its queue job and POSTs signed, batched deliveries to a local receiver standing in for
// n8n's webhook endpoint, which hands each request to the node's webhook().
import * as http from 'node:http';
import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { CrmWebhookTrigger } from '../../nodes/CrmWebhookTrigger/CrmWebhookTrigger.node';
import { webhookSignature } from '../../nodes/shared/providers/espocrm/webhooks';
import { espoCredentials, TestCredentialsHelper, useEspoSandbox } from '../sandbox/espocrm/testing';
import type { FakeEspoCrm } from '../sandbox/espocrm';

const TYPE = 'n8n-nodes-crm-automation.crmWebhookTrigger';
const box = useEspoSandbox();
let espo: FakeEspoCrm;

class NodeTypes implements INodeTypes {
	private readonly trigger = new CrmWebhookTrigger();
	getByName(): INodeType {
		return this.trigger;
	}
	getByNameAndVersion(): INodeType {
		return this.trigger;
	}
	getKnownTypes(): IDataObject {
		return {};
	}
}

interface Receiver {
	baseUrl: string;
	/** What each delivery answered and the items the node emitted. */
	log: Array<{ status: number; items: IDataObject[]; body: unknown }>;
	stop(): Promise<void>;
}

/** One trigger node in one workflow, with the static data n8n would persist between calls. */
function setUp(parameters: IDataObject, receiverUrl: string, credentials: IDataObject) {
	const node: INode = {
		id: 'w1',
		name: 'CRM Webhook Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'hook-1',
		parameters: { provider: 'espocrm', ...parameters },
		credentials: { crmEspoCrmApi: { id: 'espo-cred', name: 'EspoCRM sandbox' }, crmHubSpotApi: { id: 'hs', name: 'HubSpot' } },
	};
	let staticData: IDataObject = {};
	const workflow = () =>
		new Workflow({
			id: 'wf-hook',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: new NodeTypes(),
			settings: {},
			// n8n reloads static data from its database for each call: a JSON copy models that.
			staticData: JSON.parse(JSON.stringify(staticData)),
		});
	const additionalData = (extra: IDataObject = {}) =>
		({
			credentialsHelper: new TestCredentialsHelper({
				crmEspoCrmApi: credentials as ICredentialDataDecryptedObject,
				crmHubSpotApi: { accessToken: 'x', baseUrl: 'http://127.0.0.1:9' },
			}),
			webhookBaseUrl: `${receiverUrl}/webhook`,
			webhookTestBaseUrl: `${receiverUrl}/webhook-test`,
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost',
			formBaseUrl: '',
			formTestBaseUrl: '',
			formWaitingBaseUrl: '',
			webhookWaitingBaseUrl: '',
			mcpBaseUrl: '',
			mcpTestBaseUrl: '',
			variables: {},
			executionId: 'exec-hook',
			currentNodeExecutionIndex: 0,
			...extra,
		}) as unknown as IWorkflowExecuteAdditionalData;
	const keep = (wf: Workflow) => {
		staticData = JSON.parse(JSON.stringify(wf.staticData));
	};
	const hook = async (method: 'checkExists' | 'create' | 'delete') => {
		const wf = workflow();
		const context = new HookContext(wf, wf.getNode(node.name)!, additionalData(), 'trigger', 'activate');
		const result = await new CrmWebhookTrigger().webhookMethods.default[method].call(context);
		keep(wf);
		return result;
	};
	/** Hands one HTTP request to webhook(), as n8n's webhook endpoint does; returns status and items. */
	const deliver = async (request: { method: string; url: string; headers: IDataObject; rawBody: Buffer }) => {
		const wf = workflow();
		let status = 200;
		let answered: unknown;
		const res: any = {
			status(code: number) {
				status = code;
				return res;
			},
			json(body: unknown) {
				answered = body;
				return res;
			},
			send(body: unknown) {
				answered = body;
				return res;
			},
			end() {
				return res;
			},
		};
		let parsed: unknown = {};
		try {
			parsed = JSON.parse(request.rawBody.toString('utf8'));
		} catch {}
		const req: any = { ...request, originalUrl: request.url, body: parsed, query: {}, params: {} };
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: 'webhook',
			webhookDescription: new CrmWebhookTrigger().description.webhooks![0],
			workflowId: 'wf-hook',
			workflowExecuteAdditionalData: {},
			webhookId: 'hook-1',
		} as unknown as IWebhookData;
		const context = new WebhookContext(wf, wf.getNode(node.name)!, additionalData({ httpRequest: req, httpResponse: res }), 'webhook', webhookData, [], null);
		const result = await new CrmWebhookTrigger().webhook.call(context);
		keep(wf);
		const items = (result.workflowData?.[0] ?? []).map((i) => i.json);
		if (!result.noWebhookResponse) answered = result.webhookResponse ?? { message: 'Workflow was started' };
		return { status, items, body: answered };
	};
	return {
		hook,
		deliver,
		node,
		/** The node's static data (n8n keeps it under `node:<name>`). */
		staticData: () => (staticData[`node:${node.name}`] ?? {}) as IDataObject,
		setStaticData: (data: IDataObject) => (staticData = { ...staticData, [`node:${node.name}`]: data }),
		url: () => NodeHelpers.getNodeWebhookUrl(`${receiverUrl}/webhook`, 'wf-hook', node, 'webhook', false),
	};
}

let receiver: Receiver;
let trigger: ReturnType<typeof setUp> | undefined;

/** A stand-in for n8n's webhook endpoint: each POST goes to the current trigger's webhook(). */
async function startReceiver(): Promise<Receiver> {
	const log: Receiver['log'] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			try {
				const answer = await trigger!.deliver({ method: req.method!, url: req.url!, headers: req.headers as IDataObject, rawBody: Buffer.concat(chunks) });
				log.push({ status: answer.status, items: answer.items, body: answer.body });
				res.writeHead(answer.status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer.body ?? {}));
			} catch (error) {
				log.push({ status: 500, items: [], body: String(error) });
				res.writeHead(500);
				res.end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as any).port}`,
		log,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(() => receiver.stop());
beforeEach(() => {
	espo = box.espo;
	receiver.log.length = 0;
	trigger = undefined;
});

const activate = async (parameters: IDataObject) => {
	trigger = setUp(parameters, receiver.baseUrl, espoCredentials(espo, 'hmac'));
	expect(await trigger.hook('checkExists')).toBe(false);
	expect(await trigger.hook('create')).toBe(true);
	return trigger;
};

test('the node: a trigger with no inputs, not a tool, with all three webhook methods', () => {
	const { description, webhookMethods } = new CrmWebhookTrigger();
	expect(description).toMatchObject({ name: 'crmWebhookTrigger', displayName: 'CRM Webhook Trigger', inputs: [], group: ['trigger'] });
	expect(description.usableAsTool).toBeUndefined();
	expect(Object.keys(webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
	expect(description.properties.map((p) => p.name)).toEqual(expect.arrayContaining(['provider', 'event', 'pipelines', 'toStages', 'fromStages', 'outcome']));
});

test('activation registers one EspoCRM webhook for the event; deactivation removes it', async () => {
	const t = await activate({ event: 'dealStageChanged' });
	const [webhook] = espo.listWebhooks();
	expect(webhook).toMatchObject({ event: 'Opportunity.fieldUpdate.stage', url: t.url(), userId: 'u-hmac', isActive: true });
	expect(t.staticData().registration).toMatchObject({ id: webhook.id, secret: webhook.secretKey, url: t.url(), event: 'dealStageChanged', provider: 'espocrm' });
	expect(await t.hook('checkExists')).toBe(true);
	expect(espo.requests.filter((r) => r.resource === '/Webhook').map((r) => [r.method, r.body])).toEqual([['POST', { event: 'Opportunity.fieldUpdate.stage', url: t.url() }]]);

	expect(await t.hook('delete')).toBe(true);
	expect(espo.listWebhooks()).toEqual([]);
	expect(t.staticData().registration).toBeUndefined();
	expect(await t.hook('checkExists')).toBe(false);
	expect(espo.requests.filter((r) => r.method === 'DELETE').map((r) => r.resource)).toEqual([`/Webhook/${webhook.id}`]);
});

test('a webhook already removed in EspoCRM is fine on deactivation; a changed event re-registers', async () => {
	const t = await activate({ event: 'newLead' });
	const first = espo.listWebhooks()[0];
	t.node.parameters.event = 'ticketOpened';
	expect(await t.hook('checkExists')).toBe(false);
	await t.hook('create');
	expect(espo.listWebhooks().map((w) => w.event)).toEqual(['Case.create']);
	expect(espo.listWebhooks()[0].id).not.toBe(first.id);
	espo.reset(); // an admin removed everything
	expect(await t.hook('delete')).toBe(true);
});

test('events EspoCRM cannot push, and providers without webhooks, fail activation with what to use instead', async () => {
	trigger = setUp({ event: 'taskOverdue' }, receiver.baseUrl, espoCredentials(espo));
	await expect(trigger.hook('create')).rejects.toThrow('EspoCRM cannot send the "taskOverdue" event by webhook');
	await expect(trigger.hook('create')).rejects.toMatchObject({ description: expect.stringContaining('Use the CRM Trigger (polling) for the others') });
	trigger = setUp({ provider: 'hubspot', event: 'newLead' }, receiver.baseUrl, espoCredentials(espo));
	await expect(trigger.hook('create')).rejects.toMatchObject({
		message: 'HubSpot cannot send the "newLead" event by webhook',
		description: 'HubSpot does not let webhooks be registered by API. Use the CRM Trigger, which polls.',
	});
	expect(espo.listWebhooks()).toEqual([]);
});

test('a batched delivery of stage moves becomes one item per move, with previous stage and time from the stream', async () => {
	const a = espo.createRecord('Opportunity', { name: 'A', amount: 1, closeDate: '2026-12-01' });
	const b = espo.createRecord('Opportunity', { name: 'B', amount: 2, closeDate: '2026-12-01', stage: 'Proposal' });
	await activate({ event: 'dealStageChanged' });
	let now = Date.parse('2026-11-20T09:00:00Z');
	espo.setClock(() => now);
	espo.updateRecord('Opportunity', a.id, { stage: 'Qualification' });
	now += 1000;
	espo.updateRecord('Opportunity', a.id, { stage: 'Proposal' });
	now += 1000;
	espo.updateRecord('Opportunity', b.id, { stage: 'Closed Won' });
	espo.updateRecord('Opportunity', b.id, { name: 'B renamed' }); // not a stage event
	const sent = await espo.processWebhookQueue();
	expect(sent).toEqual([{ webhookId: espo.listWebhooks()[0].id, event: 'Opportunity.fieldUpdate.stage', count: 3, code: 200 }]);
	const [delivery] = espo.webhookDeliveries;
	expect(JSON.parse(delivery.payload)).toEqual([
		{ id: a.id, stage: 'Qualification' },
		{ id: a.id, stage: 'Proposal' },
		{ id: b.id, stage: 'Closed Won' },
	]);
	expect(receiver.log).toHaveLength(1);
	const items = receiver.log[0].items;
	expect(items.map((i: any) => [i.record.id, i.previous?.id, i.stage.id, i.occurredAt, i.type, i.provider])).toEqual([
		[a.id, 'Prospecting', 'Qualification', '2026-11-20T09:00:00.000Z', 'dealStageChanged', 'espocrm'],
		[a.id, 'Qualification', 'Proposal', '2026-11-20T09:00:01.000Z', 'dealStageChanged', 'espocrm'],
		[b.id, 'Proposal', 'Closed Won', '2026-11-20T09:00:02.000Z', 'dealStageChanged', 'espocrm'],
	]);
	expect(items[2]).toMatchObject({ stage: { closed: 'won', name: 'Closed Won' }, pipeline: { id: 'Opportunity', name: 'Opportunity stages' }, record: { status: 'won' } });
	expect(items[0].eventKey).toMatch(new RegExp(`^${a.id}\\|stage\\|`));
	expect(espo.webhookQueueItems().map((i) => i.status)).toEqual(['Success', 'Success', 'Success']);
});

test('forged and unsigned deliveries get 401 and start nothing; EspoCRM keeps them for a retry', async () => {
	await activate({ event: 'newLead' });
	const registration = trigger!.staticData().registration as any;
	const payload = Buffer.from(JSON.stringify([{ id: 'fake00000000000001', lastName: 'Forged', createdAt: '2026-11-20 09:00:00' }]));
	const forged = await trigger!.deliver({ method: 'POST', url: '/webhook/hook-1/webhook', headers: { signature: webhookSignature(registration.id, 'not-the-secret', payload) }, rawBody: payload });
	expect(forged).toMatchObject({ status: 401, items: [], body: { message: 'Invalid or missing signature' } });
	const unsigned = await trigger!.deliver({ method: 'POST', url: '/webhook/hook-1/webhook', headers: {}, rawBody: payload });
	expect(unsigned).toMatchObject({ status: 401, items: [] });
	const otherWebhook = await trigger!.deliver({ method: 'POST', url: '/webhook/hook-1/webhook', headers: { signature: webhookSignature('another-id', registration.secret, payload) }, rawBody: payload });
	expect(otherWebhook.status).toBe(401);
	// A signature over other bytes (a re-serialized body) does not verify either.
	const tampered = Buffer.from(payload.toString().replace('Forged', 'Forgex'));
	expect((await trigger!.deliver({ method: 'POST', url: '/x', headers: { signature: webhookSignature(registration.id, registration.secret, payload) }, rawBody: tampered })).status).toBe(401);
	expect(espo.requests.filter((r) => r.resource === '/Lead')).toHaveLength(0);

	// EspoCRM answered 401 retries the batch later (Core/Webhook/Queue.php): it stays pending.
	trigger!.setStaticData({ ...trigger!.staticData(), registration: { ...registration, secret: 'rotated' } });
	espo.createRecord('Lead', { lastName: 'Real' });
	expect((await espo.processWebhookQueue())[0].code).toBe(401);
	expect(espo.webhookQueueItems()[0]).toMatchObject({ status: 'Pending', attempts: 1 });
	expect(receiver.log.map((l) => l.items.length)).toEqual([0]);
});

test('a replayed delivery (same signed bytes again) is answered 200 and starts nothing', async () => {
	await activate({ event: 'newLead' });
	const lead = espo.createRecord('Lead', { firstName: 'Once', lastName: 'Only' });
	await espo.processWebhookQueue();
	expect(receiver.log.map((l) => [l.status, l.items.length])).toEqual([[200, 1]]);
	const original = espo.webhookDeliveries[0];
	const replay = await trigger!.deliver({
		method: 'POST',
		url: '/webhook/hook-1/webhook',
		headers: { signature: String(original.headers.Signature) },
		rawBody: Buffer.from(original.payload),
	});
	expect(replay).toMatchObject({ status: 200, items: [], body: { received: true, events: 0 } });
	expect(receiver.log[0].items[0]).toMatchObject({ type: 'newLead', eventKey: lead.id, record: { id: lead.id, name: 'Once Only', status: 'New' } });
});

test('batched creations: one POST with several leads gives one item each; PHP-escaped JSON verifies on the raw bytes', async () => {
	await activate({ event: 'newLead' });
	espo.createRecord('Lead', { lastName: 'Ünïcode', website: 'https://a.example/x' });
	espo.createRecord('Lead', { lastName: 'Two' });
	espo.createRecord('Lead', { lastName: 'Three' });
	await espo.processWebhookQueue();
	expect(espo.webhookDeliveries).toHaveLength(1);
	expect(espo.webhookDeliveries[0].payload).toContain('https:\\/\\/a.example\\/x');
	expect(espo.webhookDeliveries[0].payload).toContain('\\u00dcn\\u00efcode');
	expect(receiver.log[0].items.map((i: any) => i.record.lastName)).toEqual(['Ünïcode', 'Two', 'Three']);
});

test('a queue larger than the batch size arrives over several POSTs, each item once', async () => {
	espo.webhookConfig.batchSize = 4;
	await activate({ event: 'newContact' });
	const ids = Array.from({ length: 10 }, (_, i) => espo.createRecord('Contact', { lastName: `C${i}` }).id);
	for (let run = 0; run < 3; run++) await espo.processWebhookQueue();
	expect(espo.webhookDeliveries.map((d) => JSON.parse(d.payload).length)).toEqual([4, 4, 2]);
	expect(receiver.log.flatMap((l) => l.items.map((i: any) => i.record.id))).toEqual(ids);
	espo.webhookConfig.batchSize = 50;
});

test('stage filters apply to webhook events as in the CRM Trigger; filtered events are still remembered', async () => {
	const d = espo.createRecord('Opportunity', { name: 'F', amount: 1, closeDate: '2026-12-01' });
	await activate({ event: 'dealWonLost', outcome: 'won' });
	espo.updateRecord('Opportunity', d.id, { stage: 'Closed Lost' });
	await espo.processWebhookQueue();
	espo.updateRecord('Opportunity', d.id, { stage: 'Closed Won' });
	await espo.processWebhookQueue();
	expect(receiver.log.map((l) => [l.status, l.items.map((i: any) => i.stage.id)])).toEqual([
		[200, []],
		[200, ['Closed Won']],
	]);
	expect(Object.keys(trigger!.staticData().emitted as object)).toHaveLength(2);
});

test('ticket status and task completion deliveries', async () => {
	const ticket = espo.createRecord('Case', { name: 'T' });
	const task = espo.createRecord('Task', { name: 'Do it', assignedUserId: 'u-ana' });
	await activate({ event: 'ticketStatusChanged', toStages: ['Closed'] });
	espo.updateRecord('Case', ticket.id, { status: 'Assigned' });
	espo.updateRecord('Case', ticket.id, { status: 'Closed' });
	await espo.processWebhookQueue();
	expect(receiver.log[0].items.map((i: any) => [i.previous.id, i.stage.id, i.record.status])).toEqual([['Assigned', 'Closed', 'Closed']]);
	await trigger!.hook('delete');

	receiver.log.length = 0;
	await activate({ event: 'taskCompleted' });
	espo.updateRecord('Task', task.id, { status: 'Started' });
	espo.updateRecord('Task', task.id, { status: 'Completed' });
	await espo.processWebhookQueue();
	const completion = Date.parse(`${espo.getRecord('Task', task.id)!.dateCompleted.replace(' ', 'T')}Z`);
	expect(receiver.log[0].items.map((i: any) => [i.record.id, i.eventKey])).toEqual([[task.id, `${task.id}|completed|${completion}`]]);
});

test('the remembered keys stay bounded: the newest 5,000 are kept', async () => {
	await activate({ event: 'newLead' });
	const old: Record<string, number> = {};
	for (let i = 0; i < 5000; i++) old[`old-${i}`] = i;
	trigger!.setStaticData({ ...trigger!.staticData(), emitted: old });
	const lead = espo.createRecord('Lead', { lastName: 'Newest' });
	await espo.processWebhookQueue();
	const emitted = trigger!.staticData().emitted as Record<string, number>;
	expect(Object.keys(emitted)).toHaveLength(5000);
	expect(emitted[lead.id]).toBeGreaterThan(1_000_000);
	expect('old-0' in emitted).toBe(false);
	expect('old-4999' in emitted).toBe(true);
});
