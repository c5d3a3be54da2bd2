/**
 * The HTTP edge without Temporal: authentication, the 400s (unknown fields, missing Idempotency-Key,
 * future times, bad enums, mixed currencies), 403 on create, 413, problem+json shape, request ids, docs,
 * and the check order (401 before 400 before 403). The client points at a closed port, so none of these
 * answers can have come from Temporal.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createBody, keysWith, testApp } from './fixture';

const idem = (key = 'k-1') => ({ 'idempotency-key': key });

describe('HTTP edge', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await testApp({ keys: keysWith([{ id: 'channel-m-a', role: 'channel', merchants: ['m-a'] }]) });
  });
  afterAll(async () => {
    await app.close();
  });

  const create = (headers: Record<string, string>, payload: unknown) => app.inject({ method: 'POST', url: '/v1/after-sales', headers, payload: payload as object });

  function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): Record<string, any> }, status: number, slug: string) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ type: `/problems/${slug}`, status });
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
    return body;
  }

  describe('authentication (401 first)', () => {
    it('refuses a missing key, an unknown key and a malformed header', async () => {
      expectProblem(await create(idem(), createBody()), 401, 'unauthorized');
      expectProblem(await create({ ...auth('nope'), ...idem() }, createBody()), 401, 'unauthorized');
      expectProblem(await app.inject({ url: '/v1/after-sales/as_0123', headers: { authorization: 'dev-agent' } }), 401, 'unauthorized');
      const res = await app.inject({ url: '/v1/policies' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 before looking at an invalid body', async () => {
      expectProblem(await create({}, { nonsense: true }), 401, 'unauthorized');
    });

    it('keeps health and docs public', async () => {
      expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      const docs = await app.inject({ url: '/docs/json' });
      expect(docs.statusCode).toBe(200);
      const spec = docs.json();
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
        '/v1/after-sales', '/v1/after-sales/{id}', '/v1/after-sales/{id}/actions/approve', '/v1/policies', '/v1/policies/{id}',
        '/v1/policies/{id}/versions/{v}', '/healthz', '/readyz',
      ]));
      // Every route documents its success response.
      for (const [route, methods] of Object.entries<Record<string, { responses?: Record<string, unknown> }>>(spec.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          expect(Object.keys(op.responses ?? {}).some((c) => /^2\d\d$/.test(c)), `${method} ${route}`).toBe(true);
        }
      }
    });
  });

  describe('invalid requests (400)', () => {
    it('rejects unknown fields at any depth', async () => {
      const top = expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ vip: true })), 400, 'invalid-request');
      expect(top.errors).toContainEqual(expect.objectContaining({ in: 'body' }));
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ order: { paidTotal: { amount: 1, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, coupon: 'X' } })), 400, 'invalid-request');
    });

    it('requires a printable Idempotency-Key of at most 255 characters', async () => {
      expectProblem(await create(auth('dev-channel'), createBody()), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem('x'.repeat(256)) }, createBody()), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem('tab\there') }, createBody()), 400, 'invalid-request');
    });

    it('rejects caller times more than 5 minutes in the future, accepts the past', async () => {
      // NOW is 2026-11-22T16:00+08:00.
      const future = expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ requestedAt: '2026-11-22T16:06:00+08:00' })), 400, 'invalid-request');
      expect(future.detail).toMatch(/requestedAt/);
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ order: { paidTotal: { amount: 12_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, deliveredAt: '2027-01-01T00:00:00+08:00' } })), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ requestedAt: '2026-11-22 15:00' })), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ requestedAt: '2026-11-22T15:00:00' })), 400, 'invalid-request');
    });

    it('rejects values outside the enums and malformed money', async () => {
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ type: 'refund-only' })), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ reason: 'changed_mind' })), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ requestedRefund: { amount: 12.5, currency: 'CNY' } })), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ requestedRefund: { amount: 100, currency: 'cny' } })), 400, 'invalid-request');
      expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ items: [] })), 400, 'invalid-request');
    });

    it('rejects amounts in different currencies', async () => {
      const body = expectProblem(await create({ ...auth('dev-channel'), ...idem() }, createBody({ requestedRefund: { amount: 100, currency: 'USD' } })), 400, 'invalid-request');
      expect(body.detail).toMatch(/USD/);
    });

    it('answers 400 before 403: a merchant key with an invalid body learns about the body first', async () => {
      expectProblem(await create({ ...auth('dev-merchant-a'), ...idem() }, createBody({ type: 'swap' })), 400, 'invalid-request');
    });

    it('answers malformed JSON with 400 and a non-JSON body with 415, both as problems', async () => {
      expectProblem(await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), ...idem(), 'content-type': 'application/json' }, payload: '{"merchantId":' }), 400, 'invalid-request');
      expectProblem(await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), ...idem(), 'content-type': 'application/xml' }, payload: '<a/>' }), 415, 'unsupported-media-type');
      // Fastify parses text/plain as a string: not an object, so an invalid body.
      expectProblem(await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), ...idem(), 'content-type': 'text/plain' }, payload: 'hello' }), 400, 'invalid-request');
    });

    it('requires actorRef on approvals and the fields each action needs, before touching the case', async () => {
      const act = (action: string, payload: object) => app.inject({ method: 'POST', url: `/v1/after-sales/as_${'a'.repeat(32)}/actions/${action}`, headers: { ...auth('dev-merchant-a'), ...idem() }, payload });
      expectProblem(await act('approve', {}), 400, 'invalid-request');
      expectProblem(await act('reject', { note: 'no reason given' }), 400, 'invalid-request');
      expectProblem(await act('rule', { actorRef: 'arb-1', decision: 'refund_partial' }), 400, 'invalid-request');
      expectProblem(await act('confirm-receipt', { inspection: 'fine' }), 400, 'invalid-request');
      expectProblem(await act('add-note', { note: 'x', colour: 'red' }), 400, 'invalid-request');
    });
  });

  describe('not found (404)', () => {
    it('answers an unknown action or route with a problem', async () => {
      expectProblem(await app.inject({ method: 'POST', url: `/v1/after-sales/as_${'a'.repeat(32)}/actions/teleport`, headers: { ...auth('dev-merchant-a'), ...idem() }, payload: {} }), 404, 'not-found');
      expectProblem(await app.inject({ url: '/v2/anything', headers: auth('dev-agent') }), 404, 'not-found');
    });

    it('answers an id that is not an after-sale case id as unknown, without asking Temporal', async () => {
      expectProblem(await app.inject({ url: '/v1/after-sales/cp_0123456789abcdef0123456789abcdef', headers: auth('dev-agent') }), 404, 'not-found');
      expectProblem(await app.inject({ url: '/v1/after-sales/not-an-id', headers: auth('dev-agent') }), 404, 'not-found');
    });
  });

  describe('forbidden (403) on create', () => {
    it('refuses roles that may not open after-sale cases', async () => {
      for (const key of ['dev-merchant-a', 'dev-supervisor', 'dev-arbiter', 'dev-admin']) {
        const body = expectProblem(await create({ ...auth(key), ...idem() }, createBody()), 403, 'forbidden');
        expect(body.allowedRoles).toEqual(['channel', 'agent']);
      }
    });

    it('refuses a merchant outside the key scope', async () => {
      expectProblem(await create({ ...auth('channel-m-a'), ...idem() }, createBody({ merchantId: 'm-b' })), 403, 'forbidden');
    });
  });

  describe('policies without Temporal', () => {
    const put = (key: string, id: string, payload: unknown, headers: Record<string, string> = idem()) =>
      app.inject({ method: 'PUT', url: `/v1/policies/${id}`, headers: { ...auth(key), ...headers }, payload: payload as object });
    const doc = { name: 'Fast', extends: 'cn-marketplace', afterSale: { deadlines: { merchantResponse: { amount: 30, unit: 'seconds' } } } };

    it('serves presets', async () => {
      const res = await app.inject({ url: '/v1/policies/cn-marketplace', headers: auth('dev-merchant-b') });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: 'cn-marketplace', version: 1, preset: true, publishedAt: null });
      expect(res.json().policy.afterSale.deadlines.merchantResponse).toEqual({ amount: 120, unit: 'hours' });
      expect((await app.inject({ url: '/v1/policies/cn-marketplace/versions/1', headers: auth('dev-agent') })).statusCode).toBe(200);
      expectProblem(await app.inject({ url: '/v1/policies/cn-marketplace/versions/2', headers: auth('dev-agent') }), 404, 'not-found');
    });

    it('answers 400 for malformed documents and ids, 403 for non-admins, 409 for presets', async () => {
      expectProblem(await put('dev-admin', 'fast', { ...doc, afterSale: { deadlines: { merchantResponse: { amount: 30, unit: 'fortnights' } } } }), 400, 'invalid-request');
      expectProblem(await put('dev-admin', 'fast', { ...doc, afterSale: { deadlines: { merchantAnswer: { amount: 30, unit: 'seconds' } } } }), 400, 'invalid-request');
      expectProblem(await put('dev-admin', 'Fast Policy', doc), 400, 'invalid-request');
      expectProblem(await put('dev-admin', 'fast', doc, {}), 400, 'invalid-request');
      const incomplete = expectProblem(await put('dev-admin', 'fast', { name: 'Alone' }), 400, 'invalid-request');
      expect(incomplete.problems).toContain('afterSale.deadlines.merchantResponse is missing');
      expectProblem(await put('dev-admin', 'fast', { ...doc, extends: 'fast' }), 400, 'invalid-request');
      expectProblem(await put('dev-agent', 'fast', doc), 403, 'forbidden');
      expectProblem(await put('dev-admin', 'cn-marketplace', doc), 409, 'conflict');
    });
  });

  describe('limits and ids', () => {
    it('answers a body over 1 MiB with 413', async () => {
      const payload = JSON.stringify(createBody({ description: 'x'.repeat(1_100_000) }));
      expectProblem(await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), ...idem(), 'content-type': 'application/json' }, payload }), 413, 'payload-too-large');
    });

    it('echoes a caller x-request-id and generates one otherwise, on success and error alike', async () => {
      expect((await app.inject({ url: '/healthz', headers: { 'x-request-id': 'req-abc-123' } })).headers['x-request-id']).toBe('req-abc-123');
      expect((await create({ 'x-request-id': 'req-err-1' }, {})).headers['x-request-id']).toBe('req-err-1');
      const generated = (await app.inject({ url: '/healthz' })).headers['x-request-id'];
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect((await app.inject({ url: '/healthz', headers: { 'x-request-id': 'has space' } })).headers['x-request-id']).not.toBe('has space');
    });

    it("carries helmet's security headers past authentication (health, 400, 404), none on a 401 of the auth hook", async () => {
      const expected = {
        'content-security-policy': "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
        'cross-origin-opener-policy': 'same-origin', 'cross-origin-resource-policy': 'same-origin', 'origin-agent-cluster': '?1',
        'referrer-policy': 'no-referrer', 'strict-transport-security': 'max-age=31536000; includeSubDomains', 'x-content-type-options': 'nosniff',
        'x-dns-prefetch-control': 'off', 'x-download-options': 'noopen', 'x-frame-options': 'SAMEORIGIN', 'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      };
      for (const res of [
        await app.inject({ url: '/healthz' }),
        await create({ ...auth('dev-channel'), ...idem() }, {}),
        await app.inject({ url: '/v1/nothing', headers: auth('dev-channel') }),
      ]) expect(res.headers).toMatchObject(expected);
      const refused = await create(idem(), createBody());
      expect(refused.statusCode).toBe(401);
      for (const name of Object.keys(expected)) expect(refused.headers[name]).toBeUndefined();
    });
  });
});

describe('rate limit', () => {
  it('answers 429 problem+json with retry-after once a key exceeds its budget, per key', async () => {
    const app = await testApp({ rateLimit: { max: 2, timeWindowMs: 60_000 } });
    try {
      const get = (key: string) => app.inject({ url: '/v1/policies/cn-marketplace', headers: auth(key) });
      expect((await get('dev-agent')).statusCode).toBe(200);
      expect((await get('dev-agent')).statusCode).toBe(200);
      const limited = await get('dev-agent');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.json().type).toBe('/problems/rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get('dev-supervisor')).statusCode).toBe(200);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
