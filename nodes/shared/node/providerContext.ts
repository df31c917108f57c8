import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	IHookFunctions,
} from 'n8n-workflow';

import type { CrmProvider } from '../contract/provider';
import { PROVIDERS, providerChoice } from '../providers/registry';
import type { RawResponse } from '../transport/http';
import { registerCredentialSecrets } from '../transport/redact';

type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions | IHookFunctions;

/**
 * Builds the provider the user chose, authenticated with n8n's own request helper, so the
 * credential is applied by n8n and never handled by the package.
 */
export async function providerFor(context: NodeContext, picked: string): Promise<CrmProvider> {
	const { definition, credentialType, oauth2 } = providerChoice(picked);
	const credentials = await context.getCredentials(credentialType);
	// Errors are redacted of these values wherever a vendor echoes them (transport/errors.ts).
	registerCredentialSecrets(credentials as Record<string, unknown>);
	const credentialRef = context.getNode().credentials?.[credentialType];
	const credentialKey = credentialRef?.id ?? credentialRef?.name ?? credentialType;
	const executionId = 'getExecutionId' in context && typeof context.getExecutionId === 'function' ? context.getExecutionId() : undefined;
	return definition.create({
		credentials: credentials as Record<string, unknown>,
		credentialType,
		credentialKey: String(credentialKey),
		reloadCredentials: async () => (await context.getCredentials(credentialType)) as Record<string, unknown>,
		...(executionId ? { executionId: String(executionId) } : {}),
		send: async (options: IHttpRequestOptions) =>
			(await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options, oauth2 ? { oauth2 } : undefined)) as RawResponse,
	});
}

/** The provider picked in the editor's current parameters (the default provider when unset). */
export function providerForEditor(context: ILoadOptionsFunctions): Promise<CrmProvider> {
	const picked = context.getCurrentNodeParameter('provider');
	return providerFor(context, picked ? String(picked) : PROVIDERS[0].authentications[0].value);
}
