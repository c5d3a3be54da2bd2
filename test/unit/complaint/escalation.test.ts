// Escalation rules, table by table: the L1→L4 ladder at each breach (warning first), where complaints
// start, repeated rejections, severity, service recovery, and that owners and notices follow every move.
import { describe, expect, it } from 'vitest';
import { advanceComplaintClock, nextWakeAt, openComplaint, serviceRecovery } from '../../../workflows/domain/complaint/machine';
import { LEVEL_OWNERS } from '../../../workflows/domain/service-case/ladder';
import { complaintVisibility } from '../../../workflows/domain/complaint/view';
import type { ComplaintState } from '../../../workflows/domain/complaint/types';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { HOUR, MINUTE, T0, act, buildRequest, drive, reach } from './fixtures';

/** high severity + high urgency = P1: 30 minutes to first response per tier (cn-marketplace). */
const p1 = () => openComplaint(buildRequest({ severity: 'high', urgency: 'high' }), T0);
const firstResponses = (s: ComplaintState) => s.deadlines.filter((d) => d.name === 'firstResponse').map((d) => [d.actor, d.state]);
const noticeTypes = (s: ComplaintState) => s.notices.map((n) => [n.type, n.to.tier]);

describe('the ladder', () => {
  it('owners per level are agent L1, team lead L2, manager L3, platform L4', () => {
    expect(LEVEL_OWNERS).toEqual({ 1: { role: 'agent', tier: 'L1' }, 2: { role: 'supervisor', tier: 'L2' }, 3: { role: 'supervisor', tier: 'L3' }, 4: { role: 'arbiter', tier: 'L4' } });
  });

  it.each([
    [T0 + 24 * MINUTE, 1, [['agent', 'active']], [['sla.warning', 'L1']]],
    [T0 + 30 * MINUTE, 2, [['agent', 'breached'], ['supervisor', 'active']], [['sla.warning', 'L1'], ['case.escalated', 'L2']]],
    [T0 + 60 * MINUTE, 3, [['agent', 'breached'], ['supervisor', 'breached'], ['supervisor', 'active']], [['sla.warning', 'L1'], ['case.escalated', 'L2'], ['sla.warning', 'L2'], ['case.escalated', 'L3']]],
    [T0 + 90 * MINUTE, 4, [['agent', 'breached'], ['supervisor', 'breached'], ['supervisor', 'breached'], ['arbiter', 'active']], undefined],
    // At L4 a breach is recorded and reported; nothing is above.
    [T0 + 120 * MINUTE, 4, [['agent', 'breached'], ['supervisor', 'breached'], ['supervisor', 'breached'], ['arbiter', 'breached']], undefined],
  ])('a P1 complaint left alone until %i is at L%i', (at, level, deadlines, notices) => {
    let s = p1();
    for (let t = T0 + 6 * MINUTE; t <= at; t += 6 * MINUTE) s = advanceComplaintClock(s, t);
    expect(s.escalationLevel).toBe(level);
    expect(s.owner).toEqual(LEVEL_OWNERS[level as 1 | 2 | 3 | 4]);
    expect(firstResponses(s)).toEqual(deadlines);
    if (notices) expect(noticeTypes(s)).toEqual(notices);
    expect(complaintVisibility(s)).toMatchObject({ priority: 'P1', escalationLevel: level, owner: LEVEL_OWNERS[level as 1 | 2 | 3 | 4] });
  });

  it('jumping straight past several breaches escalates once per breach, in order', () => {
    const s = advanceComplaintClock(p1(), T0 + 91 * MINUTE);
    // Each rung's target counts from its own breach, so a late wake-up climbs one rung per due breach.
    expect(s.escalationLevel).toBe(2);
    const later = advanceComplaintClock(advanceComplaintClock(s, T0 + 122 * MINUTE), T0 + 153 * MINUTE);
    expect(later.escalationLevel).toBe(4);
  });

  it('the wake-up instant is the next warning or breach', () => {
    const s = p1();
    expect(nextWakeAt(s)).toBe(T0 + 24 * MINUTE);
    expect(nextWakeAt(advanceComplaintClock(s, T0 + 24 * MINUTE))).toBe(T0 + 30 * MINUTE);
  });

  it('an answered complaint does not climb; the resolution target still does', () => {
    let s = act(p1(), 'acknowledge', 'agent', T0 + MINUTE);
    s = advanceComplaintClock(s, T0 + 2 * HOUR);
    expect(s.escalationLevel).toBe(1);
    s = advanceComplaintClock(s, T0 + 24 * HOUR);
    expect(s.escalationLevel).toBe(2);
    expect(s.deadlines.filter((d) => d.name === 'resolution').map((d) => d.state)).toEqual(['breached', 'active']);
  });
});

describe('other triggers', () => {
  it.each([
    ['critical', 'chat', 2],
    ['high', 'social', 2],
    ['medium', 'phone', 1],
  ] as const)('%s via %s starts at L%i, its owner told', (severity, channel, level) => {
    const s = openComplaint(buildRequest({ severity, channel }), T0);
    expect(s.escalationLevel).toBe(level);
    expect(s.notices.map((n) => n.type)).toEqual(level === 2 ? ['case.escalated'] : []);
  });

  it.each([[1, 3], [2, 2], [3, 1]])('with rejectionsBeforeEscalation %i, two rejections leave the case at L%i', (threshold, level) => {
    const policy = { ...CN_MARKETPLACE, complaint: { ...CN_MARKETPLACE.complaint!, rejectionsBeforeEscalation: threshold } };
    const { state } = drive(buildRequest({ policy }), [
      ['acknowledge', 'agent'], ['propose-solution', 'agent'], ['reject-solution', 'channel'], ['propose-solution', 'agent'], ['reject-solution', 'channel'],
    ]);
    // Threshold 1 escalates on each rejection, 2 on the second, 3 not yet.
    expect(state.escalationLevel).toBe(level);
  });

  it('classifying as critical moves the case to a team lead; a new priority re-times the targets', () => {
    const s = act(reach('in_progress').state, 'classify', 'agent', T0 + 5 * MINUTE, { severity: 'critical' });
    expect(s).toMatchObject({ priority: 'P1', escalationLevel: 2, owner: { role: 'supervisor', tier: 'L2' } });
    expect(s.deadlines.find((d) => d.name === 'resolution' && d.state === 'active')!.dueAt).toBe(T0 + 24 * HOUR);
  });

  it('escalation clears the assignee and never goes back down', () => {
    let s = act(reach('in_progress').state, 'assign', 'supervisor', T0 + 5 * MINUTE, { assignee: 'agent-42' });
    expect(s.owner).toEqual({ role: 'agent', tier: 'L1', assignee: 'agent-42' });
    s = act(s, 'escalate', 'channel', T0 + 6 * MINUTE);
    expect(s.owner).toEqual({ role: 'supervisor', tier: 'L2' });
    s = act(s, 'classify', 'agent', T0 + 7 * MINUTE, { severity: 'low' });
    expect(s.escalationLevel).toBe(2);
  });

  it('service recovery reopens a closed complaint at L2 inside its window, and not after it', () => {
    const closed = reach('closed').state;
    const { state, taken } = serviceRecovery(closed, { surveyId: 's', score: 1 }, T0 + HOUR);
    expect(taken).toBe(true);
    expect(state).toMatchObject({ status: 'in_progress', escalationLevel: 2, reopenCount: 1 });
    expect(serviceRecovery(reach('closed/window_over').state, { surveyId: 's', score: 1 }, T0 + 40 * 24 * HOUR).taken).toBe(false);
  });
});
