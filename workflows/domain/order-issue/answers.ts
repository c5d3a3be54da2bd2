/**
 * What other systems and cases tell an order issue: the logistics and order systems' answers to the work the
 * case asked for, the carrier inquiry's reference, logistics callbacks (once each, by identity), and the
 * linked compensation's start and result. Pure: each returns a changed copy.
 */
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { draftOf, escalateTo, record } from '../service-case/core';
import { isOpen } from './actions';
import {
  addressChangeAnswered, askCustomer, close, closeIfSettled, orderChecked, parcelLost, trackingAnswered,
} from './moves';
import type { LogisticsEvent, OrderIssueState, ParcelStatus, PaymentStatus } from './types';

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
  if (isOpen(s) || s.seenLogisticsEvents.includes(event.id)) return null;
  return {
    type: RULE_FAILURES.actionNotAllowed, detail: 'the order issue is closed: logistics events no longer apply',
    extensions: { caseStatus: s.status, action: 'logistics-event', allowedActions: [] },
  };
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
