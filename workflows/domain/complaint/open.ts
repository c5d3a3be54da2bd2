/**
 * Opening a complaint (priority, starting tier on the ladder, links, per-priority targets counted from when
 * the customer complained) and when its workflow may finish. Pure.
 */
import { activeDeadlines, ownerAt, queueNotice, record, unsentNotices } from '../service-case/core';
import { openTargets } from './moves';
import { priorityOf, startingLevel } from './priority';
import type { ComplaintRequest, ComplaintState } from './types';

export function openComplaint(request: ComplaintRequest, now: number, reopenRules = true, authorityCurrency = true): ComplaintState {
  const classification = { category: request.category, severity: request.severity, urgency: request.urgency, customerTier: request.customerTier };
  const level = Math.max(startingLevel(request.severity, request.channel), request.recoveryOf ? 2 : 1) as 1 | 2;
  const s: ComplaintState = {
    request,
    classification,
    priority: priorityOf(classification),
    status: 'new',
    outcome: null,
    owner: ownerAt(level),
    escalationLevel: level,
    deadlines: [],
    timeline: [],
    solutions: [],
    rejectionsInARow: 0,
    tasks: [],
    notices: [],
    linkedClosedSeen: [],
    links: [...(request.links ?? [])],
    reopenCount: 0,
    ...(reopenRules ? { reopenRules } : {}),
    ...(authorityCurrency ? { authorityCurrency } : {}),
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
  record(s, now, 'case.created', request.createdBy.role, {
    channel: request.channel, ...classification, priority: s.priority, escalationLevel: level,
    policy: { id: request.policy.id, version: request.policy.version },
    ...(request.recoveryOf ? { recoveryOf: request.recoveryOf.caseId, score: request.recoveryOf.score } : {}),
  }, request.createdBy.actorRef);
  if (request.relatedCaseId && !s.links.some((l) => l.id === request.relatedCaseId)) {
    const kind = request.relatedCaseId.startsWith('as_') ? 'after_sale' : request.relatedCaseId.startsWith('oi_') ? 'order_issue' : request.relatedCaseId.startsWith('iq_') ? 'inquiry' : 'complaint';
    s.links.push({ id: request.relatedCaseId, kind, relation: request.recoveryOf ? 'recovery_of' : 'related' });
  }
  if (level > 1) queueNotice(s, 'case.escalated', s.owner!, { from: 'L1', to: `L${level}`, reason: request.recoveryOf ? 'recovery' : 'severity', priority: s.priority });
  // Targets count from when the customer complained, on the business clock.
  openTargets(s, request.receivedAt, ['firstResponse', 'resolution']);
  return s;
}

/** The workflow may finish once closed, past its reopen window, with every notice sent. */
export function isComplaintFinished(s: ComplaintState): boolean {
  return s.status === 'closed' && activeDeadlines(s).length === 0 && unsentNotices(s).length === 0;
}
