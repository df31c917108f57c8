// The Pipedrive sandbox behind the shared CrmSandbox test interface (test/helpers/providers.ts), so
// the workflow tests can run the example workflows on Pipedrive by switching provider and credential.
// How Pipedrive's model meets the interface's normalized terms:
// - a lead is a Pipedrive lead (v1, UUID id) linked to a person with the email (and an organization
//   for the company); tasks are activities; notes are notes (v1); a logged email is a note too
//   (Pipedrive's API cannot send or log mail: the Mailbox API is read/update/delete only), told
//   apart by the first line the package's provider writes for an email: "Email: <subject> (to …)";
// - deal stages by name in the first pipeline; "Closed won"/"Closed lost" are the deal's status
//   (won/lost), not stages, as in Pipedrive;
// - Pipedrive has no tickets: createTicket throws, saying so.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmPipedriveApi } from '../../../credentials/CrmPipedriveApi.credentials';
import type { CrmSandbox, StoredTask } from '../../helpers/providers';
import type { ProviderTarget } from '../../helpers/switchProvider';
import { startPipedriveServer, useExampleProcess } from './server';
import type { FakePipedrive, PipedriveRecord } from './index';
import { pipedriveCredentials } from './testing';

const CLOSED_STAGES: Record<string, 'won' | 'lost'> = { 'Closed won': 'won', 'Closed lost': 'lost' };
/** Pipedrive's activity priority is a number; the sandbox reads 0 low, 1 medium, 2 high (UNCONFIRMED mapping, see UNCONFIRMED.md). */
const PRIORITY: Record<number, string> = { 0: 'low', 1: 'medium', 2: 'high' };
const withoutMarker = (text: unknown) =>
	String(text ?? '')
		.replace(/\s*\[n8n-crm:[^\]]*\]$/, '')
		.trim();
/** A note the provider wrote for an email: "Email: subject (to a, b)", a blank line, the body. */
const EMAIL_NOTE = /^Email(?:: (.*?))?(?: \(to [^\n]*\))?\n\n([\s\S]*)$/;

export class PipedriveSandbox implements CrmSandbox {
	pipedrive!: FakePipedrive;
	readonly target: ProviderTarget;
	readonly credentialTypes = { crmPipedriveApi: new CrmPipedriveApi() };
	credentials: Record<string, ICredentialDataDecryptedObject> = {};

	/** `credential` must be the reference the workflows' nodes use (CREDENTIAL_REF). */
	constructor(credential: { id: string; name: string }) {
		this.target = { provider: 'pipedrive', credentialType: 'crmPipedriveApi', credential };
	}

	async start() {
		this.pipedrive = await startPipedriveServer({ port: 0, limits: { plan: 'enterprise' } });
		this.reset();
	}
	stop() {
		return this.pipedrive.stop();
	}
	reset() {
		this.pipedrive.reset();
		this.pipedrive.setLimits({ plan: 'enterprise' });
		this.credentials = { crmPipedriveApi: pipedriveCredentials(this.pipedrive) };
	}
	violations() {
		return this.pipedrive.violations;
	}
	useExampleProcess() {
		useExampleProcess(this.pipedrive);
	}
	userId(email: string) {
		const user = this.pipedrive.userByEmail(email) ?? this.pipedrive.users.find((u) => u.email.split('@')[0] === email);
		if (!user) throw new Error(`No Pipedrive sandbox user ${email}`);
		return String(user.id);
	}
	createLead(f: { email: string; firstName?: string; lastName?: string; company?: string }) {
		const name = [f.firstName, f.lastName].filter(Boolean).join(' ') || f.email;
		const org = f.company ? this.pipedrive.create('organizations', { name: f.company }) : undefined;
		const person = this.pipedrive.create('persons', { name, emails: [{ value: f.email, primary: true, label: 'work' }], ...(org ? { org_id: org.id } : {}) });
		return String(this.pipedrive.create('leads', { title: `${name} lead`, person_id: person.id, ...(org ? { organization_id: org.id } : {}) }).id);
	}
	createTicket(subject: string): string {
		throw new Error(`Pipedrive has no tickets (no support/case object in its API): cannot create "${subject}"; the ticket examples cannot run on Pipedrive.`);
	}
	private stageId(stage: string) {
		const found = this.pipedrive.stageByName(stage);
		if (!found) throw new Error(`No Pipedrive sandbox stage "${stage}" (stages: ${this.pipedrive.list('stages').map((s) => s.name).join(', ')})`);
		return found.id;
	}
	/** Fields of a deal in `stage`: a stage by name, or a won/lost status for the closed "stages". */
	private placement(stage: string): Record<string, unknown> {
		return CLOSED_STAGES[stage] ? { status: CLOSED_STAGES[stage] } : { stage_id: this.stageId(stage), status: 'open' };
	}
	createDeal(name: string, stage: string, amount?: number) {
		const { status, ...rest } = this.placement(stage);
		const deal = this.pipedrive.create('deals', { title: name, ...rest, ...(amount !== undefined ? { value: amount } : {}) });
		if (status !== 'open') this.pipedrive.update('deals', deal.id, { status });
		return String(deal.id);
	}
	/** A move in Pipedrive's web app: recorded in the deal's flow/changelog (change_source app) and sent to webhooks. */
	moveDeal(id: string, stage: string) {
		this.pipedrive.update('deals', Number(id), this.placement(stage));
	}
	dealStage(id: string) {
		const deal = this.pipedrive.get('deals', Number(id))!;
		if (deal.status === 'won') return 'Closed won';
		if (deal.status === 'lost') return 'Closed lost';
		return String(this.pipedrive.get('stages', deal.stage_id)?.name);
	}
	createOpenTask(ownerEmail: string) {
		this.pipedrive.create('activities', { subject: 'x', type: 'task', owner_id: Number(this.userId(ownerEmail)), done: false });
	}
	ownerOf(resource: 'lead' | 'deal' | 'ticket', id: string) {
		if (resource === 'ticket') return '';
		const record = resource === 'lead' ? this.pipedrive.get('leads', id) : this.pipedrive.get('deals', Number(id));
		return String(record?.owner_id ?? '');
	}
	private related(r: PipedriveRecord): string[] {
		return [r.lead_id, r.deal_id].filter((v) => v !== null && v !== undefined).map(String);
	}
	tasks(): StoredTask[] {
		return this.pipedrive.list('activities').map((a) => ({
			subject: a.subject,
			ownerId: String(a.owner_id),
			priority: a.priority === null || a.priority === undefined ? undefined : PRIORITY[a.priority],
			related: this.related(a),
			open: !a.done,
		}));
	}
	private allNotes() {
		return this.pipedrive.list('notes').map((n) => ({ content: String(n.content), related: this.related(n) }));
	}
	notes() {
		return this.allNotes()
			.filter((n) => !EMAIL_NOTE.test(n.content))
			.map((n) => ({ body: withoutMarker(n.content), related: n.related }));
	}
	loggedEmails() {
		return this.allNotes()
			.map((n) => ({ match: EMAIL_NOTE.exec(n.content), related: n.related }))
			.filter((n) => n.match)
			.map((n) => ({ subject: (n.match![1] ?? '').trim(), body: withoutMarker(n.match![2]), related: n.related }));
	}
}
