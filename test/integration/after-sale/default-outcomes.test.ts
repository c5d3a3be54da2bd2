/**
 * The marketplace silence rules, by letting real (short) deadlines pass on the dev server: merchant silent
 * → approved; buyer does not ship → expired; merchant does not confirm receipt → received; no escalation
 * after a rejection → rejected; reship or repair missed → full refund. Default outcomes need no approver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, afterSaleBody, cny, createAfterSale, deadline, publishShortPolicy, timelineTypes, waitForCase } from './fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'after-sale-defaults' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('silence past a deadline', () => {
  it('merchant silent → approved by the system; a refund above the authority limit needs no second approver', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 2 }, { authorityLimit: 100 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_received', policyId }));
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(deadline(closed, 'merchantResponse').state).toBe('breached');
    expect(timelineTypes(closed)).toEqual(expect.arrayContaining(['deadline.breached', 'case.default_outcome', 'refund.succeeded']));
    expect(closed.timeline.find((e: any) => e.type === 'refund.requested')).toMatchObject({ actor: 'system' });
    expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: cny(20_900) })]);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  });

  it('a request backdated past its deadline is approved at once', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 60 });
    const created = await createAfterSale(api, afterSaleBody({ policyId, requestedAt: new Date(Date.now() - 120_000).toISOString() }));
    const view = await waitForCase(api, created.id, (v) => v.status === 'awaiting_buyer_return', 10_000);
    expect(deadline(view, 'merchantResponse').state).toBe('breached');
  });

  it('buyer does not ship back → closed as expired, nothing refunded', async () => {
    const policyId = await publishShortPolicy(api, { buyerReturnShipment: 2 });
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('expired');
    expect(deadline(closed, 'buyerReturnShipment').state).toBe('breached');
    expect(system.adapters.payments.entriesFor(created.id)).toEqual([]);
  });

  it('merchant does not confirm receipt → refunded automatically', async () => {
    const policyId = await publishShortPolicy(api, { merchantReceipt: 2 });
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(deadline(closed, 'merchantReceipt')).toMatchObject({ state: 'breached', onTimeout: 'auto_refund' });
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  });

  it('exchange: merchant silent on receipt → counted as received, then a missed reship → full refund', async () => {
    const policyId = await publishShortPolicy(api, { merchantReceipt: 2, replacementShipment: 2 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'exchange', reason: 'damaged', policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF2' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(deadline(closed, 'merchantReceipt')).toMatchObject({ state: 'breached', onTimeout: 'auto_approve' });
    expect(deadline(closed, 'replacementShipment')).toMatchObject({ state: 'breached', onTimeout: 'fallback_refund' });
    expect(system.adapters.payments.entriesFor(created.id).map((e) => e.amount)).toEqual([cny(20_900)]);
  });

  it('repair not done in time → full refund', async () => {
    const policyId = await publishShortPolicy(api, { repair: 2 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'repair', policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF3' });
    await act(api, created.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'ok', actorRef: 'staff-1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(deadline(closed, 'repair').state).toBe('breached');
  });

  it('rejected and the buyer does not escalate in time → closed as rejected', async () => {
    const policyId = await publishShortPolicy(api, { escalationWindow: 2 });
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'reject', 'dev-merchant-a', { reason: 'item used', actorRef: 'staff-1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('rejected');
    expect(deadline(closed, 'escalationWindow').state).toBe('breached');
  });

  it('warns before breach at 80% of the budget', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 5 });
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const warned = await waitForCase(api, created.id, (v) => deadline(v, 'merchantResponse').warnedAt !== undefined, 10_000);
    expect(deadline(warned, 'merchantResponse').state).toBe('active');
    expect(timelineTypes(warned)).toContain('deadline.warned');
    const warnedAt = Date.parse(deadline(warned, 'merchantResponse').warnedAt);
    const dueAt = Date.parse(deadline(warned, 'merchantResponse').dueAt);
    expect(dueAt - warnedAt).toBeLessThanOrEqual(1_000 + 1_500);
    expect(dueAt - warnedAt).toBeGreaterThan(0);
  });
});
