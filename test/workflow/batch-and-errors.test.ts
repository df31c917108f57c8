/* eslint-disable */
// Batching (request counts), per-item errors, "Continue On Fail", and bad input: each error
// must name the item, the field and what would be valid, and nothing may be written when the
// run stops on invalid input.
import { useHubSpotSandbox } from '../helpers/sandbox';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { chain, outputOf, runCrmWorkflow } from '../helpers/crmWorkflow';

let hubspot: FakeHubSpot;
const cred = () => ({ baseUrl: hubspot.baseUrl, token: hubspot.token });
const writesTo = (path: string) => hubspot.requests.filter((r) => r.method !== 'GET' && r.path === path);

const sandbox = useHubSpotSandbox({ checkSchemas: false });
beforeEach(() => {
	hubspot = sandbox.hubspot;
});

function seedDeals(count: number, stage = 'appointmentscheduled'): string[] {
	return Array.from({ length: count }, (_, i) =>
		String(hubspot.createObject('deals', { dealname: `Deal ${i}`, pipeline: 'default', dealstage: stage, amount: String(1000 + i) }).id),
	);
}

const stageStep = (extra: Record<string, unknown> = {}, onError?: 'continueRegularOutput') => ({
	name: 'Update Stage',
	parameters: {
		resource: 'deal',
		operation: 'updateStage',
		recordId: '={{ $json.id }}',
		stage: { __rl: true, mode: 'name', value: '={{ $json.stage ?? "Contract sent" }}' },
		...extra,
	},
	...(onError ? { onError } : {}),
});

