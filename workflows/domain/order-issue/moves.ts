/**
 * The order-issue flows (售中/异常订单), one per type, as the manuals describe them:
 * - parcel_missing: query tracking and tell the customer at once → ask them to wait `trackingWait` → still
 *   missing: contact the carrier (`carrierResponse`) → lost (or no answer): re-verify address and phone
 *   (`customerChoice`) → compensate (refund, or reship). A `delivered` callback ends it happily.
 * - delivery_delay: tracking and tell → wait → ask the carrier to expedite → no answer: the customer chooses
 *   to keep waiting or cancel with a refund (silence = cancel).
 * - address_change: only before shipment (the order system says) → the customer confirms the new address and
 *   phone (`customerChoice`; silence = nothing changes, `expired`) → the order system changes it once.
 * - stock_shortage: the customer chooses wait / substitute / cancel with refund (silence = cancel with refund).
 * - payment_exception: the order system's payment status decides: paid → confirmed; charged twice → refund of
 *   the duplicate; unpaid → the customer retries or cancels (silence = cancel).
 * - damaged_in_transit: compensate first (先行赔付: refund or reship, silence = refund) and claim from the
 *   carrier meanwhile (`carrierResponse`); the case closes when both are settled.
 * These are the moves actions (./actions), silence (./silence) and the systems' answers (./answers) share.
 * Pure: each function changes a draft the caller owns.
 */
import type { ActorRole, Deadline, Money } from '../case';
import { orderIssueSettings, type OrderIssueDeadlineName } from '../policy/sections/order-issue';
import { closeCase, endDeadlines, enter, openDeadline, queueNotice, record } from '../service-case/core';
import { orderIssueArchiveRecord } from './archive';
import { ORDER_ISSUE_CLOCKS, type OrderIssueClock, type OrderIssueClockName } from './deadline-rules';
import { compensationCaseId, currentCompensation, defaultRefund } from './compensation';
import type { OrderIssueOutcome, OrderIssueState, OrderIssueStatus, PaymentStatus, ParcelStatus, Remedy } from './types';

export const settingsOf = (s: OrderIssueState) => orderIssueSettings(s.request.policy.orderIssue);

/**
 * Opens a deadline in one of the situations of ORDER_ISSUE_CLOCKS (its actor and default outcome come from
 * there). Staff deadlines warn their owner before breach; the customer's, the parcel's and the carrier's do not.
 */
export function openClock(s: OrderIssueState, clock: OrderIssueClockName, from: number, byDefault?: Remedy): Deadline {
  const rule: OrderIssueClock = ORDER_ISSUE_CLOCKS[clock];
  const name: OrderIssueDeadlineName = rule.name;
  const actor = rule.actor(s.owner);
  const onTimeout = rule.onTimeout(byDefault);
  const settings = settingsOf(s);
  const staff = actor === 'agent' || actor === 'supervisor' || actor === 'merchant';
  return openDeadline(s, name, actor, onTimeout, from, { policy: s.request.policy, spec: settings.deadlines[name], ...(staff ? { warning: settings.warning } : {}) });
}

/** A message to the customer (告知客户), sent once by the workflow. */
export function tellCustomer(s: OrderIssueState, type: string, data: Record<string, unknown>): void {
  queueNotice(s, type, { customerRef: s.request.customerRef }, { orderId: s.request.orderId, ...data });
}

export function move(s: OrderIssueState, status: OrderIssueStatus, now: number, by: ActorRole): void {
  enter(s, status, now, by);
}

export function close(s: OrderIssueState, outcome: OrderIssueOutcome, now: number, by: ActorRole, data: Record<string, unknown> = {}, actorRef?: string): void {
  delete s.offered;
  closeCase(s, outcome, now, by, data, actorRef);
  // 记录与归档: the complete record of the case, as complaints write it (cases started before close without).
  if (s.archiveAtClose) record(s, now, 'case.archived', 'system', { record: orderIssueArchiveRecord(s, now) });
  tellCustomer(s, 'order_issue.closed', { outcome });
}

