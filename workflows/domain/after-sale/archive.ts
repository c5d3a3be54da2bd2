/**
 * The archive record (归档) an after-sale case writes when it closes, as complaints do: what was asked, how
 * it ended, the money moved, the timings, escalations, breaches and default outcomes — what a report or an
 * audit needs, no personal data (no customer reference, description, evidence or notes). Pure.
 */
import { archiveHistory, archiveTimings } from '../service-case/archive';
import type { AfterSaleState } from './types';

export function afterSaleArchiveRecord(s: AfterSaleState, closedAt: number) {
  const { request } = s;
  return {
    caseId: request.caseId,
    kind: 'after_sale' as const,
    merchantId: request.merchantId,
    orderId: request.orderId,
    type: request.type,
    reason: request.reason,
    policy: { id: request.policy.id, version: request.policy.version },
    outcome: s.outcome,
    timings: { requestedAt: request.requestedAt, closedAt, resolutionSeconds: archiveTimings(request.requestedAt, undefined, closedAt).resolutionSeconds },
    escalationLevel: s.escalationLevel,
    ...archiveHistory(s),
    refundCap: s.refundCap,
    refunds: s.refunds.map((r) => ({ amount: r.amount, status: r.status, decidedBy: r.decidedBy.role, ...(r.executedAt !== undefined ? { executedAt: r.executedAt } : {}) })),
    ...(s.inspection ? { inspection: s.inspection.result } : {}),
    ruling: s.ruling ? { decision: s.ruling.decision, ...(s.ruling.amount ? { amount: s.ruling.amount } : {}), executed: s.ruling.executed } : null,
    appealed: s.appealed,
    links: s.links.map((l) => ({ id: l.id, kind: l.kind, relation: l.relation })),
  };
}
