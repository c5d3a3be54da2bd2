/**
 * After-sale case workflow (售后: refund only, return and refund, exchange, repair, platform arbitration).
 * It only orchestrates: every decision is made by the pure machine in ./domain/after-sale; the kind's
 * definition (./case-kind) runs it, and this file adds the refunds as activities and the report to a case
 * that started it.
 */
import { ActivityFailure, ApplicationFailure, defineQuery, defineUpdate, patched, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { Actor } from './domain/case';
import { AFTER_SALE_MACHINE, applyRefundResult, openAfterSale, pendingRefunds, refundedSoFar } from './domain/after-sale/machine';
import type { AfterSaleActionRequest, AfterSaleRequest, AfterSaleRules, AfterSaleState } from './domain/after-sale/types';
import { afterSaleVisibility, type AfterSaleView } from './domain/after-sale/view';
import { defineCaseKind, surveyAtClose } from './case-kind';
import { notifyOriginOnClose, startLinkedCase } from './links';
import type { CaseEffects } from './case-runtime';
import { keyedEffect, type StateAccess } from './service-effects';

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

/** Each pending refund runs once as an activity; its final answer goes back into the machine. */
function refundEffects(request: AfterSaleRequest, state: StateAccess<AfterSaleState>) {
  return keyedEffect(() => pendingRefunds(state.get()).map((r) => r.id), async (refundId) => {
    const refund = state.get().refunds.find((r) => r.id === refundId)!;
    try {
      const receipt = await executeRefund({
        idempotencyKey: refund.idempotencyKey, caseId: request.caseId, merchantId: request.merchantId, orderId: request.orderId, amount: refund.amount,
      });
      state.set(applyRefundResult(state.get(), refundId, { ok: true, ...receipt }, Date.now()));
    } catch (err) {
      const reason = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.message : String(err);
      state.set(applyRefundResult(state.get(), refundId, { ok: false, reason }, Date.now()));
    }
  });
}

/** The rules a case runs under: each one released behind its own patch (test/replay/README.md). */
function afterSaleRules(): AfterSaleRules {
  return {
    ...(patched('authority-limit-currency') ? { authorityCurrency: true as const } : {}),
    ...(patched('archive-at-close') ? { archiveAtClose: true as const } : {}),
    ...(patched('after-sale-owner-notices') ? { ownerNotices: true as const } : {}),
  };
}

export const AFTER_SALE = defineCaseKind<AfterSaleRequest, AfterSaleState, AfterSaleActionRequest, AfterSaleView>({
  kind: 'after_sale',
  act: afterSaleAct,
  view: afterSaleView,
  machine: AFTER_SALE_MACHINE,
  open: (request, now) => openAfterSale(request, now),
  // Rules released after a case may have started: a replayed history keeps the rules it ran under.
  openInWorkflow: (request, now) => openAfterSale(request, now, afterSaleRules()),
  journeyPatch: 'journey-links',
  // Cases started from another case are surveyed there; the request as the case holds it (its policy knows the
  // calendar years learnt since), closedAt the last change, as first released.
  survey: (s) => (s.request.origin ? null : surveyAtClose(s, s.request, 'after_sale', { orderId: s.request.orderId, closedAt: s.updatedAt })),
  effects: ({ state, request, journey, notices, survey }) => [
    journey(),
    refundEffects(request, state),
    notices(),
    survey(),
    notifyOriginOnClose(request.origin, () => {
      const s = state.get();
      return s.status !== 'closed' ? null : {
        caseId: request.caseId, kind: 'after_sale', status: s.status, outcome: s.outcome,
        refunded: { amount: refundedSoFar(s), currency: s.refundCap.currency }, at: s.updatedAt,
      };
    }),
  ],
});

export function afterSale(request: AfterSaleRequest): Promise<AfterSaleView> {
  return AFTER_SALE.run(request);
}

/** Starts a pre-approved after-sale as a child another case runs its money through (a complaint's refund, an order issue's compensation). */
export function startLinkedAfterSale(request: AfterSaleRequest): Promise<void> {
  return startLinkedCase(afterSale.name, request, afterSaleVisibility(openAfterSale(request, request.openedAt!)));
}

/**
 * The after-sales another case runs its money through (a complaint's accepted solutions, an order issue's
 * refund compensations): each pending one starts once as a child, then the case marks it started.
 */
export function linkedAfterSaleEffects<S>(state: StateAccess<S>, o: {
  pending(s: S): number[]; requestFor(s: S, number: number, now: number): AfterSaleRequest; started(s: S, number: number, now: number): S;
}): CaseEffects {
  return keyedEffect(() => o.pending(state.get()), async (number) => {
    await startLinkedAfterSale(o.requestFor(state.get(), number, Date.now()));
    state.set(o.started(state.get(), number, Date.now()));
  });
}
