/* eslint-disable */
// The CRM Webhook Trigger node with Pipedrive, through n8n-core's HookContext (activation,
// deactivation) and WebhookContext (deliveries): the local Pipedrive sandbox registers the v2
// webhook with our basic credentials, POSTs deliveries to a local receiver standing in for n8n's
// webhook endpoint, bans and deletes a webhook whose deliveries keep failing; the trigger notices
// the deletion on the next activation check and registers again.
import * as http from 'node:http';
import { HookContext, WebhookContext } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode, INodeType, INodeTypes, IWebhookData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { CrmWebhookTrigger } from '../../nodes/CrmWebhookTrigger/CrmWebhookTrigger.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { startPipedriveServer } from '../sandbox/pipedrive/server';
import type { FakePipedrive } from '../sandbox/pipedrive';
import { pipedriveCredentials } from '../sandbox/pipedrive/testing';

const TYPE = 'n8n-nodes-crm-automation.crmWebhookTrigger';
const ANA = 1000002;

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

/** The credential applied as n8n applies a generic `authenticate` block (the token header). */
class Credentials extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async getDecrypted() {
		return structuredClone(this.data);
	}
	async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions) {
		return { ...request, headers: { ...(request.headers ?? {}), 'x-api-token': String(credentials.apiToken) } };
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not implemented');
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

let pd: FakePipedrive;
let receiverUrl: string;
let server: http.Server;
let trigger: ReturnType<typeof setUp> | undefined;
let failDeliveries = false;
const log: Array<{ status: number; items: IDataObject[] }> = [];

function setUp(parameters: IDataObject) {
	const node: INode = {
		id: 'w1',
		name: 'CRM Webhook Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'hook-pd',
		parameters: { provider: 'pipedrive', ...parameters },
		credentials: { crmPipedriveApi: { id: 'pd-cred', name: 'Pipedrive sandbox' } },
	};
	let staticData: IDataObject = {};
	const warnings: string[] = [];
	const workflow = () =>
		new Workflow({ id: 'wf-pd', nodes: [node], connections: {}, active: true, nodeTypes: new NodeTypes(), settings: {}, staticData: JSON.parse(JSON.stringify(staticData)) });
	const additionalData = (extra: IDataObject = {}) =>
		({
			credentialsHelper: new Credentials(pipedriveCredentials(pd) as unknown as ICredentialDataDecryptedObject),
			webhookBaseUrl: `${receiverUrl}/webhook`,
			webhookTestBaseUrl: `${receiverUrl}/webhook-test`,
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost',
			variables: {},
			executionId: 'exec-pd',
			currentNodeExecutionIndex: 0,
			...extra,
		}) as unknown as IWorkflowExecuteAdditionalData;
	const keep = (wf: Workflow) => (staticData = JSON.parse(JSON.stringify(wf.staticData)));
	const hook = async (method: 'checkExists' | 'create' | 'delete') => {
		const wf = workflow();
		const context = new HookContext(wf, wf.getNode(node.name)!, additionalData(), 'trigger', 'activate');
		const spy = jest.spyOn(context.logger, 'warn').mockImplementation((message: string) => void warnings.push(message));
		try {
			const result = await new CrmWebhookTrigger().webhookMethods.default[method].call(context);
			keep(wf);
			return result;
		} finally {
			spy.mockRestore();
		}
	};
	const deliver = async (request: { method: string; url: string; headers: IDataObject; rawBody: Buffer }) => {
		const wf = workflow();
		let status = 200;
		const res: any = { status: (code: number) => ((status = code), res), json: () => res, send: () => res, end: () => res };
		const req: any = { ...request, originalUrl: request.url, body: {}, query: {}, params: {} };
		const webhookData = { httpMethod: 'POST', node: node.name, path: 'webhook', webhookDescription: new CrmWebhookTrigger().description.webhooks![0], workflowId: 'wf-pd', webhookId: 'hook-pd' } as unknown as IWebhookData;
		const context = new WebhookContext(wf, wf.getNode(node.name)!, additionalData({ httpRequest: req, httpResponse: res }), 'webhook', webhookData, [], null);
		const result = await new CrmWebhookTrigger().webhook.call(context);
		keep(wf);
		return { status, items: (result.workflowData?.[0] ?? []).map((i) => i.json) };
	};
	return {
		hook,
		deliver,
		warnings,
		staticData: () => (staticData[`node:${node.name}`] ?? {}) as IDataObject,
		url: () => NodeHelpers.getNodeWebhookUrl(`${receiverUrl}/webhook`, 'wf-pd', node, 'webhook', false),
	};
}

beforeAll(async () => {
	pd = await startPipedriveServer({ port: 0, autoDeliverWebhooks: false });
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			if (failDeliveries) {
				res.writeHead(503);
				res.end();
				return;
			}
			const answer = await trigger!.deliver({ method: req.method!, url: req.url!, headers: req.headers as IDataObject, rawBody: Buffer.concat(chunks) }).catch(() => ({ status: 500, items: [] }));
			log.push(answer);
			res.writeHead(answer.status);
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(server.address() as any).port}`;
});
afterAll(async () => {
	await pd.stop();
	await new Promise((resolve) => server.close(resolve));
});
let now: number;
beforeEach(() => {
	pd.reset();
	resetLimiters();
	now = Date.parse('2026-11-20T09:00:00Z');
	pd.setClock(() => now);
	log.length = 0;
	failDeliveries = false;
});
afterEach(() => expect(pd.violations).toEqual([]));

async function activate(parameters: IDataObject) {
	trigger = setUp(parameters);
	expect(await trigger.hook('checkExists')).toBe(false);
	expect(await trigger.hook('create')).toBe(true);
	return trigger;
}

test('activation registers a v2 webhook with basic auth; deliveries become events once; deactivation removes it', async () => {
	const t = await activate({ event: 'dealStageChanged' });
	const [webhook] = pd.listWebhooks();
	expect(webhook).toMatchObject({ event_action: 'change', event_object: 'deal', version: '2.0', subscription_url: t.url() });
	expect(webhook.http_auth_user).toMatch(/^n8n-/);
	expect(await t.hook('checkExists')).toBe(true);
	const deal = pd.create('deals', { title: 'Hooked', stage_id: 1 }, { userId: ANA });
	pd.update('deals', deal.id, { stage_id: 4 }, { userId: ANA });
	pd.update('deals', deal.id, { title: 'Renamed' }, { userId: ANA }); // no stage move: no event
	await pd.deliverWebhooks();
	const items = log.flatMap((l) => l.items) as any[];
	expect(items.map((i) => [i.type, i.previous?.name, i.stage?.name, i.origin, i.record.id])).toEqual([['dealStageChanged', 'Qualified', 'Proposal Made', 'other', String(deal.id)]]);
	// The same delivery again (Pipedrive retries with the same meta.id): nothing new starts.
	const delivered = pd.webhookDeliveries.find((d) => d.status === 200 && String(d.body).includes('"previous":{"stage_id"'))!;
	const replay = await t.deliver({ method: 'POST', url: '/webhook', headers: delivered.headers as IDataObject, rawBody: Buffer.from(delivered.body!) });
	expect(replay).toEqual({ status: 200, items: [] });
	expect(log.every((l) => l.status === 200)).toBe(true);
	expect(await t.hook('delete')).toBe(true);
	expect(pd.listWebhooks()).toEqual([]);
});

test('a delivery without the registered basic credentials is answered 401 and starts nothing', async () => {
	const t = await activate({ event: 'newContact' });
	const answer = await t.deliver({ method: 'POST', url: '/webhook', headers: { authorization: `Basic ${Buffer.from('n8n-x:guess').toString('base64')}` }, rawBody: Buffer.from('{"meta":{},"data":{"id":1}}') });
	expect(answer).toEqual({ status: 401, items: [] });
	const none = await t.deliver({ method: 'POST', url: '/webhook', headers: {}, rawBody: Buffer.from('{}') });
	expect(none.status).toBe(401);
});

test('the loop guard option drops deliveries of changes this credential made through the API', async () => {
	const t = await activate({ event: 'dealStageChanged', options: { ignoreOwnChanges: true } });
	const deal = pd.create('deals', { title: 'Loop', stage_id: 1 }, { userId: ANA });
	pd.update('deals', deal.id, { stage_id: 2 }, { userId: pd.tokenUserId, changeSource: 'api' }); // this package
	pd.update('deals', deal.id, { stage_id: 3 }, { userId: ANA }); // a person in the app
	await pd.deliverWebhooks();
	const items = log.flatMap((l) => l.items) as any[];
	expect(items.map((i) => [i.stage?.id, i.origin])).toEqual([['3', 'other']]);
	expect(t.staticData().registration).toBeDefined();
});

test('Pipedrive deletes the webhook after 3 days of failures: the next activation check notices and registers again', async () => {
	const t = await activate({ event: 'newContact' });
	const first = t.staticData().registration as IDataObject;
	failDeliveries = true;
	pd.create('persons', { name: 'Lost 1' }, { userId: ANA });
	await pd.deliverWebhooks();
	now += 3 * 86_400_000 + 60_000;
	pd.create('persons', { name: 'Lost 2' }, { userId: ANA });
	await pd.deliverWebhooks();
	expect(pd.removedWebhooks.map((w) => String(w.id))).toEqual([first.id]);
	expect(pd.listWebhooks()).toEqual([]);
	failDeliveries = false;
	expect(await t.hook('checkExists')).toBe(false);
	expect(t.warnings.join('\n')).toMatch(/no longer has webhook .* registering it again/);
	expect(await t.hook('create')).toBe(true);
	const [again] = pd.listWebhooks();
	expect(String(again.id)).not.toBe(first.id);
	expect(t.staticData().registration).toMatchObject({ id: String(again.id) });
	pd.create('persons', { name: 'Found' }, { userId: ANA });
	await pd.deliverWebhooks();
	expect((log.flatMap((l) => l.items) as any[]).map((i) => i.raw?.name)).toEqual(['Found']);
});
