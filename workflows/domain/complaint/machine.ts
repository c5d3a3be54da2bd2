/**
 * The complaint machine as the workflow, the edge and the tests see it: opening (./open), actions
 * (./actions), what silence does (./silence), what other cases do (./linked), and the moves they share
 * (./moves). Pure.
 */
export { isComplaintFinished, openComplaint } from './open';
export { allowedComplaintActions, applyComplaintAction, checkComplaintAction } from './actions';
export { COMPLAINT_SILENCE, advanceComplaintClock, nextWakeAt } from './silence';
export { linkedCaseClosed, linkedCaseStarted, serviceRecovery, type LinkedOutcome } from './linked';
export { acceptSolution, confirmResolution, resolveCase } from './moves';
