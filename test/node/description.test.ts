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
	expect(picker.options.map((o: any) => o.value)).toEqual(['espocrm']);
	expect(picker.default).toBe('espocrm');
	expect(webhook.credentials.map((c: any) => c.name)).toEqual(['crmEspoCrmApi']);
	expect(webhook.usableAsTool).toBeUndefined();
	expect(webhook.inputs).toEqual([]);
});
