import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../providers/registry';

/** The provider picker every node starts with: switching CRM is this and the credential. */
export const providerProperty: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	options: PROVIDERS.map((provider) => ({ name: provider.displayName, value: provider.id })),
	// A literal: n8n's lint needs one; it is the first provider in the registry.
	default: 'hubspot',
	description: 'The CRM to work with. A workflow moves to another CRM by changing this and the credential.',
};

/** For providers with several ways to sign in: which credential type to use. */
export const authenticationProperties: INodeProperties[] = PROVIDERS.filter((p) => p.authentications.length > 1).map(
	(provider): INodeProperties => {
		const firstOption = provider.authentications[0].value;
		return {
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: provider.authentications.map((a) => ({ name: a.name, value: a.value })),
			default: firstOption,
			displayOptions: { show: { provider: [provider.id] } },
		};
	},
);

/** Each provider's credential(s), shown when that provider (and authentication) is picked. */
export function providerCredentialsWhen(extra: Record<string, string[]> = {}): INodeCredentialDescription[] {
	return PROVIDERS.flatMap((provider) =>
		provider.authentications.map((authentication) => ({
			name: authentication.credentialType,
			required: true,
			displayOptions: {
				show: {
					provider: [provider.id],
					...(provider.authentications.length > 1 ? { authentication: [authentication.value] } : {}),
					...extra,
				},
			},
		})),
	);
}

export const providerCredentials: INodeCredentialDescription[] = providerCredentialsWhen();

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
