/* eslint-disable */
// The Pipedrive provider's activity reads against the local sandbox: scoring's listActivities
// (kinds by activity type, times, the `since` cut, a malformed id as that item's error) and the
// reports' deal history (close-date history and last activity from the deal flow).
import { usePipedriveSandbox, pipedriveTestProvider } from '../sandbox/pipedrive/testing';

const box = usePipedriveSandbox();
afterEach(() => {
	box.pipedrive.setClock(() => Date.now());
	expect(box.pipedrive.violations).toEqual([]);
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 9); // 2026-11-01T09:00:00Z

test('activities and notes of a lead and of a person, by kind and time; an unknown lead lists nothing, a malformed id is its item error', async () => {
	const pd = box.pipedrive;
	const at = (ms: number) => pd.setClock(() => ms);
	at(T0);
	const person = pd.create('persons', { name: 'Vera Vega' });
	const lead = String(pd.create('leads', { title: 'Vega lead', person_id: person.id }).id);
	// A meeting scheduled for T0 + 2 d 14:30, logged (created) at T0: timed at its start.
	pd.create('activities', { type: 'meeting', subject: 'Demo', lead_id: lead, due_date: '2026-11-03', due_time: '14:30' });
	// A lunch is no kind of its own: a task, timed when it was marked done (created done at T0 + 1 d).
	at(T0 + DAY);
	pd.create('activities', { type: 'lunch', subject: 'Lunch', lead_id: lead, done: true, due_date: '2026-11-20' });
	// An open call without a due date: its creation time.
	at(T0 + 2 * DAY);
	pd.create('activities', { type: 'call', subject: 'Call', lead_id: lead });
	pd.create('notes', { content: 'Met at the fair', lead_id: lead });
	// Before `since`: dropped.
	at(T0 - 10 * DAY);
	pd.create('notes', { content: 'Old note', lead_id: lead });
	// The person's own activity (not the lead's).
	at(T0 + 3 * DAY);
	pd.create('activities', { type: 'email', subject: 'Hello', person_id: person.id, done: true });
	pd.setClock(() => Date.now());

	const provider = pipedriveTestProvider(box.pipedrive);
	const unknown = '00000000-0000-4000-8000-000000000000';
	const [ofLead, missing] = await provider.listActivities('lead', [lead, unknown], T0 - DAY);
	if (!ofLead.ok) throw ofLead.error;
	const kinds = ofLead.value.map((a) => [a.kind, new Date(a.occurredAt).toISOString()]).sort();
	expect(kinds).toEqual([
		['call', '2026-11-03T09:00:00.000Z'],
		['meeting', '2026-11-03T14:30:00.000Z'],
		['note', '2026-11-03T09:00:00.000Z'],
		['task', '2026-11-02T09:00:00.000Z'],
	]);
	expect(missing.ok).toBe(true); // no such lead: Pipedrive lists nothing for it
	expect(missing.ok && missing.value).toEqual([]);
	const [ofPerson] = await provider.listActivities('contact', [String(person.id)], 0);
	expect(ofPerson.ok && ofPerson.value.map((a) => [a.kind, new Date(a.occurredAt).toISOString()])).toEqual([['email', '2026-11-04T09:00:00.000Z']]);
	const [bad] = await provider.listActivities('contact', ['abc'], 0);
	expect(bad.ok).toBe(false);
});

test('deal history: close dates from the flow (first value at creation), last activity = newest note or done activity', async () => {
	const pd = box.pipedrive;
	const at = (ms: number) => pd.setClock(() => ms);
	at(T0);
	const slipped = pd.create('deals', { title: 'Slipped', expected_close_date: '2026-12-01' });
	const later = pd.create('deals', { title: 'Dated later' });
	const quiet = pd.create('deals', { title: 'Quiet', expected_close_date: '2026-12-15' });
	at(T0 + DAY);
	pd.update('deals', slipped.id, { expected_close_date: '2026-12-20' });
	pd.update('deals', later.id, { expected_close_date: '2027-01-10' });
	pd.create('activities', { type: 'call', subject: 'Done call', deal_id: slipped.id, done: true });
	at(T0 + 2 * DAY);
	pd.update('deals', slipped.id, { expected_close_date: '2027-01-05' });
	// Planned, not done: no sign of life.
	pd.create('activities', { type: 'task', subject: 'Planned', deal_id: quiet.id, due_date: '2026-11-30' });
	at(T0 + 3 * DAY);
	pd.create('notes', { content: 'Chased them', deal_id: later.id });
	pd.setClock(() => Date.now());

	const provider = pipedriveTestProvider(box.pipedrive);
	const deals = new Map<string, any>();
	for await (const page of provider.streamRecords('deal', { history: true })) for (const d of page) deals.set(d.id, d);
	const day = (n: number) => T0 + n * DAY;
	expect(deals.get(String(slipped.id))).toMatchObject({
		closeDate: '2027-01-05',
		closeDateHistory: [
			{ closeDate: '2026-12-01', changedAt: day(0) },
			{ closeDate: '2026-12-20', changedAt: day(1) },
			{ closeDate: '2027-01-05', changedAt: day(2) },
		],
		lastActivityAt: new Date(day(1)).toISOString(),
	});
	expect(deals.get(String(later.id))).toMatchObject({ closeDateHistory: [{ closeDate: '2027-01-10', changedAt: day(1) }], lastActivityAt: new Date(day(3)).toISOString() });
	const q = deals.get(String(quiet.id));
	expect(q.closeDateHistory).toEqual([{ closeDate: '2026-12-15', changedAt: day(0) }]);
	expect(q.lastActivityAt).toBeUndefined();

	// Without `history`, no flow is read.
	const before = box.pipedrive.requests.length;
	for await (const page of provider.streamRecords('deal', {})) expect(page.every((d: any) => d.closeDateHistory === undefined)).toBe(true);
	expect(box.pipedrive.requests.slice(before).some((r: any) => /\/flow/.test(r.path ?? r.url ?? ''))).toBe(false);
});
