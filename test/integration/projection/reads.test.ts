/**
 * Reads from the case projection: a GET after one's own action never shows an older revision; allowed
 * actions stay per caller; with every worker stopped, GET of open and closed cases, the list and reports
 * answer from the projection (and only `consistency=strong` answers 503); a closed case stays readable after
 * Temporal has removed its history; the list renders each case in its own calendar's zone; `/readyz`
 * reports workers without depending on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { parseSamples, sumOf } from '../../unit/metrics/prom-text';
import { afterSaleBody, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;
const merchant = { actorRef: 'staff-a1' };

beforeAll(async () => {
  system = await startCaseSystem({ name: 'projection-reads', temporalCallTimeoutMs: 3_000 });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
});
afterAll(async () => system?.close());

async function actWithRevision(id: string, action: string, key: string, body: Record<string, unknown> = {}): Promise<{ view: any; revision: number }> {
  const answer = await api.post(`/v1/after-sales/${id}/actions/${action}`, body, { key });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const revision = Number(answer.headers.get('case-revision'));
  expect(Number.isInteger(revision)).toBe(true);
  return { view: answer.body, revision };
}

/** Waits until the projection holds the case's latest revision (its GET says the same as the workflow's). */
async function projected(id: string, predicate: (view: any) => boolean): Promise<any> {
  return eventually(async () => {
    const answer = await api.get(`/v1/after-sales/${id}`, { key: 'dev-supervisor' });
    if (answer.status !== 200 || !answer.headers.get('case-revision') || !predicate(answer.body)) throw new Error(`not projected yet: ${answer.body?.status}`);
    return answer.body;
  });
}

