/**
 * The payment sandbox behind real HTTP, for tests that kill the worker or run it as a production process:
 * it lives in the test process, so its ledger outlives any worker. Speaks the protocol of
 * activities/adapters/http-payments.ts (POST {base}/refunds, Idempotency-Key header, hex HMAC-SHA256 of the
 * body in x-signature; 401 on a bad signature) and is steerable: hold answers to keep refunds in flight,
 * refuse for good (422), fail in passing (500, 429, an answer lost after commit). Every request is logged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SandboxPaymentGateway, type LedgerEntry, type SandboxFault } from '../../activities/adapters/sandbox-payments';
import type { RefundOrder } from '../../activities/adapters/payments';

export interface PaymentRequestRecord {
  system: 'payments';
  method: string;
  path: string;
  idempotencyKey?: string;
  signatureValid: boolean;
  /** What the server answered (0: the connection was dropped without an answer). */
  status: number;
  at: number;
  body?: unknown;
}

export interface PaymentServerOptions {
  /** Default: a fixed test secret (existing tests rely on it); outside-systems.ts passes a random one. */
  secret?: string;
  /** A path the gateway lives under, e.g. `/pay/v1` (the URL then has no trailing slash). Default: none. */
  basePath?: string;
  /** Listen address (default 127.0.0.1) and the host written into `url` (default: the listen address). */
  host?: string;
  advertisedHost?: string;
  /** Serve HTTPS with this key and certificate instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface PaymentServer {
  url: string;
  secret: string;
  gateway: SandboxPaymentGateway;
  /** Requests received, duplicates and bad signatures included. */
  requests: number;
  /** Every request in arrival order, with the signature verdict and the answer. */
  log: PaymentRequestRecord[];
  /** Requests refused with 401 for their signature. */
  readonly badSignatures: number;
  /** Answer only after this many ms (the refund is committed first, as a slow gateway would). */
  holdAnswersMs: number;
  /** The next `times` validly signed refunds are refused for good (HTTP 422). */
  refuseNext(times?: number): void;
  /** The next `times` validly signed refunds fail in passing: 500, 429 (retry-after 1), or committed but unanswered. */
  failNext(fault: Exclude<SandboxFault, 'refuse'>, times?: number): void;
  /** Requests that carried this idempotency key (every attempt counts). */
  requestsFor(idempotencyKey: string): number;
  /** Refunds committed (one per idempotency key), for one case or all. */
  ledger(caseId?: string): LedgerEntry[];
  close(): Promise<void>;
}

export function hexSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time comparison of a received header with the expected signature. */
export function signatureMatches(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startPaymentServer(options: PaymentServerOptions = {}): Promise<PaymentServer> {
  const secret = options.secret ?? 'payments-test-secret-0123456789';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const gateway = new SandboxPaymentGateway();
  const state = { requests: 0, holdAnswersMs: 0 };
  const log: PaymentRequestRecord[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
      const signatureValid = signatureMatches(req.headers['x-signature'], hexSignature(body, secret));
      const record: PaymentRequestRecord = { system: 'payments', method: req.method ?? '', path: req.url ?? '', idempotencyKey, signatureValid, status: 0, at: Date.now() };
      try {
        record.body = body ? JSON.parse(body) : undefined;
      } catch {
        record.body = body;
      }
      log.push(record);
      const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        if (json === undefined) res.writeHead(status, headers).end();
        else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      };
      if (req.method !== 'POST' || req.url !== `${basePath}/refunds`) return answer(404);
      if (!signatureValid) return answer(401, { error: 'bad_signature' });
      const order = record.body as RefundOrder;
      if (!order || typeof order !== 'object' || idempotencyKey !== order.idempotencyKey) return answer(400, { error: 'idempotency_key_mismatch' });
      const callsBefore = gateway.calls.length;
      gateway.refund(order).then(
        (receipt) => setTimeout(() => answer(200, { gatewayRef: receipt.gatewayRef, executedAt: new Date(receipt.executedAt).toISOString() }), state.holdAnswersMs),
        () => {
          const fault = gateway.calls[callsBefore]?.answer;
          if (fault === 'refuse') answer(422, { error: 'not_refundable' });
          else if (fault === 'http_429') answer(429, { error: 'slow_down' }, { 'retry-after': '1' });
          else if (fault === 'timeout_after_commit') {
            // Committed, but the answer is lost on the way back: the caller sees a dropped connection.
            record.status = 0;
            res.destroy();
          } else answer(fault === 'http_500' ? 500 : 503);
        },
      );
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${options.advertisedHost ?? host}:${port}${basePath || '/'}`;
  return Object.defineProperties({
    url,
    secret,
    gateway,
    log,
    refuseNext: (times = 1) => gateway.injectFault('refuse', times),
    failNext: (fault: Exclude<SandboxFault, 'refuse'>, times = 1) => gateway.injectFault(fault, times),
    requestsFor: (key: string) => log.filter((r) => r.idempotencyKey === key).length,
    ledger: (caseId?: string) => (caseId === undefined ? gateway.entries() : gateway.entriesFor(caseId)),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  } as unknown as PaymentServer, {
    requests: { get: () => state.requests, enumerable: true },
    badSignatures: { get: () => log.filter((r) => !r.signatureValid).length, enumerable: true },
    holdAnswersMs: { get: () => state.holdAnswersMs, set: (ms: number) => { state.holdAnswersMs = ms; }, enumerable: true },
  });
}
