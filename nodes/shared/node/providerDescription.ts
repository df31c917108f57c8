import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../providers/registry';

/** The provider picker every node starts with: switching CRM is this and the credential. */
export const providerProperty: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	options: PROVIDERS.map((provider) => ({ name: provider.displayName, value: provider.id })),
	default: 'hubspot',
	description: 'The CRM to work with. A workflow moves to another CRM by changing this and the credential.',
};

/** Each provider's credential, shown when that provider is picked. */
export const providerCredentials: INodeCredentialDescription[] = PROVIDERS.map((provider) => ({
	name: provider.credentialType,
	required: true,
	displayOptions: { show: { provider: [provider.id] } },
}));

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
