/**
 * A projection that stops taking writes never stalls a case: the hand-off inside the case's workflow task
 * gives up after two quick tries, the batch goes to a regular activity that waits for the projection, and
 * the case meanwhile keeps its deadlines and runs its refund. Once the projection takes writes again the row
 * catches up with the closed case. The outage is real: the projection's table locked against writes.
 */
import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { temporal } from '@temporalio/proto';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let locker: PgClient | undefined;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'projection-outage' });
  api = apiClient(system.baseUrl);
}, 120_000);

afterAll(async () => {
  await locker?.end().catch(() => undefined);
  await system?.close();
});

const statusOf = async (id: string) => ((await system.projection.read(id))?.view as { status?: string; outcome?: string } | undefined);

async function historyOf(id: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  return ((await system.client.workflow.getHandle(id).fetchHistory()).events ?? []) as temporal.api.history.v1.IHistoryEvent[];
}

/** The activity type a local activity's marker names (the marker's data is plain JSON, written by the SDK). */
function localActivityType(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type : undefined;
}

describe('projection outage', () => {
  it('the case keeps its deadline and refunds while the projection is locked; the row catches up once it is free', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 3 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_received', policyId }));
    expect((await statusOf(created.id))?.status).toBe('awaiting_merchant');

    // Writes to the projection's rows now wait until the lock is released; reads still answer.
    locker = new PgClient({ connectionString: system.projectionDatabaseUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE cases IN EXCLUSIVE MODE');

    // The merchant stays silent past its 3 s: the default outcome approves and the refund runs, projection or not.
    await eventually(async () => {
      if (system.adapters.payments.entriesFor(created.id).length !== 1) throw new Error('no refund yet');
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const during = await historyOf(created.id);
    const inlineFailed = during.filter((e) => localActivityType(e) === 'handOffCaseEventsInline' && e.markerRecordedEventAttributes?.failure);
    expect(inlineFailed.length).toBeGreaterThanOrEqual(1);
    await eventually(async () => {
      const scheduled = (await historyOf(created.id)).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'handOffCaseEvents');
      if (scheduled.length < 1) throw new Error('no background hand-off yet');
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect((await statusOf(created.id))?.status).toBe('awaiting_merchant');

    await locker.query('ROLLBACK');
    await system.client.workflow.getHandle(created.id).result();
    await eventually(async () => {
      const view = await statusOf(created.id);
      if (view?.status !== 'closed') throw new Error(`row still ${view?.status}`);
    }, { timeoutMs: 60_000, intervalMs: 250 });
    expect(await statusOf(created.id)).toMatchObject({ status: 'closed', outcome: 'refunded' });
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  }, 180_000);
});
