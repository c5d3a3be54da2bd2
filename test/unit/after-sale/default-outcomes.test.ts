// Silence rules (docs/domain-rules.md "Silence: default outcomes"): what each after-sale deadline does when it
// passes without its actor, pre-breach warnings at 80% of the budget, backdated requests and several deadlines
// falling due together.
import { describe, expect, it } from 'vitest';
import { advanceAfterSaleClock, isAfterSaleFinished, nextWakeAt, openAfterSale } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleState, AfterSaleType } from '../../../workflows/domain/after-sale/types';
import type { Deadline } from '../../../workflows/domain/case';
import type { AfterSaleDeadlineName } from '../../../workflows/domain/policy/types';
import {
  HOUR, MINUTE, SHORT_DEADLINE_HOURS, T0, activeDeadlineSpecs, buildLargeRequest, buildRequest, cny, drive, reach, timelineTypes,
  type StateName, type Step,
} from './fixtures';

function deadline(s: AfterSaleState, name: AfterSaleDeadlineName, state: Deadline['state'] = 'active'): Deadline {
  const found = s.deadlines.filter((d) => d.name === name && d.state === state);
  expect(found, `${name} ${state}`).toHaveLength(1);
  return found[0];
}

/** Advances to the due instant of the named active deadline; returns the new state and the new timeline tail. */
function passDeadline(s: AfterSaleState, name: AfterSaleDeadlineName, extra = 0) {
  const d = deadline(s, name);
  const at = d.dueAt + extra;
  const after = advanceAfterSaleClock(s, at);
  return { after, at, d, tail: timelineTypes(after, s.timeline.length), breached: after.deadlines[s.deadlines.indexOf(d)] };
}

function defaultOutcome(s: AfterSaleState) {
  return s.timeline.filter((e) => e.type === 'case.default_outcome').map((e) => e.data);
}

describe('every deadline is scheduled from the short policy', () => {
  it.each([
    ['awaiting_merchant/return_and_refund', 'merchantResponse'],
    ['awaiting_buyer_return/exchange', 'buyerReturnShipment'],
    ['awaiting_merchant_receipt/repair', 'merchantReceipt'],
    ['refunding', 'refundPayment'],
    ['refunding/awaiting_approval', 'refundApproval'],
    ['rejected', 'escalationWindow'],
    ['in_arbitration', 'disputeAnswer'],
    ['in_arbitration/evidence_from_buyer', 'evidence'],
    ['in_arbitration/ruled_refund', 'rulingExecution'],
    ['closed/ruling_rejected', 'appealWindow'],
    ['awaiting_replacement', 'replacementShipment'],
    ['in_repair', 'repair'],
  ] as [StateName, AfterSaleDeadlineName][])('%s: %s due after its hours, warned at 80%%', (name, deadlineName) => {
    const d = deadline(reach(name).state, deadlineName);
    const budget = SHORT_DEADLINE_HOURS[deadlineName] * HOUR;
    expect(d.dueAt - d.startedAt).toBe(budget);
    expect(d.warnAt).toBe(d.startedAt + budget * 0.8);
  });
});

describe('merchantResponse: silence means approved (auto-agree)', () => {
  it('refund only → refunding, a pending refund decided by system, no second approver above the authority limit', () => {
    const s = openAfterSale(buildLargeRequest({ type: 'refund_only' }), T0);
    expect(s.refundCap).toEqual(cny(81_000));
    const { after, at, tail, breached } = passDeadline(s, 'merchantResponse');
    expect(at).toBe(T0 + 10 * HOUR);
    expect(after.status).toBe('refunding');
    expect(after.owner).toEqual({ role: 'system', tier: 'L1' });
    expect(after.outcome).toBeNull();
    expect(after.refunds).toHaveLength(1);
    expect(after.refunds[0]).toMatchObject({ amount: cny(81_000), status: 'pending', decidedBy: { role: 'system' }, closesAs: 'refunded' });
    expect(after.refunds[0].approvedBy).toBeUndefined();
    expect(breached).toMatchObject({ state: 'breached', endedAt: at });
    expect(activeDeadlineSpecs(after)).toEqual([{ name: 'refundPayment', actor: 'system', onTimeout: 'escalate' }]);
    expect(after.deadlines.some((d) => d.name === 'refundApproval')).toBe(false);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'refund.requested']);
    expect(defaultOutcome(after)).toEqual([{ deadline: 'merchantResponse', outcome: 'approved' }]);
    expect(after.timeline.slice(s.timeline.length).every((e) => e.actor === 'system' && e.at === at)).toBe(true);
  });

  it.each(['return_and_refund', 'exchange', 'repair'] as AfterSaleType[])('%s → awaiting_buyer_return, buyerReturnShipment opens', (type) => {
    const s = openAfterSale(buildRequest({ type }), T0);
    const { after, at, tail } = passDeadline(s, 'merchantResponse');
    expect(after.status).toBe('awaiting_buyer_return');
    expect(after.owner).toEqual({ role: 'channel', tier: 'L1' });
    expect(after.refunds).toEqual([]);
    expect(activeDeadlineSpecs(after)).toEqual([{ name: 'buyerReturnShipment', actor: 'channel', onTimeout: 'auto_close' }]);
    expect(deadline(after, 'buyerReturnShipment')).toMatchObject({ startedAt: at, dueAt: at + 20 * HOUR });
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed']);
  });

  it('one millisecond early changes nothing but the warning', () => {
    const s = openAfterSale(buildRequest(), T0);
    const after = advanceAfterSaleClock(s, T0 + 10 * HOUR - 1);
    expect(after.status).toBe('awaiting_merchant');
    expect(timelineTypes(after, s.timeline.length)).toEqual(['deadline.warned']);
  });
});

