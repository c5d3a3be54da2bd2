/**
 * The complaint view: what GET and every action answer, computed from state for one caller's role. Adds
 * `priority` to the shared case view, plus classification, solutions and department tasks. Times stay
 * epoch ms here; the API renders them in the case calendar's zone.
 */
import type { Actor, CaseLink, Deadline, Owner, TimelineEntry } from '../case';
import type { PolicyRef } from '../policy/types';
import type { CaseVisibility } from '../../case-visibility';
import { allowedComplaintActions } from './actions';
import type {
  ComplaintAction, ComplaintChannel, ComplaintOutcome, ComplaintState, ComplaintStatus, CustomerTier, DepartmentTask, Priority, Severity, Solution, Urgency,
} from './types';

export interface ComplaintView {
  id: string;
  kind: 'complaint';
  merchantId: string;
  customerRef: string;
  channel: ComplaintChannel;
  category: string;
  severity: Severity;
  urgency: Urgency;
  customerTier: CustomerTier;
  priority: Priority;
  summary: string;
  orderId?: string;
  relatedCaseId?: string;
  status: ComplaintStatus;
  outcome: ComplaintOutcome | null;
  policy: PolicyRef;
  owner: Owner | null;
  escalationLevel: number;
  allowedActions: ComplaintAction[];
  deadlines: Array<Pick<Deadline, 'name' | 'dueAt' | 'actor' | 'onTimeout' | 'state' | 'warnedAt'> & { taskId?: string }>;
  timeline: TimelineEntry[];
  links: CaseLink[];
  solutions: Array<Omit<Solution, 'order'>>;
  tasks: DepartmentTask[];
  reopenCount: number;
  receivedAt: number;
  createdAt: number;
  updatedAt: number;
  timeZone: string;
}

export function complaintView(state: ComplaintState, viewer: Actor, timeZone: string): ComplaintView {
  const { request } = state;
  return {
    id: request.caseId,
    kind: 'complaint',
    merchantId: request.merchantId,
    customerRef: request.customerRef,
    channel: request.channel,
    ...state.classification,
    priority: state.priority,
    summary: request.summary,
    ...(request.orderId ? { orderId: request.orderId } : {}),
    ...(request.relatedCaseId ? { relatedCaseId: request.relatedCaseId } : {}),
    status: state.status,
    outcome: state.outcome,
    policy: { id: request.policy.id, version: request.policy.version },
    owner: state.owner,
    escalationLevel: state.escalationLevel,
    allowedActions: allowedComplaintActions(state, viewer),
    deadlines: state.deadlines.map((d) => ({
      name: d.name, dueAt: d.dueAt, actor: d.actor, onTimeout: d.onTimeout, state: d.state,
      ...(d.warnedAt !== undefined ? { warnedAt: d.warnedAt } : {}),
      ...((d as { taskId?: string }).taskId ? { taskId: (d as { taskId?: string }).taskId } : {}),
    })),
    timeline: state.timeline,
    links: state.links,
    solutions: state.solutions.map(({ order: _order, ...rest }) => rest),
    tasks: state.tasks,
    reopenCount: state.reopenCount,
    receivedAt: request.receivedAt,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    timeZone,
  };
}

/** What supervisors filter complaints by (search attributes): never personal data. */
export function complaintVisibility(s: ComplaintState): CaseVisibility {
  return { kind: 'complaint', status: s.status, outcome: s.outcome, owner: s.owner, escalationLevel: s.escalationLevel, deadlines: s.deadlines, priority: s.priority };
}
