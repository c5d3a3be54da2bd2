/**
 * Deadline preview: fixed examples on the presets, and agreement with the machine — every deadline a
 * driven after-sale case opens has the actor, default outcome and due instant the preview names.
 */
import { describe, expect, it } from 'vitest';
import { previewAfterSale, AFTER_SALE_DEADLINE_RULES } from '../../../workflows/domain/policy/preview';
import { CN_7DAY_LAW, CN_JD_DISPUTE, CN_MARKETPLACE, EU_14DAY } from '../../../workflows/domain/policy/presets';
import { drive, buildRequest, SHORT_POLICY, T0, type Step } from '../after-sale/fixtures';
import type { AfterSaleType } from '../../../workflows/domain/after-sale/types';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('fixed examples', () => {
  it('cn-marketplace: merchantResponse from 2026-11-20 10:00 +08:00 is due 2026-11-25 10:00', () => {
    const p = previewAfterSale(CN_MARKETPLACE, 'return_and_refund', { requestedAt: at('2026-11-20T10:00:00+08:00') }, 0);
    // Approval stands in at the request instant; the rest waits for events not given.
    expect(p.deadlines.map((d) => [d.name, d.startsFrom, d.assumedStart])).toEqual([
      ['merchantResponse', 'requestedAt', undefined], ['buyerReturnShipment', 'approvedAt', true], ['refundApproval', 'approvedAt', true],
    ]);
    expect(iso(p.deadlines[0].dueAt)).toBe(iso(at('2026-11-25T10:00:00+08:00')));
    expect(iso(p.deadlines[0].warnAt)).toBe(iso(at('2026-11-24T10:00:00+08:00')));
    expect(iso(p.deadlines[1].dueAt)).toBe(iso(at('2026-11-27T10:00:00+08:00')));
    expect(p.waitingFor.map((d) => [d.name, d.startsFrom])).toEqual([
      ['merchantReceipt', 'shippedAt'], ['refundPayment', 'receivedAt'], ['escalationWindow', 'rejectedAt'], ['disputeAnswer', 'escalatedAt'],
      ['evidence', 'evidenceRequestedAt'], ['rulingExecution', 'ruledAt'], ['appealWindow', 'closedAt'], ['suspension', 'suspendedAt'],
    ]);
  });

  it('requestedAt not given: now stands in, and the deadline says so', () => {
    const now = at('2026-11-20T10:00:00+08:00');
    const p = previewAfterSale(CN_MARKETPLACE, 'refund_only', {}, now);
    expect(p.deadlines[0]).toMatchObject({ name: 'merchantResponse', startsAt: now, assumedStart: true });
  });

  it('eu-14day: delivered Saturday 2026-03-07, the withdrawal window ends Tuesday 03-24 00:00 +01:00 (Regulation 1182/71 art. 3(4))', () => {
    // 14 days run 03-08 to Saturday 03-21; a Saturday last day moves to Monday 03-23, ending at its close.
    const p = previewAfterSale(EU_14DAY, 'return_and_refund', { requestedAt: at('2026-03-10T09:00:00+01:00'), deliveredAt: at('2026-03-07T15:00:00+01:00') }, 0);
    expect(iso(p.noReasonWindowEndsAt)).toBe(iso(at('2026-03-24T00:00:00+01:00')));
    // Approved at once (stand-in) Tue 03-10: 14 days end Tue 03-24, a working day, so 03-25 00:00.
    const shipment = p.deadlines.find((d) => d.name === 'buyerReturnShipment')!;
    expect(iso(shipment.dueAt)).toBe(iso(at('2026-03-25T00:00:00+01:00')));
    // The API's duration shape stays { amount, unit }; the rule is named beside it.
    expect(shipment).toMatchObject({ duration: { amount: 14, unit: 'calendar_days' }, endOfPeriodRule: 'eu-1182-71' });
    expect(shipment.duration).not.toHaveProperty('endOfPeriodRule');
  });

  it('cn-jd-dispute: evidence asked at 14:01 is due 09:01 the next day', () => {
    const p = previewAfterSale(CN_JD_DISPUTE, 'return_and_refund', { requestedAt: 0, evidenceRequestedAt: at('2026-11-20T14:01:00+08:00') }, 0);
    expect(iso(p.deadlines.find((d) => d.name === 'evidence')!.dueAt)).toBe(iso(at('2026-11-21T09:01:00+08:00')));
  });

  it('cn-7day-law: the no-reason window from a delivery, and refund within 7 days of receipt', () => {
    const p = previewAfterSale(CN_7DAY_LAW, 'return_and_refund', {
      requestedAt: at('2026-11-12T10:00:00+08:00'), deliveredAt: at('2026-11-10T23:59:00+08:00'), receivedAt: at('2026-11-16T15:00:00+08:00'),
    }, 0);
    expect(iso(p.noReasonWindowEndsAt)).toBe(iso(at('2026-11-18T00:00:00+08:00')));
    expect(iso(p.deadlines.find((d) => d.name === 'refundPayment')!.dueAt)).toBe(iso(at('2026-11-24T00:00:00+08:00')));
  });

  it('times deadlines from the events given, waits for the others, and leaves out those a type never opens', () => {
    const p = previewAfterSale(CN_MARKETPLACE, 'refund_only', { requestedAt: 0, approvedAt: 1000, shippedAt: 2000 }, 0);
    expect(p.deadlines.map((d) => d.name)).toEqual(['merchantResponse', 'refundPayment', 'refundApproval']);
    expect(p.deadlines.find((d) => d.name === 'refundPayment')).toMatchObject({ startsFrom: 'approvedAt', startsAt: 1000 });
    expect(p.waitingFor.map((d) => d.name)).not.toContain('merchantReceipt');
    expect(p.noReasonWindowEndsAt).toBeUndefined();
  });

  it.each<[AfterSaleType, string, string]>([
    ['return_and_refund', 'merchantReceipt', 'auto_refund'],
    ['exchange', 'merchantReceipt', 'auto_approve'],
    ['exchange', 'replacementShipment', 'fallback_refund'],
    ['repair', 'repair', 'fallback_refund'],
  ])('%s: %s defaults to %s', (type, name, onTimeout) => {
    const p = previewAfterSale(CN_MARKETPLACE, type, { requestedAt: 0, shippedAt: 1000, receivedAt: 2000 }, 0);
    expect(p.deadlines.find((d) => d.name === name)?.onTimeout).toBe(onTimeout);
  });
});

