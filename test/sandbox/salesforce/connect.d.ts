/* eslint-disable */
import type { FakeSalesforce, PicklistValue } from './index';
export const CONSUMER_KEY: string;
export const CONSUMER_SECRET: string;
export const EXAMPLE_PROCESS: { OpportunityStage: PicklistValue[]; LeadStatus: PicklistValue[] };
export function useExampleProcess(sf: FakeSalesforce): void;
export function newKeyPair(): { publicKey: string; privateKey: string };
export function registerApp(sf: FakeSalesforce, keys: { publicKey: string }, redirectUri: string): void;
export function jwtCredentialData(sf: FakeSalesforce, keys: { privateKey: string }): Record<string, string>;
export function oauth2CredentialData(sf: FakeSalesforce, redirectUri: string): Promise<Record<string, any>>;
