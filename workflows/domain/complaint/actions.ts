/**
 * Complaint actions (投诉处理 six steps: receive → first response → investigate → propose → implement →
 * archive and feed back): `checkComplaintAction` decides whether an action may run (role, merchant scope,
 * state, four-eyes, input); `applyComplaintAction` runs it with the moves of ./moves. What silence does is
 * in ./silence. Pure.
 */
import type { Actor } from '../case';
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { oddCurrency, refundAbovePaid } from '../order-money';
import { allowedActions, checkAction, fail, type ActionGate } from '../service-case/action-gate';
import {
  acceptSolution, close, confirmResolution, escalateCase, openDeadline, openTargets, reopen, resolveCase, retimeTargets, settingsOf, type ComplaintDeadline,
} from './moves';
import { priorityOf } from './priority';
import { activeDeadlines, draftForAction, endDeadlines, enter, hasActive, queueNotice, record, ownerAt } from '../service-case/core';
import { roleMayActOnComplaint } from './roles';
import { AFTER_SALE_FOR, currentSolution, MONEY_SOLUTIONS, needsApproval, orderBasisOf } from './solutions';
import { COMPLAINT_ACTIONS, type ComplaintAction, type ComplaintActionRequest, type ComplaintState, type Solution } from './types';

const isOpen = (s: ComplaintState) => s.status !== 'closed';

/** The accepted solution's after-sale is still running: only its result moves the case on. */
function implementationPending(s: ComplaintState): boolean {
  const linked = currentSolution(s)?.linkedCase;
  return s.status === 'implementing' && !!linked && !linked.closed;
}

/** Whether the case's state lets this action run now (input not yet considered). */
function stateAllows(s: ComplaintState, action: ComplaintAction): boolean {
  const solution = currentSolution(s);
  switch (action) {
    case 'acknowledge':
      // The first response: to a new complaint, or to one that came back (reopened).
      return s.status === 'new' || (isOpen(s) && hasActive(s, 'firstResponse'));
    case 'assign':
    case 'classify':
    case 'create-task':
    case 'close':
      return isOpen(s);
    case 'add-note':
      // Notes while the case lives: open, or closed with its reopen window running.
      return isOpen(s) || activeDeadlines(s).length > 0;
    case 'propose-solution':
      return s.status === 'in_progress';
    case 'resolve':
      return s.status === 'in_progress' || (s.status === 'implementing' && !implementationPending(s));
    case 'complete-task':
      return isOpen(s) && s.tasks.some((t) => t.state === 'open');
    case 'approve-solution':
      return s.status === 'solution_proposed' && solution?.state === 'awaiting_approval';
    case 'accept-solution':
    case 'reject-solution':
      // A proposal the customer may answer, or a resolution the customer confirms or disputes.
      return (s.status === 'solution_proposed' && solution?.state === 'proposed') || s.status === 'resolved';
    case 'reopen':
      return s.status === 'closed' && hasActive(s, 'reopenWindow');
    case 'escalate':
      return isOpen(s) && s.escalationLevel < 4;
  }
}

const COMPLAINT_GATE: ActionGate<ComplaintState, ComplaintAction, ComplaintActionRequest> = {
  actions: COMPLAINT_ACTIONS, merchantOf: (s) => s.request.merchantId, roleMayAct: roleMayActOnComplaint, stateAllows: (s, a) => stateAllows(s, a),
  words: { forbidden: 'case', status: 'complaint' }, checkInput: (s, req) => checkInput(s, req),
};

