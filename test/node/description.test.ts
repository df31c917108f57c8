/* eslint-disable */
// The node description and the router agree, and the package wiring matches what n8n loads.
import * as fs from 'node:fs';

import { Crm } from '../../nodes/Crm/Crm.node';
import { HANDLERS } from '../../nodes/Crm/actions/handlers';
import { CrmHubSpotApi } from '../../credentials/CrmHubSpotApi.credentials';
import { PROVIDERS } from '../../nodes/shared/providers/registry';

const description = new Crm().description;
const operationProps = description.properties.filter((p) => p.name === 'operation');

test('every resource/operation in the editor has a handler, and every handler is reachable', () => {
	const listed = operationProps.flatMap((p) =>
		(p.options as Array<{ value: string }>).map((o) => `${p.displayOptions!.show!.resource![0]}.${o.value}`),
	);
	expect(listed.sort()).toEqual(Object.keys(HANDLERS).sort());
	const resources = (description.properties.find((p) => p.name === 'resource')!.options as Array<{ value: string }>).map((o) => o.value);
	expect(new Set(operationProps.map((p) => p.displayOptions!.show!.resource![0]))).toEqual(new Set(resources));
});

test('the node is usable as a tool, and each provider shows its own credential', () => {
	expect(description.usableAsTool).toBe(true);
	expect(description.credentials).toEqual(
		PROVIDERS.flatMap((p) => p.authentications.map((a) => ({ name: a.credentialType, required: true, displayOptions: { show: { provider: [a.value] } } }))),
	);
	const providerOptions = description.properties.find((p) => p.name === 'provider')!.options as Array<{ value: string }>;
	expect(providerOptions.map((o) => o.value)).toEqual(PROVIDERS.flatMap((p) => p.authentications.map((a) => a.value)));
	expect(providerOptions.map((o) => o.value)).toEqual(expect.arrayContaining(['hubspot', 'salesforce', 'salesforceJwt']));
	// No other node parameter decides which credential shows: n8n's editor then treats the CRM
	// picker as the node's authentication field, and lists every CRM's credentials in one place.
	expect(new Set(description.credentials!.flatMap((c) => Object.keys(c.displayOptions!.show!)))).toEqual(new Set(['provider']));
});

test('the HubSpot credential authenticates with a bearer header and has a working test request', () => {
	const credential = new CrmHubSpotApi();
	expect(credential.name).toBe(PROVIDERS.find((p) => p.id === 'hubspot')!.authentications[0].credentialType);
	expect(credential.authenticate).toEqual({ type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } } });
	expect(credential.test.request).toMatchObject({ url: '/crm/v3/owners', qs: { limit: 1 } });
	expect(credential.documentationUrl).toMatch(/^https:\/\//);
	expect(credential.properties.find((p) => p.name === 'accessToken')!.typeOptions).toEqual({ password: true });
});

test('package.json lists every node and credential under dist/, with no runtime dependencies', () => {
	const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
	expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	// Every credential file is listed, and nothing else.
	const credentialFiles = fs.readdirSync('credentials').filter((f) => f.endsWith('.credentials.ts'));
	expect([...pkg.n8n.credentials].sort()).toEqual(credentialFiles.map((f) => `dist/credentials/${f.replace(/\.ts$/, '.js')}`).sort());
	// Every node folder's node is listed.
	const nodeFiles = fs.readdirSync('nodes').filter((d) => fs.existsSync(`nodes/${d}/${d}.node.ts`));
	expect([...pkg.n8n.nodes].sort()).toEqual(nodeFiles.map((d) => `dist/nodes/${d}/${d}.node.js`).sort());
	expect(pkg.n8n.nodes).toEqual(expect.arrayContaining(['dist/nodes/Crm/Crm.node.js', 'dist/nodes/CrmTrigger/CrmTrigger.node.js', 'dist/nodes/CrmReport/CrmReport.node.js']));
	// Every credential type a provider signs in with is defined by a listed credential class.
	const sources = credentialFiles.map((f) => fs.readFileSync(`credentials/${f}`, 'utf8')).join('\n');
	for (const type of PROVIDERS.flatMap((p) => p.authentications.map((a) => a.credentialType))) expect(sources).toContain(`name = '${type}'`);
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.keywords).toContain('n8n-community-node-package');
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const source = file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		expect(fs.existsSync(source)).toBe(true);
	}
});

