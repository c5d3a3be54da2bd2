/**
 * Opening an inquiry (owner at L1, links, the response target counted from when the customer asked) and
 * when its workflow may finish. Pure.
 */
import { relatedLinkOf } from '../case-links';
import { ownerAt, record, unsentNotices } from '../service-case/core';
import { openResponseTarget } from './moves';
import type { InquiryRequest, InquiryState } from './types';

/** Opens an inquiry; `archiveAtClose` is what the workflow's patch allows (on for a case started now). */
export function openInquiry(request: InquiryRequest, now: number, archiveAtClose = true): InquiryState {
  const related = relatedLinkOf(request.relatedCaseId);
  const s: InquiryState = {
    caseId: request.caseId, request, status: 'awaiting_reply', outcome: null, owner: ownerAt(1), escalationLevel: 1,
    deadlines: [], timeline: [], notices: [], links: related ? [related] : [],
    followUpsSent: 0, replies: 0, customerMessages: 1, createdAt: now, updatedAt: now, revision: 0,
    ...(archiveAtClose ? { archiveAtClose: true as const } : {}),
  };
  record(s, now, 'case.created', request.createdBy.role, {
    channel: request.channel, topic: request.topic, policy: { id: request.policy.id, version: request.policy.version },
  }, request.createdBy.actorRef);
  openResponseTarget(s, request.receivedAt);
  return s;
}

/** The workflow may finish once closed with every notice sent. */
export function isInquiryFinished(s: InquiryState): boolean {
  return s.status === 'closed' && unsentNotices(s).length === 0;
}
