// Pre-breach warnings: at a share of the budget elapsed or an offset before breach, only strictly inside.
import { describe, expect, it } from 'vitest';
import { CALENDAR_JD_EVIDENCE, warningAt, type WarningTiming } from '../../../workflows/domain/clock';

const ms = (iso: string) => Date.parse(iso);
const utc = (iso: string) => new Date(iso).toISOString();
const warnIso = (start: string, due: string, rule: WarningTiming, calendar?: typeof CALENDAR_JD_EVIDENCE) => {
  const at = warningAt(ms(start), ms(due), rule, calendar);
  return at === undefined ? undefined : new Date(at).toISOString();
};

describe('warningAt', () => {
  it.each([
    ['80% of 10 h', '2026-11-22T10:00:00+08:00', '2026-11-22T20:00:00+08:00', { percentElapsed: 80 }, '2026-11-22T18:00:00+08:00'],
    ['80% of 4 h', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { percentElapsed: 80 }, '2026-11-22T13:12:00+08:00'],
    ['50% of 120 h', '2026-11-16T00:00:00+08:00', '2026-11-21T00:00:00+08:00', { percentElapsed: 50 }, '2026-11-18T12:00:00+08:00'],
    ['25% of 10 ms rounds up', '2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00.010Z', { percentElapsed: 25 }, '2026-11-22T10:00:00.003Z'],
    ['1 h before breach', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { beforeMs: 3_600_000 }, '2026-11-22T13:00:00+08:00'],
    ['policy offset in seconds', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { beforeSeconds: 1800 }, '2026-11-22T13:30:00+08:00'],
    ['0% is the start: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { percentElapsed: 0 }, undefined],
    ['100% is the breach: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { percentElapsed: 100 }, undefined],
    ['over 100%: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { percentElapsed: 120 }, undefined],
    ['offset as long as the budget: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { beforeMs: 4 * 3_600_000 }, undefined],
    ['offset longer than the budget: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { beforeMs: 5 * 3_600_000 }, undefined],
    ['zero offset is the breach: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { beforeMs: 0 }, undefined],
    ['negative offset: none', '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', { beforeMs: -1 }, undefined],
    ['empty budget: none', '2026-11-22T10:00:00+08:00', '2026-11-22T10:00:00+08:00', { percentElapsed: 50 }, undefined],
  ] as const)('%s', (_label, start, due, rule, expected) => {
    expect(warnIso(start, due, rule)).toBe(expected === undefined ? undefined : utc(expected));
  });

  it.each([
    ['80% of JD 14:01 → 09:01 lands in working hours', 80, '2026-11-22T14:01:00+08:00', '2026-11-23T09:01:00+08:00', '2026-11-22T17:13:00+08:00'],
    ['25% of JD 17:00 → 12:00 is at closing, not next opening', 25, '2026-11-22T17:00:00+08:00', '2026-11-23T12:00:00+08:00', '2026-11-22T18:00:00+08:00'],
    ['50% of JD 17:00 → 12:00 is in next morning', 50, '2026-11-22T17:00:00+08:00', '2026-11-23T12:00:00+08:00', '2026-11-23T10:00:00+08:00'],
  ])('with a calendar, the share is of working time: %s', (_label, percentElapsed, start, due, expected) => {
    expect(warnIso(start, due, { percentElapsed }, CALENDAR_JD_EVIDENCE)).toBe(utc(expected));
  });

  it('without a calendar the same JD budget warns at 80% of wall time, in the night', () => {
    expect(warnIso('2026-11-22T14:01:00+08:00', '2026-11-23T09:01:00+08:00', { percentElapsed: 80 })).toBe(utc('2026-11-23T05:13:00+08:00'));
  });
});
