/**
 * The parts of an archive record (归档, docs/domain-rules.md "Records and archive") every kind shares:
 * escalations, breached deadlines and default outcomes read from the timeline and deadlines. No personal data.
 * Pure.
 */
import type { Deadline, TimelineEntry } from '../case';

const seconds = (from: number, to: number | undefined) => (to === undefined ? null : Math.round((to - from) / 1000));

export function archiveTimings(startedAt: number, firstRespondedAt: number | undefined, closedAt: number) {
  return {
    firstResponseSeconds: seconds(startedAt, firstRespondedAt),
    resolutionSeconds: seconds(startedAt, closedAt),
  };
}

export function archiveHistory(s: { timeline: TimelineEntry[]; deadlines: Deadline[] }) {
  return {
    escalations: s.timeline.filter((e) => e.type === 'case.escalated').map((e) => ({ at: e.at, ...(e.data ?? {}) })),
    breaches: s.deadlines.filter((d) => d.state === 'breached').map((d) => d.name),
    defaultOutcomes: s.timeline.filter((e) => e.type === 'case.default_outcome').map((e) => ({ at: e.at, ...(e.data ?? {}) })),
  };
}
