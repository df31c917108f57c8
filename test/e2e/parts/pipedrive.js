'use strict';
/**
 * Pipedrive's part of the e2e (run-e2e.js): the examples switched to Pipedrive by credential,
 * inside the same real n8n as the other CRMs, against the local Pipedrive sandbox
 * (test/sandbox/pipedrive).
 * - 05 (create a lead, then "Qualified" by name: a lead label, Pipedrive leads have no stage) and
 *   04 (pipeline report) run by `n8n execute`;
 * - 01 (new lead routing) and 03 (deal stage change, from the deal's flow) run as active polling
 *   triggers. 02 and 06 need tickets, which Pipedrive does not have (the trigger says so: the
 *   in-process example tests check that message).
 */
const { startPipedriveServer, useExampleProcess } = require('../../sandbox/pipedrive/server');
const { switchProvider } = require('../../helpers/switchProvider');

const CREDENTIAL = { id: 'crmSandboxPipe01', name: 'CRM sandbox (Pipedrive)' };
const IDS = { classic: 'e2ePipeClassic01', report: 'e2ePipeReport001', routing: 'e2ePipeLeadRout1', stage: 'e2ePipeStage0003' };

function onPipedrive(workflow, id) {
	const moved = switchProvider(workflow, { provider: 'pipedrive', credentialType: 'crmPipedriveApi', credential: CREDENTIAL });
	return { ...moved, id, name: `${workflow.name} (Pipedrive)` };
}

async function startPipedrivePart() {
	const pd = await startPipedriveServer({ port: 0 });
	useExampleProcess(pd);
	const ana = pd.userByEmail('ana@example.com').id;
	// Records made by a person in Pipedrive's web app, not through the API.
	const byAna = { userId: ana };
	const stage = (name) => pd.stageByName(name).id;
	const lists = (path) => pd.requests.filter((r) => r.method === 'GET' && r.path === path);
	const state = {};

	return {
		name: 'Pipedrive',
		sandbox: pd,
		activeIds: [IDS.routing, IDS.stage],
		workflows(example) {
			const report = onPipedrive(example('04-weekly-pipeline-report.json'), IDS.report);
			report.nodes[0] = { id: 'd1', name: 'Every Monday 8:00', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
			return [
				onPipedrive(example('05-create-lead-then-qualify.json'), IDS.classic),
				report,
				onPipedrive(example('01-new-lead-routing.json'), IDS.routing),
				onPipedrive(example('03-deal-stage-change.json'), IDS.stage),
			];
		},
		credentials() {
			return [{ ...CREDENTIAL, type: 'crmPipedriveApi', data: { companyDomain: pd.baseUrl, apiToken: pd.apiToken } }];
		},
		async runManual({ execute, check }) {
			const classic = await execute(IDS.classic);
			const lead = classic.data.resultData.runData['Create Lead'][0].data.main[0][0].json;
			const qualified = pd.listLeadLabels().find((l) => l.name === 'Qualified');
			const stored = pd.get('leads', lead.id);
			check('Pipedrive example 05: John Doe\'s lead created, then "Qualified" by name (the lead label)', Boolean(stored) && (stored.label_ids || []).includes(qualified.id), JSON.stringify(stored && stored.label_ids));
			pd.create('deals', { title: 'Open one', stage_id: stage('Contract sent'), value: 5000, currency: 'EUR' }, byAna);
			const report = await execute(IDS.report);
			const rows = report.data.resultData.runData['Pipeline Report'][0].data.main[0];
			const last = rows[rows.length - 1];
			check('report example on Pipedrive: the deal\'s stage and amount, with html/csv/png files', rows.some((i) => i.json.stage === 'Contract sent' && i.json.amount === 5000) && ['html', 'csv', 'chartPng'].every((k) => last.binary && last.binary[k]));
		},
		firstPollsDone() {
			return lists('/api/v1/leads').length >= 2 && lists('/api/v2/deals').length >= 1;
		},
		act() {
			const person = pd.create('persons', { name: 'Nina Novak', emails: [{ value: 'nina@acme.com', primary: true, label: 'work' }] }, byAna);
			state.lead = pd.create('leads', { title: 'Acme lead', person_id: person.id }, byAna);
			state.deal = pd.create('deals', { title: 'Big one', stage_id: stage('Decision maker bought-in') }, byAna);
			pd.update('deals', state.deal.id, { stage_id: stage('Contract sent') }, byAna);
		},
		async verify({ check, waitFor }) {
			const activities = () => pd.list('activities');
			const call = await waitFor('the Pipedrive lead-routing execution', async () => activities().find((a) => String(a.lead_id) === String(state.lead.id) && a.subject === 'Call within 1 business day'), 100_000);
			check('Pipedrive new lead (polled) → owner and call activity', String(pd.get('leads', state.lead.id).owner_id) === String(call.owner_id));
			const followUp = await waitFor('the Pipedrive stage-change execution', async () => activities().find((a) => String(a.deal_id) === String(state.deal.id) && a.subject === 'Follow up on the contract for Big one'), 100_000);
			check('Pipedrive deal moved to "Contract sent" (deal flow, polled) → follow-up activity and note, deal left where it is', Boolean(followUp) && pd.list('notes').some((n) => String(n.deal_id) === String(state.deal.id) && String(n.content).includes('Contract sent.')) && pd.get('deals', state.deal.id).stage_id === stage('Contract sent'));
		},
		violations: () => pd.violations,
		stop: () => pd.stop(),
	};
}

module.exports = { startPipedrivePart };
