/**
 * Where the API's CPU per create goes (`npx tsx bench/profile-create.ts [--runs=3] [--seconds=8]
 * [--concurrency=10] [--rate=N] [--raw] [--profile]`): a dev server and a PostgreSQL of its own (as bench/run.ts
 * starts them), the API in this process as bench/api-server.ts builds it (projection on PostgreSQL, request
 * metrics, warn-level logs, no rate limit), and the load generator of the bench (bench/loadgen.ts, a process
 * of its own, so its CPU is not counted here) sending `POST /v1/after-sales` for `--seconds` per run, as fast
 * as answered or at `--rate` per second (a fixed pace keeps the CPU per create comparable between runs whose
 * machine was busy to different degrees: saturated, a slower run batches differently). No
 * worker: a create needs none (the 201 and the first projection row come from the API).
 *
 * Per run: this process's CPU (process.cpuUsage: the API, its Temporal client and its pg pool, every thread)
 * per create. `--raw`: the same number of runs of `client.workflow.start` from this process with what the
 * create computes (bench/requests.ts), the raw side of the bench's (a). `--profile`: a V8 CPU profile of the
 * main thread during the create runs, written to data/ and summarised by self time per function and per file.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../api/app';
import { loadApiKeys } from '../api/auth';
import { createApiMetrics } from '../api/metrics';
import { openCaseProjection } from '../activities/projection';
import { dataConverterFrom } from '../worker/encryption';
import { startDevServer } from '../scripts/lib/dev-server';
import { findOrBuildTemporalCli } from '../scripts/lib/temporal-cli';
import { startPostgres } from '../test/support/postgres';
import { cpuProbe, runLoad, withDescendants } from './processes';
import { rawStart } from './requests';
import { closedLoop, round, spread } from './stats';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const RUNS = arg('runs', 3);
const SECONDS = arg('seconds', 8);
const CONCURRENCY = arg('concurrency', 10);
const RATE = arg('rate', 0);
const RAW = process.argv.includes('--raw');
const PROFILE = process.argv.includes('--profile');
const root = path.resolve(__dirname, '..');
const log = (m: string) => console.log(`[profile ${new Date().toISOString().slice(11, 19)}] ${m}`);

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Self time per function and per file (node_modules packages as one), in ms per create. */
function summarise(profile: CpuProfile, creates: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const where = (url: string) => {
    const rel = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel)?.[1];
    return pkg ? `pkg:${pkg}` : rel || '(native/idle)';
  };
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const f = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fns.set(f, (fns.get(f) ?? 0) + ms);
    files.set(where(n.callFrame.url), (files.get(where(n.callFrame.url)) ?? 0) + ms);
  }
  // Inclusive time of our own functions (what each part of the create path costs with what it calls).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      const w = where(n.callFrame.url);
      if (w.startsWith('pkg:') || w.startsWith('node:') || !w.includes('/')) continue;
      const f = `${n.callFrame.functionName || '(anonymous)'} ${w}:${n.callFrame.lineNumber + 1}`;
      if (seen.has(f)) continue;
      seen.add(f);
      inclusive.set(f, (inclusive.get(f) ?? 0) + ms);
    }
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => `  ${(ms / creates).toFixed(3).padStart(7)} ms  ${name}`).join('\n');
  return `self time by file (ms per create):\n${top(files, 30)}\n\nself time by function:\n${top(fns, 40)}\n\ninclusive time of project functions:\n${top(inclusive, 40)}`;
}

