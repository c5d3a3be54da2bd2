/**
 * Deadline preview: the after-sale deadlines a case would get under a policy, from the events the caller
 * names, computed by `scheduleFrom` — the same code the workflows run. Each deadline counts from the
 * event that opens it in the machine:
 *   merchantResponse ← requestedAt · buyerReturnShipment, refundApproval ← approvedAt
 *   merchantReceipt ← shippedAt (the return) · refundPayment ← receivedAt (returns) or approvedAt (refund only)
 *   replacementShipment, repair ← receivedAt · escalationWindow ← rejectedAt · disputeAnswer ← escalatedAt
 *   evidence ← evidenceRequestedAt · rulingExecution ← ruledAt · appealWindow ← closedAt · suspension ← suspendedAt
 * Two events have a stand-in when not given (the deadline is then marked `assumedStart`): requestedAt is
 * now, approvedAt is requestedAt (approved at once: the earliest the buyer's clocks can start). A deadline
 * whose event is neither given nor stood in for is listed in `waitingFor`, with its event. Pure.
 */
import type { ActorRole, OnTimeout } from '../case';
import { AFTER_SALE_SILENCE } from '../after-sale/silence';
import type { AfterSaleType } from '../after-sale/types';
import { noReasonWindowEndsAt } from '../after-sale/no-reason-return';
import { scheduleFrom } from '../schedule';
import type { AfterSaleDeadlineName, DurationSpec, Policy } from './types';

/** Events a preview may name, across case kinds (each kind reads the ones its deadlines count from). */
export const PREVIEW_EVENTS = [
  'requestedAt', 'deliveredAt', 'approvedAt', 'rejectedAt', 'shippedAt', 'receivedAt', 'escalatedAt', 'evidenceRequestedAt',
  'ruledAt', 'closedAt', 'suspendedAt',
  'proposedAt', 'resolvedAt', 'taskCreatedAt', 'respondedAt', 'carrierContactedAt', 'optionsOfferedAt',
] as const;
export type PreviewEvent = (typeof PREVIEW_EVENTS)[number];
export type PreviewEvents = Partial<Record<PreviewEvent, number>>;

/** A deadline the preview cannot time yet: the event it counts from was not given. */
export interface UnscheduledDeadline {
  name: string;
  startsFrom: PreviewEvent;
  /** Who must act and what silence does; absent for kinds no workflow runs yet. */
  actor?: ActorRole;
  onTimeout?: OnTimeout;
  duration: DurationSpec;
  /** The duration's end-of-period rule, when it has one (also inside `duration` for the computation). */
  endOfPeriodRule?: DurationSpec['endOfPeriodRule'];
}

export interface PreviewedDeadline extends UnscheduledDeadline {
  startsAt: number;
  /** The start is a stand-in (requestedAt = now, approvedAt = requestedAt), not an event the caller gave. */
  assumedStart?: true;
  dueAt: number;
  warnAt?: number;
}

export interface DeadlinePreview {
  deadlines: PreviewedDeadline[];
  waitingFor: UnscheduledDeadline[];
}

/** Times one deadline from its event, or lists it as waiting for that event. */
export function previewDeadline(
  policy: Policy, deadline: UnscheduledDeadline, given: PreviewEvents, standIns: PreviewEvents, into: DeadlinePreview,
): void {
  const startsAt = given[deadline.startsFrom] ?? standIns[deadline.startsFrom];
  if (startsAt === undefined) {
    into.waitingFor.push(listed(deadline));
    return;
  }
  const { dueAt, warnAt } = scheduleFrom(policy, deadline.duration, startsAt);
  into.deadlines.push({
    ...listed(deadline), startsAt, ...(given[deadline.startsFrom] === undefined ? { assumedStart: true as const } : {}),
    dueAt, ...(warnAt !== undefined ? { warnAt } : {}),
  });
}

/**
 * The deadline as a preview lists it: `duration` keeps amount, unit and calendar (the API's duration shape),
 * an end-of-period rule is named beside it; the instants are computed from the whole spec.
 */
