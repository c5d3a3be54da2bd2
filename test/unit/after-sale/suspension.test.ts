/**
 * Suspension (中止) and deadline extension: clocks stand still while suspended and give back exactly the
 * stopped time (elapsed units) or the remaining working time (working units); the case resumes by a
 * person or by itself at the limit of its reason; extensions move one deadline with an audited reason.
 */
import { describe, expect, it } from 'vitest';
import { advanceAfterSaleClock, nextWakeAt, openAfterSale } from '../../../workflows/domain/after-sale/clock-events';
import { allowedAfterSaleActions, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleActionInput, AfterSaleState } from '../../../workflows/domain/after-sale/types';
import { CN_JD_DISPUTE } from '../../../workflows/domain/policy/presets';
import { ACTORS, HOUR, MINUTE, SHORT_POLICY, T0, act, buildRequest, drive } from './fixtures';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);
const deadline = (s: AfterSaleState, name: string) => [...s.deadlines].reverse().find((d) => d.name === name)!;
const suspend = (s: AfterSaleState, when: number, reason = 'negotiation', by: 'supervisor' | 'arbiter' = 'supervisor') =>
  act(s, 'suspend', by, when, { reason } as AfterSaleActionInput);

describe('suspend', () => {
  it('pauses every running deadline; only the suspension limit wakes the case', () => {
    const s0 = openAfterSale(buildRequest(), T0);
    const s1 = suspend(s0, T0 + HOUR);
    expect(s1.status).toBe('suspended');
    expect(s1.owner).toEqual({ role: 'supervisor', tier: 'L2' });
    expect(deadline(s1, 'merchantResponse').pausedAt).toBe(T0 + HOUR);
    // Negotiation: the policy's `suspension` deadline (50 h in the unit-test policy).
    expect(s1.suspension).toEqual({ reason: 'negotiation', since: T0 + HOUR, resumesAt: T0 + 51 * HOUR });
    expect(nextWakeAt(s1)).toBe(deadline(s1, 'suspension').warnAt ?? T0 + 51 * HOUR);
    // Well past the original merchantResponse (10 h), nothing is auto-approved while suspended.
    const s2 = advanceAfterSaleClock(s1, T0 + 30 * HOUR);
    expect(s2.status).toBe('suspended');
    expect(deadline(s2, 'merchantResponse').state).toBe('active');
  });

  it.each([
    ['legal_proof: 7 working days (cn-workdays), from Mon 2 Mar 11:00', 'legal_proof', '2026-03-11T18:00:00+08:00'],
    ['police: 183 calendar days from the next midnight', 'police', '2026-09-02T00:00:00+08:00'],
  ])('%s', (_name, reason, resumesAt) => {
    const s = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR, reason);
    expect(iso(s.suspension!.resumesAt)).toBe(iso(at(resumesAt)));
  });

  it.each([
    ['refunding', [['approve', 'merchant']]],
    ['closed', [['approve', 'merchant'], ['refund-ok']]],
  ] as const)('is not allowed while %s', (status, steps) => {
    const { state } = drive(buildRequest({ type: 'refund_only' }), steps as never);
    expect(state.status).toBe(status);
    expect(checkAfterSaleAction(state, { action: 'suspend', actor: ACTORS.supervisor, input: { reason: 'negotiation' }, fingerprint: 'f' }, T0 + HOUR)?.type).toBe('ActionNotAllowed');
  });

  it.each<[string, AfterSaleActionInput, string | undefined]>([
    ['a reason outside the list', { reason: 'holiday' }, 'supervisor-1'],
    ['no actorRef', { reason: 'negotiation' }, undefined],
  ])('refuses %s', (_name, input, actorRef) => {
    const s = openAfterSale(buildRequest(), T0);
    const actor = { ...ACTORS.supervisor, ...(actorRef ? { actorRef } : { actorRef: undefined }) };
    expect(checkAfterSaleAction(s, { action: 'suspend', actor, input, fingerprint: 'f' }, T0)?.type).toBe('InvalidInput');
  });
});

