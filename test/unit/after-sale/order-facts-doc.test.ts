/**
 * A refund before shipment is decided from `order.shippedAt` (and `deliveredAt`): the OpenAPI description of
 * the after-sale body says so, next to the rule it documents.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAfterSaleBody } from '../../../api/schemas/after-sale';
import { isBeforeShipment } from '../../../workflows/domain/after-sale/refund';

describe('order.shippedAt in the after-sale body', () => {
  it('is described as what decides a refund before shipment', () => {
    const schema = z.toJSONSchema(createAfterSaleBody, { io: 'input', unrepresentable: 'any' }) as unknown as { properties: { order: { properties: { shippedAt: { description?: string } } } } };
    expect(schema.properties.order.properties.shippedAt.description).toMatch(/neither shippedAt nor deliveredAt is a refund before shipment/);
  });

  it('decides it as described', () => {
    const money = { amount: 1, currency: 'CNY' };
    expect(isBeforeShipment({ paidTotal: money, shippingFee: money })).toBe(true);
    expect(isBeforeShipment({ paidTotal: money, shippingFee: money, shippedAt: 1 })).toBe(false);
  });
});
