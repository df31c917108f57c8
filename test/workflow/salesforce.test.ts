/* eslint-disable */
// Salesforce inside n8n's execution engine (n8n-core, in-process): the classic example (create a
// lead, move it to "Qualified" by name), signing in with the JWT bearer flow and with OAuth2, the
// session expiring mid-run (INVALID_SESSION_ID renewed by n8n through the credential), a bad key,
// and reports from the org's data.
import * as fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';

import { CRM_REPORT_TYPE, CRM_TRIGGER_TYPE, CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { EXAMPLE_PROCESS, SalesforceSandbox } from '../helpers/providers';
import { switchProvider } from '../helpers/switchProvider';
import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { CrmReport } from '../../nodes/CrmReport/CrmReport.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const jwt = new SalesforceSandbox('jwt');
const oauth = new SalesforceSandbox('oAuth2');
beforeAll(async () => {
	await jwt.start();
	await oauth.start();
});
afterAll(async () => {
	await jwt.stop();
	await oauth.stop();
});
beforeEach(async () => {
	for (const s of [jwt, oauth]) {
		await s.reset();
		s.salesforce.setPicklist('LeadStatus', EXAMPLE_PROCESS.LeadStatus as any);
	}
	resetLimiters();
});
afterEach(() => {
	expect(jwt.violations()).toEqual([]);
	expect(oauth.violations()).toEqual([]);
});

const NODE_TYPES = () => ({ [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), [CRM_REPORT_TYPE]: new CrmReport(), 'test.items': itemsNode });
const classic = () => JSON.parse(fs.readFileSync('examples/05-create-lead-then-qualify.json', 'utf8'));

function run(sandbox: SalesforceSandbox, workflow: any) {
	const moved = switchProvider(workflow, sandbox.target);
	return runWorkflow({ workflow: { nodes: moved.nodes, connections: moved.connections }, nodeTypes: NODE_TYPES(), credentialTypes: sandbox.credentialTypes, credentials: sandbox.credentials });
}
const out = (result: any, node: string) => (result.nodes[node]?.items[0] ?? []).map((i: any) => i.json);
const tokenGrants = (s: SalesforceSandbox, grant: string) => s.salesforce.requests.filter((r) => r.path === '/services/oauth2/token' && r.body.grant_type === grant);

test('classic example on OAuth2 as shipped: John Doe created, then moved to "Qualified" by name', async () => {
	const result = await runWorkflow({ workflow: classic(), nodeTypes: NODE_TYPES(), credentialTypes: oauth.credentialTypes, credentials: oauth.credentials });
	expect(result.error).toBeUndefined();
	const [lead] = out(result, 'Create Lead');
	expect(lead).toMatchObject({ firstName: 'John', lastName: 'Doe', company: 'Acme Corp', email: 'john.doe@acme.com', phone: '123-456-7890', status: 'Open - Not Contacted' });
	expect(out(result, 'Update Status')[0]).toMatchObject({ id: lead.id, status: 'Qualified', stage: { name: 'Qualified' }, previousStage: { name: 'Open - Not Contacted' }, changed: true });
	expect(oauth.salesforce.get('Lead', lead.id)).toMatchObject({ Status: 'Qualified', Company: 'Acme Corp', Phone: '123-456-7890' });
});

test('JWT: one token grant, reused; an expired session is renewed by n8n mid-run and the run completes', async () => {
	const first = await run(jwt, classic());
	expect(first.error).toBeUndefined();
	expect(tokenGrants(jwt, 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toHaveLength(1);
	// The grant's token and instance were saved with the credential (as n8n does).
	expect(jwt.credentials.crmSalesforceJwtApi).toMatchObject({ instanceUrl: jwt.salesforce.baseUrl, accessToken: expect.stringMatching(/.+/) });
	const second = await run(jwt, classic());
	expect(second.error).toBeUndefined();
	expect(tokenGrants(jwt, 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toHaveLength(1);

	// The org's session timeout ends every session between two calls of one run.
	let expired = false;
	jwt.salesforce.onRequest((request) => {
		if (!expired && request.path.endsWith('/composite/sobjects') && request.method === 'POST') {
			expired = true;
			jwt.salesforce.expireSessions();
		}
	});
	const third = await run(jwt, classic());
	jwt.salesforce.onRequest(undefined);
	expect(third.error).toBeUndefined();
	expect(out(third, 'Update Status')[0].status).toBe('Qualified');
	expect(jwt.salesforce.requests.some((r) => r.status === 401)).toBe(true);
	expect(tokenGrants(jwt, 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toHaveLength(2);
	expect(jwt.salesforce.list('Lead')).toHaveLength(3);
	// The JWT's claims: consumer key, username, audience, expiry within 3 minutes.
	const assertion = tokenGrants(jwt, 'urn:ietf:params:oauth:grant-type:jwt-bearer')[0].body.assertion;
	const claims = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString());
	expect(claims).toMatchObject({ iss: '3MVG9sandbox.consumer.key', sub: 'integration@example.com.sandbox', aud: jwt.salesforce.baseUrl });
	expect(claims.exp * 1000 - Date.now()).toBeLessThanOrEqual(180_000);
});

test('OAuth2: an expired session is refreshed with the refresh token and the new token is saved', async () => {
	const signedIn = (oauth.credentials.crmSalesforceOAuth2Api.oauthTokenData as any).access_token;
	oauth.salesforce.expireSessions();
	const result = await run(oauth, classic());
	expect(result.error).toBeUndefined();
	expect(tokenGrants(oauth, 'refresh_token')).toHaveLength(1);
	const saved = oauth.credentials.crmSalesforceOAuth2Api.oauthTokenData as any;
	expect(saved.access_token).not.toBe(signedIn);
	expect(saved.refresh_token).toMatch(/^5Aep/);
	// n8n sent the client credentials as HTTP Basic auth ("authentication: header").
	expect(tokenGrants(oauth, 'refresh_token')[0].headers.authorization).toMatch(/^Basic /);
});

test('JWT with a key the app does not know: a clear sign-in error, nothing written', async () => {
	const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
	jwt.credentials.crmSalesforceJwtApi.privateKey = other.privateKey;
	const result = await run(jwt, classic());
	const error = result.nodes['Create Lead'].error as any;
	expect(String(error?.message ?? result.error?.message)).toMatch(/Salesforce refused the JWT sign-in \(invalid_grant/);
	expect(jwt.salesforce.list('Lead')).toHaveLength(0);
});

test('an org where "Qualified" is the converted status: the lead is created, the move fails with what is possible', async () => {
	oauth.salesforce.setPicklist('LeadStatus', ['New', 'Working', 'Nurturing', { MasterLabel: 'Qualified', IsConverted: true }, 'Unqualified'] as any);
	const result = await run(oauth, classic());
	const error = result.nodes['Update Status'].error as any;
	expect(error.message).toBe('Item 0: "Qualified" is a converted lead status: Salesforce sets it only when the lead is converted');
	expect(error.description).toContain('Statuses a lead can be moved to: "New", "Working", "Nurturing", "Unqualified"');
	expect(oauth.salesforce.list('Lead')[0].Status).toBe('New');
});

test('reports from the org: pipeline by stage, funnel from OpportunityHistory, ticket SLA with first responses', async () => {
	const sf = jwt.salesforce;
	let now = Date.parse('2026-11-02T09:00:00Z'); // a Monday
	sf.setClock(() => now);
	const a = sf.insert('Opportunity', { Name: 'A', StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 1000 });
	now += 86_400_000;
	sf.update('Opportunity', a.Id, { StageName: 'Qualification' });
	sf.insert('Opportunity', { Name: 'B', StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 500 });
	now += 86_400_000;
	sf.update('Opportunity', a.Id, { StageName: 'Needs Analysis' });
	// A case opened Tuesday 9:00, first answered by email at 10:30, closed at 13:00.
	now = Date.parse('2026-11-03T09:00:00Z');
	const ticket = sf.insert('Case', { Subject: 'Broken', Priority: 'High' });
	now = Date.parse('2026-11-03T10:30:00Z');
	sf.insert('EmailMessage', { ParentId: ticket.Id, Incoming: false, MessageDate: '2026-11-03T10:30:00.000Z', Subject: 'Re: Broken', TextBody: 'On it', Status: '3', ToAddress: 'c@x.com', FromAddress: 'ana@example.com' });
	now = Date.parse('2026-11-03T13:00:00Z');
	sf.update('Case', ticket.Id, { Status: 'Closed' });
	// The JWT grant is checked against the org's real clock.
	sf.setClock(Date.now);
	const pipeline = await run(jwt, { nodes: [{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, { id: 'r', name: 'Report', type: CRM_REPORT_TYPE, typeVersion: 1, position: [200, 0], parameters: { dataSource: 'crm', report: 'pipeline', period: 'thisMonth', files: [] } }], connections: { Start: { main: [[{ node: 'Report', type: 'main', index: 0 }]] } } });
	expect(pipeline.error).toBeUndefined();
	const rows = out(pipeline, 'Report').filter((r: any) => r.type !== 'summary');
	expect(rows.map((r: any) => [r.stage, r.count, r.amount, r.probability])).toEqual([
		['Prospecting', 1, 500, 0.1],
		['Needs Analysis', 1, 1000, 0.2],
	]);
	const funnel = await run(jwt, { nodes: [{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, { id: 'r', name: 'Report', type: CRM_REPORT_TYPE, typeVersion: 1, position: [200, 0], parameters: { dataSource: 'crm', report: 'funnel', period: 'custom', start: '2026-11-01', end: '2026-11-30', files: [] } }], connections: { Start: { main: [[{ node: 'Report', type: 'main', index: 0 }]] } } });
	expect(funnel.error).toBeUndefined();
	const reached = Object.fromEntries(out(funnel, 'Report').filter((r: any) => r.type !== 'summary').map((r: any) => [r.stage, r.reached]));
	// A went Prospecting → Qualification → Needs Analysis (history), B only Prospecting.
	expect(reached).toMatchObject({ Prospecting: 2, Qualification: 1, 'Needs Analysis': 1 });
	expect(sf.requests.some((r) => r.path.endsWith('/query') && String(r.query.q).includes('FROM OpportunityHistory'))).toBe(true);
	const sla = await run(jwt, { nodes: [{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, { id: 'r', name: 'Report', type: CRM_REPORT_TYPE, typeVersion: 1, position: [200, 0], parameters: { dataSource: 'crm', report: 'ticketSla', period: 'custom', start: '2026-11-01', end: '2026-11-30', timeZone: 'UTC', files: [] } }], connections: { Start: { main: [[{ node: 'Report', type: 'main', index: 0 }]] } } });
	expect(sla.error).toBeUndefined();
	const [high] = out(sla, 'Report').filter((r: any) => r.type !== 'summary');
	expect(high).toMatchObject({ priority: 'high', tickets: 1, medianFirstResponseHours: 1.5, medianResolutionHours: 4 });
});

test('250 deal stage updates by name take 6 HTTP calls: stage list, describe, 1 retrieve, 2 collection updates (200 + 50), 1 read-back', async () => {
	const sf = jwt.salesforce;
	const ids = Array.from({ length: 250 }, (_, i) => sf.insert('Opportunity', { Name: `Deal ${i}`, StageName: 'Prospecting', CloseDate: '2026-12-31' }).Id);
	const workflow = {
		nodes: [
			{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'i', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(ids.map((id) => ({ id }))) } },
			{ id: 'u', name: 'Update Stage', type: CRM_TYPE, typeVersion: 1, position: [400, 0], parameters: { resource: 'deal', operation: 'updateStage', recordId: '={{ $json.id }}', stage: { __rl: true, mode: 'name', value: 'Needs Analysis' } } },
		],
		connections: { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] }, Items: { main: [[{ node: 'Update Stage', type: 'main', index: 0 }]] } },
	};
	// Sign in first, so the count below is the operation's own.
	await run(jwt, classic());
	const before = sf.requests.length;
	const result = await run(jwt, workflow);
	expect(result.error).toBeUndefined();
	const calls = sf.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\/services\/data\/v[\d.]+/, '')}${r.path.endsWith('/query') ? ` ${String(r.query.q).split(' FROM ')[1].split(' ')[0]}` : ''}`);
	expect(calls.sort()).toEqual(
		[
			'GET /query OpportunityStage',
			'GET /sobjects/Opportunity/describe',
			'POST /composite/sobjects/Opportunity',
			'PATCH /composite/sobjects',
			'PATCH /composite/sobjects',
			'POST /composite/sobjects/Opportunity',
		].sort(),
	);
	expect(sf.requests.slice(before).filter((r) => r.method === 'PATCH').map((r) => r.body.records.length)).toEqual([200, 50]);
	expect(ids.every((id) => sf.get('Opportunity', id)!.StageName === 'Needs Analysis')).toBe(true);
	expect(out(result, 'Update Stage')).toHaveLength(250);
	console.log(`Salesforce: 250 stage updates by name = ${calls.length} HTTP calls`);
});
