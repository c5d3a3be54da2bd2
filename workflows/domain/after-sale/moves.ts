/**
 * The moves after-sale transitions are made of, used by actions (./actions) and silence (./silence) alike:
 * the one owner per status, entering a status, opening and ending deadlines on the kernel's clock, granting
 * the request, goods received, rejection, refunds (with the authority check) and executing a ruling, close.
 * Pure; callers pass a draft they own.
 */
import type { Actor, ActorRole, Money, Owner, Tier } from '../case';
import type { AfterSaleDeadlineName, DurationSpec } from '../policy/types';
import { activeDeadlines, closeCase, endDeadlines as endOnClock, metIfActedBy, openDeadline as openOnClock, record } from '../service-case/core';
import { isPartialRefund } from './refund';
import { afterSaleArchiveRecord } from './archive';
import { withinAuthority } from '../policy/authority';
import { AFTER_SALE_SILENCE } from './silence';
import type { AfterSaleOutcome, AfterSaleState, AfterSaleStatus, RefundRecord } from './types';

export { activeDeadlines };

const TIER_LEVEL: Record<Tier, 1 | 2 | 3 | 4> = { L1: 1, L2: 2, L3: 3, L4: 4 };

/** 统一窗口: exactly one owner per open status. */
export function ownerOf(state: AfterSaleState, status: AfterSaleStatus): Owner | null {
  switch (status) {
    case 'awaiting_merchant':
    case 'awaiting_merchant_receipt':
    case 'awaiting_replacement':
    case 'in_repair':
      return { role: 'merchant', tier: 'L1' };
    case 'awaiting_buyer_return':
    case 'rejected':
      return { role: 'channel', tier: 'L1' };
    case 'refunding':
      return state.refunds.some((r) => r.status === 'awaiting_approval')
        ? { role: 'supervisor', tier: 'L2' }
        : { role: 'system', tier: 'L1' };
    case 'refund_failed':
    case 'suspended':
      return { role: 'supervisor', tier: 'L2' };
    case 'in_arbitration':
      return state.ruling && !state.ruling.executed && state.ruling.decision !== 'reject'
        ? { role: 'merchant', tier: 'L4' }
        : { role: 'arbiter', tier: 'L4' };
    case 'closed':
      return null;
  }
}

/** Re-derives the owner after any change; escalation never goes back down. */
export function refreshOwner(s: AfterSaleState): void {
  s.owner = ownerOf(s, s.status);
  if (s.owner) s.escalationLevel = Math.max(s.escalationLevel, TIER_LEVEL[s.owner.tier]) as 1 | 2 | 3 | 4;
}

/**
 * Ends the active deadlines that belong to the status being left: `met` when their actor is the one who
 * moved the case on, `cancelled` otherwise.
 */
export function endDeadlines(s: AfterSaleState, now: number, by: ActorRole, names?: readonly string[]): void {
  endOnClock(s, now, metIfActedBy(by), names);
}

/**
 * Opens a deadline on the business clock with what silence past it does (./silence); it warns at the
 * policy's threshold. The spec is the policy's unless given (a suspension's limit).
 */
export function openDeadline(
  s: AfterSaleState, name: AfterSaleDeadlineName, actor: ActorRole, startedAt: number,
  spec: DurationSpec = s.request.policy.afterSale.deadlines[name],
): void {
  openOnClock(s, name, actor, AFTER_SALE_SILENCE[name].onTimeout(s.request.type), startedAt, { policy: s.request.policy, spec, warning: s.request.policy.warning });
}

export function enter(s: AfterSaleState, status: AfterSaleStatus, now: number, by: ActorRole): void {
  const from = s.status;
  endDeadlines(s, now, by);
  s.status = status;
  refreshOwner(s);
  if (from !== status) record(s, now, 'case.status_changed', by, { from, to: status });
}

export function close(s: AfterSaleState, outcome: AfterSaleOutcome, now: number, by: ActorRole): void {
  // The kernel's close; deadlines end as in every after-sale move: met when their actor closed it.
  closeCase(s, outcome, now, by, {}, undefined, metIfActedBy(by));
  // 记录与归档: the complete record of the case, as complaints write it (cases started before keep closing without).
  if (s.rules?.archiveAtClose) record(s, now, 'case.archived', 'system', { record: afterSaleArchiveRecord(s, now) });
  // JD: either party may appeal a platform ruling within 7 natural days after close (once).
  if (s.ruling && !s.appealed && outcome !== 'withdrawn') openDeadline(s, 'appealWindow', 'channel', now);
}

export function refundedSoFar(s: AfterSaleState): number {
  return s.refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount.amount, 0);
}

