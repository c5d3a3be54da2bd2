// The complaint transition tables written out as the spec (docs/http-contract.md "Kinds and actions",
// docs/domain-rules.md "Complaints"): who may send what (role × action) and what each role may send in each
// state (state × role), checked against states reached by driving the real machine; then what moves do.
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../workflows/domain/case';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { COMPLAINT_ACTION_ROLES } from '../../../workflows/domain/complaint/roles';
import { allowedComplaintActions, checkComplaintAction } from '../../../workflows/domain/complaint/machine';
import { COMPLAINT_ACTIONS, type ComplaintAction, type ComplaintStatus } from '../../../workflows/domain/complaint/types';
import { describeActionTables } from '../support/action-tables';
import { ACTORS, STATE_NAMES, VALID_INPUT, act, cny, reach, timelineTypes, type StateName } from './fixtures';

/** Which roles may send each complaint action (docs/http-contract.md "Kinds and actions"). */
const ACTION_ROLES_SPEC: Record<ComplaintAction, Role[]> = {
  acknowledge: ['agent', 'supervisor'], assign: ['agent', 'supervisor'], classify: ['agent', 'supervisor'], 'add-note': ['agent', 'supervisor'],
  'propose-solution': ['agent', 'supervisor'], resolve: ['agent', 'supervisor'], 'create-task': ['agent', 'supervisor'], 'complete-task': ['agent', 'supervisor'],
  'approve-solution': ['supervisor'], close: ['supervisor'],
  'accept-solution': ['channel'], 'reject-solution': ['channel'], reopen: ['channel'],
  escalate: ['agent', 'supervisor', 'channel'],
};

const OPEN_STAFF: ComplaintAction[] = ['assign', 'classify', 'add-note', 'create-task'];
type Allowed = { staff: ComplaintAction[]; supervisorOnly?: ComplaintAction[]; channel: ComplaintAction[] };

