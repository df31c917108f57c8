import { DateTime } from 'luxon';

import { WEEKDAYS, addBusinessDays, computeDueDate, isBusinessDay } from '../../nodes/shared/engines/dueDate';
import type { BusinessCalendar } from '../../nodes/shared/engines/dueDate';
import { inputErrorOf } from './expectError';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** A wall-clock time in a zone, e.g. at('2026-03-06T15:30', BERLIN). */
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone });

/** Friday 2026-03-06, 15:30 in Berlin (CET, +01:00). */
const FRIDAY_AFTERNOON = at('2026-03-06T15:30:00', BERLIN);

/** The result as an ISO string with its offset, which pins both the instant and the zone. */
const due = (text: string, now: DateTime, timeZone = BERLIN, calendar?: BusinessCalendar) =>
	computeDueDate(text, { now, timeZone, calendar }).toISO();

describe('computeDueDate: business days', () => {
	test('"in 2 business days at 10:00" from a Friday afternoon is Tuesday 10:00 in Berlin', () => {
		const result = computeDueDate('in 2 business days at 10:00', { now: FRIDAY_AFTERNOON, timeZone: BERLIN });
		expect(result.toISO()).toBe('2026-03-10T10:00:00.000+01:00');
		expect(result.weekdayLong).toBe('Tuesday');
		expect(result.zoneName).toBe(BERLIN);
	});

	test('"now" given in another zone is first moved into the time zone', () => {
		// 14:30 UTC on that Friday is the same instant as 15:30 in Berlin.
		const nowUtc = DateTime.fromISO('2026-03-06T14:30:00Z', { zone: 'utc' });
		expect(due('in 2 business days at 10:00', nowUtc)).toBe('2026-03-10T10:00:00.000+01:00');
	});

	test('without a time, the current time of day is kept', () => {
		expect(due('in 1 business day', FRIDAY_AFTERNOON)).toBe('2026-03-09T15:30:00.000+01:00');
	});

	test('"working days" and the singular are accepted', () => {
		expect(due('in 1 working day at 9:00', FRIDAY_AFTERNOON)).toBe('2026-03-09T09:00:00.000+01:00');
		expect(due('In 3 Business Day', FRIDAY_AFTERNOON)).toBe('2026-03-11T15:30:00.000+01:00');
	});

	test('holidays are skipped', () => {
		const calendar: BusinessCalendar = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-03-09', '2026-03-10'] };
		// Mon 9 and Tue 10 are off, so the two business days are Wed 11 and Thu 12.
		expect(due('in 2 business days at 10:00', FRIDAY_AFTERNOON, BERLIN, calendar)).toBe(
			'2026-03-12T10:00:00.000+01:00',
		);
	});

	test('custom working days (Sunday to Thursday) are honoured', () => {
		const calendar: BusinessCalendar = { workingDays: [7, 1, 2, 3, 4], holidays: [] };
		// Friday is not a working day: count the working days after it, Sunday 8 and Monday 9.
		expect(due('in 2 business days at 10:00', FRIDAY_AFTERNOON, BERLIN, calendar)).toBe(
			'2026-03-09T10:00:00.000+01:00',
		);
		// From Thursday, one business day is Sunday.
		expect(due('in 1 business day at 8:30', at('2026-03-05T12:00', BERLIN), BERLIN, calendar)).toBe(
			'2026-03-08T08:30:00.000+01:00',
		);
	});
});

describe('computeDueDate: other relative phrases', () => {
	test('"in 3 hours" adds three hours to now', () => {
		expect(due('in 3 hours', FRIDAY_AFTERNOON)).toBe('2026-03-06T18:30:00.000+01:00');
	});

	test.each([
		['in 45 minutes', '2026-03-06T16:15:00.000+01:00'],
		['in 1 min', '2026-03-06T15:31:00.000+01:00'],
		['in 2 hrs', '2026-03-06T17:30:00.000+01:00'],
		['in 1 hour', '2026-03-06T16:30:00.000+01:00'],
		['in 2 days', '2026-03-08T15:30:00.000+01:00'],
		['in 1 week', '2026-03-13T15:30:00.000+01:00'],
		['in 2 weeks at 8:00', '2026-03-20T08:00:00.000+01:00'],
		['  IN   3   HOURS  ', '2026-03-06T18:30:00.000+01:00'],
	])('"%s" → %s', (text, expected) => {
		expect(due(text, FRIDAY_AFTERNOON)).toBe(expected);
	});

	test('"tomorrow at 9:00" is the next calendar day at 09:00', () => {
		expect(due('tomorrow at 9:00', FRIDAY_AFTERNOON)).toBe('2026-03-07T09:00:00.000+01:00');
	});

	test('"today at 17:00" is today at 17:00, even when that is in the past', () => {
		expect(due('today at 17:00', FRIDAY_AFTERNOON)).toBe('2026-03-06T17:00:00.000+01:00');
		expect(due('today at 08:05', FRIDAY_AFTERNOON)).toBe('2026-03-06T08:05:00.000+01:00');
	});

	test('"today" and "tomorrow" without a time mean the end of that day (to the second)', () => {
		expect(due('today', FRIDAY_AFTERNOON)).toBe('2026-03-06T23:59:59.000+01:00');
		expect(due('Tomorrow', FRIDAY_AFTERNOON)).toBe('2026-03-07T23:59:59.000+01:00');
	});

	test('"today" is today in the given time zone, not in UTC', () => {
		// 23:30 UTC on Friday is already Saturday 00:30 in Berlin.
		const lateUtc = DateTime.fromISO('2026-03-06T23:30:00Z', { zone: 'utc' });
		expect(due('today at 10:00', lateUtc)).toBe('2026-03-07T10:00:00.000+01:00');
		expect(due('today at 10:00', lateUtc, NEW_YORK)).toBe('2026-03-06T10:00:00.000-05:00');
	});
});

