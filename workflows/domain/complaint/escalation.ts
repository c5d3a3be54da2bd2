/**
 * Complaint escalation on the shared owner ladder (../service-case/ladder): escalation never goes back down,
 * clears the assignee (the new tier's queue owns the case) and notifies the new owner.
 */
import type { ActorRole } from '../case';
import { ownerAt as ownerAtLevel, type EscalationLevel } from '../service-case/ladder';
import { record, queueNotice } from '../service-case/core';
import type { ComplaintState } from './types';

export { ownerAtLevel, type EscalationLevel };

/** Why a complaint moved up: a breached target, repeated rejections, a person asking, severity, recovery. */
export type EscalationReason = 'breach' | 'rejections' | 'requested' | 'severity' | 'recovery';

/**
 * Moves the case to `toLevel` (never down): new owner queue, notice to it, timeline entry. Returns whether
 * the level changed. `toLevel` defaults to one level up; at L4 nothing is above.
 */
export function escalate(
  s: ComplaintState, now: number, by: ActorRole, reason: EscalationReason, data: Record<string, unknown> = {}, toLevel?: EscalationLevel, actorRef?: string,
): boolean {
  const target = Math.min(4, toLevel ?? s.escalationLevel + 1) as EscalationLevel;
  if (target <= s.escalationLevel) return false;
  const from = s.escalationLevel;
  s.escalationLevel = target;
  s.owner = ownerAtLevel(target);
  s.rejectionsInARow = 0;
  record(s, now, 'case.escalated', by, { from: `L${from}`, to: `L${target}`, reason, ...data }, actorRef);
  queueNotice(s, 'case.escalated', s.owner, { from: `L${from}`, to: `L${target}`, reason, priority: s.priority, ...data });
  return true;
}