describe('buyerReturnShipment: buyer silence closes the request', () => {
  it.each(['return_and_refund', 'exchange', 'repair'] as AfterSaleType[])('%s → closed expired', (type) => {
    const { state } = drive(buildRequest({ type }), [['approve', 'merchant']]);
    const { after, at, tail, breached } = passDeadline(state, 'buyerReturnShipment');
    expect(after.status).toBe('closed');
    expect(after.outcome).toBe('expired');
    expect(after.owner).toBeNull();
    expect(breached).toMatchObject({ state: 'breached', endedAt: at });
    expect(activeDeadlineSpecs(after)).toEqual([]);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'case.closed', 'case.archived']);
    expect(defaultOutcome(after)).toEqual([{ deadline: 'buyerReturnShipment', outcome: 'expired' }]);
    expect(isAfterSaleFinished(after)).toBe(true);
  });
});

describe('merchantReceipt: merchant silence counts as received', () => {
  const shipped: Step[] = [['approve', 'merchant'], ['ship-return', 'channel']];

  it('return and refund → refunding (auto-refund), system decides, no second approver above the limit', () => {
    const { state } = drive(buildLargeRequest({ type: 'return_and_refund' }), shipped);
    expect(deadline(state, 'merchantReceipt').onTimeout).toBe('auto_refund');
    const { after, tail } = passDeadline(state, 'merchantReceipt');
    expect(after.status).toBe('refunding');
    expect(after.owner).toEqual({ role: 'system', tier: 'L1' });
    expect(after.refunds).toEqual([expect.objectContaining({ amount: cny(81_000), status: 'pending', decidedBy: { role: 'system' } })]);
    expect(activeDeadlineSpecs(after)).toEqual([{ name: 'refundPayment', actor: 'system', onTimeout: 'escalate' }]);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'refund.requested']);
    expect(defaultOutcome(after)).toEqual([{ deadline: 'merchantReceipt', outcome: 'received' }]);
  });

  it.each([
    ['exchange', 'awaiting_replacement', 'replacementShipment', 6],
    ['repair', 'in_repair', 'repair', 12],
  ] as const)('%s → %s, %s opens', (type, status, next, hours) => {
    const { state } = drive(buildRequest({ type }), shipped);
    expect(deadline(state, 'merchantReceipt').onTimeout).toBe('auto_approve');
    const { after, at, tail } = passDeadline(state, 'merchantReceipt');
    expect(after.status).toBe(status);
    expect(after.owner).toEqual({ role: 'merchant', tier: 'L1' });
    expect(after.refunds).toEqual([]);
    expect(activeDeadlineSpecs(after)).toEqual([{ name: next, actor: 'merchant', onTimeout: 'fallback_refund' }]);
    expect(deadline(after, next)).toMatchObject({ startedAt: at, dueAt: at + hours * HOUR });
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed']);
    expect(defaultOutcome(after)).toEqual([{ deadline: 'merchantReceipt', outcome: 'received' }]);
  });
});

describe('escalationWindow: no escalation closes the case rejected', () => {
  it.each(['rejected', 'rejected/failed_inspection'] as StateName[])('%s → closed rejected, no appeal window', (name) => {
    const { after, tail } = passDeadline(reach(name).state, 'escalationWindow');
    expect(after.status).toBe('closed');
    expect(after.outcome).toBe('rejected');
    expect(after.owner).toBeNull();
    expect(activeDeadlineSpecs(after)).toEqual([]);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'case.closed', 'case.archived']);
    expect(defaultOutcome(after)).toEqual([{ deadline: 'escalationWindow', outcome: 'rejected' }]);
    expect(isAfterSaleFinished(after)).toBe(true);
  });
});

