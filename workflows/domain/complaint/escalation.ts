/**
 * The complaint escalation ladder (telecom four-level model): L1 agent → L2 team lead → L3 CS manager →
 * L4 platform/executive. Each level has one owner queue; a person may be assigned inside it. Escalation
 * never goes back down, clears the assignee (the new tier's queue owns the case) and notifies the new owner.
 */
import type { ActorRole, Owner } from '../case';
import { record, queueNotice } from './records';
import type { ComplaintState } from './types';

export type EscalationLevel = 1 | 2 | 3 | 4;

/** The owner queue of each level: team leads and managers are supervisors; L4 is the platform (arbiter). */
export const LEVEL_OWNERS: Record<EscalationLevel, Owner> = {
  1: { role: 'agent', tier: 'L1' },
  2: { role: 'supervisor', tier: 'L2' },
  3: { role: 'supervisor', tier: 'L3' },
  4: { role: 'arbiter', tier: 'L4' },
};

export function ownerAtLevel(level: EscalationLevel, assignee?: string): Owner {
  return { ...LEVEL_OWNERS[level], ...(assignee ? { assignee } : {}) };
}

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
