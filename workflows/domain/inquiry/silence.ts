/**
 * What silence does on an inquiry (docs/domain-rules.md "Silence: default outcomes"): one table from each
 * deadline to who must act, the default its view names (`onTimeout`) and the effect at breach, and the clock
 * that fires them through the kernel's loop. The policy preview reads the same table (./deadline-rules). Pure.
 */
import type { ActorRole, Deadline, OnTimeout, Owner } from '../case';
import type { InquiryDeadlineName } from '../policy/sections/inquiry';
import { advanceClock, escalateTo, queueNotice, record } from '../service-case/core';
import { closeInquiry, openFollowUp, openResponseTarget, settingsOf } from './moves';
import type { InquiryState } from './types';

export interface InquiryDeadlineRule {
  /** The actor, given the inquiry's current owner. */
  actor: (owner: Owner) => ActorRole;
  /** The default outcome, given the follow-ups sent so far and how many the policy allows. */
  onTimeout: (followUpsSent: number, followUps: number) => OnTimeout;
  /** What the breach does to the case (the kernel has already recorded `deadline.breached`). */
  effect: (s: InquiryState, d: Deadline, now: number) => void;
}

export const INQUIRY_SILENCE: Record<InquiryDeadlineName, InquiryDeadlineRule> = {
  // The service side owes an answer: the owner's tier answers; a breach moves the inquiry one tier up and the
  // new owner gets the target again; at L4 the owner is told it breached.
  firstResponse: {
    actor: (owner) => owner.role,
    onTimeout: () => 'escalate',
    effect(s, d, now) {
      if (escalateTo(s, now, 'system', 'breach', { deadline: d.name })) openResponseTarget(s, now);
      else queueNotice(s, 'sla.breached', s.owner!, { deadline: d.name, dueAt: d.dueAt });
    },
  },
  // The customer's clock: each breach sends a follow-up (warn); the one after the last closes it (auto_close).
  followUp: {
    actor: () => 'channel',
    onTimeout: (sent, allowed) => (sent < allowed ? 'warn' : 'auto_close'),
    effect(s, d, now) {
      // The count is the one the deadline was opened with: only a breach or a reply (which ends it) changes it.
      const { followUps } = settingsOf(s);
      if (s.followUpsSent < followUps) {
        s.followUpsSent += 1;
        record(s, now, 'inquiry.followed_up', 'system', { followUp: s.followUpsSent, of: followUps });
        queueNotice(s, 'inquiry.follow_up', { customerRef: s.request.customerRef }, { followUp: s.followUpsSent, topic: s.request.topic });
        openFollowUp(s, now);
        return;
      }
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'no_response' });
      closeInquiry(s, 'no_response', now, 'system');
    },
  },
};

function breach(s: InquiryState, d: Deadline, now: number): void {
  INQUIRY_SILENCE[d.name as InquiryDeadlineName]?.effect(s, d, now);
}

/** Fires every warning and breach due at or before `now`, in time order. */
export function advanceInquiryClock(state: InquiryState, now: number): InquiryState {
  return advanceClock(state, now, { breach });
}
