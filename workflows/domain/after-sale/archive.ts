/**
 * The archive record (归档) an after-sale case writes when it closes, as complaints do: what was asked, how
 * it ended, the money moved, the timings, escalations, breaches and default outcomes — what a report or an
 * audit needs, no personal data (no customer reference, description, evidence or notes). Pure.
 */
import { archiveHeader, archiveHistory, archiveLinks, archiveTimings } from '../service-case/archive';
import type { AfterSaleState } from './types';

export function afterSaleArchiveRecord(s: AfterSaleState, closedAt: number) {
  const { request } = s;
  return {
    ...archiveHeader(s, 'after_sale' as const, { orderId: request.orderId, type: request.type, reason: request.reason }),
    timings: { requestedAt: request.requestedAt, closedAt, resolutionSeconds: archiveTimings(request.requestedAt, undefined, closedAt).resolutionSeconds },
    ...archiveHistory(s),
    refundCap: s.refundCap,
    refunds: s.refunds.map((r) => ({ amount: r.amount, status: r.status, decidedBy: r.decidedBy.role, ...(r.executedAt !== undefined ? { executedAt: r.executedAt } : {}) })),
    ...(s.inspection ? { inspection: s.inspection.result } : {}),
    ruling: s.ruling ? { decision: s.ruling.decision, ...(s.ruling.amount ? { amount: s.ruling.amount } : {}), executed: s.ruling.executed } : null,
    appealed: s.appealed,
    links: archiveLinks(s),
  };
}
