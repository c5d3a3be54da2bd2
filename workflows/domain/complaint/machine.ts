/**
 * The complaint machine as the workflow, the edge and the tests see it: opening (./open), actions
 * (./actions), what silence does (./silence), what other cases do (./linked), and the moves they share
 * (./moves). Pure.
 */
import type { KindMachine } from '../service-case/kind-machine';
import { applyComplaintAction, checkComplaintAction } from './actions';
import { isComplaintFinished } from './open';
import { advanceComplaintClock, nextWakeAt } from './silence';
import type { ComplaintActionRequest, ComplaintState } from './types';
import { complaintView, complaintVisibility, type ComplaintView } from './view';
export { isComplaintFinished, openComplaint } from './open';
export { allowedComplaintActions, applyComplaintAction, checkComplaintAction } from './actions';
export { COMPLAINT_SILENCE, advanceComplaintClock, nextWakeAt } from './silence';
export { linkedCaseClosed, linkedCaseStarted, serviceRecovery, type LinkedOutcome } from './linked';
export { acceptSolution, confirmResolution, resolveCase } from './moves';

/** The machine as one object: what the case runtime drives and the edge opens a case's first view with. */
export const COMPLAINT_MACHINE: KindMachine<ComplaintState, ComplaintActionRequest, ComplaintView> = {
  check: checkComplaintAction, apply: applyComplaintAction, advance: advanceComplaintClock, nextWakeAt, finished: isComplaintFinished,
  view: complaintView, visibility: complaintVisibility,
};
