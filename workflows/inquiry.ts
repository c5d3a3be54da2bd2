/**
 * Pre-sale inquiry workflow (售前咨询): the response target with warning and escalation, follow-ups while
 * the customer is quiet and the automatic close after the last, conversion to an order, and an optional
 * survey. It only orchestrates: the pure machine in ./domain/inquiry decides; the shared runtime runs the loop.
 */
import { defineQuery, defineUpdate, patched } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Actor } from './domain/case';
import { inquirySettings } from './domain/policy/sections/inquiry';
import {
  advanceInquiryClock, applyInquiryAction, checkInquiryAction, isInquiryFinished, openInquiry,
} from './domain/inquiry/machine';
import type { InquiryActionRequest, InquiryRequest, InquiryState } from './domain/inquiry/types';
import { inquiryView as viewOf, inquiryVisibility, type InquiryView } from './domain/inquiry/view';
import { nextWakeAt } from './domain/service-case/core';
import { timeZoneOf } from './domain/schedule';
import { caseCalendarGaps, learnCaseCalendarYears, withDeadlineWarnings } from './domain/calendar-years';
import { runCase, type CaseMachine } from './case-runtime';
import { serviceCaseEffects } from './service-effects';

export { inquiryVisibility };

/** State-changing request from the API; rejected transitions fail validation and never reach history. */
export const inquiryAct = defineUpdate<{ view: InquiryView; fingerprint: string }, [InquiryActionRequest]>('act');
export const inquiryView = defineQuery<InquiryView, [Actor]>('view');

function inquiryMachine(timeZone: string): CaseMachine<InquiryState, InquiryActionRequest, InquiryView> {
  return {
    check: (s, req) => checkInquiryAction(s, req),
    apply: applyInquiryAction,
    advance: advanceInquiryClock,
    nextWakeAt,
    finished: isInquiryFinished,
    view: (s, viewer) => withDeadlineWarnings(viewOf(s, viewer, timeZone), s),
    visibility: inquiryVisibility,
    timeline: (s) => s.timeline,
    revision: (s) => s.revision,
    calendarGaps: caseCalendarGaps,
    learnCalendarYears: learnCaseCalendarYears,
  };
}

export async function inquiry(request: InquiryRequest): Promise<InquiryView> {
  const timeZone = timeZoneOf(request.policy);
  const surveyed = inquirySettings(request.policy.inquiry).survey;
  const final = await runCase({
    caseId: request.caseId,
    kind: 'inquiry',
    merchantId: request.merchantId,
    timeZone,
    // Archiving at close came after cases were running: a replayed history closes as it recorded.
    initial: openInquiry(request, request.openedAt ?? Date.now(), patched('archive-at-close')),
    machine: inquiryMachine(timeZone),
    act: inquiryAct,
    view: inquiryView,
    effects: (state) => serviceCaseEffects(state, { caseId: request.caseId, kind: 'inquiry', merchantId: request.merchantId, relatedCaseId: request.relatedCaseId }, () => {
      const s = state.get();
      return !surveyed || s.status !== 'closed' ? null : {
        caseId: request.caseId, kind: 'inquiry', merchantId: request.merchantId, customerRef: request.customerRef,
        ...(s.orderId ? { orderId: s.orderId } : {}), policy: request.policy, closedAt: s.closedAt ?? s.updatedAt,
      };
    }),
  });
  return viewOf(final, SYSTEM_ACTOR, timeZone);
}
