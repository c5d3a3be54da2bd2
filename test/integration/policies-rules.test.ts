/**
 * The rules the presets carry, over real HTTP against the run's Temporal dev server and a real worker: the EU
 * end of a withdrawal period in a preview, an A-to-z claim refused before it opens (409 naming opensAt), a
 * custom complaint firstResponse that applies, and the retired serviceReview refused.
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
import { apiClient, type ApiClient } from '../support/http';
import { temporalAddress, temporalNamespace, testConnection, uniqueTaskQueue } from '../support/temporal';
import { dataConverterFrom } from '../../worker/encryption';
import { afterSaleBody, createAfterSale } from './after-sale/fixtures';

const WORKFLOWS_PATH = path.join(__dirname, '../../workflows/index.ts');
const admin = { key: 'dev-admin' };

describe('preset rules over HTTP', () => {
  let client: Client;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let app: FastifyInstance;
  let api: ApiClient;

  beforeAll(async () => {
    const taskQueue = uniqueTaskQueue('policy-rules');
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

  it('eu-14day: delivered Saturday 2026-03-07, the withdrawal window ends 2026-03-24 00:00 +01:00 (Regulation 1182/71 art. 3(4))', async () => {
    const answer = await api.post('/v1/policies/eu-14day/preview', {
      kind: 'after_sale', type: 'return_and_refund', events: { deliveredAt: '2026-03-07T15:00:00+01:00', requestedAt: '2026-03-10T09:00:00+01:00' },
    }, { key: 'dev-agent', idempotencyKey: null });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.policy).toEqual({ id: 'eu-14day', version: 2 });
    expect(answer.body.noReasonWindowEndsAt).toBe('2026-03-24T00:00:00.000+01:00');
    // Approved at once on Tue 03-10: 14 days end Tue 03-24, a working day.
    expect(answer.body.deadlines.find((d: any) => d.name === 'buyerReturnShipment')).toMatchObject({
      dueAt: '2026-03-25T00:00:00.000+01:00', duration: { amount: 14, unit: 'calendar_days' },
    });
  });

  it('amazon-30day: an A-to-z claim before two business days without an answer answers 409 with opensAt', async () => {
    const id = `a-to-z-${randomUUID().slice(0, 8)}`;
    const put = await api.put(`/v1/policies/${id}`, {
      name: 'Out-of-policy returns: the seller answers in 5 days', extends: 'amazon-30day',
      afterSale: { deadlines: { merchantResponse: { amount: 120, unit: 'hours' } } },
    }, admin);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body.policy.afterSale.escalationOpensAfterNoAnswer).toEqual({ amount: 2, unit: 'working_days', calendar: 'amazon-business-days' });
    // Requested a minute ago: the claim opens at 00:00 (+08:00) after two whole business days (worked examples in
    // test/unit/after-sale/platform-claim.test.ts: Mon 10:00 → Thu 00:00, Fri 10:00 → Wed 00:00).
    const created = await createAfterSale(api, afterSaleBody({ policyId: id, requestedAt: new Date(Date.now() - 60_000).toISOString() }));
    const refused = await api.post(`/v1/after-sales/${created.id}/actions/escalate`, { reason: 'no answer' }, { key: 'dev-channel' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body).toMatchObject({ type: '/problems/action-not-allowed', caseStatus: 'awaiting_merchant', action: 'escalate' });
    expect(refused.body.opensAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000\+08:00$/);
    // Two whole business days after the request's day: at least 2 and at most 5 calendar days later (a weekend between).
    const days = (Date.parse(refused.body.opensAt) - Date.parse(created.createdAt)) / 86_400_000;
    expect(days).toBeGreaterThan(2);
    expect(days).toBeLessThanOrEqual(5);
  });

  it('a custom complaint firstResponse applies to every priority (not overridden by inherited targets)', async () => {
    const id = `flat-${randomUUID().slice(0, 8)}`;
    const put = await api.put(`/v1/policies/${id}`, { name: 'Answer every complaint within 1 h', extends: 'cn-marketplace', complaint: { deadlines: { firstResponse: { amount: 1, unit: 'hours' } } } }, admin);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const preview = await api.post(`/v1/policies/${id}/preview`, { kind: 'complaint', priority: 'P1', events: { requestedAt: '2026-11-20T10:00:00+08:00' } }, { key: 'dev-agent', idempotencyKey: null });
    expect(preview.body.deadlines.find((d: any) => d.name === 'firstResponse').dueAt).toBe('2026-11-20T11:00:00.000+08:00');
  });

  it('a document naming the retired serviceReview is refused', async () => {
    const put = await api.put(`/v1/policies/retired-${randomUUID().slice(0, 8)}`, { name: 'x', extends: 'cn-marketplace', afterSale: { deadlines: { serviceReview: { amount: 48, unit: 'hours' } } } }, admin);
    expect(put.status).toBe(400);
    expect(JSON.stringify(put.body)).toContain('serviceReview');
  });

  it('a custom policy may set the new rule values over PUT: the EU end of period, the claim opening, suspension limits', async () => {
    const id = `custom-rules-${randomUUID().slice(0, 8)}`;
    const put = await api.put(`/v1/policies/${id}`, {
      name: 'Custom rules', extends: 'cn-marketplace',
      afterSale: {
        noReasonReturn: { window: { amount: 7, unit: 'calendar_days', endOfPeriodRule: 'eu-1182-71' } },
        escalationOpensAfterNoAnswer: { amount: 2, unit: 'working_days', calendar: 'cn-workdays' },
        suspensionLimits: { legal_proof: { amount: 10, unit: 'working_days', calendar: 'cn-workdays' }, police: { amount: 90, unit: 'calendar_days' } },
      },
    }, admin);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const read = await api.get(`/v1/policies/${id}`, admin);
    expect(read.body.document.afterSale).toMatchObject({
      escalationOpensAfterNoAnswer: { amount: 2, unit: 'working_days' },
      suspensionLimits: { legal_proof: { amount: 10, unit: 'working_days' }, police: { amount: 90, unit: 'calendar_days' } },
    });
    // Delivered Sat 2026-03-07 (+08:00): 7 days from the next midnight end with Sat 03-14, moved to Mon 03-16,
    // so the window closes at 03-17 00:00 (without the rule: 03-15 00:00).
    const preview = await api.post(`/v1/policies/${id}/preview`, {
      kind: 'after_sale', type: 'return_and_refund', events: { deliveredAt: '2026-03-07T10:00:00+08:00', requestedAt: '2026-03-09T09:00:00+08:00' },
    }, { key: 'dev-agent', idempotencyKey: null });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.noReasonWindowEndsAt).toBe('2026-03-17T00:00:00.000+08:00');
    const wrong = await api.put(`/v1/policies/${id}-wrong`, { name: 'x', extends: 'cn-marketplace', afterSale: { noReasonReturn: { window: { amount: 48, unit: 'hours', endOfPeriodRule: 'eu-1182-71' } } } }, admin);
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toMatch(/calendar_days only/);
  });

  it('inquiry preview names who acts and what silence does', async () => {
    const preview = await api.post('/v1/policies/cn-marketplace/preview', { kind: 'inquiry', events: { requestedAt: '2026-11-20T10:00:00+08:00' } }, { key: 'dev-agent', idempotencyKey: null });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.deadlines).toEqual([expect.objectContaining({ name: 'firstResponse', actor: 'agent', onTimeout: 'escalate', dueAt: '2026-11-20T10:30:00.000+08:00' })]);
    expect(preview.body.waitingFor).toEqual([expect.objectContaining({ name: 'followUp', actor: 'channel', onTimeout: 'warn' })]);
  });
});
