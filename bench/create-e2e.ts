/**
 * Parts (a) and (b) under one telemetry configuration: a worker process and an API process started with
 * metrics and tracing on or off, then (a) create over HTTP against raw start in interleaved runs (load
 * generator in its own process, CPU per process meanwhile), timer lateness of cases whose default outcome
 * falls during those runs, and (b) whole after-sales against the trivial workflow.
 */
import type { Client } from '@temporalio/client';
import type { CaseProjection } from '../activities/projection';
import { startWorkerProcess } from '../test/support/worker-process';
import { cpuProbe, runLoad, spawnTs, withDescendants, type Child } from './processes';
import { quickPolicy, rawStart } from './requests';
import { percentile, round, spread } from './stats';
import type { LoadResult } from './loadgen';

export interface BenchContext {
  client: Client;
  address: string;
  serverPid: number;
  postgresPid: number;
  trivialPid: number;
  sinkUrl: string;
  log(m: string): void;
}

export interface Telemetry {
  name: 'off' | 'on';
  metricsAddress?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the API process and the worker process of one configuration; on: Prometheus metrics and OTLP traces. */
export async function startSystem(ctx: BenchContext, o: { taskQueue: string; databaseUrl: string; telemetry: Telemetry }) {
  const otel: Record<string, string> = o.telemetry.name === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.sinkUrl } : {};
  const metrics: Record<string, string> = o.telemetry.metricsAddress ? { WORKER_METRICS_ADDRESS: o.telemetry.metricsAddress } : {};
  // The worker's heap bounded as compose runs it (README "Configuration", NODE_OPTIONS).
  const worker = startWorkerProcess({
    TEMPORAL_ADDRESS: ctx.address, TASK_QUEUE: o.taskQueue, WORKER_LOG_LEVEL: 'ERROR', PROJECTION_DATABASE_URL: o.databaseUrl,
    NODE_OPTIONS: '--max-old-space-size=512', ...otel, ...metrics,
  });
  const api: Child = spawnTs('bench/api-server.ts', [], { TEMPORAL_ADDRESS: ctx.address, TASK_QUEUE: o.taskQueue, PROJECTION_DATABASE_URL: o.databaseUrl, ...otel }, 'LISTENING ');
  await worker.ready;
  const url = await api.line;
  return { worker, api, url, async stop() { await api.stop(); await worker.kill('SIGTERM'); } };
}

/** Until the worker has worked off what is queued: a marker case started now shows up in the projection. */
export async function drain(ctx: BenchContext, projection: CaseProjection, taskQueue: string, limitMs = 600_000): Promise<number> {
  const t0 = performance.now();
  const marker = await rawStart(ctx.client, { taskQueue, merchantId: 'm-marker' });
  while (performance.now() - t0 < limitMs && (await projection.revisionOf(marker)) === null) await sleep(250);
  return round((performance.now() - t0) / 1000, 1);
}

export interface CreateSizes { runs: number; createSeconds: number; concurrency: number; e2eCases: number; e2eRuns: number; latenessPerSecond: number }

