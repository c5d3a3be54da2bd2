/**
 * Turns a policy's deadline spec into instants on the business clock: due time and pre-breach warning.
 * Every case kind schedules its deadlines through here, so previews and workflows agree to the millisecond.
 */
import type { Policy, DurationSpec } from './policy/types';
import { addBusinessDuration, warningAt, BUILT_IN_CALENDARS, type Calendar } from './clock';

export function calendarFor(policy: Policy, spec: DurationSpec): Calendar {
  const id = spec.calendar ?? policy.defaultCalendar;
  const custom = policy.calendars?.[id];
  const calendar = custom ?? BUILT_IN_CALENDARS[id];
  if (!calendar) throw new Error(`policy ${policy.id} v${policy.version} names unknown calendar ${id}`);
  return calendar;
}

export interface ScheduledInstant {
  dueAt: number;
  warnAt?: number;
}

export function scheduleFrom(policy: Policy, spec: DurationSpec, startMs: number): ScheduledInstant {
  const calendar = calendarFor(policy, spec);
  const dueAt = addBusinessDuration(startMs, spec, calendar);
  // A deadline counted in working time warns at a share of working time, never in the middle of the night.
  const warnAt = warningAt(startMs, dueAt, policy.warning, spec.unit === 'working_hours' || spec.unit === 'working_days' ? calendar : undefined);
  return warnAt === undefined ? { dueAt } : { dueAt, warnAt };
}

/** The zone a case renders its times in: its policy's default calendar's. */
export function timeZoneOf(policy: Policy): string {
  return calendarFor(policy, { amount: 0, unit: 'seconds' }).timeZone;
}
