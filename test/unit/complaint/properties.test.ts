/**
 * Property-based tests of the complaint machine (fast-check): whatever random sequence of actions by
 * random roles, clock jumps and linked after-sale results hits a complaint, a refused action changes
 * nothing, the checks agree with allowedActions, and the case never reaches an illegal state (one owner
 * while open, level 1-4 never falling, one active deadline per name, deadlines after their start, money
 * within what was paid, four eyes on approvals).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../workflows/domain/case';
import { advanceComplaintClock, linkedCaseClosed, linkedCaseStarted, nextWakeAt, openComplaint } from '../../../workflows/domain/complaint/machine';
import { allowedComplaintActions, applyComplaintAction, checkComplaintAction } from '../../../workflows/domain/complaint/machine';
import type { ComplaintDeadline } from '../../../workflows/domain/complaint/moves';
import {
  COMPLAINT_ACTIONS, COMPLAINT_CHANNELS, COMPLAINT_OUTCOMES, COMPLAINT_STATUSES, CUSTOMER_TIERS, DEPARTMENTS, SEVERITIES, SOLUTION_KINDS, URGENCIES,
  type ComplaintAction, type ComplaintActionInput, type ComplaintState,
} from '../../../workflows/domain/complaint/types';
import { ACTORS, MINUTE, T0, buildRequest, cny } from './fixtures';

const PAID = 16_900;
/** Actions that move a complaint along its flow: drawn more often so random histories reach every status. */
const FORWARD: readonly ComplaintAction[] = ['acknowledge', 'propose-solution', 'approve-solution', 'accept-solution', 'reject-solution', 'resolve', 'complete-task', 'reopen'];

const inputFor = (action: ComplaintAction, n: number, s: ComplaintState): ComplaintActionInput => {
  switch (action) {
    case 'assign': return { assignee: `agent-${n % 3}` };
    case 'classify': return [{ severity: SEVERITIES[n % 4] }, { urgency: URGENCIES[n % 3] }, { customerTier: CUSTOMER_TIERS[n % 3] }, {}][n % 4];
    case 'add-note': return n % 5 ? { note: 'called back' } : {};
    case 'propose-solution': {
      const kind = SOLUTION_KINDS[n % SOLUTION_KINDS.length];
      // Amounts up to what was paid (169.00), sometimes above it or the agent's authority limit (200.00), sometimes none.
      const amount = n % 3 ? 1 + ((n * 37) % PAID) : (n * 37) % 32_000;
      return { solution: { kind, ...(n % 7 ? { amount: cny(amount) } : {}) } };
    }
    case 'create-task': return { department: DEPARTMENTS[n % 4], description: 'check it' };
    case 'complete-task': {
      const open = s.tasks.filter((t) => t.state === 'open');
      return { taskId: open[n % Math.max(open.length, 1)]?.id ?? 'task-99', ...(n % 4 ? { result: 'done' } : {}) };
    }
    case 'reject-solution': case 'close': case 'escalate': case 'reopen': return n % 2 ? { reason: 'r' } : {};
    default: return {};
  }
};

type Step =
  | { kind: 'act'; action: ComplaintAction; pick: 'any' | 'allowed'; role: Role; n: number; actorRef: string | null; merchant: 'm-a' | 'm-b' }
  | { kind: 'clock'; minutes: number }
  | { kind: 'linked'; outcome: string; started: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 7, arbitrary: fc.record({
    kind: fc.constant('act' as const),
    action: fc.constantFrom(...COMPLAINT_ACTIONS),
    // Mostly an action the caller is offered (so histories go deep), sometimes anything at all.
    pick: fc.constantFrom('allowed' as const, 'allowed' as const, 'allowed' as const, 'any' as const),
    role: fc.constantFrom<Role>(...ROLES, 'agent', 'agent', 'supervisor', 'channel', 'channel'),
    n: fc.nat({ max: 10_000 }),
    actorRef: fc.constantFrom('p1', 'p2', null),
    merchant: fc.constantFrom('m-a' as const, 'm-a' as const, 'm-a' as const, 'm-b' as const),
  }) },
  // From a minute to well past the reopen window (7 calendar days).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clock' as const), minutes: fc.oneof(fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 12 * 24 * 60 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('linked' as const), outcome: fc.constantFrom('refunded', 'partially_refunded', 'exchanged', 'rejected', 'withdrawn'), started: fc.boolean() }) },
);

