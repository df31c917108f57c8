import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../providers/registry';

/**
 * The CRM picker every node starts with: one option per CRM and way of signing in. n8n's editor
 * shows it as the node's authentication (the credential list holds the credentials of every
 * option, and choosing one of another CRM switches the CRM); workflow JSON keeps it as `provider`.
 */
export const providerProperty: INodeProperties = {
	displayName: 'CRM',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	options: PROVIDERS.flatMap((provider) => provider.authentications.map((a) => ({ name: a.name, value: a.value }))),
	// A literal: n8n's lint needs one; it is the first provider in the registry.
	default: 'hubspot',
	description: 'The CRM to work with. A workflow moves to another CRM by choosing a credential of that CRM.',
};

const WEBHOOK_PROVIDERS = PROVIDERS.filter((provider) => provider.webhooks);

/** The CRM picker of the CRM Webhook Trigger: only CRMs that register webhooks by API. */
export const webhookProviderProperty: INodeProperties = {
	...providerProperty,
	options: WEBHOOK_PROVIDERS.flatMap((provider) => provider.authentications.map((a) => ({ name: a.name, value: a.value }))),
	// A literal, as n8n's lint wants: the first CRM with webhooks.
	default: 'espocrm',
	description: 'The CRM that sends the events. Only CRMs that let webhooks be registered by API are listed; use the CRM Trigger (polling) for the others.',
};

/** Each option's credential, shown when that option is picked. */
export function providerCredentialsWhen(extra: Record<string, string[]> = {}, providers = PROVIDERS): INodeCredentialDescription[] {
	return providers.flatMap((provider) =>
		provider.authentications.map((authentication) => ({
			name: authentication.credentialType,
			required: true,
			displayOptions: { show: { provider: [authentication.value], ...extra } },
		})),
	);
}

export const providerCredentials: INodeCredentialDescription[] = providerCredentialsWhen();

export const webhookProviderCredentials: INodeCredentialDescription[] = providerCredentialsWhen({}, WEBHOOK_PROVIDERS);

/** The working-days picker (ISO weekday numbers) shared by due dates and business-hours reports. */
export const workingDaysOption: INodeProperties = {
	displayName: 'Working Days',
	name: 'workingDays',
	type: 'multiOptions',
	options: [
		{ name: 'Friday', value: 5 },
		{ name: 'Monday', value: 1 },
		{ name: 'Saturday', value: 6 },
		{ name: 'Sunday', value: 7 },
		{ name: 'Thursday', value: 4 },
		{ name: 'Tuesday', value: 2 },
		{ name: 'Wednesday', value: 3 },
	],
	default: [1, 2, 3, 4, 5],
	description: 'Days that count as business days',
};
