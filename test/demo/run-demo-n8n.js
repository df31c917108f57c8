'use strict';
/**
 * `npm run demo`: a real n8n on http://localhost:5678 with this package installed as users
 * install community packages, local HubSpot, Salesforce and EspoCRM sandboxes as its CRMs, the
 * example workflows imported (the trigger workflows active, on HubSpot and moved to Salesforce and
 * EspoCRM; the instant one on EspoCRM's webhooks), and an owner account to log in with.
 *
 * - The n8n runtime is installed on first use (cached outside the repo; several minutes once).
 * - The demo's n8n user folder is kept between starts, so what you build in the editor stays;
 *   `npm run demo -- --reset` starts from a fresh one. The sandboxes are in memory and start with
 *   their demo data every time; their credentials are imported again at each start.
 * - Ctrl-C (SIGINT), SIGTERM or SIGHUP stops n8n (its whole process group, forcibly if it does not
 *   exit in time) and the sandboxes.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');

const { startHubSpotServer, seedDemoData } = require('../sandbox/hubspot/server');
const { startSalesforceServer, seedDemoData: seedSalesforceDemo } = require('../sandbox/salesforce/server');
const { startEspoCrmServer, seedDemoData: seedEspoDemo } = require('../sandbox/espocrm/server');
const { ROOT, startN8n, stopN8n, importIntoN8n, activateCommand, runtime, runtimeCache, n8nEnv, n8n, packAndInstall, example, hubspotCredential, salesforceCredentials, espocrmCredential, onSalesforce, onEspoCrm } = require('../e2e/n8n-runtime');

const N8N_PORT = Number(process.env.DEMO_N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.DEMO_SANDBOX_PORT || 8787);
const SALESFORCE_PORT = Number(process.env.DEMO_SALESFORCE_PORT || 8788);
const ESPOCRM_PORT = Number(process.env.DEMO_ESPOCRM_PORT || 8789);
const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' };
const RESET = process.argv.includes('--reset') || process.env.DEMO_RESET === '1';
/** Written once the examples are in n8n's database: later starts keep the user's workflows. */
const IMPORTED_MARKER = 'demo-workflows-imported';

const ACTIVE = ['demoLeadRouting1', 'demoTicketOpen02', 'demoStageChange3', 'demoSfLeadRoute1', 'demoEspoLeadRout', 'demoEspoInstant1'];

