/**
 * Complaint priority (优先级) from classification (类型、严重性、紧急性) and customer tier: severity sets the
 * base, urgency moves it one step either way, a VIP (大客户) raises it one step. Critical is always P1.
 * Also the tier a complaint starts at: critical severity or a social-media channel (微博投诉) start at L2.
 */
import type { Priority } from '../policy/sections/complaint';
import type { Classification, ComplaintChannel, Severity, Urgency } from './types';

const SEVERITY_BASE: Record<Severity, number> = { critical: 1, high: 2, medium: 3, low: 4 };
const URGENCY_STEP: Record<Urgency, number> = { high: -1, normal: 0, low: 1 };

export function priorityOf(c: Pick<Classification, 'severity' | 'urgency' | 'customerTier'>): Priority {
  if (c.severity === 'critical') return 'P1';
  const rank = SEVERITY_BASE[c.severity] + URGENCY_STEP[c.urgency] + (c.customerTier === 'vip' ? -1 : 0);
  return `P${Math.min(4, Math.max(1, rank))}` as Priority;
}

/** The escalation level a complaint starts at (1 = L1 agent, 2 = L2 team lead). */
export function startingLevel(severity: Severity, channel: ComplaintChannel): 1 | 2 {
  return severity === 'critical' || channel === 'social' ? 2 : 1;
}
