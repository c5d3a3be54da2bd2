/**
 * Complaint case workflow (投诉处理): receive → first response → investigate → propose → implement →
 * archive and feed back, with per-priority targets, escalation L1→L4 at each breach, four-eyes approval of
 * money, linked after-sales for refund/replacement/repair, and a satisfaction survey at close. It only
 * orchestrates: the pure machine in ./domain/complaint decides; the kind's definition (./case-kind) runs it.
 */
import { defineQuery, defineUpdate, patched, setHandler } from '@temporalio/workflow';
import type { Actor } from './domain/case';
import {
  COMPLAINT_MACHINE, linkedCaseClosed as applyLinkedCaseClosed, linkedCaseStarted, openComplaint, serviceRecovery as applyServiceRecovery,
} from './domain/complaint/machine';
import { afterSaleRequestFor } from './domain/complaint/solutions';
import type { ComplaintActionRequest, ComplaintRequest, ComplaintState } from './domain/complaint/types';
import type { ComplaintView } from './domain/complaint/view';
import { linkedAfterSaleEffects } from './after-sale';
import type { CaseEffects } from './case-runtime';
import { defineCaseKind, surveyAtClose } from './case-kind';
import type { StateAccess } from './service-effects';
import { linkedCaseClosed } from './links';
import { serviceRecovery } from './survey';

export interface ComplaintActResult {
  view: ComplaintView;
  fingerprint: string;
}

/** State-changing request from the API; rejected transitions fail validation and never reach history. */
export const complaintAct = defineUpdate<ComplaintActResult, [ComplaintActionRequest]>('act');
/** The case view for a caller (allowed actions depend on the caller's role). */
export const complaintView = defineQuery<ComplaintView, [Actor]>('view');

/** Signals from other workflows: the linked after-sale's result, service recovery from the survey. */
function signalHandlers(state: StateAccess<ComplaintState>): CaseEffects {
  setHandler(linkedCaseClosed, (outcome) => state.set(applyLinkedCaseClosed(state.get(), outcome, Date.now())));
  setHandler(serviceRecovery, (recovery) => state.set(applyServiceRecovery(state.get(), recovery, Date.now()).state));
  return { start: () => undefined, busy: () => false };
}

export const COMPLAINT = defineCaseKind<ComplaintRequest, ComplaintState, ComplaintActionRequest, ComplaintView>({
  kind: 'complaint',
  act: complaintAct,
  view: complaintView,
  machine: COMPLAINT_MACHINE,
  open: (request, now) => openComplaint(request, now),
  // Complaints recorded before the reopen rules keep the earlier ones on replay.
  openInWorkflow: (request, now) => openComplaint(request, now, patched('complaint-reopen-rules'), patched('authority-limit-currency')),
  journeyPatch: 'journey-links',
  survey: (s, request) => surveyAtClose(s, request, 'complaint'),
  effects: ({ state, journey, notices, survey }) => [
    signalHandlers(state), journey(), notices(),
    // An accepted refund, replacement or repair runs as a pre-approved after-sale that outlives the complaint.
    linkedAfterSaleEffects(state, {
      pending: (s) => s.solutions.filter((x) => x.linkedCase && !x.linkedCase.started).map((x) => x.number),
      requestFor: (s, number, now) => afterSaleRequestFor(s, s.solutions.find((x) => x.number === number)!, now),
      started: linkedCaseStarted,
    }),
    survey(),
  ],
});

export function complaint(request: ComplaintRequest): Promise<ComplaintView> {
  return COMPLAINT.run(request);
}
