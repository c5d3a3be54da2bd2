/**
 * The ledger of a deadline budget that can be paused and resumed (suspension for negotiation, court or
 * police proof): each pause is recorded, the due instant moves out on resume, stopped time is reported.
 */
import type { Calendar } from './calendar';
import type { DurationSpec } from './duration';
import { isWorkingUnit } from './duration';
import { addWorkingTime, workingTimeBetween } from './working-time';

export interface BudgetPause {
  from: number;
  /** Absent while the pause lasts. */
  to?: number;
}

export interface DeadlineBudget {
  startedAt: number;
  dueAt: number;
  pauses: BudgetPause[];
}

/** What the budget was measured in, so that a resume can recompute working-time budgets. */
export interface BudgetClock {
  spec: DurationSpec;
  calendar: Calendar;
}

export function openBudget(startedAt: number, dueAt: number): DeadlineBudget {
  return { startedAt, dueAt, pauses: [] };
}

export function isPaused(budget: DeadlineBudget): boolean {
  const last = budget.pauses[budget.pauses.length - 1];
  return last !== undefined && last.to === undefined;
}

/** Stops the clock at `at`. Pausing a paused budget changes nothing (a repeated signal is harmless). */
export function pauseBudget(budget: DeadlineBudget, at: number): DeadlineBudget {
  if (isPaused(budget)) return budget;
  const last = budget.pauses[budget.pauses.length - 1];
  if (at < budget.startedAt || (last?.to !== undefined && at < last.to)) {
    throw new RangeError('a pause cannot start before the budget started or before the last resume');
  }
  return { ...budget, pauses: [...budget.pauses, { from: at }] };
}

/**
 * Restarts the clock at `at` and moves the due instant out; resuming a running budget changes nothing.
 * Without a clock, or for elapsed units and calendar_days, the due instant moves by the paused elapsed time.
 * For working_hours and working_days (given `clock`), the working time that was left when the pause began
 * is counted again from `at` in the calendar, so nights, weekends and holidays around the pause count right.
 */
export function resumeBudget(budget: DeadlineBudget, at: number, clock?: BudgetClock): DeadlineBudget {
  if (!isPaused(budget)) return budget;
  const pause = budget.pauses[budget.pauses.length - 1];
  if (at < pause.from) throw new RangeError('a pause cannot end before it began');
  const dueAt = clock && isWorkingUnit(clock.spec.unit)
    ? addWorkingTime(at, workingTimeBetween(pause.from, budget.dueAt, clock.calendar), clock.calendar)
    : budget.dueAt + (at - pause.from);
  return { ...budget, dueAt, pauses: [...budget.pauses.slice(0, -1), { from: pause.from, to: at }] };
}

/** Total time the clock has been stopped up to `now` (an open pause counts up to `now`), in ms. */
export function stoppedTime(budget: DeadlineBudget, now: number): number {
  return budget.pauses.reduce((total, pause) => total + Math.max(0, Math.min(pause.to ?? now, now) - pause.from), 0);
}
