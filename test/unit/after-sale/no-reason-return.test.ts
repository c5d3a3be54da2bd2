/**
 * 七天无理由退货 eligibility: window from 00:00 of the day after delivery (Asia/Shanghai by default),
 * statutory exclusions, buyer-confirmed exclusions, and which types and reasons the rule governs.
 */
import { describe, expect, it } from 'vitest';
import { assessNoReasonReturn, noReasonWindowEndsAt, type NoReasonFacts } from '../../../workflows/domain/after-sale/no-reason-return';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import type { OrderItem } from '../../../workflows/domain/after-sale/types';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const item = (extra: Partial<OrderItem> = {}): OrderItem => ({ sku: 'sku-1', quantity: 1, unitPrice: cny(9900), ...extra });
const at = (iso: string) => Date.parse(iso);

function facts(overrides: Partial<NoReasonFacts> = {}): NoReasonFacts {
  return {
    reason: 'no_reason',
    type: 'return_and_refund',
    items: [item()],
    order: { paidTotal: cny(9900), shippingFee: cny(0), deliveredAt: at('2026-11-10T23:59:00+08:00') },
    requestedAt: at('2026-11-12T10:00:00+08:00'),
    policy: CN_MARKETPLACE,
    ...overrides,
  };
}

describe('no-reason return window (7 natural days from the day after sign-off)', () => {
  it.each([
    ['delivered 23:59, window ends at 00:00 eight days later', '2026-11-10T23:59:00+08:00', '2026-11-18T00:00:00+08:00'],
    ['delivered 00:01, same end: the delivery day never counts', '2026-11-10T00:01:00+08:00', '2026-11-18T00:00:00+08:00'],
    ['delivered 00:00 next day: one day later', '2026-11-11T00:00:00+08:00', '2026-11-19T00:00:00+08:00'],
    ['delivered in UTC evening = next Shanghai day', '2026-11-10T16:30:00Z', '2026-11-19T00:00:00+08:00'],
  ])('%s', (_name, deliveredAt, endsAt) => {
    expect(noReasonWindowEndsAt(facts({ order: { paidTotal: cny(1), shippingFee: cny(0), deliveredAt: at(deliveredAt) } }))).toBe(at(endsAt));
  });

  it('has not started before delivery', () => {
    expect(noReasonWindowEndsAt(facts({ order: { paidTotal: cny(1), shippingFee: cny(0) } }))).toBeUndefined();
  });
});

describe('assessNoReasonReturn', () => {
  const delivered = at('2026-11-10T12:00:00+08:00');
  const order = { paidTotal: cny(9900), shippingFee: cny(0), deliveredAt: delivered };
  it.each<[string, Partial<NoReasonFacts>, string | null]>([
    ['inside the window', { requestedAt: at('2026-11-17T23:59:59+08:00'), order }, null],
    ['at the closing instant', { requestedAt: at('2026-11-18T00:00:00+08:00'), order }, 'no-reason-return-window'],
    ['after the window', { requestedAt: at('2026-11-20T09:00:00+08:00'), order }, 'no-reason-return-window'],
    ['before delivery (not yet signed for)', { order: { paidTotal: cny(9900), shippingFee: cny(0) } }, null],
    ['exchange follows the same rule', { type: 'exchange', requestedAt: at('2026-11-19T00:00:00+08:00'), order }, 'no-reason-return-window'],
    ['custom-made goods are excluded', { items: [item({ returnExclusion: 'custom_made' })], order }, 'no-reason-return-excluded'],
    ['perishable goods are excluded', { items: [item(), item({ sku: 'fresh', returnExclusion: 'perishable' })], order }, 'no-reason-return-excluded'],
    ['downloaded digital goods are excluded', { items: [item({ returnExclusion: 'digital' })], order }, 'no-reason-return-excluded'],
    ['periodicals are excluded', { items: [item({ returnExclusion: 'periodical' })], order }, 'no-reason-return-excluded'],
    ['nature-based exclusion confirmed at checkout', { noReasonReturnConfirmedExclusions: true, order }, 'no-reason-return-confirmed-exclusion'],
    ['not confirmed at checkout: returnable', { noReasonReturnConfirmedExclusions: false, order }, null],
    ['repair needs a fault', { type: 'repair', order }, 'no-reason-repair'],
    ['refund only is not a return', { type: 'refund_only', requestedAt: at('2026-12-30T00:00:00+08:00'), order }, null],
    ['quality reason: no window applies', { reason: 'quality', requestedAt: at('2026-12-30T00:00:00+08:00'), order }, null],
    ['quality reason: exclusions do not apply', { reason: 'quality', items: [item({ returnExclusion: 'perishable' })], order }, null],
  ])('%s', (_name, overrides, rule) => {
    const failure = assessNoReasonReturn(facts(overrides));
    if (rule === null) expect(failure).toBeNull();
    else {
      expect(failure?.type).toBe('NotEligible');
      expect(failure?.extensions?.rule).toBe(rule);
    }
  });

  it('names the excluded items and the closing instant', () => {
    const excluded = assessNoReasonReturn(facts({ items: [item(), item({ sku: 'cake', returnExclusion: 'perishable' })], order }));
    expect(excluded?.extensions?.items).toEqual([{ sku: 'cake', exclusion: 'perishable' }]);
    const late = assessNoReasonReturn(facts({ requestedAt: at('2026-11-25T00:00:00+08:00'), order }));
    expect(late?.extensions?.windowEndsAt).toBe(at('2026-11-18T00:00:00+08:00'));
  });

  it('counts the window of the case policy (e.g. a 14-day EU-style window)', () => {
    const eu = { ...CN_MARKETPLACE, afterSale: { ...CN_MARKETPLACE.afterSale, noReasonReturn: { window: { amount: 14, unit: 'calendar_days' as const } } } };
    expect(assessNoReasonReturn(facts({ policy: eu, requestedAt: at('2026-11-20T09:00:00+08:00'), order }))).toBeNull();
    expect(assessNoReasonReturn(facts({ policy: eu, requestedAt: at('2026-11-25T00:00:00+08:00'), order }))?.extensions?.rule).toBe('no-reason-return-window');
  });
});
