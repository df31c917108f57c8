/* eslint-disable */
// EspoCRM ↔ normalized model, value formats, stage lists from metadata and the stream reading
// behind stage history and ticket times — plain data, no HTTP.
import {
	espoDate,
	espoDateTime,
	isoOf,
	relatedAttributes,
	toAttributes,
	toMs,
	toRecord,
} from '../../nodes/shared/providers/espocrm/mapping';
import type { MappingContext } from '../../nodes/shared/providers/espocrm/mapping';
import { EspoMetadata } from '../../nodes/shared/providers/espocrm/metadata';
import { EspoStream, initialValue, stageHistory, ticketTimes, transitions } from '../../nodes/shared/providers/espocrm/stream';
import type { EspoNote } from '../../nodes/shared/providers/espocrm/stream';
import type { EspoClient } from '../../nodes/shared/providers/espocrm/client';
import { inputErrorOf } from './expectError';

const expectError = (fn: () => unknown, expected: Record<string, unknown>) => expect(inputErrorOf(fn)).toMatchObject(expected);

const dealPipeline = {
	id: 'Opportunity',
	name: 'Opportunity stages',
	objectType: 'deal' as const,
	stages: [
		{ id: 'Prospecting', name: 'Prospecting', order: 0, probability: 0.1, closed: 'open' as const },
		{ id: 'Closed Won', name: 'Closed Won', order: 1, probability: 1, closed: 'won' as const },
		{ id: 'Closed Lost', name: 'Closed Lost', order: 2, probability: 0, closed: 'lost' as const },
	],
};
const ctx: MappingContext = { siteUrl: 'https://crm.example.com', pipelines: [dealPipeline] };

