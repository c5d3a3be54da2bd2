// Refunds through the case: the authority limit and the four-eyes second approver, gateway answers, retries
// with fresh idempotency keys, and platform arbitration (ruling, execution, appeal once, withdrawal).
import { describe, expect, it } from 'vitest';
import { applyRefundResult, isAfterSaleFinished } from '../../../workflows/domain/after-sale/machine';
import { applyAfterSaleAction, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleAction, AfterSaleActionInput, AfterSaleState } from '../../../workflows/domain/after-sale/types';
import type { Actor } from '../../../workflows/domain/case';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import {
  ACTORS, CASE_ID, HOUR, MINUTE, T0, act, activeDeadlineSpecs, buildLargeRequest, buildRequest, cny, drive, reach, refundRefused,
  refundSucceeds, timelineTypes, type StateName, type Step,
} from './fixtures';

const check = (s: AfterSaleState, action: AfterSaleAction, actor: Actor, input: AfterSaleActionInput = {}) =>
  checkAfterSaleAction(s, { action, actor, input, fingerprint: 'fp' }, s.updatedAt + MINUTE);
const supervisor = (actorRef?: string): Actor => ({ ...ACTORS.supervisor, ...(actorRef === undefined ? { actorRef: undefined } : { actorRef }) });

describe('authority limit (500.00 in the short policy): a person above it needs a second approver', () => {
  it.each([
    [49_999, 'pending'],
    [50_000, 'pending'],
    [50_001, 'awaiting_approval'],
    [81_000, 'awaiting_approval'],
  ] as const)('merchant approves a refund only of %i → %s', (amount, status) => {
    const { state, at } = drive(buildLargeRequest({ type: 'refund_only', requestedRefund: cny(amount) }), [['approve', 'merchant']]);
    expect(state.status).toBe('refunding');
    expect(state.refunds).toEqual([expect.objectContaining({ amount: cny(amount), status, decidedBy: { role: 'merchant', actorRef: 'merchant-staff-1' } })]);
    if (status === 'awaiting_approval') {
      expect(state.owner).toEqual({ role: 'supervisor', tier: 'L2' });
      expect(state.escalationLevel).toBe(2);
      expect(activeDeadlineSpecs(state)).toEqual([
        { name: 'refundPayment', actor: 'system', onTimeout: 'escalate' },
        { name: 'refundApproval', actor: 'supervisor', onTimeout: 'escalate' },
      ]);
      expect(state.deadlines.find((d) => d.name === 'refundApproval')).toMatchObject({ startedAt: at, dueAt: at + 5 * HOUR });
      expect(timelineTypes(state).at(-1)).toBe('refund.awaiting_approval');
    } else {
      expect(state.owner).toEqual({ role: 'system', tier: 'L1' });
      expect(state.deadlines.some((d) => d.name === 'refundApproval')).toBe(false);
      expect(timelineTypes(state).at(-1)).toBe('refund.requested');
    }
  });

  it('a merchant confirming receipt above the limit also waits for approval', () => {
    const { state } = drive(buildLargeRequest(), [['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant', { inspection: 'ok' }]]);
    expect(state.refunds[0]).toMatchObject({ status: 'awaiting_approval', amount: cny(81_000) });
    expect(state.owner).toEqual({ role: 'supervisor', tier: 'L2' });
  });

  it('a refund awaiting approval is never sent to the gateway: a result for it changes nothing', () => {
    const { state } = reach('refunding/awaiting_approval');
    expect(applyRefundResult(state, state.refunds[0].id, { ok: true, gatewayRef: 'gw', executedAt: T0 }, T0 + HOUR)).toBe(state);
  });
});

