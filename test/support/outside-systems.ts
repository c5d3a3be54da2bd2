/**
 * Every outside system production talks to, as a real HTTP server per system in the test process, for
 * workers run with the HTTP adapters (a child process, or a production build): payments, notifications,
 * logistics, orders and webhooks. Each server verifies the signature exactly as its adapter computes it
 * (401 otherwise), logs every request with its verdict, and is steerable and readable by tests (parcels,
 * orders, the refund ledger, the message outbox, events per case). The records live here, so they outlive
 * any worker process. `env` holds every variable worker/config.ts reads to select the HTTP adapters.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CaseEvent } from '../../activities/adapters/events';
import type { CarrierInquiryRequest, TrackingAnswer } from '../../activities/adapters/logistics';
import type { Notification } from '../../activities/adapters/notifications';
import type { AddressChangeRequest, OrderStatusAnswer } from '../../activities/adapters/orders';
import { signBody } from '../../activities/adapters/webhooks';
import type { ParcelStatus } from '../../workflows/domain/order-issue/types';
import { signatureMatches, startPaymentServer, type PaymentServer } from './payment-server';

export type OutsideSystemName = 'payments' | 'notifications' | 'logistics' | 'orders' | 'webhooks';

/** One request as a server saw it: the signature verdict and what it answered (0: no answer). */
export interface OutsideRequest {
  system: OutsideSystemName;
  method: string;
  path: string;
  idempotencyKey?: string;
  signatureValid: boolean;
  status: number;
  at: number;
  body?: unknown;
}

export interface OutsideSystemsOptions {
  /** Listen address (default 127.0.0.1) and the host the URLs name (default: the listen address). */
  host?: string;
  advertisedHost?: string;
  /** Serve HTTPS with this key and certificate (the worker then needs the CA, e.g. NODE_EXTRA_CA_CERTS). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Secrets to use instead of fresh random ones. */
  secrets?: Partial<Record<OutsideSystemName, string>>;
}

interface Steerable {
  url: string;
  secret: string;
  /** Every request in arrival order (bad signatures and duplicates included). */
  log: OutsideRequest[];
  readonly badSignatures: number;
  /** The next `times` validly signed requests answer `status` (default 503): a passing failure. */
  failNext(times?: number, status?: number): void;
}

export interface NotificationsServer extends Steerable {
  /** Messages delivered (one per notification id, first delivery kept), by case and type. */
  messages(filter?: { caseId?: string; type?: string }): Notification[];
  /** How many times a notification id was POSTed with a valid signature (retries count). */
  deliveriesOf(id: string): number;
  /** The `survey.sent` message of a case, once it is there: what a survey system would answer to. */
  survey(caseId: string): { surveyId: string; caseId: string; notification: Notification } | undefined;
}

export interface LogisticsServer extends Steerable {
  /** What tracking says about a parcel; a parcel nobody set shows `no_trace`. */
  setParcel(trackingNumber: string, status: ParcelStatus, lastEventAt?: number): void;
  parcel(trackingNumber: string): TrackingAnswer;
  /** Tracking numbers queried, in order (retries included). */
  trackingQueries(trackingNumber?: string): string[];
  /** Carrier inquiries opened (one per Idempotency-Key), with the reference answered. */
  inquiries(caseId?: string): Array<CarrierInquiryRequest & { reference: string }>;
}

export interface OrdersServer extends Steerable {
  /** An order nobody set is paid and not shipped. */
  setOrder(merchantId: string, orderId: string, state: Partial<Omit<OrderStatusAnswer, 'orderId'>>): void;
  order(merchantId: string, orderId: string): OrderStatusAnswer;
  /** Address changes applied (one per Idempotency-Key). */
  addressChanges(orderId?: string): AddressChangeRequest[];
  /** Requests with this Idempotency-Key (every attempt counts). */
  requestsFor(idempotencyKey: string): number;
}

export interface WebhooksServer extends Steerable {
  /** Events as they arrived with a valid signature, duplicates included. */
  arrivals: CaseEvent[];
  /** Events deduplicated by id, in first-arrival order, for one case or all. */
  events(caseId?: string): CaseEvent[];
  /** Arrivals of an id already received (at-least-once delivery made visible). */
  readonly duplicates: number;
  /**
   * Order problems of a case's events: each stream (case events `<caseId>:<n>`, survey events
   * `<caseId>:survey:<n>`) must arrive with strictly increasing, gap-free sequence numbers. Empty when fine.
   */
  orderProblems(caseId: string): string[];
}