describe('computeDueDate: ISO dates', () => {
	test('an ISO date-time without offset is read in the given time zone', () => {
		const result = computeDueDate('2026-12-01T10:00', { now: FRIDAY_AFTERNOON, timeZone: BERLIN });
		expect(result.toISO()).toBe('2026-12-01T10:00:00.000+01:00');
		expect(result.toUTC().toISO()).toBe('2026-12-01T09:00:00.000Z');
		expect(due('2026-07-01T10:00', FRIDAY_AFTERNOON, NEW_YORK)).toBe('2026-07-01T10:00:00.000-04:00');
	});

	test('an ISO date alone is midnight in the given time zone', () => {
		expect(due('2026-12-01', FRIDAY_AFTERNOON)).toBe('2026-12-01T00:00:00.000+01:00');
	});

	test('an ISO date-time with an offset keeps that offset and instant', () => {
		const result = computeDueDate('2026-12-01T10:00:00-05:00', { now: FRIDAY_AFTERNOON, timeZone: BERLIN });
		expect(result.toISO()).toBe('2026-12-01T10:00:00.000-05:00');
		expect(result.toUTC().toISO()).toBe('2026-12-01T15:00:00.000Z');
		expect(computeDueDate('2026-12-01T10:00:00Z', { now: FRIDAY_AFTERNOON, timeZone: BERLIN }).toMillis()).toBe(
			Date.UTC(2026, 11, 1, 10, 0, 0),
		);
	});
});

describe('computeDueDate: daylight saving time', () => {
	test('Berlin, 2026-03-29: "in 1 day at 10:00" keeps 10:00 local across the change', () => {
		const saturday = at('2026-03-28T10:00:00', BERLIN); // CET, +01:00
		const result = computeDueDate('in 1 day at 10:00', { now: saturday, timeZone: BERLIN });
		expect(result.toISO()).toBe('2026-03-29T10:00:00.000+02:00'); // CEST
		expect(result.toUTC().toISO()).toBe('2026-03-29T08:00:00.000Z');
		// Only 23 real hours passed.
		expect(result.diff(saturday, 'hours').hours).toBe(23);
	});

	test('Berlin, 2026-03-29: "in 1 day" keeps the wall time while "in 24 hours" does not', () => {
		const saturday = at('2026-03-28T10:00:00', BERLIN);
		expect(due('in 1 day', saturday)).toBe('2026-03-29T10:00:00.000+02:00');
		expect(due('in 24 hours', saturday)).toBe('2026-03-29T11:00:00.000+02:00');
	});

	test('New York, 2026-03-08: "in 1 day at 10:00" keeps 10:00 local across the change', () => {
		const saturday = at('2026-03-07T09:15:00', NEW_YORK); // EST, -05:00
		const result = computeDueDate('in 1 day at 10:00', { now: saturday, timeZone: NEW_YORK });
		expect(result.toISO()).toBe('2026-03-08T10:00:00.000-04:00'); // EDT
		expect(result.toUTC().toISO()).toBe('2026-03-08T14:00:00.000Z');
	});

	test('New York, business days across the change keep the local time', () => {
		const friday = at('2026-03-06T16:00:00', NEW_YORK); // EST
		expect(due('in 1 business day at 10:00', friday, NEW_YORK)).toBe('2026-03-09T10:00:00.000-04:00');
	});
});

