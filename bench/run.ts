/**
 * Benchmarks (npm run bench; `-- --quick` to validate in minutes; `--only=ab` or `--only=c`;
 * `--open-cases=100000`, `--build-minutes=30` bounds the build of (c)'s population). On a dev server, a
 * PostgreSQL projection and an OTLP sink of their own, with the worker, the API and the load generator each a
 * process of its own:
 *  (a) create over HTTP against raw client.workflow.start of the same case, interleaved runs, with the
 *      timer lateness of default outcomes due meanwhile; (b) whole after-sales against a trivial workflow;
 *      both with the worker's metrics and OTLP tracing off and on (./create-e2e);
 *  (c) N open cases waiting on timers: GET, list and report latencies, worker RSS (./open-cases).
 * Writes bench/results/<date>[-quick].json and .md with the command, the machine and the versions.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openCaseProjection } from '../activities/projection';
import { dataConverterFrom } from '../worker/encryption';
import { freePorts, startDevServer } from '../scripts/lib/dev-server';
import { findOrBuildTemporalCli } from '../scripts/lib/temporal-cli';
import { startPostgres } from '../test/support/postgres';
import { createAndEndToEnd, type BenchContext } from './create-e2e';
import { openCases } from './open-cases';
import { spawnTs, startOtlpSink } from './processes';
import { machineAndVersions, summary } from './summary';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const QUICK = process.argv.includes('--quick');
const ONLY = arg('only') ?? 'abc';
const SIZES = {
  ...(QUICK
    ? { runs: 2, createSeconds: 4, concurrency: 10, e2eCases: 40, e2eRuns: 1, latenessPerSecond: 2, openCases: 1_000, buildMinutes: 5, getSeconds: 4, rounds: 3, readRate: 50 }
    : { runs: 5, createSeconds: 10, concurrency: 10, e2eCases: 60, e2eRuns: 3, latenessPerSecond: 2, openCases: 100_000, buildMinutes: 120, getSeconds: 10, rounds: 3, readRate: 50 }),
  ...(arg('open-cases') ? { openCases: Number(arg('open-cases')) } : {}),
  ...(arg('build-minutes') ? { buildMinutes: Number(arg('build-minutes')) } : {}),
};
const root = path.resolve(__dirname, '..');
const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

async function main(): Promise<void> {
  const started = new Date();
  const cliPath = await findOrBuildTemporalCli(log);
  const work = path.join(root, 'data', `bench-${process.pid}`);
  const server = await startDevServer({ cliPath, dataDir: path.join(work, 'temporal'), ui: false, log });
  const postgres = await startPostgres({ dir: path.join(work, 'postgres'), databases: ['bench_ab', 'bench_c'], log });
  const dbUrl = (db: string) => `postgres://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/${db}`;
  const sink = await startOtlpSink();
  const client = new Client({ connection: await Connection.connect({ address: server.address }), dataConverter: dataConverterFrom({}) });
  const projection = await openCaseProjection({ databaseUrl: dbUrl('bench_ab'), codecs: client.options.loadedDataConverter.payloadCodecs });
  const trivial = spawnTs('bench/trivial-worker.ts', [], { TEMPORAL_ADDRESS: server.address, TASK_QUEUE: 'bench-trivial' }, 'READY');
  await trivial.line;
  const postgresPid = Number(execFileSync('head', ['-1', path.join(postgres.dataDir, 'postmaster.pid')], { encoding: 'utf8' }).trim());
  const ctx: BenchContext = { client, address: server.address, serverPid: server.pid, postgresPid, trivialPid: trivial.pid, sinkUrl: sink.url, log };
  const results: Record<string, unknown> = {};
  // Written after each part, so a run stopped later keeps what it measured.
  const save = () => {
    const date = started.toISOString().slice(0, 10);
    const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.replace(/ -- $/, '');
    const report = { date, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), command, ...machineAndVersions(root, cliPath), sizes: SIZES, results };
    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    const base = path.join(root, 'bench', 'results', `${date}${QUICK ? '-quick' : ''}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${base}.md`, summary(report));
    log(`written ${path.relative(root, base)}.json and .md`);
  };
  try {
    if (ONLY.includes('a') || ONLY.includes('b')) {
      const [metricsPort] = await freePorts('127.0.0.1', 1);
      const off = await createAndEndToEnd(ctx, projection, dbUrl('bench_ab'), { name: 'off' }, SIZES);
      const on = await createAndEndToEnd(ctx, projection, dbUrl('bench_ab'), { name: 'on', metricsAddress: `127.0.0.1:${metricsPort}` }, SIZES);
      results.telemetryOff = off;
      results.telemetryOn = { ...on, otlpSink: { ...sink.stats } };
      save();
    }
    if (ONLY.includes('c')) {
      results.openCases = await openCases(ctx, dbUrl('bench_c'), path.join(work, 'open-case-ids.txt'), SIZES);
      save();
    }
  } finally {
    await trivial.stop();
    await projection.close();
    await client.connection.close();
    await sink.close();
    await postgres.stop();
    await server.stop();
  }
  rmSync(work, { recursive: true, force: true });
}

main().then(() => process.exit(0), (err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
