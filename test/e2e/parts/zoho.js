'use strict';
/**
 * Zoho CRM's part of the e2e (run-e2e.js): the examples switched to Zoho by credential, inside the
 * same real n8n as the other CRMs, against the local Zoho sandbox (test/sandbox/zoho).
 * - 05 (create a lead, then set its status by name) and 04 (pipeline report) run by `n8n execute`;
 * - 01 (new lead routing) and 03 (deal stage change) run as active polling triggers;
 * - 06 (ticket opened, instant) runs on the CRM Webhook Trigger through Zoho's Notifications API:
 *   activation registers a channel at n8n's webhook URL, the sandbox's callbacks start executions,
 *   a callback with another token gets 401.
 * The credential is n8n's OAuth2 credential as n8n stores it after sign-in (token with api_domain).
 */
const { startZohoServer, SANDBOX_CLIENT } = require('../../sandbox/zoho/server');
const { switchProvider } = require('../../helpers/switchProvider');

const CREDENTIAL = { id: 'crmSandboxZoho01', name: 'CRM sandbox (Zoho CRM)' };
const TEAM = [
	['5725767000000000121', 'Ana', 'Alvarez', 'ana@example.com'],
	['5725767000000000122', 'Ben', 'Baker', 'ben@example.com'],
	['5725767000000000123', 'Cleo', 'Chen', 'cleo@example.com'],
];
const IDS = { classic: 'e2eZohoClassic01', report: 'e2eZohoReport001', routing: 'e2eZohoLeadRout1', stage: 'e2eZohoStage0003', instant: 'e2eZohoInstant01' };

function onZoho(workflow, id) {
	const moved = switchProvider(workflow, { provider: 'zoho', credentialType: 'crmZohoOAuth2Api', credential: CREDENTIAL });
	return { ...moved, id, name: `${workflow.name} (Zoho CRM)` };
}

/** The same example imported twice (EspoCRM, Zoho CRM) needs its own webhook path, as n8n gives a copied node. */
function withOwnWebhookPath(workflow) {
	for (const node of workflow.nodes) if (node.webhookId) node.webhookId = '5b7c1d2e-0f3a-4c5d-9e8f-7a6b5c4d3e2f';
	return workflow;
}

