/* eslint-disable */
// Example 05 (create a lead, then set its status by name) on Pipedrive, in-process: the lead gets
// a person with the email and phone, and its status becomes the lead label "Qualified" (Pipedrive
// leads have labels, no stages).
import * as fs from 'node:fs';

import { CRM_REPORT_TYPE, CRM_TRIGGER_TYPE, CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF } from '../helpers/providers';
import { PipedriveSandbox } from '../helpers/pipedriveSandbox';
import { switchProvider } from '../helpers/switchProvider';
import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const sandbox = new PipedriveSandbox(CREDENTIAL_REF);
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.useExampleProcess();
	resetLimiters();
});
afterEach(() => expect(sandbox.violations()).toEqual([]));

const out = (result: any, node: string) => (result.nodes[node]?.items[0] ?? []).map((i: any) => i.json);

test('05 create lead then qualify: a lead with its person, then the label "Qualified" by name', async () => {
	const workflow = switchProvider(JSON.parse(fs.readFileSync('examples/05-create-lead-then-qualify.json', 'utf8')), sandbox.target);
	const result = await runWorkflow({
		workflow: { nodes: workflow.nodes, connections: workflow.connections },
		nodeTypes: { [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), [CRM_REPORT_TYPE]: new CrmReport(), 'test.items': itemsNode },
		credentialTypes: sandbox.credentialTypes,
		credentials: sandbox.credentials,
	});
	expect(result.error).toBeUndefined();
	const [lead] = out(result, 'Create Lead');
	expect(lead).toMatchObject({ firstName: 'John', lastName: 'Doe', company: 'Acme Corp', email: 'john.doe@acme.com', phone: '123-456-7890' });
	expect(out(result, 'Update Status')[0]).toMatchObject({ id: lead.id, status: 'Qualified', stage: { name: 'Qualified' }, changed: true });
	const stored = sandbox.pd.get('leads', lead.id)!;
	const qualified = sandbox.pd.listLeadLabels().find((l) => l.name === 'Qualified')!;
	expect(stored.label_ids).toEqual([qualified.id]);
	expect(sandbox.pd.get('persons', stored.person_id)).toMatchObject({ name: 'John Doe' });
});
