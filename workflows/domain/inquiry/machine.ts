/**
 * The inquiry state machine (售前咨询): the customer asks → we answer within the response target → follow-ups
 * while the customer is quiet → converted (an order is placed) or closed; after the last follow-up the
 * inquiry closes by itself. Rules:
 * - Every customer message that finds us not waiting opens a response target named `firstResponse` (the
 *   policy names only firstResponse and followUp); the first response KPI is the first answer only.
 * - A breached response target moves the inquiry one tier up (L1 agent → L2 team lead → …) and the new owner
 *   gets the target again; at L4 the owner is told it breached.
 * - `followUp` is the customer's clock: each breach sends a follow-up, the one after the last closes the
 *   inquiry `no_response` (a default outcome). A further `reply` while the customer is quiet starts them again.
 * Pure: `checkInquiryAction` decides, `applyInquiryAction` and `advanceInquiryClock` change a copy.
 */
import { nextWakeAt } from '../service-case/core';
import type { KindMachine } from '../service-case/kind-machine';
import { applyInquiryAction, checkInquiryAction } from './actions';
import { isInquiryFinished } from './open';
import { advanceInquiryClock } from './silence';
import type { InquiryActionRequest, InquiryState } from './types';
import { inquiryView, inquiryVisibility, type InquiryView } from './view';
export { isInquiryFinished, openInquiry } from './open';
export { allowedInquiryActions, applyInquiryAction, checkInquiryAction } from './actions';
export { INQUIRY_SILENCE, advanceInquiryClock } from './silence';
export { settingsOf } from './moves';

/** The machine as one object: what the case runtime drives and the edge opens a case's first view with. */
export const INQUIRY_MACHINE: KindMachine<InquiryState, InquiryActionRequest, InquiryView> = {
  check: checkInquiryAction, apply: applyInquiryAction, advance: advanceInquiryClock, nextWakeAt, finished: isInquiryFinished,
  view: inquiryView, visibility: inquiryVisibility,
};
