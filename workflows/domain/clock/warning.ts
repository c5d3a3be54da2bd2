/**
 * When to raise the pre-breach warning of a deadline: once a share of its budget has elapsed, or a fixed
 * offset before the breach. No warning when that instant is not strictly between start and due.
 */
import type { Calendar } from './calendar';
import { addWorkingTime, workingTimeBetween } from './working-time';

/** When the pre-breach warning fires, as a policy states it: at a share of the budget elapsed, or an offset before breach. */
export type WarningRule = { percentElapsed: number } | { beforeSeconds: number };

/** What `warningAt` times: a stated rule, or an offset in ms before breach. */
export type WarningTiming = WarningRule | { beforeMs: number };

/**
 * The warning instant of a deadline running from `startMs` to `dueMs`, or undefined.
 * `percentElapsed`: the first millisecond at which that share of the budget has elapsed — of wall time, or
 * of the calendar's working time when a calendar is given (so a working-hours warning lands in working
 * hours). `beforeMs` / `beforeSeconds`: that much wall time before the due instant.
 */
export function warningAt(startMs: number, dueMs: number, rule: WarningTiming, calendar?: Calendar): number | undefined {
  const at = warningInstant(startMs, dueMs, rule, calendar);
  return at > startMs && at < dueMs ? at : undefined;
}

function warningInstant(startMs: number, dueMs: number, rule: WarningTiming, calendar?: Calendar): number {
  if ('beforeMs' in rule) return dueMs - rule.beforeMs;
  if ('beforeSeconds' in rule) return dueMs - rule.beforeSeconds * 1000;
  // Multiply before dividing so that whole shares of whole milliseconds stay exact.
  const shareOf = (budgetMs: number) => Math.ceil((budgetMs * rule.percentElapsed) / 100);
  if (!calendar) return startMs + shareOf(dueMs - startMs);
  return addWorkingTime(startMs, shareOf(workingTimeBetween(startMs, dueMs, calendar)), calendar);
}
