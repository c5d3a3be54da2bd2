/**
 * Every after-sale path through HTTP → Temporal dev server → worker: refund only, return and refund,
 * exchange, repair, rejection, withdrawal, with people acting; real refunds in the sandbox ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, afterSaleBody, cny, createAfterSale, deadline, publishShortPolicy, timelineTypes, waitForCase } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'after-sale-paths' });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
});
afterAll(async () => system?.close());

const merchant = (ref = 'staff-a1') => ({ actorRef: ref });

describe('refund only', () => {
  it('merchant approves → one refund of items plus freight (merchant fault) → closed refunded', async () => {
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_as_described', policyId }));
    expect(created).toMatchObject({ kind: 'after_sale', status: 'awaiting_merchant', outcome: null, merchantId: 'm-a', policy: { id: policyId, version: 1 }, owner: { role: 'merchant', tier: 'L1' }, escalationLevel: 1 });
    expect(created.id).toMatch(/^as_[0-9a-f]{24,}$/);
    expect(deadline(created, 'merchantResponse')).toMatchObject({ actor: 'merchant', onTimeout: 'auto_approve', state: 'active' });

    const approved = await act(api, created.id, 'approve', 'dev-merchant-a', merchant());
    expect(approved.status).toBe('refunding');
    expect(deadline(approved, 'merchantResponse').state).toBe('met');

    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(closed.owner).toBeNull();
    expect(closed.refunds).toEqual([expect.objectContaining({ amount: cny(20_900), status: 'succeeded', idempotencyKey: `${created.id}:refund:1` })]);
    expect(timelineTypes(closed)).toEqual(expect.arrayContaining(['case.created', 'action.approve', 'refund.requested', 'refund.succeeded', 'case.closed']));
    expect(system.adapters.payments.entriesFor(created.id)).toEqual([expect.objectContaining({ amount: cny(20_900), merchantId: 'm-a' })]);
  });
});

describe('return and refund', () => {
  it('approve → ship-return → confirm-receipt ok → refunded; no-reason return keeps the shipping fee', async () => {
    const created = await createAfterSale(api, afterSaleBody({ reason: 'no_reason', policyId }));
    const approved = await act(api, created.id, 'approve', 'dev-merchant-a', merchant());
    expect(approved).toMatchObject({ status: 'awaiting_buyer_return', owner: { role: 'channel' } });
    expect(deadline(approved, 'buyerReturnShipment')).toMatchObject({ actor: 'channel', onTimeout: 'auto_close', state: 'active' });

    const shipped = await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF1234567890', carrier: 'SF' });
    expect(shipped.status).toBe('awaiting_merchant_receipt');
    expect(deadline(shipped, 'merchantReceipt')).toMatchObject({ actor: 'merchant', onTimeout: 'auto_refund', state: 'active' });

    const received = await act(api, created.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'ok', ...merchant() });
    expect(received.status).toBe('refunding');
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(system.adapters.payments.entriesFor(created.id).map((e) => e.amount)).toEqual([cny(19_900)]);
  });

  it('a failed inspection turns the request into a rejection the buyer may escalate', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', merchant());
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'YT1' });
    const rejected = await act(api, created.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'wrong_item', note: 'another shoe came back', ...merchant() });
    expect(rejected).toMatchObject({ status: 'rejected', owner: { role: 'channel' } });
    expect(deadline(rejected, 'escalationWindow')).toMatchObject({ actor: 'channel', state: 'active' });
    expect(timelineTypes(rejected)).toContain('inspection.failed');
    expect(system.adapters.payments.entriesFor(created.id)).toEqual([]);
  });
});

describe('exchange and repair', () => {
  it('exchange: goods back, replacement shipped → closed exchanged with no refund', async () => {
    const created = await createAfterSale(api, afterSaleBody({ type: 'exchange', reason: 'wrong_item', policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', merchant());
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'ZT9' });
    const waiting = await act(api, created.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'ok', ...merchant() });
    expect(waiting.status).toBe('awaiting_replacement');
    expect(deadline(waiting, 'replacementShipment')).toMatchObject({ actor: 'merchant', onTimeout: 'fallback_refund', state: 'active' });
    const closed = await act(api, created.id, 'ship-replacement', 'dev-merchant-a', { trackingNumber: 'ZT10', ...merchant() });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'exchanged', allowedActions: [] });
    expect(system.adapters.payments.entriesFor(created.id)).toEqual([]);
  });

  it('repair: goods back, repaired → closed repaired', async () => {
    const created = await createAfterSale(api, afterSaleBody({ type: 'repair', policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', merchant());
    await act(api, created.id, 'ship-return', 'dev-channel', { trackingNumber: 'JD7' });
    const inRepair = await act(api, created.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'ok', ...merchant() });
    expect(inRepair.status).toBe('in_repair');
    expect(deadline(inRepair, 'repair')).toMatchObject({ actor: 'merchant', onTimeout: 'fallback_refund' });
    const closed = await act(api, created.id, 'complete-repair', 'dev-merchant-a', { note: 'sole re-glued', ...merchant() });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'repaired' });
  });
});

describe('withdrawal and notes', () => {
  it('the buyer withdraws while the merchant has not answered; notes stay in the timeline', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const noted = await act(api, created.id, 'add-note', 'dev-merchant-a', { note: 'asked the buyer for photos' });
    expect(noted.timeline.at(-1)).toMatchObject({ type: 'action.add-note', actor: 'merchant' });
    const closed = await act(api, created.id, 'withdraw', 'dev-channel', { reason: 'found the missing part' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    expect(deadline(closed, 'merchantResponse').state).toBe('cancelled');
  });

  it('the view lists what each role may do now', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const as = async (key: string) => (await api.get(`/v1/after-sales/${created.id}`, { key })).body.allowedActions;
    expect(await as('dev-merchant-a')).toEqual(['approve', 'reject', 'add-note']);
    expect(await as('dev-channel')).toEqual(['withdraw', 'add-note']);
    expect(await as('dev-supervisor')).toEqual(['suspend', 'extend-deadline']);
    expect(await as('dev-arbiter')).toEqual(['suspend', 'extend-deadline']);
    expect(await as('dev-agent')).toEqual([]);
  });
});
