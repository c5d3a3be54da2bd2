/**
 * After-sale cases started from another case (a complaint's accepted solution, a lost parcel): already
 * approved, so no merchant wait and no second approver, and linked back to their origin.
 */
import { describe, expect, it } from 'vitest';
import { openAfterSale } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleType } from '../../../workflows/domain/after-sale/types';
import { buildLargeRequest, buildRequest } from './fixtures';

const origin = { caseId: 'cp_0123456789abcdef01234567', kind: 'complaint' as const };
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('pre-approved linked after-sales', () => {
  it.each<[AfterSaleType, string, string | null]>([
    ['refund_only', 'refunding', null],
    ['return_and_refund', 'awaiting_buyer_return', 'buyerReturnShipment'],
    ['exchange', 'awaiting_buyer_return', 'buyerReturnShipment'],
    ['repair', 'awaiting_buyer_return', 'buyerReturnShipment'],
  ])('%s starts in %s with no merchantResponse deadline', (type, status, opened) => {
    const s = openAfterSale(buildRequest({ type, origin, preApproved: true }), T0);
    expect(s.status).toBe(status);
    expect(s.deadlines.map((d) => d.name)).not.toContain('merchantResponse');
    if (opened) expect(s.deadlines.find((d) => d.name === opened)?.state).toBe('active');
    expect(s.links).toEqual([{ id: origin.caseId, kind: 'complaint', relation: 'origin' }]);
    expect(s.timeline.map((e) => e.type)).toContain('case.pre_approved');
  });

  it('a pre-approved refund above the authority limit pays without a second approver', () => {
    const s = openAfterSale(buildLargeRequest({ type: 'refund_only', origin, preApproved: true }), T0);
    expect(s.refunds.map((r) => r.status)).toEqual(['pending']);
  });

  it('without preApproved the merchant is asked first', () => {
    const s = openAfterSale(buildRequest({ type: 'refund_only', origin }), T0);
    expect(s.status).toBe('awaiting_merchant');
    expect(s.links).toHaveLength(1);
  });
});
