/**
 * Back offices retry and race: concurrent duplicate POSTs under one Idempotency-Key make one case and
 * one action, never two.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { afterSaleBody, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'duplicates' });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
});
afterAll(async () => system?.close());

describe('concurrent duplicates', () => {
  it('ten simultaneous creates with one key: one 201, the rest 200 with the same case', async () => {
    const key = randomUUID();
    const body = afterSaleBody({ type: 'refund_only', policyId });
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.post('/v1/after-sales', body, { key: 'dev-channel', idempotencyKey: key })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });

  it('ten simultaneous approvals with one key: one approval, one refund', async () => {
    const created = (await api.post('/v1/after-sales', afterSaleBody({ type: 'refund_only', policyId }), { key: 'dev-channel' })).body;
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () =>
      api.post(`/v1/after-sales/${created.id}/actions/approve`, { actorRef: 'staff-1' }, { key: 'dev-merchant-a', idempotencyKey: key })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.timeline.filter((e: any) => e.type === 'action.approve')).toHaveLength(1);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  });
});
