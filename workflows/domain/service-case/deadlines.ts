/**
 * Deadlines of the case kernel: opened on the policy's business clock (due time and pre-breach warning from
 * one schedule, so previews and workflows agree), ended as met or cancelled. Pure; callers pass a draft.
 */
import type { ActorRole, Deadline, OnTimeout } from '../case';
import type { DurationSpec, Policy, WarningRule } from '../policy/types';
import { scheduleFrom } from '../schedule';

export function activeDeadlines<D extends Deadline>(s: { deadlines: D[] }): D[] {
  return s.deadlines.filter((d) => d.state === 'active');
}

export function hasActive(s: { deadlines: Deadline[] }, name: string): boolean {
  return activeDeadlines(s).some((d) => d.name === name);
}

export interface DeadlineOptions {
  policy: Policy;
  spec: DurationSpec;
  /** Staff deadlines warn their owner before breach; a customer's or carrier's clock does not. */
  warning?: WarningRule;
  /** What a kind keeps on its deadlines besides (a complaint's department task id). */
  extra?: Record<string, unknown>;
}

/** Opens a deadline on the business clock. */
export function openDeadline(s: { deadlines: Deadline[] }, name: string, actor: ActorRole, onTimeout: OnTimeout, startedAt: number, o: DeadlineOptions): Deadline {
  const { dueAt, warnAt } = scheduleFrom({ ...o.policy, warning: o.warning ?? { beforeSeconds: 0 } }, o.spec, startedAt);
  const deadline: Deadline = {
    name, startedAt, dueAt, ...(o.warning && warnAt !== undefined && warnAt < dueAt ? { warnAt } : {}), actor, onTimeout, state: 'active',
    unit: o.spec.unit, ...(o.spec.calendar ? { calendar: o.spec.calendar } : {}), ...(o.extra ?? {}),
  };
  s.deadlines.push(deadline);
  return deadline;
}

export type DeadlineEnd = 'met' | 'cancelled';

/** How a deadline ends when `by` moved the case on: met when it was theirs to act on, cancelled otherwise. */
export const metIfActedBy = (by: ActorRole) => (d: Deadline): DeadlineEnd => (d.actor === by ? 'met' : 'cancelled');

/**
 * Ends the named active deadlines (all when no names, only those `only` picks when given): `met` when acted
 * on in time, `cancelled` otherwise, or as `end` decides per deadline.
 */
export function endDeadlines<D extends Deadline>(
  s: { deadlines: D[] }, now: number, end: DeadlineEnd | ((d: D) => DeadlineEnd), names?: readonly string[], only?: (d: D) => boolean,
): void {
  for (const d of activeDeadlines(s)) {
    if (names && !names.includes(d.name)) continue;
    if (only && !only(d)) continue;
    d.state = typeof end === 'string' ? end : end(d);
    d.endedAt = now;
  }
}
