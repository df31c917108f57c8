/* eslint-disable */
// Zoho CRM Notifications as the CRM Webhook Trigger's source, against the local Zoho sandbox: the
// channel is registered (a week, field conditions for stage/status), Zoho's callbacks reach a local
// receiver that checks the token and turns the delivered ids into events with the polling keys;
// renewal moves the expiry; removal stops deliveries.
import * as http from 'node:http';

import { useZohoSandbox, zohoTestProvider, callsTo } from '../helpers/zohoProvider';
import type { CrmEvent, EventType, InstantEventSource } from '../../nodes/shared/contract/events';

const box = useZohoSandbox();

interface Received {
	verified: boolean;
	events: CrmEvent[];
	body: any;
}
let received: Received[] = [];
let current: { source: InstantEventSource; registration: { id: string; secret?: string } } | undefined;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const rawBody = Buffer.concat(chunks);
			const verified = current!.source.verify({ method: req.method!, url: req.url!, headers: req.headers as any, rawBody }, current!.registration);
			const body = JSON.parse(rawBody.toString('utf8'));
			const events = verified ? await current!.source.toEvents(body) : [];
			received.push({ verified, events, body });
			res.writeHead(verified ? 200 : 401);
			res.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as any).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
	received = [];
	current = undefined;
});

const other = () => ({ actor: box.zoho.users[1].id });

async function listen(type: EventType) {
	const source = zohoTestProvider(box.zoho).instantEvents!(type);
	const registration = await source.register(`${baseUrl}/webhook/hook-1/webhook`);
	current = { source, registration };
	return { source, registration };
}

test('registration: one channel for the event, a week minus a margin, token as secret, no related-action noise', async () => {
	const before = Date.now();
	const { registration } = await listen('newLead');
	const watch = callsTo(box.zoho, 'POST', '/actions/watch')[0].body.watch[0];
	expect(watch).toMatchObject({ channel_id: Number(registration.id), events: ['Leads.create'], notify_url: `${baseUrl}/webhook/hook-1/webhook`, token: registration.secret, notify_on_related_action: false, return_affected_field_values: true });
	expect(watch.token.length).toBeLessThanOrEqual(50);
	const expiry = Date.parse(watch.channel_expiry);
	expect(expiry - before).toBeGreaterThan(6 * 86_400_000);
	expect(expiry - before).toBeLessThanOrEqual(7 * 86_400_000);
	expect((registration as any).expiresAt).toBe(expiry);
});

test('new leads: several ids in one callback become one event each, keyed as polling keys them', async () => {
	await listen('newLead');
	const provider = zohoTestProvider(box.zoho);
	await provider.createRecords('lead', [{ fields: { lastName: 'A', company: 'X' } }, { fields: { lastName: 'B', company: 'X' } }]);
	await box.zoho.flushNotifications();
	expect(received).toHaveLength(1);
	expect(received[0].body.ids).toHaveLength(2);
	expect(received[0].events.map((e) => [(e.record as any).lastName, e.key === e.record.id, e.origin])).toEqual([['A', true, 'package'], ['B', true, 'package']]);
});

test('deal stage changes: the channel has a Stage condition; only stage edits call, with previous stage', async () => {
	await listen('dealStageChanged');
	expect(callsTo(box.zoho, 'POST', '/actions/watch')[0].body.watch[0].notification_condition).toEqual([
		{ type: 'field_selection', module: { api_name: 'Deals' }, field_selection: { field: { api_name: 'Stage' } } },
	]);
	const deal = box.zoho.createRecord('Deals', { Deal_Name: 'D', Stage: 'Qualification', Closing_Date: '2026-12-31' }, other());
	box.zoho.updateRecord('Deals', deal.id, { Amount: 10 }, other());
	box.zoho.updateRecord('Deals', deal.id, { Stage: 'Needs Analysis' }, other());
	await box.zoho.flushNotifications();
	expect(received).toHaveLength(1);
	expect(received[0].events.map((e) => `${e.previous?.id}>${e.stage?.id}@${e.origin}`)).toEqual(['Qualification>Needs Analysis@other']);
	// The polling feed gives the same move the same key: the trigger's dedupe starts it once.
	const feed = zohoTestProvider(box.zoho).eventFeed('dealStageChanged');
	const candidates: any[] = [];
	for await (const page of feed.scan(0, Date.now() + 60_000)) candidates.push(...page);
	const polled = await feed.expand(candidates, 0);
	expect(polled.map((e) => e.key)).toContain(received[0].events[0].key);
});

test('a callback with a wrong token is refused and starts nothing', async () => {
	const { registration } = await listen('newContact');
	current!.registration = { ...registration, secret: 'not-the-token' };
	box.zoho.createRecord('Contacts', { Last_Name: 'K' }, other());
	await box.zoho.flushNotifications();
	expect(received.map((r) => [r.verified, r.events.length])).toEqual([[false, 0]]);
	expect(box.zoho.notifications[0].status).toBe(401);
});

test('renewal moves the expiry with PATCH; removal deletes the channel and stops callbacks', async () => {
	const { source, registration } = await listen('ticketOpened');
	const renewed = await source.renew!(registration);
	const patch = callsTo(box.zoho, 'PATCH', '/actions/watch')[0].body.watch[0];
	expect(patch).toMatchObject({ channel_id: Number(registration.id), events: ['Cases.create'] });
	expect(renewed.expiresAt).toBe(Date.parse(patch.channel_expiry));
	await source.unregister(registration);
	expect(callsTo(box.zoho, 'DELETE', '/actions/watch')[0].query.channel_ids).toBe(registration.id);
	box.zoho.createRecord('Cases', { Subject: 'S', Status: 'New', Case_Origin: 'Email' }, other());
	await box.zoho.flushNotifications();
	expect(received).toEqual([]);
	// Removing it again (already gone) is not an error.
	await source.unregister(registration);
});

test('overdue tasks have no notification: asking for it names polling', () => {
	const error = (() => {
		try {
			zohoTestProvider(box.zoho).instantEvents!('taskOverdue');
		} catch (e) {
			return e as any;
		}
	})();
	expect(error.message).toBe('Zoho CRM cannot send the "taskOverdue" event by notification');
	expect(error.hint).toBe('Use the CRM Trigger (polling) for it.');
	expect(zohoTestProvider(box.zoho).capabilities.instantEvents).not.toContain('taskOverdue');
});
