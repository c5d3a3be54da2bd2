/**
 * The product run the way production runs it, with real parts: PostgreSQL and the Temporal server behind
 * frontend mTLS (the compose topology without containers), the package installed by replaying the
 * Dockerfile's runtime stage, the worker started with the image's CMD and the API with the compose file's
 * command, both as plain node processes under an unprivileged user with the image's ENV, production API keys
 * and encryption keys from files, the API over HTTPS, and every adapter on real HTTP outside systems that
 * check signatures. The scenario drivers run against it, then the worker is SIGKILLed mid-refund and the
 * Temporal server restarted: every case ends with exactly one refund. Start-up refusals are checked too.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../../scripts/lib/dev-server';
import { encryptedDataConverter, keyringFromFile } from '../../../worker/encryption';
import { CaseStatus } from '../../../workflows/search-attributes';
import { dockerRuntimeStage, installLikeDockerfile, packedTarball, scratchProject } from '../../support/installed-package';
import { startOutsideSystems, type OutsideSystems } from '../../support/outside-systems';
import {
  type NodeService,
  type ProductionSecrets,
  type ServiceUser,
  composeServiceCommand,
  installedBinCommand,
  missingFromInstall,
  runToExit,
  startNodeService,
  unprivilegedUser,
  writeProductionSecrets,
} from '../../support/production-stack';
import { afterSaleToRefund, complaintWithSurvey, fetchTrusting, orderIssue, pollUntil, scenarioApi, type ScenarioApi } from '../../support/scenarios';
import { type Topology, TOPOLOGY_PROJECTION_DB, clientTlsOptions, startTopology } from '../../support/topology';

const MERCHANT = 'm-a';
/** Waits of the drivers are doubled: two cores shared by PostgreSQL, the Temporal server, the worker and the API. */
const TIME_SCALE = 2;
const WORKER_READY = 'cs-cases worker polling task queue';

