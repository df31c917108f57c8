import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Zoho CRM's OAuth 2.0 authorization code flow on n8n's OAuth2 credential. The user picks the data
 * centre their org lives in: sign-in and tokens go to that centre's accounts server
 * (zoho.com/accounts/protocol/oauth/multi-dc.html; Canada is accounts.zohocloud.ca), and API calls
 * go to the `api_domain` Zoho returns with the token (kept by n8n in `oauthTokenData`).
 * `access_type=offline` makes Zoho issue a refresh token; `prompt=consent` issues a new one on
 * reconnecting (a user keeps at most 20 refresh tokens, secondary source). n8n stores the token
 * with the credential and renews it only when Zoho answers 401, so every execution and every
 * worker shares one access token (Zoho lets a refresh token mint 10 access tokens per 10 minutes).
 * The token goes in `Authorization: Zoho-oauthtoken <token>` (the provider asks n8n for that type).
 */
const ACCOUNTS =
	'({ US: "https://accounts.zoho.com", EU: "https://accounts.zoho.eu", IN: "https://accounts.zoho.in", AU: "https://accounts.zoho.com.au", CN: "https://accounts.zoho.com.cn", JP: "https://accounts.zoho.jp", CA: "https://accounts.zohocloud.ca", SA: "https://accounts.zoho.sa", UK: "https://accounts.zoho.uk" })[$self["dataCentre"] || "US"]';

/** Scopes the package's operations need (README "Zoho CRM" lists which operation needs which). */
export const ZOHO_DEFAULT_SCOPES = [
	'ZohoCRM.modules.ALL',
	'ZohoCRM.settings.ALL',
	'ZohoCRM.users.READ',
	'ZohoCRM.coql.READ',
	'ZohoCRM.notifications.ALL',
	'ZohoCRM.send_mail.all.CREATE',
].join(',');

export class CrmZohoOAuth2Api implements ICredentialType {
	name = 'crmZohoOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CRM: Zoho CRM OAuth2 API';

	icon: Icon = { light: 'file:../icons/zoho.svg', dark: 'file:../icons/zoho.dark.svg' };

	documentationUrl = 'https://www.zoho.com/crm/developer/docs/api/v8/oauth-overview.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Data Centre',
			name: 'dataCentre',
			type: 'options',
			options: [
				{ name: 'Australia (zoho.com.au)', value: 'AU' },
				{ name: 'Canada (zohocloud.ca)', value: 'CA' },
				{ name: 'China (zoho.com.cn)', value: 'CN' },
				{ name: 'Europe (zoho.eu)', value: 'EU' },
				{ name: 'India (zoho.in)', value: 'IN' },
				{ name: 'Japan (zoho.jp)', value: 'JP' },
				{ name: 'Saudi Arabia (zoho.sa)', value: 'SA' },
				{ name: 'United Kingdom (zoho.uk)', value: 'UK' },
				{ name: 'United States (zoho.com)', value: 'US' },
			],
			default: 'US',
			description: 'Where your Zoho account lives: the domain you sign in to Zoho CRM at',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ (${ACCOUNTS}) + "/oauth/v2/auth" }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ (${ACCOUNTS}) + "/oauth/v2/token" }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: ZOHO_DEFAULT_SCOPES,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'access_type=offline&prompt=consent',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: "Zoho's Own Automation on Writes",
			name: 'zohoAutomation',
			type: 'options',
			options: [
				{
					name: 'Run (Zoho Default)',
					value: 'default',
					description: "Zoho runs the org's workflow rules, approvals and Blueprint on records this package writes",
				},
				{
					name: 'Do Not Run',
					value: 'none',
					description: 'Writes send trigger: [] so no Zoho workflow rule, approval or Blueprint automation runs on them',
				},
			],
			default: 'default',
			description:
				"Whether records written through this credential fire the org's own Zoho automation. Zoho's default runs it; a Zoho workflow that writes back can then start this package's triggers again.",
		},
	];

	// A request Zoho answers for any signed-in user. The token goes in Zoho's own header form;
	// whether n8n's credential test keeps it over its Bearer default is unverified.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.oauthTokenData.api_domain}}',
			url: '/crm/v8/users?type=CurrentUser',
			headers: { Authorization: '=Zoho-oauthtoken {{$credentials.oauthTokenData.access_token}}' },
		},
	};
}
