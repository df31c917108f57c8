/* eslint-disable */
'use strict';
/**
 * End-to-end: the packed package inside a real n8n, against the local HubSpot sandbox.
 *
 * 1. installs the pinned n8n runtime on first use (test/e2e/install-n8n-runtime.sh, cached outside the repo);
 * 2. `npm pack`s the built package and installs the tarball into a fresh user folder's ~/.n8n/nodes,
 *    as n8n installs community packages;
 * 3. `n8n export:nodes` must list the package's nodes;
 * 4. imports a credential pointing at the sandbox and the workflows; `n8n execute` runs the manual
 *    "classic" workflow (create lead → update status by name) and the report example;
 * 5. `n8n start` with the example trigger workflows published: records created in the sandbox must
 *    start executions, checked in the sandbox's state and in n8n's execution data.
 *
 *   node test/e2e/run-e2e.js [--line 2|1]
 */
const { execFile, execFileSync, spawn } = require('child_process');
const { promisify } = require('util');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const { startHubSpotServer } = require('../sandbox/hubspot/server');

const line = process.argv.includes('--line') ? process.argv[process.argv.indexOf('--line') + 1] : '2';
const started = Date.now();
const checks = [];
const log = (message) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

function check(name, condition, detail) {
	checks.push({ name, ok: Boolean(condition) });
	log(`${condition ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
	if (!condition) throw new Error(`check failed: ${name}${detail ? ` (${detail})` : ''}`);
}

function runtime() {
	const dir = execFileSync('bash', [path.join(__dirname, 'install-n8n-runtime.sh'), line], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
	const cache = path.dirname(dir);
	const nodeMajor = line === '1' ? 22 : 24;
	const nodeBin = path.join(cache, `node${nodeMajor}`, 'node_modules', '.bin');
	return { n8nBin: path.join(dir, 'node_modules', '.bin', 'n8n'), nodeBin, version: path.basename(dir) };
}

function n8nEnv(rt, userFolder, port) {
	return {
		...process.env,
		PATH: `${rt.nodeBin}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'Europe/Berlin',
	};
}

/** Runs an n8n CLI command without blocking this process: the sandbox must keep answering. */
async function n8n(rt, env, args) {
	const { stdout } = await promisify(execFile)(rt.n8nBin, args, { env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
	return stdout;
}

function packAndInstall(userFolder) {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', os.tmpdir()], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', path.join(os.tmpdir(), tarball)], { cwd: nodesDir, stdio: 'ignore' });
	return tarball;
}

const CREDENTIAL = { id: 'crmSandbox0001', name: 'CRM sandbox (HubSpot API)' };