test('the CRM Webhook Trigger offers only CRMs that register webhooks by API, with their credentials', () => {
	const { CrmWebhookTrigger } = require('../../nodes/CrmWebhookTrigger/CrmWebhookTrigger.node');
	const webhook = new CrmWebhookTrigger().description;
	const picker = webhook.properties.find((p: any) => p.name === 'provider');
	expect(picker.options.map((o: any) => o.value)).toEqual(['espocrm', 'zoho', 'pipedrive']);
	expect(picker.default).toBe('espocrm');
	expect(webhook.credentials.map((c: any) => c.name)).toEqual(['crmEspoCrmApi', 'crmZohoOAuth2Api', 'crmPipedriveApi']);
	expect(webhook.usableAsTool).toBeUndefined();
	expect(webhook.inputs).toEqual([]);
});

// ── What the editor shows (issue 11) ────────────────────────────────────────────────────────
const { CrmTrigger } = require('../../nodes/CrmTrigger/CrmTrigger.node');
const { CrmReport } = require('../../nodes/CrmReport/CrmReport.node');
const { CrmWebhookTrigger } = require('../../nodes/CrmWebhookTrigger/CrmWebhookTrigger.node');
const { readableOrder } = require('../../nodes/shared/node/itemOrder');
const { eventItem } = require('../../nodes/shared/node/eventItems');

/** The subtitle expression evaluated on a node's parameters (plain JS: it uses no n8n extensions). */
function subtitleOf(node: { description: { subtitle?: string } }, parameters: Record<string, unknown>): string {
	const body = node.description.subtitle!.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$parameter', `return ${body}`)(parameters);
}

test('canvas subtitles show option names and the CRM, not internal values', () => {
	expect(subtitleOf(new Crm(), { provider: 'hubspot', resource: 'lead', operation: 'assignOwner' })).toBe('Assign Owner · Lead · HubSpot');
	expect(subtitleOf(new Crm(), { provider: 'salesforceJwt', resource: 'deal', operation: 'updateStage' })).toBe('Update Stage · Deal · Salesforce');
	expect(subtitleOf(new Crm(), { provider: 'espocrm', resource: 'message', operation: 'send' })).toBe('Send · Message · EspoCRM');
	expect(subtitleOf(new CrmTrigger(), { provider: 'hubspot', event: 'dealStageChanged' })).toBe('Deal Stage Changed · HubSpot');
	expect(subtitleOf(new CrmWebhookTrigger(), { provider: 'espocrm', event: 'newLead' })).toBe('New Lead · EspoCRM');
	expect(subtitleOf(new CrmReport(), { provider: 'salesforce', dataSource: 'crm', report: 'winLoss' })).toBe('Win / Loss · Salesforce');
	expect(subtitleOf(new CrmReport(), { provider: 'salesforce', dataSource: 'input', report: 'pipeline' })).toBe('Pipeline · Input Items');
	// An expression or an unknown value is shown as it is rather than as "undefined".
	expect(subtitleOf(new Crm(), { provider: 'hubspot', resource: 'lead', operation: 'later' })).toBe('lead.later · HubSpot');
	// Every resource/operation pair has a label.
	for (const key of Object.keys(HANDLERS)) {
		const [resource, operation] = key.split('.');
		expect(subtitleOf(new Crm(), { provider: 'hubspot', resource, operation })).not.toContain(key);
	}
});

test('each node names the CRM it works on in a notice, one per CRM picker option', () => {
	for (const node of [new Crm(), new CrmTrigger(), new CrmReport(), new CrmWebhookTrigger()]) {
		const picker = node.description.properties.find((p: any) => p.name === 'provider');
		const notices = node.description.properties.filter((p: any) => p.type === 'notice' && p.name.startsWith('crmNotice_'));
		expect(notices.map((n: any) => n.displayOptions.show.provider)).toEqual(picker.options.map((o: any) => [o.value]));
		for (const [i, notice] of notices.entries()) expect(notice.displayName).toContain(`<b>${picker.options[i].name}</b>`);
	}
	const report = new CrmReport().description.properties.find((p: any) => p.name === 'crmNotice_hubspot');
	expect(report.displayOptions.show.dataSource).toEqual(['crm']);
});

