/* eslint-disable */
// `npm run demo`: the package's main job, end to end on this machine. Starts the local HubSpot
// sandbox, runs the example workflows through n8n's execution engine (n8n-core), and prints what
// each node did and how many HTTP calls it took.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startHubSpotServer } from '../sandbox/hubspot/server';
import { chain, outputOf, runCrmWorkflow } from '../helpers/crmWorkflow';

const LOG = path.resolve('test-output', 'demo-requests.jsonl');

function table(rows: Array<Record<string, unknown>>) {
	console.table(rows);
}

async function main() {
	fs.mkdirSync(path.dirname(LOG), { recursive: true });
	fs.rmSync(LOG, { force: true });
	const port = Number(process.env.DEMO_SANDBOX_PORT ?? 0);
	const hubspot = await startHubSpotServer({ port, requestLog: LOG });
	const credential = { baseUrl: hubspot.baseUrl, token: hubspot.token };
	console.log(`HubSpot sandbox: ${hubspot.baseUrl} (token "${hubspot.token}")\n`);

	try {
		console.log('1) New lead routing: create lead → assign owner (round-robin) → assign task → welcome email → update status');
		const leads = [
			{ first: 'John', last: 'Doe', email: 'john.doe@acme.com', company: 'Acme Corp' },
			{ first: 'Jane', last: 'Roe', email: 'jane.roe@globex.com', company: 'Globex' },
			{ first: 'Max', last: 'Mustermann', email: 'max@muster.de', company: 'Muster GmbH' },
		];
		const routing = chain(
			[
				{ name: 'Create Lead', parameters: { resource: 'lead', operation: 'create', email: '={{ $json.email }}', fields: { firstName: '={{ $json.first }}', lastName: '={{ $json.last }}', company: '={{ $json.company }}' } } },
				{ name: 'Assign Owner', parameters: { resource: 'lead', operation: 'assignOwner', recordId: '={{ $json.id }}', strategy: 'roundRobin', users: ['ana@example.com', 'ben@example.com'] } },
				{ name: 'Assign Task', parameters: { resource: 'task', operation: 'assign', subject: 'Call within 1 business day', relatedType: 'lead', relatedId: '={{ $json.id }}', due: 'in 1 business day at 10:00', strategy: 'specific', user: { __rl: true, mode: 'email', value: "={{ $('Assign Owner').item.json.assignedTo.email }}" }, options: { timeZone: 'Europe/Berlin' } } },
				{ name: 'Welcome Email', parameters: { resource: 'message', operation: 'send', channel: 'email', delivery: 'log', relatedType: 'contact', relatedId: "={{ $('Create Lead').item.json.id }}", subject: 'Welcome!', body: "=Hi {{ $('Create Lead').item.json.firstName }}, thanks for reaching out.", options: { dedupeKey: "=welcome-{{ $('Create Lead').item.json.id }}" } } },
				{ name: 'Update Status', parameters: { resource: 'lead', operation: 'updateStatus', recordId: "={{ $('Create Lead').item.json.id }}", stage: { __rl: true, mode: 'name', value: 'Attempted to contact' }, allowedTransitions: 'New → Attempted to contact → Connected' } },
			],
			leads,
		);
		const before = hubspot.requests.length;
		const run = await runCrmWorkflow(routing, credential);
		if (run.error) throw run.error;
		const owners = outputOf(run, 'Assign Owner');
		const tasks = outputOf(run, 'Assign Task');
		const mails = outputOf(run, 'Welcome Email');
		const status = outputOf(run, 'Update Status');
		table(
			outputOf(run, 'Create Lead').map((lead, i) => ({
				lead: `${lead.name} <${lead.email}>`,
				id: lead.id,
				owner: (owners[i].assignedTo as any).email,
				task: `${tasks[i].subject} (due ${tasks[i].dueAt})`,
				email: mails[i].delivery,
				status: (status[i].stage as any).name,
			})),
		);
		console.log(`   HTTP calls: ${hubspot.requests.length - before}\n`);

		console.log('2) 250 deals moved to "Contract sent" by name');
		const ids = Array.from({ length: 250 }, (_, i) => String(hubspot.createObject('deals', { dealname: `Deal ${i}`, pipeline: 'default', dealstage: 'appointmentscheduled', amount: '1000' }).id));
		const start = hubspot.requests.length;
		const moved = await runCrmWorkflow(
			chain([{ name: 'Update Stage', parameters: { resource: 'deal', operation: 'updateStage', recordId: '={{ $json.id }}', stage: { __rl: true, mode: 'list', value: 'Contract sent' } } }], ids.map((id) => ({ id }))),
			credential,
		);
		if (moved.error) throw moved.error;
		const calls = hubspot.requests.slice(start);
		const byEndpoint: Record<string, number> = {};
		for (const call of calls) byEndpoint[`${call.method} ${call.path}`] = (byEndpoint[`${call.method} ${call.path}`] ?? 0) + 1;
		table(Object.entries(byEndpoint).map(([endpoint, count]) => ({ endpoint, count })));
		const inStage = ids.filter((id) => hubspot.getObject('deals', id).properties.dealstage === 'contractsent').length;
		console.log(`   ${outputOf(moved, 'Update Stage').length} items out, ${inStage} deals now in "Contract sent", ${calls.length} HTTP calls in total`);
		console.log(`\nRequest log (JSONL): ${LOG}`);
		if (hubspot.violations.length) {
			console.error('Requests that did not match HubSpot\'s documented schemas:', hubspot.violations);
			process.exitCode = 1;
		}
	} finally {
		await hubspot.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
