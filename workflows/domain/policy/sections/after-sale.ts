/**
 * The `afterSale` section of a policy (售后): the deadlines of refunds, returns, exchanges, repairs and
 * platform arbitration by name, the authority limit above which a second person approves a refund, the
 * no-reason return window, when the buyer may call in the platform without an answer, and how long a
 * suspension for proof may last. Every policy states this section whole (presets and their children).
 */
import type { Money } from '../../case';
import { validateDurationSpec, type DurationSpec } from '../../clock/duration';

export const AFTER_SALE_DEADLINES = [
  'merchantResponse', 'buyerReturnShipment', 'merchantReceipt', 'refundPayment', 'refundApproval',
  'escalationWindow', 'disputeAnswer', 'evidence', 'rulingExecution', 'appealWindow',
  'replacementShipment', 'repair', 'suspension',
] as const;
export type AfterSaleDeadlineName = (typeof AFTER_SALE_DEADLINES)[number];

/**
 * After-sale deadline names no step opens any more. `serviceReview` (JD's 48 h service-order review) was in
 * every preset but never opened: on JD that review is the merchant's answer to the request, which
 * `merchantResponse` already times. Policies pinned before still carry it (harmlessly); a new version drops
 * what its parent carried.
 */
export const RETIRED_AFTER_SALE_DEADLINES = ['serviceReview'] as const;

/** Suspension reasons with a limit of their own; negotiation uses the `suspension` deadline. */
export const SUSPENSION_LIMIT_REASONS = ['legal_proof', 'police'] as const;
export type SuspensionLimitReason = (typeof SUSPENSION_LIMIT_REASONS)[number];

export interface AfterSalePolicy {
  deadlines: Record<AfterSaleDeadlineName, DurationSpec>;
  /** A refund approved by a person above this amount waits for a second approver (四眼原则). */
  authorityLimit: Money;
  /** The statutory no-reason return window (七天无理由), counted from delivery. */
  noReasonReturn: { window: DurationSpec };
  /**
   * How long after the request the buyer may call in the platform although the merchant has not answered
   * (Amazon A-to-z: after allowing two business days); a rejection opens it at once. Absent: only a
   * rejection opens it (the Taobao/JD-style presets, and every policy pinned before this setting existed).
   */
  escalationOpensAfterNoAnswer?: DurationSpec;
  /**
   * How long a suspension for court or police proof (`legal_proof`) and for a police case (`police`) may
   * last before the case resumes by itself; negotiation uses the `suspension` deadline. Absent only in
   * policies pinned before these were settings: they keep the limits they were opened with.
   */
  suspensionLimits?: Record<SuspensionLimitReason, DurationSpec>;
}

/** Problems with the section's settings other than its deadlines (checked with every section's), as sentences. */
export function afterSaleSettingsProblems(section: AfterSalePolicy): string[] {
  const problems: string[] = [];
  const limit = section.authorityLimit;
  if (!limit || !Number.isInteger(limit.amount) || limit.amount < 0 || !/^[A-Z]{3}$/.test(limit.currency ?? '')) {
    problems.push('afterSale.authorityLimit must be { amount: integer ≥ 0, currency: ISO 4217 code }');
  }
  const noReason = section.noReasonReturn;
  if (noReason !== undefined) for (const p of validateDurationSpec(noReason?.window)) problems.push(`afterSale.noReasonReturn.window: ${p}`);
  const opens = section.escalationOpensAfterNoAnswer;
  if (opens !== undefined) for (const p of validateDurationSpec(opens)) problems.push(`afterSale.escalationOpensAfterNoAnswer: ${p}`);
  const limits: unknown = section.suspensionLimits;
  if (limits !== undefined) {
    if (typeof limits !== 'object' || limits === null) problems.push('afterSale.suspensionLimits must be { legal_proof, police }');
    else {
      const reasons: readonly string[] = SUSPENSION_LIMIT_REASONS;
      for (const reason of reasons) if (!(reason in limits)) problems.push(`afterSale.suspensionLimits.${reason} is missing`);
      for (const [reason, spec] of Object.entries(limits)) {
        if (!reasons.includes(reason)) problems.push(`afterSale.suspensionLimits.${reason} is not a suspension reason with its own limit (legal_proof, police)`);
        for (const p of validateDurationSpec(spec)) problems.push(`afterSale.suspensionLimits.${reason}: ${p}`);
      }
    }
  }
  return problems;
}
