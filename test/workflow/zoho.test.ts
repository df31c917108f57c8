/* eslint-disable */
// Example 05 (create a lead, then set its status by name) on Zoho CRM, in-process. Zoho's lead
// statuses are the Lead_Status picklist, shown as the leads' one pipeline: an org that has
// "Qualified" gets it; Zoho's default list has no "Qualified", and the step then fails naming the
// statuses the org has, with the created lead kept.
import * as fs from 'node:fs';

import { CRM_REPORT_TYPE, CRM_TRIGGER_TYPE, CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF } from '../helpers/providers';
import { ZohoSandbox } from '../helpers/zohoSandbox';
import { switchProvider } from '../helpers/switchProvider';
import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const sandbox = new ZohoSandbox(CREDENTIAL_REF);
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.useExampleProcess();
	resetLimiters();
});
afterEach(() => expect(sandbox.violations()).toEqual([]));

const out = (result: any, node: string) => (result.nodes[node]?.items[0] ?? []).map((i: any) => i.json);

function run(status: string) {
	const example = JSON.parse(fs.readFileSync('examples/05-create-lead-then-qualify.json', 'utf8'));
	example.nodes.find((n: any) => n.name === 'Update Status').parameters.stage.value = status;
	const workflow = switchProvider(example, sandbox.target);
	return runWorkflow({
		workflow: { nodes: workflow.nodes, connections: workflow.connections },
		nodeTypes: { [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), [CRM_REPORT_TYPE]: new CrmReport(), 'test.items': itemsNode },
		credentialTypes: sandbox.credentialTypes,
		credentials: sandbox.credentials,
	});
}

test('05 on Zoho CRM: the lead is created, then moved to a Lead_Status value by name', async () => {
	const result = await run('Pre-Qualified');
	expect(result.error).toBeUndefined();
	const [lead] = out(result, 'Create Lead');
	expect(lead).toMatchObject({ firstName: 'John', lastName: 'Doe', company: 'Acme Corp', email: 'john.doe@acme.com' });
	expect(out(result, 'Update Status')[0]).toMatchObject({ id: lead.id, status: 'Pre-Qualified', stage: { name: 'Pre-Qualified' }, changed: true });
	expect(sandbox.zoho.getRecord('Leads', lead.id)!.Lead_Status).toBe('Pre-Qualified');
});

test('05 as shipped on Zoho CRM: "Qualified" is not a Zoho lead status; the error names the ones there are, the lead is kept', async () => {
	const result = await run('Qualified');
	expect(result.error).toBeDefined();
	const text = `${result.error!.message} ${(result.error as any).description ?? ''}`;
	expect(text).toMatch(/Qualified/);
	expect(text).toMatch(/Pre-Qualified/);
	expect(text).toMatch(/Not Contacted/);
	const leads = sandbox.zoho.listRecords('Leads').filter((l) => l.Email === 'john.doe@acme.com');
	expect(leads).toHaveLength(1);
	expect(leads[0].Lead_Status ?? null).not.toBe('Qualified');
});
