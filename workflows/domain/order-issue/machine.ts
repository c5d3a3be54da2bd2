/**
 * The order-issue machine as the workflow, the edge and the tests see it: opening a case of each type
 * (./open), the actions back offices send (./actions), what silence does (./silence), what the logistics and
 * order systems, carriers and the linked compensation answer (./answers), and the flows' moves they share
 * (./moves). `check*` decides (role, merchant scope, state, input); `apply*` changes a copy. Pure.
 */
export { isOrderIssueFinished, openOrderIssue } from './open';
export { allowedOrderIssueActions, applyOrderIssueAction, checkOrderIssueAction } from './actions';
export { ORDER_ISSUE_SILENCE, advanceOrderIssueClock } from './silence';
export {
  applyAddressChange, applyCarrierInquiryOpened, applyCompensationClosed, applyCompensationStarted, applyLogisticsEvent, applyOrderStatus, applyTracking,
  checkLogisticsEvent,
} from './answers';
