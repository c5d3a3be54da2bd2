/**
 * What a create costs in Temporal calls, counted on a recording fake client: a first create of every kind
 * on a preset policy is one start and nothing else (recognising a retry as a replay adds no call to it);
 * a retry whose checks now refuse describes the case it landed on and answers as a replay. Real flows are
 * in test/integration/api-contract/create-replay.test.ts.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../api/idempotency';
import { auth, createBody, testApp } from './fixture';

type Call = { op: string; id: string };

function recordingClient(options: { existingFingerprint?: string } = {}): Client & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    connection: { withDeadline: (_deadline: number, call: () => Promise<unknown>) => call() },
    workflow: {
      getHandle: (id: string) => ({
        describe: async () => {
          calls.push({ op: 'describe', id });
          if (options.existingFingerprint === undefined || !/^(as|cp|iq|oi)_/.test(id)) throw new WorkflowNotFoundError('not found', id, undefined);
          return { memo: { requestFingerprint: options.existingFingerprint, merchantId: 'm-a' } };
        },
        query: async () => {
          calls.push({ op: 'query', id });
          throw new WorkflowNotFoundError('not found', id, undefined);
        },
      }),
      start: async (_type: string, o: { workflowId: string }) => {
        calls.push({ op: 'start', id: o.workflowId });
        return { workflowId: o.workflowId };
      },
    },
  } as unknown as Client & { calls: Call[] };
}

const BODIES: Array<[string, Record<string, unknown>]> = [
  ['/v1/after-sales', createBody({ policyId: 'cn-marketplace' })],
  ['/v1/complaints', { merchantId: 'm-a', customerRef: 'c-1', channel: 'chat', category: 'delivery', severity: 'low', urgency: 'normal', customerTier: 'regular', summary: 'late', policyId: 'cn-marketplace' }],
  ['/v1/inquiries', { merchantId: 'm-a', customerRef: 'c-1', channel: 'chat', topic: 'sizing', policyId: 'cn-marketplace' }],
  ['/v1/order-issues', {
    merchantId: 'm-a', orderId: 'o-1', customerRef: 'c-1', type: 'address_change', policyId: 'cn-marketplace',
    newAddress: { recipient: 'R', phone: '+86 138 0000 0000', line1: '1 Road', city: 'Hangzhou', country: 'CN' },
  }],
];

describe('Temporal calls of a create', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each(BODIES)('a first create on %s is one start, nothing else', async (url, payload) => {
    const client = recordingClient();
    app = await testApp({ client });
    const res = await app.inject({ method: 'POST', url, headers: { ...auth('dev-channel'), 'idempotency-key': 'k-first' }, payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(client.calls.map((c) => c.op)).toEqual(['start']);
  });

  it('a retry refused by its checks with another body answers 422 idempotency-key-reused, never not-eligible', async () => {
    // Delivered 30 days before the request: a no-reason return is outside its 7-day window now.
    const late = createBody({ policyId: 'cn-marketplace', type: 'return_and_refund', reason: 'no_reason', order: { paidTotal: { amount: 12_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, deliveredAt: '2026-10-20T10:00:00+08:00' } });
    const client = recordingClient({ existingFingerprint: fingerprint({ ...late, description: 'the first body' }) });
    app = await testApp({ client });
    const res = await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), 'idempotency-key': 'k-retry' }, payload: late });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().type).toBe('/problems/idempotency-key-reused');
    expect(client.calls.map((c) => c.op)).toEqual(['describe']);
  });

  it('a new request refused by its checks stays refused: not-eligible, windowEndsAt with the zone offset', async () => {
    const late = createBody({ policyId: 'cn-marketplace', type: 'return_and_refund', reason: 'no_reason', order: { paidTotal: { amount: 12_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, deliveredAt: '2026-10-20T10:00:00+08:00' } });
    const client = recordingClient();
    app = await testApp({ client });
    const res = await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), 'idempotency-key': 'k-new' }, payload: late });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ type: '/problems/not-eligible', rule: 'no-reason-return-window', windowEndsAt: '2026-10-28T00:00:00.000+08:00' });
  });
});