async function startZohoPart() {
	const zoho = await startZohoServer({ port: 0 });
	zoho.useExampleProcess();
	for (const [id, first_name, last_name, email] of TEAM) {
		if (!zoho.user(email)) zoho.users.push({ id, first_name, last_name, email, status: 'active', role: 'Manager', profile: 'Standard' });
	}
	// Records made by a person in Zoho, not by the credential's own user.
	const person = { actor: zoho.users[1].id };
	const coql = () => zoho.requests.filter((r) => r.resource === '/coql');
	const state = {};

	return {
		name: 'Zoho CRM',
		sandbox: zoho,
		activeIds: [IDS.routing, IDS.stage, IDS.instant],
		workflows(example) {
			const report = onZoho(example('04-weekly-pipeline-report.json'), IDS.report);
			report.nodes[0] = { id: 'd1', name: 'Every Monday 8:00', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
			return [
				onZoho(example('05-create-lead-then-qualify.json'), IDS.classic),
				report,
				onZoho(example('01-new-lead-routing.json'), IDS.routing),
				onZoho(example('03-deal-stage-change.json'), IDS.stage),
				withOwnWebhookPath(onZoho(example('06-ticket-opened-instant.json'), IDS.instant)),
			];
		},
		credentials() {
			return [
				{
					...CREDENTIAL,
					type: 'crmZohoOAuth2Api',
					data: {
						grantType: 'authorizationCode',
						dataCentre: 'US',
						clientId: SANDBOX_CLIENT.clientId,
						clientSecret: SANDBOX_CLIENT.clientSecret,
						zohoAutomation: 'default',
						oauthTokenData: { access_token: zoho.token, refresh_token: SANDBOX_CLIENT.refreshToken, api_domain: zoho.baseUrl, token_type: 'Bearer', expires_in: 3600 },
					},
				},
			];
		},
		async runManual({ execute, check }) {
			// 05: Zoho's default lead statuses have no "Qualified" (they have "Pre-Qualified"): the
			// lead is created, and the status step fails naming the statuses the org has.
			const classic = await execute(IDS.classic, { allowError: true });
			const leads = zoho.listRecords('Leads').filter((l) => l.Email === 'john.doe@acme.com');
			const message = JSON.stringify(classic.data.resultData.error || classic.data.resultData.runData['Update Status'] || '');
			check('Zoho CRM example 05: John Doe created; "Qualified" refused naming Zoho\'s lead statuses (the lead kept)', leads.length === 1 && leads[0].Company === 'Acme Corp' && /Pre-Qualified/.test(message), message.slice(0, 240));
			zoho.createRecord('Deals', { Deal_Name: 'Open one', Stage: 'Contract sent', Amount: 5000, Closing_Date: '2026-12-31' }, person);
			const report = await execute(IDS.report);
			const rows = report.data.resultData.runData['Pipeline Report'][0].data.main[0];
			const last = rows[rows.length - 1];
			check('report example on Zoho CRM: the deal\'s stage and amount, with html/csv/png files', rows.some((i) => i.json.stage === 'Contract sent' && i.json.amount === 5000) && ['html', 'csv', 'chartPng'].every((k) => last.binary && last.binary[k]));
		},
		firstPollsDone() {
			return coql().some((r) => /FROM Leads/i.test(String(r.body && r.body.select_query))) && coql().some((r) => /FROM Deals/i.test(String(r.body && r.body.select_query)));
		},
		act({ port, check }) {
			const channel = zoho.requests.find((r) => r.method === 'POST' && r.resource === '/actions/watch' && r.status < 300);
			const watch = channel && channel.body.watch[0];
			state.watch = watch;
			check('activation registered a Zoho notification channel for Cases at n8n\'s production URL, with a token', Boolean(watch) && String(watch.notify_url).startsWith(`http://127.0.0.1:${port}/webhook/`) && Boolean(watch.token) && watch.events.some((e) => /^Cases\./.test(e)), watch && `${watch.events} → ${watch.notify_url}`);
			state.lead = zoho.createRecord('Leads', { First_Name: 'Nina', Last_Name: 'Novak', Company: 'Acme', Email: 'nina@acme.com' }, person);
			state.case = zoho.createRecord('Cases', { Subject: 'Printer on fire', Status: 'New', Case_Origin: 'Email' }, person);
			state.deal = zoho.createRecord('Deals', { Deal_Name: 'Big one', Stage: 'Decision maker bought-in', Closing_Date: '2026-12-31' }, person);
			zoho.updateRecord('Deals', state.deal.id, { Stage: 'Contract sent' }, person);
		},
		async verify({ check, waitFor }) {
			const tasks = () => zoho.listRecords('Tasks');
			const notes = () => zoho.listRecords('Notes');
			const ack = await waitFor('the Zoho CRM instant acknowledgement', async () => notes().find((n) => n.Parent_Id && n.Parent_Id.id === state.case.id && String(n.Note_Content).includes('Ticket received')), 60_000);
			check('Zoho CRM case → notification callback → triage task and acknowledgement note (instant)', Boolean(ack) && tasks().some((t) => t.What_Id && t.What_Id.id === state.case.id && t.Subject === 'Triage: Printer on fire'));
			const call = await waitFor('the Zoho CRM lead-routing execution', async () => tasks().find((t) => t.What_Id && t.What_Id.id === state.lead.id && t.Subject === 'Call within 1 business day'), 100_000);
			check('Zoho CRM new lead (polled) → owner and call task', zoho.getRecord('Leads', state.lead.id).Owner.id === call.Owner.id);
			const followUp = await waitFor('the Zoho CRM stage-change execution', async () => tasks().find((t) => t.What_Id && t.What_Id.id === state.deal.id && t.Subject === 'Follow up on the contract for Big one'), 100_000);
			check('Zoho CRM deal moved to "Contract sent" (Stage_History, polled) → follow-up task and note, deal left where it is', Boolean(followUp) && notes().some((n) => n.Parent_Id && n.Parent_Id.id === state.deal.id && String(n.Note_Content).includes('Contract sent.')) && zoho.getRecord('Deals', state.deal.id).Stage === 'Contract sent');
			const forged = await fetch(state.watch.notify_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ module: 'Cases', ids: [state.case.id], operation: 'insert', channel_id: state.watch.channel_id, token: 'not-the-token', server_time: Date.now(), query_params: {}, resource_uri: '' }) });
			await new Promise((r) => setTimeout(r, 2000));
			check('a Zoho callback with another token gets 401 and starts nothing', forged.status === 401 && tasks().filter((t) => t.Subject === 'Triage: Printer on fire').length === 1, String(forged.status));
		},
		violations: () => zoho.violations,
		stop: () => zoho.stop(),
	};
}

module.exports = { startZohoPart };
