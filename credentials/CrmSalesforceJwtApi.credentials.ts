import { createSign } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Salesforce's OAuth 2.0 JWT bearer flow, server to server
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm): an RS256 JWT
 * with `iss` = consumer key, `sub` = username, `aud` = the login host and `exp` within 3 minutes,
 * signed with the private key whose certificate is on the connected app / external client app, is
 * posted to `{login host}/services/oauth2/token` with
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`. The answer carries `access_token` and
 * `instance_url` (no refresh token, no expiry: the token lives as long as the org's session).
 *
 * n8n calls `preAuthentication` when the stored token is empty or a request came back 401
 * (INVALID_SESSION_ID), stores the new token with the credential, and `authenticate` adds it to
 * every request and points relative URLs at the org's instance.
 *
 * Since Spring '26, orgs reject login.salesforce.com / test.salesforce.com as `aud` for external
 * client apps; with a My Domain URL set, it is both the token host and the audience.
 */
function loginHost(credentials: ICredentialDataDecryptedObject): string {
	const myDomain = String(credentials.myDomainUrl ?? '').trim().replace(/\/+$/, '');
	if (myDomain) return myDomain;
	return credentials.environment === 'sandbox' ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
}

const base64url = (input: string | Buffer) => Buffer.from(input).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** A PEM pasted into a one-line field keeps its line breaks as "\n". */
function pem(key: unknown): string {
	return String(key ?? '').trim().replace(/\\n/g, '\n');
}

export function signSalesforceJwt(credentials: ICredentialDataDecryptedObject, nowMs: number): string {
	const header = base64url(JSON.stringify({ alg: 'RS256' }));
	const claims = base64url(
		JSON.stringify({
			iss: String(credentials.clientId ?? '').trim(),
			sub: String(credentials.username ?? '').trim(),
			aud: loginHost(credentials),
			exp: Math.floor(nowMs / 1000) + 180,
		}),
	);
	const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(pem(credentials.privateKey));
	return `${header}.${claims}.${base64url(signature)}`;
}

export class CrmSalesforceJwtApi implements ICredentialType {
	name = 'crmSalesforceJwtApi';

	displayName = 'CRM: Salesforce JWT API';

	icon: Icon = { light: 'file:../icons/salesforce.svg', dark: 'file:../icons/salesforce.dark.svg' };

	documentationUrl = 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm&type=5';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production (login.salesforce.com)', value: 'production' },
				{ name: 'Sandbox (test.salesforce.com)', value: 'sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'My Domain URL',
			name: 'myDomainUrl',
			type: 'string',
			default: '',
			placeholder: 'https://mycompany.my.salesforce.com',
			description:
				'Where the token is requested, and the JWT audience. Required for external client apps since Spring ’26; leave empty to use the environment’s login host.',
		},
		{
			displayName: 'Consumer Key',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The consumer key (client ID) of the connected app or external client app that holds your certificate',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'integration@mycompany.com',
			description: 'The Salesforce user the workflow acts as; the app must be pre-authorized for this user (profile or permission set)',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: "The PEM private key of the certificate uploaded to the app ('Use digital signatures')",
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '66.0',
			description: 'The REST API version to call (66.0 = Spring ’26). Every org supports older versions too.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const host = loginHost(credentials);
		const body = new URLSearchParams({
			grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
			assertion: signSalesforceJwt(credentials, Date.now()),
		}).toString();
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${host}/services/oauth2/token`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: Record<string, unknown> | string };
		const answer = (typeof response.body === 'string' ? safeJson(response.body) : response.body) ?? {};
		if (response.statusCode >= 400 || !answer.access_token) {
			const reason = [answer.error, answer.error_description].filter(Boolean).join(': ') || `HTTP ${response.statusCode}`;
			throw new Error(
				`Salesforce refused the JWT sign-in (${reason}). Check the consumer key, the username, that the private key matches the app's certificate, and that the app is pre-authorized for the user.`,
			);
		}
		return { accessToken: String(answer.access_token), instanceUrl: String(answer.instance_url ?? '') };
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const relative = !/^https?:\/\//i.test(String(requestOptions.url ?? '')) && !requestOptions.baseURL;
		return {
			...requestOptions,
			...(relative ? { baseURL: String(credentials.instanceUrl ?? '').replace(/\/+$/, '') } : {}),
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			url: '=/services/data/v{{$credentials.apiVersion || "66.0"}}/',
		},
	};
}

function safeJson(text: string): Record<string, unknown> | undefined {
	try {
		return JSON.parse(text) as Record<string, unknown>;
	} catch {
		return undefined;
	}
}
