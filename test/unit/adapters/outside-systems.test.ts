/**
 * The outside-system test servers (test/support/outside-systems.ts) against the real production adapters
 * built from their env by worker/config.ts: every adapter's signature verifies, a wrong secret is a 401
 * the adapter reports, and the steering tests rely on behaves as a real system would (refusals, passing
 * failures, an answer lost after commit, retried changes applied once, redelivered events deduplicated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayUnavailableError, RefundRefusedError } from '../../../activities/adapters/payments';
import type { CaseEvent } from '../../../activities/adapters/events';
import { adaptersFrom } from '../../../worker/config';
import { startOutsideSystems, withWrongSecrets, type OutsideSystems } from '../../support/outside-systems';

let outside: OutsideSystems;

beforeAll(async () => {
  outside = await startOutsideSystems();
});
afterAll(async () => outside?.close());

const adapters = (env: Record<string, string> = outside.env) => adaptersFrom({ ...env, NODE_ENV: 'production' });
const refund = (key: string, amount = 1_000) => ({ idempotencyKey: key, caseId: key.split(':')[0], merchantId: 'm-a', orderId: 'o-1', amount: { amount, currency: 'CNY' } });
const event = (caseId: string, n: number): CaseEvent => ({ id: `${caseId}:${n}`, schemaVersion: 1, type: 'case.created', caseId, kind: 'after_sale', merchantId: 'm-a', at: new Date().toISOString(), data: {} });

describe('env', () => {
  it('names every HTTP adapter; base URLs carry a path and no trailing slash', () => {
    expect(Object.keys(outside.env).sort()).toEqual([
      'LOGISTICS_SECRET', 'LOGISTICS_URL', 'NOTIFICATIONS_SECRET', 'NOTIFICATIONS_URL', 'ORDERS_SECRET', 'ORDERS_URL',
      'PAYMENT_GATEWAY_SECRET', 'PAYMENT_GATEWAY_URL', 'WEBHOOKS',
    ]);
    for (const name of ['PAYMENT_GATEWAY_URL', 'LOGISTICS_URL', 'ORDERS_URL', 'NOTIFICATIONS_URL']) expect(outside.env[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[a-z]+.*[^/]$/);
    expect(() => adapters()).not.toThrow();
  });
});

describe('payments', () => {
  it('one refund per idempotency key; a replay answers the same receipt', async () => {
    const { payments } = adapters();
    const first = await payments.refund(refund('as_u1:refund:1'));
    const again = await payments.refund(refund('as_u1:refund:1'));
    expect(again).toEqual(first);
    expect(outside.payments.ledger('as_u1')).toHaveLength(1);
    expect(outside.payments.requestsFor('as_u1:refund:1')).toBe(2);
  });

  it('steering: refused for good, a passing 500 and 429, an answer lost after commit', async () => {
    const { payments } = adapters();
    outside.payments.refuseNext();
    await expect(payments.refund(refund('as_u2:refund:1'))).rejects.toBeInstanceOf(RefundRefusedError);
    outside.payments.failNext('http_500');
    await expect(payments.refund(refund('as_u2:refund:1'))).rejects.toBeInstanceOf(GatewayUnavailableError);
    outside.payments.failNext('http_429');
    await expect(payments.refund(refund('as_u2:refund:1'))).rejects.toMatchObject({ retryAfterMs: 1_000 });
    expect(outside.payments.ledger('as_u2')).toEqual([]);
    outside.payments.failNext('timeout_after_commit');
    await expect(payments.refund(refund('as_u2:refund:1'))).rejects.toBeInstanceOf(GatewayUnavailableError);
    expect(outside.payments.ledger('as_u2')).toHaveLength(1);
    await payments.refund(refund('as_u2:refund:1'));
    expect(outside.payments.ledger('as_u2')).toHaveLength(1);
  });

  it('holds answers while the refund is already committed', async () => {
    const { payments } = adapters();
    outside.payments.holdAnswersMs = 300;
    try {
      const answer = payments.refund(refund('as_u3:refund:1'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(outside.payments.ledger('as_u3')).toHaveLength(1);
      await answer;
    } finally {
      outside.payments.holdAnswersMs = 0;
    }
  });
});

describe('notifications', () => {
  it('an outbox by case and type, one message per id however often it is sent; the survey is findable', async () => {
    const { notifications } = adapters();
    const survey = { id: 'cp_u1:survey:sent', type: 'survey.sent', caseId: 'cp_u1', merchantId: 'm-a', to: { customerRef: 'c-1' }, data: { surveyId: 'cp_u1:survey', kind: 'complaint' } };
    await notifications.send(survey);
    await notifications.send(survey);
    await notifications.send({ ...survey, id: 'cp_u1:notice:1', type: 'sla.warning', to: { role: 'agent', tier: 'L1' } as never });
    expect(outside.notifications.messages({ caseId: 'cp_u1' }).map((m) => m.type)).toEqual(['survey.sent', 'sla.warning']);
    expect(outside.notifications.deliveriesOf('cp_u1:survey:sent')).toBe(2);
    expect(outside.notifications.survey('cp_u1')).toMatchObject({ surveyId: 'cp_u1:survey', caseId: 'cp_u1' });
    outside.notifications.failNext(1);
    await expect(notifications.send({ ...survey, id: 'cp_u1:notice:2' })).rejects.toThrow(/HTTP 503/);
  });
});

describe('logistics and orders', () => {
  it('parcels answer what the test set; carrier inquiries and address changes apply once per key', async () => {
    const { logistics, orders } = adapters();
    outside.logistics.setParcel('SF 42/1', 'lost');
    expect(await logistics.track('SF 42/1')).toMatchObject({ trackingNumber: 'SF 42/1', status: 'lost' });
    expect(await logistics.track('SF-unknown')).toMatchObject({ status: 'no_trace' });
    const inquiry = { id: 'oi_u1:carrier:1', caseId: 'oi_u1', merchantId: 'm-a', kind: 'trace' as const, trackingNumber: 'SF 42/1' };
    const reference = await logistics.openCarrierInquiry(inquiry);
    expect(await logistics.openCarrierInquiry(inquiry)).toEqual(reference);
    expect(outside.logistics.inquiries('oi_u1')).toHaveLength(1);
    expect(outside.logistics.trackingQueries('SF 42/1')).toEqual(['SF 42/1']);

    outside.orders.setOrder('m-a', 'o-9', { paymentStatus: 'duplicate_charge' });
    expect(await orders.status('m-a', 'o-9')).toEqual({ orderId: 'o-9', shipped: false, paymentStatus: 'duplicate_charge' });
    expect(await orders.status('m-b', 'o-9')).toEqual({ orderId: 'o-9', shipped: false, paymentStatus: 'paid' });
    const change = { id: 'oi_u2:address:3', merchantId: 'm-a', orderId: 'o-9', address: { recipient: 'L', phone: '1', line1: 'x', city: 'y', country: 'CN' } };
    expect(await orders.changeAddress(change)).toEqual({ changed: true });
    expect(await orders.changeAddress(change)).toEqual({ changed: true });
    expect(outside.orders.addressChanges('o-9')).toHaveLength(1);
    expect(outside.orders.requestsFor('oi_u2:address:3')).toBe(2);
    outside.orders.setOrder('m-a', 'o-10', { shipped: true });
    expect(await orders.changeAddress({ ...change, id: 'oi_u3:address:3', orderId: 'o-10' })).toEqual({ changed: false, reason: 'already_shipped' });
    expect(outside.orders.addressChanges('o-10')).toEqual([]);
  });
});

describe('webhooks', () => {
  it('events per case in arrival order, redeliveries counted and deduplicated, gaps reported', async () => {
    const { events } = adapters();
    outside.webhooks.failNext(1, 500);
    await expect(events.publish([event('as_w1', 0), event('as_w1', 1)])).rejects.toThrow(/HTTP 500/);
    await events.publish([event('as_w1', 0), event('as_w1', 1)]);
    await events.publish([event('as_w1', 1), event('as_w1', 2)]);
    expect(outside.webhooks.events('as_w1').map((e) => e.id)).toEqual(['as_w1:0', 'as_w1:1', 'as_w1:2']);
    expect(outside.webhooks.duplicates).toBe(1);
    expect(outside.webhooks.orderProblems('as_w1')).toEqual([]);
    await events.publish([event('as_w2', 0), event('as_w2', 2)]);
    expect(outside.webhooks.orderProblems('as_w2')).toEqual(['as_w2:2 arrived after as_w2:0']);
  });
});

describe('a wrong secret', () => {
  it('every server answers 401, records the bad signature and keeps nothing', async () => {
    const since = Date.now();
    const wrong = adapters(withWrongSecrets(outside.env));
    await expect(wrong.payments.refund(refund('as_x1:refund:1'))).rejects.toBeInstanceOf(RefundRefusedError);
    await expect(wrong.notifications.send({ id: 'cp_x1:notice:1', type: 'sla.warning', caseId: 'cp_x1', merchantId: 'm-a', to: { customerRef: 'c' }, data: {} })).rejects.toThrow(/HTTP 401/);
    await expect(wrong.logistics.track('SF1')).rejects.toThrow(/HTTP 401/);
    await expect(wrong.orders.status('m-a', 'o-1')).rejects.toThrow(/HTTP 401/);
    await expect(wrong.events.publish([event('as_x1', 0)])).rejects.toThrow(/HTTP 401/);
    const bad = outside.badSignatures().filter((r) => r.at >= since);
    expect(bad.map((r) => [r.system, r.status]).sort()).toEqual([
      ['logistics', 401], ['notifications', 401], ['orders', 401], ['payments', 401], ['webhooks', 401],
    ]);
    expect(outside.payments.ledger('as_x1')).toEqual([]);
    expect(outside.notifications.messages({ caseId: 'cp_x1' })).toEqual([]);
    expect(outside.webhooks.events('as_x1')).toEqual([]);
  });
});
