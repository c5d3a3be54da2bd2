/**
 * A case snapshot (what each event hand-off carries) as the projection's row: the columns lists filter on,
 * the KPI facts reports sum (workflows/domain/kpi), and when its record may be purged.
 */
import type { CaseKind, TimelineEntry } from '../../workflows/domain/case';
import { localDate } from '../../workflows/domain/clock';
import { caseFacts, type CaseFacts, type CaseSnapshot } from '../../workflows/domain/kpi/service-levels';
import { nextDeadlineOf } from '../../workflows/case-visibility';
import type { CaseSnapshotHandOff } from '../../workflows/case-runtime';

export interface CaseRow {
  caseId: string;
  kind: CaseKind;
  merchantId: string;
  policyId: string | null;
  timeZone: string;
  revision: number;
  status: string;
  outcome: string | null;
  ownerRole: string | null;
  escalationLevel: number;
  slaBreached: boolean;
  nextDeadline: Date | null;
  priority: string | null;
  orderId: string | null;
  openedAt: Date;
  /** The opening day in the case calendar's zone (reports by day count it there). */
  openedOn: string;
  closedAt: Date | null;
  finished: boolean;
  view: unknown;
  allowedActions: Record<string, string[]>;
  facts: CaseFacts;
  retainUntil: Date | null;
}

type ViewFields = {
  createdAt?: number; timeline?: TimelineEntry[]; deadlines?: CaseSnapshot['deadlines']; category?: string; policy?: { id?: string }; orderId?: string;
};

export function caseRowOf(c: { caseId: string; kind: CaseKind; merchantId: string; timeZone: string; snapshot: CaseSnapshotHandOff }, recordRetentionMs: number): CaseRow {
  const { snapshot } = c;
  const v = snapshot.visibility;
  const view = snapshot.view as ViewFields;
  const timeline = view.timeline ?? [];
  const createdAt = view.createdAt ?? timeline[0]?.at ?? 0;
  const closedAt = v.status === 'closed' ? [...timeline].reverse().find((e) => e.type === 'case.closed')?.at ?? null : null;
  const facts = caseFacts({
    id: c.caseId, kind: c.kind, merchantId: c.merchantId, status: v.status, outcome: v.outcome, createdAt, escalationLevel: v.escalationLevel,
    timeline, deadlines: view.deadlines ?? v.deadlines, ...(typeof view.category === 'string' ? { category: view.category } : {}),
  });
  return {
    caseId: c.caseId, kind: c.kind, merchantId: c.merchantId, policyId: view.policy?.id ?? null, timeZone: c.timeZone, revision: snapshot.revision,
    status: v.status, outcome: v.outcome, ownerRole: v.owner?.role ?? null, escalationLevel: v.escalationLevel,
    slaBreached: v.deadlines.some((d) => d.state === 'breached'), nextDeadline: nextDeadlineOf(v),
    // The order a case is about: named at its start (the view), or learned during it (an inquiry converted).
    priority: v.priority ?? null, orderId: v.orderId ?? (typeof view.orderId === 'string' ? view.orderId : null),
    openedAt: new Date(createdAt), openedOn: localDate(createdAt, c.timeZone),
    closedAt: closedAt === null ? null : new Date(closedAt), finished: snapshot.finished,
    view: snapshot.view, allowedActions: snapshot.allowedActions, facts,
    retainUntil: closedAt === null ? null : new Date(closedAt + recordRetentionMs),
  };
}
