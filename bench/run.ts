/**
 * Benchmarks (npm run bench; `-- --quick` for a short run). On a dev server of its own, measures:
 *  (a) create throughput and latency over HTTP against raw client.workflow.start of the same workflow,
 *      same concurrency, same run;
 *  (b) end to end: after-sale cases through the whole refund path against a trivial one-activity
 *      workflow, plus task schedule-to-start p95;
 *  (c) many open cases waiting on timers: the worker's RSS and GET p99 while they wait.
 * Writes bench/results/<date>.json and .md with the machine, versions and the command.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { buildApp } from '../api/app';
import { loadApiKeys } from '../api/auth';
import { caseIdOf } from '../workflows/domain/case-ids';
import { CN_MARKETPLACE } from '../workflows/domain/policy/presets';
import type { AfterSaleRequest } from '../workflows/domain/after-sale/types';
import { dataConverterFrom, developmentKeyring } from '../worker/encryption';
import { createSandboxAdapters } from '../worker/sandbox';
import { createCasesWorker } from '../worker/start-worker';
import { startDevServer } from '../scripts/lib/dev-server';
import { findOrBuildTemporalCli } from '../scripts/lib/temporal-cli';
import { startWorkerProcess } from '../test/support/worker-process';
import { closedLoop, percentile, round } from './stats';

const QUICK = process.argv.includes('--quick');
/** `--only=c` (or `a,b`) re-measures some parts and keeps the other parts' figures of the same day's file. */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (part: 'a' | 'b' | 'c') => !ONLY || ONLY.includes(part);
const SIZES = QUICK
  ? { createSeconds: 5, concurrency: 10, e2eCases: 60, openCases: 1_000, getSeconds: 5 }
  : { createSeconds: 20, concurrency: 10, e2eCases: 300, openCases: 10_000, getSeconds: 15 };
const root = path.resolve(__dirname, '..');
const log = (m: string) => console.log(`[bench] ${m}`);

