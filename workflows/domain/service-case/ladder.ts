/**
 * The owner ladder every case kind escalates on (telecom four-level model): L1 agent → L2 team lead → L3 CS
 * manager → L4 platform/executive. Each level has one owner queue; a person may be assigned inside it. Pure.
 */
import type { Owner } from '../case';

export type EscalationLevel = 1 | 2 | 3 | 4;

/** The owner queue of each level: team leads and managers are supervisors; L4 is the platform (arbiter). */
export const LEVEL_OWNERS: Record<EscalationLevel, Owner> = {
  1: { role: 'agent', tier: 'L1' },
  2: { role: 'supervisor', tier: 'L2' },
  3: { role: 'supervisor', tier: 'L3' },
  4: { role: 'arbiter', tier: 'L4' },
};

/** The owner of a level: its queue, or a person assigned inside it. */
export function ownerAt(level: EscalationLevel, assignee?: string): Owner {
  return { ...LEVEL_OWNERS[level], ...(assignee ? { assignee } : {}) };
}
