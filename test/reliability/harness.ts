/* eslint-disable */
// Runs one CRM node step on a sandbox reached through the write-fault proxy, the workflow switched
// to each CRM by credential as a user does.
import type { IDataObject } from 'n8n-workflow';

import { CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF, HubSpotSandbox, SalesforceSandbox } from '../helpers/providers';
import type { CrmSandbox } from '../helpers/providers';
import { switchProvider } from '../helpers/switchProvider';
import { EspoCrmSandbox } from '../sandbox/espocrm/crmSandbox';
import { Crm } from '../../nodes/Crm/Crm.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';
import { FaultProxy } from '../helpers/faultProxy';

export interface Target {
	name: 'hubspot' | 'salesforce' | 'espocrm' | 'zoho' | 'pipedrive';
	sandbox: CrmSandbox;
	proxy: FaultProxy;
}

/** The credential fields that hold the CRM's address, per credential type. */
const URL_FIELD: Record<string, string> = { crmHubSpotApi: 'baseUrl', crmSalesforceJwtApi: 'myDomainUrl', crmEspoCrmApi: 'siteUrl', crmPipedriveApi: 'companyDomain' };

export function newTargets(): Target[] {
	return [
		{ name: 'hubspot', sandbox: new HubSpotSandbox(), proxy: undefined as any },
		{ name: 'salesforce', sandbox: new SalesforceSandbox('jwt'), proxy: undefined as any },
		{ name: 'espocrm', sandbox: new EspoCrmSandbox(CREDENTIAL_REF, 'hmac'), proxy: undefined as any },
	];
}

export function baseUrlOf(sandbox: CrmSandbox): string {
	const s = sandbox as any;
	return (s.hubspot ?? s.salesforce ?? s.espo ?? s.zoho ?? s.pd).baseUrl;
}

export async function startTarget(target: Target): Promise<void> {
	await target.sandbox.start();
	target.proxy = await new FaultProxy({ target: baseUrlOf(target.sandbox) }).start();
	// Salesforce's JWT audience and token answer name the org's address: the sandbox is told the
	// proxy's, so sign-in and every API call go through the proxy.
	if (target.name === 'salesforce') (target.sandbox as any).salesforce.baseUrl = target.proxy.baseUrl;
}

export async function stopTarget(target: Target): Promise<void> {
	await target.proxy?.stop();
	await target.sandbox.stop();
}

export async function resetTarget(target: Target): Promise<void> {
	target.proxy.clear();
	await target.sandbox.reset();
	resetLimiters();
}

/** The sandbox's credentials with its address replaced by the proxy's. */
export function proxiedCredentials(target: Target, extra: IDataObject = {}): Record<string, any> {
	const type = target.sandbox.target.credentialType;
	const stored = target.sandbox.credentials[type];
	// Zoho: the API host is the token's api_domain (and renewals go to the token URL).
	if (type === 'crmZohoOAuth2Api') return { [type]: { ...stored, accessTokenUrl: `${target.proxy.baseUrl}/oauth/v2/token`, oauthTokenData: { ...(stored.oauthTokenData as IDataObject), api_domain: target.proxy.baseUrl }, ...extra } };
	return { [type]: { ...stored, [URL_FIELD[type]]: target.proxy.baseUrl, ...extra } };
}

/** Runs Manual Trigger → Items → one CRM node step. */
export async function runStep(target: Target, parameters: IDataObject, items: IDataObject[], options: { continueOnFail?: boolean; credentials?: Record<string, any> } = {}) {
	const workflow = switchProvider(
		{
			nodes: [
				{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'i', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(items) } },
				{
					id: 'c', name: 'CRM', type: CRM_TYPE, typeVersion: 1, position: [400, 0],
					parameters: { provider: 'hubspot', ...parameters },
					...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
				},
			],
			connections: { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] }, Items: { main: [[{ node: 'CRM', type: 'main', index: 0 }]] } },
		},
		target.sandbox.target,
	);
	const result = await runWorkflow({
		workflow: workflow as any,
		nodeTypes: { [CRM_TYPE]: new Crm(), 'test.items': itemsNode },
		credentialTypes: target.sandbox.credentialTypes,
		credentials: options.credentials ?? proxiedCredentials(target),
	});
	const node = result.nodes.CRM;
	return { result, output: ((node?.items[0] ?? []) as any[]).map((i) => i.json as IDataObject), error: node?.error as any };
}

/** Names of the companies (accounts) stored in the CRM. */
export function companyNames(target: Target): string[] {
	const s = target.sandbox as any;
	if (target.name === 'hubspot') return s.hubspot.listObjects('companies').map((c: any) => c.properties.name);
	if (target.name === 'salesforce') return s.salesforce.list('Account').map((a: any) => a.Name);
	return s.espo.listRecords('Account').map((a: any) => a.name);
}

export function companyIdByName(target: Target): Map<string, string> {
	const s = target.sandbox as any;
	const rows: Array<[string, string]> =
		target.name === 'hubspot'
			? s.hubspot.listObjects('companies').map((c: any) => [c.properties.name, String(c.id)])
			: target.name === 'salesforce'
				? s.salesforce.list('Account').map((a: any) => [a.Name, a.Id])
				: s.espo.listRecords('Account').map((a: any) => [a.name, a.id]);
	return new Map(rows);
}

export function contactEmails(target: Target): string[] {
	const s = target.sandbox as any;
	if (target.name === 'hubspot') return s.hubspot.listObjects('contacts').map((c: any) => String(c.properties.email ?? '').toLowerCase());
	if (target.name === 'salesforce') return s.salesforce.list('Contact').map((c: any) => String(c.Email ?? '').toLowerCase());
	if (target.name === 'zoho') return s.zoho.listRecords('Contacts').map((c: any) => String(c.Email ?? '').toLowerCase());
	return s.espo.listRecords('Contact').map((c: any) => String(c.emailAddress ?? '').toLowerCase());
}

/** The path of a provider's create call, as the proxy sees it. */
export const CREATE_PATH: Record<Target['name'], { method: string; path: string; perCall: number }> = {
	hubspot: { method: 'POST', path: '/crm/v3/objects/companies/batch/create', perCall: 100 },
	salesforce: { method: 'POST', path: '/composite/sobjects', perCall: 200 },
	espocrm: { method: 'POST', path: '/api/v1/Account', perCall: 1 },
	zoho: { method: 'POST', path: '/crm/v8/Accounts', perCall: 100 },
	pipedrive: { method: 'POST', path: '/api/v2/organizations', perCall: 1 },
};
