/**
 * The package as an embedder meets it: the README's embedding example, taken verbatim from the README,
 * runs in a fresh project that installed the packed tarball (never this repository), with that project's
 * own workflow on its own task queue beside the cases plugin, both Workers in one process over one
 * connection. The API runs from the same installed package. A payload under a key the worker lacks stops
 * the case with a named error; with the key added the case resumes and ends refunded, once.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../../scripts/lib/dev-server';
import { EMBEDDER_PACKAGES, installForEmbedding, packedTarball, scratchProject } from '../../support/installed-package';
import { startOutsideSystems, type OutsideSystems } from '../../support/outside-systems';
import { afterSaleToRefund, pollUntil, scenarioApi } from '../../support/scenarios';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../../support/temporal';

const root = path.resolve(__dirname, '..', '..', '..');

/** The fenced block of the README that starts with the example's file name. */
function readmeExample(fileName: string): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```(?:js|ts|javascript)\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.startsWith(`// ${fileName}`));
  if (!block) throw new Error(`README has no code block starting with // ${fileName}`);
  return block;
}

interface Running { child: ChildProcess; output(): string; exited: Promise<number | null> }

function run(dir: string, args: string[], env: Record<string, string>, readyText: string): Running & { ready: Promise<void> } {
  let output = '';
  const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited (${code}) before "${readyText}":\n${output}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => output };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 15_000);
  await running.exited;
  clearTimeout(timer);
}

const key = () => randomBytes(32).toString('base64');

