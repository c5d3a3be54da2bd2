/**
 * The business clock: pure, deterministic deadline arithmetic in business calendars, safe inside the
 * Temporal workflow sandbox (no I/O, no wall clock, time zones through Intl only).
 */
export type { Calendar, WeeklyHours, Weekday, WorkingInterval } from './calendar';
export { validateCalendar } from './calendar';
export { BUILT_IN_CALENDARS, CALENDAR_24X7, CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE } from './builtin-calendars';
export type { LocalDateTime } from './zone';
export {
  atLocalTime, epochToLocal, isKnownTimeZone, localDate, localToEpoch, startOfLocalDate, startOfNextLocalDay,
  toIsoWithOffset, zoneOffsetMs,
} from './zone';
export { addLocalDays, isLocalDate, weekdayOf } from './local-date';
export type { DurationSpec, DurationUnit, ElapsedUnit } from './duration';
export {
  DURATION_UNITS, addBusinessDuration, durationToMs, isElapsedUnit, isWorkingUnit, validateDurationSpec,
} from './duration';
export type { WorkingSpan } from './working-time';
export { addWorkingTime, closeOfNthWorkingDayAfter, workingIntervalsOn, workingSpansOn, workingTimeBetween } from './working-time';
export type { BudgetClock, BudgetPause, DeadlineBudget } from './budget';
export { isPaused, openBudget, pauseBudget, resumeBudget, stoppedTime } from './budget';
export type { EndOfPeriodRule } from './end-of-period';
export { END_OF_PERIOD_RULES, isEuWorkingDay, lastDayOfPeriod } from './end-of-period';
export type { WarningRule, WarningTiming } from './warning';
export { warningAt } from './warning';
