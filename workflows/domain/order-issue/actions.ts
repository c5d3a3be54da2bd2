/**
 * Order-issue actions: `checkOrderIssueAction` decides (role, merchant scope, state, input);
 * `applyOrderIssueAction` runs it with the moves of ./moves (tracking, the carrier's answer, address, remedy,
 * compensation, resolve, escalate). Pure.
 */
import type { Actor } from '../case';
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { oddCurrency, refundAbovePaid } from '../order-money';
import { allowedActions, checkAction, fail, type ActionGate } from '../service-case/action-gate';
import { draftForAction, endDeadlines, escalateOnRequest } from '../service-case/core';
import { currentCompensation } from './compensation';
import { applyRemedy, close, closeIfSettled, move, parcelLost, requestTracking, startCompensation, waitForParcel } from './moves';
import { roleMayActOnOrderIssue } from './roles';
import { ORDER_ISSUE_ACTIONS, type OrderIssueAction, type OrderIssueActionRequest, type OrderIssueState } from './types';

export const isOpen = (s: OrderIssueState) => s.status !== 'closed';
const SHIPPING_TYPES = ['parcel_missing', 'delivery_delay', 'damaged_in_transit'];

function stateAllows(s: OrderIssueState, action: OrderIssueAction): boolean {
  if (!isOpen(s)) return false;
  const reship = currentCompensation(s)?.remedy === 'reship' && s.status === 'compensating' && !currentCompensation(s)!.linkedCase.closed;
  switch (action) {
    case 'update-tracking':
      return reship || s.status === 'awaiting_restock' || (SHIPPING_TYPES.includes(s.request.type) && ['awaiting_parcel', 'awaiting_carrier'].includes(s.status));
    case 'contact-carrier':
      return s.status === 'awaiting_carrier' || !!s.claimOpen;
    case 'confirm-address':
      return s.status === 'awaiting_address';
    case 'choose-remedy':
      return s.status === 'awaiting_customer_choice';
    case 'compensate':
      return s.status !== 'compensating' && s.status !== 'checking_order' && s.request.type !== 'address_change';
    case 'resolve':
      return s.status !== 'compensating';
    case 'escalate':
      return s.escalationLevel < 4;
    case 'add-note':
      return true;
  }
}

const ORDER_ISSUE_GATE: ActionGate<OrderIssueState, OrderIssueAction, OrderIssueActionRequest> = {
  actions: ORDER_ISSUE_ACTIONS, merchantOf: (s) => s.request.merchantId, roleMayAct: roleMayActOnOrderIssue, stateAllows: (s, a) => stateAllows(s, a),
  words: { forbidden: 'order issue', status: 'order issue' }, checkInput: (s, req) => checkInput(s, req),
};

export function allowedOrderIssueActions(s: OrderIssueState, actor: Actor): OrderIssueAction[] {
  return allowedActions(ORDER_ISSUE_GATE, s, actor, 0);
}
function checkInput(s: OrderIssueState, req: OrderIssueActionRequest): RuleFailure | null {
  const { action, input } = req;
  switch (action) {
    case 'update-tracking':
      return input.trackingNumber ? null : fail(RULE_FAILURES.invalidInput, 'update-tracking needs a trackingNumber');
    case 'contact-carrier':
      return input.result ? null : fail(RULE_FAILURES.invalidInput, "contact-carrier needs the carrier's result");
    case 'confirm-address':
      if (s.request.type === 'address_change' && !input.address && !s.request.newAddress) return fail(RULE_FAILURES.invalidInput, 'confirm-address needs the new address');
      if (input.remedy && !s.offered?.remedies.includes(input.remedy)) return fail(RULE_FAILURES.invalidInput, `remedy must be one of ${s.offered?.remedies.join(', ') ?? 'none here'}`);
      return null;
    case 'choose-remedy':
      return input.remedy && s.offered?.remedies.includes(input.remedy)
        ? null : fail(RULE_FAILURES.invalidInput, `choose-remedy needs a remedy: ${s.offered?.remedies.join(', ')}`, { remedies: s.offered?.remedies ?? [] });
    case 'compensate': {
      if (input.remedy !== 'refund' && input.remedy !== 'reship') return fail(RULE_FAILURES.invalidInput, 'compensate needs remedy refund or reship');
      const basis = s.request.order;
      if (input.remedy === 'refund' && !basis) return fail(RULE_FAILURES.invalidInput, 'a refund needs the order (items, paidTotal, shippingFee) given when the case was opened');
      if (input.amount && basis && oddCurrency(basis.paidTotal.currency, [input.amount])) return fail(RULE_FAILURES.invalidInput, `amount must be in ${basis.paidTotal.currency}`);
      return input.amount && basis ? refundAbovePaid(input.amount, basis.paidTotal) : null;
    }
    case 'resolve':
      return input.resolution ? null : fail(RULE_FAILURES.invalidInput, 'resolve needs a resolution');
    case 'add-note':
      return input.note ? null : fail(RULE_FAILURES.invalidInput, 'add-note needs a note');
    default:
      return null;
  }
}

