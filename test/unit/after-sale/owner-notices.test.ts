// After-sales on the kernel's warning and escalation (patched('after-sale-owner-notices')): the owner is told
// of each warning and escalation, and `case.escalated` says {from, to, reason} as in every other kind. Cases
// started before the rule keep the released path: nobody told, {deadline, escalationLevel} only.
import { describe, expect, it } from 'vitest';
import { advanceAfterSaleClock, openAfterSale } from '../../../workflows/domain/after-sale/machine';
import type { AfterSaleRules, AfterSaleState } from '../../../workflows/domain/after-sale/types';
import { T0, buildRequest, reach } from './fixtures';

const BEFORE: AfterSaleRules = { authorityCurrency: true, archiveAtClose: true };

/** The same state as a case started before the rule would hold it. */
function startedBefore(s: AfterSaleState): AfterSaleState {
  const { notices: _notices, ...rest } = s;
  return { ...rest, rules: BEFORE };
}

function due(s: AfterSaleState, name: string) {
  return s.deadlines.find((d) => d.name === name && d.state === 'active')!;
}

const escalations = (s: AfterSaleState) => s.timeline.filter((e) => e.type === 'case.escalated').map((e) => e.data);

describe('warnings tell the owner', () => {
  it('merchantResponse warns the merchant queue that owns the case, once', () => {
    const s = openAfterSale(buildRequest(), T0);
    const d = due(s, 'merchantResponse');
    const after = advanceAfterSaleClock(s, d.warnAt!);
    expect(after.notices).toEqual([
      { id: `${s.request.caseId}:notice:1`, type: 'sla.warning', to: { role: 'merchant', tier: 'L1' }, data: { deadline: 'merchantResponse', dueAt: d.dueAt }, sent: false },
    ]);
    expect(advanceAfterSaleClock(after, d.warnAt! + 1).notices).toHaveLength(1);
  });

  it('a case started before the rule records the warning and tells nobody', () => {
    const s = openAfterSale(buildRequest(), T0, BEFORE);
    expect(s.notices).toBeUndefined();
    const after = advanceAfterSaleClock(s, due(s, 'merchantResponse').warnAt!);
    expect(after.timeline.at(-1)?.type).toBe('deadline.warned');
    expect(after.notices).toBeUndefined();
  });
});

describe('escalation at breach has the shape of every kind', () => {
  it('refundApproval: L2 → L3 {from, to, reason} with the deadline and level, the new owner told', () => {
    const { state } = reach('refunding/awaiting_approval');
    const after = advanceAfterSaleClock(state, due(state, 'refundApproval').dueAt);
    const data = { from: 'L2', to: 'L3', reason: 'breach', deadline: 'refundApproval', escalationLevel: 3 };
    expect(escalations(after)).toEqual([data]);
    expect(after.owner).toEqual({ role: 'supervisor', tier: 'L3' });
    expect(after.notices!.filter((n) => n.type === 'case.escalated')).toEqual([
      expect.objectContaining({ to: { role: 'supervisor', tier: 'L3' }, data, sent: false }),
    ]);
  });

  it('started before the rule: {deadline, escalationLevel} only, nobody told', () => {
    const { state } = reach('refunding/awaiting_approval');
    const before = startedBefore(state);
    const after = advanceAfterSaleClock(before, due(before, 'refundApproval').dueAt);
    expect(escalations(after)).toEqual([{ deadline: 'refundApproval', escalationLevel: 3 }]);
    expect(after.owner).toEqual({ role: 'supervisor', tier: 'L3' });
    expect(after.notices).toBeUndefined();
  });

  it('at L4 nothing is above: no escalation, the owner is told of the breach', () => {
    const { state } = reach('refunding');
    const top = { ...state, escalationLevel: 4 as const };
    const d = due(top, 'refundPayment');
    const after = advanceAfterSaleClock(top, d.dueAt);
    expect(escalations(after)).toEqual([]);
    expect(after.escalationLevel).toBe(4);
    expect(after.notices!.at(-1)).toMatchObject({ type: 'sla.breached', to: top.owner, data: { deadline: 'refundPayment', dueAt: d.dueAt } });
    // Released path: the level stays at 4 and the escalation is recorded all the same.
    const released = advanceAfterSaleClock(startedBefore(top), d.dueAt);
    expect(escalations(released)).toEqual([{ deadline: 'refundPayment', escalationLevel: 4 }]);
  });
});
