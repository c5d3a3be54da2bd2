/**
 * What a case shows supervisors in the Temporal UI: its search attributes, derived from state on every
 * change. Status, owner, escalation, breach and next deadline only; never personal data.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { inWorkflowContext, patched } from '@temporalio/workflow';
import type { CaseKind, Deadline, Owner } from './domain/case';
import { deadlineInWords } from './domain/case-words';
import {
  CaseKind as CaseKindKey, CaseOutcome, OrderId, CaseStatus, EscalationLevel, MerchantId, NextDeadline, OwnerRole, PolicyId, SlaBreached, CasePriority,
} from './search-attributes';

export interface CaseVisibility {
  kind: CaseKind;
  status: string;
  outcome: string | null;
  owner: Owner | null;
  escalationLevel: number;
  deadlines: Deadline[];
  priority?: string;
  /** Set by kinds whose order becomes known during the case (an inquiry converted to an order). */
  orderId?: string;
}

/** Patch id: an open case with nothing running but overdue targets keeps its earliest overdue due time. */
export const NEXT_DEADLINE_OVERDUE_PATCH = 'next-deadline-overdue';

/**
 * When the case is due: its earliest active deadline; an open case with none running but targets breached
 * (a complaint at L4 past every target) is due since its earliest breach, so "due soonest" queues keep it
 * on top instead of dropping it. Inside a workflow the latter is behind `patched()`: running cases replay.
 */
export function nextDeadlineOf(v: CaseVisibility): Date | null {
  const active = v.deadlines.filter((d) => d.state === 'active').map((d) => d.dueAt);
  if (active.length) return new Date(Math.min(...active));
  const overdue = v.deadlines.filter((d) => d.state === 'breached').map((d) => d.dueAt);
  if (!overdue.length || v.owner === null || v.status === 'closed') return null;
  if (inWorkflowContext() && !patched(NEXT_DEADLINE_OVERDUE_PATCH)) return null;
  return new Date(Math.min(...overdue));
}

export function caseSearchAttributes(v: CaseVisibility): SearchAttributeUpdatePair[] {
  const next = nextDeadlineOf(v);
  return [
    { key: CaseKindKey, value: v.kind },
    { key: CaseStatus, value: v.status },
    { key: CaseOutcome, value: v.outcome },
    { key: OwnerRole, value: v.owner ? v.owner.role : null },
    { key: EscalationLevel, value: v.escalationLevel },
    { key: SlaBreached, value: v.deadlines.some((d) => d.state === 'breached') },
    { key: NextDeadline, value: next },
    ...(v.priority ? [{ key: CasePriority, value: v.priority }] : []),
    ...(v.orderId ? [{ key: OrderId, value: v.orderId }] : []),
  ] as SearchAttributeUpdatePair[];
}

/** The same attributes for a workflow start: pairs without a value are left out. */
export function startSearchAttributes(v: CaseVisibility): SearchAttributePair[] {
  return caseSearchAttributes(v).filter((pair) => pair.value !== null) as unknown as SearchAttributePair[];
}

/** The search attributes a case starts with: whose it is, under which policy, and its visibility. */
export function caseStartAttributes(request: { merchantId: string; orderId?: string; policy: { id: string } }, visibility: CaseVisibility): SearchAttributePair[] {
  return [
    { key: MerchantId, value: request.merchantId },
    ...(request.orderId ? [{ key: OrderId, value: request.orderId }] : []),
    { key: PolicyId, value: request.policy.id },
    ...startSearchAttributes(visibility),
  ] as SearchAttributePair[];
}

/**
 * The "current details" line supervisors read in the Temporal UI: status, owner and the next deadline in
 * words, in the case calendar's zone (domain/case-words.ts). No personal data. Current details are answered
 * to the UI's metadata Query, not recorded in history: changing their wording changes no replay.
 */
export function caseDetails(v: CaseVisibility, timeZone: string): string {
  const next = v.deadlines
    .filter((d) => d.state === 'active' && d.pausedAt === undefined)
    .sort((a, b) => a.dueAt - b.dueAt)[0];
  const owner = v.owner ? `${v.owner.role} (${v.owner.tier})` : 'nobody (closed)';
  const parts = [
    `**${v.kind.replace('_', '-')}** · status **${v.status}**${v.outcome ? ` · outcome **${v.outcome}**` : ''}${v.priority ? ` · ${v.priority}` : ''}`,
    `owner: ${owner} · escalation level ${v.escalationLevel}`,
    next ? `next: ${deadlineInWords(next, timeZone)}` : 'no deadline running',
  ];
  if (v.deadlines.some((d) => d.state === 'breached')) parts.push('SLA breached');
  return parts.join('\n');
}
