/**
 * Whether an order issue may be opened as asked (docs/domain-rules.md): what each type needs, one currency,
 * and a refund of a wrong charge no larger than what was paid (../order-money, as the machine's
 * `compensate`). `check…` needs no policy (400 before roles are judged); `assess…` refuses with 422
 * `not-eligible` naming the rule. Pure.
 */
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { inPaidCurrency, orderAmounts, refundAbovePaid } from '../order-money';
import type { OrderIssueRequest } from './types';

type Asked = Pick<OrderIssueRequest, 'type' | 'trackingNumber' | 'order' | 'chargedAmount'>;

export function checkOrderIssueRequest(request: Asked): RuleFailure | null {
  const { type, order, chargedAmount } = request;
  if ((type === 'parcel_missing' || type === 'delivery_delay') && !request.trackingNumber) {
    return { type: RULE_FAILURES.invalidInput, detail: `a ${type} case needs the parcel's trackingNumber` };
  }
  if (type !== 'address_change' && !order) {
    return { type: RULE_FAILURES.invalidInput, detail: `a ${type} case needs order (items, paidTotal, shippingFee) for a refund compensation` };
  }
  return order ? inPaidCurrency(order.paidTotal, orderAmounts(order, ...(chargedAmount ? [chargedAmount] : []))) : null;
}

export function assessOrderIssueRequest(request: Asked): RuleFailure | null {
  return request.chargedAmount && request.order ? refundAbovePaid(request.chargedAmount, request.order.paidTotal) : null;
}
