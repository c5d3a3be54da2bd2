/**
 * The projection's schema: one migration set for PostgreSQL and PGlite, applied in order under an advisory
 * lock (API and workers may start together), each version once. Add a migration; never edit a released one.
 */
import type { SqlConnection } from './sql';

const MIGRATIONS: readonly string[] = [
  // 1: one row per case, its current view sealed (customer data) beside the columns lists and reports use.
  `CREATE TABLE cases (
     case_id text PRIMARY KEY,
     kind text NOT NULL,
     merchant_id text NOT NULL,
     policy_id text,
     time_zone text NOT NULL,
     revision integer NOT NULL,
     status text NOT NULL,
     outcome text,
     owner_role text,
     escalation_level integer NOT NULL,
     sla_breached boolean NOT NULL,
     next_deadline timestamptz,
     priority text,
     order_id text,
     opened_at timestamptz NOT NULL,
     opened_on date NOT NULL,
     closed_at timestamptz,
     finished boolean NOT NULL DEFAULT false,
     view text NOT NULL,
     allowed_actions jsonb NOT NULL,
     facts jsonb NOT NULL,
     satisfaction jsonb,
     projected_at timestamptz NOT NULL,
     retain_until timestamptz
   );
   CREATE INDEX cases_by_opening ON cases (opened_at DESC, case_id DESC);
   CREATE INDEX cases_by_merchant_opening ON cases (merchant_id, opened_at DESC, case_id DESC);
   CREATE INDEX cases_by_merchant_day ON cases (merchant_id, opened_on);
   CREATE INDEX cases_retention ON cases (retain_until) WHERE retain_until IS NOT NULL;`,
  // 2: published versions of policies, calendars and the selection rules (what creates read), by kind and id.
  `CREATE TABLE documents (
     kind text NOT NULL,
     id text NOT NULL,
     version integer NOT NULL,
     record jsonb NOT NULL,
     PRIMARY KEY (kind, id, version)
   );`,
];

/** Advisory lock key of the projection's migrations (any constant; the same in every process). */
const MIGRATION_LOCK = 7_220_511;

export async function migrate(sql: SqlConnection): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS projection_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await tx.query<{ version: number }>('SELECT coalesce(max(version), 0)::int AS version FROM projection_migrations');
    const current = rows[0]?.version ?? 0;
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      for (const statement of MIGRATIONS[version - 1].split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO projection_migrations (version) VALUES ($1)', [version]);
    }
    return MIGRATIONS.length;
  });
}
