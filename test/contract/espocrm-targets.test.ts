/* eslint-disable */
// The EspoCRM contract suite that runs on two targets: the sandbox (default) and a real EspoCRM
// 9.x (ESPOCRM_KEYS=…/keys.json, see test/real/espocrm.sh). Everything here is read back from the
// target itself; records carry a run tag, so a real instance's other data does not matter.
// What it pins down is what real EspoCRM 9.1.7 does (issue 17): stage/status history in Status
// notes, the webhook trigger's moves, the Assignment Permission, secondary emails, Contact.title,
// the From address of emails, the user list of API users, Case numbers, phones, bad keys, and
// Metadata read once per execution.
import * as http from 'node:http';

import { useEspoTarget, runTag } from '../real/espocrmTarget';
import { poll } from '../../nodes/shared/engines/events/poller';
import type { CrmEvent, TriggerState } from '../../nodes/shared/contract/events';
import { createReport } from '../../nodes/shared/engines/reports/registry';
import { reportFromRecords } from '../../nodes/shared/engines/reports/run';
import { previousPeriod, resolvePeriod } from '../../nodes/shared/engines/reports/period';
import type { ReportContext } from '../../nodes/shared/engines/reports/context';
import { UserDirectory } from '../../nodes/shared/engines/assignment';
import type { Contact, Deal, Pipeline } from '../../nodes/shared/model/types';
import type { EspoTicket } from '../../nodes/shared/providers/espocrm/mapping';
import { toMs } from '../../nodes/shared/providers/espocrm/mapping';

const box = useEspoTarget();
const t = () => box.target;

const ok = <T>(result: { ok: boolean; value?: T; error?: Error }): T => {
	if (!result.ok) throw result.error;
	return result.value as T;
};
const failed = (result: { ok: boolean; error?: any }) => {
	expect(result.ok).toBe(false);
	return (result as any).error;
};

async function collect<T>(pages: AsyncGenerator<T[]>, keep: (item: T) => boolean): Promise<T[]> {
	const out: T[] = [];
	for await (const page of pages) out.push(...page.filter(keep));
	return out;
}

