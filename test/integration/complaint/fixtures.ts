/**
 * Request builders for complaint integration tests, and short policies (second-level targets) that let
 * real deadlines pass inside the suite.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { eventually, type ApiClient } from '../../support/http';

export const cny = (amount: number) => ({ amount, currency: 'CNY' });
const seconds = (amount: number) => ({ amount, unit: 'seconds' });

/** A medium, normal, regular complaint (P3, starts at L1) about a paid order. */
export function complaintBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantId: 'm-a',
    customerRef: 'cust-9c1d',
    channel: 'chat',
    category: 'product_quality',
    severity: 'medium',
    urgency: 'normal',
    customerTier: 'regular',
    summary: 'the kettle leaks from the base',
    orderId: `order-${randomUUID().slice(0, 8)}`,
    order: { items: [{ sku: 'kettle-1', quantity: 1, unitPrice: cny(15_900) }], paidTotal: cny(16_900), shippingFee: cny(1_000) },
    ...overrides,
  };
}

export interface ShortComplaintPolicy {
  /** complaint.deadlines in seconds (others: an hour). */
  deadlines?: Record<string, number>;
  /** complaint.targets in seconds per priority. */
  targets?: Record<string, { firstResponse?: number; resolution?: number }>;
  survey?: Record<string, number>;
  reminders?: number;
  authorityLimits?: { agent: number; supervisor: number };
}

/** Publishes a custom policy extending cn-marketplace with second-level complaint and survey clocks. */
export async function publishComplaintPolicy(api: ApiClient, options: ShortComplaintPolicy = {}): Promise<string> {
  const id = `cp-test-${randomUUID().slice(0, 8)}`;
  const complaintDeadlines = ['firstResponse', 'resolution', 'customerDecision', 'solutionApproval', 'departmentTask', 'reopenWindow'];
  const targets = Object.fromEntries(Object.entries(options.targets ?? {}).map(([p, t]) => [p, {
    ...(t.firstResponse ? { firstResponse: seconds(t.firstResponse) } : {}), ...(t.resolution ? { resolution: seconds(t.resolution) } : {}),
  }]));
  const answer = await api.put(`/v1/policies/${id}`, {
    name: `complaint integration ${id}`,
    extends: 'cn-marketplace',
    complaint: {
      deadlines: Object.fromEntries(complaintDeadlines.map((n) => [n, seconds(options.deadlines?.[n] ?? 3600)])),
      // Every priority uses the section's deadlines unless the test names its own target.
      targets: { P1: {}, P2: {}, P3: {}, P4: {}, ...targets },
      ...(options.authorityLimits ? { authorityLimits: { agent: cny(options.authorityLimits.agent), supervisor: cny(options.authorityLimits.supervisor) } } : {}),
    },
    survey: {
      deadlines: Object.fromEntries(['delay', 'reminder', 'expiry'].map((n) => [n, seconds(options.survey?.[n] ?? 3600)])),
      ...(options.reminders !== undefined ? { reminders: options.reminders } : {}),
    },
  }, { key: 'dev-admin' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return id;
}

export async function createComplaint(api: ApiClient, body: Record<string, unknown>, key = 'dev-channel'): Promise<any> {
  const answer = await api.post('/v1/complaints', body, { key });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

export async function act(api: ApiClient, id: string, action: string, key: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await api.post(`/v1/complaints/${id}/actions/${action}`, body, { key });
  expect(answer.status, `${action}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
}

export async function waitForComplaint(api: ApiClient, id: string, predicate: (view: any) => boolean, timeoutMs = 30_000): Promise<any> {
  return eventually(async () => {
    const answer = await api.get(`/v1/complaints/${id}`, { key: 'dev-supervisor' });
    if (answer.status !== 200 || !predicate(answer.body)) throw new Error(`complaint ${id} not there yet: ${answer.status} ${answer.body?.status} L${answer.body?.escalationLevel}`);
    return answer.body;
  }, { timeoutMs });
}

export const timelineTypes = (view: any): string[] => view.timeline.map((e: any) => e.type);
