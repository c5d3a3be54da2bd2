/**
 * What other cases do to a complaint: the accepted solution's after-sale starting and closing (implemented →
 * resolved, otherwise back to the owner), and service recovery after a low survey score. Pure.
 */
import { draftOf, enter, hasActive, queueNotice, record } from '../service-case/core';
import { escalateCase, reopen, resolveCase } from './moves';
import { currentSolution } from './solutions';
import type { ComplaintState } from './types';

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
