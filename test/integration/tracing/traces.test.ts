/**
 * Traces with real parts: the API (api/main.ts) and the bundled worker (worker/main.ts) as processes of their
 * own on the run's dev server, each told the OTLP endpoint of a receiver started here (the API sends JSON,
 * the worker protobuf). One create and one action of an inquiry, both sent with the same W3C trace
 * context, must come back as one trace: HTTP span → StartWorkflow → RunWorkflow → StartActivity →
 * RunActivity, and HTTP span → StartWorkflowUpdate → ValidateUpdate and HandleUpdate, with no case data in
 * any span; its history replays. A case started by an API without tracing stays untraced on the traced
 * worker; a worker without tracing behind a traced API exports nothing and logs no unregistered sink; and a
 * system built without tracing exports nothing and installs nothing in its process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../../scripts/lib/dev-server';
import { developmentKeyring } from '../../../worker/encryption';
import { createCasesPlugin } from '../../../worker/plugin';
import { createSandboxAdapters } from '../../../worker/sandbox';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../../support/worker-process';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

const root = path.resolve(__dirname, '..', '..', '..');
const API_SERVICE = 'cs-cases-api-tracing-test';
const WORKER_SERVICE = 'cs-cases-worker-tracing-test';
const SERVER = 2;

// Case data the requests carry: none of it may appear in any span.
const CUSTOMER_REF = `cust-trace-${randomBytes(3).toString('hex')}`;
const QUESTION = 'does the 42 fit a very wide foot? asking for my uncle';
const CLOSE_REASON = 'customer went quiet after the sizing answer';
/** Every attribute key a span may carry (hand-written: route template and status, Temporal ids and names). */
const ALLOWED_ATTRIBUTES = [
  'http.request.method', 'http.route', 'http.response.status_code', 'error.type',
  'temporalWorkflowId', 'run_id', 'temporalUpdateId', 'temporalActivityId',
  'workflowId', 'runId', 'workflowType', 'taskQueue', 'namespace',
];

const inquiryBody = () => ({
  merchantId: 'm-a', customerRef: CUSTOMER_REF, channel: 'chat', topic: 'sizing', question: QUESTION, productSkus: ['shoe-42'],
});
const newTraceId = () => randomBytes(16).toString('hex');
const newSpanId = () => randomBytes(8).toString('hex');
const traceparent = (traceId: string, parentSpanId: string) => ({ traceparent: `00-${traceId}-${parentSpanId}-01` });

let receiver: OtlpReceiver;
let system: CaseSystem;
let worker: WorkerProcess | undefined;
let tracedApi: ApiClient;

interface ApiProcess { child: ChildProcess; url: string; output(): string }
const apiProcesses: ApiProcess[] = [];

/** api/main.ts as a process of its own with `env`, once it answers /healthz. */
async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const [port] = await freePorts('127.0.0.1', 1);
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const api = { child, url: `http://127.0.0.1:${port}`, output: () => output };
  apiProcesses.push(api);
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`api/main.ts exited (${child.exitCode}):\n${output}`);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  }, { timeoutMs: 60_000 });
  return api;
}

/** Settings every process here gets: the run's server, quick span batches, no tracing switch inherited. */
const commonEnv = (taskQueue: string) => ({
  TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace(), TASK_QUEUE: taskQueue, OTEL_SDK_DISABLED: '', OTEL_TRACES_EXPORTER: '', OTEL_BSP_SCHEDULE_DELAY: '100',
});
/** The traced API: the general endpoint (the exporter adds /v1/traces), JSON. */
const tracedApiEnv = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: API_SERVICE,
});

/** Opens an inquiry and closes it (so its workflow ends and its RunWorkflow span is exported); returns its id. */
async function openAndClose(api: ApiClient, traceId: string, parents: { create: string; close: string }): Promise<string> {
  const created = await api.post('/v1/inquiries', inquiryBody(), { key: 'dev-channel', headers: traceparent(traceId, parents.create) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const closed = await api.post(`/v1/inquiries/${id}/actions/close`, { reason: CLOSE_REASON }, { key: 'dev-agent', headers: traceparent(traceId, parents.close) });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  return id;
}

async function waitForWorkflowEnd(id: string): Promise<void> {
  await eventually(async () => {
    const { status } = await system.client.workflow.getHandle(id).describe();
    if (status.name !== 'COMPLETED') throw new Error(`${id} is ${status.name}`);
  }, { timeoutMs: 60_000 });
}

/** Spans that name the case `id` in their attributes. */
const spansOfCase = (id: string) => receiver.spans().filter((span) => span.attributes.workflowId === id || span.attributes.temporalWorkflowId === id);

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startCaseSystem({ name: 'tracing', inProcessWorker: false, temporalCallTimeoutMs: 20_000 });
  // The worker: the signal-specific endpoint, protobuf (the OTLP default, said explicitly).
  worker = startWorkerProcess({
    ...commonEnv(system.taskQueue), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: WORKER_SERVICE,
  });
  await worker.ready;
  tracedApi = apiClient((await startApiProcess({ ...commonEnv(system.taskQueue), ...tracedApiEnv() })).url);
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(`API output:\n${apiProcesses.map((api) => api.output()).join('\n')}\nworker output:\n${worker?.output()}\nspans received:\n${receiver.spans().map((s) => `${s.traceId} ${s.parentSpanId || '-'} → ${s.spanId} ${s.name} [${s.service}]`).join('\n')}`);
});

