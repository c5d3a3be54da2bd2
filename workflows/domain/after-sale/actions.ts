/**
 * After-sale actions (Taobao-style: WAIT_SELLER_AGREE → WAIT_BUYER_RETURN_GOODS → WAIT_SELLER_CONFIRM_GOODS →
 * refund; exchange, repair, rejection and platform arbitration): `checkAfterSaleAction` decides whether an
 * action may run (role, merchant scope, state, input); `applyAfterSaleAction` runs it with the moves of
 * ./moves. What silence does is in ./silence. Pure.
 */
import type { Actor } from '../case';
import { toIsoWithOffset, validateDurationSpec } from '../clock';
import { scheduleFrom, timeZoneOf } from '../schedule';
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { allowedActions, checkAction, fail, type ActionGate } from '../service-case/action-gate';
import { draftForAction, hasActive, record } from '../service-case/core';
import {
  activeDeadlines, afterGoodsReceived, close, endDeadlines, enter, executeRuling, grantRequest, openDeadline, refreshOwner, refundedSoFar,
  rejectRequest, remainingCap, startRefund,
} from './moves';
import { isPartialRefund } from './refund';
import { roleMayAct } from './roles';
import { extendDeadline, extensionCalendar, resumeCase, SUSPENDABLE, SUSPENSION_REASONS, suspendCase, type SuspensionReason } from './suspension';
import {
  AFTER_SALE_ACTIONS, type AfterSaleAction, type AfterSaleActionRequest, type AfterSaleState, type AfterSaleStatus,
} from './types';

/** Statuses before any money moved or goods were judged, from which the buyer may withdraw. */
const WITHDRAWABLE: readonly AfterSaleStatus[] = ['awaiting_merchant', 'awaiting_buyer_return', 'rejected', 'in_arbitration'];

function pendingRuling(s: AfterSaleState): boolean {
  return !!s.ruling && !s.ruling.executed && s.ruling.decision !== 'reject';
}

/**
 * When the buyer may call in the platform while the merchant has not answered the request: the policy's
 * `escalationOpensAfterNoAnswer` counted from the request (Amazon A-to-z: two business days). Undefined when
 * the policy has no such setting (only a rejection opens escalation) or the case is not awaiting the merchant.
 */
export function escalationOpensAt(s: AfterSaleState): number | undefined {
  const spec = s.request.policy.afterSale.escalationOpensAfterNoAnswer;
  if (!spec || s.status !== 'awaiting_merchant') return undefined;
  return scheduleFrom(s.request.policy, spec, s.request.requestedAt).dueAt;
}

/** Whether the case's state lets this role send this action now (input not yet considered). */
function stateAllows(s: AfterSaleState, action: AfterSaleAction, actor: Actor, now: number): boolean {
  switch (action) {
    case 'approve':
    case 'reject':
      return s.status === 'awaiting_merchant';
    case 'ship-return':
      return s.status === 'awaiting_buyer_return';
    case 'confirm-receipt':
      return s.status === 'awaiting_merchant_receipt';
    case 'ship-replacement':
      return s.status === 'awaiting_replacement';
    case 'complete-repair':
      return s.status === 'in_repair';
    case 'withdraw':
      // Once money has moved (a refund paid, then appealed) the case can no longer close as withdrawn.
      return WITHDRAWABLE.includes(s.status) && !pendingRuling(s) && !(s.ruling && s.ruling.executed) && refundedSoFar(s) === 0;
    case 'escalate': {
      if (s.status === 'rejected') return hasActive(s, 'escalationWindow');
      // The merchant has not answered: the buyer's claim opens once the policy's wait has passed.
      const opensAt = escalationOpensAt(s);
      return actor.role === 'channel' && opensAt !== undefined && now >= opensAt;
    }
    case 'submit-evidence':
      return s.status === 'in_arbitration' && !s.ruling;
    case 'request-evidence':
      return s.status === 'in_arbitration' && !s.ruling;
    case 'rule':
      return s.status === 'in_arbitration' && !s.ruling;
    case 'execute-ruling':
      return s.status === 'in_arbitration' && pendingRuling(s);
    case 'appeal':
      return s.status === 'closed' && !s.appealed && hasActive(s, 'appealWindow');
    case 'add-note':
      // Notes while the case lives: open, or closed with a post-close window (appeal) still running.
      return actor.role !== 'system' && (s.status !== 'closed' || activeDeadlines(s).length > 0);
    case 'approve-refund':
      return s.status === 'refunding' && s.refunds.some((r) => r.status === 'awaiting_approval');
    case 'retry-refund':
      return s.status === 'refund_failed';
    case 'suspend':
      return SUSPENDABLE.includes(s.status);
    case 'resume':
      return s.status === 'suspended';
    case 'extend-deadline':
      return s.status !== 'closed' && activeDeadlines(s).length > 0;
  }
}

