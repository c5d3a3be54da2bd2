/**
 * After-sale (售后) case data: the request a case starts from, the state the workflow holds, and the actions
 * back offices send. Enums are the contract's (docs/http-contract.md), fixed for integrators.
 */
import type { Actor, CaseKind, CaseLink, Deadline, Money, Owner, TimelineEntry } from '../case';
import type { Policy } from '../policy/types';
import type { CaseNotice } from '../service-case/records';

export const AFTER_SALE_TYPES = ['refund_only', 'return_and_refund', 'exchange', 'repair'] as const;
export type AfterSaleType = (typeof AFTER_SALE_TYPES)[number];

export const AFTER_SALE_REASONS = ['no_reason', 'quality', 'wrong_item', 'damaged', 'not_received', 'not_as_described', 'other'] as const;
export type AfterSaleReason = (typeof AFTER_SALE_REASONS)[number];

export const RETURN_EXCLUSIONS = ['custom_made', 'perishable', 'digital', 'periodical'] as const;
export type ReturnExclusion = (typeof RETURN_EXCLUSIONS)[number];

export const AFTER_SALE_STATUSES = [
  'awaiting_merchant', 'awaiting_buyer_return', 'awaiting_merchant_receipt', 'refunding', 'refund_failed',
  'awaiting_replacement', 'in_repair', 'rejected', 'in_arbitration', 'suspended', 'closed',
] as const;
export type AfterSaleStatus = (typeof AFTER_SALE_STATUSES)[number];

export const AFTER_SALE_OUTCOMES = ['refunded', 'partially_refunded', 'exchanged', 'repaired', 'withdrawn', 'expired', 'rejected'] as const;
export type AfterSaleOutcome = (typeof AFTER_SALE_OUTCOMES)[number];

export const AFTER_SALE_ACTIONS = [
  'approve', 'reject', 'confirm-receipt', 'ship-replacement', 'complete-repair', 'execute-ruling',
  'ship-return', 'withdraw', 'escalate', 'submit-evidence', 'appeal', 'add-note',
  'request-evidence', 'rule', 'approve-refund', 'retry-refund', 'suspend', 'resume', 'extend-deadline',
] as const;
export type AfterSaleAction = (typeof AFTER_SALE_ACTIONS)[number];

