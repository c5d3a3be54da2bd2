/**
 * Suspension (中止) and deadline extension: clocks stand still while suspended and give back exactly the
 * stopped time (elapsed units) or the remaining working time (working units); the case resumes by a
 * person or by itself at the limit of its reason; extensions move one deadline with an audited reason.
 * Expected instants are written as ISO literals, worked out by hand from the calendars (2026 statutory
 * holidays for cn-workdays, 09:00-18:00 every day for jd-evidence).
 */
import { describe, expect, it } from 'vitest';
import { advanceAfterSaleClock, nextWakeAt, openAfterSale } from '../../../workflows/domain/after-sale/machine';
import { allowedAfterSaleActions, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import { SUSPENDABLE } from '../../../workflows/domain/after-sale/suspension';
import type { AfterSaleActionInput, AfterSaleRequest, AfterSaleState } from '../../../workflows/domain/after-sale/types';
import { afterSaleView } from '../../../workflows/domain/after-sale/view';
import type { Actor } from '../../../workflows/domain/case';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { CN_JD_DISPUTE, CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import type { Policy } from '../../../workflows/domain/policy/types';
import { ACTORS, HOUR, MINUTE, SHORT_POLICY, STATE_NAMES, T0, act, buildRequest, reach, type StateName } from './fixtures';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const at = (s: string) => Date.parse(s);
const deadline = (s: AfterSaleState, name: string) => [...s.deadlines].reverse().find((d) => d.name === name)!;
const active = (s: AfterSaleState) => s.deadlines.filter((d) => d.state === 'active');
const suspend = (s: AfterSaleState, when: number, reason = 'negotiation', by: 'supervisor' | 'arbiter' = 'supervisor') =>
  act(s, 'suspend', by, when, { reason } as AfterSaleActionInput);
const check = (s: AfterSaleState, action: 'suspend' | 'resume' | 'extend-deadline', input: AfterSaleActionInput, actor: Actor = ACTORS.supervisor, now = T0) =>
  checkAfterSaleAction(s, { action, actor, input, fingerprint: 'f' }, now);

/** The short policy with JD's evidence deadline: 4 working hours, 09:00-18:00 every day (jd-evidence). */
const JD_EVIDENCE_POLICY: Policy = {
  ...SHORT_POLICY,
  afterSale: { ...SHORT_POLICY.afterSale, deadlines: { ...SHORT_POLICY.afterSale.deadlines, evidence: CN_JD_DISPUTE.afterSale.deadlines.evidence } },
};

/** In arbitration with the buyer asked for evidence at Mon 2 Mar 08:03 (before opening): due 13:00. */
function evidenceCase(): AfterSaleState {
  const start = at('2026-03-02T08:00:00+08:00');
  let s = openAfterSale(buildRequest({ policy: JD_EVIDENCE_POLICY, requestedAt: start }), start);
  s = act(s, 'reject', 'merchant', at('2026-03-02T08:01:00+08:00'));
  s = act(s, 'escalate', 'channel', at('2026-03-02T08:02:00+08:00'));
  s = act(s, 'request-evidence', 'arbiter', at('2026-03-02T08:03:00+08:00'), { from: 'buyer' });
  expect(iso(deadline(s, 'evidence').dueAt)).toBe(iso(at('2026-03-02T13:00:00+08:00')));
  return s;
}

const SUSPENDABLE_STATES = STATE_NAMES.filter((name) => SUSPENDABLE.includes(reach(name).state.status));

describe('suspend', () => {
  it.each(SUSPENDABLE_STATES)('%s: pauses every running deadline; only the suspension limit wakes the case', (name) => {
    const { state, at: reachedAt } = reach(name);
    const now = reachedAt + MINUTE;
    const running = active(state).map((d) => d.name);
    const s1 = suspend(state, now);
    expect(s1.status).toBe('suspended');
    expect(s1.suspendedFrom).toBe(state.status);
    expect(s1.owner).toEqual({ role: 'supervisor', tier: 'L2' });
    // Every deadline that ran stands still from now on; the suspension's own limit is the one clock running.
    expect(active(s1).filter((d) => d.pausedAt === now).map((d) => d.name)).toEqual(running);
    expect(active(s1).filter((d) => d.pausedAt === undefined).map((d) => d.name)).toEqual(['suspension']);
    const limit = deadline(s1, 'suspension');
    expect(s1.suspension).toEqual({ reason: 'negotiation', since: now, resumesAt: limit.dueAt });
    expect(limit.dueAt).toBe(now + 50 * HOUR);
    // The pre-breach warning of the limit (80 %) and then the limit: nothing else.
    expect(nextWakeAt(s1)).toBe(limit.warnAt);
    expect(limit.warnAt).toBe(now + 40 * HOUR);
    const warned = advanceAfterSaleClock(s1, limit.warnAt!);
    expect(nextWakeAt(warned)).toBe(s1.suspension!.resumesAt);
    // A minute before the limit, well past every paused due time: nothing defaulted, nothing breached.
    const before = advanceAfterSaleClock(warned, limit.dueAt - MINUTE);
    expect(before.status).toBe('suspended');
    expect(before.deadlines.filter((d) => d.name !== 'suspension')).toEqual(s1.deadlines.filter((d) => d.name !== 'suspension'));
    expect(before.timeline.slice(s1.timeline.length).map((e) => e.type)).toEqual(['deadline.warned']);
  });

  // Suspended at Mon 2 Mar 2026 11:00 (+08:00) unless said otherwise.
  it.each<[string, string, Partial<AfterSaleRequest>, string | undefined, string]>([
    ['negotiation: the policy\'s `suspension` deadline (50 h in the unit-test policy)', 'negotiation', {}, undefined, '2026-03-04T13:00:00+08:00'],
    ['negotiation: cn-marketplace\'s 30 calendar days, from the next midnight', 'negotiation', { policy: CN_MARKETPLACE }, undefined, '2026-04-02T00:00:00+08:00'],
    ['legal_proof: 7 working days on cn-workdays (Tue 3 … Wed 11 Mar), at closing', 'legal_proof', {}, undefined, '2026-03-11T18:00:00+08:00'],
    // Thu 30 Apr; 1-5 May off; Wed 6, Thu 7, Fri 8, Sat 9 (调休 make-up day), Mon 11, Tue 12 May.
    ['legal_proof across Labour Day and its make-up Saturday', 'legal_proof', { requestedAt: at('2026-04-29T10:00:00+08:00') }, '2026-04-29T11:00:00+08:00', '2026-05-12T18:00:00+08:00'],
    ['police: 183 calendar days from the next midnight', 'police', {}, undefined, '2026-09-02T00:00:00+08:00'],
  ])('limit for %s', (_name, reason, overrides, suspendedAt, resumesAt) => {
    const request = buildRequest(overrides);
    const when = suspendedAt ? at(suspendedAt) : T0 + HOUR;
    const s = suspend(openAfterSale(request, request.requestedAt), when, reason);
    expect(iso(s.suspension!.resumesAt)).toBe(iso(at(resumesAt)));
    expect(deadline(s, 'suspension')).toMatchObject({ actor: 'system', onTimeout: 'resume', state: 'active', dueAt: at(resumesAt) });
  });

  // The limits are the policy's values: a policy with its own (3 working days of proof, 90 days for the
  // police) gets them; a policy pinned before they were values (no suspensionLimits) keeps 7 working days
  // and 183 days. Suspended Mon 2 Mar 2026 11:00 (+08:00).
  const OWN_LIMITS = { legal_proof: { amount: 3, unit: 'working_days' as const, calendar: 'cn-workdays' }, police: { amount: 90, unit: 'calendar_days' as const } };
  const { suspensionLimits: _dropped, ...pinnedBefore } = SHORT_POLICY.afterSale;
  it.each<[string, string, Policy, string]>([
    ['legal_proof, own limit: Tue 3, Wed 4, Thu 5 Mar at closing', 'legal_proof', { ...SHORT_POLICY, afterSale: { ...SHORT_POLICY.afterSale, suspensionLimits: OWN_LIMITS } }, '2026-03-05T18:00:00+08:00'],
    ['police, own limit: 90 days from 3 Mar end on 31 May', 'police', { ...SHORT_POLICY, afterSale: { ...SHORT_POLICY.afterSale, suspensionLimits: OWN_LIMITS } }, '2026-06-01T00:00:00+08:00'],
    ['legal_proof, policy pinned before the setting: 7 working days', 'legal_proof', { ...SHORT_POLICY, afterSale: pinnedBefore }, '2026-03-11T18:00:00+08:00'],
    ['police, policy pinned before the setting: 183 days', 'police', { ...SHORT_POLICY, afterSale: pinnedBefore }, '2026-09-02T00:00:00+08:00'],
  ])('policy value: %s', (_name, reason, policy, resumesAt) => {
    const s = suspend(openAfterSale(buildRequest({ policy }), T0), T0 + HOUR, reason);
    expect(iso(s.suspension!.resumesAt)).toBe(iso(at(resumesAt)));
  });

  it('shows in the view: the suspension, and each paused deadline with pausedAt', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    const view = afterSaleView(s1, ACTORS.supervisor, T0 + HOUR, 'Asia/Shanghai');
    expect(view.status).toBe('suspended');
    expect(view.suspension).toEqual({ reason: 'negotiation', since: T0 + HOUR, resumesAt: T0 + 51 * HOUR });
    expect(view.deadlines.find((d) => d.name === 'merchantResponse')).toMatchObject({ state: 'active', pausedAt: T0 + HOUR });
    expect(view.deadlines.find((d) => d.name === 'suspension')).not.toHaveProperty('pausedAt');
    expect(view.allowedActions.sort()).toEqual(['extend-deadline', 'resume']);
  });

  const NOT_SUSPENDABLE: StateName[] = ['refunding', 'refunding/awaiting_approval', 'refund_failed', 'closed/refunded', 'closed/ruling_rejected', 'suspended/from_awaiting_merchant'];
  it.each(NOT_SUSPENDABLE)('is not allowed in %s (ActionNotAllowed)', (name) => {
    const { state, at: reachedAt } = reach(name);
    for (const actor of [ACTORS.supervisor, ACTORS.arbiter]) {
      const failure = check(state, 'suspend', { reason: 'negotiation' }, actor, reachedAt + MINUTE);
      expect(failure?.type).toBe(RULE_FAILURES.actionNotAllowed);
      expect(failure?.extensions).toMatchObject({ caseStatus: state.status, action: 'suspend' });
      expect(failure?.extensions?.allowedActions).not.toContain('suspend');
    }
  });

  it.each<[string, AfterSaleActionInput, string | undefined]>([
    ['a reason outside the list', { reason: 'holiday' }, 'supervisor-1'],
    ['no reason', {}, 'supervisor-1'],
    ['no actorRef', { reason: 'negotiation' }, undefined],
  ])('refuses %s (InvalidInput)', (_name, input, actorRef) => {
    const s = openAfterSale(buildRequest(), T0);
    const actor = { ...ACTORS.supervisor, actorRef };
    expect(check(s, 'suspend', input, actor)?.type).toBe(RULE_FAILURES.invalidInput);
  });

  it.each(['merchant', 'channel', 'agent', 'admin'] as const)('is not for %s (Forbidden)', (role) => {
    const s = openAfterSale(buildRequest(), T0);
    expect(check(s, 'suspend', { reason: 'negotiation' }, ACTORS[role])?.type).toBe(RULE_FAILURES.forbidden);
  });
});

describe('resume', () => {
  it.each<[string, StateName]>([
    ['awaiting the merchant', 'suspended/from_awaiting_merchant'],
    ['in arbitration', 'suspended/from_in_arbitration'],
    ['a refund ruling waiting for the merchant (legal proof)', 'suspended/legal_proof'],
  ])('by a person, suspended %s: back where it was, every paused deadline pushed out by exactly the stopped time', (_name, name) => {
    const { state: suspended, at: since } = reach(name);
    const resumedAt = since + 3 * HOUR + 17 * MINUTE;
    const stopped = resumedAt - since;
    const s = act(suspended, 'resume', 'arbiter', resumedAt);
    expect(s.status).toBe(suspended.suspendedFrom);
    expect(s.suspendedFrom).toBeUndefined();
    expect(s.suspension).toBeNull();
    for (const before of active(suspended).filter((d) => d.name !== 'suspension')) {
      const after = s.deadlines[suspended.deadlines.indexOf(before)];
      expect(after).toMatchObject({ state: 'active', dueAt: before.dueAt + stopped, stoppedMs: stopped });
      if (before.warnAt !== undefined) expect(after.warnAt).toBe(before.warnAt + stopped);
      expect(after.pausedAt).toBeUndefined();
    }
    expect(deadline(s, 'suspension')).toMatchObject({ state: 'met', endedAt: resumedAt });
    expect(s.timeline.at(-1)).toEqual({ at: resumedAt, type: 'case.resumed', actor: 'arbiter', actorRef: ACTORS.arbiter.actorRef, data: { stoppedMs: stopped } });
    // The view reports the stopped time on each deadline, and no suspension any more.
    const view = afterSaleView(s, ACTORS.supervisor, resumedAt, 'Asia/Shanghai');
    expect(view.suspension).toBeNull();
    for (const d of view.deadlines.filter((x) => x.state === 'active')) expect(d).toMatchObject({ stoppedMs: stopped });
  });

  it('by a person: the clock runs again, and silence past the new due time approves', () => {
    const s0 = openAfterSale(buildRequest(), T0);
    const due = deadline(s0, 'merchantResponse').dueAt;
    const s1 = suspend(s0, T0 + HOUR);
    expect(allowedAfterSaleActions(s1, ACTORS.arbiter, T0 + HOUR)).toEqual(expect.arrayContaining(['resume', 'extend-deadline']));
    const s2 = act(s1, 'resume', 'supervisor', T0 + 4 * HOUR);
    expect(s2.owner).toEqual({ role: 'merchant', tier: 'L1' });
    expect(nextWakeAt(s2)).toBe(deadline(s2, 'merchantResponse').warnAt);
    expect(advanceAfterSaleClock(s2, due + 3 * HOUR - 1).status).toBe('awaiting_merchant');
    expect(advanceAfterSaleClock(s2, due + 3 * HOUR).status).toBe('awaiting_buyer_return');
  });

  it('by itself at the limit: suspension breached, resumed by system, the clock runs again', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    expect(advanceAfterSaleClock(s1, T0 + 51 * HOUR - 1).status).toBe('suspended');
    const s2 = advanceAfterSaleClock(s1, T0 + 51 * HOUR);
    expect(s2.status).toBe('awaiting_merchant');
    expect(s2.owner).toEqual({ role: 'merchant', tier: 'L1' });
    expect(s2.suspension).toBeNull();
    expect(deadline(s2, 'suspension')).toMatchObject({ state: 'breached', endedAt: T0 + 51 * HOUR });
    expect(s2.timeline.slice(-3).map((e) => [e.type, e.actor])).toEqual([
      ['deadline.breached', 'system'], ['case.status_changed', 'system'], ['case.resumed', 'system'],
    ]);
    expect(s2.timeline.at(-1)).toMatchObject({ data: { stoppedMs: 50 * HOUR } });
    expect(deadline(s2, 'merchantResponse')).toMatchObject({ state: 'active', dueAt: T0 + 10 * HOUR + 50 * HOUR, stoppedMs: 50 * HOUR });
    expect(allowedAfterSaleActions(s2, ACTORS.supervisor, T0 + 51 * HOUR)).not.toContain('resume');
  });

  it('by itself, counted from the limit even when the clock advances late', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    // Woken 5 h after the limit (say the worker was down): the deadlines get the limit's 50 h, not 55 h.
    const s2 = advanceAfterSaleClock(s1, T0 + 56 * HOUR);
    expect(s2.status).toBe('awaiting_merchant');
    expect(deadline(s2, 'merchantResponse')).toMatchObject({ dueAt: T0 + 60 * HOUR, stoppedMs: 50 * HOUR });
    expect(s2.timeline.at(-1)).toMatchObject({ at: T0 + 56 * HOUR, type: 'case.resumed', data: { stoppedMs: 50 * HOUR } });
  });

  it('by itself, then the resumed deadline defaults in the same clock advance', () => {
    const s1 = suspend(openAfterSale(buildRequest({ type: 'refund_only' }), T0), T0 + HOUR);
    // Limit at T0 + 51 h; merchantResponse then due at T0 + 60 h: one late advance fires both, in order.
    const s2 = advanceAfterSaleClock(s1, T0 + 60 * HOUR);
    expect(s2.status).toBe('refunding');
    expect(s2.timeline.map((e) => e.type).filter((t) => t === 'case.resumed' || t === 'deadline.breached' || t === 'case.default_outcome')).toEqual([
      'deadline.breached', 'case.resumed', 'deadline.breached', 'case.default_outcome',
    ]);
    expect(deadline(s2, 'merchantResponse').state).toBe('breached');
  });

  it('reports the stopped time even when no deadline was running', () => {
    const { state: suspended, at: since } = reach('suspended/nothing_running');
    expect(active(suspended).map((d) => d.name)).toEqual(['suspension']);
    const s = act(suspended, 'resume', 'supervisor', since + 2 * HOUR);
    expect(s.status).toBe('in_arbitration');
    expect(s.timeline.at(-1)).toMatchObject({ type: 'case.resumed', data: { stoppedMs: 2 * HOUR } });
  });

  it('a second suspension adds to the stopped time of each deadline', () => {
    let s = openAfterSale(buildRequest(), T0);
    s = act(suspend(s, T0 + HOUR), 'resume', 'supervisor', T0 + 3 * HOUR);
    s = act(suspend(s, T0 + 4 * HOUR, 'police', 'arbiter'), 'resume', 'arbiter', T0 + 9 * HOUR);
    expect(deadline(s, 'merchantResponse')).toMatchObject({ dueAt: T0 + 10 * HOUR + 7 * HOUR, stoppedMs: 7 * HOUR });
    expect(s.timeline.filter((e) => e.type === 'case.resumed').map((e) => e.data)).toEqual([{ stoppedMs: 2 * HOUR }, { stoppedMs: 5 * HOUR }]);
    expect(s.deadlines.filter((d) => d.name === 'suspension').map((d) => d.state)).toEqual(['met', 'met']);
  });

  // JD evidence: 4 working hours inside 09:00-18:00 every day, due Mon 2 Mar 13:00. The working time left at
  // the pause is counted again from the resume, in working time: a night in between costs nothing.
  it.each([
    ['paused 10:00 (3 h left), resumed 20:00', '2026-03-02T10:00:00+08:00', '2026-03-02T20:00:00+08:00', '2026-03-03T12:00:00+08:00'],
    ['paused 11:00 (2 h left), resumed 20:00', '2026-03-02T11:00:00+08:00', '2026-03-02T20:00:00+08:00', '2026-03-03T11:00:00+08:00'],
    ['paused 11:00 (2 h left), resumed 11:30 the same day', '2026-03-02T11:00:00+08:00', '2026-03-02T11:30:00+08:00', '2026-03-02T13:30:00+08:00'],
    ['paused 12:00 (1 h left), resumed 17:30: half an hour today, half tomorrow', '2026-03-02T12:00:00+08:00', '2026-03-02T17:30:00+08:00', '2026-03-03T09:30:00+08:00'],
    ['paused 08:30 before opening (4 h left), resumed 08:45 the next morning', '2026-03-02T08:30:00+08:00', '2026-03-03T08:45:00+08:00', '2026-03-03T13:00:00+08:00'],
  ])('re-counts working time: %s', (_name, pausedAt, resumedAt, dueAt) => {
    let s = suspend(evidenceCase(), at(pausedAt));
    s = act(s, 'resume', 'supervisor', at(resumedAt));
    expect(iso(deadline(s, 'evidence').dueAt)).toBe(iso(at(dueAt)));
    expect(deadline(s, 'evidence').stoppedMs).toBe(at(resumedAt) - at(pausedAt));
    // An elapsed-time deadline of the same case gets back the plain stopped time.
    expect(deadline(s, 'disputeAnswer').dueAt).toBe(at('2026-03-02T08:02:00+08:00') + 2 * HOUR + (at(resumedAt) - at(pausedAt)));
  });

  it.each<[string, StateName]>([
    ['not suspended', 'awaiting_merchant/return_and_refund'],
    ['closed', 'closed/refunded'],
  ])('is not allowed when %s', (_name, name) => {
    const { state, at: reachedAt } = reach(name);
    expect(check(state, 'resume', {}, ACTORS.supervisor, reachedAt)?.type).toBe(RULE_FAILURES.actionNotAllowed);
  });
});

