'use strict';
/**
 * End to end in n8n's queue mode, as self-hosters scale out: Redis, Postgres, one n8n main and two
 * `n8n worker --concurrency=5` processes, all loading the packed package installed once in the
 * user folder; the environment is docker/queue.env, the file docker/docker-compose.yml gives
 * main and workers, so CI runs what the compose file runs.
 *
 * Checks:
 * (a) Round Robin rotates although workers share no state: 60 webhook-started executions of
 *     Webhook → Assign Task (round robin over 4 users) one at a time (exact rotation), then 60
 *     with 10 in flight on the 2 workers (every user within ±3 of 15).
 * (b) The CRM Trigger's exactly-once across a restart of main, with a round-robin node in the
 *     same workflow: leads created while main is down are emitted once, none twice; the workers'
 *     executions leave the trigger's saved position alone; a lost position is reported in n8n's log.
 * (c) A CRM Report file a worker wrote is served by main (binary data mode of docker/queue.env).
 *
 * Redis and Postgres come from Debian (installed when missing: CI runs as root) and run on
 * loopback ports of their own with data under a temp folder. Every process started is stopped.
 *
 *   node test/e2e/run-queue-e2e.js
 */
const { checkList } = require('./checkList');
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startHubSpotServer } = require('../sandbox/hubspot/server');
const { importIntoN8n, activateCommand, ROOT, runtime, n8nEnv, n8n, packAndInstall, example, hubspotCredential, CREDENTIAL } = require('./n8n-runtime');

const PORTS = { main: 5750, workers: [5751, 5752], brokers: [5760, 5761, 5762], redis: 16379, postgres: 15432 };
const DOCKER = path.join(ROOT, 'docker');
const ROTATION = ['ana@example.com', 'ben@example.com', 'cleo@example.com', 'dan@example.com'];
const IDS = { roundRobin: 'qRoundRobinTask1', leadRouting: 'qLeadRouting0001', report: 'qReportFile00001' };

const { started, log, check, waitFor, failed: failedChecks, summary } = checkList('queue-e2e', { stopOnFailure: false });
const processes = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The environment of docker/: queue.env as main and workers get it, checked against the compose file.

function readEnvFile(file) {
	const env = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const text = line.trim();
		if (!text || text.startsWith('#')) continue;
		const eq = text.indexOf('=');
		env[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
	}
	return env;
}

/**
 * What the compose file gives every n8n service, read from its `x-n8n` block with a minimal
 * indentation reader (this file's shape, not YAML at large): the env files, and the keys set in
 * `environment` (addresses and secrets, which this test sets to its own values).
 */
function composeN8nEnvironment() {
	const lines = fs.readFileSync(path.join(DOCKER, 'docker-compose.yml'), 'utf8').split('\n');
	const start = lines.findIndex((l) => /^x-n8n:/.test(l));
	const block = [];
	for (const line of lines.slice(start + 1)) {
		if (/^\S/.test(line)) break;
		block.push(line);
	}
	const section = (name) => {
		const at = block.findIndex((l) => l.trim() === `${name}:`);
		if (at < 0) return [];
		const indent = block[at].search(/\S/);
		const out = [];
		for (const line of block.slice(at + 1)) {
			if (line.trim() && line.search(/\S/) <= indent) break;
			if (line.trim() && !line.trim().startsWith('#')) out.push(line.trim());
		}
		return out;
	};
	const envFiles = section('env_file').map((l) => l.replace(/^-\s*/, ''));
	const keys = section('environment').map((l) => l.split(':')[0]);
	const services = lines.filter((l) => /^ {2}n8n-[\w-]+:/.test(l)).map((l) => l.trim().replace(':', ''));
	const usesAnchor = services.every((s) => {
		const at = lines.findIndex((l) => l.trim() === `${s}:`);
		return lines[at + 1] && lines[at + 1].trim() === '<<: *n8n';
	});
	return { envFiles, keys, services, usesAnchor };
}

// ---------------------------------------------------------------------------------------------
// Redis and Postgres from Debian, on loopback ports of their own.

