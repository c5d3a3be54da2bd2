/**
 * The inquiry machine as tables: role × action and state × role, the response target's escalation ladder,
 * follow-ups counted to the automatic close, and input rules. Time is driven with advanceInquiryClock.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Actor, type Role } from '../../../workflows/domain/case';
import {
  advanceInquiryClock, allowedInquiryActions, applyInquiryAction, checkInquiryAction, isInquiryFinished, openInquiry,
} from '../../../workflows/domain/inquiry/machine';
import { INQUIRY_ACTION_ROLES } from '../../../workflows/domain/inquiry/roles';
import { INQUIRY_ACTIONS, type InquiryAction, type InquiryActionInput, type InquiryState } from '../../../workflows/domain/inquiry/types';
import { nextWakeAt } from '../../../workflows/domain/service-case/core';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { describeActionTables } from '../support/action-tables';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const S = 1_000;
const policy = {
  ...CN_MARKETPLACE,
  inquiry: { deadlines: { firstResponse: { amount: 60, unit: 'seconds' as const }, followUp: { amount: 100, unit: 'seconds' as const } }, followUps: 2 },
};
const actor = (role: Role, merchants: string[] | '*' = '*'): Actor => ({ keyId: `dev-${role}`, role, merchants });

const open = () => openInquiry({
  caseId: `iq_${'a'.repeat(32)}`, merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', topic: 'sizing', receivedAt: T0,
  policy, createdBy: actor('channel'), requestFingerprint: 'f',
}, T0);

function act(s: InquiryState, action: InquiryAction, role: Role, input: InquiryActionInput = {}, at = T0 + S): InquiryState {
  const req = { action, actor: actor(role), input, fingerprint: action };
  const failure = checkInquiryAction(s, req);
  if (failure) throw new Error(`${action}: ${failure.detail}`);
  return applyInquiryAction(s, req, at);
}

const INPUT: Record<InquiryAction, InquiryActionInput> = {
  reply: {}, 'customer-message': {}, convert: { orderId: 'o-1' }, close: {}, 'add-note': { note: 'n' }, assign: { assignee: 'a-1' }, escalate: {},
};

const STATES: Record<string, () => InquiryState> = {
  awaiting_reply: open,
  awaiting_customer: () => act(open(), 'reply', 'agent'),
  closed: () => act(open(), 'close', 'agent'),
};

/** The statuses in which each action is allowed (for a role the table permits). */
const ALLOWED_IN: Record<InquiryAction, string[]> = {
  reply: ['awaiting_reply', 'awaiting_customer'], 'customer-message': ['awaiting_reply', 'awaiting_customer'], convert: ['awaiting_reply', 'awaiting_customer'],
  close: ['awaiting_reply', 'awaiting_customer'], 'add-note': ['awaiting_reply', 'awaiting_customer'], assign: ['awaiting_reply', 'awaiting_customer'],
  escalate: ['awaiting_reply', 'awaiting_customer'],
};

// 403 once per role × action, 409 and allowedActions once per state × role (test/unit/support/action-tables.ts).
describeActionTables('inquiry', {
  actions: INQUIRY_ACTIONS,
  roles: INQUIRY_ACTION_ROLES,
  states: Object.fromEntries(Object.entries(STATES).map(([status, reach]) => [status, {
    state: reach(), status,
    allowed: Object.fromEntries(ROLES.map((role) => [role, INQUIRY_ACTIONS.filter((a) => ALLOWED_IN[a].includes(status) && (INQUIRY_ACTION_ROLES[a] as readonly string[]).includes(role))])),
  }])),
  statusOf: (s) => s.status,
  nothingOpen: 'closed',
  opening: 'awaiting_reply',
  actor: (role) => actor(role),
  check: (s, action, by) => checkInquiryAction(s, { action, actor: by, input: INPUT[action], fingerprint: 'x' }),
  allowed: (s, by) => allowedInquiryActions(s, by),
  validInputs: true,
});

describe('input rules', () => {
  it.each([
    ['convert', {}, RULE_FAILURES.invalidInput],
    ['assign', {}, RULE_FAILURES.invalidInput],
    ['add-note', {}, RULE_FAILURES.invalidInput],
    ['convert', { orderId: 'o-9' }, null],
  ] as const)('%s with %j → %s', (action, input, type) => {
    const failure = checkInquiryAction(open(), { action, actor: actor('agent'), input, fingerprint: 'x' });
    expect(failure?.type ?? null).toBe(type);
  });
});

describe('the response target', () => {
  it('opens at receivedAt for the L1 agent with a warning before breach', () => {
    const [d] = open().deadlines;
    expect(d).toMatchObject({ name: 'firstResponse', startedAt: T0, dueAt: T0 + 60 * S, warnAt: T0 + 48 * S, actor: 'agent', onTimeout: 'escalate' });
  });

  it.each([
    [1, 2, 'supervisor', 'L2'],
    [2, 3, 'supervisor', 'L3'],
    [3, 4, 'arbiter', 'L4'],
    [4, 4, 'arbiter', 'L4'],
  ])('breached %i times → level %i, owner %s %s', (breaches, level, role, tier) => {
    let s = open();
    for (let i = 0; i < breaches; i += 1) s = advanceInquiryClock(s, nextWakeAt(s)! + (s.deadlines.at(-1)!.warnedAt ? 0 : 60 * S));
    expect(s.escalationLevel).toBe(level);
    expect(s.owner).toEqual({ role, tier });
    expect(s.deadlines.filter((d) => d.state === 'breached')).toHaveLength(breaches);
    // A new target runs for the new owner, except past the top where the owner is told instead.
    expect(s.deadlines.filter((d) => d.state === 'active')).toHaveLength(breaches < 4 ? 1 : 0);
    if (breaches === 4) expect(s.notices.at(-1)).toMatchObject({ type: 'sla.breached', to: { role: 'arbiter', tier: 'L4' } });
  });

  it('a warning reaches the owner once; answering in time meets the target', () => {
    const warned = advanceInquiryClock(open(), T0 + 50 * S);
    expect(warned.notices.map((n) => n.type)).toEqual(['sla.warning']);
    expect(advanceInquiryClock(warned, T0 + 55 * S)).toBe(warned);
    const answered = act(warned, 'reply', 'agent', {}, T0 + 55 * S);
    expect(answered.deadlines[0].state).toBe('met');
    expect(answered.firstRespondedAt).toBe(T0 + 55 * S);
  });
});

