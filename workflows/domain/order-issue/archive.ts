/**
 * The archive record (归档) an order issue writes when it closes, as complaints do: the type, what the
 * order and logistics systems and the carrier said, the remedy and compensations, timings, escalations,
 * breaches and default outcomes; no personal data (no customer reference, address or description). Pure.
 */
import { archiveHeader, archiveHistory, archiveLinks, archiveTimings } from '../service-case/archive';
import type { OrderIssueState } from './types';

export function orderIssueArchiveRecord(s: OrderIssueState, closedAt: number) {
  const { request } = s;
  return {
    ...archiveHeader(s, 'order_issue' as const, { orderId: request.orderId, type: request.type }),
    timings: { reportedAt: request.reportedAt, closedAt, resolutionSeconds: archiveTimings(request.reportedAt, undefined, closedAt).resolutionSeconds },
    ...archiveHistory(s),
    ...(s.parcel ? { parcel: s.parcel.status } : {}),
    carrierInquiries: s.carrierInquiries.map((c) => ({ kind: c.kind, ...(c.result ? { result: c.result } : {}) })),
    ...(s.chosen ? { remedy: s.chosen } : {}),
    ...(s.refusal ? { refusal: s.refusal } : {}),
    compensations: s.compensations.map((c) => ({
      number: c.number, remedy: c.remedy, ...(c.amount ? { amount: c.amount } : {}), decidedBy: c.decidedBy,
      ...(c.remedy === 'refund' ? { linkedCaseId: c.linkedCase.id, linkedOutcome: c.linkedCase.closed?.outcome ?? null } : {}),
    })),
    links: archiveLinks(s),
  };
}
