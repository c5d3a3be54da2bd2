/**
 * Every inquiry writes its archive record (归档, docs/domain-rules.md "Records and archive") when it closes, as
 * complaints do: right after case.closed, with the outcome, timings, escalations, breaches and default
 * outcomes, no personal data. A case started before the rule (the workflow's patch off) closes without one.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../../workflows/domain/case';
import { advanceInquiryClock, applyInquiryAction, openInquiry } from '../../../workflows/domain/inquiry/machine';
import type { InquiryAction, InquiryActionInput, InquiryState } from '../../../workflows/domain/inquiry/types';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const S = 1_000;
const policy = {
  ...CN_MARKETPLACE,
  inquiry: { deadlines: { firstResponse: { amount: 60, unit: 'seconds' as const }, followUp: { amount: 100, unit: 'seconds' as const } }, followUps: 0 },
};
const actor = (role: Role): Actor => ({ keyId: `dev-${role}`, role, merchants: '*' });
const open = (archiveAtClose?: boolean) => openInquiry({
  caseId: `iq_${'a'.repeat(32)}`, merchantId: 'm-a', customerRef: 'cust-secret-1', channel: 'chat', topic: 'sizing', question: 'does it run small?', receivedAt: T0,
  policy, createdBy: actor('channel'), requestFingerprint: 'f',
}, T0, archiveAtClose);
const act = (s: InquiryState, action: InquiryAction, role: Role, at: number, input: InquiryActionInput = {}) =>
  applyInquiryAction(s, { action, actor: actor(role), input, fingerprint: action }, at);
const archived = (s: InquiryState) => s.timeline.find((e) => e.type === 'case.archived')?.data?.record as Record<string, unknown> | undefined;

describe('inquiry archive at close', () => {
  it('converted: answered after 30 s, converted after 90 s', () => {
    const s = act(act(open(), 'reply', 'agent', T0 + 30 * S), 'convert', 'agent', T0 + 90 * S, { orderId: 'o-9' });
    expect(s.timeline.slice(-2).map((e) => e.type)).toEqual(['case.closed', 'case.archived']);
    expect(archived(s)).toMatchObject({
      caseId: s.caseId, kind: 'inquiry', merchantId: 'm-a', channel: 'chat', topic: 'sizing', outcome: 'converted', orderId: 'o-9',
      timings: { receivedAt: T0, firstRespondedAt: T0 + 30 * S, closedAt: T0 + 90 * S, firstResponseSeconds: 30, resolutionSeconds: 90 },
      escalationLevel: 1, escalations: [], breaches: [], defaultOutcomes: [], replies: 1, customerMessages: 1,
    });
    expect(JSON.stringify(archived(s))).not.toMatch(/cust-secret-1|run small/);
  });

  it('closed by silence: the followUp breach and its default outcome are in the record', () => {
    // No follow-ups: the first followUp (100 s after the answer at 30 s) closes the inquiry no_response.
    const s = advanceInquiryClock(act(open(), 'reply', 'agent', T0 + 30 * S), T0 + 130 * S);
    expect(archived(s)).toMatchObject({ outcome: 'no_response', breaches: ['followUp'], defaultOutcomes: [{ at: T0 + 130 * S, deadline: 'followUp', outcome: 'no_response' }] });
  });

  it('a case started before the rule closes without a record', () => {
    const s = act(open(false), 'close', 'agent', T0 + S);
    expect(s.status).toBe('closed');
    expect(archived(s)).toBeUndefined();
  });
});