describe('approve-refund: the second approver (四眼原则)', () => {
  it('the person who decided the refund may not approve it → Forbidden, rule four-eyes', () => {
    const { state } = reach('refunding/awaiting_approval');
    const failure = check(state, 'approve-refund', supervisor('merchant-staff-1'));
    expect(failure).toMatchObject({ type: RULE_FAILURES.forbidden, extensions: { rule: 'four-eyes' } });
  });

  it('an approval without actorRef cannot be checked → InvalidInput', () => {
    const { state } = reach('refunding/awaiting_approval');
    expect(check(state, 'approve-refund', supervisor(undefined))?.type).toBe(RULE_FAILURES.invalidInput);
  });

  it('another person approves → pending, approvedBy recorded, refundApproval met, owner back to system', () => {
    const { state, at } = reach('refunding/awaiting_approval');
    expect(check(state, 'approve-refund', supervisor('supervisor-2'))).toBeNull();
    const after = act(state, 'approve-refund', supervisor('supervisor-2'), at + MINUTE);
    expect(after.refunds[0]).toMatchObject({ status: 'pending', approvedBy: { actorRef: 'supervisor-2' }, decidedBy: { actorRef: 'merchant-staff-1' } });
    expect(after.deadlines.find((d) => d.name === 'refundApproval')?.state).toBe('met');
    expect(after.owner).toEqual({ role: 'system', tier: 'L1' });
    expect(after.timeline.at(-1)).toMatchObject({ type: 'action.approve-refund', actor: 'supervisor', actorRef: 'supervisor-2' });
    // Approved once: a second approval is not allowed.
    expect(check(after, 'approve-refund', supervisor('supervisor-3'))?.type).toBe(RULE_FAILURES.actionNotAllowed);
    const closed = refundSucceeds(after, at + 2 * MINUTE);
    expect(closed.status).toBe('closed');
    expect(closed.outcome).toBe('refunded');
  });
});

