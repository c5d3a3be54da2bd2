/**
 * The preview and the machines read one table: every deadline a driven inquiry or order issue opens has the
 * actor and default outcome the policy preview names for its kind and type.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Deadline } from '../../../workflows/domain/case';
import { advanceInquiryClock, applyInquiryAction, openInquiry } from '../../../workflows/domain/inquiry/machine';
import { advanceOrderIssueClock, applyOrderIssueAction, applyTracking, openOrderIssue } from '../../../workflows/domain/order-issue/machine';
import type { OrderIssueState, OrderIssueType } from '../../../workflows/domain/order-issue/types';
import { previewSection } from '../../../workflows/domain/policy/preview-sections';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const S = 1_000;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const policy = {
  ...CN_MARKETPLACE,
  inquiry: { deadlines: { firstResponse: { amount: 60, unit: 'seconds' as const }, followUp: { amount: 100, unit: 'seconds' as const } }, followUps: 1 },
  orderIssue: { deadlines: { trackingWait: { amount: 100, unit: 'seconds' as const }, carrierResponse: { amount: 200, unit: 'seconds' as const }, customerChoice: { amount: 50, unit: 'seconds' as const } } },
};
const who = (role: Actor['role']): Actor => ({ keyId: `dev-${role}`, role, merchants: '*' });
const ALL_EVENTS = { requestedAt: T0, respondedAt: T0, carrierContactedAt: T0, optionsOfferedAt: T0 };
/** The first deadline of each name the case opened: [name, actor, onTimeout]. */
const firstOpened = (deadlines: Deadline[]) => [...new Map(deadlines.map((d) => [d.name, [d.name, d.actor, d.onTimeout]] as const).reverse()).values()].reverse();

function orderIssue(type: OrderIssueType): OrderIssueState {
  return openOrderIssue({
    caseId: `oi_${'c'.repeat(32)}`, merchantId: 'm-a', orderId: 'o-1', customerRef: 'cust-1', type, trackingNumber: 'SF1',
    order: { items: [{ sku: 's', quantity: 1, unitPrice: cny(900) }], paidTotal: cny(1_000), shippingFee: cny(100) },
    reportedAt: T0, policy, createdBy: who('channel'), requestFingerprint: 'f',
  }, T0);
}
const preview = (type: OrderIssueType) => previewSection(policy, 'orderIssue', ALL_EVENTS, T0, type).deadlines.map((d) => [d.name, d.actor, d.onTimeout]);

describe('order issues: the machine opens each deadline as the preview names it', () => {
  it('parcel_missing: no movement → carrier trace unanswered → lost, the customer chooses', () => {
    let s = applyTracking(orderIssue('parcel_missing'), 'in_transit', T0 + S);
    s = advanceOrderIssueClock(s, T0 + 101 * S); // trackingWait breached: the carrier is asked
    s = advanceOrderIssueClock(s, T0 + 302 * S); // carrierResponse breached: presumed lost
    expect(firstOpened(s.deadlines)).toEqual(preview('parcel_missing'));
  });

  it('damaged_in_transit: the customer chooses a reship, the claim runs beside it', () => {
    let s = orderIssue('damaged_in_transit');
    s = applyOrderIssueAction(s, { action: 'choose-remedy', actor: who('channel'), input: { remedy: 'reship' }, fingerprint: 'c' }, T0 + S);
    expect(firstOpened(s.deadlines).sort()).toEqual(preview('damaged_in_transit').sort());
  });

  it('stock_shortage: the customer waits for stock', () => {
    let s = orderIssue('stock_shortage');
    s = applyOrderIssueAction(s, { action: 'choose-remedy', actor: who('channel'), input: { remedy: 'wait' }, fingerprint: 'w' }, T0 + S);
    expect(firstOpened(s.deadlines).sort()).toEqual(preview('stock_shortage').sort());
  });
});

describe('inquiries: the machine opens each deadline as the preview names it', () => {
  it('an L1 agent answers; the first silence sends a follow-up', () => {
    let s = openInquiry({
      caseId: `iq_${'c'.repeat(32)}`, merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', topic: 'sizing', receivedAt: T0,
      policy, createdBy: who('channel'), requestFingerprint: 'f',
    }, T0);
    s = applyInquiryAction(s, { action: 'reply', actor: who('agent'), input: {}, fingerprint: 'r' }, T0 + S);
    s = advanceInquiryClock(s, T0 + S);
    expect(firstOpened(s.deadlines)).toEqual(previewSection(policy, 'inquiry', ALL_EVENTS, T0).deadlines.map((d) => [d.name, d.actor, d.onTimeout]));
  });
});
