/**
 * `GET /v1/reports/service-levels` over real cases: figures follow what happened to them (a refund, a
 * default outcome, an open case), per merchant, within merchant scope and role. The report reads the case
 * projection: running and closed cases count alike and it is never truncated (the full hand count of a
 * mixed set is test/integration/projection/report-hand-count.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, afterSaleBody, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let from: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'reports' });
  api = apiClient(system.baseUrl);
  from = new Date(Date.now() - 1_000).toISOString();
  const policyId = await publishShortPolicy(api, { buyerReturnShipment: 2 });
  const refunded = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
  await act(api, refunded.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
  const expired = await createAfterSale(api, afterSaleBody({ policyId }));
  await act(api, expired.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
  await createAfterSale(api, afterSaleBody({ policyId }));
  await waitForCase(api, refunded.id, (v) => v.status === 'closed');
  await waitForCase(api, expired.id, (v) => v.status === 'closed');
}, 120_000);
afterAll(async () => system?.close());

describe('service-level report', () => {
  it('reports what happened to the merchant\'s cases in the period', async () => {
    const report = await eventually(async () => {
      const answer = await api.get(`/v1/reports/service-levels?merchantId=m-a&from=${encodeURIComponent(from)}`, { key: 'dev-supervisor' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const mine = answer.body.merchants.find((m: any) => m.merchantId === 'm-a');
      // The projection follows the cases by their event hand-offs: wait until it has all three, both closed.
      if (!mine || mine.cases < 3 || mine.resolution.count < 2) throw new Error(`not all visible yet: ${JSON.stringify(mine)}`);
      return answer.body;
    });
    expect(report.truncated).toBe(false);
    const kpi = report.merchants[0];
    expect(kpi).toMatchObject({ merchantId: 'm-a', cases: 3, closed: 2, byKind: { after_sale: 3 }, refundRate: 0.5, autoOutcomeShare: 0.5, escalationRate: 0 });
    // The open case (awaiting the merchant) counts, with no response yet and its merchantResponse still running.
    expect(kpi.firstResponse.count).toBe(2);
    expect(kpi.resolution.count).toBe(2);
    // Met: two merchantResponse deadlines; breached: one buyerReturnShipment.
    expect(kpi.slaCompliance).toBeCloseTo(2 / 3, 3);
  });

  it('keeps merchants to their own figures and refuses other roles', async () => {
    expect((await api.get('/v1/reports/service-levels?merchantId=m-a', { key: 'dev-merchant-b' })).status).toBe(403);
    const own = await api.get(`/v1/reports/service-levels?from=${encodeURIComponent(from)}`, { key: 'dev-merchant-b' });
    expect(own.status).toBe(200);
    expect(own.body.merchants.every((m: any) => m.merchantId === 'm-b')).toBe(true);
    expect((await api.get('/v1/reports/service-levels', { key: 'dev-channel' })).status).toBe(403);
    expect((await api.get(`/v1/reports/service-levels?from=${encodeURIComponent(from)}&to=${encodeURIComponent(from)}`, { key: 'dev-admin' })).status).toBe(400);
  });
});
