/**
 * Production logistics and order ports over HTTP: signed JSON calls to the merchant's (or marketplace's)
 * logistics and order services, carrying the case-derived id as Idempotency-Key on every change.
 */
import type { CarrierInquiryRequest, LogisticsService, TrackingAnswer } from './logistics';
import type { AddressChangeRequest, OrderService, OrderStatusAnswer } from './orders';
import { joinUrl } from './url';
import { signBody } from './webhooks';

interface HttpOptions { url: string; secret: string; timeoutMs?: number }

async function call<T>(o: HttpOptions, method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const response = await fetch(joinUrl(o.url, path), {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      'x-signature': signBody(`${method} ${path}\n${payload}`, o.secret),
    },
    ...(body !== undefined ? { body: payload } : {}),
    signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
  }).catch((err: Error) => {
    throw new Error(`${new URL(o.url).host} unreachable: ${err.message}`);
  });
  if (!response.ok) throw new Error(`${method} ${path} answered HTTP ${response.status}`);
  return (await response.json()) as T;
}

export class HttpLogistics implements LogisticsService {
  constructor(private readonly o: HttpOptions) {}
  track(trackingNumber: string): Promise<TrackingAnswer> {
    return call(this.o, 'GET', `parcels/${encodeURIComponent(trackingNumber)}`);
  }
  openCarrierInquiry(request: CarrierInquiryRequest): Promise<{ reference: string }> {
    return call(this.o, 'POST', 'carrier-inquiries', request, request.id);
  }
}

export class HttpOrders implements OrderService {
  constructor(private readonly o: HttpOptions) {}
  status(merchantId: string, orderId: string): Promise<OrderStatusAnswer> {
    return call(this.o, 'GET', `merchants/${encodeURIComponent(merchantId)}/orders/${encodeURIComponent(orderId)}`);
  }
  changeAddress(request: AddressChangeRequest): Promise<{ changed: boolean; reason?: string }> {
    return call(this.o, 'POST', `merchants/${encodeURIComponent(request.merchantId)}/orders/${encodeURIComponent(request.orderId)}/address`, request, request.id);
  }
}
