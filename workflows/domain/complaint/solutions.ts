/**
 * Solutions (解决方案) the service side proposes and the customer chooses (尊重客户选择): which need a
 * supervisor's approval (money above the proposer's authority), which become a linked after-sale case
 * (refund, replacement, repair), and that after-sale's deterministic id and request. Pure.
 */
import type { Actor, Money } from '../case';
import { caseIdOf } from '../case-ids';
import type { AfterSaleRequest, AfterSaleType } from '../after-sale/types';
import { withinAuthority } from '../policy/authority';
import { sha256Hex } from './digest';
import { settingsOf } from './moves';
import type { ComplaintState, OrderBasis, Solution, SolutionKind } from './types';

/** Kinds that move money: they need an amount. */
export const MONEY_SOLUTIONS: readonly SolutionKind[] = ['refund', 'compensation'];

/** Kinds implemented by an after-sale case (the after-sale machine runs refund or the return leg). */
export const AFTER_SALE_FOR: Partial<Record<SolutionKind, AfterSaleType>> = { refund: 'refund_only', replacement: 'exchange', repair: 'repair' };

/** The most the proposer's role may promise alone; money above needs `approve-solution` by a supervisor. */
export function authorityLimitOf(s: ComplaintState, role: Actor['role']): Money {
  const limits = settingsOf(s).authorityLimits;
  return role === 'supervisor' ? limits.supervisor : limits.agent;
}

/** Money the proposer may not promise alone: above its limit, or (cases under the currency rule) in another currency. */
export function needsApproval(s: ComplaintState, proposer: Actor, amount: Money | undefined): boolean {
  if (!amount) return false;
  const limit = authorityLimitOf(s, proposer.role);
  return s.authorityCurrency ? !withinAuthority(amount, limit) : amount.amount > limit.amount;
}

export function currentSolution(s: ComplaintState): Solution | undefined {
  return s.solutions[s.solutions.length - 1];
}

/** The linked after-sale's id: the same for the same complaint and solution number, on every replay. */
export function linkedAfterSaleId(complaintId: string, solutionNumber: number): string {
  return caseIdOf('after_sale', sha256Hex(`${complaintId}\nsolution\n${solutionNumber}`));
}

export function orderBasisOf(s: ComplaintState, solution: Pick<Solution, 'order'>): OrderBasis | undefined {
  return solution.order ?? s.request.order;
}

/** The pre-approved after-sale that implements an accepted solution; its origin is told the outcome. */
export function afterSaleRequestFor(s: ComplaintState, solution: Solution, now: number): AfterSaleRequest {
  const basis = orderBasisOf(s, solution)!;
  const caseId = solution.linkedCase!.id;
  return {
    caseId,
    merchantId: s.request.merchantId,
    orderId: solution.orderId ?? s.request.orderId!,
    customerRef: s.request.customerRef,
    type: AFTER_SALE_FOR[solution.kind]!,
    // The complaint established the merchant's fault: the shipping fee counts toward what may be refunded.
    reason: 'quality',
    items: basis.items,
    order: { paidTotal: basis.paidTotal, shippingFee: basis.shippingFee },
    requestedAt: now,
    openedAt: now,
    ...(solution.kind === 'refund' && solution.amount ? { requestedRefund: solution.amount } : {}),
    policy: s.request.policy,
    createdBy: { keyId: `complaint:${s.request.caseId}`, role: 'system', merchants: [s.request.merchantId] },
    requestFingerprint: `complaint:${s.request.caseId}:solution:${solution.number}`,
    origin: { caseId: s.request.caseId, kind: 'complaint' },
    preApproved: true,
  };
}
