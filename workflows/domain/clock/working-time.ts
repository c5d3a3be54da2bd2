/**
 * Which instants a calendar works: its working intervals on a local date as epoch ms, and time measured
 * or added only inside them (working hours, working days). Interval bounds are wall times in the
 * calendar's zone, so working time is real elapsed time and DST only moves where the bounds fall.
 */
import type { Calendar, WorkingInterval } from './calendar';
import { addLocalDays, minuteOfDay, weekdayOf } from './local-date';
import { atLocalTime, localDate } from './zone';

/** Ten years: a calendar with no working time in that span cannot meet any deadline. */
const SEARCH_LIMIT_DAYS = 3660;
const WHOLE_DAY: WorkingInterval[] = [{ start: '00:00', end: '24:00' }];

export interface WorkingSpan {
  from: number;
  to: number;
}

/** The wall-clock working intervals of a local date: none on holidays, make-up hours on 调休 days. */
export function workingIntervalsOn(calendar: Calendar, date: string): WorkingInterval[] {
  if (calendar.holidays.includes(date)) return [];
  const weekly = calendar.workingHours;
  if (weekly === '24x7') return WHOLE_DAY;
  if (calendar.makeUpWorkdays.includes(date)) return calendar.makeUpHours ?? weekly[1] ?? [];
  return weekly[weekdayOf(date) as keyof typeof weekly] ?? [];
}

/** The working intervals of a local date as instants, in order, empty ones (inside a DST gap) dropped. */
export function workingSpansOn(calendar: Calendar, date: string): WorkingSpan[] {
  return workingIntervalsOn(calendar, date)
    .map((interval) => ({
      from: atLocalTime(date, minuteOfDay(interval.start) ?? 0, calendar.timeZone),
      to: atLocalTime(date, minuteOfDay(interval.end) ?? 0, calendar.timeZone),
    }))
    .filter((span) => span.to > span.from)
    .sort((a, b) => a.from - b.from);
}

/**
 * The instant at which `workingMs` of working time has passed after `startMs`. Counting starts at the
 * next opening when `startMs` is outside working hours; a budget that runs out exactly at closing time is
 * due at closing time (not at the next opening). Zero working time is due at `startMs`.
 */
export function addWorkingTime(startMs: number, workingMs: number, calendar: Calendar): number {
  if (workingMs <= 0) return startMs;
  let remaining = workingMs;
  let date = localDate(startMs, calendar.timeZone);
  for (let day = 0; day < SEARCH_LIMIT_DAYS; day++, date = addLocalDays(date, 1)) {
    for (const span of workingSpansOn(calendar, date)) {
      if (span.to <= startMs) continue;
      const from = Math.max(span.from, startMs);
      if (span.to - from >= remaining) return from + remaining;
      remaining -= span.to - from;
    }
  }
  throw new RangeError(`calendar ${calendar.id} has no working time left within ${SEARCH_LIMIT_DAYS} days`);
}

/** Working time of a calendar between two instants, in ms (0 when `toMs` is not after `fromMs`). */
export function workingTimeBetween(fromMs: number, toMs: number, calendar: Calendar): number {
  let total = 0;
  const lastDate = localDate(toMs, calendar.timeZone);
  for (let date = localDate(fromMs, calendar.timeZone); fromMs < toMs && date <= lastDate; date = addLocalDays(date, 1)) {
    for (const span of workingSpansOn(calendar, date)) {
      total += Math.max(0, Math.min(span.to, toMs) - Math.max(span.from, fromMs));
    }
  }
  return total;
}

/**
 * The close of the `count`-th working day after the local date of `startMs` (the event's own day never
 * counts): working days are dates with working time; the day closes at the end of its last interval.
 */
export function closeOfNthWorkingDayAfter(startMs: number, count: number, calendar: Calendar): number {
  let date = localDate(startMs, calendar.timeZone);
  let found = 0;
  for (let day = 0; day < SEARCH_LIMIT_DAYS; day++) {
    date = addLocalDays(date, 1);
    const spans = workingSpansOn(calendar, date);
    if (spans.length > 0 && ++found === count) return spans[spans.length - 1].to;
  }
  throw new RangeError(`calendar ${calendar.id} has fewer than ${count} working days within ${SEARCH_LIMIT_DAYS} days`);
}
