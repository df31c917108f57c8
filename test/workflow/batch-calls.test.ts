/* eslint-disable */
// How many HTTP calls a batched run costs on each CRM: 250 deals moved to a stage by name through
// the CRM node (in-process n8n-core), the same workflow switched only by credential.
import { CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF, HubSpotSandbox, SalesforceSandbox } from '../helpers/providers';
import type { CrmSandbox } from '../helpers/providers';
import { switchProvider } from '../helpers/switchProvider';
import { EspoCrmSandbox } from '../sandbox/espocrm/crmSandbox';
import { Crm } from '../../nodes/Crm/Crm.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const DEALS = 250;

function requestsOf(sandbox: CrmSandbox): Array<{ method: string; path: string }> {
	const s = sandbox as any;
	return (s.hubspot ?? s.salesforce ?? s.espo).requests;
}

const cases: Array<[CrmSandbox, string[]]> = [
	// 1 pipelines, 3 batch reads of 100, 3 batch updates of 100/100/50.
	[new HubSpotSandbox(), ['GET /crm/v3/pipelines/deals', ...Array(3).fill('POST /crm/v3/objects/deals/batch/read'), ...Array(3).fill('POST /crm/v3/objects/deals/batch/update')]],
	// Sign-in, stage list, describe (org fields), 1 retrieve of 250, 2 collection updates of 200/50, 1 read-back.
	[new SalesforceSandbox('jwt'), ['POST /services/oauth2/token', 'GET /query', 'GET /sobjects/Opportunity/describe', 'POST /composite/sobjects/Opportunity', 'PATCH /composite/sobjects', 'PATCH /composite/sobjects', 'POST /composite/sobjects/Opportunity']],
	// Stage list (metadata), 2 list reads by id (200 + 50), 2 mass updates, 2 read-backs.
	[new EspoCrmSandbox(CREDENTIAL_REF, 'hmac'), ['GET /api/v1/Metadata', 'GET /api/v1/Opportunity', 'GET /api/v1/Opportunity', 'POST /api/v1/MassAction', 'POST /api/v1/MassAction', 'GET /api/v1/Opportunity', 'GET /api/v1/Opportunity']],
];

for (const [sandbox, expected] of cases) {
	test(`${sandbox.target.provider}: ${DEALS} stage updates by name take ${expected.length} HTTP calls`, async () => {
		await sandbox.start();
		try {
			await sandbox.reset();
			sandbox.useExampleProcess();
			resetLimiters();
			const ids = Array.from({ length: DEALS }, (_, i) => sandbox.createDeal(`Deal ${i}`, 'Appointment scheduled', 100));
			const workflow = switchProvider(
				{
					nodes: [
						{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
						{ id: 'i', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(ids.map((id) => ({ id }))) } },
						{ id: 'u', name: 'Update Stage', type: CRM_TYPE, typeVersion: 1, position: [400, 0], parameters: { provider: 'hubspot', resource: 'deal', operation: 'updateStage', recordId: '={{ $json.id }}', stage: { __rl: true, mode: 'name', value: 'Contract sent' } } },
					],
					connections: { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] }, Items: { main: [[{ node: 'Update Stage', type: 'main', index: 0 }]] } },
				},
				sandbox.target,
			);
			const before = requestsOf(sandbox).length;
			const result = await runWorkflow({ workflow: workflow as any, nodeTypes: { [CRM_TYPE]: new Crm(), 'test.items': itemsNode }, credentialTypes: sandbox.credentialTypes, credentials: sandbox.credentials });
			expect(result.error).toBeUndefined();
			const calls = requestsOf(sandbox)
				.slice(before)
				.map((r) => `${r.method} ${r.path.replace(/\/services\/data\/v[\d.]+/, '')}`);
			expect(calls.sort()).toEqual([...expected].sort());
			expect(ids.every((id) => sandbox.dealStage(id) === 'Contract sent')).toBe(true);
			expect(result.nodes['Update Stage'].items[0]).toHaveLength(DEALS);
			expect(sandbox.violations()).toEqual([]);
			console.log(`${sandbox.target.provider}: ${DEALS} stage updates by name = ${calls.length} HTTP calls (${calls.join(', ')})`);
		} finally {
			await sandbox.stop();
		}
	});
}
