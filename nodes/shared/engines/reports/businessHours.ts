import { DateTime } from 'luxon';

import { CrmInputError } from '../../transport/errors';
import { isBusinessDay } from '../dueDate';
import type { BusinessCalendar } from '../dueDate';

/**
 * When a team works: on the calendar's working days (not its holidays), from `start` to `end`
 * local wall-clock time in `timeZone`.
 */
export interface WorkingHours {
	/** IANA time zone, e.g. Europe/Berlin. Working days, holidays and times are read in it. */
	timeZone: string;
	calendar: BusinessCalendar;
	/** Opening time, `HH:mm` (24-hour). */
	start: string;
	/** Closing time, `HH:mm`, after `start`. `24:00` means the end of the day. */
	end: string;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A working day's window in epoch ms, or null on a non-working day. */
type Window = readonly [open: number, close: number] | null;

/**
 * One validated WorkingHours, with the windows of the days asked about so far. Day `n` is the
 * local calendar date whose UTC-midnight is `n * DAY_MS`; its window is computed once, with
 * luxon, from local wall-clock times, so DST days are always right.
 */
interface Schedule {
	timeZone: string;
	calendar: BusinessCalendar;
	/** Opening and closing, in minutes after local midnight (closing may be 1440). */
	openMinute: number;
	closeMinute: number;
	days: Map<number, Window>;
	/** Local midnights of plain (24-hour) days, for reading times without an offset. */
	midnights: Map<number, number | null>;
	/** Working time of a working day without a DST change: closing − opening. */
	nominalMs: number;
	/** Working days per week. */
	workingDaysPerWeek: number;
	/** Holidays falling on working weekdays, counted per 7-day block (key: the block's first day). */
	holidaysPerBlock: Map<number, number>;
	/** The zone's UTC offset (minutes) at instant `day * DAY_MS`, for block-aligned days. */
	blockOffsets: Map<number, number>;
}

/** Schedules by content; bounded so a long-running process does not grow without limit. */
const schedules = new Map<string, Schedule>();
const MAX_SCHEDULES = 64;
const MAX_CACHED_DAYS = 100_000;

function parseTime(value: unknown, field: 'start' | 'end'): number {
	const match = typeof value === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(value.trim()) : null;
	const hour = match ? Number(match[1]) : NaN;
	const minute = match ? Number(match[2]) : NaN;
	const valid = match !== null && minute <= 59 && (hour <= 23 || (field === 'end' && hour === 24 && minute === 0));
	if (!valid) {
		throw new CrmInputError(
			`Working hours ${field} "${String(value)}" is not a time of day`,
			field,
			field === 'end' ? 'Use 24-hour HH:mm, e.g. 17:00 (24:00 for the end of the day).' : 'Use 24-hour HH:mm, e.g. 09:00.',
		);
	}
	return hour * 60 + minute;
}

/**
 * Checks working hours and throws a CrmInputError naming the bad field: `start` / `end` (not
 * HH:mm, or end not after start), `timeZone` (unknown), `workingDays` (none, or not 1–7),
 * `holidays` (not yyyy-MM-dd dates).
 */
export function validateWorkingHours(hours: WorkingHours): void {
	parsedWorkingHours(hours);
}

function parsedWorkingHours(hours: WorkingHours): { openMinute: number; closeMinute: number } {
	if (hours === null || typeof hours !== 'object') {
		throw new CrmInputError('Working hours are missing', 'workingHours');
	}
	const openMinute = parseTime(hours.start, 'start');
	const closeMinute = parseTime(hours.end, 'end');
	if (closeMinute <= openMinute) {
		throw new CrmInputError(
			`Working hours end "${hours.end}" is not after start "${hours.start}"`,
			'end',
			'The working day must end after it starts, on the same day (e.g. 09:00 to 17:00).',
		);
	}
	if (typeof hours.timeZone !== 'string' || hours.timeZone.trim() === '' || !DateTime.now().setZone(hours.timeZone).isValid) {
		throw new CrmInputError(
			`"${String(hours.timeZone)}" is not a time zone`,
			'timeZone',
			'Use an IANA name such as Europe/Berlin.',
		);
	}
	const workingDays: unknown = hours.calendar?.workingDays;
	if (!Array.isArray(workingDays) || workingDays.length === 0) {
		throw new CrmInputError('The business calendar has no working days', 'workingDays', 'Add at least one weekday (1 = Monday … 7 = Sunday).');
	}
	const badDay = workingDays.find((day) => !Number.isInteger(day) || day < 1 || day > 7);
	if (badDay !== undefined) {
		throw new CrmInputError(`"${String(badDay)}" is not a weekday`, 'workingDays', 'Use ISO weekday numbers: 1 = Monday … 7 = Sunday.');
	}
	const holidays: unknown = hours.calendar.holidays ?? [];
	if (!Array.isArray(holidays)) {
		throw new CrmInputError('Holidays must be a list of dates', 'holidays', 'Use yyyy-MM-dd dates, e.g. 2026-12-25.');
	}
	for (const holiday of holidays) {
		const valid =
			typeof holiday === 'string' &&
			/^\d{4}-\d{2}-\d{2}$/.test(holiday) &&
			DateTime.fromISO(holiday, { zone: 'utc' }).isValid;
		if (!valid) {
			throw new CrmInputError(`"${String(holiday)}" is not a holiday date`, 'holidays', 'Use yyyy-MM-dd dates, e.g. 2026-12-25.');
		}
	}
	return { openMinute, closeMinute };
}

function scheduleFor(hours: WorkingHours): Schedule {
	const calendar = hours?.calendar;
	const key = `${String(hours?.timeZone)}|${String(hours?.start)}|${String(hours?.end)}|${String(calendar?.workingDays)}|${String(calendar?.holidays)}`;
	const cached = schedules.get(key);
	if (cached) return cached;
	const { openMinute, closeMinute } = parsedWorkingHours(hours);
	if (schedules.size >= MAX_SCHEDULES) schedules.clear();
	const schedule: Schedule = {
		timeZone: hours.timeZone,
		calendar: { workingDays: [...hours.calendar.workingDays], holidays: [...(hours.calendar.holidays ?? [])] },
		openMinute,
		closeMinute,
		days: new Map(),
		midnights: new Map(),
		nominalMs: (closeMinute - openMinute) * MINUTE_MS,
		workingDaysPerWeek: new Set(hours.calendar.workingDays).size,
		holidaysPerBlock: new Map(),
		blockOffsets: new Map(),
	};
	const working = new Set(hours.calendar.workingDays);
	const holidayDays = new Set((hours.calendar.holidays ?? []).map((date) => Date.parse(`${date}T00:00:00Z`) / DAY_MS));
	for (const day of holidayDays) {
		if (!working.has(isoWeekday(day))) continue;
		const block = blockOf(day);
		schedule.holidaysPerBlock.set(block, (schedule.holidaysPerBlock.get(block) ?? 0) + 1);
	}
	schedules.set(key, schedule);
	return schedule;
}

function windowOf(schedule: Schedule, dayNumber: number): Window {
	const cached = schedule.days.get(dayNumber);
	if (cached !== undefined) return cached;
	const utc = new Date(dayNumber * DAY_MS);
	const midnight = DateTime.fromObject(
		{ year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() },
		{ zone: schedule.timeZone },
	);
	let window: Window = null;
	if (isBusinessDay(midnight, schedule.calendar)) {
		// Each boundary is set on the local day's wall clock (never midnight + fixed hours), so a
		// 09:00–17:00 day is 8 hours on DST days too.
		const open = midnight.set({ hour: Math.floor(schedule.openMinute / 60), minute: schedule.openMinute % 60 });
		const close =
			schedule.closeMinute === 1440
				? midnight.plus({ days: 1 }).startOf('day')
				: midnight.set({ hour: Math.floor(schedule.closeMinute / 60), minute: schedule.closeMinute % 60 });
		window = [open.toMillis(), close.toMillis()];
	}
	if (schedule.days.size >= MAX_CACHED_DAYS) schedule.days.clear();
	schedule.days.set(dayNumber, window);
	return window;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of day `dayNumber`; day 0, 1970-01-01, was a Thursday. */
function isoWeekday(dayNumber: number): number {
	return (((dayNumber + 3) % 7) + 7) % 7 + 1;
}

/** The first day of the 7-day block holding `dayNumber` (blocks start at multiples of 7). */
function blockOf(dayNumber: number): number {
	return dayNumber - ((dayNumber % 7) + 7) % 7;
}

function offsetAt(schedule: Schedule, dayNumber: number): number {
	let offset = schedule.blockOffsets.get(dayNumber);
	if (offset === undefined) {
		offset = DateTime.fromMillis(dayNumber * DAY_MS, { zone: schedule.timeZone }).offset;
		if (schedule.blockOffsets.size >= MAX_CACHED_DAYS) schedule.blockOffsets.clear();
		schedule.blockOffsets.set(dayNumber, offset);
	}
	return offset;
}

/**
 * Whether every working day of the block starting at `block` (a multiple of 7) has exactly the
 * nominal working time. A UTC-offset change at instant T can only touch local days
 * floor(T / day) − 1 … + 1, so the block's days are safe when the offset is the same at the
 * starts of the previous, this and the next two blocks (three weeks without a change; the only
 * thing this misses is two changes cancelling out within one week, which no time zone has).
 */
function isPlainBlock(schedule: Schedule, block: number): boolean {
	const offset = offsetAt(schedule, block);
	return (
		offsetAt(schedule, block - 7) === offset &&
		offsetAt(schedule, block + 7) === offset &&
		offsetAt(schedule, block + 14) === offset
	);
}

/** Working time of a plain block: its working days, less holidays, times the nominal day. */
function plainBlockMillis(schedule: Schedule, block: number): number {
	return (schedule.workingDaysPerWeek - (schedule.holidaysPerBlock.get(block) ?? 0)) * schedule.nominalMs;
}

/** Ranges with more whole days than this skip plain weeks arithmetically. */
const LONG_RANGE_DAYS = 14;

/**
 * The local midnight of day `dayNumber` (epoch ms) when the day is exactly 24 hours long (no
 * DST change), else null. Computed once per day, only for reading times without an offset.
 */
function plainMidnightOf(schedule: Schedule, dayNumber: number): number | null {
	const cached = schedule.midnights.get(dayNumber);
	if (cached !== undefined) return cached;
	const utc = new Date(dayNumber * DAY_MS);
	const midnight = DateTime.fromObject(
		{ year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() },
		{ zone: schedule.timeZone },
	);
	const start = midnight.toMillis();
	const next = midnight.plus({ days: 1 }).startOf('day').toMillis();
	const offsetMinutes = midnight.offset;
	// A whole 24-hour day starting at exactly 00:00 local: the offset is the same all day.
	const plain = next - start === DAY_MS && dayNumber * DAY_MS - start === offsetMinutes * MINUTE_MS ? start : null;
	if (schedule.midnights.size >= MAX_CACHED_DAYS) schedule.midnights.clear();
	schedule.midnights.set(dayNumber, plain);
	return plain;
}

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * A local ISO date/time without offset, read in the schedule's zone without luxon on days
 * without a DST change; undefined to let luxon decide (DST days, anything unusual).
 */
function localWallToMillis(schedule: Schedule, text: string): number | undefined {
	const match = LOCAL_ISO.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? 0));
	const fraction = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
	if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
	// Date.UTC rolls 2026-02-30 over to March: such dates go to luxon, which rejects them.
	if (year < 100 || new Date(wall).getUTCDate() !== day) return undefined;
	const dayNumber = Math.floor(wall / DAY_MS);
	const midnight = plainMidnightOf(schedule, dayNumber);
	return midnight === null ? undefined : midnight + (wall - dayNumber * DAY_MS);
}

