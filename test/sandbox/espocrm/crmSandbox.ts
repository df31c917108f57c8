// The EspoCRM sandbox behind the shared CrmSandbox test interface (test/helpers/providers.ts), so
// the workflow tests can run the example workflows on EspoCRM by switching provider and credential.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmEspoCrmApi } from '../../../credentials/CrmEspoCrmApi.credentials';
import type { CrmSandbox, StoredTask } from '../../helpers/providers';
import type { ProviderTarget } from '../../helpers/switchProvider';
import { startEspoCrmServer, useExampleProcess } from './server';
import type { EspoRecord, FakeEspoCrm } from './index';
import { espoCredentials } from './testing';
import type { AuthKind } from './testing';

const CLOSED_TASK_STATUSES = ['Completed', 'Canceled', 'Deferred'];
const ENTITY = { lead: 'Lead', deal: 'Opportunity', ticket: 'Case' } as const;
const withoutMarker = (text: unknown) =>
	String(text ?? '')
		.replace(/<!-- crm-dedupe:[0-9a-f]+ -->/g, '')
		.replace(/\s*\[crm-dedupe:[0-9a-f]+\]$/, '');

export class EspoCrmSandbox implements CrmSandbox {
	espo!: FakeEspoCrm;
	readonly target: ProviderTarget;
	readonly credentialTypes = { crmEspoCrmApi: new CrmEspoCrmApi() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};

	/** `credential` must be the reference the workflows' nodes use (CREDENTIAL_REF). */
	constructor(
		credential: { id: string; name: string },
		private readonly auth: AuthKind = 'hmac',
	) {
		this.target = { provider: 'espocrm', credentialType: 'crmEspoCrmApi', credential };
	}

	async start() {
		this.espo = await startEspoCrmServer({ port: 0 });
		this.reset();
	}
	stop() {
		return this.espo.stop();
	}
	reset() {
		this.espo.reset();
		this.credentials = { crmEspoCrmApi: espoCredentials(this.espo, this.auth) };
	}
	violations() {
		return this.espo.violations;
	}
	useExampleProcess() {
		useExampleProcess(this.espo);
	}
	userId(email: string) {
		const user = this.espo.listUsers().find((u) => u.emailAddress === email);
		if (!user) throw new Error(`No sandbox user ${email}`);
		return user.id;
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		return this.espo.createRecord('Lead', {
			emailAddress: f.email,
			...(f.firstName ? { firstName: f.firstName } : {}),
			...(f.lastName ? { lastName: f.lastName } : {}),
			...(f.company ? { accountName: f.company } : {}),
		}).id;
	}
	createTicket(subject: string) {
		return this.espo.createRecord('Case', { name: subject }).id;
	}
	createDeal(name: string, stage: string, amount?: number) {
		return this.espo.createRecord('Opportunity', { name, stage, amount: amount ?? 0, closeDate: '2026-12-31' }).id;
	}
	moveDeal(id: string, stage: string) {
		this.espo.updateRecord('Opportunity', id, { stage });
	}
	dealStage(id: string) {
		return String(this.espo.getRecord('Opportunity', id)!.stage);
	}
	createOpenTask(ownerEmail: string) {
		this.espo.createRecord('Task', { name: 'x', assignedUserId: this.userId(ownerEmail) });
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		return String(this.espo.getRecord(ENTITY[resource], id)?.assignedUserId ?? '');
	}
	tasks(): StoredTask[] {
		return this.espo.listRecords('Task').map((t: EspoRecord) => ({
			subject: t.name,
			ownerId: String(t.assignedUserId ?? ''),
			priority: t.priority ? String(t.priority).toLowerCase() : undefined,
			related: [t.parentId].filter(Boolean),
			open: !CLOSED_TASK_STATUSES.includes(t.status),
		}));
	}
	notes() {
		return this.espo
			.listNotes()
			.filter((n) => n.type === 'Post')
			.map((n) => ({ body: withoutMarker(n.post), related: [n.parentId].filter((id): id is string => !!id) }));
	}
	loggedEmails() {
		return this.espo.listRecords('Email').map((e: EspoRecord) => ({ subject: e.name, body: withoutMarker(e.body), related: [e.parentId].filter(Boolean) }));
	}
}
