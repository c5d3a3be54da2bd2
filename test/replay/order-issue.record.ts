/**
 * Replay histories of the order-issue paths that service-kinds.record.ts does not record: a late delivery
 * (expedited and delivered; every clock silent into a cancel with refund) and a payment exception (a
 * duplicate charge refunded through a linked after-sale; unpaid and silent = cancelled).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { apiClient, type ApiClient } from '../support/http';
import { act, cny, createOrderIssue, orderIssueBody, publishOrderIssuePolicy, waitForIssue } from '../integration/order-issue/fixtures';
import { saveHistory } from './save-history';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'record-order-issues' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('delivery_delay', () => {
  it('expedited with the carrier, then delivered by a logistics callback', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 1 });
    const body = orderIssueBody('delivery_delay', { policyId });
    system.adapters.logistics.setParcel(body.trackingNumber as string, 'in_transit');
    const c = await createOrderIssue(api, body);
    await waitForIssue(api, c.id, (v) => v.status === 'awaiting_carrier');
    await act(api, c.id, 'contact-carrier', 'dev-merchant-a', { result: 'in_transit' });
    await api.post('/v1/callbacks/logistics', { caseId: c.id, trackingNumber: body.trackingNumber, event: 'delivered', at: new Date().toISOString() }, { key: 'dev-channel', idempotencyKey: null });
    await saveHistory(system, 'order-issue-delay-delivered', c.id);
  });

  it('every clock runs out: cancelled with a full refund', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 1, carrierResponse: 1, customerChoice: 1 });
    const c = await createOrderIssue(api, orderIssueBody('delivery_delay', { policyId }));
    await saveHistory(system, 'order-issue-timeout-delay-cancelled', c.id);
  });
});

describe('payment_exception', () => {
  it('charged twice: the duplicate refunded through a linked after-sale', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('payment_exception', { policyId, chargedAmount: cny(13_900) });
    system.adapters.orders.setOrder(body.orderId as string, { paymentStatus: 'duplicate_charge' });
    const c = await createOrderIssue(api, body, 'dev-agent');
    await saveHistory(system, 'order-issue-duplicate-charge-refunded', c.id);
  });

  it('unpaid and the customer silent: cancelled', async () => {
    const policyId = await publishOrderIssuePolicy(api, { customerChoice: 1 });
    const body = orderIssueBody('payment_exception', { policyId });
    system.adapters.orders.setOrder(body.orderId as string, { paymentStatus: 'unpaid' });
    const c = await createOrderIssue(api, body);
    await saveHistory(system, 'order-issue-timeout-unpaid-cancelled', c.id);
  });
});