export async function createAndEndToEnd(ctx: BenchContext, projection: CaseProjection, databaseUrl: string, telemetry: Telemetry, sizes: CreateSizes) {
  const taskQueue = `bench-cases-${telemetry.name}`;
  const system = await startSystem(ctx, { taskQueue, databaseUrl, telemetry });
  const groups = {
    api: () => [system.api.pid], worker: () => [system.worker.pid], temporalServer: () => [ctx.serverPid],
    postgres: () => withDescendants(ctx.postgresPid), bench: () => [process.pid],
  };
  // With telemetry on, both metrics endpoints are scraped every 5 s, as a Prometheus would.
  let scrapes = 0;
  const scraper = telemetry.metricsAddress ? setInterval(() => {
    void Promise.all([
      fetch(`http://${telemetry.metricsAddress}/metrics`).then((r) => r.text()),
      fetch(`${system.url}/metrics`, { headers: { authorization: 'Bearer dev-supervisor' } }).then((r) => r.text()),
    ]).then(() => { scrapes += 1; }, () => undefined);
  }, 5_000) : undefined;
  const one = async (mode: 'create' | 'raw', seconds: number, lateness: string[]) => {
    let probe: ReturnType<typeof cpuProbe> | undefined;
    // Cases whose merchant stays silent 2 s: their default outcome is due while the creates run.
    let trickle: NodeJS.Timeout | undefined;
    const result: LoadResult = await runLoad({ mode, concurrency: sizes.concurrency, seconds, url: system.url, address: ctx.address, taskQueue }, () => {
      probe = cpuProbe(groups);
      trickle = setInterval(() => { void rawStart(ctx.client, { taskQueue, policy: quickPolicy(2), type: 'refund_only', merchantId: 'm-late' }).then((id) => lateness.push(id), () => undefined); }, 1000 / sizes.latenessPerSecond);
    });
    clearInterval(trickle);
    const cpu = probe!.stop({ loadgen: result.cpuSeconds });
    const drainSeconds = await drain(ctx, projection, taskQueue);
    ctx.log(`(a ${telemetry.name}) ${mode}: ${result.rps}/s p50 ${result.p50Ms} p99 ${result.p99Ms} errors ${result.errors} · cpu ${JSON.stringify(cpu.cores)} others ${cpu.otherCores} · drained in ${drainSeconds} s`);
    return { ...result, cpu, drainSeconds };
  };

  ctx.log(`(a ${telemetry.name}) warm-up`);
  await one('create', 3, []);
  await one('raw', 3, []);
  const pairs: { http: Awaited<ReturnType<typeof one>>; raw: Awaited<ReturnType<typeof one>> }[] = [];
  const latenessIds: string[] = [];
  for (let i = 0; i < sizes.runs; i++) {
    // Interleaved, the order alternating, so drift of the shared machine falls on both sides.
    const first = i % 2 === 0 ? 'create' : 'raw';
    const a = await one(first, sizes.createSeconds, latenessIds);
    const b = await one(first === 'create' ? 'raw' : 'create', sizes.createSeconds, latenessIds);
    pairs.push(first === 'create' ? { http: a, raw: b } : { http: b, raw: a });
  }
  const lateness = await latenessOf(projection, latenessIds);
  ctx.log(`(a ${telemetry.name}) lateness ${JSON.stringify(lateness)}`);

  const e2e = [];
  const sample: Record<string, string[]> = {};
  for (let r = 0; r < sizes.e2eRuns; r++) {
    const order = r % 2 === 0 ? ['afterSale', 'trivial'] as const : ['trivial', 'afterSale'] as const;
    const seconds: Record<string, number> = {};
    const cpu: Record<string, unknown> = {};
    for (const which of order) {
      const probe = cpuProbe({ ...groups, trivialWorker: () => [ctx.trivialPid] });
      seconds[which] = await batch(ctx, which, taskQueue, sizes.e2eCases, sample);
      cpu[which] = probe.stop();
    }
    e2e.push({ afterSaleSeconds: seconds.afterSale, trivialSeconds: seconds.trivial, ratio: round(seconds.trivial / seconds.afterSale, 3), cpu });
    ctx.log(`(b ${telemetry.name}) run ${r + 1}: after-sale ${seconds.afterSale} s, trivial ${seconds.trivial} s → ${round(seconds.trivial / seconds.afterSale, 3)}`);
    await drain(ctx, projection, taskQueue);
  }
  const perCase = { afterSale: await tasksPerCase(ctx, sample.afterSale ?? []), trivial: await tasksPerCase(ctx, sample.trivial ?? []) };
  ctx.log(`(b ${telemetry.name}) per case: ${JSON.stringify(perCase)}`);
  if (scraper) clearInterval(scraper);
  await system.stop();

  const rel = (f: (p: (typeof pairs)[number]) => number) => spread(pairs.map(f));
  return {
    telemetry: telemetry.name,
    create: {
      runs: pairs.length, seconds: sizes.createSeconds, concurrency: sizes.concurrency,
      httpRps: rel((p) => p.http.rps), rawRps: rel((p) => p.raw.rps),
      throughputRatio: rel((p) => p.http.rps / p.raw.rps),
      httpP50Ms: rel((p) => p.http.p50Ms), rawP50Ms: rel((p) => p.raw.p50Ms),
      httpP99Ms: rel((p) => p.http.p99Ms), rawP99Ms: rel((p) => p.raw.p99Ms),
      addedP99Ms: rel((p) => p.http.p99Ms - p.raw.p99Ms),
      errors: pairs.reduce((n, p) => n + p.http.errors + p.raw.errors, 0),
      pairs,
    },
    timerLateness: lateness,
    endToEnd: {
      cases: sizes.e2eCases, ratio: spread(e2e.map((r) => r.ratio)),
      afterSalePerSecond: spread(e2e.map((r) => sizes.e2eCases / r.afterSaleSeconds)), trivialPerSecond: spread(e2e.map((r) => sizes.e2eCases / r.trivialSeconds)),
      perCase, runs: e2e,
    },
    scrapes,
  };
}

