/**
 * The API's Prometheus metrics (prom-client, one registry per app): requests by method, route template and
 * status, problems by status and type, latency histograms by route template, and how long Temporal client
 * calls take. Labels are bounded: the route is Fastify's template (`/v1/after-sales/:id`), never the raw
 * URL, so no case, order or customer id ever becomes a label. Served at `/metrics` on the API's own port
 * to staff keys, and by `serveMetrics` on a separate internal address. `watchWebhookQueues` adds the webhook
 * backlog: delivery queues parked or delivering, counted from Temporal visibility at each scrape.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DELIVERY_WORKFLOW_TYPE } from '../activities/delivery';
import { DeliveryState } from '../workflows/search-attributes';
import type { Role } from '../workflows/domain/case';
import type { CaseProjection } from '../activities/projection';
import { requireRole } from './auth';
import { callerKey } from './context';

/** Route label of requests no route matched (404s): one value, whatever the URL was. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Roles whose API key may read `/metrics` on the API's port. */
export const METRICS_ROLES: readonly Role[] = ['admin', 'supervisor'];

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface ApiMetrics {
  registry: Registry;
  /** Runs a Temporal client call and records how long it took and whether it failed. */
  timeTemporalCall<T>(call: () => Promise<T>): Promise<T>;
}

interface Instruments extends ApiMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  problems: Counter<'status' | 'type'>;
  duration: Histogram<'method' | 'route' | 'status'>;
}

const instruments = new WeakMap<ApiMetrics, Instruments>();

/** A fresh registry with the API's instruments; `processMetrics` adds prom-client's Node process metrics. */
export function createApiMetrics(options: { processMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'cs_cases_api_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const problems = new Counter({
    name: 'cs_cases_api_problems_total',
    help: 'Problem answers (application/problem+json), by status code and problem type slug',
    labelNames: ['status', 'type'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cs_cases_api_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const temporalCalls = new Histogram({
    name: 'cs_cases_api_temporal_call_duration_seconds',
    help: 'Time Temporal client calls of the API take (start, update, query, describe, list), by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const metrics: Instruments = {
    registry, requests, problems, duration,
    async timeTemporalCall(call) {
      const end = temporalCalls.startTimer();
      try {
        const result = await call();
        end({ outcome: 'ok' });
        return result;
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    },
  };
  instruments.set(metrics, metrics);
  return metrics;
}

/** The states of a running webhook delivery queue (one per subscription and case) the backlog gauge shows. */
export const WEBHOOK_QUEUE_STATES = ['parked', 'delivering'] as const;

/**
 * `cs_cases_webhook_queues{state}`: running webhook deliveries (one queue per subscription and case) by
 * state, counted in Temporal visibility when Prometheus scrapes (two count queries, bounded by `timeoutMs`).
 * Parked queues wait for an admin (`/v1/webhooks/parked`); delivering ones run (sending, or idle until the
 * case's next events). A count that fails or times out keeps the last value and adds one to
 * `cs_cases_webhook_queues_count_errors_total`.
 */
export function watchWebhookQueues(metrics: ApiMetrics, temporal: { client: Client; namespace: string }, options: { timeoutMs?: number } = {}): void {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const errors = new Counter({
    name: 'cs_cases_webhook_queues_count_errors_total',
    help: 'Scrapes whose count of webhook delivery queues failed or timed out (the gauge kept its last value)',
    registers: [metrics.registry],
  });
  const count = async (state: string): Promise<number> => {
    const query = `WorkflowType = '${DELIVERY_WORKFLOW_TYPE}' AND ${DeliveryState.name} = '${state}' AND ExecutionStatus = 'Running'`;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('count timed out')), timeoutMs); });
    try {
      return (await Promise.race([temporal.client.workflow.count(query), timeout])).count;
    } finally {
      clearTimeout(timer);
    }
  };
  new Gauge({
    name: 'cs_cases_webhook_queues',
    help: 'Running webhook delivery queues (one per subscription and case) by state: parked (attempts ran out, an admin re-delivers) or delivering',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    async collect() {
      await Promise.all(WEBHOOK_QUEUE_STATES.map(async (state) => {
        try {
          this.set({ state }, await count(state));
        } catch {
          errors.inc();
        }
      }));
    },
  });
}

/**
 * `cs_cases_open{kind, owner_role, breached}`: cases not closed, by whose move it is, counted in the case
 * projection at each scrape (one grouped query). A count that fails keeps the last values and adds one to
 * `cs_cases_open_count_errors_total`.
 */
export function watchOpenCases(metrics: ApiMetrics, projection: Pick<CaseProjection, 'openCasesByOwner'>): void {
  const errors = new Counter({
    name: 'cs_cases_open_count_errors_total',
    help: 'Scrapes whose count of open cases failed (the gauge kept its last values)',
    registers: [metrics.registry],
  });
  new Gauge({
    name: 'cs_cases_open',
    help: 'Cases not closed, by kind, whose move it is (owner role; none: the system) and whether a deadline was breached',
    labelNames: ['kind', 'owner_role', 'breached'] as const,
    registers: [metrics.registry],
    async collect() {
      try {
        const groups = await projection.openCasesByOwner();
        this.reset();
        for (const g of groups) this.set({ kind: g.kind, owner_role: g.ownerRole, breached: String(g.breached) }, g.count);
      } catch {
        errors.inc();
      }
    },
  });
}

const PROBLEM_CONTENT_TYPE = /^application\/problem\+json/;
const PROBLEM_TYPE = /^\/problems\/([a-z0-9-]{1,64})$/;

/** The slug of a problem answer's `type`, read from the body the error handler serialized. */
function problemType(reply: FastifyReply, payload: unknown): string | undefined {
  const contentType = reply.getHeader('content-type');
  if (typeof contentType !== 'string' || !PROBLEM_CONTENT_TYPE.test(contentType) || typeof payload !== 'string') return undefined;
  try {
    const type = (JSON.parse(payload) as { type?: unknown }).type;
    const match = typeof type === 'string' ? PROBLEM_TYPE.exec(type) : null;
    return match ? match[1] : 'other';
  } catch {
    return 'other';
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /** The problem type slug of this answer, when it is a problem (set in onSend, counted in onResponse). */
    problemType: string | undefined;
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

/** Hooks that count every answer of `app`: add them before any route, so every route is counted. */
export function countRequests(app: FastifyInstance, metrics: ApiMetrics): void {
  const own = instruments.get(metrics);
  if (!own) throw new Error('countRequests needs metrics made by createApiMetrics');
  app.decorateReply('problemType', undefined);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.problemType = problemType(reply, payload);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: routeOf(request), status: String(reply.statusCode) };
    own.requests.inc(labels);
    own.duration.observe(labels, reply.elapsedTime / 1000);
    if (reply.problemType) own.problems.inc({ status: String(reply.statusCode), type: reply.problemType });
  });
}

/**
 * `GET /metrics` on the API's port for staff keys (admin, supervisor), hidden from the OpenAPI document;
 * added after the rate limiter, so it is throttled as any route.
 */
export function metricsRoute(app: FastifyInstance, metrics: ApiMetrics): void {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    requireRole(callerKey(request), METRICS_ROLES, 'read metrics');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

export interface MetricsServer {
  /** http://host:port of the listener. */
  url: string;
  close(): Promise<void>;
}

/**
 * A tiny HTTP server that answers `GET /metrics` without authentication, for an internal address only
 * Prometheus reaches (METRICS_HOST/METRICS_PORT). Anything else is 404.
 */
export async function serveMetrics(metrics: ApiMetrics, listen: { host: string; port: number }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
