// The case kernel (workflows/domain/service-case) on a bare case of its own: the clock loop's order and hooks,
// escalation on the ladder and its hooks, pauses that give each deadline back the time it lost, and the
// action gate's order of checks. The kinds' own tables check how each kind uses it.
import { describe, expect, it } from 'vitest';
import type { Actor, Deadline, Owner, TimelineEntry } from '../../../workflows/domain/case';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { allowedActions, checkAction, type ActionGate } from '../../../workflows/domain/service-case/action-gate';
import {
  advanceClock, escalateTo, nextWakeAt, openDeadline, ownerAt, pauseClocks, resumeClocks, type CaseNotice, type EscalationLevel,
} from '../../../workflows/domain/service-case/core';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const S = 1_000;

interface BareCase {
  request: { caseId: string };
  status: string;
  owner: Owner | null;
  escalationLevel: EscalationLevel;
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  notices: CaseNotice[];
  updatedAt: number;
  revision: number;
}

const bare = (level: EscalationLevel = 1): BareCase => ({
  request: { caseId: 'k1' }, status: 'open', owner: ownerAt(level), escalationLevel: level, deadlines: [], timeline: [], notices: [], updatedAt: T0, revision: 0,
});

const spec = (seconds: number) => ({ amount: seconds, unit: 'seconds' as const });
const open = (s: BareCase, name: string, seconds: number, warn = true) =>
  openDeadline(s, name, s.owner!.role, 'escalate', T0, { policy: CN_MARKETPLACE, spec: spec(seconds), ...(warn ? { warning: { percentElapsed: 50 } } : {}) });
const types = (s: BareCase) => s.timeline.map((e) => `${e.type}${e.data && 'name' in e.data ? ` ${String(e.data.name)}` : ''}`);

describe('the clock loop', () => {
  it('fires warnings and breaches earliest first, the owner told of each warning, the breach handed to the kind', () => {
    const s = bare();
    open(s, 'a', 100);
    open(s, 'b', 60, false);
    const seen: string[] = [];
    const after = advanceClock(s, T0 + 200 * S, { breach: (_s, d) => seen.push(d.name) });
    expect(types(after)).toEqual(['deadline.warned a', 'deadline.breached b', 'deadline.breached a']);
    expect(seen).toEqual(['b', 'a']);
    expect(after.notices.map((n) => [n.type, n.to, n.data])).toEqual([['sla.warning', ownerAt(1), { deadline: 'a', dueAt: T0 + 100 * S }]]);
    expect(s.timeline).toEqual([]);
    expect(after.revision).toBe(1);
  });

  it('hooks: a warning that tells nobody, fields the breach entry carries', () => {
    const s = bare();
    open(s, 'a', 100);
    const after = advanceClock(s, T0 + 100 * S, { breach: () => undefined, warningData: () => null, breachData: () => ({ taskId: 't1' }) });
    expect(after.notices).toEqual([]);
    expect(after.timeline.at(-1)?.data).toEqual({ name: 'a', dueAt: T0 + 100 * S, onTimeout: 'escalate', taskId: 't1' });
  });

  it('nothing due: the same state comes back', () => {
    const s = bare();
    open(s, 'a', 100);
    expect(advanceClock(s, T0 + 10 * S, { breach: () => undefined })).toBe(s);
    expect(nextWakeAt(s)).toBe(T0 + 50 * S);
  });
});