export const INSPECTION_RESULTS = ['ok', 'damaged', 'wrong_item', 'not_as_described'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export const RULING_DECISIONS = ['refund_full', 'refund_partial', 'reject'] as const;
export type RulingDecision = (typeof RULING_DECISIONS)[number];

export interface OrderItem {
  sku: string;
  quantity: number;
  unitPrice: Money;
  returnExclusion?: ReturnExclusion;
}

export interface OrderFacts {
  paidTotal: Money;
  shippingFee: Money;
  /** Set once the parcel left the merchant; absent with no deliveredAt means a refund before shipment. */
  shippedAt?: number;
  deliveredAt?: number;
}

/** What a case starts from. Personal data (customerRef, description, evidence) is encrypted in history. */
export interface AfterSaleRequest {
  caseId: string;
  merchantId: string;
  orderId: string;
  customerRef: string;
  type: AfterSaleType;
  reason: AfterSaleReason;
  items: OrderItem[];
  order: OrderFacts;
  requestedAt: number;
  /** When the edge accepted the request: the case's creation instant (absent in cases opened before). */
  openedAt?: number;
  requestedRefund?: Money;
  description?: string;
  evidence?: string[];
  noReasonReturnConfirmedExclusions?: boolean;
  /** The resolved policy, by value: the case keeps it whatever is published later. */
  policy: Policy;
  createdBy: Actor;
  /** Fingerprint of the create request, so a replayed create can be told from a different one. */
  requestFingerprint: string;
  links?: CaseLink[];
  /** The case this one was started from (a complaint's solution, a lost parcel): told the outcome at close. */
  origin?: { caseId: string; kind: CaseKind };
  /** The case this one was opened about (an order issue, an inquiry); it is told and links back. */
  relatedCaseId?: string;
  /** Already approved by the origin's own process (e.g. an accepted complaint solution): no merchant wait. */
  preApproved?: boolean;
}

export type RefundStatus = 'pending' | 'awaiting_approval' | 'succeeded' | 'failed';

export interface RefundRecord {
  id: string;
  amount: Money;
  status: RefundStatus;
  /** Derived from the case id and the refund's sequence number: never from run or attempt ids. */
  idempotencyKey: string;
  /** Who decided the refund; `system` for default outcomes (no second approver needed). */
  decidedBy: { role: Actor['role']; actorRef?: string };
  approvedBy?: { actorRef?: string };
  requestedAt: number;
  executedAt?: number;
  gatewayRef?: string;
  failure?: string;
  /** What closes the case when this refund succeeds. */
  closesAs: AfterSaleOutcome;
}

export interface Ruling {
  decision: RulingDecision;
  amount?: Money;
  at: number;
  actorRef?: string;
  executed: boolean;
}

export interface AfterSaleState {
  request: AfterSaleRequest;
  status: AfterSaleStatus;
  outcome: AfterSaleOutcome | null;
  owner: Owner | null;
  escalationLevel: 1 | 2 | 3 | 4;
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  refunds: RefundRecord[];
  /** The most a refund may be for this case: items plus freight where owed, capped at what was paid. */
  refundCap: Money;
  /** Refund owed when the request is granted (requestedRefund or the cap). */
  grantedRefund: Money;
  ruling: Ruling | null;
  appealed: boolean;
  returnShipment?: { trackingNumber: string; carrier?: string; shippedAt: number };
  inspection?: { result: InspectionResult; receivedAt: number; note?: string };
  suspension: { reason: string; since: number; resumesAt: number } | null;
  /** When the case last closed (the kernel's close stamps it; an appeal reopens the case without clearing it). */
  closedAt?: number;
  /** The status a suspended case returns to. */
  suspendedFrom?: AfterSaleStatus;
  links: CaseLink[];
  /** Warnings and escalations for the owner, sent once by the workflow; only in cases under `ownerNotices`. */
  notices?: CaseNotice[];
  createdAt: number;
  updatedAt: number;
  /** Bumped on every change; the workflow wakes its loop on it. */
  revision: number;
  /**
   * Rules this case runs under that cases started before them do not (each behind `patched()` in the
   * workflow, so a replayed history computes the state it recorded). Absent in those older cases.
   */
  rules?: AfterSaleRules;
}

export interface AfterSaleRules {
  /** The authority limit is compared with the refund's currency (a limit in another currency never covers it). */
  authorityCurrency?: true;
  /** Closing writes a `case.archived` record (docs/domain-rules.md "Records and archive"), as complaints do. */
  archiveAtClose?: true;
  /**
   * As every other kind: the owner is told of each warning and escalation (notices), and `case.escalated`
   * says `{from, to, reason}` (besides the deadline and the level it always carried); a breach at the top
   * level escalates nothing and tells the owner instead.
   */
  ownerNotices?: true;
}

/** Every rule on: what a case started by the current code runs under. */
export const CURRENT_AFTER_SALE_RULES: Readonly<AfterSaleRules> = { authorityCurrency: true, archiveAtClose: true, ownerNotices: true };

/** One request to act on a case, as the API sends it in an Update. */
export interface AfterSaleActionRequest {
  action: AfterSaleAction;
  actor: Actor;
  /** Action body fields (validated at the edge with zod; re-checked here for state consistency). */
  input: AfterSaleActionInput;
  /** Fingerprint of the HTTP request; returned so a replay with another body can be answered 422. */
  fingerprint: string;
}

export interface AfterSaleActionInput {
  note?: string;
  reason?: string;
  trackingNumber?: string;
  carrier?: string;
  shippedAt?: number;
  receivedAt?: number;
  inspection?: InspectionResult;
  decision?: RulingDecision;
  amount?: Money;
  from?: 'buyer' | 'merchant';
  evidence?: string[];
  /** extend-deadline: which deadline, by how much (the audited reason goes in `reason`). */
  deadline?: string;
  by?: { amount: number; unit: 'seconds' | 'minutes' | 'hours' | 'calendar_days' | 'working_hours' | 'working_days'; calendar?: string };
}