/** What staff (agent and supervisor alike), supervisors alone and the channel may send in each state. */
const STATE_SPEC: Record<StateName, { status: ComplaintStatus; allowed: Allowed }> = {
  new: { status: 'new', allowed: { staff: ['acknowledge', ...OPEN_STAFF, 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  'new/at_L4': { status: 'new', allowed: { staff: ['acknowledge', ...OPEN_STAFF], supervisorOnly: ['close'], channel: [] } },
  in_progress: { status: 'in_progress', allowed: { staff: [...OPEN_STAFF, 'propose-solution', 'resolve', 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  'in_progress/with_task': { status: 'in_progress', allowed: { staff: [...OPEN_STAFF, 'propose-solution', 'resolve', 'complete-task', 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  // A reopened complaint needs a first response again.
  'in_progress/reopened': { status: 'in_progress', allowed: { staff: ['acknowledge', ...OPEN_STAFF, 'propose-solution', 'resolve', 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  solution_proposed: { status: 'solution_proposed', allowed: { staff: [...OPEN_STAFF, 'escalate'], supervisorOnly: ['close'], channel: ['accept-solution', 'reject-solution', 'escalate'] } },
  // Money above the agent's authority: nothing reaches the customer before a supervisor approves.
  'solution_proposed/awaiting_approval': { status: 'solution_proposed', allowed: { staff: [...OPEN_STAFF, 'escalate'], supervisorOnly: ['approve-solution', 'close'], channel: ['escalate'] } },
  'implementing/apology': { status: 'implementing', allowed: { staff: [...OPEN_STAFF, 'resolve', 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  // The linked after-sale's result resolves the complaint: no manual resolve meanwhile.
  'implementing/refund_running': { status: 'implementing', allowed: { staff: [...OPEN_STAFF, 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  resolved: { status: 'resolved', allowed: { staff: [...OPEN_STAFF, 'escalate'], supervisorOnly: ['close'], channel: ['accept-solution', 'reject-solution', 'escalate'] } },
  awaiting_feedback: { status: 'awaiting_feedback', allowed: { staff: [...OPEN_STAFF, 'complete-task', 'escalate'], supervisorOnly: ['close'], channel: ['escalate'] } },
  closed: { status: 'closed', allowed: { staff: ['add-note'], channel: ['reopen'] } },
  'closed/window_over': { status: 'closed', allowed: { staff: [], channel: [] } },
};

function expectedFor(name: StateName, role: Role): ComplaintAction[] {
  const { allowed } = STATE_SPEC[name];
  const set = role === 'agent' ? allowed.staff : role === 'supervisor' ? [...allowed.staff, ...(allowed.supervisorOnly ?? [])] : role === 'channel' ? allowed.channel : [];
  return COMPLAINT_ACTIONS.filter((a) => set.includes(a));
}

describe('roles', () => {
  it('match docs/http-contract.md for every action', () => expect(COMPLAINT_ACTION_ROLES).toEqual(ACTION_ROLES_SPEC));
});

// 403 once per role × action, 409 and allowedActions once per state × role (test/unit/support/action-tables.ts).
describeActionTables('complaint', {
  actions: COMPLAINT_ACTIONS,
  roles: ACTION_ROLES_SPEC,
  states: Object.fromEntries(STATE_NAMES.map((name) => [name, {
    state: reach(name).state, status: STATE_SPEC[name].status, allowed: Object.fromEntries(ROLES.map((role) => [role, expectedFor(name, role)])),
  }])),
  statusOf: (state) => state.status,
  nothingOpen: 'closed/window_over',
  opening: 'new',
  actor: (role) => ACTORS[role],
  check: (state, action, actor) => checkComplaintAction(state, { action, actor, input: VALID_INPUT[action], fingerprint: 'fp' }),
  allowed: (state, actor) => allowedComplaintActions(state, actor),
  validInputs: true,
});

describe('moves', () => {
  const at = Date.parse('2026-03-02T12:00:00+08:00');
  it.each<[StateName, ComplaintAction, Role, ComplaintStatus]>([
    ['new', 'acknowledge', 'agent', 'in_progress'],
    ['in_progress', 'propose-solution', 'agent', 'solution_proposed'],
    ['in_progress', 'resolve', 'supervisor', 'resolved'],
    ['solution_proposed', 'accept-solution', 'channel', 'implementing'],
    ['solution_proposed', 'reject-solution', 'channel', 'in_progress'],
    ['solution_proposed/awaiting_approval', 'approve-solution', 'supervisor', 'solution_proposed'],
    ['implementing/apology', 'resolve', 'agent', 'resolved'],
    ['resolved', 'accept-solution', 'channel', 'closed'],
    ['resolved', 'reject-solution', 'channel', 'in_progress'],
    ['awaiting_feedback', 'complete-task', 'agent', 'closed'],
    ['in_progress', 'close', 'supervisor', 'closed'],
    ['closed', 'reopen', 'channel', 'in_progress'],
  ])('%s: %s by %s → %s', (name, action, role, status) => {
    expect(act(reach(name).state, action, role, at).status).toBe(status);
  });

  it('a close records the outcome and the archive record, and opens the reopen window', () => {
    const closed = reach('closed').state;
    expect(closed.outcome).toBe('resolved');
    expect(closed.owner).toBeNull();
    expect(timelineTypes(closed).slice(-3)).toEqual(['case.status_changed', 'case.closed', 'case.archived']);
    expect(closed.deadlines.filter((d) => d.state === 'active').map((d) => [d.name, d.actor, d.onTimeout])).toEqual([['reopenWindow', 'channel', 'close']]);
    expect(act(reach('in_progress').state, 'close', 'supervisor', at).outcome).toBe('unresolved');
  });

  it('an accepted refund links a deterministic after-sale; a failed one hands the case back', () => {
    const running = reach('implementing/refund_running').state;
    const linked = running.solutions[0].linkedCase!;
    expect(linked).toEqual({ id: expect.stringMatching(/^as_[0-9a-f]{32}$/), started: false });
    expect(reach('implementing/refund_running').state.solutions[0].linkedCase!.id).toBe(linked.id);
    expect(running.links).toContainEqual({ id: linked.id, kind: 'after_sale', relation: 'solution' });
  });

  it('four eyes: the proposer may not approve; approval needs an actorRef', () => {
    const waiting = reach('solution_proposed/awaiting_approval').state;
    const self = { ...ACTORS.supervisor, actorRef: 'agent-1' };
    expect(checkComplaintAction(waiting, { action: 'approve-solution', actor: self, input: {}, fingerprint: 'f' })).toMatchObject({ type: RULE_FAILURES.forbidden, extensions: { rule: 'four-eyes' } });
    const anonymous = { keyId: 'k', role: 'supervisor' as const, merchants: '*' as const };
    expect(checkComplaintAction(waiting, { action: 'approve-solution', actor: anonymous, input: {}, fingerprint: 'f' })?.type).toBe(RULE_FAILURES.invalidInput);
  });

  it.each([
    [{ solution: { kind: 'refund' as const } }, RULE_FAILURES.invalidInput],
    [{ solution: { kind: 'compensation' as const, amount: cny(0) } }, RULE_FAILURES.invalidInput],
    [{ solution: { kind: 'refund' as const, amount: cny(16_901) } }, RULE_FAILURES.notEligible],
    [{ solution: { kind: 'refund' as const, amount: { amount: 100, currency: 'USD' } } }, RULE_FAILURES.invalidInput],
    [{ solution: { kind: 'refund' as const, amount: cny(16_900) } }, null],
    [{ solution: { kind: 'repair' as const } }, null],
  ])('propose-solution %j → %s', (input, type) => {
    const failure = checkComplaintAction(reach('in_progress').state, { action: 'propose-solution', actor: ACTORS.agent, input, fingerprint: 'f' });
    expect(failure?.type ?? null).toBe(type);
  });
});
