/**
 * Opening an order issue of each type (tracking asked, the order system asked, or the customer asked first;
 * a damage claim beside it) and when its workflow may finish. Pure.
 */
import { relatedLinkOf } from '../case-links';
import { ownerAt, record, unsentNotices } from '../service-case/core';
import { currentCompensation } from './compensation';
import { askCustomer, contactCarrier, move, requestTracking } from './moves';
import type { OrderIssueRequest, OrderIssueState } from './types';

/** Opens an order issue; `archiveAtClose` is what the workflow's patch allows (on for a case started now). */
export function openOrderIssue(request: OrderIssueRequest, now: number, archiveAtClose = true): OrderIssueState {
  const related = relatedLinkOf(request.relatedCaseId);
  const s: OrderIssueState = {
    caseId: request.caseId, request, status: 'tracing', outcome: null, owner: ownerAt(1), escalationLevel: 1, deadlines: [], timeline: [], notices: [],
    links: related ? [related] : [], pending: {}, carrierInquiries: [], compensations: [], seenLogisticsEvents: [], linkedClosedSeen: [],
    createdAt: now, updatedAt: now, revision: 0, ...(archiveAtClose ? { archiveAtClose: true as const } : {}),
  };
  record(s, now, 'case.created', request.createdBy.role, {
    type: request.type, policy: { id: request.policy.id, version: request.policy.version }, reportedAt: request.reportedAt,
  }, request.createdBy.actorRef);
  switch (request.type) {
    case 'parcel_missing':
    case 'delivery_delay':
      requestTracking(s, request.trackingNumber!, now, 'system');
      break;
    case 'address_change':
    case 'payment_exception':
      s.pending.orderCheck = { orderId: request.orderId };
      move(s, 'checking_order', now, 'system');
      break;
    case 'stock_shortage':
      askCustomer(s, ['wait', 'substitute', 'cancel'], 'cancel', now, 'system');
      break;
    case 'damaged_in_transit':
      // 先行赔付: the customer is compensated first; the claim against the carrier runs beside it.
      if (request.trackingNumber) s.trackingNumber = request.trackingNumber;
      askCustomer(s, ['refund', 'reship'], 'refund', now, 'system');
      contactCarrier(s, 'claim', now, 'system');
      break;
  }
  return s;
}

/** The workflow may finish once closed, with every notice sent and every piece of work answered. */
export function isOrderIssueFinished(s: OrderIssueState): boolean {
  const c = currentCompensation(s);
  return s.status === 'closed' && unsentNotices(s).length === 0 && Object.keys(s.pending).length === 0 && (!c || c.linkedCase.started);
}