describe('the packed package, embedded as the README shows', () => {
  let dir: string;
  let outside: OutsideSystems;
  let api: (Running & { ready: Promise<void> }) | undefined;
  let worker: (Running & { ready: Promise<void> }) | undefined;
  let client: Client;
  let baseUrl: string;
  const taskQueue = uniqueTaskQueue('embedded');
  const ownQueue = 'orders';
  const keys = { old: key(), rotated: key() };
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    const tarball = packedTarball();
    dir = scratchProject('embedder');
    installForEmbedding(dir, tarball, { name: 'shop-worker', version: '1.0.0', private: true, type: 'module' });
    // The embedder's own workflow and activity, on its own task queue.
    writeFileSync(path.join(dir, 'workflows.mjs'), [
      "import { proxyActivities } from '@temporalio/workflow';",
      "const { confirmOrder } = proxyActivities({ startToCloseTimeout: '10 seconds' });",
      'export async function orderConfirmation(orderId) { return await confirmOrder(orderId); }',
    ].join('\n'));
    writeFileSync(path.join(dir, 'activities.mjs'), 'export async function confirmOrder(orderId) { return `confirmed ${orderId}`; }\n');
    writeFileSync(path.join(dir, 'embedded-worker.mjs'), readmeExample('embedded-worker.mjs'));
    // The API encrypts under the rotated key; the worker starts with the old keys file only.
    writeFileSync(path.join(dir, 'api-keys.json'), JSON.stringify({ current: 'k2', keys: { k1: keys.old, k2: keys.rotated } }));
    writeFileSync(path.join(dir, 'worker-keys-old.json'), JSON.stringify({ current: 'k1', keys: { k1: keys.old } }));
    outside = await startOutsideSystems();
    const [port] = await freePorts('127.0.0.1', 1);
    baseUrl = `http://127.0.0.1:${port}`;
    const common = { TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace(), TASK_QUEUE: taskQueue };
    api = run(dir, ['node_modules/cs-cases/dist/api/main.js'], { ...common, PORT: String(port), LOG_LEVEL: 'warn', CASES_ENCRYPTION_KEYS_FILE: path.join(dir, 'api-keys.json') }, '');
    workerEnv = { ...common, ...outside.env, CASES_ENCRYPTION_KEYS_FILE: path.join(dir, 'worker-keys-old.json') };
    await pollUntil('the installed API answers', async () => (await fetch(`${baseUrl}/healthz`).catch(() => undefined))?.ok || undefined, 60_000);
    client = new Client({ connection: await Connection.connect({ address: temporalAddress() }), namespace: temporalNamespace() });
  }, 900_000);

  // A failure shows what the installed API and worker said (they run as processes of their own).
  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.log(`installed API output:\n${api?.output()}\nembedded worker output:\n${worker?.output()}`);
  });

  afterAll(async () => {
    await stop(worker);
    await stop(api);
    await outside?.close();
    await client?.connection.close();
  });

  it('the README installs what the suite installs beside the tarball', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(readme).toContain(`npm install ./cs-cases-${version}.tgz ${EMBEDDER_PACKAGES.join(' ')}\n`);
  });

  it('installs as a package: compiled JavaScript with declarations and a prebuilt workflow bundle, one copy of the SDK', () => {
    const installed = path.join(dir, 'node_modules', 'cs-cases');
    expect(existsSync(path.join(installed, 'dist', 'workflow-bundle.js'))).toBe(true);
    // The workflow interceptor modules are bundled in (a prebuilt bundle ignores interceptors given later): case tracing.
    expect(readFileSync(path.join(installed, 'dist', 'workflow-bundle.js'), 'utf8')).toContain('./worker/tracing/workflow-spans.ts');
    expect(existsSync(path.join(installed, 'dist', 'worker', 'index.d.ts'))).toBe(true);
    const sources = execFileSync('find', [installed, '-name', '*.ts', '-not', '-name', '*.d.ts'], { encoding: 'utf8' }).trim();
    expect(sources).toBe('');
    // Peer dependencies: the SDK is the project's own, never a private copy under the plugin.
    expect(existsSync(path.join(installed, 'node_modules', '@temporalio'))).toBe(false);
    expect(readdirSync(path.join(dir, 'node_modules', '@temporalio'))).toEqual(expect.arrayContaining(['client', 'worker', 'workflow', 'plugin']));
  });

  it('refuses to create the plugin without encryption keys, and the development key in production', () => {
    const check = (script: string, env: Record<string, string> = {}) => {
      try {
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe', encoding: 'utf8' });
        return 'created';
      } catch (err) {
        return String((err as { stderr?: string }).stderr);
      }
    };
    const adapters = "import { createCasesPlugin, createSandboxAdapters, developmentKeyring } from 'cs-cases'; const a = createSandboxAdapters();";
    expect(check(`${adapters} createCasesPlugin({ ...a });`)).toMatch(/needs encryptionKeys/);
    expect(check(`${adapters} createCasesPlugin({ ...a, encryptionKeys: './api-keys.json' });`)).toBe('created');
    expect(check(`${adapters} createCasesPlugin({ ...a, encryptionKeys: developmentKeyring() });`, { NODE_ENV: 'production' })).toMatch(/refuses the development encryption key/);
  });

  it('cs-cases-replay-check replays exported histories against the installed plugin and fails on a change that would break a running case', () => {
    const recorded = path.join(root, 'test', 'histories', 'after-sale-refund-only-approved@events-activity-again.json');
    const history = JSON.parse(readFileSync(recorded, 'utf8')) as { workflowId: string; history: { events: any[] } };
    mkdirSync(path.join(dir, 'histories'), { recursive: true });
    // As `temporal workflow show --output json` exports it: a bare { events } named by the workflow id.
    writeFileSync(path.join(dir, 'histories', `${history.workflowId}.json`), JSON.stringify(history.history));
    const replay = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync('npx', ['--no-install', 'cs-cases-replay-check', ...args], { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } }) };
      } catch (err) {
        const e = err as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: `${e.stdout}${e.stderr}` };
      }
    };
    const ok = replay('histories');
    expect(ok.out).toMatch(/1 replayed, 0 failed/);
    expect(ok.code).toBe(0);
    // The same history where the workflow had scheduled another activity than today's code does.
    const altered = structuredClone(history.history);
    const scheduled = altered.events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'executeRefund');
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'executeRefundV0';
    writeFileSync(path.join(dir, 'altered.json'), JSON.stringify({ workflowId: history.workflowId, history: altered }));
    const broken = replay('altered.json');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/FAIL .*as_/);
    expect(broken.out).toMatch(/0 replayed, 1 failed|1 failed/);
  });

  it('a case encrypted under a key the worker lacks waits with UnknownEncryptionKeyError, then resumes when the key is added', async () => {
    const api0 = scenarioApi({ baseUrl });
    const created = await api0.call('POST', '/v1/after-sales', api0.keys.channel, {
      merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: 'cust-key', type: 'refund_only', reason: 'not_received',
      items: [{ sku: 'mug', quantity: 1, unitPrice: { amount: 3_900, currency: 'CNY' } }],
      order: { paidTotal: { amount: 3_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } },
    });
    expect(created.status).toBe(201);
    worker = run(dir, ['embedded-worker.mjs'], workerEnv, `polling ${ownQueue}`);
    await worker.ready;
    const failure = await pollUntil('a failed workflow task', async () => {
      const history = await client.workflow.getHandle(created.body.id).fetchHistory();
      return (history.events ?? []).map((event) => event.workflowTaskFailedEventAttributes?.failure?.message).find(Boolean) ?? undefined;
    }, 60_000);
    expect(failure).toMatch(/no decryption key k2/);
    expect(worker.output()).toMatch(/UnknownEncryptionKeyError/);
    expect(worker.output()).toMatch(/keyId.*k2|k2.*keyId/s);

    await stop(worker);
    workerEnv = { ...workerEnv, CASES_ENCRYPTION_KEYS_FILE: path.join(dir, 'api-keys.json') };
    worker = run(dir, ['embedded-worker.mjs'], workerEnv, `polling ${ownQueue}`);
    await worker.ready;
    // A refund-only request for a parcel never received: the case now runs, the merchant approves, one refund.
    const approved = await api0.call('POST', `/v1/after-sales/${created.body.id}/actions/approve`, api0.keys.merchant, { actorRef: 'staff-a1' }, { retryForMs: 60_000 });
    expect(approved.status).toBe(200);
    const closed = await pollUntil('refunded', async () => {
      const view = await api0.call('GET', `/v1/after-sales/${created.body.id}`, api0.keys.supervisor);
      return view.body?.status === 'closed' ? view.body : undefined;
    }, 60_000);
    expect(closed.outcome).toBe('refunded');
    expect(outside.payments.ledger(created.body.id)).toHaveLength(1);
  });

  it('drives an after-sale to refunded through the installed API and runs the project\'s own workflow in the same process', async () => {
    expect(worker?.child.exitCode).toBeNull();
    const refund = await afterSaleToRefund(scenarioApi({ baseUrl }), outside);
    expect(refund.refunds).toHaveLength(1);
    const result = await client.workflow.execute('orderConfirmation', { taskQueue: ownQueue, workflowId: `embedded-own-${randomUUID()}`, args: ['o-42'], workflowExecutionTimeout: '60 seconds' });
    expect(result).toBe('confirmed o-42');
    // One process polled both task queues.
    const pollers = async (queue: string) => (await client.workflowService.describeTaskQueue({ namespace: temporalNamespace(), taskQueue: { name: queue, kind: 1 }, taskQueueType: 1 })).pollers ?? [];
    const identity = (await pollers(taskQueue)).map((p) => p.identity).find((id) => id?.startsWith(`${worker!.child.pid}@`));
    expect(identity).toBeDefined();
    expect((await pollers(ownQueue)).map((p) => p.identity)).toContain(identity);
  });
});
