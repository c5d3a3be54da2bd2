/**
 * Production payment gateway over HTTP: POST {baseUrl}/refunds with the idempotency key as header,
 * HMAC-signed body, a timeout per call. 4xx (but 408/429) is a refusal for good; the rest may be retried.
 */
import { createHmac } from 'node:crypto';
import { joinUrl } from './url';
import { GatewayUnavailableError, RefundRefusedError, type PaymentGateway, type RefundOrder, type RefundReceipt } from './payments';

export interface HttpPaymentGatewayOptions {
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
}

export class HttpPaymentGateway implements PaymentGateway {
  constructor(private readonly options: HttpPaymentGatewayOptions) {}

  async refund(order: RefundOrder): Promise<RefundReceipt> {
    const body = JSON.stringify(order);
    let response: Response;
    try {
      response = await fetch(joinUrl(this.options.baseUrl, 'refunds'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': order.idempotencyKey,
          'x-signature': createHmac('sha256', this.options.secret).update(body).digest('hex'),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new GatewayUnavailableError(`payment gateway unreachable: ${(err as Error).message}`);
    }
    if (response.ok) {
      const receipt = (await response.json()) as { gatewayRef?: string; executedAt?: string | number };
      if (!receipt.gatewayRef) throw new GatewayUnavailableError('payment gateway answered without a gatewayRef');
      const executedAt = typeof receipt.executedAt === 'string' ? Date.parse(receipt.executedAt) : receipt.executedAt ?? Date.now();
      return { gatewayRef: receipt.gatewayRef, executedAt };
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      throw new RefundRefusedError(`payment gateway refused the refund (HTTP ${response.status})`);
    }
    throw new GatewayUnavailableError(`payment gateway answered HTTP ${response.status}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
}