const complaintSpec = fc.record({
  severity: fc.constantFrom(...SEVERITIES),
  urgency: fc.constantFrom(...URGENCIES),
  customerTier: fc.constantFrom(...CUSTOMER_TIERS),
  channel: fc.constantFrom(...COMPLAINT_CHANNELS),
  receivedMinutesAgo: fc.integer({ min: 0, max: 600 }),
});

function invariants(s: ComplaintState, previous: ComplaintState | null): void {
  expect(COMPLAINT_STATUSES).toContain(s.status);
  // Exactly one owner while open, none once closed; closed ⇔ an outcome.
  expect(s.owner === null).toBe(s.status === 'closed');
  expect(s.outcome === null).toBe(s.status !== 'closed');
  if (s.outcome !== null) expect(COMPLAINT_OUTCOMES).toContain(s.outcome);
  expect([1, 2, 3, 4]).toContain(s.escalationLevel);
  const active = (s.deadlines as ComplaintDeadline[]).filter((d) => d.state === 'active');
  const keys = active.map((d) => (d.name === 'departmentTask' ? `${d.name}:${d.taskId}` : d.name));
  expect(new Set(keys).size, `active deadlines ${keys.join(', ')}`).toBe(keys.length);
  // Department deadlines only for open tasks; a closed case runs nothing but its reopen window.
  for (const d of active as ComplaintDeadline[]) if (d.name === 'departmentTask') expect(s.tasks.find((t) => t.id === d.taskId)?.state).toBe('open');
  if (s.status === 'closed') expect(active.every((d) => d.name === 'reopenWindow')).toBe(true);
  for (const d of s.deadlines) {
    expect(d.dueAt, `${d.name} due after its start`).toBeGreaterThan(d.startedAt);
    if (d.warnAt !== undefined) expect(d.warnAt > d.startedAt && d.warnAt < d.dueAt, `${d.name} warns between start and due`).toBe(true);
  }
  for (let i = 1; i < s.timeline.length; i += 1) expect(s.timeline[i].at).toBeGreaterThanOrEqual(s.timeline[i - 1].at);
  for (const solution of s.solutions) {
    if (solution.kind === 'refund' && (solution.state === 'accepted' || solution.state === 'proposed' || solution.state === 'awaiting_approval')) {
      expect(solution.amount!.amount).toBeGreaterThan(0);
      expect(solution.amount!.amount).toBeLessThanOrEqual(PAID);
    }
    if (solution.approvedBy) {
      expect(solution.approvedBy.actorRef).toBeTruthy();
      expect(solution.approvedBy.actorRef).not.toBe(solution.proposedBy.actorRef);
    }
  }
  // Only the newest solution may still be open.
  expect(s.solutions.slice(0, -1).every((x) => x.state !== 'proposed' && x.state !== 'awaiting_approval')).toBe(true);
  if (previous) {
    expect(s.escalationLevel).toBeGreaterThanOrEqual(previous.escalationLevel);
    if (s !== previous) {
      expect(s.revision).toBeGreaterThan(previous.revision);
      expect(s.updatedAt).toBeGreaterThanOrEqual(previous.updatedAt);
      expect(s.timeline.slice(0, previous.timeline.length)).toEqual(previous.timeline);
    } else {
      expect(s.revision).toBe(previous.revision);
    }
  }
}

