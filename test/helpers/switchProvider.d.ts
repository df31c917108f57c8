/* eslint-disable */
export interface ProviderTarget {
	provider: string;
	credentialType: string;
	credential: { id: string; name: string };
}
export function switchProvider<T extends { nodes: any[]; connections: any }>(workflow: T, target: ProviderTarget): T;
export const PACKAGE_PREFIX: string;
