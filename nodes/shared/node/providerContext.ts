import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	IHookFunctions,
} from 'n8n-workflow';

import type { CrmProvider, ProviderDefinition } from '../providers/Provider';
import { PROVIDERS, providerDefinition } from '../providers/registry';
import type { RawResponse } from '../transport/http';
import { CrmInputError } from '../transport/errors';

type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions | IHookFunctions;

/** The credential type a provider signs in with, given the node's Authentication parameter. */
export function credentialTypeOf(definition: ProviderDefinition, authentication?: unknown): string {
	const options = definition.authentications;
	if (options.length === 1 || authentication === undefined || authentication === '') return options[0].credentialType;
	const picked = options.find((option) => option.value === authentication);
	if (!picked) {
		throw new CrmInputError(
			`Unknown authentication "${String(authentication)}" for ${definition.displayName}`,
			'authentication',
			`Valid: ${options.map((o) => o.value).join(', ')}.`,
		);
	}
	return picked.credentialType;
}

function authenticationParameter(context: NodeContext): unknown {
	if ('getCurrentNodeParameter' in context) return context.getCurrentNodeParameter('authentication');
	if ('getInputData' in context) return (context as IExecuteFunctions).getNodeParameter('authentication', 0, '');
	return (context as IPollFunctions).getNodeParameter('authentication', '');
}

/**
 * Builds the provider the user chose, authenticated with n8n's own request helper, so the
 * credential is applied by n8n and never handled by the package.
 */
export async function providerFor(context: NodeContext, providerId: string): Promise<CrmProvider> {
	const definition = providerDefinition(providerId);
	const credentialType = credentialTypeOf(definition, authenticationParameter(context));
	const credentials = await context.getCredentials(credentialType);
	const credentialRef = context.getNode().credentials?.[credentialType];
	const credentialKey = credentialRef?.id ?? credentialRef?.name ?? credentialType;
	return definition.create({
		credentials: credentials as Record<string, unknown>,
		credentialType,
		credentialKey: String(credentialKey),
		send: async (options: IHttpRequestOptions) =>
			(await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options)) as RawResponse,
	});
}

/** The provider picked in the editor's current parameters (the default provider when unset). */
export function providerForEditor(context: ILoadOptionsFunctions): Promise<CrmProvider> {
	const picked = context.getCurrentNodeParameter('provider');
	return providerFor(context, picked ? String(picked) : PROVIDERS[0].id);
}