test('250 stage updates by name take 7 HTTP calls: 1 pipelines, 3 batch reads, 3 batch updates', async () => {
	const ids = seedDeals(250);
	const before = hubspot.requests.length;
	const result = await runCrmWorkflow(chain([stageStep()], ids.map((id) => ({ id }))), cred());
	expect(result.error).toBeUndefined();
	const calls = hubspot.requests.slice(before);
	expect(calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(
		[
			'GET /crm/v3/pipelines/deals',
			...Array(3).fill('POST /crm/v3/objects/deals/batch/read'),
			...Array(3).fill('POST /crm/v3/objects/deals/batch/update'),
		].sort(),
	);
	expect(calls.filter((c) => c.path.endsWith('batch/update')).map((c) => c.body.inputs.length)).toEqual([100, 100, 50]);
	expect(ids.every((id) => hubspot.getObject('deals', id).properties.dealstage === 'contractsent')).toBe(true);
	const out = outputOf(result, 'Update Stage');
	expect(out).toHaveLength(250);
	expect(out[0]).toMatchObject({ stageName: 'Contract sent', previousStage: { id: 'appointmentscheduled' }, stage: { id: 'contractsent', name: 'Contract sent' }, changed: true });
	expect(hubspot.violations).toEqual([]);
});

test('an unknown stage stops the run before any write, naming the item and the valid stages', async () => {
	const ids = seedDeals(3);
	const items = ids.map((id, i) => ({ id, stage: i === 1 ? 'Contract snet' : 'Contract sent' }));
	const result = await runCrmWorkflow(chain([stageStep()], items), cred());
	expect(result.status).toBe('error');
	const error = result.nodes['Update Stage'].error!;
	expect(error.message).toBe('Item 1: Unknown stage "Contract snet" in pipeline "Sales Pipeline"');
	expect(String(error.description)).toContain('"Contract sent"');
	expect(String(error.description)).toContain('"Closed won"');
	expect(writesTo('/crm/v3/objects/deals/batch/update')).toHaveLength(0);
	expect(ids.every((id) => hubspot.getObject('deals', id).properties.dealstage === 'appointmentscheduled')).toBe(true);
});

test('with Continue On Fail only the bad item becomes an error item; the others are written', async () => {
	const ids = seedDeals(3);
	const items = ids.map((id, i) => ({ id, stage: i === 1 ? 'Nope' : 'Contract sent' }));
	const result = await runCrmWorkflow(chain([stageStep({}, 'continueRegularOutput')], items), cred());
	expect(result.status).toBe('success');
	const out = outputOf(result, 'Update Stage');
	expect(out[0].stage).toEqual({ id: 'contractsent', name: 'Contract sent' });
	expect(out[1]).toMatchObject({ error: 'Unknown stage "Nope" in pipeline "Sales Pipeline"', field: 'stage' });
	expect(String(out[1].hint)).toContain('"Contract sent"');
	expect(out[2].changed).toBe(true);
	expect(result.nodes['Update Stage'].items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(hubspot.getObject('deals', ids[1]).properties.dealstage).toBe('appointmentscheduled');
});

test('the transition guard refuses a disallowed jump and lists the allowed moves', async () => {
	const [id] = seedDeals(1, 'qualifiedtobuy');
	const guard = 'Appointment scheduled → Qualified to buy → Presentation scheduled → Contract sent → Closed won\n* → Closed lost';
	const result = await runCrmWorkflow(chain([stageStep({ allowedTransitions: guard })], [{ id, stage: 'Closed won' }]), cred());
	expect(result.status).toBe('error');
	const error = result.nodes['Update Stage'].error!;
	expect(error.message).toBe('Item 0: Moving from "Qualified to buy" to "Closed won" is not an allowed transition');
	expect(String(error.description)).toBe('Allowed from "Qualified to buy": "Presentation scheduled", "Closed lost".');
	// An allowed move goes through.
	const ok = await runCrmWorkflow(chain([stageStep({ allowedTransitions: guard })], [{ id, stage: 'Closed lost' }]), cred());
	expect(ok.error).toBeUndefined();
	expect(outputOf(ok, 'Update Stage')[0]).toMatchObject({ status: 'lost', stage: { id: 'closedlost' } });
	expect(hubspot.violations).toEqual([]);
});

test('an unknown user names the field and lists active users', async () => {
	const contact = hubspot.createObject('contacts', { email: 'x@y.com' }).id;
	const result = await runCrmWorkflow(
		chain([{ name: 'Task', parameters: { resource: 'task', operation: 'assign', subject: 'Call', relatedType: 'contact', relatedId: contact, strategy: 'specific', user: { __rl: true, mode: 'email', value: 'nobody@example.com' } } }], [{}]),
		cred(),
	);
	expect(result.status).toBe('error');
	const error = result.nodes.Task.error!;
	expect(error.message).toBe('Item 0: Unknown user "nobody@example.com" in HubSpot');
	expect(String(error.description)).toContain('ana@example.com');
	expect(hubspot.listObjects('tasks')).toHaveLength(0);
});

test('an invalid email stops an upsert batch before anything is written', async () => {
	const items = [{ email: 'good@acme.com' }, { email: 'not-an-email' }];
	const result = await runCrmWorkflow(
		chain([{ name: 'Upsert', parameters: { resource: 'contact', operation: 'upsert', email: '={{ $json.email }}' } }], items),
		cred(),
	);
	expect(result.status).toBe('error');
	expect(result.nodes.Upsert.error!.message).toBe('Item 1: "not-an-email" is not a valid email address');
	expect(writesTo('/crm/v3/objects/contacts/batch/upsert')).toHaveLength(0);
	expect(hubspot.listObjects('contacts').filter((c: any) => c.properties.email === 'good@acme.com')).toHaveLength(0);
});

test('missing required fields name the item and the field', async () => {
	const result = await runCrmWorkflow(
		chain([{ name: 'Deal', parameters: { resource: 'deal', operation: 'create', name: '={{ $json.name }}', pipeline: { __rl: true, mode: 'name', value: 'Sales Pipeline' }, stage: { __rl: true, mode: 'name', value: 'Qualified to buy' } } }], [{ name: 'Big deal' }, { name: '' }]),
		cred(),
	);
	expect(result.nodes.Deal.error!.message).toBe('Item 1: A deal needs a name');
	expect(hubspot.listObjects('deals')).toHaveLength(0);
});

test('a vendor validation error fails only its item; with Continue On Fail the rest is written', async () => {
	// An unknown HubSpot property makes HubSpot reject the whole batch (400); the provider then
	// isolates the bad input and writes the others.
	const items = [
		{ name: 'A', prop: 'dealname_extra_ok' },
		{ name: 'B', prop: 'no_such_property' },
		{ name: 'C', prop: 'dealname_extra_ok' },
	];
	const step = {
		name: 'Deal',
		parameters: {
			resource: 'deal',
			operation: 'create',
			name: '={{ $json.name }}',
			pipeline: { __rl: true, mode: 'name', value: 'Sales Pipeline' },
			stage: { __rl: true, mode: 'list', value: 'Qualified to buy' },
			customProperties: { property: [{ name: "={{ $json.prop === 'no_such_property' ? 'no_such_property' : 'description' }}", value: 'x' }] },
		},
		onError: 'continueRegularOutput' as const,
	};
	const result = await runCrmWorkflow(chain([step], items), cred());
	expect(result.status).toBe('success');
	const out = outputOf(result, 'Deal');
	expect(out.map((o) => o.name ?? null)).toEqual(['A', null, 'C']);
	expect(out[1]).toMatchObject({ httpCode: 400, code: 'VALIDATION_ERROR', field: 'no_such_property' });
	expect(String(out[1].error)).toContain('no_such_property');
	expect(typeof out[1].requestId).toBe('string');
	expect(hubspot.listObjects('deals').map((d: any) => d.properties.dealname).sort()).toEqual(['A', 'C']);
});

test('an opted-out contact is skipped with a reason; a transactional message goes through', async () => {
	const optedOut = hubspot.createObject('contacts', { email: 'gone@x.com', firstname: 'Gone' });
	hubspot.getObject('contacts', optedOut.id).properties.hs_email_optout = 'true';
	const fine = hubspot.createObject('contacts', { email: 'here@x.com' });
	const send = (ignoreOptOut: boolean) =>
		chain(
			[{ name: 'Send', parameters: { resource: 'message', operation: 'send', channel: 'email', delivery: 'log', relatedType: 'contact', relatedId: '={{ $json.id }}', subject: 'News', body: 'Hello', options: { ignoreOptOut } } }],
			[{ id: optedOut.id }, { id: fine.id }],
		);
	const result = await runCrmWorkflow(send(false), cred());
	expect(outputOf(result, 'Send').map((m) => [m.delivery, m.reason ?? null])).toEqual([
		['skipped', 'Contact has opted out of email'],
		['logged', null],
	]);
	expect(hubspot.listObjects('emails')).toHaveLength(1);
	const transactional = await runCrmWorkflow(send(true), cred());
	expect(outputOf(transactional, 'Send').map((m) => m.delivery)).toEqual(['logged', 'logged']);
	expect(hubspot.violations).toEqual([]);
});

test('a dedupe key keeps a retried execution from logging the message twice', async () => {
	const contact = hubspot.createObject('contacts', { email: 'once@x.com' });
	const workflow = chain(
		[{ name: 'Send', parameters: { resource: 'message', operation: 'send', channel: 'note', relatedType: 'contact', relatedId: contact.id, body: 'Called, no answer', options: { dedupeKey: '=call-note-{{ $json.run }}' } } }],
		[{ run: 'r1' }, { run: 'r1' }],
	);
	const first = await runCrmWorkflow(workflow, cred());
	expect(outputOf(first, 'Send').map((m) => m.delivery)).toEqual(['logged', 'duplicate']);
	const retry = await runCrmWorkflow(workflow, cred());
	expect(outputOf(retry, 'Send').map((m) => m.delivery)).toEqual(['duplicate', 'duplicate']);
	expect(outputOf(retry, 'Send')[0].id).toBe(outputOf(first, 'Send')[0].id);
	expect(hubspot.listObjects('notes')).toHaveLength(1);
	expect(hubspot.violations).toEqual([]);
});

test('a 429 mid-run is retried and the run succeeds', async () => {
	const ids = seedDeals(2);
	hubspot.fault({ method: 'POST', pathPrefix: '/crm/v3/objects/deals/batch/update', status: 429, headers: { 'retry-after': '1' }, body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', correlationId: 'c-429' } });
	const result = await runCrmWorkflow(chain([stageStep()], ids.map((id) => ({ id }))), cred());
	expect(result.error).toBeUndefined();
	expect(writesTo('/crm/v3/objects/deals/batch/update').map((r) => r.status)).toEqual([429, 200]);
	expect(ids.every((id) => hubspot.getObject('deals', id).properties.dealstage === 'contractsent')).toBe(true);
});

test('a wrong token gives a clear 401 error without leaking the token', async () => {
	const result = await runCrmWorkflow(
		chain([{ name: 'Get', parameters: { resource: 'deal', operation: 'get', recordId: '1' } }]),
		{ baseUrl: hubspot.baseUrl, token: 'pat-na1-wrong-token-123' },
	);
	expect(result.status).toBe('error');
	const error = result.nodes.Get.error!;
	expect(error.message).toMatch(/HubSpot \(HTTP 401\)/);
	expect(String(error.description)).toContain('private app');
	expect(JSON.stringify(error)).not.toContain('pat-na1-wrong-token-123');
});
