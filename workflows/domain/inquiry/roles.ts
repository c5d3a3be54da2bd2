/**
 * Which roles may send which inquiry action. The channel relays the customer (messages, an order placed);
 * agents and supervisors answer and close. The API answers 403 for a role outside this table.
 */
import type { Role } from '../case';
import type { InquiryAction } from './types';

const STAFF: readonly Role[] = ['agent', 'supervisor'];

export const INQUIRY_ACTION_ROLES: Record<InquiryAction, readonly Role[]> = {
  reply: STAFF,
  'customer-message': ['channel'],
  convert: ['channel', 'agent', 'supervisor'],
  close: STAFF,
  'add-note': STAFF,
  assign: STAFF,
  escalate: ['agent', 'supervisor', 'channel'],
};

/** Inquiries are opened by the channel or an agent (docs/http-contract.md "Kinds and actions"). */
export const INQUIRY_CREATOR_ROLES: readonly Role[] = ['channel', 'agent'];

export function roleMayActOnInquiry(role: string, action: InquiryAction): boolean {
  return (INQUIRY_ACTION_ROLES[action] as readonly string[]).includes(role);
}
