'use strict';
/**
 * A real n8n (2.x) with the packed package, the three CRM sandboxes (demo data) and the examples
 * that the editor check opens, then the editor check in headless Chromium with its screenshots
 * written to a folder of your choice. Used to take the screenshots of issue 11:
 *
 *   node test/e2e/editor-session.js [--out artifacts/issue-11] [--keep]
 *
 * --keep leaves n8n and the sandboxes running after the check (Ctrl-C stops them). Ports:
 * EDITOR_N8N_PORT (default 5690) and EDITOR_BROKER_PORT (default 5691, n8n's task broker).
 */
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startHubSpotServer, seedDemoData } = require('../sandbox/hubspot/server');
const { startSalesforceServer, seedDemoData: seedSalesforceDemo } = require('../sandbox/salesforce/server');
const { startEspoCrmServer } = require('../sandbox/espocrm/server');
const { checkEditor } = require('./editor-check');
const { importIntoN8n, ROOT, runtime, n8nEnv, packAndInstall, example, hubspotCredential, salesforceCredentials, espocrmCredential } = require('./n8n-runtime');

const argument = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const PORT = Number(process.env.EDITOR_N8N_PORT || 5690);
const BROKER_PORT = String(process.env.EDITOR_BROKER_PORT || 5691);
const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' };

async function main() {
	const rt = runtime('2');
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-editor-'));
	packAndInstall(userFolder);
	fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
	const hubspot = await startHubSpotServer({ port: 0, requestLog: path.join(ROOT, 'test-output', 'editor-hubspot-requests.jsonl') });
	seedDemoData(hubspot);
	const salesforce = await startSalesforceServer({ port: 0, requestLog: path.join(ROOT, 'test-output', 'editor-salesforce-requests.jsonl') });
	const espocrm = await startEspoCrmServer({ port: 0, requestLog: path.join(ROOT, 'test-output', 'editor-espocrm-requests.jsonl') });
	const base = `http://127.0.0.1:${PORT}`;
	const env = { ...n8nEnv(rt, userFolder, PORT), N8N_RUNNERS_BROKER_PORT: BROKER_PORT };
	const credentials = [hubspotCredential(hubspot), ...(await salesforceCredentials(salesforce, base)), espocrmCredential(espocrm)];
	seedSalesforceDemo(salesforce);
	const workflows = [
		example('01-new-lead-routing.json', 'e2eLeadRouting01'),
		example('03-deal-stage-change.json', 'e2eStageChange03'),
		example('05-create-lead-then-qualify.json', 'e2eSfClassic0001'),
	];
	await importIntoN8n(rt, env, userFolder, credentials, workflows);

	const server = spawn(rt.n8nBin, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	server.stdout.on('data', (d) => (output += d));
	server.stderr.on('data', (d) => (output += d));
	const stop = async () => {
		server.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 1500));
		await hubspot.stop();
		await salesforce.stop();
		await espocrm.stop();
	};
	try {
		const end = Date.now() + 180_000;
		while (!output.includes('Editor is now accessible')) {
			if (Date.now() > end || server.exitCode !== null) throw new Error(`n8n did not start:\n${output.slice(-3000)}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		const setup = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
		if (!setup.ok) throw new Error(`owner setup: HTTP ${setup.status}`);
		const target = { base, email: OWNER.email, password: OWNER.password, routingId: 'e2eLeadRouting01', stageChangeId: 'e2eStageChange03', salesforceClassicId: 'e2eSfClassic0001', out: path.resolve(ROOT, argument('--out', 'artifacts')) };
		console.log(`n8n: ${base} (${OWNER.email} / ${OWNER.password}), user folder ${userFolder}`);
		if (!process.argv.includes('--no-check')) await checkEditor(target);
	} catch (error) {
		await stop();
		throw error;
	}
	if (!process.argv.includes('--keep')) return stop();
	console.log('n8n and the sandboxes keep running; Ctrl-C stops them');
	process.on('SIGINT', () => stop().then(() => process.exit(0)));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
