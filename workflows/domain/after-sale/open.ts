/**
 * Opening an after-sale (the state a case starts in, its links, the merchant's first deadline, or the
 * refund or return leg at once when it comes pre-approved) and when its workflow may finish. Pure.
 */
import { relatedLinkOf } from '../case-links';
import { activeDeadlines, record } from '../service-case/core';
import { grantRequest, openDeadline, refreshOwner } from './moves';
import { refundCap } from './refund';
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
    ...(rules.ownerNotices ? { notices: [] } : {}),
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
  // The merchant answers within merchantResponse, counted from the buyer's request (silence: ./silence).
  openDeadline(s, 'merchantResponse', 'merchant', request.requestedAt);
  return s;
}

/**
 * The workflow may finish once the case is closed and no post-close window is open (notices still being
 * sent hold it open as running effects).
 */
export function isAfterSaleFinished(s: AfterSaleState): boolean {
  return s.status === 'closed' && activeDeadlines(s).length === 0;
}
