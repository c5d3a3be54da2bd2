/**
 * Who must act on each order-issue deadline and what silence does, by the situation it is opened in: the
 * table the order-issue flows open their deadlines from, and, per type, the situation each deadline first
 * opens in, which the policy preview reads. Pure.
 */
import type { ActorRole, OnTimeout, Owner } from '../case';
import type { OrderIssueDeadlineName } from '../policy/sections/order-issue';
import type { OrderIssueType, Remedy } from './types';

export interface OrderIssueClock {
  name: OrderIssueDeadlineName;
  actor: (owner: Owner | null) => ActorRole;
  /** The default outcome, given the remedy silence takes (customerChoice). */
  onTimeout: (byDefault?: Remedy) => OnTimeout;
}

export const ORDER_ISSUE_CLOCKS = {
  /** The parcel shows no movement: the system traces it again (or asks the carrier) when the wait is over. */
  parcelWait: { name: 'trackingWait', actor: () => 'system', onTimeout: () => 'escalate' },
  /** A reship the merchant owes: nothing shipped in time means a refund instead. */
  reshipWait: { name: 'trackingWait', actor: () => 'merchant', onTimeout: () => 'fallback_refund' },
  /** Stock the merchant expects: not restocked in time, the customer chooses again. */
  restockWait: { name: 'trackingWait', actor: () => 'merchant', onTimeout: () => 'escalate' },
  /** A carrier inquiry the owner's tier chases; unanswered, the case moves up a tier. */
  carrier: { name: 'carrierResponse', actor: (owner) => owner?.role ?? 'agent', onTimeout: () => 'escalate' },
  /** The customer chooses (尊重客户选择); silence takes the default: a refund or cancellation refunds, else it closes. */
  customerChoice: {
    name: 'customerChoice', actor: () => 'channel',
    onTimeout: (byDefault) => (byDefault === 'refund' || byDefault === 'cancel' ? 'auto_refund' : 'auto_close'),
  },
} as const satisfies Record<string, OrderIssueClock>;
export type OrderIssueClockName = keyof typeof ORDER_ISSUE_CLOCKS;

/** Per type, the situation each deadline first opens in (and the remedy silence takes when the customer chooses). */
export const ORDER_ISSUE_TYPE_CLOCKS: Record<OrderIssueType, Partial<Record<OrderIssueDeadlineName, { clock: OrderIssueClockName; byDefault?: Remedy }>>> = {
  parcel_missing: { trackingWait: { clock: 'parcelWait' }, carrierResponse: { clock: 'carrier' }, customerChoice: { clock: 'customerChoice', byDefault: 'refund' } },
  delivery_delay: { trackingWait: { clock: 'parcelWait' }, carrierResponse: { clock: 'carrier' }, customerChoice: { clock: 'customerChoice', byDefault: 'cancel' } },
  // Silence on a new address changes nothing: the request expires.
  address_change: { customerChoice: { clock: 'customerChoice' } },
  stock_shortage: { trackingWait: { clock: 'restockWait' }, customerChoice: { clock: 'customerChoice', byDefault: 'cancel' } },
  payment_exception: { customerChoice: { clock: 'customerChoice', byDefault: 'cancel' } },
  damaged_in_transit: { trackingWait: { clock: 'reshipWait' }, carrierResponse: { clock: 'carrier' }, customerChoice: { clock: 'customerChoice', byDefault: 'refund' } },
};
