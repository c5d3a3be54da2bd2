/**
 * A create retried with its Idempotency-Key is a replay first, over real HTTP and a real worker: after the
 * no-reason return window has closed, the same body answers 200 with the case as it is now and another
 * body 422 idempotency-key-reused, never the 422 not-eligible a new request would get. The refusal of a
 * new request names the window's end as ISO-8601 with the calendar zone's offset.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { afterSaleBody } from '../after-sale/fixtures';

const WINDOW_S = 6;

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'create-replay' });
  api = apiClient(system.baseUrl);
  policyId = `test-noreason-${randomUUID().slice(0, 8)}`;
  const published = await api.put(`/v1/policies/${policyId}`, {
    name: 'no-reason window of seconds',
    extends: 'cn-marketplace',
    afterSale: { noReasonReturn: { window: { amount: WINDOW_S, unit: 'seconds' } } },
  }, { key: 'dev-admin' });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
});
afterAll(async () => system?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a create retry after the no-reason window closed', () => {
  it('same key and body → 200 with the current view; another body → 422 idempotency-key-reused', async () => {
    const deliveredAt = new Date().toISOString();
    // No requestedAt: each request is judged at its own arrival, so a new request after the window is refused.
    const body = afterSaleBody({ policyId, type: 'return_and_refund', reason: 'no_reason', order: { paidTotal: { amount: 20_900, currency: 'CNY' }, shippingFee: { amount: 1_000, currency: 'CNY' }, deliveredAt } });
    const idempotencyKey = randomUUID();
    const first = await api.post('/v1/after-sales', body, { key: 'dev-channel', idempotencyKey });
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    await sleep(Date.parse(deliveredAt) + WINDOW_S * 1000 + 500 - Date.now());
    // A new request with the same body is now outside the window.
    const fresh = await api.post('/v1/after-sales', body, { key: 'dev-channel', idempotencyKey: randomUUID() });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(422);
    expect(fresh.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(fresh.body).toMatchObject({ type: '/problems/not-eligible', rule: 'no-reason-return-window' });
    // Every instant in an answer is ISO-8601 with the calendar zone's offset (+08:00 for cn-marketplace).
    expect(fresh.body.windowEndsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
    expect(Date.parse(fresh.body.windowEndsAt)).toBe(Date.parse(deliveredAt) + WINDOW_S * 1000);

    const retry = await api.post('/v1/after-sales', body, { key: 'dev-channel', idempotencyKey });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, kind: 'after_sale', reason: 'no_reason', status: first.body.status });
    expect(retry.headers.get('location')).toBeNull();

    const other = await api.post('/v1/after-sales', { ...body, description: 'another request' }, { key: 'dev-channel', idempotencyKey });
    expect(other.status, JSON.stringify(other.body)).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('a key never used before is judged as a new request (the refusal stands)', async () => {
    const body = afterSaleBody({ policyId, type: 'return_and_refund', reason: 'no_reason', order: { paidTotal: { amount: 20_900, currency: 'CNY' }, shippingFee: { amount: 1_000, currency: 'CNY' }, deliveredAt: new Date(Date.now() - 60_000).toISOString() } });
    const answer = await api.post('/v1/after-sales', body, { key: 'dev-channel' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.type).toBe('/problems/not-eligible');
  });
});

describe('every kind: a retry whose checks now refuse is still a replay', () => {
  it.each([
    ['/v1/inquiries', { customerRef: 'cust-1', channel: 'chat', topic: 'sizing', question: 'does it run small?' }],
    ['/v1/complaints', { customerRef: 'cust-1', channel: 'chat', category: 'delivery', severity: 'low', urgency: 'normal', customerTier: 'regular', summary: 'late parcel' }],
    ['/v1/order-issues', { orderId: `o-${randomUUID().slice(0, 8)}`, customerRef: 'cust-1', type: 'address_change', newAddress: { recipient: 'R. Receiver', phone: '+86 138 0000 0000', line1: '1 Example Road', city: 'Hangzhou', country: 'CN' } }],
  ])('%s', async (collection, fields) => {
    const related = await api.post('/v1/inquiries', { merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', topic: 'other', question: 'hello' }, { key: 'dev-channel' });
    expect(related.status, JSON.stringify(related.body)).toBe(201);
    const body = { merchantId: 'm-a', relatedCaseId: related.body.id, ...fields };
    const idempotencyKey = randomUUID();
    const first = await api.post(collection, body, { key: 'dev-channel', idempotencyKey });
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    // The related case is gone from the server (deleted): a new request naming it is refused now.
    await system.client.workflowService.deleteWorkflowExecution({ namespace: system.client.options.namespace, workflowExecution: { workflowId: related.body.id } });
    await expect.poll(async () => (await api.post(collection, body, { key: 'dev-channel' })).status, { timeout: 15_000 }).toBe(422);

    const retry = await api.post(collection, body, { key: 'dev-channel', idempotencyKey });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const other = await api.post(collection, { ...body, customerRef: 'cust-2' }, { key: 'dev-channel', idempotencyKey });
    expect(other.status, JSON.stringify(other.body)).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
  });
});
