/**
 * After-sale case workflow (售后: refund only, return and refund, exchange, repair, platform arbitration).
 * It only orchestrates: every decision is made by the pure machine in ./domain/after-sale; the shared case
 * runtime holds state, timers, visibility and events, and this file adds the refunds as activities.
 */
import { ActivityFailure, ApplicationFailure, ParentClosePolicy, defineQuery, defineUpdate, patched, proxyActivities, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import { SYSTEM_ACTOR, type Actor } from './domain/case';
import {
  advanceAfterSaleClock, applyAfterSaleAction, applyRefundResult, checkAfterSaleAction, isAfterSaleFinished, nextWakeAt, openAfterSale, pendingRefunds,
  refundedSoFar,
} from './domain/after-sale/machine';
import type { AfterSaleActionRequest, AfterSaleRequest, AfterSaleRules, AfterSaleState } from './domain/after-sale/types';
import { afterSaleView as viewOf, type AfterSaleView } from './domain/after-sale/view';
import { timeZoneOf } from './domain/schedule';
import { caseCalendarGaps, learnCaseCalendarYears, withDeadlineWarnings } from './domain/calendar-years';
import { allEffects, runCase, type CaseEffects, type CaseMachine } from './case-runtime';
import { startSearchAttributes, type CaseVisibility } from './case-visibility';
import { MerchantId, OrderId, PolicyId } from './search-attributes';
import { notifyOriginOnClose } from './links';
import { afterSaleSurveyRequest, startSurveyOnClose } from './survey';
import { journeyEffects, noticeEffects } from './service-effects';
import { markNoticeSent, unsentNotices } from './domain/service-case/core';

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

/** What supervisors filter after-sales by (search attributes); derived from state, never personal data. */
export function afterSaleVisibility(s: AfterSaleState): CaseVisibility {
  return { kind: 'after_sale', status: s.status, outcome: s.outcome, owner: s.owner, escalationLevel: s.escalationLevel, deadlines: s.deadlines };
}

function afterSaleMachine(timeZone: string): CaseMachine<AfterSaleState, AfterSaleActionRequest, AfterSaleView> {
  return {
    check: checkAfterSaleAction,
    apply: applyAfterSaleAction,
    advance: advanceAfterSaleClock,
    nextWakeAt,
    finished: isAfterSaleFinished,
    view: (s, viewer, now) => withDeadlineWarnings(viewOf(s, viewer, now, timeZone), s),
    visibility: afterSaleVisibility,
    timeline: (s) => s.timeline,
    revision: (s) => s.revision,
    calendarGaps: caseCalendarGaps,
    learnCalendarYears: learnCaseCalendarYears,
  };
}

/** Each pending refund runs once as an activity; its final answer goes back into the machine. */
function refundEffects(request: AfterSaleRequest, state: { get(): AfterSaleState; set(s: AfterSaleState): void }): CaseEffects {
  const inFlight = new Set<string>();
  async function run(refundId: string): Promise<void> {
    const refund = state.get().refunds.find((r) => r.id === refundId)!;
    try {
      const receipt = await executeRefund({
        idempotencyKey: refund.idempotencyKey, caseId: request.caseId, merchantId: request.merchantId, orderId: request.orderId, amount: refund.amount,
      });
      state.set(applyRefundResult(state.get(), refundId, { ok: true, ...receipt }, Date.now()));
    } catch (err) {
      const reason = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.message : String(err);
      state.set(applyRefundResult(state.get(), refundId, { ok: false, reason }, Date.now()));
    } finally {
      inFlight.delete(refundId);
    }
  }
  return {
    start() {
      for (const refund of pendingRefunds(state.get())) {
        if (inFlight.has(refund.id)) continue;
        inFlight.add(refund.id);
        void run(refund.id);
      }
    },
    busy: () => inFlight.size > 0,
  };
}

/** The rules a case runs under: each one released behind its own patch (test/replay/README.md). */
function afterSaleRules(): AfterSaleRules {
  return {
    ...(patched('authority-limit-currency') ? { authorityCurrency: true as const } : {}),
    ...(patched('archive-at-close') ? { archiveAtClose: true as const } : {}),
    ...(patched('after-sale-owner-notices') ? { ownerNotices: true as const } : {}),
  };
}

export async function afterSale(request: AfterSaleRequest): Promise<AfterSaleView> {
  const timeZone = timeZoneOf(request.policy);
  const final = await runCase({
    caseId: request.caseId,
    kind: 'after_sale',
    merchantId: request.merchantId,
    timeZone,
    // Opened at the edge's instant, so the API's 201 view and the workflow's state are the same.
    // Rules released after a case may have started: a replayed history keeps the rules it ran under.
    initial: openAfterSale(request, request.openedAt ?? Date.now(), afterSaleRules()),
    machine: afterSaleMachine(timeZone),
    act: afterSaleAct,
    view: afterSaleView,
    effects: (state) => allEffects(
      // The customer journey: later cases about this one link back; a case this one was opened about learns of it.
      journeyEffects(state, { caseId: request.caseId, kind: 'after_sale' }, request.relatedCaseId, 'journey-links'),
      refundEffects(request, state),
      // Warnings and escalations go to the owner once each (cases started before queue none).
      noticeEffects(state, {
        caseId: request.caseId, merchantId: request.merchantId,
        unsent: (s) => unsentNotices({ notices: s.notices ?? [] }),
        markSent: (s, id, now) => (s.notices ? markNoticeSent({ ...s, notices: s.notices }, id, now) : s),
      }),
      startSurveyOnClose(() => afterSaleSurveyRequest(state.get())),
      notifyOriginOnClose(request.origin, () => {
        const s = state.get();
        return s.status !== 'closed' ? null : {
          caseId: request.caseId, kind: 'after_sale', status: s.status, outcome: s.outcome,
          refunded: { amount: refundedSoFar(s), currency: s.refundCap.currency }, at: s.updatedAt,
        };
      }),
    ),
  });
  return viewOf(final, SYSTEM_ACTOR, Date.now(), timeZone);
}

/**
 * Starts a pre-approved after-sale as a child another case runs its money through (a complaint's refund, an
 * order issue's compensation): under its deterministic id, searchable from the start, outliving its origin
 * (ABANDON). A start repeated after a restart finds it already running, which is success.
 */
export async function startLinkedAfterSale(request: AfterSaleRequest): Promise<void> {
  const searchAttributes = [
    { key: MerchantId, value: request.merchantId }, { key: OrderId, value: request.orderId }, { key: PolicyId, value: request.policy.id },
    ...startSearchAttributes(afterSaleVisibility(openAfterSale(request, request.openedAt!))),
  ] as SearchAttributePair[];
  try {
    await startChild(afterSale, {
      workflowId: request.caseId, args: [request], parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { merchantId: request.merchantId, requestFingerprint: request.requestFingerprint }, typedSearchAttributes: searchAttributes,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
