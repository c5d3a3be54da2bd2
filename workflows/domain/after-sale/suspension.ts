/**
 * Suspension (中止): negotiation, court or police proceedings stop a case's clocks (the kernel's pauses, in
 * ../service-case/pauses); the case resumes by a person or by itself at the suspension's own limit, and each
 * deadline gets back exactly the time it lost. Also `extend-deadline`: a supervisor or arbiter moves one
 * deadline out, with an audited reason.
 */
import type { Actor } from '../case';
import type { DurationSpec } from '../policy/types';
import {
  activeDeadlines, extendDeadline as extendOnClock, extensionCalendar as calendarOfExtension, pauseClocks, record, resumeClocks,
} from '../service-case/core';
import { openDeadline, refreshOwner } from './moves';
import type { AfterSaleState, AfterSaleStatus } from './types';

export const SUSPENSION_REASONS = ['negotiation', 'legal_proof', 'police'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/**
 * The limits of `legal_proof` and `police` suspensions in policies pinned before they were policy values
 * (`afterSale.suspensionLimits`): a running case keeps the limits it was opened with. New policies carry
 * their own (the presets with their sources); this table is never a default for them.
 */
export const LIMITS_BEFORE_POLICY_VALUES: Record<Exclude<SuspensionReason, 'negotiation'>, DurationSpec> = {
  legal_proof: { amount: 7, unit: 'working_days', calendar: 'cn-workdays' },
  police: { amount: 183, unit: 'calendar_days' },
};

/** Statuses that can be suspended: the case is waiting on someone, and no money is on its way. */
export const SUSPENDABLE: readonly AfterSaleStatus[] = [
  'awaiting_merchant', 'awaiting_buyer_return', 'awaiting_merchant_receipt', 'awaiting_replacement', 'in_repair', 'rejected', 'in_arbitration',
];

/** How long a suspension for `reason` may last: the policy's values (Taobao art. 82-83, JD in the presets). */
export function suspensionLimit(s: AfterSaleState, reason: SuspensionReason): DurationSpec {
  const { afterSale } = s.request.policy;
  if (reason === 'negotiation') return afterSale.deadlines.suspension;
  return afterSale.suspensionLimits?.[reason] ?? LIMITS_BEFORE_POLICY_VALUES[reason];
}

export function suspendCase(s: AfterSaleState, reason: SuspensionReason, by: Actor, now: number): void {
  pauseClocks(s, now);
  const from = s.status;
  s.suspendedFrom = from;
  s.status = 'suspended';
  refreshOwner(s);
  record(s, now, 'case.status_changed', by, { from, to: 'suspended' });
  openDeadline(s, 'suspension', 'system', now, suspensionLimit(s, reason));
  const limit = s.deadlines[s.deadlines.length - 1];
  s.suspension = { reason, since: now, resumesAt: limit.dueAt };
}

/**
 * Runs the clocks again. `clockFrom` is the instant they run from: now for a person, the limit itself when
 * the suspension runs out (a wake-up that comes late must not give the paused deadlines the lateness too).
 */
export function resumeCase(s: AfterSaleState, by: Actor, now: number, clockFrom = now): void {
  // The case stood still from the suspension on, whether or not any of its deadlines was running then.
  const stoppedMs = s.suspension ? clockFrom - s.suspension.since : 0;
  for (const d of activeDeadlines(s)) {
    if (d.name !== 'suspension') continue;
    d.state = by.role === 'system' ? 'breached' : 'met';
    d.endedAt = now;
  }
  resumeClocks(s, s.request.policy, clockFrom);
  const to = s.suspendedFrom ?? 'awaiting_merchant';
  delete s.suspendedFrom;
  s.status = to;
  s.suspension = null;
  refreshOwner(s);
  record(s, now, 'case.status_changed', by, { from: 'suspended', to });
  record(s, now, 'case.resumed', by, { stoppedMs });
}

/** The calendar an extension counts on: the one it names, else the deadline's own (else the policy's default). */
export function extensionCalendar(s: AfterSaleState, name: string, by: DurationSpec) {
  return calendarOfExtension(s, s.request.policy, name, by);
}

/** Moves one active deadline out by `by`; a suspension moved out resumes later. */
export function extendDeadline(s: AfterSaleState, name: string, by: DurationSpec, reason: string, actor: Actor, now: number): void {
  const d = extendOnClock(s, s.request.policy, name, by, reason, actor, now);
  if (s.suspension && name === 'suspension') s.suspension.resumesAt = d.dueAt;
}
