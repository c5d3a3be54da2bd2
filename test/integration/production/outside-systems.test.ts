/**
 * The bundled worker as a process of its own with every HTTP adapter (no sandbox): payments,
 * notifications, logistics, orders and webhooks are real HTTP servers in this test process that verify
 * signatures. The three scenario drivers run over the API; then every call the worker made must have been
 * signed right, events must have arrived in order per case with unique ids, and each case refunded once.
 * A worker with a wrong payment secret is refused (401) and moves no money; restarted with the right one,
 * the refund is paid once. Wrong webhook and notification secrets are refused and retried without holding
 * up the case; with the right ones every event arrives, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { startOutsideSystems, withWrongSecrets, type OutsideSystems } from '../../support/outside-systems';
import { afterSaleToRefund, complaintWithSurvey, orderIssue, pollUntil, scenarioApi, type ScenarioApi } from '../../support/scenarios';
import { temporalAddress, temporalNamespace } from '../../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../../support/worker-process';

let outside: OutsideSystems;
let system: CaseSystem;
let api: ScenarioApi;
let worker: WorkerProcess | undefined;
const caseIds: string[] = [];

async function restartWorker(env: Record<string, string>): Promise<void> {
  await worker?.kill('SIGTERM');
  worker = startWorkerProcess({
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: temporalNamespace(),
    TASK_QUEUE: system.taskQueue,
    PAYMENT_GATEWAY_TIMEOUT_MS: '5000',
    // The worker process keeps the projection the API reads, as in production.
    PROJECTION_DATABASE_URL: system.projectionDatabaseUrl,
    ...env,
  });
  await worker.ready;
}

beforeAll(async () => {
  outside = await startOutsideSystems();
  system = await startCaseSystem({ name: 'outside-systems', inProcessWorker: false, temporalCallTimeoutMs: 20_000 });
  api = scenarioApi({ baseUrl: system.baseUrl });
  await restartWorker(outside.env);
}, 180_000);

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await system?.close();
  await outside?.close();
});

describe('the scenarios against HTTP outside systems', () => {
  it('a return and refund: one refund in the gateway ledger, of the amount the API shows', async () => {
    const run = await afterSaleToRefund(api, outside);
    expect(run.refunds).toHaveLength(1);
    caseIds.push(...run.caseIds);
  });

  it('a complaint refunded through its linked after-sale, closed, surveyed through the notification service, answered', async () => {
    const run = await complaintWithSurvey(api, outside, { score: 4 });
    expect(run.refunds).toHaveLength(1);
    expect(outside.notifications.deliveriesOf(`${run.surveyId}:sent`)).toBeGreaterThanOrEqual(1);
    caseIds.push(...run.caseIds);
  });

  it('order issues on the logistics and order services: a lost parcel refunded once, an address changed once', async () => {
    const run = await orderIssue(api, outside);
    expect(run).toMatchObject({ carrierInquiries: 1, addressChanges: 1 });
    expect(run.refunds).toHaveLength(1);
    caseIds.push(...run.caseIds);
  });

  it('every call was signed right; events arrived in order per case with unique ids; one refund per refunded case', async () => {
    expect(caseIds).toHaveLength(6);
    expect(outside.badSignatures()).toEqual([]);
    for (const system of ['payments', 'notifications', 'logistics', 'orders', 'webhooks'] as const) {
      expect(outside.log().filter((r) => r.system === system).length, `${system} was called`).toBeGreaterThan(0);
    }
    // Every request the worker made was understood (no 4xx): paths, idempotency keys and bodies as the servers expect.
    expect(outside.log().filter((r) => r.status >= 400 && r.status < 500)).toEqual([]);

    for (const caseId of caseIds) {
      // Events keep flowing after the stories end (the survey, a last close): wait for the closing one.
      const events = await pollUntil(`case.closed event of ${caseId}`, async () => {
        const received = outside.webhooks.events(caseId);
        return received.some((e) => e.type === 'case.closed') ? received : undefined;
      }, 30_000);
      expect(outside.webhooks.orderProblems(caseId), caseId).toEqual([]);
      expect(events.every((e) => e.caseId === caseId && e.merchantId === 'm-a')).toBe(true);
      // Case events are numbered from 0 without gaps.
      const own = events.filter((e) => /^[a-z]{2}_[0-9a-f]+:\d+$/.test(e.id)).map((e) => Number(e.id.split(':')[1]));
      expect(own, caseId).toEqual(own.map((_, i) => i));
      // A redelivered id is the same event, never another event under a reused id.
      for (const arrival of outside.webhooks.arrivals.filter((e) => e.caseId === caseId)) {
        expect(arrival).toEqual(events.find((e) => e.id === arrival.id));
      }
    }
    const ledger = outside.payments.ledger().filter((e) => caseIds.includes(e.caseId));
    const byCase = new Map<string, number>();
    for (const entry of ledger) byCase.set(entry.caseId, (byCase.get(entry.caseId) ?? 0) + 1);
    expect([...byCase.values()].every((n) => n === 1)).toBe(true);
    expect(byCase.size).toBe(3);
  });
});

describe('a worker with a wrong payment secret', () => {
  it('is answered 401 and moves no money; restarted with the right secret, the refund is paid once', async () => {
    await restartWorker(withWrongSecrets(outside.env, ['payments']));
    const created = await api.call('POST', '/v1/after-sales', api.keys.channel, {
      merchantId: 'm-a', orderId: `order-secret-${Date.now().toString(36)}`, customerRef: 'cust-5e11', type: 'refund_only', reason: 'not_received',
      items: [{ sku: 'mug-2', quantity: 1, unitPrice: { amount: 4_900, currency: 'CNY' } }],
      order: { paidTotal: { amount: 5_900, currency: 'CNY' }, shippingFee: { amount: 1_000, currency: 'CNY' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const caseId: string = created.body.id;
    const approved = await api.call('POST', `/v1/after-sales/${caseId}/actions/approve`, api.keys.merchant, { actorRef: 'staff-a1' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // The gateway answers 401 to the wrongly signed refund. The HTTP adapter takes a 4xx for a refusal
    // for good, so the case waits in refund_failed for a supervisor; no money moved.
    const failed = await pollUntil(`${caseId} refund_failed`, async () => {
      const view = await api.call('GET', `/v1/after-sales/${caseId}`, api.keys.supervisor);
      return view.body?.status === 'refund_failed' ? view.body : undefined;
    }, 30_000);
    const refused = outside.payments.log.filter((r) => r.idempotencyKey?.startsWith(`${caseId}:`));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((r) => !r.signatureValid && r.status === 401)).toBe(true);
    expect(outside.payments.ledger(caseId)).toEqual([]);
    expect(failed.refunds).toEqual([expect.objectContaining({ status: 'failed' })]);

    // Fix the secret: restart the worker with the right environment, and the supervisor retries.
    await restartWorker(outside.env);
    const retried = await api.call('POST', `/v1/after-sales/${caseId}/actions/retry-refund`, api.keys.supervisor, { actorRef: 'lead-1' });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const closed = await pollUntil(`${caseId} closed`, async () => {
      const view = await api.call('GET', `/v1/after-sales/${caseId}`, api.keys.supervisor);
      return view.body?.status === 'closed' ? view.body : undefined;
    }, 60_000);
    expect(closed.outcome).toBe('refunded');
    const ledger = outside.payments.ledger(caseId);
    expect(ledger).toHaveLength(1);
    expect(ledger[0].amount).toEqual(closed.refunds.find((r: any) => r.status === 'succeeded').amount);
    expect(outside.payments.log.filter((r) => r.idempotencyKey === ledger[0].idempotencyKey && r.signatureValid)).toHaveLength(1);
  });
});

describe('a worker with wrong webhook and notification secrets', () => {
  it('is answered 401 and retries; with the right secrets every event arrives, in order, none lost', async () => {
    await restartWorker(withWrongSecrets(outside.env, ['webhooks', 'notifications']));
    const since = Date.now();
    const created = await api.call('POST', '/v1/after-sales', api.keys.channel, {
      merchantId: 'm-a', orderId: `order-events-${Date.now().toString(36)}`, customerRef: 'cust-e7e1', type: 'refund_only', reason: 'not_received',
      items: [{ sku: 'mug-3', quantity: 1, unitPrice: { amount: 2_900, currency: 'CNY' } }],
      order: { paidTotal: { amount: 3_900, currency: 'CNY' }, shippingFee: { amount: 1_000, currency: 'CNY' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const caseId: string = created.body.id;
    const approved = await api.call('POST', `/v1/after-sales/${caseId}/actions/approve`, api.keys.merchant, { actorRef: 'staff-a1' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await pollUntil('a refused webhook delivery', async () => (outside.badSignatures().some((r) => r.system === 'webhooks' && r.at >= since) ? true : undefined), 30_000);
    // Retried, not dropped: more than one refused delivery while the secret is wrong.
    await pollUntil('a retried webhook delivery', async () => (outside.badSignatures().filter((r) => r.system === 'webhooks' && r.at >= since).length > 1 ? true : undefined), 30_000);
    expect(outside.webhooks.events(caseId)).toEqual([]);
    // A subscriber that keeps failing does not hold up the case: the refund is paid meanwhile.
    await pollUntil(`refund of ${caseId} while webhooks are refused`, async () => (outside.payments.ledger(caseId).length === 1 ? true : undefined), 30_000);

    await restartWorker(outside.env);
    const closed = await pollUntil(`${caseId} closed`, async () => {
      const view = await api.call('GET', `/v1/after-sales/${caseId}`, api.keys.supervisor);
      return view.body?.status === 'closed' ? view.body : undefined;
    }, 60_000);
    const events = await pollUntil(`every event of ${caseId}`, async () => {
      const received = outside.webhooks.events(caseId);
      return received.length >= closed.timeline.length ? received : undefined;
    }, 60_000);
    expect(events.map((e) => e.type)).toEqual(closed.timeline.map((t: any) => t.type));
    expect(outside.webhooks.orderProblems(caseId)).toEqual([]);
    expect(outside.payments.ledger(caseId)).toHaveLength(1);
  });
});

