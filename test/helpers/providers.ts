/* eslint-disable */
// Each provider's local sandbox behind one small test interface, so a workflow test can run the
// same workflow on every CRM (switching only provider and credential, as a user does) and check
// what the CRM stored in the same normalized terms.
import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { CrmHubSpotApi } from '../../credentials/CrmHubSpotApi.credentials';
import { CrmSalesforceJwtApi } from '../../credentials/CrmSalesforceJwtApi.credentials';
import { CrmSalesforceOAuth2Api } from '../../credentials/CrmSalesforceOAuth2Api.credentials';
import { startHubSpotServer } from '../sandbox/hubspot/server';
import type { FakeHubSpot } from '../sandbox/hubspot';
import { startSalesforceServer } from '../sandbox/salesforce/server';
import type { FakeSalesforce } from '../sandbox/salesforce';
import { EXAMPLE_PROCESS, jwtCredentialData, newKeyPair, oauth2CredentialData, registerApp, useExampleProcess } from '../sandbox/salesforce/connect';
import type { ProviderTarget } from './switchProvider';

export interface StoredTask {
	subject: string;
	ownerId: string;
	/** Lower-case priority as the CRM stores it (high, medium/normal, low). */
	priority?: string;
	related: string[];
	open: boolean;
}

export interface CrmSandbox {
	/** Provider id, authentication and credential type a workflow is switched to. */
	target: ProviderTarget;
	credentialTypes: Record<string, ICredentialType>;
	/** Credential data as stored in n8n (the harness passes it to the nodes). */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	start(): Promise<void>;
	stop(): Promise<void>;
	reset(): void | Promise<void>;
	violations(): string[];
	/** False where the CRM has no tickets (Pipedrive): ticket examples must fail naming that. */
	readonly tickets?: boolean;
	/** False where the CRM keeps no low/medium/high task priority the package writes (Pipedrive). */
	readonly taskPriority?: boolean;
	userId(email: string): string;
	/** The org's process named like the examples' (stage names a migrating company keeps). */
	useExampleProcess(): void;
	createLead(fields: { email: string; firstName?: string; lastName?: string; company?: string }): string;
	createTicket(subject: string): string;
	createDeal(name: string, stage: string, amount?: number): string;
	moveDeal(id: string, stage: string): void;
	dealStage(id: string): string;
	createOpenTask(ownerEmail: string): void;
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string): string;
	tasks(): StoredTask[];
	notes(): Array<{ body: string; related: string[] }>;
	loggedEmails(): Array<{ subject: string; body: string; related: string[] }>;
}

export const CREDENTIAL_REF = { id: 'cred-1', name: 'CRM sandbox' };

// ── HubSpot ────────────────────────────────────────────────────────────────────────────────
export class HubSpotSandbox implements CrmSandbox {
	hubspot!: FakeHubSpot;
	readonly target: ProviderTarget = { provider: 'hubspot', credentialType: 'crmHubSpotApi', credential: CREDENTIAL_REF };
	readonly credentialTypes = { crmHubSpotApi: new CrmHubSpotApi() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};
	private static readonly STAGES: Record<string, string> = {
		'Appointment scheduled': 'appointmentscheduled',
		'Qualified to buy': 'qualifiedtobuy',
		'Presentation scheduled': 'presentationscheduled',
		'Decision maker bought-in': 'decisionmakerboughtin',
		'Contract sent': 'contractsent',
		'Closed won': 'closedwon',
		'Closed lost': 'closedlost',
	};
	async start() {
		this.hubspot = await startHubSpotServer({ port: 0 });
		this.reset();
	}
	stop() {
		return this.hubspot.stop();
	}
	reset() {
		this.hubspot.reset();
		this.credentials = { crmHubSpotApi: { accessToken: this.hubspot.token, baseUrl: this.hubspot.baseUrl, rateLimitTier: '100', leadModel: 'contactLifecycle' } };
	}
	violations() {
		return this.hubspot.violations;
	}
	useExampleProcess() {}
	private owners(): any[] {
		return (this.hubspot as any).owners;
	}
	userId(email: string) {
		return String(this.owners().find((o) => o.email === email).id);
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		return String(this.hubspot.createObject('contacts', { email: f.email, ...(f.firstName ? { firstname: f.firstName } : {}), ...(f.lastName ? { lastname: f.lastName } : {}), ...(f.company ? { company: f.company } : {}), lifecyclestage: 'lead' }).id);
	}
	createTicket(subject: string) {
		return String(this.hubspot.createObject('tickets', { subject, hs_pipeline: '0', hs_pipeline_stage: '1' }).id);
	}
	createDeal(name: string, stage: string, amount?: number) {
		return String(this.hubspot.createObject('deals', { dealname: name, pipeline: 'default', dealstage: HubSpotSandbox.STAGES[stage] ?? stage, ...(amount !== undefined ? { amount: String(amount) } : {}) }).id);
	}
	moveDeal(id: string, stage: string) {
		this.hubspot.updateObject('deals', id, { dealstage: HubSpotSandbox.STAGES[stage] ?? stage });
	}
	dealStage(id: string) {
		const value = this.hubspot.getObject('deals', id).properties.dealstage;
		return Object.entries(HubSpotSandbox.STAGES).find(([, v]) => v === value)?.[0] ?? value;
	}
	createOpenTask(ownerEmail: string) {
		this.hubspot.createObject('tasks', { hs_task_subject: 'x', hs_timestamp: new Date().toISOString(), hs_task_status: 'NOT_STARTED', hubspot_owner_id: this.userId(ownerEmail) });
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		const type = resource === 'lead' ? 'contacts' : resource === 'deal' ? 'deals' : 'tickets';
		return String(this.hubspot.getObject(type, id).properties.hubspot_owner_id ?? '');
	}
	private related(type: string, id: string) {
		return ['contacts', 'deals', 'tickets', 'companies'].flatMap((to) => this.hubspot.associations(type, id, to));
	}
	tasks() {
		return this.hubspot.listObjects('tasks').map((t: any) => ({
			subject: t.properties.hs_task_subject,
			ownerId: String(t.properties.hubspot_owner_id ?? ''),
			priority: t.properties.hs_task_priority?.toLowerCase(),
			related: this.related('tasks', t.id),
			open: t.properties.hs_task_status !== 'COMPLETED',
		}));
	}
	notes() {
		return this.hubspot.listObjects('notes').map((n: any) => ({ body: n.properties.hs_note_body, related: this.related('notes', n.id) }));
	}
	loggedEmails() {
		return this.hubspot.listObjects('emails').map((e: any) => ({ subject: e.properties.hs_email_subject, body: e.properties.hs_email_text ?? e.properties.hs_email_html, related: this.related('emails', e.id) }));
	}
}

