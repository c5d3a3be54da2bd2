/**
 * What silence does on an after-sale (docs/domain-rules.md "Silence: default outcomes"): one table from each
 * deadline to the default its view names (`onTimeout`) and the effect at breach, and the clock that fires
 * them through the kernel's loop (warnings, breaches in time order, paused clocks of a suspended case).
 * "Merchant silent past merchantResponse ⇒ approved" is the first row. Pure.
 */
import { SYSTEM_ACTOR, type Deadline, type OnTimeout, type Owner } from '../case';
import type { AfterSaleDeadlineName } from '../policy/types';
import {
  advanceClock, escalateTo, nextWakeAt as nextOnClock, queueNotice, record, type CaseNotice, type EscalationLevel,
} from '../service-case/core';
import { afterGoodsReceived, close, executeRuling, grantRequest, remainingCap, startRefund } from './moves';
import { resumeCase } from './suspension';
import type { AfterSaleOutcome, AfterSaleState, AfterSaleType } from './types';

export interface SilenceRule {
  /** The default the deadline's view names (`onTimeout`, docs/domain-rules.md "Silence: default outcomes"); the deadline preview reads it too. */
  onTimeout(type: AfterSaleType): OnTimeout;
  /** What the breach does to the case (the kernel has already recorded `deadline.breached`). */
  effect(s: AfterSaleState, d: Deadline, now: number): void;
}

const defaultOutcome = (s: AfterSaleState, d: Deadline, now: number, outcome: string) =>
  record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome });

const fixed = (onTimeout: OnTimeout) => () => onTimeout;

/** The platform's window to call it in (or to appeal) ran out: a rejected request stays rejected. */
const windowClosed: SilenceRule = {
  onTimeout: fixed('close'),
  effect(s, d, now) {
    if (s.status !== 'rejected') return;
    defaultOutcome(s, d, now, 'rejected');
    close(s, 'rejected', now, 'system');
  },
};

/** A merchant who misses the reship or repair deadline owes a full refund instead. */
const fallbackRefund: SilenceRule = {
  onTimeout: fixed('fallback_refund'),
  effect(s, d, now) {
    defaultOutcome(s, d, now, 'refund');
    startRefund(s, { amount: remainingCap(s), decidedBy: SYSTEM_ACTOR }, now);
  },
};

/** The owner after an escalation: a supervisor moves to the L3 queue from level 3 on; other owners stay. */
const ownerAfterEscalation = (level: EscalationLevel, owner: Owner): Owner =>
  owner.role === 'supervisor' ? { role: 'supervisor', tier: level >= 3 ? 'L3' : 'L2' } : owner;

/** Money late or waiting for a second approver: the case moves up a tier. */
const escalateOnSilence: SilenceRule = {
  onTimeout: fixed('escalate'),
  effect(s, d, now) {
    if (s.rules?.ownerNotices && s.notices) {
      // The kernel's escalation, as every kind: {from, to, reason}, the owner told; at L4 the owner hears of the breach.
      const noticing = s as AfterSaleState & { notices: CaseNotice[] };
      const data = { deadline: d.name, escalationLevel: Math.min(4, s.escalationLevel + 1) };
      const moved = escalateTo(noticing, now, 'system', 'breach', data, undefined, undefined, { follows: () => false, ownerAt: ownerAfterEscalation });
      if (!moved && s.owner) queueNotice(noticing, 'sla.breached', s.owner, { deadline: d.name, dueAt: d.dueAt });
      return;
    }
    // Cases started before: the level goes up (recorded even at the top) and nobody is told.
    s.escalationLevel = Math.min(4, Math.max(s.escalationLevel, (s.owner ? Number(s.owner.tier.slice(1)) : 1)) + 1) as EscalationLevel;
    if (s.owner) s.owner = ownerAfterEscalation(s.escalationLevel, s.owner);
    record(s, now, 'case.escalated', 'system', { deadline: d.name, escalationLevel: s.escalationLevel });
  },
};

/** Someone is reminded by the warning and the breach entry; nothing else changes. */
const nothingMore: SilenceRule = { onTimeout: fixed('warn'), effect: () => undefined };

export const AFTER_SALE_SILENCE: Record<AfterSaleDeadlineName, SilenceRule> = {
  // Merchant silence past the deadline means approval (auto-agree), counted from the buyer's request.
  merchantResponse: {
    onTimeout: fixed('auto_approve'),
    effect(s, d, now) {
      defaultOutcome(s, d, now, 'approved');
      grantRequest(s, SYSTEM_ACTOR, now, true);
    },
  },
  // Buyer silence past the deadline closes the request (Taobao-style, 7 days).
  buyerReturnShipment: {
    onTimeout: fixed('auto_close'),
    effect(s, d, now) {
      defaultOutcome(s, d, now, 'expired');
      close(s, 'expired' satisfies AfterSaleOutcome, now, 'system');
    },
  },
  // Merchant silence on receipt counts as received: a return is refunded (auto_refund), an exchange or a
  // repair goes on (named auto_approve in views since the first release).
  merchantReceipt: {
    onTimeout: (type) => (type === 'return_and_refund' ? 'auto_refund' : 'auto_approve'),
    effect(s, d, now) {
      defaultOutcome(s, d, now, 'received');
      afterGoodsReceived(s, SYSTEM_ACTOR, now, true);
    },
  },
  replacementShipment: fallbackRefund,
  repair: fallbackRefund,
  // SAMR art. 13: the refund is paid within 7 days; late, the case goes up a tier.
  refundPayment: escalateOnSilence,
  refundApproval: escalateOnSilence,
  escalationWindow: windowClosed,
  appealWindow: windowClosed,
  disputeAnswer: nothingMore,
  evidence: nothingMore,
  // The merchant executes the ruling in time, or the platform executes it (JD: 24 h).
  rulingExecution: {
    onTimeout: fixed('platform_execute'),
    effect(s, d, now) {
      defaultOutcome(s, d, now, 'platform_executed');
      executeRuling(s, SYSTEM_ACTOR, now);
    },
  },
  // A suspension that reaches its limit resumes by itself (Taobao art. 82-83), from the limit itself.
  suspension: { onTimeout: fixed('resume'), effect: (s, d, now) => resumeCase(s, SYSTEM_ACTOR, now, d.dueAt) },
};

function breach(s: AfterSaleState, d: Deadline, now: number): void {
  AFTER_SALE_SILENCE[d.name as AfterSaleDeadlineName]?.effect(s, d, now);
}

/** The next instant at which time changes something: a warning or a breach (paused clocks wait). */
export function nextWakeAt(s: AfterSaleState): number | undefined {
  return nextOnClock(s);
}

/** Fires every warning and breach due at or before `now`, in time order; the owner is told of warnings (cases started before: nobody). */
export function advanceAfterSaleClock(state: AfterSaleState, now: number): AfterSaleState {
  return advanceClock(state, now, { breach, warningData: (s) => (s.rules?.ownerNotices ? {} : null) });
}
