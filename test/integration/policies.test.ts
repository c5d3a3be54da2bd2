/**
 * Custom policies over real HTTP against the run's Temporal dev server and a real worker: publishing
 * versions through the registry workflow, idempotent republishing, version reads, listing, and the
 * refusals (preset ids, malformed documents, non-admin keys, reused Idempotency-Keys).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { buildApp } from '../../api/app';
import { loadApiKeys } from '../../api/auth';
import { createSandboxAdapters } from '../../worker/sandbox';
import { apiClient, eventually, type ApiClient } from '../support/http';
import { temporalAddress, temporalNamespace, testConnection, uniqueTaskQueue } from '../support/temporal';
import { dataConverterFrom } from '../../worker/encryption';

// The workflows entry as a file path: under vitest, require.resolve does not know the .ts extension.
const WORKFLOWS_PATH = path.join(__dirname, '../../workflows/index.ts');

const admin = { key: 'dev-admin' };

/** Second-level deadlines so cases under this policy finish within a test. */
function fastDocument(name: string, merchantResponseSeconds: number) {
  return {
    name,
    extends: 'cn-marketplace',
    afterSale: {
      deadlines: {
        merchantResponse: { amount: merchantResponseSeconds, unit: 'seconds' },
        buyerReturnShipment: { amount: 30, unit: 'seconds' },
      },
    },
  };
}

