/**
 * End-to-end scenario drivers over real HTTP only: each walks one customer-service story through the API
 * (whatever base URL, keys and transport it is given: development keys on the dev server, production keys
 * over https with a private CA) while the outside systems (test/support/outside-systems.ts) answer, and
 * asserts along the way with vitest's `expect`. Each returns what it observed, for checks across stories.
 * Waits are polls with deadlines: timers fire late on a busy machine.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { expect } from 'vitest';
import type { LedgerEntry } from '../../activities/adapters/sandbox-payments';
import type { OutsideSystems } from './outside-systems';

/** The API keys a scenario acts with, one per role; `merchant` must cover the scenario's merchant. */
export interface ScenarioKeys {
  admin: string;
  supervisor: string;
  agent: string;
  channel: string;
  merchant: string;
}

export const DEV_KEYS: ScenarioKeys = {
  admin: 'dev-admin', supervisor: 'dev-supervisor', agent: 'dev-agent', channel: 'dev-channel', merchant: 'dev-merchant-a',
};

/** A minimal fetch: what the drivers need of an answer. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) =>
  Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface ScenarioApiOptions {
  /** e.g. `http://127.0.0.1:3000` or `https://api.test:8443` (no trailing slash needed). */
  baseUrl: string;
  keys?: ScenarioKeys;
  /** The merchant the stories run for (the merchant key's scope). Default `m-a`. */
  merchantId?: string;
  /** Transport: a fetch of your own, an undici dispatcher for the global fetch, or a CA file to trust. */
  fetch?: FetchLike;
  dispatcher?: unknown;
  caFile?: string;
  /** Multiplies every wait (a production stack on a busy machine may need 2-3). Default 1. */
  timeScale?: number;
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

export interface ScenarioApi {
  baseUrl: string;
  keys: ScenarioKeys;
  merchantId: string;
  timeScale: number;
  /**
   * One call. POST and PUT carry an Idempotency-Key (fresh unless given); a 503 or 429 (Temporal or the
   * worker slow) and a dropped connection are retried with the same key until `retryForMs` has passed.
   */
  call<T = any>(method: string, path: string, key: string, body?: unknown, options?: { idempotencyKey?: string | null; retryForMs?: number }): Promise<ApiAnswer<T>>;
}

/** A FetchLike over node:http(s) trusting `ca` (for an https API behind a private CA). */
export function fetchTrusting(ca: string | Buffer): FetchLike {
  return (url, init) => new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: init.method, headers: init.body !== undefined ? { ...init.headers, 'content-length': Buffer.byteLength(init.body).toString() } : init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name: string) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } },
          text: async () => text,
        });
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${target.host} in 30 s`)));
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export function scenarioApi(options: ScenarioApiOptions): ScenarioApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const transport: FetchLike = options.fetch
    ?? (options.caFile ? fetchTrusting(readFileSync(options.caFile))
      : (url, init) => fetch(url, { ...init, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) } as RequestInit));
  const timeScale = options.timeScale ?? 1;

  async function call<T = any>(method: string, path: string, key: string, body?: unknown, callOptions: { idempotencyKey?: string | null; retryForMs?: number } = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if ((method === 'POST' || method === 'PUT') && callOptions.idempotencyKey !== null) headers['idempotency-key'] = callOptions.idempotencyKey ?? `scn-${randomUUID()}`;
    const deadline = Date.now() + (callOptions.retryForMs ?? 30_000) * timeScale;
    for (;;) {
      let answer: ApiAnswer<T> | undefined;
      let failure: unknown;
      try {
        const response = await transport(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        answer = { status: response.status, body: parsed as T };
      } catch (err) {
        failure = err;
      }
      const passing = answer === undefined || answer.status === 503 || answer.status === 429;
      if (!passing) return answer!;
      if (Date.now() > deadline) {
        if (answer) return answer;
        throw failure;
      }
      await sleep(1_000);
    }
  }

  return { baseUrl, keys: options.keys ?? DEV_KEYS, merchantId: options.merchantId ?? 'm-a', timeScale, call };
}

/** What the drivers read of the outside systems. */
export type ScenarioOutside = Pick<OutsideSystems, 'payments' | 'notifications' | 'logistics' | 'orders'>;

export interface AfterSaleRun {
  caseId: string;
  orderId: string;
  refundAmount: { amount: number; currency: string };
  /** Refunds in the gateway ledger for the case (one). */
  refunds: LedgerEntry[];
  caseIds: string[];
}

export interface ComplaintRun {
  caseId: string;
  /** The pre-approved after-sale that carried the refund. */
  linkedCaseId: string;
  surveyId: string;
  score: number;
  refunds: LedgerEntry[];
  caseIds: string[];
}

export interface OrderIssueRun {
  parcelCaseId: string;
  compensationCaseId: string;
  addressCaseId: string;
  refunds: LedgerEntry[];
  carrierInquiries: number;
  addressChanges: number;
  caseIds: string[];
}

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const seconds = (amount: number) => ({ amount, unit: 'seconds' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shortId = () => randomUUID().replace(/-/g, '').slice(0, 10);

/** Polls `probe` until it returns something other than undefined; fails naming `what` and the last value seen. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last: ${last instanceof Error ? last.message : String(last)})` : ''}`);
    await sleep(intervalMs);
  }
}

function expectStatus(answer: ApiAnswer, status: number, what: string): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);
}

async function create(api: ScenarioApi, collection: string, key: string, body: Record<string, unknown>): Promise<any> {
  const answer = await api.call('POST', `/v1/${collection}`, key, body);
  expectStatus(answer, 201, `create ${collection}`);
  return answer.body;
}

async function act(api: ScenarioApi, collection: string, id: string, action: string, key: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await api.call('POST', `/v1/${collection}/${id}/actions/${action}`, key, body);
  expectStatus(answer, 200, `${action} on ${id}`);
  return answer.body;
}

/** Reads a case until `predicate` holds (as the supervisor, who sees every merchant). */
async function waitForView(api: ScenarioApi, collection: string, id: string, what: string, predicate: (view: any) => boolean, timeoutMs = 30_000): Promise<any> {
  let seen = '';
  try {
    return await pollUntil(`${id} ${what}`, async () => {
      const answer = await api.call('GET', `/v1/${collection}/${id}`, api.keys.supervisor);
      seen = `${answer.status} ${answer.body?.status ?? ''} ${answer.body?.outcome ?? ''}`;
      return answer.status === 200 && predicate(answer.body) ? answer.body : undefined;
    }, timeoutMs * api.timeScale);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${seen}`, { cause: err });
  }
}

