/**
 * Case metrics with real parts: the worker of this file runs in a Runtime that exports to Prometheus (as
 * worker/main.ts does with WORKER_METRICS_ADDRESS), and real after-sales on the dev server move the case
 * counters by exactly what they lived through (expected values below are written by hand). A worker
 * restarted mid-case (its cache gone) and reads of closed cases (each a replay of the whole history) add
 * nothing. The webhook backlog gauge of the API counts a really parked delivery. A real Prometheus loads the
 * operations files' alert rules, scrapes the worker and the API and answers PromQL over the case metrics;
 * promtool validates and unit-tests the rules; every metric the dashboard and the rules name is scraped.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_METRIC_BUCKETS } from '../../../activities/case-metrics';
import { WebhookPublisher } from '../../../activities/adapters/webhooks';
import { createApiMetrics, serveMetrics, watchWebhookQueues, type MetricsServer } from '../../../api/metrics';
import { dataConverterFrom } from '../../../worker/encryption';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { freePort, promtool, startPrometheus, type RunningPrometheus } from '../../support/prometheus';
import { temporalNamespace } from '../../support/temporal';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { parseSamples, sumOf, type Sample } from '../../unit/metrics/prom-text';
import { act, afterSaleBody, cny, createAfterSale, deadline, publishShortPolicy, waitForCase } from '../after-sale/fixtures';
import { complaintBody, createComplaint, publishComplaintPolicy, waitForComplaint } from '../complaint/fixtures';

const root = path.resolve(__dirname, '..', '..', '..');
const observability = path.join(root, 'scripts', 'topology', 'observability');
const SECRET = 'metrics-webhook-secret-0123456789';
const MAX_ATTEMPTS = 2;
const AS = { kind: 'after_sale' };

let system: CaseSystem;
let api: ApiClient;
let receiver: WebhookReceiver;
let workerMetricsUrl: string;
let backlog: MetricsServer;
const caseIds: string[] = [];
/** Cases of other kinds (the after-sales above are read back as after-sales). */
const otherIds: string[] = [];

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const answer = await fetch(url, { headers });
  expect(answer.status).toBe(200);
  return parseSamples(await answer.text());
}
const scrapeWorker = () => scrape(workerMetricsUrl);
const scrapeBacklog = () => scrape(`${backlog.url}/metrics`);
const scrapeApi = () => scrape(`${system.baseUrl}/metrics`, { authorization: 'Bearer dev-supervisor' });

/** The case metrics only (the SDK's own move with every poll). */
const caseSamples = (samples: Sample[]) => samples.filter((s) => s.name.startsWith('cs_cases_'));

/** Waits until `probe` of a fresh worker scrape holds, and returns that scrape. */
async function workerScrapeWhen(probe: (samples: Sample[]) => boolean, what: string, timeoutMs = 30_000): Promise<Sample[]> {
  return eventually(async () => {
    const samples = await scrapeWorker();
    if (!probe(samples)) throw new Error(`worker metrics: ${what} not yet`);
    return samples;
  }, { timeoutMs, intervalMs: 250 });
}

/** Deltas of named series between two scrapes. */
function deltas(before: Sample[], after: Sample[], series: Array<[string, Record<string, string>]>): Record<string, number> {
  return Object.fromEntries(series.map(([name, labels]) => [
    `${name}${JSON.stringify(labels)}`, sumOf(after, name, labels) - sumOf(before, name, labels),
  ]));
}
const expected = (rows: Array<[string, Record<string, string>, number]>) => Object.fromEntries(rows.map(([name, labels, n]) => [`${name}${JSON.stringify(labels)}`, n]));

