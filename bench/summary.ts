/** The results file's machine and versions, and its Markdown summary with each target met or missed. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import type { Spread } from './stats';

export function machineAndVersions(root: string, cliPath: string) {
  const version = (pkg: string) => (JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  return {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 29) / 2, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
    versions: {
      commit: git('rev-parse', '--short', 'HEAD'), node: process.version, temporalSdk: version('@temporalio/worker'), fastify: version('fastify'), pg: version('pg'),
      temporalCli: execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim(),
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report object written beside this summary, plain JSON
type Json = any;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
/** CPU ms all our processes (API, worker, server, PostgreSQL, load generator, bench) spent per operation of one run. */
const totalCpuMs = (run: Json) => (Object.values(run.cpu.cores as Record<string, number>).reduce((a, b) => a + b, 0) * run.cpu.wallSeconds * 1000) / Math.max(1, run.count);
function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const m = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  return { median: round(median, 3), min: round(sorted[0], 3), max: round(sorted[sorted.length - 1], 3), relSpread: round((sorted[sorted.length - 1] - sorted[0]) / Math.abs(median || 1), 3), runs: values.map((v) => round(v, 3)) };
}
const ok = (met: boolean) => (met ? 'met' : '**missed**');
const s = (x: Spread | undefined, unit = '') => (x ? `${x.median}${unit} (${x.min}–${x.max})` : 'n/a');
/** On and off differ by no more than the larger run-to-run range of the two. */
const withinSpread = (off: Spread, on: Spread) => Math.abs(on.median - off.median) <= Math.max(off.max - off.min, on.max - on.min);

