/**
 * Platform intervention (平台介入): escalation after a rejection, evidence requests with their deadlines,
 * a ruling, the merchant executing it or the platform executing it on silence, and the appeal window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, afterSaleBody, cny, createAfterSale, deadline, publishShortPolicy, timelineTypes, waitForCase } from './fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'after-sale-arbitration' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

async function escalated(policyId: string) {
  const created = await createAfterSale(api, afterSaleBody({ policyId }));
  await act(api, created.id, 'reject', 'dev-merchant-a', { reason: 'signs of wear', actorRef: 'staff-1' });
  const inArbitration = await act(api, created.id, 'escalate', 'dev-channel', { reason: 'the sole was faulty' });
  return { id: created.id as string, view: inArbitration };
}

describe('arbitration', () => {
  it('escalate → evidence asked and given → partial refund ruling executed by the merchant → appeal window', async () => {
    const policyId = await publishShortPolicy(api, { appealWindow: 3 });
    const { id, view } = await escalated(policyId);
    expect(view).toMatchObject({ status: 'in_arbitration', escalationLevel: 4, owner: { role: 'arbiter', tier: 'L4' } });
    expect(deadline(view, 'escalationWindow').state).toBe('met');
    expect(deadline(view, 'disputeAnswer')).toMatchObject({ actor: 'merchant', state: 'active' });

    const asked = await act(api, id, 'request-evidence', 'dev-arbiter', { from: 'buyer', note: 'photos of the sole', actorRef: 'arb-1' });
    expect(deadline(asked, 'evidence')).toMatchObject({ actor: 'channel', state: 'active' });
    const given = await act(api, id, 'submit-evidence', 'dev-channel', { evidence: ['https://evidence.example/sole.jpg'] });
    expect(deadline(given, 'evidence').state).toBe('met');

    const tooMuch = await api.post(`/v1/after-sales/${id}/actions/rule`, { decision: 'refund_partial', amount: cny(999_999), actorRef: 'arb-1' }, { key: 'dev-arbiter' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ rule: 'refund-above-cap' });

    const ruled = await act(api, id, 'rule', 'dev-arbiter', { decision: 'refund_partial', amount: cny(8_000), actorRef: 'arb-1' });
    expect(ruled.owner).toMatchObject({ role: 'merchant' });
    expect(deadline(ruled, 'rulingExecution')).toMatchObject({ actor: 'merchant', onTimeout: 'platform_execute', state: 'active' });
    await act(api, id, 'execute-ruling', 'dev-merchant-a', { actorRef: 'staff-1' });

    const closed = await waitForCase(api, id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('partially_refunded');
    expect(deadline(closed, 'appealWindow')).toMatchObject({ state: 'active' });
    expect(system.adapters.payments.entriesFor(id).map((e) => e.amount)).toEqual([cny(8_000)]);

    const appeal = await api.get(`/v1/after-sales/${id}`, { key: 'dev-merchant-a' });
    expect(appeal.body.allowedActions).toEqual(['appeal', 'add-note']);
    const afterWindow = await waitForCase(api, id, (v) => deadline(v, 'appealWindow').state !== 'active', 15_000);
    expect(afterWindow.allowedActions).not.toContain('appeal');
  });

  it('merchant silent on the ruling → the platform executes it; an appeal reopens arbitration once', async () => {
    const policyId = await publishShortPolicy(api, { rulingExecution: 2 });
    const { id } = await escalated(policyId);
    await act(api, id, 'rule', 'dev-arbiter', { decision: 'refund_full', actorRef: 'arb-1' });
    const closed = await waitForCase(api, id, (v) => v.status === 'closed');
    expect(closed.outcome).toBe('refunded');
    expect(deadline(closed, 'rulingExecution').state).toBe('breached');
    expect(timelineTypes(closed)).toContain('case.default_outcome');
    expect(system.adapters.payments.entriesFor(id).map((e) => e.amount)).toEqual([cny(20_900)]);

    const reopened = await act(api, id, 'appeal', 'dev-merchant-a', { reason: 'buyer kept the goods', actorRef: 'staff-1' });
    expect(reopened.status).toBe('in_arbitration');
    const final = await act(api, id, 'rule', 'dev-arbiter', { decision: 'reject', actorRef: 'arb-2' });
    expect(final.status).toBe('closed');
    expect(final.allowedActions).not.toContain('appeal');
    expect(system.adapters.payments.entriesFor(id)).toHaveLength(1);
  });

  it('a rejection ruling closes the case as rejected with the appeal window open', async () => {
    const policyId = await publishShortPolicy(api, {});
    const { id } = await escalated(policyId);
    const closed = await act(api, id, 'rule', 'dev-arbiter', { decision: 'reject', actorRef: 'arb-1' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'rejected' });
    expect(deadline(closed, 'appealWindow').state).toBe('active');
  });
});
