/**
 * Refund activity: sends one refund to the payment gateway under the case-derived idempotency key, so a
 * worker that dies mid-call, or a gateway that times out after committing, never refunds twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import { GatewayUnavailableError, RefundRefusedError, type PaymentGateway, type RefundOrder, type RefundReceipt } from './adapters/payments';

/** ApplicationFailure type the workflow treats as a refusal for good (no retry; case → refund_failed). */
export const REFUND_REFUSED = 'RefundRefused';

export function createRefundActivities(payments: PaymentGateway) {
  return {
    async executeRefund(order: RefundOrder): Promise<RefundReceipt> {
      try {
        return await payments.refund(order);
      } catch (err) {
        if (err instanceof RefundRefusedError) throw ApplicationFailure.nonRetryable(err.message, REFUND_REFUSED);
        if (err instanceof GatewayUnavailableError && err.retryAfterMs) {
          throw ApplicationFailure.create({ message: err.message, type: 'GatewayUnavailable', nextRetryDelay: err.retryAfterMs });
        }
        throw err;
      }
    },
  };
}
