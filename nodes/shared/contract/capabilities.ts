import type { MessageChannel, ResourceType } from '../model/types';
import { CrmCapabilityError } from '../transport/errors';
import type { CrmProvider, RecordOperation } from './provider';

// Checks of what a provider says it can do (its capabilities), with the error a user reads when it
// cannot: engines and nodes call these instead of checking vendor names.

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
