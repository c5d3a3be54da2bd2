/**
 * The API's /metrics without a Temporal server: who may read it on the API's port, that it stays out of
 * the OpenAPI document, that requests are counted under their route template (never the raw URL) with
 * problems by type, the METRICS_* configuration, and the separate keyless listener.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app';
import { loadApiKeys } from '../../../api/auth';
import { apiConfigFrom } from '../../../api/main';
import { createApiMetrics, serveMetrics, UNMATCHED_ROUTE, type ApiMetrics } from '../../../api/metrics';
import { auth, unreachableClient } from '../api/fixture';
import { parseSamples, sumOf } from './prom-text';

let app: FastifyInstance;
let metrics: ApiMetrics;

beforeAll(async () => {
  metrics = createApiMetrics();
  app = await buildApp({ client: unreachableClient(), taskQueue: 'unit-test', namespace: 'default', keys: loadApiKeys({}), logger: false, temporalCallTimeoutMs: 500, metrics });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

const scrape = async () => parseSamples(await metrics.registry.metrics());

describe('/metrics on the API port', () => {
  it('needs a staff key: 401 without one, 403 for an agent, 200 text for admin and supervisor', async () => {
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const agent = await app.inject({ url: '/metrics', headers: auth('dev-agent') });
    expect(agent.statusCode).toBe(403);
    expect(agent.json()).toMatchObject({ type: '/problems/forbidden' });
    for (const key of ['dev-admin', 'dev-supervisor']) {
      const res = await app.inject({ url: '/metrics', headers: auth(key) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toContain('# TYPE cs_cases_api_requests_total counter');
    }
  });

  it('is not in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
  });
});

describe('request counting', () => {
  it('counts N requests under the route template with their status, and problems by type', async () => {
    const before = await scrape();
    const route = '/v1/after-sales/:id';
    const ids = ['as-metrics-secret-1', 'as-metrics-secret-2', 'as-metrics-secret-3'];
    // No key: 401 unauthorized, answered before any Temporal call.
    for (const id of ids) expect((await app.inject({ url: `/v1/after-sales/${id}` })).statusCode).toBe(401);
    expect((await app.inject({ url: '/no/such/route/as-metrics-secret-4', headers: auth('dev-admin') })).statusCode).toBe(404);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);

    expect(delta('cs_cases_api_requests_total', { method: 'GET', route, status: '401' })).toBe(3);
    expect(delta('cs_cases_api_request_duration_seconds_count', { method: 'GET', route, status: '401' })).toBe(3);
    expect(delta('cs_cases_api_problems_total', { status: '401', type: 'unauthorized' })).toBe(3);
    expect(delta('cs_cases_api_requests_total', { route: UNMATCHED_ROUTE, status: '404' })).toBe(1);
    expect(delta('cs_cases_api_problems_total', { status: '404', type: 'not-found' })).toBe(1);
    for (const sample of after) {
      for (const value of Object.values(sample.labels)) expect(value).not.toContain('as-metrics-secret');
    }
  });

  it('times Temporal calls, failed ones as errors (the client points at a closed port)', async () => {
    const before = sumOf(await scrape(), 'cs_cases_api_temporal_call_duration_seconds_count', { outcome: 'error' });
    // /readyz asks Temporal about the task queue: unreachable, so 503 after one failed call.
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const after = sumOf(await scrape(), 'cs_cases_api_temporal_call_duration_seconds_count', { outcome: 'error' });
    expect(after - before).toBe(1);
  });
});

describe('configuration', () => {
  it('METRICS_PORT (+ METRICS_HOST, default loopback) turns on the separate listener; a host alone is refused', () => {
    expect(apiConfigFrom({}).metrics).toBeUndefined();
    expect(apiConfigFrom({ METRICS_PORT: '9100' }).metrics).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(apiConfigFrom({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(() => apiConfigFrom({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
    expect(() => apiConfigFrom({ METRICS_HOST: '0.0.0.0' })).toThrow(/METRICS_PORT/);
  });

  it('the separate listener serves GET /metrics without a key and nothing else', async () => {
    const server = await serveMetrics(metrics, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('cs_cases_api_requests_total');
      expect((await fetch(`${server.url}/v1/after-sales`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
