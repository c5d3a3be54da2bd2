/**
 * Publishing a custom policy (mergePolicyDocument): what a new version inherits from its parent, what it
 * drops (retired deadline names), and that the numbers it sets are the numbers its cases run on.
 */
import { describe, expect, it } from 'vitest';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { mergePolicyDocument } from '../../../workflows/domain/policy/resolve';
import type { Policy } from '../../../workflows/domain/policy/types';
import { AFTER_SALE_DEADLINES } from '../../../workflows/domain/policy/types';
import { policyProblems } from '../../../workflows/domain/policy/validate';
import { previewComplaint } from '../../../workflows/domain/policy/preview-sections';

/** A custom version published before serviceReview retired: it carried the 48 h number and its source. */
const PINNED_WITH_SERVICE_REVIEW = {
  ...CN_MARKETPLACE, id: 'old-custom', version: 4,
  afterSale: { ...CN_MARKETPLACE.afterSale, deadlines: { ...CN_MARKETPLACE.afterSale.deadlines, serviceReview: { amount: 48, unit: 'hours' } } },
  sources: { ...CN_MARKETPLACE.sources, 'afterSale.deadlines.serviceReview': 'JD: service-order review within 48 h' },
} as unknown as Policy;

describe('retired deadline names', () => {
  it('no preset and no after-sale deadline list names serviceReview any more', () => {
    expect(AFTER_SALE_DEADLINES).not.toContain('serviceReview');
    expect(CN_MARKETPLACE.afterSale.deadlines).not.toHaveProperty('serviceReview');
  });

  it('a new version over a parent that still carried serviceReview drops it and its source, and validates', () => {
    const merged = mergePolicyDocument('next-custom', { name: 'next', extends: 'old-custom' }, PINNED_WITH_SERVICE_REVIEW);
    expect(merged.afterSale.deadlines).not.toHaveProperty('serviceReview');
    expect(merged.sources).not.toHaveProperty('afterSale.deadlines.serviceReview');
    expect(policyProblems(merged)).toEqual([]);
  });

  it('a document naming serviceReview is refused, naming the deadline', () => {
    const merged = mergePolicyDocument('p-x', { name: 'x', extends: 'cn-marketplace', afterSale: { deadlines: { serviceReview: { amount: 1, unit: 'hours' } } as never } }, CN_MARKETPLACE);
    expect(policyProblems(merged)).toEqual([expect.stringContaining('afterSale.deadlines.serviceReview is not a deadline of afterSale')]);
  });
});

describe('complaint deadlines.firstResponse / resolution set by a custom policy', () => {
  const at = (iso: string) => Date.parse(iso);
  const requestedAt = at('2026-11-20T10:00:00+08:00');
  const due = (policy: Omit<Policy, 'version'>, priority: 'P1' | 'P3' | 'P4', name: string) =>
    new Date(previewComplaint({ ...policy, version: 1 } as Policy, priority, { requestedAt }, 0).deadlines.find((d) => d.name === name)!.dueAt).toISOString();
  const iso = (s: string) => new Date(s).toISOString();

  it('apply to every priority instead of being overridden by the inherited per-priority targets', () => {
    const merged = mergePolicyDocument('flat-first-response', { name: 'flat', extends: 'cn-marketplace', complaint: { deadlines: { firstResponse: { amount: 1, unit: 'hours' } } } }, CN_MARKETPLACE);
    // Before: P1 answered in 30 min, P4 in 8 h whatever the policy said. Now 1 h for both.
    expect(due(merged, 'P1', 'firstResponse')).toBe(iso('2026-11-20T11:00:00+08:00'));
    expect(due(merged, 'P4', 'firstResponse')).toBe(iso('2026-11-20T11:00:00+08:00'));
    // The resolution targets the document left alone stay per priority (P1 a day, P4 five days).
    expect(due(merged, 'P1', 'resolution')).toBe(iso('2026-11-21T10:00:00+08:00'));
    expect(due(merged, 'P4', 'resolution')).toBe(iso('2026-11-25T10:00:00+08:00'));
    expect(policyProblems(merged)).toEqual([]);
  });

  it('leave targets the document states itself in charge of their priorities', () => {
    const merged = mergePolicyDocument('mixed', {
      name: 'mixed', extends: 'cn-marketplace',
      complaint: { deadlines: { firstResponse: { amount: 1, unit: 'hours' } }, targets: { P1: { firstResponse: { amount: 10, unit: 'minutes' } } } },
    }, CN_MARKETPLACE);
    expect(due(merged, 'P1', 'firstResponse')).toBe(iso('2026-11-20T10:10:00+08:00'));
    expect(due(merged, 'P3', 'firstResponse')).toBe(iso('2026-11-20T11:00:00+08:00'));
  });

  it('a document that sets neither keeps the inherited targets (P1 answers within 30 minutes)', () => {
    const merged = mergePolicyDocument('plain', { name: 'plain', extends: 'cn-marketplace', complaint: { deadlines: { departmentTask: { amount: 24, unit: 'hours' } } } }, CN_MARKETPLACE);
    expect(due(merged, 'P1', 'firstResponse')).toBe(iso('2026-11-20T10:30:00+08:00'));
  });
});