describe('replacementShipment and repair: a merchant who misses them owes a full refund', () => {
  it.each([
    ['exchange', 'replacementShipment'],
    ['repair', 'repair'],
  ] as const)('%s: %s passes → refunding the whole cap, decided by system, no second approver', (type, name) => {
    // The buyer asked for less than the cap; the fallback refunds the cap all the same.
    const request = buildLargeRequest({ type, requestedRefund: cny(30_000) });
    const { state } = drive(request, [['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant', { inspection: 'ok' }]]);
    expect(state.grantedRefund).toEqual(cny(30_000));
    const { after, tail } = passDeadline(state, name);
    expect(after.status).toBe('refunding');
    expect(after.owner).toEqual({ role: 'system', tier: 'L1' });
    expect(after.refunds).toEqual([expect.objectContaining({ amount: after.refundCap, status: 'pending', decidedBy: { role: 'system' }, closesAs: 'refunded' })]);
    expect(after.refundCap).toEqual(cny(81_000));
    expect(activeDeadlineSpecs(after)).toEqual([{ name: 'refundPayment', actor: 'system', onTimeout: 'escalate' }]);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'refund.requested']);
    expect(defaultOutcome(after)).toEqual([{ deadline: name, outcome: 'refund' }]);
  });
});

describe('rulingExecution: the platform executes a ruling the merchant left alone', () => {
  it.each([
    ['refund_full', undefined, 81_000, 'refunded'],
    ['refund_partial', 7_000, 7_000, 'partially_refunded'],
  ] as const)('%s → refunding for the ruled amount, decided by system', (decision, amount, refunded, closesAs) => {
    const { state } = drive(buildLargeRequest(), [
      ['reject', 'merchant', { reason: 'worn' }], ['escalate', 'channel'],
      ['rule', 'arbiter', amount === undefined ? { decision } : { decision, amount: cny(amount) }],
    ]);
    const { after, tail } = passDeadline(state, 'rulingExecution');
    expect(after.status).toBe('refunding');
    expect(after.ruling).toMatchObject({ decision, executed: true, amount: cny(refunded) });
    expect(after.refunds).toEqual([expect.objectContaining({ amount: cny(refunded), status: 'pending', decidedBy: { role: 'system' }, closesAs })]);
    expect(activeDeadlineSpecs(after)).toEqual([{ name: 'refundPayment', actor: 'system', onTimeout: 'escalate' }]);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'refund.requested']);
    expect(defaultOutcome(after)).toEqual([{ deadline: 'rulingExecution', outcome: 'platform_executed' }]);
  });
});

describe('refundApproval and refundPayment: silence escalates', () => {
  it('refundApproval → escalation level 3, a supervisor at L3, the refund still waits', () => {
    const { state } = reach('refunding/awaiting_approval');
    expect(state.escalationLevel).toBe(2);
    const { after, at, tail, breached } = passDeadline(state, 'refundApproval');
    expect(after.status).toBe('refunding');
    expect(after.escalationLevel).toBe(3);
    expect(after.owner).toEqual({ role: 'supervisor', tier: 'L3' });
    expect(after.refunds[0].status).toBe('awaiting_approval');
    expect(breached).toMatchObject({ state: 'breached', endedAt: at });
    expect(activeDeadlineSpecs(after)).toEqual([{ name: 'refundPayment', actor: 'system', onTimeout: 'escalate' }]);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.escalated']);
    expect(after.timeline.at(-1)?.data).toEqual({ from: 'L2', to: 'L3', reason: 'breach', deadline: 'refundApproval', escalationLevel: 3 });
  });

  it('refundPayment → escalation level goes up, the refund still runs', () => {
    const { state } = reach('refunding');
    const { after, tail } = passDeadline(state, 'refundPayment');
    expect(after.status).toBe('refunding');
    expect(after.escalationLevel).toBe(2);
    expect(after.refunds[0].status).toBe('pending');
    expect(tail).toEqual(['deadline.warned', 'deadline.breached', 'case.escalated']);
  });
});