// ── Salesforce ─────────────────────────────────────────────────────────────────────────────
export { EXAMPLE_PROCESS };
const REDIRECT_URI = 'http://localhost/rest/oauth2-credential/callback';

export class SalesforceSandbox implements CrmSandbox {
	salesforce!: FakeSalesforce;
	readonly credentialTypes = { crmSalesforceJwtApi: new CrmSalesforceJwtApi(), crmSalesforceOAuth2Api: new CrmSalesforceOAuth2Api() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};
	constructor(readonly authentication: 'jwt' | 'oAuth2' = 'jwt') {}
	get target(): ProviderTarget {
		return {
			provider: this.authentication === 'jwt' ? 'salesforceJwt' : 'salesforce',
			credentialType: this.authentication === 'jwt' ? 'crmSalesforceJwtApi' : 'crmSalesforceOAuth2Api',
			credential: CREDENTIAL_REF,
		};
	}
	private readonly keys = newKeyPair();
	async start() {
		this.salesforce = await startSalesforceServer({ port: 0 });
		registerApp(this.salesforce, this.keys, REDIRECT_URI);
		await this.reset();
	}
	stop() {
		return this.salesforce.stop();
	}
	/** A fresh org; the OAuth2 credential signs in again (its refresh token is bound to the org). */
	async reset() {
		this.salesforce.reset();
		this.credentials = {
			crmSalesforceJwtApi: { ...jwtCredentialData(this.salesforce, this.keys), accessToken: '', instanceUrl: '' },
			crmSalesforceOAuth2Api: {
				...(await oauth2CredentialData(this.salesforce, REDIRECT_URI)),
				// n8n resolves these from the credential's hidden expressions; the harness takes them as stored.
				authUrl: `${this.salesforce.baseUrl}/services/oauth2/authorize`,
				accessTokenUrl: `${this.salesforce.baseUrl}/services/oauth2/token`,
			},
		};
		this.salesforce.requests.length = 0;
	}
	violations() {
		return this.salesforce.violations;
	}
	useExampleProcess() {
		useExampleProcess(this.salesforce);
	}
	userId(email: string) {
		return this.salesforce.list('User').find((u) => u.Email === email)!.Id;
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		return this.salesforce.insert('Lead', { Email: f.email, FirstName: f.firstName ?? null, LastName: f.lastName ?? f.email.split('@')[0], Company: f.company ?? 'Acme' }).Id;
	}
	createTicket(subject: string) {
		return this.salesforce.insert('Case', { Subject: subject }).Id;
	}
	createDeal(name: string, stage: string, amount?: number) {
		return this.salesforce.insert('Opportunity', { Name: name, StageName: stage, CloseDate: '2026-12-31', ...(amount !== undefined ? { Amount: amount } : {}) }).Id;
	}
	moveDeal(id: string, stage: string) {
		this.salesforce.update('Opportunity', id, { StageName: stage });
	}
	dealStage(id: string) {
		return this.salesforce.get('Opportunity', id)!.StageName;
	}
	createOpenTask(ownerEmail: string) {
		this.salesforce.insert('Task', { Subject: 'x', OwnerId: this.userId(ownerEmail), ActivityDate: '2026-12-01' });
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		const sobject = resource === 'lead' ? 'Lead' : resource === 'deal' ? 'Opportunity' : 'Case';
		return this.salesforce.get(sobject, id)!.OwnerId;
	}
	private allTasks() {
		return this.salesforce.list('Task').map((t): Record<string, any> => ({ ...t, related: [t.WhoId, t.WhatId].filter(Boolean) as string[] }));
	}
	tasks() {
		return this.allTasks()
			.filter((t) => t.TaskSubtype !== 'Email')
			.map((t) => ({ subject: t.Subject, ownerId: t.OwnerId, priority: String(t.Priority ?? '').toLowerCase() || undefined, related: t.related, open: t.IsClosed !== true }));
	}
	notes() {
		return this.salesforce.list('Note').map((n) => ({ body: String(n.Body ?? ''), related: [n.ParentId] }));
	}
	loggedEmails() {
		return this.allTasks()
			.filter((t) => t.TaskSubtype === 'Email')
			.map((t) => ({ subject: t.Subject, body: String(t.Description ?? '').replace(/\n\[crm-dedupe:[0-9a-f]+\]$/, ''), related: t.related }));
	}
}
