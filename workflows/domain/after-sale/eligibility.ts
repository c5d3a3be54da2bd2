/**
 * Whether an after-sale request may be opened at all: one currency, a refund no larger than the cap, the
 * no-reason return rules.
 * Runs at the edge before the case starts (422 `not-eligible` names the rule) and again in tests.
 */
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { assessNoReasonReturn, type NoReasonFacts } from './no-reason-return';
import { mixedCurrency, refundCap } from './refund';
import type { AfterSaleRequest } from './types';

export function assessAfterSaleRequest(request: NoReasonFacts & Pick<AfterSaleRequest, 'requestedRefund'>): RuleFailure | null {
  const odd = mixedCurrency(request, request.requestedRefund);
  if (odd) return { type: RULE_FAILURES.invalidInput, detail: `every amount must be in ${request.order.paidTotal.currency}; found ${odd}` };
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