/** What may still be refunded: the cap less what already succeeded. Refunds never exceed what was paid. */
export function remainingCap(s: AfterSaleState): Money {
  return { amount: Math.max(0, s.refundCap.amount - refundedSoFar(s)), currency: s.refundCap.currency };
}

export interface RefundDecision {
  amount: Money;
  decidedBy: Actor;
  /** Default outcomes and platform rulings carry their own authority: no second approver. */
  needsNoSecondApprover?: boolean;
  /** When the refund's payment clock starts: receipt of the returned goods (SAMR art. 13), else now. */
  paymentClockFrom?: number;
}

/**
 * Starts one refund. A person's decision above the policy's authority limit (or in another currency than
 * the limit's) waits for `approve-refund` by another person; default outcomes (actor `system`) never do.
 */
export function startRefund(s: AfterSaleState, decision: RefundDecision, now: number): void {
  const sequence = s.refunds.length + 1;
  const byPerson = decision.decidedBy.role !== 'system' && !decision.needsNoSecondApprover;
  const limit = s.request.policy.afterSale.authorityLimit;
  // Money is compared with its currency; cases started before compared the numbers alone and keep doing so.
  const needsApproval = byPerson && (s.rules?.authorityCurrency ? !withinAuthority(decision.amount, limit) : decision.amount.amount > limit.amount);
  const refund: RefundRecord = {
    id: `refund-${sequence}`,
    amount: decision.amount,
    status: needsApproval ? 'awaiting_approval' : 'pending',
    idempotencyKey: `${s.request.caseId}:refund:${sequence}`,
    decidedBy: { role: decision.decidedBy.role, ...(decision.decidedBy.actorRef ? { actorRef: decision.decidedBy.actorRef } : {}) },
    requestedAt: now,
    closesAs: isPartialRefund({ amount: refundedSoFar(s) + decision.amount.amount, currency: decision.amount.currency }, s.refundCap)
      ? 'partially_refunded'
      : 'refunded',
  };
  s.refunds.push(refund);
  enter(s, 'refunding', now, decision.decidedBy.role);
  record(s, now, needsApproval ? 'refund.awaiting_approval' : 'refund.requested', decision.decidedBy, { amount: decision.amount, refundId: refund.id });
  // SAMR art. 13: the refund is paid within 7 days of the return being received.
  openDeadline(s, 'refundPayment', 'system', Math.min(decision.paymentClockFrom ?? now, now));
  if (needsApproval) openDeadline(s, 'refundApproval', 'supervisor', now);
}

/** Merchant silence or approval: refund only goes to refund, the others wait for the goods. */
export function grantRequest(s: AfterSaleState, by: Actor, now: number, byDefault: boolean): void {
  if (s.request.type === 'refund_only') {
    startRefund(s, { amount: s.grantedRefund, decidedBy: by, needsNoSecondApprover: byDefault }, now);
    return;
  }
  enter(s, 'awaiting_buyer_return', now, by.role);
  // Buyer silence past the deadline closes the request (Taobao-style, 7 days).
  openDeadline(s, 'buyerReturnShipment', 'channel', now);
}

/** Goods received and judged fine (by the merchant, or by its silence): refund, reship or repair follows. */
export function afterGoodsReceived(s: AfterSaleState, by: Actor, now: number, byDefault: boolean): void {
  switch (s.request.type) {
    case 'exchange':
      enter(s, 'awaiting_replacement', now, by.role);
      openDeadline(s, 'replacementShipment', 'merchant', now);
      return;
    case 'repair':
      enter(s, 'in_repair', now, by.role);
      openDeadline(s, 'repair', 'merchant', now);
      return;
    default:
      // SAMR art. 13: the refund is due within 7 days of the merchant receiving the returned goods.
      startRefund(s, { amount: s.grantedRefund, decidedBy: by, needsNoSecondApprover: byDefault, paymentClockFrom: s.inspection?.receivedAt ?? now }, now);
  }
}

/** A rejection (by the merchant or by a failed inspection): the buyer may call in the platform. */
export function rejectRequest(s: AfterSaleState, by: Actor, now: number): void {
  enter(s, 'rejected', now, by.role);
  openDeadline(s, 'escalationWindow', 'channel', now);
}

/** A platform ruling is its own authority: no second approver for the refund it orders. */
export function executeRuling(s: AfterSaleState, by: Actor, now: number): void {
  const ruling = s.ruling!;
  ruling.executed = true;
  startRefund(s, { amount: ruling.amount!, decidedBy: by, needsNoSecondApprover: true }, now);
}
