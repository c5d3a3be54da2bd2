/**
 * The pieces of per-subscription webhook delivery that need no server: subscription ids (configured or a
 * hash of merchant and url, never of the secret), delivery workflow ids without personal data, the
 * delivery settings from the environment, the queue's deduplication by event id, and schemaVersion.
 */
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_SCHEMA_VERSION, DEFAULT_DELIVERY_POLICY, SandboxEventPublisher, withSchemaVersion, type CaseEvent } from '../../../activities/adapters/events';
import { WebhookPublisher, subscriptionIdOf, webhookDeliveryFrom, webhookSubscriptionsFrom } from '../../../activities/adapters/webhooks';
import { DELIVERY_ID_PATTERN, deliveryIdPrefix, deliveryWorkflowId, resolveDeliveryPolicy } from '../../../activities/delivery';
import { adaptersFrom } from '../../../worker/config';
import { admitEvents, eventSequence } from '../../../workflows/webhook-delivery';

const hook = { merchantId: 'm-a', url: 'https://hooks.example/cases', secret: 'whsec-0123456789abcdef' };
const event = (id: string, merchantId = 'm-a'): CaseEvent => ({
  id, schemaVersion: 1, type: 'case.created', caseId: id.split(':')[0], kind: 'after_sale', merchantId, at: '2026-11-22T16:40:00+08:00', data: {},
});

describe('subscription ids', () => {
  it('default to a hash of merchant and url, not of the secret; a configured id wins', () => {
    const id = subscriptionIdOf(hook);
    expect(id).toMatch(/^sub_[0-9a-f]{16}$/);
    expect(subscriptionIdOf({ ...hook, secret: 'another-secret-0123456' } as typeof hook)).toBe(id);
    expect(subscriptionIdOf({ ...hook, url: 'https://hooks.example/other' })).not.toBe(id);
    expect(subscriptionIdOf({ ...hook, merchantId: 'm-b' })).not.toBe(id);
    expect(subscriptionIdOf({ ...hook, id: 'erp-main' })).toBe('erp-main');
  });

  it('are read from WEBHOOKS, checked and unique', () => {
    expect(webhookSubscriptionsFrom({ WEBHOOKS: JSON.stringify([{ ...hook, id: 'erp-main' }, hook]) }).map(subscriptionIdOf)).toEqual(['erp-main', subscriptionIdOf(hook)]);
    expect(() => webhookSubscriptionsFrom({ WEBHOOKS: JSON.stringify([{ ...hook, id: 'has space' }]) })).toThrow(/id/);
    expect(() => webhookSubscriptionsFrom({ WEBHOOKS: JSON.stringify([hook, { ...hook, secret: 'other-secret-0123456' }]) })).toThrow(/used twice/);
    expect(() => new WebhookPublisher([{ ...hook, id: 'x' }, { ...hook, id: 'x', url: 'https://hooks.example/2' }])).toThrow(/used twice/);
  });

  it('become one sink each, taking their merchant\'s events (or every merchant\'s with *)', () => {
    const publisher = new WebhookPublisher([{ ...hook, id: 'a' }, { ...hook, id: 'all', merchantId: '*' }]);
    expect(publisher.sinks.map((s) => s.id)).toEqual(['a', 'all']);
    expect(publisher.sinks.map((s) => s.accepts(event('as_1:0', 'm-b')))).toEqual([false, true]);
    expect(publisher.sinks.map((s) => s.accepts(event('as_1:0', 'm-a')))).toEqual([true, true]);
  });
});

describe('delivery workflow ids', () => {
  it('are deterministic per (subscription, case), hash the subscription id and carry only the case id', () => {
    const id = deliveryWorkflowId('erp-main', 'as_0123abcd');
    expect(id).toBe(deliveryWorkflowId('erp-main', 'as_0123abcd'));
    expect(id).toMatch(DELIVERY_ID_PATTERN);
    expect(id.startsWith(deliveryIdPrefix('erp-main'))).toBe(true);
    expect(id).not.toContain('erp-main');
    expect(deliveryWorkflowId('erp-other', 'as_0123abcd')).not.toBe(id);
  });
});

