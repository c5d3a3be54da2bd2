/**
 * Money rules every kind shares (docs/domain-rules.md "Refunds"): the amounts of a request are in the
 * currency the order was paid in, and no refund exceeds what was paid. The edge checks them before a case
 * starts, the machines when an action asks for money: one rule, the same words. Pure.
 */
import type { Money } from './case';
import { RULE_FAILURES, type RuleFailure } from './failures';

/** The order as requests give it: what was paid, the shipping fee and the items' prices. */
export interface PricedOrder {
  paidTotal: Money;
  shippingFee: Money;
  items: readonly { unitPrice: Money }[];
}

/** The currency of the first amount that is not in `currency`, if any. */
export function oddCurrency(currency: string, amounts: readonly Money[]): string | null {
  return amounts.find((m) => m.currency !== currency)?.currency ?? null;
}

/** An order's own amounts (shipping fee, item prices) and any the request adds, for the currency check. */
export function orderAmounts(order: PricedOrder, ...more: Money[]): Money[] {
  return [order.shippingFee, ...order.items.map((i) => i.unitPrice), ...more];
}

/** Every amount in the currency of `paidTotal` (400 invalid-request otherwise). */
export function inPaidCurrency(paidTotal: Money, amounts: readonly Money[]): RuleFailure | null {
  const odd = oddCurrency(paidTotal.currency, amounts);
  return odd ? { type: RULE_FAILURES.invalidInput, detail: `every amount must be in ${paidTotal.currency}; found ${odd}` } : null;
}

/** A refund may not exceed what was paid (422 not-eligible, rule `refund-above-paid`). */
export function refundAbovePaid(amount: Money, paidTotal: Money): RuleFailure | null {
  return amount.amount > paidTotal.amount
    ? { type: RULE_FAILURES.notEligible, detail: 'a refund may not exceed what was paid', extensions: { rule: 'refund-above-paid', paidTotal } }
    : null;
}