/** An early claim: the problem names when it opens, in the case calendar's zone like every instant the API shows. */
function escalateNotYet(s: AfterSaleState, req: AfterSaleActionRequest, now: number): RuleFailure | null {
  const { action, actor } = req;
  const opensAt = action === 'escalate' && actor.role === 'channel' ? escalationOpensAt(s) : undefined;
  if (opensAt === undefined) return null;
  const at = toIsoWithOffset(opensAt, timeZoneOf(s.request.policy));
  return fail(RULE_FAILURES.actionNotAllowed, `escalate opens at ${at}, once the merchant has had its time to answer (or at once when it rejects)`, {
    caseStatus: s.status, action, allowedActions: allowedAfterSaleActions(s, actor, now), opensAt: at,
  });
}

const AFTER_SALE_GATE: ActionGate<AfterSaleState, AfterSaleAction, AfterSaleActionRequest> = {
  actions: AFTER_SALE_ACTIONS, merchantOf: (s) => s.request.merchantId, roleMayAct, stateAllows, words: { forbidden: 'case', status: 'case' },
  refused: escalateNotYet, checkInput,
};

/** The actions this caller may send now: role allowed, merchant in scope, state allows. */
export function allowedAfterSaleActions(s: AfterSaleState, actor: Actor, now: number): AfterSaleAction[] {
  return allowedActions(AFTER_SALE_GATE, s, actor, now);
}
/** Input rules that depend on the case (shape is checked at the edge). */
function checkInput(s: AfterSaleState, req: AfterSaleActionRequest): RuleFailure | null {
  const { action, input, actor } = req;
  switch (action) {
    case 'reject':
      return input.reason ? null : fail(RULE_FAILURES.invalidInput, 'reject needs a reason');
    case 'ship-return':
      return input.trackingNumber ? null : fail(RULE_FAILURES.invalidInput, 'ship-return needs a trackingNumber');
    case 'confirm-receipt':
      return input.inspection ? null : fail(RULE_FAILURES.invalidInput, 'confirm-receipt needs an inspection result');
    case 'add-note':
      return input.note ? null : fail(RULE_FAILURES.invalidInput, 'add-note needs a note');
    case 'request-evidence':
      return input.from ? null : fail(RULE_FAILURES.invalidInput, 'request-evidence needs from: buyer or merchant');
    case 'rule': {
      if (!input.decision) return fail(RULE_FAILURES.invalidInput, 'rule needs a decision');
      if (input.decision === 'reject') return null;
      const cap = remainingCap(s);
      // A refund is executed once: nothing is left to order after the cap was paid out.
      if (cap.amount === 0) return fail(RULE_FAILURES.notEligible, 'nothing is left to refund on this case', { rule: 'refund-above-cap', cap });
      if (input.decision !== 'refund_partial') return null;
      if (!input.amount || input.amount.amount <= 0) return fail(RULE_FAILURES.invalidInput, 'a partial refund ruling needs a positive amount');
      if (input.amount.currency !== cap.currency) return fail(RULE_FAILURES.invalidInput, `amount must be in ${cap.currency}`);
      if (input.amount.amount > cap.amount) {
        return fail(RULE_FAILURES.notEligible, `a refund may not exceed ${cap.amount} (${cap.currency} minor units) for this case`, { rule: 'refund-above-cap', cap });
      }
      return null;
    }
    case 'approve-refund': {
      const waiting = s.refunds.find((r) => r.status === 'awaiting_approval');
      if (!actor.actorRef) return fail(RULE_FAILURES.invalidInput, 'approve-refund needs an actorRef');
      if (waiting?.decidedBy.actorRef && waiting.decidedBy.actorRef === actor.actorRef) {
        return fail(RULE_FAILURES.forbidden, 'four-eyes rule: the second approver must be another person than the one who decided the refund', { rule: 'four-eyes' });
      }
      return null;
    }
    case 'suspend':
      return SUSPENSION_REASONS.includes(input.reason as SuspensionReason) && actor.actorRef
        ? null
        : fail(RULE_FAILURES.invalidInput, `suspend needs an actorRef and a reason: ${SUSPENSION_REASONS.join(', ')}`);
    case 'extend-deadline': {
      if (!input.deadline || !input.by || !input.reason || !actor.actorRef) {
        return fail(RULE_FAILURES.invalidInput, 'extend-deadline needs deadline, by, an audited reason and an actorRef');
      }
      const open = activeDeadlines(s).map((d) => d.name);
      if (!open.includes(input.deadline)) {
        return fail(RULE_FAILURES.invalidInput, `no active deadline named ${input.deadline}; active: ${open.join(', ')}`, { activeDeadlines: open });
      }
      // Judged here, not in apply: an update that throws would fail the workflow task instead of answering 400.
      const problems = validateDurationSpec(input.by);
      if (problems.length > 0 || !(input.by.amount > 0)) {
        return fail(RULE_FAILURES.invalidInput, `extend-deadline needs a positive duration: ${problems.join('; ') || 'amount must be above 0'}`);
      }
      try {
        extensionCalendar(s, input.deadline, input.by);
      } catch {
        return fail(RULE_FAILURES.invalidInput, `unknown calendar ${input.by.calendar}`);
      }
      return null;
    }
    default:
      return null;
  }
}

