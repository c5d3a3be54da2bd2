/**
 * Whether an after-sale request may be opened at all: one currency (../order-money), a refund no larger
 * than the cap, the no-reason return rules.
 * Runs at the edge before the case starts (422 `not-eligible` names the rule) and again in tests.
 */
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { assessNoReasonReturn, type NoReasonFacts } from './no-reason-return';
import { inPaidCurrency } from '../order-money';
import { refundCap, requestAmounts, type RefundBasis } from './refund';
import type { AfterSaleRequest } from './types';

/** What needs no policy: every amount in the currency paid (400 at the edge, before roles are judged). */
export function checkAfterSaleRequest(request: RefundBasis & Pick<AfterSaleRequest, 'requestedRefund'>): RuleFailure | null {
  return inPaidCurrency(request.order.paidTotal, requestAmounts(request, request.requestedRefund));
}

export function assessAfterSaleRequest(request: NoReasonFacts & Pick<AfterSaleRequest, 'requestedRefund'>): RuleFailure | null {
  const mixed = checkAfterSaleRequest(request);
  if (mixed) return mixed;
  if (request.items.length === 0) return { type: RULE_FAILURES.invalidInput, detail: 'an after-sale request names at least one item' };
  if (request.requestedRefund && request.requestedRefund.amount <= 0) {
    return { type: RULE_FAILURES.invalidInput, detail: 'requestedRefund must be a positive amount' };
  }
  const cap = refundCap(request);
  if (request.requestedRefund && request.requestedRefund.amount > cap.amount) {
    return {
      type: RULE_FAILURES.notEligible,
      detail: `the requested refund ${request.requestedRefund.amount} exceeds what may be refunded, ${cap.amount} (minor units of ${cap.currency})`,
      extensions: { rule: 'refund-above-cap', cap },
    };
  }
  return assessNoReasonReturn(request);
}
