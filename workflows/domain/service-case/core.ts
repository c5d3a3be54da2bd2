/**
 * The case kernel every kind is built on (after-sale, complaint, inquiry, order issue): a draft copy per
 * change, timeline entries, one owner per open case on the L1-L4 ladder (./ladder), notices sent once under
 * ids derived from the case, deadlines on the policy's business clock, and the clock loop that fires
 * warnings and breaches in time order. Pure; each kind decides what a breach means through its hooks.
 */
import type { Actor, ActorRole, CaseLink, Deadline, OnTimeout, Owner, TimelineEntry } from '../case';
import { ownerAt, type EscalationLevel } from './ladder';
import type { DurationSpec, Policy, WarningRule } from '../policy/types';
import { scheduleFrom } from '../schedule';

export { ownerAt, type EscalationLevel };

/** A message to a staff owner (queue or person) or to the customer; sent once by the workflow under `id`. */
export interface CaseNotice {
  id: string;
  type: string;
  to: Owner | { customerRef: string };
  data: Record<string, unknown>;
  sent: boolean;
}

/** What every kind's state has for the kernel's bookkeeping: a timeline and a revision per change. */
export interface Recorded {
  timeline: TimelineEntry[];
  updatedAt: number;
  revision: number;
}

/** A state that queues notices; their ids derive from the case id of its request. */
export interface Noticing<N extends CaseNotice = CaseNotice> {
  request: { caseId: string };
  notices: N[];
}

