import { DateTime } from 'luxon';

import type { BusinessCalendar } from '../../nodes/shared/engines/dueDate';
import {
	addBusinessMillis,
	businessMillisBetween,
	validateWorkingHours,
} from '../../nodes/shared/engines/reports/businessHours';
import type { WorkingHours } from '../../nodes/shared/engines/reports/businessHours';
import { CrmInputError } from '../../nodes/shared/transport/errors';
import { inputErrorOf } from '../unit/expectError';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const JERUSALEM = 'Asia/Jerusalem';

const MON_FRI: BusinessCalendar = { workingDays: [1, 2, 3, 4, 5], holidays: [] };

/** Mon–Fri 09:00–17:00 in Berlin, no holidays. */
const berlin: WorkingHours = { timeZone: BERLIN, calendar: MON_FRI, start: '09:00', end: '17:00' };

/** Epoch ms of a wall-clock time in a zone, e.g. at('2026-01-16T18:30', BERLIN). */
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
/** The ISO (with offset) of an instant in a zone, to read results. */
const iso = (millis: number, zone: string): string | null => DateTime.fromMillis(millis, { zone }).toISO();

// Calendar used below (checked with luxon): 2026-01-01 is a Thursday, so
// Fri 2026-01-16, Mon 2026-01-19, Tue 2026-01-20, Wed 2026-01-14.

