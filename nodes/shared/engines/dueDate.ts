import { DateTime } from 'luxon';

import { CrmInputError } from '../transport/errors';

export interface BusinessCalendar {
	/** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
	workingDays: number[];
	/** Non-working dates, `yyyy-MM-dd`, in the calendar's time zone. */
	holidays: string[];
}

export const WEEKDAYS: BusinessCalendar = { workingDays: [1, 2, 3, 4, 5], holidays: [] };

type Unit = 'minute' | 'hour' | 'day' | 'businessDay' | 'week';

const UNIT_WORDS: Array<[RegExp, Unit]> = [
	[/^(business|working) ?days?$/, 'businessDay'],
	[/^(minutes?|mins?)$/, 'minute'],
	[/^(hours?|hrs?)$/, 'hour'],
	[/^days?$/, 'day'],
	[/^weeks?$/, 'week'],
];

export function isBusinessDay(date: DateTime, calendar: BusinessCalendar): boolean {
	return calendar.workingDays.includes(date.weekday) && !calendar.holidays.includes(date.toISODate() ?? '');
}

/**
 * Adds whole business days, counting only working days after the start (like a spreadsheet's
 * WORKDAY: 1 business day from Friday or Saturday is Monday). With 0, a non-working day moves
 * forward to the next working day.
 */
export function addBusinessDays(start: DateTime, days: number, calendar: BusinessCalendar): DateTime {
	if (calendar.workingDays.length === 0) {
		throw new CrmInputError('The business calendar has no working days', 'workingDays');
	}
	let date = start;
	if (days === 0) {
		while (!isBusinessDay(date, calendar)) date = date.plus({ days: 1 });
		return date;
	}
	for (let added = 0; added < days; ) {
		date = date.plus({ days: 1 });
		if (isBusinessDay(date, calendar)) added++;
	}
	return date;
}

function atTime(date: DateTime, time: string, field: string): DateTime {
	const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
	if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
		throw new CrmInputError(`"${time}" is not a time of day`, field, 'Use 24-hour HH:mm, e.g. 10:00.');
	}
	return date.set({ hour: Number(match[1]), minute: Number(match[2]), second: 0, millisecond: 0 });
}

/**
 * Computes a due date from what a user typed: an ISO date/time (`2026-12-01`,
 * `2026-12-01T10:00`, with or without offset), or a relative phrase:
 * `in 2 business days at 10:00`, `in 3 hours`, `in 1 week`, `today at 17:00`, `tomorrow at 9:00`.
 * Times without an offset are read in `timeZone`.
 */
export function computeDueDate(
	text: string,
	options: { now: DateTime; timeZone: string; calendar?: BusinessCalendar; field?: string },
): DateTime {
	const field = options.field ?? 'dueDate';
	const calendar = options.calendar ?? WEEKDAYS;
	const now = options.now.setZone(options.timeZone);
	if (!now.isValid) {
		throw new CrmInputError(`"${options.timeZone}" is not a time zone`, 'timeZone', 'Use an IANA name such as Europe/Berlin.');
	}
	const input = text.trim();
	const lower = input.toLowerCase().replace(/\s+/g, ' ');

	const dayWord = /^(today|tomorrow)(?: at (.+))?$/.exec(lower);
	if (dayWord) {
		const day = dayWord[1] === 'tomorrow' ? now.plus({ days: 1 }) : now;
		return dayWord[2] ? atTime(day, dayWord[2], field) : day.endOf('day').set({ millisecond: 0 });
	}

	const relative = /^in (\d+) ([a-z ]+?)(?: at (.+))?$/.exec(lower);
	if (relative) {
		const amount = Number(relative[1]);
		const unit = UNIT_WORDS.find(([re]) => re.test(relative[2].trim()))?.[1];
		if (!unit) {
			throw new CrmInputError(
				`"${relative[2]}" is not a unit for a due date`,
				field,
				'Use minutes, hours, days, business days or weeks.',
			);
		}
		let due: DateTime;
		if (unit === 'businessDay') due = addBusinessDays(now, amount, calendar);
		else due = now.plus({ [`${unit}s`]: amount });
		return relative[3] ? atTime(due, relative[3], field) : due;
	}

	// A calendar date first (ISO also allows "2026" alone, week and ordinal dates: too easy to
	// mistake for something else in a due date).
	const absolute = /^\d{4}-\d{2}-\d{2}(?:$|T)/.test(input) ? DateTime.fromISO(input, { zone: options.timeZone, setZone: true }) : undefined;
	if (absolute?.isValid) return absolute;
	throw new CrmInputError(
		`"${text}" is not a due date`,
		field,
		'Use an ISO date such as 2026-12-01T10:00, or a phrase such as "in 2 business days at 10:00", "in 3 hours", "tomorrow at 9:00".',
	);
}
