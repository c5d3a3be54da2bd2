/**
 * Vitest global setup: one Temporal server per test run. TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE) points
 * at an existing server; otherwise a fresh dev server starts on free ports (never the 7233/8233 of a
 * running embedded default) with its data under `.test-results/temporal-<pid>`. Either way the search
 * attributes and retention are ensured before any test runs. Provisioning is not bounded by hookTimeout;
 * a first-time CLI build takes minutes and prints its progress.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { TestProject } from 'vitest/node';
import { ensureRetention, ensureSearchAttributes, startDevServer } from '../../scripts/lib/dev-server';
import { findOrBuildTemporalCli, isAlive } from '../../scripts/lib/temporal-cli';
import { startPostgres } from './postgres';

const log = (message: string) => console.log(`[temporal] ${message}`);

/**
 * The case projection's PostgreSQL for this run (API and worker run as separate processes in some tests, as in
 * production): one server, one database per case system (test/support/case-system.ts creates it).
 */
async function startProjectionDatabase(project: TestProject, resultsDir: string): Promise<() => Promise<void>> {
  const dir = path.join(resultsDir, `projection-${process.pid}`);
  await fs.rm(dir, { recursive: true, force: true });
  const postgres = await startPostgres({ dir, user: 'cases', password: 'cases', log: (m) => console.log(`[projection] ${m}`) });
  project.provide('projectionDatabaseUrl', `postgres://cases:cases@${postgres.host}:${postgres.port}/postgres`);
  return async () => {
    await postgres.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stopTemporal = await setupTemporal(project);
  let stopProjection: () => Promise<void>;
  try {
    stopProjection = await startProjectionDatabase(project, path.join(project.config.root, '.test-results'));
  } catch (err) {
    await stopTemporal();
    throw err;
  }
  return async () => {
    await stopProjection();
    await stopTemporal();
  };
}

async function setupTemporal(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.TEMPORAL_ADDRESS;
  if (existing) {
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    log(`Using the Temporal server at ${existing} (TEMPORAL_ADDRESS), namespace ${namespace}`);
    const connection = await Connection.connect({ address: existing });
    try {
      await ensureSearchAttributes(connection, namespace, undefined, log);
      await ensureRetention(connection, namespace, undefined, log);
    } finally {
      await connection.close();
    }
    project.provide('temporalAddress', existing);
    project.provide('temporalNamespace', namespace);
    project.provide('temporalUiUrl', '');
    return async () => undefined;
  }

  const resultsDir = path.join(project.config.root, '.test-results');
  await removeStaleDataDirs(resultsDir);
  const dataDir = path.join(resultsDir, `temporal-${process.pid}`);
  await fs.rm(dataDir, { recursive: true, force: true });

  const cliPath = await findOrBuildTemporalCli(log);
  const server = await startDevServer({ cliPath, dataDir, log });
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
  return async () => {
    await server.stop();
    log(`Temporal dev server stopped; its log stays in ${server.logFile}`);
  };
}

/** Data folders of earlier runs whose process is gone (the current ones of parallel runs stay). */
async function removeStaleDataDirs(resultsDir: string): Promise<void> {
  const entries = await fs.readdir(resultsDir).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(/^(?:temporal|projection)-(\d+)$/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) {
      await fs.rm(path.join(resultsDir, entry), { recursive: true, force: true });
    }
  }
}
