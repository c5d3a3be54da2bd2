/**
 * Part (c): N open after-sales waiting on their merchant's deadline (days away), built once by raw starts
 * (the first 10,000 under merchant m-10k, the rest under m-rest) and worked into the projection by a worker
 * process; then measured `rounds` times: GET of a random case, pages of GET /v1/cases, the service-level
 * report over the 10,000 and over all, and the worker's RSS.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { cpuProbe, runLoad, withDescendants } from './processes';
import { rawStart } from './requests';
import { percentile, round, spread } from './stats';
import { startSystem, type BenchContext } from './create-e2e';

export interface OpenSizes { openCases: number; buildMinutes: number; getSeconds: number; concurrency: number; rounds: number; readRate: number }

function rssMiB(pid: number): number {
  return round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024, 1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openCases(ctx: BenchContext, databaseUrl: string, idsFile: string, sizes: OpenSizes) {
  const taskQueue = 'bench-open';
  const system = await startSystem(ctx, { taskQueue, databaseUrl, telemetry: { name: 'off' } });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const projected = async () => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM cases WHERE merchant_id IN ('m-10k', 'm-rest')")).rows[0].n);

  // Build: starts at 20 in flight until N or the time budget, then wait for the worker to project them all.
  const ids: string[] = [];
  const groups = { api: () => [system.api.pid], worker: () => [system.worker.pid], temporalServer: () => [ctx.serverPid], postgres: () => withDescendants(ctx.postgresPid), bench: () => [process.pid] };
  const buildProbe = cpuProbe(groups);
  const t0 = performance.now();
  const stopAt = t0 + sizes.buildMinutes * 60_000;
  let next = 0;
  let lastLog = t0;
  // Starts run at most 1,000 ahead of the projection, so the budget's end leaves no long backlog behind.
  let seen = 0;
  let building = true;
  const watcher = (async () => { while (building) { seen = await projected(); await sleep(2_000); } })();
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < sizes.openCases && performance.now() < stopAt) {
      if (next - seen > 1_000) { await sleep(500); continue; }
      const merchantId = next < 10_000 ? 'm-10k' : 'm-rest';
      next += 1;
      ids.push(await rawStart(ctx.client, { taskQueue, merchantId }));
      if (performance.now() - lastLog > 60_000) {
        lastLog = performance.now();
        ctx.log(`(c) started ${ids.length}, projected ${seen} after ${round((lastLog - t0) / 1000, 0)} s`);
      }
    }
  }));
  building = false;
  await watcher;
  const startedSeconds = round((performance.now() - t0) / 1000, 1);
  writeFileSync(idsFile, `${ids.join('\n')}\n`);
  ctx.log(`(c) started ${ids.length} cases in ${startedSeconds} s; waiting for the projection`);
  let count = await projected();
  const waitLimit = performance.now() + Math.max(2, sizes.buildMinutes / 3) * 60_000;
  while (count < ids.length && performance.now() < waitLimit) {
    await sleep(2_000);
    count = await projected();
    if (performance.now() - lastLog > 60_000) { lastLog = performance.now(); ctx.log(`(c) projected ${count} of ${ids.length}`); }
  }
  const builtSeconds = round((performance.now() - t0) / 1000, 1);
  const buildCpu = buildProbe.stop();
  ctx.log(`(c) population: ${count} of ${ids.length} projected after ${builtSeconds} s`);

  const report = async (query: string, times: number) => {
    const latencies: number[] = [];
    let cases = 0;
    for (let i = 0; i < times; i++) {
      const s = performance.now();
      const res = await fetch(`${system.url}/v1/reports/service-levels${query}`, { headers: { authorization: 'Bearer dev-supervisor' } });
      const body = await res.json() as { merchants?: { cases: number }[] };
      latencies.push(performance.now() - s);
      if (!res.ok) throw new Error(`report ${query}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      cases = (body.merchants ?? []).reduce((n, m) => n + m.cases, 0);
    }
    return { cases, medianMs: round(percentile(latencies, 0.5)), maxMs: round(Math.max(...latencies)) };
  };
  const rounds = [];
  for (let r = 0; r < sizes.rounds; r++) {
    let probe: ReturnType<typeof cpuProbe> | undefined;
    const get = await runLoad({ mode: 'get-case', concurrency: sizes.concurrency, seconds: sizes.getSeconds, url: system.url, idsFile }, () => { probe = cpuProbe(groups); });
    const getCpu = probe!.stop({ loadgen: get.cpuSeconds });
    const list = await runLoad({ mode: 'list', concurrency: sizes.concurrency, seconds: sizes.getSeconds, url: system.url }, () => { probe = cpuProbe(groups); });
    const listCpu = probe!.stop({ loadgen: list.cpuSeconds });
    // The same reads at a steady rate (what a latency target means), beside the saturated figures above.
    const getPaced = await runLoad({ mode: 'get-case', concurrency: sizes.concurrency, seconds: sizes.getSeconds, url: system.url, idsFile, rate: sizes.readRate });
    const listPaced = await runLoad({ mode: 'list', concurrency: sizes.concurrency, seconds: sizes.getSeconds, url: system.url, rate: sizes.readRate });
    const report10k = await report('?merchantId=m-10k', 5);
    const reportAll = await report('', 3);
    const round_ = { get, getCpu, list, listCpu, getPaced, listPaced, report10k, reportAll, workerRssMiB: rssMiB(system.worker.pid), apiRssMiB: rssMiB(system.api.pid) };
    ctx.log(`(c) round ${r + 1}: GET p99 ${get.p99Ms} ms (${get.rps}/s, ${get.errors} errors), list p99 ${list.p99Ms} ms; at ${sizes.readRate}/s GET p99 ${getPaced.p99Ms} ms, list p99 ${listPaced.p99Ms} ms; report 10k ${report10k.medianMs} ms (${report10k.cases}), all ${reportAll.medianMs} ms (${reportAll.cases}), worker RSS ${round_.workerRssMiB} MiB`);
    rounds.push(round_);
  }
  await db.end();
  await system.stop();
  return {
    requested: sizes.openCases, started: ids.length, projected: count, startedInSeconds: startedSeconds, builtInSeconds: builtSeconds, buildCpu,
    getP99Ms: spread(rounds.map((x) => x.get.p99Ms)), getP50Ms: spread(rounds.map((x) => x.get.p50Ms)), getRps: spread(rounds.map((x) => x.get.rps)),
    listP99Ms: spread(rounds.map((x) => x.list.p99Ms)), readRate: sizes.readRate,
    pacedGetP99Ms: spread(rounds.map((x) => x.getPaced.p99Ms)), pacedGetP50Ms: spread(rounds.map((x) => x.getPaced.p50Ms)),
    pacedListP99Ms: spread(rounds.map((x) => x.listPaced.p99Ms)), pacedListP50Ms: spread(rounds.map((x) => x.listPaced.p50Ms)), listP50Ms: spread(rounds.map((x) => x.list.p50Ms)),
    report10kMs: spread(rounds.map((x) => x.report10k.medianMs)), reportAllMs: spread(rounds.map((x) => x.reportAll.medianMs)),
    workerRssMiB: spread(rounds.map((x) => x.workerRssMiB)),
    errors: rounds.reduce((n, x) => n + x.get.errors + x.list.errors + x.getPaced.errors + x.listPaced.errors, 0),
    rounds,
  };
}
