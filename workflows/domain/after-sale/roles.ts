/**
 * Which roles may send which after-sale action (docs/http-contract.md "Kinds and actions"). The API answers 403
 * for a role outside this table before it touches the case; state rules live in the machine.
 */
import type { Role } from '../case';
import type { AfterSaleAction } from './types';

export const AFTER_SALE_ACTION_ROLES: Record<AfterSaleAction, readonly Role[]> = {
  approve: ['merchant'],
  reject: ['merchant'],
  'confirm-receipt': ['merchant'],
  'ship-replacement': ['merchant'],
  'complete-repair': ['merchant'],
  'execute-ruling': ['merchant'],
  'ship-return': ['channel'],
  withdraw: ['channel'],
  escalate: ['channel', 'merchant'],
  'submit-evidence': ['channel', 'merchant'],
  appeal: ['channel', 'merchant'],
  'add-note': ['channel', 'merchant'],
  'request-evidence': ['arbiter'],
  rule: ['arbiter'],
  'approve-refund': ['supervisor'],
  'retry-refund': ['supervisor'],
  suspend: ['supervisor', 'arbiter'],
  resume: ['supervisor', 'arbiter'],
  'extend-deadline': ['supervisor', 'arbiter'],
};

/** Roles that may create after-sale cases. */
export const AFTER_SALE_CREATOR_ROLES: readonly Role[] = ['channel', 'agent'];

export function roleMayAct(role: string, action: AfterSaleAction): boolean {
  return (AFTER_SALE_ACTION_ROLES[action] as readonly string[]).includes(role);
}