describe('businessMillisBetween: Mon–Fri 09:00–17:00 Europe/Berlin', () => {
	test('a ticket opened Friday 18:30, answered Monday 09:45, resolved Tuesday 10:00', () => {
		const opened = at('2026-01-16T18:30', BERLIN); // Friday, after closing
		const answered = at('2026-01-19T09:45', BERLIN); // Monday
		const resolved = at('2026-01-20T10:00', BERLIN); // Tuesday
		// Fri 18:30–17:00: nothing; Sat, Sun: nothing; Mon 09:00–09:45 = 45 min.
		expect(businessMillisBetween(opened, answered, berlin)).toBe(45 * MINUTE);
		// Mon 09:00–17:00 = 8 h, Tue 09:00–10:00 = 1 h → 9 h.
		expect(businessMillisBetween(opened, resolved, berlin)).toBe(9 * HOUR);
	});

	test('a range inside one working day counts its whole length', () => {
		// Wed 10:15–14:45 = 4 h 30 min.
		expect(businessMillisBetween(at('2026-01-14T10:15', BERLIN), at('2026-01-14T14:45', BERLIN), berlin)).toBe(
			4 * HOUR + 30 * MINUTE,
		);
	});

	test('starting before opening counts from opening', () => {
		// Wed 07:00–11:00: only 09:00–11:00 = 2 h.
		expect(businessMillisBetween(at('2026-01-14T07:00', BERLIN), at('2026-01-14T11:00', BERLIN), berlin)).toBe(2 * HOUR);
	});

	test('ending after closing counts up to closing', () => {
		// Wed 15:00–20:00: only 15:00–17:00 = 2 h.
		expect(businessMillisBetween(at('2026-01-14T15:00', BERLIN), at('2026-01-14T20:00', BERLIN), berlin)).toBe(2 * HOUR);
	});

	test('a range entirely outside working hours is 0', () => {
		// Wed 17:30 → Thu 08:30, and Saturday all day.
		expect(businessMillisBetween(at('2026-01-14T17:30', BERLIN), at('2026-01-15T08:30', BERLIN), berlin)).toBe(0);
		expect(businessMillisBetween(at('2026-01-17T00:00', BERLIN), at('2026-01-18T00:00', BERLIN), berlin)).toBe(0);
	});

	test('across a weekend', () => {
		// Fri 15:00–17:00 = 2 h; Sat/Sun 0; Mon 09:00–11:00 = 2 h → 4 h.
		expect(businessMillisBetween(at('2026-01-16T15:00', BERLIN), at('2026-01-19T11:00', BERLIN), berlin)).toBe(4 * HOUR);
		// A whole week Mon 00:00 → next Mon 00:00 = 5 × 8 h = 40 h.
		expect(businessMillisBetween(at('2026-01-12T00:00', BERLIN), at('2026-01-19T00:00', BERLIN), berlin)).toBe(40 * HOUR);
	});

	test('across a holiday (Easter 2026: Good Friday 04-03, Easter Monday 04-06)', () => {
		const easter: WorkingHours = { ...berlin, calendar: { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-04-03', '2026-04-06'] } };
		// Thu 04-02 16:00–17:00 = 1 h; Fri (holiday), Sat, Sun, Mon (holiday) 0; Tue 04-07 09:00–10:00 = 1 h → 2 h.
		expect(businessMillisBetween(at('2026-04-02T16:00', BERLIN), at('2026-04-07T10:00', BERLIN), easter)).toBe(2 * HOUR);
		// Without the holidays: 1 h + 8 h (Fri) + 8 h (Mon) + 1 h = 18 h.
		expect(businessMillisBetween(at('2026-04-02T16:00', BERLIN), at('2026-04-07T10:00', BERLIN), berlin)).toBe(18 * HOUR);
	});

	test('reversed and empty ranges are 0', () => {
		const a = at('2026-01-14T10:00', BERLIN);
		const b = at('2026-01-14T12:00', BERLIN);
		expect(businessMillisBetween(b, a, berlin)).toBe(0);
		expect(businessMillisBetween(a, a, berlin)).toBe(0);
	});

	test('accepts ISO strings: with Z, with an offset, and without (read in the zone)', () => {
		// 2026-01-14 is in winter: Berlin is +01:00, so 09:15Z is 10:15 local.
		const expected = 4 * HOUR + 30 * MINUTE; // 10:15–14:45
		expect(businessMillisBetween('2026-01-14T09:15:00Z', '2026-01-14T13:45:00.000Z', berlin)).toBe(expected);
		expect(businessMillisBetween('2026-01-14T10:15:00+01:00', '2026-01-14T14:45+01:00', berlin)).toBe(expected);
		expect(businessMillisBetween('2026-01-14T10:15', '2026-01-14T14:45:00', berlin)).toBe(expected);
		// A date alone is local midnight: Wed 00:00 → Thu 00:00 = 8 h.
		expect(businessMillisBetween('2026-01-14', '2026-01-15', berlin)).toBe(8 * HOUR);
		// Mixed with epoch ms.
		expect(businessMillisBetween(at('2026-01-14T10:15', BERLIN), '2026-01-14T14:45', berlin)).toBe(expected);
	});

	test('a two-year range: 2026 and 2027 each have 261 weekdays → 522 × 8 h = 4176 h', () => {
		// 2026 starts on a Thursday: 52 weeks + 1 extra Thursday = 261 weekdays.
		// 2027 starts on a Friday: 52 weeks + 1 extra Friday = 261 weekdays.
		expect(businessMillisBetween('2026-01-01T00:00', '2028-01-01T00:00', berlin)).toBe(4176 * HOUR);
		// With 2 holidays on weekdays (Fri 2026-12-25, Fri 2027-01-01) and one on a Saturday (2027-12-25): 4160 h.
		const withHolidays: WorkingHours = {
			...berlin,
			calendar: { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-12-25', '2027-01-01', '2027-12-25'] },
		};
		expect(businessMillisBetween('2026-01-01T00:00', '2028-01-01T00:00', withHolidays)).toBe(4160 * HOUR);
	});
});

describe('businessMillisBetween: DST', () => {
	test('Europe/Berlin, Fri 2026-03-27 16:00 → Mon 2026-03-30 10:00 (clocks go forward Sun 03-29) = 2 h', () => {
		// Fri 16:00–17:00 (+01:00) = 1 h; Mon 09:00–10:00 (+02:00) = 1 h. The wall-clock gap is 66 h,
		// the real one 65 h; neither matters.
		const start = at('2026-03-27T16:00', BERLIN);
		const end = at('2026-03-30T10:00', BERLIN);
		expect(end - start).toBe(65 * HOUR);
		expect(businessMillisBetween(start, end, berlin)).toBe(2 * HOUR);
		expect(iso(addBusinessMillis(start, 2 * HOUR, berlin), BERLIN)).toBe('2026-03-30T10:00:00.000+02:00');
	});

	test('Europe/Berlin with Sunday as a working day: Sun 2026-03-29 (23-hour day) still has 8 working hours', () => {
		const everyDay: WorkingHours = { ...berlin, calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] } };
		const sunday = at('2026-03-29T00:00', BERLIN);
		const monday = at('2026-03-30T00:00', BERLIN);
		expect(monday - sunday).toBe(23 * HOUR);
		expect(businessMillisBetween(sunday, monday, everyDay)).toBe(8 * HOUR);
		// Sat 00:00 → Mon 00:00 = 8 h + 8 h.
		expect(businessMillisBetween(at('2026-03-28T00:00', BERLIN), monday, everyDay)).toBe(16 * HOUR);
	});

	test('America/New_York, Sun 2026-11-01 (clocks go back, 25-hour day) with Sunday a working day: exactly 8 h', () => {
		const withSunday: WorkingHours = {
			timeZone: NEW_YORK,
			calendar: { workingDays: [1, 2, 3, 4, 5, 7], holidays: [] },
			start: '09:00',
			end: '17:00',
		};
		const sunday = at('2026-11-01T00:00', NEW_YORK);
		const monday = at('2026-11-02T00:00', NEW_YORK);
		expect(DateTime.fromMillis(sunday, { zone: NEW_YORK }).weekday).toBe(7);
		expect(monday - sunday).toBe(25 * HOUR);
		// 09:00–17:00 EST = 8 h.
		expect(businessMillisBetween(sunday, monday, withSunday)).toBe(8 * HOUR);
		// Sat 10-31 → Tue 11-03 00:00: Sat is not working; Sun 8 h + Mon 8 h = 16 h.
		expect(businessMillisBetween(at('2026-10-31T00:00', NEW_YORK), at('2026-11-03T00:00', NEW_YORK), withSunday)).toBe(16 * HOUR);
		// 4 h after Sat 12:00 is Sun 13:00 (EST, -05:00).
		expect(iso(addBusinessMillis(at('2026-10-31T12:00', NEW_YORK), 4 * HOUR, withSunday), NEW_YORK)).toBe(
			'2026-11-01T13:00:00.000-05:00',
		);
	});

	test('a window that contains the switch counts the real elapsed time', () => {
		// 00:00–05:00 on Sun 2026-11-01 in New York: 01:00–02:00 happens twice, so 6 real hours pass.
		const night: WorkingHours = { timeZone: NEW_YORK, calendar: { workingDays: [7], holidays: [] }, start: '00:00', end: '05:00' };
		expect(businessMillisBetween(at('2026-11-01T00:00', NEW_YORK), at('2026-11-02T00:00', NEW_YORK), night)).toBe(6 * HOUR);
	});
});

describe('custom working days and hours', () => {
	/** Sun–Thu 08:00–12:00 in Jerusalem. */
	const sunThu: WorkingHours = {
		timeZone: JERUSALEM,
		calendar: { workingDays: [7, 1, 2, 3, 4], holidays: [] },
		start: '08:00',
		end: '12:00',
	};

	test('Thursday 11:00 → Sunday 09:00 = 2 h (Fri and Sat off)', () => {
		// Thu 2026-01-15 11:00–12:00 = 1 h; Fri, Sat 0; Sun 2026-01-18 08:00–09:00 = 1 h.
		expect(businessMillisBetween(at('2026-01-15T11:00', JERUSALEM), at('2026-01-18T09:00', JERUSALEM), sunThu)).toBe(2 * HOUR);
	});

	test('Thursday 11:00 → Monday 12:00 = 9 h', () => {
		// Thu 1 h + Sun 4 h + Mon 4 h.
		expect(businessMillisBetween(at('2026-01-15T11:00', JERUSALEM), at('2026-01-19T12:00', JERUSALEM), sunThu)).toBe(9 * HOUR);
	});

	test('a whole Sun–Sat week is 5 × 4 h = 20 h', () => {
		expect(businessMillisBetween(at('2026-01-18T00:00', JERUSALEM), at('2026-01-25T00:00', JERUSALEM), sunThu)).toBe(20 * HOUR);
	});

	test('addBusinessMillis: 3 h after Thursday 11:00 is Sunday 10:00', () => {
		// Thu 11:00–12:00 = 1 h, then Sun 08:00 + 2 h.
		expect(iso(addBusinessMillis(at('2026-01-15T11:00', JERUSALEM), 3 * HOUR, sunThu), JERUSALEM)).toBe(
			'2026-01-18T10:00:00.000+02:00',
		);
	});

	test('end 24:00 means up to midnight', () => {
		const evenings: WorkingHours = { timeZone: BERLIN, calendar: MON_FRI, start: '18:00', end: '24:00' };
		// Fri 2026-01-16 20:00–24:00 = 4 h; Mon 2026-01-19 18:00–19:00 = 1 h.
		expect(businessMillisBetween(at('2026-01-16T20:00', BERLIN), at('2026-01-19T19:00', BERLIN), evenings)).toBe(5 * HOUR);
	});
});

describe('addBusinessMillis', () => {
	test('4 business hours from Friday 15:00 is Monday 11:00', () => {
		// Fri 15:00–17:00 = 2 h, Mon 09:00 + 2 h.
		expect(iso(addBusinessMillis(at('2026-01-16T15:00', BERLIN), 4 * HOUR, berlin), BERLIN)).toBe('2026-01-19T11:00:00.000+01:00');
	});

	test('from a Saturday the clock starts on Monday at opening', () => {
		expect(iso(addBusinessMillis(at('2026-01-17T10:00', BERLIN), 4 * HOUR, berlin), BERLIN)).toBe('2026-01-19T13:00:00.000+01:00');
	});

	test('work that fits exactly ends at closing time, not next morning', () => {
		expect(iso(addBusinessMillis(at('2026-01-14T13:00', BERLIN), 4 * HOUR, berlin), BERLIN)).toBe('2026-01-14T17:00:00.000+01:00');
	});

	test('0 is the start itself, even outside working hours', () => {
		const saturday = at('2026-01-17T10:00', BERLIN);
		expect(addBusinessMillis(saturday, 0, berlin)).toBe(saturday);
	});

	test('skips holidays', () => {
		const easter: WorkingHours = { ...berlin, calendar: { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-04-03', '2026-04-06'] } };
		// Thu 04-02 16:00–17:00 = 1 h, then Tue 04-07 09:00 + 1 h.
		expect(iso(addBusinessMillis('2026-04-02T16:00', 2 * HOUR, easter), BERLIN)).toBe('2026-04-07T10:00:00.000+02:00');
	});

	test('long durations: 4176 business hours from 2026-01-01 is the end of 2027', () => {
		// See the two-year test: 2026-01-01 → 2028-01-01 holds 4176 h; the last of it ends at
		// closing time on Fri 2027-12-31.
		expect(iso(addBusinessMillis('2026-01-01T00:00', 4176 * HOUR, berlin), BERLIN)).toBe('2027-12-31T17:00:00.000+01:00');
	});
});

/** mulberry32: a small seeded generator, so failures reproduce. */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const CONFIGS: WorkingHours[] = [
	{ ...berlin, calendar: { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-04-03', '2026-04-06', '2026-12-25', '2027-01-01'] } },
	{ timeZone: NEW_YORK, calendar: { workingDays: [1, 2, 3, 4, 5, 7], holidays: ['2026-11-26'] }, start: '00:30', end: '05:15' },
	{ timeZone: JERUSALEM, calendar: { workingDays: [7, 1, 2, 3, 4], holidays: [] }, start: '08:00', end: '12:00' },
	{ timeZone: 'Australia/Lord_Howe', calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] }, start: '01:00', end: '24:00' },
];

/** Start instants spread over 2026–2027 (both DST changes of each zone), at whole minutes. */
const randomStart = (random: () => number): number => Date.UTC(2026, 0, 1) + Math.floor(random() * 730 * 24 * 60) * MINUTE;

describe('properties (seeded random ranges)', () => {
	test('businessMillisBetween(start, addBusinessMillis(start, m)) === m', () => {
		const random = seeded(20260327);
		for (let i = 0; i < 4000; i++) {
			const hours = CONFIGS[i % CONFIGS.length];
			const start = randomStart(random);
			// Mostly SLA-sized (up to 40 h), sometimes months, at whole seconds.
			const m = Math.floor(random() * (i % 10 === 0 ? 2000 : 40) * 3600) * 1000;
			const due = addBusinessMillis(start, m, hours);
			expect(due).toBeGreaterThanOrEqual(start);
			expect(businessMillisBetween(start, due, hours)).toBe(m);
		}
	});

	test('ranges add up: long ranges (weeks skipped) equal the sum of short pieces (day by day)', () => {
		const random = seeded(42);
		for (let i = 0; i < 300; i++) {
			const hours = CONFIGS[i % CONFIGS.length];
			const start = randomStart(random);
			const end = start + Math.floor(random() * 400 * 24 * 60) * MINUTE;
			let pieces = 0;
			for (let from = start; from < end; from += 9 * DAY) pieces += businessMillisBetween(from, Math.min(end, from + 9 * DAY), hours);
			expect(businessMillisBetween(start, end, hours)).toBe(pieces);
		}
	});

	test('agrees with counting minute by minute in the local wall clock', () => {
		const random = seeded(7);
		for (let i = 0; i < 40; i++) {
			const hours = CONFIGS[i % CONFIGS.length];
			const start = randomStart(random);
			const end = start + Math.floor(random() * 4 * 24 * 60) * MINUTE;
			const [openH, openM] = hours.start.split(':').map(Number);
			const [closeH, closeM] = hours.end.split(':').map(Number);
			let minutes = 0;
			for (let t = start; t < end; t += MINUTE) {
				const local = DateTime.fromMillis(t, { zone: hours.timeZone });
				const minuteOfDay = local.hour * 60 + local.minute;
				const working =
					hours.calendar.workingDays.includes(local.weekday) &&
					!hours.calendar.holidays.includes(local.toISODate() ?? '') &&
					minuteOfDay >= openH * 60 + openM &&
					minuteOfDay < closeH * 60 + closeM;
				if (working) minutes++;
			}
			expect(businessMillisBetween(start, end, hours)).toBe(minutes * MINUTE);
		}
	});
});

describe('validateWorkingHours', () => {
	test('accepts good working hours', () => {
		expect(() => validateWorkingHours(berlin)).not.toThrow();
		expect(() => validateWorkingHours({ ...berlin, start: '8:30', end: '24:00' })).not.toThrow();
	});

	test.each([
		['start', { start: '9am' }],
		['start', { start: '25:00' }],
		['start', { start: '24:00' }],
		['start', { start: '09:60' }],
		['end', { end: '' }],
		['end', { end: '17' }],
		['end', { end: '09:00' }], // equal to start
		['end', { end: '08:00' }], // before start
		['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
		['timeZone', { timeZone: '' }],
		['workingDays', { calendar: { workingDays: [], holidays: [] } }],
		['workingDays', { calendar: { workingDays: [0, 1], holidays: [] } }],
		['workingDays', { calendar: { workingDays: [8], holidays: [] } }],
		['holidays', { calendar: { workingDays: [1], holidays: ['2026-13-01'] } }],
		['holidays', { calendar: { workingDays: [1], holidays: ['25.12.2026'] } }],
	] as Array<[string, Partial<WorkingHours>]>)('rejects a bad %s: %j', (field, patch) => {
		const error = inputErrorOf(() => validateWorkingHours({ ...berlin, ...patch }));
		expect(error.field).toBe(field);
		expect(error.message.length).toBeGreaterThan(0);
	});

	test('messages say what is wrong', () => {
		expect(inputErrorOf(() => validateWorkingHours({ ...berlin, end: '08:00' })).message).toBe(
			'Working hours end "08:00" is not after start "09:00"',
		);
		expect(inputErrorOf(() => validateWorkingHours({ ...berlin, timeZone: 'Mars/Olympus_Mons' })).message).toBe(
			'"Mars/Olympus_Mons" is not a time zone',
		);
		expect(inputErrorOf(() => validateWorkingHours({ ...berlin, calendar: { workingDays: [], holidays: [] } })).message).toBe(
			'The business calendar has no working days',
		);
	});

	test('the calculations validate too, and reject bad instants and durations', () => {
		const bad = { ...berlin, end: '08:00' };
		expect(() => businessMillisBetween(0, DAY, bad)).toThrow(CrmInputError);
		expect(() => addBusinessMillis(0, HOUR, bad)).toThrow(CrmInputError);
		expect(inputErrorOf(() => businessMillisBetween('yesterday', DAY, berlin)).field).toBe('startIso');
		expect(inputErrorOf(() => businessMillisBetween(0, '2026-02-30T10:00', berlin)).field).toBe('endIso');
		expect(inputErrorOf(() => businessMillisBetween(0, NaN, berlin)).field).toBe('endIso');
		expect(inputErrorOf(() => addBusinessMillis(0, -1, berlin)).field).toBe('millis');
		expect(inputErrorOf(() => addBusinessMillis(0, Infinity, berlin)).field).toBe('millis');
	});
});
