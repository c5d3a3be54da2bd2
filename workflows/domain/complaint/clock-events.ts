/**
 * Kept for importers outside the domain that name this file (the complaint route opens the 201 view from
 * it): opening, the clock and linked results now live in ./open, ./silence and ./linked; ./machine is the
 * kind's one entry point.
 */
export {
  advanceComplaintClock, isComplaintFinished, linkedCaseClosed, linkedCaseStarted, nextWakeAt, openComplaint, serviceRecovery, type LinkedOutcome,
} from './machine';
