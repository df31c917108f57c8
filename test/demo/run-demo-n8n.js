'use strict';
/**
 * `npm run demo`: a real n8n on http://localhost:5678 with this package installed as users
 * install community packages, a local HubSpot sandbox as its CRM, the example workflows imported
 * (the trigger workflows active), and an owner account to log in with. Ctrl-C stops everything.
 * The n8n runtime is installed on first use (cached outside the repo; several minutes once).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startHubSpotServer, seedDemoData } = require('../sandbox/hubspot/server');
const { importIntoN8n, activateCommand, runtime, n8nEnv, n8n, packAndInstall, classicWorkflow, example } = require('../e2e/n8n-runtime');

const N8N_PORT = Number(process.env.DEMO_N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.DEMO_SANDBOX_PORT || 8787);
const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' };

async function main() {
	const rt = runtime('2');
	const userFolder = path.join(os.homedir(), '.cache', 'n8n-nodes-crm-automation', 'demo-user');
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	packAndInstall(userFolder);
	const hubspot = await startHubSpotServer({ port: SANDBOX_PORT, requestLog: path.resolve('test-output', 'demo-sandbox-requests.jsonl') });
	seedDemoData(hubspot);
	const env = n8nEnv(rt, userFolder, N8N_PORT);

	const workflows = [
		classicWorkflow(),
		example('01-new-lead-routing.json', 'demoLeadRouting1'),
		example('02-ticket-opened.json', 'demoTicketOpen02'),
		example('03-deal-stage-change.json', 'demoStageChange3'),
		example('04-weekly-pipeline-report.json', 'demoWeeklyReport'),
	];
	await importIntoN8n(rt, env, userFolder, hubspot, workflows);
	for (const id of ['demoLeadRouting1', 'demoTicketOpen02', 'demoStageChange3']) await n8n(rt, env, activateCommand('2', id));

	const server = spawn(rt.n8nBin, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const collect = (d) => (output += d);
	server.stdout.on('data', collect);
	server.stderr.on('data', collect);
	const stop = async () => {
		console.log('\nStopping n8n and the sandbox…');
		server.kill('SIGTERM');
		await hubspot.stop();
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
HubSpot sandbox (its CRM): ${hubspot.baseUrl}  (token "${hubspot.token}")

Active workflows: "CRM: New lead routing", "CRM: Ticket opened", "CRM: Deal reached Contract sent".
Try one: create a lead in the sandbox and watch the executions list (n8n polls every minute):
  curl -s -X POST ${hubspot.baseUrl}/crm/v3/objects/contacts -H 'Authorization: Bearer ${hubspot.token}' \\
    -H 'Content-Type: application/json' -d '{"properties":{"email":"jane@example.com","firstname":"Jane","lifecyclestage":"lead"}}'

Ctrl-C stops everything.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
