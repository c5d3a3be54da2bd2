/**
 * The load generator, run as a process of its own (`node --import tsx bench/loadgen.ts '<json>'`): a closed
 * loop of `concurrency` callers for `seconds`, then one line `RESULT {…}` with throughput and latencies.
 * Modes: `create` (POST /v1/after-sales), `raw` (client.workflow.start of the same case, ./requests),
 * `get-case` (GET of a random case of `idsFile`), `list` (GET /v1/cases pages, following the page token).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFrom } from '../worker/encryption';
import { createBody, rawStart } from './requests';
import { closedLoop, percentile, round } from './stats';

export interface LoadSpec {
  mode: 'create' | 'raw' | 'get-case' | 'list';
  concurrency: number;
  seconds: number;
  /** API base URL (HTTP modes). */
  url?: string;
  /** Temporal address and task queue (raw). */
  address?: string;
  taskQueue?: string;
  /** One case id a line (get-case). */
  idsFile?: string;
  /** Requests per second across all callers (paced; each latency is counted from its slot); absent: as fast as answered. */
  rate?: number;
}

export interface LoadResult {
  mode: LoadSpec['mode'];
  rate?: number;
  count: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  firstError?: string;
  /** CPU seconds this process used during the loop. */
  cpuSeconds: number;
}

function call(agent: http.Agent, base: URL, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(spec: LoadSpec): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const base = new URL(spec.url ?? 'http://127.0.0.1');
  const expect = async (p: Promise<{ status: number; text: string }>) => {
    const { status, text } = await p;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status >= 300) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`);
    return text;
  };
  let task: (i: number) => Promise<void>;
  let client: Client | undefined;
  if (spec.mode === 'raw') {
    client = new Client({ connection: await Connection.connect({ address: spec.address! }), dataConverter: dataConverterFrom({}) });
    task = async () => { await rawStart(client!, { taskQueue: spec.taskQueue! }); };
  } else if (spec.mode === 'create') {
    task = async () => {
      await expect(call(agent, base, 'POST', '/v1/after-sales', { authorization: 'Bearer dev-channel', 'content-type': 'application/json', 'idempotency-key': randomUUID() }, JSON.stringify(createBody())));
    };
  } else if (spec.mode === 'get-case') {
    const ids = readFileSync(spec.idsFile!, 'utf8').split('\n').filter(Boolean);
    task = async () => { await expect(call(agent, base, 'GET', `/v1/after-sales/${ids[Math.floor(Math.random() * ids.length)]}`, { authorization: 'Bearer dev-supervisor' })); };
  } else {
    // Each caller pages through the list (50 a page) up to 20 pages deep, then starts over.
    const tokens = new Map<number, { token: string | null; depth: number }>();
    task = async (i) => {
      const slot = i % spec.concurrency;
      const at = tokens.get(slot) ?? { token: null, depth: 0 };
      const text = await expect(call(agent, base, 'GET', `/v1/cases?pageSize=50${at.token ? `&pageToken=${encodeURIComponent(at.token)}` : ''}`, { authorization: 'Bearer dev-supervisor' }));
      const next = (JSON.parse(text) as { nextPageToken: string | null }).nextPageToken;
      tokens.set(slot, next && at.depth < 19 ? { token: next, depth: at.depth + 1 } : { token: null, depth: 0 });
    };
  }
  console.log('STARTED');
  const cpu0 = process.cpuUsage();
  let ticket = 0;
  const start = performance.now();
  const pace = spec.rate ? async () => {
    const at = start + (ticket++ * 1000) / spec.rate!;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  } : undefined;
  const run = await closedLoop(spec.concurrency, spec.seconds * 1000, task, pace);
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  await client?.connection.close();
  const l = run.latencies;
  return {
    mode: spec.mode, ...(spec.rate ? { rate: spec.rate } : {}), count: l.length, errors: run.errors, rps: round(l.length / (run.elapsedMs / 1000)),
    p50Ms: round(percentile(l, 0.5)), p90Ms: round(percentile(l, 0.9)), p99Ms: round(percentile(l, 0.99)), maxMs: round(Math.max(...l)),
    statuses, cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3), ...(run.firstError ? { firstError: run.firstError } : {}),
  };
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as LoadSpec).then((r) => {
    console.log(`RESULT ${JSON.stringify(r)}`);
    process.exit(0);
  }, (err) => {
    console.error('loadgen failed:', err);
    process.exit(1);
  });
}
