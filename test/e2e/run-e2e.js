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
 * 6. with --editor: the editor check in headless Chromium (editor-check.js) on that instance.
 *
 *   node test/e2e/run-e2e.js [--line 2|1] [--editor]
 */
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startHubSpotServer } = require('../sandbox/hubspot/server');
const { checkEditor } = require('./editor-check');
const { importIntoN8n, activateCommand, ROOT, runtime, n8nEnv, n8n, packAndInstall, classicWorkflow, example } = require('./n8n-runtime');

const withEditor = process.argv.includes('--editor');
const line = process.argv.includes('--line') ? process.argv[process.argv.indexOf('--line') + 1] : '2';
const started = Date.now();
const checks = [];
const log = (message) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

function check(name, condition, detail) {
	checks.push({ name, ok: Boolean(condition) });
	log(`${condition ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
	if (!condition) throw new Error(`check failed: ${name}${detail ? ` (${detail})` : ''}`);
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
	const rt = runtime(line);
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

		const workflows = [
			classicWorkflow(),
			example('01-new-lead-routing.json', 'e2eLeadRouting01'),
			example('02-ticket-opened.json', 'e2eTicketOpen002'),
			example('04-weekly-pipeline-report.json', 'e2eWeeklyReport4'),
			example('03-deal-stage-change.json', 'e2eStageChange03'),
		];
		// The report example runs by hand: its schedule trigger becomes a manual trigger.
		const report = workflows[3];
		report.nodes[0] = { id: 'd1', name: 'Every Monday 8:00', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		await importIntoN8n(rt, env, userFolder, hubspot, workflows);

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
		for (const id of ['e2eLeadRouting01', 'e2eTicketOpen002']) await n8n(rt, env, activateCommand(line, id));
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
		// An activation poll reads the newest record and then the window behind it (a search with
		// a GTE filter); a record created between the two would count as existing before activation.
		const searches = (objectType) => hubspot.requests.filter((r) => r.path === `/crm/v3/objects/${objectType}/search`);
		const windowRead = (objectType) => searches(objectType).some((r) => JSON.stringify(r.body).includes('"GTE"'));
		await waitFor('the first polls', async () => windowRead('contacts') && searches('tickets').length > 0, 90_000);
		await new Promise((r) => setTimeout(r, 3000));
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
		if (withEditor) {
			t = Date.now();
			await checkEditor({ base, email: 'owner@example.com', password: 'Demo-password-1', routingId: 'e2eLeadRouting01', stageChangeId: 'e2eStageChange03' });
			check('editor: examples open, CRM node pickers show, users load from the sandbox (artifacts/editor-*.png)', true, `${Date.now() - t} ms`);
		}
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
