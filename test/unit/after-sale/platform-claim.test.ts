/**
 * Calling in the platform under the Amazon A-to-z Guarantee (amazon-30day v2): the buyer may claim once the
 * seller has answered, or after allowing two business days for an answer, whichever comes first; claims are
 * submitted within 90 days. Worked examples counted by hand on the 2026 calendar (China Standard Time, the
 * preset's zone); the Taobao-style presets keep escalation to rejected requests only.
 */
import { describe, expect, it } from 'vitest';
import { advanceAfterSaleClock, openAfterSale } from '../../../workflows/domain/after-sale/machine';
import { allowedAfterSaleActions, applyAfterSaleAction, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleState } from '../../../workflows/domain/after-sale/types';
import { AMAZON_30DAY, CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import type { Policy } from '../../../workflows/domain/policy/types';
import { ACTORS, VALID_INPUT, buildRequest } from './fixtures';

const at = (iso: string) => Date.parse(iso);
/** amazon-30day for a return outside the auto-authorised policy: the seller has 5 days to answer. */
const AMAZON_SELLER_ANSWERS: Policy = {
  ...AMAZON_30DAY,
  afterSale: { ...AMAZON_30DAY.afterSale, deadlines: { ...AMAZON_30DAY.afterSale.deadlines, merchantResponse: { amount: 120, unit: 'hours' } } },
};

function opened(policy: Policy, requestedAt: string): AfterSaleState {
  return openAfterSale(buildRequest({ policy, requestedAt: at(requestedAt) }), at(requestedAt));
}
const escalate = (s: AfterSaleState, when: string, role: 'channel' | 'merchant' = 'channel') =>
  ({ req: { action: 'escalate' as const, actor: ACTORS[role], input: VALID_INPUT.escalate, fingerprint: `fp-${when}` }, now: at(when) });

describe('A-to-z: the claim opens after two business days without an answer', () => {
  it.each([
    // [requested, last instant refused, opens at]: whole business days Mon-Fri after the request's day.
    ['Mon 03-02 10:00: Tue and Wed pass', '2026-03-02T10:00:00+08:00', '2026-03-04T23:59:59+08:00', '2026-03-05T00:00:00.000+08:00'],
    ['Fri 03-06 10:00: the weekend does not count, Mon and Tue pass', '2026-03-06T10:00:00+08:00', '2026-03-10T23:59:59+08:00', '2026-03-11T00:00:00.000+08:00'],
    ['Sat 03-07 09:00: Mon and Tue pass', '2026-03-07T09:00:00+08:00', '2026-03-10T12:00:00+08:00', '2026-03-11T00:00:00.000+08:00'],
  ])('%s', (_label, requested, refusedAt, opensAt) => {
    const s = opened(AMAZON_SELLER_ANSWERS, requested);
    const early = escalate(s, refusedAt);
    expect(checkAfterSaleAction(s, early.req, early.now)).toMatchObject({
      type: 'ActionNotAllowed',
      extensions: { caseStatus: 'awaiting_merchant', action: 'escalate', opensAt },
    });
    expect(allowedAfterSaleActions(s, ACTORS.channel, early.now)).not.toContain('escalate');

    const open = escalate(s, opensAt);
    expect(allowedAfterSaleActions(s, ACTORS.channel, open.now)).toContain('escalate');
    expect(checkAfterSaleAction(s, open.req, open.now)).toBeNull();
    const claimed = applyAfterSaleAction(s, open.req, open.now);
    expect(claimed.status).toBe('in_arbitration');
    // The merchant's answer to the request is no longer awaited; it answers the claim within 72 h.
    expect(claimed.deadlines.map((d) => [d.name, d.state])).toEqual([['merchantResponse', 'cancelled'], ['disputeAnswer', 'active']]);
    expect(claimed.deadlines[1].dueAt - open.now).toBe(72 * 3_600_000);
  });

  it('is the buyer\'s claim: a merchant may not escalate its own unanswered request', () => {
    const s = opened(AMAZON_SELLER_ANSWERS, '2026-03-02T10:00:00+08:00');
    const e = escalate(s, '2026-03-09T10:00:00+08:00', 'merchant');
    const failure = checkAfterSaleAction(s, e.req, e.now);
    expect(failure?.type).toBe('ActionNotAllowed');
    expect(failure?.extensions).not.toHaveProperty('opensAt');
  });
});

describe('A-to-z: once the seller answered, the claim opens at once and lasts 90 days', () => {
  it('a rejection on Mon 03-02 15:00 may be escalated at once, still two days later, and closes as rejected only at 06-01 00:00', () => {
    let s = opened(AMAZON_SELLER_ANSWERS, '2026-03-02T10:00:00+08:00');
    s = applyAfterSaleAction(s, { action: 'reject', actor: ACTORS.merchant, input: VALID_INPUT.reject, fingerprint: 'fp-r' }, at('2026-03-02T15:00:00+08:00'));
    const atOnce = escalate(s, '2026-03-02T15:01:00+08:00');
    expect(checkAfterSaleAction(s, atOnce.req, atOnce.now)).toBeNull();
    // 48 h later the claim is still open (version 1 had closed the request as rejected by then).
    const later = advanceAfterSaleClock(s, at('2026-03-04T15:01:00+08:00'));
    expect(later.status).toBe('rejected');
    // 90 natural days from the day after 03-02: 03-03 … 05-31; the window ends 06-01 00:00.
    const window = s.deadlines.find((d) => d.name === 'escalationWindow')!;
    expect(new Date(window.dueAt).toISOString()).toBe(new Date('2026-06-01T00:00:00+08:00').toISOString());
    expect(advanceAfterSaleClock(s, window.dueAt)).toMatchObject({ status: 'closed', outcome: 'rejected' });
  });
});

describe('presets without the setting: only a rejection opens escalation', () => {
  it('cn-marketplace: escalate while the merchant is silent is refused without an opening instant, however long the wait', () => {
    const s = opened(CN_MARKETPLACE, '2026-03-02T10:00:00+08:00');
    const e = escalate(s, '2026-03-06T10:00:00+08:00');
    const failure = checkAfterSaleAction(s, e.req, e.now);
    expect(failure).toMatchObject({ type: 'ActionNotAllowed', extensions: { caseStatus: 'awaiting_merchant', action: 'escalate' } });
    expect(failure?.extensions).not.toHaveProperty('opensAt');
  });

  it('amazon-30day itself authorises in-policy returns at once, so its claims follow an answer', () => {
    const s = advanceAfterSaleClock(opened(AMAZON_30DAY, '2026-03-02T10:00:00+08:00'), at('2026-03-02T10:00:00+08:00'));
    expect(s.status).toBe('awaiting_buyer_return');
  });
});
