/* eslint-disable */
// Lead → Score through the in-process n8n harness on each CRM's sandbox, with activities written
// into the sandbox at known times (the sandbox clock moved back), so every figure is hand-checked:
// rules + Σ weight·2^(−age/half-life) + band, then the batched write-back of score and band.
import * as fs from 'node:fs';
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { CRM_TRIGGER_TYPE, CRM_TYPE, itemsNode } from '../helpers/crmWorkflow';
import { runWorkflow } from '../helpers/n8nHarness';
import { CREDENTIAL_REF, HubSpotSandbox, SalesforceSandbox } from '../helpers/providers';
import type { CrmSandbox } from '../helpers/providers';
import { switchProvider } from '../helpers/switchProvider';
import { EspoCrmSandbox } from '../sandbox/espocrm/crmSandbox';
import { PipedriveSandbox } from '../helpers/pipedriveSandbox';
import { ZohoSandbox } from '../helpers/zohoSandbox';
import { Crm } from '../../nodes/Crm/Crm.node';
import { CrmTrigger } from '../../nodes/CrmTrigger/CrmTrigger.node';
import { resetLimiters } from '../../nodes/shared/transport/rateLimiter';

const DAY = 86_400_000;
const SCORED_AT = Date.UTC(2026, 10, 30, 12); // 2026-11-30T12:00:00Z
const ago = (days: number) => SCORED_AT - days * DAY;

interface LeadSpec {
	lastName: string;
	email: string;
	title: string;
	company?: string;
}

/** What each sandbox needs to hold a lead with activities at given times. */
interface Seeder {
	sandbox: CrmSandbox;
	/** Moves the sandbox clock for direct writes (activity and history times come from it). */
	at<T>(ms: number, write: () => T): T;
	lead(spec: LeadSpec): string;
	/** A contact with one email logged on it at the clock's time. */
	contactWithEmail(email: string): string;
	email(leadId: string): void;
	task(leadId: string): void;
	/** Other kinds the CRM records on a lead, each written at the clock's time; returns their kinds. */
	otherActivities(leadId: string): string[];
	/** A status change, where the provider reads them (null: it does not). */
	statusChange: ((leadId: string) => void) | null;
	writeBack: { scoreField?: string; bandField?: string };
	stored(leadId: string): { score?: unknown; band?: unknown };
}

function withClock(server: { setClock(fn: () => number): void }, ms: number, write: () => any) {
	server.setClock(() => ms);
	try {
		return write();
	} finally {
		server.setClock(() => Date.now());
	}
}

function hubspotSeeder(box: HubSpotSandbox): Seeder {
	const hs = () => box.hubspot as any;
	return {
		sandbox: box,
		at: (ms, write) => withClock(hs(), ms, write),
		lead: (s) =>
			String(
				hs().createObject('contacts', {
					lastname: s.lastName,
					email: s.email,
					jobtitle: s.title,
					...(s.company ? { company: s.company } : {}),
					lifecyclestage: 'lead',
					hs_lead_status: 'NEW',
				}).id,
			),
		email: (id) => hs().createObject('emails', { hs_timestamp: new Date(hs().now()).toISOString(), hs_email_subject: 'Hello', hs_email_direction: 'EMAIL' }, { associations: [{ toType: 'contacts', toId: id, typeId: 198 }] }),
		task: (id) => hs().createObject('tasks', { hs_timestamp: new Date(hs().now()).toISOString(), hs_task_subject: 'Call', hs_task_status: 'COMPLETED' }, { associations: [{ toType: 'contacts', toId: id, typeId: 204 }] }),
		otherActivities: (id) => {
			hs().createObject('notes', { hs_timestamp: new Date(hs().now()).toISOString(), hs_note_body: 'Met at the fair' }, { associations: [{ toType: 'contacts', toId: id, typeId: 202 }] });
			return ['note'];
		},
		contactWithEmail: (email) => {
			const id = String(hs().createObject('contacts', { lastname: 'Contact', email, lifecyclestage: 'customer' }).id);
			hs().createObject('emails', { hs_timestamp: new Date(hs().now()).toISOString(), hs_email_subject: 'Hi', hs_email_direction: 'EMAIL' }, { associations: [{ toType: 'contacts', toId: id, typeId: 198 }] });
			return id;
		},
		statusChange: (id) => hs().updateObject('contacts', id, { hs_lead_status: 'OPEN' }),
		writeBack: { scoreField: 'lead_score', bandField: 'lead_band' },
		stored: (id) => {
			const p = hs().getObject('contacts', id).properties;
			return { score: p.lead_score, band: p.lead_band };
		},
	};
}