function aptInstall(packages) {
	log(`installing ${packages.join(', ')} from Debian`);
	execFileSync('apt-get', ['update'], { stdio: 'ignore' });
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function postgresBin() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
	if (versions.length === 0) return undefined;
	return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

function hasCommand(name) {
	try {
		execFileSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

function ensureServices() {
	const missing = [];
	if (!hasCommand('redis-server')) missing.push('redis-server');
	if (!postgresBin()) missing.push('postgresql');
	if (missing.length) aptInstall(missing);
}

function startRedis(dir) {
	const redis = spawn('redis-server', ['--port', String(PORTS.redis), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	processes.push({ name: 'redis', child: redis });
	return redis;
}

/** Postgres runs as the `postgres` user when this test runs as root (initdb refuses root). */
function asPostgresUser(command, args, options = {}) {
	const root = process.getuid && process.getuid() === 0;
	return root ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], options) : execFileSync(command, args, options);
}

function startPostgres(dir, password) {
	const bin = postgresBin();
	const data = path.join(dir, 'data');
	fs.mkdirSync(data, { recursive: true });
	if (process.getuid && process.getuid() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	asPostgresUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], { stdio: 'ignore' });
	asPostgresUser(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-o', `-p ${PORTS.postgres} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'], { stdio: 'ignore' });
	const stop = () => asPostgresUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], { stdio: 'ignore' });
	execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PORTS.postgres), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE ROLE n8n LOGIN PASSWORD '${password}'`, '-c', 'CREATE DATABASE n8n OWNER n8n'], { stdio: 'ignore' });
	return stop;
}

function sql(query, password) {
	return execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PORTS.postgres), '-U', 'n8n', '-d', 'n8n', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } }).trim();
}

// ---------------------------------------------------------------------------------------------
// n8n processes.

function startN8n(rt, name, args, env) {
	const child = spawn(rt.n8nBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const entry = { name, child, output: '' };
	child.stdout.on('data', (d) => (entry.output += d));
	child.stderr.on('data', (d) => (entry.output += d));
	processes.push(entry);
	return entry;
}

async function stopProcess(entry, timeoutMs = 20_000) {
	if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
	const exited = new Promise((r) => entry.child.once('exit', r));
	entry.child.kill('SIGTERM');
	const done = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
	if (!done) {
		entry.child.kill('SIGKILL');
		await exited;
	}
}

// ---------------------------------------------------------------------------------------------
// Workflows.

const cred = { crmHubSpotApi: CREDENTIAL };

function webhookNode(pathName, response) {
	return {
		id: `wh-${pathName}`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `0f6c${pathName.replace(/[^a-z]/g, '').padEnd(8, 'a').slice(0, 8)}-aaaa-4bbb-8ccc-${String(pathName.length).padStart(12, '0')}`,
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'lastNode', ...response },
	};
}

function roundRobinWorkflow(leadId) {
	return {
		id: IDS.roundRobin,
		name: 'Queue: task round robin over 4 users',
		nodes: [
			webhookNode('rr-task', { responseData: 'firstEntryJson' }),
			{
				id: 'rr1',
				name: 'Assign Round Robin',
				type: 'n8n-nodes-crm-automation.crm',
				typeVersion: 1,
				position: [220, 0],
				credentials: cred,
				parameters: {
					provider: 'hubspot',
					resource: 'task',
					operation: 'assign',
					subject: '={{ $json.body.subject }}',
					relatedType: 'lead',
					relatedId: leadId,
					due: 'in 1 business day',
					strategy: 'roundRobin',
					users: ROTATION,
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Assign Round Robin', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The lead-routing example's trigger and round-robin owner assignment (its layout in issue 12). */
function leadRoutingWorkflow() {
	const shipped = example('01-new-lead-routing.json', IDS.leadRouting);
	const [trigger, assign] = shipped.nodes;
	return {
		...shipped,
		name: 'Queue: new lead → round-robin owner',
		nodes: [trigger, assign],
		connections: { [trigger.name]: { main: [[{ node: assign.name, type: 'main', index: 0 }]] } },
	};
}

/** The weekly pipeline report example's report node, started by a webhook instead of a schedule. */
function reportWorkflow() {
	const reportNode = example('04-weekly-pipeline-report.json', IDS.report).nodes.find((n) => n.name === 'Pipeline Report');
	return {
		id: IDS.report,
		name: 'Queue: pipeline report file',
		nodes: [
			webhookNode('pipeline-csv', { responseData: 'firstEntryBinary', responseBinaryPropertyName: 'csv' }),
			{ ...reportNode, position: [220, 0], parameters: { ...reportNode.parameters, files: ['csv'] } },
			// The files are on the summary item, the last one.
			{ id: 'rp2', name: 'Summary', type: 'n8n-nodes-base.limit', typeVersion: 1, position: [440, 0], parameters: { maxItems: 1, keep: 'lastItems' } },
		],
		connections: {
			Webhook: { main: [[{ node: 'Pipeline Report', type: 'main', index: 0 }]] },
			'Pipeline Report': { main: [[{ node: 'Summary', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------

function distribution(hubspot, prefix) {
	const byOwner = Object.fromEntries(['101', '102', '103', '104'].map((id) => [id, 0]));
	const tasks = hubspot
		.listObjects('tasks')
		.filter((t) => String(t.properties.hs_task_subject || '').startsWith(prefix))
		.sort((a, b) => Number(a.id) - Number(b.id));
	for (const task of tasks) byOwner[task.properties.hubspot_owner_id] = (byOwner[task.properties.hubspot_owner_id] || 0) + 1;
	return { tasks, byOwner, text: ['101', '102', '103', '104'].map((id) => byOwner[id]).join(' / ') };
}

async function postJson(url, body) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, body: await response.text() };
}

async function main() {
	const rt = runtime('2');
	log(`n8n runtime: ${rt.version}`);
	ensureServices();
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-queue-e2e-'));
	fs.chmodSync(work, 0o755); // Postgres runs as its own user and must reach its data folder.
	const userFolder = path.join(work, 'n8n');
	fs.mkdirSync(userFolder);
	const tarball = packAndInstall(userFolder);
	log(`installed ${tarball} once into ${userFolder}/.n8n/nodes (main and both workers load it)`);

	// The compose file's n8n environment: queue.env, plus addresses and secrets set here.
	const compose = composeN8nEnvironment();
	const queueEnv = readEnvFile(path.join(DOCKER, 'queue.env'));
	const password = 'queue-e2e-password';
	const local = {
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(PORTS.postgres),
		DB_POSTGRESDB_PASSWORD: password,
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(PORTS.redis),
		N8N_ENCRYPTION_KEY: 'queue-e2e-encryption-key-shared-by-all',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${PORTS.main}/`,
	};
	check(
		'the test runs n8n with the compose file\'s environment (docker/queue.env for main and workers; it sets only the compose file\'s address and secret keys)',
		compose.envFiles.length === 1 && compose.envFiles[0] === 'queue.env' && compose.usesAnchor && compose.services.length >= 2 && compose.keys.slice().sort().join() === Object.keys(local).sort().join(),
		`services ${compose.services.join(', ')}; env ${compose.envFiles.join(', ')}; set here: ${compose.keys.join(', ')}; binary data ${queueEnv.N8N_DEFAULT_BINARY_DATA_MODE}`,
	);
	const envOf = (port, brokerPort) => ({ ...n8nEnv(rt, userFolder, port), ...queueEnv, ...local, N8N_RUNNERS_BROKER_PORT: String(brokerPort), N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5' });
	const mainEnv = envOf(PORTS.main, PORTS.brokers[0]);

	const hubspot = await startHubSpotServer({ port: 0 });
	let stopPostgres;
	try {
		startRedis(work);
		const pgDir = path.join(work, 'postgres');
		stopPostgres = startPostgres(pgDir, password);
		log(`Redis on :${PORTS.redis}, Postgres on :${PORTS.postgres}`);

		const anchor = hubspot.createObject('contacts', { email: 'anchor@example.com', firstname: 'Anchor', lastname: 'Lead', lifecyclestage: 'lead' });
		hubspot.createObject('deals', { dealname: 'Open one', pipeline: 'default', dealstage: 'contractsent', amount: '5000' });
		let t = Date.now();
		await importIntoN8n(rt, mainEnv, userFolder, [hubspotCredential(hubspot)], [roundRobinWorkflow(anchor.id), leadRoutingWorkflow(), reportWorkflow()]);
		await Promise.all(Object.values(IDS).map((id) => n8n(rt, mainEnv, activateCommand('2', id))));
		log(`imported and published the workflows into Postgres in ${Date.now() - t} ms`);

		t = Date.now();
		const workers = PORTS.workers.map((port, i) => startN8n(rt, `worker ${i + 1}`, ['worker', '--concurrency=5'], envOf(port, PORTS.brokers[i + 1])));
		let mainProcess = startN8n(rt, 'main', ['start'], mainEnv);
		await waitFor('n8n main to start', () => mainProcess.output.includes('Editor is now accessible'), 300_000);
		await waitFor('the workers to start', () => workers.every((w) => /worker is now ready|Worker started/i.test(w.output)), 120_000);
		log(`main and 2 workers up in ${Date.now() - t} ms`);
		const base = `http://127.0.0.1:${PORTS.main}`;
		// n8n 2.x activates published workflows after "Editor is now accessible": wait for the
		// trigger's first poll (it starts from now) before creating leads it must emit.
		const contactSearches = () => hubspot.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search').length;
		await waitFor('the trigger\'s activation poll', () => contactSearches() > 0, 120_000);
		await sleep(3000); // the activation poll's reads are done

		// (c) A report file written by a worker, served by main.
		t = Date.now();
		// Until n8n has registered the production webhooks, it answers 404 (and runs nothing).
		const report = await waitFor('the report webhook', async () => {
			const answer = await fetch(`${base}/webhook/pipeline-csv`, { method: 'POST' });
			return answer.status === 404 ? undefined : answer;
		}, 120_000);
		const csv = await report.text();
		check(`a CRM Report file written by a worker is served by main (binary data mode "${queueEnv.N8N_DEFAULT_BINARY_DATA_MODE}")`, report.status === 200 && csv.includes('Contract sent') && csv.includes(','), `HTTP ${report.status}, ${csv.length} bytes, ${Date.now() - t} ms: ${csv.split('\n')[0].slice(0, 80)}`);

		// (b), part 1: leads created now are emitted at the trigger's next poll (within a minute),
		// while (a) runs.
		const lead = (n) => hubspot.createObject('contacts', { email: `queue-lead-${n}@example.com`, firstname: `Queue${n}`, lastname: 'Lead', lifecyclestage: 'lead' });
		const before = [lead(1), lead(2)];

		// (a) Round robin, one at a time: exact rotation.
		t = Date.now();
		for (let n = 0; n < 60; n++) {
			const answer = await waitFor('the round-robin webhook', async () => {
				const reply = await postJson(`${base}/webhook/rr-task`, { subject: `RR sequential ${n}` });
				return reply.status === 404 ? undefined : reply;
			}, 60_000);
			if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body.slice(0, 300)}`);
		}
		const sequential = distribution(hubspot, 'RR sequential');
		const owners = sequential.tasks.map((x) => x.properties.hubspot_owner_id);
		const exact = owners.length === 60 && new Set(owners.slice(0, 4)).size === 4 && owners.every((o, i) => o === owners[i % 4]);
		check('round robin, 60 executions one at a time on 2 workers: exact rotation', exact, `${sequential.text} (users 101/102/103/104) in ${((Date.now() - t) / 1000).toFixed(1)} s; order ${owners.slice(0, 8).join(',')}…`);

		// (a) Round robin, 10 in flight: every user within ±3 of 15.
		t = Date.now();
		let next = 0;
		const failures = [];
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				while (next < 60) {
					const n = next++;
					const answer = await postJson(`${base}/webhook/rr-task`, { subject: `RR concurrent ${n}` });
					if (answer.status !== 200) failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
				}
			}),
		);
		const concurrent = distribution(hubspot, 'RR concurrent');
		const fair = concurrent.tasks.length === 60 && Object.values(concurrent.byOwner).every((c) => Math.abs(c - 15) <= 3);
		check('round robin, 60 executions 10 at a time on 2 workers × concurrency 5: every user within ±3 of 15', fair && failures.length === 0, `${concurrent.text} in ${((Date.now() - t) / 1000).toFixed(1)} s${failures.length ? `; failed: ${failures[0]}` : ''}`);
		const roundRobinStatic = sql(`SELECT COALESCE("staticData"::text, 'null') FROM workflow_entity WHERE id = '${IDS.roundRobin}'`, password);
		check('the round-robin workflow keeps nothing in static data', ['null', '{}', ''].includes(roundRobinStatic), roundRobinStatic.slice(0, 200));

		// (b), part 2: the trigger's executions, counted per lead in the stored executions.
		const emissions = (contact) =>
			Number(sql(`SELECT count(*) FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${IDS.leadRouting}' AND d.data LIKE '%${contact.properties.email}%'`, password));
		const finished = () => Number(sql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${IDS.leadRouting}' AND status = 'success'`, password));
		await waitFor('the trigger to emit the first two leads', () => before.every((c) => emissions(c) === 1), 90_000);
		await waitFor('their executions to finish on a worker', () => finished() >= 1 && Number(sql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${IDS.leadRouting}' AND status IN ('new','running','waiting')`, password)) === 0, 30_000);
		const staticData = JSON.parse(sql(`SELECT COALESCE("staticData"::text, 'null') FROM workflow_entity WHERE id = '${IDS.leadRouting}'`, password) || 'null');
		const keys = Object.keys(staticData || {});
		check(
			'after workers ran the round-robin node, the workflow\'s static data holds only the trigger\'s position',
			keys.length === 1 && keys[0] === 'node:New Lead' && staticData['node:New Lead'].crmTrigger && staticData['node:New Lead'].crmTrigger.v === 1,
			JSON.stringify(staticData).slice(0, 160),
		);

		// Restart main; leads created while it is down must be emitted exactly once.
		t = Date.now();
		await stopProcess(mainProcess);
		const during = [lead(3), lead(4), lead(5)];
		mainProcess = startN8n(rt, 'main', ['start'], mainEnv);
		await waitFor('n8n main to start again', () => mainProcess.output.includes('Editor is now accessible'), 300_000);
		log(`main restarted in ${Date.now() - t} ms`);
		await waitFor('the leads created while main was down', () => during.every((c) => emissions(c) >= 1), 90_000);
		// One more poll after that: nothing may come twice.
		const polled = contactSearches();
		await waitFor('one more poll', () => contactSearches() > polled, 75_000);
		await sleep(3000);
		const counts = [...before, ...during].map((c) => emissions(c));
		check('trigger across a restart of main: each lead emitted exactly once (2 before, 3 created while main was down)', counts.every((c) => c === 1), `emissions per lead ${counts.join(' / ')}`);
		check('the trigger did not warn about its position after a normal restart', !mainProcess.output.includes('saved position'));

		// A lost position is not silent: main's log says so.
		await stopProcess(mainProcess);
		sql(`UPDATE workflow_entity SET "staticData" = NULL WHERE id = '${IDS.leadRouting}'`, password);
		mainProcess = startN8n(rt, 'main', ['start'], mainEnv);
		const warned = await waitFor('the warning', () => mainProcess.output.split('\n').find((l) => l.includes('has no saved position')), 120_000).catch(() => undefined);
		check('a trigger whose saved position was lost says so in n8n\'s log', Boolean(warned), warned && warned.trim().slice(0, 220));

		check('no request broke the documented HubSpot schemas', hubspot.violations.length === 0, hubspot.violations.slice(0, 3).join('; '));
	} catch (error) {
		check(`the run completed (${error.message})`, false);
		for (const entry of processes.filter((p) => p.output !== undefined)) console.error(`--- ${entry.name} output ---\n${entry.output.slice(-4000)}`);
	} finally {
		await Promise.all(processes.map((entry) => stopProcess(entry).catch(() => undefined)));
		if (stopPostgres) {
			try {
				stopPostgres();
			} catch (error) {
				console.error(`stopping Postgres: ${error.message}`);
			}
		}
		await hubspot.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
	const failed = failedChecks();
	console.log(summary());
	log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s on ${rt.version}`);
	process.exit(failed ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	for (const entry of processes) entry.child.kill('SIGKILL');
	process.exit(1);
});
