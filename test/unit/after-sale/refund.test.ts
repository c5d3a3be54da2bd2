// Refund arithmetic (退款金额): items × quantity, freight for merchant-fault reasons and refunds before
// shipment (not for no_reason/other after shipment), the cap at what was paid, and request eligibility.
import { describe, expect, it } from 'vitest';
import { openAfterSale } from '../../../workflows/domain/after-sale/machine';
import { assessAfterSaleRequest } from '../../../workflows/domain/after-sale/eligibility';
import {
  MERCHANT_FAULT_REASONS, SHIPPING_FEE_BY_REASON, isBeforeShipment, isPartialRefund, itemsValue, mixedCurrency, refundCap, shippingFeeRefunded, type RefundBasis,
} from '../../../workflows/domain/after-sale/refund';
import { AFTER_SALE_REASONS, type AfterSaleReason, type AfterSaleType, type OrderFacts, type OrderItem } from '../../../workflows/domain/after-sale/types';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import type { Money } from '../../../workflows/domain/case';
import { HOUR, T0, buildRequest, cny, drive } from './fixtures';

const item = (quantity: number, unitPrice: number, sku = `SKU-${unitPrice}`): OrderItem => ({ sku, quantity, unitPrice: cny(unitPrice) });
const DELIVERED: Pick<OrderFacts, 'shippedAt' | 'deliveredAt'> = { shippedAt: T0 - 72 * HOUR, deliveredAt: T0 - 48 * HOUR };
const SHIPPED_ONLY: Pick<OrderFacts, 'shippedAt'> = { shippedAt: T0 - 24 * HOUR };
const NOT_SHIPPED = {};

describe('items value: unit price × quantity, summed, in minor units', () => {
  it.each([
    [[item(1, 10_000)], 10_000],
    [[item(2, 10_000)], 20_000],
    [[item(3, 1_999), item(1, 5_001)], 10_998],
    [[item(7, 1)], 7],
    [[item(1, 0)], 0],
    [[], 0],
  ] as [OrderItem[], number][])('%j → %i', (items, value) => {
    expect(itemsValue(items)).toBe(value);
  });
});

describe('freight by reason, each with its rule (items 2 × 100.00, shipping 10.00, paid 210.00; a return after delivery)', () => {
  it.each<[AfterSaleReason, number, RegExp]>([
    ['quality', 21_000, /party at fault/],
    ['wrong_item', 21_000, /party at fault/],
    ['not_as_described', 21_000, /party at fault/],
    ['damaged', 21_000, /E-commerce Law art\. 20/],
    // The parcel never arrived: the seller bears the risk in transport (E-commerce Law art. 20, Civil Code art. 604).
    ['not_received', 21_000, /E-commerce Law art\. 20.*Civil Code art\. 604/],
    ['no_reason', 20_000, /SAMR Order 2017-90/],
    ['other', 20_000, /party at fault/],
  ])('%s: at most %i, because of its source', (reason, cap, source) => {
    expect(refundCap({ type: 'return_and_refund', reason, items: [item(2, 10_000)], order: { paidTotal: cny(21_000), shippingFee: cny(1_000), ...DELIVERED } }).amount).toBe(cap);
    expect(SHIPPING_FEE_BY_REASON[reason].source).toMatch(source);
  });

  it('every reason has a rule', () => {
    expect(Object.keys(SHIPPING_FEE_BY_REASON).sort()).toEqual([...AFTER_SALE_REASONS].sort());
  });
});

