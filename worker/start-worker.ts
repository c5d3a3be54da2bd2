/**
 * Creates the bundled worker: the cases plugin on its task queue over a native connection. Used by
 * worker/main.ts, the embedded default and the tests, so all three run the same worker.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import type { ActivityDeps } from '../activities';
import { CASES_TASK_QUEUE, createCasesPlugin, type CasesPluginOptions } from './plugin';

export const DEFAULT_MAX_CACHED_CASES = 500;

export interface CasesWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  adapters: ActivityDeps;
  /** The keyring the API uses, or the path of its keys file (see createCasesPlugin). */
  encryptionKeys: CasesPluginOptions['encryptionKeys'];
  /**
   * Cases kept in memory between tasks. Open cases mostly wait on timers for days: a bounded cache keeps
   * the worker's memory flat however many are open (an evicted case is replayed when it next wakes).
   */
  maxCachedWorkflows?: number;
  /** Optional shutdown grace for in-flight activities. */
  shutdownGraceTime?: Duration;
  /** Where case spans go (see createCasesPlugin); absent: no tracing. */
  tracing?: CasesPluginOptions['tracing'];
}

export async function createCasesWorker(options: CasesWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? CASES_TASK_QUEUE,
    plugins: [createCasesPlugin({ ...options.adapters, encryptionKeys: options.encryptionKeys, ...(options.tracing ? { tracing: options.tracing } : {}) })],
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_CASES,
  });
}
