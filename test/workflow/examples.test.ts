/* eslint-disable */
// The importable example workflows in examples/ run in-process (n8n-core) against each CRM's
// local sandbox, unchanged but for what a user switches: the provider and the credential. The
// trigger's "Fetch Test Event" starts them; the asserts are on what the CRM stored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';

import { CRM_REPORT_TYPE, CRM_TRIGGER_TYPE, CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF, HubSpotSandbox, SalesforceSandbox } from '../helpers/providers';
import { EspoCrmSandbox } from '../sandbox/espocrm/crmSandbox';
import { ZohoSandbox } from '../helpers/zohoSandbox';
import { PipedriveSandbox } from '../helpers/pipedriveSandbox';
import type { CrmSandbox } from '../helpers/providers';
import { switchProvider } from '../helpers/switchProvider';
import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

/** Stands in for n8n's Schedule Trigger when the example is started by hand. */
const scheduleTrigger: INodeType = {
	description: { displayName: 'Schedule Trigger', name: 'scheduleTrigger', group: ['trigger'], version: 1, description: '', defaults: { name: 'Schedule' }, inputs: [], outputs: ['main'], properties: [] },
	async execute() {
		return [[{ json: {} }]];
	},
};

function load(file: string) {
	return JSON.parse(fs.readFileSync(path.join('examples', file), 'utf8'));
}

const EXAMPLES = fs.readdirSync('examples').filter((f) => f.endsWith('.json'));

test('every example uses only node types, resources and operations the package has, and one shipped credential', () => {
	const crm = new Crm().description;
	const operations = new Set(
		crm.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options as Array<{ value: string }>).map((o) => `${p.displayOptions!.show!.resource![0]}.${o.value}`)),
	);
	for (const file of EXAMPLES) {
		const workflow = load(file);
		const credentials = new Set<string>();
		for (const node of workflow.nodes) {
			if (node.type === CRM_TYPE) expect(operations.has(`${node.parameters.resource}.${node.parameters.operation}`)).toBe(true);
			if (node.type.startsWith('n8n-nodes-crm-automation.')) credentials.add(JSON.stringify(node.credentials));
		}
		expect(credentials.size).toBe(1);
	}
});

