/**
 * A rehearsal of a refused refund driven only over HTTP, as a back-office team would run it against
 * `npm start`: the sandbox gateway is told to refuse the case's next refund, the merchant approves a
 * refund-only after-sale, the case shows refund_failed, a supervisor sends retry-refund, the case closes
 * refunded and the sandbox ledger holds one entry. The API is built as the embedded default builds it:
 * with the worker's sandbox adapters from the same process.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app';
import { loadApiKeys } from '../../../api/auth';
import { createCasesClient, type CasesClient } from '../../../api/client';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { eventually } from '../../support/http';

let system: CaseSystem;
let app: FastifyInstance;
let as: (key: string) => CasesClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'sandbox-rehearsal' });
  app = await buildApp({ client: system.client, taskQueue: system.taskQueue, namespace: system.client.options.namespace, keys: loadApiKeys({}), logger: { level: 'error' }, sandbox: system.adapters });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  as = (apiKey) => createCasesClient({ baseUrl, apiKey });
});
afterAll(async () => {
  await app?.close();
  await system?.close();
});

const cny = (amount: number) => ({ amount, currency: 'CNY' });

describe('rehearsing refund_failed → retry-refund over HTTP', () => {
  it('the refused refund goes to a supervisor, whose retry pays once', async () => {
    const created = await as('dev-channel').POST('/v1/after-sales', {
      body: {
        merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: 'cust-rehearsal', type: 'refund_only', reason: 'quality',
        items: [{ sku: 'lamp-1', quantity: 1, unitPrice: cny(6_900) }],
        order: { paidTotal: cny(6_900), shippingFee: cny(0), deliveredAt: new Date(Date.now() - 86_400_000).toISOString() },
      },
    });
    const faults = await as('dev-admin').POST('/v1/sandbox/payments/faults', { body: { fault: 'refuse', caseId: created.id } });
    expect(faults.byCase[created.id]).toEqual(['refuse']);

    await as('dev-merchant-a').POST('/v1/after-sales/{id}/actions/approve', { params: { path: { id: created.id } }, body: { actorRef: 'staff-rehearsal' } });
    const supervisor = as('dev-supervisor');
    const read = () => supervisor.GET('/v1/after-sales/{id}', { params: { path: { id: created.id } } });
    const failed = await eventually(async () => {
      const view = await read();
      if (view.status !== 'refund_failed') throw new Error(`still ${view.status}`);
      return view;
    });
    expect(failed.owner).toMatchObject({ role: 'supervisor' });
    expect(failed.allowedActions).toEqual(['retry-refund']);
    expect((await as('dev-admin').GET('/v1/sandbox/payments/ledger', { params: { query: { caseId: created.id } } })).entries).toEqual([]);

    await supervisor.POST('/v1/after-sales/{id}/actions/retry-refund', { params: { path: { id: created.id } }, body: { actorRef: 'lead-rehearsal' } });
    const closed = await eventually(async () => {
      const view = await read();
      if (view.status !== 'closed') throw new Error(`still ${view.status}`);
      return view;
    });
    expect(closed.outcome).toBe('refunded');
    expect(closed.refunds.map((r) => r.status)).toEqual(['failed', 'succeeded']);

    const ledger = await as('dev-admin').GET('/v1/sandbox/payments/ledger', { params: { query: { caseId: created.id } } });
    expect(ledger.entries).toEqual([expect.objectContaining({ caseId: created.id, amount: cny(6_900), idempotencyKey: `${created.id}:refund:2` })]);
    expect(ledger.calls.map((c) => c.answer)).toEqual(['refuse', 'committed']);
  });

  it('the outbox is readable over HTTP too', async () => {
    const outbox = await as('dev-admin').GET('/v1/sandbox/notifications', {});
    expect(Array.isArray(outbox.notifications)).toBe(true);
  });
});
