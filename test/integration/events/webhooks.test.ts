/**
 * Outbound events reach the merchant's webhook signed (HMAC-SHA256), at least once, in order per case,
 * with ids receivers deduplicate by — also when the receiver fails for a while. Other merchants' events
 * never reach a merchant's subscription.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPublisher } from '../../../activities/adapters/webhooks';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { act, afterSaleBody, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

const SECRET = 'whsec-test-0123456789abcdef';
let system: CaseSystem;
let api: ApiClient;
let receiver: WebhookReceiver;
let policyId: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  system = await startCaseSystem({ name: 'webhooks', adapters: { events: new WebhookPublisher([{ merchantId: 'm-a', url: receiver.url, secret: SECRET }], 2_000) } });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
});
afterAll(async () => {
  await system?.close();
  await receiver?.close();
});

const uniqueIds = <E extends { id: string }>(events: E[]): E[] => [...new Map(events.map((e) => [e.id, e])).values()];

describe('signed webhooks', () => {
  it('deliver every state change of a case in order, each id once after deduplication', async () => {
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed');
    const events = await eventually(async () => {
      const mine = uniqueIds(receiver.received.filter((e) => e.caseId === created.id));
      if (mine.length < closed.timeline.length) throw new Error(`${mine.length} of ${closed.timeline.length} events`);
      return mine;
    });
    expect(events.map((e) => e.type)).toEqual(closed.timeline.map((t: any) => t.type));
    expect(events.map((e) => e.id)).toEqual(closed.timeline.map((_: unknown, i: number) => `${created.id}:${i}`));
    expect(events[0]).toMatchObject({ kind: 'after_sale', merchantId: 'm-a', type: 'case.created' });
    expect(events[0].at).toMatch(/\+08:00$/);
    expect(receiver.badSignatures).toBe(0);
  });

  it('keep retrying while the receiver fails, then deliver everything in order', async () => {
    receiver.failNext(3);
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'add-note', 'dev-merchant-a', { note: 'checking stock' });
    const events = await eventually(async () => {
      const mine = uniqueIds(receiver.received.filter((e) => e.caseId === created.id));
      if (mine.length < 2) throw new Error('not yet');
      return mine;
    }, { timeoutMs: 30_000 });
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['case.created', 'action.add-note']);
  });

  it('never send a merchant another merchant\'s events', async () => {
    const other = await createAfterSale(api, afterSaleBody({ merchantId: 'm-b', policyId }));
    await act(api, other.id, 'add-note', 'dev-merchant-b', { note: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.filter((e) => e.caseId === other.id)).toEqual([]);
  });
});
