import type { MessageChannel, ResourceType } from '../model/types';
import { CrmCapabilityError } from '../transport/errors';
import { hubspotProvider } from './hubspot/HubSpotProvider';
import { salesforceProvider } from './salesforce/SalesforceProvider';
import { espocrmProvider } from './espocrm/EspoCrmProvider';
import { pipedriveProvider } from './pipedrive/PipedriveProvider';
import type { CrmProvider, ProviderDefinition, RecordOperation } from '../contract/provider';

/** Every provider the package ships. Adding a CRM means adding one entry here. */
export const PROVIDERS: readonly ProviderDefinition[] = [hubspotProvider, salesforceProvider, espocrmProvider, pipedriveProvider];

/** A CRM picker value: the provider and the credential type it signs in with. */
export function providerChoice(value: string): { definition: ProviderDefinition; credentialType: string } {
	for (const definition of PROVIDERS) {
		const option = definition.authentications.find((a) => a.value === value);
		if (option) return { definition, credentialType: option.credentialType };
	}
	const known = PROVIDERS.flatMap((p) => p.authentications.map((a) => a.value)).join(', ');
	throw new CrmCapabilityError(`This package`, `the CRM "${value}"`, `Known: ${known}`);
}

export function requireRecordOperation(
	provider: CrmProvider,
	resource: ResourceType,
	operation: RecordOperation,
): void {
	// Own keys only: "__proto__" or "constructor" as a resource is unknown, not Object.prototype.
	const records = provider.capabilities.records;
	const ops = Object.prototype.hasOwnProperty.call(records, resource) ? (records[resource] ?? []) : [];
	if (!ops.includes(operation)) {
		throw new CrmCapabilityError(
			provider.displayName,
			`the "${operation}" operation on ${resource}s`,
			ops.length
				? `Supported on ${resource}s: ${ops.join(', ')}.`
				: `${provider.displayName} has no ${resource} records.`,
		);
	}
}

export function requirePipelines(provider: CrmProvider, resource: ResourceType): void {
	if (!provider.capabilities.pipelines.includes(resource)) {
		throw new CrmCapabilityError(
			provider.displayName,
			`pipelines or stages for ${resource}s`,
			`Resources with pipelines: ${provider.capabilities.pipelines.join(', ') || 'none'}.`,
		);
	}
}

export function requireMessageChannel(
	provider: CrmProvider,
	channel: MessageChannel,
	delivery: 'log' | 'send',
): void {
	const channels =
		delivery === 'send' ? provider.capabilities.messageDelivery : provider.capabilities.messageLog;
	if (!channels.includes(channel)) {
		throw new CrmCapabilityError(
			provider.displayName,
			`${delivery === 'send' ? 'sending' : 'logging'} ${channel} messages`,
			channels.length
				? `Channels it can ${delivery === 'send' ? 'send' : 'log'}: ${channels.join(', ')}.`
				: delivery === 'send'
					? 'Use Delivery "Log Only" to record the message on the timeline instead.'
					: undefined,
		);
	}
}
