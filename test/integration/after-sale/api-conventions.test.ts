/**
 * The HTTP conventions of docs/http-contract.md on the after-sale collection, over real HTTP and a real worker: error
 * order and problem types, merchant scope, idempotent creates and actions, 409 extensions, 503 when no
 * worker answers, request ids and Location.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, afterSaleBody, cny, createAfterSale, publishShortPolicy } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'after-sale-conventions', temporalCallTimeoutMs: 3_000 });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
});
afterAll(async () => system?.close());

function expectProblem(answer: { status: number; headers: Headers; body: any }, status: number, type?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  if (type) expect(answer.body.type).toMatch(new RegExp(`${type}$`));
}

describe('create', () => {
  it('201 with Location and x-request-id; the same key and body again → 200 with the same case', async () => {
    const key = randomUUID();
    const body = afterSaleBody({ policyId });
    const first = await api.post('/v1/after-sales', body, { key: 'dev-channel', idempotencyKey: key, headers: { 'x-request-id': 'req-abc-1' } });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/after-sales/${first.body.id}`);
    expect(first.headers.get('x-request-id')).toBe('req-abc-1');
    const again = await api.post('/v1/after-sales', body, { key: 'dev-channel', idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('x-request-id')).toBeTruthy();
  });

  it('same key with another body → 422 idempotency-key-reused; another API key with the same key is another case', async () => {
    const key = randomUUID();
    const first = await api.post('/v1/after-sales', afterSaleBody({ policyId }), { key: 'dev-channel', idempotencyKey: key });
    expectProblem(await api.post('/v1/after-sales', afterSaleBody({ policyId, reason: 'damaged' }), { key: 'dev-channel', idempotencyKey: key }), 422, 'idempotency-key-reused');
    const other = await api.post('/v1/after-sales', afterSaleBody({ policyId }), { key: 'dev-agent', idempotencyKey: key });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('ids never contain the idempotency key or personal data', async () => {
    const key = 'cust-7f3a-order-42';
    const created = await api.post('/v1/after-sales', afterSaleBody({ policyId }), { key: 'dev-channel', idempotencyKey: key });
    expect(created.body.id).not.toContain('cust');
    expect(created.body.id).not.toContain('42');
  });

  it.each([
    ['no key', undefined, 401],
    ['unknown key', 'nope', 401],
  ])('%s → %i', async (_name, key, status) => {
    expectProblem(await api.post('/v1/after-sales', afterSaleBody(), { key }), status, 'unauthorized');
  });

  it.each<[string, Record<string, unknown>, { idempotencyKey?: string | null }]>([
    ['unknown field', { surprise: true }, {}],
    ['bad enum', { type: 'refund_maybe' }, {}],
    ['float money', { requestedRefund: { amount: 10.5, currency: 'CNY' } }, {}],
    ['event time far in the future', { requestedAt: new Date(Date.now() + 3_600_000).toISOString() }, {}],
    ['time without offset', { requestedAt: '2026-11-20T10:00:00' }, {}],
    ['mixed currencies', { requestedRefund: { amount: 100, currency: 'USD' } }, {}],
    ['missing Idempotency-Key', {}, { idempotencyKey: null }],
  ])('400 for %s', async (_name, overrides, options) => {
    expectProblem(await api.post('/v1/after-sales', afterSaleBody({ policyId, ...overrides }), { key: 'dev-channel', ...options }), 400);
  });

  it('403 for a role that may not create, and for a merchant outside the key scope', async () => {
    expectProblem(await api.post('/v1/after-sales', afterSaleBody({ policyId }), { key: 'dev-merchant-a' }), 403, 'forbidden');
    expectProblem(await api.post('/v1/after-sales', afterSaleBody({ policyId }), { key: 'dev-supervisor' }), 403, 'forbidden');
  });

  it('422 not-eligible naming the rule: refund above the cap, no-reason return of excluded goods', async () => {
    const above = await api.post('/v1/after-sales', afterSaleBody({ policyId, requestedRefund: cny(10_000_000) }), { key: 'dev-channel' });
    expectProblem(above, 422, 'not-eligible');
    expect(above.body.rule).toBe('refund-above-cap');
    const excluded = await api.post('/v1/after-sales', afterSaleBody({ policyId, reason: 'no_reason', items: [{ sku: 'cake', quantity: 1, unitPrice: cny(100), returnExclusion: 'perishable' }] }), { key: 'dev-channel' });
    expectProblem(excluded, 422, 'not-eligible');
    expect(excluded.body.rule).toBe('no-reason-return-excluded');
  });
});

describe('read and act', () => {
  it('404 for an unknown case and for another merchant\'s case, without a hint', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const unknown = await api.get('/v1/after-sales/as_0123456789abcdef01234567', { key: 'dev-merchant-a' });
    const foreign = await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-merchant-b' });
    expectProblem(unknown, 404, 'not-found');
    expectProblem(foreign, 404, 'not-found');
    expect(foreign.body.detail).toBe(unknown.body.detail.replace('as_0123456789abcdef01234567', created.id));
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'x' }, { key: 'dev-merchant-b' }), 404);
  });

  it('403 when the role may not send the action (before any state check)', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'x' }, { key: 'dev-channel' }), 403, 'forbidden');
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/rule`, { decision: 'reject', actorRef: 'x' }, { key: 'dev-agent' }), 403);
  });

  it('409 with caseStatus, action and allowedActions when the state does not allow it', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const answer = await api.post(`/v1/after-sales/${created.id}/actions/confirm-receipt`, { inspection: 'ok', actorRef: 'staff-1' }, { key: 'dev-merchant-a' });
    expectProblem(answer, 409, 'action-not-allowed');
    expect(answer.body).toMatchObject({ caseStatus: 'awaiting_merchant', action: 'confirm-receipt', allowedActions: ['approve', 'reject', 'add-note'] });
  });

  it('an action replayed with the same key answers its original result; with another body → 422', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const key = randomUUID();
    const first = await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'staff-1' }, { key: 'dev-merchant-a', idempotencyKey: key });
    expect(first.status).toBe(200);
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF5' });
    const replay = await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'staff-1' }, { key: 'dev-merchant-a', idempotencyKey: key });
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('awaiting_buyer_return');
    expect(replay.body.timeline).toEqual(first.body.timeline);
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'staff-2' }, { key: 'dev-merchant-a', idempotencyKey: key }), 422, 'idempotency-key-reused');
  });

  it('a rejected request is not remembered: the same key is judged again', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const key = randomUUID();
    expect((await api.post(`/v1/after-sales/${created.id}/actions/ship-return`, { trackingNumber: 'T1' }, { key: 'dev-channel', idempotencyKey: key })).status).toBe(409);
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    expect((await api.post(`/v1/after-sales/${created.id}/actions/ship-return`, { trackingNumber: 'T1' }, { key: 'dev-channel', idempotencyKey: key })).status).toBe(200);
  });

  it('400 for an action body with unknown fields or a missing required field', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'a', bonus: 1 }, { key: 'dev-merchant-a' }), 400);
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/approve`, {}, { key: 'dev-merchant-a' }), 400);
    expectProblem(await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'a' }, { key: 'dev-merchant-a', idempotencyKey: null }), 400);
  });
});

describe('health', () => {
  it('/healthz answers without a key; /readyz says ready while a worker polls the task queue', async () => {
    expect((await api.get('/healthz')).status).toBe(200);
    const ready = await api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.pollers).toBeGreaterThan(0);
    expect(ready.body.workers).toBe('polling');
  });

  it('/readyz stays ready with no worker on the task queue (reads and creates need none; a deploy restarting workers keeps the API in its balancer)', async () => {
    const bare = await startCaseSystem({ name: 'readyz-no-worker', inProcessWorker: false });
    try {
      const ready = await apiClient(bare.baseUrl).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', pollers: 0, workers: 'none', taskQueue: bare.taskQueue });
    } finally {
      await bare.close();
    }
  });
});

describe('worker down', () => {
  it('503 with retry-after when no worker answers; the retry with the same key succeeds once one is back', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await system.stopWorker();
    try {
      const key = randomUUID();
      const answer = await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'staff-1' }, { key: 'dev-merchant-a', idempotencyKey: key });
      expectProblem(answer, 503, 'temporal-unavailable');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      await system.startWorker();
      // Retrying with the same key is safe: it may still see 503 while the worker warms up, then 200 once.
      const retried = await eventually(async () => {
        const answer = await api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'staff-1' }, { key: 'dev-merchant-a', idempotencyKey: key });
        if (answer.status === 503) throw new Error('still warming up');
        return answer;
      });
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('awaiting_buyer_return');
      expect(retried.body.timeline.filter((e: any) => e.type === 'action.approve')).toHaveLength(1);
    } finally {
      await system.startWorker().catch(() => undefined);
    }
  });
});
