/** Request builders and short policies (second-level clocks) for order-issue integration tests. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { eventually, type ApiClient } from '../../support/http';

export const cny = (amount: number) => ({ amount, currency: 'CNY' });
const seconds = (amount: number) => ({ amount, unit: 'seconds' });

export function orderIssueBody(type: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: 'cust-41d0', type,
    ...(type === 'parcel_missing' || type === 'delivery_delay' ? { trackingNumber: `SF${randomUUID().slice(0, 10).replace(/-/g, '')}` } : {}),
    ...(type === 'address_change' ? {} : {
      order: { items: [{ sku: 'lamp-1', quantity: 1, unitPrice: cny(12_900) }], paidTotal: cny(13_900), shippingFee: cny(1_000) },
    }),
    ...overrides,
  };
}

export const address = {
  recipient: 'Li Lei', phone: '+86 138 0000 0000', line1: '88 Century Avenue', city: 'Shanghai', country: 'CN',
};

/** A policy with the order-issue clocks in seconds (others an hour) and no survey. */
export async function publishOrderIssuePolicy(api: ApiClient, clocks: { trackingWait?: number; carrierResponse?: number; customerChoice?: number } = {}): Promise<string> {
  const id = `oi-test-${randomUUID().slice(0, 8)}`;
  const answer = await api.put(`/v1/policies/${id}`, {
    name: `order issue integration ${id}`, extends: 'cn-marketplace',
    orderIssue: {
      deadlines: {
        trackingWait: seconds(clocks.trackingWait ?? 3600), carrierResponse: seconds(clocks.carrierResponse ?? 3600), customerChoice: seconds(clocks.customerChoice ?? 3600),
      },
      survey: false,
    },
    afterSale: { deadlines: { merchantResponse: seconds(3600) } },
  }, { key: 'dev-admin' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return id;
}

export async function createOrderIssue(api: ApiClient, body: Record<string, unknown>, key = 'dev-channel'): Promise<any> {
  const answer = await api.post('/v1/order-issues', body, { key });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

export async function act(api: ApiClient, id: string, action: string, key: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await api.post(`/v1/order-issues/${id}/actions/${action}`, body, { key });
  expect(answer.status, `${action}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
}

export function waitForIssue(api: ApiClient, id: string, predicate: (view: any) => boolean, timeoutMs = 30_000): Promise<any> {
  return eventually(async () => {
    const view = (await api.get(`/v1/order-issues/${id}`, { key: 'dev-supervisor' })).body;
    if (!predicate(view)) throw new Error(`not yet: ${view.status} ${JSON.stringify(view.timeline?.map((e: any) => e.type))}`);
    return view;
  }, { timeoutMs });
}

export const types = (view: any): string[] => view.timeline.map((e: any) => e.type);

export function logistics(api: ApiClient, body: Record<string, unknown>, key = 'dev-channel') {
  return api.post('/v1/callbacks/logistics', body, { key, idempotencyKey: null });
}
