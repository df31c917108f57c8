'use strict';
/**
 * Smoke test of the README's main-job command, run as a new user runs it: `npm run demo` in its own
 * process group (as a terminal runs it), then
 *   1. n8n answers and the printed login works;
 *   2. the package's nodes and the example workflows are listed;
 *   3. a case created in the EspoCRM sandbox (the printed curl command) starts the instant
 *      ticket workflow: its triage task appears in the sandbox;
 *   4. a workflow saved by the user is still there after a second start (the demo keeps its
 *      user folder);
 *   5. SIGINT (Ctrl-C) to the group: the demo exits, no process it started is left, the ports are free.
 * With N8N_RUNTIME_CACHE pointing at an empty folder, this is the first run of a fresh machine.
 *
 *   node test/demo/smoke-demo.js
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { ROOT, runtimeCache } = require('../e2e/n8n-runtime');
const { checkList } = require('../e2e/checkList');

const PORTS = { n8n: 5678, hubspot: 8787, salesforce: 8788, espocrm: 8789 };
const { started, log, check, waitFor, summary } = checkList('smoke');

function portFree(port) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/**
 * Processes the demo started that are still alive: the demo script itself, and anything running
 * with the demo's n8n user folder in its environment (n8n and whatever n8n started).
 */
function leftoverProcesses() {
	const userFolder = process.env.DEMO_USER_FOLDER || path.join(runtimeCache(), 'demo-user');
	const found = [];
	for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		if (Number(pid) === process.pid) continue;
		try {
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
			const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (cmd.includes('run-demo-n8n.js') || env.includes(`N8N_USER_FOLDER=${userFolder}`)) found.push(`${pid}: ${cmd.slice(0, 160)}`);
		} catch {
			/* gone meanwhile */
		}
	}
	return found;
}

/** `npm run demo` as a terminal runs it: its own process group, output collected. */
function startDemo(extraArgs = []) {
	const child = spawn('npm', ['run', 'demo', ...(extraArgs.length ? ['--', ...extraArgs] : [])], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	child.stdout.on('data', (d) => {
		output += d;
		process.stdout.write(String(d).replace(/^/gm, '  demo| '));
	});
	child.stderr.on('data', (d) => {
		output += d;
		process.stdout.write(String(d).replace(/^/gm, '  demo| '));
	});
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	return { child, exited, output: () => output };
}

/** Resolves when the demo printed its banner; fails at once if it exits first. */
async function ready(demo, timeoutMs) {
	const end = Date.now() + timeoutMs;
	while (!demo.output().includes('Ctrl-C stops everything.')) {
		if (demo.child.exitCode !== null || demo.child.signalCode !== null) throw new Error(`npm run demo exited before it was ready (${demo.child.exitCode ?? demo.child.signalCode})`);
		if (Date.now() > end) throw new Error('timed out waiting for the demo to be ready');
		await new Promise((r) => setTimeout(r, 1000));
	}
	log('demo ready');
}

/** Ctrl-C: SIGINT to the whole foreground group, as the terminal sends it. */
async function interrupt(demo) {
	process.kill(-demo.child.pid, 'SIGINT');
	const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 60_000).unref());
	return Promise.race([demo.exited, timeout]);
}

async function login(base, output) {
	const match = output.match(/Log in as:\s+(\S+) \/ (\S+)/);
	if (!match) throw new Error('the demo printed no login');
	const response = await fetch(`${base}/rest/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailOrLdapLoginId: match[1], password: match[2] }) });
	return { ok: response.ok, status: response.status, cookie: (response.headers.get('set-cookie') || '').split(';')[0], email: match[1] };
}

async function workflowNames(base, cookie) {
	const body = await (await fetch(`${base}/rest/workflows`, { headers: { cookie } })).json();
	return (body.data || []).map((w) => w.name);
}

async function firstStart(base) {
	const demo = startDemo(['--reset']);
	try {
		await ready(demo, 40 * 60_000);
		const session = await login(base, demo.output());
		check('n8n answers and the printed login works', session.ok, `${session.email}: HTTP ${session.status}`);
		const types = await (await fetch(`${base}/types/nodes.json`, { headers: { cookie: session.cookie } })).json();
		const ours = types.map((t) => t.name).filter((n) => n.startsWith('n8n-nodes-crm-automation.'));
		check("the package's nodes are listed", ['crm', 'crmTrigger', 'crmReport', 'crmWebhookTrigger'].every((n) => ours.includes(`n8n-nodes-crm-automation.${n}`)), [...new Set(ours)].join(', '));
		const names = await workflowNames(base, session.cookie);
		const examples = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', '01-new-lead-routing.json'), 'utf8')).name;
		check('the example workflows are listed', names.includes(examples) && names.length >= 9 && !names.some((n) => n.startsWith('E2E')), `${names.length} workflows`);

		// The printed EspoCRM curl command, then the instant workflow's triage task.
		const espo = `http://127.0.0.1:${PORTS.espocrm}/api/v1`;
		const headers = { 'X-Api-Key': 'test-api-key', 'Content-Type': 'application/json' };
		const created = await (await fetch(`${espo}/Case`, { method: 'POST', headers, body: JSON.stringify({ name: 'Smoke: printer on fire' }) })).json();
		const t = Date.now();
		const task = await waitFor('the triage task from the instant ticket workflow', async () => {
			const list = await (await fetch(`${espo}/Task?maxSize=200`, { headers })).json();
			return (list.list || []).find((x) => x.parentId === created.id && String(x.name).startsWith('Triage'));
		}, 90_000);
		check('a case created in the EspoCRM sandbox starts its trigger workflow (triage task written)', Boolean(task), `"${task.name}" ${Date.now() - t} ms after the case`);

		const mine = { name: 'Smoke: my own workflow', nodes: [{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }], connections: {}, settings: {} };
		const saved = await fetch(`${base}/rest/workflows`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie }, body: JSON.stringify(mine) });
		check('a workflow of the user is saved', saved.ok, `HTTP ${saved.status}`);
	} finally {
		const stopped = await interrupt(demo);
		check('Ctrl-C stops the demo', stopped !== 'timeout', JSON.stringify(stopped));
	}
}

async function secondStart(base) {
	const demo = startDemo();
	try {
		await ready(demo, 10 * 60_000);
		const session = await login(base, demo.output());
		const names = await workflowNames(base, session.cookie);
		check("the user's workflow is kept at the next start", names.includes('Smoke: my own workflow') && demo.output().includes('Kept demo user folder'), `${names.length} workflows`);
	} finally {
		const stopped = await interrupt(demo);
		check('Ctrl-C stops the demo again', stopped !== 'timeout', JSON.stringify(stopped));
	}
}

async function main() {
	const base = `http://127.0.0.1:${PORTS.n8n}`;
	for (const [name, port] of Object.entries(PORTS)) check(`port ${port} (${name}) is free before the demo`, await portFree(port));
	try {
		await firstStart(base);
		log(`first start done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
		await secondStart(base);
	} finally {
		await new Promise((r) => setTimeout(r, 1000));
		const left = leftoverProcesses();
		check('no process the demo started is left', left.length === 0, left.join('; '));
		for (const [name, port] of Object.entries(PORTS)) check(`port ${port} (${name}) is free after Ctrl-C`, await portFree(port));
	}
}

main()
	.catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exitCode = 1;
	})
	.finally(() => {
		console.log(summary());
		log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	});
