/**
 * Who must act on each inquiry deadline and what silence does: the table the inquiry machine opens its
 * deadlines from, and the policy preview reads. Pure.
 */
import type { ActorRole, OnTimeout, Owner } from '../case';
import type { InquiryDeadlineName } from '../policy/sections/inquiry';

export interface InquiryDeadlineRule {
  /** The actor, given the inquiry's current owner. */
  actor: (owner: Owner) => ActorRole;
  /** The default outcome, given the follow-ups sent so far and how many the policy allows. */
  onTimeout: (followUpsSent: number, followUps: number) => OnTimeout;
}

export const INQUIRY_DEADLINE_RULES: Record<InquiryDeadlineName, InquiryDeadlineRule> = {
  // The service side owes an answer: the owner's tier answers; a breach moves the inquiry one tier up.
  firstResponse: { actor: (owner) => owner.role, onTimeout: () => 'escalate' },
  // The customer's clock: each breach sends a follow-up (warn); the one after the last closes it (auto_close).
  followUp: { actor: () => 'channel', onTimeout: (sent, allowed) => (sent < allowed ? 'warn' : 'auto_close') },
};
