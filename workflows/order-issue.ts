/**
 * In-sale order-issue workflow (售中/异常订单): asks the logistics and order systems through activities,
 * hears logistics callbacks (an Update, deduplicated by the event's identity), runs refund compensation as
 * a pre-approved after-sale child that reports back, and otherwise only orchestrates: the pure machine in
 * ./domain/order-issue decides; the kind's definition (./case-kind) runs it.
 */
import { defineQuery, defineUpdate, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { Actor } from './domain/case';
import { orderIssueSettings } from './domain/policy/sections/order-issue';
import { refundRequestFor } from './domain/order-issue/compensation';
import {
  ORDER_ISSUE_MACHINE, applyAddressChange, applyCarrierInquiryOpened, applyCompensationClosed, applyCompensationStarted, applyLogisticsEvent, applyOrderStatus,
  applyTracking, checkLogisticsEvent, openOrderIssue,
} from './domain/order-issue/machine';
import type { LogisticsEvent, OrderIssueActionRequest, OrderIssueRequest, OrderIssueState } from './domain/order-issue/types';
import type { OrderIssueView } from './domain/order-issue/view';
import { linkedAfterSaleEffects } from './after-sale';
import { ruleFailure, type CaseEffects } from './case-runtime';
import { defineCaseKind, surveyAtClose } from './case-kind';
import { linkedCaseClosed } from './links';
import { keyedEffect, type StateAccess } from './service-effects';

export const orderIssueAct = defineUpdate<{ view: OrderIssueView; fingerprint: string }, [OrderIssueActionRequest]>('act');
export const orderIssueView = defineQuery<OrderIssueView, [Actor]>('view');
/** A carrier event relayed by the logistics callback; a closed case refuses it (409 at the edge). */
export const logisticsEvent = defineUpdate<{ applied: boolean }, [LogisticsEvent]>('logisticsEvent');

/** Logistics and order systems are retried until they answer: the case waits for them, not the other way. */
const systems = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Asks the order systems one question of a kind at a time while the state asks it, and feeds the answer back. */
function workEffect(state: StateAccess<OrderIssueState>, key: (s: OrderIssueState) => string | undefined, run: (s: OrderIssueState) => Promise<(s: OrderIssueState) => OrderIssueState>): CaseEffects {
  const wanted = () => {
    const k = key(state.get());
    return k ? [k] : [];
  };
  return keyedEffect(wanted, () => run(state.get()).then((answer) => state.set(answer(state.get()))), 1);
}

function orderSystemEffects(state: StateAccess<OrderIssueState>, request: OrderIssueRequest): CaseEffects[] {
  return [
    workEffect(state, (s) => s.pending.track?.trackingNumber, async (s) => {
      const answer = await systems.trackParcel(s.pending.track!.trackingNumber);
      return (now) => applyTracking(now, answer.status, Date.now());
    }),
    workEffect(state, (s) => s.pending.orderCheck?.orderId, async () => {
      const answer = await systems.orderStatus({ merchantId: request.merchantId, orderId: request.orderId });
      return (now) => applyOrderStatus(now, { shipped: answer.shipped, paymentStatus: answer.paymentStatus }, Date.now());
    }),
    workEffect(state, (s) => s.pending.carrierInquiry?.id, async (s) => {
      const inquiry = s.pending.carrierInquiry!;
      const { reference } = await systems.openCarrierInquiry({
        id: inquiry.id, caseId: request.caseId, merchantId: request.merchantId, kind: inquiry.kind, ...(inquiry.trackingNumber ? { trackingNumber: inquiry.trackingNumber } : {}),
      });
      return (now) => applyCarrierInquiryOpened(now, inquiry.id, reference, Date.now());
    }),
    workEffect(state, (s) => s.pending.addressChange?.id, async (s) => {
      const change = s.pending.addressChange!;
      const answer = await systems.changeShippingAddress({ id: change.id, merchantId: request.merchantId, orderId: request.orderId, address: change.address });
      return (now) => applyAddressChange(now, answer, Date.now());
    }),
  ];
}

/** A refund compensation runs as a pre-approved after-sale child that outlives this case and reports back. */
function compensationEffects(state: StateAccess<OrderIssueState>): CaseEffects {
  setHandler(linkedCaseClosed, (outcome) => state.set(applyCompensationClosed(state.get(), outcome, Date.now())));
  return linkedAfterSaleEffects(state, {
    pending: (s) => s.compensations.filter((c) => !c.linkedCase.started).map((c) => c.number),
    requestFor: (s, number, now) => refundRequestFor(s, s.compensations.find((c) => c.number === number)!, now),
    started: applyCompensationStarted,
  });
}

function logisticsHandler(state: StateAccess<OrderIssueState>): CaseEffects {
  setHandler(logisticsEvent, (event) => {
    const before = state.get();
    state.set(applyLogisticsEvent(before, event, Date.now()));
    return { applied: state.get() !== before };
  }, {
    validator: (event: LogisticsEvent) => {
      const failure = checkLogisticsEvent(state.get(), event);
      if (failure) throw ruleFailure(failure);
    },
  });
  return { start: () => undefined, busy: () => false };
}

export const ORDER_ISSUE = defineCaseKind<OrderIssueRequest, OrderIssueState, OrderIssueActionRequest, OrderIssueView>({
  kind: 'order_issue',
  act: orderIssueAct,
  view: orderIssueView,
  machine: ORDER_ISSUE_MACHINE,
  open: (request, now) => openOrderIssue(request, now),
  // Archiving at close came after cases were running: a replayed history closes as it recorded.
  openInWorkflow: (request, now) => openOrderIssue(request, now, patched('archive-at-close')),
  survey: (s, request) => (orderIssueSettings(request.policy.orderIssue).survey ? surveyAtClose(s, request, 'order_issue') : null),
  effects: ({ state, request, journey, notices, survey }) => {
    // Its own handlers register before the shared ones, as first released; the shared ones start first.
    const own = [logisticsHandler(state), ...orderSystemEffects(state, request), compensationEffects(state)];
    return [journey(), notices(), ...own, survey()];
  },
});

export function orderIssue(request: OrderIssueRequest): Promise<OrderIssueView> {
  return ORDER_ISSUE.run(request);
}
