/* eslint-disable */
// The sandbox's own knobs: demo dataset, reset/seed and fault endpoints, request log.
import { startHubSpotServer } from '../sandbox/hubspot/server';
import type { FakeHubSpot } from '../sandbox/hubspot';

let sandbox: FakeHubSpot;
beforeAll(async () => {
	sandbox = await startHubSpotServer({ port: 0 });
});
afterAll(() => sandbox.stop());

const post = (path: string, body: unknown = {}) =>
	fetch(`${sandbox.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('reset with demo data gives a realistic, schema-valid dataset', async () => {
	expect((await post('/__sandbox/reset', { demoData: true })).status).toBe(200);
	const count = (t: string) => sandbox.listObjects(t).length;
	expect([count('contacts'), count('deals'), count('tickets'), count('tasks')]).toEqual([12, 36, 12, 18]);
	const stages = new Set(sandbox.listObjects('deals').map((d: any) => d.properties.dealstage));
	expect(stages.size).toBe(7); // every deal stage, won and lost included
	const moved = sandbox.listObjects('deals').find((d: any) => d.properties.dealstage === 'contractsent');
	expect(moved.properties.hs_date_entered_appointmentscheduled).toBeDefined();
	expect(moved.properties.hs_date_entered_contractsent).toBeDefined();
	expect(sandbox.violations).toEqual([]);
	expect((await post('/__sandbox/reset')).status).toBe(200);
	expect(count('deals')).toBe(0);
});

test('a fault set over HTTP answers the next matching request, and the request log shows it', async () => {
	await post('/__sandbox/fault', { method: 'GET', pathPrefix: '/crm/v3/owners', status: 503, times: 1 });
	const first = await fetch(`${sandbox.baseUrl}/crm/v3/owners`, { headers: { authorization: `Bearer ${sandbox.token}` } });
	const second = await fetch(`${sandbox.baseUrl}/crm/v3/owners`, { headers: { authorization: `Bearer ${sandbox.token}` } });
	expect([first.status, second.status]).toEqual([503, 200]);
	const log = (await (await fetch(`${sandbox.baseUrl}/__sandbox/requests`)).json()) as Array<{ path: string; status: number; authorization?: string }>;
	expect(log.filter((r) => r.path === '/crm/v3/owners').map((r) => r.status).slice(-2)).toEqual([503, 200]);
	expect(log.every((r) => r.authorization === undefined)).toBe(true);
});
