/**
 * Builds the API for unit tests over a Temporal client that never connects: a lazy connection to a
 * closed port, or a hand-made fake whose handles throw the real Temporal error classes, so the edge's
 * checks and its error mapping are tested without a server. Flows that need a server live in test/integration.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../api/app';
import { createApiKeyStore, loadApiKeys, sha256Hex, type ApiKeyStore } from '../../../api/auth';

export const NOW = Date.parse('2026-11-22T08:00:00Z');

/** A connection to a port nothing listens on: any Temporal call would fail, so a test that passes made none. */
export function unreachableClient(): Client {
  return new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
}

export function keysWith(extra: Array<{ id: string; role: string; merchants: string[] | '*' }>): ApiKeyStore {
  const dev = loadApiKeys({});
  const extraStore = createApiKeyStore(extra.map((k) => ({ ...k, role: k.role as never, secretSha256: sha256Hex(k.id) })));
  return { size: dev.size + extraStore.size, find: (token) => dev.find(token) ?? extraStore.find(token) };
}

export async function testApp(options: { client?: Client; keys?: ApiKeyStore; rateLimit?: { max: number; timeWindowMs: number } } = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    client: options.client ?? unreachableClient(),
    taskQueue: 'unit-test',
    namespace: 'default',
    keys: options.keys ?? loadApiKeys({}),
    logger: false,
    now: () => NOW,
    temporalCallTimeoutMs: 500,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  await app.ready();
  return app;
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** A valid after-sale create body (refund only, quality, CNY). */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantId: 'm-a',
    orderId: 'o-1001',
    customerRef: 'cust-7f3a',
    type: 'refund_only',
    reason: 'quality',
    items: [{ sku: 'sku-1', quantity: 1, unitPrice: { amount: 12_900, currency: 'CNY' } }],
    order: { paidTotal: { amount: 12_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, deliveredAt: '2026-11-20T10:00:00+08:00' },
    requestedAt: '2026-11-22T15:00:00+08:00',
    ...overrides,
  };
}
