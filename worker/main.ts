#!/usr/bin/env node
/**
 * The bundled worker process: connects to Temporal (mTLS in production), makes sure the case search
 * attributes exist (an unknown attribute would fail workflow tasks), and runs the cases plugin with the
 * API's encryption keys until SIGINT/SIGTERM. With WORKER_METRICS_ADDRESS (host:port) its Runtime exports the
 * SDK's metrics and the plugin's own counters to Prometheus at http://<address>/metrics; off by default.
 * Only this process installs a Runtime: the plugin never does, so an embedding worker keeps its own. With an
 * OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) it exports the case
 * workflows' and activities' spans; off by default.
 */
import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { CASE_METRIC_BUCKETS } from '../activities/case-metrics';
import { adaptersFrom, workerConfigFrom } from './config';
import { encryptedDataConverter, loadKeyring } from './encryption';
import { projectionFromEnv } from '../activities/projection';
import { ensureSearchAttributes } from './namespace-setup';
import { createCasesWorker } from './start-worker';
import { otlpTracingFrom } from './tracing/pipeline';

/** The Prometheus exporter's bind address from WORKER_METRICS_ADDRESS (`host:port`), or undefined: off. */
function workerMetricsAddressFrom(env: NodeJS.ProcessEnv): string | undefined {
  const address = env.WORKER_METRICS_ADDRESS?.trim();
  if (!address) return undefined;
  if (!/^(\[[0-9a-fA-F:]+\]|[^\s:/[\]]+):\d{1,5}$/.test(address)) {
    throw new Error(`WORKER_METRICS_ADDRESS must be host:port (e.g. 127.0.0.1:9464), got ${address}`);
  }
  return address;
}

async function main(): Promise<void> {
  const metricsAddress = workerMetricsAddressFrom(process.env);
  Runtime.install({
    logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'INFO'),
    // The case metrics' histograms get buckets of their own (survey scores 1-5, timer lateness up to an hour).
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress, histogramBucketOverrides: CASE_METRIC_BUCKETS } } } } : {}),
  });
  const { temporal, taskQueue } = workerConfigFrom(process.env);
  const encryptionKeys = loadKeyring(process.env);
  // PROJECTION_DATABASE_URL: the case projection the API reads (cases, lists, reports without a worker).
  const projection = await projectionFromEnv(process.env, encryptedDataConverter(encryptionKeys).payloadCodecs ?? []);
  const adapters = { ...adaptersFrom(process.env), ...(projection ? { projection } : {}) };
  const tracing = otlpTracingFrom(process.env, 'cs-cases-worker');
  const admin = await Connection.connect({ address: temporal.address, tls: temporal.tls });
  await ensureSearchAttributes(admin, temporal.namespace);
  await admin.close();
  const connection = await NativeConnection.connect({ address: temporal.address, tls: temporal.tls });
  const worker = await createCasesWorker({ connection, namespace: temporal.namespace, taskQueue, adapters, encryptionKeys,
    ...(tracing ? { tracing } : {}),
    ...(process.env.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) } : {}),
  });
  if (metricsAddress) console.log(`cs-cases worker metrics at http://${metricsAddress}/metrics`);
  console.log(`cs-cases worker polling task queue ${taskQueue} on ${temporal.address} (${temporal.namespace}${temporal.tls ? ', mTLS' : ''})`);
  if (tracing) console.log(`cs-cases worker traces to ${tracing.config.url.split('?')[0]} (OTLP ${tracing.config.protocol}) as ${tracing.config.serviceName}`);
  await worker.run();
  // Spans still buffered leave before the process does.
  await tracing?.shutdown();
  await connection.close();
  await projection?.close();
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});
