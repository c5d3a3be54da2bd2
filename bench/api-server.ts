/**
 * The API as its own process for the benchmarks: what api/main.ts builds (encrypting client, request metrics,
 * the projection, OTLP tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set), but with the per-key rate limit out
 * of the way and warn-level logs. Prints `LISTENING <url>`; SIGTERM closes it.
 */
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../api/app';
import { loadApiKeys } from '../api/auth';
import { createApiMetrics, watchWebhookQueues } from '../api/metrics';
import { casesClientInterceptors } from '../api/tracing';
import { projectionFromEnv } from '../activities/projection';
import { dataConverterFrom } from '../worker/encryption';
import { otlpTracingFrom } from '../worker/tracing/pipeline';

async function main(): Promise<void> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const tracing = otlpTracingFrom(process.env, 'cs-cases-api');
  const client = new Client({ connection, namespace: 'default', dataConverter: dataConverterFrom(process.env), ...(tracing ? { interceptors: casesClientInterceptors(tracing) } : {}) });
  const metrics = createApiMetrics({ processMetrics: true });
  watchWebhookQueues(metrics, { client, namespace: 'default' });
  const projection = await projectionFromEnv(process.env, client.options.loadedDataConverter.payloadCodecs);
  const app = await buildApp({
    client, taskQueue: process.env.TASK_QUEUE!, namespace: 'default', keys: loadApiKeys({}), metrics, logger: { level: 'warn' },
    rateLimit: { max: 100_000_000, timeWindowMs: 60_000 }, ...(projection ? { projection } : {}), ...(tracing ? { tracing } : {}),
  });
  const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await tracing?.shutdown();
      await connection.close();
      await projection?.close();
      process.exit(0);
    })();
  });
  console.log(`LISTENING ${url}`);
}

main().catch((err) => {
  console.error('bench api failed:', err);
  process.exit(1);
});
