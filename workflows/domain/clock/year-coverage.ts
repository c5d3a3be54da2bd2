/**
 * Statutory years of a calendar: which years its holidays and 调休 make-up workdays are published for
 * (they are announced one year at a time), which years a working-time count runs through, one year's dates
 * in and out of a calendar, and a deadline re-timed once a year it counted through blind is published. Pure.
 */
import type { Calendar } from './calendar';
import { addLocalDays } from './local-date';
import { addWorkingTime, closeOfNthWorkingDayAfter, workingSpansOn, workingTimeBetween } from './working-time';
import { localDate, startOfLocalDate } from './zone';

/** One year's statutory dates, as the State Council announces them. */
export interface CalendarYear {
  year: number;
  holidays: string[];
  makeUpWorkdays: string[];
}

const yearOfDate = (date: string) => Number(date.slice(0, 4));
const ascending = (a: number, b: number) => a - b;

/**
 * The years a calendar's statutory dates are published for: its `years`, else the years of the dates it
 * lists; 'every' for a calendar that keeps no statutory dates at all (24x7, plain weekly hours).
 */
export function publishedYears(calendar: Calendar): number[] | 'every' {
  if (calendar.years) return [...calendar.years].sort(ascending);
  const years = new Set([...calendar.holidays, ...calendar.makeUpWorkdays].map(yearOfDate));
  return years.size === 0 ? 'every' : [...years].sort(ascending);
}

export function coversYear(calendar: Calendar, year: number): boolean {
  const years = publishedYears(calendar);
  return years === 'every' || years.includes(year);
}

/**
 * The years of the local dates a working-time count from `startMs` to `dueMs` looks at: working_days from the
 * day after the event's, working_hours from the event's own day, both up to the day the due instant closes
 * (a due at 24:00 belongs to the day it ends). Elapsed units and natural days ignore holidays: none.
 */
export function yearsCounted(calendar: Calendar, unit: string, startMs: number, dueMs: number): number[] {
  if ((unit !== 'working_hours' && unit !== 'working_days') || dueMs <= startMs) return [];
  const first = localDate(startMs, calendar.timeZone);
  const from = yearOfDate(unit === 'working_days' ? addLocalDays(first, 1) : first);
  const to = yearOfDate(localDate(dueMs - 1, calendar.timeZone));
  const years: number[] = [];
  for (let year = from; year <= to; year++) years.push(year);
  return years;
}

/** The years a count runs through that the calendar has no published dates for (empty when all are). */
export function uncoveredYears(calendar: Calendar, unit: string, startMs: number, dueMs: number): number[] {
  return yearsCounted(calendar, unit, startMs, dueMs).filter((year) => !coversYear(calendar, year));
}

/** One published year's dates; null when the calendar does not cover that year. */
export function yearOf(calendar: Calendar, year: number): CalendarYear | null {
  if (!coversYear(calendar, year)) return null;
  const inYear = (dates: string[]) => dates.filter((date) => yearOfDate(date) === year).sort();
  return { year, holidays: inYear(calendar.holidays), makeUpWorkdays: inYear(calendar.makeUpWorkdays) };
}

/** The calendar with `entry`'s year set to exactly its dates and listed as published. */
export function withYear<C extends Calendar>(calendar: C, entry: CalendarYear): C {
  const others = (dates: string[]) => dates.filter((date) => yearOfDate(date) !== entry.year);
  const years = publishedYears(calendar);
  return {
    ...calendar,
    holidays: [...others(calendar.holidays), ...entry.holidays].sort(),
    makeUpWorkdays: [...others(calendar.makeUpWorkdays), ...entry.makeUpWorkdays].sort(),
    years: [...new Set([...(years === 'every' ? [] : years), entry.year])].sort(ascending),
  };
}

/** `base` with every year `source` publishes and `base` does not (years `base` has are never touched). */
export function withMissingYears<C extends Calendar>(base: C, source: Calendar): C {
  const years = publishedYears(source);
  if (years === 'every') return base;
  let out = base;
  for (const year of years) if (!coversYear(base, year)) out = withYear(out, yearOf(source, year)!);
  return out;
}

/**
 * Where a working-time deadline falls once `after` (the same calendar with years filled in) replaces
 * `before`. Counting up to the first day of `fromYear` (or up to the start, if later) is unchanged; what
 * `before` counted from there to `dueMs` — working time, or whole working days — is counted again in `after`.
 */
export function retimeDue(unit: string, startMs: number, dueMs: number, before: Calendar, after: Calendar, fromYear: number): number {
  const yearStart = startOfLocalDate(`${fromYear}-01-01`, before.timeZone);
  if (unit === 'working_hours') {
    const from = Math.max(startMs, yearStart);
    return dueMs <= from ? dueMs : addWorkingTime(from, workingTimeBetween(from, dueMs, before), after);
  }
  if (unit !== 'working_days') return dueMs;
  // Any instant of the day before the first day counted again: the event itself, or 31 December.
  const dayBefore = startMs >= yearStart ? startMs : yearStart - 1;
  const lastDate = localDate(dueMs - 1, before.timeZone);
  let count = 0;
  for (let date = addLocalDays(localDate(dayBefore, before.timeZone), 1); date <= lastDate; date = addLocalDays(date, 1)) {
    if (workingSpansOn(before, date).length > 0) count++;
  }
  return count === 0 ? dueMs : closeOfNthWorkingDayAfter(dayBefore, count, after);
}