/** ISO with an explicit Z or offset: safe for the (much faster) built-in parser. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function toMillis(value: string | number, schedule: Schedule, field: string): number {
	if (typeof value === 'number') {
		if (Number.isFinite(value)) return value;
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (ISO_WITH_OFFSET.test(text)) {
			const millis = Date.parse(text);
			if (Number.isFinite(millis)) return millis;
		}
		// Without an offset, the time is read in the working hours' zone.
		const local = localWallToMillis(schedule, text);
		if (local !== undefined) return local;
		const parsed = DateTime.fromISO(text, { zone: schedule.timeZone });
		if (parsed.isValid) return parsed.toMillis();
	}
	throw new CrmInputError(
		`"${String(value)}" is not a date and time`,
		field,
		'Use an ISO date/time such as 2026-03-27T16:00:00+01:00, or epoch milliseconds.',
	);
}

/**
 * Milliseconds of working time between two instants: only the parts of working days (not
 * holidays) between the opening and closing wall-clock times in the zone. A reversed or empty
 * range gives 0. ISO strings without an offset are read in the working hours' zone.
 *
 * Days are walked one by one, but each day's window is computed once per WorkingHours and then
 * cached, so a typical call is a handful of map look-ups.
 */
export function businessMillisBetween(startIso: string | number, endIso: string | number, hours: WorkingHours): number {
	const schedule = scheduleFor(hours);
	const start = toMillis(startIso, schedule, 'startIso');
	const end = toMillis(endIso, schedule, 'endIso');
	if (!(end > start)) return 0;
	// A local date is within one day of the UTC date, and a window lies inside its local date, so
	// the days from one before the UTC start date to one after the UTC end date cover the range;
	// the extra days' windows fall outside it and add nothing.
	const last = Math.floor(end / DAY_MS) + 1;
	// Days whose whole local date lies inside [start, end]: their windows count in full.
	const wholeFrom = Math.ceil(start / DAY_MS) + 1;
	const wholeTo = Math.floor(end / DAY_MS) - 2;
	const skipWeeks = wholeTo - wholeFrom > LONG_RANGE_DAYS;
	let total = 0;
	for (let day = Math.floor(start / DAY_MS) - 1; day <= last; day++) {
		if (skipWeeks && day >= wholeFrom && day + 6 <= wholeTo && blockOf(day) === day && isPlainBlock(schedule, day)) {
			total += plainBlockMillis(schedule, day);
			day += 6;
			continue;
		}
		const window = windowOf(schedule, day);
		if (window === null) continue;
		const from = window[0] > start ? window[0] : start;
		const to = window[1] < end ? window[1] : end;
		if (to > from) total += to - from;
	}
	return total;
}