describe('records', () => {
	test('create and read back each resource; a new case has its number', async () => {
		const tag = runTag();
		const p = t().provider();
		const company = ok((await p.createRecords('company', [{ fields: { name: `Acme ${tag}` } }]))[0]) as any;
		const contact = ok((await p.createRecords('contact', [{ fields: { firstName: 'Ada', lastName: `L${tag}`, email: `ada.${tag}@x.example`, companyId: company.id } }]))[0]) as Contact;
		expect(contact).toMatchObject({ companyId: company.id, email: `ada.${tag}@x.example`, url: `${t().siteUrl}/#Contact/view/${contact.id}` });
		const deal = ok((await p.createRecords('deal', [{ fields: { name: `Deal ${tag}`, amount: 100, closeDate: '2026-12-31', stageId: 'Proposal' } }]))[0]) as Deal;
		expect(deal).toMatchObject({ stageId: 'Proposal', status: 'open', pipelineId: 'Opportunity', probability: 0.5 });
		const ticket = ok((await p.createRecords('ticket', [{ fields: { subject: `Case ${tag}`, priority: 'high' }, related: [{ type: 'contact', id: contact.id }] }]))[0]) as EspoTicket & { number?: string };
		const stored = await t().read('Case', ticket.id);
		// EspoCRM's create answer has no number: the provider reads it back.
		expect(ticket.number).toBe(String(stored.number));
		expect(stored).toMatchObject({ name: `Case ${tag}`, priority: 'High', status: 'New', contactId: contact.id });
		const task = ok((await p.createRecords('task', [{ fields: { subject: `Task ${tag}`, ownerId: t().userId('sam'), dueAt: '2026-12-01T10:00:00Z' }, related: [{ type: 'deal', id: deal.id }] }]))[0]) as any;
		expect(await t().read('Task', task.id)).toMatchObject({ assignedUserId: t().userId('sam'), dateEnd: '2026-12-01 10:00:00', parentType: 'Opportunity', parentId: deal.id });
		const [again] = await p.getRecords('deal', [deal.id]);
		expect(ok(again)).toMatchObject({ id: deal.id, name: `Deal ${tag}`, stageId: 'Proposal' });
	});

	test('phones come back in international form; a local number is refused with a hint', async () => {
		const tag = runTag();
		const p = t().provider();
		const lead = ok((await p.createRecords('lead', [{ fields: { lastName: `P${tag}`, phone: '+1 (555) 010-2000' } }]))[0]) as any;
		expect(lead.phone).toBe('+15550102000');
		const error = failed((await p.createRecords('lead', [{ fields: { lastName: `Q${tag}`, phone: '555-0100' } }]))[0]);
		expect(error).toMatchObject({ status: 400, field: 'phoneNumber' });
		expect(error.hint).toMatch(/international format/);
	});

	test('a contact title is stored as the role at its account; without an account it is refused, never lost', async () => {
		const tag = runTag();
		const p = t().provider();
		const account = await t().create('Account', { name: `TitleCo ${tag}` });
		const [alone, linked] = await p.createRecords('contact', [
			{ fields: { lastName: `NoAcc${tag}`, title: 'CEO' } },
			{ fields: { lastName: `Acc${tag}`, title: 'CTO', companyId: account.id } },
		]);
		expect(failed(alone)).toMatchObject({ field: 'title' });
		expect(t().callsTo('POST', '/Contact')).toHaveLength(1);
		const id = ok(linked).id;
		expect((await t().read('Contact', id)).title).toBe('CTO');
		// An update: fine while the contact has an account; refused for one without.
		const bare = await t().create('Contact', { lastName: `Bare${tag}` });
		const [kept, refused] = await p.updateRecords('contact', [
			{ id, fields: { title: 'CFO' } },
			{ id: bare.id, fields: { title: 'COO' } },
		]);
		expect(ok(kept)).toMatchObject({ id });
		expect((await t().read('Contact', id)).title).toBe('CFO');
		expect(failed(refused)).toMatchObject({ field: 'title' });
		expect(t().callsTo('PUT', `/Contact/${bare.id}`)).toHaveLength(0);
	});

	test('contact upsert by an address that is another contact\'s secondary email updates that contact', async () => {
		const tag = runTag();
		const existing = await t().create('Contact', {
			lastName: `Two${tag}`,
			emailAddressData: [
				{ emailAddress: `first.${tag}@x.example`, primary: true },
				{ emailAddress: `second.${tag}@x.example`, primary: false },
			],
		});
		const [result] = await t().provider().upsertContacts([{ fields: { email: `second.${tag}@x.example`, firstName: 'Found' } }]);
		expect(ok(result).id).toBe(existing.id);
		expect(t().callsTo('POST', '/Contact')).toHaveLength(0);
		const stored = await t().read('Contact', existing.id);
		expect(stored.firstName).toBe('Found');
		expect(stored.emailAddress).toBe(`first.${tag}@x.example`);
	});
});

describe('permissions and errors', () => {
	test('the README role without Assignment Permission: assigning fails with a hint that names it', async () => {
		const tag = runTag();
		const lead = await t().create('Lead', { lastName: `Assign${tag}` });
		const [result] = await t().provider('readme').updateRecords('lead', [{ id: lead.id, fields: { ownerId: t().userId('sam') } }]);
		const error = failed(result);
		expect(error).toMatchObject({ status: 403 });
		expect(error.message).toMatch(/^Assignment failure/);
		expect(error.hint).toMatch(/Assignment Permission/);
		expect(error.hint).not.toMatch(/"edit" access/);
		expect((await t().read('Lead', lead.id)).assignedUserId ?? null).toBeNull();
		// With the Assignment Permission (the full role) the same write goes through.
		ok((await t().provider('api').updateRecords('lead', [{ id: lead.id, fields: { ownerId: t().userId('sam') } }]))[0]);
		expect((await t().read('Lead', lead.id)).assignedUserId).toBe(t().userId('sam'));
	});

	test('an email (even Log Only) From an address without a group email account: 403 with a hint naming the account', async () => {
		const tag = runTag();
		const lead = await t().create('Lead', { lastName: `Mail${tag}`, emailAddress: `mail.${tag}@x.example` });
		const p = t().provider();
		const base = { channel: 'email' as const, delivery: 'log' as const, to: [`mail.${tag}@x.example`], subject: `Hello ${tag}`, body: 'Hi', related: [{ type: 'lead' as const, id: lead.id }] };
		const [refused] = await p.logMessages([{ ...base, from: 'nobody@example.com' }]);
		const error = failed(refused);
		expect(error).toMatchObject({ status: 403 });
		expect(error.hint).toMatch(/group email account/);
		expect(error.hint).not.toMatch(/create access to Email/);
		// The system address has its group account (as the README asks): logging works without a From.
		const [logged] = await p.logMessages([base]);
		expect(ok(logged).raw).toMatchObject({ from: 'crm@example.com', status: 'Archived', parentId: lead.id });
	});

	test('the API user\'s user list: active regular users only; an unknown user\'s hint lists real names', async () => {
		const users = await t().provider().listUsers();
		const ids = users.map((u) => u.id);
		expect(ids).toEqual(expect.arrayContaining([t().userId('sam'), t().userId('sue')]));
		// EspoCRM hides inactive and API users from non-admin users (so "deactivated" cannot be told apart from "unknown").
		expect(ids).not.toContain(t().userId('ivan'));
		expect(users.every((u) => u.active && u.name.trim() !== '')).toBe(true);
		const directory = new UserDirectory(t().provider());
		const error = await directory.resolve(t().userId('ivan'), 'ownerId').catch((e) => e);
		expect(error.message).toMatch(/Unknown user/);
		expect(error.hint).not.toMatch(/include: ,|, ,/);
	});

	test('a wrong API key: 401 without a reason, reported as wrong key', async () => {
		const p = t().provider('api', { credentials: { ...t().credentials('api'), apiKey: 'wrong-key' } });
		const error = await p.listUsers().catch((e) => e);
		expect(error).toMatchObject({ status: 401 });
		expect(error.message).toMatch(/wrong API key/);
	});

	test('Metadata is read once per execution and credential, not once per node', async () => {
		const execution = `exec-${runTag()}`;
		for (let node = 0; node < 3; node++) {
			const p = t().provider('api', { executionId: execution, credentialKey: 'cred-one' });
			await p.listPipelines('deal');
			await p.listPipelines('ticket');
		}
		expect(t().callsTo('GET', '/Metadata').map((c) => c.query.key)).toEqual(['entityDefs.Opportunity.fields.stage', 'entityDefs.Case.fields.status']);
		// Another execution reads again.
		await t().provider('api', { executionId: `${execution}-2`, credentialKey: 'cred-one' }).listPipelines('deal');
		expect(t().callsTo('GET', '/Metadata')).toHaveLength(3);
	});
});

