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
 * Salesforce alongside HubSpot: the classic example (create a lead, move it to "Qualified") runs
 * as shipped on the OAuth2 credential, with the session expired first so n8n refreshes it; the
 * lead-routing and ticket examples, switched to Salesforce on the JWT credential, run as active
 * triggers against the Salesforce sandbox; the JWT credential passes n8n's credential test.
 * EspoCRM: the lead-routing example switched to EspoCRM polls it; the instant ticket example (CRM
 * Webhook Trigger) registers its webhook in EspoCRM on activation and starts from EspoCRM's signed
 * deliveries; a forged delivery gets 401 and starts nothing.
 *
 * Zoho CRM and Pipedrive: each CRM's part (test/e2e/parts/) switches the examples to it, runs the
 * manual ones, activates the triggers, makes records in its sandbox and checks what n8n wrote back.
 *
 * 6. with --editor: the editor check in headless Chromium (editor-check.js) on that instance.
 *
 *   node test/e2e/run-e2e.js [--line 2|1] [--editor]
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startHubSpotServer } = require('../sandbox/hubspot/server');
const { startSalesforceServer } = require('../sandbox/salesforce/server');
const { startEspoCrmServer } = require('../sandbox/espocrm/server');
const { startZohoPart } = require('./parts/zoho');
const { startPipedrivePart } = require('./parts/pipedrive');
const { checkEditor } = require('./editor-check');
const { checkList } = require('./checkList');
const { startN8n, stopN8n, parseRun, importIntoN8n, activateCommand, ROOT, runtime, n8nEnv, n8n, packAndInstall, classicWorkflow, example, hubspotCredential, salesforceCredentials, espocrmCredential, onSalesforce, onEspoCrm } = require('./n8n-runtime');

const withEditor = process.argv.includes('--editor');
const line = process.argv.includes('--line') ? process.argv[process.argv.indexOf('--line') + 1] : '2';
const { started, log, check, waitFor, summary } = checkList('e2e');