/**
 * The instant (epoch ms) at which `millis` of working time have elapsed after `startIso`, e.g.
 * the due time of an SLA of 4 business hours from a ticket's creation. It is the earliest such
 * instant: work that fits exactly ends at closing time, not at the next opening. 0 gives the
 * start itself.
 */
export function addBusinessMillis(startIso: string | number, millis: number, hours: WorkingHours): number {
	const schedule = scheduleFor(hours);
	const start = toMillis(startIso, schedule, 'startIso');
	if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 0) {
		throw new CrmInputError(`"${String(millis)}" is not a duration`, 'millis', 'Use a number of milliseconds, 0 or more.');
	}
	if (millis === 0) return start;
	let remaining = millis;
	// Every week has a working weekday, and holidays are finite, so this ends; the bound only
	// guards against a pathological calendar (every working day of a century a holiday).
	const limit = Math.floor(start / DAY_MS) + 36_600 + Math.ceil(millis / (schedule.closeMinute - schedule.openMinute) / MINUTE_MS) * 7;
	const wholeFrom = Math.ceil(start / DAY_MS) + 1;
	for (let day = Math.floor(start / DAY_MS) - 1; day <= limit; day++) {
		if (day >= wholeFrom && blockOf(day) === day && remaining > plainBlockMillis(schedule, day) && isPlainBlock(schedule, day)) {
			remaining -= plainBlockMillis(schedule, day);
			day += 6;
			continue;
		}
		const window = windowOf(schedule, day);
		if (window === null) continue;
		const from = window[0] > start ? window[0] : start;
		if (window[1] <= from) continue;
		const available = window[1] - from;
		if (remaining <= available) return from + remaining;
		remaining -= available;
	}
	throw new CrmInputError('The business calendar has no working time left after the start', 'holidays');
}
