// The Zoho CRM sandbox behind the shared CrmSandbox test interface (test/helpers/providers.ts), so
// the workflow tests can run the example workflows on Zoho by switching provider and credential.
// Leads, Cases (tickets), Deals (Stage in the default pipeline), Tasks (What_Id/Who_Id), Notes
// (Parent_Id); a logged email is a note titled "Email: <subject>" (as the Zoho provider logs it).
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmZohoOAuth2Api, ZOHO_DEFAULT_SCOPES } from '../../../credentials/CrmZohoOAuth2Api.credentials';
import { withoutDedupeMarker } from '../../../nodes/shared/providers/dedupeMarker';
import type { CrmSandbox, StoredTask } from '../../helpers/providers';
import type { ProviderTarget } from '../../helpers/switchProvider';
import { SANDBOX_CLIENT, startZohoServer } from './server';
import type { FakeZoho, ZohoRecord } from './index';

const MODULE = { lead: 'Leads', deal: 'Deals', ticket: 'Cases' } as const;
const LOGGED_EMAIL_TITLE = /^Email: /;
const withoutMarker = (text: unknown) => withoutDedupeMarker(String(text ?? '')) ?? '';

/**
 * Credential data as n8n stores it after the OAuth2 sign-in: client, data centre, the token
 * endpoint of the sandbox's accounts server and the token Zoho returned (with api_domain).
 */
export function zohoCredentialData(zoho: FakeZoho): ICredentialDataDecryptedObject {
	return {
		grantType: 'authorizationCode',
		dataCentre: 'US',
		clientId: SANDBOX_CLIENT.clientId,
		clientSecret: SANDBOX_CLIENT.clientSecret,
		authUrl: `${zoho.baseUrl}/oauth/v2/auth`,
		accessTokenUrl: `${zoho.baseUrl}/oauth/v2/token`,
		scope: ZOHO_DEFAULT_SCOPES,
		authQueryParameters: 'access_type=offline&prompt=consent',
		authentication: 'body',
		zohoAutomation: 'default',
		oauthTokenData: {
			access_token: zoho.token,
			refresh_token: SANDBOX_CLIENT.refreshToken,
			api_domain: zoho.apiDomain('us'),
			token_type: 'Bearer',
			expires_in: 3600,
		},
	};
}

export class ZohoSandbox implements CrmSandbox {
	zoho!: FakeZoho;
	readonly target: ProviderTarget;
	readonly credentialTypes = { crmZohoOAuth2Api: new CrmZohoOAuth2Api() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};

	/** `credential` must be the reference the workflows' nodes use (CREDENTIAL_REF). */
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
	useExampleProcess() {
		this.zoho.useExampleProcess();
	}
	userId(email: string) {
		const user = this.zoho.user(email);
		if (!user) throw new Error(`No sandbox user ${email}`);
		return user.id;
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		return this.zoho.createRecord('Leads', {
			Email: f.email,
			...(f.firstName ? { First_Name: f.firstName } : {}),
			Last_Name: f.lastName ?? f.email.split('@')[0],
			// Company is mandatory on Zoho leads (see seed.js).
			Company: f.company ?? 'Acme',
		}).id;
	}
	createTicket(subject: string) {
		return this.zoho.createRecord('Cases', { Subject: subject }).id;
	}
	createDeal(name: string, stage: string, amount?: number) {
		return this.zoho.createRecord('Deals', { Deal_Name: name, Stage: stage, Closing_Date: '2026-12-31', ...(amount !== undefined ? { Amount: amount } : {}) }).id;
	}
	moveDeal(id: string, stage: string) {
		this.zoho.updateRecord('Deals', id, { Stage: stage });
	}
	dealStage(id: string) {
		return String(this.record('Deals', id).Stage);
	}
	createOpenTask(ownerEmail: string) {
		this.zoho.createRecord('Tasks', { Subject: 'x', Owner: { id: this.userId(ownerEmail) } });
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		return String(this.zoho.getRecord(MODULE[resource], id)?.Owner?.id ?? '');
	}
	tasks(): StoredTask[] {
		return this.zoho.listRecords('Tasks').map((t) => ({
			subject: t.Subject,
			ownerId: String(t.Owner?.id ?? ''),
			priority: t.Priority ? String(t.Priority).toLowerCase() : undefined,
			related: [t.What_Id?.id, t.Who_Id?.id].filter(Boolean),
			open: t.Status !== 'Completed',
		}));
	}
	private allNotes() {
		return this.zoho.listRecords('Notes');
	}
	notes() {
		return this.allNotes()
			.filter((n) => !LOGGED_EMAIL_TITLE.test(String(n.Note_Title ?? '')))
			.map((n) => ({ body: withoutMarker(n.Note_Content), related: [n.Parent_Id?.id].filter(Boolean) }));
	}
	loggedEmails() {
		return this.allNotes()
			.filter((n) => LOGGED_EMAIL_TITLE.test(String(n.Note_Title ?? '')))
			.map((n) => ({ subject: String(n.Note_Title).replace(LOGGED_EMAIL_TITLE, ''), body: withoutMarker(n.Note_Content), related: [n.Parent_Id?.id].filter(Boolean) }));
	}
	private record(module: string, id: string): ZohoRecord {
		const record = this.zoho.getRecord(module, id);
		if (!record) throw new Error(`No ${module} record ${id} in the Zoho sandbox`);
		return record;
	}
}
