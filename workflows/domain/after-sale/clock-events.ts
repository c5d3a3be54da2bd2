/**
 * Kept for importers outside the domain that name this file (the after-sale route opens the 201 view from
 * it): opening and the clock now live in ./open and ./silence; ./machine is the kind's one entry point.
 */
export { advanceAfterSaleClock, applyRefundResult, isAfterSaleFinished, nextWakeAt, openAfterSale, pendingRefunds, type RefundResult } from './machine';
