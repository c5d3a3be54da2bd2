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