export interface OutsideSystems {
  /** PAYMENT_GATEWAY_*, NOTIFICATIONS_*, LOGISTICS_*, ORDERS_* (URL and SECRET) and WEBHOOKS for the worker. */
  env: Record<string, string>;
  payments: PaymentServer;
  notifications: NotificationsServer;
  logistics: LogisticsServer;
  orders: OrdersServer;
  webhooks: WebhooksServer;
  /** Every request of every server, in arrival order per server. */
  log(): Array<OutsideRequest>;
  /** Requests whose signature did not verify (each was answered 401). */
  badSignatures(): OutsideRequest[];
  close(): Promise<void>;
}

/** The same env with every secret replaced by a wrong one: each server then answers 401. */
export function withWrongSecrets(env: Record<string, string>, only?: OutsideSystemName[]): Record<string, string> {
  const names: Record<OutsideSystemName, string> = {
    payments: 'PAYMENT_GATEWAY_SECRET', notifications: 'NOTIFICATIONS_SECRET', logistics: 'LOGISTICS_SECRET', orders: 'ORDERS_SECRET', webhooks: 'WEBHOOKS',
  };
  const wrong = { ...env };
  for (const [system, variable] of Object.entries(names) as Array<[OutsideSystemName, string]>) {
    if (only && !only.includes(system)) continue;
    if (system === 'webhooks') {
      const subscriptions = JSON.parse(env.WEBHOOKS ?? '[]') as Array<{ secret: string }>;
      wrong.WEBHOOKS = JSON.stringify(subscriptions.map((s) => ({ ...s, secret: `wrong-${s.secret}` })));
    } else if (env[variable] !== undefined) wrong[variable] = `wrong-${env[variable]}`;
  }
  return wrong;
}

const newSecret = () => randomBytes(18).toString('base64url');

interface Served {
  server: Server;
  url: string;
  log: OutsideRequest[];
  failures: { remaining: number; status: number };
}

type Route = (request: { method: string; relativePath: string; body: string; json: unknown; idempotencyKey?: string; record: OutsideRequest }) => { status: number; json?: unknown };

/**
 * One signed JSON server under `basePath`: reads the body, checks the signature with `expected`, logs
 * the request, applies injected failures to validly signed requests, then lets `route` answer.
 */
async function serve(
  system: OutsideSystemName,
  basePath: string,
  options: OutsideSystemsOptions,
  expected: (method: string, relativePath: string, body: string) => string,
  route: Route,
): Promise<Served> {
  const log: OutsideRequest[] = [];
  const failures = { remaining: 0, status: 503 };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? '';
      const path = req.url ?? '';
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
      const record: OutsideRequest = { system, method, path, idempotencyKey, signatureValid: false, status: 0, at: Date.now() };
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      record.body = json ?? (body || undefined);
      log.push(record);
      const answer = (status: number, payload?: unknown) => {
        record.status = status;
        if (payload === undefined) res.writeHead(status).end();
        else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      };
      const pathOnly = path.split('?')[0];
      if (pathOnly !== basePath && !pathOnly.startsWith(`${basePath}/`)) return answer(404);
      const relativePath = pathOnly.slice(basePath.length).replace(/^\//, '');
      record.signatureValid = signatureMatches(req.headers['x-signature'], expected(method, relativePath, body));
      if (!record.signatureValid) return answer(401, { error: 'bad_signature' });
      if (failures.remaining > 0) {
        failures.remaining -= 1;
        return answer(failures.status, { error: 'injected_failure' });
      }
      const result = route({ method, relativePath, body, json, idempotencyKey, record });
      answer(result.status, result.json);
    });
  };
  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `${options.tls ? 'https' : 'http'}://${options.advertisedHost ?? host}:${port}${basePath}`, log, failures };
}

function steerable(served: Served, secret: string): Steerable {
  return Object.defineProperties({
    url: served.url,
    secret,
    log: served.log,
    failNext: (times = 1, status = 503) => { served.failures.remaining = times; served.failures.status = status; },
  } as unknown as Steerable, {
    badSignatures: { get: () => served.log.filter((r) => !r.signatureValid).length, enumerable: true },
  });
}

const closeServer = (server: Server) => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });

async function startNotifications(options: OutsideSystemsOptions, secret: string): Promise<{ served: Served; api: NotificationsServer }> {
  const outbox = new Map<string, Notification>();
  const deliveries = new Map<string, number>();
  const served = await serve('notifications', '/messages/send', options, (_m, _p, body) => signBody(body, secret), ({ method, relativePath, json, idempotencyKey }) => {
    if (method !== 'POST' || relativePath !== '') return { status: 404 };
    const notification = json as Notification | undefined;
    if (!notification?.id || idempotencyKey !== notification.id) return { status: 400, json: { error: 'idempotency_key_mismatch' } };
    deliveries.set(notification.id, (deliveries.get(notification.id) ?? 0) + 1);
    if (!outbox.has(notification.id)) outbox.set(notification.id, notification);
    return { status: 202, json: { accepted: notification.id } };
  });
  const messages = (filter: { caseId?: string; type?: string } = {}) => [...outbox.values()]
    .filter((n) => (filter.caseId === undefined || n.caseId === filter.caseId) && (filter.type === undefined || n.type === filter.type));
  const api = Object.assign(steerable(served, secret), {
    messages,
    deliveriesOf: (id: string) => deliveries.get(id) ?? 0,
    survey: (caseId: string) => {
      const notification = messages({ caseId, type: 'survey.sent' })[0];
      return notification ? { surveyId: String(notification.data.surveyId), caseId, notification } : undefined;
    },
  });
  return { served, api };
}

