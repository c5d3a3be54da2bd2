/**
 * The OpenAPI document says what the API does: problem answers are application/problem+json, 415 is
 * documented wherever a body is taken, actions whose fields are all optional take no body, the refund
 * minimum and the caller-time rule are in the schema, and a case id of any length is an unknown case
 * (404 problem+json after authentication), never the router's own 414. No Temporal server is needed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, testApp } from './fixture';

let app: FastifyInstance;
let doc: any;

beforeAll(async () => {
  app = await testApp();
  doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => app?.close());

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
function operations(): Array<{ path: string; method: string; op: any }> {
  return Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })));
}

describe('the OpenAPI document', () => {
  it('declares application/problem+json, and only that, for every 4xx and 5xx', () => {
    const wrong: string[] = [];
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) < 400 || !response.content) continue;
        if (Object.keys(response.content).join() !== 'application/problem+json') wrong.push(`${method} ${path} ${status}: ${Object.keys(response.content).join()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('documents 413 and 415 wherever a body is accepted, 429 wherever the rate limit applies', () => {
    const missing = operations().filter(({ op }) => op.requestBody && !(op.responses['413'] && op.responses['415'])).map(({ path, method }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    const unlimited = operations().filter(({ path, op }) => !['/healthz', '/readyz'].includes(path) && !op.responses['429']).map(({ path, method }) => `${method} ${path}`);
    expect(unlimited).toEqual([]);
  });

  it('says an action body is optional exactly when every field is', () => {
    const actions = operations().filter(({ path }) => path.includes('/actions/'));
    expect(actions.length).toBeGreaterThan(40);
    for (const { path, op } of actions) {
      const required = op.requestBody.content['application/json'].schema.required ?? [];
      expect(op.requestBody.required, path).toBe(required.length > 0);
    }
    expect(doc.paths['/v1/complaints/{id}/actions/acknowledge'].post.requestBody.required).toBe(false);
    expect(doc.paths['/v1/after-sales/{id}/actions/approve'].post.requestBody.required).toBe(true);
  });

  it('gives requestedRefund the minimum the API enforces (1)', () => {
    const body = doc.paths['/v1/after-sales'].post.requestBody.content['application/json'].schema;
    expect(body.properties.requestedRefund.properties.amount.minimum).toBe(1);
    expect(body.properties.requestedRefund.description).toMatch(/currency of order\.paidTotal/);
  });

  it('states the 5-minutes-in-the-future rule on every caller-given time of cases and callbacks', () => {
    const unstated: string[] = [];
    const visit = (schema: any, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.format === 'date-time' && !/more than 5 minutes in the future is a 400/.test(schema.description ?? '')) unstated.push(where);
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${name}`);
      if (schema.items) visit(schema.items, `${where}[]`);
    };
    const caseRoutes = operations().filter(({ path, op }) => op.requestBody && /^\/v1\/(after-sales|complaints|inquiries|order-issues|callbacks)/.test(path));
    for (const { path, method, op } of caseRoutes) visit(op.requestBody.content['application/json'].schema, `${method} ${path}`);
    expect(unstated).toEqual([]);
    expect(caseRoutes.length).toBeGreaterThan(40);
  });

  it('documents a case id as any string (no 400 for length)', () => {
    const id = doc.paths['/v1/after-sales/{id}'].get.parameters.find((p: any) => p.name === 'id');
    expect(id.schema.maxLength).toBeUndefined();
  });
});

describe('case ids of any length', () => {
  it.each([81, 100, 101, 2000])('an id of %i characters is an unknown case: 404 problem+json after auth, 401 first', async (length) => {
    const id = `as_${'a'.repeat(length - 3)}`;
    for (const url of [`/v1/after-sales/${id}`, `/v1/complaints/${id}/actions/acknowledge`]) {
      const method = url.includes('/actions/') ? 'POST' : 'GET';
      const anonymous = await app.inject({ method, url, headers: { 'idempotency-key': 'k-1' } });
      expect(anonymous.statusCode, anonymous.body).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      // An action whose fields are all optional may come without a body.
      const res = await app.inject({ method, url, headers: { ...auth('dev-supervisor'), 'idempotency-key': 'k-1' } });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().type).toBe('/problems/not-found');
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
