/* eslint-disable */
// Workflow tests: workflow JSON run by n8n-core's WorkflowExecute, the CRM node talking HTTP to
// the local HubSpot contract server. Assertions are on what the server received and stored, and
// on what each node output.
import { useHubSpotSandbox } from '../helpers/sandbox';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { chain, outputOf, runCrmWorkflow } from '../helpers/crmWorkflow';

let hubspot: FakeHubSpot;
const cred = () => ({ baseUrl: hubspot.baseUrl, token: hubspot.token });
const writes = (pathPart: string) => hubspot.requests.filter((r) => r.method !== 'GET' && r.path.includes(pathPart));

const sandbox = useHubSpotSandbox();
beforeEach(() => {
	hubspot = sandbox.hubspot;
});

test('new lead → assign owner round-robin → assign task → send message → update status', async () => {
	const leads = [
		{ first: 'John', last: 'Doe', email: 'john.doe@acme.com', company: 'Acme Corp' },
		{ first: 'Jane', last: 'Roe', email: 'jane.roe@globex.com', company: 'Globex' },
		{ first: 'Max', last: 'Mustermann', email: 'max@muster.de', company: 'Muster GmbH' },
	];
	const workflow = chain(
		[
			{
				name: 'Create Lead',
				parameters: {
					resource: 'lead',
					operation: 'create',
					email: '={{ $json.email }}',
					fields: { firstName: '={{ $json.first }}', lastName: '={{ $json.last }}', company: '={{ $json.company }}' },
				},
			},
			{
				name: 'Assign Owner',
				parameters: {
					resource: 'lead',
					operation: 'assignOwner',
					recordId: '={{ $json.id }}',
					strategy: 'roundRobin',
					users: ['ana@example.com', 'ben@example.com'],
				},
			},
			{
				name: 'Assign Task',
				parameters: {
					resource: 'task',
					operation: 'assign',
					subject: 'Call within 1 business day',
					relatedType: 'lead',
					relatedId: '={{ $json.id }}',
					due: 'in 1 business day at 10:00',
					strategy: 'specific',
					user: { __rl: true, mode: 'email', value: "={{ $('Assign Owner').item.json.assignedTo.email }}" },
					options: { priority: 'high', timeZone: 'Europe/Berlin' },
				},
			},
			{
				name: 'Welcome Message',
				parameters: {
					resource: 'message',
					operation: 'send',
					channel: 'email',
					delivery: 'log',
					relatedType: 'contact',
					relatedId: "={{ $('Create Lead').item.json.id }}",
					subject: 'Welcome to Acme',
					body: "=Hi {{ $('Create Lead').item.json.firstName }}, thanks for your interest!",
					options: { dedupeKey: "=welcome-{{ $('Create Lead').item.json.id }}" },
				},
			},
			{
				name: 'Update Status',
				parameters: {
					resource: 'lead',
					operation: 'updateStatus',
					recordId: "={{ $('Create Lead').item.json.id }}",
					stage: { __rl: true, mode: 'name', value: 'In Progress' },
					allowedTransitions: 'New → Open → In Progress → Connected',
				},
			},
		],
		leads,
	);

	const result = await runCrmWorkflow(workflow, cred());
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');

	// Leads are contacts in lifecycle stage "lead" (the credential's default lead model).
	const created = outputOf(result, 'Create Lead');
	expect(created.map((l) => [l.email, l.leadModel, l.name])).toEqual([
		['john.doe@acme.com', 'contactLifecycle', 'John Doe'],
		['jane.roe@globex.com', 'contactLifecycle', 'Jane Roe'],
		['max@muster.de', 'contactLifecycle', 'Max Mustermann'],
	]);
	expect(writes('/crm/v3/objects/contacts/batch/create')).toHaveLength(1);
	for (const lead of created) expect(hubspot.getObject('contacts', String(lead.id)).properties.lifecyclestage).toBe('lead');

	// Round-robin alternates, starting with the first user.
	const owners = outputOf(result, 'Assign Owner').map((o) => (o.assignedTo as any).email);
	expect(owners).toEqual(['ana@example.com', 'ben@example.com', 'ana@example.com']);

	// One batch call created all three tasks, each owned by the lead's owner and linked (204 = task→contact).
	const taskCalls = writes('/crm/v3/objects/tasks/batch/create');
	expect(taskCalls).toHaveLength(1);
	const taskInputs = taskCalls[0].body.inputs;
	expect(taskInputs).toHaveLength(3);
	const anaId = outputOf(result, 'Assign Owner')[0].ownerId;
	expect(taskInputs[0].properties).toMatchObject({ hs_task_subject: 'Call within 1 business day', hs_task_priority: 'HIGH', hubspot_owner_id: anaId, hs_task_status: 'NOT_STARTED' });
	expect(taskInputs[0].associations).toEqual([{ to: { id: String(created[0].id) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }]);
	const tasks = outputOf(result, 'Assign Task');
	expect(tasks.every((t) => t.status === 'open' && typeof t.dueAt === 'string')).toBe(true);
	// Due at 10:00 Berlin time on a business day.
	const due = new Date(String(tasks[0].dueAt));
	const berlinHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hour12: false }).format(due));
	expect(berlinHour).toBe(10);
	expect([0, 6]).not.toContain(new Date(due.toLocaleString('en-US', { timeZone: 'Europe/Berlin' })).getDay());

	// Welcome emails logged on each contact (198 = email→contact), recipient from the contact.
	const messages = outputOf(result, 'Welcome Message');
	expect(messages.map((m) => m.delivery)).toEqual(['logged', 'logged', 'logged']);
	expect(messages[1].to).toEqual(['jane.roe@globex.com']);
	expect(hubspot.listObjects('emails')).toHaveLength(3);
	expect(hubspot.associations('emails', String(messages[0].id), 'contacts')).toEqual([String(created[0].id)]);

	// Status by name, resolved to the hs_lead_status value, allowed by the guard (no status → In Progress).
	const statuses = outputOf(result, 'Update Status');
	expect(statuses.map((s) => [(s.stage as any).id, s.changed])).toEqual([
		['IN_PROGRESS', true],
		['IN_PROGRESS', true],
		['IN_PROGRESS', true],
	]);
	expect(hubspot.getObject('contacts', String(created[2].id)).properties.hs_lead_status).toBe('IN_PROGRESS');

	// Every output item is paired with its input item.
	for (const node of ['Create Lead', 'Assign Owner', 'Assign Task', 'Welcome Message', 'Update Status']) {
		expect(result.nodes[node].items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	}
});

