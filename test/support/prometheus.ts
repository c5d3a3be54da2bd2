/**
 * A real Prometheus for tests (Debian's `prometheus` package, installed when missing): started on a free
 * loopback port with a config and storage of its own, asked PromQL over its HTTP API, stopped at the end.
 * Also `promtool` (the same package) and a free-port helper for the exporters a test starts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackage } from './debian-packages';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  url: string;
  /** The directory holding its config (write rule files beside it). */
  dir: string;
  query(promql: string): Promise<PromResult[]>;
  /** GET an API path (e.g. `/api/v1/rules`) and return its `data`. */
  api<T>(pathAndQuery: string): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with `config` (YAML text) written as prometheus.yml in a directory of its own; `files`
 * are written beside it first (rule files the config names by relative path).
 */
export async function startPrometheus(config: string, files: Record<string, string> = {}): Promise<RunningPrometheus> {
  ensureDebianPackage('prometheus');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-cases-prometheus-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const answer = await fetch(`${url}${pathAndQuery}`);
    const body = await answer.json() as { status: string; data: T };
    if (body.status !== 'success') throw new Error(`${pathAndQuery}: ${JSON.stringify(body)}`);
    return body.data;
  };
  return {
    url, dir, api,
    query: async (promql) => (await api<{ result: PromResult[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `promtool <args>` and returns what it printed; throws with its output when it fails. */
export function promtool(args: string[], cwd?: string): string {
  ensureDebianPackage('prometheus');
  try {
    return execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}
