/**
 * Opening the case projection: PostgreSQL at a URL (production, and wherever API and worker run as
 * separate processes), or PGlite in this process (the embedded default, API and worker together). Case
 * views are sealed with the deployment's payload codecs (the encryption keyring of history).
 */
import type { PayloadCodec } from '@temporalio/common';
import { payloadSealer } from './sealing';
import { embeddedConnection, postgresConnection } from './sql';
import { CaseProjection } from './store';

export { CaseProjection, DEFAULT_RECORD_RETENTION_MS, type ProjectedCase, type ProjectedSatisfaction } from './store';

export interface CaseProjectionConfig {
  /** postgres://… of the projection's own database; without it, `embedded`. */
  databaseUrl?: string;
  /** PGlite in this process, in memory or under `dataDir` (one process only: API and worker together). */
  embedded?: { dataDir?: string };
  /** The payload codecs history is encrypted with (the API client's or the plugin's). */
  codecs: readonly PayloadCodec[];
  recordRetentionMs?: number;
}

export async function openCaseProjection(config: CaseProjectionConfig): Promise<CaseProjection> {
  if (!config.databaseUrl && !config.embedded) throw new Error('openCaseProjection needs databaseUrl (PostgreSQL) or embedded (PGlite, one process)');
  const sql = config.databaseUrl ? postgresConnection(config.databaseUrl) : await embeddedConnection(config.embedded?.dataDir);
  try {
    return await CaseProjection.open(sql, payloadSealer(config.codecs), config.recordRetentionMs === undefined ? {} : { recordRetentionMs: config.recordRetentionMs });
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw err;
  }
}

const DAY_MS = 86_400_000;

/** RECORD_RETENTION_DAYS (default three years): how long a closed case stays readable. */
export function recordRetentionFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.RECORD_RETENTION_DAYS?.trim();
  if (!raw) return undefined;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) throw new Error(`RECORD_RETENTION_DAYS must be a whole number of days ≥ 1, got ${raw}`);
  return days * DAY_MS;
}

/**
 * The projection a process opens from its environment: PROJECTION_DATABASE_URL (PostgreSQL, shared by API
 * and workers), else `embedded` when given (the embedded default: one process), else none (reads go to the
 * workflows, as before the projection).
 */
export async function projectionFromEnv(
  env: NodeJS.ProcessEnv, codecs: readonly PayloadCodec[], embedded?: { dataDir?: string },
): Promise<CaseProjection | undefined> {
  const databaseUrl = env.PROJECTION_DATABASE_URL?.trim();
  const recordRetentionMs = recordRetentionFrom(env);
  if (!databaseUrl && !embedded) return undefined;
  return openCaseProjection({
    ...(databaseUrl ? { databaseUrl } : { embedded: embedded! }), codecs, ...(recordRetentionMs === undefined ? {} : { recordRetentionMs }),
  });
}