export interface CaseCore extends Recorded, Noticing {
  caseId: string;
  status: string;
  outcome: string | null;
  owner: Owner | null;
  escalationLevel: EscalationLevel;
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  notices: CaseNotice[];
  links: CaseLink[];
  closedAt?: number;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export function draftOf<S extends { updatedAt: number; revision: number }>(state: S, now: number): S {
  const draft = JSON.parse(JSON.stringify(state)) as S;
  draft.updatedAt = Math.max(draft.updatedAt, now);
  draft.revision += 1;
  return draft;
}

/** A timeline entry; an actor given whole lends its role and, unless one is given, its actorRef. */
export function record(s: { timeline: TimelineEntry[] }, at: number, type: string, by: ActorRole | Actor, data?: Record<string, unknown>, actorRef?: string): void {
  const role = typeof by === 'string' ? by : by.role;
  const ref = actorRef ?? (typeof by === 'string' ? undefined : by.actorRef);
  s.timeline.push({ at, type, actor: role, ...(ref ? { actorRef: ref } : {}), ...(data ? { data } : {}) });
}

/** Queues a message to an owner (person or tier queue) or the customer; the workflow sends it exactly once. */
export function queueNotice<N extends CaseNotice>(s: Noticing<N>, type: N['type'], to: N['to'], data: Record<string, unknown>): void {
  s.notices.push({ id: `${s.request.caseId}:notice:${s.notices.length + 1}`, type, to, data, sent: false } as N);
}

export function unsentNotices<N extends CaseNotice>(s: { notices: N[] }): N[] {
  return s.notices.filter((n) => !n.sent);
}

/** The notifier accepted a notice: it is never sent again. */
export function markNoticeSent<S extends { notices: CaseNotice[]; updatedAt: number; revision: number }>(state: S, id: string, now: number): S {
  if (!state.notices.some((n) => n.id === id && !n.sent)) return state;
  const s = draftOf(state, now);
  s.notices.find((n) => n.id === id)!.sent = true;
  return s;
}

export function enter(s: CaseCore, status: string, now: number, by: ActorRole): void {
  const from = s.status;
  s.status = status;
  if (from !== status) record(s, now, 'case.status_changed', by, { from, to: status });
}

export function activeDeadlines(s: CaseCore): Deadline[] {
  return s.deadlines.filter((d) => d.state === 'active');
}

export function hasActive(s: CaseCore, name: string): boolean {
  return activeDeadlines(s).some((d) => d.name === name);
}

export interface DeadlineOptions {
  policy: Policy;
  spec: DurationSpec;
  /** Staff deadlines warn their owner before breach; a customer's or carrier's clock does not. */
  warning?: WarningRule;
}

/** Opens a deadline on the business clock. */
export function openDeadline(s: CaseCore, name: string, actor: ActorRole, onTimeout: OnTimeout, startedAt: number, o: DeadlineOptions): Deadline {
  const { dueAt, warnAt } = scheduleFrom({ ...o.policy, warning: o.warning ?? { beforeSeconds: 0 } }, o.spec, startedAt);
  const deadline: Deadline = {
    name, startedAt, dueAt, ...(o.warning && warnAt !== undefined && warnAt < dueAt ? { warnAt } : {}), actor, onTimeout, state: 'active',
    unit: o.spec.unit, ...(o.spec.calendar ? { calendar: o.spec.calendar } : {}),
  };
  s.deadlines.push(deadline);
  return deadline;
}

/** Ends the named active deadlines (all when no names): `met` when acted on in time, `cancelled` otherwise. */
export function endDeadlines(s: CaseCore, now: number, state: 'met' | 'cancelled', names?: readonly string[]): void {
  for (const d of activeDeadlines(s)) {
    if (names && !names.includes(d.name)) continue;
    d.state = state;
    d.endedAt = now;
  }
}

/**
 * Moves the case to `toLevel` (default one up; never down, L4 is the top): the new tier's queue owns it,
 * staff deadlines point at the new owner, the owner is told. Returns whether the level changed.
 */
export function escalateTo(s: CaseCore, now: number, by: ActorRole, reason: string, data: Record<string, unknown> = {}, toLevel?: EscalationLevel, actorRef?: string): boolean {
  const target = Math.min(4, toLevel ?? s.escalationLevel + 1) as EscalationLevel;
  if (target <= s.escalationLevel || !s.owner) return false;
  const from = s.escalationLevel;
  const previousRole = s.owner.role;
  s.escalationLevel = target;
  s.owner = ownerAt(target);
  for (const d of activeDeadlines(s)) if (d.actor === previousRole) d.actor = s.owner.role;
  record(s, now, 'case.escalated', by, { from: `L${from}`, to: `L${target}`, reason, ...data }, actorRef);
  queueNotice(s, 'case.escalated', s.owner, { from: `L${from}`, to: `L${target}`, reason, ...data });
  return true;
}

/** The next instant at which time changes something: a warning or a breach. */
export function nextWakeAt(s: CaseCore): number | undefined {
  const instants = activeDeadlines(s).flatMap((d) => (d.warnAt !== undefined && d.warnedAt === undefined ? [d.warnAt, d.dueAt] : [d.dueAt]));
  return instants.length ? Math.min(...instants) : undefined;
}

/**
 * Fires every warning and breach due at or before `now`, earliest first: a warning tells the owner, a breach
 * is marked and handed to the kind's `breach` (which may open new deadlines, fired in turn if already due).
 */
export function advanceClock<S extends CaseCore>(state: S, now: number, breach: (s: S, d: Deadline, now: number) => void): S {
  const wake = nextWakeAt(state);
  if (wake === undefined || wake > now) return state;
  const s = draftOf(state, now);
  for (;;) {
    const due = activeDeadlines(s)
      .flatMap((d) => [
        ...(d.warnAt !== undefined && d.warnedAt === undefined && d.warnAt <= now ? [{ d, at: d.warnAt, kind: 'warn' as const }] : []),
        ...(d.dueAt <= now ? [{ d, at: d.dueAt, kind: 'breach' as const }] : []),
      ])
      .sort((a, b) => a.at - b.at)[0];
    if (!due) return s;
    if (due.kind === 'warn') {
      due.d.warnedAt = now;
      record(s, now, 'deadline.warned', 'system', { name: due.d.name, dueAt: due.d.dueAt, actor: due.d.actor });
      if (s.owner) queueNotice(s, 'sla.warning', s.owner, { deadline: due.d.name, dueAt: due.d.dueAt });
    } else {
      due.d.state = 'breached';
      due.d.endedAt = now;
      record(s, now, 'deadline.breached', 'system', { name: due.d.name, dueAt: due.d.dueAt, onTimeout: due.d.onTimeout });
      breach(s, due.d, now);
    }
  }
}

/** Closes the case: every clock stops, nobody owns it any more. */
export function closeCase(s: CaseCore, outcome: string, now: number, by: ActorRole, data: Record<string, unknown> = {}, actorRef?: string): void {
  endDeadlines(s, now, 'cancelled');
  enter(s, 'closed', now, by);
  s.outcome = outcome;
  s.owner = null;
  s.closedAt = now;
  record(s, now, 'case.closed', by, { outcome, ...data }, actorRef);
}