async function putPolicy(api: ScenarioApi, prefix: string, policy: Record<string, unknown>): Promise<string> {
  const id = `${prefix}-${shortId()}`;
  const answer = await api.call('PUT', `/v1/policies/${id}`, api.keys.admin, { name: `scenario ${id}`, extends: 'cn-marketplace', ...policy });
  expectStatus(answer, 201, `policy ${id}`);
  return id;
}

/**
 * A return and refund: the merchant approves, the buyer ships back, the merchant confirms receipt with the
 * inspection ok, and the gateway pays once: the ledger holds one refund of the amount the case shows.
 */
export async function afterSaleToRefund(api: ScenarioApi, outside: ScenarioOutside): Promise<AfterSaleRun> {
  const orderId = `order-${shortId()}`;
  const created = await create(api, 'after-sales', api.keys.channel, {
    merchantId: api.merchantId, orderId, customerRef: `cust-${shortId()}`, type: 'return_and_refund', reason: 'quality',
    items: [{ sku: 'shoe-42', quantity: 1, unitPrice: cny(19_900) }],
    order: { paidTotal: cny(20_900), shippingFee: cny(1_000), deliveredAt: new Date(Date.now() - 2 * 86_400_000).toISOString() },
    description: 'sole came off after two days',
  });
  const caseId: string = created.id;
  expect(created).toMatchObject({ kind: 'after_sale', status: 'awaiting_merchant' });
  expect(await act(api, 'after-sales', caseId, 'approve', api.keys.merchant, { actorRef: 'staff-a1' })).toMatchObject({ status: 'awaiting_buyer_return' });
  expect(await act(api, 'after-sales', caseId, 'ship-return', api.keys.channel, { trackingNumber: `SF${shortId()}`, carrier: 'SF' }))
    .toMatchObject({ status: 'awaiting_merchant_receipt' });
  await act(api, 'after-sales', caseId, 'confirm-receipt', api.keys.merchant, { inspection: 'ok', actorRef: 'staff-a1' });

  const closed = await waitForView(api, 'after-sales', caseId, 'closed', (v) => v.status === 'closed', 60_000);
  expect(closed.outcome).toBe('refunded');
  expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: cny(20_900) })]);
  const refundAmount = closed.refunds[0].amount;
  // The ledger lives outside the worker: one committed refund for the case, of the amount the API shows.
  const refunds = outside.payments.ledger(caseId);
  expect(refunds.map((r) => ({ amount: r.amount, idempotencyKey: r.idempotencyKey })))
    .toEqual([{ amount: refundAmount, idempotencyKey: closed.refunds[0].idempotencyKey }]);
  return { caseId, orderId, refundAmount, refunds, caseIds: [caseId] };
}

