import { createHmac } from 'crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * EspoCRM's authentication methods (https://docs.espocrm.com/development/api/#authentication):
 * - API key: header `X-Api-Key` (API users with the "API Key" method);
 * - HMAC: header `X-Hmac-Authorization: base64(apiKey + ":" + hex HMAC-SHA256(method + " /" + uri, secretKey))`,
 *   `uri` being the request path under `api/v1/` (e.g. `Lead/action/convert`, no query string);
 * - a regular user's name and password, in the `Espo-Authorization: base64(username:password)`
 *   header (the docs' alternative to `Authorization: Basic`, which survives web servers that drop
 *   `Authorization` before PHP sees it).
 */
function resourcePath(options: IHttpRequestOptions): string {
	const url = String(options.url ?? '');
	let pathname: string;
	try {
		pathname = new URL(url).pathname;
	} catch {
		// A relative URL (the credential test's `url` next to its `baseURL`): its path is the resource.
		pathname = `/${url.replace(/^\/+/, '').replace(/[?#].*$/, '')}`;
	}
	const root = pathname.indexOf('/api/v1/');
	return root >= 0 ? pathname.slice(root + '/api/v1'.length) : pathname;
}

export function espoAuthHeaders(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Record<string, string> {
	const method = String(credentials.authMethod ?? 'apiKey');
	if (method === 'basic') {
		const pair = `${String(credentials.username ?? '')}:${String(credentials.password ?? '')}`;
		return { 'Espo-Authorization': Buffer.from(pair, 'utf8').toString('base64') };
	}
	const apiKey = String(credentials.apiKey ?? '');
	if (method === 'hmac') {
		const signed = `${String(options.method ?? 'GET').toUpperCase()} ${resourcePath(options)}`;
		const hash = createHmac('sha256', String(credentials.secretKey ?? '')).update(signed).digest('hex');
		return { 'X-Hmac-Authorization': Buffer.from(`${apiKey}:${hash}`, 'utf8').toString('base64') };
	}
	return { 'X-Api-Key': apiKey };
}

export class CrmEspoCrmApi implements ICredentialType {
	name = 'crmEspoCrmApi';

	displayName = 'CRM: EspoCRM API';

	icon: Icon = { light: 'file:../icons/espocrm.svg', dark: 'file:../icons/espocrm.dark.svg' };

	documentationUrl = 'https://docs.espocrm.com/development/api/#authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Site URL',
			name: 'siteUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://crm.example.com',
			description: 'The address you open EspoCRM at in the browser (without /api/v1)',
		},
		{
			displayName: 'Authentication Method',
			name: 'authMethod',
			type: 'options',
			options: [
				{ name: 'API Key (API User)', value: 'apiKey', description: 'Header X-Api-Key' },
				{ name: 'HMAC (API User)', value: 'hmac', description: 'Every request signed with the secret key: the key never travels' },
				{ name: 'User Name and Password', value: 'basic', description: 'A regular user; not recommended (no 2FA)' },
			],
			default: 'apiKey',
			description: 'How the API user is set up in Administration → API Users (or a regular user\'s password)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['apiKey', 'hmac'] } },
			description: 'From Administration → API Users → the user',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['hmac'] } },
			description: 'The HMAC secret key of the API user',
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['basic'] } },
		},
	];

	// HMAC signs each request (method and path), so authentication is a function, not headers.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), ...espoAuthHeaders(credentials, requestOptions) },
		};
	}

	// `GET App/user` returns the signed-in user (https://docs.espocrm.com/development/api/#authentication-token-user-specific-data)
	// and needs no role permission; that API users may call it too is read from EspoCRM's source
	// (Tools/App/Api/GetUser.php has no access check) (unverified in the docs).
	// The Site URL may be given with or without a trailing "/api/v1/" (the nodes accept both; so does the test).
	// EspoCRM answers a wrong key with a bare 401 (no reason, empty body; confirmed on EspoCRM 9.1.7),
	// so the rule below says what it means instead of n8n's "Unauthorized".
	test: ICredentialTestRequest = {
		request: {
			// (plain string methods: the expression is evaluated in n8n's sandbox)
			baseURL:
				'={{$credentials.siteUrl.trim().split("/api/v1")[0].endsWith("/") ? $credentials.siteUrl.trim().split("/api/v1")[0].slice(0, -1) : $credentials.siteUrl.trim().split("/api/v1")[0]}}/api/v1',
			url: '/App/user',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'EspoCRM rejected the credentials: check the API key (and for HMAC the secret key) in Administration → API Users → the user, that the Authentication Method matches the user\'s, and that the user is active',
				},
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No EspoCRM API at this Site URL: enter the address you open EspoCRM at, e.g. https://crm.example.com' },
			},
		],
	};
}