afterAll(async () => {
  for (const { child } of apiProcesses) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await worker?.kill('SIGTERM');
  await system?.close();
  await receiver?.close();
});

describe('an inquiry opened and closed through the traced API and worker', () => {
  let traceId: string;
  let parents: { create: string; close: string };
  let caseId: string;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    traceId = newTraceId();
    parents = { create: newSpanId(), close: newSpanId() };
    caseId = await openAndClose(tracedApi, traceId, parents);
    // The RunWorkflow span ends with the workflow: wait for every kind of span to arrive.
    spans = await eventually(async () => {
      const mine = receiver.spans().filter((span) => span.traceId === traceId);
      const names = new Set(mine.map((span) => span.name));
      for (const name of ['POST /v1/inquiries', 'StartWorkflow:inquiry', 'RunWorkflow:inquiry', 'StartActivity:handOffCaseEventsInline', 'RunActivity:handOffCaseEventsInline',
        'POST /v1/inquiries/:id/actions/close', 'StartWorkflowUpdate:act', 'ValidateUpdate:act', 'HandleUpdate:act']) {
        if (!names.has(name)) throw new Error(`no ${name} span yet (have: ${[...names].join(', ')})`);
      }
      return mine;
    }, { timeoutMs: 90_000, intervalMs: 500 });
  }, 150_000);

  const only = (name: string): ReceivedSpan => {
    const found = spans.filter((span) => span.name === name);
    expect(found.map((span) => span.name), name).toEqual([name]);
    return found[0];
  };

  it('the create: HTTP span (caller’s context as parent) → StartWorkflow → RunWorkflow → StartActivity → RunActivity', () => {
    const http = only('POST /v1/inquiries');
    expect(http).toMatchObject({ parentSpanId: parents.create, kind: SERVER, service: API_SERVICE, encoding: 'json' });
    expect(http.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/v1/inquiries', 'http.response.status_code': 201 });

    const start = only('StartWorkflow:inquiry');
    expect(start).toMatchObject({ parentSpanId: http.spanId, service: API_SERVICE });
    expect(start.attributes.temporalWorkflowId).toBe(caseId);

    const run = only('RunWorkflow:inquiry');
    expect(run).toMatchObject({ parentSpanId: start.spanId, service: WORKER_SERVICE, encoding: 'protobuf' });
    expect(run.attributes).toMatchObject({ workflowId: caseId, workflowType: 'inquiry', taskQueue: system.taskQueue });

    const scheduled = spans.filter((span) => span.name === 'StartActivity:handOffCaseEventsInline');
    expect(scheduled.length).toBeGreaterThanOrEqual(1);
    for (const span of scheduled) expect(span).toMatchObject({ parentSpanId: run.spanId, service: WORKER_SERVICE });
    const ran = spans.filter((span) => span.name === 'RunActivity:handOffCaseEventsInline');
    expect(ran.length).toBeGreaterThanOrEqual(1);
    for (const span of ran) {
      expect(scheduled.map((s) => s.spanId)).toContain(span.parentSpanId);
      expect(span).toMatchObject({ service: WORKER_SERVICE, attributes: { temporalWorkflowId: caseId } });
    }
  });

  it('the action: HTTP span (caller’s context as parent) → StartWorkflowUpdate → ValidateUpdate and HandleUpdate in the workflow', () => {
    const http = only('POST /v1/inquiries/:id/actions/close');
    expect(http).toMatchObject({ parentSpanId: parents.close, kind: SERVER, service: API_SERVICE });
    expect(http.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/v1/inquiries/:id/actions/close', 'http.response.status_code': 200 });

    const update = only('StartWorkflowUpdate:act');
    expect(update).toMatchObject({ parentSpanId: http.spanId, service: API_SERVICE });
    expect(update.attributes.temporalWorkflowId).toBe(caseId);
    expect(typeof update.attributes.temporalUpdateId).toBe('string');
    for (const name of ['ValidateUpdate:act', 'HandleUpdate:act']) {
      const handler = only(name);
      expect(handler).toMatchObject({ parentSpanId: update.spanId, service: WORKER_SERVICE, attributes: { workflowId: caseId, temporalUpdateId: update.attributes.temporalUpdateId } });
    }
  });

  it('its history (trace context in the start and Update headers) replays without non-determinism', async () => {
    const history = await system.client.workflow.getHandle(caseId).fetchHistory();
    await Worker.runReplayHistory({ plugins: [createCasesPlugin({ ...createSandboxAdapters(), encryptionKeys: developmentKeyring() })], replayName: 'traced-inquiry' }, history, caseId);
  });

  it('no span carries case data: only allowed attribute keys, no customer reference, question or reason, no id in a name', () => {
    const all = receiver.spans();
    expect(all.length).toBeGreaterThan(0);
    for (const span of all) {
      expect(ALLOWED_ATTRIBUTES, `${span.name} attributes`).toEqual(expect.arrayContaining(Object.keys(span.attributes)));
      for (const event of span.events) expect(Object.keys(event.attributes).filter((key) => key !== 'exception.type'), `${span.name} event ${event.name}`).toEqual([]);
      expect(span.status.message, `${span.name} status message`).toBeUndefined();
      expect(span.name).not.toContain(caseId);
      const text = JSON.stringify(span);
      for (const secret of [CUSTOMER_REF, QUESTION, CLOSE_REASON]) expect(text, span.name).not.toContain(secret);
    }
  });
});

