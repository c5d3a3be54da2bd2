/**
 * What time and other cases do to a complaint: opening it (priority, starting tier, targets), pre-breach
 * warnings to the owner, escalation one tier up at each breach, the customer's silence, the linked
 * after-sale's start and result, and service recovery after a low survey score. Pure.
 */
import { SYSTEM_ACTOR } from '../case';
import { escalateCase, openDeadline, openTargets, reopen, type ComplaintDeadline } from './lifecycle';
import { acceptSolution, confirmResolution, resolveCase } from './machine';
import { priorityOf, startingLevel } from './priority';
import { activeDeadlines, draftOf, enter, hasActive, queueNotice, record, unsentNotices, ownerAt, advanceClock, nextWakeAt as kernelNextWakeAt } from '../service-case/core';
import { currentSolution } from './solutions';
import type { ComplaintDeadlineName } from '../policy/sections/complaint';
import type { ComplaintRequest, ComplaintState } from './types';

export function openComplaint(request: ComplaintRequest, now: number, reopenRules = true, authorityCurrency = true): ComplaintState {
  const classification = { category: request.category, severity: request.severity, urgency: request.urgency, customerTier: request.customerTier };
  const level = Math.max(startingLevel(request.severity, request.channel), request.recoveryOf ? 2 : 1) as 1 | 2;
  const s: ComplaintState = {
    request,
    classification,
    priority: priorityOf(classification),
    status: 'new',
    outcome: null,
    owner: ownerAt(level),
    escalationLevel: level,
    deadlines: [],
    timeline: [],
    solutions: [],
    rejectionsInARow: 0,
    tasks: [],
    notices: [],
    linkedClosedSeen: [],
    links: [...(request.links ?? [])],
    reopenCount: 0,
    ...(reopenRules ? { reopenRules } : {}),
    ...(authorityCurrency ? { authorityCurrency } : {}),
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
  record(s, now, 'case.created', request.createdBy.role, {
    channel: request.channel, ...classification, priority: s.priority, escalationLevel: level,
    policy: { id: request.policy.id, version: request.policy.version },
    ...(request.recoveryOf ? { recoveryOf: request.recoveryOf.caseId, score: request.recoveryOf.score } : {}),
  }, request.createdBy.actorRef);
  if (request.relatedCaseId && !s.links.some((l) => l.id === request.relatedCaseId)) {
    const kind = request.relatedCaseId.startsWith('as_') ? 'after_sale' : request.relatedCaseId.startsWith('oi_') ? 'order_issue' : request.relatedCaseId.startsWith('iq_') ? 'inquiry' : 'complaint';
    s.links.push({ id: request.relatedCaseId, kind, relation: request.recoveryOf ? 'recovery_of' : 'related' });
  }
  if (level > 1) queueNotice(s, 'case.escalated', s.owner!, { from: 'L1', to: `L${level}`, reason: request.recoveryOf ? 'recovery' : 'severity', priority: s.priority });
  // Targets count from when the customer complained, on the business clock.
  openTargets(s, request.receivedAt, ['firstResponse', 'resolution']);
  return s;
}

/** The next instant at which time changes something: a warning or a breach. */
export function nextWakeAt(s: ComplaintState): number | undefined {
  return kernelNextWakeAt(s);
}

/** What silence past a complaint deadline does (the kernel has recorded the breach). */
function breach(s: ComplaintState, d: ComplaintDeadline, now: number): void {
  switch (d.onTimeout) {
    case 'escalate': {
      // At breach the case moves one tier up and the new owner gets the same target again; L4 is the top.
      const moved = escalateCase(s, now, 'system', 'breach', { deadline: d.name });
      if (moved) openDeadline(s, d.name as ComplaintDeadlineName, d.name === 'solutionApproval' ? 'supervisor' : s.owner!.role, 'escalate', now);
      else queueNotice(s, 'sla.breached', s.owner!, { deadline: d.name, dueAt: d.dueAt, priority: s.priority });
      return;
    }
    case 'auto_approve': {
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'accepted' });
      const solution = currentSolution(s);
      if (s.status === 'solution_proposed' && solution?.state === 'proposed') acceptSolution(s, solution, SYSTEM_ACTOR, now);
      return;
    }
    case 'auto_close':
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'confirmed' });
      if (s.status === 'resolved') confirmResolution(s, now, 'system');
      return;
    case 'warn':
      queueNotice(s, 'sla.breached', s.owner ?? ownerAt(s.escalationLevel), { deadline: d.name, dueAt: d.dueAt, ...(d.taskId ? { taskId: d.taskId } : {}) });
      return;
    default:
      return;
  }
}

