/**
 * Deadline lengths as policies state them (`{ amount, unit, calendar? }`) and the business clock that turns
 * an event instant plus such a length into a due instant: elapsed time, natural days, working time. The clock
 * owns these types; policies use them (the clock imports nothing from the policy).
 */
import type { Calendar } from './calendar';
import { addWorkingTime, closeOfNthWorkingDayAfter } from './working-time';
import { addLocalDays } from './local-date';
import { END_OF_PERIOD_RULES, lastDayOfPeriod, type EndOfPeriodRule } from './end-of-period';
import { localDate, startOfLocalDate } from './zone';

export const DURATION_UNITS = [
  'seconds', 'minutes', 'hours', 'calendar_days', 'working_hours', 'working_days',
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface DurationSpec {
  amount: number;
  unit: DurationUnit;
  /** Calendar id for working units; the policy's default calendar when absent. */
  calendar?: string;
  /**
   * How a period of natural days ends when its last day is not a working day (calendar_days only).
   * `eu-1182-71`: Regulation (EEC, Euratom) No 1182/71 art. 3(4)-(5), which the Consumer Rights Directive
   * applies to its periods (recital 41): a last day on a Saturday, Sunday or public holiday (the calendar's
   * holidays) moves to the next working day, and a period of two days or more holds two working days.
   * Absent: the period ends after its last natural day, whatever its weekday.
   */
  endOfPeriodRule?: EndOfPeriodRule;
}

const ELAPSED_UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000 } as const;
export type ElapsedUnit = keyof typeof ELAPSED_UNIT_MS;

/** Units that are plain elapsed time, indifferent to calendars and zones. */
export function isElapsedUnit(unit: DurationUnit): unit is ElapsedUnit {
  return unit in ELAPSED_UNIT_MS;
}

/** Units whose budget is working time of a calendar (paused budgets recompute them on resume). */
export function isWorkingUnit(unit: DurationUnit): unit is 'working_hours' | 'working_days' {
  return unit === 'working_hours' || unit === 'working_days';
}

/** Milliseconds of an elapsed-time spec (seconds, minutes, hours); throws for calendar-bound units. */
export function durationToMs(spec: DurationSpec): number {
  if (!isElapsedUnit(spec.unit)) throw new RangeError(`${spec.unit} has no fixed length in milliseconds`);
  return Math.round(spec.amount * ELAPSED_UNIT_MS[spec.unit]);
}

/** Problems with a spec, as readable sentences; empty when valid. Day counts must be whole numbers. */
export function validateDurationSpec(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return ['duration must be an object {amount, unit}'];
  const { amount, unit, calendar, endOfPeriodRule } = candidate as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    problems.push('amount must be a finite number ≥ 0');
  }
  if (!DURATION_UNITS.includes(unit as DurationUnit)) problems.push(`unit must be one of ${DURATION_UNITS.join(', ')}`);
  else if ((unit === 'calendar_days' || unit === 'working_days') && !Number.isInteger(amount)) {
    problems.push(`${unit} must be a whole number of days`);
  }
  if (calendar !== undefined && (typeof calendar !== 'string' || calendar === '')) {
    problems.push('calendar must be a calendar id');
  }
  if (endOfPeriodRule !== undefined) {
    if (!(END_OF_PERIOD_RULES as readonly unknown[]).includes(endOfPeriodRule)) problems.push(`endOfPeriodRule must be one of ${END_OF_PERIOD_RULES.join(', ')}`);
    else if (unit !== 'calendar_days') problems.push('endOfPeriodRule applies to calendar_days only (periods of days, not hours)');
  }
  return problems;
}

/**
 * When a deadline of `spec` started at `startMs` falls due. A zero amount is due at `startMs`.
 * - seconds, minutes, hours: elapsed time; the calendar is ignored.
 * - calendar_days (natural days, 自然日): counting starts at 00:00 of the day after the event's local date
 *   in the calendar's zone; N days end at 00:00 local of (event date + 1 + N), i.e. at the end of the
 *   N-th day after the event's day. The 7-day return window of a parcel signed on 11-15 (any time that day)
 *   closes at 11-23 00:00 — Tmall's "168 h from 00:00 of the next day". Holidays do not stop natural days;
 *   where the zone has DST the window follows local midnights (167 h or 169 h across a change). With
 *   `endOfPeriodRule` (e.g. `eu-1182-71`) a last day that is not a working day moves on (end-of-period.ts).
 * - working_hours: N hours of working time (see addWorkingTime); an event outside working hours starts
 *   counting at the next opening; a budget used up exactly at closing is due at closing.
 * - working_days: N whole working days after the event's local date (the event's day never counts, even
 *   when the event comes before opening); due at the close of the N-th working day's working hours.
 */
export function addBusinessDuration(startMs: number, spec: DurationSpec, calendar: Calendar): number {
  const problems = validateDurationSpec(spec);
  if (problems.length > 0) throw new RangeError(`invalid duration: ${problems.join('; ')}`);
  if (spec.amount === 0) return startMs;
  switch (spec.unit) {
    case 'seconds':
    case 'minutes':
    case 'hours':
      return startMs + durationToMs(spec);
    case 'calendar_days':
      return startOfLocalDate(
        addLocalDays(lastDayOfPeriod(localDate(startMs, calendar.timeZone), spec.amount, calendar, spec.endOfPeriodRule), 1), calendar.timeZone,
      );
    case 'working_hours':
      return addWorkingTime(startMs, Math.round(spec.amount * ELAPSED_UNIT_MS.hours), calendar);
    case 'working_days':
      return closeOfNthWorkingDayAfter(startMs, spec.amount, calendar);
  }
}

