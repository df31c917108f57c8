/* eslint-disable */
// The Pipedrive sandbox behind the shared CrmSandbox test interface (./providers.ts), so the
// workflow tests run the example workflows on Pipedrive by switching provider and credential.
// Pipedrive has no tickets (createTicket throws), keeps no low/medium/high task priority the
// package writes (priority stays undefined), and logs emails as notes ("Email: <subject> …").
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmPipedriveApi } from '../../credentials/CrmPipedriveApi.credentials';
import { dedupeMarker } from '../../nodes/shared/providers/pipedrive/PipedriveProvider';
import type { CrmSandbox, StoredTask } from './providers';
import type { ProviderTarget } from './switchProvider';
import { startPipedriveServer, useExampleProcess } from '../sandbox/pipedrive/server';
import type { FakePipedrive, PipedriveRecord } from '../sandbox/pipedrive';

const MARKER = new RegExp(`\\s*${dedupeMarker('KEY').replace(/[[\]]/g, '\\$&').replace('KEY', '[^\\]]+')}\\s*$`);
const withoutMarker = (text: unknown) => String(text ?? '').replace(MARKER, '');
const EMAIL_NOTE = /^Email(?:: (.*?))?(?: \(to [^)]*\))?\n\n([\s\S]*)$/;

export class PipedriveSandbox implements CrmSandbox {
	pd!: FakePipedrive;
	readonly target: ProviderTarget;
	readonly credentialTypes = { crmPipedriveApi: new CrmPipedriveApi() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};
	readonly tickets = false;
	readonly taskPriority = false;

	constructor(credential: { id: string; name: string }) {
		this.target = { provider: 'pipedrive', credentialType: 'crmPipedriveApi', credential };
	}
	async start() {
		this.pd = await startPipedriveServer({ port: 0 });
		this.reset();
	}
	stop() {
		return this.pd.stop();
	}
	reset() {
		this.pd.reset();
		this.credentials = { crmPipedriveApi: { companyDomain: this.pd.baseUrl, apiToken: this.pd.apiToken } };
	}
	violations() {
		return this.pd.violations;
	}
	useExampleProcess() {
		useExampleProcess(this.pd);
	}
	userId(email: string) {
		const user = this.pd.userByEmail(email);
		if (!user) throw new Error(`No sandbox user ${email}`);
		return String(user.id);
	}
	private get ana() {
		return Number(this.userId('ana@example.com'));
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		const name = [f.firstName, f.lastName].filter(Boolean).join(' ') || f.email;
		const person = this.pd.create('persons', { name, emails: [{ value: f.email, primary: true, label: 'work' }] }, { userId: this.ana });
		const org = f.company ? this.pd.create('organizations', { name: f.company }, { userId: this.ana }) : undefined;
		return String(this.pd.create('leads', { title: f.company ? `${f.company} lead` : name, person_id: person.id, ...(org ? { organization_id: org.id } : {}) }, { userId: this.ana }).id);
	}
	createTicket(): string {
		throw new Error('Pipedrive has no tickets');
	}
	private stageId(stage: string) {
		const found = this.pd.stageByName(stage);
		if (!found) throw new Error(`No Pipedrive sandbox stage ${stage}`);
		return found.id;
	}
	createDeal(name: string, stage: string, amount?: number) {
		return String(this.pd.create('deals', { title: name, stage_id: this.stageId(stage), ...(amount !== undefined ? { value: amount, currency: 'EUR' } : {}) }, { userId: this.ana }).id);
	}
	moveDeal(id: string, stage: string) {
		this.pd.update('deals', id, { stage_id: this.stageId(stage) }, { userId: this.ana });
	}
	dealStage(id: string) {
		const deal = this.pd.get('deals', id)!;
		return String(this.pd.list('stages').find((s) => s.id === deal.stage_id)?.name ?? deal.stage_id);
	}
	createOpenTask(ownerEmail: string) {
		this.pd.create('activities', { subject: 'x', type: 'task', owner_id: Number(this.userId(ownerEmail)), done: false }, { userId: this.ana });
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		if (resource === 'ticket') throw new Error('Pipedrive has no tickets');
		return String(this.pd.get(resource === 'lead' ? 'leads' : 'deals', id)?.owner_id ?? '');
	}
	private related(r: PipedriveRecord): string[] {
		const participants = Array.isArray(r.participants) ? r.participants.map((p: any) => p.person_id) : [];
		return [r.deal_id, r.lead_id, r.person_id, ...participants, r.org_id].filter((v) => v !== undefined && v !== null).map(String).filter((v, i, all) => all.indexOf(v) === i);
	}
	tasks(): StoredTask[] {
		return this.pd.list('activities').map((a) => ({ subject: a.subject, ownerId: String(a.owner_id ?? ''), priority: undefined, related: this.related(a), open: !a.done }));
	}
	notes() {
		return this.pd
			.list('notes')
			.filter((n) => !EMAIL_NOTE.test(withoutMarker(n.content)))
			.map((n) => ({ body: withoutMarker(n.content), related: this.related(n) }));
	}
	/** Emails the package logged: notes that start with "Email: <subject>". */
	loggedEmails() {
		return this.pd.list('notes').flatMap((n) => {
			const match = EMAIL_NOTE.exec(withoutMarker(n.content));
			return match ? [{ subject: match[1] ?? '', body: match[2], related: this.related(n) }] : [];
		});
	}
}
