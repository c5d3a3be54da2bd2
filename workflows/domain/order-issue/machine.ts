/**
 * The order-issue machine: opening a case of each type, the actions back offices send, the answers of the
 * logistics and order systems, logistics callbacks and the linked compensation's result. `check*` decides
 * (role, merchant scope, state, input); `apply*` changes a copy. The flows themselves are in ./flow.
 */
import { inMerchantScope, type Actor } from '../case';
import { relatedLinkOf } from '../case-links';
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { advanceClock, draftOf, endDeadlines, escalateTo, ownerAt, record, unsentNotices } from '../service-case/core';
import { currentCompensation } from './compensation';
import {
  addressChangeAnswered, applyRemedy, askCustomer, breach, close, closeIfSettled, contactCarrier, move, orderChecked, parcelLost, requestTracking, startCompensation,
  trackingAnswered, waitForParcel,
} from './flow';
import { roleMayActOnOrderIssue } from './roles';
import {
  ORDER_ISSUE_ACTIONS, type LogisticsEvent, type OrderIssueAction, type OrderIssueActionRequest, type OrderIssueRequest, type OrderIssueState, type ParcelStatus,
  type PaymentStatus,
} from './types';

/** Opens an order issue; `archiveAtClose` is what the workflow's patch allows (on for a case started now). */
export function openOrderIssue(request: OrderIssueRequest, now: number, archiveAtClose = true): OrderIssueState {
  const related = relatedLinkOf(request.relatedCaseId);
  const s: OrderIssueState = {
    caseId: request.caseId, request, status: 'tracing', outcome: null, owner: ownerAt(1), escalationLevel: 1, deadlines: [], timeline: [], notices: [],
    links: related ? [related] : [], pending: {}, carrierInquiries: [], compensations: [], seenLogisticsEvents: [], linkedClosedSeen: [],
    createdAt: now, updatedAt: now, revision: 0, ...(archiveAtClose ? { archiveAtClose: true as const } : {}),
  };
  record(s, now, 'case.created', request.createdBy.role, {
    type: request.type, policy: { id: request.policy.id, version: request.policy.version }, reportedAt: request.reportedAt,
  }, request.createdBy.actorRef);
  switch (request.type) {
    case 'parcel_missing':
    case 'delivery_delay':
      requestTracking(s, request.trackingNumber!, now, 'system');
      break;
    case 'address_change':
    case 'payment_exception':
      s.pending.orderCheck = { orderId: request.orderId };
      move(s, 'checking_order', now, 'system');
      break;
    case 'stock_shortage':
      askCustomer(s, ['wait', 'substitute', 'cancel'], 'cancel', now, 'system');
      break;
    case 'damaged_in_transit':
      // 先行赔付: the customer is compensated first; the claim against the carrier runs beside it.
      if (request.trackingNumber) s.trackingNumber = request.trackingNumber;
      askCustomer(s, ['refund', 'reship'], 'refund', now, 'system');
      contactCarrier(s, 'claim', now, 'system');
      break;
  }
  return s;
}

const isOpen = (s: OrderIssueState) => s.status !== 'closed';
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

export function allowedOrderIssueActions(s: OrderIssueState, actor: Actor): OrderIssueAction[] {
  if (actor.role === 'system' || !inMerchantScope(actor.merchants, s.request.merchantId)) return [];
  return ORDER_ISSUE_ACTIONS.filter((a) => roleMayActOnOrderIssue(actor.role, a) && stateAllows(s, a));
}

function fail(type: RuleFailure['type'], detail: string, extensions?: Record<string, unknown>): RuleFailure {
  return { type, detail, ...(extensions ? { extensions } : {}) };
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
      if (input.amount && basis && input.amount.currency !== basis.paidTotal.currency) return fail(RULE_FAILURES.invalidInput, `amount must be in ${basis.paidTotal.currency}`);
      if (input.amount && basis && input.amount.amount > basis.paidTotal.amount) {
        return fail(RULE_FAILURES.notEligible, 'a refund may not exceed what was paid', { rule: 'refund-above-paid', paidTotal: basis.paidTotal });
      }
      return null;
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
  const { action, actor } = req;
  if (!(ORDER_ISSUE_ACTIONS as readonly string[]).includes(action)) return fail(RULE_FAILURES.invalidInput, `unknown action ${action}`);
  if (!roleMayActOnOrderIssue(actor.role, action) || !inMerchantScope(actor.merchants, s.request.merchantId)) {
    return fail(RULE_FAILURES.forbidden, `role ${actor.role} may not ${action} this order issue`);
  }
  if (!stateAllows(s, action)) {
    return fail(RULE_FAILURES.actionNotAllowed, `${action} is not allowed while the order issue is ${s.status}`, {
      caseStatus: s.status, action, allowedActions: allowedOrderIssueActions(s, actor),
    });
  }
  return checkInput(s, req);
}

