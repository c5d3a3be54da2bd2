/**
 * The case kernel every kind is built on (after-sale, complaint, inquiry, order issue): bookkeeping
 * (./records), the owner ladder (./ladder), deadlines on the policy's business clock (./deadlines), the clock
 * loop of warnings and breaches (./clock), escalation (./escalation), status changes and close. Pure; each
 * kind says what silence does and where it differs through hooks.
 */
import type { ActorRole, CaseLink, Deadline, Owner, TimelineEntry } from '../case';
import { endDeadlines, type DeadlineEnd } from './deadlines';
import { ownerAt, type EscalationLevel } from './ladder';
import { record, type CaseNotice, type Noticing, type Recorded } from './records';

export { ownerAt, type EscalationLevel };
export * from './records';
export * from './deadlines';
export * from './pauses';
export { advanceClock, nextWakeAt, type ClockCase, type ClockHooks } from './clock';
export { escalateOnRequest, escalateTo, type EscalatingCase, type EscalationOptions } from './escalation';

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

export function enter(s: { status: string; timeline: CaseCore['timeline'] }, status: string, now: number, by: ActorRole): void {
  const from = s.status;
  s.status = status;
  if (from !== status) record(s, now, 'case.status_changed', by, { from, to: status });
}

/**
 * Closes the case: every clock stops (cancelled, or as the kind's `end` rule says: an after-sale's are met
 * when their actor closed it), nobody owns it any more.
 */
export function closeCase(
  s: Pick<CaseCore, 'deadlines' | 'status' | 'outcome' | 'owner' | 'closedAt' | 'timeline'>, outcome: string, now: number, by: ActorRole,
  data: Record<string, unknown> = {}, actorRef?: string, end: DeadlineEnd | ((d: Deadline) => DeadlineEnd) = 'cancelled',
): void {
  endDeadlines(s, now, end);
  enter(s, 'closed', now, by);
  s.outcome = outcome;
  s.owner = null;
  s.closedAt = now;
  record(s, now, 'case.closed', by, { outcome, ...data }, actorRef);
}
