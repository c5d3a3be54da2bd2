/**
 * Which roles may send which order-issue action. The channel relays the customer (new tracking, a
 * confirmed address, a chosen remedy); staff and the merchant handle carriers, compensation and resolution.
 */
import type { Role } from '../case';
import type { OrderIssueAction } from './types';

const HANDLERS: readonly Role[] = ['agent', 'supervisor', 'merchant'];

export const ORDER_ISSUE_ACTION_ROLES: Record<OrderIssueAction, readonly Role[]> = {
  'update-tracking': ['channel', 'agent', 'merchant'],
  'contact-carrier': HANDLERS,
  'confirm-address': ['channel', 'agent'],
  'choose-remedy': ['channel'],
  compensate: HANDLERS,
  resolve: HANDLERS,
  'add-note': ['channel', 'agent', 'supervisor', 'merchant'],
  escalate: ['channel', 'agent', 'supervisor', 'merchant'],
};

/** Order issues are opened by the channel, an agent or the merchant (docs/http-contract.md "Kinds and actions"). */
export const ORDER_ISSUE_CREATOR_ROLES: readonly Role[] = ['channel', 'agent', 'merchant'];

export function roleMayActOnOrderIssue(role: string, action: OrderIssueAction): boolean {
  return (ORDER_ISSUE_ACTION_ROLES[action] as readonly string[]).includes(role);
}