function createBody() {
  return {
    merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 12)}`, customerRef: 'cust-bench', type: 'return_and_refund', reason: 'quality',
    items: [{ sku: 'shoe-42', quantity: 1, unitPrice: { amount: 19_900, currency: 'CNY' } }],
    order: { paidTotal: { amount: 20_900, currency: 'CNY' }, shippingFee: { amount: 1_000, currency: 'CNY' } },
  };
}

function rawRequest(policy = CN_MARKETPLACE, type: AfterSaleRequest['type'] = 'return_and_refund'): AfterSaleRequest {
  const body = createBody();
  const caseId = caseIdOf('after_sale', randomUUID().replace(/-/g, ''));
  return {
    caseId, merchantId: body.merchantId, orderId: body.orderId, customerRef: body.customerRef, type, reason: 'quality',
    items: body.items, order: body.order, requestedAt: Date.now(), policy, requestFingerprint: 'bench',
    createdBy: { keyId: 'bench', role: 'channel', merchants: '*' },
  };
}

function autocannonRun(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function versions() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules/@temporalio/worker/package.json'), 'utf8')) as { version: string };
  return { node: process.version, temporalSdk: pkg.version, fastify: (JSON.parse(readFileSync(path.join(root, 'node_modules/fastify/package.json'), 'utf8')) as { version: string }).version };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cliPath = await findOrBuildTemporalCli(log);
  const dataDir = path.join(root, 'data', `bench-${process.pid}`);
  const server = await startDevServer({ cliPath, dataDir, ui: false, log });
  const cliVersion = execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim();
  const dataConverter = dataConverterFrom({});
  const client = new Client({ connection: await Connection.connect({ address: server.address }), dataConverter });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const casesWorker = await createCasesWorker({ connection: nativeConnection, taskQueue: 'bench-cases', adapters: createSandboxAdapters(), encryptionKeys: developmentKeyring() });
  const trivialWorker = await Worker.create({
    connection: nativeConnection, taskQueue: 'bench-trivial', workflowsPath: require.resolve('./trivial-workflow'), activities: { noop: async () => 'ok' },
  });
  const workersRun = Promise.all([casesWorker.run(), trivialWorker.run()]);
  // (a) measures the edge and the server: its cases go to a task queue no worker polls, so their first
  // tasks do not pile up in front of (b).
  const app = await buildApp({ client, taskQueue: 'bench-create', namespace: 'default', keys: loadApiKeys({}), logger: false, rateLimit: { max: 10_000_000, timeWindowMs: 60_000 } });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const results: Record<string, unknown> = {};

  if (runs('a')) {
    // (a) create over HTTP vs raw start, same workflow and concurrency.
    log(`(a) create: ${SIZES.concurrency} concurrent, ${SIZES.createSeconds} s each`);
    const http = await autocannonRun({
      url: baseUrl, connections: SIZES.concurrency, duration: SIZES.createSeconds,
      headers: { authorization: 'Bearer dev-channel', 'content-type': 'application/json' },
      requests: [{ method: 'POST', path: '/v1/after-sales', setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(createBody()) }) }],
    });
    const raw = await closedLoop(SIZES.concurrency, SIZES.createSeconds * 1000, async () => {
      const request = rawRequest();
      await client.workflow.start('afterSale', { taskQueue: 'bench-create', workflowId: request.caseId, args: [request], memo: { requestFingerprint: 'bench', merchantId: 'm-a' } });
    });
    const rawRps = raw.latencies.length / (raw.elapsedMs / 1000);
    results.create = {
      concurrency: SIZES.concurrency, seconds: SIZES.createSeconds,
      http: { rps: round(http.requests.average), p50Ms: http.latency.p50, p99Ms: http.latency.p99, non2xx: http.non2xx, errors: http.errors },
      raw: { rps: round(rawRps), p50Ms: round(percentile(raw.latencies, 0.5)), p99Ms: round(percentile(raw.latencies, 0.99)), errors: raw.errors },
      throughputRatio: round(http.requests.average / rawRps, 3),
      addedP99Ms: round(http.latency.p99 - percentile(raw.latencies, 0.99)),
      target: 'ratio ≥ 0.9 and ≤ 5 ms added p99',
    };
    log(JSON.stringify(results.create));
  }

  if (runs('b')) {
    // (b) end to end through the refund path vs a trivial one-activity workflow.
    log(`(b) end to end: ${SIZES.e2eCases} cases each`);
    const quickPolicy = { ...CN_MARKETPLACE, id: 'bench-e2e', afterSale: { ...CN_MARKETPLACE.afterSale, deadlines: { ...CN_MARKETPLACE.afterSale.deadlines, merchantResponse: { amount: 1, unit: 'seconds' as const } } } };
    const e2eStart = performance.now();
    const e2eHandles = await Promise.all(Array.from({ length: SIZES.e2eCases }, async () => {
      const request = rawRequest(quickPolicy, 'refund_only');
      return client.workflow.start('afterSale', { taskQueue: 'bench-cases', workflowId: request.caseId, args: [request], memo: { requestFingerprint: 'bench', merchantId: 'm-a' } });
    }));
    await Promise.all(e2eHandles.map((h) => h.result()));
    const e2eSeconds = (performance.now() - e2eStart) / 1000;
    const trivialStart = performance.now();
    const trivialHandles = await Promise.all(Array.from({ length: SIZES.e2eCases }, () => client.workflow.start('trivialCase', { taskQueue: 'bench-trivial', workflowId: `trivial-${randomUUID()}` })));
    await Promise.all(trivialHandles.map((h) => h.result()));
    const trivialSeconds = (performance.now() - trivialStart) / 1000;
    const scheduleToStart: number[] = [];
    for (const handle of e2eHandles.slice(0, 40)) {
      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = new Map<string, number>();
      for (const e of events) {
        const t = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor(Number(e.eventTime?.nanos ?? 0) / 1e6);
        const id = String(e.eventId);
        if (e.workflowTaskScheduledEventAttributes || e.activityTaskScheduledEventAttributes) scheduled.set(id, t);
        const startedFrom = e.workflowTaskStartedEventAttributes?.scheduledEventId ?? e.activityTaskStartedEventAttributes?.scheduledEventId;
        if (startedFrom !== undefined && startedFrom !== null && scheduled.has(String(startedFrom))) scheduleToStart.push(t - scheduled.get(String(startedFrom))!);
      }
    }
    results.endToEnd = {
      cases: SIZES.e2eCases,
      afterSale: { seconds: round(e2eSeconds), completedPerSecond: round(SIZES.e2eCases / e2eSeconds), note: 'refund_only, merchant silent 1 s → auto-approve → refund → closed' },
      trivial: { seconds: round(trivialSeconds), completedPerSecond: round(SIZES.e2eCases / trivialSeconds) },
      ratio: round(trivialSeconds / e2eSeconds, 3),
      scheduleToStartP95Ms: percentile(scheduleToStart, 0.95),
      target: 'ratio ≥ 0.5',
    };
    log(JSON.stringify(results.endToEnd));
  }

  let openApp: Awaited<ReturnType<typeof buildApp>> | undefined;
  let worker: ReturnType<typeof startWorkerProcess> | undefined;
  if (runs('c')) {
    // (c) open cases waiting on timers: a worker process of its own, its RSS, and GET p99 meanwhile.
    log(`(c) ${SIZES.openCases} open cases`);
    worker = startWorkerProcess({ TEMPORAL_ADDRESS: server.address, TASK_QUEUE: 'bench-open', WORKER_LOG_LEVEL: 'ERROR' });
    await worker.ready;
    openApp = await buildApp({ client, taskQueue: 'bench-open', namespace: 'default', keys: loadApiKeys({}), logger: false, rateLimit: { max: 10_000_000, timeWindowMs: 60_000 } });
    const openUrl = await openApp.listen({ host: '127.0.0.1', port: 0 });
    const ids: string[] = [];
    const openStart = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < SIZES.openCases) {
        next += 1;
        const request = rawRequest();
        await client.workflow.start('afterSale', { taskQueue: 'bench-open', workflowId: request.caseId, args: [request], memo: { requestFingerprint: 'bench', merchantId: 'm-a' } });
        ids.push(request.caseId);
      }
    }));
    const startSeconds = (performance.now() - openStart) / 1000;
    // Let the worker work off the backlog of first tasks, so the GETs measure waiting cases, not start-up.
    const settleStart = performance.now();
    for (const id of ids.slice(-20)) {
      // A query waits for the worker to reach the case; while the backlog is long it times out: ask again.
      for (;;) {
        try {
          await client.workflow.getHandle(id).query('view', { keyId: 'bench', role: 'supervisor', merchants: '*' });
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    }
    const settleSeconds = (performance.now() - settleStart) / 1000;
    const rssAfterStart = rssOf(worker.pid);
    const get = await autocannonRun({
      url: openUrl, connections: SIZES.concurrency, duration: SIZES.getSeconds, headers: { authorization: 'Bearer dev-supervisor' },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/after-sales/${ids[Math.floor(Math.random() * ids.length)]}` }) }],
    });
    const rssAfterGets = rssOf(worker.pid);
    results.openCases = {
      cases: ids.length, startedInSeconds: round(startSeconds), backlogWorkedOffInSeconds: round(settleSeconds),
      workerRssMiB: { afterStart: round(rssAfterStart / 2 ** 20), afterGets: round(rssAfterGets / 2 ** 20) },
      get: { rps: round(get.requests.average), p50Ms: get.latency.p50, p99Ms: get.latency.p99, non2xx: get.non2xx, errors: get.errors },
      target: 'worker RSS ≤ 1 GiB and no errors',
    };
    log(JSON.stringify(results.openCases));
  }

  const date = new Date().toISOString().slice(0, 10);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30, 1) };
  const report: { date: string; command: string; machine: Record<string, unknown>; versions: Record<string, unknown>; sizes: typeof SIZES; results: Record<string, unknown> } = { date, command: `npm run bench${QUICK ? ' -- --quick' : ''}`, machine, versions: { ...versions(), temporalCli: cliVersion }, sizes: SIZES, results };
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  const base = path.join(root, 'bench', 'results', `${date}${QUICK ? '-quick' : ''}`);
  if (ONLY && existsSync(`${base}.json`)) {
    const earlier = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { results: Record<string, unknown> };
    report.results = { ...earlier.results, ...results };
    report.command = `npm run bench${QUICK ? ' -- --quick' : ''} (parts ${ONLY.join(', ')}: -- --only=${ONLY.join(',')})`;
  }
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, summary(report));
  log(`written ${path.relative(root, base)}.json and .md`);

  // Results are safe on disk; tear down (late answers on closing channels are of no interest here).
  process.on('uncaughtException', (err) => {
    console.error(`[bench] during teardown: ${err.message}`);
    process.exit(0);
  });
  try {
    await openApp?.close();
    await worker?.kill('SIGTERM');
    await app.close();
    casesWorker.shutdown();
    trivialWorker.shutdown();
    await workersRun;
    await nativeConnection.close();
    await client.connection.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  } finally {
    process.exit(0);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the results object is the JSON written just above
function summary(r: { date: string; command: string; machine: Record<string, unknown>; versions: Record<string, unknown>; results: Record<string, any> }): string {
  const { create, endToEnd, openCases } = r.results;
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  return `# Benchmarks ${r.date}

Command: \`${r.command}\` · machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB ·
Node ${r.versions.node}, Temporal SDK ${r.versions.temporalSdk}, ${r.versions.temporalCli}, Fastify ${r.versions.fastify}.
Everything (dev server with SQLite, worker, API, load generator) shares the same 2 cores.

| | measured | target | |
|---|---|---|---|
| (a) create over HTTP vs raw start | ${create.http.rps} vs ${create.raw.rps} req/s → ratio ${create.throughputRatio}; p50 ${create.http.p50Ms} vs ${create.raw.p50Ms} ms; p99 ${create.http.p99Ms} vs ${create.raw.p99Ms} ms (+${create.addedP99Ms} ms) | ≥ 0.9, ≤ 5 ms added p99 | ${verdict(create.throughputRatio >= 0.9 && create.addedP99Ms <= 5)} |
| (b) end to end, ${endToEnd.cases} cases | after-sale ${endToEnd.afterSale.completedPerSecond}/s vs trivial ${endToEnd.trivial.completedPerSecond}/s → ratio ${endToEnd.ratio}; schedule-to-start p95 ${endToEnd.scheduleToStartP95Ms} ms | ≥ 0.5 | ${verdict(endToEnd.ratio >= 0.5)} |
| (c) ${openCases.cases} open cases on timers | worker RSS ${openCases.workerRssMiB.afterGets} MiB; GET p99 ${openCases.get.p99Ms} ms at ${openCases.get.rps} req/s; non-2xx ${openCases.get.non2xx}, errors ${openCases.get.errors} | ≤ 1 GiB, no errors | ${verdict(openCases.workerRssMiB.afterGets <= 1024 && openCases.get.non2xx === 0 && openCases.get.errors === 0)} |

Raw numbers: \`${path.basename(r.date)}${r.command.includes('quick') ? '-quick' : ''}.json\` beside this file.${
  existsSync(path.join(root, 'bench', 'results', `${r.date}-notes.md`)) ? ` How to read them, and why a target is missed: \`${r.date}-notes.md\`.` : ''}
`;
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
