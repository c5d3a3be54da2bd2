/**
 * Complaint (投诉处理) case data: the request a complaint starts from, the state the workflow holds, the
 * solutions, department tasks and notifications it tracks, and the actions back offices send. Enums are
 * the contract's (docs/http-contract.md), fixed for integrators.
 */
import type { Actor, CaseKind, CaseLink, Deadline, Money, Owner, TimelineEntry } from '../case';
import type { OrderItem } from '../after-sale/types';
import type { Policy } from '../policy/types';
import type { Priority } from '../policy/sections/complaint';

export type { Priority };

export const COMPLAINT_CHANNELS = ['chat', 'phone', 'email', 'social', 'other'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const URGENCIES = ['low', 'normal', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CUSTOMER_TIERS = ['new', 'regular', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export const COMPLAINT_STATUSES = ['new', 'in_progress', 'solution_proposed', 'implementing', 'resolved', 'awaiting_feedback', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** `resolved`: closed after the customer confirmed (or stayed silent); `unresolved`: closed by a supervisor without. */
export const COMPLAINT_OUTCOMES = ['resolved', 'unresolved'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

export const COMPLAINT_ACTIONS = [
  'acknowledge', 'assign', 'classify', 'add-note', 'propose-solution', 'resolve', 'create-task', 'complete-task',
  'approve-solution', 'close', 'accept-solution', 'reject-solution', 'reopen', 'escalate',
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

export const SOLUTION_KINDS = ['refund', 'compensation', 'replacement', 'repair', 'apology', 'other'] as const;
export type SolutionKind = (typeof SOLUTION_KINDS)[number];

export const DEPARTMENTS = ['warehouse', 'logistics', 'product', 'finance'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** What a refund, replacement or repair needs to become an after-sale case: the order's goods and amounts. */
export interface OrderBasis {
  items: OrderItem[];
  paidTotal: Money;
  shippingFee: Money;
}

export interface Classification {
  category: string;
  severity: Severity;
  urgency: Urgency;
  customerTier: CustomerTier;
}

/** What a complaint starts from. Personal data (customerRef, summary) is encrypted in history. */
export interface ComplaintRequest extends Classification {
  caseId: string;
  merchantId: string;
  customerRef: string;
  channel: ComplaintChannel;
  summary: string;
  orderId?: string;
  order?: OrderBasis;
  relatedCaseId?: string;
  /** When the customer complained: the targets count from here (may lie in the past). */
  receivedAt: number;
  openedAt?: number;
  policy: Policy;
  createdBy: Actor;
  requestFingerprint: string;
  links?: CaseLink[];
  /** Service recovery after a low survey score: the complaint starts at L2 at least. */
  recoveryOf?: { caseId: string; kind: CaseKind; score: number };
}

export type SolutionState = 'awaiting_approval' | 'proposed' | 'accepted' | 'rejected' | 'withdrawn';

export interface Solution {
  number: number;
  kind: SolutionKind;
  amount?: Money;
  description?: string;
  order?: OrderBasis;
  orderId?: string;
  state: SolutionState;
  proposedBy: { role: Actor['role']; actorRef?: string };
  approvedBy?: { actorRef?: string };
  proposedAt: number;
  decidedAt?: number;
  /** The after-sale case that implements an accepted refund, replacement or repair. */
  linkedCase?: { id: string; started: boolean; closed?: { status: string; outcome: string | null; refunded?: Money } };
}

export interface DepartmentTask {
  id: string;
  department: Department;
  description: string;
  state: 'open' | 'done' | 'cancelled';
  createdAt: number;
  completedAt?: number;
  result?: string;
}

/** A message to a person, a tier queue or the customer; sent once by the workflow under `id`. */
export interface ComplaintNotice {
  id: string;
  type: 'sla.warning' | 'sla.breached' | 'case.escalated' | 'case.assigned';
  to: Owner;
  data: Record<string, unknown>;
  sent: boolean;
}

export interface ComplaintState {
  request: ComplaintRequest;
  classification: Classification;
  priority: Priority;
  status: ComplaintStatus;
  outcome: ComplaintOutcome | null;
  owner: Owner | null;
  escalationLevel: 1 | 2 | 3 | 4;
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  solutions: Solution[];
  /** Rejected solutions since the last escalation. */
  rejectionsInARow: number;
  tasks: DepartmentTask[];
  notices: ComplaintNotice[];
  /** Linked cases whose `linkedCaseClosed` already arrived (signals may repeat). */
  linkedClosedSeen: string[];
  links: CaseLink[];
  reopenCount: number;
  /**
   * Rules of 2026-11-22 (found by property tests): acknowledging a reopened case never moves it back to
   * in_progress, and closing withdraws proposals still out. Cases started before keep the earlier rules,
   * so a replayed history computes the state it recorded (`patched('complaint-reopen-rules')`).
   */
  reopenRules?: boolean;
  /**
   * Authority limits are compared with the amount's currency (a limit in CNY never covers an amount in EUR).
   * Cases started before compared the numbers alone and keep doing so (`patched('authority-limit-currency')`).
   */
  authorityCurrency?: boolean;
  firstRespondedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface ComplaintActionInput {
  note?: string;
  reason?: string;
  assignee?: string;
  category?: string;
  severity?: Severity;
  urgency?: Urgency;
  customerTier?: CustomerTier;
  solution?: { kind: SolutionKind; amount?: Money; description?: string; orderId?: string; order?: OrderBasis };
  department?: Department;
  description?: string;
  taskId?: string;
  result?: string;
}

export interface ComplaintActionRequest {
  action: ComplaintAction;
  actor: Actor;
  input: ComplaintActionInput;
  fingerprint: string;
}