export function applyOrderIssueAction(state: OrderIssueState, req: OrderIssueActionRequest, now: number): OrderIssueState {
  const s = draftOf(state, now);
  const { action, actor, input } = req;
  const by = actor.role;
  const { address: _address, ...recorded } = input;
  record(s, now, `action.${action}`, by, Object.keys(recorded).length ? recorded : undefined, actor.actorRef);
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
      escalateTo(s, now, by, 'requested', input.reason ? { requestReason: input.reason } : {}, undefined, actor.actorRef);
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

/** Work answers from other systems (activities), fed back by the workflow. */
export function applyTracking(state: OrderIssueState, status: ParcelStatus, now: number): OrderIssueState {
  const s = draftOf(state, now);
  trackingAnswered(s, status, now);
  return s;
}

export function applyOrderStatus(state: OrderIssueState, status: { shipped: boolean; paymentStatus: PaymentStatus }, now: number): OrderIssueState {
  const s = draftOf(state, now);
  orderChecked(s, status, now);
  return s;
}

export function applyAddressChange(state: OrderIssueState, answer: { changed: boolean; reason?: string }, now: number): OrderIssueState {
  const s = draftOf(state, now);
  addressChangeAnswered(s, answer, now);
  return s;
}

export function applyCarrierInquiryOpened(state: OrderIssueState, id: string, reference: string, now: number): OrderIssueState {
  const s = draftOf(state, now);
  delete s.pending.carrierInquiry;
  const inquiry = s.carrierInquiries.find((c) => c.id === id);
  if (inquiry) inquiry.reference = reference;
  record(s, now, 'carrier.contacted', 'system', { kind: inquiry?.kind, reference });
  return s;
}

export function applyCompensationStarted(state: OrderIssueState, number: number, now: number): OrderIssueState {
  const c = state.compensations.find((x) => x.number === number);
  if (!c || c.linkedCase.started) return state;
  const s = draftOf(state, now);
  s.compensations.find((x) => x.number === number)!.linkedCase.started = true;
  record(s, now, 'linked_case.started', 'system', { caseId: c.linkedCase.id, kind: 'after_sale' });
  return s;
}

/** The linked refund's after-sale closed: refunded → the compensation is done; otherwise the owner steps in. */
export function applyCompensationClosed(state: OrderIssueState, outcome: { caseId: string; status: string; outcome: string | null; refunded?: { amount: number; currency: string } }, now: number): OrderIssueState {
  if (state.linkedClosedSeen.includes(outcome.caseId)) return state;
  const s = draftOf(state, now);
  s.linkedClosedSeen.push(outcome.caseId);
  record(s, now, 'linked_case.closed', 'system', { caseId: outcome.caseId, outcome: outcome.outcome, ...(outcome.refunded ? { refunded: outcome.refunded } : {}) });
  const c = s.compensations.find((x) => x.linkedCase.id === outcome.caseId);
  if (!c) return s;
  c.linkedCase.closed = { status: outcome.status, outcome: outcome.outcome, ...(outcome.refunded ? { refunded: outcome.refunded } : {}) };
  if (['refunded', 'partially_refunded'].includes(outcome.outcome ?? '')) closeIfSettled(s, now);
  else {
    record(s, now, 'compensation.failed', 'system', { number: c.number, outcome: outcome.outcome });
    escalateTo(s, now, 'system', 'compensation_failed', { number: c.number });
    askCustomer(s, ['refund', 'reship'], 'refund', now, 'system');
  }
  return s;
}

/** Logistics callbacks: a closed case takes no new ones (409 at the edge). */
export function checkLogisticsEvent(s: OrderIssueState, event: LogisticsEvent): RuleFailure | null {
  // A repeat of an event already taken is answered as such, even after close: it changes nothing.
  return isOpen(s) || s.seenLogisticsEvents.includes(event.id) ? null : fail(RULE_FAILURES.actionNotAllowed, 'the order issue is closed: logistics events no longer apply', { caseStatus: s.status, action: 'logistics-event', allowedActions: [] });
}

/** A carrier event reaches the case once (by its identity); `delivered` ends a missing or late parcel happily. */
export function applyLogisticsEvent(state: OrderIssueState, event: LogisticsEvent, now: number): OrderIssueState {
  if (state.seenLogisticsEvents.includes(event.id) || !isOpen(state)) return state;
  const s = draftOf(state, now);
  s.seenLogisticsEvents.push(event.id);
  const ours = !s.trackingNumber || s.trackingNumber === event.trackingNumber;
  record(s, now, `logistics.${event.event}`, 'channel', { trackingNumber: event.trackingNumber, at: event.at, ...(ours ? {} : { otherParcel: true }) });
  if (!ours) return s;
  s.parcel = { status: event.event, at: event.at };
  const waitingOnParcel = ['tracing', 'awaiting_parcel', 'awaiting_carrier', 'awaiting_address', 'awaiting_customer_choice'].includes(s.status)
    && (s.request.type === 'parcel_missing' || s.request.type === 'delivery_delay');
  if (!waitingOnParcel) return s;
  delete s.pending.track;
  if (event.event === 'delivered') close(s, 'delivered', now, 'system');
  else if (event.event === 'lost' && s.status !== 'awaiting_address') parcelLost(s, now, 'system');
  else if (event.event === 'returned_to_sender') askCustomer(s, ['refund', 'reship'], 'refund', now, 'system');
  return s;
}

export function advanceOrderIssueClock(state: OrderIssueState, now: number): OrderIssueState {
  return advanceClock(state, now, { breach });
}

/** The workflow may finish once closed, with every notice sent and every piece of work answered. */
export function isOrderIssueFinished(s: OrderIssueState): boolean {
  const c = currentCompensation(s);
  return s.status === 'closed' && unsentNotices(s).length === 0 && Object.keys(s.pending).length === 0 && (!c || c.linkedCase.started);
}