/** Fires every warning and breach due at or before `now`, in time order; warnings tell the owner the priority too. */
export function advanceComplaintClock(state: ComplaintState, now: number): ComplaintState {
  return advanceClock<ComplaintState, ComplaintDeadline>(state, now, {
    breach,
    breachData: (d) => (d.taskId ? { taskId: d.taskId } : {}),
    warningData: (s) => ({ priority: s.priority }),
  });
}

/** The accepted solution's after-sale has been started (child workflow running). */
export function linkedCaseStarted(state: ComplaintState, solutionNumber: number, now: number): ComplaintState {
  const linked = state.solutions.find((x) => x.number === solutionNumber)?.linkedCase;
  if (!linked || linked.started) return state;
  const s = draftOf(state, now);
  const solution = s.solutions.find((x) => x.number === solutionNumber)!;
  solution.linkedCase!.started = true;
  record(s, now, 'linked_case.started', 'system', { caseId: solution.linkedCase!.id, kind: 'after_sale', solution: solutionNumber });
  return s;
}

export interface LinkedOutcome {
  caseId: string;
  status: string;
  outcome: string | null;
  refunded?: { amount: number; currency: string };
}

/** Outcomes of an after-sale that carry out the solution. */
const IMPLEMENTED = ['refunded', 'partially_refunded', 'exchanged', 'repaired'];

/** The linked after-sale closed: implemented → resolved; otherwise the owner must find another way. */
export function linkedCaseClosed(state: ComplaintState, outcome: LinkedOutcome, now: number): ComplaintState {
  if (state.linkedClosedSeen.includes(outcome.caseId)) return state;
  const s = draftOf(state, now);
  s.linkedClosedSeen.push(outcome.caseId);
  const solution = s.solutions.find((x) => x.linkedCase?.id === outcome.caseId);
  record(s, now, 'linked_case.closed', 'system', { caseId: outcome.caseId, outcome: outcome.outcome, ...(outcome.refunded ? { refunded: outcome.refunded } : {}) });
  if (!solution) return s;
  solution.linkedCase!.closed = { status: outcome.status, outcome: outcome.outcome, ...(outcome.refunded ? { refunded: outcome.refunded } : {}) };
  if (s.status !== 'implementing' || currentSolution(s) !== solution) return s;
  if (outcome.outcome && IMPLEMENTED.includes(outcome.outcome)) resolveCase(s, now, 'system');
  else {
    record(s, now, 'solution.failed', 'system', { solution: solution.number, outcome: outcome.outcome });
    enter(s, 'in_progress', now, 'system');
    queueNotice(s, 'sla.warning', s.owner!, { reason: 'solution_failed', solution: solution.number });
  }
  return s;
}

/**
 * Service recovery after a low survey score: a closed complaint inside its reopen window reopens at L2;
 * an open one is raised to L2. Returns whether the complaint took the recovery (else a new one is needed).
 */
export function serviceRecovery(state: ComplaintState, recovery: { surveyId: string; score: number }, now: number): { state: ComplaintState; taken: boolean } {
  if (state.status === 'closed' && !hasActive(state, 'reopenWindow')) return { state, taken: false };
  const s = draftOf(state, now);
  record(s, now, 'survey.low_score', 'system', { surveyId: recovery.surveyId, score: recovery.score });
  if (s.status === 'closed') reopen(s, now, 'system', 'recovery', 2);
  else escalateCase(s, now, 'system', 'recovery', { score: recovery.score }, 2);
  return { state: s, taken: true };
}

/** The workflow may finish once closed, past its reopen window, with every notice sent. */
export function isComplaintFinished(s: ComplaintState): boolean {
  return s.status === 'closed' && activeDeadlines(s).length === 0 && unsentNotices(s).length === 0;
}