export function checkOrderIssueAction(s: OrderIssueState, req: OrderIssueActionRequest): RuleFailure | null {
  return checkAction(ORDER_ISSUE_GATE, s, req, 0);
}
export function applyOrderIssueAction(state: OrderIssueState, req: OrderIssueActionRequest, now: number): OrderIssueState {
  const { address: _address, ...recorded } = req.input;
  const s = draftForAction(state, req, now, recorded);
  const { action, actor, input } = req;
  const by = actor.role;
  switch (action) {
    case 'update-tracking': {
      const c = currentCompensation(s);
      if (s.status === 'compensating' && c?.remedy === 'reship') {
        // The replacement left: the compensation is done.
        c.linkedCase.closed = { status: 'closed', outcome: 'reshipped' };
        endDeadlines(s, now, 'met', ['trackingWait']);
        s.trackingNumber = input.trackingNumber!;
        closeIfSettled(s, now);
      } else if (s.status === 'awaiting_restock') {
        endDeadlines(s, now, 'met');
        s.trackingNumber = input.trackingNumber!;
        close(s, 'shipped', now, by, { trackingNumber: input.trackingNumber }, actor.actorRef);
      } else {
        // A damage claim's carrierResponse keeps running: new tracking does not answer it.
        endDeadlines(s, now, 'met', s.claimOpen ? ['trackingWait'] : ['trackingWait', 'carrierResponse']);
        requestTracking(s, input.trackingNumber!, now, by);
      }
      break;
    }
    case 'contact-carrier':
      carrierAnswered(s, input.result!, now, by, actor.actorRef);
      break;
    case 'confirm-address':
      s.addressConfirmed = true;
      endDeadlines(s, now, 'met', ['customerChoice']);
      if (s.request.type === 'address_change') {
        s.pending.addressChange = { id: `${s.caseId}:address:${s.timeline.length}`, address: input.address ?? s.request.newAddress! };
        move(s, 'checking_order', now, by);
      } else {
        // Lost parcel: a corrected address means shipping again to it; otherwise the customer's remedy (refund by default).
        applyRemedy(s, input.remedy ?? (input.address ? 'reship' : 'refund'), now, by, { actorRef: actor.actorRef });
      }
      break;
    case 'choose-remedy':
      applyRemedy(s, input.remedy!, now, by, { ...(input.substituteSku ? { substituteSku: input.substituteSku } : {}), ...(actor.actorRef ? { actorRef: actor.actorRef } : {}) });
      break;
    case 'compensate':
      startCompensation(s, input.remedy as 'refund' | 'reship', input.amount ?? (input.remedy === 'refund' ? s.request.order!.paidTotal : undefined), now, by, actor.actorRef);
      break;
    case 'resolve':
      close(s, 'resolved', now, by, { resolution: input.resolution }, actor.actorRef);
      break;
    case 'escalate':
      escalateOnRequest(s, now, actor, input.reason);
      break;
    case 'add-note':
      break;
  }
  return s;
}

/** The carrier's answer, recorded by whoever reached it (or a claim's settlement). */
function carrierAnswered(s: OrderIssueState, result: NonNullable<OrderIssueActionRequest['input']['result']>, now: number, by: Actor['role'], actorRef?: string): void {
  const open = [...s.carrierInquiries].reverse().find((c) => !c.result);
  if (open) open.result = result;
  if (result === 'claim_accepted' || result === 'claim_rejected') {
    s.claimOpen = false;
    endDeadlines(s, now, 'met', ['carrierResponse']);
    closeIfSettled(s, now);
    return;
  }
  endDeadlines(s, now, 'met', ['carrierResponse']);
  if (result === 'delivered') close(s, 'delivered', now, by, {}, actorRef);
  else if (result === 'lost') parcelLost(s, now, by);
  else waitForParcel(s, now, by);
}
