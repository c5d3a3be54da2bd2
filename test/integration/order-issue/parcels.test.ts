/**
 * Parcels on the real server: a missing parcel traced, waited for and delivered by a logistics callback
 * (duplicates change nothing, a closed case refuses events); the whole trace flow timing out step by step
 * into a refund compensation paid exactly once; a late delivery's carrier push and the customer's choice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, createOrderIssue, logistics, orderIssueBody, publishOrderIssuePolicy, types, waitForIssue } from './fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'order-issue-parcels' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('parcel_missing', () => {
  it('tracking queried and the customer told at once; a delivered callback ends it; duplicates change nothing; closed → 409', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('parcel_missing', { policyId });
    system.adapters.logistics.setParcel(body.trackingNumber as string, 'in_transit');
    const created = await createOrderIssue(api, body);
    expect(created).toMatchObject({ kind: 'order_issue', type: 'parcel_missing', status: 'tracing', owner: { role: 'agent', tier: 'L1' } });
    expect(created.id).toMatch(/^oi_[0-9a-f]{32}$/);
    const waiting = await waitForIssue(api, created.id, (v) => v.status === 'awaiting_parcel');
    expect(waiting.parcel).toMatchObject({ status: 'in_transit' });
    expect(waiting.deadlines).toEqual([expect.objectContaining({ name: 'trackingWait', actor: 'system', state: 'active' })]);
    await eventually(async () => expect(system.adapters.notifications.sent(created.id, 'order_issue.tracking')[0]).toMatchObject({
      to: { customerRef: 'cust-41d0' }, data: { status: 'in_transit' },
    }));

    const event = { caseId: created.id, trackingNumber: body.trackingNumber, event: 'delivered', at: new Date().toISOString() };
    const first = await logistics(api, event);
    expect(first).toMatchObject({ status: 202, body: { caseId: created.id, duplicate: false } });
    const again = await logistics(api, event);
    expect(again).toMatchObject({ status: 202, body: { duplicate: true } });
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'delivered', owner: null, allowedActions: [] });
    expect(types(closed).filter((t) => t === 'logistics.delivered')).toHaveLength(1);
    expect(closed.deadlines[0].state).toBe('cancelled');

    const late = await logistics(api, { ...event, event: 'in_transit', at: new Date().toISOString() });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ type: '/problems/action-not-allowed' });
    // Once the workflow has finished, a carrier retrying the same event still hears it was taken.
    await system.client.workflow.getHandle(created.id).result();
    expect(await logistics(api, event)).toMatchObject({ status: 202, body: { duplicate: true } });
    expect((await logistics(api, { ...event, event: 'lost' })).status).toBe(409);
  });

  it('timeout path: trackingWait → carrier traced → carrierResponse → L2, address re-verified → silence → one refund', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 2, carrierResponse: 2, customerChoice: 2 });
    const body = orderIssueBody('parcel_missing', { policyId });
    const created = await createOrderIssue(api, body);
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed', 60_000);
    expect(closed).toMatchObject({ outcome: 'compensated', escalationLevel: 2 });
    expect(closed.deadlines.map((d: any) => [d.name, d.state])).toEqual([
      ['trackingWait', 'breached'], ['carrierResponse', 'breached'], ['customerChoice', 'breached'],
    ]);
    expect(types(closed)).toEqual(expect.arrayContaining([
      'parcel.tracked', 'carrier.contacted', 'case.escalated', 'parcel.lost', 'case.default_outcome', 'compensation.started', 'linked_case.closed', 'case.closed',
    ]));
    expect(system.adapters.logistics.carrierInquiries(created.id)).toEqual([expect.objectContaining({ kind: 'trace', trackingNumber: body.trackingNumber })]);
    const [compensation] = closed.compensations;
    expect(compensation).toMatchObject({ number: 1, remedy: 'refund', amount: { amount: 13_900, currency: 'CNY' }, done: true });
    expect(closed.links).toContainEqual({ id: compensation.caseId, kind: 'after_sale', relation: 'compensation' });
    const refunds = system.adapters.payments.entriesFor(compensation.caseId);
    expect(refunds.map((r) => r.amount)).toEqual([{ amount: 13_900, currency: 'CNY' }]);
    const afterSale = (await api.get(`/v1/after-sales/${compensation.caseId}`, { key: 'dev-supervisor' })).body;
    expect(afterSale).toMatchObject({ status: 'closed', outcome: 'refunded', links: expect.arrayContaining([{ id: created.id, kind: 'order_issue', relation: 'origin' }]) });
  });

  it('a carrier that says lost, and a customer who gives a corrected address: the merchant ships again', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 1 });
    const body = orderIssueBody('parcel_missing', { policyId });
    const created = await createOrderIssue(api, body);
    await waitForIssue(api, created.id, (v) => v.status === 'awaiting_carrier');
    const lost = await act(api, created.id, 'contact-carrier', 'dev-agent', { result: 'lost', actorRef: 'agent-2' });
    expect(lost).toMatchObject({ status: 'awaiting_address', offered: { remedies: ['refund', 'reship'], byDefault: 'refund' } });
    const reship = await act(api, created.id, 'confirm-address', 'dev-channel', {
      address: { recipient: 'Li Lei', phone: '+86 138 0000 0000', line1: '9 Nanjing Road', city: 'Shanghai', country: 'CN' },
    });
    expect(reship).toMatchObject({ status: 'compensating', compensations: [{ remedy: 'reship', done: false }] });
    expect(reship.deadlines.at(-1)).toMatchObject({ name: 'trackingWait', actor: 'merchant', onTimeout: 'fallback_refund' });
    const done = await act(api, created.id, 'update-tracking', 'dev-merchant-a', { trackingNumber: 'SF-RESHIP-1' });
    expect(done).toMatchObject({ status: 'closed', outcome: 'compensated', trackingNumber: 'SF-RESHIP-1' });
    expect(done.links.filter((l: any) => l.relation === "compensation")).toEqual([]);
  });
});

describe('delivery_delay', () => {
  it('main path: traced, told, expedited with the carrier, then delivered', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 1 });
    const body = orderIssueBody('delivery_delay', { policyId });
    system.adapters.logistics.setParcel(body.trackingNumber as string, 'in_transit');
    const created = await createOrderIssue(api, body);
    const expediting = await waitForIssue(api, created.id, (v) => v.status === 'awaiting_carrier');
    expect(expediting.carrierInquiries).toEqual([expect.objectContaining({ kind: 'expedite' })]);
    const moving = await act(api, created.id, 'contact-carrier', 'dev-merchant-a', { result: 'in_transit' });
    expect(moving.status).toBe('awaiting_parcel');
    expect((await logistics(api, { caseId: created.id, trackingNumber: body.trackingNumber, event: 'delivered', at: new Date().toISOString() })).status).toBe(202);
    expect(await waitForIssue(api, created.id, (v) => v.status === 'closed')).toMatchObject({ outcome: 'delivered' });
  });

  it('timeout path: no carrier answer → the customer may wait or cancel; silence cancels with a full refund', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 1, carrierResponse: 1, customerChoice: 2 });
    const created = await createOrderIssue(api, orderIssueBody('delivery_delay', { policyId }));
    const closed = await waitForIssue(api, created.id, (v) => v.status === 'closed', 60_000);
    expect(closed).toMatchObject({ outcome: 'cancelled', chosen: 'cancel', compensations: [{ remedy: 'refund', amount: { amount: 13_900 }, done: true }] });
    expect(closed.deadlines.map((d: any) => d.name)).toEqual(['trackingWait', 'carrierResponse', 'customerChoice']);
    expect(system.adapters.payments.entriesFor(closed.compensations[0].caseId)).toHaveLength(1);
  });
});

describe('callback checks', () => {
  it('a non-order-issue id or an unknown case is 404, another role 403, a future time 400', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('parcel_missing', { policyId });
    const created = await createOrderIssue(api, body);
    const event = { caseId: created.id, trackingNumber: body.trackingNumber, event: 'in_transit', at: new Date().toISOString() };
    expect((await logistics(api, { ...event, caseId: `as_${'0'.repeat(32)}` })).status).toBe(404);
    expect((await logistics(api, { ...event, caseId: `oi_${'0'.repeat(32)}` })).status).toBe(404);
    expect((await logistics(api, event, 'dev-agent')).status).toBe(403);
    expect((await logistics(api, event, 'dev-merchant-b')).status).toBe(404);
    expect((await logistics(api, { ...event, at: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(400);
    expect((await logistics(api, { ...event, event: 'teleported' })).status).toBe(400);
  });
});
