/**
 * Refund arithmetic (退款金额): what a case may refund, in integer minor units, capped at what was paid. Freight
 * rules (docs/domain-rules.md "Refunds"): the buyer bears return freight on a 7-day no-reason return (SAMR
 * measures art. 18); the original shipping fee is refunded for merchant-fault reasons and for a refund before
 * shipment; otherwise the party at fault bears it, so a buyer-side reason keeps the fee with the merchant.
 */
import type { Money } from '../case';
import { oddCurrency, orderAmounts } from '../order-money';
import type { AfterSaleReason, AfterSaleType, OrderFacts, OrderItem } from './types';

/**
 * Who bears the original shipping fee for each reason after shipment, and the rule that says so. Before
 * shipment the fee is refunded whatever the reason (nothing was carried).
 */
export const SHIPPING_FEE_BY_REASON: Record<AfterSaleReason, { refunded: boolean; source: string }> = {
  quality: { refunded: true, source: 'Taobao dispute rules: freight is borne by the party at fault; defective goods are the merchant\'s fault' },
  wrong_item: { refunded: true, source: 'Taobao dispute rules: freight is borne by the party at fault; a wrong item is the merchant\'s fault' },
  damaged: { refunded: true, source: 'PRC E-commerce Law art. 20: the seller bears the risks and liabilities of goods in transport; damage on the way is its' },
  not_as_described: { refunded: true, source: 'Taobao dispute rules: freight is borne by the party at fault; goods not as described are the merchant\'s fault' },
  not_received: {
    refunded: true,
    source: 'PRC E-commerce Law art. 20: the seller delivers as promised and bears the risks and liabilities of goods in transport (unless the buyer chose another carrier); Civil Code art. 604: the risk passes only on delivery',
  },
  no_reason: { refunded: false, source: 'SAMR Order 2017-90 (7-day no-reason return): the buyer bears the freight of a return for no reason (art. 18)' },
  other: { refunded: false, source: 'Taobao dispute rules: freight is borne by the party at fault; no merchant fault is claimed' },
};

/** Reasons that put the fault on the merchant (or its carrier): the original shipping fee is refunded. */
export const MERCHANT_FAULT_REASONS: readonly AfterSaleReason[] = (Object.keys(SHIPPING_FEE_BY_REASON) as AfterSaleReason[])
  .filter((reason) => SHIPPING_FEE_BY_REASON[reason].refunded);

export interface RefundBasis {
  type: AfterSaleType;
  reason: AfterSaleReason;
  items: OrderItem[];
  order: OrderFacts;
}

export function itemsValue(items: OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPrice.amount, 0);
}

/**
 * A refund before the parcel left the merchant refunds the shipping fee whatever the reason. Decided from
 * the order facts the caller sends: `order.shippedAt` (when the parcel left) and `order.deliveredAt`; an
 * order with neither is taken as not yet shipped.
 */
export function isBeforeShipment(order: OrderFacts): boolean {
  return order.shippedAt === undefined && order.deliveredAt === undefined;
}

export function shippingFeeRefunded(basis: RefundBasis): boolean {
  return MERCHANT_FAULT_REASONS.includes(basis.reason) || (basis.type === 'refund_only' && isBeforeShipment(basis.order));
}

/** The most this case may refund: items, plus the shipping fee where owed, never more than was paid. */
export function refundCap(basis: RefundBasis): Money {
  const currency = basis.order.paidTotal.currency;
  const freight = shippingFeeRefunded(basis) ? basis.order.shippingFee.amount : 0;
  const owed = itemsValue(basis.items) + freight;
  return { amount: Math.max(0, Math.min(owed, basis.order.paidTotal.amount)), currency };
}

/** Every money field of a request must share one currency; returns the odd one out, if any. */
export function mixedCurrency(basis: RefundBasis, requested?: Money): string | null {
  return oddCurrency(basis.order.paidTotal.currency, requestAmounts(basis, requested));
}

/** The amounts of a request: the order's shipping fee, the items' prices and the refund asked for. */
export function requestAmounts(basis: RefundBasis, requested?: Money): Money[] {
  return orderAmounts({ ...basis.order, items: basis.items }, ...(requested ? [requested] : []));
}

/** A refund is "partial" when less than the cap was refunded. */
export function isPartialRefund(amount: Money, cap: Money): boolean {
  return amount.amount < cap.amount;
}
