#!/usr/bin/env node
/**
 * The bundled worker process: connects to Temporal (mTLS in production), makes sure the case search
 * attributes exist (an unknown attribute would fail workflow tasks), and runs the cases plugin with the
 * API's encryption keys until SIGINT/SIGTERM.
 */
import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { adaptersFrom, workerConfigFrom } from './config';
import { loadKeyring } from './encryption';
import { ensureSearchAttributes } from './namespace-setup';
import { createCasesWorker } from './start-worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'INFO') });
  const { temporal, taskQueue } = workerConfigFrom(process.env);
  const encryptionKeys = loadKeyring(process.env);
  const adapters = adaptersFrom(process.env);
  const admin = await Connection.connect({ address: temporal.address, tls: temporal.tls });
  await ensureSearchAttributes(admin, temporal.namespace);
  await admin.close();
  const connection = await NativeConnection.connect({ address: temporal.address, tls: temporal.tls });
  const worker = await createCasesWorker({ connection, namespace: temporal.namespace, taskQueue, adapters, encryptionKeys,
    ...(process.env.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) } : {}),
  });
  console.log(`cs-cases worker polling task queue ${taskQueue} on ${temporal.address} (${temporal.namespace}${temporal.tls ? ', mTLS' : ''})`);
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});
