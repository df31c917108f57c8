'use strict';
/**
 * `npm run demo`: a real n8n on http://localhost:5678 with this package installed as users
 * install community packages, local HubSpot, Salesforce and EspoCRM sandboxes as its CRMs, the
 * example workflows imported (the trigger workflows active, on HubSpot and moved to Salesforce and
 * EspoCRM; the instant one on EspoCRM's webhooks), and an owner account to log in with. Ctrl-C
 * stops everything.
 * The n8n runtime is installed on first use (cached outside the repo; several minutes once).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startHubSpotServer, seedDemoData } = require('../sandbox/hubspot/server');
const { startSalesforceServer, seedDemoData: seedSalesforceDemo } = require('../sandbox/salesforce/server');
const { startEspoCrmServer, seedDemoData: seedEspoDemo } = require('../sandbox/espocrm/server');
const { importIntoN8n, activateCommand, runtime, n8nEnv, n8n, packAndInstall, classicWorkflow, example, hubspotCredential, salesforceCredentials, espocrmCredential, onSalesforce, onEspoCrm } = require('../e2e/n8n-runtime');

const N8N_PORT = Number(process.env.DEMO_N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.DEMO_SANDBOX_PORT || 8787);
const SALESFORCE_PORT = Number(process.env.DEMO_SALESFORCE_PORT || 8788);
const ESPOCRM_PORT = Number(process.env.DEMO_ESPOCRM_PORT || 8789);
const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' };

async function main() {
	const rt = runtime('2');
	const userFolder = path.join(os.homedir(), '.cache', 'n8n-nodes-crm-automation', 'demo-user');
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	packAndInstall(userFolder);
	const hubspot = await startHubSpotServer({ port: SANDBOX_PORT, requestLog: path.resolve('test-output', 'demo-sandbox-requests.jsonl') });
	seedDemoData(hubspot);
	const salesforce = await startSalesforceServer({ port: SALESFORCE_PORT, requestLog: path.resolve('test-output', 'demo-salesforce-requests.jsonl') });
	// EspoCRM's webhook queue job runs every 5 minutes by default; every 5 s suits a demo.
	const espocrm = await startEspoCrmServer({ port: ESPOCRM_PORT, webhookIntervalMs: 5000, requestLog: path.resolve('test-output', 'demo-espocrm-requests.jsonl') });
	const credentials = [hubspotCredential(hubspot), ...(await salesforceCredentials(salesforce, `http://localhost:${N8N_PORT}`)), espocrmCredential(espocrm)];
	seedSalesforceDemo(salesforce);
	seedEspoDemo(espocrm);
	const env = n8nEnv(rt, userFolder, N8N_PORT);

	const workflows = [
		classicWorkflow(),
		example('01-new-lead-routing.json', 'demoLeadRouting1'),
		example('02-ticket-opened.json', 'demoTicketOpen02'),
		example('03-deal-stage-change.json', 'demoStageChange3'),
		example('04-weekly-pipeline-report.json', 'demoWeeklyReport'),
		example('05-create-lead-then-qualify.json', 'demoSfClassic001'),
		onSalesforce(example('01-new-lead-routing.json'), 'demoSfLeadRoute1'),
		onSalesforce(example('04-weekly-pipeline-report.json'), 'demoSfWeeklyRep1'),
		onEspoCrm(example('01-new-lead-routing.json'), 'demoEspoLeadRout'),
		example('06-ticket-opened-instant.json', 'demoEspoInstant1'),
	];
	await importIntoN8n(rt, env, userFolder, credentials, workflows);
	for (const id of ['demoLeadRouting1', 'demoTicketOpen02', 'demoStageChange3', 'demoSfLeadRoute1', 'demoEspoLeadRout', 'demoEspoInstant1']) await n8n(rt, env, activateCommand('2', id));

	const server = spawn(rt.n8nBin, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const collect = (d) => (output += d);
	server.stdout.on('data', collect);
	server.stderr.on('data', collect);
	const stop = async () => {
		console.log('\nStopping n8n and the sandbox…');
		server.kill('SIGTERM');
		await hubspot.stop();
		await salesforce.stop();
		await espocrm.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	server.on('exit', (code) => {
		if (code) console.error(output.slice(-4000));
		process.exit(code ?? 0);
	});
	while (!output.includes('Editor is now accessible')) await new Promise((r) => setTimeout(r, 500));
	const setup = await fetch(`http://127.0.0.1:${N8N_PORT}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
	if (!setup.ok) console.warn(`Owner setup answered HTTP ${setup.status}`);
	console.log(`
n8n with the CRM nodes:   http://localhost:${N8N_PORT}
Log in as:                ${OWNER.email} / ${OWNER.password}
HubSpot sandbox:          ${hubspot.baseUrl}  (token "${hubspot.token}")
Salesforce sandbox:       ${salesforce.baseUrl}  (token "${salesforce.token}"; credentials "CRM sandbox (Salesforce OAuth2 / JWT)")
EspoCRM sandbox:          ${espocrm.baseUrl}  (API key "test-api-key"; credential "CRM sandbox (EspoCRM)", HMAC)

Active workflows: "CRM: New lead routing", "CRM: Ticket opened", "CRM: Deal reached Contract sent",
"CRM: New lead routing (Salesforce)", "CRM: New lead routing (EspoCRM)" and "CRM: Ticket opened,
instantly (webhook)" (EspoCRM pushes each new case to n8n). "CRM: Create a lead, then move it to
Qualified" is the Salesforce classic: open it and click "Test workflow".
Try one: create a lead in the sandbox and watch the executions list (n8n polls every minute):
  curl -s -X POST ${hubspot.baseUrl}/crm/v3/objects/contacts -H 'Authorization: Bearer ${hubspot.token}' \\
    -H 'Content-Type: application/json' -d '{"properties":{"email":"jane@example.com","firstname":"Jane","lifecyclestage":"lead"}}'

Or a Salesforce lead:
  curl -s -X POST ${salesforce.baseUrl}/services/data/v66.0/sobjects/Lead -H 'Authorization: Bearer ${salesforce.token}' \\
    -H 'Content-Type: application/json' -d '{"FirstName":"Jane","LastName":"Roe","Company":"Acme","Email":"jane@example.com"}'

Or an EspoCRM case (delivered to n8n by webhook within seconds):
  curl -s -X POST ${espocrm.baseUrl}/api/v1/Case -H 'X-Api-Key: test-api-key' \\
    -H 'Content-Type: application/json' -d '{"name":"Printer on fire"}'

Ctrl-C stops everything.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
