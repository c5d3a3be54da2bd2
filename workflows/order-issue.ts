/**
 * In-sale order-issue workflow (售中/异常订单): asks the logistics and order systems through activities,
 * hears logistics callbacks (an Update, deduplicated by the event's identity), runs refund compensation as
 * a pre-approved after-sale child that reports back, and otherwise only orchestrates: the pure machine in
 * ./domain/order-issue decides; the shared case runtime runs the loop.
 */
import { defineQuery, defineUpdate, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import { SYSTEM_ACTOR, type Actor } from './domain/case';
import { orderIssueSettings } from './domain/policy/sections/order-issue';
import { refundRequestFor } from './domain/order-issue/compensation';
import {
  advanceOrderIssueClock, applyAddressChange, applyCarrierInquiryOpened, applyCompensationClosed, applyCompensationStarted, applyLogisticsEvent, applyOrderIssueAction,
  applyOrderStatus, applyTracking, checkLogisticsEvent, checkOrderIssueAction, isOrderIssueFinished, openOrderIssue,
} from './domain/order-issue/machine';
import type { LogisticsEvent, OrderIssueActionRequest, OrderIssueRequest, OrderIssueState } from './domain/order-issue/types';
import { orderIssueView as viewOf, orderIssueVisibility, type OrderIssueView } from './domain/order-issue/view';
import { nextWakeAt } from './domain/service-case/core';
import { timeZoneOf } from './domain/schedule';
import { caseCalendarGaps, learnCaseCalendarYears, withDeadlineWarnings } from './domain/calendar-years';
import { startLinkedAfterSale } from './after-sale';
import { allEffects, ruleFailure, runCase, type CaseEffects, type CaseMachine } from './case-runtime';
import { linkedCaseClosed } from './links';
import { serviceCaseEffects, type StateAccess } from './service-effects';

export { orderIssueVisibility };

export const orderIssueAct = defineUpdate<{ view: OrderIssueView; fingerprint: string }, [OrderIssueActionRequest]>('act');
export const orderIssueView = defineQuery<OrderIssueView, [Actor]>('view');
/** A carrier event relayed by the logistics callback; a closed case refuses it (409 at the edge). */
export const logisticsEvent = defineUpdate<{ applied: boolean }, [LogisticsEvent]>('logisticsEvent');

/** Logistics and order systems are retried until they answer: the case waits for them, not the other way. */
const systems = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

function orderIssueMachine(timeZone: string): CaseMachine<OrderIssueState, OrderIssueActionRequest, OrderIssueView> {
  return {
    check: (s, req) => checkOrderIssueAction(s, req),
    apply: applyOrderIssueAction,
    advance: advanceOrderIssueClock,
    nextWakeAt,
    finished: isOrderIssueFinished,
    view: (s, viewer) => withDeadlineWarnings(viewOf(s, viewer, timeZone), s),
    visibility: orderIssueVisibility,
    timeline: (s) => s.timeline,
    revision: (s) => s.revision,
    calendarGaps: caseCalendarGaps,
    learnCalendarYears: learnCaseCalendarYears,
  };
}

/** Runs one piece of work at a time per kind while the state asks for it, and feeds the answer back. */
function workEffect(state: StateAccess<OrderIssueState>, key: (s: OrderIssueState) => string | undefined, run: (s: OrderIssueState) => Promise<(s: OrderIssueState) => OrderIssueState>): CaseEffects {
  let running: string | undefined;
  return {
    start() {
      const wanted = key(state.get());
      if (!wanted || running) return;
      running = wanted;
      void run(state.get()).then((answer) => state.set(answer(state.get()))).finally(() => { running = undefined; });
    },
    busy: () => running !== undefined,
  };
}

function orderSystemEffects(state: StateAccess<OrderIssueState>, request: OrderIssueRequest): CaseEffects {
  return allEffects(
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
  );
}

/** A refund compensation runs as a pre-approved after-sale child that outlives this case and reports back. */
function compensationEffects(state: StateAccess<OrderIssueState>): CaseEffects {
  setHandler(linkedCaseClosed, (outcome) => state.set(applyCompensationClosed(state.get(), outcome, Date.now())));
  const starting = new Set<number>();
  async function start(number: number): Promise<void> {
    const s = state.get();
    const request = refundRequestFor(s, s.compensations.find((c) => c.number === number)!, Date.now());
    await startLinkedAfterSale(request);
    state.set(applyCompensationStarted(state.get(), number, Date.now()));
  }
  return {
    start() {
      for (const c of state.get().compensations) {
        if (c.linkedCase.started || starting.has(c.number)) continue;
        starting.add(c.number);
        void start(c.number).finally(() => starting.delete(c.number));
      }
    },
    busy: () => starting.size > 0,
  };
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

export async function orderIssue(request: OrderIssueRequest): Promise<OrderIssueView> {
  const timeZone = timeZoneOf(request.policy);
  const surveyed = orderIssueSettings(request.policy.orderIssue).survey;
  const final = await runCase({
    caseId: request.caseId,
    kind: 'order_issue',
    merchantId: request.merchantId,
    timeZone,
    // Archiving at close came after cases were running: a replayed history closes as it recorded.
    initial: openOrderIssue(request, request.openedAt ?? Date.now(), patched('archive-at-close')),
    machine: orderIssueMachine(timeZone),
    act: orderIssueAct,
    view: orderIssueView,
    effects: (state) => serviceCaseEffects(
      state, { caseId: request.caseId, kind: 'order_issue', merchantId: request.merchantId, relatedCaseId: request.relatedCaseId },
      () => {
        const s = state.get();
        return !surveyed || s.status !== 'closed' ? null : {
          caseId: request.caseId, kind: 'order_issue', merchantId: request.merchantId, customerRef: request.customerRef, orderId: request.orderId,
          policy: request.policy, closedAt: s.closedAt ?? s.updatedAt,
        };
      },
      logisticsHandler(state),
      orderSystemEffects(state, request),
      compensationEffects(state),
    ),
  });
  return viewOf(final, SYSTEM_ACTOR, timeZone);
}