async function main(): Promise<void> {
  const work = path.join(root, 'data', `profile-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const cliPath = await findOrBuildTemporalCli(log);
  const server = await startDevServer({ cliPath, dataDir: path.join(work, 'temporal'), ui: false, log });
  const postgres = await startPostgres({ dir: path.join(work, 'postgres'), databases: ['profile'], log });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default', dataConverter: dataConverterFrom({}) });
  const projection = await openCaseProjection({
    databaseUrl: `postgres://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/profile`, codecs: client.options.loadedDataConverter.payloadCodecs,
  });
  const taskQueue = 'profile-cases';
  const metrics = createApiMetrics({ processMetrics: true });
  const app = await buildApp({
    client, taskQueue, namespace: 'default', keys: loadApiKeys({}), metrics, logger: { level: 'warn' },
    rateLimit: { max: 100_000_000, timeWindowMs: 60_000 }, projection,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const postmaster = Number(readFileSync(path.join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const others = { postgres: () => withDescendants(postmaster), temporalServer: () => [server.pid] };
  // What a create asks of its backends: committed transactions of the projection's database, Temporal calls the API timed.
  const counts = async () => ({
    transactions: Number(await postgres.psql("SELECT xact_commit FROM pg_stat_database WHERE datname = 'profile'")),
    temporalCalls: ((await metrics.registry.getSingleMetric('cs_cases_api_temporal_call_duration_seconds')?.get())?.values ?? [])
      .filter((v) => (v as { metricName?: string }).metricName?.endsWith('_count')).reduce((n, v) => n + v.value, 0),
  });
  const session = new Session();
  session.connect();
  try {
    const perCreate: number[] = [];
    const rates: number[] = [];
    const pgPer: number[] = [];
    // Warm-up first (not counted): JIT, connections, the selection rules' first read.
    await runLoad({ mode: 'create', concurrency: CONCURRENCY, seconds: 6, url });
    if (PROFILE) {
      // A profile run of its own (the profiler's overhead stays out of the figures below).
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 250 });
      const result = await runLoad({ mode: 'create', concurrency: CONCURRENCY, seconds: SECONDS, url }, () => void session.post('Profiler.start'));
      const { profile } = await session.post('Profiler.stop') as unknown as { profile: CpuProfile };
      await session.post('Profiler.disable');
      const file = path.join(root, 'data', `profile-create-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`CPU profile of ${result.count} creates: ${path.relative(root, file)}\n${summarise(profile, result.count)}`);
    }
    for (let r = 0; r < RUNS; r++) {
      let cpu0 = process.cpuUsage();
      let before = { transactions: 0, temporalCalls: 0 };
      let probe: ReturnType<typeof cpuProbe> | undefined;
      const onStart = () => { cpu0 = process.cpuUsage(); probe = cpuProbe(others); void counts().then((c) => { before = c; }); };
      const result = await runLoad({ mode: 'create', concurrency: CONCURRENCY, seconds: SECONDS, url, ...(RATE ? { rate: RATE } : {}) }, onStart);
      const cpu = process.cpuUsage(cpu0);
      const servers = probe!.stop();
      const after = await counts();
      const serverMs = (name: string) => round((servers.cores[name] * servers.wallSeconds * 1000) / result.count, 2);
      const ms = (cpu.user + cpu.system) / 1000 / result.count;
      perCreate.push(ms);
      rates.push(result.rps);
      log(`create run ${r + 1}: ${result.count} creates (${result.errors} errors${result.firstError ? `: ${result.firstError}` : ''}), ${result.rps}/s, p50 ${result.p50Ms} p99 ${result.p99Ms} ms · API process CPU ${round(ms, 3)} ms per create (user ${round(cpu.user / 1000 / result.count, 3)}, system ${round(cpu.system / 1000 / result.count, 3)}) · loadgen ${round((result.cpuSeconds * 1000) / result.count, 3)} ms · per create: ${round((after.transactions - before.transactions) / result.count, 2)} PostgreSQL transactions, ${round((after.temporalCalls - before.temporalCalls) / result.count, 2)} Temporal calls · PostgreSQL ${serverMs('postgres')} ms, dev server ${serverMs('temporalServer')} ms per create, others ${servers.otherCores} cores`);
      pgPer.push(serverMs('postgres'));
    }
    log(`API CPU per create (ms): ${JSON.stringify(spread(perCreate))}; PostgreSQL ${JSON.stringify(spread(pgPer))}; creates/s ${JSON.stringify(spread(rates, 1))}`);
    if (RAW) {
      const rawPer: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const cpu0 = process.cpuUsage();
        const run = await closedLoop(CONCURRENCY, SECONDS * 1000, async () => { await rawStart(client, { taskQueue }); });
        const cpu = process.cpuUsage(cpu0);
        const ms = (cpu.user + cpu.system) / 1000 / run.latencies.length;
        rawPer.push(ms);
        log(`raw run ${r + 1}: ${run.latencies.length} starts (${run.errors} errors), ${round(run.latencies.length / (run.elapsedMs / 1000), 1)}/s · client CPU ${round(ms, 3)} ms per start`);
      }
      log(`raw client CPU per start (ms): ${JSON.stringify(spread(rawPer))}`);
    }
  } finally {
    session.disconnect();
    await app.close();
    await projection.close();
    await connection.close();
    await postgres.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => {
  console.error('profile-create failed:', err);
  process.exit(1);
});
