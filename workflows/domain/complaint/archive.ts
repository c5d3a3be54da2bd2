/**
 * The archive record (归档) emitted when a complaint closes: classification, timings, escalations, solutions,
 * department feedback and outcome — everything a report or a department needs, no personal data.
 */
import type { ComplaintState } from './types';

const seconds = (from: number, to: number | undefined) => (to === undefined ? null : Math.round((to - from) / 1000));

export function archiveRecord(s: ComplaintState) {
  const { request, classification } = s;
  const escalations = s.timeline.filter((e) => e.type === 'case.escalated').map((e) => ({ at: e.at, ...(e.data ?? {}) }));
  return {
    caseId: request.caseId,
    kind: 'complaint' as const,
    merchantId: request.merchantId,
    channel: request.channel,
    ...classification,
    priority: s.priority,
    ...(request.orderId ? { orderId: request.orderId } : {}),
    outcome: s.outcome,
    timings: {
      receivedAt: request.receivedAt,
      firstRespondedAt: s.firstRespondedAt ?? null,
      resolvedAt: s.resolvedAt ?? null,
      closedAt: s.closedAt ?? null,
      firstResponseSeconds: seconds(request.receivedAt, s.firstRespondedAt),
      resolutionSeconds: seconds(request.receivedAt, s.resolvedAt),
    },
    escalationLevel: s.escalationLevel,
    escalations,
    breaches: s.deadlines.filter((d) => d.state === 'breached').map((d) => d.name),
    solutions: s.solutions.map((sol) => ({
      number: sol.number, kind: sol.kind, state: sol.state, ...(sol.amount ? { amount: sol.amount } : {}),
      ...(sol.linkedCase ? { linkedCaseId: sol.linkedCase.id, linkedOutcome: sol.linkedCase.closed?.outcome ?? null } : {}),
    })),
    departmentFeedback: s.tasks.map((t) => ({ department: t.department, state: t.state, ...(t.result ? { result: t.result } : {}) })),
    reopenCount: s.reopenCount,
  };
}
