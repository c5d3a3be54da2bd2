/**
 * Service-level KPIs from case snapshots (docs/domain-rules.md "KPIs"): first-response and
 * resolution times, SLA compliance, CSAT and its response rate, refund rate, escalation and reopen rates,
 * the share of cases closed by a default outcome, complaints by category. Pure; reported per merchant.
 */
import type { CaseKind, TimelineEntry } from '../case';

export interface CaseSnapshot {
  id: string;
  kind: CaseKind;
  merchantId: string;
  status: string;
  outcome: string | null;
  createdAt: number;
  escalationLevel: number;
  timeline: TimelineEntry[];
  deadlines: Array<{ name: string; actor: string; state: string }>;
  category?: string;
  /** Satisfaction survey of the case, when one was sent. */
  satisfaction?: { score: number | null };
}

export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface ServiceLevels {
  cases: number;
  byKind: Partial<Record<CaseKind, number>>;
  closed: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
  /** Deadlines a person or party had to meet: met ÷ (met + breached). */
  slaCompliance: number | null;
  csat: { average: number | null; surveys: number; responses: number; responseRate: number | null };
  /** Closed after-sales that ended in a refund ÷ closed after-sales (退款率). */
  refundRate: number | null;
  escalationRate: number | null;
  reopenRate: number | null;
  autoOutcomeShare: number | null;
  complaintsByCategory: Record<string, number>;
}

/** Roles whose first action counts as the service side's first response. */
const RESPONDERS = new Set(['merchant', 'agent', 'supervisor', 'arbiter']);
const REFUND_OUTCOMES = new Set(['refunded', 'partially_refunded']);

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function durationStats(seconds: number[]): DurationStats {
  if (seconds.length === 0) return { count: 0, medianSeconds: null, p90Seconds: null };
  const sorted = [...seconds].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { count: sorted.length, medianSeconds: at(0.5), p90Seconds: at(0.9) };
}

function firstResponseSeconds(c: CaseSnapshot): number | undefined {
  const first = c.timeline.find((e) => e.type.startsWith('action.') && RESPONDERS.has(e.actor));
  return first ? Math.round((first.at - c.createdAt) / 1000) : undefined;
}

function closedAt(c: CaseSnapshot): number | undefined {
  return [...c.timeline].reverse().find((e) => e.type === 'case.closed')?.at;
}

/**
 * What one case contributes to the KPIs, derived from its snapshot alone: the read projection stores these
 * per case (so a report over any period reads small rows, never timelines), and `serviceLevels` sums them.
 */
export interface CaseFacts {
  kind: CaseKind;
  merchantId: string;
  closed: boolean;
  outcome: string | null;
  firstResponseSeconds?: number;
  /** Creation to close; closed cases only. */
  resolutionSeconds?: number;
  /** People's deadlines (not the system's) met and breached. */
  deadlinesMet: number;
  deadlinesBreached: number;
  escalated: boolean;
  reopened: boolean;
  defaultOutcome: boolean;
  /** Complaints only ('uncategorised' when none was given). */
  category?: string;
  satisfaction?: { score: number | null };
}

export function caseFacts(c: CaseSnapshot): CaseFacts {
  const closed = c.status === 'closed';
  const closedAtMs = closed ? closedAt(c) : undefined;
  const first = firstResponseSeconds(c);
  const people = c.deadlines.filter((d) => d.actor !== 'system');
  return {
    kind: c.kind, merchantId: c.merchantId, closed, outcome: c.outcome,
    ...(first !== undefined ? { firstResponseSeconds: first } : {}),
    ...(closedAtMs !== undefined ? { resolutionSeconds: Math.round((closedAtMs - c.createdAt) / 1000) } : {}),
    deadlinesMet: people.filter((d) => d.state === 'met').length,
    deadlinesBreached: people.filter((d) => d.state === 'breached').length,
    escalated: c.escalationLevel >= 2,
    reopened: c.timeline.some((e) => e.type === 'action.reopen'),
    defaultOutcome: c.timeline.some((e) => e.type === 'case.default_outcome'),
    ...(c.kind === 'complaint' ? { category: c.category ?? 'uncategorised' } : {}),
    ...(c.satisfaction ? { satisfaction: c.satisfaction } : {}),
  };
}

export function serviceLevels(cases: readonly CaseSnapshot[]): ServiceLevels {
  return serviceLevelsOfFacts(cases.map(caseFacts));
}

export function serviceLevelsOfFacts(cases: readonly CaseFacts[]): ServiceLevels {
  const closed = cases.filter((c) => c.closed);
  const byKind: Partial<Record<CaseKind, number>> = {};
  for (const c of cases) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  const met = cases.reduce((n, c) => n + c.deadlinesMet, 0);
  const breached = cases.reduce((n, c) => n + c.deadlinesBreached, 0);
  const surveyed = cases.filter((c) => c.satisfaction !== undefined);
  const scores = surveyed.map((c) => c.satisfaction!.score).filter((s): s is number => s !== null);
  const closedAfterSales = closed.filter((c) => c.kind === 'after_sale');
  const closedComplaints = closed.filter((c) => c.kind === 'complaint');
  const complaintsByCategory: Record<string, number> = {};
  for (const c of cases) if (c.kind === 'complaint') complaintsByCategory[c.category ?? 'uncategorised'] = (complaintsByCategory[c.category ?? 'uncategorised'] ?? 0) + 1;
  return {
    cases: cases.length,
    byKind,
    closed: closed.length,
    firstResponse: durationStats(cases.map((c) => c.firstResponseSeconds).filter((s): s is number => s !== undefined)),
    resolution: durationStats(closed.map((c) => c.resolutionSeconds).filter((s): s is number => s !== undefined)),
    slaCompliance: ratio(met, met + breached),
    csat: {
      average: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
      surveys: surveyed.length,
      responses: scores.length,
      responseRate: ratio(scores.length, surveyed.length),
    },
    refundRate: ratio(closedAfterSales.filter((c) => c.outcome !== null && REFUND_OUTCOMES.has(c.outcome)).length, closedAfterSales.length),
    escalationRate: ratio(cases.filter((c) => c.escalated).length, cases.length),
    reopenRate: ratio(closedComplaints.filter((c) => c.reopened).length, closedComplaints.length),
    autoOutcomeShare: ratio(closed.filter((c) => c.defaultOutcome).length, closed.length),
    complaintsByCategory,
  };
}

/** One report per merchant, merchants in id order. */
export function serviceLevelsByMerchant(cases: readonly CaseSnapshot[]): Array<{ merchantId: string } & ServiceLevels> {
  return serviceLevelsByMerchantOfFacts(cases.map(caseFacts));
}

export function serviceLevelsByMerchantOfFacts(cases: readonly CaseFacts[]): Array<{ merchantId: string } & ServiceLevels> {
  const merchants = [...new Set(cases.map((c) => c.merchantId))].sort();
  return merchants.map((merchantId) => ({ merchantId, ...serviceLevelsOfFacts(cases.filter((c) => c.merchantId === merchantId)) }));
}