function listed<D extends UnscheduledDeadline>(deadline: D): D {
  const { endOfPeriodRule, ...duration } = deadline.duration;
  return endOfPeriodRule === undefined ? deadline : { ...deadline, duration, endOfPeriodRule };
}

/** Where each after-sale deadline counts from, who must act, and for which types it opens. */
interface Rule {
  from: (type: AfterSaleType) => PreviewEvent;
  actor: ActorRole;
  applies: (type: AfterSaleType) => boolean;
}

const always = () => true;
const returns = (type: AfterSaleType) => type !== 'refund_only';
const fixed = <T>(value: T) => () => value;

/**
 * Start event and actor of each deadline, as the after-sale machine opens them (checked by a test); what
 * silence does is the machine's own table, AFTER_SALE_SILENCE (../after-sale/silence.ts).
 */
export const AFTER_SALE_DEADLINE_RULES: Record<AfterSaleDeadlineName, Rule> = {
  merchantResponse: { from: fixed('requestedAt'), actor: 'merchant', applies: always },
  buyerReturnShipment: { from: fixed('approvedAt'), actor: 'channel', applies: returns },
  merchantReceipt: { from: fixed('shippedAt'), actor: 'merchant', applies: returns },
  refundPayment: { from: (t) => (t === 'refund_only' ? 'approvedAt' : 'receivedAt'), actor: 'system', applies: (t) => t === 'refund_only' || t === 'return_and_refund' },
  refundApproval: { from: fixed('approvedAt'), actor: 'supervisor', applies: always },
  escalationWindow: { from: fixed('rejectedAt'), actor: 'channel', applies: always },
  disputeAnswer: { from: fixed('escalatedAt'), actor: 'merchant', applies: always },
  // Evidence asked of the buyer (the channel relays it); asked of the merchant, the actor is the merchant.
  evidence: { from: fixed('evidenceRequestedAt'), actor: 'channel', applies: always },
  rulingExecution: { from: fixed('ruledAt'), actor: 'merchant', applies: always },
  appealWindow: { from: fixed('closedAt'), actor: 'channel', applies: always },
  replacementShipment: { from: fixed('receivedAt'), actor: 'merchant', applies: (t) => t === 'exchange' },
  repair: { from: fixed('receivedAt'), actor: 'merchant', applies: (t) => t === 'repair' },
  suspension: { from: fixed('suspendedAt'), actor: 'system', applies: always },
};

export interface AfterSalePreview extends DeadlinePreview {
  /** End of the no-reason return window when `deliveredAt` is given. */
  noReasonWindowEndsAt?: number;
}

export function previewAfterSale(policy: Policy, type: AfterSaleType, events: PreviewEvents, now: number): AfterSalePreview {
  const requestedAt = events.requestedAt ?? now;
  const standIns: PreviewEvents = { requestedAt, approvedAt: requestedAt };
  const preview: AfterSalePreview = { deadlines: [], waitingFor: [] };
  for (const name of Object.keys(AFTER_SALE_DEADLINE_RULES) as AfterSaleDeadlineName[]) {
    const rule = AFTER_SALE_DEADLINE_RULES[name];
    if (!rule.applies(type)) continue;
    const deadline = { name, startsFrom: rule.from(type), actor: rule.actor, onTimeout: AFTER_SALE_SILENCE[name].onTimeout(type), duration: policy.afterSale.deadlines[name] };
    previewDeadline(policy, deadline, events, standIns, preview);
  }
  const windowEnd = events.deliveredAt !== undefined && type !== 'refund_only'
    ? noReasonWindowEndsAt({ reason: 'no_reason', type, items: [], order: { paidTotal: { amount: 0, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' }, deliveredAt: events.deliveredAt }, requestedAt, policy })
    : undefined;
  return windowEnd !== undefined ? { ...preview, noReasonWindowEndsAt: windowEnd } : preview;
}