describe('deadlines whose silence only warns or closes', () => {
  it.each([
    ['in_arbitration', 'disputeAnswer'],
    ['in_arbitration/evidence_from_buyer', 'evidence'],
    ['in_arbitration/evidence_from_merchant', 'evidence'],
  ] as [StateName, AfterSaleDeadlineName][])('%s: %s breaches, the case waits for the arbiter', (name, deadlineName) => {
    const { state } = reach(name);
    const { after, tail, breached, at } = passDeadline(state, deadlineName);
    expect(after.status).toBe('in_arbitration');
    expect(after.owner).toEqual(state.owner);
    expect(breached).toMatchObject({ state: 'breached', endedAt: at });
    expect(tail.filter((t) => t !== 'deadline.warned').at(-1)).toBe('deadline.breached');
    expect(defaultOutcome(after)).toEqual([]);
  });

  it.each(['closed/ruling_rejected', 'closed/ruling_refunded'] as StateName[])('%s: the appeal window passes, the case stays closed and finishes', (name) => {
    const { state } = reach(name);
    expect(isAfterSaleFinished(state)).toBe(false);
    const { after, tail } = passDeadline(state, 'appealWindow');
    expect(after.status).toBe('closed');
    expect(after.outcome).toBe(state.outcome);
    expect(tail).toEqual(['deadline.warned', 'deadline.breached']);
    expect(isAfterSaleFinished(after)).toBe(true);
  });
});

describe('pre-breach warnings at 80% of the budget', () => {
  it.each([
    ['awaiting_merchant/refund_only', 'merchantResponse'],
    ['awaiting_buyer_return/return_and_refund', 'buyerReturnShipment'],
    ['awaiting_merchant_receipt/exchange', 'merchantReceipt'],
    ['rejected', 'escalationWindow'],
    ['in_arbitration/ruled_refund', 'rulingExecution'],
    ['awaiting_replacement', 'replacementShipment'],
    ['in_repair', 'repair'],
    ['refunding', 'refundPayment'],
  ] as [StateName, AfterSaleDeadlineName][])('%s: %s warns once, at warnAt, and the breach follows at dueAt', (name, deadlineName) => {
    const { state } = reach(name);
    const d = deadline(state, deadlineName);
    const index = state.deadlines.indexOf(d);
    const warnAt = d.startedAt + SHORT_DEADLINE_HOURS[deadlineName] * HOUR * 0.8;
    expect(nextWakeAt(state)).toBe(warnAt);

    expect(advanceAfterSaleClock(state, warnAt - 1)).toBe(state);
    const warned = advanceAfterSaleClock(state, warnAt);
    expect(warned.status).toBe(state.status);
    expect(warned.deadlines[index]).toMatchObject({ state: 'active', warnedAt: warnAt });
    const entries = warned.timeline.slice(state.timeline.length);
    expect(entries).toEqual([{ at: warnAt, type: 'deadline.warned', actor: 'system', data: { name: deadlineName, dueAt: d.dueAt, actor: d.actor } }]);
    expect(nextWakeAt(warned)).toBe(d.dueAt);

    // Once: later advances before the breach change nothing.
    expect(advanceAfterSaleClock(warned, warnAt + MINUTE)).toBe(warned);
    expect(advanceAfterSaleClock(warned, d.dueAt - 1)).toBe(warned);
    const breached = advanceAfterSaleClock(warned, d.dueAt);
    expect(breached.timeline.filter((e) => e.type === 'deadline.warned' && (e.data as { name: string }).name === deadlineName)).toHaveLength(1);
    expect(breached.deadlines[index]).toMatchObject({ state: 'breached', warnedAt: warnAt, endedAt: d.dueAt });
  });

  it('a deadline met before its warning never warns', () => {
    const { state } = drive(buildRequest(), [['approve', 'merchant']]);
    const after = advanceAfterSaleClock(state, T0 + 9 * HOUR);
    expect(deadline(after, 'merchantResponse', 'met').warnedAt).toBeUndefined();
    expect(after.timeline.some((e) => e.type === 'deadline.warned' && (e.data as { name: string }).name === 'merchantResponse')).toBe(false);
  });

  it('nothing is due on a closed case without windows', () => {
    const { state } = reach('closed/withdrawn');
    expect(nextWakeAt(state)).toBeUndefined();
    expect(advanceAfterSaleClock(state, T0 + 1000 * HOUR)).toBe(state);
  });
});