async function main() {
	const rt = runtime(line);
	log(`n8n runtime: ${rt.version}`);
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-e2e-'));
	const tarball = packAndInstall(userFolder);
	log(`installed ${tarball} into ${userFolder}/.n8n/nodes`);

	fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
	const hubspot = await startHubSpotServer({ port: 0, requestLog: path.join(ROOT, 'test-output', `e2e-${line}-requests.jsonl`) });
	const salesforce = await startSalesforceServer({ port: 0, requestLog: path.join(ROOT, 'test-output', `e2e-${line}-salesforce-requests.jsonl`) });
	// EspoCRM's webhook queue job runs every 5 minutes by default; every 2 s keeps the test short.
	const espocrm = await startEspoCrmServer({ port: 0, webhookIntervalMs: 2000, requestLog: path.join(ROOT, 'test-output', `e2e-${line}-espocrm-requests.jsonl`) });
	const parts = [await startZohoPart(), await startPipedrivePart()];
	const port = 15000 + Math.floor(Math.random() * 2000);
	const env = n8nEnv(rt, userFolder, port);
	let server;
	let serverOutput = () => '';
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
			example('05-create-lead-then-qualify.json', 'e2eSfClassic0001'),
			onSalesforce(example('01-new-lead-routing.json'), 'e2eSfLeadRoute01'),
			onSalesforce(example('02-ticket-opened.json'), 'e2eSfTicketOpen1'),
			onEspoCrm(example('01-new-lead-routing.json'), 'e2eEspoLeadRout1'),
			example('06-ticket-opened-instant.json', 'e2eEspoInstant01'),
			onSalesforce(example('04-weekly-pipeline-report.json'), 'e2eSfReport00001'),
			onEspoCrm(example('04-weekly-pipeline-report.json'), 'e2eEspoReport001'),
			...parts.flatMap((part) => part.workflows(example)),
		];
		// The report examples run by hand: their schedule trigger becomes a manual trigger.
		for (const report of workflows.filter((w) => ['e2eWeeklyReport4', 'e2eSfReport00001', 'e2eEspoReport001'].includes(w.id))) {
			report.nodes[0] = { id: 'd1', name: 'Every Monday 8:00', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		}
		const credentials = [hubspotCredential(hubspot), ...(await salesforceCredentials(salesforce, `http://127.0.0.1:${port}`)), espocrmCredential(espocrm), ...parts.flatMap((part) => part.credentials())];
		await importIntoN8n(rt, env, userFolder, credentials, workflows);

		// Headless executions.
		let t = Date.now();
		const classic = parseRun(await n8n(rt, env, ['execute', '--id=e2eClassic00001', '--rawOutput']));
		const runData = classic.data.resultData.runData;
		const lead = runData['Create Lead'][0].data.main[0][0].json;
		check('classic workflow: lead created and moved to "Connected" by name', runData['Update Status'][0].data.main[0][0].json.status === 'CONNECTED' && hubspot.getObject('contacts', lead.id).properties.hs_lead_status === 'CONNECTED', `${Date.now() - t} ms, lead ${lead.id}`);
		// Salesforce: the classic example as shipped, on the OAuth2 credential; every session has
		// expired, so n8n must refresh the token with the stored refresh token first.
		salesforce.expireSessions();
		t = Date.now();
		const sfRun = parseRun(await n8n(rt, env, ['execute', '--id=e2eSfClassic0001', '--rawOutput'])).data.resultData.runData;
		const sfLead = sfRun['Create Lead'][0].data.main[0][0].json;
		const refreshed = salesforce.requests.filter((r) => r.path === '/services/oauth2/token' && r.body.grant_type === 'refresh_token' && r.status === 200);
		check('Salesforce classic example: John Doe created, then "Qualified" by name (OAuth2 token refreshed by n8n)', sfRun['Update Status'][0].data.main[0][0].json.status === 'Qualified' && (salesforce.get('Lead', sfLead.id) || {}).Status === 'Qualified' && salesforce.get('Lead', sfLead.id).Company === 'Acme Corp' && refreshed.length === 1, `${Date.now() - t} ms, lead ${sfLead.id}`);
		hubspot.createObject('deals', { dealname: 'Open one', pipeline: 'default', dealstage: 'contractsent', amount: '5000' });
		t = Date.now();
		const reportRun = parseRun(await n8n(rt, env, ['execute', '--id=e2eWeeklyReport4', '--rawOutput'])).data.resultData.runData['Pipeline Report'][0].data.main[0];
		const summary = reportRun[reportRun.length - 1];
		check('report example: rows and summary with html/csv/png files', reportRun.some((i) => i.json.stage === 'Contract sent' && i.json.amount === 5000) && ['html', 'csv', 'chartPng'].every((k) => summary.binary && summary.binary[k]), `${Date.now() - t} ms`);
		// The same report on Salesforce and on EspoCRM (switched by credential), from deals made there.
		salesforce.insert('Opportunity', { Name: 'Open one', StageName: 'Contract sent', CloseDate: '2026-12-31', Amount: 5000 });
		espocrm.createRecord('Opportunity', { name: 'Open one', stage: 'Contract sent', amount: 5000, amountCurrency: 'EUR', closeDate: '2026-12-31' });
		for (const [id, crm] of [['e2eSfReport00001', 'Salesforce'], ['e2eEspoReport001', 'EspoCRM']]) {
			t = Date.now();
			const rows = parseRun(await n8n(rt, env, ['execute', `--id=${id}`, '--rawOutput'])).data.resultData.runData['Pipeline Report'][0].data.main[0];
			const last = rows[rows.length - 1];
			check(`report example on ${crm}: the deal's stage and amount, with html/csv/png files`, rows.some((i) => i.json.stage === 'Contract sent' && i.json.amount === 5000) && ['html', 'csv', 'chartPng'].every((k) => last.binary && last.binary[k]), `${Date.now() - t} ms`);
		}

		// Zoho CRM and Pipedrive: their manual examples.
		const execute = async (id, { allowError = false } = {}) => {
			try {
				return parseRun(await n8n(rt, env, ['execute', `--id=${id}`, '--rawOutput']));
			} catch (error) {
				// A failed workflow makes `n8n execute` exit 1 after printing its run data.
				if (!allowError || !error.stdout) throw error;
				return parseRun(`${error.stdout}`);
			}
		};
		for (const part of parts) {
			t = Date.now();
			await part.runManual({ execute, check });
			log(`${part.name}: manual examples in ${Date.now() - t} ms`);
		}

		// Active workflows in a running n8n.
		for (const id of ['e2eLeadRouting01', 'e2eTicketOpen002', 'e2eSfLeadRoute01', 'e2eSfTicketOpen1', 'e2eEspoLeadRout1', 'e2eEspoInstant01', ...parts.flatMap((part) => part.activeIds)]) await n8n(rt, env, activateCommand(line, id));
		t = Date.now();
		const n8nProcess = startN8n(rt, env);
		server = n8nProcess.child;
		serverOutput = n8nProcess.output;
		await Promise.race([n8nProcess.ready, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out waiting for n8n to start')), 180_000).unref())]);
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
		const sfQueries = (sobject) => salesforce.requests.filter((r) => r.path.endsWith('/query') && new RegExp(`FROM ${sobject}\\b`).test(String(r.query.q)));
		const sfWindowRead = (sobject) => sfQueries(sobject).some((r) => String(r.query.q).includes('CreatedDate >='));
		const espoLists = (entity) => espocrm.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/${entity}`);
		await waitFor('the first polls', async () => windowRead('contacts') && searches('tickets').length > 0 && sfWindowRead('Lead') && sfWindowRead('Case') && espoLists('Lead').length >= 2 && parts.every((part) => part.firstPollsDone()), 90_000);
		const webhook = espocrm.listWebhooks().find((w) => w.event === 'Case.create');
		check('activation registered the EspoCRM webhook for Case.create at n8n\'s production URL', Boolean(webhook) && webhook.url.startsWith(`http://127.0.0.1:${port}/webhook/`), webhook && webhook.url);
		await new Promise((r) => setTimeout(r, 3000));
		log('both triggers have polled once');
		// n8n runs a credential's preAuthentication without a lock: the two Salesforce triggers
		// activating at once may each sign in once. After that the stored token must be reused.
		const jwtGrants = () => salesforce.requests.filter((r) => r.path === '/services/oauth2/token' && String(r.body.grant_type).includes('jwt-bearer') && r.status === 200).length;
		const grantsAtActivation = jwtGrants();
		const newLead = hubspot.createObject('contacts', { email: 'nina@acme.com', firstname: 'Nina', lifecyclestage: 'lead' });
		const ticket = hubspot.createObject('tickets', { subject: 'Printer on fire', hs_pipeline: '0', hs_pipeline_stage: '1' });
		const sfNewLead = salesforce.insert('Lead', { FirstName: 'Nina', LastName: 'Novak', Company: 'Acme', Email: 'nina@acme.com' });
		const sfCase = salesforce.insert('Case', { Subject: 'Printer on fire' });
		const espoLead = espocrm.createRecord('Lead', { firstName: 'Nina', lastName: 'Novak', accountName: 'Acme', emailAddress: 'nina@acme.com' });
		const espoCase = espocrm.createRecord('Case', { name: 'Printer on fire' });
		for (const part of parts) part.act({ port, check });
		t = Date.now();
		const task = await waitFor('the lead-routing execution', async () => hubspot.listObjects('tasks').find((x) => hubspot.associations('tasks', x.id, 'contacts').includes(newLead.id) && x.properties.hs_task_subject === 'Call within 1 business day'), 100_000);
		const email = await waitFor('the welcome email', async () => hubspot.listObjects('emails').find((x) => hubspot.associations('emails', x.id, 'contacts').includes(newLead.id)), 30_000);
		check('new lead → owner, call task and welcome email written by the active workflow', hubspot.getObject('contacts', newLead.id).properties.hubspot_owner_id === task.properties.hubspot_owner_id && email.properties.hs_email_subject === 'Welcome!', `${Date.now() - t} ms after the lead was created`);
		const note = await waitFor('the ticket acknowledgement', async () => hubspot.listObjects('notes').find((x) => hubspot.associations('notes', x.id, 'tickets').includes(ticket.id)), 60_000);
		check('ticket opened → triage task and acknowledgement note', Boolean(note) && hubspot.listObjects('tasks').some((x) => x.properties.hs_task_subject === 'Triage: Printer on fire'));

		const sfTask = await waitFor('the Salesforce lead-routing execution', async () => salesforce.list('Task').find((x) => x.WhoId === sfNewLead.Id && x.Subject === 'Call within 1 business day'), 100_000);
		const sfEmail = await waitFor('the Salesforce welcome email', async () => salesforce.list('Task').find((x) => x.WhoId === sfNewLead.Id && x.TaskSubtype === 'Email'), 30_000);
		check('Salesforce new lead → owner, call task and welcome email (JWT credential)', salesforce.get('Lead', sfNewLead.Id).OwnerId === sfTask.OwnerId && sfEmail.Subject === 'Welcome!' && sfEmail.IsClosed === true);
		const sfNote = await waitFor('the Salesforce ticket acknowledgement', async () => salesforce.list('Note').find((x) => x.ParentId === sfCase.Id), 60_000);
		check('Salesforce case opened → triage task and acknowledgement note', Boolean(sfNote) && salesforce.list('Task').some((x) => x.WhatId === sfCase.Id && x.Subject === 'Triage: Printer on fire'));

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
		const sfPolls = sfQueries('Lead').length;
		await waitFor('one more Salesforce poll', async () => sfQueries('Lead').length > sfPolls, 90_000);
		check('each Salesforce event ran once', salesforce.list('Task').filter((x) => x.Subject === 'Call within 1 business day').length === 1);
		check('the JWT credential\'s token was stored by n8n and reused by every later poll and execution', grantsAtActivation >= 1 && grantsAtActivation <= 2 && jwtGrants() === grantsAtActivation, `${grantsAtActivation} grant(s) at activation, ${jwtGrants()} at the end, ${sfQueries('Lead').length + sfQueries('Case').length} trigger queries`);

		// n8n's own credential test (what "Save" runs in the credential dialog) for the JWT credential.
		// EspoCRM: the webhook delivery (signed, from EspoCRM's queue job) started the instant
		// workflow; the polling lead routing ran on EspoCRM too.
		const espoNote = await waitFor('the EspoCRM instant acknowledgement', async () => espocrm.notesOf('Case', espoCase.id).find((n) => String(n.post || '').includes('Ticket received')), 60_000);
		check('EspoCRM case → webhook delivery → triage task and acknowledgement note (instant)', Boolean(espoNote) && espocrm.listRecords('Task').some((x) => x.parentId === espoCase.id && x.name === 'Triage: Printer on fire'));
		const espoTask = await waitFor('the EspoCRM lead-routing execution', async () => espocrm.listRecords('Task').find((x) => x.parentId === espoLead.id && x.name === 'Call within 1 business day'), 100_000);
		check('EspoCRM new lead (polled) → owner and call task', espocrm.getRecord('Lead', espoLead.id).assignedUserId === espoTask.assignedUserId);
		const forged = await fetch(webhook.url, { method: 'POST', headers: { 'content-type': 'application/json', signature: Buffer.from(`${webhook.id}:${'0'.repeat(64)}`).toString('base64') }, body: JSON.stringify([{ id: espoCase.id, name: 'Forged' }]) });
		const unsigned = await fetch(webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id: espoCase.id, name: 'Unsigned' }]) });
		await new Promise((r) => setTimeout(r, 2000));
		check('a forged and an unsigned delivery get 401 and start nothing', forged.status === 401 && unsigned.status === 401 && espocrm.listRecords('Task').filter((x) => x.name === 'Triage: Printer on fire' && x.parentId === espoCase.id).length === 1, `${forged.status}/${unsigned.status}`);

		for (const part of parts) await part.verify({ check, waitFor });

		const jwtTest = await fetch(`${base}/rest/credentials/test`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({ credentials: { ...credentials[2], data: credentials[2].data } }),
		});
		const jwtTestBody = await jwtTest.json().catch(() => ({}));
		check('n8n\'s credential test passes for the Salesforce JWT credential', jwtTest.ok && jwtTestBody.data && jwtTestBody.data.status === 'OK', JSON.stringify(jwtTestBody).slice(0, 300));
		if (withEditor) {
			t = Date.now();
			await checkEditor({ base, email: 'owner@example.com', password: 'Demo-password-1', routingId: 'e2eLeadRouting01', stageChangeId: 'e2eStageChange03', salesforceClassicId: 'e2eSfClassic0001' });
			check('editor: examples open, CRM node pickers show, users and Salesforce lead statuses load from the sandboxes (artifacts/editor-*.png)', true, `${Date.now() - t} ms`);
		}
		check('no request broke the documented HubSpot schemas', hubspot.violations.length === 0, hubspot.violations.slice(0, 3).join('; '));
		check('no request broke the documented Salesforce schemas', salesforce.violations.length === 0, salesforce.violations.slice(0, 3).join('; '));
		check('no request broke the documented EspoCRM schemas', espocrm.violations.length === 0, espocrm.violations.slice(0, 3).join('; '));
		for (const part of parts) check(`no request broke the documented ${part.name} schemas`, part.violations().length === 0, part.violations().slice(0, 3).join('; '));
	} catch (error) {
		if (server) console.error(`--- n8n output ---\n${serverOutput().slice(-6000)}`);
		throw error;
	} finally {
		await stopN8n(server);
		await hubspot.stop();
		await salesforce.stop();
		await espocrm.stop();
		for (const part of parts) await part.stop();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log(summary());
	log(`done in ${seconds} s on ${rt.version}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
