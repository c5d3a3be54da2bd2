/**
 * What the passing of time does to an after-sale case: pre-breach warnings, and at breach the default
 * outcome each deadline names (silence rules of DOMAIN.md). Also opening a case and refund results. Pure.
 */
import { relatedLinkOf } from '../case-links';
import { SYSTEM_ACTOR, type Deadline } from '../case';
import { activeDeadlines, close, enter, openDeadline, refreshOwner, remainingCap, runningDeadlines, startRefund } from './lifecycle';
import { draftOf, record } from '../service-case/core';
import { afterGoodsReceived, executeRuling, grantRequest } from './machine';
import { refundCap } from './refund';
import { resumeCase } from './suspension';
import { CURRENT_AFTER_SALE_RULES, type AfterSaleRequest, type AfterSaleRules, type AfterSaleState } from './types';

/** Opens a case; `rules` are those the workflow's patches allow (every one for a case started now). */
export function openAfterSale(request: AfterSaleRequest, now: number, rules: AfterSaleRules = CURRENT_AFTER_SALE_RULES): AfterSaleState {
  const cap = refundCap(request);
  const s: AfterSaleState = {
    request,
    status: 'awaiting_merchant',
    outcome: null,
    owner: null,
    escalationLevel: 1,
    deadlines: [],
    timeline: [],
    refunds: [],
    refundCap: cap,
    grantedRefund: request.requestedRefund ?? cap,
    ruling: null,
    appealed: false,
    suspension: null,
    links: request.links ?? [],
    createdAt: now,
    updatedAt: now,
    revision: 0,
    ...(Object.keys(rules).length > 0 ? { rules: { ...rules } } : {}),
  };
  refreshOwner(s);
  record(s, now, 'case.created', request.createdBy, { type: request.type, reason: request.reason, policy: { id: request.policy.id, version: request.policy.version } });
  if (request.origin) s.links.push({ id: request.origin.caseId, kind: request.origin.kind, relation: 'origin' });
  const related = relatedLinkOf(request.relatedCaseId);
  if (related && !s.links.some((l) => l.id === related.id)) s.links.push(related);
  if (request.preApproved) {
    // Approved where it came from (an accepted complaint solution): refund or return leg starts at once.
    record(s, now, 'case.pre_approved', request.createdBy, { origin: request.origin?.caseId });
    grantRequest(s, request.createdBy, now, true);
    return s;
  }
  // Merchant silence past the deadline means approval (auto-agree), counted from the buyer's request.
  openDeadline(s, 'merchantResponse', 'merchant', 'auto_approve', request.requestedAt);
  return s;
}

/** The next instant at which time changes something: a warning or a breach. */
export function nextWakeAt(s: AfterSaleState): number | undefined {
  const instants = runningDeadlines(s).flatMap((d) => (d.warnAt !== undefined && d.warnedAt === undefined ? [d.warnAt, d.dueAt] : [d.dueAt]));
  return instants.length ? Math.min(...instants) : undefined;
}

function breach(s: AfterSaleState, d: Deadline, now: number): void {
  d.state = 'breached';
  d.endedAt = now;
  record(s, now, 'deadline.breached', 'system', { name: d.name, dueAt: d.dueAt, onTimeout: d.onTimeout });
  switch (d.onTimeout) {
    case 'auto_approve':
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: d.name === 'merchantResponse' ? 'approved' : 'received' });
      if (d.name === 'merchantResponse') grantRequest(s, SYSTEM_ACTOR, now, true);
      else afterGoodsReceived(s, SYSTEM_ACTOR, now, true);
      return;
    case 'auto_refund':
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'received' });
      afterGoodsReceived(s, SYSTEM_ACTOR, now, true);
      return;
    case 'auto_close':
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'expired' });
      close(s, 'expired', now, 'system');
      return;
    case 'close':
      if (s.status === 'rejected') {
        record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'rejected' });
        close(s, 'rejected', now, 'system');
      }
      return;
    case 'fallback_refund':
      // A merchant who misses the reship or repair deadline owes a full refund instead.
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'refund' });
      startRefund(s, { amount: remainingCap(s), decidedBy: SYSTEM_ACTOR }, now);
      return;
    case 'platform_execute':
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'platform_executed' });
      executeRuling(s, SYSTEM_ACTOR, now);
      return;
    case 'resume':
      // A suspension that reaches its limit resumes by itself (Taobao art. 82-83).
      resumeCase(s, SYSTEM_ACTOR, now, d.dueAt);
      return;
    case 'escalate':
      s.escalationLevel = Math.min(4, Math.max(s.escalationLevel, (s.owner ? Number(s.owner.tier.slice(1)) : 1)) + 1) as 1 | 2 | 3 | 4;
      if (s.owner && s.owner.role === 'supervisor') s.owner = { role: 'supervisor', tier: s.escalationLevel >= 3 ? 'L3' : 'L2' };
      record(s, now, 'case.escalated', 'system', { deadline: d.name, escalationLevel: s.escalationLevel });
      return;
    default:
      return;
  }
}

/** Fires every warning and breach due at or before `now`, in time order. */
export function advanceAfterSaleClock(state: AfterSaleState, now: number): AfterSaleState {
  if (nextWakeAt(state) === undefined || nextWakeAt(state)! > now) return state;
  const s = draftOf(state, now);
  for (;;) {
    const due = runningDeadlines(s)
      .flatMap((d) => [
        ...(d.warnAt !== undefined && d.warnedAt === undefined && d.warnAt <= now ? [{ d, at: d.warnAt, kind: 'warn' as const }] : []),
        ...(d.dueAt <= now ? [{ d, at: d.dueAt, kind: 'breach' as const }] : []),
      ])
      .sort((a, b) => a.at - b.at)[0];
    if (!due) return s;
    if (due.kind === 'warn') {
      due.d.warnedAt = now;
      record(s, now, 'deadline.warned', 'system', { name: due.d.name, dueAt: due.d.dueAt, actor: due.d.actor });
    } else {
      breach(s, due.d, now);
    }
  }
}

export type RefundResult =
  | { ok: true; gatewayRef: string; executedAt: number }
  | { ok: false; reason: string };

/** A gateway's final answer on one refund. Success closes the case; a refusal hands it to a supervisor. */
export function applyRefundResult(state: AfterSaleState, refundId: string, result: RefundResult, now: number): AfterSaleState {
  const s = draftOf(state, now);
  const refund = s.refunds.find((r) => r.id === refundId);
  if (!refund || refund.status !== 'pending') return state;
  if (result.ok) {
    refund.status = 'succeeded';
    refund.executedAt = result.executedAt;
    refund.gatewayRef = result.gatewayRef;
    record(s, now, 'refund.succeeded', 'system', { refundId, amount: refund.amount });
    close(s, refund.closesAs, now, 'system');
  } else {
    refund.status = 'failed';
    refund.failure = result.reason;
    record(s, now, 'refund.failed', 'system', { refundId, amount: refund.amount, reason: result.reason });
    enter(s, 'refund_failed', now, 'system');
  }
  return s;
}

export function pendingRefunds(s: AfterSaleState) {
  return s.refunds.filter((r) => r.status === 'pending');
}

/** The workflow may finish once the case is closed and no post-close window is open. */
export function isAfterSaleFinished(s: AfterSaleState): boolean {
  return s.status === 'closed' && activeDeadlines(s).length === 0;
}