describe('complaint machine properties', () => {
  it('random histories keep every invariant; refused actions change nothing; checks agree with allowedActions', () => {
    fc.assert(fc.property(complaintSpec, fc.array(step, { maxLength: 40, size: 'max' }), (spec, steps) => {
      let s = openComplaint(buildRequest({
        severity: spec.severity, urgency: spec.urgency, customerTier: spec.customerTier, channel: spec.channel,
        receivedAt: T0 - spec.receivedMinutesAgo * MINUTE,
      }), T0);
      let now = T0;
      invariants(s, null);
      for (const st of steps) {
        const before = s;
        now += MINUTE;
        if (st.kind === 'clock') {
          now += st.minutes * MINUTE;
          s = advanceComplaintClock(s, now);
          // Everything due is handled: the next wake-up lies in the future.
          const wake = nextWakeAt(s);
          expect(wake === undefined || wake > now).toBe(true);
        } else if (st.kind === 'linked') {
          const solution = s.solutions.at(-1);
          if (solution?.linkedCase) {
            s = st.started ? linkedCaseStarted(s, solution.number, now) : linkedCaseClosed(s, {
              caseId: solution.linkedCase.id, status: 'closed', outcome: st.outcome,
              ...(st.outcome.includes('refunded') ? { refunded: solution.amount } : {}),
            }, now);
          }
        } else {
          const actor = { ...ACTORS[st.role], merchants: st.merchant === 'm-a' ? ACTORS[st.role].merchants : ['m-b'], ...(st.actorRef ? { actorRef: st.actorRef } : { actorRef: undefined }) };
          const offered = allowedComplaintActions(s, actor);
          const pool = [...offered, ...offered.filter((a) => FORWARD.includes(a)).flatMap((a) => [a, a, a])];
          const action = st.pick === 'allowed' && pool.length ? pool[st.n % pool.length] : st.action;
          const req = { action, actor, input: inputFor(action, st.n, s), fingerprint: `f-${now}` };
          const allowed = offered.includes(action);
          const frozen = JSON.stringify(s);
          const failure = checkComplaintAction(s, req);
          // The check reads, never writes.
          expect(JSON.stringify(s)).toBe(frozen);
          if (!allowed) expect(['Forbidden', 'ActionNotAllowed']).toContain(failure?.type);
          // An offered action fails only on its input; four eyes is one (the approver's actorRef comes with the request).
          if (allowed && failure?.type === 'Forbidden') expect(failure.extensions?.rule).toBe('four-eyes');
          if (allowed) expect(failure?.type).not.toBe('ActionNotAllowed');
          if (failure === null) s = applyComplaintAction(s, req, now);
          else expect(s).toBe(before);
        }
        invariants(s, before);
      }
    }), { numRuns: 400 });
  });

  // Found by the property above: acknowledging a reopened complaint after a proposal went out took it back to
  // in_progress with the proposal and its customerDecision still live, so a second proposal ran two of them.
  it('acknowledging a reopened complaint with a proposal out meets the target and keeps the proposal', () => {
    const steps: [ComplaintAction, Role, ComplaintActionInput][] = [
      ['acknowledge', 'agent', {}], ['resolve', 'agent', {}], ['accept-solution', 'channel', {}], ['reopen', 'channel', {}],
      ['propose-solution', 'agent', { solution: { kind: 'apology' } }], ['acknowledge', 'supervisor', {}],
    ];
    let s = openComplaint(buildRequest(), T0);
    steps.forEach(([action, role, input], i) => {
      const req = { action, actor: ACTORS[role], input, fingerprint: `f${i}` };
      expect(checkComplaintAction(s, req)).toBeNull();
      s = applyComplaintAction(s, req, T0 + (i + 1) * MINUTE);
    });
    expect(s.status).toBe('solution_proposed');
    expect(s.solutions[0].state).toBe('proposed');
    expect(s.deadlines.filter((d) => d.state === 'active').map((d) => d.name).sort()).toEqual(['customerDecision', 'resolution']);
    expect(s.deadlines.find((d) => d.name === 'firstResponse' && d.startedAt > T0)).toMatchObject({ state: 'met' });
    expect(checkComplaintAction(s, { action: 'propose-solution', actor: ACTORS.agent, input: { solution: { kind: 'apology' } }, fingerprint: 'again' })?.type).toBe('ActionNotAllowed');
  });

  // Found by the property above: a supervisor closing a complaint with a proposal out left it `proposed`, so
  // after a reopen two proposals were live at once.
  it('closing withdraws a proposal still out; after a reopen only the new one is live', () => {
    const steps: [ComplaintAction, Role, ComplaintActionInput][] = [
      ['acknowledge', 'agent', {}], ['propose-solution', 'agent', { solution: { kind: 'refund', amount: cny(1_332) } }],
      ['close', 'supervisor', {}], ['reopen', 'channel', {}], ['propose-solution', 'agent', { solution: { kind: 'apology' } }],
    ];
    let s = openComplaint(buildRequest(), T0);
    steps.forEach(([action, role, input], i) => {
      const req = { action, actor: ACTORS[role], input, fingerprint: `f${i}` };
      expect(checkComplaintAction(s, req)).toBeNull();
      s = applyComplaintAction(s, req, T0 + (i + 1) * MINUTE);
      if (action === 'close') {
        expect(s.solutions[0]).toMatchObject({ state: 'withdrawn', decidedAt: T0 + 3 * MINUTE });
        const archived = s.timeline.find((e) => e.type === 'case.archived')!.data as { record: { solutions: { state: string }[] } };
        expect(archived.record.solutions[0].state).toBe('withdrawn');
      }
    });
    expect(s.solutions.map((x) => x.state)).toEqual(['withdrawn', 'proposed']);
  });

  // Complaints started before these rules replay with the earlier ones (patched('complaint-reopen-rules')).
  it('a complaint opened under the earlier rules keeps them: acknowledge goes back to in_progress, close keeps proposals', () => {
    const run = (steps: [ComplaintAction, Role, ComplaintActionInput][]) => {
      let s = openComplaint(buildRequest(), T0, false);
      steps.forEach(([action, role, input], i) => { s = applyComplaintAction(s, { action, actor: ACTORS[role], input, fingerprint: `f${i}` }, T0 + (i + 1) * MINUTE); });
      return s;
    };
    expect(run([
      ['acknowledge', 'agent', {}], ['resolve', 'agent', {}], ['accept-solution', 'channel', {}], ['reopen', 'channel', {}],
      ['propose-solution', 'agent', { solution: { kind: 'apology' } }], ['acknowledge', 'supervisor', {}],
    ]).status).toBe('in_progress');
    expect(run([
      ['acknowledge', 'agent', {}], ['propose-solution', 'agent', { solution: { kind: 'refund', amount: cny(1_332) } }], ['close', 'supervisor', {}],
    ]).solutions[0].state).toBe('proposed');
    expect(openComplaint(buildRequest(), T0).reopenRules).toBe(true);
  });

  it('a refund above what was paid is never accepted, whoever proposes it', () => {
    fc.assert(fc.property(fc.integer({ min: PAID + 1, max: 10 * PAID }), fc.constantFrom<Role>('agent', 'supervisor'), (amount, role) => {
      let s = openComplaint(buildRequest(), T0);
      s = applyComplaintAction(s, { action: 'acknowledge', actor: ACTORS.agent, input: {}, fingerprint: 'a' }, T0 + MINUTE);
      const failure = checkComplaintAction(s, { action: 'propose-solution', actor: ACTORS[role], input: { solution: { kind: 'refund', amount: cny(amount) } }, fingerprint: 'p' });
      expect(failure).toMatchObject({ type: 'NotEligible', extensions: { rule: 'refund-above-paid' } });
    }), { numRuns: 100 });
  });

  it('every deadline opened at any instant lies after its start, on every priority', () => {
    fc.assert(fc.property(complaintSpec, fc.integer({ min: 0, max: 14 * 24 * 60 }), (spec, offset) => {
      const at = T0 + offset * MINUTE;
      const s = openComplaint(buildRequest({ severity: spec.severity, urgency: spec.urgency, customerTier: spec.customerTier, channel: spec.channel, receivedAt: at }), at);
      for (const d of s.deadlines) {
        expect(d.dueAt).toBeGreaterThan(d.startedAt);
        if (d.warnAt !== undefined) expect(d.warnAt > d.startedAt && d.warnAt < d.dueAt).toBe(true);
      }
      expect(nextWakeAt(s)).toBeGreaterThan(at);
    }), { numRuns: 200 });
  });
});