/** The actions this caller may send now: role allowed, merchant in scope, state allows. */
export function allowedComplaintActions(s: ComplaintState, actor: Actor): ComplaintAction[] {
  return allowedActions(COMPLAINT_GATE, s, actor, 0);
}
function checkSolution(s: ComplaintState, req: ComplaintActionRequest): RuleFailure | null {
  const solution = req.input.solution;
  if (!solution) return fail(RULE_FAILURES.invalidInput, 'propose-solution needs a solution');
  const { kind, amount } = solution;
  if (MONEY_SOLUTIONS.includes(kind) && (!amount || amount.amount <= 0)) return fail(RULE_FAILURES.invalidInput, `a ${kind} solution needs a positive amount`);
  if (AFTER_SALE_FOR[kind]) {
    const basis = orderBasisOf(s, solution);
    if (!(solution.orderId ?? s.request.orderId) || !basis) {
      return fail(RULE_FAILURES.invalidInput, `a ${kind} solution needs orderId and order (items, paidTotal, shippingFee) in the solution or the complaint`);
    }
    if (amount && oddCurrency(basis.paidTotal.currency, [amount])) return fail(RULE_FAILURES.invalidInput, `amount must be in ${basis.paidTotal.currency}`);
    const abovePaid = kind === 'refund' && amount ? refundAbovePaid(amount, basis.paidTotal) : null;
    if (abovePaid) return abovePaid;
  }
  if (needsApproval(s, req.actor, amount) && !req.actor.actorRef) {
    return fail(RULE_FAILURES.invalidInput, 'money above your authority limit needs an actorRef, so a second person can approve it');
  }
  return null;
}

/** Input rules that depend on the case (shape is checked at the edge). */
function checkInput(s: ComplaintState, req: ComplaintActionRequest): RuleFailure | null {
  const { action, input, actor } = req;
  switch (action) {
    case 'assign':
      return input.assignee ? null : fail(RULE_FAILURES.invalidInput, 'assign needs an assignee');
    case 'classify':
      return input.category || input.severity || input.urgency || input.customerTier
        ? null : fail(RULE_FAILURES.invalidInput, 'classify needs category, severity, urgency or customerTier');
    case 'add-note':
      return input.note ? null : fail(RULE_FAILURES.invalidInput, 'add-note needs a note');
    case 'propose-solution':
      return checkSolution(s, req);
    case 'approve-solution': {
      if (!actor.actorRef) return fail(RULE_FAILURES.invalidInput, 'approve-solution needs an actorRef');
      const proposer = currentSolution(s)?.proposedBy.actorRef;
      return proposer && proposer === actor.actorRef
        ? fail(RULE_FAILURES.forbidden, 'four-eyes rule: the approver must be another person than the one who proposed the solution', { rule: 'four-eyes' })
        : null;
    }
    case 'create-task':
      return input.department && input.description ? null : fail(RULE_FAILURES.invalidInput, 'create-task needs a department and a description');
    case 'complete-task': {
      const open = s.tasks.filter((t) => t.state === 'open').map((t) => t.id);
      if (!input.taskId || !open.includes(input.taskId)) return fail(RULE_FAILURES.invalidInput, `complete-task needs the taskId of an open task; open: ${open.join(', ')}`, { openTasks: open });
      return input.result ? null : fail(RULE_FAILURES.invalidInput, 'complete-task needs a result');
    }
    default:
      return null;
  }
}

/** Null when the action may run; otherwise the typed failure the API turns into 403/409/422/400. */
export function checkComplaintAction(s: ComplaintState, req: ComplaintActionRequest): RuleFailure | null {
  return checkAction(COMPLAINT_GATE, s, req, 0);
}
/** The customer turns a proposal or a resolution down; repeated rejections move the case up a tier. */
function rejectSolution(s: ComplaintState, actor: Actor, now: number): void {
  const solution = currentSolution(s);
  endDeadlines(s, now, 'met', ['customerDecision']);
  if (s.status === 'solution_proposed' && solution) {
    solution.state = 'rejected';
    solution.decidedAt = now;
  } else {
    // Not solved after all: the resolution target runs again.
    openTargets(s, now, ['resolution']);
  }
  s.rejectionsInARow += 1;
  enter(s, 'in_progress', now, actor.role);
  if (s.rejectionsInARow >= settingsOf(s).rejectionsBeforeEscalation) escalateCase(s, now, 'system', 'rejections', { rejections: s.rejectionsInARow });
}