describe('freight: the original shipping fee is refunded for merchant-fault reasons and before shipment', () => {
  it('merchant-fault reasons are quality, wrong_item, damaged, not_as_described, not_received', () => {
    expect([...MERCHANT_FAULT_REASONS].sort()).toEqual(['damaged', 'not_as_described', 'not_received', 'quality', 'wrong_item']);
  });

  it.each([
    [{}, true],
    [{ shippedAt: T0 }, false],
    [{ deliveredAt: T0 }, false],
    [{ shippedAt: T0, deliveredAt: T0 }, false],
  ] as [Partial<OrderFacts>, boolean][])('before shipment with %j: %s', (facts, before) => {
    expect(isBeforeShipment({ paidTotal: cny(1), shippingFee: cny(0), ...facts })).toBe(before);
  });

  type Row = [AfterSaleType, AfterSaleReason, 'delivered' | 'shipped' | 'not shipped', boolean];
  const when = { delivered: DELIVERED, shipped: SHIPPED_ONLY, 'not shipped': NOT_SHIPPED };
  const FAULT: AfterSaleReason[] = ['quality', 'wrong_item', 'damaged', 'not_as_described', 'not_received'];
  const BUYER_SIDE: AfterSaleReason[] = ['no_reason', 'other'];
  const rows: Row[] = [
    // Merchant fault: freight refunded whatever the type and the shipping facts.
    ...(['refund_only', 'return_and_refund', 'exchange', 'repair'] as AfterSaleType[]).flatMap((type) =>
      FAULT.flatMap((reason) => (['delivered', 'shipped', 'not shipped'] as const).map((w): Row => [type, reason, w, true]))),
    // Buyer side after shipment: the merchant keeps the fee (and the buyer bears return freight).
    ...(['refund_only', 'return_and_refund', 'exchange', 'repair'] as AfterSaleType[]).flatMap((type) =>
      BUYER_SIDE.flatMap((reason) => (['delivered', 'shipped'] as const).map((w): Row => [type, reason, w, false]))),
    // A refund only before the parcel left: the fee comes back whatever the reason.
    ['refund_only', 'no_reason', 'not shipped', true],
    ['refund_only', 'other', 'not shipped', true],
    // Goods to be returned were never shipped: no "refund before shipment" for return types.
    ['return_and_refund', 'no_reason', 'not shipped', false],
    ['exchange', 'other', 'not shipped', false],
  ];

  it('the table names every reason', () => {
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(AFTER_SALE_REASONS));
  });

  it.each(rows)('%s · %s · %s → freight refunded: %s', (type, reason, w, refunded) => {
    const basis: RefundBasis = { type, reason, items: [item(2, 10_000)], order: { paidTotal: cny(21_000), shippingFee: cny(1_000), ...when[w] } };
    expect(shippingFeeRefunded(basis)).toBe(refunded);
    expect(refundCap(basis)).toEqual(cny(refunded ? 21_000 : 20_000));
  });
});

describe('the cap: items plus freight where owed, never more than was paid', () => {
  it.each([
    // label, type, reason, items, paid, fee, shipping facts, cap
    ['full price, fault', 'return_and_refund', 'quality', [item(2, 10_000)], 21_000, 1_000, DELIVERED, 21_000],
    ['full price, no reason', 'return_and_refund', 'no_reason', [item(2, 10_000)], 21_000, 1_000, DELIVERED, 20_000],
    ['free shipping, fault', 'return_and_refund', 'damaged', [item(2, 10_000)], 20_000, 0, DELIVERED, 20_000],
    ['discounted order (coupon): capped at paid', 'return_and_refund', 'quality', [item(2, 10_000)], 15_000, 1_000, DELIVERED, 15_000],
    ['discounted order, no reason: capped at paid', 'return_and_refund', 'no_reason', [item(2, 10_000)], 15_000, 1_000, DELIVERED, 15_000],
    ['discount smaller than freight', 'return_and_refund', 'wrong_item', [item(2, 10_000)], 20_500, 1_000, DELIVERED, 20_500],
    ['part of a larger order', 'return_and_refund', 'quality', [item(1, 10_000)], 31_000, 1_000, DELIVERED, 11_000],
    ['several lines', 'exchange', 'other', [item(3, 1_999), item(1, 5_001)], 12_000, 800, DELIVERED, 10_998],
    ['refund before shipment', 'refund_only', 'no_reason', [item(2, 10_000)], 21_000, 1_000, NOT_SHIPPED, 21_000],
    ['refund only after shipment, other', 'refund_only', 'other', [item(2, 10_000)], 21_000, 1_000, SHIPPED_ONLY, 20_000],
    ['not received, shipped', 'refund_only', 'not_received', [item(2, 10_000)], 21_000, 1_000, SHIPPED_ONLY, 21_000],
    ['free gift', 'repair', 'quality', [item(1, 0)], 0, 0, DELIVERED, 0],
  ] as [string, AfterSaleType, AfterSaleReason, OrderItem[], number, number, Partial<OrderFacts>, number][])(
    '%s → cap %i', (_label, type, reason, items, paid, fee, facts, cap) => {
      const order: OrderFacts = { paidTotal: cny(paid), shippingFee: cny(fee), ...facts };
      expect(refundCap({ type, reason, items, order })).toEqual(cny(cap));
      // The case computes the same cap at open, and grants it when the buyer names no amount.
      const s = openAfterSale(buildRequest({ type, reason, items, order }), T0);
      expect(s.refundCap).toEqual(cny(cap));
      expect(s.grantedRefund).toEqual(cny(cap));
    },
  );
});

