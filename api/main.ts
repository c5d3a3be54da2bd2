#!/usr/bin/env node
/**
 * The API process: reads its configuration from the environment, connects to Temporal (mTLS in
 * production), listens (HTTPS when a certificate is configured), and closes gracefully on SIGINT/SIGTERM
 * (in-flight requests finish, then the Temporal connection closes). Metrics: `/metrics` on the API's port for
 * staff keys, and without a key on METRICS_HOST:METRICS_PORT when METRICS_PORT is set. Traces: exported over
 * OTLP when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; off otherwise.
 */
import closeWithGrace from 'close-with-grace';
import { Client, Connection } from '@temporalio/client';
import { buildApp, httpsFrom, type HttpsOptions } from './app';
import { codecAuthFrom, type CodecOidcConfig } from './codec-auth';
import { casesClientInterceptors } from './tracing';
import { otlpTracingFrom } from '../worker/tracing/pipeline';
import { loadApiKeys } from './auth';
import { createApiMetrics, serveMetrics, watchWebhookQueues } from './metrics';
import { dataConverterFrom } from '../worker/encryption';
import { projectionFromEnv } from '../activities/projection';
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
  /** METRICS_PORT (+ METRICS_HOST, default 127.0.0.1): a second listener serving only GET /metrics, no key. */
  metrics?: { host: string; port: number };
}

export function apiConfigFrom(env: NodeJS.ProcessEnv): ApiConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const https = httpsFrom(env);
  const codecOidc = codecAuthFrom(env);
  let metrics: ApiConfig['metrics'];
  if (env.METRICS_PORT?.trim()) {
    const metricsPort = Number(env.METRICS_PORT);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535) throw new Error(`METRICS_PORT must be a port number, got ${env.METRICS_PORT}`);
    metrics = { host: env.METRICS_HOST?.trim() || '127.0.0.1', port: metricsPort };
  } else if (env.METRICS_HOST?.trim()) {
    throw new Error('METRICS_HOST needs METRICS_PORT: set both to serve /metrics on a separate address');
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    temporal: temporalConnectionFrom(env),
    taskQueue: env.TASK_QUEUE ?? 'cs-cases',
    ...(https ? { https } : {}),
    ...(codecOidc ? { codecOidc } : {}),
    ...(metrics ? { metrics } : {}),
  };
}

async function main(): Promise<void> {
  const config = apiConfigFrom(process.env);
  const keys = loadApiKeys(process.env);
  const { address, namespace, tls } = config.temporal;
  const connection = await Connection.connect({ address, tls });
  // The same encrypting converter as the worker: the API reads and writes case payloads.
  // With an OTLP endpoint: a span per request, and the client carries its context into the workflows.
  const tracing = otlpTracingFrom(process.env, 'cs-cases-api');
  const client = new Client({ connection, namespace, dataConverter: dataConverterFrom(process.env), ...(tracing ? { interceptors: casesClientInterceptors(tracing) } : {}) });
  const metrics = createApiMetrics({ processMetrics: true });
  // The webhook backlog (parked and delivering queues), counted in visibility at each scrape.
  watchWebhookQueues(metrics, { client, namespace });
  // PROJECTION_DATABASE_URL: cases, lists and reports from the projection the workers keep (no worker needed).
  const projection = await projectionFromEnv(process.env, client.options.loadedDataConverter.payloadCodecs);
  // Closed cases' records leave the projection once RECORD_RETENTION_DAYS (default three years) have passed.
  const stopPurging = projection?.purgeEvery(undefined, (err) => console.error('projection purge failed:', err));
  if (!projection) console.warn('PROJECTION_DATABASE_URL is not set: case reads, lists and reports ask the workflows (they need a worker, and reports stop at 500 cases)');
  const app = await buildApp({
    client, taskQueue: config.taskQueue, namespace, keys, metrics, ...(projection ? { projection } : {}),
    ...(config.https ? { https: config.https } : {}),
    ...(config.codecOidc ? { codec: { oidc: config.codecOidc } } : {}),
    ...(tracing ? { tracing } : {}),
  });
  const metricsServer = config.metrics ? await serveMetrics(metrics, config.metrics) : undefined;
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    await app.close();
    await metricsServer?.close();
    await tracing?.shutdown();
    await connection.close();
    stopPurging?.();
    await projection?.close();
  });
  if (metricsServer) app.log.info(`metrics at ${metricsServer.url}/metrics`);
  if (tracing) app.log.info(`traces to ${tracing.config.url.split('?')[0]} (OTLP ${tracing.config.protocol}) as ${tracing.config.serviceName}`);
  await app.listen({ host: config.host, port: config.port });
}

if (require.main === module) {
  main().catch((err) => {
    console.error('api failed to start:', err);
    process.exit(1);
  });
}
