/**
 * The API process: reads its configuration from the environment, connects to Temporal, listens, and
 * closes gracefully on SIGINT/SIGTERM (in-flight requests finish, then the Temporal connection closes).
 */
import closeWithGrace from 'close-with-grace';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from './app';
import { loadApiKeys } from './auth';
import { dataConverterFrom } from '../worker/encryption';

export interface ApiConfig {
  port: number;
  host: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
}

export function apiConfigFrom(env: NodeJS.ProcessEnv): ApiConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TASK_QUEUE ?? 'cs-cases',
  };
}

async function main(): Promise<void> {
  const config = apiConfigFrom(process.env);
  const keys = loadApiKeys(process.env);
  const connection = await Connection.connect({ address: config.temporalAddress });
  // The same encrypting converter as the worker: the API reads and writes case payloads.
  const client = new Client({ connection, namespace: config.namespace, dataConverter: dataConverterFrom(process.env) });
  const app = await buildApp({ client, taskQueue: config.taskQueue, namespace: config.namespace, keys });
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    await app.close();
    await connection.close();
  });
  await app.listen({ host: config.host, port: config.port });
}

if (require.main === module) {
  main().catch((err) => {
    console.error('api failed to start:', err);
    process.exit(1);
  });
}