describe('resume', () => {
  it('by a person: previous status and owner, deadlines pushed out by exactly the stopped time', () => {
    const s0 = openAfterSale(buildRequest(), T0);
    const due = deadline(s0, 'merchantResponse').dueAt;
    const s1 = suspend(s0, T0 + HOUR);
    expect(allowedAfterSaleActions(s1, ACTORS.arbiter, T0 + HOUR)).toEqual(expect.arrayContaining(['resume', 'extend-deadline']));
    const s2 = act(s1, 'resume', 'arbiter', T0 + 4 * HOUR);
    expect(s2.status).toBe('awaiting_merchant');
    expect(s2.owner).toEqual({ role: 'merchant', tier: 'L1' });
    expect(s2.suspension).toBeNull();
    expect(deadline(s2, 'merchantResponse')).toMatchObject({ dueAt: due + 3 * HOUR, stoppedMs: 3 * HOUR, state: 'active' });
    expect(deadline(s2, 'merchantResponse').pausedAt).toBeUndefined();
    expect(deadline(s2, 'suspension').state).toBe('met');
    expect(s2.timeline.at(-1)).toMatchObject({ type: 'case.resumed', data: { stoppedMs: 3 * HOUR } });
    // The clock runs again: silence past the new due time approves.
    expect(advanceAfterSaleClock(s2, due + 3 * HOUR).status).toBe('awaiting_buyer_return');
  });

  it('by itself at the limit of the suspension', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    const s2 = advanceAfterSaleClock(s1, T0 + 51 * HOUR);
    expect(s2.status).toBe('awaiting_merchant');
    expect(deadline(s2, 'suspension').state).toBe('breached');
    expect(s2.timeline.at(-1)).toMatchObject({ type: 'case.resumed', actor: 'system', data: { stoppedMs: 50 * HOUR } });
    expect(deadline(s2, 'merchantResponse').dueAt).toBe(T0 + 10 * HOUR + 50 * HOUR);
  });

  it('re-counts working time: JD evidence (4 working hours 09-18 every day) paused at 10:00, resumed at 20:00', () => {
    const policy = { ...SHORT_POLICY, afterSale: { ...SHORT_POLICY.afterSale, deadlines: { ...SHORT_POLICY.afterSale.deadlines, evidence: CN_JD_DISPUTE.afterSale.deadlines.evidence } } };
    const start = at('2026-03-02T08:00:00+08:00');
    let s = openAfterSale(buildRequest({ policy, requestedAt: start }), start);
    s = act(s, 'reject', 'merchant', at('2026-03-02T08:01:00+08:00'));
    s = act(s, 'escalate', 'channel', at('2026-03-02T08:02:00+08:00'));
    s = act(s, 'request-evidence', 'arbiter', at('2026-03-02T08:03:00+08:00'), { from: 'buyer' });
    // Requested before opening: 4 working hours from 09:00 → due 13:00. At 10:00, 3 working hours remain.
    expect(iso(deadline(s, 'evidence').dueAt)).toBe(iso(at('2026-03-02T13:00:00+08:00')));
    s = suspend(s, at('2026-03-02T10:00:00+08:00'));
    s = act(s, 'resume', 'supervisor', at('2026-03-02T20:00:00+08:00'));
    expect(iso(deadline(s, 'evidence').dueAt)).toBe(iso(at('2026-03-03T12:00:00+08:00')));
  });
});

describe('extend-deadline', () => {
  it('moves only the named active deadline, with an audited reason, and recomputes an unfired warning', () => {
    const s0 = openAfterSale(buildRequest(), T0);
    const before = deadline(s0, 'merchantResponse');
    const s1 = act(s0, 'extend-deadline', 'supervisor', T0 + MINUTE, { deadline: 'merchantResponse', by: { amount: 5, unit: 'hours' }, reason: 'merchant closed for a holiday' });
    const after = deadline(s1, 'merchantResponse');
    expect(after.dueAt).toBe(before.dueAt + 5 * HOUR);
    expect(after.warnAt).toBe(T0 + 12 * HOUR);
    expect(s1.timeline.at(-1)).toMatchObject({ type: 'deadline.extended', actor: 'supervisor', data: { name: 'merchantResponse', from: before.dueAt, to: before.dueAt + 5 * HOUR, reason: 'merchant closed for a holiday' } });
  });

  it('extending the suspension limit moves resumesAt', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    const s2 = act(s1, 'extend-deadline', 'arbiter', T0 + 2 * HOUR, { deadline: 'suspension', by: { amount: 2, unit: 'hours' }, reason: 'court date moved' });
    expect(s2.suspension!.resumesAt).toBe(T0 + 53 * HOUR);
  });

  it.each<[string, AfterSaleActionInput]>([
    ['an inactive deadline', { deadline: 'repair', by: { amount: 1, unit: 'hours' }, reason: 'x' }],
    ['no reason', { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' } }],
    ['no duration', { deadline: 'merchantResponse', reason: 'x' }],
  ])('refuses %s', (_name, input) => {
    const s = openAfterSale(buildRequest(), T0);
    const failure = checkAfterSaleAction(s, { action: 'extend-deadline', actor: ACTORS.supervisor, input, fingerprint: 'f' }, T0);
    expect(failure?.type).toBe('InvalidInput');
  });

  it('is for supervisors and arbiters only', () => {
    const s = openAfterSale(buildRequest(), T0);
    const input = { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' as const }, reason: 'x' };
    expect(checkAfterSaleAction(s, { action: 'extend-deadline', actor: ACTORS.merchant, input, fingerprint: 'f' }, T0)?.type).toBe('Forbidden');
  });
});
