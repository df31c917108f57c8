import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { CrmProvider } from '../providers/Provider';
import { providerDefinition } from '../providers/registry';
import type { RawResponse } from '../transport/http';

type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/**
 * Builds the provider the user chose, authenticated with n8n's own request helper, so the
 * credential is applied by n8n and never handled by the package.
 */
export async function providerFor(context: NodeContext, providerId: string): Promise<CrmProvider> {
	const definition = providerDefinition(providerId);
	const credentials = await context.getCredentials(definition.credentialType);
	const credentialRef = context.getNode().credentials?.[definition.credentialType];
	const credentialKey = credentialRef?.id ?? credentialRef?.name ?? definition.credentialType;
	return definition.create({
		credentials: credentials as Record<string, unknown>,
		credentialKey: String(credentialKey),
		send: async (options: IHttpRequestOptions) =>
			(await context.helpers.httpRequestWithAuthentication.call(
				context,
				definition.credentialType,
				options,
			)) as RawResponse,
	});
}
