// A case's deadlines against the statutory years of its pinned calendars: warnings, gaps, and what the
// case becomes once a missing year is published (dates by hand; FICTIONAL_2027 is made-up test data,
// not the State Council's 2027 arrangement: holidays Fri 2027-01-01 and Mon 01-04, make-up Sat 01-09).
import { describe, expect, it } from 'vitest';
import type { Deadline, TimelineEntry } from '../../../workflows/domain/case';
import {
  calendarGaps, currentCalendar, deadlineWarnings, learnCaseCalendarYears, withDeadlineWarnings, type CalendarYearAware,
} from '../../../workflows/domain/calendar-years';
import { CALENDAR_CN_WORKDAYS, CALENDAR_24X7 } from '../../../workflows/domain/clock';
import { withYear, type CalendarYear } from '../../../workflows/domain/clock/year-coverage';
import { POLICY_PRESETS } from '../../../workflows/domain/policy/presets';

const ms = (iso: string) => Date.parse(iso);
const FICTIONAL_2027: CalendarYear = { year: 2027, holidays: ['2027-01-01', '2027-01-04'], makeUpWorkdays: ['2027-01-09'] };
const policy = POLICY_PRESETS['cn-marketplace'];

// Mon 2026-12-28 10:00 + 5 working days on cn-workdays (2027 unknown): Tue 29, Wed 30, Thu 31, Fri 01-01, Mon 01-04.
const blind: Deadline = {
  name: 'evidence', startedAt: ms('2026-12-28T10:00:00+08:00'), dueAt: ms('2027-01-04T18:00:00+08:00'),
  warnAt: ms('2027-01-04T09:00:00+08:00'), actor: 'merchant', onTimeout: 'warn', state: 'active', unit: 'working_days', calendar: 'cn-workdays',
};
// Thu 2026-12-24 + 5 working days: Fri 25, Mon 28, Tue 29, Wed 30, Thu 31 → all in 2026.
const inYear: Deadline = { ...blind, name: 'repair', startedAt: ms('2026-12-24T10:00:00+08:00'), dueAt: ms('2026-12-31T18:00:00+08:00') };
// Hours on the 24x7 default calendar never depend on holidays.
const elapsed: Deadline = { ...blind, name: 'merchantResponse', unit: 'hours', calendar: undefined, dueAt: ms('2027-01-02T10:00:00+08:00') };

function caseWith(deadlines: Deadline[]): CalendarYearAware {
  return { request: { policy }, deadlines, timeline: [] as TimelineEntry[], revision: 3, updatedAt: ms('2026-11-27T10:00:00+08:00') };
}

describe('warnings and gaps', () => {
  it('only an active working-time deadline counted into an unpublished year warns, naming calendar and year', () => {
    expect(deadlineWarnings(policy, blind)).toEqual([{ code: 'calendar-year-not-published', calendarId: 'cn-workdays', year: 2027 }]);
    expect(deadlineWarnings(policy, inYear)).toEqual([]);
    expect(deadlineWarnings(policy, elapsed)).toEqual([]);
    expect(deadlineWarnings(policy, { ...blind, state: 'met' })).toEqual([]);
    expect(calendarGaps(policy, [blind, inYear, elapsed, { ...blind, name: 'appealWindow' }]))
      .toEqual([{ calendarId: 'cn-workdays', year: 2027, deadlines: ['evidence', 'appealWindow'] }]);
  });

  it('the view carries the warnings beside the deadline they concern', () => {
    const state = caseWith([inYear, blind]);
    const view = withDeadlineWarnings({ id: 'as_x', deadlines: [{ name: 'repair' }, { name: 'evidence' }] }, state);
    expect(view.deadlines).toEqual([
      { name: 'repair' },
      { name: 'evidence', warnings: [{ code: 'calendar-year-not-published', calendarId: 'cn-workdays', year: 2027 }] },
    ]);
  });
});

describe('learnCaseCalendarYears', () => {
  it('pins the year by value, re-times the deadline that counted through it (warning moves along), and records it', () => {
    const state = caseWith([inYear, blind, elapsed]);
    const next = learnCaseCalendarYears(state, 'cn-workdays', [FICTIONAL_2027], ms('2026-12-01T08:00:00+08:00'));
    // New count: Tue 29, Wed 30, Thu 31, (Fri 01-01 off, weekend, Mon 01-04 off), Tue 01-05, Wed 01-06.
    expect(next.deadlines.map((d) => new Date(d.dueAt).toISOString())).toEqual([
      '2026-12-31T10:00:00.000Z', '2027-01-06T10:00:00.000Z', '2027-01-02T02:00:00.000Z',
    ]);
    // The unfired warning keeps its distance to the due instant: two days later, 09:00 on Wed 01-06.
    expect(next.deadlines[1].warnAt).toBe(ms('2027-01-06T09:00:00+08:00'));
    expect(next.request.policy.calendars?.['cn-workdays']?.years).toEqual([2026, 2027]);
    expect(next.revision).toBe(4);
    expect(next.timeline).toEqual([{
      at: ms('2026-12-01T08:00:00+08:00'), type: 'deadline.rescheduled', actor: 'system',
      data: { name: 'evidence', previousDueAt: blind.dueAt, dueAt: ms('2027-01-06T18:00:00+08:00'), reason: 'calendar-year-published', calendarId: 'cn-workdays', year: 2027 },
    }]);
    expect(calendarGaps(next.request.policy, next.deadlines)).toEqual([]);
    // The input state is untouched (the machine works on drafts).
    expect(state.deadlines[1].dueAt).toBe(ms('2027-01-04T18:00:00+08:00'));
  });

  it('never replaces a year the case already has: a second, different 2027 changes nothing', () => {
    const learned = learnCaseCalendarYears(caseWith([blind]), 'cn-workdays', [FICTIONAL_2027], 0);
    const again = learnCaseCalendarYears(learned, 'cn-workdays', [{ year: 2027, holidays: [], makeUpWorkdays: [] }], 1);
    expect(again).toBe(learned);
  });

  it('a year with no effect on any deadline is still pinned (the warning goes) without a timeline entry', () => {
    const noHolidays: CalendarYear = { year: 2027, holidays: [], makeUpWorkdays: [] };
    const next = learnCaseCalendarYears(caseWith([blind]), 'cn-workdays', [noHolidays], 0);
    expect(next.deadlines[0].dueAt).toBe(blind.dueAt);
    expect(next.timeline).toEqual([]);
    expect(deadlineWarnings(next.request.policy, next.deadlines[0])).toEqual([]);
  });
});

describe('currentCalendar', () => {
  it('a built-in: the code years plus what an admin published; a custom one: what is published', () => {
    expect(currentCalendar('cn-workdays', null)).toBe(CALENDAR_CN_WORKDAYS);
    const published = withYear(CALENDAR_CN_WORKDAYS, FICTIONAL_2027);
    expect(currentCalendar('cn-workdays', published)?.years).toEqual([2026, 2027]);
    // A registry seeded before a release added a year to the code still shows the code's year.
    const { years: _y, ...withoutYears } = CALENDAR_CN_WORKDAYS;
    expect(currentCalendar('cn-workdays', { ...withoutYears, holidays: [], makeUpWorkdays: [], years: [2027] })?.years).toEqual([2026, 2027]);
    expect(currentCalendar('shop', null)).toBeNull();
    expect(currentCalendar('24x7', null)).toBe(CALENDAR_24X7);
  });
});
