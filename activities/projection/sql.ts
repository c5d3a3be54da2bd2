/**
 * The projection's SQL connection: PostgreSQL in production (a `pg` pool on its own database), or PGlite
 * (PostgreSQL compiled to WebAssembly) for the embedded default, where API and worker share one process.
 * Both speak the same SQL; the store above sees only `query` and `close`.
 */
import type { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';

export interface SqlConnection {
  /** `postgres` or `embedded`: for readiness and the start banner. */
  readonly engine: 'postgres' | 'embedded';
  /**
   * `name`: a statement run on every write (the case row's upsert), prepared once per connection and then only
   * bound and executed: neither its text nor its parse and plan per call. The embedded engine ignores it.
   */
  query<R = Record<string, unknown>>(text: string, params?: unknown[], options?: { name?: string }): Promise<{ rows: R[] }>;
  /** Runs `work` in one transaction on one connection (migrations under an advisory lock). */
  transaction<T>(work: (sql: Pick<SqlConnection, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A pool on `url` (postgres://user:password@host:port/database). */
export function postgresConnection(url: string, options: { max?: number } = {}): SqlConnection {
  const pool = new Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    engine: 'postgres',
    query: async <R>(text: string, params?: unknown[], options?: { name?: string }) => ({
      rows: (await (options?.name ? pool.query({ name: options.name, text, values: params }) : pool.query(text, params))).rows as R[],
    }),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite in this process: in memory, or persisted under `dataDir`. Loaded only when used. */
export async function embeddedConnection(dataDir?: string): Promise<SqlConnection> {
  const { PGlite: Engine } = await import('@electric-sql/pglite');
  const db: PGlite = new Engine(dataDir);
  await db.waitReady;
  return {
    engine: 'embedded',
    query: async <R>(text: string, params?: unknown[]) => ({ rows: (await db.query<R>(text, params)).rows }),
    transaction: (work) => db.transaction((tx) => work({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await tx.query<R>(text, params)).rows }) })),
    close: () => db.close(),
  };
}
