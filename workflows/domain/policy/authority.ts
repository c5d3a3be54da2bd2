/**
 * Authority limits compare money with its currency (四眼原则): an amount is within a limit only in the
 * limit's own currency and not above it. A limit in CNY says nothing about a refund in EUR, so such an
 * amount is never within it (a second person approves). Pure.
 */
import type { Money } from '../case';

export function withinAuthority(amount: Money, limit: Money): boolean {
  return amount.currency === limit.currency && amount.amount <= limit.amount;
}