describe('stage and status history (Status notes)', () => {
	async function stepDeal(tag: string, stages: string[]) {
		const p = t().provider();
		const deal = ok((await p.createRecords('deal', [{ fields: { name: `Steps ${tag}`, amount: 10, closeDate: '2026-12-31', stageId: stages[0] } }]))[0]) as Deal;
		for (const stage of stages.slice(1)) {
			await t().nextSecond();
			ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: stage } }]))[0]);
		}
		return deal;
	}

	test('each stage change is a Status note with the new value only', async () => {
		const deal = await stepDeal(runTag(), ['Prospecting', 'Qualification']);
		const notes = await t().notes('Opportunity', deal.id);
		expect(notes.map((n) => n.type)).toEqual(['Create', 'Status']);
		expect(notes[0].data).toMatchObject({ statusField: 'stage', statusValue: 'Prospecting' });
		expect(notes[1].data).toEqual({ field: 'stage', value: 'Qualification', style: expect.any(String) });
	});

	test('deal stage history and the funnel read the Status notes', async () => {
		const tag = runTag();
		const deal = await stepDeal(tag, ['Prospecting', 'Qualification', 'Proposal']);
		const notes = await t().notes('Opportunity', deal.id);
		const p = t().provider();
		const [mine] = await collect(p.streamRecords('deal', { stageHistory: true }), (d) => d.id === deal.id);
		const history = (mine as Deal).stageHistory!;
		expect(history.map((h) => h.stageId)).toEqual(['Prospecting', 'Qualification', 'Proposal']);
		expect(history.slice(1).map((h) => h.enteredAt)).toEqual(notes.filter((n) => n.type === 'Status').map((n) => toMs(n.createdAt)));
		const pipelines = await p.listPipelines('deal');
		const now = Date.now();
		const period = resolvePeriod('custom', { timeZone: 'UTC', now, start: new Date(now - 86_400_000).toISOString().slice(0, 10), end: new Date(now + 86_400_000).toISOString().slice(0, 10) });
		const ctx = reportContext(pipelines, now, period);
		const doc = reportFromRecords(createReport('funnel', ctx), [{ kind: 'deal', record: mine as any }]);
		const reached = Object.fromEntries(doc.tables[0].rows.map((row: any) => [row.stage ?? row.stageName ?? row[0], row]));
		// The deal moved on: it counts at every stage it passed, not only at its first.
		for (const stage of ['Prospecting', 'Qualification', 'Proposal']) expect(JSON.stringify(reached[stage] ?? doc.tables[0].rows)).toMatch(/1/);
		expect(JSON.stringify(doc.charts[0])).toMatch(/Prospecting.*Qualification.*Proposal/);
		expect((doc.charts[0] as any).series[0].values.slice(0, 3)).toEqual([1, 1, 1]);
	});

	test('a case closed, reopened and closed again: closed time and reopened count from Status notes', async () => {
		const tag = runTag();
		const p = t().provider();
		const ticket = ok((await p.createRecords('ticket', [{ fields: { subject: `Reopen ${tag}` } }]))[0]) as EspoTicket;
		for (const status of ['Closed', 'Assigned', 'Closed']) {
			await t().nextSecond();
			ok((await p.updateRecords('ticket', [{ id: ticket.id, fields: { status } }]))[0]);
		}
		const lastClose = (await t().notes('Case', ticket.id)).filter((n) => n.type === 'Status').pop()!;
		const [mine] = (await collect(p.streamRecords('ticket', {}), (c) => c.id === ticket.id)) as EspoTicket[];
		expect(mine).toMatchObject({ status: 'Closed', reopened: 1, closedAt: new Date(toMs(lastClose.createdAt)).toISOString() });
	});

	test('polling: A → B → C between two polls gives two events, each with its previous stage and its own time', async () => {
		const tag = runTag();
		const p = t().provider();
		const feed = p.eventFeed('dealStageChanged');
		const options = () => ({ safetyWindowMs: 120_000, nowMs: Date.now(), maxCandidates: 1000 });
		const deal = ok((await p.createRecords('deal', [{ fields: { name: `Poll ${tag}`, amount: 10, closeDate: '2026-12-31', stageId: 'Prospecting' } }]))[0]) as Deal;
		await t().nextSecond();
		let state: TriggerState | undefined = (await poll(feed, undefined, options())).state;
		await t().nextSecond();
		ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: 'Qualification' } }]))[0]);
		await t().nextSecond();
		ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: 'Proposal' } }]))[0]);
		const result = await poll(feed, state, options());
		const mine = result.events.filter((e) => e.record.id === deal.id);
		const statusNotes = (await t().notes('Opportunity', deal.id)).filter((n) => n.type === 'Status');
		expect(mine.map((e) => `${e.previous?.id}>${e.stage?.id}`)).toEqual(['Prospecting>Qualification', 'Qualification>Proposal']);
		expect(mine.map((e) => e.at)).toEqual(statusNotes.map((n) => toMs(n.createdAt)));
		expect(mine.map((e) => e.key)).toEqual(statusNotes.map((n) => `${deal.id}|stage|${n.id}`));
		// Nothing new: the next poll emits nothing for the deal.
		const idle = await poll(feed, result.state, options());
		expect(idle.events.filter((e) => e.record.id === deal.id)).toEqual([]);
	});

	test('HMAC: a mass update of several deals writes one Status note each; the stage history follows', async () => {
		const tag = runTag();
		const p = t().provider('hmac');
		const created = await p.createRecords('deal', [1, 2, 3].map((i) => ({ fields: { name: `Mass ${tag} ${i}`, amount: i, closeDate: '2026-12-31', stageId: 'Prospecting' } })));
		const ids = created.map((r) => (ok(r) as Deal).id);
		await t().nextSecond();
		const moved = await p.updateRecords('deal', ids.map((id) => ({ id, fields: { stageId: 'Negotiation' } })));
		expect(moved.map((r) => (ok(r) as Deal).stageId)).toEqual(['Negotiation', 'Negotiation', 'Negotiation']);
		expect(t().callsTo('POST', '/MassAction').map((c) => c.status)).toEqual([200]);
		for (const id of ids) {
			const notes = await t().notes('Opportunity', id);
			expect(notes.filter((n) => n.type === 'Status').map((n) => n.data)).toEqual([{ field: 'stage', value: 'Negotiation', style: expect.any(String) }]);
		}
		const deals = (await collect(p.streamRecords('deal', { stageHistory: true }), (d) => ids.includes(d.id))) as Deal[];
		expect(deals.map((d) => d.stageHistory!.map((h) => h.stageId))).toEqual([0, 1, 2].map(() => ['Prospecting', 'Negotiation']));
	});

	test('two moves in the same second: both emitted in order, the second\'s previous is the first\'s stage', async () => {
		const tag = runTag();
		const p = t().provider();
		const feed = p.eventFeed('dealStageChanged');
		const options = () => ({ safetyWindowMs: 120_000, nowMs: Date.now(), maxCandidates: 1000 });
		const deal = ok((await p.createRecords('deal', [{ fields: { name: `Fast ${tag}`, amount: 10, closeDate: '2026-12-31', stageId: 'Prospecting' } }]))[0]) as Deal;
		await t().nextSecond();
		const { state } = await poll(feed, undefined, options());
		await t().nextSecond();
		ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: 'Qualification' } }]))[0]);
		ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: 'Closed Won' } }]))[0]);
		const result = await poll(feed, state, options());
		const mine = result.events.filter((e) => e.record.id === deal.id);
		expect(mine.map((e) => `${e.previous?.id}>${e.stage?.id}:${e.stage?.closed}`)).toEqual(['Prospecting>Qualification:open', 'Qualification>Closed Won:won']);
	});

	test('ticket status changes: each move with its previous status', async () => {
		const tag = runTag();
		const p = t().provider();
		const feed = p.eventFeed('ticketStatusChanged');
		const options = () => ({ safetyWindowMs: 120_000, nowMs: Date.now(), maxCandidates: 1000 });
		const ticket = ok((await p.createRecords('ticket', [{ fields: { subject: `Status ${tag}` } }]))[0]) as EspoTicket;
		await t().nextSecond();
		const { state } = await poll(feed, undefined, options());
		await t().nextSecond();
		ok((await p.updateRecords('ticket', [{ id: ticket.id, fields: { status: 'Assigned' } }]))[0]);
		await t().nextSecond();
		ok((await p.updateRecords('ticket', [{ id: ticket.id, fields: { status: 'Closed' } }]))[0]);
		const result = await poll(feed, state, options());
		expect(result.events.filter((e) => e.record.id === ticket.id).map((e) => `${e.previous?.id}>${e.stage?.id}`)).toEqual(['New>Assigned', 'Assigned>Closed']);
	});

	test('webhook trigger: A → B → C delivered together gives both moves with previous, own times and the polling keys', async () => {
		const tag = runTag();
		const received: Array<{ headers: Record<string, string | undefined>; rawBody: Buffer }> = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers as Record<string, string | undefined>, rawBody: Buffer.concat(chunks) });
				res.writeHead(200).end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as any).port}/hook`;
		const p = t().provider();
		const source = p.instantEvents('dealStageChanged');
		const registration = await source.register(url);
		try {
			expect(t().callsTo('POST', '/Webhook').map((c) => c.status)).toEqual([201]);
			const deal = ok((await p.createRecords('deal', [{ fields: { name: `Hook ${tag}`, amount: 10, closeDate: '2026-12-31', stageId: 'Prospecting' } }]))[0]) as Deal;
			await t().nextSecond();
			ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: 'Qualification' } }]))[0]);
			await t().nextSecond();
			ok((await p.updateRecords('deal', [{ id: deal.id, fields: { stageId: 'Proposal' } }]))[0]);
			await t().runWebhookQueue();
			// The real job may need a second run (events → queue items → deliveries).
			if (received.length === 0) await t().runWebhookQueue();
			expect(received.length).toBeGreaterThan(0);
			const events: CrmEvent[] = [];
			for (const delivery of received) {
				expect(source.verify({ method: 'POST', url, headers: delivery.headers, rawBody: delivery.rawBody }, registration)).toBe(true);
				events.push(...(await source.toEvents(JSON.parse(delivery.rawBody.toString('utf8')))));
			}
			const mine = events.filter((e) => e.record.id === deal.id);
			const statusNotes = (await t().notes('Opportunity', deal.id)).filter((n) => n.type === 'Status');
			expect(mine.map((e) => `${e.previous?.id}>${e.stage?.id}`)).toEqual(['Prospecting>Qualification', 'Qualification>Proposal']);
			expect(mine.map((e) => e.at)).toEqual(statusNotes.map((n) => toMs(n.createdAt)));
			expect(mine.map((e) => e.key)).toEqual(statusNotes.map((n) => `${deal.id}|stage|${n.id}`));
		} finally {
			await source.unregister(registration);
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

function reportContext(pipelines: Pipeline[], now: number, period: ReturnType<typeof resolvePeriod>): ReportContext {
	return {
		period,
		previous: previousPeriod(period, 'custom'),
		grouping: 'none',
		now,
		currency: 'USD',
		pipelines,
		owners: new Map(),
		byOwner: false,
		workingHours: { timeZone: 'UTC', calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] }, start: '09:00', end: '17:00' },
		slaTargets: { firstResponse: { default: 8 }, resolution: { default: 40 } },
		atRiskShare: 0.8,
		stalledDays: 14,
		allowedHoursByStage: {},
		includeClosedDeals: true,
	};
}
