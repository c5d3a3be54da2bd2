/**
 * After-sale case workflow (售后: refund only, return and refund, exchange, repair, platform arbitration).
 * It only orchestrates: every decision is made by the pure machine in ./domain/after-sale; this file holds
 * the state, runs durable timers for its deadlines and runs the side effects (refunds, events) as activities.
 */
import {
  ActivityFailure, ApplicationFailure, allHandlersFinished, condition, defineQuery, defineUpdate, proxyActivities,
  setHandler, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import { SYSTEM_ACTOR, type Actor } from './domain/case';
import {
  advanceAfterSaleClock, applyRefundResult, isAfterSaleFinished, nextWakeAt, openAfterSale, pendingRefunds,
} from './domain/after-sale/clock-events';
import { applyAfterSaleAction, checkAfterSaleAction } from './domain/after-sale/machine';
import type { AfterSaleActionRequest, AfterSaleRequest, AfterSaleState, RefundRecord } from './domain/after-sale/types';
import { afterSaleView as viewOf, type AfterSaleView } from './domain/after-sale/view';
import { timeZoneOf } from './domain/schedule';
import { caseSearchAttributes } from './case-visibility';

export interface AfterSaleActResult {
  view: AfterSaleView;
  /** The fingerprint of the request that produced this result (first one wins for an update id). */
  fingerprint: string;
}

/** State-changing request from the API; rejected transitions fail validation and never reach history. */
export const afterSaleAct = defineUpdate<AfterSaleActResult, [AfterSaleActionRequest]>('act');
/** The case view for a caller (allowed actions depend on the caller's role). */
export const afterSaleView = defineQuery<AfterSaleView, [Actor]>('view');

/** Gateways fail in passing; the idempotency key makes every retry safe, so retry until it answers. */
const { executeRefund } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['RefundRefused'] },
});
const { publishCaseEvents } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function afterSale(request: AfterSaleRequest): Promise<AfterSaleView> {
  let state: AfterSaleState = openAfterSale(request, Date.now());
  const timeZone = timeZoneOf(request.policy);
  const refundsInFlight = new Set<string>();
  let eventsPublished = 0;
  let publishing = false;

  setHandler(afterSaleView, (actor) => viewOf(state, actor, Date.now(), timeZone));
  setHandler(
    afterSaleAct,
    (req) => {
      state = applyAfterSaleAction(state, req, Date.now());
      return { view: viewOf(state, req.actor, Date.now(), timeZone), fingerprint: req.fingerprint };
    },
    {
      validator: (req) => {
        const failure = checkAfterSaleAction(state, req, Date.now());
        if (failure) {
          throw ApplicationFailure.create({ type: failure.type, message: failure.detail, details: [failure.extensions ?? {}], nonRetryable: true });
        }
      },
    },
  );

  async function runRefund(refund: RefundRecord): Promise<void> {
    try {
      const receipt = await executeRefund({
        idempotencyKey: refund.idempotencyKey, caseId: request.caseId, merchantId: request.merchantId, orderId: request.orderId, amount: refund.amount,
      });
      state = applyRefundResult(state, refund.id, { ok: true, ...receipt }, Date.now());
    } catch (err) {
      const reason = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.message : String(err);
      state = applyRefundResult(state, refund.id, { ok: false, reason }, Date.now());
    } finally {
      refundsInFlight.delete(refund.id);
    }
  }

  /** Events go out in order per case, one batch at a time, from the timeline. */
  async function publishEvents(): Promise<void> {
    publishing = true;
    try {
      const entries = state.timeline.slice(eventsPublished);
      await publishCaseEvents({ caseId: request.caseId, kind: 'after_sale', merchantId: request.merchantId, timeZone, firstSequence: eventsPublished, entries });
      eventsPublished += entries.length;
    } finally {
      publishing = false;
    }
  }

  let visibleRevision = -1;
  for (;;) {
    if (state.revision !== visibleRevision) {
      visibleRevision = state.revision;
      upsertSearchAttributes(caseSearchAttributes({ kind: 'after_sale', status: state.status, outcome: state.outcome, owner: state.owner, escalationLevel: state.escalationLevel, deadlines: state.deadlines }));
    }
    for (const refund of pendingRefunds(state)) {
      if (refundsInFlight.has(refund.id)) continue;
      refundsInFlight.add(refund.id);
      void runRefund(refund);
    }
    if (!publishing && eventsPublished < state.timeline.length) void publishEvents();
    if (isAfterSaleFinished(state) && refundsInFlight.size === 0) break;

    const wakeAt = nextWakeAt(state);
    if (wakeAt !== undefined && wakeAt <= Date.now()) {
      state = advanceAfterSaleClock(state, Date.now());
      continue;
    }
    const revision = state.revision;
    const moved = () => state.revision !== revision || (!publishing && eventsPublished < state.timeline.length);
    // A durable timer to the next warning or breach; any action or result wakes the loop first.
    if (wakeAt === undefined) await condition(moved);
    else await condition(moved, wakeAt - Date.now());
  }

  await condition(() => !publishing);
  while (eventsPublished < state.timeline.length) await publishEvents();
  await condition(allHandlersFinished);
  return viewOf(state, SYSTEM_ACTOR, Date.now(), timeZone);
}
