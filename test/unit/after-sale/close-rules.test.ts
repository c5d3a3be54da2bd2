/**
 * Rules released while cases run, each on for cases started now and off for cases started before (the
 * workflow passes what its patches allow): the authority limit compared with its currency, and the
 * archive record (归档) every closed case writes, as complaints do.
 */
import { describe, expect, it } from 'vitest';
import { advanceAfterSaleClock, openAfterSale } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleRules, AfterSaleState } from '../../../workflows/domain/after-sale/types';
import type { Policy } from '../../../workflows/domain/policy/types';
import { HOUR, MINUTE, SHORT_POLICY, T0, act, buildRequest, cny, refundSucceeds } from './fixtures';

/** The short policy with its authority limit in EUR 1,000.00: a number above every refund below. */
const EUR_LIMIT: Policy = { ...SHORT_POLICY, afterSale: { ...SHORT_POLICY.afterSale, authorityLimit: { amount: 100_000, currency: 'EUR' } } };

function approvedRefundOnly(policy: Policy, rules?: AfterSaleRules): AfterSaleState {
  const opened = openAfterSale(buildRequest({ type: 'refund_only', policy }), T0, rules);
  return act(opened, 'approve', 'merchant', T0 + MINUTE);
}

describe('authority limit with its currency (refund CNY 210.00: items 200.00 + shipping 10.00, quality)', () => {
  it.each([
    ['limit CNY 500.00, refund CNY 210.00: within', SHORT_POLICY, 'pending'],
    ['limit EUR 1,000.00, refund CNY 210.00: another currency, a second approver', EUR_LIMIT, 'awaiting_approval'],
  ])('%s', (_label, policy, status) => {
    const s = approvedRefundOnly(policy);
    expect(s.refunds[0]).toMatchObject({ amount: cny(21_000), status });
  });

  it('a case started before the rule compares the numbers, as it recorded (21000 ≤ 100000)', () => {
    expect(approvedRefundOnly(EUR_LIMIT, {}).refunds[0].status).toBe('pending');
  });
});

describe('archive at close', () => {
  it('a closed case records case.archived right after case.closed, with what was asked, paid and breached — no personal data', () => {
    const s = refundSucceeds(approvedRefundOnly(SHORT_POLICY), T0 + HOUR);
    const types = s.timeline.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['case.closed', 'case.archived']);
    const record = s.timeline[s.timeline.length - 1].data!.record as Record<string, unknown>;
    expect(record).toMatchObject({
      caseId: s.request.caseId, kind: 'after_sale', merchantId: 'm-a', orderId: 'order-1', type: 'refund_only', reason: 'quality',
      policy: { id: 'test-short', version: 3 }, outcome: 'refunded',
      timings: { requestedAt: T0, closedAt: T0 + HOUR, resolutionSeconds: 3600 },
      refundCap: cny(21_000), refunds: [{ amount: cny(21_000), status: 'succeeded', decidedBy: 'merchant', executedAt: T0 + HOUR }],
      breaches: [], escalations: [], defaultOutcomes: [], ruling: null, appealed: false,
    });
    expect(JSON.stringify(record)).not.toContain(s.request.customerRef);
  });

  it('a default outcome and its breach are in the record (buyer silent past buyerReturnShipment: expired)', () => {
    let s = openAfterSale(buildRequest(), T0);
    s = act(s, 'approve', 'merchant', T0 + MINUTE);
    const due = s.deadlines.find((d) => d.name === 'buyerReturnShipment')!.dueAt;
    s = advanceAfterSaleClock(s, due);
    const record = s.timeline.find((e) => e.type === 'case.archived')!.data!.record as Record<string, unknown>;
    expect(record).toMatchObject({ outcome: 'expired', breaches: ['buyerReturnShipment'], defaultOutcomes: [{ at: due, deadline: 'buyerReturnShipment', outcome: 'expired' }] });
  });

  it('a case started before the rule closes without an archive record, as it recorded', () => {
    const s = refundSucceeds(approvedRefundOnly(SHORT_POLICY, {}), T0 + HOUR);
    expect(s.timeline.map((e) => e.type)).not.toContain('case.archived');
  });
});