function demoWorkflows() {
	return [
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
}

function portFree(port) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

const timer = (start) => `${((Date.now() - start) / 1000).toFixed(0)} s`;

/** Everything the demo started, stopped in reverse order, once. */
const running = { n8n: undefined, sandboxes: [] };
let stopping;

function stopAll(code) {
	stopping ??= (async () => {
		console.log('\nStopping n8n and the sandboxes…');
		await stopN8n(running.n8n, 20_000);
		for (const sandbox of running.sandboxes.reverse()) await sandbox.stop().catch(() => {});
		console.log('Stopped.');
		process.exit(code);
	})();
	return stopping;
}

async function main() {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));
	for (const port of [N8N_PORT, SANDBOX_PORT, SALESFORCE_PORT, ESPOCRM_PORT]) {
		if (!(await portFree(port))) {
			throw new Error(`Port ${port} is in use (another demo or n8n still running?). Stop it, or choose other ports with DEMO_N8N_PORT, DEMO_SANDBOX_PORT, DEMO_SALESFORCE_PORT, DEMO_ESPOCRM_PORT.`);
		}
	}
	let start = Date.now();
	const rt = runtime('2');
	console.log(`n8n runtime ready (${rt.version}, ${timer(start)})`);
	const userFolder = process.env.DEMO_USER_FOLDER || path.join(runtimeCache(), 'demo-user');
	if (RESET) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const firstStart = !fs.existsSync(path.join(userFolder, IMPORTED_MARKER));
	console.log(`${firstStart ? 'New' : 'Kept'} demo user folder: ${userFolder}${firstStart ? '' : ' (npm run demo -- --reset starts from a fresh one)'}`);
	start = Date.now();
	packAndInstall(userFolder);
	console.log(`Package packed and installed in ${userFolder}/.n8n/nodes (${timer(start)})`);

	const logs = path.join(ROOT, 'test-output');
	fs.mkdirSync(logs, { recursive: true });
	const hubspot = await startHubSpotServer({ port: SANDBOX_PORT, requestLog: path.join(logs, 'demo-sandbox-requests.jsonl') });
	running.sandboxes.push(hubspot);
	seedDemoData(hubspot);
	const salesforce = await startSalesforceServer({ port: SALESFORCE_PORT, requestLog: path.join(logs, 'demo-salesforce-requests.jsonl') });
	running.sandboxes.push(salesforce);
	// EspoCRM's webhook queue job runs every 5 minutes by default; every 5 s suits a demo.
	const espocrm = await startEspoCrmServer({ port: ESPOCRM_PORT, webhookIntervalMs: 5000, requestLog: path.join(logs, 'demo-espocrm-requests.jsonl') });
	running.sandboxes.push(espocrm);
	const credentials = [hubspotCredential(hubspot), ...(await salesforceCredentials(salesforce, `http://localhost:${N8N_PORT}`)), espocrmCredential(espocrm)];
	seedSalesforceDemo(salesforce);
	seedEspoDemo(espocrm);
	const env = n8nEnv(rt, userFolder, N8N_PORT);

	start = Date.now();
	// The sandboxes' keys and sessions are new at every start: their credentials are imported again.
	// The workflows only the first time, so the user's changes to them stay.
	await importIntoN8n(rt, env, userFolder, credentials, firstStart ? demoWorkflows() : []);
	if (firstStart) {
		for (const id of ACTIVE) await n8n(rt, env, activateCommand('2', id));
		fs.writeFileSync(path.join(userFolder, IMPORTED_MARKER), new Date().toISOString());
	}
	console.log(`Credentials${firstStart ? ', example workflows and activations' : ''} imported (${timer(start)})`);

	start = Date.now();
	// Its own process group: Ctrl-C reaches the demo, which stops n8n and all its children.
	const server = startN8n(rt, env);
	running.n8n = server.child;
	server.child.on('exit', (code, signal) => {
		if (stopping) return;
		console.error(`${server.output().slice(-4000)}\nn8n exited (${signal || `code ${code}`})`);
		stopAll(1);
	});
	await server.ready;
	console.log(`n8n started (${timer(start)})`);
	const setup = await fetch(`http://127.0.0.1:${N8N_PORT}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
	if (!setup.ok && firstStart) console.warn(`Owner setup answered HTTP ${setup.status}`);
	console.log(`
n8n with the CRM nodes:   http://localhost:${N8N_PORT}
Log in as:                ${OWNER.email} / ${OWNER.password}
HubSpot sandbox:          ${hubspot.baseUrl}  (token "${hubspot.token}")
Salesforce sandbox:       ${salesforce.baseUrl}  (token "${salesforce.token}"; credentials "CRM sandbox (Salesforce OAuth2 / JWT)")
EspoCRM sandbox:          ${espocrm.baseUrl}  (API key "test-api-key"; credential "CRM sandbox (EspoCRM)", HMAC)

Active workflows: "CRM: New lead routing", "CRM: Ticket opened", "CRM: Deal reached Contract sent",
"CRM: New lead routing (Salesforce)", "CRM: New lead routing (EspoCRM)" and "CRM: Ticket opened,
instantly (webhook)" (EspoCRM pushes each new case to n8n). "CRM: Create a lead, then move it to
Qualified" is the Salesforce classic: open it and click "Execute workflow".
Try one: create a lead in the sandbox and watch the executions list (n8n polls every minute):
  curl -s -X POST ${hubspot.baseUrl}/crm/v3/objects/contacts -H 'Authorization: Bearer ${hubspot.token}' \\
    -H 'Content-Type: application/json' -d '{"properties":{"email":"jane@example.com","firstname":"Jane","lifecyclestage":"lead"}}'

Or a Salesforce lead:
  curl -s -X POST ${salesforce.baseUrl}/services/data/v66.0/sobjects/Lead -H 'Authorization: Bearer ${salesforce.token}' \\
    -H 'Content-Type: application/json' -d '{"FirstName":"Jane","LastName":"Roe","Company":"Acme","Email":"jane@example.com"}'

Or an EspoCRM case (delivered to n8n by webhook within seconds):
  curl -s -X POST ${espocrm.baseUrl}/api/v1/Case -H 'X-Api-Key: test-api-key' \\
    -H 'Content-Type: application/json' -d '{"name":"Printer on fire"}'

Your workflows stay in ${userFolder} between starts (npm run demo -- --reset starts over).
Ctrl-C stops everything.`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	stopAll(1);
});
