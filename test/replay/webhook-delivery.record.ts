/**
 * Records the webhook delivery workflow as a replay history (`webhook-delivery-*`): a subscriber fails
 * until the attempts run out, the queue parks, an admin re-delivers, everything goes out in order and the
 * delivery ends because the case said it closed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DEFAULT_DELIVERY_POLICY, type CaseEvent } from '../../activities/adapters/events';
import { WebhookPublisher } from '../../activities/adapters/webhooks';
import { deliveryWorkflowId } from '../../activities/delivery';
import { redeliverParked } from '../../workflows/webhook-delivery';
import { DeliveryState } from '../../workflows/search-attributes';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { eventually } from '../support/http';
import { startOutsideSystems, type OutsideSystems } from '../support/outside-systems';
import { saveHistory } from './save-history';

let outside: OutsideSystems;
let system: CaseSystem;
const delivery = { maxAttempts: 2, initialIntervalMs: 100, maximumIntervalMs: 200 };

beforeAll(async () => {
  outside = await startOutsideSystems();
  const events = new WebhookPublisher([{ id: 'recorded', merchantId: 'm-a', url: outside.webhooks.url, secret: outside.webhooks.secret }], { timeoutMs: 2_000, delivery });
  system = await startCaseSystem({ name: 'record-deliveries', adapters: { events } });
});
afterAll(async () => {
  await system?.close();
  await outside?.close();
});

describe('webhook delivery', () => {
  it('parked, re-delivered, closed', async () => {
    const caseId = `as_${randomBytes(16).toString('hex')}`;
    const events: CaseEvent[] = Array.from({ length: 4 }, (_, i) => ({
      id: `${caseId}:${i}`, schemaVersion: 1, type: i === 3 ? 'case.closed' : 'action.add-note', caseId, kind: 'after_sale', merchantId: 'm-a',
      at: '2026-11-22T16:40:00+08:00', data: { actor: 'merchant' },
    }));
    const workflowId = deliveryWorkflowId('recorded', caseId);
    const policy = { ...DEFAULT_DELIVERY_POLICY, ...delivery };
    outside.webhooks.failNext(Number.MAX_SAFE_INTEGER, 500);
    const handle = await system.client.workflow.signalWithStart('webhookDelivery', {
      workflowId, taskQueue: system.taskQueue,
      args: [{ sinkId: 'recorded', caseId, merchantId: 'm-a', policy }],
      signal: 'enqueueEvents', signalArgs: [{ events: events.slice(0, 2), policy }],
    });
    await eventually(async () => {
      if ((await handle.describe()).typedSearchAttributes.get(DeliveryState) !== 'parked') throw new Error('not parked yet');
    });
    await handle.signal('enqueueEvents', { events: events.slice(1), closed: true, policy });
    outside.webhooks.failNext(0);
    await handle.executeUpdate(redeliverParked, { args: [{ by: 'dev-admin', fingerprint: 'recorded' }], updateId: `redeliver-${caseId}` });
    await saveHistory(system, 'webhook-delivery-parked-redelivered', workflowId);
  });
});