describe('values', () => {
	test('date-times go out as UTC "YYYY-MM-DD HH:mm:ss" and come back as ISO', () => {
		expect(espoDateTime('2026-03-29T01:30:00+02:00')).toBe('2026-03-28 23:30:00');
		expect(espoDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02 03:04:05');
		expect(espoDateTime('2026-01-02 03:04')).toBe('2026-01-02 03:04:00');
		expect(isoOf('2026-01-02 03:04:05')).toBe('2026-01-02T03:04:05.000Z');
		expect(toMs('2026-01-02')).toBe(Date.UTC(2026, 0, 2));
		expect(isoOf('')).toBeUndefined();
		expectError(() => espoDateTime('next week', 'dueAt'), { message: '"next week" is not a date', field: 'dueAt' });
	});

	test('a written calendar date is kept; an instant becomes its UTC date', () => {
		expect(espoDate('2026-12-31T23:30:00-05:00')).toBe('2026-12-31');
		expect(espoDate('2026-12-31')).toBe('2026-12-31');
		expect(espoDate(Date.UTC(2026, 11, 31, 23, 30))).toBe('2026-12-31');
		expect(espoDate(new Date(Date.UTC(2027, 0, 1, 0, 30)))).toBe('2027-01-01');
	});
});

describe('writes', () => {
	test('normalized fields become EspoCRM attributes, with conversions', () => {
		expect(toAttributes('deal', { name: 'D', amount: '1,234.5', currency: 'EUR', stageId: 'Proposal', closeDate: '2026-05-01T12:00:00Z', probability: 0.35, contactIds: 'a, b', ownerId: 'u1' })).toEqual({
			name: 'D',
			amount: 1234.5,
			amountCurrency: 'EUR',
			stage: 'Proposal',
			closeDate: '2026-05-01',
			probability: 35,
			contactsIds: ['a', 'b'],
			assignedUserId: 'u1',
		});
		expect(toAttributes('deal', { probability: 60 }).probability).toBe(60);
		expect(toAttributes('ticket', { subject: 'S', priority: 'MEDIUM', stageId: 'Pending' })).toEqual({ name: 'S', priority: 'Normal', status: 'Pending' });
		expect(toAttributes('task', { subject: 'T', body: 'b', dueAt: '2026-01-01T09:00:00Z', status: 'completed', priority: 'urgent' })).toEqual({
			name: 'T',
			description: 'b',
			dateEnd: '2026-01-01 09:00:00',
			status: 'Completed',
			priority: 'Urgent',
		});
		expect(toAttributes('task', { status: 'open' }).status).toBe('Not Started');
		expect(toAttributes('task', { status: 'Deferred' }).status).toBe('Deferred');
		expect(toAttributes('company', { domain: 'acme.example' })).toEqual({ website: 'acme.example' });
		expect(toAttributes('contact', { emailOptOut: 'true', phoneOptOut: false }, { cRegion: 'EMEA' })).toEqual({ emailAddressIsOptedOut: true, phoneNumberIsOptedOut: false, cRegion: 'EMEA' });
	});

	test('a lead name is split into first and last name (the last word)', () => {
		expect(toAttributes('lead', { name: 'Jean Luc Picard', email: 'jl@x.example' })).toEqual({ firstName: 'Jean Luc', lastName: 'Picard', emailAddress: 'jl@x.example' });
		expect(toAttributes('lead', { name: 'Cher' })).toEqual({ lastName: 'Cher' });
		expect(toAttributes('lead', { name: 'Ignored', lastName: 'Kept' })).toEqual({ lastName: 'Kept' });
	});

	test('unknown, read-only and wrongly typed fields fail with what is valid', () => {
		expectError(() => toAttributes('contact', { lifecycleStage: 'lead' }), {
			message: '"lifecycleStage" is not a field EspoCRM Contact records have',
			field: 'lifecycleStage',
			hint: /Writable fields: .*companyId.*Custom Properties/,
		});
		expectError(() => toAttributes('contact', { company: 'Acme' }), { message: '"company" is set by EspoCRM and cannot be written', field: 'company' });
		expectError(() => toAttributes('ticket', { number: 5 }), { message: '"number" is set by EspoCRM and cannot be written' });
		expectError(() => toAttributes('deal', { amount: 'lots' }), { message: '"lots" is not a number', field: 'amount' });
		expectError(() => toAttributes('deal', { probability: 120 }), { message: '"120" is not a probability' });
		expectError(() => toAttributes('ticket', { priority: 'asap' }), { message: '"asap" is not a priority', hint: 'Valid: low, medium, high, urgent.' });
		expectError(() => toAttributes('deal', { pipelineId: 'sales' }), { message: 'EspoCRM has one stage list for Opportunity, not pipeline "sales"', field: 'pipeline' });
		expect(toAttributes('deal', { pipelineId: 'Opportunity', stageId: 'Proposal' })).toEqual({ stage: 'Proposal' });
	});

	test('related records: one parent for tasks/emails/notes; account and contacts for deals and tickets', () => {
		expect(relatedAttributes('task', [{ type: 'ticket', id: 'c1' }])).toEqual({ parentType: 'Case', parentId: 'c1' });
		expect(relatedAttributes('message', [{ type: 'company', id: 'a1' }])).toEqual({ parentType: 'Account', parentId: 'a1' });
		expect(relatedAttributes('deal', [{ type: 'contact', id: 'k1' }, { type: 'contact', id: 'k2' }, { type: 'company', id: 'a1' }])).toEqual({ contactsIds: ['k1', 'k2'], accountId: 'a1' });
		expect(relatedAttributes('ticket', [{ type: 'contact', id: 'k1' }, { type: 'lead', id: 'l1' }])).toEqual({ contactId: 'k1', leadId: 'l1' });
		expectError(() => relatedAttributes('task', [{ type: 'deal', id: '1' }, { type: 'contact', id: '2' }]), { message: 'An EspoCRM Task has one parent record, not 2' });
		expectError(() => relatedAttributes('task', [{ type: 'task', id: '1' }]), { message: 'A task cannot be the parent of an EspoCRM Task' });
		expectError(() => relatedAttributes('company', [{ type: 'deal', id: '1' }]), { message: 'EspoCRM Account records cannot be linked to a deal' });
	});
});

describe('reads', () => {
	test('leads, contacts (opt-outs), companies (domain), with a link into the UI and raw kept', () => {
		const lead = toRecord('lead', { id: 'l1', firstName: 'A', lastName: 'B', emailAddress: 'a@b.example', status: 'In Process', accountName: 'Co', createdAt: '2026-01-01 10:00:00', createdContactId: 'c9' }, ctx);
		expect(lead).toMatchObject({ url: 'https://crm.example.com/#Lead/view/l1', name: 'A B', status: 'In Process', stageId: 'In Process', pipelineId: 'Lead', company: 'Co', contactId: 'c9', createdAt: '2026-01-01T10:00:00.000Z', raw: { id: 'l1' } });
		expect(toRecord('contact', { id: 'c1', emailAddressIsOptedOut: true, phoneNumberIsOptedOut: false, doNotCall: false, accountId: 'a1' }, ctx)).toMatchObject({
			optedOut: { email: true, all: false, phone: false },
			companyId: 'a1',
		});
		expect((toRecord('contact', { id: 'c2', doNotCall: true }, ctx) as any).optedOut.phone).toBe(true);
		expect(toRecord('company', { id: 'a1', name: 'Acme', website: 'https://www.acme.example/about' }, ctx)).toMatchObject({ domain: 'www.acme.example' });
	});

	test('deals: status from the stage (won/lost by probability 100/0), probability as a fraction, contacts', () => {
		expect(toRecord('deal', { id: 'd1', stage: 'Closed Won', probability: 100, contactsIds: ['k1'], amount: 10, amountCurrency: 'EUR', closeDate: '2026-02-01' }, ctx)).toMatchObject({
			status: 'won',
			stageName: 'Closed Won',
			probability: 1,
			contactIds: ['k1'],
			currency: 'EUR',
			closeDate: '2026-02-01',
		});
		expect(toRecord('deal', { id: 'd2', stage: 'Closed Lost', probability: null }, ctx)).toMatchObject({ status: 'lost', probability: 0 });
		expect(toRecord('deal', { id: 'd3', stage: 'Prospecting', probability: 15, contactId: 'k7' }, ctx)).toMatchObject({ status: 'open', probability: 0.15, contactIds: ['k7'] });
	});

	test('tickets and tasks: priorities, number, not-actual statuses, all-day due dates, parent', () => {
		expect(toRecord('ticket', { id: 't1', name: 'S', status: 'Pending', priority: 'Normal', number: 42, createdAt: '2026-01-01 08:00:00' }, ctx)).toMatchObject({
			subject: 'S',
			priority: 'medium',
			number: '42',
			openedAt: '2026-01-01T08:00:00.000Z',
			stageId: 'Pending',
		});
		const task = toRecord('task', { id: 'k', name: 'T', status: 'Deferred', priority: 'Urgent', dateEnd: null, dateEndDate: '2026-01-05', parentType: 'Opportunity', parentId: 'd1', dateCompleted: null }, ctx);
		expect(task).toMatchObject({ status: 'completed', priority: 'high', dueAt: '2026-01-05T23:59:59.000Z', related: [{ type: 'deal', id: 'd1' }] });
		expect(toRecord('task', { id: 'k2', status: 'Started' }, ctx, { closedTaskStatuses: ['Started'] })).toMatchObject({ status: 'completed' });
		expect(toRecord('task', { id: 'k3', status: 'Completed', dateCompleted: '2026-01-03 10:00:00' }, ctx)).toMatchObject({ status: 'completed', completedAt: '2026-01-03T10:00:00.000Z' });
	});
});

describe('stage lists from metadata', () => {
	const fakeClient = (defs: Record<string, unknown>) => ({ metadata: async (key: string) => defs[key] ?? null }) as unknown as EspoClient;

	test('options in order; probabilityMap 100/0 mark won/lost; notActualOptions mark closed; empty options left out', async () => {
		const metadata = new EspoMetadata(
			fakeClient({
				'entityDefs.Opportunity.fields.stage': { options: ['New', 'Won it', 'Lost it', 'Parked'], probabilityMap: { New: 5, 'Won it': 100, 'Lost it': 0 } },
				'entityDefs.Case.fields.status': { options: ['', 'Open', 'Done'], notActualOptions: ['Done'] },
				'entityDefs.Task.fields.status': { options: ['A'], notActualOptions: ['A'] },
			}),
		);
		expect((await metadata.pipeline('deal')).stages.map((s) => [s.id, s.closed, s.probability ?? null])).toEqual([
			['New', 'open', 0.05],
			['Won it', 'won', 1],
			['Lost it', 'lost', 0],
			['Parked', 'open', null],
		]);
		expect((await metadata.pipeline('ticket')).stages.map((s) => [s.id, s.closed])).toEqual([
			['Open', 'open'],
			['Done', 'closed'],
		]);
		expect(await metadata.closedTaskStatuses()).toEqual(['A']);
		await expect(metadata.pipeline('lead')).rejects.toMatchObject({ message: "EspoCRM's metadata lists no values for Lead.status" });
	});
});

describe('the stream as history', () => {
	const note = (id: string, createdAt: string, type: string, data: EspoNote['data'], extra: Partial<EspoNote> = {}): EspoNote => ({ id, number: Number(id.replace(/\D/g, '')), createdAt, type, data, ...extra });
	// The shapes real EspoCRM 9.1.7 writes: Status notes carry only the new value; Update notes never name the status field.
	const status = (id: string, createdAt: string, field: string, value: string) => note(id, createdAt, 'Status', { field, value, style: 'default' });
	const notes: EspoNote[] = [
		status('n3', '2026-01-01 12:00:00', 'stage', 'C'),
		note('n1', '2026-01-01 10:00:00', 'Create', { statusField: 'stage', statusValue: 'A', statusStyle: 'default' } as EspoNote['data']),
		status('n2', '2026-01-01 11:00:00', 'stage', 'B'),
		note('n4', '2026-01-01 12:30:00', 'Update', { fields: ['amount'], attributes: { was: { amount: 2 }, became: { amount: 3 } } } as EspoNote['data']),
		status('n5', '2026-01-01 13:00:00', 'stage', 'D'),
		status('n6', '2026-01-01 13:00:00', 'status', 'Closed'),
	];

	test('every Status note of the field is a move, oldest first; "from" is the value the note before set', () => {
		expect(transitions(notes, 'stage').map((t) => [t.noteId, t.from, t.to, new Date(t.at).toISOString()])).toEqual([
			['n2', 'A', 'B', '2026-01-01T11:00:00.000Z'],
			['n3', 'B', 'C', '2026-01-01T12:00:00.000Z'],
			['n5', 'C', 'D', '2026-01-01T13:00:00.000Z'],
		]);
		// Without the Create note the first move's "from" is unknown, the later ones still chain.
		expect(transitions(notes.filter((n) => n.type !== 'Create'), 'stage').map((t) => t.from)).toEqual([undefined, 'B', 'C']);
		expect(initialValue(notes, 'stage', 'D')).toBe('A');
		expect(initialValue([], 'stage', 'D')).toBe('D');
		expect(stageHistory({ id: 'x', createdAt: '2026-01-01 10:00:00', stage: 'D' }, notes, 'stage').map((h) => h.stageId)).toEqual(['A', 'B', 'C', 'D']);
	});

	test('a stream read from a time reads back to the note that fixes the value before it', async () => {
		// Newest first, as EspoCRM answers; pages of 200, so 250 posts push the anchor to the second page.
		const stream = [
			status('s3', '2026-01-02 10:00:00', 'stage', 'C'),
			...Array.from({ length: 250 }, (_, i) => note(`p${i}`, '2026-01-01 12:00:00', 'Post', {})),
			status('s2', '2026-01-01 11:00:00', 'stage', 'B'),
			note('s1', '2026-01-01 10:00:00', 'Create', { statusField: 'stage', statusValue: 'A' } as EspoNote['data']),
		];
		const client = { stream: async (_e: string, _id: string, offset: number, maxSize: number) => ({ list: stream.slice(offset, offset + maxSize), total: stream.length }) };
		const read = await new EspoStream(client as any).notes('Opportunity', 'x', Date.parse('2026-01-02T00:00:00Z'), undefined, 'stage');
		const moves = transitions(read, 'stage').filter((m) => m.at >= Date.parse('2026-01-02T00:00:00Z'));
		expect(moves.map((m) => `${m.from}>${m.to}`)).toEqual(['B>C']);
		// Without the anchor field: only the window's notes, the move's "from" is unknown.
		const bare = await new EspoStream(client as any).notes('Opportunity', 'x', Date.parse('2026-01-02T00:00:00Z'));
		expect(transitions(bare, 'stage').map((m) => m.from)).toEqual([undefined]);
	});

	test('ticket times: closed = last move into a closed status; first response = first email sent or agent post; reopened count', () => {
		const caseNotes: EspoNote[] = [
			note('c1', '2026-01-01 09:00:00', 'Create', { statusField: 'status', statusValue: 'New' }),
			note('c2', '2026-01-01 09:10:00', 'Post', {}, { createdById: 'portal-1', post: 'more info' }),
			note('c3', '2026-01-01 09:20:00', 'Post', {}, { createdById: 'agent-1', isInternal: true }),
			note('c4', '2026-01-01 09:30:00', 'EmailSent', {}),
			status('c5', '2026-01-01 10:00:00', 'status', 'Closed'),
			status('c6', '2026-01-01 11:00:00', 'status', 'Assigned'),
			status('c7', '2026-01-01 12:00:00', 'status', 'Rejected'),
		];
		const closed = new Set(['Closed', 'Rejected']);
		expect(ticketTimes({ id: 't', status: 'Rejected', createdAt: '2026-01-01 09:00:00' }, caseNotes, closed, (id) => id !== 'portal-1')).toEqual({
			firstResponseAt: '2026-01-01T09:30:00.000Z',
			closedAt: '2026-01-01T12:00:00.000Z',
			reopened: 1,
		});
		expect(ticketTimes({ id: 't', status: 'Assigned', createdAt: '2026-01-01 09:00:00' }, caseNotes.slice(0, 3), closed, (id) => id !== 'portal-1')).toEqual({
			firstResponseAt: undefined,
			closedAt: undefined,
			reopened: 0,
		});
	});
});
