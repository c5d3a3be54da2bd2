/**
 * Crash safety: the worker process is SIGKILLed while refunds are in flight and while workflow tasks run,
 * then started again. Every case completes, each with exactly one refund in the payment ledger, which
 * lives behind real HTTP outside the worker. Bounded in time; loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStatus } from '../../../workflows/search-attributes';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { startPaymentServer, type PaymentServer } from '../../support/payment-server';
import { temporalAddress, temporalNamespace } from '../../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../../support/worker-process';
import { act, afterSaleBody, cny, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let payments: PaymentServer;
let worker: WorkerProcess | undefined;

const workerEnv = () => ({
  TEMPORAL_ADDRESS: temporalAddress(),
  TEMPORAL_NAMESPACE: temporalNamespace(),
  TASK_QUEUE: system.taskQueue,
  PAYMENT_GATEWAY_URL: payments.url,
  PAYMENT_GATEWAY_SECRET: payments.secret,
  PAYMENT_GATEWAY_TIMEOUT_MS: '2000',
  // The worker process keeps the projection the API reads, as in production.
  PROJECTION_DATABASE_URL: system.projectionDatabaseUrl,
});

async function restartWorker(): Promise<void> {
  await worker?.kill('SIGKILL');
  worker = startWorkerProcess(workerEnv());
  await worker.ready;
}

beforeAll(async () => {
  payments = await startPaymentServer();
  system = await startCaseSystem({ name: 'worker-crash', inProcessWorker: false, temporalCallTimeoutMs: 20_000 });
  api = apiClient(system.baseUrl);
  await restartWorker();
}, 120_000);

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await system?.close();
  await payments?.close();
});

function ledgerFor(ids: string[]) {
  return payments.gateway.entries().filter((e) => ids.includes(e.caseId));
}

describe('SIGKILL of the worker', () => {
  it('while refunds are in flight: every case refunds exactly once after the restart', async () => {
    const policyId = await publishShortPolicy(api, {});
    const cases = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'quality', policyId, requestedRefund: cny(1_000 + i) }))));
    const ids = cases.map((c) => c.id as string);
    // The gateway commits at once but answers slowly: the worker dies with every refund unanswered.
    payments.holdAnswersMs = 3_000;
    for (const id of ids) await act(api, id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await eventually(async () => {
      if (ledgerFor(ids).length < ids.length) throw new Error(`${ledgerFor(ids).length} committed`);
    }, { timeoutMs: 30_000 });
    await worker!.kill('SIGKILL');
    // Killed with the money moved and no answer heard: every case still says refunding.
    for (const id of ids) {
      const described = await system.client.workflow.getHandle(id).describe();
      expect(described.typedSearchAttributes.get(CaseStatus)).toBe('refunding');
    }
    payments.holdAnswersMs = 0;
    await restartWorker();

    for (const id of ids) {
      const closed = await waitForCase(api, id, (v) => v.status === 'closed', 90_000);
      expect(closed.outcome).toBe('partially_refunded');
      expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', idempotencyKey: `${id}:refund:1` })]);
    }
    const ledger = ledgerFor(ids);
    expect(ledger).toHaveLength(ids.length);
    expect(new Set(ledger.map((e) => e.caseId))).toEqual(new Set(ids));
    expect(payments.requests).toBeGreaterThan(ids.length);
  });

  it('while workflow tasks run: cases created and defaulted across the crash all complete once', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 2 });
    const cases = await Promise.all(Array.from({ length: 5 }, () =>
      createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'damaged', policyId }))));
    const ids = cases.map((c) => c.id as string);
    await worker!.kill('SIGKILL');
    // Deadlines pass while no worker runs; the restarted worker catches up on the timers.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await restartWorker();
    for (const id of ids) {
      const closed = await waitForCase(api, id, (v) => v.status === 'closed', 90_000);
      expect(closed.outcome).toBe('refunded');
    }
    const ledger = ledgerFor(ids);
    expect(ledger).toHaveLength(ids.length);
    expect(new Set(ledger.map((e) => e.idempotencyKey)).size).toBe(ids.length);
  });
});
