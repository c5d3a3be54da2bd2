/**
 * `npm start`'s output when stdout is not a terminal (a pipe, a container log): the banner as it is, then
 * JSON log lines only (the worker's warnings and one line per case event too), and no line per request at the
 * default level. Runs scripts/start.ts as a process of
 * its own against the run's Temporal server (TEMPORAL_ADDRESS), on a free port and its own task queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporalAddress, uniqueTaskQueue } from '../../support/temporal';
import { eventually } from '../../support/http';
import { createCasesClient } from '../../../api/client';

const root = path.resolve(__dirname, '..', '..', '..');
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
});

describe('npm start without a terminal', () => {
  it('prints the banner, then JSON lines, and no request lines at info', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env, TEMPORAL_ADDRESS: temporalAddress(), PORT: String(port), TASK_QUEUE: uniqueTaskQueue('start-logs'),
      // The embedded projection (PGlite, one process) in a folder of this run: never the clone's own data/projection,
      // which a developer's running `npm start` may hold.
      PROJECTION_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cs-cases-start-projection-')),
    };
    delete env.PROJECTION_DATABASE_URL;
    delete env.LOG_LEVEL;
    delete env.NODE_ENV;
    child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });

    await eventually(async () => {
      if (!out.includes('Press Ctrl-C to stop.')) throw new Error(`not up yet:\n${out}`);
    }, { timeoutMs: 90_000, intervalMs: 500 });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${base}/v1/policies`, { headers: { authorization: 'Bearer dev-agent' } })).status).toBe(200);
    // A refund the sandbox gateway refuses: the worker warns (Activity failed), as one JSON line too.
    const admin = createCasesClient({ baseUrl: base, apiKey: 'dev-admin' });
    await admin.POST('/v1/sandbox/payments/faults', { body: { fault: 'refuse' } });
    const created = await createCasesClient({ baseUrl: base, apiKey: 'dev-channel' }).POST('/v1/after-sales', {
      body: {
        merchantId: 'm-a', orderId: 'order-logs', customerRef: 'cust-logs', type: 'refund_only', reason: 'quality',
        items: [{ sku: 'x', quantity: 1, unitPrice: { amount: 100, currency: 'CNY' } }], order: { paidTotal: { amount: 100, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } },
      },
    });
    await createCasesClient({ baseUrl: base, apiKey: 'dev-merchant-a' }).POST('/v1/after-sales/{id}/actions/approve', { params: { path: { id: created.id } }, body: { actorRef: 'staff-logs' } });
    await eventually(async () => {
      if (!out.includes('"level":40')) throw new Error('no warning yet');
    }, { timeoutMs: 30_000 });
    // Reads come from the embedded projection (PGlite in the same process): the answer names its revision.
    await eventually(async () => {
      const read = await fetch(`${base}/v1/after-sales/${created.id}`, { headers: { authorization: 'Bearer dev-channel' } });
      expect(read.status).toBe(200);
      expect(read.headers.get('case-revision')).not.toBeNull();
    }, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(out).toContain('cs-cases is up (embedded default, sandbox adapters)');
    expect(out).toMatch(/Case projection\s+PGlite in this process/);
    const jsonLines = out.split('\n').filter((line) => line.startsWith('{'));
    const parsed = jsonLines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(parsed.some((line) => /Server listening/.test(line.msg))).toBe(true);
    expect(parsed.some((line) => line.level === 40 && line.msg === 'Activity failed')).toBe(true);
    // One line per case event at info, naming the case, never carrying the event's data.
    const events = parsed.filter((line) => line.msg.startsWith('case event ')) as Array<{ level: number; msg: string; caseId?: string; data?: unknown }>;
    expect(events.filter((line) => line.caseId === created.id).map((line) => line.msg)).toEqual(expect.arrayContaining(['case event case.created', 'case event refund.failed']));
    expect(events.every((line) => line.level === 30 && line.data === undefined)).toBe(true);
    expect(parsed.filter((line) => line.msg === 'incoming request' || line.msg === 'request completed')).toEqual([]);
    // Nothing else but the banner, the start-up lines and JSON: no pretty-printed log lines.
    const other = out.split('\n').filter((line) => line && !line.startsWith('{') && !line.startsWith('[cs-cases]') && !line.startsWith('  ') && !/^(cs-cases is up|Press Ctrl-C)/.test(line));
    expect(other).toEqual([]);
  }, 120_000);
});
