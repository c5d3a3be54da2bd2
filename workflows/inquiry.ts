/**
 * Pre-sale inquiry workflow (售前咨询): the response target with warning and escalation, follow-ups while
 * the customer is quiet and the automatic close after the last, conversion to an order, and an optional
 * survey. It only orchestrates: the pure machine in ./domain/inquiry decides; the kind's definition
 * (./case-kind) runs it.
 */
import { defineQuery, defineUpdate, patched } from '@temporalio/workflow';
import type { Actor } from './domain/case';
import { inquirySettings } from './domain/policy/sections/inquiry';
import { INQUIRY_MACHINE, openInquiry } from './domain/inquiry/machine';
import type { InquiryActionRequest, InquiryRequest, InquiryState } from './domain/inquiry/types';
import type { InquiryView } from './domain/inquiry/view';
import { defineCaseKind, surveyAtClose } from './case-kind';

/** State-changing request from the API; rejected transitions fail validation and never reach history. */
export const inquiryAct = defineUpdate<{ view: InquiryView; fingerprint: string }, [InquiryActionRequest]>('act');
export const inquiryView = defineQuery<InquiryView, [Actor]>('view');

export const INQUIRY = defineCaseKind<InquiryRequest, InquiryState, InquiryActionRequest, InquiryView>({
  kind: 'inquiry',
  act: inquiryAct,
  view: inquiryView,
  machine: INQUIRY_MACHINE,
  open: (request, now) => openInquiry(request, now),
  // Archiving at close came after cases were running: a replayed history closes as it recorded.
  openInWorkflow: (request, now) => openInquiry(request, now, patched('archive-at-close')),
  // The order an inquiry converted to is its own (the request has none).
  survey: (s, request) => (inquirySettings(request.policy.inquiry).survey ? surveyAtClose(s, request, 'inquiry', { orderId: s.orderId }) : null),
});

export function inquiry(request: InquiryRequest): Promise<InquiryView> {
  return INQUIRY.run(request);
}