describe('follow-ups', () => {
  it.each([0, 1, 2, 3])('with %i follow-ups the inquiry closes no_response one followUp after the last', (followUps) => {
    let s = act(openInquiry({ ...open().request, policy: { ...policy, inquiry: { ...policy.inquiry, followUps } } }, T0), 'reply', 'agent', {}, T0);
    for (let i = 0; i <= followUps; i += 1) s = advanceInquiryClock(s, T0 + (i + 1) * 100 * S);
    expect(s).toMatchObject({ status: 'closed', outcome: 'no_response', followUpsSent: followUps, owner: null });
    expect(s.notices.filter((n) => n.type === 'inquiry.follow_up').map((n) => n.to)).toEqual(Array.from({ length: followUps }, () => ({ customerRef: 'cust-1' })));
    expect(s.timeline.filter((e) => e.type === 'case.default_outcome')).toHaveLength(1);
    // Follow-up messages still to send keep the workflow open.
    expect(isInquiryFinished(s)).toBe(followUps === 0);
  });

  it('a customer message stops the follow-ups; a reply starts the count again', () => {
    let s = act(open(), 'reply', 'agent', {}, T0);
    s = advanceInquiryClock(s, T0 + 100 * S);
    expect(s.followUpsSent).toBe(1);
    s = act(s, 'customer-message', 'channel', {}, T0 + 150 * S);
    expect(s.status).toBe('awaiting_reply');
    expect(s.deadlines.filter((d) => d.state === 'active').map((d) => [d.name, d.startedAt])).toEqual([['firstResponse', T0 + 150 * S]]);
    s = act(s, 'reply', 'agent', {}, T0 + 160 * S);
    expect(s.followUpsSent).toBe(0);
    expect(s.deadlines.at(-1)).toMatchObject({ name: 'followUp', onTimeout: 'warn', startedAt: T0 + 160 * S });
  });

  it('a further reply while the customer is quiet starts the follow-ups again from it', () => {
    let s = act(open(), 'reply', 'agent', {}, T0);
    s = advanceInquiryClock(s, T0 + 100 * S);
    expect(s.followUpsSent).toBe(1);
    s = act(s, 'reply', 'agent', { message: 'a recommendation' }, T0 + 120 * S);
    expect(s).toMatchObject({ status: 'awaiting_customer', followUpsSent: 0, replies: 2, firstRespondedAt: T0 });
    expect(s.deadlines.map((d) => [d.name, d.state])).toEqual([
      ['firstResponse', 'met'], ['followUp', 'breached'], ['followUp', 'cancelled'], ['followUp', 'active'],
    ]);
    expect(s.deadlines.at(-1)).toMatchObject({ startedAt: T0 + 120 * S, onTimeout: 'warn' });
  });

  it('a second message while we owe an answer keeps the running target', () => {
    const s = act(open(), 'customer-message', 'channel', {}, T0 + 30 * S);
    expect(s.deadlines).toHaveLength(1);
    expect(s.customerMessages).toBe(2);
  });
});

describe('closing', () => {
  it.each([
    ['convert', 'channel', { orderId: 'o-7' }, 'converted'],
    ['convert', 'agent', { orderId: 'o-7' }, 'converted'],
    ['close', 'supervisor', { reason: 'browsing' }, 'not_converted'],
  ] as const)('%s by %s → %s, every clock stopped, nobody owns it', (action, role, input, outcome) => {
    const s = act(act(open(), 'reply', 'agent'), action, role, input, T0 + 2 * S);
    expect(s).toMatchObject({ status: 'closed', outcome, owner: null, closedAt: T0 + 2 * S });
    expect(s.deadlines.filter((d) => d.state === 'active')).toEqual([]);
    expect(nextWakeAt(s)).toBeUndefined();
    if (action === 'convert') expect(s.orderId).toBe('o-7');
  });

  it('finishes once closed and every notice is sent', () => {
    const closed = act(act(open(), 'assign', 'agent', { assignee: 'a-1' }), 'close', 'agent');
    expect(isInquiryFinished(closed)).toBe(false);
    const sent = { ...closed, notices: closed.notices.map((n) => ({ ...n, sent: true })) };
    expect(isInquiryFinished(sent)).toBe(true);
  });

  it('every change is a new revision; the input state is never changed', () => {
    const before = open();
    const copy = JSON.parse(JSON.stringify(before));
    const after = act(before, 'reply', 'agent');
    expect(before).toEqual(copy);
    expect(after.revision).toBe(before.revision + 1);
  });
});