function salesforceSeeder(box: SalesforceSandbox): Seeder {
	const sf = () => box.salesforce as any;
	return {
		sandbox: box,
		at: (ms, write) => withClock(sf(), ms, write),
		lead: (s) => sf().insert('Lead', { LastName: s.lastName, Email: s.email, Title: s.title, Company: s.company ?? '[not provided]' }).Id,
		email: (id) => sf().insert('Task', { Subject: 'Email: Hello', WhoId: id, TaskSubtype: 'Email', Status: 'Completed', OwnerId: sf().integrationUserId }),
		task: (id) => sf().insert('Task', { Subject: 'Call', WhoId: id, Status: 'Completed', OwnerId: sf().integrationUserId }),
		otherActivities: (id) => {
			sf().insert('Note', { ParentId: id, Title: 'Met at the fair' });
			sf().insert('Task', { Subject: 'Call', WhoId: id, TaskSubtype: 'Call', Status: 'Completed', OwnerId: sf().integrationUserId });
			sf().insert('Task', { Subject: 'Demo', WhoId: id, Type: 'Meeting', Status: 'Completed', OwnerId: sf().integrationUserId });
			return ['note', 'call', 'meeting'];
		},
		contactWithEmail: (email) => {
			const id = sf().insert('Contact', { LastName: 'Contact', Email: email }).Id;
			sf().insert('Task', { Subject: 'Email: Hi', WhoId: id, TaskSubtype: 'Email', Status: 'Completed', OwnerId: sf().integrationUserId });
			return id;
		},
		// The sandbox has no LeadHistory; the provider does not read status moves yet.
		statusChange: null,
		// No custom fields in the sandbox org: the band goes to the standard Lead.Rating picklist.
		writeBack: { bandField: 'Rating' },
		stored: (id) => ({ band: sf().get('Lead', id).Rating }),
	};
}

function espoSeeder(box: EspoCrmSandbox): Seeder {
	const espo = () => box.espo as any;
	const ana = () => box.userId('ana@example.com');
	const espoTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
	return {
		sandbox: box,
		at: (ms, write) => withClock(espo(), ms, write),
		lead: (s) => espo().createRecord('Lead', { lastName: s.lastName, emailAddress: s.email, title: s.title, ...(s.company ? { accountName: s.company } : {}), status: 'New' }).id,
		email: (id) =>
			espo().createRecord('Email', { name: 'Hello', from: 'ana@example.com', to: 'lead@example.com', status: 'Archived', parentType: 'Lead', parentId: id, dateSent: espoTime(espo().now()) }, { skipChecks: true }),
		task: (id) => espo().createRecord('Task', { name: 'Call', parentType: 'Lead', parentId: id, assignedUserId: ana(), status: 'Completed', dateEnd: espoTime(espo().now()) }),
		otherActivities: (id) => {
			espo().postNote('Lead', id, 'Met at the fair');
			return ['note'];
		},
		contactWithEmail: (email) => {
			const id = espo().createRecord('Contact', { lastName: 'Contact', emailAddress: email }).id;
			espo().createRecord('Email', { name: 'Hi', from: 'ana@example.com', to: email, status: 'Archived', parentType: 'Contact', parentId: id, dateSent: espoTime(espo().now()) }, { skipChecks: true });
			return id;
		},
		statusChange: (id) => espo().updateRecord('Lead', id, { status: 'Assigned' }),
		writeBack: { scoreField: 'cScore', bandField: 'cBand' },
		stored: (id) => {
			const r = espo().getRecord('Lead', id);
			return { score: r.cScore, band: r.cBand };
		},
	};
}

