/**
 * The typed client (`cs-cases/client`) against a real API, worker and Temporal server: a case created,
 * acted on and read with typed calls; a 409 thrown as a ProblemError carrying allowedActions; an action
 * sent while no worker answers is retried after the 503's retry-after with the same Idempotency-Key and
 * takes effect once; a create retried under the caller's key answers the same case.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasesClient, ProblemError, type CasesClient, type RetryInfo } from '../../api/client';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { eventually } from '../support/http';

let system: CaseSystem;
let channel: CasesClient;
let merchant: CasesClient;
let supervisor: CasesClient;

beforeAll(async () => {
  // A short deadline on Temporal calls: with the worker stopped, an action answers 503 within a second.
  system = await startCaseSystem({ name: 'typed-client', temporalCallTimeoutMs: 1_000 });
  channel = createCasesClient({ baseUrl: system.baseUrl, apiKey: 'dev-channel' });
  merchant = createCasesClient({ baseUrl: system.baseUrl, apiKey: 'dev-merchant-a' });
  supervisor = createCasesClient({ baseUrl: system.baseUrl, apiKey: 'dev-supervisor' });
});
afterAll(async () => system?.close());

const cny = (amount: number) => ({ amount, currency: 'CNY' });

async function createRefundOnly(client: CasesClient = channel, idempotencyKey?: string) {
  return client.POST('/v1/after-sales', {
    body: {
      merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: 'cust-client-1', type: 'refund_only', reason: 'quality',
      items: [{ sku: 'mug-1', quantity: 1, unitPrice: cny(4_900) }],
      order: { paidTotal: cny(4_900), shippingFee: cny(0), deliveredAt: new Date(Date.now() - 86_400_000).toISOString() },
    },
    ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
  });
}

describe('typed calls against the real API', () => {
  it('create → approve → read: the refund succeeds and the view says so', async () => {
    const created = await createRefundOnly();
    expect(created.id).toMatch(/^as_/);
    expect(created.status).toBe('awaiting_merchant');
    expect(created.allowedActions).toEqual(expect.arrayContaining(['withdraw']));

    const approved = await merchant.POST('/v1/after-sales/{id}/actions/approve', { params: { path: { id: created.id } }, body: { actorRef: 'staff-client' } });
    expect(['refunding', 'closed']).toContain(approved.status);

    const closed = await eventually(async () => {
      const view = await supervisor.GET('/v1/after-sales/{id}', { params: { path: { id: created.id } } });
      if (view.status !== 'closed') throw new Error(`still ${view.status}`);
      return view;
    });
    expect(closed.outcome).toBe('refunded');
    expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: cny(4_900) })]);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  });

  it('an action the state does not allow throws a ProblemError 409 with allowedActions', async () => {
    const created = await createRefundOnly();
    const error = await merchant.POST('/v1/after-sales/{id}/actions/confirm-receipt', { params: { path: { id: created.id } }, body: { actorRef: 'staff-client', inspection: 'ok' } })
      .then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(ProblemError);
    const problem = error as ProblemError;
    expect(problem.status).toBe(409);
    expect(problem.type).toBe('/problems/action-not-allowed');
    expect(problem.slug).toBe('action-not-allowed');
    expect(problem.title).toBeTruthy();
    expect(problem.caseStatus).toBe('awaiting_merchant');
    expect(problem.allowedActions).toEqual(expect.arrayContaining(['approve', 'reject']));
    expect(problem.extensions.action).toBe('confirm-receipt');
    expect(problem.requestId).toBeTruthy();
  });

  it('an unknown case throws a ProblemError 404 (no retries: only 429, 503 and network errors are retried)', async () => {
    const retries: RetryInfo[] = [];
    const client = createCasesClient({ baseUrl: system.baseUrl, apiKey: 'dev-agent', onRetry: (info) => retries.push(info) });
    await expect(client.GET('/v1/after-sales/{id}', { params: { path: { id: 'as_0000000000000000000000000000' } } }))
      .rejects.toMatchObject({ name: 'ProblemError', status: 404, type: '/problems/not-found' });
    expect(retries).toEqual([]);
  });

  it('a create retried under the caller\'s key answers the same case; another body under it is a ProblemError 422', async () => {
    const key = `client-create-${randomUUID()}`;
    const body = {
      merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: 'cust-client-1', type: 'refund_only' as const, reason: 'quality' as const,
      items: [{ sku: 'mug-1', quantity: 1, unitPrice: cny(4_900) }], order: { paidTotal: cny(4_900), shippingFee: cny(0) },
    };
    const first = await channel.raw.POST('/v1/after-sales', { params: { header: { 'idempotency-key': key } }, body });
    const again = await channel.raw.POST('/v1/after-sales', { params: { header: { 'idempotency-key': key } }, body });
    expect([first.response.status, again.response.status]).toEqual([201, 200]);
    expect(again.data?.id).toBe(first.data?.id);
    await expect(channel.POST('/v1/after-sales', { headers: { 'idempotency-key': key }, body: { ...body, orderId: 'another-order' } }))
      .rejects.toMatchObject({ name: 'ProblemError', status: 422, slug: 'idempotency-key-reused' });
  });
});

describe('retries keep the operation\'s Idempotency-Key', () => {
  it('an approve sent while no worker answers: 503, retried after retry-after with the same key, applied once', async () => {
    const created = await createRefundOnly();
    const sentKeys: string[] = [];
    const retries: RetryInfo[] = [];
    const client = createCasesClient({
      baseUrl: system.baseUrl, apiKey: 'dev-merchant-a',
      fetch: (request) => {
        sentKeys.push(request.headers.get('idempotency-key') ?? '(none)');
        return fetch(request);
      },
      onRetry: (info) => {
        retries.push(info);
        // The worker comes back while the client waits out retry-after.
        void system.startWorker();
      },
    });
    await system.stopWorker();
    try {
      const approved = await client.POST('/v1/after-sales/{id}/actions/approve', { params: { path: { id: created.id } }, body: { actorRef: 'staff-client' } });
      expect(['refunding', 'closed']).toContain(approved.status);
    } finally {
      await system.startWorker();
    }
    expect(retries[0]).toMatchObject({ attempt: 1, status: 503, method: 'POST' });
    expect(retries[0]!.delayMs).toBe(5_000);
    expect(sentKeys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sentKeys).size).toBe(1);
    expect(sentKeys[0]).toBe(retries[0]!.idempotencyKey);

    const view = await eventually(async () => {
      const v = await supervisor.GET('/v1/after-sales/{id}', { params: { path: { id: created.id } } });
      if (v.status !== 'closed') throw new Error(`still ${v.status}`);
      return v;
    });
    expect(view.timeline.filter((entry) => entry.type === 'action.approve')).toHaveLength(1);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  }, 60_000);
});
