/**
 * A case projection database of its own for one case system: a fresh database on the run's PostgreSQL
 * (test/support/global-setup.ts), so files never see each other's cases.
 */
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { inject } from 'vitest';

/** Creates a database and answers its URL. */
export async function freshProjectionDatabase(name: string): Promise<string> {
  const admin = new URL(inject('projectionDatabaseUrl'));
  const database = `cases_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  const client = new PgClient({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  const url = new URL(admin.toString());
  url.pathname = `/${database}`;
  return url.toString();
}