function pipedriveSeeder(box: PipedriveSandbox): Seeder {
	const pd = () => box.pd;
	const ana = () => ({ userId: Number(box.userId('ana@example.com')) });
	/** An activity at the clock's time: done then; an email also scheduled then (`due_date`/`due_time`, UTC). */
	const activity = (type: string, link: Record<string, unknown>) => {
		const at = new Date(pd().now()).toISOString();
		pd().create('activities', { type, subject: type, done: true, ...(type === 'email' ? { due_date: at.slice(0, 10), due_time: at.slice(11, 16) } : {}), ...link }, ana());
	};
	return {
		sandbox: box,
		at: (ms, write) => withClock(pd(), ms, write),
		lead: (s) => {
			const org = s.company ? pd().create('organizations', { name: s.company }, ana()) : undefined;
			const person = pd().create('persons', { name: s.lastName, emails: [{ value: s.email, primary: true, label: 'work' }], job_title: s.title, ...(org ? { org_id: org.id } : {}) }, ana());
			return String(pd().create('leads', { title: `${s.lastName} lead`, person_id: person.id, ...(org ? { organization_id: org.id } : {}) }, ana()).id);
		},
		email: (id) => activity('email', { lead_id: id }),
		task: (id) => activity('task', { lead_id: id }),
		otherActivities: (id) => {
			activity('call', { lead_id: id });
			activity('meeting', { lead_id: id });
			pd().create('notes', { content: 'Met at the fair', lead_id: id }, ana());
			return ['call', 'meeting', 'note'];
		},
		contactWithEmail: (email) => {
			const person = pd().create('persons', { name: 'Contact', emails: [{ value: email, primary: true, label: 'work' }] }, ana());
			activity('email', { person_id: person.id });
			return String(person.id);
		},
		// A lead's labels are not logged in Pipedrive: no status moves to read.
		statusChange: null,
		// No custom fields on leads in the sandbox (Pipedrive's leads share the deal fields): nothing written back.
		writeBack: {},
		stored: () => ({}),
	};
}

function zohoSeeder(box: ZohoSandbox): Seeder {
	const z = () => box.zoho;
	const zohoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
	/** An email sent from Zoho on the record (what its Emails related list shows). */
	const sentEmail = (module: string, recordId: string, subject: string) =>
		z().sentEmails.push({ module, recordId, message_id: `m-${z().sentEmails.length + 1}`, from: { email: 'admin@example.com' }, to: [{ email: 'lead@example.com' }], subject, content: subject, mail_format: 'text', sent_time: zohoTime(z().now()), scheduled_time: null });
	/** An email this package logged on the record: a note titled "Email: <subject>". */
	const loggedEmail = (module: string, recordId: string, subject: string) => z().createRecord('Notes', { Note_Title: `Email: ${subject}`, Note_Content: subject, Parent_Id: { module: { api_name: module }, id: recordId } });
	box.useExampleProcess();
	let emails = 0;
	return {
		sandbox: box,
		at: (ms, write) => withClock(z(), ms, write),
		lead: (s) => z().createRecord('Leads', { Last_Name: s.lastName, Email: s.email, Designation: s.title, Company: s.company ?? '[not provided]' }).id,
		// Both kinds of email Zoho keeps, in turn: sent from Zoho (the Emails list), then logged as a note.
		email: (id) => (emails++ % 2 === 0 ? sentEmail('Leads', id, 'Hello') : loggedEmail('Leads', id, 'Hello')),
		task: (id) => z().createRecord('Tasks', { Subject: 'Call', Status: 'Completed', What_Id: { id }, $se_module: 'Leads' }),
		otherActivities: (id) => {
			const now = z().now();
			z().createRecord('Calls', { Subject: 'Intro', Call_Type: 'Outbound', Call_Start_Time: zohoTime(now), What_Id: { id }, $se_module: 'Leads' });
			z().createRecord('Events', { Event_Title: 'Demo', Start_DateTime: zohoTime(now), End_DateTime: zohoTime(now + 3_600_000), What_Id: { id }, $se_module: 'Leads' });
			z().createRecord('Notes', { Note_Title: 'Fair', Note_Content: 'Met at the fair', Parent_Id: { module: { api_name: 'Leads' }, id } });
			return ['call', 'meeting', 'note'];
		},
		contactWithEmail: (email) => {
			const id = z().createRecord('Contacts', { Last_Name: 'Contact', Email: email }).id;
			loggedEmail('Contacts', id, 'Hi');
			return id;
		},
		// Zoho has no field-history API for leads: status moves are not read.
		statusChange: null,
		writeBack: { scoreField: 'Lead_Score', bandField: 'Lead_Band' },
		stored: (id) => {
			const r = z().getRecord('Leads', id)!;
			return { score: r.Lead_Score, band: r.Lead_Band };
		},
	};
}