const started = Date.now();
const progress = (message: string) => console.log(`[production-stack +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

let topology: Topology;
let outside: OutsideSystems;
let installDir: string;
let secrets: ProductionSecrets;
let user: ServiceUser | undefined;
let workerCommand: string[];
let apiCommand: string[];
/** What the compose file's commands lack in the installed package (reported by their own test). */
const composeProblems: Record<'worker' | 'api', string[]> = { worker: [], api: [] };
let workerEnv: Record<string, string>;
let apiEnv: Record<string, string>;
let worker: NodeService | undefined;
let apiProcess: NodeService | undefined;
let api: ScenarioApi;
let baseUrl: string;
let temporalClient: Client;
/** Every case this file drove, and those among them that moved money. */
const drivenCases = new Set<string>();
const refundedCases = new Set<string>();

const image = dockerRuntimeStage();

function serviceOutput(): string {
  return [
    `--- worker (${worker?.pid}) ---\n${worker?.output().slice(-3_000) ?? ''}`,
    `--- API (${apiProcess?.pid}) ---\n${apiProcess?.output().slice(-3_000) ?? ''}`,
  ].join('\n');
}

function startWorker(): NodeService {
  return startNodeService('worker', workerCommand, { cwd: installDir, env: workerEnv, user });
}

async function readyz(): Promise<{ status: number; body: any }> {
  const response = await fetchTrusting(readFileSync(secrets.temporalCaFile))(`${baseUrl}/readyz`, { method: 'GET', headers: { accept: 'application/json' } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The user id a process runs as (Uid: real effective saved fs). */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[2]);
}

beforeAll(async () => {
  progress('starting the topology (PostgreSQL, Temporal server with frontend mTLS)…');
  topology = await startTopology({ log: (message) => progress(`[topology] ${message}`) });
  expect(topology.tls, 'the topology runs with mTLS').toBeDefined();

  progress('packing the package and installing it as the Dockerfile\'s runtime stage does…');
  const tarball = packedTarball(progress);
  installDir = scratchProject('production-stack');
  const installStarted = Date.now();
  installLikeDockerfile(installDir, tarball, image);
  progress(`installed (npm install --omit=dev) in ${((Date.now() - installStarted) / 1000).toFixed(0)} s into a scratch project`);

  // USER of the image: the processes run unprivileged, reading the install and their secrets only.
  user = unprivilegedUser(image.user);
  chmodSync(installDir, 0o755);
  outside = await startOutsideSystems();
  // The webhook subscriptions go in a file, as compose mounts them (WEBHOOKS_FILE).
  const { WEBHOOKS: webhooks, ...adapterEnv } = outside.env;
  secrets = writeProductionSecrets(path.join(installDir, '.secrets'), { certDir: topology.certDir, merchantId: MERCHANT, owner: user, webhooks });
  progress(user ? `services run as ${user.name} (uid ${user.uid}); the image's USER is ${image.user}` : 'not root: services run as the current user');
  // The test's own Temporal client, as an operator with the client certificate and the encryption keys.
  temporalClient = new Client({
    connection: await Connection.connect({ address: topology.address, tls: await clientTlsOptions(topology.tls!) }),
    namespace: topology.namespace,
    dataConverter: encryptedDataConverter(keyringFromFile(secrets.encryptionKeysFile)),
  });

  workerCommand = image.command;
  composeProblems.worker = missingFromInstall(composeServiceCommand('worker') ?? image.command, installDir);
  const composeApi = composeServiceCommand('api');
  if (!composeApi) throw new Error('docker-compose.yml gives the api service no command');
  composeProblems.api = missingFromInstall(composeApi, installDir);
  // Until compose names the installed entry point, start the API from the package's own bin so everything
  // else can be checked; the compose test below fails and says why.
  apiCommand = composeProblems.api.length === 0 ? composeApi : installedBinCommand(installDir, 'cs-cases', 'cs-cases-api');
  if (composeProblems.api.length > 0) progress(`docker-compose.yml's api command ${JSON.stringify(composeApi)} cannot run from the install (${composeProblems.api.join('; ')}); starting ${JSON.stringify(apiCommand)} instead`);

  const [port] = await freePorts('127.0.0.1', 1);
  baseUrl = `https://127.0.0.1:${port}`;
  const taskQueue = `production-stack-${process.pid}-${randomUUID().slice(0, 8)}`;
  const common: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...image.env,
    TEMPORAL_ADDRESS: topology.address,
    TEMPORAL_NAMESPACE: topology.namespace,
    TEMPORAL_TLS_CA_FILE: secrets.temporalCaFile,
    TEMPORAL_TLS_CERT_FILE: secrets.temporalCertFile,
    TEMPORAL_TLS_KEY_FILE: secrets.temporalKeyFile,
    TEMPORAL_TLS_SERVER_NAME: topology.tls!.serverName,
    TASK_QUEUE: taskQueue,
    CASES_ENCRYPTION_KEYS_FILE: secrets.encryptionKeysFile,
    // As compose: the projection in its own database on the topology's PostgreSQL.
    PROJECTION_DATABASE_URL: `postgres://${topology.postgres.user}:${topology.postgres.password}@${topology.postgres.host}:${topology.postgres.port}/${TOPOLOGY_PROJECTION_DB}`,
  };
  workerEnv = { ...common, ...adapterEnv, WEBHOOKS_FILE: secrets.webhooksFile! };
  apiEnv = {
    ...common,
    API_KEYS_FILE: secrets.apiKeysFile,
    TLS_CERT_FILE: secrets.httpsCertFile,
    TLS_KEY_FILE: secrets.httpsKeyFile,
    HOST: '127.0.0.1',
    PORT: String(port),
  };

  progress(`starting the worker (${workerCommand.join(' ')}) and the API (${apiCommand.join(' ')})…`);
  worker = startWorker();
  apiProcess = startNodeService('api', apiCommand, { cwd: installDir, env: apiEnv, user });
  try {
    await worker.waitForOutput(WORKER_READY, 120_000);
    await pollUntil('the API answers /healthz over https', async () => {
      const exited = await Promise.race([apiProcess!.exited, Promise.resolve(undefined)]);
      if (exited) throw new Error(`the API exited (${exited.signal ?? exited.code})`);
      const response = await fetchTrusting(readFileSync(secrets.temporalCaFile))(`${baseUrl}/healthz`, { method: 'GET', headers: {} }).catch(() => undefined);
      return response?.status === 200 ? true : undefined;
    }, 60_000, 500);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${serviceOutput()}\n${topology.logs()}`, { cause: error });
  }
  api = scenarioApi({ baseUrl, keys: secrets.keys, caFile: secrets.temporalCaFile, merchantId: MERCHANT, timeScale: TIME_SCALE });
  progress(`worker (pid ${worker.pid}) polling ${taskQueue}; API at ${baseUrl} (pid ${apiProcess.pid})`);
}, 1_500_000);

afterAll(async () => {
  await worker?.stop();
  await apiProcess?.stop();
  await temporalClient?.connection.close();
  await outside?.close();
  await topology?.stop();
  if (installDir) rmSync(installDir, { recursive: true, force: true });
  progress('stopped');
});

describe('the production stack: installed package, mTLS Temporal on PostgreSQL, HTTPS API, HTTP outside systems', () => {
  it('docker-compose.yml starts the worker and the API with entry points the installed package has', () => {
    const commands = { worker: composeServiceCommand('worker') ?? image.command, api: composeServiceCommand('api') };
    expect(
      composeProblems,
      `docker-compose.yml commands ${JSON.stringify(commands)} do not run in an image built from the Dockerfile (production dependencies only, compiled dist/)`,
    ).toEqual({ worker: [], api: [] });
    // The check is not vacuous: the commands compose had before (TypeScript through the tsx loader) fail it.
    expect(missingFromInstall(['node', '--import', 'tsx', 'api/main.ts'], installDir)).toEqual([
      expect.stringMatching(/--import tsx: the package tsx is not installed/),
      expect.stringMatching(/api\/main\.ts: no such file/),
    ]);
  });

  it('runs both processes as the unprivileged user, with the image\'s NODE_ENV', () => {
    expect(image.env.NODE_ENV).toBe('production');
    expect(workerEnv.NODE_ENV).toBe('production');
    expect(apiEnv.NODE_ENV).toBe('production');
    if (!user) return; // not root: nothing to drop
    expect(uidOf(worker!.pid)).toBe(user.uid);
    expect(uidOf(apiProcess!.pid)).toBe(user.uid);
  });

  it('is ready over https with the worker polling, and refuses plaintext HTTP', async () => {
    const ready = await pollUntil('/readyz 200 with pollers', async () => {
      const answer = await readyz();
      return answer.status === 200 && answer.body.workers === 'polling' ? answer : undefined;
    }, 60_000);
    expect(ready.body).toMatchObject({ status: 'ready', taskQueue: workerEnv.TASK_QUEUE, workers: 'polling', projection: 'postgres' });
    const plain = await fetch(baseUrl.replace('https:', 'http:') + '/readyz', { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, (error: Error) => error.name);
    expect(plain).not.toBe(200);
  });

  it('refuses the development keys in production (401) and accepts the production ones', async () => {
    for (const [devKey, path] of [['dev-supervisor', '/v1/policies'], ['dev-admin', '/v1/policies'], ['dev-channel', `/v1/cases?orderId=order-1`]] as const) {
      const answer = await api.call('GET', path, devKey);
      expect(answer.status, `${devKey} on ${path}`).toBe(401);
    }
    const create = await api.call('POST', '/v1/after-sales', 'dev-channel', { merchantId: MERCHANT });
    expect(create.status).toBe(401);
    expect((await api.call('GET', '/v1/policies', secrets.keys.supervisor)).status).toBe(200);
    // The merchant key sees its own merchant only.
    expect((await api.call('GET', `/v1/cases?orderId=order-1`, secrets.keys.merchant)).status).toBe(200);
  });

  it('runs an after-sale to one refund', async () => {
    const run = await afterSaleToRefund(api, outside);
    run.caseIds.forEach((id) => drivenCases.add(id));
    refundedCases.add(run.caseId);
    progress(`after-sale ${run.caseId} refunded ${run.refundAmount.amount} ${run.refundAmount.currency}`);
  }, 240_000);

  it('runs a complaint to a refund and an answered survey', async () => {
    const run = await complaintWithSurvey(api, outside);
    run.caseIds.forEach((id) => drivenCases.add(id));
    refundedCases.add(run.linkedCaseId);
    progress(`complaint ${run.caseId} closed, survey ${run.surveyId} answered ${run.score}`);
  }, 240_000);

  it('runs order issues: a lost parcel compensated once, an address changed once', async () => {
    const run = await orderIssue(api, outside);
    run.caseIds.forEach((id) => drivenCases.add(id));
    refundedCases.add(run.compensationCaseId);
    expect(run.carrierInquiries).toBe(1);
    expect(run.addressChanges).toBe(1);
    progress(`order issues ${run.parcelCaseId} (compensated by ${run.compensationCaseId}) and ${run.addressCaseId} (address changed) closed`);
  }, 240_000);

  it('signed every call to every outside system, and delivered every case\'s events in order', () => {
    const log = outside.log();
    const bySystem = (system: string) => log.filter((r) => r.system === system).length;
    for (const system of ['payments', 'notifications', 'logistics', 'orders', 'webhooks']) expect(bySystem(system), `calls to ${system}`).toBeGreaterThan(0);
    expect(outside.badSignatures()).toEqual([]);
    for (const caseId of drivenCases) expect(outside.webhooks.orderProblems(caseId), caseId).toEqual([]);
    progress(`${log.length} outside-system calls, every signature valid`);
  });

  it('the worker refuses to start without mTLS settings or an encryption keys file in production', async () => {
    const withoutTls = Object.fromEntries(Object.entries(workerEnv).filter(([name]) => !name.startsWith('TEMPORAL_TLS_')));
    const noTls = await runToExit(workerCommand, { cwd: installDir, env: withoutTls, user }, 60_000);
    expect(noTls.signal).toBeNull();
    expect(noTls.code, noTls.output).not.toBe(0);
    expect(noTls.output).toMatch(/TEMPORAL_TLS_\w+/);
    expect(noTls.output).not.toContain(WORKER_READY);

    const withoutKeys = Object.fromEntries(Object.entries(workerEnv).filter(([name]) => name !== 'CASES_ENCRYPTION_KEYS_FILE'));
    const noKeys = await runToExit(workerCommand, { cwd: installDir, env: withoutKeys, user }, 60_000);
    expect(noKeys.signal).toBeNull();
    expect(noKeys.code, noKeys.output).not.toBe(0);
    expect(noKeys.output).toMatch(/CASES_ENCRYPTION_KEYS_FILE/);
    expect(noKeys.output).not.toContain(WORKER_READY);
  });

  it('SIGKILL of the worker with a refund committed but unanswered, then a Temporal restart: the case refunds exactly once', async () => {
    // The gateway commits at once and holds its answer: the worker dies with the money moved and no answer heard.
    outside.payments.holdAnswersMs = 20_000;
    const created = await api.call('POST', '/v1/after-sales', secrets.keys.channel, {
      merchantId: MERCHANT, orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: `cust-${randomUUID().slice(0, 8)}`, type: 'refund_only', reason: 'not_received',
      items: [{ sku: 'mug-1', quantity: 1, unitPrice: { amount: 3_900, currency: 'CNY' } }],
      order: { paidTotal: { amount: 3_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const caseId: string = created.body.id;
    drivenCases.add(caseId);
    refundedCases.add(caseId);
    const approved = await api.call('POST', `/v1/after-sales/${caseId}/actions/approve`, secrets.keys.merchant, { actorRef: 'staff-a1' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const committed = await pollUntil('the refund committed at the gateway', async () => {
      const entries = outside.payments.ledger(caseId);
      return entries.length > 0 ? entries : undefined;
    }, 60_000 * TIME_SCALE, 50);
    expect(committed).toHaveLength(1);
    const idempotencyKey = committed[0].idempotencyKey;
    expect(outside.payments.log.filter((r) => r.idempotencyKey === idempotencyKey && r.status !== 0)).toEqual([]); // not answered yet

    const killed = worker!;
    await killed.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');
    const described = await temporalClient.workflow.getHandle(caseId).describe();
    expect(described.typedSearchAttributes.get(CaseStatus)).toBe('refunding');
    progress(`worker pid ${killed.pid} SIGKILLed with refund ${idempotencyKey} committed and unanswered`);

    outside.payments.holdAnswersMs = 0;
    worker = startWorker();
    await worker.waitForOutput(WORKER_READY, 120_000);
    progress(`worker restarted (pid ${worker.pid}); restarting the Temporal server…`);
    await topology.restartTemporal();
    progress('Temporal server back; waiting for the case to close (the lost attempt times out after 30 s)…');

    let seen = '';
    const closed = await pollUntil(`${caseId} closed after the crash`, async () => {
      const view = await api.call('GET', `/v1/after-sales/${caseId}`, secrets.keys.supervisor);
      seen = `${view.status} ${view.body?.status ?? ''}`;
      return view.status === 200 && view.body.status === 'closed' ? view.body : undefined;
    }, 120_000 * TIME_SCALE, 1_000).catch((error: Error) => {
      throw new Error(`${error.message}; last seen ${seen}\n${serviceOutput()}\n${topology.logs()}`);
    });
    expect(closed.outcome).toBe('refunded');
    expect(closed.refunds).toEqual([expect.objectContaining({ status: 'succeeded', idempotencyKey, amount: { amount: 3_900, currency: 'CNY' } })]);
    // The restarted worker asked again under the same key; the gateway paid once.
    expect(outside.payments.requestsFor(idempotencyKey)).toBeGreaterThanOrEqual(2);
    expect(outside.payments.ledger(caseId)).toHaveLength(1);
    expect(worker.output()).not.toMatch(/worker failed/);
    expect((await readyz()).status).toBe(200);
    progress(`case ${caseId} refunded once after the crash and the server restart`);
  }, 600_000);

  it('holds exactly one refund in the gateway ledger for each case driven in this file, and only valid signatures', () => {
    const ledger = outside.payments.ledger();
    for (const caseId of drivenCases) {
      expect(outside.payments.ledger(caseId), caseId).toHaveLength(refundedCases.has(caseId) ? 1 : 0);
    }
    expect(ledger).toHaveLength(refundedCases.size);
    expect(new Set(ledger.map((entry) => entry.idempotencyKey)).size).toBe(ledger.length);
    expect(outside.badSignatures()).toEqual([]);
  });
});
