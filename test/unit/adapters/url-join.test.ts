/**
 * URL joining of the HTTP adapters: a base URL with or without a trailing slash, with or without a path
 * of its own, keeps its whole path; and the payment, logistics and order adapters really call under a
 * base path given without a trailing slash (they once dropped its last segment).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinUrl } from '../../../activities/adapters/url';
import { HttpPaymentGateway } from '../../../activities/adapters/http-payments';
import { HttpLogistics, HttpOrders } from '../../../activities/adapters/http-order-systems';

describe('joinUrl', () => {
  it.each([
    ['host only, no slash', 'https://x.test', 'refunds', 'https://x.test/refunds'],
    ['host only, slash', 'https://x.test/', 'refunds', 'https://x.test/refunds'],
    ['a path, no trailing slash', 'https://x.test/api', 'refunds', 'https://x.test/api/refunds'],
    ['a path, trailing slash', 'https://x.test/api/', 'refunds', 'https://x.test/api/refunds'],
    ['a deeper path, no slash', 'https://x.test/pay/v2', 'refunds', 'https://x.test/pay/v2/refunds'],
    ['several trailing slashes', 'https://x.test/api//', 'refunds', 'https://x.test/api/refunds'],
    ['a leading slash on the path stays under the base', 'https://x.test/api', '/refunds', 'https://x.test/api/refunds'],
    ['a nested, escaped path', 'https://x.test/logistics', 'parcels/SF%201', 'https://x.test/logistics/parcels/SF%201'],
    ['an escaped slash stays escaped', 'https://x.test/oms', 'merchants/m-a/orders/o%2F1/address', 'https://x.test/oms/merchants/m-a/orders/o%2F1/address'],
    ['a port', 'http://127.0.0.1:8080/api', 'carrier-inquiries', 'http://127.0.0.1:8080/api/carrier-inquiries'],
    ['a query-less base with a path', 'https://x.test/a/b', 'c', 'https://x.test/a/b/c'],
    ['a base with a query keeps it', 'https://x.test/api?tenant=t1', 'refunds', 'https://x.test/api/refunds?tenant=t1'],
  ])('%s: %s + %s → %s', (_label, base, path, expected) => {
    expect(joinUrl(base, path).toString()).toBe(expected);
  });

  it('an invalid base is an error, not a silent relative URL', () => {
    expect(() => joinUrl('not a url', 'refunds')).toThrow();
  });
});

describe('the adapters call under a base path without a trailing slash', () => {
  const seen: string[] = [];
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`);
        const url = req.url!;
        res.writeHead(200, { 'content-type': 'application/json' });
        if (url.endsWith('/refunds')) res.end(JSON.stringify({ gatewayRef: 'g-1', executedAt: new Date().toISOString() }));
        else if (url.includes('/parcels/')) res.end(JSON.stringify({ trackingNumber: 'SF1', status: 'in_transit' }));
        else if (url.endsWith('/carrier-inquiries')) res.end(JSON.stringify({ reference: 'CI-1' }));
        else if (url.endsWith('/address')) res.end(JSON.stringify({ changed: true }));
        else res.end(JSON.stringify({ orderId: 'o-1', shipped: false, paymentStatus: 'paid' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('payments: POST {base}/refunds', async () => {
    const gateway = new HttpPaymentGateway({ baseUrl: `${origin}/pay/v1`, secret: 's' });
    await gateway.refund({ idempotencyKey: 'as_1:refund:1', caseId: 'as_1', merchantId: 'm-a', orderId: 'o-1', amount: { amount: 100, currency: 'CNY' } });
    expect(seen.at(-1)).toBe('POST /pay/v1/refunds');
  });

  it('logistics and orders: every endpoint under {base}/', async () => {
    const logistics = new HttpLogistics({ url: `${origin}/logistics`, secret: 's' });
    const orders = new HttpOrders({ url: `${origin}/oms/api`, secret: 's' });
    await logistics.track('SF1');
    await logistics.openCarrierInquiry({ id: 'oi_1:carrier:1', caseId: 'oi_1', merchantId: 'm-a', kind: 'trace' });
    await orders.status('m-a', 'o-1');
    await orders.changeAddress({ id: 'oi_1:address:3', merchantId: 'm-a', orderId: 'o-1', address: { recipient: 'L', phone: '1', line1: 'x', city: 'y', country: 'CN' } });
    expect(seen.slice(-4)).toEqual([
      'GET /logistics/parcels/SF1',
      'POST /logistics/carrier-inquiries',
      'GET /oms/api/merchants/m-a/orders/o-1',
      'POST /oms/api/merchants/m-a/orders/o-1/address',
    ]);
  });
});
