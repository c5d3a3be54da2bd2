/**
 * Complaint case workflow (投诉处理): receive → first response → investigate → propose → implement →
 * archive and feed back, with per-priority targets, escalation L1→L4 at each breach, four-eyes approval of
 * money, linked after-sales for refund/replacement/repair, and a satisfaction survey at close. It only
 * orchestrates: the pure machine in ./domain/complaint decides; the shared case runtime runs the loop.
 */
import { defineQuery, defineUpdate, patched, setHandler } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Actor } from './domain/case';
import {
  advanceComplaintClock, applyComplaintAction, checkComplaintAction, isComplaintFinished, linkedCaseClosed as applyLinkedCaseClosed, linkedCaseStarted, nextWakeAt,
  openComplaint, serviceRecovery as applyServiceRecovery,
} from './domain/complaint/machine';
import { markNoticeSent, unsentNotices } from './domain/service-case/core';
import { afterSaleRequestFor } from './domain/complaint/solutions';
import type { ComplaintActionRequest, ComplaintRequest, ComplaintState } from './domain/complaint/types';
import { complaintView as viewOf, complaintVisibility, type ComplaintView } from './domain/complaint/view';
import { timeZoneOf } from './domain/schedule';
import { caseCalendarGaps, learnCaseCalendarYears, withDeadlineWarnings } from './domain/calendar-years';
import { startLinkedAfterSale } from './after-sale';
import { allEffects, runCase, type CaseEffects, type CaseMachine } from './case-runtime';
import { journeyEffects, noticeEffects } from './service-effects';
import { linkedCaseClosed } from './links';
import { serviceRecovery, startSurveyOnClose } from './survey';

export { complaintVisibility };

export interface ComplaintActResult {
  view: ComplaintView;
  fingerprint: string;
}

/** State-changing request from the API; rejected transitions fail validation and never reach history. */
export const complaintAct = defineUpdate<ComplaintActResult, [ComplaintActionRequest]>('act');
/** The case view for a caller (allowed actions depend on the caller's role). */
export const complaintView = defineQuery<ComplaintView, [Actor]>('view');

type StateAccess = { get(): ComplaintState; set(s: ComplaintState): void };

function complaintMachine(timeZone: string): CaseMachine<ComplaintState, ComplaintActionRequest, ComplaintView> {
  return {
    check: (s, req) => checkComplaintAction(s, req),
    apply: applyComplaintAction,
    advance: advanceComplaintClock,
    nextWakeAt,
    finished: isComplaintFinished,
    view: (s, viewer) => withDeadlineWarnings(viewOf(s, viewer, timeZone), s),
    visibility: complaintVisibility,
    timeline: (s) => s.timeline,
    revision: (s) => s.revision,
    calendarGaps: caseCalendarGaps,
    learnCalendarYears: learnCaseCalendarYears,
  };
}

/** An accepted refund, replacement or repair runs as a pre-approved after-sale child that outlives us. */
function linkedAfterSaleEffects(state: StateAccess): CaseEffects {
  const starting = new Set<number>();
  async function start(solutionNumber: number): Promise<void> {
    const s = state.get();
    const solution = s.solutions.find((x) => x.number === solutionNumber)!;
    const request = afterSaleRequestFor(s, solution, Date.now());
    await startLinkedAfterSale(request);
    state.set(linkedCaseStarted(state.get(), solutionNumber, Date.now()));
  }
  return {
    start() {
      for (const solution of state.get().solutions) {
        if (!solution.linkedCase || solution.linkedCase.started || starting.has(solution.number)) continue;
        starting.add(solution.number);
        void start(solution.number).finally(() => starting.delete(solution.number));
      }
    },
    busy: () => starting.size > 0,
  };
}

/** Signals from other workflows: the linked after-sale's result, service recovery from the survey. */
function signalHandlers(state: StateAccess): CaseEffects {
  setHandler(linkedCaseClosed, (outcome) => state.set(applyLinkedCaseClosed(state.get(), outcome, Date.now())));
  setHandler(serviceRecovery, (recovery) => state.set(applyServiceRecovery(state.get(), recovery, Date.now()).state));
  return { start: () => undefined, busy: () => false };
}

export async function complaint(request: ComplaintRequest): Promise<ComplaintView> {
  const timeZone = timeZoneOf(request.policy);
  const final = await runCase({
    caseId: request.caseId,
    kind: 'complaint',
    merchantId: request.merchantId,
    timeZone,
    // Complaints recorded before the reopen rules keep the earlier ones on replay.
    initial: openComplaint(request, request.openedAt ?? Date.now(), patched('complaint-reopen-rules'), patched('authority-limit-currency')),
    machine: complaintMachine(timeZone),
    act: complaintAct,
    view: complaintView,
    effects: (state) => allEffects(
      signalHandlers(state),
      // The customer journey: later cases about this complaint link back to it; the case it is about learns of it.
      journeyEffects(state, { caseId: request.caseId, kind: 'complaint' }, request.relatedCaseId, 'journey-links'),
      // Warnings, escalations and assignments go to their owner once each.
      noticeEffects(state, { caseId: request.caseId, merchantId: request.merchantId, unsent: unsentNotices, markSent: markNoticeSent }),
      linkedAfterSaleEffects(state),
      startSurveyOnClose(() => {
        const s = state.get();
        return s.status !== 'closed' ? null : {
          caseId: request.caseId, kind: 'complaint', merchantId: request.merchantId, customerRef: request.customerRef,
          ...(request.orderId ? { orderId: request.orderId } : {}), policy: request.policy, closedAt: s.closedAt ?? s.updatedAt,
        };
      }),
    ),
  });
  return viewOf(final, SYSTEM_ACTOR, timeZone);
}