test('every node has its own light and dark icon, and each CRM credential its own', () => {
	const nodes = [new Crm(), new CrmTrigger(), new CrmReport(), new CrmWebhookTrigger()].map((n) => n.description.icon);
	const files = (icon: any) => [icon.light, icon.dark].map((f: string) => `icons/${f.replace(/^file:(\.\.\/)+icons\//, '')}`);
	expect(new Set(nodes.map((icon: any) => icon.light)).size).toBe(4);
	const credentialIcons = fs.readdirSync('credentials').map((f) => {
		const exported = require(`../../credentials/${f}`);
		const Credential = Object.values(exported).find((v: any) => typeof v === 'function' && /^Crm/.test(v.name)) as any;
		return new Credential().icon;
	});
	expect(new Set(credentialIcons.map((icon) => icon.light)).size).toBe(5); // HubSpot, Salesforce (both sign-ins), EspoCRM, Zoho CRM, Pipedrive
	for (const icon of [...nodes, ...credentialIcons]) {
		const [light, dark] = files(icon);
		expect(light).not.toBe(dark);
		for (const file of [light, dark]) expect(fs.readFileSync(file, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 60 60">/);
	}
});

test('resource locator mode names fit the editor\'s mode selector, and record IDs are marked required', () => {
	const modes = description.properties.filter((p) => p.type === 'resourceLocator').flatMap((p) => p.modes!.map((m) => m.displayName));
	expect(modes.length).toBeGreaterThan(0);
	// "By Name or ID" (13 characters) showed cut to "By Name"; n8n's own modes are "From List", "By ID", "By URL".
	for (const mode of modes) expect(mode.length).toBeLessThanOrEqual(9);
	const dealId = description.properties.find((p) => p.name === 'recordId' && p.displayOptions!.show!.resource![0] === 'deal')!;
	expect(dealId).toMatchObject({ displayName: 'Deal ID', required: true });
	expect(dealId.displayOptions!.show!.operation).toContain('updateStage');
});

test('output items put the useful fields first and the vendor record last', () => {
	const ordered = readableOrder({ id: '1', provider: 'hubspot', url: 'u', raw: { big: true }, createdAt: 'c', lastName: 'Doe', stage: { name: 'Won' }, status: 'won', extra: 1 });
	expect(Object.keys(ordered)).toEqual(['id', 'stage', 'status', 'lastName', 'extra', 'createdAt', 'url', 'provider', 'raw']);
	expect(ordered).toEqual({ id: '1', provider: 'hubspot', url: 'u', raw: { big: true }, createdAt: 'c', lastName: 'Doe', stage: { name: 'Won' }, status: 'won', extra: 1 });
	const item = eventItem(
		{ type: 'dealStageChanged', key: 'k', at: 0, record: { id: '7', provider: 'hubspot', raw: { x: 1 }, name: 'Big', stageName: 'Won' }, stage: { id: 's', name: 'Won' }, previous: { id: 'p', name: 'Open' } } as any,
		'hubspot',
	);
	expect(Object.keys(item.json)).toEqual(['type', 'occurredAt', 'stage', 'previous', 'record', 'provider', 'eventKey', 'raw']);
	expect(Object.keys(item.json.record as object)).toEqual(['id', 'name', 'stageName', 'provider']);
});

test('the node panel: codex files (aliases) ship in dist, and the entry n8n merges from CRM and CRM Trigger is described for both', () => {
	const gulp = fs.readFileSync('gulpfile.js', 'utf8');
	expect(gulp).toContain("'nodes/**/*.node.json'");
	for (const dir of ['Crm', 'CrmTrigger', 'CrmReport', 'CrmWebhookTrigger']) {
		const codex = JSON.parse(fs.readFileSync(`nodes/${dir}/${dir}.node.json`, 'utf8'));
		expect(codex.node).toBe(`n8n-nodes-crm-automation.${dir[0].toLowerCase()}${dir.slice(1)}`);
		expect(codex.alias.length).toBeGreaterThan(0);
	}
	// n8n shows the trigger's description for the merged "CRM" entry (node name minus "Trigger").
	expect(new CrmTrigger().description.name.replace('Trigger', '')).toBe(description.name);
	expect(new CrmTrigger().description.description).toMatch(/act on them, or start a workflow/);
});
