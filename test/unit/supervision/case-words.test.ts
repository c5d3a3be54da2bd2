/**
 * The next deadline in words for the Temporal UI's current details: weekday, day, month and minute in the
 * case calendar's zone with its offset, who must act, and what silence does. Expected strings by hand.
 */
import { describe, expect, it } from 'vitest';
import { deadlineInWords, deadlineNameInWords, wallClockInWords } from '../../../workflows/domain/case-words';
import { caseDetails } from '../../../workflows/case-visibility';

describe('wall clock in words', () => {
  it.each([
    ['2026-11-28T21:05:00+08:00', 'Asia/Shanghai', 'Sat 28 Nov 21:05 (+08:00)'],
    // The night Berlin moves to summer time: 03:30 local exists only at +02:00.
    ['2026-03-29T03:30:00+02:00', 'Europe/Berlin', 'Sun 29 Mar 03:30 (+02:00)'],
    ['2026-11-27T08:00:00-05:00', 'America/New_York', 'Fri 27 Nov 08:00 (-05:00)'],
    // The same instant read in another calendar's zone is another day.
    ['2026-11-27T23:30:00+08:00', 'Europe/Berlin', 'Fri 27 Nov 16:30 (+01:00)'],
  ])('%s in %s', (iso, zone, expected) => {
    expect(wallClockInWords(Date.parse(iso), zone)).toBe(expected);
  });
});

describe('deadline in words', () => {
  const due = Date.parse('2026-11-28T21:05:00+08:00');
  it.each([
    [{ name: 'resolution', actor: 'arbiter', onTimeout: 'escalate' }, 'resolution due Sat 28 Nov 21:05 (+08:00), arbiter must act; silence escalates'],
    [{ name: 'merchantResponse', actor: 'merchant', onTimeout: 'auto_approve' }, 'merchant response due Sat 28 Nov 21:05 (+08:00), merchant must act; silence approves'],
    [{ name: 'buyerReturnShipment', actor: 'channel', onTimeout: 'auto_close' }, 'buyer return shipment due Sat 28 Nov 21:05 (+08:00), channel must act; silence closes the case'],
    [{ name: 'refundPayment', actor: 'system', onTimeout: 'warn' }, 'refund payment due Sat 28 Nov 21:05 (+08:00), the platform acts; silence only warns'],
  ] as const)('%j', (deadline, expected) => {
    expect(deadlineInWords({ ...deadline, dueAt: due }, 'Asia/Shanghai')).toBe(expected);
  });

  it('splits camel-case names into lower-case words', () => {
    expect(deadlineNameInWords('firstResponse')).toBe('first response');
    expect(deadlineNameInWords('appealWindow')).toBe('appeal window');
  });
});

describe('current details', () => {
  it('name the earliest running, unpaused deadline in words; a paused or met one is skipped', () => {
    const details = caseDetails({
      kind: 'complaint', status: 'escalated', outcome: null, owner: { role: 'arbiter', tier: 'L4' } as never, escalationLevel: 4, priority: 'P1',
      deadlines: [
        { name: 'firstResponse', startedAt: 0, dueAt: Date.parse('2026-11-27T10:00:00+08:00'), actor: 'agent', onTimeout: 'escalate', state: 'met' },
        { name: 'evidence', startedAt: 0, dueAt: Date.parse('2026-11-28T09:00:00+08:00'), actor: 'channel', onTimeout: 'close', state: 'active', pausedAt: 1 },
        { name: 'resolution', startedAt: 0, dueAt: Date.parse('2026-11-28T21:05:00+08:00'), actor: 'arbiter', onTimeout: 'escalate', state: 'active' },
      ] as never,
    }, 'Asia/Shanghai');
    expect(details.split('\n')).toEqual([
      '**complaint** · status **escalated** · P1',
      'owner: arbiter (L4) · escalation level 4',
      'next: resolution due Sat 28 Nov 21:05 (+08:00), arbiter must act; silence escalates',
    ]);
  });
});