describe('escalation', () => {
  it('one level up: the level queue owns it, the previous owner\'s deadlines follow, {from, to, reason} recorded and told', () => {
    const s = bare();
    open(s, 'a', 100);
    expect(escalateTo(s, T0, 'system', 'breach', { deadline: 'a' })).toBe(true);
    expect(s.owner).toEqual(ownerAt(2));
    expect(s.deadlines[0].actor).toBe('supervisor');
    expect(s.timeline.at(-1)).toMatchObject({ type: 'case.escalated', data: { from: 'L1', to: 'L2', reason: 'breach', deadline: 'a' } });
    expect(s.notices.at(-1)).toMatchObject({ type: 'case.escalated', to: ownerAt(2), data: { from: 'L1', to: 'L2', reason: 'breach', deadline: 'a' } });
  });

  it('never down, nothing above L4', () => {
    const top = bare(4);
    expect(escalateTo(top, T0, 'system', 'breach')).toBe(false);
    expect(escalateTo(bare(3), T0, 'agent', 'requested', {}, 2)).toBe(false);
    expect(top.timeline).toEqual([]);
  });

  it('hooks: which deadlines follow, what the notice carries besides, who owns the new level', () => {
    const s = bare();
    open(s, 'a', 100);
    const keep: Owner = { role: 'merchant', tier: 'L1' };
    escalateTo(s, T0, 'system', 'breach', {}, 3, undefined, { follows: () => false, noticeData: { priority: 'P1' }, ownerAt: () => keep });
    expect(s.escalationLevel).toBe(3);
    expect(s.owner).toEqual(keep);
    expect(s.deadlines[0].actor).toBe('agent');
    expect(s.notices.at(-1)?.data).toEqual({ from: 'L1', to: 'L3', reason: 'breach', priority: 'P1' });
  });
});

describe('pauses', () => {
  it('a paused clock stands still and gets back exactly the time it lost', () => {
    const s = bare();
    open(s, 'a', 100);
    pauseClocks(s, T0 + 10 * S);
    expect(nextWakeAt(s)).toBeUndefined();
    resumeClocks(s, CN_MARKETPLACE, T0 + 70 * S);
    expect(s.deadlines[0]).toMatchObject({ dueAt: T0 + 160 * S, warnAt: T0 + 110 * S, stoppedMs: 60 * S });
    expect(s.deadlines[0].pausedAt).toBeUndefined();
  });
});

describe('the action gate', () => {
  type A = 'go' | 'stop';
  const gate: ActionGate<{ status: string; merchantId: string }, A, { action: A; actor: Actor; ok?: boolean }> = {
    actions: ['go', 'stop'], merchantOf: (s) => s.merchantId, roleMayAct: (role, a) => role === 'agent' || a === 'go',
    stateAllows: (s, a) => (a === 'go' ? s.status === 'open' : true), words: { forbidden: 'thing', status: 'thing' },
    checkInput: (_s, req) => (req.ok === false ? { type: RULE_FAILURES.invalidInput, detail: 'bad' } : null),
  };
  const agent: Actor = { keyId: 'k', role: 'agent', merchants: ['m'] };
  const channel: Actor = { keyId: 'c', role: 'channel', merchants: '*' };
  const closed = { status: 'closed', merchantId: 'm' };

  it('checks in order: known action, role and scope, state (naming what is allowed), input', () => {
    expect(checkAction(gate, closed, { action: 'fly' as A, actor: agent }, T0)?.type).toBe(RULE_FAILURES.invalidInput);
    expect(checkAction(gate, closed, { action: 'stop', actor: channel }, T0)).toMatchObject({ type: RULE_FAILURES.forbidden, detail: 'role channel may not stop this thing' });
    expect(checkAction(gate, { ...closed, merchantId: 'other' }, { action: 'go', actor: agent }, T0)?.type).toBe(RULE_FAILURES.forbidden);
    expect(checkAction(gate, closed, { action: 'go', actor: agent }, T0)).toEqual({
      type: RULE_FAILURES.actionNotAllowed, detail: 'go is not allowed while the thing is closed', extensions: { caseStatus: 'closed', action: 'go', allowedActions: ['stop'] },
    });
    expect(checkAction(gate, closed, { action: 'stop', actor: agent, ok: false }, T0)?.type).toBe(RULE_FAILURES.invalidInput);
    expect(checkAction(gate, closed, { action: 'stop', actor: agent }, T0)).toBeNull();
    expect(allowedActions(gate, closed, { ...agent, role: 'system' }, T0)).toEqual([]);
  });
});
