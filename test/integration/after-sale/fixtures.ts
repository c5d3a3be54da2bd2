/**
 * Request builders for after-sale integration tests, and short policies (second-level deadlines) that let
 * real deadlines pass inside the suite.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { eventually, type ApiClient } from '../../support/http';

export const cny = (amount: number) => ({ amount, currency: 'CNY' });

export function afterSaleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantId: 'm-a',
    orderId: `order-${randomUUID().slice(0, 8)}`,
    customerRef: 'cust-7f3a',
    type: 'return_and_refund',
    reason: 'quality',
    items: [{ sku: 'shoe-42', quantity: 1, unitPrice: cny(19_900) }],
    order: { paidTotal: cny(20_900), shippingFee: cny(1_000), deliveredAt: new Date(Date.now() - 2 * 86_400_000).toISOString() },
    description: 'sole came off after two days',
    ...overrides,
  };
}

const AFTER_SALE_DEADLINE_NAMES = [
  'merchantResponse', 'buyerReturnShipment', 'merchantReceipt', 'refundPayment', 'refundApproval', 'escalationWindow',
  'disputeAnswer', 'evidence', 'rulingExecution', 'appealWindow', 'replacementShipment', 'repair', 'suspension',
];

/**
 * Publishes a custom policy extending cn-marketplace where every after-sale deadline lasts `seconds`
 * except those in `overrides` (long by default, so only the deadline under test passes).
 */
export async function publishShortPolicy(api: ApiClient, overrides: Record<string, number>, options: { defaultSeconds?: number; authorityLimit?: number } = {}): Promise<string> {
  const id = `test-${randomUUID().slice(0, 8)}`;
  const deadlines = Object.fromEntries(AFTER_SALE_DEADLINE_NAMES.map((name) => [name, { amount: overrides[name] ?? options.defaultSeconds ?? 3600, unit: 'seconds' }]));
  const answer = await api.put(`/v1/policies/${id}`, {
    name: `integration ${id}`,
    extends: 'cn-marketplace',
    afterSale: { deadlines, ...(options.authorityLimit !== undefined ? { authorityLimit: cny(options.authorityLimit) } : {}) },
  }, { key: 'dev-admin' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return id;
}

/** Creates an after-sale case as the channel and returns its view. */
export async function createAfterSale(api: ApiClient, body: Record<string, unknown>): Promise<any> {
  const answer = await api.post('/v1/after-sales', body, { key: 'dev-channel' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

export async function act(api: ApiClient, id: string, action: string, key: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await api.post(`/v1/after-sales/${id}/actions/${action}`, body, { key });
  expect(answer.status, `${action}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
}

/** Polls the case until `predicate` holds; returns the view. */
export async function waitForCase(api: ApiClient, id: string, predicate: (view: any) => boolean, timeoutMs = 30_000): Promise<any> {
  return eventually(async () => {
    const answer = await api.get(`/v1/after-sales/${id}`, { key: 'dev-supervisor' });
    if (answer.status !== 200 || !predicate(answer.body)) throw new Error(`case ${id} not there yet: ${answer.status} ${answer.body?.status}`);
    return answer.body;
  }, { timeoutMs });
}

export function deadline(view: any, name: string): any {
  return view.deadlines.filter((d: any) => d.name === name).at(-1);
}

export function timelineTypes(view: any): string[] {
  return view.timeline.map((entry: any) => entry.type);
}