describe('backdated requests: a deadline already passed fires at once', () => {
  it('requested 11 h before the case opens: merchantResponse (10 h) warns and breaches at the first advance', () => {
    const requestedAt = T0 - 11 * HOUR;
    const s = openAfterSale(buildRequest({ type: 'refund_only', requestedAt }), T0);
    expect(s.createdAt).toBe(T0);
    expect(deadline(s, 'merchantResponse')).toMatchObject({ startedAt: requestedAt, dueAt: T0 - HOUR });
    expect(nextWakeAt(s)).toBeLessThanOrEqual(T0);
    const after = advanceAfterSaleClock(s, T0);
    expect(after.status).toBe('refunding');
    expect(after.refunds[0].decidedBy).toEqual({ role: 'system' });
    expect(timelineTypes(after, s.timeline.length)).toEqual(['deadline.warned', 'deadline.breached', 'case.default_outcome', 'case.status_changed', 'refund.requested']);
    // What the default outcome opens counts from the moment it is applied.
    expect(deadline(after, 'refundPayment')).toMatchObject({ startedAt: T0, dueAt: T0 + 40 * HOUR });
  });

  it('requested 9 h before: only the warning (due at 8 h) fires at once', () => {
    const s = openAfterSale(buildRequest({ requestedAt: T0 - 9 * HOUR }), T0);
    const after = advanceAfterSaleClock(s, T0);
    expect(after.status).toBe('awaiting_merchant');
    expect(timelineTypes(after, s.timeline.length)).toEqual(['deadline.warned']);
    expect(deadline(after, 'merchantResponse').warnedAt).toBe(T0);
  });
});

describe('several deadlines due together fire in time order', () => {
  it('refund awaiting approval, the clock jumps past refundApproval (5 h) and refundPayment (40 h)', () => {
    const { state } = reach('refunding/awaiting_approval');
    const after = advanceAfterSaleClock(state, state.updatedAt + 100 * HOUR);
    const fired = after.timeline.slice(state.timeline.length).map((e) => `${e.type}${e.data && 'name' in e.data ? ` ${String(e.data.name)}` : ''}`);
    expect(fired).toEqual([
      'deadline.warned refundApproval', 'deadline.breached refundApproval', 'case.escalated',
      'deadline.warned refundPayment', 'deadline.breached refundPayment', 'case.escalated',
    ]);
    expect(after.escalationLevel).toBe(4);
    expect(activeDeadlineSpecs(after)).toEqual([]);
  });

  it('arbitration with evidence asked of both parties: disputeAnswer (2 h), evidence (4 h) twice, by due time', () => {
    const { state } = drive(buildRequest(), [
      ['reject', 'merchant'], ['escalate', 'channel'], ['request-evidence', 'arbiter', { from: 'merchant' }],
      ['clock', T0 + HOUR], ['request-evidence', 'arbiter', { from: 'buyer' }],
    ]);
    const due = state.deadlines.filter((d) => d.state === 'active').map((d) => [d.name, d.actor, d.dueAt]);
    expect(due).toEqual([
      ['disputeAnswer', 'merchant', T0 + 2 * MINUTE + 2 * HOUR],
      ['evidence', 'merchant', T0 + 3 * MINUTE + 4 * HOUR],
      ['evidence', 'channel', T0 + HOUR + MINUTE + 4 * HOUR],
    ]);
    const after = advanceAfterSaleClock(state, T0 + 100 * HOUR);
    const breaches = after.timeline.filter((e) => e.type === 'deadline.breached').map((e) => [e.data?.name, e.data?.dueAt]);
    expect(breaches).toEqual(due.map(([name, , dueAt]) => [name, dueAt]));
    // Warnings at 80% (T0+1h38, +3h15, +4h13) interleave with the breaches (T0+2h02, +4h03, +5h01).
    const fired = after.timeline.slice(state.timeline.length).map((e) => `${e.type} ${String(e.data?.name)}/${String(e.data?.actor ?? '')}`);
    expect(fired).toEqual([
      'deadline.warned disputeAnswer/merchant', 'deadline.breached disputeAnswer/',
      'deadline.warned evidence/merchant', 'deadline.breached evidence/',
      'deadline.warned evidence/channel', 'deadline.breached evidence/',
    ]);
  });

  it('a default outcome chain: merchant silence, then buyer silence, one advance each', () => {
    const s = openAfterSale(buildRequest(), T0);
    const approved = advanceAfterSaleClock(s, T0 + 10 * HOUR);
    const expired = advanceAfterSaleClock(approved, T0 + 30 * HOUR);
    expect(expired.status).toBe('closed');
    expect(expired.outcome).toBe('expired');
    expect(defaultOutcome(expired)).toEqual([
      { deadline: 'merchantResponse', outcome: 'approved' }, { deadline: 'buyerReturnShipment', outcome: 'expired' },
    ]);
  });
});
