/**
 * Which roles may send which complaint action (docs/http-contract.md "Kinds and actions"). The API answers 403
 * for a role outside this table before it touches the case; state rules live in the machine.
 */
import type { Role } from '../case';
import type { ComplaintAction } from './types';

const STAFF: readonly Role[] = ['agent', 'supervisor'];

export const COMPLAINT_ACTION_ROLES: Record<ComplaintAction, readonly Role[]> = {
  acknowledge: STAFF,
  assign: STAFF,
  classify: STAFF,
  'add-note': STAFF,
  'propose-solution': STAFF,
  resolve: STAFF,
  'create-task': STAFF,
  'complete-task': STAFF,
  'approve-solution': ['supervisor'],
  close: ['supervisor'],
  'accept-solution': ['channel'],
  'reject-solution': ['channel'],
  reopen: ['channel'],
  escalate: ['agent', 'supervisor', 'channel'],
};

/** Roles that may open complaints. */
export const COMPLAINT_CREATOR_ROLES: readonly Role[] = ['channel', 'agent'];

export function roleMayActOnComplaint(role: string, action: ComplaintAction): boolean {
  return (COMPLAINT_ACTION_ROLES[action] as readonly string[]).includes(role);
}