/** The customer chooses (尊重客户选择) within `customerChoice`; silence takes `byDefault`. */
export function askCustomer(s: OrderIssueState, remedies: Remedy[], byDefault: Remedy, now: number, by: ActorRole): void {
  s.offered = { remedies, byDefault };
  move(s, 'awaiting_customer_choice', now, by);
  openClock(s, 'customerChoice', now, byDefault);
  tellCustomer(s, 'order_issue.choose_remedy', { remedies, byDefault });
}

/** The parcel is lost: re-verify address and phone, then compensate (refund by default, or reship). */
export function parcelLost(s: OrderIssueState, now: number, by: ActorRole): void {
  endDeadlines(s, now, by === 'system' ? 'cancelled' : 'met', ['trackingWait', 'carrierResponse']);
  record(s, now, 'parcel.lost', by);
  s.addressConfirmed = false;
  s.offered = { remedies: ['refund', 'reship'], byDefault: 'refund' };
  move(s, 'awaiting_address', now, by);
  openClock(s, 'customerChoice', now, 'refund');
  tellCustomer(s, 'order_issue.verify_address', { remedies: ['refund', 'reship'] });
}

/** Asks the logistics system for the parcel; the answer comes back through `trackingAnswered`. */
export function requestTracking(s: OrderIssueState, trackingNumber: string, now: number, by: ActorRole): void {
  s.trackingNumber = trackingNumber;
  s.pending.track = { trackingNumber };
  move(s, 'tracing', now, by);
}

/** Opens a carrier inquiry (trace, expedite or claim) as work for the logistics system; an agent chases the answer. */
export function contactCarrier(s: OrderIssueState, kind: 'trace' | 'expedite' | 'claim', now: number, by: ActorRole): void {
  const id = `${s.caseId}:carrier:${s.carrierInquiries.length + 1}`;
  s.carrierInquiries.push({ id, kind });
  s.pending.carrierInquiry = { id, kind, ...(s.trackingNumber ? { trackingNumber: s.trackingNumber } : {}) };
  if (kind === 'claim') s.claimOpen = true;
  else move(s, 'awaiting_carrier', now, by);
  openClock(s, 'carrier', now);
}

/** Waits for the parcel (or the merchant's shipment): `trackingWait`, then the next step of the type. */
export function waitForParcel(s: OrderIssueState, now: number, by: ActorRole): void {
  move(s, 'awaiting_parcel', now, by);
  openClock(s, 'parcelWait', now);
}

/** The tracking query answered. The customer hears at once what tracking says (第一时间告知). */
export function trackingAnswered(s: OrderIssueState, status: ParcelStatus, now: number): void {
  delete s.pending.track;
  s.parcel = { status, at: now };
  record(s, now, 'parcel.tracked', 'system', { status });
  if (s.status !== 'tracing') return;
  tellCustomer(s, 'order_issue.tracking', { status });
  const { type } = s.request;
  if (status === 'delivered') {
    // Tracking says delivered but the customer has nothing: the carrier must show the sign-off.
    if (type === 'parcel_missing') contactCarrier(s, 'trace', now, 'system');
    else close(s, 'delivered', now, 'system');
  } else if (status === 'lost') parcelLost(s, now, 'system');
  else if (status === 'returned_to_sender') askCustomer(s, ['refund', 'reship'], 'refund', now, 'system');
  else waitForParcel(s, now, 'system');
}

/** The order system answered whether the order shipped and how its payment stands. */
export function orderChecked(s: OrderIssueState, status: { shipped: boolean; paymentStatus: PaymentStatus }, now: number): void {
  delete s.pending.orderCheck;
  record(s, now, 'order.checked', 'system', { shipped: status.shipped, paymentStatus: status.paymentStatus });
  if (s.status !== 'checking_order') return;
  if (s.request.type === 'address_change') {
    if (status.shipped) {
      s.refusal = 'already_shipped';
      close(s, 'not_possible', now, 'system', { reason: 'already_shipped' });
      return;
    }
    s.addressConfirmed = false;
    move(s, 'awaiting_address', now, 'system');
    openClock(s, 'customerChoice', now);
    tellCustomer(s, 'order_issue.verify_address', {});
    return;
  }
  // payment_exception
  if (status.paymentStatus === 'paid') close(s, 'payment_confirmed', now, 'system');
  else if (status.paymentStatus === 'duplicate_charge') startCompensation(s, 'refund', defaultRefund(s), now, 'system');
  else askCustomer(s, ['retry_payment', 'cancel'], 'cancel', now, 'system');
}

