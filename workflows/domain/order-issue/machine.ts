/**
 * The order-issue machine as the workflow, the edge and the tests see it: opening a case of each type
 * (./open), the actions back offices send (./actions), what silence does (./silence), what the logistics and
 * order systems, carriers and the linked compensation answer (./answers), and the flows' moves they share
 * (./moves). `check*` decides (role, merchant scope, state, input); `apply*` changes a copy. Pure.
 */
import { nextWakeAt } from '../service-case/core';
import type { KindMachine } from '../service-case/kind-machine';
import { applyOrderIssueAction, checkOrderIssueAction } from './actions';
import { isOrderIssueFinished } from './open';
import { advanceOrderIssueClock } from './silence';
import type { OrderIssueActionRequest, OrderIssueState } from './types';
import { orderIssueView, orderIssueVisibility, type OrderIssueView } from './view';
export { isOrderIssueFinished, openOrderIssue } from './open';
export { allowedOrderIssueActions, applyOrderIssueAction, checkOrderIssueAction } from './actions';
export { ORDER_ISSUE_SILENCE, advanceOrderIssueClock } from './silence';
export {
  applyAddressChange, applyCarrierInquiryOpened, applyCompensationClosed, applyCompensationStarted, applyLogisticsEvent, applyOrderStatus, applyTracking,
  checkLogisticsEvent,
} from './answers';

/** The machine as one object: what the case runtime drives and the edge opens a case's first view with. */
export const ORDER_ISSUE_MACHINE: KindMachine<OrderIssueState, OrderIssueActionRequest, OrderIssueView> = {
  check: checkOrderIssueAction, apply: applyOrderIssueAction, advance: advanceOrderIssueClock, nextWakeAt, finished: isOrderIssueFinished,
  view: orderIssueView, visibility: orderIssueVisibility,
};
