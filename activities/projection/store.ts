/**
 * The case projection: one row per case with its current view (sealed) and revision, kept by the case
 * events' hand-offs (activities/events.ts), idempotent by (case, revision): a row only moves forward. The
 * API reads cases, lists and reports from it, so reads never replay a workflow and never need a worker.
 * A closed case's row stays for the record retention (three years by default), past Temporal's own.
 */
import type { CaseKind } from '../../workflows/domain/case';
import type { CaseFacts } from '../../workflows/domain/kpi/service-levels';
import type { CaseSnapshotHandOff } from '../../workflows/case-runtime';
import { caseRowOf, type CaseRow } from './rows';
import { migrate } from './schema';
import type { Sealer } from './sealing';
import type { SqlConnection } from './sql';

/** E-commerce Law art. 31: transaction records are kept at least three years after the transaction. */
export const DEFAULT_RECORD_RETENTION_MS = 3 * 366 * 86_400_000;

/** A case's satisfaction survey as reports and reads show it (no comment: it may hold personal data). */
export interface ProjectedSatisfaction {
  surveyId: string;
  status: 'scheduled' | 'sent' | 'answered' | 'expired';
  score: number | null;
}

export interface ProjectedCase {
  caseId: string;
  kind: CaseKind;
  merchantId: string;
  timeZone: string;
  revision: number;
  finished: boolean;
  view: unknown;
  allowedActions: Record<string, string[]>;
  satisfaction: ProjectedSatisfaction | null;
}

export interface CaseListFilter {
  kind?: CaseKind;
  status?: string;
  merchantId?: string;
  /** Merchants the caller may see ('*' for all). */
  merchants: string[] | '*';
  orderId?: string;
  breached?: boolean;
  escalationLevel?: number;
  ownerRole?: string;
}

export interface CaseListItem {
  caseId: string;
  kind: CaseKind;
  status: string;
  outcome: string | null;
  merchantId: string;
  orderId: string | null;
  policyId: string | null;
  priority: string | null;
  escalationLevel: number;
  slaBreached: boolean;
  ownerRole: string | null;
  nextDeadline: number | null;
  openedAt: number;
  timeZone: string;
  finished: boolean;
}

/** After this case in (opened_at desc, case_id desc) order. */
export interface ListCursor {
  openedAt: number;
  caseId: string;
}

export interface ReportPeriod {
  /** Instants [from, to), or local days [fromDay, toDay) in each case calendar's zone. */
  from?: number;
  to?: number;
  fromDay?: string;
  toDay?: string;
  merchants: string[] | '*';
}

export interface CaseProjectionOptions {
  /** How long a closed case's record is kept (default three years). */
  recordRetentionMs?: number;
}

/** The case row's upsert: only forward by revision (or to finished at the same one). Prepared once per connection. */
const UPSERT_CASE_ROW = `INSERT INTO cases (case_id, kind, merchant_id, policy_id, time_zone, revision, status, outcome, owner_role, escalation_level, sla_breached,
       next_deadline, priority, order_id, opened_at, opened_on, closed_at, finished, view, allowed_actions, facts, projected_at, retain_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     ON CONFLICT (case_id) DO UPDATE SET
       policy_id = EXCLUDED.policy_id, time_zone = EXCLUDED.time_zone, revision = EXCLUDED.revision, status = EXCLUDED.status,
       outcome = EXCLUDED.outcome, owner_role = EXCLUDED.owner_role, escalation_level = EXCLUDED.escalation_level,
       sla_breached = EXCLUDED.sla_breached, next_deadline = EXCLUDED.next_deadline, priority = EXCLUDED.priority, order_id = EXCLUDED.order_id,
       closed_at = EXCLUDED.closed_at, finished = EXCLUDED.finished, view = EXCLUDED.view, allowed_actions = EXCLUDED.allowed_actions,
       facts = EXCLUDED.facts, projected_at = EXCLUDED.projected_at, retain_until = EXCLUDED.retain_until
     WHERE cases.revision < EXCLUDED.revision OR (cases.revision = EXCLUDED.revision AND EXCLUDED.finished AND NOT cases.finished)`;

export class CaseProjection {
  readonly recordRetentionMs: number;

  private constructor(private readonly sql: SqlConnection, private readonly sealer: Sealer, options: CaseProjectionOptions) {
    this.recordRetentionMs = options.recordRetentionMs ?? DEFAULT_RECORD_RETENTION_MS;
  }

  /** Opens the store and applies its migrations. */
  static async open(sql: SqlConnection, sealer: Sealer, options: CaseProjectionOptions = {}): Promise<CaseProjection> {
    await migrate(sql);
    return new CaseProjection(sql, sealer, options);
  }

  get engine(): SqlConnection['engine'] {
    return this.sql.engine;
  }

