/**
 * In-sale order issue (售中/异常订单) case data: the six types of docs/http-contract.md, the state the workflow holds, the
 * work it asks of the logistics and order systems, and the compensation it runs as a linked after-sale.
 * Statuses and outcomes are the product's (docs/http-contract.md).
 */
import type { Actor, CaseLink, Money } from '../case';
import type { OrderItem } from '../after-sale/types';
import type { Policy } from '../policy/types';
import type { CaseCore } from '../service-case/core';

export const ORDER_ISSUE_TYPES = ['parcel_missing', 'delivery_delay', 'address_change', 'stock_shortage', 'payment_exception', 'damaged_in_transit'] as const;
export type OrderIssueType = (typeof ORDER_ISSUE_TYPES)[number];

export const ORDER_ISSUE_STATUSES = [
  'tracing', 'awaiting_parcel', 'awaiting_carrier', 'awaiting_address', 'awaiting_customer_choice', 'awaiting_restock', 'checking_order', 'compensating', 'closed',
] as const;
export type OrderIssueStatus = (typeof ORDER_ISSUE_STATUSES)[number];

export const ORDER_ISSUE_OUTCOMES = [
  'delivered', 'compensated', 'address_changed', 'not_possible', 'expired', 'shipped', 'substituted', 'cancelled', 'payment_confirmed', 'resolved',
] as const;
export type OrderIssueOutcome = (typeof ORDER_ISSUE_OUTCOMES)[number];

export const ORDER_ISSUE_ACTIONS = [
  'update-tracking', 'contact-carrier', 'confirm-address', 'choose-remedy', 'compensate', 'resolve', 'add-note', 'escalate',
] as const;
export type OrderIssueAction = (typeof ORDER_ISSUE_ACTIONS)[number];

/** Remedies a customer may choose (尊重客户选择): per type, see `remediesFor`. */
export const REMEDIES = ['wait', 'substitute', 'cancel', 'refund', 'reship', 'retry_payment'] as const;
export type Remedy = (typeof REMEDIES)[number];

export const PARCEL_EVENTS = ['picked_up', 'in_transit', 'delivered', 'lost', 'returned_to_sender'] as const;
export type ParcelEvent = (typeof PARCEL_EVENTS)[number];
/** What tracking can say: a carrier event, or nothing at all yet. */
export type ParcelStatus = ParcelEvent | 'no_trace';

export const CARRIER_RESULTS = ['in_transit', 'delivered', 'lost', 'claim_accepted', 'claim_rejected'] as const;
export type CarrierResult = (typeof CARRIER_RESULTS)[number];

export type PaymentStatus = 'paid' | 'unpaid' | 'pending' | 'duplicate_charge';

/** A shipping address: personal data, encrypted in history, never in ids, attributes or logs. */
export interface ShippingAddress {
  recipient: string;
  phone: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
}

export interface OrderBasis {
  items: OrderItem[];
  paidTotal: Money;
  shippingFee: Money;
}

export interface OrderIssueRequest {
  caseId: string;
  merchantId: string;
  orderId: string;
  customerRef: string;
  type: OrderIssueType;
  trackingNumber?: string;
  carrier?: string;
  order?: OrderBasis;
  newAddress?: ShippingAddress;
  /** payment_exception: the amount charged twice or in error. */
  chargedAmount?: Money;
  description?: string;
  relatedCaseId?: string;
  /** When the customer reported it (may lie in the past). */
  reportedAt: number;
  openedAt?: number;
  policy: Policy;
  createdBy: Actor;
  requestFingerprint: string;
}

/** Work the case asks of other systems; the workflow runs each once and reports the answer back. */
export interface PendingWork {
  track?: { trackingNumber: string };
  orderCheck?: { orderId: string };
  carrierInquiry?: { id: string; kind: 'trace' | 'expedite' | 'claim'; trackingNumber?: string };
  addressChange?: { id: string; address: ShippingAddress };
}

export interface Compensation {
  number: number;
  remedy: 'refund' | 'reship';
  amount?: Money;
  decidedBy: Actor['role'];
  linkedCase: { id: string; started: boolean; closed?: { status: string; outcome: string | null; refunded?: Money } };
}

export interface OrderIssueState extends CaseCore {
  request: OrderIssueRequest;
  status: OrderIssueStatus;
  outcome: OrderIssueOutcome | null;
  pending: PendingWork;
  trackingNumber?: string;
  parcel?: { status: ParcelStatus; at: number };
  carrierInquiries: Array<{ id: string; kind: string; reference?: string; result?: CarrierResult }>;
  /** Remedies the customer may choose now (awaiting_customer_choice), and the default at silence. */
  offered?: { remedies: Remedy[]; byDefault: Remedy };
  chosen?: Remedy;
  addressConfirmed?: boolean;
  /** Why the case could not do what was asked (e.g. `already_shipped`). */
  refusal?: string;
  compensations: Compensation[];
  /** A damaged parcel's claim with the carrier must be settled (answered or timed out) before closing. */
  claimOpen?: boolean;
  /** Logistics callbacks already applied (their identity), so a repeat changes nothing. */
  seenLogisticsEvents: string[];
  linkedClosedSeen: string[];
  links: CaseLink[];
  /**
   * Closing writes a `case.archived` record (docs/domain-rules.md "Records and archive"). Absent in cases
   * started before the rule: they keep closing as they recorded (`patched('archive-at-close')`).
   */
  archiveAtClose?: true;
}

export interface OrderIssueActionInput {
  trackingNumber?: string;
  carrier?: string;
  result?: CarrierResult;
  address?: ShippingAddress;
  remedy?: Remedy;
  substituteSku?: string;
  amount?: Money;
  resolution?: string;
  note?: string;
  reason?: string;
}

export interface OrderIssueActionRequest {
  action: OrderIssueAction;
  actor: Actor;
  input: OrderIssueActionInput;
  fingerprint: string;
}

/** A logistics callback as the workflow receives it; `id` is its identity (deduplication). */
export interface LogisticsEvent {
  id: string;
  trackingNumber: string;
  event: ParcelEvent;
  at: number;
}
