/**
 * What a case shows supervisors in the Temporal UI: its search attributes, derived from state on every
 * change. Status, owner, escalation, breach and next deadline only; never personal data.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CaseKind, Deadline, Owner } from './domain/case';
import { CaseKind as CaseKindKey, CaseOutcome, CaseStatus, EscalationLevel, NextDeadline, OwnerRole, SlaBreached, CasePriority } from './search-attributes';

export interface CaseVisibility {
  kind: CaseKind;
  status: string;
  outcome: string | null;
  owner: Owner | null;
  escalationLevel: number;
  deadlines: Deadline[];
  priority?: string;
}

export function caseSearchAttributes(v: CaseVisibility): SearchAttributeUpdatePair[] {
  const active = v.deadlines.filter((d) => d.state === 'active').map((d) => d.dueAt);
  const next = active.length ? new Date(Math.min(...active)) : null;
  return [
    { key: CaseKindKey, value: v.kind },
    { key: CaseStatus, value: v.status },
    { key: CaseOutcome, value: v.outcome },
    { key: OwnerRole, value: v.owner ? v.owner.role : null },
    { key: EscalationLevel, value: v.escalationLevel },
    { key: SlaBreached, value: v.deadlines.some((d) => d.state === 'breached') },
    { key: NextDeadline, value: next },
    ...(v.priority ? [{ key: CasePriority, value: v.priority }] : []),
  ] as SearchAttributeUpdatePair[];
}