describe('computeDueDate: invalid input', () => {
	const options = { now: FRIDAY_AFTERNOON, timeZone: BERLIN };

	test('an unknown unit names the field and lists the units', () => {
		expect(inputErrorOf(() => computeDueDate('in 3 fortnights', options))).toEqual({
			message: '"fortnights" is not a unit for a due date',
			field: 'dueDate',
			hint: 'Use minutes, hours, days, business days or weeks.',
		});
	});

	test.each(['in 2 days at 25:00', 'tomorrow at 25:00', 'today at 10:60', 'tomorrow at noon', 'in 1 day at 10'])(
		'a bad time of day in "%s" is rejected with an HH:mm hint',
		(text) => {
			const error = inputErrorOf(() => computeDueDate(text, options));
			const time = text.split(' at ')[1];
			expect(error).toEqual({
				message: `"${time}" is not a time of day`,
				field: 'dueDate',
				hint: 'Use 24-hour HH:mm, e.g. 10:00.',
			});
		},
	);

	test.each(['next blue moon', 'soon', '2026-13-45', 'in two days', ''])('garbage "%s" is rejected with examples', (text) => {
		expect(inputErrorOf(() => computeDueDate(text, options))).toEqual({
			message: `"${text}" is not a due date`,
			field: 'dueDate',
			hint: 'Use an ISO date such as 2026-12-01T10:00, or a phrase such as "in 2 business days at 10:00", "in 3 hours", "tomorrow at 9:00".',
		});
	});

	test('the error names a custom field when one is given', () => {
		expect(inputErrorOf(() => computeDueDate('whenever', { ...options, field: 'followUpAt' })).field).toBe('followUpAt');
		expect(inputErrorOf(() => computeDueDate('in 1 day at 24:00', { ...options, field: 'followUpAt' })).field).toBe(
			'followUpAt',
		);
	});

	test('a bad time zone is an error on the timeZone field', () => {
		expect(inputErrorOf(() => computeDueDate('in 3 hours', { now: FRIDAY_AFTERNOON, timeZone: 'Mars/Olympus' }))).toEqual({
			message: '"Mars/Olympus" is not a time zone',
			field: 'timeZone',
			hint: 'Use an IANA name such as Europe/Berlin.',
		});
	});

	test('a calendar without working days is rejected instead of looping forever', () => {
		expect(
			inputErrorOf(() =>
				computeDueDate('in 1 business day', { ...options, calendar: { workingDays: [], holidays: [] } }),
			),
		).toEqual({ message: 'The business calendar has no working days', field: 'workingDays', hint: undefined });
	});
});

describe('isBusinessDay', () => {
	test('checks the weekday and the holiday list', () => {
		expect(isBusinessDay(FRIDAY_AFTERNOON, WEEKDAYS)).toBe(true);
		expect(isBusinessDay(at('2026-03-07T12:00', BERLIN), WEEKDAYS)).toBe(false); // Saturday
		expect(isBusinessDay(FRIDAY_AFTERNOON, { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-03-06'] })).toBe(false);
	});
});

describe('addBusinessDays', () => {
	const saturday = at('2026-03-07T11:00:00', BERLIN);

	test('0 on a working day stays on that day and time', () => {
		expect(addBusinessDays(FRIDAY_AFTERNOON, 0, WEEKDAYS).toISO()).toBe('2026-03-06T15:30:00.000+01:00');
	});

	test('0 on a Saturday moves to Monday, keeping the time', () => {
		expect(addBusinessDays(saturday, 0, WEEKDAYS).toISO()).toBe('2026-03-09T11:00:00.000+01:00');
	});

	test('0 on a holiday Monday after a weekend moves to Tuesday', () => {
		const calendar = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-03-09'] };
		expect(addBusinessDays(saturday, 0, calendar).toISO()).toBe('2026-03-10T11:00:00.000+01:00');
	});

	test('from a weekend, one business day is the next working day (spreadsheet WORKDAY semantics)', () => {
		expect(addBusinessDays(saturday, 1, WEEKDAYS).toISO()).toBe('2026-03-09T11:00:00.000+01:00');
		expect(addBusinessDays(saturday, 2, WEEKDAYS).toISO()).toBe('2026-03-10T11:00:00.000+01:00');
	});

	test('5 business days from a Friday is the next Friday', () => {
		expect(addBusinessDays(FRIDAY_AFTERNOON, 5, WEEKDAYS).toISO()).toBe('2026-03-13T15:30:00.000+01:00');
	});

	test('holidays in the middle of the span push the result out', () => {
		const calendar = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-03-10', '2026-03-11'] };
		expect(addBusinessDays(FRIDAY_AFTERNOON, 2, calendar).toISO()).toBe('2026-03-12T15:30:00.000+01:00');
	});

	test('a calendar with no working days throws on the workingDays field', () => {
		expect(inputErrorOf(() => addBusinessDays(saturday, 1, { workingDays: [], holidays: [] })).field).toBe('workingDays');
	});
});
