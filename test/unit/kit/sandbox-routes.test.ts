/**
 * The sandbox controls exist only where they can work: with the worker's sandbox adapters in the same
 * process, outside production, per adapter that really is a sandbox one; admin only. What they set is what
 * the adapters then do (faults for the next calls or for one case, parcels, orders); what they read is
 * what the adapters hold (ledger, calls, outbox). No Temporal server is needed.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPaymentGateway } from '../../../activities/adapters/http-payments';
import { RefundRefusedError } from '../../../activities/adapters/payments';
import { buildApp } from '../../../api/app';
import { loadApiKeys } from '../../../api/auth';
import { createSandboxAdapters, sandboxAdaptersIn, type SandboxAdapters } from '../../../worker/sandbox';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function appWith(sandbox?: Partial<SandboxAdapters>): Promise<FastifyInstance> {
  const app = await buildApp({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    taskQueue: 'unit-sandbox', namespace: 'default', keys: loadApiKeys({}), logger: false,
    ...(sandbox ? { sandbox } : {}),
  });
  apps.push(app);
  await app.ready();
  return app;
}

const admin = { authorization: 'Bearer dev-admin' };
const order = (caseId: string, n = 1) => ({ idempotencyKey: `${caseId}:refund:${n}`, caseId, merchantId: 'm-a', orderId: 'o-1', amount: { amount: 100, currency: 'CNY' } });

describe('where the sandbox controls exist', () => {
  it('not without the sandbox adapters (worker in another process): 404 problem', async () => {
    const app = await appWith();
    const answer = await app.inject({ method: 'GET', url: '/v1/sandbox/payments/ledger', headers: admin });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/v1/sandbox'))).toEqual([]);
  });

  it('not in production, even with the adapters', async () => {
    const before = { NODE_ENV: process.env.NODE_ENV, CASES_ENCRYPTION_KEYS: process.env.CASES_ENCRYPTION_KEYS };
    process.env.NODE_ENV = 'production';
    process.env.CASES_ENCRYPTION_KEYS = JSON.stringify({ current: 'p1', keys: { p1: randomBytes(32).toString('base64') } });
    try {
      const app = await appWith(createSandboxAdapters());
      expect((await app.inject({ method: 'GET', url: '/v1/sandbox/notifications', headers: admin })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: admin, payload: { fault: 'refuse' } })).statusCode).toBe(404);
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('not for a real adapter configured in the sandbox one\'s place', async () => {
    const sandbox = createSandboxAdapters();
    const inUse = sandboxAdaptersIn({ ...sandbox, payments: new HttpPaymentGateway({ baseUrl: 'http://127.0.0.1:1', secret: 's', timeoutMs: 100 }) });
    expect(inUse.payments).toBeUndefined();
    const app = await appWith(inUse);
    expect((await app.inject({ method: 'GET', url: '/v1/sandbox/payments/ledger', headers: admin })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: admin, payload: { fault: 'refuse' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/sandbox/notifications', headers: admin })).statusCode).toBe(200);
  });

  it('admin only; tagged sandbox in the OpenAPI document', async () => {
    const app = await appWith(createSandboxAdapters());
    expect((await app.inject({ method: 'GET', url: '/v1/sandbox/payments/ledger' })).statusCode).toBe(401);
    const forbidden = await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: { authorization: 'Bearer dev-supervisor' }, payload: { fault: 'refuse' } });
    expect(forbidden.statusCode).toBe(403);
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const sandboxOps = Object.entries(doc.paths as Record<string, Record<string, { tags: string[] }>>).filter(([p]) => p.startsWith('/v1/sandbox')).flatMap(([, item]) => Object.values(item));
    expect(sandboxOps.length).toBe(8);
    for (const op of sandboxOps) expect(op.tags).toEqual(['sandbox']);
  });
});

describe('what the controls do', () => {
  it('payment faults for the next calls, then for one case only; the ledger shows calls and entries', async () => {
    const sandbox = createSandboxAdapters();
    const app = await appWith(sandbox);
    const injected = await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: admin, payload: { fault: 'http_500', times: 2 } });
    expect(injected.statusCode).toBe(200);
    expect(injected.json()).toEqual({ next: ['http_500', 'http_500'], byCase: {} });
    await expect(sandbox.payments.refund(order('as_a'))).rejects.toThrow(/500/);
    await expect(sandbox.payments.refund(order('as_a'))).rejects.toThrow(/500/);
    await sandbox.payments.refund(order('as_a'));

    await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: admin, payload: { fault: 'refuse', caseId: 'as_b' } });
    await sandbox.payments.refund(order('as_c'));
    await expect(sandbox.payments.refund(order('as_b'))).rejects.toBeInstanceOf(RefundRefusedError);
    await sandbox.payments.refund(order('as_b', 2));

    const ledger = (await app.inject({ method: 'GET', url: '/v1/sandbox/payments/ledger?caseId=as_b', headers: admin })).json();
    expect(ledger.entries).toEqual([expect.objectContaining({ caseId: 'as_b', idempotencyKey: 'as_b:refund:2', gatewayRef: expect.any(String), executedAt: expect.stringMatching(/\+08:00$/) })]);
    expect(ledger.calls).toEqual([{ idempotencyKey: 'as_b:refund:1', answer: 'refuse' }, { idempotencyKey: 'as_b:refund:2', answer: 'committed' }]);
    expect(ledger.pendingFaults).toEqual({ next: [], byCase: {} });

    await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: admin, payload: { fault: 'timeout_after_commit', times: 3 } });
    expect((await app.inject({ method: 'DELETE', url: '/v1/sandbox/payments/faults', headers: admin })).json()).toEqual({ next: [], byCase: {} });
    const invalid = await app.inject({ method: 'POST', url: '/v1/sandbox/payments/faults', headers: admin, payload: { fault: 'explode' } });
    expect(invalid.statusCode).toBe(400);
  });

  it('the outbox, carrier tracking and inquiries, order-system answers', async () => {
    const sandbox = createSandboxAdapters();
    const app = await appWith(sandbox);
    await sandbox.notifications.send({ id: 'as_1:notice:1', type: 'sla.warning', caseId: 'as_1', merchantId: 'm-a', to: { role: 'merchant', tier: 'L1' }, data: { deadline: 'merchantResponse' } });
    await sandbox.notifications.send({ id: 'as_2:notice:1', type: 'escalation', caseId: 'as_2', merchantId: 'm-a', to: { role: 'supervisor', tier: 'L2' }, data: {} });
    const outbox = (await app.inject({ method: 'GET', url: '/v1/sandbox/notifications?caseId=as_1', headers: admin })).json();
    expect(outbox.notifications).toEqual([expect.objectContaining({ id: 'as_1:notice:1', type: 'sla.warning' })]);

    const parcel = await app.inject({ method: 'PUT', url: '/v1/sandbox/logistics/parcels/SF123', headers: admin, payload: { status: 'lost' } });
    expect(parcel.json()).toMatchObject({ trackingNumber: 'SF123', status: 'lost' });
    expect(await sandbox.logistics.track('SF123')).toMatchObject({ status: 'lost' });
    await sandbox.logistics.openCarrierInquiry({ id: 'oi_1:carrier:1', caseId: 'oi_1', merchantId: 'm-a', kind: 'trace', trackingNumber: 'SF123' });
    expect((await app.inject({ method: 'GET', url: '/v1/sandbox/logistics/inquiries?caseId=oi_1', headers: admin })).json().inquiries)
      .toEqual([expect.objectContaining({ id: 'oi_1:carrier:1', reference: 'CI-1' })]);

    const shipped = await app.inject({ method: 'PUT', url: '/v1/sandbox/orders/o-77', headers: admin, payload: { shipped: true } });
    expect(shipped.json()).toEqual({ orderId: 'o-77', shipped: true, paymentStatus: 'paid' });
    expect(await sandbox.orders.changeAddress({ id: 'oi_2:address:1', merchantId: 'm-a', orderId: 'o-77', address: { recipient: 'x' } as never })).toEqual({ changed: false, reason: 'already_shipped' });
    await app.inject({ method: 'PUT', url: '/v1/sandbox/orders/o-78', headers: admin, payload: { paymentStatus: 'duplicate_charge' } });
    expect(await sandbox.orders.status('m-a', 'o-78')).toMatchObject({ shipped: false, paymentStatus: 'duplicate_charge' });
    await sandbox.orders.changeAddress({ id: 'oi_3:address:1', merchantId: 'm-a', orderId: 'o-78', address: { recipient: 'x' } as never });
    expect((await app.inject({ method: 'GET', url: '/v1/sandbox/orders/address-changes', headers: admin })).json())
      .toEqual({ changes: [{ id: 'oi_3:address:1', merchantId: 'm-a', orderId: 'o-78' }] });
  });
});