function proposeSolution(s: ComplaintState, req: ComplaintActionRequest, now: number): void {
  const input = req.input.solution!;
  const waitsForApproval = needsApproval(s, req.actor, input.amount);
  const solution: Solution = {
    number: s.solutions.length + 1,
    kind: input.kind,
    ...(input.amount ? { amount: input.amount } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.order ? { order: input.order } : {}),
    ...(input.orderId ? { orderId: input.orderId } : {}),
    state: waitsForApproval ? 'awaiting_approval' : 'proposed',
    proposedBy: { role: req.actor.role, ...(req.actor.actorRef ? { actorRef: req.actor.actorRef } : {}) },
    proposedAt: now,
  };
  s.solutions.push(solution);
  enter(s, 'solution_proposed', now, req.actor.role);
  if (waitsForApproval) openDeadline(s, 'solutionApproval', 'supervisor', now);
  // Silence past the customer's decision time means acceptance.
  else openDeadline(s, 'customerDecision', 'channel', now);
}

/** Runs an action that `checkComplaintAction` accepted. Returns the new state. */
export function applyComplaintAction(state: ComplaintState, req: ComplaintActionRequest, now: number): ComplaintState {
  const s = draftForAction(state, req, now);
  const { action, actor, input } = req;
  const by = actor.role;
  switch (action) {
    case 'acknowledge':
      endDeadlines(s, now, 'met', ['firstResponse']);
      s.firstRespondedAt ??= now;
      // A reopened case may already be further along (a proposal out, a solution being carried out) when the
      // first response is logged: that only meets the target, it never takes the case back to in_progress.
      if (s.status === 'new' || !s.reopenRules) enter(s, 'in_progress', now, by);
      break;
    case 'assign':
      s.owner = ownerAt(s.escalationLevel, input.assignee);
      queueNotice(s, 'case.assigned', s.owner, { priority: s.priority, status: s.status });
      break;
    case 'classify': {
      const before = s.priority;
      s.classification = {
        category: input.category ?? s.classification.category,
        severity: input.severity ?? s.classification.severity,
        urgency: input.urgency ?? s.classification.urgency,
        customerTier: input.customerTier ?? s.classification.customerTier,
      };
      s.priority = priorityOf(s.classification);
      if (s.priority !== before) {
        record(s, now, 'case.reprioritized', by, { from: before, to: s.priority });
        retimeTargets(s);
      }
      // Critical severity (safety, media exposure) belongs with a team lead at least.
      if (s.classification.severity === 'critical') escalateCase(s, now, by, 'severity', {}, 2, actor.actorRef);
      break;
    }
    case 'add-note':
      break;
    case 'propose-solution':
      proposeSolution(s, req, now);
      break;
    case 'approve-solution': {
      const solution = currentSolution(s)!;
      solution.state = 'proposed';
      solution.approvedBy = { actorRef: actor.actorRef! };
      endDeadlines(s, now, 'met', ['solutionApproval']);
      openDeadline(s, 'customerDecision', 'channel', now);
      break;
    }
    case 'accept-solution':
      if (s.status === 'resolved') confirmResolution(s, now, by, actor.actorRef);
      else acceptSolution(s, currentSolution(s)!, actor, now);
      break;
    case 'reject-solution':
      rejectSolution(s, actor, now);
      break;
    case 'resolve':
      resolveCase(s, now, by, actor.actorRef);
      break;
    case 'create-task': {
      const id = `task-${s.tasks.length + 1}`;
      s.tasks.push({ id, department: input.department!, description: input.description!, state: 'open', createdAt: now });
      openDeadline(s, 'departmentTask', s.owner?.role ?? 'agent', now, id);
      break;
    }
    case 'complete-task': {
      const task = s.tasks.find((t) => t.id === input.taskId)!;
      task.state = 'done';
      task.result = input.result!;
      task.completedAt = now;
      endDeadlines(s, now, 'met', ['departmentTask'], (d) => (d as ComplaintDeadline).taskId === task.id);
      // The last department's feedback closes a confirmed complaint (归档与反馈).
      if (s.status === 'awaiting_feedback' && !s.tasks.some((t) => t.state === 'open')) close(s, 'resolved', now, by, actor.actorRef);
      break;
    }
    case 'close':
      close(s, s.status === 'resolved' || s.status === 'awaiting_feedback' ? 'resolved' : 'unresolved', now, by, actor.actorRef);
      break;
    case 'reopen':
      reopen(s, now, by, 'reopened', 1, actor.actorRef);
      break;
    case 'escalate':
      escalateCase(s, now, by, 'requested', input.reason ? { requestReason: input.reason } : {}, undefined, actor.actorRef);
      break;
  }
  return s;
}
