/**
 * Order issues that turn on the order system and the customer's choice, on the real server: address changes
 * before and after shipment (and a customer who never confirms), stock shortages (substitute; silence =
 * cancel with refund), payment exceptions (a duplicate charge refunded; unpaid and silent = cancelled) and
 * damage in transit (compensate first, claim from the carrier; silence and an unanswered claim still close).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, address, cny, createOrderIssue, orderIssueBody, publishOrderIssuePolicy, types, waitForIssue } from './fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'order-issue-orders' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('address_change', () => {
  it('main path: not shipped → the customer confirms the address → changed once in the order system', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('address_change', { policyId, newAddress: address });
    const created = await createOrderIssue(api, body);
    expect(created.status).toBe('checking_order');
    await waitForIssue(api, created.id, (v) => v.status === 'awaiting_address');
    const confirming = await act(api, created.id, 'confirm-address', 'dev-channel', {});
    expect(confirming.status).toBe('checking_order');
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'address_changed' });
    expect(system.adapters.orders.addressChanges(body.orderId as string)).toEqual([expect.objectContaining({ address, merchantId: 'm-a' })]);
    // The address is the customer's own data: in the case, never in the case list.
    const listed = await eventually(async () => {
      const answer = await api.get(`/v1/cases?orderId=${body.orderId}`, { key: 'dev-supervisor' });
      if (!answer.body.cases?.length) throw new Error('not visible yet');
      return answer.body;
    });
    expect(JSON.stringify(listed)).not.toContain('Century');
  });

  it('already shipped: not possible, and the view says why', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('address_change', { policyId, newAddress: address });
    system.adapters.orders.setOrder(body.orderId as string, { shipped: true });
    const created = await createOrderIssue(api, body);
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'not_possible', refusal: 'already_shipped' });
    expect(system.adapters.orders.addressChanges(body.orderId as string)).toEqual([]);
  });

  it('timeout path: the customer never confirms → expired, nothing changed', async () => {
    const policyId = await publishOrderIssuePolicy(api, { customerChoice: 2 });
    const body = orderIssueBody('address_change', { policyId, newAddress: address });
    const created = await createOrderIssue(api, body);
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'expired' });
    expect(closed.deadlines).toEqual([expect.objectContaining({ name: 'customerChoice', actor: 'channel', onTimeout: 'auto_close', state: 'breached' })]);
    expect(types(closed)).toContain('case.default_outcome');
    expect(system.adapters.orders.addressChanges(body.orderId as string)).toEqual([]);
  });
});

describe('stock_shortage', () => {
  it('main path: the customer chooses a substitute', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const created = await createOrderIssue(api, orderIssueBody('stock_shortage', { policyId }), 'dev-merchant-a');
    expect(created).toMatchObject({ status: 'awaiting_customer_choice', offered: { remedies: ['wait', 'substitute', 'cancel'], byDefault: 'cancel' } });
    expect((await api.post(`/v1/order-issues/${created.id}/actions/choose-remedy`, { remedy: 'reship' }, { key: 'dev-channel' })).status).toBe(400);
    const closed = await act(api, created.id, 'choose-remedy', 'dev-channel', { remedy: 'substitute', substituteSku: 'lamp-2' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'substituted', chosen: 'substitute' });
  });

  it('wait, then the goods ship', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const created = await createOrderIssue(api, orderIssueBody('stock_shortage', { policyId }));
    expect(await act(api, created.id, 'choose-remedy', 'dev-channel', { remedy: 'wait' })).toMatchObject({ status: 'awaiting_restock' });
    expect(await act(api, created.id, 'update-tracking', 'dev-merchant-a', { trackingNumber: 'YT-99881' })).toMatchObject({ status: 'closed', outcome: 'shipped' });
  });

  it('timeout path: silence cancels the order with a full refund, paid once', async () => {
    const policyId = await publishOrderIssuePolicy(api, { customerChoice: 2 });
    const created = await createOrderIssue(api, orderIssueBody('stock_shortage', { policyId }));
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'cancelled', chosen: 'cancel' });
    expect(system.adapters.payments.entriesFor(closed.compensations[0].caseId).map((e) => e.amount)).toEqual([cny(13_900)]);
  });
});

describe('payment_exception', () => {
  it('main path: charged twice → the duplicate is refunded through a linked after-sale', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('payment_exception', { policyId, chargedAmount: cny(13_900) });
    system.adapters.orders.setOrder(body.orderId as string, { paymentStatus: 'duplicate_charge' });
    const created = await createOrderIssue(api, body, 'dev-agent');
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'compensated', compensations: [{ remedy: 'refund', amount: cny(13_900), done: true }] });
    expect(system.adapters.payments.entriesFor(closed.compensations[0].caseId)).toHaveLength(1);
  });

  it('paid after all: confirmed to the customer', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const created = await createOrderIssue(api, orderIssueBody('payment_exception', { policyId }));
    expect(await waitForIssue(api, created.id, (v) => v.status === 'closed')).toMatchObject({ outcome: 'payment_confirmed' });
    await eventually(async () => expect(system.adapters.notifications.sent(created.id, 'order_issue.closed')).toHaveLength(1));
  });

  it('timeout path: unpaid, the customer neither retries nor cancels → cancelled, nothing refunded', async () => {
    const policyId = await publishOrderIssuePolicy(api, { customerChoice: 2 });
    const body = orderIssueBody('payment_exception', { policyId });
    system.adapters.orders.setOrder(body.orderId as string, { paymentStatus: 'unpaid' });
    const created = await createOrderIssue(api, body);
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'cancelled', compensations: [] });
    expect(closed.deadlines).toEqual([expect.objectContaining({ name: 'customerChoice', state: 'breached' })]);
  });

  it('a charge above what was paid is refused', async () => {
    const answer = await api.post('/v1/order-issues', orderIssueBody('payment_exception', { chargedAmount: cny(99_999) }), { key: 'dev-channel' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ rule: 'refund-above-paid' });
  });
});

describe('damaged_in_transit', () => {
  it('main path: reship chosen, carrier claim answered → compensated', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const created = await createOrderIssue(api, orderIssueBody('damaged_in_transit', { policyId, trackingNumber: 'ZTO-5566' }));
    expect(created).toMatchObject({ status: 'awaiting_customer_choice', offered: { byDefault: 'refund' } });
    await eventually(async () => expect(system.adapters.logistics.carrierInquiries(created.id)).toEqual([expect.objectContaining({ kind: 'claim' })]));
    await act(api, created.id, 'choose-remedy', 'dev-channel', { remedy: 'reship' });
    const shipped = await act(api, created.id, 'update-tracking', 'dev-merchant-a', { trackingNumber: 'ZTO-7788' });
    expect(shipped).toMatchObject({ status: 'compensating' });
    const closed = await act(api, created.id, 'contact-carrier', 'dev-merchant-a', { result: 'claim_accepted' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'compensated' });
  });

  it('timeout path: the customer is silent (refund) and the carrier never answers the claim (L2) → compensated', async () => {
    const policyId = await publishOrderIssuePolicy(api, { customerChoice: 1, carrierResponse: 3 });
    const created = await createOrderIssue(api, orderIssueBody('damaged_in_transit', { policyId }));
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed', 45_000);
    expect(closed).toMatchObject({ outcome: 'compensated', escalationLevel: 2, compensations: [{ remedy: 'refund', done: true }] });
    expect(types(closed)).toEqual(expect.arrayContaining(['case.default_outcome', 'carrier.claim_unanswered', 'case.escalated']));
    expect(system.adapters.payments.entriesFor(closed.compensations[0].caseId)).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('400 for what a type needs, 403 for roles outside the table, 409 with allowed actions', async () => {
    expect((await api.post('/v1/order-issues', orderIssueBody('parcel_missing', { trackingNumber: undefined }), { key: 'dev-channel' })).status).toBe(400);
    expect((await api.post('/v1/order-issues', orderIssueBody('stock_shortage', { order: undefined }), { key: 'dev-channel' })).status).toBe(400);
    expect((await api.post('/v1/order-issues', orderIssueBody('stock_shortage'), { key: 'dev-arbiter' })).status).toBe(403);
    const policyId = await publishOrderIssuePolicy(api);
    const created = await createOrderIssue(api, orderIssueBody('stock_shortage', { policyId }));
    expect((await api.post(`/v1/order-issues/${created.id}/actions/choose-remedy`, { remedy: 'wait' }, { key: 'dev-agent' })).status).toBe(403);
    const notNow = await api.post(`/v1/order-issues/${created.id}/actions/confirm-address`, {}, { key: 'dev-channel' });
    expect(notNow.status).toBe(409);
    expect(notNow.body).toMatchObject({ caseStatus: 'awaiting_customer_choice', action: 'confirm-address', allowedActions: expect.arrayContaining(['choose-remedy']) });
    const tooMuch = await api.post(`/v1/order-issues/${created.id}/actions/compensate`, { remedy: 'refund', amount: cny(50_000) }, { key: 'dev-agent' });
    expect(tooMuch.status).toBe(422);
  });
});
