/**
 * The archive record (归档) an inquiry writes when it closes, as complaints do: how it was answered and
 * ended (converted to an order or not), timings, escalations, breaches and default outcomes; no personal
 * data (no customer reference, question or messages). Pure.
 */
import { archiveHeader, archiveHistory, archiveLinks, archiveTimings } from '../service-case/archive';
import type { InquiryState } from './types';

export function inquiryArchiveRecord(s: InquiryState, closedAt: number) {
  const { request } = s;
  return {
    ...archiveHeader(s, 'inquiry' as const, { channel: request.channel, topic: request.topic }),
    ...(s.orderId ? { orderId: s.orderId } : {}),
    timings: { receivedAt: request.receivedAt, firstRespondedAt: s.firstRespondedAt ?? null, closedAt, ...archiveTimings(request.receivedAt, s.firstRespondedAt, closedAt) },
    ...archiveHistory(s),
    replies: s.replies,
    customerMessages: s.customerMessages,
    links: archiveLinks(s),
  };
}
