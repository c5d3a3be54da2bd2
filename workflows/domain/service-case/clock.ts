/**
 * The kernel's clock loop: fires every pre-breach warning and breach due, earliest first. A warning is
 * recorded and tells the case's owner; a breach is recorded and handed to the kind's silence rule (which may
 * open new deadlines, fired in turn if already due). Paused clocks (./pauses) wait. Hooks cover what kinds
 * really differ in: extra fields, and whether a case's owner is told of warnings. Pure.
 */
import type { Deadline, Owner } from '../case';
import { draftOf, queueNotice, record, type CaseNotice, type Recorded } from './records';
import { runningDeadlines } from './pauses';

/** What the clock loop needs of a case. */
export interface ClockCase extends Recorded {
  deadlines: Deadline[];
  owner: Owner | null;
  request: { caseId: string };
  notices?: CaseNotice[];
}

export interface ClockHooks<S, D extends Deadline = Deadline> {
  /** What silence past `d` does to the case (the kind's silence table). */
  breach(s: S, d: D, now: number): void;
  /** Fields the `deadline.breached` entry carries besides name, due time and default (a task's id). */
  breachData?(d: D): Record<string, unknown>;
  /** What the owner's `sla.warning` notice carries besides deadline and due time; null tells nobody. */
  warningData?(s: S, d: D): Record<string, unknown> | null;
}

/** The next instant at which time changes something: a warning or a breach. */
/** Paused clocks (a suspended case's) wait until they run again. */
export function nextWakeAt(s: { deadlines: Deadline[] }): number | undefined {
  const instants = runningDeadlines(s).flatMap((d) => (d.warnAt !== undefined && d.warnedAt === undefined ? [d.warnAt, d.dueAt] : [d.dueAt]));
  return instants.length ? Math.min(...instants) : undefined;
}

/** Fires every warning and breach due at or before `now`, in time order. */
export function advanceClock<S extends ClockCase & { deadlines: D[] }, D extends Deadline = Deadline>(state: S, now: number, hooks: ClockHooks<S, D>): S {
  const wake = nextWakeAt(state);
  if (wake === undefined || wake > now) return state;
  const s = draftOf(state, now);
  for (;;) {
    const due = runningDeadlines<D>(s)
      .flatMap((d) => [
        ...(d.warnAt !== undefined && d.warnedAt === undefined && d.warnAt <= now ? [{ d, at: d.warnAt, kind: 'warn' as const }] : []),
        ...(d.dueAt <= now ? [{ d, at: d.dueAt, kind: 'breach' as const }] : []),
      ])
      .sort((a, b) => a.at - b.at)[0];
    if (!due) return s;
    const { d } = due;
    if (due.kind === 'warn') {
      d.warnedAt = now;
      record(s, now, 'deadline.warned', 'system', { name: d.name, dueAt: d.dueAt, actor: d.actor });
      // The warning goes to whoever owns the case now (person or tier queue).
      const data = hooks.warningData ? hooks.warningData(s, d) : {};
      if (data && s.owner && s.notices) queueNotice(s as S & { notices: CaseNotice[] }, 'sla.warning', s.owner, { deadline: d.name, dueAt: d.dueAt, ...data });
    } else {
      d.state = 'breached';
      d.endedAt = now;
      record(s, now, 'deadline.breached', 'system', { name: d.name, dueAt: d.dueAt, onTimeout: d.onTimeout, ...(hooks.breachData?.(d) ?? {}) });
      hooks.breach(s, d, now);
    }
  }
}
