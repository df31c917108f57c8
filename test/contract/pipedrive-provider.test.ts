/* eslint-disable */
// The Pipedrive provider against the local Pipedrive sandbox: every request must be one the
// sandbox finds documented (no violations), and the answers map to the normalized model.
import { usePipedriveSandbox, pipedriveTestProvider } from '../sandbox/pipedrive/testing';

const box = usePipedriveSandbox();
afterEach(() => expect(box.pipedrive.violations).toEqual([]));

test('users, pipelines with stages by name, and the token user', async () => {
	const provider = pipedriveTestProvider(box.pipedrive);
	const users = await provider.listUsers();
	expect(users.find((u) => u.email === 'eve@example.com')).toMatchObject({ active: false });
	const [pipeline] = await provider.listPipelines('deal');
	expect(pipeline.stages.map((s) => s.name)).toEqual(['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started']);
	expect(await provider.ownUserId()).toBe(String(box.pipedrive.tokenUserId));
});

test('contacts, companies, deals, tasks and notes: create, get, update, search', async () => {
	const provider = pipedriveTestProvider(box.pipedrive);
	const [org] = await provider.createRecords('company', [{ fields: { name: 'Acme' } }]);
	expect(org.ok).toBe(true);
	const orgId = org.ok ? org.value.id : '';
	const [person] = await provider.createRecords('contact', [{ fields: { firstName: 'Ana', lastName: 'Lima', email: 'ana@acme.test', phone: '+1 555 0100', companyId: orgId } }]);
	if (!person.ok) throw person.error;
	expect(person.value).toMatchObject({ firstName: 'Ana', email: 'ana@acme.test', companyId: orgId, url: `${box.pipedrive.baseUrl}/person/${person.value.id}` });
	const stage = box.pipedrive.stageByName('Demo Scheduled')!;
	const [deal] = await provider.createRecords('deal', [{ fields: { name: 'Acme deal', amount: 5000, currency: 'EUR', stageId: String(stage.id), closeDate: '2026-12-31' }, related: [{ type: 'contact', id: person.value.id }, { type: 'company', id: orgId }] }]);
	if (!deal.ok) throw deal.error;
	expect(deal.value).toMatchObject({ name: 'Acme deal', amount: 5000, stageName: 'Demo Scheduled', contactIds: [person.value.id], companyId: orgId, status: 'open' });
	const [updated] = await provider.updateRecords('deal', [{ id: deal.value.id, fields: { status: 'won' } }]);
	expect(updated.ok && (updated.value as any).status).toBe('won');
	const [task] = await provider.createRecords('task', [{ fields: { subject: 'Call Ana', dueAt: '2026-12-01T10:30:00Z', ownerId: String(box.pipedrive.userByEmail('ben@example.com')!.id), status: 'open' }, related: [{ type: 'deal', id: deal.value.id }] }]);
	if (!task.ok) throw task.error;
	expect(task.value).toMatchObject({ subject: 'Call Ana', dueAt: '2026-12-01T10:30:00.000Z', status: 'open', related: expect.arrayContaining([{ type: 'deal', id: deal.value.id }]) });
	const [note] = await provider.createRecords('note', [{ fields: { body: 'Met at the fair' }, related: [{ type: 'deal', id: deal.value.id }] }]);
	expect(note.ok).toBe(true);
	const found = [];
	for await (const page of provider.searchRecords('contact', { filters: [], text: 'ana@acme.test' })) found.push(...page);
	expect(found.map((r) => r.id)).toEqual([person.value.id]);
	const owned = [];
	for await (const page of provider.searchRecords('deal', { filters: [{ field: 'status', operator: 'eq', value: 'won' }] })) owned.push(...page);
	expect(owned.map((r) => r.id)).toEqual([deal.value.id]);
	const [missing, got] = await provider.getRecords('deal', ['999999', deal.value.id]);
	expect(missing.ok).toBe(false);
	expect(got.ok).toBe(true);
});

test('leads: a person is created for the lead; status is a label; qualify converts to a deal', async () => {
	const provider = pipedriveTestProvider(box.pipedrive);
	const [lead] = await provider.createRecords('lead', [{ fields: { email: 'lea@x.test', firstName: 'Lea', lastName: 'Ng', company: 'X Corp', status: 'Hot' } }]);
	if (!lead.ok) throw lead.error;
	expect(lead.value).toMatchObject({ email: 'lea@x.test', firstName: 'Lea', company: 'X Corp', status: 'Hot', url: `${box.pipedrive.baseUrl}/leads/inbox/${lead.value.id}` });
	const [bad] = await provider.updateRecords('lead', [{ id: lead.value.id, fields: { status: 'Qualified' } }]);
	expect(!bad.ok && bad.error.message).toMatch(/not a Pipedrive lead label/);
	const [qualified] = await provider.qualifyLeads([{ id: lead.value.id, createDeal: { name: 'Lea deal' } }]);
	if (!qualified.ok) throw qualified.error;
	expect(qualified.value.deal).toMatchObject({ name: 'Lea deal', contactIds: [(lead.value as any).contactId] });
});

test('upsert by email updates the person that has it and creates the others, once per email', async () => {
	const provider = pipedriveTestProvider(box.pipedrive);
	const existing = box.pipedrive.create('persons', { name: 'Old Name', emails: [{ value: 'old@x.test', primary: true, label: 'work' }] });
	const results = await provider.upsertContacts([
		{ fields: { email: 'old@x.test', firstName: 'New' } },
		{ fields: { email: 'new@x.test', lastName: 'Fresh' } },
		{ fields: { email: 'NEW@x.test', firstName: 'Again' } },
	]);
	expect(results.map((r) => r.ok && r.value.id)).toEqual([String(existing.id), expect.any(String), results[1].ok && results[1].value.id]);
	expect(box.pipedrive.list('persons')).toHaveLength(2);
});

test('messages are logged as notes with a dedupe marker that a retry finds; sending is refused', async () => {
	const provider = pipedriveTestProvider(box.pipedrive);
	const deal = box.pipedrive.create('deals', { title: 'D', stage_id: 1 });
	const [logged] = await provider.logMessages([{ channel: 'email', subject: 'Hello', body: 'Hi there', to: ['a@x.test'], related: [{ type: 'deal', id: String(deal.id) }], delivery: 'log', dedupeKey: 'run-1' }]);
	expect(logged.ok).toBe(true);
	const found = await provider.findMessagesByDedupeKey([{ key: 'run-1', related: [{ type: 'deal', id: String(deal.id) }], channel: 'email' }, { key: 'run-2', related: [{ type: 'deal', id: String(deal.id) }], channel: 'email' }]);
	expect([...found.keys()]).toEqual(['run-1']);
});