describe('what the API leaves untraced', () => {
  it('health probes (polled above until the API answered) and metrics scrapes make no span', () => {
    expect(receiver.spans().filter((span) => /^GET \/(healthz|readyz|metrics)$/.test(span.name))).toEqual([]);
    expect(receiver.spans().filter((span) => span.service === API_SERVICE).length).toBeGreaterThan(0);
  });
});

describe('a case started without trace context', () => {
  it('stays untraced on the traced worker: no workflow or activity span names it', async () => {
    // The API of the case system has no tracing: it ignores the caller's traceparent and sends no context.
    const traceId = newTraceId();
    const id = await openAndClose(apiClient(system.baseUrl), traceId, { create: newSpanId(), close: newSpanId() });
    await waitForWorkflowEnd(id);
    // The worker exports within 100 ms of a span's end; give it ten times that.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.spans().filter((span) => span.traceId === traceId)).toEqual([]);
    expect(spansOfCase(id)).toEqual([]);
  });
});

describe('a traced API in front of a worker without tracing (no endpoint)', () => {
  let untracedWorker: WorkerProcess | undefined;
  afterAll(async () => untracedWorker?.kill('SIGTERM'));

  it('the API traces its side; the worker exports nothing and drops what the workflow reports, without an unregistered-sink error', async () => {
    const taskQueue = uniqueTaskQueue('tracing-mixed');
    untracedWorker = startWorkerProcess({ ...commonEnv(taskQueue), OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_SERVICE_NAME: 'cs-cases-worker-untraced' });
    await untracedWorker.ready;
    const api = await startApiProcess({ ...commonEnv(taskQueue), ...tracedApiEnv() });
    const traceId = newTraceId();
    const id = await openAndClose(apiClient(api.url), traceId, { create: newSpanId(), close: newSpanId() });
    await waitForWorkflowEnd(id);
    const names = await eventually(async () => {
      const mine = receiver.spans().filter((span) => span.traceId === traceId).map((span) => span.name);
      if (!mine.includes('StartWorkflowUpdate:act')) throw new Error(`API spans not here yet: ${mine.join(', ')}`);
      return mine;
    });
    expect(names).toEqual(expect.arrayContaining(['POST /v1/inquiries', 'StartWorkflow:inquiry', 'POST /v1/inquiries/:id/actions/close', 'StartWorkflowUpdate:act']));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.spans().filter((span) => span.traceId === traceId && span.service !== API_SERVICE)).toEqual([]);
    expect(untracedWorker.output()).not.toMatch(/unregistered external sink/i);
    expect(untracedWorker.output()).not.toContain('traces to');
  });
});

describe('a system built without tracing (no endpoint: the embedding default)', () => {
  let untraced: CaseSystem | undefined;
  afterAll(async () => untraced?.close());

  it('exports nothing and installs no global tracer provider, propagator or context manager in its process', async () => {
    untraced = await startCaseSystem({ name: 'tracing-off' });
    const traceId = newTraceId();
    const id = await openAndClose(apiClient(untraced.baseUrl), traceId, { create: newSpanId(), close: newSpanId() });
    await eventually(async () => {
      const { status } = await untraced!.client.workflow.getHandle(id).describe();
      if (status.name !== 'COMPLETED') throw new Error(`${id} is ${status.name}`);
    }, { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.spans().filter((span) => span.traceId === traceId)).toEqual([]);
    expect(spansOfCase(id)).toEqual([]);

    // This test process ran the untraced API and worker: the OpenTelemetry API is still all no-ops here.
    expect(propagation.fields()).toEqual([]);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: newSpanId(), traceFlags: 1 });
    expect(context.with(parent, () => trace.getSpanContext(context.active()))).toBeUndefined();
  });
});
