/**
 * The payment sandbox behind real HTTP, for tests that kill the worker: it lives in the test process, so
 * its ledger outlives any worker. Speaks the protocol of activities/adapters/http-payments.ts (POST
 * /refunds, Idempotency-Key header, HMAC x-signature) and can hold its answers to keep refunds in flight.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxPaymentGateway } from '../../activities/adapters/sandbox-payments';
import type { RefundOrder } from '../../activities/adapters/payments';

export interface PaymentServer {
  url: string;
  secret: string;
  gateway: SandboxPaymentGateway;
  /** Requests received, duplicates included. */
  requests: number;
  /** Answer only after this many ms (the refund is committed first, as a slow gateway would). */
  holdAnswersMs: number;
  close(): Promise<void>;
}

export async function startPaymentServer(): Promise<PaymentServer> {
  const secret = 'payments-test-secret-0123456789';
  const gateway = new SandboxPaymentGateway();
  const state = { requests: 0, holdAnswersMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = createHmac('sha256', secret).update(body).digest('hex');
      if (req.method !== 'POST' || req.url !== '/refunds' || req.headers['x-signature'] !== signature) {
        res.writeHead(401).end();
        return;
      }
      const order = JSON.parse(body) as RefundOrder;
      if (req.headers['idempotency-key'] !== order.idempotencyKey) {
        res.writeHead(400).end();
        return;
      }
      gateway.refund(order).then(
        (receipt) => setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ gatewayRef: receipt.gatewayRef, executedAt: new Date(receipt.executedAt).toISOString() }));
        }, state.holdAnswersMs),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.defineProperties({
    url: `http://127.0.0.1:${port}/`,
    secret,
    gateway,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  } as PaymentServer, {
    requests: { get: () => state.requests },
    holdAnswersMs: { get: () => state.holdAnswersMs, set: (ms: number) => { state.holdAnswersMs = ms; } },
  });
}