/** Logistics and orders sign `<METHOD> <path relative to the base>\n<body>` (activities/adapters/http-order-systems.ts). */
const orderSystemSignature = (secret: string) => (method: string, relativePath: string, body: string) => signBody(`${method} ${relativePath}\n${body}`, secret);

async function startLogistics(options: OutsideSystemsOptions, secret: string): Promise<{ served: Served; api: LogisticsServer }> {
  const parcels = new Map<string, TrackingAnswer>();
  const queries: string[] = [];
  const inquiries = new Map<string, CarrierInquiryRequest & { reference: string }>();
  const parcel = (trackingNumber: string): TrackingAnswer => parcels.get(trackingNumber) ?? { trackingNumber, status: 'no_trace' };
  const served = await serve('logistics', '/logistics/v1', options, orderSystemSignature(secret), ({ method, relativePath, json, idempotencyKey }) => {
    const tracked = /^parcels\/([^/]+)$/.exec(relativePath);
    if (method === 'GET' && tracked) {
      const trackingNumber = decodeURIComponent(tracked[1]);
      queries.push(trackingNumber);
      return { status: 200, json: parcel(trackingNumber) };
    }
    if (method === 'POST' && relativePath === 'carrier-inquiries') {
      const request = json as CarrierInquiryRequest | undefined;
      if (!request?.id || idempotencyKey !== request.id) return { status: 400, json: { error: 'idempotency_key_mismatch' } };
      const existing = inquiries.get(request.id);
      if (existing) return { status: 200, json: { reference: existing.reference } };
      const reference = `CI-${inquiries.size + 1}`;
      inquiries.set(request.id, { ...request, reference });
      return { status: 201, json: { reference } };
    }
    return { status: 404 };
  });
  const api = Object.assign(steerable(served, secret), {
    setParcel: (trackingNumber: string, status: ParcelStatus, lastEventAt = Date.now()) => { parcels.set(trackingNumber, { trackingNumber, status, lastEventAt }); },
    parcel,
    trackingQueries: (trackingNumber?: string) => queries.filter((q) => trackingNumber === undefined || q === trackingNumber),
    inquiries: (caseId?: string) => [...inquiries.values()].filter((i) => caseId === undefined || i.caseId === caseId),
  });
  return { served, api };
}

async function startOrders(options: OutsideSystemsOptions, secret: string): Promise<{ served: Served; api: OrdersServer }> {
  const orders = new Map<string, OrderStatusAnswer>();
  const changes = new Map<string, { request: AddressChangeRequest; answer: { changed: boolean; reason?: string } }>();
  const keyOf = (merchantId: string, orderId: string) => `${merchantId}\n${orderId}`;
  const order = (merchantId: string, orderId: string): OrderStatusAnswer => orders.get(keyOf(merchantId, orderId)) ?? { orderId, shipped: false, paymentStatus: 'paid' };
  const served = await serve('orders', '/oms/v1', options, orderSystemSignature(secret), ({ method, relativePath, json, idempotencyKey }) => {
    const matched = /^merchants\/([^/]+)\/orders\/([^/]+)(\/address)?$/.exec(relativePath);
    if (!matched) return { status: 404 };
    const merchantId = decodeURIComponent(matched[1]);
    const orderId = decodeURIComponent(matched[2]);
    if (method === 'GET' && !matched[3]) return { status: 200, json: order(merchantId, orderId) };
    if (method === 'POST' && matched[3]) {
      const request = json as AddressChangeRequest | undefined;
      if (!request?.id || idempotencyKey !== request.id) return { status: 400, json: { error: 'idempotency_key_mismatch' } };
      if (request.merchantId !== merchantId || request.orderId !== orderId) return { status: 400, json: { error: 'order_mismatch' } };
      const earlier = changes.get(request.id);
      if (earlier) return { status: 200, json: earlier.answer };
      // Shipped between the check and the change: the order system has the last word.
      const answer = order(merchantId, orderId).shipped ? { changed: false, reason: 'already_shipped' } : { changed: true };
      changes.set(request.id, { request, answer });
      return { status: 200, json: answer };
    }
    return { status: 404 };
  });
  const api = Object.assign(steerable(served, secret), {
    setOrder: (merchantId: string, orderId: string, state: Partial<Omit<OrderStatusAnswer, 'orderId'>>) => {
      orders.set(keyOf(merchantId, orderId), { ...order(merchantId, orderId), ...state });
    },
    order,
    addressChanges: (orderId?: string) => [...changes.values()].filter((c) => c.answer.changed && (orderId === undefined || c.request.orderId === orderId)).map((c) => c.request),
    requestsFor: (key: string) => served.log.filter((r) => r.idempotencyKey === key).length,
  });
  return { served, api };
}