/** Null when the action may run; otherwise the typed failure the API turns into 403/409/422/400. */
export function checkAfterSaleAction(s: AfterSaleState, req: AfterSaleActionRequest, now: number): RuleFailure | null {
  return checkAction(AFTER_SALE_GATE, s, req, now);
}
function receiveEvidence(s: AfterSaleState, actor: Actor, now: number): void {
  const party = actor.role === 'merchant' ? 'merchant' : 'channel';
  for (const d of activeDeadlines(s)) {
    if ((d.name === 'evidence' && d.actor === party) || (d.name === 'disputeAnswer' && party === 'merchant')) {
      d.state = 'met';
      d.endedAt = now;
    }
  }
}

/** Runs an action that `checkAfterSaleAction` accepted. Returns the new state. */
export function applyAfterSaleAction(state: AfterSaleState, req: AfterSaleActionRequest, now: number): AfterSaleState {
  const s = draftForAction(state, req, now);
  const { action, actor, input } = req;
  switch (action) {
    case 'approve':
      grantRequest(s, actor, now, false);
      break;
    case 'reject':
      rejectRequest(s, actor, now);
      break;
    case 'ship-return':
      s.returnShipment = { trackingNumber: input.trackingNumber!, ...(input.carrier ? { carrier: input.carrier } : {}), shippedAt: input.shippedAt ?? now };
      enter(s, 'awaiting_merchant_receipt', now, actor.role);
      // Merchant silence on receipt counts as received (./silence): refund, or reship/repair follows.
      openDeadline(s, 'merchantReceipt', 'merchant', now);
      break;
    case 'confirm-receipt':
      s.inspection = { result: input.inspection!, receivedAt: input.receivedAt ?? now, ...(input.note ? { note: input.note } : {}) };
      if (input.inspection === 'ok') afterGoodsReceived(s, actor, now, false);
      else {
        record(s, now, 'inspection.failed', actor, { result: input.inspection });
        rejectRequest(s, actor, now);
      }
      break;
    case 'ship-replacement':
      close(s, 'exchanged', now, actor.role);
      break;
    case 'complete-repair':
      close(s, 'repaired', now, actor.role);
      break;
    case 'withdraw':
      close(s, 'withdrawn', now, actor.role);
      break;
    case 'escalate':
      enter(s, 'in_arbitration', now, actor.role);
      // 平台介入: the merchant answers the dispute within the policy's time (JD: 24 h).
      openDeadline(s, 'disputeAnswer', 'merchant', now);
      break;
    case 'submit-evidence':
      receiveEvidence(s, actor, now);
      break;
    case 'request-evidence': {
      const party = input.from === 'merchant' ? 'merchant' : 'channel';
      // Each request has its own deadline: a new one replaces only the same party's outstanding request.
      for (const d of activeDeadlines(s)) {
        if (d.name === 'evidence' && d.actor === party) {
          d.state = 'cancelled';
          d.endedAt = now;
        }
      }
      openDeadline(s, 'evidence', party, now);
      break;
    }
    case 'rule':
      applyRuling(s, req, now);
      break;
    case 'execute-ruling':
      executeRuling(s, actor, now);
      break;
    case 'appeal':
      s.appealed = true;
      s.outcome = null;
      s.ruling = null;
      endDeadlines(s, now, actor.role, ['appealWindow']);
      enter(s, 'in_arbitration', now, actor.role);
      // The second review runs on the clock like the first: the merchant answers the appeal in time.
      openDeadline(s, 'disputeAnswer', 'merchant', now);
      break;
    case 'add-note':
      break;
    case 'approve-refund': {
      const waiting = s.refunds.find((r) => r.status === 'awaiting_approval')!;
      waiting.status = 'pending';
      waiting.approvedBy = actor.actorRef ? { actorRef: actor.actorRef } : {};
      endDeadlines(s, now, actor.role, ['refundApproval']);
      refreshOwner(s);
      break;
    }
    case 'retry-refund': {
      const failed = [...s.refunds].reverse().find((r) => r.status === 'failed')!;
      startRefund(s, { amount: failed.amount, decidedBy: actor, needsNoSecondApprover: true }, now);
      break;
    }
    case 'suspend':
      suspendCase(s, input.reason as SuspensionReason, actor, now);
      break;
    case 'resume':
      resumeCase(s, actor, now);
      break;
    case 'extend-deadline':
      extendDeadline(s, input.deadline!, input.by!, input.reason!, actor, now);
      break;
  }
  return s;
}

function applyRuling(s: AfterSaleState, req: AfterSaleActionRequest, now: number): void {
  const { decision, amount } = req.input;
  endDeadlines(s, now, 'arbiter', ['evidence', 'disputeAnswer']);
  if (decision === 'reject') {
    s.ruling = { decision: 'reject', at: now, ...(req.actor.actorRef ? { actorRef: req.actor.actorRef } : {}), executed: true };
    // A rejection on appeal leaves what was already paid: partial only when less than the cap was refunded.
    const paid = { amount: refundedSoFar(s), currency: s.refundCap.currency };
    close(s, paid.amount === 0 ? 'rejected' : isPartialRefund(paid, s.refundCap) ? 'partially_refunded' : 'refunded', now, 'arbiter');
    return;
  }
  const ruled = decision === 'refund_full' ? remainingCap(s) : amount!;
  s.ruling = { decision: decision!, amount: ruled, at: now, ...(req.actor.actorRef ? { actorRef: req.actor.actorRef } : {}), executed: false };
  refreshOwner(s);
  // The merchant executes the ruling in time, or the platform executes it (JD: 24 h).
  openDeadline(s, 'rulingExecution', 'merchant', now);
}
