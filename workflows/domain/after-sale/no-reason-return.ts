/**
 * 七天无理由退货: the statutory no-reason return (CN Consumer Rights Protection Law art. 25; SAMR Order
 * 2017-90 art. 6-7, 10, 20). The window runs from 00:00 of the day after sign-off for the policy's number of
 * natural days; statutory exclusions always apply, nature-based ones only when the buyer confirmed them at
 * checkout. Other reasons (quality, wrong item...) are not limited by this window.
 */
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { addBusinessDuration } from '../clock';
import { calendarFor } from '../schedule';
import type { Policy } from '../policy/types';
import type { AfterSaleRequest } from './types';

export type NoReasonFacts = Pick<AfterSaleRequest, 'reason' | 'type' | 'items' | 'order' | 'requestedAt' | 'noReasonReturnConfirmedExclusions'> & { policy: Policy };

/** The instant the no-reason window closes, or undefined before delivery (the window has not started). */
export function noReasonWindowEndsAt(facts: NoReasonFacts): number | undefined {
  if (facts.order.deliveredAt === undefined) return undefined;
  const window = facts.policy.afterSale.noReasonReturn.window;
  return addBusinessDuration(facts.order.deliveredAt, window, calendarFor(facts.policy, window));
}

export function assessNoReasonReturn(facts: NoReasonFacts): RuleFailure | null {
  if (facts.reason !== 'no_reason' || facts.type === 'refund_only') return null;
  if (facts.type === 'repair') {
    return notEligible('no-reason-repair', 'a repair needs a fault: no_reason applies to returns and exchanges');
  }
  const excluded = facts.items.filter((item) => item.returnExclusion !== undefined);
  if (excluded.length > 0) {
    return notEligible('no-reason-return-excluded', 'these goods are excluded from no-reason returns by law', {
      items: excluded.map((item) => ({ sku: item.sku, exclusion: item.returnExclusion })),
    });
  }
  if (facts.noReasonReturnConfirmedExclusions) {
    return notEligible('no-reason-return-confirmed-exclusion', 'the buyer confirmed at checkout that these goods are unsuitable for no-reason return');
  }
  const endsAt = noReasonWindowEndsAt(facts);
  if (endsAt !== undefined && facts.requestedAt >= endsAt) {
    return notEligible('no-reason-return-window', 'the no-reason return window has closed', { windowEndsAt: endsAt });
  }
  return null;
}

function notEligible(rule: string, detail: string, extra: Record<string, unknown> = {}): RuleFailure {
  return { type: RULE_FAILURES.notEligible, detail, extensions: { rule, ...extra } };
}
