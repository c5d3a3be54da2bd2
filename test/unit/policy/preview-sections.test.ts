/**
 * Deadline preview for complaints, inquiries and order issues: each complaint deadline's event, actor,
 * default outcome and per-priority target, agreement with the driven complaint machine, and sections a
 * policy lacks.
 */
import { describe, expect, it } from 'vitest';
import { COMPLAINT_DEADLINE_RULES, previewComplaint, previewSection } from '../../../workflows/domain/policy/preview-sections';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import type { Policy } from '../../../workflows/domain/policy/types';
import type { OrderIssueType } from '../../../workflows/domain/order-issue/types';
import { buildRequest, drive, T0, type Step } from '../complaint/fixtures';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('complaint preview', () => {
  it.each<[string, 'P1' | 'P2' | 'P3' | 'P4', string, string]>([
    ['P1 answers within 30 minutes', 'P1', 'firstResponse', '2026-11-20T10:30:00+08:00'],
    ['P1 solves within a day', 'P1', 'resolution', '2026-11-21T10:00:00+08:00'],
    ['P3 answers within 4 hours', 'P3', 'firstResponse', '2026-11-20T14:00:00+08:00'],
    ['P4 solves within 5 days', 'P4', 'resolution', '2026-11-25T10:00:00+08:00'],
  ])('%s', (_name, priority, deadline, due) => {
    const p = previewComplaint(CN_MARKETPLACE, priority, { requestedAt: at('2026-11-20T10:00:00+08:00') }, 0);
    expect(iso(p.deadlines.find((d) => d.name === deadline)!.dueAt)).toBe(iso(at(due)));
  });

  it('names each deadline\'s event; the customer\'s silence accepts a proposal but closes a resolved case', () => {
    const proposed = previewComplaint(CN_MARKETPLACE, 'P3', { requestedAt: 0, proposedAt: 1000 }, 0);
    expect(proposed.deadlines.find((d) => d.name === 'customerDecision')).toMatchObject({ startsFrom: 'proposedAt', onTimeout: 'auto_approve', actor: 'channel' });
    expect(proposed.waitingFor.map((d) => [d.name, d.startsFrom])).toEqual([['departmentTask', 'taskCreatedAt'], ['reopenWindow', 'closedAt']]);
    const resolved = previewComplaint(CN_MARKETPLACE, 'P3', { requestedAt: 0, resolvedAt: 2000 }, 0);
    expect(resolved.deadlines.find((d) => d.name === 'customerDecision')).toMatchObject({ startsFrom: 'resolvedAt', onTimeout: 'auto_close' });
  });

  it('warns at the complaint section\'s own threshold (80% elapsed)', () => {
    const p = previewComplaint(CN_MARKETPLACE, 'P3', { requestedAt: 0 }, 0);
    const first = p.deadlines.find((d) => d.name === 'firstResponse')!;
    expect(first.warnAt).toBe(first.dueAt * 0.8);
  });

  const paths: Array<[string, Step[]]> = [
    ['opened', []],
    ['proposal awaiting approval', [['acknowledge', 'agent'], ['propose-solution', 'agent', { solution: { kind: 'compensation', amount: { amount: 30_000, currency: 'CNY' } } }]]],
    ['proposal to the customer', [['acknowledge', 'agent'], ['propose-solution', 'agent']]],
    ['department task', [['acknowledge', 'agent'], ['create-task', 'agent']]],
    ['resolved', [['acknowledge', 'agent'], ['resolve', 'agent']]],
    ['closed', [['acknowledge', 'agent'], ['resolve', 'agent'], ['accept-solution', 'channel']]],
  ];
  it.each(paths)('agrees with the machine: %s', (_name, steps) => {
    const { state } = drive(buildRequest(), steps);
    const open = state.deadlines.filter((x) => x.state === 'active');
    expect(open.length).toBeGreaterThan(0);
    for (const d of open) {
      const name = d.name as keyof typeof COMPLAINT_DEADLINE_RULES;
      const events = { requestedAt: T0, ...(name === 'customerDecision' && state.status === 'resolved' ? { resolvedAt: d.startedAt } : {}) };
      const from = COMPLAINT_DEADLINE_RULES[name].from(events);
      const preview = previewComplaint(CN_MARKETPLACE, state.priority, { ...events, [from]: d.startedAt }, T0).deadlines.find((x) => x.name === name)!;
      expect([name, preview.actor, preview.onTimeout, preview.dueAt, preview.warnAt]).toEqual([name, d.actor, d.onTimeout, d.dueAt, d.warnAt]);
    }
  });
});

