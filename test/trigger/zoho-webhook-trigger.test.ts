/* eslint-disable */
// The CRM Webhook Trigger node with Zoho CRM: activation registers a Notifications channel with an
// expiry, activation again renews it (or registers anew when it has nearly expired), deliveries
// are checked by token and renew a channel within 6 days of expiry. The node runs against the
// local Zoho sandbox through a small stand-in for n8n's hook and webhook contexts.
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { CrmWebhookTrigger } from '../../nodes/CrmWebhookTrigger/CrmWebhookTrigger.node';
import { callsTo, useZohoSandbox, zohoSend } from '../helpers/zohoProvider';
import { zohoCredentialData } from '../helpers/zohoSandbox';

const box = useZohoSandbox();
const URL = 'http://127.0.0.1:9/webhook/hook-1/webhook';
const DAY = 86_400_000;

function trigger(event = 'newLead') {
	const staticData: IDataObject = {};
	const warnings: string[] = [];
	let response: { status: number; body?: unknown } = { status: 200 };
	const parameters: IDataObject = { provider: 'zoho', event, pipelines: [], toStages: [], fromStages: [], outcome: 'both' };
	const base = () => ({
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => URL,
		getNode: () => ({ name: 'CRM Webhook Trigger', credentials: { crmZohoOAuth2Api: { id: 'z', name: 'Zoho' } } }),
		getCredentials: async () => zohoCredentialData(box.zoho),
		getExecutionId: () => 'exec',
		logger: { warn: (m: string) => warnings.push(m) },
		helpers: { httpRequestWithAuthentication: (_type: string, options: IHttpRequestOptions) => zohoSend(() => box.zoho.token)(options) },
	});
	const node = new CrmWebhookTrigger();
	const hook = (method: 'checkExists' | 'create' | 'delete') => node.webhookMethods.default[method].call(base() as never);
	const deliver = async (body: unknown) => {
		const res = { status: (code: number) => ((response.status = code), res), json: (b: unknown) => ((response.body = b), res) };
		response = { status: 200 };
		const context = { ...base(), getRequestObject: () => ({ method: 'POST', url: URL, originalUrl: URL, headers: {}, rawBody: Buffer.from(JSON.stringify(body)) }), getResponseObject: () => res };
		const result = await node.webhook.call(context as never);
		return { status: response.status, items: (result.workflowData?.[0] ?? []).map((i) => i.json) };
	};
	const registration = () => staticData.registration as IDataObject & { id: string; secret: string; expiresAt: number };
	return { hook, deliver, registration, staticData, warnings };
}

test('activation registers a week-long channel; activating again renews it; a nearly expired one is registered anew', async () => {
	const t = trigger();
	expect(await t.hook('checkExists')).toBe(false);
	expect(await t.hook('create')).toBe(true);
	const first = t.registration();
	expect(first.expiresAt - Date.now()).toBeGreaterThan(6 * DAY);
	expect(callsTo(box.zoho, 'POST', '/actions/watch')).toHaveLength(1);

	// n8n restarts: checkExists runs again and renews the channel.
	t.staticData.registration = { ...first, expiresAt: Date.now() + DAY };
	expect(await t.hook('checkExists')).toBe(true);
	expect(callsTo(box.zoho, 'PATCH', '/actions/watch')).toHaveLength(1);
	expect(t.registration().expiresAt - Date.now()).toBeGreaterThan(6 * DAY);

	// Past (or within minutes of) its expiry: registered anew.
	t.staticData.registration = { ...t.registration(), expiresAt: Date.now() + 60_000 };
	expect(await t.hook('checkExists')).toBe(false);
	expect(await t.hook('create')).toBe(true);
	expect(t.registration().id).not.toBe(first.id);
	expect(callsTo(box.zoho, 'DELETE', '/actions/watch').map((r) => r.query.channel_ids)).toEqual([first.id]);

	expect(await t.hook('delete')).toBe(true);
	expect(t.staticData.registration).toBeUndefined();
});

test('a delivery with our token starts the workflow and renews a channel within 6 days of expiry; a wrong token gets 401', async () => {
	const t = trigger();
	await t.hook('create');
	const lead = box.zoho.createRecord('Leads', { Last_Name: 'Doe', Company: 'Acme' }, { actor: box.zoho.users[1].id });
	const delivery = (token: string) => ({ server_time: Date.now(), module: 'Leads', operation: 'insert', ids: [lead.id], channel_id: t.registration().id, token, resource_uri: '', query_params: {} });

	expect(await t.deliver(delivery('wrong'))).toMatchObject({ status: 401, items: [] });

	const fresh = await t.deliver(delivery(t.registration().secret));
	expect(fresh.items.map((i: any) => [i.type, i.record.lastName, i.eventKey])).toEqual([['newLead', 'Doe', lead.id]]);
	expect(callsTo(box.zoho, 'PATCH', '/actions/watch')).toHaveLength(0); // a fresh channel is not renewed on every delivery

	t.staticData.registration = { ...t.registration(), expiresAt: Date.now() + 2 * DAY };
	const again = await t.deliver(delivery(t.registration().secret));
	expect(again.items).toEqual([]); // the same event key: not started twice
	expect(callsTo(box.zoho, 'PATCH', '/actions/watch')).toHaveLength(1);
	expect(t.registration().expiresAt - Date.now()).toBeGreaterThan(6 * DAY);
	expect(t.warnings).toEqual([]);
});
