#!/usr/bin/env node
/**
 * The API process: reads its configuration from the environment, connects to Temporal (mTLS in
 * production), listens (HTTPS when a certificate is configured), and closes gracefully on SIGINT/SIGTERM
 * (in-flight requests finish, then the Temporal connection closes).
 */
import closeWithGrace from 'close-with-grace';
import { Client, Connection } from '@temporalio/client';
import { buildApp, httpsFrom, type HttpsOptions } from './app';
import { codecAuthFrom, type CodecOidcConfig } from './codec-auth';
import { loadApiKeys } from './auth';
import { dataConverterFrom } from '../worker/encryption';
import { temporalConnectionFrom, type TemporalConnectionConfig } from '../worker/temporal-connection';

export interface ApiConfig {
  port: number;
  host: string;
  temporal: TemporalConnectionConfig;
  taskQueue: string;
  /** TLS_CERT_FILE + TLS_KEY_FILE: serve HTTPS (the Temporal UI sends supervisors' tokens only to an https codec endpoint). */
  https?: HttpsOptions;
  /** CODEC_OIDC_*: supervisors signed in to the Temporal UI decode with their access token. */
  codecOidc?: CodecOidcConfig;
}

export function apiConfigFrom(env: NodeJS.ProcessEnv): ApiConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const https = httpsFrom(env);
  const codecOidc = codecAuthFrom(env);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    temporal: temporalConnectionFrom(env),
    taskQueue: env.TASK_QUEUE ?? 'cs-cases',
    ...(https ? { https } : {}),
    ...(codecOidc ? { codecOidc } : {}),
  };
}

async function main(): Promise<void> {
  const config = apiConfigFrom(process.env);
  const keys = loadApiKeys(process.env);
  const { address, namespace, tls } = config.temporal;
  const connection = await Connection.connect({ address, tls });
  // The same encrypting converter as the worker: the API reads and writes case payloads.
  const client = new Client({ connection, namespace, dataConverter: dataConverterFrom(process.env) });
  const app = await buildApp({
    client, taskQueue: config.taskQueue, namespace, keys,
    ...(config.https ? { https: config.https } : {}),
    ...(config.codecOidc ? { codec: { oidc: config.codecOidc } } : {}),
  });
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
