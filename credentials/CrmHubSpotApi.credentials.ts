import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CrmHubSpotApi implements ICredentialType {
	name = 'crmHubSpotApi';

	displayName = 'CRM: HubSpot API';

	icon: Icon = { light: 'file:../icons/hubspot.svg', dark: 'file:../icons/hubspot.dark.svg' };

	documentationUrl = 'https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The private app access token (Settings → Integrations → Private Apps → your app → Auth). It starts with "pat-".',
		},
		{
			displayName: 'Rate Limit Tier',
			name: 'rateLimitTier',
			type: 'options',
			options: [
				{ name: 'Free or Starter (100 Requests / 10 s)', value: '100' },
				{ name: 'Professional or Enterprise (190 Requests / 10 s)', value: '190' },
				{ name: 'With API Limit Increase (250 Requests / 10 s)', value: '250' },
			],
			default: '100',
			description:
				"The account's burst limit. The node paces its requests to stay under it, so large batches do not fail with HTTP 429.",
		},
		{
			displayName: 'Leads Are',
			name: 'leadModel',
			type: 'options',
			options: [
				{
					name: 'Contacts in Lifecycle Stage "Lead"',
					value: 'contactLifecycle',
					description: 'Works on every HubSpot tier',
				},
				{
					name: 'Records of the Leads Object',
					value: 'leadsObject',
					description: 'Sales Hub Professional or Enterprise; needs the crm.objects.leads scopes',
				},
			],
			default: 'contactLifecycle',
			description: 'How the Lead resource maps to HubSpot. Every lead the node outputs says which in "leadModel".',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'Change only for a proxy or the local CRM sandbox',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// Owners are what the node reads first (assignment, user pickers), and the call needs the
	// crm.objects.owners.read scope: a missing scope shows up here, not mid-workflow.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl || "https://api.hubapi.com"}}',
			url: '/crm/v3/owners',
			qs: { limit: 1 },
		},
	};
}