describe('policies API', () => {
  let client: Client;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let app: FastifyInstance;
  let api: ApiClient;
  const policyId = `fast-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const taskQueue = uniqueTaskQueue('policies');
    // The same encrypting converter as every worker on the shared server, whose memos this list reads.
    client = await testConnection({ dataConverter: dataConverterFrom({}) });
    connection = await NativeConnection.connect({ address: temporalAddress() });
    worker = await Worker.create({
      connection, namespace: temporalNamespace(), taskQueue, workflowsPath: WORKFLOWS_PATH, activities: createActivities(createSandboxAdapters()),
      dataConverter: dataConverterFrom({}),
    });
    running = worker.run();
    app = await buildApp({ client, taskQueue, namespace: temporalNamespace(), keys: loadApiKeys({}), logger: false });
    api = apiClient(await app.listen({ host: '127.0.0.1', port: 0 }));
  });

  afterAll(async () => {
    await app?.close();
    worker?.shutdown();
    await running;
    await connection?.close();
    await client?.connection.close();
  });

  it('publishes a custom policy extending a preset as version 1, merged over the preset', async () => {
    const put = await api.put(`/v1/policies/${policyId}`, fastDocument('Fast test policy', 5), admin);
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe(`/v1/policies/${policyId}/versions/1`);
    expect(put.body).toMatchObject({ id: policyId, version: 1, preset: false });
    expect(put.body.publishedAt).toMatch(/\+08:00$/);
    const { policy } = put.body;
    expect(policy.afterSale.deadlines.merchantResponse).toEqual({ amount: 5, unit: 'seconds' });
    // Inherited from cn-marketplace: what the document left out.
    expect(policy.afterSale.deadlines.merchantReceipt).toEqual({ amount: 240, unit: 'hours' });
    expect(policy.afterSale.authorityLimit).toEqual({ amount: 50_000, currency: 'CNY' });
    expect(policy.extends).toBe('cn-marketplace');
    // The preset's source for an overridden number no longer applies; the others stay.
    expect(policy.sources['afterSale.deadlines.merchantResponse']).toBeUndefined();
    expect(policy.sources['afterSale.deadlines.merchantReceipt']).toMatch(/Taobao/);
  });

  it('publishes nothing for identical content under a new key: 200 with the existing version', async () => {
    const again = await api.put(`/v1/policies/${policyId}`, fastDocument('Fast test policy', 5), admin);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
    expect(again.headers.get('location')).toBeNull();
  });

  it('answers a retried PUT (same key, same body) with its first result and refuses the key for another body', async () => {
    const idempotencyKey = randomUUID();
    const first = await api.put(`/v1/policies/${policyId}`, fastDocument('Fast test policy', 7), { ...admin, idempotencyKey });
    expect(first.status).toBe(201);
    expect(first.body.version).toBe(2);
    const retry = await api.put(`/v1/policies/${policyId}`, fastDocument('Fast test policy', 7), { ...admin, idempotencyKey });
    expect(retry.status).toBe(201);
    expect(retry.body.version).toBe(2);
    const reused = await api.put(`/v1/policies/${policyId}`, fastDocument('Fast test policy', 9), { ...admin, idempotencyKey });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('serves the latest version, each version, and the version list', async () => {
    const latest = await api.get(`/v1/policies/${policyId}`, admin);
    expect(latest.status).toBe(200);
    expect(latest.body.version).toBe(2);
    expect(latest.body.policy.afterSale.deadlines.merchantResponse.amount).toBe(7);

    const v1 = await api.get(`/v1/policies/${policyId}/versions/1`, { key: 'dev-agent' });
    expect(v1.status).toBe(200);
    expect(v1.body.policy.afterSale.deadlines.merchantResponse.amount).toBe(5);
    expect(v1.body.policy.version).toBe(1);

    const list = await api.get(`/v1/policies/${policyId}/versions`, admin);
    expect(list.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const missing = await api.get(`/v1/policies/${policyId}/versions/3`, admin);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await api.get('/v1/policies/never-published', admin)).status).toBe(404);
  });

  it('lists presets and the custom policy (visibility is eventually consistent)', async () => {
    const listed = await eventually(async () => {
      const list = await api.get('/v1/policies', { key: 'dev-merchant-a' });
      expect(list.status).toBe(200);
      const entry = list.body.policies.find((p: { id: string }) => p.id === policyId);
      expect(entry).toEqual({ id: policyId, name: 'Fast test policy', latestVersion: 2, preset: false });
      return list.body.policies;
    });
    expect(listed).toContainEqual(expect.objectContaining({ id: 'cn-marketplace', preset: true }));
  });

  it('lets a policy extend a custom policy, pinning the parent content at publish time', async () => {
    const childId = `${policyId}-child`;
    const put = await api.put(`/v1/policies/${childId}`, { name: 'Child', extends: policyId, warning: { beforeSeconds: 2 } }, admin);
    expect(put.status).toBe(201);
    expect(put.body.policy.afterSale.deadlines.merchantResponse).toEqual({ amount: 7, unit: 'seconds' });
    expect(put.body.policy.warning).toEqual({ beforeSeconds: 2 });
  });

  it('refuses a preset id with 409', async () => {
    const put = await api.put('/v1/policies/cn-marketplace', fastDocument('Not allowed', 5), admin);
    expect(put.status).toBe(409);
    expect(put.body.type).toBe('/problems/conflict');
  });

  it('refuses malformed documents with 400 and publishes nothing', async () => {
    const badUnit = await api.put(`/v1/policies/${policyId}`, { name: 'x', extends: 'cn-marketplace', afterSale: { deadlines: { merchantResponse: { amount: 5, unit: 'fortnights' } } } }, admin);
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.type).toBe('/problems/invalid-request');
    const unknownField = await api.put(`/v1/policies/${policyId}`, { ...fastDocument('x', 5), colour: 'red' }, admin);
    expect(unknownField.status).toBe(400);
    const incomplete = await api.put(`/v1/policies/${policyId}`, { name: 'No parent', afterSale: { deadlines: { merchantResponse: { amount: 5, unit: 'seconds' } } } }, admin);
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.problems).toEqual(expect.arrayContaining(['afterSale.deadlines.merchantReceipt is missing']));
    const unknownCalendar = await api.put(`/v1/policies/${policyId}`, { ...fastDocument('x', 5), defaultCalendar: 'mars' }, admin);
    expect(unknownCalendar.status).toBe(400);
    const noKey = await api.put(`/v1/policies/${policyId}`, fastDocument('x', 5), { ...admin, idempotencyKey: null });
    expect(noKey.status).toBe(400);

    expect((await api.get(`/v1/policies/${policyId}`, admin)).body.version).toBe(2);
  });

  it('answers 422 not-eligible for an unknown parent', async () => {
    const put = await api.put(`/v1/policies/${policyId}-orphan`, { name: 'Orphan', extends: 'no-such-policy' }, admin);
    expect(put.status).toBe(422);
    expect(put.body).toMatchObject({ type: '/problems/not-eligible', rule: 'unknown-policy' });
  });

  it('allows only admin keys to publish: 401 without a key, 403 for other roles', async () => {
    expect((await api.put(`/v1/policies/${policyId}`, fastDocument('x', 5))).status).toBe(401);
    expect((await api.put(`/v1/policies/${policyId}`, fastDocument('x', 5), { key: 'wrong' })).status).toBe(401);
    for (const key of ['dev-agent', 'dev-supervisor', 'dev-merchant-a', 'dev-channel']) {
      const put = await api.put(`/v1/policies/${policyId}`, fastDocument('x', 5), { key });
      expect(put.status, key).toBe(403);
      expect(put.body.type).toBe('/problems/forbidden');
    }
  });

  it('opens a case pinned to the custom policy, and 422 unknown-policy for an unknown id', async () => {
    const body = {
      merchantId: 'm-a', orderId: `o-${randomUUID().slice(0, 8)}`, customerRef: 'c-1', type: 'refund_only', reason: 'quality',
      items: [{ sku: 'sku-1', quantity: 1, unitPrice: { amount: 1000, currency: 'CNY' } }],
      order: { paidTotal: { amount: 1000, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } },
      policyId,
    };
    const created = await api.post('/v1/after-sales', body, { key: 'dev-channel' });
    expect(created.status).toBe(201);
    expect(created.body.policy).toEqual({ id: policyId, version: 2 });
    const unknown = await api.post('/v1/after-sales', { ...body, policyId: 'no-such-policy' }, { key: 'dev-channel' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ type: '/problems/not-eligible', rule: 'unknown-policy' });
  });
});
