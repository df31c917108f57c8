import { CrmCapabilityError } from '../transport/errors';
import { hubspotProvider } from './hubspot/HubSpotProvider';
import { salesforceProvider } from './salesforce/SalesforceProvider';
import { espocrmProvider } from './espocrm/EspoCrmProvider';
import { zohoProvider } from './zoho/ZohoProvider';
import { pipedriveProvider } from './pipedrive/PipedriveProvider';
import type { AuthenticationOption, ProviderDefinition } from '../contract/provider';

/** Every provider the package ships. Adding a CRM means adding one entry here. */
export const PROVIDERS: readonly ProviderDefinition[] = [hubspotProvider, salesforceProvider, espocrmProvider, zohoProvider, pipedriveProvider];

/** A CRM picker value: the provider and the credential type it signs in with. */
export function providerChoice(value: string): { definition: ProviderDefinition; credentialType: string; oauth2?: AuthenticationOption['oauth2'] } {
	for (const definition of PROVIDERS) {
		const option = definition.authentications.find((a) => a.value === value);
		if (option) return { definition, credentialType: option.credentialType, ...(option.oauth2 ? { oauth2: option.oauth2 } : {}) };
	}
	const known = PROVIDERS.flatMap((p) => p.authentications.map((a) => a.value)).join(', ');
	throw new CrmCapabilityError(`This package`, `the CRM "${value}"`, `Known: ${known}`);
}