describe('inquiry and order-issue preview', () => {
  const withSections: Policy = {
    ...CN_MARKETPLACE,
    inquiry: { deadlines: { firstResponse: { amount: 2, unit: 'hours' }, followUp: { amount: 1, unit: 'calendar_days' } } },
  };

  it('times a section the policy has, from the events named, with the actor and default outcome the machine gives', () => {
    const p = previewSection(withSections, 'inquiry', { requestedAt: at('2026-11-20T10:00:00+08:00') }, 0)!;
    // An L1 agent answers within 2 h, warned at 80 % (11:36); a breach escalates.
    expect(p.deadlines).toEqual([expect.objectContaining({
      name: 'firstResponse', startsFrom: 'requestedAt', actor: 'agent', onTimeout: 'escalate', dueAt: at('2026-11-20T12:00:00+08:00'), warnAt: at('2026-11-20T11:36:00+08:00'),
    })]);
    // The customer's clock: the first of the default 2 follow-ups goes out at silence.
    expect(p.waitingFor).toEqual([{ name: 'followUp', startsFrom: 'respondedAt', actor: 'channel', onTimeout: 'warn', duration: { amount: 1, unit: 'calendar_days' } }]);
  });

  it('an inquiry policy without follow-ups closes at the first silence', () => {
    const none: Policy = { ...withSections, inquiry: { ...withSections.inquiry!, followUps: 0 } };
    const p = previewSection(none, 'inquiry', { requestedAt: 0, respondedAt: at('2026-11-20T10:00:00+08:00') }, 0)!;
    // 1 natural day after 11-20: due 11-22 00:00; the customer's clock warns nobody.
    expect(p.deadlines.find((d) => d.name === 'followUp')).toEqual(expect.objectContaining({ actor: 'channel', onTimeout: 'auto_close', dueAt: at('2026-11-22T00:00:00+08:00') }));
    expect(p.deadlines.find((d) => d.name === 'followUp')).not.toHaveProperty('warnAt');
  });

  it.each<[OrderIssueType, Array<[string, string, string]>]>([
    ['parcel_missing', [['trackingWait', 'system', 'escalate'], ['carrierResponse', 'agent', 'escalate'], ['customerChoice', 'channel', 'auto_refund']]],
    ['delivery_delay', [['trackingWait', 'system', 'escalate'], ['carrierResponse', 'agent', 'escalate'], ['customerChoice', 'channel', 'auto_refund']]],
    ['address_change', [['customerChoice', 'channel', 'auto_close']]],
    ['stock_shortage', [['trackingWait', 'merchant', 'escalate'], ['customerChoice', 'channel', 'auto_refund']]],
    ['payment_exception', [['customerChoice', 'channel', 'auto_refund']]],
    ['damaged_in_transit', [['trackingWait', 'merchant', 'fallback_refund'], ['carrierResponse', 'agent', 'escalate'], ['customerChoice', 'channel', 'auto_refund']]],
  ])('order issue %s: who acts and what silence does, per deadline the type opens', (type, expected) => {
    const events = { requestedAt: 0, carrierContactedAt: 0, optionsOfferedAt: 0 };
    const p = previewSection(CN_MARKETPLACE, 'orderIssue', events, 0, type);
    expect(p.type).toBe(type);
    expect(p.deadlines.map((d) => [d.name, d.actor, d.onTimeout])).toEqual(expected);
  });

  it('a section the policy lacks: the product defaults the workflows run on', () => {
    const requestedAt = at('2026-11-20T10:00:00+08:00');
    const p = previewSection(CN_MARKETPLACE, 'orderIssue', { requestedAt }, 0)!;
    expect(p.deadlines).toEqual([expect.objectContaining({ name: 'trackingWait', actor: 'system', onTimeout: 'escalate', dueAt: at('2026-11-22T10:00:00+08:00') })]);
    expect(p.waitingFor.map((w) => w.name)).toEqual(['carrierResponse', 'customerChoice']);
    expect(previewSection(CN_MARKETPLACE, 'inquiry', { requestedAt }, 0)!.deadlines)
      .toEqual([expect.objectContaining({ name: 'firstResponse', dueAt: at('2026-11-20T10:30:00+08:00') })]);
  });
});
