/**
 * Escalation on the owner ladder (./ladder), the same for every kind: never down, L4 is the top; the new
 * tier's queue owns the case (the assignee is cleared), the deadlines that follow the owner point at it, and
 * one `case.escalated` entry and notice say `{from, to, reason}` plus what the caller adds. Pure.
 */
import type { ActorRole, Deadline, Owner } from '../case';
import { activeDeadlines } from './deadlines';
import { ownerAt, type EscalationLevel } from './ladder';
import { queueNotice, record, type Noticing, type Recorded } from './records';

/** What escalation needs of a case. */
export interface EscalatingCase extends Recorded, Noticing {
  owner: Owner | null;
  escalationLevel: EscalationLevel;
  deadlines: Deadline[];
}

export interface EscalationOptions {
  /** Which active deadlines move to the new owner (default: those the previous owner's role held). */
  follows?: (d: Deadline, previousRole: ActorRole) => boolean;
  /** What the new owner's notice carries between the reason and `data` (a complaint's priority). */
  noticeData?: Record<string, unknown>;
  /** Who owns the case at the new level (default: the level's queue); an after-sale's owner follows its status. */
  ownerAt?: (level: EscalationLevel, current: Owner) => Owner;
}

/**
 * Moves the case to `toLevel` (default one up; never down, L4 is the top): the new tier's queue owns it,
 * staff deadlines point at the new owner, the owner is told. Returns whether the level changed.
 */
export function escalateTo(
  s: EscalatingCase, now: number, by: ActorRole, reason: string, data: Record<string, unknown> = {}, toLevel?: EscalationLevel, actorRef?: string,
  o: EscalationOptions = {},
): boolean {
  const target = Math.min(4, toLevel ?? s.escalationLevel + 1) as EscalationLevel;
  if (target <= s.escalationLevel || !s.owner) return false;
  const from = s.escalationLevel;
  const previousRole = s.owner.role;
  s.escalationLevel = target;
  s.owner = o.ownerAt ? o.ownerAt(target, s.owner) : ownerAt(target);
  const follows = o.follows ?? ((d: Deadline, role: ActorRole) => d.actor === role);
  for (const d of activeDeadlines(s)) if (follows(d, previousRole)) d.actor = s.owner.role;
  record(s, now, 'case.escalated', by, { from: `L${from}`, to: `L${target}`, reason, ...data }, actorRef);
  queueNotice(s, 'case.escalated', s.owner, { from: `L${from}`, to: `L${target}`, reason, ...(o.noticeData ?? {}), ...data });
  return true;
}

/** The `escalate` action: one level up because someone asked, their reason kept as `requestReason`. */
export function escalateOnRequest(s: EscalatingCase, now: number, actor: { role: ActorRole; actorRef?: string }, reason?: string): boolean {
  return escalateTo(s, now, actor.role, 'requested', reason ? { requestReason: reason } : {}, undefined, actor.actorRef);
}
