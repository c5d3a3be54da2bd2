/**
 * The whole system for integration tests: a real worker (the cases plugin with inspectable sandbox
 * adapters) on its own task queue, the real API listening on a loopback port, both on the run's Temporal
 * dev server. Tests speak HTTP to it and read the sandbox ledger; the worker can be stopped and restarted.
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ActivityDeps } from '../../activities';
import { buildApp } from '../../api/app';
import { listExecutions } from '../../api/visibility';
import { loadApiKeys } from '../../api/auth';
import { createCasesWorker } from '../../worker/start-worker';
import { dataConverterFrom, developmentKeyring } from '../../worker/encryption';
import { createSandboxAdapters, type SandboxAdapters } from '../../worker/sandbox';
import { temporalAddress, temporalNamespace, testConnection, uniqueTaskQueue } from './temporal';
import { openCaseProjection, type CaseProjection } from '../../activities/projection';
import { freshProjectionDatabase } from './projection';

export interface CaseSystem {
  baseUrl: string;
  client: Client;
  taskQueue: string;
  adapters: SandboxAdapters;
  app: FastifyInstance;
  /** The case projection API and worker share (PostgreSQL, a database of this system's own). */
  projection: CaseProjection;
  /** Its URL, for a worker run as a process of its own (PROJECTION_DATABASE_URL). */
  projectionDatabaseUrl: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface CaseSystemOptions {
  name: string;
  /** How long the API waits for Temporal/a worker before answering 503. */
  temporalCallTimeoutMs?: number;
  /** Adapters to use instead of the sandbox ones (e.g. a real webhook publisher). */
  adapters?: Partial<ActivityDeps>;
  /** Another Temporal server than the run's shared one (e.g. one whose UI decodes through this API). */
  temporalAddress?: string;
  /** A fixed API port (default: any free one). */
  port?: number;
  /** Temporal UI origins allowed to call the codec endpoint. */
  codecCorsOrigins?: string[];
  /** false: no in-process worker (the test runs worker/main.ts as a process of its own). */
  inProcessWorker?: boolean;
  /** false: API and worker without the case projection (reads ask the workflows and visibility, as an API without PROJECTION_DATABASE_URL does). */
  projection?: boolean;
}

export async function startCaseSystem(options: CaseSystemOptions): Promise<CaseSystem> {
  const taskQueue = uniqueTaskQueue(options.name);
  const namespace = temporalNamespace();
  const adapters = createSandboxAdapters();
  // Worker and API share the encrypting converter (development keyring), as in the embedded default.
  const address = options.temporalAddress ?? temporalAddress();
  const client = options.temporalAddress
    ? new Client({ connection: await Connection.connect({ address }), namespace, dataConverter: dataConverterFrom({}) })
    : await testConnection({ dataConverter: dataConverterFrom({}) });
  const nativeConnection = await NativeConnection.connect({ address });
  const projectionDatabaseUrl = await freshProjectionDatabase(options.name);
  const projection = await openCaseProjection({ databaseUrl: projectionDatabaseUrl, codecs: client.options.loadedDataConverter.payloadCodecs });
  const served = options.projection === false ? {} : { projection };
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  const startWorker = async () => {
    if (worker) return;
    worker = await createCasesWorker({ connection: nativeConnection, namespace, taskQueue, adapters: { ...adapters, ...served, ...options.adapters }, encryptionKeys: developmentKeyring(), shutdownGraceTime: '1 second' });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    await running;
    worker = undefined;
  };

  if (options.inProcessWorker !== false) await startWorker();
  const app = await buildApp({
    client,
    taskQueue,
    namespace,
    keys: loadApiKeys({}),
    // Only errors: an unexpected 500 in a test shows its cause in the output.
    logger: { level: 'error' },
    temporalCallTimeoutMs: options.temporalCallTimeoutMs ?? 10_000,
    ...served,
    ...(options.codecCorsOrigins ? { codec: { corsOrigins: options.codecCorsOrigins } } : {}),
  });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });

  return {
    baseUrl,
    client,
    taskQueue,
    adapters,
    app,
    projection,
    projectionDatabaseUrl,
    startWorker,
    stopWorker,
    async close() {
      await app.close();
      await terminateLeftovers(client, namespace, taskQueue);
      await stopWorker();
      await nativeConnection.close();
      await client.connection.close();
      await projection.close().catch(() => undefined); // a test may have closed it already (the database "down")
    },
  };
}

/**
 * Workflows this file left running (registries, open cases) would sit on a task queue nobody polls any
 * more, and slow later files that list or query across the shared server: end them.
 */
async function terminateLeftovers(client: Client, namespace: string, taskQueue: string): Promise<void> {
  try {
    // Without decoding memos: one workflow under another key (a test of key rotation) must not stop the sweep.
    for await (const execution of listExecutions({ client, namespace }, `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`)) {
      await client.workflow.getHandle(execution.workflowId).terminate('test file finished').catch(() => undefined);
    }
  } catch {
    // Best effort: visibility may lag; a leftover only costs later files time.
  }
}
