/**
 * Deadline preview: the after-sale deadlines a case would get under a policy, from the events the caller
 * names, computed by `scheduleFrom` — the same code the workflows run. Each deadline counts from the
 * event that opens it in the machine:
 *   merchantResponse, serviceReview ← requestedAt · buyerReturnShipment, refundApproval ← approvedAt
 *   merchantReceipt ← shippedAt (the return) · refundPayment ← receivedAt (returns) or approvedAt (refund only)
 *   replacementShipment, repair ← receivedAt · escalationWindow ← rejectedAt · disputeAnswer ← escalatedAt
 *   evidence ← evidenceRequestedAt · rulingExecution ← ruledAt · appealWindow ← closedAt · suspension ← suspendedAt
 * A deadline whose event is not given (and has no default) is left out. Pure.
 */
import type { ActorRole, OnTimeout } from '../case';
import type { AfterSaleType } from '../after-sale/types';
import { noReasonWindowEndsAt } from '../after-sale/no-reason-return';
import { scheduleFrom } from '../schedule';
import type { AfterSaleDeadlineName, DurationSpec, Policy } from './types';

export const PREVIEW_EVENTS = [
  'requestedAt', 'deliveredAt', 'approvedAt', 'rejectedAt', 'shippedAt', 'receivedAt', 'escalatedAt', 'evidenceRequestedAt',
  'ruledAt', 'closedAt', 'suspendedAt',
] as const;
export type PreviewEvent = (typeof PREVIEW_EVENTS)[number];

export interface PreviewedDeadline {
  name: AfterSaleDeadlineName;
  startsFrom: PreviewEvent;
  startsAt: number;
  dueAt: number;
  warnAt?: number;
  actor: ActorRole;
  onTimeout: OnTimeout;
  duration: DurationSpec;
}

interface Rule {
  from: (type: AfterSaleType) => PreviewEvent;
  actor: ActorRole;
  onTimeout: (type: AfterSaleType) => OnTimeout;
  applies: (type: AfterSaleType) => boolean;
}

const always = () => true;
const returns = (type: AfterSaleType) => type !== 'refund_only';
const fixed = <T>(value: T) => () => value;

/** Actor and default outcome of each deadline, as the after-sale machine opens them (checked by a test). */
export const AFTER_SALE_DEADLINE_RULES: Record<AfterSaleDeadlineName, Rule> = {
  merchantResponse: { from: fixed('requestedAt'), actor: 'merchant', onTimeout: fixed('auto_approve'), applies: always },
  buyerReturnShipment: { from: fixed('approvedAt'), actor: 'channel', onTimeout: fixed('auto_close'), applies: returns },
  merchantReceipt: { from: fixed('shippedAt'), actor: 'merchant', onTimeout: (t) => (t === 'return_and_refund' ? 'auto_refund' : 'auto_approve'), applies: returns },
  refundPayment: { from: (t) => (t === 'refund_only' ? 'approvedAt' : 'receivedAt'), actor: 'system', onTimeout: fixed('escalate'), applies: (t) => t === 'refund_only' || t === 'return_and_refund' },
  refundApproval: { from: fixed('approvedAt'), actor: 'supervisor', onTimeout: fixed('escalate'), applies: always },
  escalationWindow: { from: fixed('rejectedAt'), actor: 'channel', onTimeout: fixed('close'), applies: always },
  disputeAnswer: { from: fixed('escalatedAt'), actor: 'merchant', onTimeout: fixed('warn'), applies: always },
  // Evidence asked of the buyer (the channel relays it); asked of the merchant, the actor is the merchant.
  evidence: { from: fixed('evidenceRequestedAt'), actor: 'channel', onTimeout: fixed('warn'), applies: always },
  rulingExecution: { from: fixed('ruledAt'), actor: 'merchant', onTimeout: fixed('platform_execute'), applies: always },
  appealWindow: { from: fixed('closedAt'), actor: 'channel', onTimeout: fixed('close'), applies: always },
  replacementShipment: { from: fixed('receivedAt'), actor: 'merchant', onTimeout: fixed('fallback_refund'), applies: (t) => t === 'exchange' },
  repair: { from: fixed('receivedAt'), actor: 'merchant', onTimeout: fixed('fallback_refund'), applies: (t) => t === 'repair' },
  // JD's service-order review is a policy number no after-sale step opens yet: never previewed.
  serviceReview: { from: fixed('requestedAt'), actor: 'arbiter', onTimeout: fixed('warn'), applies: () => false },
  suspension: { from: fixed('suspendedAt'), actor: 'system', onTimeout: fixed('resume'), applies: always },
};

export interface AfterSalePreview {
  deadlines: PreviewedDeadline[];
  /** End of the no-reason return window when `deliveredAt` is given. */
  noReasonWindowEndsAt?: number;
}

export function previewAfterSale(policy: Policy, type: AfterSaleType, events: Partial<Record<PreviewEvent, number>>, now: number): AfterSalePreview {
  const known = { requestedAt: now, ...events };
  const deadlines = (Object.keys(AFTER_SALE_DEADLINE_RULES) as AfterSaleDeadlineName[]).flatMap((name): PreviewedDeadline[] => {
    const rule = AFTER_SALE_DEADLINE_RULES[name];
    if (!rule.applies(type)) return [];
    const startsFrom = rule.from(type);
    const startsAt = known[startsFrom];
    if (startsAt === undefined) return [];
    const duration = policy.afterSale.deadlines[name];
    const { dueAt, warnAt } = scheduleFrom(policy, duration, startsAt);
    return [{ name, startsFrom, startsAt, dueAt, ...(warnAt !== undefined ? { warnAt } : {}), actor: rule.actor, onTimeout: rule.onTimeout(type), duration }];
  });
  const windowEnd = known.deliveredAt !== undefined && type !== 'refund_only'
    ? noReasonWindowEndsAt({ reason: 'no_reason', type, items: [], order: { paidTotal: { amount: 0, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, deliveredAt: known.deliveredAt }, requestedAt: known.requestedAt, policy })
    : undefined;
  return { deadlines, ...(windowEnd !== undefined ? { noReasonWindowEndsAt: windowEnd } : {}) };
}