export function summary(r: Json): string {
  const lines = [
    `# Benchmarks ${r.date}`, '',
    `Command: \`${r.command}\` · commit ${r.versions.commit} · started ${r.startedAt}, finished ${r.finishedAt}`,
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, shared with other engineers' test runs (load average at the end ${r.machine.loadAverageAtEnd.join(' / ')}).`,
    `Node ${r.versions.node}, Temporal SDK ${r.versions.temporalSdk}, ${r.versions.temporalCli}, Fastify ${r.versions.fastify}, pg ${r.versions.pg}; PostgreSQL projection.`,
    'Dev server (SQLite), PostgreSQL, worker process, API process and load-generator process all share these cores.',
    'Figures: median of the runs, (min–max) of the runs after it.', '',
  ];
  const { telemetryOff: off, telemetryOn: on, openCases: c } = r.results;
  if (off) {
    lines.push('## (a) create and (b) end to end, worker metrics and OTLP tracing off and on', '',
      '| | off | on | target | off | on | on vs off within spread |', '|---|---|---|---|---|---|---|');
    const row = (name: string, f: (x: Json) => Spread, target: string, met: (x: Spread) => boolean) => {
      const a = f(off); const b = f(on);
      lines.push(`| ${name} | ${s(a)} | ${s(b)} | ${target} | ${target ? ok(met(a)) : ''} | ${target ? ok(met(b)) : ''} | ${withinSpread(a, b) ? 'yes' : '**no**'} |`);
    };
    row(`(a) HTTP creates/s (${off.create.runs} runs × ${off.create.seconds} s, ${off.create.concurrency} in flight)`, (x) => x.create.httpRps, '', () => true);
    row('(a) raw starts/s', (x) => x.create.rawRps, '', () => true);
    row('(a) throughput ratio HTTP / raw', (x) => x.create.throughputRatio, '≥ 0.95', (x) => x.median >= 0.95);
    row('(a) HTTP p99 ms', (x) => x.create.httpP99Ms, '', () => true);
    row('(a) raw p99 ms', (x) => x.create.rawP99Ms, '', () => true);
    row('(a) added p99 ms', (x) => x.create.addedP99Ms, '≤ 5 ms', (x) => x.median <= 5);
    // CPU all our processes spent per create in a run: what the machine's other load does not change much.
    const cpuPerCreate = (side: 'http' | 'raw') => (x: Json) => spreadOf(x.create.pairs.map((p: Json) => totalCpuMs(p[side])));
    row('(a) CPU ms per HTTP create, all our processes', cpuPerCreate('http'), '', () => true);
    row('(a) CPU ms per raw start, all our processes', cpuPerCreate('raw'), '', () => true);
    row('(a) CPU-normalised ratio (raw CPU per start / HTTP CPU per create)', (x) => spreadOf(x.create.pairs.map((p: Json) => totalCpuMs(p.raw) / totalCpuMs(p.http))), '≥ 0.95', (x) => x.median >= 0.95);
    row(`(b) whole after-sale / trivial (${off.endToEnd.cases} cases, ${off.endToEnd.runs.length} runs)`, (x) => x.endToEnd.ratio, '≥ 0.75', (x) => x.median >= 0.75);
    row('(b) after-sales completed/s', (x) => x.endToEnd.afterSalePerSecond, '', () => true);
    row('(b) trivial completed/s', (x) => x.endToEnd.trivialPerSecond, '', () => true);
    const cpuOf = (t: Json, which: string) => { const c = t.endToEnd.runs[0].cpu[which]; return `${Object.entries(c.cores).map(([n, v]) => `${n} ${v}`).join(', ')}, others ${c.otherCores}`; };
    lines.push('', ...(off.endToEnd.perCase ? [`(b) what one case costs (mean of 10 from history): after-sale ${JSON.stringify(off.endToEnd.perCase.afterSale)}; trivial ${JSON.stringify(off.endToEnd.perCase.trivial)}.`] : []),
      `(b) CPU cores, first run, off: after-sale batch ${cpuOf(off, 'afterSale')}; trivial batch ${cpuOf(off, 'trivial')}.`);
    lines.push('', `Create errors: off ${off.create.errors}, on ${on.create.errors}. Telemetry on: ${on.scrapes} scrapes of each metrics endpoint, ${on.otlpSink.requests} OTLP exports (${Math.round(on.otlpSink.bytes / 1024)} KiB) to the local sink.`, '',
      '**Timer lateness under load** (a default outcome\'s `deadline.breached` entry time minus its `dueAt`, cases with a 2 s merchant deadline started during the create runs):', '',
      `- off: ${off.timerLateness.cases} cases, p50 ${off.timerLateness.p50Ms} ms, p99 ${off.timerLateness.p99Ms} ms, max ${off.timerLateness.maxMs} ms (${off.timerLateness.missing} not seen)`,
      `- on: ${on.timerLateness.cases} cases, p50 ${on.timerLateness.p50Ms} ms, p99 ${on.timerLateness.p99Ms} ms, max ${on.timerLateness.maxMs} ms (${on.timerLateness.missing} not seen)`, '',
      'CPU per process during the (a) runs (cores, median over runs; `others` = the rest of the machine, i.e. other people\'s work):', '');
    for (const t of [off, on]) {
      for (const side of ['http', 'raw'] as const) {
        const names = Object.keys(t.create.pairs[0][side].cpu.cores);
        const med = (f: (p: Json) => number) => { const v = t.create.pairs.map(f).sort((a: number, b: number) => a - b); return v[Math.floor(v.length / 2)]; };
        const perOp = (p: Json, n: string) => (p[side].cpu.cores[n] * p[side].cpu.wallSeconds * 1000) / Math.max(1, p[side].count);
        lines.push(`- ${t.telemetry}, ${side === 'http' ? 'HTTP' : 'raw'}: ${names.map((n) => `${n} ${med((p) => p[side].cpu.cores[n])}`).join(', ')}, others ${med((p) => p[side].cpu.otherCores)}, machine busy ${med((p) => p[side].cpu.machineBusyCores)} of ${r.machine.cpus}; backlog worked off ${med((p) => p[side].drainSeconds)} s after each run`,
          `  CPU ms per create: ${names.map((n) => `${n} ${round(med((p) => perOp(p, n)))}`).join(', ')}`);
      }
    }
    lines.push('');
  }
  if (c) {
    lines.push(`## (c) ${c.projected} open cases waiting on timers (requested ${c.requested})`, '',
      `Population: ${c.started} cases started in ${c.startedInSeconds} s, ${c.projected} in the projection after ${c.builtInSeconds} s (built once; ${round(c.projected / c.builtInSeconds)} cases/s).`,
      ...(c.projected < c.requested ? [`**The requested ${c.requested} cases could not be built in the time this run had: the figures below are for ${c.projected} open cases.**`] : []),
      `CPU during the build (cores): ${Object.entries(c.buildCpu.cores).map(([n, v]) => `${n} ${v}`).join(', ')}, others ${c.buildCpu.otherCores}, machine busy ${c.buildCpu.machineBusyCores}.`, '',
      '| | measured (3 rounds) | target | |', '|---|---|---|---|',
      `| GET of a random case p99 at ${c.readRate} req/s | ${s(c.pacedGetP99Ms, ' ms')} (p50 ${c.pacedGetP50Ms.median} ms) | ≤ 50 ms | ${ok(c.pacedGetP99Ms.max <= 50)} |`,
      `| GET of a random case p99, saturated (${r.sizes.concurrency} in flight) | ${s(c.getP99Ms, ' ms')} (p50 ${c.getP50Ms.median} ms, ${c.getRps.median} req/s) | ≤ 50 ms | ${ok(c.getP99Ms.max <= 50)} |`,
      `| GET /v1/cases page p99 at ${c.readRate} req/s | ${s(c.pacedListP99Ms, ' ms')} (p50 ${c.pacedListP50Ms.median} ms) | ≤ 100 ms | ${ok(c.pacedListP99Ms.max <= 100)} |`,
      `| GET /v1/cases page p99, saturated | ${s(c.listP99Ms, ' ms')} (p50 ${c.listP50Ms.median} ms) | ≤ 100 ms | ${ok(c.listP99Ms.max <= 100)} |`,
      `| worker RSS | ${s(c.workerRssMiB, ' MiB')} | ≤ 1 GiB | ${ok(c.workerRssMiB.max <= 1024)} |`,
      `| report over ${c.rounds[0].report10k.cases} cases | ${s(c.report10kMs, ' ms')} | ≤ 1 s | ${ok(c.report10kMs.max <= 1000)} |`,
      `| report over all ${c.rounds[0].reportAll.cases} cases | ${s(c.reportAllMs, ' ms')} | ≤ 5 s | ${ok(c.reportAllMs.max <= 5000)} |`,
      '', `Errors during GETs and lists: ${c.errors}. A target is judged on the worst of the three rounds.`, '');
  }
  lines.push(`Raw numbers: the .json beside this file; how to read them and why a target is missed: the notes file of the same date.`, '');
  return lines.join('\n');
}

/** `tsx bench/summary.ts bench/results/<date>.json`: writes the .md again from the .json. */
if (require.main === module) {
  const file = process.argv[2];
  writeFileSync(file.replace(/\.json$/, '.md'), summary(JSON.parse(readFileSync(file, 'utf8'))));
}