async function startWebhooks(options: OutsideSystemsOptions, secret: string): Promise<{ served: Served; api: WebhooksServer }> {
  const arrivals: CaseEvent[] = [];
  const byId = new Map<string, CaseEvent>();
  const served = await serve('webhooks', '/cs-events', options, (_m, _p, body) => signBody(body, secret), ({ method, relativePath, json, record }) => {
    if (method !== 'POST' || relativePath !== '') return { status: 404 };
    const event = json as CaseEvent | undefined;
    if (!event?.id || typeof event.caseId !== 'string') return { status: 400, json: { error: 'not_an_event' } };
    record.idempotencyKey = event.id;
    arrivals.push(event);
    if (!byId.has(event.id)) byId.set(event.id, event);
    return { status: 204 };
  });
  const events = (caseId?: string) => [...byId.values()].filter((e) => caseId === undefined || e.caseId === caseId);
  const api = Object.defineProperties(Object.assign(steerable(served, secret), {
    arrivals,
    events,
    orderProblems: (caseId: string) => {
      const problems: string[] = [];
      const last = new Map<string, number>();
      for (const event of events(caseId)) {
        const split = event.id.lastIndexOf(':');
        const stream = event.id.slice(0, split);
        const sequence = Number(event.id.slice(split + 1));
        if (!stream.startsWith(caseId) || !Number.isInteger(sequence)) {
          problems.push(`${event.id}: not <caseId>[:survey]:<n>`);
          continue;
        }
        const previous = last.get(stream);
        if (previous !== undefined && sequence !== previous + 1) problems.push(`${event.id} arrived after ${stream}:${previous}`);
        last.set(stream, sequence);
      }
      return problems;
    },
  }), {
    duplicates: { get: () => arrivals.length - byId.size, enumerable: true },
  }) as WebhooksServer;
  return { served, api };
}

export async function startOutsideSystems(options: OutsideSystemsOptions = {}): Promise<OutsideSystems> {
  const secrets: Record<OutsideSystemName, string> = {
    payments: options.secrets?.payments ?? newSecret(),
    notifications: options.secrets?.notifications ?? newSecret(),
    logistics: options.secrets?.logistics ?? newSecret(),
    orders: options.secrets?.orders ?? newSecret(),
    // WEBHOOKS secrets need at least 16 characters (webhookSubscriptionsFrom).
    webhooks: options.secrets?.webhooks ?? newSecret(),
  };
  const payments = await startPaymentServer({ secret: secrets.payments, basePath: '/pay/v1', host: options.host, advertisedHost: options.advertisedHost, tls: options.tls });
  const notifications = await startNotifications(options, secrets.notifications);
  const logistics = await startLogistics(options, secrets.logistics);
  const orders = await startOrders(options, secrets.orders);
  const webhooks = await startWebhooks(options, secrets.webhooks);
  const served = [notifications.served, logistics.served, orders.served, webhooks.served];

  // Base URLs without a trailing slash, on purpose: the adapters must keep the base path.
  const env: Record<string, string> = {
    PAYMENT_GATEWAY_URL: payments.url,
    PAYMENT_GATEWAY_SECRET: secrets.payments,
    NOTIFICATIONS_URL: notifications.api.url,
    NOTIFICATIONS_SECRET: secrets.notifications,
    LOGISTICS_URL: logistics.api.url,
    LOGISTICS_SECRET: secrets.logistics,
    ORDERS_URL: orders.api.url,
    ORDERS_SECRET: secrets.orders,
    WEBHOOKS: JSON.stringify([{ merchantId: '*', url: webhooks.api.url, secret: secrets.webhooks }]),
  };
  const log = (): OutsideRequest[] => [...payments.log, ...served.flatMap((s) => s.log)];
  return {
    env,
    payments,
    notifications: notifications.api,
    logistics: logistics.api,
    orders: orders.api,
    webhooks: webhooks.api,
    log,
    badSignatures: () => log().filter((r) => !r.signatureValid),
    async close() {
      await Promise.all([payments.close(), ...served.map((s) => closeServer(s.server))]);
    },
  };
}