test('round-robin continues across executions through the workflow static data', async () => {
	const contactIds = ['a', 'b', 'c'].map((n) => hubspot.createObject('contacts', { email: `${n}@x.com`, lifecyclestage: 'lead' }).id);
	const workflow = (ids: string[]) =>
		chain(
			[{ name: 'Assign', parameters: { resource: 'lead', operation: 'assignOwner', recordId: '={{ $json.id }}', strategy: 'roundRobin', users: ['ana@example.com', 'ben@example.com', 'cleo@example.com'] } }],
			ids.map((id) => ({ id })),
		);
	const first = await runCrmWorkflow(workflow(contactIds.slice(0, 2)), cred(), {});
	const second = await runCrmWorkflow(workflow(contactIds.slice(2)), cred(), first.staticData);
	const picks = [...outputOf(first, 'Assign'), ...outputOf(second, 'Assign')].map((o) => (o.assignedTo as any).email);
	expect(picks).toEqual(['ana@example.com', 'ben@example.com', 'cleo@example.com']);
});

test('least-loaded counts open tasks in the CRM and spreads a batch', async () => {
	const [ana, ben] = ['ana@example.com', 'ben@example.com'];
	const owners = await runCrmWorkflow(chain([{ name: 'Users', parameters: { resource: 'user', operation: 'getAll', returnAll: true } }]), cred());
	const byEmail = new Map(outputOf(owners, 'Users').map((u) => [u.email, String(u.id)]));
	const contact = hubspot.createObject('contacts', { email: 'load@x.com' }).id;
	// ana already has 2 open tasks and 1 completed; ben has none.
	for (const status of ['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED']) {
		hubspot.createObject('tasks', { hs_task_subject: 'x', hs_task_status: status, hs_timestamp: new Date().toISOString(), hubspot_owner_id: byEmail.get(ana)! });
	}
	const workflow = chain(
		[{ name: 'Assign', parameters: { resource: 'task', operation: 'assign', subject: 'Follow up', relatedType: 'contact', relatedId: contact, due: 'in 2 hours', strategy: 'leastLoaded', users: [ana, ben], countResource: 'task' } }],
		[{}, {}, {}],
	);
	const result = await runCrmWorkflow(workflow, cred());
	expect(result.error).toBeUndefined();
	// Loads start at ana 2, ben 0 → ben, ben, then a tie (2/2) goes to the first listed: ana.
	expect(outputOf(result, 'Assign').map((t) => (t.assignedTo as any).email)).toEqual([ben, ben, ana]);
	const searches = hubspot.requests.filter((r) => r.path === '/crm/v3/objects/tasks/search');
	expect(searches).toHaveLength(2);
	expect(searches[0].body.filterGroups[0].filters).toEqual(
		expect.arrayContaining([{ propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' }]),
	);
});