/** The order system applied (or refused) the address change. */
export function addressChangeAnswered(s: OrderIssueState, answer: { changed: boolean; reason?: string }, now: number): void {
  delete s.pending.addressChange;
  record(s, now, 'order.address_change', 'system', { changed: answer.changed, ...(answer.reason ? { reason: answer.reason } : {}) });
  if (answer.changed) close(s, 'address_changed', now, 'system');
  else {
    s.refusal = answer.reason ?? 'refused';
    close(s, 'not_possible', now, 'system', { reason: s.refusal });
  }
}

/** Starts a compensation: a refund through a linked after-sale, or the merchant shipping again. */
export function startCompensation(s: OrderIssueState, remedy: 'refund' | 'reship', amount: Money | undefined, now: number, by: ActorRole, actorRef?: string): void {
  const number = s.compensations.length + 1;
  const id = compensationCaseId(s.caseId, number);
  endDeadlines(s, now, by === 'system' ? 'cancelled' : 'met', ['trackingWait', 'customerChoice', 'carrierResponse'].filter((n) => !(n === 'carrierResponse' && s.claimOpen)));
  delete s.offered;
  s.compensations.push({ number, remedy, ...(amount ? { amount } : {}), decidedBy: by, linkedCase: { id, started: remedy === 'reship' } });
  move(s, 'compensating', now, by);
  record(s, now, 'compensation.started', by, { number, remedy, ...(amount ? { amount } : {}), ...(remedy === 'refund' ? { caseId: id } : {}) }, actorRef);
  if (remedy === 'refund') s.links.push({ id, kind: 'after_sale', relation: 'compensation' });
  // A reship is the merchant's to send; nothing shipped in time means a refund instead.
  else openClock(s, 'reshipWait', now);
  tellCustomer(s, 'order_issue.compensation', { remedy, ...(amount ? { amount } : {}) });
}

/** Done when the compensation is implemented and no carrier claim is still open. */
export function closeIfSettled(s: OrderIssueState, now: number): void {
  const c = currentCompensation(s);
  const implemented = c && (c.remedy === 'reship' ? c.linkedCase.closed : c.linkedCase.closed && ['refunded', 'partially_refunded'].includes(c.linkedCase.closed.outcome ?? ''));
  if (s.status !== 'compensating' || !implemented || s.claimOpen) return;
  close(s, s.chosen === 'cancel' ? 'cancelled' : 'compensated', now, 'system');
}

/** The customer's (or the default) remedy. */
export function applyRemedy(s: OrderIssueState, remedy: Remedy, now: number, by: ActorRole, detail: { substituteSku?: string; actorRef?: string } = {}): void {
  s.chosen = remedy;
  endDeadlines(s, now, by === 'system' ? 'cancelled' : 'met', ['customerChoice']);
  delete s.offered;
  record(s, now, 'remedy.chosen', by, { remedy, ...(detail.substituteSku ? { substituteSku: detail.substituteSku } : {}) }, detail.actorRef);
  switch (remedy) {
    case 'wait':
      if (s.request.type === 'stock_shortage') {
        move(s, 'awaiting_restock', now, by);
        openClock(s, 'restockWait', now);
      } else waitForParcel(s, now, by);
      return;
    case 'substitute':
      close(s, 'substituted', now, by, detail.substituteSku ? { substituteSku: detail.substituteSku } : {});
      return;
    case 'retry_payment':
      s.pending.orderCheck = { orderId: s.request.orderId };
      move(s, 'checking_order', now, by);
      return;
    case 'cancel':
      // Money paid comes back; an unpaid order simply ends.
      if (s.request.order && !(s.request.type === 'payment_exception')) startCompensation(s, 'refund', s.request.order.paidTotal, now, by);
      else close(s, 'cancelled', now, by);
      return;
    case 'refund':
    case 'reship':
      startCompensation(s, remedy, remedy === 'refund' ? defaultRefund(s) : undefined, now, by);
  }
}
