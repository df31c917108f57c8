// The Zoho sandbox behind the shared CrmSandbox test interface (./providers.ts), so the workflow
// tests run the example workflows on Zoho CRM by switching provider and credential. The credential
// is n8n's OAuth2 credential as n8n stores it after sign-in: the token response (with api_domain)
// in oauthTokenData; n8n-core refreshes it at the sandbox's token endpoint on a 401.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmZohoOAuth2Api, ZOHO_DEFAULT_SCOPES } from '../../credentials/CrmZohoOAuth2Api.credentials';
import type { CrmSandbox, StoredTask } from './providers';
import type { ProviderTarget } from './switchProvider';
import { SANDBOX_CLIENT, startZohoServer } from '../sandbox/zoho/server';
import type { FakeZoho, ZohoRecord } from '../sandbox/zoho';
import { withoutDedupeMarker } from '../../nodes/shared/providers/dedupeMarker';

const MODULE = { lead: 'Leads', deal: 'Deals', ticket: 'Cases' } as const;

export function zohoCredentialData(zoho: FakeZoho, extra: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return {
		grantType: 'authorizationCode',
		dataCentre: 'US',
		clientId: SANDBOX_CLIENT.clientId,
		clientSecret: SANDBOX_CLIENT.clientSecret,
		// n8n resolves these from the credential's hidden expressions; the harness takes them as stored.
		authUrl: `${zoho.baseUrl}/oauth/v2/auth`,
		accessTokenUrl: `${zoho.baseUrl}/oauth/v2/token`,
		scope: ZOHO_DEFAULT_SCOPES,
		authQueryParameters: 'access_type=offline&prompt=consent',
		authentication: 'body',
		zohoAutomation: 'default',
		oauthTokenData: { access_token: zoho.token, refresh_token: SANDBOX_CLIENT.refreshToken, api_domain: zoho.baseUrl, token_type: 'Bearer', expires_in: 3600 },
		...extra,
	} as ICredentialDataDecryptedObject;
}

export class ZohoSandbox implements CrmSandbox {
	zoho!: FakeZoho;
	readonly target: ProviderTarget;
	readonly credentialTypes = { crmZohoOAuth2Api: new CrmZohoOAuth2Api() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};

	constructor(credential: { id: string; name: string }) {
		this.target = { provider: 'zoho', credentialType: 'crmZohoOAuth2Api', credential };
	}
	async start() {
		this.zoho = await startZohoServer({ port: 0 });
		this.reset();
	}
	stop() {
		return this.zoho.stop();
	}
	reset() {
		this.zoho.reset();
		this.credentials = { crmZohoOAuth2Api: zohoCredentialData(this.zoho) };
	}
	violations() {
		return this.zoho.violations;
	}
	/** The examples' stage names, and their team (Ana, Ben, Cleo) as active Zoho users. */
	useExampleProcess() {
		this.zoho.useExampleProcess();
		const team = [
			['5725767000000000121', 'Ana', 'Alvarez', 'ana@example.com'],
			['5725767000000000122', 'Ben', 'Baker', 'ben@example.com'],
			['5725767000000000123', 'Cleo', 'Chen', 'cleo@example.com'],
		];
		for (const [id, first_name, last_name, email] of team) {
			if (!this.zoho.user(email)) this.zoho.users.push({ id, first_name, last_name, email, status: 'active', role: 'Manager', profile: 'Standard' });
		}
	}
	userId(email: string) {
		const user = this.zoho.user(email);
		if (!user) throw new Error(`No sandbox user ${email}`);
		return user.id;
	}
	/** Records made by a person in Zoho (not the credential's own user). */
	private get person() {
		return { actor: this.zoho.users[1].id };
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		return this.zoho.createRecord('Leads', { Email: f.email, Last_Name: f.lastName ?? f.email.split('@')[0], ...(f.firstName ? { First_Name: f.firstName } : {}), Company: f.company ?? 'Acme' }, this.person).id;
	}
	createTicket(subject: string) {
		return this.zoho.createRecord('Cases', { Subject: subject, Status: 'New', Case_Origin: 'Email' }, this.person).id;
	}
	createDeal(name: string, stage: string, amount?: number) {
		return this.zoho.createRecord('Deals', { Deal_Name: name, Stage: stage, Closing_Date: '2026-12-31', ...(amount !== undefined ? { Amount: amount } : {}) }, this.person).id;
	}
	moveDeal(id: string, stage: string) {
		this.zoho.updateRecord('Deals', id, { Stage: stage }, this.person);
	}
	dealStage(id: string) {
		return String(this.zoho.getRecord('Deals', id)!.Stage);
	}
	createOpenTask(ownerEmail: string) {
		this.zoho.createRecord('Tasks', { Subject: 'x', Status: 'Not Started', Owner: { id: this.userId(ownerEmail) } }, this.person);
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		return String(this.zoho.getRecord(MODULE[resource], id)?.Owner?.id ?? '');
	}
	tasks(): StoredTask[] {
		return this.zoho.listRecords('Tasks').map((t: ZohoRecord) => ({
			subject: t.Subject,
			ownerId: String(t.Owner?.id ?? ''),
			priority: t.Priority ? String(t.Priority).toLowerCase() : undefined,
			related: [t.What_Id?.id, t.Who_Id?.id].filter(Boolean),
			open: t.Status !== 'Completed',
		}));
	}
	private allNotes() {
		return this.zoho.listRecords('Notes').map((n: ZohoRecord) => ({ title: String(n.Note_Title ?? ''), body: withoutDedupeMarker(n.Note_Content) ?? '', related: [n.Parent_Id?.id].filter(Boolean) as string[] }));
	}
	notes() {
		return this.allNotes()
			.filter((n) => !/^Email( sent)?: /.test(n.title))
			.map(({ body, related }) => ({ body, related }));
	}
	/** Logged emails are notes titled "Email: <subject>" (Zoho's API has no logged-email record). */
	loggedEmails() {
		return this.allNotes()
			.filter((n) => n.title.startsWith('Email: '))
			.map((n) => ({ subject: n.title.slice('Email: '.length), body: n.body, related: n.related }));
	}
}