describe('assessAfterSaleRequest: which requests may open', () => {
  const base = buildRequest();

  it.each([
    ['no requested amount', undefined],
    ['a part of the cap', cny(5_000)],
    ['exactly the cap', cny(21_000)],
  ] as [string, Money | undefined][])('%s → eligible', (_label, requestedRefund) => {
    expect(assessAfterSaleRequest({ ...base, requestedRefund })).toBeNull();
  });

  it.each([
    ['one minor unit above the cap', 'quality', 21_001, 21_000],
    ['the freight on a no-reason return', 'no_reason', 21_000, 20_000],
  ] as [string, AfterSaleReason, number, number][])('%s → NotEligible refund-above-cap', (_label, reason, requested, cap) => {
    const failure = assessAfterSaleRequest({ ...base, reason, requestedRefund: cny(requested) });
    expect(failure).toMatchObject({ type: RULE_FAILURES.notEligible, extensions: { rule: 'refund-above-cap', cap: cny(cap) } });
  });

  it('a discounted order caps the request at what was paid', () => {
    const order: OrderFacts = { ...base.order, paidTotal: cny(15_000) };
    expect(assessAfterSaleRequest({ ...base, order, requestedRefund: cny(15_000) })).toBeNull();
    expect(assessAfterSaleRequest({ ...base, order, requestedRefund: cny(15_001) })).toMatchObject({
      type: RULE_FAILURES.notEligible, extensions: { rule: 'refund-above-cap', cap: cny(15_000) },
    });
  });

  const usd = (amount: number): Money => ({ amount, currency: 'USD' });
  it.each([
    ['an item in another currency', { items: [item(1, 10_000), { sku: 'X', quantity: 1, unitPrice: usd(100) }] }, 'USD'],
    ['the shipping fee in another currency', { order: { ...base.order, shippingFee: usd(1_000) } }, 'USD'],
    ['the requested refund in another currency', { requestedRefund: { amount: 1_000, currency: 'EUR' } }, 'EUR'],
  ] as [string, Partial<typeof base>, string][])('%s → InvalidInput', (_label, change, odd) => {
    const req = { ...base, ...change };
    expect(mixedCurrency(req, req.requestedRefund)).toBe(odd);
    expect(assessAfterSaleRequest(req)?.type).toBe(RULE_FAILURES.invalidInput);
  });

  it('one currency throughout → no odd currency', () => {
    expect(mixedCurrency(base, cny(1))).toBeNull();
  });

  it('zero items → InvalidInput', () => {
    expect(assessAfterSaleRequest({ ...base, items: [] })?.type).toBe(RULE_FAILURES.invalidInput);
  });
});

describe('outcome: partially_refunded when less than the cap was refunded', () => {
  it.each([
    [0, 21_000, true],
    [20_999, 21_000, true],
    [21_000, 21_000, false],
    [0, 0, false],
  ])('%i of a cap of %i → partial: %s', (amount, cap, partial) => {
    expect(isPartialRefund(cny(amount), cny(cap))).toBe(partial);
  });

  it.each([
    ['no amount named: the cap', undefined, 21_000, 'refunded'],
    ['exactly the cap', cny(21_000), 21_000, 'refunded'],
    ['less than the cap', cny(12_000), 12_000, 'partially_refunded'],
    ['the items without the freight that is owed', cny(20_000), 20_000, 'partially_refunded'],
  ] as [string, Money | undefined, number, string][])('%s → refund %i, closes %s', (_label, requestedRefund, amount, outcome) => {
    const { state } = drive(buildRequest({ type: 'refund_only', requestedRefund }), [['approve', 'merchant'], ['refund-ok']]);
    expect(state.refunds).toEqual([expect.objectContaining({ amount: cny(amount), status: 'succeeded' })]);
    expect(state.status).toBe('closed');
    expect(state.outcome).toBe(outcome);
  });

  it('a return and refund closes the same way after receipt', () => {
    const { state } = drive(buildRequest({ requestedRefund: cny(9_000) }), [
      ['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant', { inspection: 'ok' }], ['refund-ok'],
    ]);
    expect(state.refunds.map((r) => r.amount.amount)).toEqual([9_000]);
    expect(state.outcome).toBe('partially_refunded');
  });
});
