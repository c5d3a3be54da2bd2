/**
 * The after-sale case view: what GET and every action answer, computed from state for one caller's role.
 * Times stay epoch ms here; the API renders them as ISO-8601 in the case calendar's zone.
 */
import type { Actor, CaseLink, Deadline, Money, Owner, TimelineEntry } from '../case';
import type { PolicyRef } from '../policy/types';
import type { CaseVisibility } from '../../case-visibility';
import type {
  AfterSaleAction, AfterSaleOutcome, AfterSaleReason, AfterSaleState, AfterSaleStatus, AfterSaleType, OrderItem, RefundStatus,
} from './types';
import { allowedAfterSaleActions } from './actions';

export interface AfterSaleView {
  id: string;
  kind: 'after_sale';
  merchantId: string;
  orderId: string;
  customerRef: string;
  type: AfterSaleType;
  reason: AfterSaleReason;
  status: AfterSaleStatus;
  outcome: AfterSaleOutcome | null;
  policy: PolicyRef;
  owner: Owner | null;
  escalationLevel: number;
  allowedActions: AfterSaleAction[];
  deadlines: Array<Pick<Deadline, 'name' | 'dueAt' | 'actor' | 'onTimeout' | 'state' | 'warnedAt' | 'pausedAt' | 'stoppedMs'>>;
  timeline: TimelineEntry[];
  links: CaseLink[];
  items: OrderItem[];
  refundCap: Money;
  requestedRefund: Money;
  refunds: Array<{ amount: Money; status: RefundStatus; idempotencyKey: string; executedAt?: number }>;
  suspension: { reason: string; since: number; resumesAt: number } | null;
  description?: string;
  evidence?: string[];
  createdAt: number;
  updatedAt: number;
  /** The calendar zone times are rendered in. */
  timeZone: string;
}

export function afterSaleView(state: AfterSaleState, viewer: Actor, now: number, timeZone: string): AfterSaleView {
  const { request } = state;
  return {
    id: request.caseId,
    kind: 'after_sale',
    merchantId: request.merchantId,
    orderId: request.orderId,
    customerRef: request.customerRef,
    type: request.type,
    reason: request.reason,
    status: state.status,
    outcome: state.outcome,
    policy: { id: request.policy.id, version: request.policy.version },
    owner: state.owner,
    escalationLevel: state.escalationLevel,
    allowedActions: allowedAfterSaleActions(state, viewer, now),
    deadlines: state.deadlines.map(({ name, dueAt, actor, onTimeout, state: s, warnedAt, pausedAt, stoppedMs }) => ({
      name, dueAt, actor, onTimeout, state: s,
      ...(warnedAt !== undefined ? { warnedAt } : {}),
      ...(pausedAt !== undefined ? { pausedAt } : {}),
      ...(stoppedMs !== undefined ? { stoppedMs } : {}),
    })),
    timeline: state.timeline,
    links: state.links,
    items: request.items,
    refundCap: state.refundCap,
    requestedRefund: state.grantedRefund,
    refunds: state.refunds.map(({ amount, status, idempotencyKey, executedAt }) => ({
      amount, status, idempotencyKey, ...(executedAt !== undefined ? { executedAt } : {}),
    })),
    suspension: state.suspension,
    ...(request.description !== undefined ? { description: request.description } : {}),
    ...(request.evidence !== undefined ? { evidence: request.evidence } : {}),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    timeZone,
  };
}

/** What supervisors filter after-sales by (search attributes); derived from state, never personal data. */
export function afterSaleVisibility(s: AfterSaleState): CaseVisibility {
  return { kind: 'after_sale', status: s.status, outcome: s.outcome, owner: s.owner, escalationLevel: s.escalationLevel, deadlines: s.deadlines };
}
