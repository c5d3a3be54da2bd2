/**
 * The order-issue view: what GET and every action answer, for one caller's role. The new address is shown
 * to those who may see the case (it is the customer's own request); it never reaches search attributes.
 */
import type { Actor, CaseLink, Deadline, Money, Owner, TimelineEntry } from '../case';
import type { PolicyRef } from '../policy/types';
import type { CaseVisibility } from '../../case-visibility';
import { allowedOrderIssueActions } from './actions';
import type {
  OrderIssueAction, OrderIssueOutcome, OrderIssueState, OrderIssueStatus, OrderIssueType, ParcelStatus, Remedy, ShippingAddress,
} from './types';

export interface OrderIssueView {
  id: string;
  kind: 'order_issue';
  merchantId: string;
  orderId: string;
  customerRef: string;
  type: OrderIssueType;
  trackingNumber?: string;
  parcel?: { status: ParcelStatus; at: number };
  newAddress?: ShippingAddress;
  description?: string;
  relatedCaseId?: string;
  status: OrderIssueStatus;
  outcome: OrderIssueOutcome | null;
  refusal?: string;
  offered?: { remedies: Remedy[]; byDefault: Remedy };
  chosen?: Remedy;
  compensations: Array<{ number: number; remedy: 'refund' | 'reship'; amount?: Money; caseId?: string; done: boolean }>;
  carrierInquiries: Array<{ kind: string; reference?: string; result?: string }>;
  policy: PolicyRef;
  owner: Owner | null;
  escalationLevel: number;
  allowedActions: OrderIssueAction[];
  deadlines: Array<Pick<Deadline, 'name' | 'dueAt' | 'actor' | 'onTimeout' | 'state' | 'warnedAt'>>;
  timeline: TimelineEntry[];
  links: CaseLink[];
  reportedAt: number;
  createdAt: number;
  updatedAt: number;
  timeZone: string;
}

export function orderIssueView(s: OrderIssueState, viewer: Actor, timeZone: string): OrderIssueView {
  const { request } = s;
  return {
    id: request.caseId, kind: 'order_issue', merchantId: request.merchantId, orderId: request.orderId, customerRef: request.customerRef, type: request.type,
    ...(s.trackingNumber ? { trackingNumber: s.trackingNumber } : {}),
    ...(s.parcel ? { parcel: s.parcel } : {}),
    ...(request.newAddress ? { newAddress: request.newAddress } : {}),
    ...(request.description ? { description: request.description } : {}),
    ...(request.relatedCaseId ? { relatedCaseId: request.relatedCaseId } : {}),
    status: s.status, outcome: s.outcome,
    ...(s.refusal ? { refusal: s.refusal } : {}),
    ...(s.offered ? { offered: s.offered } : {}),
    ...(s.chosen ? { chosen: s.chosen } : {}),
    compensations: s.compensations.map((c) => ({
      number: c.number, remedy: c.remedy, ...(c.amount ? { amount: c.amount } : {}), ...(c.remedy === 'refund' ? { caseId: c.linkedCase.id } : {}), done: !!c.linkedCase.closed,
    })),
    carrierInquiries: s.carrierInquiries.map((c) => ({ kind: c.kind, ...(c.reference ? { reference: c.reference } : {}), ...(c.result ? { result: c.result } : {}) })),
    policy: { id: request.policy.id, version: request.policy.version }, owner: s.owner, escalationLevel: s.escalationLevel,
    allowedActions: allowedOrderIssueActions(s, viewer),
    deadlines: s.deadlines.map((d) => ({
      name: d.name, dueAt: d.dueAt, actor: d.actor, onTimeout: d.onTimeout, state: d.state, ...(d.warnedAt !== undefined ? { warnedAt: d.warnedAt } : {}),
    })),
    timeline: s.timeline, links: s.links, reportedAt: request.reportedAt, createdAt: s.createdAt, updatedAt: s.updatedAt, timeZone,
  };
}

/** What supervisors filter order issues by: status, owner, deadlines, the order id; never personal data. */
export function orderIssueVisibility(s: OrderIssueState): CaseVisibility {
  return { kind: 'order_issue', status: s.status, outcome: s.outcome, owner: s.owner, escalationLevel: s.escalationLevel, deadlines: s.deadlines };
}