describe('gateway answers', () => {
  it('success → closed refunded, executed once', () => {
    const { state, at } = reach('refunding');
    const done = refundSucceeds(state, at + MINUTE);
    expect(done.status).toBe('closed');
    expect(done.outcome).toBe('refunded');
    expect(done.owner).toBeNull();
    expect(done.refunds).toEqual([expect.objectContaining({ status: 'succeeded', executedAt: at + MINUTE, gatewayRef: `gw-${at + MINUTE}` })]);
    expect(done.deadlines.find((d) => d.name === 'refundPayment')?.state).toBe('met');
    expect(timelineTypes(done, state.timeline.length)).toEqual(['refund.succeeded', 'case.status_changed', 'case.closed', 'case.archived']);
    expect(isAfterSaleFinished(done)).toBe(true);
    // A duplicate answer (retried activity, replay) has no effect.
    expect(refundSucceeds(done, at + 2 * MINUTE)).toBe(done);
    expect(applyRefundResult(done, 'refund-99', { ok: true, gatewayRef: 'x', executedAt: at }, at + 3 * MINUTE)).toBe(done);
  });

  it('refusal → refund_failed, owned by a supervisor; retry-refund → a new refund with a new key, the first stays failed', () => {
    const { state, at } = reach('refunding');
    const failed = refundRefused(state, at + MINUTE);
    expect(failed.status).toBe('refund_failed');
    expect(failed.owner).toEqual({ role: 'supervisor', tier: 'L2' });
    expect(failed.refunds[0]).toMatchObject({ status: 'failed', failure: 'card account closed', idempotencyKey: `${CASE_ID}:refund:1` });
    expect(timelineTypes(failed, state.timeline.length)).toEqual(['refund.failed', 'case.status_changed']);

    const retried = act(failed, 'retry-refund', 'supervisor', at + 2 * MINUTE);
    expect(retried.status).toBe('refunding');
    expect(retried.refunds.map((r) => [r.id, r.status, r.idempotencyKey, r.amount.amount])).toEqual([
      ['refund-1', 'failed', `${CASE_ID}:refund:1`, 21_000],
      ['refund-2', 'pending', `${CASE_ID}:refund:2`, 21_000],
    ]);
    // The retry carries the supervisor's authority: no second approval for an amount already decided.
    expect(retried.refunds[1].decidedBy).toEqual({ role: 'supervisor', actorRef: 'supervisor-1' });

    const refusedAgain = refundRefused(retried, at + 3 * MINUTE);
    const third = act(refusedAgain, 'retry-refund', 'supervisor', at + 4 * MINUTE);
    expect(third.refunds.map((r) => r.idempotencyKey)).toEqual([1, 2, 3].map((n) => `${CASE_ID}:refund:${n}`));
    const done = refundSucceeds(third, at + 5 * MINUTE);
    expect(done.refunds.map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(done.outcome).toBe('refunded');
  });

  it('a retry above the authority limit does not wait for approval again', () => {
    const { state, at } = drive(buildLargeRequest({ type: 'refund_only' }), [['approve', 'merchant'], ['approve-refund', 'supervisor'], ['refund-refused']]);
    const retried = act(state, 'retry-refund', supervisor('supervisor-2'), at + MINUTE);
    expect(retried.refunds[1]).toMatchObject({ status: 'pending', amount: cny(81_000) });
  });
});

describe('idempotency keys derive from the case id and the refund sequence only', () => {
  const script: Step[] = [['approve', 'merchant'], ['refund-refused'], ['retry-refund', 'supervisor']];

  it.each([
    'as_0123456789abcdef0123456789abcdef',
    'as_ffffffffffffffffffffffffffffffff',
  ])('case %s', (caseId) => {
    const a = drive(buildRequest({ caseId, type: 'refund_only' }), script).state;
    // Another run of the same case: other times, other people, same keys.
    const b = drive(buildRequest({ caseId, type: 'refund_only', requestedAt: T0 - HOUR }), [
      ['approve', { ...ACTORS.merchant, actorRef: 'merchant-staff-9', keyId: 'k-other' }], ['refund-refused'], ['retry-refund', supervisor('supervisor-9')],
    ]).state;
    expect(a.refunds.map((r) => r.idempotencyKey)).toEqual([`${caseId}:refund:1`, `${caseId}:refund:2`]);
    expect(b.refunds.map((r) => r.idempotencyKey)).toEqual(a.refunds.map((r) => r.idempotencyKey));
  });
});

describe('platform arbitration (平台介入)', () => {
  it('escalate → in_arbitration at L4 with the dispute answer due; evidence requested and submitted', () => {
    let { state, at } = drive(buildRequest(), [['reject', 'merchant'], ['escalate', 'channel']]);
    expect(state.status).toBe('in_arbitration');
    expect(state.owner).toEqual({ role: 'arbiter', tier: 'L4' });
    expect(state.escalationLevel).toBe(4);
    expect(activeDeadlineSpecs(state)).toEqual([{ name: 'disputeAnswer', actor: 'merchant', onTimeout: 'warn' }]);

    state = act(state, 'request-evidence', 'arbiter', (at += MINUTE), { from: 'buyer' });
    state = act(state, 'request-evidence', 'arbiter', (at += MINUTE), { from: 'merchant' });
    expect(activeDeadlineSpecs(state).map((d) => `${d.name}/${d.actor}`)).toEqual(['disputeAnswer/merchant', 'evidence/channel', 'evidence/merchant']);
    state = act(state, 'submit-evidence', 'channel', (at += MINUTE));
    expect(activeDeadlineSpecs(state).map((d) => `${d.name}/${d.actor}`)).toEqual(['disputeAnswer/merchant', 'evidence/merchant']);
    state = act(state, 'submit-evidence', 'merchant', at + MINUTE);
    expect(activeDeadlineSpecs(state)).toEqual([]);
    expect(state.deadlines.map((d) => `${d.name}/${d.actor}:${d.state}`).slice(-3)).toEqual(['disputeAnswer/merchant:met', 'evidence/channel:met', 'evidence/merchant:met']);
  });

  it.each([
    ['in_arbitration', 21_001, 21_000],
    ['in_arbitration/evidence_from_buyer', 99_999, 21_000],
  ] as [StateName, number, number][])('%s: a partial ruling of %i above the cap %i → NotEligible refund-above-cap', (name, amount, cap) => {
    const { state } = reach(name);
    expect(check(state, 'rule', ACTORS.arbiter, { decision: 'refund_partial', amount: cny(amount) })).toMatchObject({
      type: RULE_FAILURES.notEligible, extensions: { rule: 'refund-above-cap', cap: cny(cap) },
    });
    expect(check(state, 'rule', ACTORS.arbiter, { decision: 'refund_partial', amount: cny(cap) })).toBeNull();
  });

  it('rule refund → the merchant executes → refund (no second approver) → closed, appeal window → appeal → second round → no second appeal', () => {
    let { state, at } = drive(buildLargeRequest(), [['reject', 'merchant'], ['escalate', 'channel']]);
    expect(state.refundCap).toEqual(cny(81_000));

    state = act(state, 'rule', 'arbiter', (at += MINUTE), { decision: 'refund_partial', amount: cny(60_000) });
    expect(state.ruling).toMatchObject({ decision: 'refund_partial', amount: cny(60_000), executed: false, actorRef: 'arbiter-1' });
    expect(state.owner).toEqual({ role: 'merchant', tier: 'L4' });
    expect(activeDeadlineSpecs(state)).toEqual([{ name: 'rulingExecution', actor: 'merchant', onTimeout: 'platform_execute' }]);

    state = act(state, 'execute-ruling', 'merchant', (at += MINUTE));
    expect(state.status).toBe('refunding');
    expect(state.ruling?.executed).toBe(true);
    // Above the 500.00 limit, yet a platform ruling is its own authority.
    expect(state.refunds).toEqual([expect.objectContaining({ amount: cny(60_000), status: 'pending', closesAs: 'partially_refunded' })]);

    state = refundSucceeds(state, (at += MINUTE));
    expect(state.status).toBe('closed');
    expect(state.outcome).toBe('partially_refunded');
    expect(state.owner).toBeNull();
    expect(activeDeadlineSpecs(state)).toEqual([{ name: 'appealWindow', actor: 'channel', onTimeout: 'close' }]);
    expect(state.deadlines.at(-1)).toMatchObject({ startedAt: at, dueAt: at + 25 * HOUR });
    expect(isAfterSaleFinished(state)).toBe(false);

    state = act(state, 'appeal', 'channel', (at += MINUTE));
    expect(state.status).toBe('in_arbitration');
    expect(state.outcome).toBeNull();
    expect(state.ruling).toBeNull();
    expect(state.appealed).toBe(true);
    expect(state.owner).toEqual({ role: 'arbiter', tier: 'L4' });
    expect(state.deadlines.find((d) => d.name === 'appealWindow')?.state).toBe('met');

    // What is left to refund is the cap less what was paid.
    expect(check(state, 'rule', ACTORS.arbiter, { decision: 'refund_partial', amount: cny(21_001) })).toMatchObject({
      type: RULE_FAILURES.notEligible, extensions: { rule: 'refund-above-cap', cap: cny(21_000) },
    });
    state = act(state, 'rule', 'arbiter', (at += MINUTE), { decision: 'refund_full' });
    expect(state.ruling).toMatchObject({ decision: 'refund_full', amount: cny(21_000) });
    state = act(state, 'execute-ruling', 'merchant', (at += MINUTE));
    expect(state.refunds.map((r) => [r.idempotencyKey, r.amount.amount, r.closesAs])).toEqual([
      [`${CASE_ID}:refund:1`, 60_000, 'partially_refunded'],
      [`${CASE_ID}:refund:2`, 21_000, 'refunded'],
    ]);
    state = refundSucceeds(state, at + MINUTE);
    expect(state.status).toBe('closed');
    expect(state.outcome).toBe('refunded');
    expect(activeDeadlineSpecs(state)).toEqual([]);
    expect(isAfterSaleFinished(state)).toBe(true);
    for (const role of ['channel', 'merchant'] as const) {
      expect(check(state, 'appeal', ACTORS[role])).toMatchObject({ type: RULE_FAILURES.actionNotAllowed, extensions: { caseStatus: 'closed', allowedActions: [] } });
    }
  });

  it('rule reject → closed rejected with an appeal window; an appeal and a second rejection close it for good', () => {
    let { state, at } = reach('in_arbitration');
    state = act(state, 'rule', 'arbiter', (at += MINUTE), { decision: 'reject' });
    expect(state.status).toBe('closed');
    expect(state.outcome).toBe('rejected');
    expect(state.ruling).toMatchObject({ decision: 'reject', executed: true });
    expect(state.refunds).toEqual([]);
    expect(activeDeadlineSpecs(state)).toEqual([{ name: 'appealWindow', actor: 'channel', onTimeout: 'close' }]);

    state = act(state, 'appeal', 'merchant', (at += MINUTE));
    expect(state.status).toBe('in_arbitration');
    state = act(state, 'rule', 'arbiter', at + MINUTE, { decision: 'reject' });
    expect(state.outcome).toBe('rejected');
    expect(activeDeadlineSpecs(state)).toEqual([]);
    expect(check(state, 'appeal', ACTORS.channel)?.type).toBe(RULE_FAILURES.actionNotAllowed);
  });

  it('appeal after a full refund: nothing is left to order; a rejection keeps the outcome refunded', () => {
    const { state, at } = reach('in_arbitration/appealed_refund');
    expect(state.refunds.map((r) => r.status)).toEqual(['succeeded']);
    for (const input of [{ decision: 'refund_full' }, { decision: 'refund_partial', amount: cny(1) }] as AfterSaleActionInput[]) {
      expect(check(state, 'rule', ACTORS.arbiter, input)).toMatchObject({ type: RULE_FAILURES.notEligible, extensions: { rule: 'refund-above-cap', cap: cny(0) } });
    }
    const closed = act(state, 'rule', 'arbiter', at + MINUTE, { decision: 'reject' });
    expect(closed.outcome).toBe('refunded');
  });

  it('the appeal window is the only post-close window and finishes the case when it passes', () => {
    const { state } = reach('closed/ruling_refunded');
    expect(state.outcome).toBe('refunded');
    expect(activeDeadlineSpecs(state)).toEqual([{ name: 'appealWindow', actor: 'channel', onTimeout: 'close' }]);
  });
});

describe('withdraw (channel): before money moves or goods are judged', () => {
  it.each([
    ['awaiting_merchant/refund_only', true],
    ['awaiting_buyer_return/exchange', true],
    ['awaiting_merchant_receipt/return_and_refund', false],
    ['refunding', false],
    ['refund_failed', false],
    ['awaiting_replacement', false],
    ['in_repair', false],
    ['rejected', true],
    ['in_arbitration', true],
    ['in_arbitration/ruled_refund', false],
    ['in_arbitration/appealed_reject', true],
    ['in_arbitration/appealed_refund', false],
    ['closed/ruling_rejected', false],
  ] as [StateName, boolean][])('%s → withdraw allowed: %s', (name, allowed) => {
    const { state, at } = reach(name);
    const failure = check(state, 'withdraw', ACTORS.channel);
    if (!allowed) {
      expect(failure?.type).toBe(RULE_FAILURES.actionNotAllowed);
      return;
    }
    expect(failure).toBeNull();
    const after = applyAfterSaleAction(state, { action: 'withdraw', actor: ACTORS.channel, input: {}, fingerprint: 'fp' }, at + MINUTE);
    expect(after.status).toBe('closed');
    expect(after.outcome).toBe('withdrawn');
    expect(after.owner).toBeNull();
    // A withdrawn case opens no appeal window and has nothing left to run.
    expect(activeDeadlineSpecs(after)).toEqual([]);
    expect(isAfterSaleFinished(after)).toBe(true);
  });

  it('a merchant may not withdraw the buyer\'s request', () => {
    const { state } = reach('awaiting_merchant/return_and_refund');
    expect(check(state, 'withdraw', ACTORS.merchant)?.type).toBe(RULE_FAILURES.forbidden);
  });
});
