/**
 * `npm run projection:rebuild`: rebuilds the case projection from Temporal (worker/projection-rebuild.ts): the
 * cases, then every version of the published policies, calendars and selection rules (their registries answer
 * through Queries: run it while workers are up).
 * Uses the worker's environment: TEMPORAL_ADDRESS (and TLS), TEMPORAL_NAMESPACE, TASK_QUEUE, the encryption
 * keys, and PROJECTION_DATABASE_URL (or the embedded default's data/projection, while `npm start` is stopped:
 * PGlite serves one process). Safe beside running workers: rows only move forward by revision.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { projectionFromEnv } from '../activities/projection';
import { encryptedDataConverter, loadKeyring } from '../worker/encryption';
import { workerConfigFrom } from '../worker/config';
import { rebuildDocuments, rebuildProjection } from '../worker/projection-rebuild';

async function main(): Promise<void> {
  const { temporal, taskQueue } = workerConfigFrom(process.env);
  const dataConverter = encryptedDataConverter(loadKeyring(process.env));
  const projection = await projectionFromEnv(process.env, dataConverter.payloadCodecs ?? [], { dataDir: process.env.PROJECTION_DATA_DIR ?? path.resolve(__dirname, '..', 'data', 'projection') });
  const connection = await Connection.connect({ address: temporal.address, tls: temporal.tls });
  try {
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter });
    const started = Date.now();
    const report = await rebuildProjection({ client, namespace: temporal.namespace, taskQueue, projection: projection!, log: (line) => console.warn(line) });
    const documents = await rebuildDocuments({ client, namespace: temporal.namespace, taskQueue, projection: projection!, log: (line) => console.warn(line) });
    console.log(`projection rebuilt in ${Math.round((Date.now() - started) / 1000)} s: ${report.fromHistory} cases from their history, ${report.fromQuery} through their view Query, ${report.skipped.length} skipped; ${documents.versions} versions of policies, calendars and selection rules, ${documents.skipped.length} registries skipped`);
    if (report.skipped.length > 0 || documents.skipped.length > 0) process.exitCode = 1;
  } finally {
    await connection.close();
    await projection?.close();
  }
}

main().catch((err) => {
  console.error('projection rebuild failed:', err);
  process.exit(1);
});
