/**
 * The production logistics and order adapters against a loopback HTTP server: the paths and methods they
 * call, the signature over method, path and body, the case-derived Idempotency-Key on every change, and a
 * clear error (so the activity retries) when the service fails.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpLogistics, HttpOrders } from '../../../activities/adapters/http-order-systems';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }
const seen: Seen[] = [];
let server: Server;
let base: string;
let failNext = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (failNext) {
        failNext = false;
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url!.startsWith('/parcels/')) res.end(JSON.stringify({ trackingNumber: 'SF 1', status: 'in_transit' }));
      else if (req.url === '/carrier-inquiries') res.end(JSON.stringify({ reference: 'CI-9' }));
      else if (req.url!.endsWith('/address')) res.end(JSON.stringify({ changed: true }));
      else res.end(JSON.stringify({ orderId: 'o-1', shipped: false, paymentStatus: 'paid' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sign = (text: string, secret: string) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;

describe('HttpLogistics', () => {
  it('tracks by number (escaped) and opens a carrier inquiry once per id', async () => {
    const logistics = new HttpLogistics({ url: base, secret: 'sec-l' });
    expect(await logistics.track('SF 1')).toMatchObject({ status: 'in_transit' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/parcels/SF%201' });
    expect(seen.at(-1)!.headers['x-signature']).toBe(sign('GET parcels/SF%201\n', 'sec-l'));
    const request = { id: 'oi_1:carrier:1', caseId: 'oi_1', merchantId: 'm-a', kind: 'trace' as const, trackingNumber: 'SF1' };
    expect(await logistics.openCarrierInquiry(request)).toEqual({ reference: 'CI-9' });
    const post = seen.at(-1)!;
    expect(post).toMatchObject({ method: 'POST', url: '/carrier-inquiries' });
    expect(post.headers['idempotency-key']).toBe('oi_1:carrier:1');
    expect(JSON.parse(post.body)).toEqual(request);
    expect(post.headers['x-signature']).toBe(sign(`POST carrier-inquiries\n${post.body}`, 'sec-l'));
  });
});

describe('HttpOrders', () => {
  it('reads an order and changes its address under the case-derived id', async () => {
    const orders = new HttpOrders({ url: base, secret: 'sec-o' });
    expect(await orders.status('m-a', 'o-1')).toEqual({ orderId: 'o-1', shipped: false, paymentStatus: 'paid' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/merchants/m-a/orders/o-1' });
    const change = { id: 'oi_1:address:4', merchantId: 'm-a', orderId: 'o-1', address: { recipient: 'Li', phone: '1', line1: 'x', city: 'y', country: 'CN' } };
    expect(await orders.changeAddress(change)).toEqual({ changed: true });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/merchants/m-a/orders/o-1/address' });
    expect(seen.at(-1)!.headers['idempotency-key']).toBe('oi_1:address:4');
  });

  it('a failing service is an error naming the call (the activity retries it)', async () => {
    failNext = true;
    await expect(new HttpOrders({ url: base, secret: 's' }).status('m-a', 'o-2')).rejects.toThrow(/GET merchants\/m-a\/orders\/o-2 answered HTTP 503/);
  });
});
