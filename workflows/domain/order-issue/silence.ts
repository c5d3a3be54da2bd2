/**
 * What silence does on an order issue (docs/domain-rules.md "Silence: default outcomes"): one table from each
 * deadline to its effect at breach, fired by the kernel's clock loop. Who acts and the default each deadline
 * names are chosen where it opens, by the situation (./deadline-rules); the effect reads the same situation
 * from the case (a reship's trackingWait is the case compensating, a restock's awaiting_restock). Pure.
 */
import type { Deadline } from '../case';
import type { OrderIssueDeadlineName } from '../policy/sections/order-issue';
import { advanceClock, escalateTo, record } from '../service-case/core';
import { defaultRefund } from './compensation';
import { applyRemedy, askCustomer, close, closeIfSettled, contactCarrier, parcelLost, startCompensation } from './moves';
import type { OrderIssueState } from './types';

type SilenceEffect = (s: OrderIssueState, d: Deadline, now: number) => void;

export const ORDER_ISSUE_SILENCE: Record<OrderIssueDeadlineName, SilenceEffect> = {
  trackingWait(s, d, now) {
    if (s.status === 'compensating') {
      // The reship did not leave in time: refund instead (fallback).
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'fallback_refund' });
      startCompensation(s, 'refund', defaultRefund(s), now, 'system');
    } else if (s.status === 'awaiting_restock') askCustomer(s, ['wait', 'cancel'], 'cancel', now, 'system');
    else contactCarrier(s, s.request.type === 'delivery_delay' ? 'expedite' : 'trace', now, 'system');
  },
  carrierResponse(s, d, now) {
    // The owner's tier failed to get an answer: the case moves up a tier, and the customer is not kept waiting.
    escalateTo(s, now, 'system', 'breach', { deadline: d.name });
    if (s.claimOpen && s.status !== 'awaiting_carrier') {
      // A damage claim unanswered in time: the merchant pursues it outside the case; the customer is served.
      s.claimOpen = false;
      record(s, now, 'carrier.claim_unanswered', 'system');
      closeIfSettled(s, now);
    } else if (s.request.type === 'delivery_delay') askCustomer(s, ['wait', 'cancel'], 'cancel', now, 'system');
    else parcelLost(s, now, 'system');
  },
  customerChoice(s, d, now) {
    if (s.request.type === 'address_change') {
      record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'expired' });
      close(s, 'expired', now, 'system');
      return;
    }
    const remedy = s.offered?.byDefault ?? 'refund';
    record(s, now, 'case.default_outcome', 'system', { deadline: d.name, remedy });
    applyRemedy(s, remedy, now, 'system');
  },
};

function breach(s: OrderIssueState, d: Deadline, now: number): void {
  ORDER_ISSUE_SILENCE[d.name as OrderIssueDeadlineName]?.(s, d, now);
}

/** Fires every warning and breach due at or before `now`, in time order. */
export function advanceOrderIssueClock(state: OrderIssueState, now: number): OrderIssueState {
  return advanceClock(state, now, { breach });
}
