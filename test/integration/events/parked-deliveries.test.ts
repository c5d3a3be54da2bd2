/**
 * Webhook delivery per subscription, on the real dev server: of two subscriptions of one merchant, one
 * answers 500 forever. The healthy one gets every event once, in order; the case closes without waiting;
 * the dead one's events are parked after the bounded attempts, the later ones queued behind the first;
 * admins (only admins) list the parked delivery over the API, with no worker running too, and after the
 * endpoint is fixed a re-delivery brings every event in order, exactly once more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPublisher, subscriptionIdOf } from '../../../activities/adapters/webhooks';
import { randomBytes } from 'node:crypto';
import { DEFAULT_DELIVERY_POLICY, type CaseEvent } from '../../../activities/adapters/events';
import { deliveryWorkflowId } from '../../../activities/delivery';
import { DeliveryState } from '../../../workflows/search-attributes';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { startOutsideSystems, type OutsideSystems } from '../../support/outside-systems';
import { act, afterSaleBody, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

const MAX_ATTEMPTS = 3;
const FOREVER = Number.MAX_SAFE_INTEGER;

let healthy: OutsideSystems;
let dead: OutsideSystems;
let system: CaseSystem;
let api: ApiClient;
let policyId: string;
let deadSubscription: { merchantId: string; url: string; secret: string };
let deadId: string;

beforeAll(async () => {
  [healthy, dead] = await Promise.all([startOutsideSystems(), startOutsideSystems()]);
  deadSubscription = { merchantId: 'm-a', url: dead.webhooks.url, secret: dead.webhooks.secret };
  deadId = subscriptionIdOf(deadSubscription);
  const events = new WebhookPublisher([
    { id: 'healthy-backoffice', merchantId: 'm-a', url: healthy.webhooks.url, secret: healthy.webhooks.secret },
    deadSubscription,
  ], { timeoutMs: 2_000, delivery: { maxAttempts: MAX_ATTEMPTS, initialIntervalMs: 200, maximumIntervalMs: 400 } });
  system = await startCaseSystem({ name: 'parked-webhooks', adapters: { events } });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
});
afterAll(async () => {
  await system?.close();
  await Promise.all([healthy?.close(), dead?.close()]);
});

const caseEventIds = (caseId: string, count: number) => Array.from({ length: count }, (_, i) => `${caseId}:${i}`);
const arrivalsOf = (outside: OutsideSystems, caseId: string) => outside.webhooks.arrivals.filter((e) => e.caseId === caseId).map((e) => e.id);
const deadAttempts = (caseId: string) => dead.webhooks.log.filter((r) => (r.body as { caseId?: string } | undefined)?.caseId === caseId);

describe('one subscription answering 500 forever', () => {
  let caseId: string;
  let closed: any;
  let deliveryId: string;

  it('never holds up the healthy subscription or the case', async () => {
    dead.webhooks.failNext(FOREVER, 500);
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
    caseId = created.id;
    await act(api, caseId, 'add-note', 'dev-merchant-a', { note: 'checking the order' });
    await act(api, caseId, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    closed = await waitForCase(api, caseId, (v) => v.status === 'closed', 20_000);
    expect(closed.outcome).toBe('refunded');

    // The healthy subscriber gets every event once, in order.
    const ids = caseEventIds(caseId, closed.timeline.length);
    await eventually(async () => expect(healthy.webhooks.events(caseId).map((e) => e.id)).toEqual(ids), { timeoutMs: 20_000 });
    expect(arrivalsOf(healthy, caseId)).toEqual(ids);
    expect(healthy.webhooks.events(caseId).map((e) => e.type)).toEqual(closed.timeline.map((t: any) => t.type));
    expect(healthy.webhooks.events(caseId).every((e) => e.schemaVersion === 1)).toBe(true);
    expect(healthy.webhooks.orderProblems(caseId)).toEqual([]);
    expect(healthy.badSignatures()).toEqual([]);

    // The case workflow waits on no delivery: it completes, or sits in its post-close wait with nothing pending.
    await eventually(async () => {
      const description = await system.client.workflow.getHandle(caseId).describe();
      const pending = description.raw.pendingActivities ?? [];
      expect(description.status.name === 'COMPLETED' || (description.status.name === 'RUNNING' && pending.length === 0), description.status.name).toBe(true);
    }, { timeoutMs: 20_000 });
  });

  it('parks the dead subscription\'s events after the bounded attempts, the later ones queued behind the first', async () => {
    deliveryId = deliveryWorkflowId(deadId, caseId);
    const handle = system.client.workflow.getHandle(deliveryId);
    await eventually(async () => {
      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(DeliveryState)).toBe('parked');
    }, { timeoutMs: 30_000 });
    // Exactly the bounded attempts, all on the first event: nothing later was tried out of order.
    const attempts = deadAttempts(caseId);
    expect(attempts.map((r) => (r.body as { id: string }).id)).toEqual(Array(MAX_ATTEMPTS).fill(`${caseId}:0`));
    expect(attempts.every((r) => r.status === 500 && r.signatureValid)).toBe(true);
    expect(dead.webhooks.events(caseId)).toEqual([]);

    const listed = await eventually(async () => {
      const answer = await api.get(`/v1/webhooks/parked?merchantId=m-a&subscriptionId=${deadId}`, { key: 'dev-admin' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const mine = answer.body.deliveries.find((d: any) => d.caseId === caseId);
      expect(mine).toBeDefined();
      return mine;
    }, { timeoutMs: 20_000 });
    expect(listed).toMatchObject({
      deliveryId, subscriptionId: deadId, caseId, merchantId: 'm-a', eventId: `${caseId}:0`, attempts: MAX_ATTEMPTS,
      queued: closed.timeline.length, pendingEventIds: caseEventIds(caseId, closed.timeline.length),
    });
    expect(listed.error).toMatch(/HTTP 500/);
    expect(listed.error).not.toContain(dead.webhooks.url);
    expect(listed.parkedAt).toMatch(/\+08:00$/);

    // The healthy subscription has nothing parked; another merchant's filter shows none of this.
    const healthyList = await api.get('/v1/webhooks/parked?subscriptionId=healthy-backoffice', { key: 'dev-admin' });
    expect(healthyList.body.deliveries).toEqual([]);
    const otherMerchant = await api.get('/v1/webhooks/parked?merchantId=m-b', { key: 'dev-admin' });
    expect(otherMerchant.body.deliveries.filter((d: any) => d.caseId === caseId)).toEqual([]);
  });

  it('is for admins only: other roles get 403 problems', async () => {
    for (const key of ['dev-supervisor', 'dev-merchant-a']) {
      const list = await api.get('/v1/webhooks/parked', { key });
      expect(list.status).toBe(403);
      expect(list.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(list.body.type).toBe('/problems/forbidden');
      const redeliver = await api.post(`/v1/webhooks/parked/${deliveryId}/redeliver`, {}, { key });
      expect(redeliver.status).toBe(403);
    }
    expect((await api.get('/v1/webhooks/parked')).status).toBe(401);
    expect((await api.post(`/v1/webhooks/parked/${deliveryId}/redeliver`, {}, { key: 'dev-admin', idempotencyKey: null })).status).toBe(400);
    expect((await api.get('/v1/webhooks/parked?subscriptionId=bad%20id', { key: 'dev-admin' })).status).toBe(400);
    const unknown = await api.post(`/v1/webhooks/parked/${deliveryWorkflowId('nobody', caseId)}/redeliver`, {}, { key: 'dev-admin' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('/problems/not-found');
  });

  it('lists parked deliveries with no worker running (visibility)', async () => {
    await system.stopWorker();
    try {
      const answer = await api.get(`/v1/webhooks/parked?subscriptionId=${deadId}`, { key: 'dev-admin' });
      expect(answer.status).toBe(200);
      expect(answer.body.deliveries.map((d: any) => d.deliveryId)).toContain(deliveryId);
    } finally {
      await system.startWorker();
    }
  });

  it('re-delivers every parked event in order, exactly once more, once the endpoint is fixed', async () => {
    dead.webhooks.failNext(0);
    const idempotencyKey = `redeliver-${caseId}`;
    const first = await api.post(`/v1/webhooks/parked/${deliveryId}/redeliver`, undefined, { key: 'dev-admin', idempotencyKey });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const ids = caseEventIds(caseId, closed.timeline.length);
    expect(first.body).toMatchObject({ deliveryId, state: 'delivering', queued: ids.length, eventIds: ids });

    await eventually(async () => expect(dead.webhooks.events(caseId).map((e) => e.id)).toEqual(ids), { timeoutMs: 20_000 });
    expect(arrivalsOf(dead, caseId)).toEqual(ids);
    expect(dead.webhooks.orderProblems(caseId)).toEqual([]);
    expect(dead.webhooks.events(caseId)).toEqual(healthy.webhooks.events(caseId));
    // The healthy subscriber got nothing again.
    expect(arrivalsOf(healthy, caseId)).toEqual(ids);

    // The case said it closed, so the delivery ends once its queue is empty; nothing is parked any more.
    await eventually(async () => {
      const description = await system.client.workflow.getHandle(deliveryId).describe();
      expect(description.status.name).toBe('COMPLETED');
      expect(description.typedSearchAttributes.get(DeliveryState)).toBe('done');
    }, { timeoutMs: 20_000 });
    await eventually(async () => {
      const answer = await api.get(`/v1/webhooks/parked?subscriptionId=${deadId}`, { key: 'dev-admin' });
      expect(answer.body.deliveries.map((d: any) => d.deliveryId)).not.toContain(deliveryId);
    }, { timeoutMs: 20_000 });

    // The same Idempotency-Key answers the first result; a new request finds nothing parked (409).
    const again = await api.post(`/v1/webhooks/parked/${deliveryId}/redeliver`, undefined, { key: 'dev-admin', idempotencyKey });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await api.post(`/v1/webhooks/parked/${deliveryId}/redeliver`, {}, { key: 'dev-admin' });
    expect(other.status).toBe(409);
    expect(other.body.type).toBe('/problems/conflict');
  });
});

describe('a long delivery', () => {
  it('continues as new before its history grows large, and delivers every event once, in order', async () => {
    const caseId = `as_${randomBytes(16).toString('hex')}`;
    const events: CaseEvent[] = Array.from({ length: 12 }, (_, i) => ({
      id: `${caseId}:${i}`, schemaVersion: 1, type: 'action.add-note', caseId, kind: 'after_sale', merchantId: 'm-a', at: '2026-11-22T16:40:00+08:00', data: { actor: 'merchant' },
    }));
    const workflowId = deliveryWorkflowId('healthy-backoffice', caseId);
    const policy = { ...DEFAULT_DELIVERY_POLICY, historyLimit: 30 };
    const handle = await system.client.workflow.signalWithStart('webhookDelivery', {
      workflowId, taskQueue: system.taskQueue,
      args: [{ sinkId: 'healthy-backoffice', caseId, merchantId: 'm-a', policy }],
      signal: 'enqueueEvents', signalArgs: [{ events: events.slice(0, 6), policy }],
    });
    // A retried hand-off overlaps what was sent: nothing is delivered twice.
    await handle.signal('enqueueEvents', { events: events.slice(4), closed: true, policy });
    await eventually(async () => expect(healthy.webhooks.events(caseId).map((e) => e.id)).toEqual(events.map((e) => e.id)), { timeoutMs: 30_000 });
    const result = await system.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ queued: 0, delivered: 12, closed: true });
    expect(arrivalsOf(healthy, caseId)).toEqual(events.map((e) => e.id));
    const description = await system.client.workflow.getHandle(workflowId).describe();
    expect(description.runId).not.toBe(handle.signaledRunId);
  });
});
