/**
 * The after-sale machine as the workflow, the edge and the tests see it: opening (./open), actions
 * (./actions), what silence does (./silence), the gateway's refund results (./refund-results), and the
 * moves they share (./moves). Pure.
 */
export { isAfterSaleFinished, openAfterSale } from './open';
export { allowedAfterSaleActions, applyAfterSaleAction, checkAfterSaleAction, escalationOpensAt } from './actions';
export { AFTER_SALE_SILENCE, advanceAfterSaleClock, nextWakeAt } from './silence';
export { applyRefundResult, pendingRefunds, type RefundResult } from './refund-results';
export { afterGoodsReceived, executeRuling, grantRequest, refundedSoFar } from './moves';