for (const sandbox of [new HubSpotSandbox(), new SalesforceSandbox('jwt'), new EspoCrmSandbox(CREDENTIAL_REF, 'hmac'), new ZohoSandbox(CREDENTIAL_REF), new PipedriveSandbox(CREDENTIAL_REF)] as CrmSandbox[]) {
	describe(`on ${sandbox.target.provider}`, () => {
		beforeAll(() => sandbox.start());
		afterAll(() => sandbox.stop());
		beforeEach(async () => {
			await sandbox.reset();
			sandbox.useExampleProcess();
			resetLimiters();
		});
		afterEach(() => expect(sandbox.violations()).toEqual([]));

		function run(file: string, startNodeName: string) {
			const workflow = switchProvider(load(file), sandbox.target);
			return runWorkflow({
				workflow: { nodes: workflow.nodes, connections: workflow.connections },
				nodeTypes: { [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), [CRM_REPORT_TYPE]: new CrmReport(), 'test.items': itemsNode, 'n8n-nodes-base.scheduleTrigger': scheduleTrigger },
				credentialTypes: sandbox.credentialTypes,
				credentials: sandbox.credentials,
				startNodeName,
			});
		}
		const outputOf = (result: Awaited<ReturnType<typeof run>>, node: string) => (result.nodes[node]?.items[0] ?? []).map((i) => i.json as any);

		test('01 new lead routing: owner round-robin, call task for that owner, welcome email logged', async () => {
			const lead = sandbox.createLead({ email: 'new.lead@acme.com', firstName: 'Nina', lastName: 'Novak', company: 'Acme' });
			const result = await run('01-new-lead-routing.json', 'New Lead');
			expect(result.error).toBeUndefined();
			const owner = outputOf(result, 'Assign Owner')[0].assignedTo;
			expect(owner.email).toBe('ana@example.com');
			expect(sandbox.ownerOf('lead', lead)).toBe(owner.id);
			const [task] = sandbox.tasks();
			expect(task).toMatchObject({ subject: 'Call within 1 business day', ownerId: owner.id, ...(sandbox.taskPriority === false ? {} : { priority: 'high' }), related: [lead], open: true });
			const [email] = sandbox.loggedEmails();
			expect(email).toMatchObject({ subject: 'Welcome!', related: [lead] });
			expect(email.body).toContain('Hi Nina, thanks for your interest. We will call you shortly.');
			expect(outputOf(result, 'Welcome Message')[0].delivery).toBe('logged');
		});

		test('02 ticket opened: triage task to the least-loaded agent, note on the ticket', async () => {
			if (sandbox.tickets === false) {
				// A CRM without tickets: the trigger says so instead of starting anything.
				const result = await run('02-ticket-opened.json', 'Ticket Opened');
				expect(result.error?.message).toMatch(/does not support the "ticketOpened" event/);
				return;
			}
			// ana has 2 open tasks, ben 1, cleo 0 → cleo.
			for (const [email, n] of [['ana@example.com', 2], ['ben@example.com', 1]] as const) {
				for (let i = 0; i < n; i++) sandbox.createOpenTask(email);
			}
			const ticket = sandbox.createTicket('Printer on fire');
			const result = await run('02-ticket-opened.json', 'Ticket Opened');
			expect(result.error).toBeUndefined();
			expect(outputOf(result, 'Triage Task')[0].assignedTo.email).toBe('cleo@example.com');
			const triage = sandbox.tasks().find((t) => t.subject === 'Triage: Printer on fire')!;
			expect(triage.related).toEqual([ticket]);
			expect(triage.ownerId).toBe(sandbox.userId('cleo@example.com'));
			const [note] = sandbox.notes();
			expect(note.body).toContain('Ticket received and assigned to');
			expect(note.related).toEqual([ticket]);
		});

		test('03 deal stage change: a follow-up task and a note on the deal, which stays in Contract sent', async () => {
			const deal = sandbox.createDeal('Big one', 'Decision maker bought-in');
			sandbox.moveDeal(deal, 'Contract sent');
			const result = await run('03-deal-stage-change.json', 'Contract Sent');
			expect(result.error).toBeUndefined();
			expect(outputOf(result, 'Contract Sent')[0]).toMatchObject({ type: 'dealStageChanged', stage: { name: 'Contract sent' }, previous: { name: 'Decision maker bought-in' } });
			const [task] = sandbox.tasks();
			expect(task.subject).toBe('Follow up on the contract for Big one');
			expect(task.related).toEqual([deal]);
			expect(task.ownerId).toBe(sandbox.userId('ana@example.com'));
			const followUp = outputOf(result, 'Follow-up Task')[0];
			expect(followUp.assignedTo.email).toBe('ana@example.com');
			const notes = sandbox.notes();
			expect(notes).toHaveLength(1);
			expect(notes[0].body).toContain(`Contract sent. Follow-up task for ${followUp.assignedTo.name}: Follow up on the contract for Big one, due `);
			expect(notes[0].body).toMatch(/, due \d{4}-\d{2}-\d{2} \d{2}:\d{2}\./);
			expect(notes[0].related).toEqual([deal]);
			// The example does not move the deal: trying it never marks a deal won.
			expect(sandbox.dealStage(deal)).toBe('Contract sent');
		});

		test('04 weekly pipeline report: rows and an HTML/CSV/PNG summary from the CRM', async () => {
			sandbox.createDeal('A', 'Qualified to buy', 1000);
			sandbox.createDeal('B', 'Contract sent', 3000);
			const result = await run('04-weekly-pipeline-report.json', 'Every Monday 8:00');
			expect(result.error).toBeUndefined();
			const out = outputOf(result, 'Pipeline Report');
			expect(out.slice(0, -1).map((r) => [r.stage, r.count, r.amount])).toEqual([
				['Qualified to buy', 1, 1000],
				['Contract sent', 1, 3000],
			]);
			const summary = result.nodes['Pipeline Report'].items[0].at(-1)!;
			expect(Object.keys(summary.binary ?? {}).sort()).toEqual(['chartPng', 'csv', 'html']);
		});
	});
}