/**
 * A complaint acknowledged, a refund proposed and accepted (paid through the linked after-sale), closed;
 * the survey goes out through the notification service and is answered with the satisfaction callback;
 * the closed complaint then shows the score.
 */
export async function complaintWithSurvey(api: ScenarioApi, outside: ScenarioOutside, options: { score?: number } = {}): Promise<ComplaintRun> {
  const score = options.score ?? 5;
  // Survey 1 s after close, open for an hour; the agent may promise up to 500.00 without a second approver.
  const policyId = await putPolicy(api, 'scn-complaint', {
    complaint: { authorityLimits: { agent: cny(50_000), supervisor: cny(500_000) } },
    survey: { deadlines: { delay: seconds(1), reminder: seconds(3_600), expiry: seconds(7_200) }, reminders: 1 },
  });
  const customerRef = `cust-${shortId()}`;
  const created = await create(api, 'complaints', api.keys.channel, {
    merchantId: api.merchantId, customerRef, channel: 'chat', category: 'product_quality', severity: 'medium',
    urgency: 'normal', customerTier: 'regular', summary: 'the kettle leaks from the base', orderId: `order-${shortId()}`, policyId,
    order: { items: [{ sku: 'kettle-1', quantity: 1, unitPrice: cny(15_900) }], paidTotal: cny(16_900), shippingFee: cny(1_000) },
  });
  const caseId: string = created.id;
  expect(created).toMatchObject({ kind: 'complaint', status: 'new' });
  await act(api, 'complaints', caseId, 'acknowledge', api.keys.agent, { actorRef: 'agent-1' });
  const refund = cny(8_000);
  const proposed = await act(api, 'complaints', caseId, 'propose-solution', api.keys.agent, { actorRef: 'agent-1', solution: { kind: 'refund', amount: refund } });
  expect(proposed.status).toBe('solution_proposed');
  const accepted = await act(api, 'complaints', caseId, 'accept-solution', api.keys.channel);
  expect(accepted.status).toBe('implementing');
  const link = accepted.links.find((l: any) => l.relation === 'solution');
  expect(link, JSON.stringify(accepted.links)).toMatchObject({ kind: 'after_sale' });
  const linkedCaseId: string = link.id;

  const resolved = await waitForView(api, 'complaints', caseId, 'resolved', (v) => v.status === 'resolved', 60_000);
  expect(resolved.solutions.at(-1).linkedCase).toMatchObject({ id: linkedCaseId, closed: { refunded: refund } });
  const child = await waitForView(api, 'after-sales', linkedCaseId, 'closed', (v) => v.status === 'closed');
  expect(child.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: refund })]);
  // The customer confirms the resolution: the complaint closes.
  const closed = await act(api, 'complaints', caseId, 'accept-solution', api.keys.channel);
  expect(closed).toMatchObject({ status: 'closed', outcome: 'resolved' });

  // The survey goes out through the notification service; the survey system answers for the customer.
  const survey = await pollUntil(`survey of ${caseId} at the notification service`, async () => outside.notifications.survey(caseId), 30_000 * api.timeScale);
  expect(survey.surveyId).toBe(`${caseId}:survey`);
  expect(survey.notification.to).toEqual({ customerRef });
  const callback = await api.call('POST', '/v1/callbacks/satisfaction', api.keys.channel,
    { caseId, score, comment: 'sorted quickly', requestId: `${survey.surveyId}:answer` }, { idempotencyKey: null });
  expectStatus(callback, 202, 'satisfaction callback');
  expect(callback.body).toMatchObject({ caseId, surveyId: survey.surveyId, duplicate: false });
  const surveyed = await waitForView(api, 'complaints', caseId, 'answered survey', (v) => v.satisfaction?.status === 'answered');
  expect(surveyed.satisfaction).toEqual({ surveyId: survey.surveyId, status: 'answered', score });
  expect(surveyed.status).toBe('closed');

  const refunds = [...outside.payments.ledger(caseId), ...outside.payments.ledger(linkedCaseId)];
  expect(refunds.map((r) => [r.caseId, r.amount])).toEqual([[linkedCaseId, refund]]);
  return { caseId, linkedCaseId, surveyId: survey.surveyId, score, refunds, caseIds: [caseId, linkedCaseId] };
}

/**
 * Two order issues on the logistics and order services. A missing parcel: tracking (in transit, from the
 * logistics service), the wait passes, the carrier is asked to trace, the agent hears it is lost, the
 * customer confirms the address and gets everything paid back once. An address change: the order service
 * says not shipped, the customer confirms, the order service applies the change once.
 */
