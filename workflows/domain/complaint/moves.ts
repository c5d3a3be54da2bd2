/**
 * The moves complaint transitions are made of, used by actions (./actions), silence (./silence) and other
 * cases' results (./linked) alike: per-priority targets on the business clock, deadlines opened with what
 * silence does, escalation on the kernel's ladder, accepting a solution, resolving, confirming, close with
 * its archive record and reopen window, and reopen. Pure; callers pass a draft they own.
 */
import type { Actor, ActorRole, Deadline } from '../case';
import type { DurationSpec } from '../policy/types';
import { complaintSettings, type ComplaintDeadlineName } from '../policy/sections/complaint';
import { scheduleFrom } from '../schedule';
import { archiveRecord } from './archive';
import { activeDeadlines, closeCase, endDeadlines, enter, escalateTo, openDeadline as openOnClock, ownerAt, record, type EscalationLevel } from '../service-case/core';
import { COMPLAINT_SILENCE } from './silence';
import { AFTER_SALE_FOR, linkedAfterSaleId } from './solutions';
import type { ComplaintOutcome, ComplaintState, Solution } from './types';

/** Why a complaint moved up: a breached target, repeated rejections, a person asking, severity, recovery. */
export type EscalationReason = 'breach' | 'rejections' | 'requested' | 'severity' | 'recovery';

/** A complaint deadline; department tasks name the task their deadline belongs to. */
export type ComplaintDeadline = Deadline & { taskId?: string };

export const settingsOf = (s: ComplaintState) => complaintSettings(s.request.policy.complaint);

/** The target of a deadline for the case's priority: firstResponse and resolution vary by priority. */
export function targetSpec(s: ComplaintState, name: ComplaintDeadlineName): DurationSpec {
  const settings = settingsOf(s);
  if (name === 'firstResponse' || name === 'resolution') return settings.targets[s.priority]?.[name] ?? settings.deadlines[name];
  return settings.deadlines[name];
}

/** Opens a deadline on the business clock with what silence past it does (./silence); it warns the owner first. */
export function openDeadline(s: ComplaintState, name: ComplaintDeadlineName, actor: ActorRole, startedAt: number, taskId?: string): void {
  openOnClock(s, name, actor, COMPLAINT_SILENCE[name].onTimeout(s), startedAt, {
    policy: s.request.policy, spec: targetSpec(s, name), warning: settingsOf(s).warning, ...(taskId ? { extra: { taskId } } : {}),
  });
}

/** Re-times the active targets after a priority change: same start, the new priority's budget. */
export function retimeTargets(s: ComplaintState): void {
  const policy = { ...s.request.policy, warning: settingsOf(s).warning };
  for (const d of activeDeadlines(s)) {
    if (d.name !== 'firstResponse' && d.name !== 'resolution') continue;
    const { dueAt, warnAt } = scheduleFrom(policy, targetSpec(s, d.name), d.startedAt);
    d.dueAt = dueAt;
    if (warnAt === undefined) delete d.warnAt;
    else d.warnAt = warnAt;
    delete d.warnedAt;
  }
}

/** The service targets a handling tier works against while the case is open. */
export function openTargets(s: ComplaintState, now: number, names: readonly ('firstResponse' | 'resolution')[]): void {
  for (const name of names) openDeadline(s, name, s.owner?.role ?? 'agent', now);
}

/** The deadlines a complaint's owner works against: they follow the case up the ladder. */
const OWNER_DEADLINES: readonly string[] = ['firstResponse', 'resolution', 'departmentTask'];

/** Moves the case up (the kernel's escalation); the new tier starts with no rejections in a row. */
export function escalateCase(s: ComplaintState, now: number, by: ActorRole, reason: EscalationReason, data?: Record<string, unknown>, toLevel?: EscalationLevel, actorRef?: string): boolean {
  const moved = escalateTo(s, now, by, reason, data, toLevel, actorRef, { follows: (d) => OWNER_DEADLINES.includes(d.name), noticeData: { priority: s.priority } });
  if (moved) s.rejectionsInARow = 0;
  return moved;
}

/**
 * Closes the case: every clock stops, open tasks are cancelled, the complete record is archived (归档) as
 * an event, and the customer may reopen within the reopen window.
 */
export function close(s: ComplaintState, outcome: ComplaintOutcome, now: number, by: ActorRole, actorRef?: string): void {
  for (const task of s.tasks) if (task.state === 'open') task.state = 'cancelled';
  // A proposal still waiting for approval or the customer's answer dies with the case (a reopen starts afresh).
  for (const solution of s.reopenRules ? s.solutions : []) {
    if (solution.state !== 'proposed' && solution.state !== 'awaiting_approval') continue;
    solution.state = 'withdrawn';
    solution.decidedAt = now;
  }
  closeCase(s, outcome, now, by, {}, actorRef);
  record(s, now, 'case.archived', 'system', { record: archiveRecord(s) });
  openDeadline(s, 'reopenWindow', 'channel', now);
}

/** A closed complaint comes back: handled again from the tier it reached (at least `minLevel`). */
export function reopen(s: ComplaintState, now: number, by: ActorRole, reason: EscalationReason | 'reopened', minLevel: EscalationLevel = 1, actorRef?: string): void {
  endDeadlines(s, now, by === 'channel' ? 'met' : 'cancelled', ['reopenWindow']);
  s.reopenCount += 1;
  s.outcome = null;
  s.owner = ownerAt(s.escalationLevel);
  enter(s, 'in_progress', now, by);
  record(s, now, 'case.reopened', by, { reason, reopenCount: s.reopenCount }, actorRef);
  if (minLevel > s.escalationLevel) escalateCase(s, now, by, reason === 'recovery' ? 'recovery' : 'requested', {}, minLevel);
  openTargets(s, now, ['firstResponse', 'resolution']);
}

/** The customer accepts (or stays silent on) a proposal: implementation starts, via an after-sale if needed. */
export function acceptSolution(s: ComplaintState, solution: Solution, by: Actor, now: number): void {
  solution.state = 'accepted';
  solution.decidedAt = now;
  s.rejectionsInARow = 0;
  endDeadlines(s, now, by.role === 'system' ? 'cancelled' : 'met', ['customerDecision']);
  enter(s, 'implementing', now, by.role);
  if (AFTER_SALE_FOR[solution.kind]) {
    const id = linkedAfterSaleId(s.request.caseId, solution.number);
    solution.linkedCase = { id, started: false };
    s.links.push({ id, kind: 'after_sale', relation: 'solution' });
  }
}

/** The handler says it is solved: the customer confirms, disputes, or stays silent (= confirmed). */
export function resolveCase(s: ComplaintState, now: number, by: Actor['role'], actorRef?: string): void {
  endDeadlines(s, now, 'met', ['resolution']);
  s.resolvedAt = now;
  enter(s, 'resolved', now, by);
  record(s, now, 'case.resolved', by, undefined, actorRef);
  openDeadline(s, 'customerDecision', 'channel', now);
}

/** Confirmed: feedback to the departments still open keeps the case waiting; otherwise it closes. */
export function confirmResolution(s: ComplaintState, now: number, by: Actor['role'], actorRef?: string): void {
  endDeadlines(s, now, by === 'system' ? 'cancelled' : 'met', ['customerDecision']);
  if (s.tasks.some((t) => t.state === 'open')) enter(s, 'awaiting_feedback', now, by);
  else close(s, 'resolved', now, by, actorRef);
}
