/**
 * The inquiry view: what GET and every action answer, for one caller's role. Times stay epoch ms here; the
 * API renders them in the case calendar's zone.
 */
import type { Actor, CaseLink, Deadline, Owner, TimelineEntry } from '../case';
import type { PolicyRef } from '../policy/types';
import type { CaseVisibility } from '../../case-visibility';
import { allowedInquiryActions } from './actions';
import type { InquiryAction, InquiryChannel, InquiryOutcome, InquiryState, InquiryStatus } from './types';

export interface InquiryView {
  id: string;
  kind: 'inquiry';
  merchantId: string;
  customerRef: string;
  channel: InquiryChannel;
  topic: string;
  question?: string;
  productSkus?: string[];
  orderId?: string;
  relatedCaseId?: string;
  status: InquiryStatus;
  outcome: InquiryOutcome | null;
  policy: PolicyRef;
  owner: Owner | null;
  escalationLevel: number;
  allowedActions: InquiryAction[];
  deadlines: Array<Pick<Deadline, 'name' | 'dueAt' | 'actor' | 'onTimeout' | 'state' | 'warnedAt'>>;
  timeline: TimelineEntry[];
  links: CaseLink[];
  replies: number;
  customerMessages: number;
  followUpsSent: number;
  receivedAt: number;
  firstRespondedAt?: number;
  createdAt: number;
  updatedAt: number;
  timeZone: string;
}

export function inquiryView(s: InquiryState, viewer: Actor, timeZone: string): InquiryView {
  const { request } = s;
  return {
    id: request.caseId, kind: 'inquiry', merchantId: request.merchantId, customerRef: request.customerRef, channel: request.channel, topic: request.topic,
    ...(request.question !== undefined ? { question: request.question } : {}),
    ...(request.productSkus ? { productSkus: request.productSkus } : {}),
    ...(s.orderId ? { orderId: s.orderId } : {}),
    ...(request.relatedCaseId ? { relatedCaseId: request.relatedCaseId } : {}),
    status: s.status, outcome: s.outcome, policy: { id: request.policy.id, version: request.policy.version }, owner: s.owner,
    escalationLevel: s.escalationLevel, allowedActions: allowedInquiryActions(s, viewer),
    deadlines: s.deadlines.map((d) => ({
      name: d.name, dueAt: d.dueAt, actor: d.actor, onTimeout: d.onTimeout, state: d.state, ...(d.warnedAt !== undefined ? { warnedAt: d.warnedAt } : {}),
    })),
    timeline: s.timeline, links: s.links, replies: s.replies, customerMessages: s.customerMessages, followUpsSent: s.followUpsSent,
    receivedAt: request.receivedAt, ...(s.firstRespondedAt !== undefined ? { firstRespondedAt: s.firstRespondedAt } : {}),
    createdAt: s.createdAt, updatedAt: s.updatedAt, timeZone,
  };
}

/** What supervisors filter inquiries by: never personal data. The order id appears once converted. */
export function inquiryVisibility(s: InquiryState): CaseVisibility {
  return { kind: 'inquiry', status: s.status, outcome: s.outcome, owner: s.owner, escalationLevel: s.escalationLevel, deadlines: s.deadlines, ...(s.orderId ? { orderId: s.orderId } : {}) };
}
