/**
 * End-of-period rules for periods of natural days: where a period whose last day is not a working day
 * ends instead. `eu-1182-71` is Regulation (EEC, Euratom) No 1182/71 art. 3, applied to the Consumer Rights
 * Directive's periods by its recital 41 (withdrawal, sending back, refund):
 * - art. 3(1), 3(2)(b): a period of days starts at the beginning of the day after the event and ends with
 *   the last hour of its last day (what calendar_days already counts);
 * - art. 3(4): a last day that is a public holiday, Sunday or Saturday moves to the end of the next working day;
 * - art. 3(5): a period of two days or more includes at least two working days.
 * Saturdays and Sundays are built in; public holidays are the holidays of the period's calendar (a member
 * state's list, when the policy names such a calendar; none otherwise). Pure.
 */
import type { Calendar } from './calendar';
import { addLocalDays, weekdayOf } from './local-date';

export const END_OF_PERIOD_RULES = ['eu-1182-71'] as const;
export type EndOfPeriodRule = (typeof END_OF_PERIOD_RULES)[number];

/** A working day under Regulation 1182/71: not a Saturday, Sunday or public holiday of the calendar. */
export function isEuWorkingDay(date: string, calendar: Calendar): boolean {
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.includes(date);
}

/** Ten years: no calendar could push a period's end further. */
const SEARCH_LIMIT_DAYS = 3660;

/**
 * The last day of a period of `days` natural days that starts the day after `eventDate`, under `rule`
 * ('YYYY-MM-DD' local dates; the period ends at 00:00 of the day after it). Without a rule: eventDate + days.
 */
export function lastDayOfPeriod(eventDate: string, days: number, calendar: Calendar, rule?: EndOfPeriodRule): string {
  let last = addLocalDays(eventDate, days);
  if (rule !== 'eu-1182-71' || days < 1) return last;
  const first = addLocalDays(eventDate, 1);
  // art. 3(4): a Saturday, Sunday or public holiday moves the end to the next working day.
  for (let i = 0; !isEuWorkingDay(last, calendar); i++, last = addLocalDays(last, 1)) guard(i, calendar);
  if (days >= 2) {
    // art. 3(5): two days or more include at least two working days.
    let working = 0;
    for (let d = first; d <= last; d = addLocalDays(d, 1)) if (isEuWorkingDay(d, calendar)) working++;
    for (let i = 0; working < 2; i++) {
      guard(i, calendar);
      last = addLocalDays(last, 1);
      if (isEuWorkingDay(last, calendar)) working++;
    }
  }
  return last;
}

function guard(i: number, calendar: Calendar): void {
  if (i > SEARCH_LIMIT_DAYS) throw new RangeError(`calendar ${calendar.id} has no working day within ${SEARCH_LIMIT_DAYS} days`);
}
