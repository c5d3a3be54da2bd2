// Complaint priority, exhaustively: every severity × urgency × customer tier, and the starting tier.
import { describe, expect, it } from 'vitest';
import { priorityOf, startingLevel } from '../../../workflows/domain/complaint/priority';
import { COMPLAINT_CHANNELS, CUSTOMER_TIERS, SEVERITIES, URGENCIES, type CustomerTier, type Severity, type Urgency } from '../../../workflows/domain/complaint/types';

/** severity → urgency → [new, regular, vip]: severity sets the base, urgency ±1, VIP −1, critical always P1. */
const TABLE: Record<Severity, Record<Urgency, [string, string, string]>> = {
  critical: { high: ['P1', 'P1', 'P1'], normal: ['P1', 'P1', 'P1'], low: ['P1', 'P1', 'P1'] },
  high: { high: ['P1', 'P1', 'P1'], normal: ['P2', 'P2', 'P1'], low: ['P3', 'P3', 'P2'] },
  medium: { high: ['P2', 'P2', 'P1'], normal: ['P3', 'P3', 'P2'], low: ['P4', 'P4', 'P3'] },
  low: { high: ['P3', 'P3', 'P2'], normal: ['P4', 'P4', 'P3'], low: ['P4', 'P4', 'P4'] },
};

const cases = SEVERITIES.flatMap((severity) => URGENCIES.flatMap((urgency) => CUSTOMER_TIERS.map((customerTier, i) =>
  [severity, urgency, customerTier, TABLE[severity][urgency][i]] as [Severity, Urgency, CustomerTier, string])));

describe('priorityOf', () => {
  it('covers all 36 combinations', () => expect(cases).toHaveLength(36));
  it.each(cases)('%s severity, %s urgency, %s customer → %s', (severity, urgency, customerTier, expected) => {
    expect(priorityOf({ severity, urgency, customerTier })).toBe(expected);
  });
});

describe('startingLevel', () => {
  const levels = SEVERITIES.flatMap((severity) => COMPLAINT_CHANNELS.map((channel) =>
    [severity, channel, severity === 'critical' || channel === 'social' ? 2 : 1] as const));
  it.each(levels)('%s via %s starts at L%i', (severity, channel, level) => expect(startingLevel(severity, channel)).toBe(level));
});
