/**
 * SAMR Order 2017-90 art. 13: the refund is due within 7 days of the merchant receiving the returned
 * goods — counted from the receipt the merchant reports, not from when it clicked.
 */
import { describe, expect, it } from 'vitest';
import { openAfterSale } from '../../../workflows/domain/after-sale/machine';
import { CN_7DAY_LAW } from '../../../workflows/domain/policy/presets';
import { act, buildRequest } from './fixtures';

const at = (iso: string) => Date.parse(iso);
const due = (s: ReturnType<typeof openAfterSale>) => s.deadlines.find((d) => d.name === 'refundPayment')!;

describe('refundPayment', () => {
  const requestedAt = at('2026-11-10T10:00:00+08:00');
  const start = () => {
    let s = openAfterSale(buildRequest({ policy: CN_7DAY_LAW, requestedAt }), requestedAt);
    s = act(s, 'approve', 'merchant', at('2026-11-10T11:00:00+08:00'));
    return act(s, 'ship-return', 'channel', at('2026-11-11T09:00:00+08:00'));
  };

  it.each([
    ['received on the 13th, confirmed on the 16th: due 00:00 of the 21st', { receivedAt: at('2026-11-13T15:00:00+08:00') }, '2026-11-21T00:00:00+08:00'],
    ['no receipt time given: counted from the confirmation', {}, '2026-11-24T00:00:00+08:00'],
  ])('%s', (_name, extra, expected) => {
    const s = act(start(), 'confirm-receipt', 'merchant', at('2026-11-16T10:00:00+08:00'), { inspection: 'ok', ...extra });
    expect(s.status).toBe('refunding');
    expect(new Date(due(s).dueAt).toISOString()).toBe(new Date(at(expected)).toISOString());
  });
});
