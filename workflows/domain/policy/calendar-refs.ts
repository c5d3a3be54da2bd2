/**
 * Every place a policy names a business calendar: its default, each section's deadlines, complaint
 * per-priority targets, the no-reason return window and the other after-sale durations. Validation and
 * calendar embedding both walk this one list, so no calendar a case could count in is left unchecked or
 * unpinned. Pure.
 */
import type { Policy } from './types';

export interface CalendarReference {
  /** Where the policy names it, e.g. `afterSale.deadlines.merchantReceipt.calendar`. */
  path: string;
  calendarId: string;
}

type Spec = { calendar?: unknown } | null | undefined;
type PolicyLike = Partial<Omit<Policy, 'version'>>;

function specCalendar(path: string, spec: unknown): CalendarReference[] {
  const calendar = (spec as Spec)?.calendar;
  return typeof calendar === 'string' ? [{ path: `${path}.calendar`, calendarId: calendar }] : [];
}

function deadlineCalendars(section: string, deadlines: unknown): CalendarReference[] {
  if (typeof deadlines !== 'object' || deadlines === null) return [];
  return Object.entries(deadlines).flatMap(([name, spec]) => specCalendar(`${section}.deadlines.${name}`, spec));
}

export function calendarReferences(policy: PolicyLike): CalendarReference[] {
  const refs: CalendarReference[] = [];
  if (typeof policy.defaultCalendar === 'string') refs.push({ path: 'defaultCalendar', calendarId: policy.defaultCalendar });
  for (const section of ['afterSale', 'inquiry', 'orderIssue', 'complaint', 'survey'] as const) {
    refs.push(...deadlineCalendars(section, policy[section]?.deadlines));
  }
  // Unchecked documents pass through here too: every value is read as possibly malformed.
  const afterSale = policy.afterSale;
  refs.push(...specCalendar('afterSale.noReasonReturn.window', afterSale?.noReasonReturn?.window));
  refs.push(...specCalendar('afterSale.escalationOpensAfterNoAnswer', afterSale?.escalationOpensAfterNoAnswer));
  for (const [reason, spec] of Object.entries(afterSale?.suspensionLimits ?? {})) refs.push(...specCalendar(`afterSale.suspensionLimits.${reason}`, spec));
  for (const [priority, target] of Object.entries(policy.complaint?.targets ?? {})) {
    for (const [name, spec] of Object.entries(target ?? {})) refs.push(...specCalendar(`complaint.targets.${priority}.${name}`, spec));
  }
  return refs;
}

/** The distinct calendar ids a policy names, in first-named order. */
export function calendarIdsNamedBy(policy: PolicyLike): string[] {
  return [...new Set(calendarReferences(policy).map((r) => r.calendarId))];
}
