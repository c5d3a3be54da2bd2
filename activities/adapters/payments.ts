/**
 * The payment (refund) gateway port. Every implementation must treat `idempotencyKey` as the refund's
 * identity: the same key twice moves money once and answers the first result again.
 */
import type { Money } from '../../workflows/domain/case';

export interface RefundOrder {
  idempotencyKey: string;
  caseId: string;
  merchantId: string;
  orderId: string;
  amount: Money;
}

export interface RefundReceipt {
  gatewayRef: string;
  /** Epoch ms at which the gateway committed the refund. */
  executedAt: number;
}

/** The gateway refused for good (account closed, order not refundable): retrying cannot help. */
export class RefundRefusedError extends Error {
  override readonly name = 'RefundRefusedError';
}

/** A passing failure (timeout, 5xx, 429): the same key may be sent again. */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export interface PaymentGateway {
  refund(order: RefundOrder): Promise<RefundReceipt>;
}
