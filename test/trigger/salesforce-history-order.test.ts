// historyOrder: OpportunityHistory rows tied on CreatedDate (whole seconds) in the order they were
// written, from what the rows say about each other rather than from their ids alone.
import { historyOrder } from '../../nodes/shared/providers/salesforce/events';

const T0 = '2026-11-20T09:00:00.000+0000';
const T1 = '2026-11-20T09:05:00.000+0000';
const row = (id: string, at: string, StageName: string, extra: Record<string, unknown> = {}) => ({
	Id: id,
	OpportunityId: '006A',
	CreatedDate: at,
	StageName,
	Amount: null,
	CloseDate: '2026-12-31',
	Probability: 10,
	PrevAmount: null,
	PrevCloseDate: null,
	...extra,
});
const stages = (rows: Array<Record<string, unknown>>) => rows.map((r) => r.StageName);

test('without ties: by time', () => {
	const rows = [row('008B', T1, 'Qualification'), row('008C', T0, 'Prospecting')];
	expect(stages(historyOrder(rows))).toEqual(['Prospecting', 'Qualification']);
});

test('ties in the last second: the row matching the opportunity now is the last one, whatever the ids say', () => {
	const rows = [row('008A', T0, 'Prospecting'), row('008c', T1, 'Closed Won'), row('008D', T1, 'Needs Analysis')];
	expect(stages(historyOrder(rows, { Id: '006A', StageName: 'Closed Won' }))).toEqual(['Prospecting', 'Needs Analysis', 'Closed Won']);
	expect(stages(historyOrder(rows, { Id: '006A', StageName: 'Needs Analysis' }))).toEqual(['Prospecting', 'Closed Won', 'Needs Analysis']);
});

test('ties followed by later rows: PrevAmount links each row to the one before it', () => {
	const rows = [
		row('008A', T0, 'Prospecting', { Amount: 100 }),
		row('008X', T1, 'Qualification', { Amount: 300, PrevAmount: 200 }),
		row('008Y', T1, 'Needs Analysis', { Amount: 200, PrevAmount: 100 }),
		row('008Z', '2026-11-20T09:09:00.000+0000', 'Closed Won', { Amount: 300, PrevAmount: 300 }),
	];
	expect(stages(historyOrder(rows))).toEqual(['Prospecting', 'Needs Analysis', 'Qualification', 'Closed Won']);
});

test('when the rows say nothing more, ids compared case-sensitively decide ("Z" before "a")', () => {
	const rows = [row('008A', T0, 'Prospecting'), row('008a', T1, 'Closed Won'), row('008Z', T1, 'Needs Analysis'), row('008b', '2026-11-20T09:09:00.000+0000', 'Qualification')];
	expect(stages(historyOrder(rows))).toEqual(['Prospecting', 'Needs Analysis', 'Closed Won', 'Qualification']);
});
