/**
 * The benchmark's processes: TypeScript children (API, load generator, trivial worker) started with tsx as a
 * loader, an OTLP sink that takes every span export and keeps only counts, and CPU accounting per process
 * from /proc/<pid>/stat (utime + stime) and for the whole machine from /proc/stat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadResult, LoadSpec } from './loadgen';

const root = path.resolve(__dirname, '..');

export interface Child {
  pid: number;
  /** Resolves with the first line that starts with `marker` (its rest), rejects when the child exits first. */
  line: Promise<string>;
  stop(): Promise<void>;
  output(): string;
}

export function spawnTs(script: string, args: string[], env: Record<string, string>, marker: string, onLine?: (line: string) => void): Child {
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (onLine) for (const l of text.split('\n')) if (l) onLine(l);
      out += text;
      const hit = out.split('\n').find((l) => l.startsWith(marker));
      if (hit) resolve(hit.slice(marker.length).trim());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before ${marker}:\n${out.slice(-3000)}`)));
  });
  line.catch(() => undefined);
  return {
    pid: child.pid!, line, output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One run of the load generator in its own process; `onStart` runs as its loop starts (to open a CPU window). */
export async function runLoad(spec: LoadSpec, onStart: () => void = () => undefined): Promise<LoadResult> {
  const child = spawnTs('bench/loadgen.ts', [JSON.stringify(spec)], {}, 'RESULT ', (l) => { if (l.startsWith('STARTED')) onStart(); });
  const result = JSON.parse(await child.line) as LoadResult;
  await child.stop();
  return result;
}

/** An OTLP/HTTP endpoint that answers every export with success and counts requests and bytes. */
export async function startOtlpSink(): Promise<{ url: string; stats: { requests: number; bytes: number }; close(): Promise<void> }> {
  const stats = { requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => { stats.bytes += c.length; });
    req.on('end', () => {
      stats.requests += 1;
      const json = String(req.headers['content-type'] ?? '').includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, stats, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used; 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The process and every process below it (PostgreSQL's backends under its postmaster). */
export function withDescendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parents) if (parent === out[i]) out.push(child);
  return out;
}

function machineBusySeconds(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

export type CpuGroups = Record<string, () => number[]>;

/**
 * CPU used per group of processes between `start` and `stop`, in cores (CPU seconds per wall second), with
 * the machine's busy cores and what other processes of the machine (other people's work) took meanwhile.
 */
export function cpuProbe(groups: CpuGroups) {
  const before = new Map<number, number>();
  const startPids = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids()]));
  for (const pids of Object.values(startPids)) for (const pid of pids) before.set(pid, cpuSecondsOf(pid));
  const m0 = machineBusySeconds();
  const t0 = performance.now();
  return {
    /** `extra`: CPU seconds of processes that ended inside the window (a load generator reports its own). */
    stop(extra: Record<string, number> = {}): { wallSeconds: number; cores: Record<string, number>; machineBusyCores: number; otherCores: number } {
      const wall = (performance.now() - t0) / 1000;
      const m1 = machineBusySeconds();
      const cores: Record<string, number> = {};
      for (const [name, pids] of Object.entries(groups)) {
        const now = new Set([...startPids[name], ...pids()]);
        let used = 0;
        for (const pid of now) used += Math.max(0, cpuSecondsOf(pid) - (before.get(pid) ?? 0));
        cores[name] = Math.round((used / wall) * 100) / 100;
      }
      for (const [name, seconds] of Object.entries(extra)) cores[name] = Math.round((seconds / wall) * 100) / 100;
      const machine = (m1.busy - m0.busy) / wall;
      const ours = Object.values(cores).reduce((a, b) => a + b, 0);
      return { wallSeconds: Math.round(wall * 10) / 10, cores, machineBusyCores: Math.round(machine * 100) / 100, otherCores: Math.round((machine - ours) * 100) / 100 };
    },
  };
}
