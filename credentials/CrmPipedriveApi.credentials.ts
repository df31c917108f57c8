import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * Pipedrive with a personal API token (https://pipedrive.readme.io/docs/how-to-find-the-api-token),
 * sent in the `x-api-token` header (the `api_key` security scheme of Pipedrive's v1 and v2
 * OpenAPI specs), against the company's own domain (`https://<company>.pipedrive.com`).
 *
 * OAuth2 is left out: Pipedrive's OAuth2 is for Marketplace apps, its token answer names the
 * `api_domain` to call, which n8n's generic OAuth2 credential cannot pass on to the requests,
 * and creating webhooks needs the `admin` scope. An API token of a dedicated (admin) user is
 * what a self-run automation uses.
 */
export class CrmPipedriveApi implements ICredentialType {
	name = 'crmPipedriveApi';

	displayName = 'CRM: Pipedrive API';

	icon: Icon = { light: 'file:../icons/pipedrive.svg', dark: 'file:../icons/pipedrive.dark.svg' };

	documentationUrl = 'https://pipedrive.readme.io/docs/how-to-find-the-api-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Company Domain',
			name: 'companyDomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. acme',
			description:
				'The part before .pipedrive.com in the address you open Pipedrive at (https://acme.pipedrive.com → acme). A full address is accepted too.',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"Personal preferences → API in Pipedrive. The token acts as its user: use a dedicated user, an admin if the CRM Webhook Trigger should see every record. Writes made with it are what the triggers' loop guard recognises.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-token': '={{$credentials.apiToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ /^https?:\\/\\//.test(String($credentials.companyDomain).trim()) ? String($credentials.companyDomain).trim().replace(/\\/+$/, "") : "https://" + String($credentials.companyDomain).trim().replace(/\\.pipedrive\\.com.*$/i, "") + ".pipedrive.com" }}',
			url: '/api/v1/users/me',
		},
	};
}
