/**
 * The after-sale machine as the workflow, the edge and the tests see it: opening (./open), actions
 * (./actions), what silence does (./silence), the gateway's refund results (./refund-results), and the
 * moves they share (./moves). Pure.
 */
import type { KindMachine } from '../service-case/kind-machine';
import { checkAfterSaleAction, applyAfterSaleAction } from './actions';
import { isAfterSaleFinished } from './open';
import { advanceAfterSaleClock, nextWakeAt } from './silence';
import type { AfterSaleActionRequest, AfterSaleState } from './types';
import { afterSaleView, afterSaleVisibility, type AfterSaleView } from './view';
export { isAfterSaleFinished, openAfterSale } from './open';
export { allowedAfterSaleActions, applyAfterSaleAction, checkAfterSaleAction, escalationOpensAt } from './actions';
export { AFTER_SALE_SILENCE, advanceAfterSaleClock, nextWakeAt } from './silence';
export { applyRefundResult, pendingRefunds, type RefundResult } from './refund-results';
export { afterGoodsReceived, executeRuling, grantRequest, refundedSoFar } from './moves';

/** The machine as one object: what the case runtime drives and the edge opens a case's first view with. */
export const AFTER_SALE_MACHINE: KindMachine<AfterSaleState, AfterSaleActionRequest, AfterSaleView> = {
  check: checkAfterSaleAction, apply: applyAfterSaleAction, advance: advanceAfterSaleClock, nextWakeAt, finished: isAfterSaleFinished,
  view: (s, viewer, timeZone, now) => afterSaleView(s, viewer, now, timeZone), visibility: afterSaleVisibility,
};