describe('delivery settings', () => {
  it('come from WEBHOOK_* over the defaults, and a plugin option over those', () => {
    expect(webhookDeliveryFrom({})).toEqual({});
    const fromEnv = webhookDeliveryFrom({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_INITIAL_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000', WEBHOOK_IDLE_TIMEOUT_MS: '60000' });
    expect(fromEnv).toEqual({ maxAttempts: 3, initialIntervalMs: 200, maximumIntervalMs: 1_000, idleTimeoutMs: 60_000 });
    expect(resolveDeliveryPolicy(fromEnv, { maxAttempts: 5 })).toEqual({ ...DEFAULT_DELIVERY_POLICY, ...fromEnv, maxAttempts: 5 });
    expect(resolveDeliveryPolicy({ initialIntervalMs: 5_000, maximumIntervalMs: 1_000 }).maximumIntervalMs).toBe(5_000);
    for (const bad of ['0', '-1', '2.5', 'many']) expect(() => webhookDeliveryFrom({ WEBHOOK_MAX_ATTEMPTS: bad })).toThrow(/WEBHOOK_MAX_ATTEMPTS/);
  });

  it('reach the publisher adaptersFrom builds', () => {
    const { events } = adaptersFrom({ WEBHOOKS: JSON.stringify([hook]), WEBHOOK_MAX_ATTEMPTS: '4' });
    expect(events).toBeInstanceOf(WebhookPublisher);
    expect((events as WebhookPublisher).delivery).toEqual({ maxAttempts: 4 });
    expect(adaptersFrom({}).events).toBeInstanceOf(SandboxEventPublisher);
  });

  it('default to about half an hour of attempts before parking', () => {
    const { maxAttempts, initialIntervalMs, maximumIntervalMs } = DEFAULT_DELIVERY_POLICY;
    let total = 0;
    for (let attempt = 1; attempt < maxAttempts; attempt += 1) total += Math.min(initialIntervalMs * 2 ** (attempt - 1), maximumIntervalMs);
    expect(total / 60_000).toBeGreaterThan(20);
    expect(total / 60_000).toBeLessThan(40);
  });
});

describe('the delivery queue', () => {
  it('reads sequences per stream from event ids', () => {
    expect(eventSequence('as_1:7')).toEqual({ stream: 'as_1', sequence: 7 });
    expect(eventSequence('as_1:survey:2')).toEqual({ stream: 'as_1:survey', sequence: 2 });
    expect(eventSequence('odd')).toEqual({ stream: 'odd', sequence: 0 });
  });

  it('admits each event once, in order: a retried hand-off adds nothing, a survey stream has its own order', () => {
    let { queue, marks } = admitEvents([], {}, [event('as_1:0'), event('as_1:1')]);
    ({ queue, marks } = admitEvents(queue, marks, [event('as_1:0'), event('as_1:1'), event('as_1:2')]));
    ({ queue, marks } = admitEvents(queue, marks, [event('as_1:survey:0'), event('as_1:2'), event('as_1:3')]));
    expect(queue.map((e) => e.id)).toEqual(['as_1:0', 'as_1:1', 'as_1:2', 'as_1:survey:0', 'as_1:3']);
    // Delivered events leave the queue; the marks still refuse them when a hand-off is retried later.
    ({ queue, marks } = admitEvents(queue.slice(5), marks, [event('as_1:3'), event('as_1:survey:0'), event('as_1:4')]));
    expect(queue.map((e) => e.id)).toEqual(['as_1:4']);
    expect(marks).toEqual({ as_1: 4, 'as_1:survey': 0 });
  });
});

describe('schemaVersion', () => {
  it('is stamped on events made without one, and kept when given', async () => {
    const { schemaVersion: _omitted, ...bare } = event('as_9:0');
    expect(withSchemaVersion(bare).schemaVersion).toBe(CASE_EVENT_SCHEMA_VERSION);
    expect(withSchemaVersion({ ...bare, schemaVersion: 7 }).schemaVersion).toBe(7);
    const sandbox = new SandboxEventPublisher();
    await sandbox.publish([bare]);
    expect(sandbox.events('as_9')[0]).toMatchObject({ id: 'as_9:0', schemaVersion: CASE_EVENT_SCHEMA_VERSION });
  });
});
