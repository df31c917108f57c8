'use strict';
/**
 * A pinned n8n runtime with this package installed the way users install community packages:
 * shared by the end-to-end test (run-e2e.js) and `npm run demo` (test/demo/run-demo-n8n.js).
 */
const { execFile, execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { promisify } = require('util');

const ROOT = path.resolve(__dirname, '..', '..');

/** The folder holding the runtimes (and the demo's user folder): N8N_RUNTIME_CACHE or ~/.cache/… */
function runtimeCache() {
	return process.env.N8N_RUNTIME_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-crm-automation');
}

function runtime(line = '2') {
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
		// n8n 2.x starts a task broker even with runners off: one port per instance.
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		// Webhook URLs n8n registers with CRMs: the address it listens on. n8n 2.x reads
		// N8N_WEBHOOK_URL (WEBHOOK_URL is deprecated there); 1.x reads only WEBHOOK_URL.
		...(rt.version.startsWith('n8n-1.') ? { WEBHOOK_URL: `http://127.0.0.1:${port}/` } : { N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/` }),
		N8N_SECURE_COOKIE: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'Europe/Berlin',
		// n8n 2.x evaluates expressions in isolated-vm by default ('vm'); on these machines that
		// native module crashes the process in V8's garbage collector (SIGSEGV, e.g. at the end of
		// every `n8n execute`), with its prebuilt binary and built from source, on Node 24.15–24.21.
		// n8n's classic evaluator behaves the same for this package's expressions. 1.x ignores it.
		N8N_EXPRESSION_ENGINE: 'legacy',
	};
}

/** Runs an n8n CLI command without blocking this process: the sandbox must keep answering. */
async function n8n(rt, env, args) {
	const { stdout } = await promisify(execFile)(rt.n8nBin, args, { env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
	return stdout;
}

/**
 * The run data `n8n execute --rawOutput` printed. n8n prints it through its logger, on the same
 * stream as its other log messages (a message after the JSON once broke a position-based parse), so
 * the run data is found by structure: the first complete JSON object (strings and escapes
 * respected) that holds `data.resultData`. Whatever else was printed is reported, not parsed.
 */
function parseRun(stdout) {
	for (let start = stdout.indexOf('{'); start !== -1; start = stdout.indexOf('{', start + 1)) {
		const end = endOfJsonObject(stdout, start);
		if (end === -1) continue;
		let value;
		try {
			value = JSON.parse(stdout.slice(start, end));
		} catch {
			continue;
		}
		if (value && value.data && value.data.resultData) {
			const rest = (stdout.slice(0, start) + stdout.slice(end)).trim();
			if (rest) console.log(`(n8n execute also printed: ${rest.replace(/\s+/g, ' ').slice(0, 200)})`);
			return value;
		}
		start = end - 1; // a complete object that is not the run data: skip past it
	}
	throw new Error(`n8n execute printed no run data: ${stdout.slice(0, 500)}`);
}

/** The index after the JSON object that starts at `start` (strings and escapes respected), or -1. */
function endOfJsonObject(text, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

/**
 * `n8n <command>` (start, worker, …) as a long-running process in its own process group, so that
 * stopping it reaches every process it started. `ready` resolves once the output shows `readyText`.
 */
function startN8n(rt, env, args = ['start'], readyText = 'Editor is now accessible') {
	const child = spawn(rt.n8nBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	const collect = (d) => (output = (output + d).slice(-50_000));
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const ready = new Promise((resolve, reject) => {
		const poll = setInterval(() => {
			if (output.includes(readyText)) {
				clearInterval(poll);
				resolve();
			} else if (child.exitCode !== null || child.signalCode !== null) {
				clearInterval(poll);
				reject(new Error(`n8n ${args.join(' ')} exited before it was ready:\n${output.slice(-4000)}`));
			}
		}, 250);
	});
	return { child, ready, output: () => output };
}

/** SIGTERM to the process group, SIGKILL after `graceMs` (and to anything left in the group). */
function stopN8n(child, graceMs = 20_000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const signalGroup = (signal) => {
			try {
				process.kill(-child.pid, signal);
			} catch {
				/* already gone */
			}
		};
		const force = setTimeout(() => signalGroup('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(force);
			signalGroup('SIGKILL');
			resolve();
		});
		signalGroup('SIGTERM');
	});
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


/** The HubSpot sandbox credential, as `n8n import:credentials` takes it. */
function hubspotCredential(hubspot) {
	return { ...CREDENTIAL, type: 'crmHubSpotApi', data: { accessToken: hubspot.token, baseUrl: hubspot.baseUrl, rateLimitTier: '100', leadModel: 'contactLifecycle' } };
}

const SALESFORCE_OAUTH2 = { id: 'crmSandboxSf0001', name: 'CRM sandbox (Salesforce OAuth2)' };
const SALESFORCE_JWT = { id: 'crmSandboxSf0002', name: 'CRM sandbox (Salesforce JWT)' };

/**
 * The Salesforce sandbox org set up as an admin would for n8n: a connected app with a
 * certificate (JWT credential) and an OAuth2 sign-in (connected OAuth2 credential); the org's
 * process named like the examples. Returns the two credentials to import.
 */
async function salesforceCredentials(salesforce, n8nBaseUrl) {
	const connect = require('../sandbox/salesforce/connect');
	const keys = connect.newKeyPair();
	const redirectUri = `${n8nBaseUrl}/rest/oauth2-credential/callback`;
	connect.registerApp(salesforce, keys, redirectUri);
	connect.useExampleProcess(salesforce);
	return [
		{ ...SALESFORCE_OAUTH2, type: 'crmSalesforceOAuth2Api', data: await connect.oauth2CredentialData(salesforce, redirectUri) },
		{ ...SALESFORCE_JWT, type: 'crmSalesforceJwtApi', data: connect.jwtCredentialData(salesforce, keys) },
	];
}

/** Imports the credentials and the given workflows into the user folder's n8n database. */
async function importIntoN8n(rt, env, userFolder, credentials, workflows) {
	const input = path.join(userFolder, 'import');
	fs.mkdirSync(input, { recursive: true });
	fs.writeFileSync(path.join(input, 'credentials.json'), JSON.stringify(credentials));
	await n8n(rt, env, ['import:credentials', `--input=${path.join(input, 'credentials.json')}`]);
	if (!workflows.length) return;
	fs.writeFileSync(path.join(input, 'workflows.json'), JSON.stringify(workflows));
	await n8n(rt, env, ['import:workflow', `--input=${path.join(input, 'workflows.json')}`]);
}

const ESPOCRM = { id: 'crmSandboxEspo01', name: 'CRM sandbox (EspoCRM)' };

/** The EspoCRM sandbox's HMAC API user, as an n8n credential; the org's process named like the examples. */
function espocrmCredential(espocrm) {
	require('../sandbox/espocrm/server').useExampleProcess(espocrm);
	return { ...ESPOCRM, type: 'crmEspoCrmApi', data: { siteUrl: espocrm.baseUrl, authMethod: 'hmac', apiKey: 'test-hmac-key', secretKey: 'test-hmac-secret' } };
}

/** An example moved to EspoCRM, as a user switches it. */
function onEspoCrm(workflow, id) {
	const { switchProvider } = require('../helpers/switchProvider');
	const moved = switchProvider(workflow, { provider: 'espocrm', credentialType: 'crmEspoCrmApi', credential: ESPOCRM });
	return { ...moved, id, name: `${workflow.name} (EspoCRM)` };
}

/** An example moved to Salesforce with the JWT credential, as a user switches it. */
function onSalesforce(workflow, id) {
	const { switchProvider } = require('../helpers/switchProvider');
	const moved = switchProvider(workflow, { provider: 'salesforceJwt', credentialType: 'crmSalesforceJwtApi', credential: SALESFORCE_JWT });
	return { ...moved, id, name: `${workflow.name} (Salesforce)` };
}

/** Activating a workflow from the CLI: 2.x publishes it, 1.x sets it active. */
function activateCommand(line, id) {
	return line === '1' ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
}

module.exports = { startN8n, stopN8n, parseRun, runtimeCache, importIntoN8n, activateCommand, ROOT, CREDENTIAL, SALESFORCE_OAUTH2, SALESFORCE_JWT, ESPOCRM, runtime, n8nEnv, n8n, packAndInstall, classicWorkflow, example, hubspotCredential, salesforceCredentials, espocrmCredential, onSalesforce, onEspoCrm };
