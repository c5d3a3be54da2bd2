/**
 * The parts of an archive record (归档, docs/domain-rules.md "Records and archive") every kind shares:
 * escalations, breached deadlines and default outcomes read from the timeline and deadlines. No personal data.
 * Pure.
 */
import type { CaseKind, CaseLink, Deadline, TimelineEntry } from '../case';

const seconds = (from: number, to: number | undefined) => (to === undefined ? null : Math.round((to - from) / 1000));

export function archiveTimings(startedAt: number, firstRespondedAt: number | undefined, closedAt: number) {
  return {
    firstResponseSeconds: seconds(startedAt, firstRespondedAt),
    resolutionSeconds: seconds(startedAt, closedAt),
  };
}

/**
 * What a record opens with: the case, whose it is, what it was about (the kind's own fields), the policy it
 * ran under and how it ended.
 */
export function archiveHeader<K extends CaseKind, A extends object>(
  s: { request: { caseId: string; merchantId: string; policy: { id: string; version: number } }; outcome: string | null }, kind: K, about: A,
) {
  const { request } = s;
  return {
    caseId: request.caseId, kind, merchantId: request.merchantId, ...about, policy: { id: request.policy.id, version: request.policy.version }, outcome: s.outcome,
  };
}

/** How high it went and what the clock did: level, escalations, breached deadlines, default outcomes. */
export function archiveHistory(s: { escalationLevel: number; timeline: TimelineEntry[]; deadlines: Deadline[] }) {
  return {
    escalationLevel: s.escalationLevel,
    escalations: s.timeline.filter((e) => e.type === 'case.escalated').map((e) => ({ at: e.at, ...(e.data ?? {}) })),
    breaches: s.deadlines.filter((d) => d.state === 'breached').map((d) => d.name),
    defaultOutcomes: s.timeline.filter((e) => e.type === 'case.default_outcome').map((e) => ({ at: e.at, ...(e.data ?? {}) })),
  };
}

/** The customer journey's links, as the record keeps them. */
export function archiveLinks(s: { links: CaseLink[] }) {
  return s.links.map((l) => ({ id: l.id, kind: l.kind, relation: l.relation }));
}
