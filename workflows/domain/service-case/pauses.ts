/**
 * Clocks that stand still and clocks moved out, for every kind: a pause (an after-sale's suspension, 中止)
 * stops every running deadline; when the clocks run again each deadline gets back exactly the time it lost
 * (elapsed time for plain units, working time on its calendar for working units). An extension moves one
 * deadline out on its own clock, with an audited reason. Pure; callers pass a draft.
 */
import type { Actor, Deadline } from '../case';
import { addBusinessDuration, addWorkingTime, warningAt, workingTimeBetween } from '../clock';
import type { DurationSpec, Policy } from '../policy/types';
import { calendarFor } from '../schedule';
import { activeDeadlines } from './deadlines';
import { record } from './records';

/** Active deadlines whose clock runs (not paused). */
export function runningDeadlines<D extends Deadline>(s: { deadlines: D[] }): D[] {
  return activeDeadlines(s).filter((d) => d.pausedAt === undefined);
}

/** Every running deadline stands still from `now`. */
export function pauseClocks(s: { deadlines: Deadline[] }, now: number): void {
  for (const d of runningDeadlines(s)) d.pausedAt = now;
}

/** The calendar a deadline counted in working time runs on; undefined for elapsed-time deadlines. */
function workingCalendarOf(policy: Policy, d: Deadline) {
  if (d.unit !== 'working_hours' && d.unit !== 'working_days') return undefined;
  return calendarFor(policy, { amount: 0, unit: d.unit, ...(d.calendar ? { calendar: d.calendar } : {}) });
}

/** The due time a paused deadline gets back when its clock runs again at `now`. */
function resumedDue(policy: Policy, d: Deadline, now: number): number {
  const pausedAt = d.pausedAt!;
  const calendar = workingCalendarOf(policy, d);
  if (calendar) return addWorkingTime(now, workingTimeBetween(pausedAt, d.dueAt, calendar), calendar);
  return d.dueAt + (now - pausedAt);
}

/**
 * Runs the paused clocks again from `clockFrom`: each paused deadline's due time (and pending warning) moves
 * by what it lost, and its `stoppedMs` keeps count.
 */
export function resumeClocks(s: { deadlines: Deadline[] }, policy: Policy, clockFrom: number): void {
  for (const d of activeDeadlines(s)) {
    if (d.pausedAt === undefined) continue;
    const shift = resumedDue(policy, d, clockFrom) - d.dueAt;
    d.stoppedMs = (d.stoppedMs ?? 0) + (clockFrom - d.pausedAt);
    d.dueAt += shift;
    if (d.warnAt !== undefined && d.warnedAt === undefined) d.warnAt += shift;
    delete d.pausedAt;
  }
}

/** The latest active deadline of that name. */
const latestActive = (s: { deadlines: Deadline[] }, name: string) => [...activeDeadlines(s)].reverse().find((x) => x.name === name);

/** The calendar an extension counts on: the one it names, else the deadline's own (else the policy's default). */
export function extensionCalendar(s: { deadlines: Deadline[] }, policy: Policy, name: string, by: DurationSpec) {
  const id = by.calendar ?? latestActive(s, name)?.calendar;
  return calendarFor(policy, { ...by, ...(id ? { calendar: id } : {}) });
}

/** Moves one active deadline out by `by`, counted on its own clock from its current due time; returns it. */
export function extendDeadline(
  s: { deadlines: Deadline[]; timeline: Parameters<typeof record>[0]['timeline'] }, policy: Policy, name: string, by: DurationSpec, reason: string, actor: Actor, now: number,
): Deadline {
  const d = latestActive(s, name)!;
  const calendar = extensionCalendar(s, policy, name, by);
  const from = d.dueAt;
  d.dueAt = addBusinessDuration(d.dueAt, by, calendar);
  if (d.warnedAt === undefined) {
    // A working-time deadline warns at a share of its working time, as when it was scheduled.
    const warnAt = warningAt(d.startedAt, d.dueAt, policy.warning, workingCalendarOf(policy, d));
    if (warnAt !== undefined && warnAt > now) d.warnAt = warnAt;
    else delete d.warnAt;
  }
  record(s, now, 'deadline.extended', actor, { name, from, to: d.dueAt, by, reason });
  return d;
}
