import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Salesforce's OAuth 2.0 web server (authorization code) flow on n8n's OAuth2 credential: n8n
 * runs the sign-in, stores the token response (with `instance_url`, where the API lives) and
 * refreshes the token when Salesforce answers 401. Endpoints: `{login host}/services/oauth2/authorize`
 * and `/token`, with login.salesforce.com, test.salesforce.com (sandboxes) or the org's My Domain
 * as host (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_endpoints.htm).
 * Scopes: `api` (REST) and `refresh_token` (so n8n can renew the session).
 */
const LOGIN_HOST =
	'$self["environment"] === "custom" ? String($self["loginUrl"] || "").replace(/\\/+$/, "") : $self["environment"] === "sandbox" ? "https://test.salesforce.com" : "https://login.salesforce.com"';

export class CrmSalesforceOAuth2Api implements ICredentialType {
	name = 'crmSalesforceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CRM: Salesforce OAuth2 API';

	icon: Icon = { light: 'file:../icons/salesforce.svg', dark: 'file:../icons/salesforce.dark.svg' };

	documentationUrl = 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm&type=5';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production (login.salesforce.com)', value: 'production' },
				{ name: 'Sandbox (test.salesforce.com)', value: 'sandbox' },
				{ name: 'My Domain or Other Login URL', value: 'custom' },
			],
			default: 'production',
		},
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: '',
			placeholder: 'https://mycompany.my.salesforce.com',
			description: "The org's My Domain login URL (Setup → My Domain)",
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ (${LOGIN_HOST}) + "/services/oauth2/authorize" }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ (${LOGIN_HOST}) + "/services/oauth2/token" }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'api refresh_token',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '66.0',
			description: 'The REST API version to call (66.0 = Spring ’26). Every org supports older versions too.',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.oauthTokenData.instance_url}}',
			url: '=/services/data/v{{$credentials.apiVersion || "66.0"}}/',
		},
	};
}