const RULES = [
	{ name: 'Senior title', field: 'title', operator: 'contains', value: 'VP', weight: 40 },
	{ name: 'Company given', field: 'company', operator: 'isSet', weight: 10 },
	{ name: 'New this month', field: 'createdAt', operator: 'withinDays', days: 30, weight: 5 },
];
const EVENTS = [
	{ name: 'Emails', kind: 'email', weight: 20, halfLifeDays: 7 },
	{ name: 'Tasks', kind: 'task', weight: 8, halfLifeDays: 14 },
	{ name: 'Status moves', kind: 'stageChange', weight: 6, halfLifeDays: 2 },
];

function scoreWorkflow(sandbox: CrmSandbox, ids: string[], parameters: IDataObject, resource = 'lead') {
	const workflow: any = switchProvider(
		<any>{
			nodes: [
				{ id: 'n0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'n1', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(ids.map((id) => ({ id }))) } },
				{
					id: 'n2',
					name: 'Score Lead',
					type: CRM_TYPE,
					typeVersion: 1,
					position: [400, 0],
					parameters: { provider: 'hubspot', resource, operation: 'score', recordId: '={{ $json.id }}', ...parameters },
					credentials: { crmHubSpotApi: CREDENTIAL_REF },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Score Lead', type: 'main', index: 0 }]] },
			},
		},
		sandbox.target,
	);
	return runWorkflow({
		workflow: { nodes: workflow.nodes, connections: workflow.connections },
		nodeTypes: { [CRM_TYPE]: new Crm(), 'test.items': itemsNode },
		credentialTypes: sandbox.credentialTypes,
		credentials: sandbox.credentials,
	});
}

/**
 * n8n's own If node from the pinned n8n runtime (test/e2e/install-n8n-runtime.sh), so the
 * example's branch runs the real thing; the stand-in below only where that runtime is absent.
 */
const RUNTIME_IF = `${process.env.HOME}/.cache/n8n-nodes-crm-automation/n8n-2.41.1/node_modules/n8n-nodes-base/dist/nodes/If/If.node.js`;
function realIfNode(): INodeType | undefined {
	if (!fs.existsSync(RUNTIME_IF)) return undefined;
	const { If } = require(RUNTIME_IF);
	return new If();
}

/**
 * Stands in for n8n's If node (v2) in-process, for the one kind of condition the example uses
 * (string equals, case-sensitive); anything else throws, so the stand-in cannot pass silently.
 */
const ifNode: INodeType = {
	description: { displayName: 'If', name: 'if', group: ['transform'], version: [2, 2.2], description: '', defaults: { name: 'If' }, inputs: ['main'], outputs: ['main', 'main'], properties: [{ displayName: 'Conditions', name: 'conditions', type: 'json', default: {} }] },
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const out: [any[], any[]] = [[], []];
		items.forEach((item, i) => {
			const conditions = this.getNodeParameter('conditions', i) as any;
			const holds = conditions.conditions.map((c: any) => {
				if (c.operator.type !== 'string' || c.operator.operation !== 'equals') throw new Error(`If stand-in: ${JSON.stringify(c.operator)} not modelled`);
				return String(c.leftValue) === String(c.rightValue);
			});
			const pass = conditions.combinator === 'or' ? holds.some(Boolean) : holds.every(Boolean);
			out[pass ? 0 : 1].push({ json: item.json, pairedItem: { item: i } });
		});
		return out;
	},
};

const hubspot = new HubSpotSandbox();
const salesforce = new SalesforceSandbox('jwt');
const espocrm = new EspoCrmSandbox(CREDENTIAL_REF, 'hmac');
const pipedrive = new PipedriveSandbox(CREDENTIAL_REF);
const zoho = new ZohoSandbox(CREDENTIAL_REF);
const SEEDERS: Array<[CrmSandbox, () => Seeder]> = [
	[hubspot, () => hubspotSeeder(hubspot)],
	[salesforce, () => salesforceSeeder(salesforce)],
	[espocrm, () => espoSeeder(espocrm)],
	[pipedrive, () => pipedriveSeeder(pipedrive)],
	[zoho, () => zohoSeeder(zoho)],
];
/** The requests the sandbox server received so far. */
const requestsOf = (sandbox: CrmSandbox): unknown[] => ((sandbox as any).hubspot ?? (sandbox as any).salesforce ?? (sandbox as any).espo ?? (sandbox as any).zoho ?? (sandbox as any).pd).requests;

for (const [sandbox, seederOf] of SEEDERS) {
	describe(`Score on ${sandbox.target.provider}`, () => {
		let seed: Seeder;
		beforeAll(() => sandbox.start());
		afterAll(() => sandbox.stop());
		beforeEach(async () => {
			await sandbox.reset();
			resetLimiters();
			seed = seederOf();
		});
		afterEach(() => expect(sandbox.violations()).toEqual([]));

		/** Three leads: a VP with recent email and task, an engineer with an old email, a VP without activity. */
		function seedLeads() {
			const vp = seed.at(ago(20), () => seed.lead({ lastName: 'Vega', email: 'vera.vega@acme.example', title: 'VP Sales', company: 'Acme' }));
			seed.at(ago(7), () => seed.email(vp));
			seed.at(ago(14), () => seed.email(vp));
			seed.at(ago(14), () => seed.task(vp));
			if (seed.statusChange) seed.at(ago(2), () => seed.statusChange!(vp));
			// An email after the scoring time is not counted.
			seed.at(ago(-1), () => seed.email(vp));
			const engineer = seed.at(ago(20), () => seed.lead({ lastName: 'Eng', email: 'eng@globex.example', title: 'Engineer', company: 'Globex' }));
			seed.at(ago(21), () => seed.email(engineer));
			const quiet = seed.at(ago(60), () => seed.lead({ lastName: 'Quiet', email: 'q@initech.example', title: 'VP Ops', company: 'Initech' }));
			return { vp, engineer, quiet };
		}

		test('rules, decayed activities and bands, with a breakdown; score and band written back in one batch', async () => {
			const ids = seedLeads();
			const defineWriteBackFields = () => {
				if (sandbox === hubspot) {
					hubspot.hubspot.defineProperty('contacts', 'lead_score', { type: 'number' });
					hubspot.hubspot.defineProperty('contacts', 'lead_band');
				}
				if (sandbox === espocrm) {
					(espocrm.espo as any).defineAttribute('Lead', 'cScore', { kind: 'float' });
					(espocrm.espo as any).defineAttribute('Lead', 'cBand', { kind: 'varchar' });
				}
				if (sandbox === zoho) {
					zoho.zoho.defineField('Leads', 'Lead_Score', 'double');
					zoho.zoho.defineField('Leads', 'Lead_Band', 'text');
				}
			};
			defineWriteBackFields();
			const result = await scoreWorkflow(sandbox, [ids.vp, ids.engineer, ids.quiet], {
				scoreRules: { rule: RULES },
				scoreEvents: { event: EVENTS },
				bands: 'Hot=60, Warm=30, Cold',
				scoredAt: new Date(SCORED_AT).toISOString(),
				scoreOptions: seed.writeBack,
			});
			expect(result.error).toBeUndefined();
			const out = (result.nodes['Score Lead'].items[0] ?? []).map((i) => i.json as any);
			const stage = seed.statusChange ? 3 : 0;
			// vp: 40 + 10 + 5 (created 20 days ago) + emails 20·2^−1 + 20·2^−2 = 15 + task 8·2^−1 = 4
			//     (+ status move 6·2^−1 = 3 where the CRM's status history is read) = 74 (77)
			// engineer: 10 + 5 + email 20·2^−3 = 2.5 → 17.5; quiet: 40 + 10 (created 60 days ago) = 50
			expect(out.map((o) => [o.id, o.score, o.band])).toEqual([
				[ids.vp, 74 + stage, 'Hot'],
				[ids.engineer, 17.5, 'Cold'],
				[ids.quiet, 50, 'Warm'],
			]);
			const vp = out[0];
			expect(vp.scoredAt).toBe('2026-11-30T12:00:00.000Z');
			expect(vp.breakdown.rules.map((r: any) => [r.name, r.matched, r.points])).toEqual([
				['Senior title', true, 40],
				['Company given', true, 10],
				['New this month', true, 5],
			]);
			const [emails, tasks, moves] = vp.breakdown.events;
			expect(emails).toMatchObject({ count: 2, points: 15 });
			expect(emails.events.map((e: any) => [e.ageDays, e.points])).toEqual([
				[7, 10],
				[14, 5],
			]);
			expect(tasks).toMatchObject({ count: 1, points: 4 });
			expect(tasks.events[0].ageDays).toBe(14);
			expect(moves).toMatchObject(seed.statusChange ? { count: 1, points: 3 } : { count: 0, points: 0 });

			// One batch call wrote all three (HubSpot batch update, Salesforce sObject Collections).
			if (sandbox === hubspot) expect(hubspot.hubspot.requests.filter((r) => r.method === 'POST' && r.path === '/crm/v3/objects/contacts/batch/update')).toHaveLength(1);
			if (sandbox === salesforce) expect(salesforce.salesforce.requests.filter((r: any) => r.method === 'PATCH' && /\/composite\/sobjects$/.test(r.path))).toHaveLength(1);
			if (sandbox === zoho) expect(zoho.zoho.requests.filter((r) => r.method === 'PUT' && /\/Leads$/.test(r.path))).toHaveLength(1);
			// Written back: every lead, score and band (Salesforce: the band only, to Rating; Pipedrive: nothing).
			const written = Object.values(seed.writeBack);
			expect(vp.written).toEqual(written);
			for (const [id, score, band] of written.length ? ([[ids.vp, 74 + stage, 'Hot'], [ids.engineer, 17.5, 'Cold'], [ids.quiet, 50, 'Warm']] as const) : []) {
				const stored = seed.stored(id);
				expect(stored.band).toBe(band);
				if (seed.writeBack.scoreField) expect(Number(stored.score)).toBe(score);
			}
		});

		test('contacts are scored the same way, with their own activities', async () => {
			const contact = seed.at(ago(3), () => seed.contactWithEmail('buyer@acme.example'));
			const result = await scoreWorkflow(
				sandbox,
				[contact],
				{
					scoreRules: { rule: [{ name: 'Acme', field: 'email', operator: 'contains', value: 'ACME', weight: 7 }] },
					scoreEvents: { event: [{ name: 'Emails', kind: 'email', weight: 12, halfLifeDays: 3 }] },
					bands: 'A=20, B=10, C',
					scoredAt: new Date(SCORED_AT).toISOString(),
				},
				'contact',
			);
			expect(result.error).toBeUndefined();
			const [out] = (result.nodes['Score Lead'].items[0] ?? []).map((i) => i.json as any);
			// 7 + 12·2^−1 = 13 → B
			expect([out.id, out.score, out.band, out.breakdown.events[0].events[0].ageDays]).toEqual([contact, 13, 'B', 3]);
		});

		test('notes, calls and meetings are told apart, where the CRM records them', async () => {
			const lead = seed.at(ago(10), () => seed.lead({ lastName: 'Kinds', email: 'kinds@acme.example', title: 'CTO', company: 'Acme' }));
			const kinds = seed.at(ago(4), () => seed.otherActivities(lead));
			seed.at(ago(4), () => seed.task(lead));
			const terms = ['note', 'call', 'meeting', 'task', 'email'].map((kind) => ({ name: kind, kind, weight: 8, halfLifeDays: 2 }));
			const result = await scoreWorkflow(sandbox, [lead], { scoreEvents: { event: terms }, scoredAt: new Date(SCORED_AT).toISOString(), bands: 'A=10, B' });
			expect(result.error).toBeUndefined();
			const [out] = (result.nodes['Score Lead'].items[0] ?? []).map((i) => i.json as any);
			// Each activity 4 days old with half-life 2: 8·2^−2 = 2 points.
			const counted = Object.fromEntries(out.breakdown.events.map((e: any) => [e.kind, [e.count, e.points]]));
			expect(counted).toEqual({
				note: kinds.includes('note') ? [1, 2] : [0, 0],
				call: kinds.includes('call') ? [1, 2] : [0, 0],
				meeting: kinds.includes('meeting') ? [1, 2] : [0, 0],
				task: [1, 2],
				email: [0, 0],
			});
			expect(out.score).toBe(2 * (kinds.length + 1));
		});
		if (sandbox === zoho) {
			test('Zoho: calls and meetings (the Calls and Events modules) are event terms too', async () => {
				const z = zoho.zoho;
				const lead = seed.at(ago(20), () => seed.lead({ lastName: 'Vega', email: 'vera.vega@acme.example', title: 'Engineer', company: 'Acme' }));
				const zohoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
				seed.at(ago(4), () => z.createRecord('Calls', { Subject: 'Intro', Call_Type: 'Outbound', Call_Start_Time: zohoTime(ago(4)), What_Id: { id: lead }, $se_module: 'Leads' }));
				seed.at(ago(10), () => z.createRecord('Events', { Event_Title: 'Demo', Start_DateTime: zohoTime(ago(1)), End_DateTime: zohoTime(ago(1) + 3_600_000), What_Id: { id: lead }, $se_module: 'Leads' }));
				// A meeting of another lead is not this lead's.
				const other = seed.lead({ lastName: 'Other', email: 'o@initech.example', title: 'CEO', company: 'Initech' });
				seed.at(ago(1), () => z.createRecord('Events', { Event_Title: 'Other demo', Start_DateTime: zohoTime(ago(1)), End_DateTime: zohoTime(ago(1) + 3_600_000), What_Id: { id: other }, $se_module: 'Leads' }));
				const result = await scoreWorkflow(sandbox, [lead], {
					scoreRules: { rule: [RULES[1]] },
					scoreEvents: { event: [{ name: 'Calls', kind: 'call', weight: 8, halfLifeDays: 2 }, { name: 'Meetings', kind: 'meeting', weight: 30, halfLifeDays: 1 }] },
					bands: 'A=20, B',
					scoredAt: new Date(SCORED_AT).toISOString(),
				});
				expect(result.error).toBeUndefined();
				const [out] = (result.nodes['Score Lead'].items[0] ?? []).map((i) => i.json as any);
				// 10 (company) + call 8·2^(−4/2) = 2 + meeting (its start, 1 day ago) 30·2^−1 = 15 → 27 → A
				expect([out.score, out.band]).toEqual([27, 'A']);
				expect(out.breakdown.events.map((e: any) => [e.name, e.count, e.points])).toEqual([
					['Calls', 1, 2],
					['Meetings', 1, 15],
				]);
			});
		}

		test('the same records and scoring time give the same scores on a second run', async () => {
			const ids = seedLeads();
			const params = { scoreRules: { rule: RULES }, scoreEvents: { event: EVENTS }, bands: 'Hot=60, Warm=30, Cold', scoredAt: new Date(SCORED_AT).toISOString() };
			const first = await scoreWorkflow(sandbox, [ids.vp, ids.quiet], params);
			const second = await scoreWorkflow(sandbox, [ids.vp, ids.quiet], params);
			const scores = (r: typeof first) => (r.nodes['Score Lead'].items[0] ?? []).map((i) => [i.json.score, i.json.band, i.json.breakdown]);
			expect(scores(second)).toEqual(scores(first));
		});

		test('example 07: a new lead is scored; the A band goes to the best rep, the others round robin', async () => {
			const example = JSON.parse(fs.readFileSync('examples/07-score-and-route-leads.json', 'utf8'));
			const run = () => {
				const workflow: any = switchProvider(example, sandbox.target);
				return runWorkflow({
					workflow: { nodes: workflow.nodes, connections: workflow.connections },
					nodeTypes: { [CRM_TYPE]: new Crm(), [CRM_TRIGGER_TYPE]: new CrmTrigger(), 'n8n-nodes-base.if': realIfNode() ?? ifNode },
					credentialTypes: sandbox.credentialTypes,
					credentials: sandbox.credentials,
					startNodeName: 'New Lead',
				});
			};
			const outputOf = (result: Awaited<ReturnType<typeof run>>, node: string) => (result.nodes[node]?.items[0] ?? []).map((i) => i.json as any);

			// VP Sales at a company, work address, no activity yet: 40 + 10 + 10 = 60 → A → ana.
			const vp = seed.lead({ lastName: 'Vega', email: 'vera.vega@acme.example', title: 'VP Sales', company: 'Acme' });
			const first = await run();
			expect(first.error).toBeUndefined();
			expect(outputOf(first, 'Score Lead').map((o) => [o.id, o.score, o.band])).toEqual([[vp, 60, 'A']]);
			expect(outputOf(first, 'Best Rep').map((o) => [o.id, o.assignedTo.email])).toEqual([[vp, 'ana@example.com']]);
			expect(first.nodes['Round Robin']).toBeUndefined();
			expect(sandbox.ownerOf('lead', vp)).toBe(sandbox.userId('ana@example.com'));

			// An engineer with a free-mail address: 10 − 20 = −10 → C → round robin, first turn ben.
			await sandbox.reset();
			resetLimiters();
			seed = seederOf();
			const engineer = seed.lead({ lastName: 'Eng', email: 'eng.globex@gmail.example', title: 'Engineer', company: 'Globex' });
			const second = await run();
			expect(second.error).toBeUndefined();
			expect(outputOf(second, 'Score Lead').map((o) => [o.id, o.score, o.band])).toEqual([[engineer, -10, 'C']]);
			expect(outputOf(second, 'Round Robin').map((o) => [o.id, o.assignedTo.email])).toEqual([[engineer, 'ben@example.com']]);
			expect(second.nodes['Best Rep']).toBeUndefined();
			expect(sandbox.ownerOf('lead', engineer)).toBe(sandbox.userId('ben@example.com'));
		});

		test('a bad rule stops the run before anything is read or written, naming the rule', async () => {
			const ids = seedLeads();
			const before = requestsOf(sandbox).length;
			const result = await scoreWorkflow(sandbox, [ids.vp], {
				scoreRules: { rule: [RULES[0], { name: 'Industry', field: 'industry', operator: 'equals', value: 'Software', weight: 5 }] },
				scoreOptions: seed.writeBack,
			});
			expect(result.error?.message).toBe('Item 0: Rule 2 ("Industry"): unknown field "industry" for leads');
			const after = requestsOf(sandbox).length;
			expect(after).toBe(before);

			const halfLife = await scoreWorkflow(sandbox, [ids.vp], { scoreRules: { rule: RULES }, scoreEvents: { event: [{ name: 'Emails', kind: 'email', weight: 5, halfLifeDays: 0 }] } });
			expect(halfLife.error?.message).toBe('Item 0: Event term 1 ("Emails"): half-life must be above 0 days (got 0)');
		});
	});
}