export async function orderIssue(api: ScenarioApi, outside: ScenarioOutside): Promise<OrderIssueRun> {
  const policyId = await putPolicy(api, 'scn-order-issue', {
    orderIssue: { deadlines: { trackingWait: seconds(2), carrierResponse: seconds(3_600), customerChoice: seconds(3_600) }, survey: false },
  });
  const order = { items: [{ sku: 'lamp-1', quantity: 1, unitPrice: cny(12_900) }], paidTotal: cny(13_900), shippingFee: cny(1_000) };

  // parcel_missing
  const trackingNumber = `SF${shortId()}`;
  outside.logistics.setParcel(trackingNumber, 'in_transit');
  const parcelCase = await create(api, 'order-issues', api.keys.channel, {
    merchantId: api.merchantId, orderId: `order-${shortId()}`, customerRef: `cust-${shortId()}`, type: 'parcel_missing', trackingNumber, order, policyId,
  });
  const parcelCaseId: string = parcelCase.id;
  const waiting = await waitForView(api, 'order-issues', parcelCaseId, 'tracked', (v) => v.parcel?.status === 'in_transit');
  expect(['awaiting_parcel', 'awaiting_carrier']).toContain(waiting.status);
  expect(outside.logistics.trackingQueries(trackingNumber).length).toBeGreaterThanOrEqual(1);
  // trackingWait (2 s) passes: the carrier is asked to trace the parcel.
  await waitForView(api, 'order-issues', parcelCaseId, 'awaiting the carrier', (v) => v.status === 'awaiting_carrier');
  await pollUntil(`trace inquiry of ${parcelCaseId}`, async () => (outside.logistics.inquiries(parcelCaseId).length > 0 ? true : undefined), 30_000 * api.timeScale);
  expect(outside.logistics.inquiries(parcelCaseId)).toEqual([expect.objectContaining({ kind: 'trace', trackingNumber, merchantId: api.merchantId })]);
  expect(await act(api, 'order-issues', parcelCaseId, 'contact-carrier', api.keys.agent, { result: 'lost', actorRef: 'agent-2' }))
    .toMatchObject({ status: 'awaiting_address' });
  await act(api, 'order-issues', parcelCaseId, 'confirm-address', api.keys.channel, { remedy: 'refund' });
  const compensated = await waitForView(api, 'order-issues', parcelCaseId, 'closed', (v) => v.status === 'closed', 60_000);
  expect(compensated.outcome).toBe('compensated');
  expect(compensated.compensations).toEqual([expect.objectContaining({ remedy: 'refund', amount: order.paidTotal, done: true })]);
  const compensationCaseId: string = compensated.compensations[0].caseId;
  const compensation = await waitForView(api, 'after-sales', compensationCaseId, 'closed', (v) => v.status === 'closed');
  expect(compensation.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: order.paidTotal })]);
  const refunds = [...outside.payments.ledger(parcelCaseId), ...outside.payments.ledger(compensationCaseId)];
  expect(refunds.map((r) => [r.caseId, r.amount])).toEqual([[compensationCaseId, order.paidTotal]]);

  // address_change
  const orderId = `order-${shortId()}`;
  const newAddress = { recipient: 'Li Lei', phone: '+86 138 0000 0000', line1: '88 Century Avenue', city: 'Shanghai', country: 'CN' };
  outside.orders.setOrder(api.merchantId, orderId, { shipped: false, paymentStatus: 'paid' });
  const addressCase = await create(api, 'order-issues', api.keys.channel, {
    merchantId: api.merchantId, orderId, customerRef: `cust-${shortId()}`, type: 'address_change', newAddress, policyId,
  });
  const addressCaseId: string = addressCase.id;
  await waitForView(api, 'order-issues', addressCaseId, 'awaiting the address', (v) => v.status === 'awaiting_address');
  expect(outside.orders.log.some((r) => r.method === 'GET' && r.path.endsWith(`/merchants/${encodeURIComponent(api.merchantId)}/orders/${orderId}`))).toBe(true);
  await act(api, 'order-issues', addressCaseId, 'confirm-address', api.keys.channel, {});
  const changed = await waitForView(api, 'order-issues', addressCaseId, 'closed', (v) => v.status === 'closed');
  expect(changed.outcome).toBe('address_changed');
  const changes = outside.orders.addressChanges(orderId);
  expect(changes).toEqual([expect.objectContaining({ merchantId: api.merchantId, orderId, address: newAddress })]);

  return {
    parcelCaseId, compensationCaseId, addressCaseId, refunds,
    carrierInquiries: outside.logistics.inquiries(parcelCaseId).length,
    addressChanges: changes.length,
    caseIds: [parcelCaseId, compensationCaseId, addressCaseId],
  };
}