function classicWorkflow() {
	const cred = { crmHubSpotApi: CREDENTIAL };
	return {
		id: 'e2eClassic00001',
		name: 'E2E: create lead, then Qualified-type status by name',
		nodes: [
			{ id: 'm0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'm1', name: 'Create Lead', type: 'n8n-nodes-crm-automation.crm', typeVersion: 1, position: [220, 0], credentials: cred,
				parameters: { provider: 'hubspot', resource: 'lead', operation: 'create', email: 'john.doe@acme.com', fields: { firstName: 'John', lastName: 'Doe', company: 'Acme Corp', phone: '123-456-7890' } } },
			{ id: 'm2', name: 'Update Status', type: 'n8n-nodes-crm-automation.crm', typeVersion: 1, position: [440, 0], credentials: cred,
				parameters: { provider: 'hubspot', resource: 'lead', operation: 'updateStatus', recordId: '={{ $json.id }}', stage: { __rl: true, mode: 'name', value: 'Connected' } } },
		],
		connections: { Start: { main: [[{ node: 'Create Lead', type: 'main', index: 0 }]] }, 'Create Lead': { main: [[{ node: 'Update Status', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** An example workflow as shipped (n8n polls at most once a minute). */
function example(file, id) {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
	workflow.id = id;
	return workflow;
}

function parseRun(text) {
	return JSON.parse(text.slice(text.indexOf('{')));
}

async function waitFor(what, fn, timeoutMs) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn().catch(() => undefined);
		if (value) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

async function main() {
	const rt = runtime();
	log(`n8n runtime: ${rt.version}`);
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-e2e-'));
	const tarball = packAndInstall(userFolder);
	log(`installed ${tarball} into ${userFolder}/.n8n/nodes`);

	const hubspot = await startHubSpotServer({ port: 0, requestLog: path.join(ROOT, 'test-output', `e2e-${line}-requests.jsonl`) });
	const port = 15000 + Math.floor(Math.random() * 2000);
	const env = n8nEnv(rt, userFolder, port);
	let server;
	let output = '';
	const serverOutput = () => output;
	try {
		const nodesFile = path.join(userFolder, 'nodes.json');
		await n8n(rt, env, ['export:nodes', `--output=${nodesFile}`]);
		const types = JSON.parse(fs.readFileSync(nodesFile, 'utf8')).map((t) => t.name);
		check('n8n lists the package nodes', ['crm', 'crmTrigger', 'crmReport'].every((n) => types.includes(`n8n-nodes-crm-automation.${n}`)), types.filter((t) => t.startsWith('n8n-nodes-crm-automation.')).join(', '));

		const input = path.join(userFolder, 'import');
		fs.mkdirSync(input);
		fs.writeFileSync(path.join(input, 'credentials.json'), JSON.stringify([{ ...CREDENTIAL, type: 'crmHubSpotApi', data: { accessToken: hubspot.token, baseUrl: hubspot.baseUrl, rateLimitTier: '100', leadModel: 'contactLifecycle' } }]));
		await n8n(rt, env, ['import:credentials', `--input=${path.join(input, 'credentials.json')}`]);
		const workflows = [
			classicWorkflow(),
			example('01-new-lead-routing.json', 'e2eLeadRouting01'),
			example('02-ticket-opened.json', 'e2eTicketOpen002'),
			example('04-weekly-pipeline-report.json', 'e2eWeeklyReport4'),
		];
		// The report example runs by hand: its schedule trigger becomes a manual trigger.
		const report = workflows[3];
		report.nodes[0] = { id: 'd1', name: 'Every Monday 8:00', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		fs.writeFileSync(path.join(input, 'workflows.json'), JSON.stringify(workflows));
		await n8n(rt, env, ['import:workflow', `--input=${path.join(input, 'workflows.json')}`]);

		// Headless executions.
		let t = Date.now();
		const classic = parseRun(await n8n(rt, env, ['execute', '--id=e2eClassic00001', '--rawOutput']));
		const runData = classic.data.resultData.runData;
		const lead = runData['Create Lead'][0].data.main[0][0].json;
		check('classic workflow: lead created and moved to "Connected" by name', runData['Update Status'][0].data.main[0][0].json.status === 'CONNECTED' && hubspot.getObject('contacts', lead.id).properties.hs_lead_status === 'CONNECTED', `${Date.now() - t} ms, lead ${lead.id}`);
		hubspot.createObject('deals', { dealname: 'Open one', pipeline: 'default', dealstage: 'contractsent', amount: '5000' });
		t = Date.now();
		const reportRun = parseRun(await n8n(rt, env, ['execute', '--id=e2eWeeklyReport4', '--rawOutput'])).data.resultData.runData['Pipeline Report'][0].data.main[0];
		const summary = reportRun[reportRun.length - 1];
		check('report example: rows and summary with html/csv/png files', reportRun.some((i) => i.json.stage === 'Contract sent' && i.json.amount === 5000) && ['html', 'csv', 'chartPng'].every((k) => summary.binary && summary.binary[k]), `${Date.now() - t} ms`);

		// Active workflows in a running n8n.
		for (const id of ['e2eLeadRouting01', 'e2eTicketOpen002']) await n8n(rt, env, ['publish:workflow', `--id=${id}`]);
		t = Date.now();
		server = spawn(rt.n8nBin, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		output = '';
		server.stdout.on('data', (d) => (output += d));
		server.stderr.on('data', (d) => (output += d));
		await waitFor('n8n to start', async () => output.includes('Editor is now accessible'), 180_000);
		log(`n8n started on :${port} in ${Date.now() - t} ms`);
		const base = `http://127.0.0.1:${port}`;
		const setup = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' }) });
		const cookie = (setup.headers.get('set-cookie') || '').split(';')[0];
		check('owner account created', setup.ok, `HTTP ${setup.status}`);

		// The first poll of each trigger activates it (starts from now, no history flood); records
		// created after it must start executions at the next poll (n8n polls once a minute).
		const searched = (objectType) => hubspot.requests.some((r) => r.path === `/crm/v3/objects/${objectType}/search`);
		await waitFor('the first polls', async () => searched('contacts') && searched('tickets'), 90_000);
		log('both triggers have polled once');
		const newLead = hubspot.createObject('contacts', { email: 'nina@acme.com', firstname: 'Nina', lifecyclestage: 'lead' });
		const ticket = hubspot.createObject('tickets', { subject: 'Printer on fire', hs_pipeline: '0', hs_pipeline_stage: '1' });
		t = Date.now();
		const task = await waitFor('the lead-routing execution', async () => hubspot.listObjects('tasks').find((x) => hubspot.associations('tasks', x.id, 'contacts').includes(newLead.id) && x.properties.hs_task_subject === 'Call within 1 business day'), 100_000);
		const email = await waitFor('the welcome email', async () => hubspot.listObjects('emails').find((x) => hubspot.associations('emails', x.id, 'contacts').includes(newLead.id)), 30_000);
		check('new lead → owner, call task and welcome email written by the active workflow', hubspot.getObject('contacts', newLead.id).properties.hubspot_owner_id === task.properties.hubspot_owner_id && email.properties.hs_email_subject === 'Welcome!', `${Date.now() - t} ms after the lead was created`);
		const note = await waitFor('the ticket acknowledgement', async () => hubspot.listObjects('notes').find((x) => hubspot.associations('notes', x.id, 'tickets').includes(ticket.id)), 60_000);
		check('ticket opened → triage task and acknowledgement note', Boolean(note) && hubspot.listObjects('tasks').some((x) => x.properties.hs_task_subject === 'Triage: Printer on fire'));

		const executions = await waitFor('executions in n8n', async () => {
			const response = await fetch(`${base}/rest/executions?filter=${encodeURIComponent(JSON.stringify({ status: ['success'] }))}`, { headers: { cookie } });
			const body = await response.json();
			const list = (body.data && (body.data.results || body.data)) || [];
			return list.length >= 2 ? list : undefined;
		}, 30_000);
		check('n8n recorded successful trigger executions', executions.filter((e) => ['e2eLeadRouting01', 'e2eTicketOpen002'].includes(e.workflowId)).length >= 2, `${executions.length} executions`);
		const detail = await (await fetch(`${base}/rest/executions/${executions.find((e) => e.workflowId === 'e2eLeadRouting01').id}`, { headers: { cookie } })).json();
		check('execution data holds the trigger event', JSON.stringify(detail).includes('nina@acme.com'));
		// Nothing twice: the next poll must not repeat the lead.
		const polls = hubspot.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search').length;
		await waitFor('one more poll', async () => hubspot.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search').length > polls, 90_000);
		check('each event ran once', hubspot.listObjects('tasks').filter((x) => x.properties.hs_task_subject === 'Call within 1 business day').length === 1);
		check('no request broke the documented HubSpot schemas', hubspot.violations.length === 0, hubspot.violations.slice(0, 3).join('; '));
	} catch (error) {
		if (server) console.error(`--- n8n output ---\n${serverOutput().slice(-6000)}`);
		throw error;
	} finally {
		if (server) {
			server.kill('SIGTERM');
			await new Promise((r) => setTimeout(r, 1500));
		}
		await hubspot.stop();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log(`${checks.filter((c) => c.ok).length} passed, ${checks.filter((c) => !c.ok).length} failed`);
	log(`done in ${seconds} s on ${rt.version}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