describe('extend-deadline', () => {
  const extend = (s: AfterSaleState, when: number, input: AfterSaleActionInput, by: 'supervisor' | 'arbiter' = 'supervisor') => act(s, 'extend-deadline', by, when, input);

  it('moves only the named active deadline, with an audited reason, and recomputes an unfired warning', () => {
    const s0 = act(openAfterSale(buildRequest(), T0), 'reject', 'merchant', T0 + MINUTE);
    const s1 = act(s0, 'escalate', 'channel', T0 + 2 * MINUTE);
    const s2 = act(s1, 'request-evidence', 'arbiter', T0 + 3 * MINUTE, { from: 'merchant' });
    const before = deadline(s2, 'evidence');
    const s3 = extend(s2, T0 + 4 * MINUTE, { deadline: 'evidence', by: { amount: 5, unit: 'hours' }, reason: 'merchant warehouse closed' });
    const after = deadline(s3, 'evidence');
    expect(after.dueAt).toBe(before.dueAt + 5 * HOUR);
    // 80 % of the new budget (9 h from T0 + 3 min).
    expect(after.warnAt).toBe(T0 + 3 * MINUTE + Math.ceil(0.8 * 9 * HOUR));
    expect(s3.deadlines.filter((d) => d !== s3.deadlines[s2.deadlines.indexOf(before)])).toEqual(s2.deadlines.filter((d) => d !== before));
    expect(s3.timeline.at(-1)).toEqual({
      at: T0 + 4 * MINUTE, type: 'deadline.extended', actor: 'supervisor', actorRef: ACTORS.supervisor.actorRef,
      data: { name: 'evidence', from: before.dueAt, to: before.dueAt + 5 * HOUR, by: { amount: 5, unit: 'hours' }, reason: 'merchant warehouse closed' },
    });
    expect(s3.status).toBe(s2.status);
  });

  it('leaves a warning that already fired as it was', () => {
    const s0 = advanceAfterSaleClock(openAfterSale(buildRequest(), T0), T0 + 8 * HOUR);
    expect(deadline(s0, 'merchantResponse').warnedAt).toBe(T0 + 8 * HOUR);
    const s1 = extend(s0, T0 + 9 * HOUR, { deadline: 'merchantResponse', by: { amount: 1, unit: 'calendar_days' }, reason: 'buyer unreachable' });
    // 10:00 Mon + 10 h = 20:00 Mon; one calendar day more ends at the following midnight (Wed 00:00).
    expect(iso(deadline(s1, 'merchantResponse').dueAt)).toBe(iso(at('2026-03-04T00:00:00+08:00')));
    expect(deadline(s1, 'merchantResponse')).toMatchObject({ warnedAt: T0 + 8 * HOUR, warnAt: T0 + 8 * HOUR });
  });

  it('counts on the deadline\'s own calendar: working hours of jd-evidence, warning in working time', () => {
    const s0 = evidenceCase();
    const s1 = extend(s0, at('2026-03-02T08:05:00+08:00'), { deadline: 'evidence', by: { amount: 6, unit: 'working_hours' }, reason: 'translation of the invoice' });
    // 13:00 + 5 h → 18:00 closing; the sixth hour on Tue 09:00-10:00.
    expect(iso(deadline(s1, 'evidence').dueAt)).toBe(iso(at('2026-03-03T10:00:00+08:00')));
    // 10 working hours from the request (09:00 Mon … 10:00 Tue): the warning after 8 of them, not at night.
    expect(iso(deadline(s1, 'evidence').warnAt)).toBe(iso(at('2026-03-02T17:00:00+08:00')));
    // A calendar named in the body wins: 6 h round the clock.
    const s2 = extend(s0, at('2026-03-02T08:05:00+08:00'), { deadline: 'evidence', by: { amount: 6, unit: 'working_hours', calendar: '24x7' }, reason: 'x' });
    expect(iso(deadline(s2, 'evidence').dueAt)).toBe(iso(at('2026-03-02T19:00:00+08:00')));
  });

  it('an extension made while suspended is kept when the clock runs again', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    const s2 = extend(s1, T0 + 2 * HOUR, { deadline: 'merchantResponse', by: { amount: 2, unit: 'hours' }, reason: 'merchant asked for time' });
    expect(deadline(s2, 'merchantResponse').pausedAt).toBe(T0 + HOUR);
    const s3 = act(s2, 'resume', 'supervisor', T0 + 4 * HOUR);
    expect(deadline(s3, 'merchantResponse').dueAt).toBe(T0 + 10 * HOUR + 2 * HOUR + 3 * HOUR);
  });

  it('extending the suspension limit moves resumesAt, and the case resumes by itself then, not before', () => {
    const s1 = suspend(openAfterSale(buildRequest(), T0), T0 + HOUR);
    const s2 = extend(s1, T0 + 2 * HOUR, { deadline: 'suspension', by: { amount: 2, unit: 'hours' }, reason: 'court date moved' }, 'arbiter');
    expect(s2.suspension!.resumesAt).toBe(T0 + 53 * HOUR);
    expect(nextWakeAt(advanceAfterSaleClock(s2, T0 + 50 * HOUR))).toBe(T0 + 53 * HOUR);
    expect(advanceAfterSaleClock(s2, T0 + 53 * HOUR - 1).status).toBe('suspended');
    expect(advanceAfterSaleClock(s2, T0 + 53 * HOUR).status).toBe('awaiting_merchant');
  });

  it('refuses a deadline that is not active, naming the active ones', () => {
    const s = act(openAfterSale(buildRequest(), T0), 'approve', 'merchant', T0 + MINUTE);
    for (const name of ['merchantResponse', 'repair', 'noSuchDeadline']) {
      const failure = check(s, 'extend-deadline', { deadline: name, by: { amount: 1, unit: 'hours' }, reason: 'x' }, ACTORS.supervisor, T0 + 2 * MINUTE);
      expect(failure?.type).toBe(RULE_FAILURES.invalidInput);
      expect(failure?.extensions).toEqual({ activeDeadlines: ['buyerReturnShipment'] });
    }
  });

  it.each<[string, AfterSaleActionInput, string | undefined]>([
    ['no reason', { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' } }, 'supervisor-1'],
    ['no duration', { deadline: 'merchantResponse', reason: 'x' }, 'supervisor-1'],
    ['no deadline name', { by: { amount: 1, unit: 'hours' }, reason: 'x' }, 'supervisor-1'],
    ['no actorRef', { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' }, reason: 'x' }, undefined],
    ['a zero duration', { deadline: 'merchantResponse', by: { amount: 0, unit: 'hours' }, reason: 'x' }, 'supervisor-1'],
    ['a fractional number of days', { deadline: 'merchantResponse', by: { amount: 1.5, unit: 'working_days' }, reason: 'x' }, 'supervisor-1'],
    ['a calendar the policy does not know', { deadline: 'merchantResponse', by: { amount: 1, unit: 'working_days', calendar: 'no-such-calendar' }, reason: 'x' }, 'supervisor-1'],
  ])('refuses %s (InvalidInput)', (_name, input, actorRef) => {
    const s = openAfterSale(buildRequest(), T0);
    expect(check(s, 'extend-deadline', input, { ...ACTORS.supervisor, actorRef })?.type).toBe(RULE_FAILURES.invalidInput);
  });

  it.each(['merchant', 'channel', 'agent', 'admin'] as const)('is not for %s (Forbidden)', (role) => {
    const s = openAfterSale(buildRequest(), T0);
    const input = { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' as const }, reason: 'x' };
    expect(check(s, 'extend-deadline', input, ACTORS[role])?.type).toBe(RULE_FAILURES.forbidden);
  });

  it('is not allowed once the case is closed, even with an appeal window running', () => {
    const { state, at: reachedAt } = reach('closed/ruling_rejected');
    const input = { deadline: 'appealWindow', by: { amount: 1, unit: 'hours' as const }, reason: 'x' };
    expect(check(state, 'extend-deadline', input, ACTORS.arbiter, reachedAt)?.type).toBe(RULE_FAILURES.actionNotAllowed);
  });
});