describe('read-your-writes by revision', () => {
  it('each GET right after an action shows that action\'s revision or a later one, never an older state', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    const steps: Array<[string, string, Record<string, unknown>, string]> = [
      ['approve', 'dev-merchant-a', merchant, 'awaiting_buyer_return'],
      ['ship-return', 'dev-channel', { trackingNumber: 'SF1234567890', carrier: 'SF' }, 'awaiting_merchant_receipt'],
      ['add-note', 'dev-channel', { note: 'parcel handed to the courier' }, 'awaiting_merchant_receipt'],
    ];
    let last = -1;
    for (const [action, key, body, status] of steps) {
      const { view, revision } = await actWithRevision(created.id, action, key, body);
      expect(view.status).toBe(status);
      expect(revision).toBeGreaterThan(last);
      last = revision;
      const read = await api.get(`/v1/after-sales/${created.id}`, { key });
      expect(read.status).toBe(200);
      expect(Number(read.headers.get('case-revision'))).toBeGreaterThanOrEqual(revision);
      expect(read.body.status).toBe(status);
      expect(read.body.timeline.length).toBeGreaterThanOrEqual(view.timeline.length);
    }
    // Any other caller's read right after an action is no older either: the API wrote the row before answering.
    const { view: approvedAgain, revision: noted } = await actWithRevision(created.id, 'add-note', 'dev-merchant-a', { note: 'checked the label', actorRef: 'staff-a1' });
    const other = await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-channel' });
    expect(Number(other.headers.get('case-revision'))).toBeGreaterThanOrEqual(noted);
    expect(other.body.timeline.length).toBeGreaterThanOrEqual(approvedAgain.timeline.length);
    last = noted;
    // Another caller may ask for the revision it was told about.
    const asked = await api.get(`/v1/after-sales/${created.id}?minRevision=${last}`, { key: 'dev-supervisor' });
    expect(asked.status).toBe(200);
    expect(Number(asked.headers.get('case-revision'))).toBeGreaterThanOrEqual(last);
  });

  it('refuses a malformed consistency or revision (400)', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    for (const query of ['consistency=maybe', 'minRevision=-1', 'minRevision=abc', 'other=1']) {
      const answer = await api.get(`/v1/after-sales/${created.id}?${query}`, { key: 'dev-supervisor' });
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('allowed actions stay per caller', () => {
  it('the projection answers each role the actions the workflow itself allows it', async () => {
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await projected(created.id, (v) => v.status === 'awaiting_merchant');
    const byKey: Record<string, string[]> = {};
    for (const key of ['dev-merchant-a', 'dev-channel', 'dev-agent', 'dev-supervisor', 'dev-arbiter']) {
      const eventual = await api.get(`/v1/after-sales/${created.id}`, { key });
      const strong = await api.get(`/v1/after-sales/${created.id}?consistency=strong`, { key });
      expect(eventual.status).toBe(200);
      expect(strong.status).toBe(200);
      expect(eventual.headers.get('case-revision')).not.toBeNull();
      expect(strong.headers.get('case-revision')).toBeNull();
      expect([...eventual.body.allowedActions].sort(), key).toEqual([...strong.body.allowedActions].sort());
      byKey[key] = eventual.body.allowedActions;
    }
    // Awaiting the merchant: the merchant may approve; the buyer's channel may not.
    expect(byKey['dev-merchant-a']).toContain('approve');
    expect(byKey['dev-channel']).not.toContain('approve');
    expect(byKey['dev-channel']).toContain('withdraw');
  });
});

describe('with every worker stopped', () => {
  let open: any;
  let closed: any;

  beforeAll(async () => {
    open = await createAfterSale(api, afterSaleBody({ policyId }));
    closed = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_as_described', policyId }));
    await actWithRevision(closed.id, 'approve', 'dev-merchant-a', merchant);
    await waitForCase(api, closed.id, (v) => v.status === 'closed');
    await projected(closed.id, (v) => v.status === 'closed' && v.outcome === 'refunded');
    await projected(open.id, (v) => v.status === 'awaiting_merchant');
    await system.stopWorker();
  });
  afterAll(async () => system.startWorker());

  it('GET of an open and of a closed case answers at once from the projection', async () => {
    for (const [id, status] of [[open.id, 'awaiting_merchant'], [closed.id, 'closed']] as const) {
      const started = Date.now();
      const answer = await api.get(`/v1/after-sales/${id}`, { key: 'dev-merchant-a' });
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe(status);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });

  it('the list and the service-level report answer from the projection', async () => {
    const list = await api.get('/v1/cases?merchantId=m-a&kind=after_sale&pageSize=200', { key: 'dev-supervisor' });
    expect(list.status).toBe(200);
    const ids = list.body.cases.map((c: any) => c.id);
    expect(ids).toEqual(expect.arrayContaining([open.id, closed.id]));
    // The order a case was opened for filters the list (the column comes from the case, not a search attribute).
    const byOrder = await api.get(`/v1/cases?orderId=${open.orderId}`, { key: 'dev-supervisor' });
    expect(byOrder.body.cases.map((c: any) => c.id)).toEqual([open.id]);
    const report = await api.get('/v1/reports/service-levels?merchantId=m-a', { key: 'dev-supervisor' });
    expect(report.status).toBe(200);
    expect(report.body.truncated).toBe(false);
    expect(report.body.merchants[0].cases).toBeGreaterThanOrEqual(2);
  });

  it('a create under a custom policy, and a read of that policy, need no worker either', async () => {
    const started = Date.now();
    const created = await api.post('/v1/after-sales', afterSaleBody({ policyId }), { key: 'dev-channel' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'awaiting_merchant', policy: { id: policyId, version: 1 } });
    expect(Date.now() - started).toBeLessThan(2_000);
    const policy = await api.get(`/v1/policies/${policyId}`, { key: 'dev-admin' });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    const versions = await api.get(`/v1/policies/${policyId}/versions`, { key: 'dev-admin' });
    expect(versions.status, JSON.stringify(versions.body)).toBe(200);
    expect(versions.body.versions.map((v: any) => v.version)).toEqual([1]);
    // The new case reads and lists at once, for its creator and anyone else: its first row came with the 201.
    for (const key of ['dev-channel', 'dev-merchant-a']) {
      const read = await api.get(`/v1/after-sales/${created.body.id}`, { key });
      expect(read.status, key).toBe(200);
      expect(read.body).toMatchObject({ id: created.body.id, status: 'awaiting_merchant' });
    }
    expect((await api.get(`/v1/after-sales/${created.body.id}`, { key: 'dev-merchant-a' })).body.allowedActions).toContain('approve');
    const listed = await api.get(`/v1/cases?orderId=${created.body.orderId}`, { key: 'dev-supervisor' });
    expect(listed.body.cases.map((c: any) => c.id)).toEqual([created.body.id]);
  });

  it('only a read that insists on the workflow itself answers 503, with retry-after', async () => {
    const answer = await api.get(`/v1/after-sales/${open.id}?consistency=strong`, { key: 'dev-supervisor' });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('records outlive Temporal\'s retention', () => {
  it('a closed case whose history the server removed is still read from the projection; a case never known is 404', async () => {
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_as_described', policyId }));
    await actWithRevision(created.id, 'approve', 'dev-merchant-a', merchant);
    await projected(created.id, (v) => v.status === 'closed' && v.outcome === 'refunded');
    // What the namespace's retention does once it passes: the execution and its history are deleted (the dev
    // server takes some seconds to carry out a delete).
    // (A case still inside a post-close window is ended first; this one's workflow may have finished already.)
    await system.client.workflow.getHandle(created.id).terminate('retention passed (test)').catch(() => undefined);
    await system.client.workflowService.deleteWorkflowExecution({ namespace: system.client.options.namespace, workflowExecution: { workflowId: created.id } });
    await eventually(async () => {
      const gone = await system.client.workflow.getHandle(created.id).describe().then(() => false, () => true);
      if (!gone) throw new Error('history not deleted yet');
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    const answer = await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-merchant-a' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: created.id, status: 'closed', outcome: 'refunded' });
    const unknown = await api.get(`/v1/after-sales/as_${'0'.repeat(24)}`, { key: 'dev-merchant-a' });
    expect(unknown.status).toBe(404);
  });
});

describe('the list renders each case in its own calendar\'s zone', () => {
  it('an eu-14day case in Central European Time, a cn-marketplace one in China Standard Time', async () => {
    const eu = await api.post('/v1/after-sales', afterSaleBody({
      merchantId: 'm-b', policyId: 'eu-14day',
      items: [{ sku: 'shoe-42', quantity: 1, unitPrice: { amount: 5_000, currency: 'EUR' } }],
      order: { paidTotal: { amount: 5_500, currency: 'EUR' }, shippingFee: { amount: 500, currency: 'EUR' }, deliveredAt: new Date(Date.now() - 86_400_000).toISOString() },
    }), { key: 'dev-channel' });
    expect(eu.status, JSON.stringify(eu.body)).toBe(201);
    const cn = await createAfterSale(api, afterSaleBody({ merchantId: 'm-b' }));
    const items = await eventually(async () => {
      const list = await api.get('/v1/cases?merchantId=m-b&pageSize=200', { key: 'dev-supervisor' });
      const found = [eu.body.id, cn.id].map((id) => list.body.cases.find((c: any) => c.id === id));
      if (found.some((c) => !c)) throw new Error('not listed yet');
      return found;
    });
    // 27 November: Berlin is on +01:00 (winter time), Shanghai on +08:00 all year.
    expect(items[0]).toMatchObject({ timeZone: 'Europe/Berlin' });
    expect(items[0].startedAt).toMatch(/\+01:00$/);
    expect(items[0].nextDeadline).toMatch(/\+01:00$/);
    expect(items[1]).toMatchObject({ timeZone: 'Asia/Shanghai' });
    expect(items[1].startedAt).toMatch(/\+08:00$/);
  });
});

describe('/readyz', () => {
  it('is ready with workers polling, and names the projection', async () => {
    const answer = await api.get('/readyz');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ready', workers: 'polling', projection: 'postgres' });
    expect(answer.body.pollers).toBeGreaterThanOrEqual(1);
    expect(Date.parse(answer.body.lastPollAt)).toBeGreaterThan(Date.now() - 75_000);
  });

  it('is ready without any worker, and says so', async () => {
    const workerless = await startCaseSystem({ name: 'projection-no-worker', inProcessWorker: false });
    try {
      const answer = await apiClient(workerless.baseUrl).get('/readyz');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ready', workers: 'none', pollers: 0, lastPollAt: null, projection: 'postgres' });
    } finally {
      await workerless.close();
    }
  });

  it('is not ready when the projection\'s database does not answer (503, problem+json)', async () => {
    const broken = await startCaseSystem({ name: 'projection-down', inProcessWorker: false });
    try {
      await broken.projection.close();
      const answer = await apiClient(broken.baseUrl).get('/readyz');
      expect(answer.status).toBe(503);
      expect(answer.body.type).toMatch(/\/problems\/projection-unavailable$/);
    } finally {
      await broken.close();
    }
  });
});

describe('open cases by whose move it is (API metrics)', () => {
  it('cs_cases_open counts cases from the projection by kind, owner role and breach', async () => {
    const scrape = async () => parseSamples(await (await fetch(`${system.baseUrl}/metrics`, { headers: { authorization: 'Bearer dev-supervisor' } })).text());
    const waitingOnMerchant = { kind: 'after_sale', owner_role: 'merchant', breached: 'false' };
    const before = sumOf(await scrape(), 'cs_cases_open', waitingOnMerchant);
    const created = [await createAfterSale(api, afterSaleBody({ policyId })), await createAfterSale(api, afterSaleBody({ policyId }))];
    for (const c of created) await projected(c.id, (v) => v.status === 'awaiting_merchant');
    expect(sumOf(await scrape(), 'cs_cases_open', waitingOnMerchant) - before).toBe(2);
    // One approved: it is the buyer's move now.
    await actWithRevision(created[0].id, 'approve', 'dev-merchant-a', merchant);
    await projected(created[0].id, (v) => v.status === 'awaiting_buyer_return');
    const after = await scrape();
    expect(sumOf(after, 'cs_cases_open', waitingOnMerchant) - before).toBe(1);
    expect(sumOf(after, 'cs_cases_open', { kind: 'after_sale', owner_role: 'channel', breached: 'false' })).toBeGreaterThanOrEqual(1);
  });
});
