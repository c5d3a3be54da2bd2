/**
 * Every order issue writes its archive record (归档, docs/domain-rules.md "Records and archive") when it closes,
 * as complaints do: right after case.closed, with what the systems said, the remedy, compensations, timings and
 * breaches, no personal data. A case started before the rule (the workflow's patch off) closes without one.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../workflows/domain/case';
import { advanceOrderIssueClock, applyLogisticsEvent, applyOrderStatus, applyTracking, openOrderIssue } from '../../../workflows/domain/order-issue/machine';
import type { OrderIssueState, OrderIssueType } from '../../../workflows/domain/order-issue/types';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const S = 1_000;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const policy = {
  ...CN_MARKETPLACE,
  orderIssue: { deadlines: { trackingWait: { amount: 100, unit: 'seconds' as const }, carrierResponse: { amount: 200, unit: 'seconds' as const }, customerChoice: { amount: 50, unit: 'seconds' as const } } },
};
const channel: Actor = { keyId: 'dev-channel', role: 'channel', merchants: '*' };
const open = (type: OrderIssueType, archiveAtClose?: boolean) => openOrderIssue({
  caseId: `oi_${'b'.repeat(32)}`, merchantId: 'm-a', orderId: 'o-1', customerRef: 'cust-secret-2', type, trackingNumber: 'SF1',
  order: { items: [{ sku: 's', quantity: 1, unitPrice: cny(900) }], paidTotal: cny(1_000), shippingFee: cny(100) },
  description: 'left at the neighbour', reportedAt: T0, policy, createdBy: channel, requestFingerprint: 'f',
}, T0, archiveAtClose);
const archived = (s: OrderIssueState) => s.timeline.find((e) => e.type === 'case.archived')?.data?.record as Record<string, unknown> | undefined;

describe('order-issue archive at close', () => {
  it('a late parcel delivered: tracking in transit, then a delivered callback 60 s after the report', () => {
    let s = applyTracking(open('delivery_delay'), 'in_transit', T0 + S);
    s = applyLogisticsEvent(s, { id: 'ev-1', trackingNumber: 'SF1', event: 'delivered', at: T0 + 60 * S }, T0 + 60 * S);
    expect(s.timeline.slice(-2).map((e) => e.type)).toEqual(['case.closed', 'case.archived']);
    expect(archived(s)).toMatchObject({
      caseId: s.caseId, kind: 'order_issue', merchantId: 'm-a', orderId: 'o-1', type: 'delivery_delay', outcome: 'delivered',
      timings: { reportedAt: T0, closedAt: T0 + 60 * S, resolutionSeconds: 60 }, parcel: 'delivered', compensations: [], breaches: [],
    });
    expect(JSON.stringify(archived(s))).not.toMatch(/cust-secret-2|neighbour/);
  });

  it('an address change the customer never confirmed: expired by the customerChoice default', () => {
    // The order system says not shipped at +2 s: the customer has 50 s to confirm; silence expires the request.
    let s = applyOrderStatus(open('address_change'), { shipped: false, paymentStatus: 'paid' }, T0 + 2 * S);
    s = advanceOrderIssueClock(s, T0 + 52 * S);
    expect(archived(s)).toMatchObject({ outcome: 'expired', breaches: ['customerChoice'], defaultOutcomes: [{ at: T0 + 52 * S, deadline: 'customerChoice', outcome: 'expired' }] });
  });

  it('a case started before the rule closes without a record', () => {
    let s = applyTracking(open('delivery_delay', false), 'in_transit', T0 + S);
    s = applyLogisticsEvent(s, { id: 'ev-1', trackingNumber: 'SF1', event: 'delivered', at: T0 + 60 * S }, T0 + 60 * S);
    expect(s.status).toBe('closed');
    expect(archived(s)).toBeUndefined();
  });
});

