/**
 * The moves every after-sale transition is made of: enter a status (with its one owner), open and end
 * deadlines, record the timeline, start a refund, close. Pure; callers pass a draft they own.
 */
import type { Actor, ActorRole, Deadline, Money, OnTimeout, Owner, Tier } from '../case';
import type { AfterSaleDeadlineName, DurationSpec } from '../policy/types';
import { scheduleFrom } from '../schedule';
import { record } from '../service-case/core';
import { isPartialRefund } from './refund';
import { afterSaleArchiveRecord } from './archive';
import { withinAuthority } from '../policy/authority';
import type { AfterSaleOutcome, AfterSaleState, AfterSaleStatus, RefundRecord } from './types';

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

export function activeDeadlines(s: AfterSaleState): Deadline[] {
  return s.deadlines.filter((d) => d.state === 'active');
}

/** Active deadlines whose clock runs (not paused by a suspension). */
export function runningDeadlines(s: AfterSaleState): Deadline[] {
  return activeDeadlines(s).filter((d) => d.pausedAt === undefined);
}

/**
 * Ends the active deadlines that belong to the status being left: `met` when their actor is the one who
 * moved the case on, `cancelled` otherwise. Post-close windows (appeal) are kept unless `all`.
 */
export function endDeadlines(s: AfterSaleState, now: number, by: ActorRole, names?: readonly string[]): void {
  for (const d of activeDeadlines(s)) {
    if (names && !names.includes(d.name)) continue;
    d.state = d.actor === by ? 'met' : 'cancelled';
    d.endedAt = now;
  }
}

export function openDeadline(
  s: AfterSaleState, name: AfterSaleDeadlineName, actor: ActorRole, onTimeout: OnTimeout, startedAt: number,
  spec: DurationSpec = s.request.policy.afterSale.deadlines[name],
): void {
  const { dueAt, warnAt } = scheduleFrom(s.request.policy, spec, startedAt);
  s.deadlines.push({
    name, startedAt, dueAt, ...(warnAt !== undefined ? { warnAt } : {}), actor, onTimeout, state: 'active',
    unit: spec.unit, ...(spec.calendar ? { calendar: spec.calendar } : {}),
  });
}

export function enter(s: AfterSaleState, status: AfterSaleStatus, now: number, by: ActorRole): void {
  const from = s.status;
  endDeadlines(s, now, by);
  s.status = status;
  refreshOwner(s);
  if (from !== status) record(s, now, 'case.status_changed', by, { from, to: status });
}

export function close(s: AfterSaleState, outcome: AfterSaleOutcome, now: number, by: ActorRole): void {
  enter(s, 'closed', now, by);
  s.outcome = outcome;
  record(s, now, 'case.closed', by, { outcome });
  // 记录与归档: the complete record of the case, as complaints write it (cases started before keep closing without).
  if (s.rules?.archiveAtClose) record(s, now, 'case.archived', 'system', { record: afterSaleArchiveRecord(s, now) });
  // JD: either party may appeal a platform ruling within 7 natural days after close (once).
  if (s.ruling && !s.appealed && outcome !== 'withdrawn') openDeadline(s, 'appealWindow', 'channel', 'close', now);
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
  openDeadline(s, 'refundPayment', 'system', 'escalate', Math.min(decision.paymentClockFrom ?? now, now));
  if (needsApproval) openDeadline(s, 'refundApproval', 'supervisor', 'escalate', now);
}
