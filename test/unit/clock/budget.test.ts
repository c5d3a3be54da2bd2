// Pause/resume ledgers of deadline budgets: due instants moved out, stopped time reported, misuse refused.
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE, isPaused, openBudget, pauseBudget, resumeBudget, stoppedTime,
  type BudgetClock,
} from '../../../workflows/domain/clock';

const ms = (iso: string) => Date.parse(iso);
const utc = (iso: string) => new Date(iso).toISOString();
const iso = (instant: number) => new Date(instant).toISOString();

const JD_EVIDENCE: BudgetClock = { spec: { amount: 4, unit: 'working_hours' }, calendar: CALENDAR_JD_EVIDENCE };
const COURT_PROOF: BudgetClock = { spec: { amount: 7, unit: 'working_days' }, calendar: CALENDAR_CN_WORKDAYS };
const NEGOTIATION: BudgetClock = { spec: { amount: 30, unit: 'calendar_days' }, calendar: CALENDAR_CN_WORKDAYS };

describe('resumeBudget moves the due instant out', () => {
  it.each([
    ['elapsed budget without a clock: by the paused time', undefined,
      '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', '2026-11-22T11:00:00+08:00', '2026-11-22T12:30:00+08:00',
      '2026-11-22T15:30:00+08:00'],
    ['calendar_days: by the paused time', NEGOTIATION,
      '2026-09-01T10:00:00+08:00', '2026-10-02T00:00:00+08:00', '2026-09-10T00:00:00+08:00', '2026-09-12T06:00:00+08:00',
      '2026-10-04T06:00:00+08:00'],
    ['JD working hours: resumed after closing, 2 h left → 11:00 next day', JD_EVIDENCE,
      '2026-11-22T14:01:00+08:00', '2026-11-23T09:01:00+08:00', '2026-11-22T16:01:00+08:00', '2026-11-22T20:00:00+08:00',
      '2026-11-23T11:00:00+08:00'],
    ['JD working hours: paused after closing, 1 min left', JD_EVIDENCE,
      '2026-11-22T14:01:00+08:00', '2026-11-23T09:01:00+08:00', '2026-11-22T19:00:00+08:00', '2026-11-23T10:00:00+08:00',
      '2026-11-23T10:01:00+08:00'],
    ['JD working hours: paused and resumed within the same hours', JD_EVIDENCE,
      '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', '2026-11-22T11:00:00+08:00', '2026-11-22T12:00:00+08:00',
      '2026-11-22T15:00:00+08:00'],
    ['court proof working days: 42 working hours left, resumed after National Day', COURT_PROOF,
      '2026-09-18T10:00:00+08:00', '2026-09-29T18:00:00+08:00', '2026-09-22T12:00:00+08:00', '2026-10-09T09:00:00+08:00',
      '2026-10-14T15:00:00+08:00'],
  ])('%s', (_label, clock, startedAt, dueAt, pausedAt, resumedAt, expectedDue) => {
    const running = openBudget(ms(startedAt), ms(dueAt));
    const paused = pauseBudget(running, ms(pausedAt));
    expect(isPaused(paused)).toBe(true);
    const resumed = resumeBudget(paused, ms(resumedAt), clock);
    expect(isPaused(resumed)).toBe(false);
    expect(iso(resumed.dueAt)).toBe(utc(expectedDue));
    expect(resumed.pauses).toEqual([{ from: ms(pausedAt), to: ms(resumedAt) }]);
    expect(resumed.startedAt).toBe(ms(startedAt));
    expect(running).toEqual({ startedAt: ms(startedAt), dueAt: ms(dueAt), pauses: [] });
  });

  it('two pauses add up', () => {
    let budget = openBudget(ms('2026-11-22T10:00:00+08:00'), ms('2026-11-22T14:00:00+08:00'));
    budget = resumeBudget(pauseBudget(budget, ms('2026-11-22T10:30:00+08:00')), ms('2026-11-22T11:00:00+08:00'));
    budget = resumeBudget(pauseBudget(budget, ms('2026-11-22T12:00:00+08:00')), ms('2026-11-22T13:15:00+08:00'));
    expect(iso(budget.dueAt)).toBe(utc('2026-11-22T15:45:00+08:00'));
    expect(budget.pauses).toHaveLength(2);
  });
});

describe('stoppedTime', () => {
  const budget = {
    startedAt: ms('2026-11-22T10:00:00+08:00'),
    dueAt: ms('2026-11-22T18:00:00+08:00'),
    pauses: [
      { from: ms('2026-11-22T10:30:00+08:00'), to: ms('2026-11-22T11:00:00+08:00') },
      { from: ms('2026-11-22T12:00:00+08:00') },
    ],
  };
  it.each([
    ['before any pause', '2026-11-22T10:15:00+08:00', 0],
    ['inside the first pause', '2026-11-22T10:45:00+08:00', 15],
    ['between pauses', '2026-11-22T11:30:00+08:00', 30],
    ['open pause counts up to now', '2026-11-22T13:00:00+08:00', 90],
  ])('%s', (_label, now, minutes) => {
    expect(stoppedTime(budget, ms(now))).toBe(minutes * 60_000);
  });

  it('is zero for a budget never paused', () => {
    expect(stoppedTime(openBudget(0, 1000), 500)).toBe(0);
  });
});

describe('repeated and misplaced signals', () => {
  const start = ms('2026-11-22T10:00:00+08:00');
  const running = openBudget(start, start + 4 * 3_600_000);

  it('pausing a paused budget and resuming a running one change nothing', () => {
    const paused = pauseBudget(running, start + 1000);
    expect(pauseBudget(paused, start + 2000)).toBe(paused);
    expect(resumeBudget(running, start + 2000)).toBe(running);
  });

  it.each([
    ['pause before the start', () => pauseBudget(running, start - 1)],
    ['resume before the pause', () => resumeBudget(pauseBudget(running, start + 5000), start + 4000)],
    ['pause before the last resume', () =>
      pauseBudget(resumeBudget(pauseBudget(running, start + 1000), start + 5000), start + 4000)],
  ])('%s is refused', (_label, act) => {
    expect(act).toThrow(RangeError);
  });
});
