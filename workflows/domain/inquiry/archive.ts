/**
 * The archive record (归档) an inquiry writes when it closes, as complaints do: how it was answered and
 * ended (converted to an order or not), timings, escalations, breaches and default outcomes; no personal
 * data (no customer reference, question or messages). Pure.
 */
import { archiveHistory, archiveTimings } from '../service-case/archive';
import type { InquiryState } from './types';

export function inquiryArchiveRecord(s: InquiryState, closedAt: number) {
  const { request } = s;
  return {
    caseId: request.caseId,
    kind: 'inquiry' as const,
    merchantId: request.merchantId,
    channel: request.channel,
    topic: request.topic,
    policy: { id: request.policy.id, version: request.policy.version },
    outcome: s.outcome,
    ...(s.orderId ? { orderId: s.orderId } : {}),
    timings: { receivedAt: request.receivedAt, firstRespondedAt: s.firstRespondedAt ?? null, closedAt, ...archiveTimings(request.receivedAt, s.firstRespondedAt, closedAt) },
    escalationLevel: s.escalationLevel,
    ...archiveHistory(s),
    replies: s.replies,
    customerMessages: s.customerMessages,
    links: s.links.map((l) => ({ id: l.id, kind: l.kind, relation: l.relation })),
  };
}