  /** Keeps the case's row at `snapshot` unless it already holds that revision or a later one. */
  async record(c: { caseId: string; kind: CaseKind; merchantId: string; timeZone: string; snapshot: CaseSnapshotHandOff }, now = Date.now()): Promise<void> {
    const row: CaseRow = caseRowOf(c, this.recordRetentionMs);
    const sealed = await this.sealer.seal(row.view);
    await this.sql.query(
      UPSERT_CASE_ROW,
      [
        row.caseId, row.kind, row.merchantId, row.policyId, row.timeZone, row.revision, row.status, row.outcome, row.ownerRole, row.escalationLevel,
        row.slaBreached, row.nextDeadline, row.priority, row.orderId, row.openedAt, row.openedOn, row.closedAt, row.finished, sealed,
        JSON.stringify(row.allowedActions), JSON.stringify(row.facts), new Date(now), row.retainUntil,
      ],
      { name: 'cases_upsert_row' },
    );
  }

  /** The survey's state on its case's row (a survey's events come after the case closed). */
  async recordSatisfaction(caseId: string, satisfaction: ProjectedSatisfaction): Promise<void> {
    // A decided survey (answered, expired) is never set back to sent by a late retry of an earlier event.
    await this.sql.query(
      `UPDATE cases SET satisfaction = $2 WHERE case_id = $1
         AND (satisfaction IS NULL OR satisfaction->>'status' NOT IN ('answered', 'expired') OR $3)`,
      [caseId, JSON.stringify(satisfaction), satisfaction.status === 'answered' || satisfaction.status === 'expired'],
    );
  }

  async read(caseId: string): Promise<ProjectedCase | null> {
    const { rows } = await this.sql.query<{
      case_id: string; kind: CaseKind; merchant_id: string; time_zone: string; revision: number; finished: boolean; view: string;
      allowed_actions: Record<string, string[]>; satisfaction: ProjectedSatisfaction | null;
    }>('SELECT case_id, kind, merchant_id, time_zone, revision, finished, view, allowed_actions, satisfaction FROM cases WHERE case_id = $1', [caseId]);
    const row = rows[0];
    if (!row) return null;
    return {
      caseId: row.case_id, kind: row.kind, merchantId: row.merchant_id, timeZone: row.time_zone, revision: row.revision, finished: row.finished,
      view: await this.sealer.open(row.view), allowedActions: row.allowed_actions, satisfaction: row.satisfaction,
    };
  }

  /** The revision the projection holds of a case and whether its workflow ended (null: no row yet), without opening its view. */
  async revisionOf(caseId: string): Promise<{ revision: number; finished: boolean } | null> {
    const { rows } = await this.sql.query<{ revision: number; finished: boolean }>('SELECT revision, finished FROM cases WHERE case_id = $1', [caseId]);
    return rows[0] ?? null;
  }

  /** One page, newest opening first; `next` continues after the last item. */
  async list(filter: CaseListFilter, pageSize: number, after?: ListCursor): Promise<{ items: CaseListItem[]; next: ListCursor | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => { params.push(value); return `$${params.length}`; };
    if (filter.kind) where.push(`kind = ${bind(filter.kind)}`);
    if (filter.status) where.push(`status = ${bind(filter.status)}`);
    if (filter.merchantId) where.push(`merchant_id = ${bind(filter.merchantId)}`);
    else if (filter.merchants !== '*') where.push(`merchant_id = ANY(${bind(filter.merchants)}::text[])`);
    if (filter.orderId) where.push(`order_id = ${bind(filter.orderId)}`);
    if (filter.breached !== undefined) where.push(`sla_breached = ${bind(filter.breached)}`);
    if (filter.escalationLevel !== undefined) where.push(`escalation_level = ${bind(filter.escalationLevel)}`);
    if (filter.ownerRole) where.push(`owner_role = ${bind(filter.ownerRole)}`);
    if (after) where.push(`(opened_at, case_id) < (${bind(new Date(after.openedAt))}::timestamptz, ${bind(after.caseId)})`);
    const { rows } = await this.sql.query<{
      case_id: string; kind: CaseKind; status: string; outcome: string | null; merchant_id: string; order_id: string | null; policy_id: string | null;
      priority: string | null; escalation_level: number; sla_breached: boolean; owner_role: string | null; next_deadline: Date | null;
      opened_at: Date; time_zone: string; finished: boolean;
    }>(
      `SELECT case_id, kind, status, outcome, merchant_id, order_id, policy_id, priority, escalation_level, sla_breached, owner_role, next_deadline,
         opened_at, time_zone, finished
       FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY opened_at DESC, case_id DESC LIMIT ${bind(pageSize + 1)}`,
      params,
    );
    const items = rows.slice(0, pageSize).map((r) => ({
      caseId: r.case_id, kind: r.kind, status: r.status, outcome: r.outcome, merchantId: r.merchant_id, orderId: r.order_id, policyId: r.policy_id,
      priority: r.priority, escalationLevel: r.escalation_level, slaBreached: r.sla_breached, ownerRole: r.owner_role,
      nextDeadline: r.next_deadline ? new Date(r.next_deadline).getTime() : null, openedAt: new Date(r.opened_at).getTime(), timeZone: r.time_zone,
      finished: r.finished,
    }));
    const last = items[items.length - 1];
    return { items, next: rows.length > pageSize && last ? { openedAt: last.openedAt, caseId: last.caseId } : null };
  }

