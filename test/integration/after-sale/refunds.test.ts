/**
 * Refunds execute exactly once, whatever the gateway does: timeouts after committing, 500s and 429s are
 * retried under the same idempotency key; a refusal for good hands the case to a supervisor; refunds a
 * person approved above the authority limit wait for a second, different approver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, afterSaleBody, cny, createAfterSale, publishShortPolicy, timelineTypes, waitForCase } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'after-sale-refunds' });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {}, { authorityLimit: 10_000 });
});
afterAll(async () => system?.close());

const refundOnly = (overrides: Record<string, unknown> = {}) => afterSaleBody({ type: 'refund_only', reason: 'quality', policyId, requestedRefund: cny(5_000), ...overrides });

describe('exactly once against a failing gateway', () => {
  it.each(['timeout_after_commit', 'http_500', 'http_429'] as const)('%s: retried with the same key, one ledger entry', async (fault) => {
    system.adapters.payments.injectFault(fault, 2);
    const created = await createAfterSale(api, refundOnly());
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('partially_refunded');
    expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: cny(5_000) })]);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
    const calls = system.adapters.payments.calls.filter((c) => c.idempotencyKey === `${created.id}:refund:1`);
    expect(calls.map((c) => c.answer)).toEqual(fault === 'timeout_after_commit' ? [fault, fault, 'replayed'] : [fault, fault, 'committed']);
  });
});

describe('refused for good', () => {
  it('→ refund_failed owned by a supervisor; retry-refund pays once under a new key', async () => {
    system.adapters.payments.injectFault('refuse');
    const created = await createAfterSale(api, refundOnly());
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    const failed = await waitForCase(api, created.id, (v) => v.status === 'refund_failed');
    expect(failed.owner).toMatchObject({ role: 'supervisor', tier: 'L2' });
    expect(failed.refunds).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(timelineTypes(failed)).toContain('refund.failed');
    expect((await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-supervisor' })).body.allowedActions).toEqual(['retry-refund']);

    await act(api, created.id, 'retry-refund', 'dev-supervisor', { actorRef: 'lead-9' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.refunds.map((r: any) => [r.status, r.idempotencyKey])).toEqual([
      ['failed', `${created.id}:refund:1`],
      ['succeeded', `${created.id}:refund:2`],
    ]);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  });
});

describe('authority limit and four eyes', () => {
  it('a person approving above the limit waits for approve-refund by someone else', async () => {
    const created = await createAfterSale(api, refundOnly({ requestedRefund: cny(15_000) }));
    const waiting = await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    expect(waiting.status).toBe('refunding');
    expect(waiting.refunds).toEqual([expect.objectContaining({ status: 'awaiting_approval', amount: cny(15_000) })]);
    expect(waiting.owner).toMatchObject({ role: 'supervisor' });
    expect(system.adapters.payments.entriesFor(created.id)).toEqual([]);

    const same = await api.post(`/v1/after-sales/${created.id}/actions/approve-refund`, { actorRef: 'staff-1' }, { key: 'dev-supervisor' });
    expect(same.status).toBe(403);
    expect(same.headers.get('content-type')).toMatch(/application\/problem\+json/);

    await act(api, created.id, 'approve-refund', 'dev-supervisor', { actorRef: 'lead-2' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: cny(15_000) })]);
    expect(system.adapters.payments.entriesFor(created.id)).toHaveLength(1);
  });

  it('below the limit a merchant approval pays at once', async () => {
    const created = await createAfterSale(api, refundOnly({ requestedRefund: cny(9_999) }));
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    expect(closed.refunds[0]).toMatchObject({ status: 'succeeded' });
  });
});
