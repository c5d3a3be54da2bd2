/**
 * Metrics with real parts: the API (on the run's dev server) and the bundled worker as a process of its own
 * with WORKER_METRICS_ADDRESS. Real requests must move the API's counters by exactly their number under
 * the route template, problems by type, with no case id in any label; the worker exports the SDK's
 * metrics and the plugin's own counter; the API as a process of its own (api/main.ts) serves keyless metrics
 * on METRICS_PORT; and a real Prometheus (Debian's package, started here on a free port with a config and
 * storage of its own) scrapes them all and answers PromQL over them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataConverterFrom } from '../../../worker/encryption';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { freePort, startPrometheus, type RunningPrometheus } from '../../support/prometheus';
import { temporalAddress, temporalNamespace } from '../../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../../support/worker-process';
import { parseSamples, sumOf, type Sample } from '../../unit/metrics/prom-text';
import { afterSaleBody, createAfterSale } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let worker: WorkerProcess | undefined;
let workerMetricsUrl: string;
let caseId: string;
let apiProcess: ChildProcess | undefined;
let apiProcessOutput = '';
let apiProcessUrl: string;
let apiProcessMetricsUrl: string;

async function scrapeApi(): Promise<Sample[]> {
  const answer = await fetch(`${system.baseUrl}/metrics`, { headers: { authorization: 'Bearer dev-supervisor' } });
  expect(answer.status).toBe(200);
  return parseSamples(await answer.text());
}

async function scrapeWorker(): Promise<string> {
  const answer = await fetch(workerMetricsUrl);
  expect(answer.status).toBe(200);
  return answer.text();
}

beforeAll(async () => {
  system = await startCaseSystem({ name: 'metrics', inProcessWorker: false, temporalCallTimeoutMs: 20_000 });
  api = apiClient(system.baseUrl);
  const address = `127.0.0.1:${await freePort()}`;
  workerMetricsUrl = `http://${address}/metrics`;
  worker = startWorkerProcess({
    TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace(), TASK_QUEUE: system.taskQueue,
    WORKER_METRICS_ADDRESS: address,
    // The merchant label is off by default (case-metrics.test.ts); this process turns it on.
    CASES_METRICS_MERCHANT_LABEL: 'true',
  });
  await worker.ready;
  caseId = (await createAfterSale(api, afterSaleBody())).id as string;

  const [port, metricsPort] = [await freePort(), await freePort()];
  apiProcessUrl = `http://127.0.0.1:${port}`;
  apiProcessMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  apiProcess = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: path.resolve(__dirname, '..', '..', '..'),
    env: {
      ...process.env, TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace(), TASK_QUEUE: system.taskQueue,
      HOST: '127.0.0.1', PORT: String(port), METRICS_HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apiProcess.stdout!.on('data', (chunk: Buffer) => { apiProcessOutput += chunk.toString(); });
  apiProcess.stderr!.on('data', (chunk: Buffer) => { apiProcessOutput += chunk.toString(); });
  await eventually(async () => {
    if (apiProcess!.exitCode !== null) throw new Error(`api/main.ts exited (${apiProcess!.exitCode}):\n${apiProcessOutput}`);
    expect((await fetch(`${apiProcessUrl}/healthz`)).status).toBe(200);
  }, { timeoutMs: 60_000 });
}, 180_000);

afterAll(async () => {
  if (apiProcess && apiProcess.exitCode === null) {
    const exited = new Promise((resolve) => apiProcess!.once('exit', resolve));
    apiProcess.kill('SIGTERM');
    await exited;
  }
  await worker?.kill('SIGTERM');
  await system?.close();
});

describe('API metrics after real requests', () => {
  it('N reads of a case move its route template counter by N; a 404 problem is counted by type; no label holds the id', async () => {
    const route = '/v1/after-sales/:id';
    const before = await scrapeApi();
    const reads = 4;
    for (let i = 0; i < reads; i++) expect((await api.get(`/v1/after-sales/${caseId}`, { key: 'dev-supervisor' })).status).toBe(200);
    const missing = await api.get('/v1/after-sales/as-metrics-no-such-case', { key: 'dev-supervisor' });
    expect(missing.status).toBe(404);
    const slug = String(missing.body.type).replace('/problems/', '');
    const after = await scrapeApi();
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);

    expect(delta('cs_cases_api_requests_total', { method: 'GET', route, status: '200' })).toBe(reads);
    expect(delta('cs_cases_api_request_duration_seconds_count', { method: 'GET', route, status: '200' })).toBe(reads);
    expect(delta('cs_cases_api_requests_total', { method: 'GET', route, status: '404' })).toBe(1);
    expect(delta('cs_cases_api_problems_total', { status: '404', type: slug })).toBe(1);
    // The reads came from the case projection: none of them asked Temporal.
    expect(delta('cs_cases_api_temporal_call_duration_seconds_count', { outcome: 'ok' })).toBe(0);
    // A read that insists on the workflow does, and is timed.
    const beforeStrong = await scrapeApi();
    expect((await api.get(`/v1/after-sales/${caseId}?consistency=strong`, { key: 'dev-supervisor' })).status).toBe(200);
    const afterStrong = await scrapeApi();
    expect(sumOf(afterStrong, 'cs_cases_api_temporal_call_duration_seconds_count', { outcome: 'ok' })
      - sumOf(beforeStrong, 'cs_cases_api_temporal_call_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(sumOf(after, 'cs_cases_api_requests_total', { method: 'POST', route: '/v1/after-sales', status: '201' })).toBeGreaterThanOrEqual(1);
    for (const sample of after) {
      for (const value of Object.values(sample.labels)) {
        expect(value).not.toContain(caseId);
        expect(value).not.toContain('as-metrics-no-such-case');
      }
    }
  });
});

describe('the API process (api/main.ts) with METRICS_PORT', () => {
  it('serves keyless metrics on the separate address that count its own requests; its port still asks for a staff key', async () => {
    const route = '/v1/after-sales/:id';
    const read = async () => parseSamples(await (await fetch(apiProcessMetricsUrl)).text());
    const before = await read();
    const processApi = apiClient(apiProcessUrl);
    for (let i = 0; i < 2; i++) expect((await processApi.get(`/v1/after-sales/${caseId}`, { key: 'dev-supervisor' })).status).toBe(200);
    expect((await fetch(`${apiProcessUrl}/metrics`)).status).toBe(401);
    const after = await read();
    expect(sumOf(after, 'cs_cases_api_requests_total', { method: 'GET', route, status: '200' }) - sumOf(before, 'cs_cases_api_requests_total', { method: 'GET', route, status: '200' })).toBe(2);
    expect(sumOf(after, 'cs_cases_api_requests_total', { route: '/metrics', status: '401' })).toBeGreaterThanOrEqual(1);
    // The process's own metrics (prom-client's defaults) come with it.
    expect(after.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
  });
});

describe('the bundled worker on WORKER_METRICS_ADDRESS', () => {
  it('exports the SDK metrics after a case ran', async () => {
    const text = await eventually(async () => {
      const body = await scrapeWorker();
      for (const name of ['temporal_request', 'temporal_workflow_task_schedule_to_start_latency', 'temporal_worker_task_slots_available', 'temporal_sticky_cache_size']) {
        if (!new RegExp(`^${name}[_{ ]`, 'm').test(body)) throw new Error(`${name} not exported yet`);
      }
      return body;
    });
    const samples = parseSamples(text);
    expect(sumOf(samples, 'temporal_workflow_task_schedule_to_start_latency_count', { task_queue: system.taskQueue })).toBeGreaterThan(0);
  });

  it('exports the case metrics of its activities: the one after-sale this file opened, with its merchant as CASES_METRICS_MERCHANT_LABEL asks', async () => {
    // The case metrics of every flow are checked in case-metrics.test.ts; here, that worker/main.ts exports them.
    const samples = await eventually(async () => {
      const parsed = parseSamples(await scrapeWorker());
      if (sumOf(parsed, 'cs_cases_opened') < 1) throw new Error('cs_cases_opened not exported yet');
      return parsed;
    });
    expect(sumOf(samples, 'cs_cases_opened', { kind: 'after_sale', merchant: 'm-a', taskQueue: system.taskQueue })).toBe(1);
    // The SDK's activity tags, the kind and the merchant: nothing else.
    const allowed = ['activityType', 'kind', 'merchant', 'namespace', 'taskQueue', 'service_name'];
    for (const sample of samples.filter((x) => x.name === 'cs_cases_opened')) expect(Object.keys(sample.labels).filter((k) => !allowed.includes(k))).toEqual([]);
    for (const sample of samples.filter((x) => x.name.startsWith('cs_cases_'))) {
      for (const value of Object.values(sample.labels)) expect(value).not.toContain(caseId);
    }
  });

  it("exports the plugin's own counter once a payload under a key the worker lacks arrives", async () => {
    const otherKeys = JSON.stringify({ current: 'metrics-other', keys: { 'metrics-other': Buffer.alloc(32, 7).toString('base64') } });
    const stranger = new Client({ connection: system.client.connection, namespace: temporalNamespace(), dataConverter: dataConverterFrom({ CASES_ENCRYPTION_KEYS: otherKeys }) });
    const handle = await stranger.workflow.start('afterSale', { taskQueue: system.taskQueue, workflowId: `metrics-unknown-key-${Date.now()}`, args: [{ secret: 'x' }] });
    try {
      await eventually(async () => {
        const value = sumOf(parseSamples(await scrapeWorker()), 'cs_cases_unknown_encryption_key');
        if (!(value >= 1)) throw new Error(`cs_cases_unknown_encryption_key is ${value}`);
      });
    } finally {
      await handle.terminate('metrics test done').catch(() => undefined);
    }
  });
});

describe('a real Prometheus', () => {
  let prometheus: RunningPrometheus | undefined;
  afterAll(async () => prometheus?.stop());

  it('scrapes the API (staff key on its port, and the keyless address of the API process) and the worker, and answers PromQL', async () => {
    prometheus = await startPrometheus([
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: cs-cases-api',
      '    authorization: { type: Bearer, credentials: dev-supervisor }',
      `    static_configs: [{ targets: ['${new URL(system.baseUrl).host}'] }]`,
      '  - job_name: cs-cases-api-process',
      `    static_configs: [{ targets: ['${new URL(apiProcessMetricsUrl).host}'] }]`,
      '  - job_name: cs-cases-worker',
      `    static_configs: [{ targets: ['${new URL(workerMetricsUrl).host}'] }]`,
      '',
    ].join('\n'));
    const { query } = prometheus;
    try {
      await eventually(async () => {
        const up = await query('up == 1');
        const jobs = up.map((r) => r.metric.job).sort();
        if (jobs.join() !== 'cs-cases-api,cs-cases-api-process,cs-cases-worker') throw new Error(`up == 1 for ${jobs.join() || 'none'}`);
      }, { timeoutMs: 60_000, intervalMs: 500 });
      await eventually(async () => {
        // Reads keep coming while Prometheus samples, so the rate over the last 30 seconds rises above 0.
        expect((await api.get(`/v1/after-sales/${caseId}`, { key: 'dev-supervisor' })).status).toBe(200);
        const rate = await query('sum(rate(cs_cases_api_requests_total{route="/v1/after-sales/:id"}[30s])) > 0');
        if (rate.length !== 1) throw new Error('no request rate yet');
        const polls = await query('sum(temporal_request{job="cs-cases-worker"}) > 0');
        if (polls.length !== 1) throw new Error('no worker requests yet');
      }, { timeoutMs: 60_000, intervalMs: 1_000 });
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus said:\n${prometheus.output().slice(-3000)}`, { cause: err });
    }
  }, 600_000);
});
