/**
 * The bundled worker process: connects to Temporal, makes sure the case search attributes exist (an
 * unknown attribute would fail workflow tasks), and runs the cases plugin until SIGINT/SIGTERM.
 */
import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { ensureSearchAttributes } from '../scripts/lib/dev-server';
import { adaptersFrom, workerConfigFrom } from './config';
import { createCasesWorker } from './start-worker';
import { dataConverterFrom } from './encryption';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'INFO') });
  const config = workerConfigFrom(process.env);
  const admin = await Connection.connect({ address: config.temporalAddress });
  await ensureSearchAttributes(admin, config.namespace);
  await admin.close();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createCasesWorker({ connection, namespace: config.namespace, taskQueue: config.taskQueue, adapters: adaptersFrom(process.env), dataConverter: dataConverterFrom(process.env),
    ...(process.env.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) } : {}),
  });
  console.log(`cs-cases worker polling task queue ${config.taskQueue} on ${config.temporalAddress} (${config.namespace})`);
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});