/** Starts `n` cases of one kind at once and waits until every one has finished; seconds taken. */
async function batch(ctx: BenchContext, which: 'afterSale' | 'trivial', taskQueue: string, n: number, sample: Record<string, string[]>): Promise<number> {
  const t0 = performance.now();
  const ids = which === 'trivial'
    ? await Promise.all(Array.from({ length: n }, async (_, i) => (await ctx.client.workflow.start('trivialCase', { taskQueue: 'bench-trivial', workflowId: `trivial-${Date.now()}-${i}` })).workflowId))
    // refund_only, merchant silent 1 s → auto-approve → refund → close → survey requested.
    : await Promise.all(Array.from({ length: n }, () => rawStart(ctx.client, { taskQueue, policy: quickPolicy(1), type: 'refund_only', merchantId: 'm-e2e' })));
  await Promise.all(ids.map((id) => ctx.client.workflow.getHandle(id).result()));
  sample[which] = ids.slice(0, 10);
  return round((performance.now() - t0) / 1000, 2);
}

/** What one case costs the worker, from its history: workflow tasks, activities, timers, children (mean of the sample). */
async function tasksPerCase(ctx: BenchContext, ids: string[]): Promise<Record<string, number | string>> {
  return countTasks(ctx, ids).catch((err: Error) => ({ error: err.message }));
}

async function countTasks(ctx: BenchContext, ids: string[]) {
  const totals = { workflowTasks: 0, activities: 0, timers: 0, children: 0, historyEvents: 0 };
  for (const id of ids) {
    const events = (await ctx.client.workflow.getHandle(id).fetchHistory()).events ?? [];
    totals.historyEvents += events.length;
    for (const e of events) {
      if (e.workflowTaskCompletedEventAttributes) totals.workflowTasks += 1;
      if (e.activityTaskScheduledEventAttributes) totals.activities += 1;
      if (e.timerStartedEventAttributes) totals.timers += 1;
      if (e.startChildWorkflowExecutionInitiatedEventAttributes) totals.children += 1;
    }
  }
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round(v / Math.max(1, ids.length), 1)]));
}

/** When each case's default outcome ran minus its due time (the `deadline.breached` entry), from the projection. */
async function latenessOf(projection: CaseProjection, ids: string[]) {
  const values: number[] = [];
  let missing = 0;
  const deadline = Date.now() + 120_000;
  for (const id of ids) {
    for (;;) {
      const row = await projection.read(id);
      const timeline = ((row?.view as { timeline?: { type: string; at: number; data?: { dueAt?: number } }[] } | undefined)?.timeline) ?? [];
      const breach = timeline.find((e) => e.type === 'deadline.breached' && typeof e.data?.dueAt === 'number');
      if (breach) { values.push(breach.at - breach.data!.dueAt!); break; }
      if (Date.now() > deadline) { missing += 1; break; }
      await sleep(500);
    }
  }
  return { cases: values.length, missing, p50Ms: round(percentile(values, 0.5)), p99Ms: round(percentile(values, 0.99)), maxMs: values.length ? Math.max(...values) : null };
}
