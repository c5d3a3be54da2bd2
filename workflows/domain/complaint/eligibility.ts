/**
 * Whether a complaint may be opened as asked: the order it names, if any, is priced in one currency
 * (../order-money). Runs at the edge before the case starts (400 before roles are judged). Pure.
 */
import type { RuleFailure } from '../failures';
import { inPaidCurrency, orderAmounts } from '../order-money';
import type { ComplaintRequest } from './types';

export function checkComplaintRequest(request: Pick<ComplaintRequest, 'order'>): RuleFailure | null {
  return request.order ? inPaidCurrency(request.order.paidTotal, orderAmounts(request.order)) : null;
}
