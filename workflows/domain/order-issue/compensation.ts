/**
 * Compensation (赔偿方案) for an order issue: a refund runs as a pre-approved after-sale linked to the case
 * (so it is executed exactly once, under the after-sale's own refund keys); a reship is the merchant
 * shipping again, with a refund as the fallback when nothing ships in time. Pure.
 */
import type { Money } from '../case';
import { caseIdOf } from '../case-ids';
import type { AfterSaleReason, AfterSaleRequest } from '../after-sale/types';
import { sha256Hex } from '../complaint/digest';
import type { Compensation, OrderIssueState, OrderIssueType } from './types';

/** The linked after-sale's id: the same for the same case and compensation number, on every replay. */
export function compensationCaseId(orderIssueId: string, number: number): string {
  return caseIdOf('after_sale', sha256Hex(`${orderIssueId}\ncompensation\n${number}`));
}

/** Why the money goes back, in the after-sale's words: the shipping fee counts for merchant-side faults. */
const REASON: Record<OrderIssueType, AfterSaleReason> = {
  parcel_missing: 'not_received',
  delivery_delay: 'not_received',
  damaged_in_transit: 'damaged',
  stock_shortage: 'other',
  payment_exception: 'other',
  address_change: 'other',
};

/** What a refund pays when nobody named an amount: a duplicate charge's amount, else everything paid. */
export function defaultRefund(s: OrderIssueState): Money | undefined {
  return s.request.type === 'payment_exception' ? s.request.chargedAmount ?? s.request.order?.paidTotal : s.request.order?.paidTotal;
}

export function currentCompensation(s: OrderIssueState): Compensation | undefined {
  return s.compensations[s.compensations.length - 1];
}

/** The pre-approved after-sale that pays a refund compensation; it tells this case its outcome. */
export function refundRequestFor(s: OrderIssueState, c: Compensation, now: number): AfterSaleRequest {
  const basis = s.request.order!;
  return {
    caseId: c.linkedCase.id,
    merchantId: s.request.merchantId,
    orderId: s.request.orderId,
    customerRef: s.request.customerRef,
    type: 'refund_only',
    reason: REASON[s.request.type],
    items: basis.items,
    order: { paidTotal: basis.paidTotal, shippingFee: basis.shippingFee },
    requestedAt: now,
    openedAt: now,
    ...(c.amount ? { requestedRefund: c.amount } : {}),
    policy: s.request.policy,
    createdBy: { keyId: `order-issue:${s.request.caseId}`, role: 'system', merchants: [s.request.merchantId] },
    requestFingerprint: `order-issue:${s.request.caseId}:compensation:${c.number}`,
    origin: { caseId: s.request.caseId, kind: 'order_issue' },
    preApproved: true,
  };
}
