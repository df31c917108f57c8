'use strict';
/**
 * Connects n8n credentials to a running Salesforce sandbox the way an admin would connect a real
 * org: a connected app with a certificate (JWT bearer flow) and an OAuth2 sign-in through the
 * authorization code flow ("Connect my account"), plus the org's process named like the
 * package's examples. Shared by the tests, the e2e test and `npm run demo`.
 */
const crypto = require('crypto');

const CONSUMER_KEY = '3MVG9sandbox.consumer.key';
const CONSUMER_SECRET = 'sandbox-consumer-secret';

/** A sales process and lead statuses named like the examples' (a company that kept its process when it moved to Salesforce). */
const EXAMPLE_PROCESS = {
	OpportunityStage: [
		{ MasterLabel: 'Appointment scheduled', DefaultProbability: 20, ForecastCategoryName: 'Pipeline' },
		{ MasterLabel: 'Qualified to buy', DefaultProbability: 40, ForecastCategoryName: 'Pipeline' },
		{ MasterLabel: 'Presentation scheduled', DefaultProbability: 60, ForecastCategoryName: 'Best Case' },
		{ MasterLabel: 'Decision maker bought-in', DefaultProbability: 80, ForecastCategoryName: 'Best Case' },
		{ MasterLabel: 'Contract sent', DefaultProbability: 90, ForecastCategoryName: 'Commit' },
		{ MasterLabel: 'Closed won', DefaultProbability: 100, IsClosed: true, IsWon: true, ForecastCategoryName: 'Closed' },
		{ MasterLabel: 'Closed lost', DefaultProbability: 0, IsClosed: true, IsWon: false, ForecastCategoryName: 'Omitted' },
	],
	// "Qualified" as a working status before conversion, as many orgs add it.
	LeadStatus: [
		{ MasterLabel: 'Open - Not Contacted', IsDefault: true },
		{ MasterLabel: 'Working - Contacted' },
		{ MasterLabel: 'Qualified' },
		{ MasterLabel: 'Closed - Converted', IsConverted: true },
		{ MasterLabel: 'Closed - Not Converted' },
	],
};

function useExampleProcess(sf) {
	sf.setPicklist('OpportunityStage', EXAMPLE_PROCESS.OpportunityStage);
	sf.setPicklist('LeadStatus', EXAMPLE_PROCESS.LeadStatus);
}

/** The key pair whose certificate is "uploaded" to the connected app. */
function newKeyPair() {
	return crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

function registerApp(sf, keys, redirectUri) {
	sf.registerConnectedApp({ consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET, publicKeyPem: keys.publicKey, redirectUri });
}

/** Data of a "CRM: Salesforce JWT API" credential pointing at the sandbox. */
function jwtCredentialData(sf, keys) {
	return {
		environment: 'production',
		myDomainUrl: sf.baseUrl,
		clientId: CONSUMER_KEY,
		username: 'integration@example.com.sandbox',
		privateKey: keys.privateKey,
		apiVersion: '66.0',
	};
}

/**
 * Data of a connected "CRM: Salesforce OAuth2 API" credential: the authorization code flow run
 * against the sandbox (authorize → code → token), leaving n8n's token data with a refresh token.
 */
async function oauth2CredentialData(sf, redirectUri) {
	const authorize = new URL(`${sf.baseUrl}/services/oauth2/authorize`);
	authorize.search = new URLSearchParams({ response_type: 'code', client_id: CONSUMER_KEY, redirect_uri: redirectUri, scope: 'api refresh_token', state: 'n8n' }).toString();
	const redirect = await fetch(authorize, { redirect: 'manual' });
	const code = new URL(redirect.headers.get('location')).searchParams.get('code');
	const token = await fetch(`${sf.baseUrl}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CONSUMER_KEY}:${CONSUMER_SECRET}`).toString('base64')}` },
		body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
	});
	if (!token.ok) throw new Error(`sandbox token exchange failed: ${token.status} ${await token.text()}`);
	return {
		grantType: 'authorizationCode',
		environment: 'custom',
		loginUrl: sf.baseUrl,
		clientId: CONSUMER_KEY,
		clientSecret: CONSUMER_SECRET,
		scope: 'api refresh_token',
		authQueryParameters: '',
		authentication: 'header',
		apiVersion: '66.0',
		oauthTokenData: await token.json(),
	};
}

module.exports = { CONSUMER_KEY, CONSUMER_SECRET, EXAMPLE_PROCESS, useExampleProcess, newKeyPair, registerApp, jwtCredentialData, oauth2CredentialData };
