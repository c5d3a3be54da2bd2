/**
 * Supervisors' views one click away: the README's Temporal UI list queries as links (the workflow list with
 * its query filled in), so a team lead bookmarks "my tier's queue" instead of typing it. Every view lists
 * cases only, never surveys, registries or webhook deliveries: each query names the case kinds. `npm start`
 * prints them; back offices may link to them from their own tools.
 */

/** The case kinds: the only workflows whose CaseKind search attribute is set. */
export const CASE_KINDS = ['after_sale', 'complaint', 'inquiry', 'order_issue'] as const;

const CASES_ONLY = `CaseKind IN (${CASE_KINDS.map((k) => `'${k}'`).join(', ')})`;

export interface SupervisorView {
  /** Stable name, e.g. `queue-supervisor`. */
  id: string;
  title: string;
  /** The Temporal list filter, cases only. */
  query: string;
  /** The Temporal UI's workflow list with this query filled in. */
  url: string;
}

export interface SupervisorViewOptions {
  /** The Temporal UI, e.g. http://127.0.0.1:8233 */
  uiUrl: string;
  namespace?: string;
  /** The instant relative views are computed from (default now). */
  now?: number;
  /** The merchant of the per-merchant view (default m-a). */
  merchantId?: string;
  /** Offset of the instants written in queries (default +08:00, the default calendar's). */
  offsetMinutes?: number;
}

/** A query restricted to cases (unless it already names one kind). */
export function casesOnly(query: string): string {
  return /\bCaseKind\s*=/.test(query) ? query : `${CASES_ONLY} AND ${query}`;
}

/** The Temporal UI's workflow list of a namespace, filtered by `query`. */
export function temporalUiListUrl(uiUrl: string, namespace: string, query: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/** An instant as the queries write it: ISO-8601 with the given offset, to the second. */
export function queryInstant(ms: number, offsetMinutes = 480): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The README's supervisor queries as views. Queries with a date (what falls due soon) are computed from
 * `now`: the dev server's visibility has no "now" and cannot sort, so bookmark the undated ones.
 */
export function supervisorViews(options: SupervisorViewOptions): SupervisorView[] {
  const namespace = options.namespace ?? 'default';
  const now = options.now ?? Date.now();
  const offset = options.offsetMinutes ?? 480;
  const merchantId = options.merchantId ?? 'm-a';
  const open = `ExecutionStatus = 'Running'`;
  const within = (days: number) => `NextDeadline < '${queryInstant(now + days * 86_400_000, offset)}'`;
  const views: Array<Omit<SupervisorView, 'url'>> = [
    { id: 'breached', title: 'Breached cases still open', query: `SlaBreached = true AND ${open}` },
    { id: 'escalated', title: 'Escalated to L3 and above', query: `EscalationLevel >= 3 AND ${open}` },
    { id: 'queue-agent', title: 'Agents\' queue (tier L1)', query: `OwnerRole = 'agent' AND ${open}` },
    { id: 'queue-supervisor', title: 'Supervisors\' queue (L2-L3)', query: `OwnerRole = 'supervisor' AND ${open}` },
    { id: 'queue-arbiter', title: 'Arbiters\' queue (L4)', query: `OwnerRole = 'arbiter' AND ${open}` },
    { id: 'due-within-a-day', title: 'Due within a day (from now)', query: `${within(1)} AND ${open}` },
    { id: 'waiting-on-merchant', title: 'Waiting on a merchant over a day (of 5)', query: `CaseStatus = 'awaiting_merchant' AND ${within(4)} AND ${open}` },
    { id: 'merchant-after-sales', title: `Open after-sales of merchant ${merchantId}`, query: `CaseKind = 'after_sale' AND MerchantId = '${merchantId}' AND ${open}` },
  ];
  return views.map((v) => {
    const query = casesOnly(v.query);
    return { ...v, query, url: temporalUiListUrl(options.uiUrl, namespace, query) };
  });
}