  /** The KPI facts of every case opened in the period (decided surveys merged in), for the report to sum. */
  async factsIn(period: ReportPeriod): Promise<CaseFacts[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => { params.push(value); return `$${params.length}`; };
    if (period.from !== undefined) where.push(`opened_at >= ${bind(new Date(period.from))}`);
    if (period.to !== undefined) where.push(`opened_at < ${bind(new Date(period.to))}`);
    if (period.fromDay !== undefined) where.push(`opened_on >= ${bind(period.fromDay)}::date`);
    if (period.toDay !== undefined) where.push(`opened_on < ${bind(period.toDay)}::date`);
    if (period.merchants !== '*') where.push(`merchant_id = ANY(${bind(period.merchants)}::text[])`);
    const { rows } = await this.sql.query<{ facts: CaseFacts; satisfaction: ProjectedSatisfaction | null }>(
      `SELECT facts, satisfaction FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params,
    );
    // CSAT counts decided surveys only (answered, or expired without an answer).
    return rows.map(({ facts, satisfaction }) => (satisfaction && (satisfaction.status === 'answered' || satisfaction.status === 'expired')
      ? { ...facts, satisfaction: { score: satisfaction.score } }
      : facts));
  }

  /**
   * A published version of a policy, calendar or the selection rules (`kind`), as its registry answered it.
   * Versions never change once published: a second record of one is ignored.
   */
  async recordDocument(kind: string, id: string, record: { version: number }): Promise<void> {
    await this.sql.query(
      'INSERT INTO documents (kind, id, version, record) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, id, version) DO NOTHING',
      [kind, id, record.version, JSON.stringify(record)],
    );
  }

  /** A version (the latest when none is named) as recorded, or null when the projection has none. */
  async readDocument<T>(kind: string, id: string, version?: number): Promise<T | null> {
    const { rows } = version === undefined
      ? await this.sql.query<{ record: T }>('SELECT record FROM documents WHERE kind = $1 AND id = $2 ORDER BY version DESC LIMIT 1', [kind, id])
      : await this.sql.query<{ record: T }>('SELECT record FROM documents WHERE kind = $1 AND id = $2 AND version = $3', [kind, id, version]);
    return rows[0]?.record ?? null;
  }

  /** Every recorded version of a document, oldest first (possibly not all of them: see `recordedVersions`). */
  async documentVersions<T>(kind: string, id: string): Promise<T[]> {
    const { rows } = await this.sql.query<{ record: T }>('SELECT record FROM documents WHERE kind = $1 AND id = $2 ORDER BY version', [kind, id]);
    return rows.map((r) => r.record);
  }

  /** Cases not closed, by kind, whose move it is (owner role, `none` when the system's) and whether a deadline was breached. */
  async openCasesByOwner(): Promise<Array<{ kind: string; ownerRole: string; breached: boolean; count: number }>> {
    const { rows } = await this.sql.query<{ kind: string; owner_role: string; sla_breached: boolean; n: number }>(
      `SELECT kind, coalesce(owner_role, 'none') AS owner_role, sla_breached, count(*)::int AS n
       FROM cases WHERE status <> 'closed' GROUP BY kind, coalesce(owner_role, 'none'), sla_breached`,
    );
    return rows.map((r) => ({ kind: r.kind, ownerRole: r.owner_role, breached: r.sla_breached, count: r.n }));
  }

  /** Deletes the records whose retention has passed; answers how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    const { rows } = await this.sql.query<{ n: number }>(
      'WITH gone AS (DELETE FROM cases WHERE retain_until IS NOT NULL AND retain_until < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone', [new Date(now)],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Purges expired records every `intervalMs` (hourly by default) until the returned function is called.
   * Any process holding the projection may run it (a DELETE by retention: several at once do no harm).
   */
  purgeEvery(intervalMs = 3_600_000, onError: (err: unknown) => void = () => undefined): () => void {
    const timer = setInterval(() => void this.purgeExpired().catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Throws when the database does not answer (readiness). */
  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
