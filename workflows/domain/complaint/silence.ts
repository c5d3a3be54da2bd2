/**
 * What silence does on a complaint (docs/domain-rules.md "Silence: default outcomes", "Escalation"): one
 * table from each deadline to the default its view names (`onTimeout`) and the effect at breach, and the
 * clock that fires them through the kernel's loop (warnings tell the owner the priority too). Pure.
 */
import { SYSTEM_ACTOR, type OnTimeout } from '../case';
import type { ComplaintDeadlineName } from '../policy/sections/complaint';
import { advanceClock, nextWakeAt as nextOnClock, ownerAt, queueNotice, record } from '../service-case/core';
import { acceptSolution, confirmResolution, escalateCase, openDeadline, type ComplaintDeadline } from './moves';
import { currentSolution } from './solutions';
import type { ComplaintState } from './types';

export interface SilenceRule {
  /** The default the deadline's view names (`onTimeout`), given the case as the deadline opens. */
  onTimeout(s: ComplaintState): OnTimeout;
  /** What the breach does to the case (the kernel has already recorded `deadline.breached`). */
  effect(s: ComplaintState, d: ComplaintDeadline, now: number): void;
}

/** A missed target moves the case one tier up and the new owner gets it again; at L4 the owner is told. */
const escalateAndRetry: SilenceRule = {
  onTimeout: () => 'escalate',
  effect(s, d, now) {
    const moved = escalateCase(s, now, 'system', 'breach', { deadline: d.name });
    if (moved) openDeadline(s, d.name as ComplaintDeadlineName, d.name === 'solutionApproval' ? 'supervisor' : s.owner!.role, now);
    else queueNotice(s, 'sla.breached', s.owner!, { deadline: d.name, dueAt: d.dueAt, priority: s.priority });
  },
};

export const COMPLAINT_SILENCE: Record<ComplaintDeadlineName, SilenceRule> = {
  firstResponse: escalateAndRetry,
  resolution: escalateAndRetry,
  solutionApproval: escalateAndRetry,
  // The customer's silence is a yes to what was put to them: a proposal is accepted, a resolution confirmed.
  customerDecision: {
    onTimeout: (s) => (s.status === 'resolved' ? 'auto_close' : 'auto_approve'),
    effect(s, d, now) {
      if (s.status === 'resolved') {
        record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'confirmed' });
        confirmResolution(s, now, 'system');
        return;
      }
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'accepted' });
      const solution = currentSolution(s);
      if (s.status === 'solution_proposed' && solution?.state === 'proposed') acceptSolution(s, solution, SYSTEM_ACTOR, now);
    },
  },
  // A department late with its task: the owner is told; the case waits.
  departmentTask: {
    onTimeout: () => 'warn',
    effect(s, d) {
      queueNotice(s, 'sla.breached', s.owner ?? ownerAt(s.escalationLevel), { deadline: d.name, dueAt: d.dueAt, ...(d.taskId ? { taskId: d.taskId } : {}) });
    },
  },
  // The reopen window ends: nothing more to do, the workflow may finish.
  reopenWindow: { onTimeout: () => 'close', effect: () => undefined },
};

function breach(s: ComplaintState, d: ComplaintDeadline, now: number): void {
  COMPLAINT_SILENCE[d.name as ComplaintDeadlineName]?.effect(s, d, now);
}

/** The next instant at which time changes something: a warning or a breach. */
export function nextWakeAt(s: ComplaintState): number | undefined {
  return nextOnClock(s);
}

/** Fires every warning and breach due at or before `now`, in time order; warnings tell the owner the priority too. */
export function advanceComplaintClock(state: ComplaintState, now: number): ComplaintState {
  return advanceClock<ComplaintState, ComplaintDeadline>(state, now, {
    breach,
    breachData: (d) => (d.taskId ? { taskId: d.taskId } : {}),
    warningData: (s) => ({ priority: s.priority }),
  });
}