describe('agreement with the machine', () => {
  const paths: Array<[string, AfterSaleType, Step[]]> = [
    ['refund only', 'refund_only', [['approve', 'merchant']]],
    ['return', 'return_and_refund', [['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant']]],
    ['exchange', 'exchange', [['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant']]],
    ['repair', 'repair', [['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant']]],
    ['dispute', 'return_and_refund', [['reject', 'merchant'], ['escalate', 'channel'], ['request-evidence', 'arbiter', { from: 'buyer' }], ['rule', 'arbiter', { decision: 'refund_full' }]]],
  ];
  it.each(paths)('%s: each opened deadline has the preview\'s actor, default outcome and due time', (_name, type, steps) => {
    const { state } = drive(buildRequest({ type }), steps);
    expect(state.deadlines.length).toBeGreaterThan(1);
    for (const d of state.deadlines) {
      const rule = AFTER_SALE_DEADLINE_RULES[d.name as keyof typeof AFTER_SALE_DEADLINE_RULES];
      expect(rule.applies(type), d.name).toBe(true);
      const preview = previewAfterSale(SHORT_POLICY, type, { requestedAt: T0, [rule.from(type)]: d.startedAt }, T0).deadlines.find((x) => x.name === d.name)!;
      expect([d.name, d.actor, d.onTimeout]).toEqual([d.name, rule.actor, preview.onTimeout]);
      expect(preview.dueAt).toBe(d.dueAt);
    }
  });
});