beforeAll(async () => {
  // As worker/main.ts with WORKER_METRICS_ADDRESS: the Runtime exports to Prometheus, with the case buckets.
  const port = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}`, histogramBucketOverrides: CASE_METRIC_BUCKETS } } },
  });
  workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  receiver = await startWebhookReceiver(SECRET);
  const events = new WebhookPublisher([{ id: 'metrics-erp', merchantId: '*', url: receiver.url, secret: SECRET }], {
    timeoutMs: 2_000, delivery: { maxAttempts: MAX_ATTEMPTS, initialIntervalMs: 200, maximumIntervalMs: 400 },
  });
  system = await startCaseSystem({ name: 'case-metrics', adapters: { events } });
  api = apiClient(system.baseUrl);
  // The API process's registry has the backlog gauge (api/main.ts); here on a listener of its own.
  const metrics = createApiMetrics();
  watchWebhookQueues(metrics, { client: system.client, namespace: temporalNamespace() });
  backlog = await serveMetrics(metrics, { host: '127.0.0.1', port: 0 });
}, 600_000);

afterAll(async () => {
  await backlog?.close();
  await system?.close();
  await receiver?.close();
});

/** Waits until the receiver has every event of the case's timeline (per case, events arrive in order). */
async function allDelivered(caseId: string): Promise<void> {
  const view = await waitForCase(api, caseId, () => true);
  const last = `${caseId}:${view.timeline.length - 1}`;
  await eventually(async () => {
    if (!receiver.received.some((e) => e.id === last)) throw new Error(`${last} not delivered yet`);
  }, { timeoutMs: 30_000 });
}

describe('case counters after real after-sales', () => {
  it('merchant silent, worker restarted while the case waits: opened, warned, breached, defaulted, refunded and closed once each', async () => {
    const before = await scrapeWorker();
    const policyId = await publishShortPolicy(api, { merchantResponse: 8 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_received', policyId }));
    caseIds.push(created.id);
    await workerScrapeWhen((s) => sumOf(s, 'cs_cases_opened', AS) - sumOf(before, 'cs_cases_opened', AS) === 1, 'the case opened');
    // A new worker has no cached case: the timer's task replays the history from its start.
    await system.stopWorker();
    await system.startWorker();
    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed', 40_000);
    expect(closed.outcome).toBe('refunded');
    const after = await workerScrapeWhen((s) => sumOf(s, 'cs_cases_closed', AS) - sumOf(before, 'cs_cases_closed', AS) >= 1, 'the case closed');
    const d = { ...AS, deadline: 'merchantResponse' };
    expect(deltas(before, after, [
      ['cs_cases_opened', AS],
      ['cs_cases_deadline_warnings', d],
      ['cs_cases_deadline_breaches', d],
      ['cs_cases_timer_lateness_count', d],
      ['cs_cases_default_outcomes', { ...d, outcome: 'approved' }],
      ['cs_cases_refunds', { ...AS, result: 'succeeded' }],
      ['cs_cases_refunds', { ...AS, result: 'failed' }],
      ['cs_cases_escalations', AS],
      ['cs_cases_closed', { ...AS, outcome: 'refunded' }],
    ])).toEqual(expected([
      ['cs_cases_opened', AS, 1],
      ['cs_cases_deadline_warnings', d, 1],
      ['cs_cases_deadline_breaches', d, 1],
      ['cs_cases_timer_lateness_count', d, 1],
      ['cs_cases_default_outcomes', { ...d, outcome: 'approved' }, 1],
      ['cs_cases_refunds', { ...AS, result: 'succeeded' }, 1],
      ['cs_cases_refunds', { ...AS, result: 'failed' }, 0],
      ['cs_cases_escalations', AS, 0],
      ['cs_cases_closed', { ...AS, outcome: 'refunded' }, 1],
    ]));
    // The timer fired within seconds of its due time on this idle server (its bucket edges are the README's).
    const lateness = sumOf(after, 'cs_cases_timer_lateness_sum', d) - sumOf(before, 'cs_cases_timer_lateness_sum', d);
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(10_000);
    expect(sumOf(after, 'cs_cases_timer_lateness_bucket', { ...d, le: '+Inf' }) - sumOf(before, 'cs_cases_timer_lateness_bucket', { ...d, le: '+Inf' })).toBe(1);
    // Every hand-off wrote the case's projection row and observed how long after the change it did.
    const written = sumOf(after, 'cs_cases_projection_lag_count', AS) - sumOf(before, 'cs_cases_projection_lag_count', AS);
    expect(written).toBeGreaterThanOrEqual(3);
    expect((sumOf(after, 'cs_cases_projection_lag_sum', AS) - sumOf(before, 'cs_cases_projection_lag_sum', AS)) / written).toBeLessThan(5_000);
  }, 120_000);

  it('a refund above the authority limit waits, its approval deadline breaches and escalates the case from L2 to L3; the gateway refuses once, the retry succeeds', async () => {
    const before = await scrapeWorker();
    const policyId = await publishShortPolicy(api, { refundApproval: 3 }, { authorityLimit: 100 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'quality', policyId }));
    caseIds.push(created.id);
    system.adapters.payments.injectFaultForCase(created.id, 'refuse');
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    // The refund waiting for a second approver puts the case at L2; silence past refundApproval moves it to L3.
    await waitForCase(api, created.id, (v) => deadline(v, 'refundApproval')?.state === 'breached');
    await act(api, created.id, 'approve-refund', 'dev-supervisor', { actorRef: 'lead-9' });
    await waitForCase(api, created.id, (v) => v.status === 'refund_failed');
    await act(api, created.id, 'retry-refund', 'dev-supervisor', { actorRef: 'lead-9' });
    expect((await waitForCase(api, created.id, (v) => v.status === 'closed')).outcome).toBe('refunded');
    const after = await workerScrapeWhen((s) => sumOf(s, 'cs_cases_closed', AS) - sumOf(before, 'cs_cases_closed', AS) >= 1, 'the case closed');
    const d = { ...AS, deadline: 'refundApproval' };
    expect(deltas(before, after, [
      ['cs_cases_opened', AS],
      ['cs_cases_deadline_warnings', d],
      ['cs_cases_deadline_breaches', d],
      ['cs_cases_timer_lateness_count', d],
      ['cs_cases_escalations', { ...AS, level: 'L3' }],
      ['cs_cases_default_outcomes', AS],
      ['cs_cases_refunds', { ...AS, result: 'failed' }],
      ['cs_cases_refunds', { ...AS, result: 'succeeded' }],
      ['cs_cases_closed', { ...AS, outcome: 'refunded' }],
    ])).toEqual(expected([
      ['cs_cases_opened', AS, 1],
      ['cs_cases_deadline_warnings', d, 1],
      ['cs_cases_deadline_breaches', d, 1],
      ['cs_cases_timer_lateness_count', d, 1],
      ['cs_cases_escalations', { ...AS, level: 'L3' }, 1],
      ['cs_cases_default_outcomes', AS, 0],
      ['cs_cases_refunds', { ...AS, result: 'failed' }, 1],
      ['cs_cases_refunds', { ...AS, result: 'succeeded' }, 1],
      ['cs_cases_closed', { ...AS, outcome: 'refunded' }, 1],
    ]));
  }, 120_000);
});

describe('webhook deliveries and the backlog', () => {
  it('counts each attempt delivered or failed; a parked queue shows in the API gauge until re-delivered', async () => {
    for (const id of caseIds) await allDelivered(id);
    const parked = async () => sumOf(await scrapeBacklog(), 'cs_cases_webhook_queues', { state: 'parked' });
    const parkedBefore = await parked();
    const before = await scrapeWorker();
    const receivedBefore = receiver.received.length;
    // The next two POSTs fail: both attempts of the new case's first event, so its queue parks.
    receiver.failNext(MAX_ATTEMPTS);
    const created = await createAfterSale(api, afterSaleBody({ policyId: await publishShortPolicy(api, {}) }));
    caseIds.push(created.id);
    await eventually(async () => expect(await parked()).toBe(parkedBefore + 1), { timeoutMs: 30_000, intervalMs: 500 });
    const failed = { kind: 'after_sale', result: 'failed' };
    expect(sumOf(await scrapeWorker(), 'cs_cases_webhook_deliveries', failed) - sumOf(before, 'cs_cases_webhook_deliveries', failed)).toBe(MAX_ATTEMPTS);

    const list = await api.get(`/v1/webhooks/parked?subscriptionId=metrics-erp`, { key: 'dev-admin' });
    const delivery = (list.body.deliveries as Array<{ deliveryId: string; caseId: string }>).find((d) => d.caseId === created.id)!;
    const redeliver = await api.post(`/v1/webhooks/parked/${delivery.deliveryId}/redeliver`, {}, { key: 'dev-admin', idempotencyKey: `metrics-${created.id}` });
    expect(redeliver.status, JSON.stringify(redeliver.body)).toBe(200);
    await allDelivered(created.id);
    await eventually(async () => expect(await parked()).toBe(parkedBefore), { timeoutMs: 30_000, intervalMs: 500 });
    const after = await scrapeWorker();
    const delivered = { kind: 'after_sale', result: 'delivered' };
    // Every POST the receiver accepted since is one delivered attempt; the two it refused are the failures.
    expect(sumOf(after, 'cs_cases_webhook_deliveries', delivered) - sumOf(before, 'cs_cases_webhook_deliveries', delivered)).toBe(receiver.received.length - receivedBefore);
    expect(sumOf(after, 'cs_cases_webhook_deliveries', failed) - sumOf(before, 'cs_cases_webhook_deliveries', failed)).toBe(MAX_ATTEMPTS);
  }, 120_000);
});

describe('replays add nothing', () => {
  it('a new worker replaying every case (reads of the closed ones, an action on the open one) leaves every case counter as it was', async () => {
    const replays = (samples: Sample[]) => sumOf(samples, 'temporal_workflow_task_replay_latency_count', { workflow_type: 'afterSale' });
    // Webhook attempts and the projection's lag move with the note's event; every other case counter must stay put.
    const counters = (samples: Sample[]) => caseSamples(samples)
      .filter((x) => !x.name.startsWith('cs_cases_webhook_deliveries') && !x.name.startsWith('cs_cases_projection_lag'));
    const before = await scrapeWorker();
    await system.stopWorker();
    await system.startWorker();
    // Reads ask the workflows; the open case's next task (a note) runs on a worker that has never seen it: a replay from its start.
    for (const id of caseIds) expect((await api.get(`/v1/after-sales/${id}`, { key: 'dev-supervisor' })).status).toBe(200);
    const open = caseIds.at(-1)!;
    await act(api, open, 'add-note', 'dev-merchant-a', { note: 'parcel photos received', actorRef: 'staff-1' });
    await allDelivered(open);
    const after = await workerScrapeWhen((x) => replays(x) > replays(before), 'a replay');
    expect(counters(after)).toEqual(counters(before));
  }, 60_000);
});

describe('another kind', () => {
  it('a P1 complaint nobody answers climbs L1 → L4: each level counted once under kind complaint, every breach of its first response counted', async () => {
    const before = await scrapeWorker();
    const policyId = await publishComplaintPolicy(api, { targets: { P1: { firstResponse: 3, resolution: 3600 } } });
    const created = await createComplaint(api, complaintBody({ policyId, severity: 'high', urgency: 'high', customerTier: 'regular' }));
    otherIds.push(created.id);
    expect(created).toMatchObject({ priority: 'P1', escalationLevel: 1 });
    await waitForComplaint(api, created.id, (v) => v.escalationLevel === 4, 40_000);
    const CP = { kind: 'complaint' };
    const after = await workerScrapeWhen((s) => sumOf(s, 'cs_cases_escalations', { ...CP, level: 'L4' }) - sumOf(before, 'cs_cases_escalations', { ...CP, level: 'L4' }) === 1, 'the L4 escalation');
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect([delta('cs_cases_opened', CP), delta('cs_cases_escalations', { ...CP, level: 'L2' }), delta('cs_cases_escalations', { ...CP, level: 'L3' }), delta('cs_cases_escalations', { ...CP, level: 'L4' })])
      .toEqual([1, 1, 1, 1]);
    // Three breaches moved it up; the fourth first response (the arbiter's) may have breached too by now.
    expect(delta('cs_cases_deadline_breaches', { ...CP, deadline: 'firstResponse' })).toBeGreaterThanOrEqual(3);
    expect(delta('cs_cases_deadline_warnings', { ...CP, deadline: 'firstResponse' })).toBeGreaterThanOrEqual(3);
    expect(delta('cs_cases_timer_lateness_count', { ...CP, deadline: 'firstResponse' })).toBeGreaterThanOrEqual(3);
    // Nothing of it is counted as an after-sale.
    expect(delta('cs_cases_opened', AS)).toBe(0);
  }, 90_000);

  it('no label carries a case, order or customer id, and no merchant unless asked for', async () => {
    const samples = caseSamples(await scrapeWorker());
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      expect(Object.keys(sample.labels)).not.toContain('merchant');
      for (const value of Object.values(sample.labels)) {
        for (const id of [...caseIds, ...otherIds]) expect(value).not.toContain(id);
        expect(value).not.toMatch(/order-|cust-/);
      }
    }
  });
});

describe('surveys and the plugin counter', () => {
  it('an answered survey counts once as a score and observes it on the score histogram', async () => {
    const policyId = `metrics-survey-${randomUUID().slice(0, 8)}`;
    const seconds = (amount: number) => ({ amount, unit: 'seconds' });
    const published = await api.put(`/v1/policies/${policyId}`, {
      name: `metrics ${policyId}`, extends: 'cn-marketplace', afterSale: { authorityLimit: cny(10_000_000) },
      survey: { deadlines: { delay: seconds(1), reminder: seconds(600), expiry: seconds(3600) } },
    }, { key: 'dev-admin' });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const before = await scrapeWorker();
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_received', policyId }));
    caseIds.push(created.id);
    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await waitForCase(api, created.id, (v) => v.status === 'closed');
    // Answer once the survey waits for it, its `survey.sent` published (notice and event: two activities done, the
    // task after them completed), so the answer never races that publish (which could lose `survey.recorded`).
    const survey = system.client.workflow.getHandle(`${created.id}:survey`);
    await eventually(async () => {
      const events = (await survey.fetchHistory()).events ?? [];
      const last = (has: (e: (typeof events)[number]) => unknown) => events.reduce((found, e, i) => (has(e) ? i : found), -1);
      const completed = last((e) => e.activityTaskCompletedEventAttributes);
      const waiting = events.filter((e) => e.activityTaskCompletedEventAttributes).length >= 2
        && last((e) => e.workflowTaskCompletedEventAttributes) > completed && last((e) => e.workflowTaskScheduledEventAttributes) < last((e) => e.workflowTaskCompletedEventAttributes);
      if (!waiting) throw new Error('survey not waiting for its answer yet');
    });
    expect(system.adapters.notifications.sent(created.id, 'survey.sent')).toHaveLength(1);
    const answer = await api.post('/v1/callbacks/satisfaction', { caseId: created.id, score: 4, requestId: `metrics-${created.id}` }, { key: 'dev-channel', idempotencyKey: null });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(await survey.result()).toMatchObject({ result: 'score', score: 4 });
    const after = await workerScrapeWhen((s) => sumOf(s, 'cs_cases_surveys', AS) - sumOf(before, 'cs_cases_surveys', AS) >= 1, 'the survey recorded');
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect([
      delta('cs_cases_surveys', { ...AS, result: 'score' }), delta('cs_cases_surveys', { ...AS, result: 'no_response' }),
      delta('cs_cases_survey_score_count', AS), delta('cs_cases_survey_score_sum', AS),
      delta('cs_cases_survey_score_bucket', { ...AS, le: '3' }), delta('cs_cases_survey_score_bucket', { ...AS, le: '4' }),
    ]).toEqual([1, 0, 1, 4, 0, 1]);
  }, 90_000);

  it("the plugin's counter of payloads under an unknown key comes through the same Runtime", async () => {
    const otherKeys = JSON.stringify({ current: 'metrics-other', keys: { 'metrics-other': Buffer.alloc(32, 9).toString('base64') } });
    const stranger = new Client({ connection: system.client.connection, namespace: temporalNamespace(), dataConverter: dataConverterFrom({ CASES_ENCRYPTION_KEYS: otherKeys }) });
    const handle = await stranger.workflow.start('afterSale', { taskQueue: system.taskQueue, workflowId: `metrics-unknown-key-${Date.now()}`, args: [{ secret: 'x' }] });
    try {
      await workerScrapeWhen((s) => sumOf(s, 'cs_cases_unknown_encryption_key') >= 1, 'cs_cases_unknown_encryption_key');
    } finally {
      await handle.terminate('metrics test done').catch(() => undefined);
    }
  });
});

/** Metric names a PromQL expression reads (the product's and the SDK's; `up` is Prometheus' own). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(cs_cases_[a-z0-9_]+|temporal_[a-z0-9_]+)\b/g)].map((m) => m[1]);
}
const dashboard = () => JSON.parse(readFileSync(path.join(observability, 'grafana', 'dashboards', 'cs-cases.json'), 'utf8')) as {
  panels: Array<{ type: string; title: string; datasource?: { uid: string }; targets?: Array<{ expr: string; datasource?: { uid: string } }> }>;
};
const dashboardExprs = () => dashboard().panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const ruleExprs = () => [...readFileSync(path.join(observability, 'alerts.yml'), 'utf8').matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1]);

describe('the operations files', () => {
  it('promtool: the alert rules and prometheus.yml are valid, and the rules pass their unit tests', () => {
    expect(promtool(['check', 'rules', 'alerts.yml'], observability)).toContain('SUCCESS: 13 rules found');
    expect(promtool(['check', 'config', 'prometheus.yml'], observability)).toContain('is valid prometheus config file syntax');
    expect(promtool(['test', 'rules', 'alerts.test.yml'], observability)).toContain('SUCCESS');
  }, 900_000);

  it('every metric the dashboard and the rules name is in a real scrape of the worker or the API', async () => {
    const scraped = new Set([...(await scrapeWorker()), ...(await scrapeApi()), ...(await scrapeBacklog())].map((s) => s.name));
    const named = [...new Set([...dashboardExprs(), ...ruleExprs()].flatMap(metricNames))].sort();
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((name) => !scraped.has(name))).toEqual([]);
    // Every panel reads the datasource Grafana is provisioned with.
    const uid = /uid: (\S+)/.exec(readFileSync(path.join(observability, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'))![1];
    for (const panel of dashboard().panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe(uid);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe(uid);
    }
  });
});

describe('a real Prometheus with the alert rules', () => {
  let prometheus: RunningPrometheus | undefined;
  afterAll(async () => prometheus?.stop());

  it('scrapes the worker and the API, answers PromQL over the case metrics and every dashboard query, and evaluates every rule', async () => {
    prometheus = await startPrometheus([
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'rule_files: [alerts.yml]',
      'scrape_configs:',
      // The staff key is for the app's port; the backlog listener ignores it (as METRICS_PORT would).
      '  - job_name: cs-cases-api',
      '    authorization: { type: Bearer, credentials: dev-supervisor }',
      `    static_configs: [{ targets: ['${new URL(system.baseUrl).host}', '${new URL(backlog.url).host}'] }]`,
      '  - job_name: cs-cases-worker',
      `    static_configs: [{ targets: ['${new URL(workerMetricsUrl).host}'] }]`,
      '',
    ].join('\n'), { 'alerts.yml': readFileSync(path.join(observability, 'alerts.yml'), 'utf8') });
    const p = prometheus;
    try {
      await eventually(async () => {
        expect((await p.query('up == 1')).map((r) => r.metric.job).sort()).toEqual(['cs-cases-api', 'cs-cases-api', 'cs-cases-worker']);
      }, { timeoutMs: 60_000, intervalMs: 500 });
      // Four after-sales opened in this file (written out: merchant silent, escalated, parked webhook, surveyed).
      await eventually(async () => {
        const opened = await p.query('sum(cs_cases_opened{job="cs-cases-worker", kind="after_sale"})');
        expect(opened.map((r) => Number(r.value[1]))).toEqual([4]);
        const refunds = await p.query('sum by (result) (cs_cases_refunds{job="cs-cases-worker"})');
        expect(Object.fromEntries(refunds.map((r) => [r.metric.result, Number(r.value[1])]))).toEqual({ succeeded: 3, failed: 1 });
        expect(await p.query('max(cs_cases_webhook_queues{state="parked"})')).toHaveLength(1);
      }, { timeoutMs: 60_000, intervalMs: 1_000 });
      // Every dashboard query is valid PromQL over what is scraped.
      for (const expr of dashboardExprs()) await p.query(expr);
      await eventually(async () => {
        const { groups } = await p.api<{ groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> }>('/api/v1/rules');
        const rules = groups.flatMap((g) => g.rules);
        expect(rules).toHaveLength(13);
        expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
      }, { timeoutMs: 30_000, intervalMs: 1_000 });
      // Both targets answer: the down and absent rules are inactive.
      await eventually(async () => {
        const { groups } = await p.api<{ groups: Array<{ rules: Array<{ name: string; state?: string }> }> }>('/api/v1/rules');
        const targets = groups.flatMap((g) => g.rules).filter((r) => /Down|Absent/.test(r.name));
        expect(targets.map((r) => `${r.name} ${r.state}`).sort()).toEqual([
          'CsCasesApiAbsent inactive', 'CsCasesApiDown inactive', 'CsCasesWorkerAbsent inactive', 'CsCasesWorkerDown inactive',
        ]);
      }, { timeoutMs: 30_000, intervalMs: 1_000 });
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus said:\n${p.output().slice(-3000)}`, { cause: err });
    }
  }, 600_000);
});
