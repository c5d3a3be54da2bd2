// Statutory years of a calendar: coverage, the years a count runs through, publishing a year, re-timing.
//
// Dates worked out by hand. 2026 is the State Council's notice (2025-11-04) as built into cn-workdays:
// 2026-12-31 is a Thursday, so 2027-01-01 is a Friday, 01-04 a Monday, 01-09 a Saturday.
// FICTIONAL_2027 is made-up test data, NOT the State Council's 2027 arrangement (not yet known here):
// holidays Fri 01-01 and Mon 01-04, make-up workday Sat 01-09.
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_24X7, CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE, addBusinessDuration, validateCalendar, type Calendar,
} from '../../../workflows/domain/clock';
import {
  coversYear, publishedYears, retimeDue, uncoveredYears, withMissingYears, withYear, yearOf, yearsCounted, type CalendarYear,
} from '../../../workflows/domain/clock/year-coverage';

const ms = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();
const FICTIONAL_2027: CalendarYear = { year: 2027, holidays: ['2027-01-01', '2027-01-04'], makeUpWorkdays: ['2027-01-09'] };
const CN_WITH_2027 = withYear(CALENDAR_CN_WORKDAYS, FICTIONAL_2027);
const ROUND_THE_CLOCK: Calendar = {
  id: 'every-day', timeZone: 'Asia/Shanghai', holidays: [], makeUpWorkdays: [], years: [2026],
  workingHours: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
};

describe('publishedYears and coversYear', () => {
  it.each([
    ['cn-workdays: 2026 only', CALENDAR_CN_WORKDAYS, [2026]],
    ['24x7 keeps no statutory dates: every year', CALENDAR_24X7, 'every'],
    ['jd-evidence keeps no statutory dates: every year', CALENDAR_JD_EVIDENCE, 'every'],
    ['a stored calendar without `years`: the years of its dates', { ...CALENDAR_24X7, workingHours: { 1: [{ start: '09:00', end: '18:00' }] }, holidays: ['2026-10-01', '2027-01-01'] }, [2026, 2027]],
    ['an empty published year still counts', { ...CALENDAR_24X7, years: [2027, 2026] }, [2026, 2027]],
    ['cn-workdays with the fictional 2027 published', CN_WITH_2027, [2026, 2027]],
  ] as Array<[string, Calendar, number[] | 'every']>)('%s', (_label, calendar, expected) => {
    expect(publishedYears(calendar)).toEqual(expected);
  });

  it('covers what it publishes, and every year when it keeps no dates', () => {
    expect(coversYear(CALENDAR_CN_WORKDAYS, 2026)).toBe(true);
    expect(coversYear(CALENDAR_CN_WORKDAYS, 2027)).toBe(false);
    expect(coversYear(CALENDAR_CN_WORKDAYS, 2025)).toBe(false);
    expect(coversYear(CALENDAR_24X7, 2031)).toBe(true);
  });
});

describe('uncoveredYears: deadlines on cn-workdays (2026 published, 2027 not)', () => {
  it.each([
    // Thu 12-24: Fri 25, Mon 28, Tue 29, Wed 30, Thu 31 → due Thu 12-31 18:00, all in 2026.
    ['5 working days from Thu 2026-12-24', '2026-12-24T10:00:00+08:00', { amount: 5, unit: 'working_days' }, '2026-12-31T10:00:00.000Z', []],
    // Mon 12-28: Tue 29, Wed 30, Thu 31, Fri 01-01 (a plain Friday, 2027 unknown), Mon 01-04.
    ['5 working days from Mon 2026-12-28', '2026-12-28T10:00:00+08:00', { amount: 5, unit: 'working_days' }, '2027-01-04T10:00:00.000Z', [2027]],
    // The event's own day never counts: from Thu 12-31 the first day counted is Fri 2027-01-01.
    ['1 working day from Thu 2026-12-31', '2026-12-31T10:00:00+08:00', { amount: 1, unit: 'working_days' }, '2027-01-01T10:00:00.000Z', [2027]],
    // …and from 2025-12-31 (Wed) the first day counted is 2026-01-01 (holiday), 01-02 (holiday), 01-04 (Sun, 调休).
    ['1 working day from Wed 2025-12-31 does not count 2025', '2025-12-31T10:00:00+08:00', { amount: 1, unit: 'working_days' }, '2026-01-04T10:00:00.000Z', []],
    // Thu 12-31 16:00: 2 h that day, 2 h on Fri 01-01 09:00-11:00.
    ['4 working hours from Thu 2026-12-31 16:00', '2026-12-31T16:00:00+08:00', { amount: 4, unit: 'working_hours' }, '2027-01-01T03:00:00.000Z', [2027]],
    // Working hours count the event's own day: 2025 is not published.
    ['2 working hours from Wed 2025-12-31 16:00', '2025-12-31T16:00:00+08:00', { amount: 2, unit: 'working_hours' }, '2025-12-31T10:00:00.000Z', [2025]],
    ['natural days ignore holidays', '2026-12-28T10:00:00+08:00', { amount: 10, unit: 'calendar_days' }, '2027-01-07T16:00:00.000Z', []],
    ['elapsed hours ignore holidays', '2026-12-31T10:00:00+08:00', { amount: 48, unit: 'hours' }, '2027-01-02T02:00:00.000Z', []],
  ] as const)('%s', (_label, start, spec, dueIso, expected) => {
    const due = addBusinessDuration(ms(start), spec, CALENDAR_CN_WORKDAYS);
    expect(iso(due)).toBe(dueIso);
    expect(uncoveredYears(CALENDAR_CN_WORKDAYS, spec.unit, ms(start), due)).toEqual(expected);
  });

  it('a count running through two unpublished years names both', () => {
    // 300 working days from 2026-12-01: 22 weekdays left in 2026 and 261 in 2027 → ends in 2028.
    const start = ms('2026-12-01T10:00:00+08:00');
    const due = addBusinessDuration(start, { amount: 300, unit: 'working_days' }, CALENDAR_CN_WORKDAYS);
    expect(uncoveredYears(CALENDAR_CN_WORKDAYS, 'working_days', start, due)).toEqual([2027, 2028]);
  });

  it('a due at 24:00 on 31 December belongs to that day, not to the next year', () => {
    // 12 hours from 2026-12-31 12:00 round the clock end at 2027-01-01 00:00.
    const start = ms('2026-12-31T12:00:00+08:00');
    const due = addBusinessDuration(start, { amount: 12, unit: 'working_hours' }, ROUND_THE_CLOCK);
    expect(due).toBe(ms('2027-01-01T00:00:00+08:00'));
    expect(yearsCounted(ROUND_THE_CLOCK, 'working_hours', start, due)).toEqual([2026]);
  });

  it('24x7 never warns', () => {
    expect(uncoveredYears(CALENDAR_24X7, 'working_hours', ms('2026-12-31T10:00:00+08:00'), ms('2029-01-01T10:00:00+08:00'))).toEqual([]);
  });
});

describe('publishing a year', () => {
  it('withYear adds the year and its dates; yearOf reads them back', () => {
    expect(CN_WITH_2027.years).toEqual([2026, 2027]);
    expect(CN_WITH_2027.holidays).toHaveLength(33 + 2);
    expect(CN_WITH_2027.makeUpWorkdays.slice(-2)).toEqual(['2026-10-10', '2027-01-09']);
    expect(yearOf(CN_WITH_2027, 2027)).toEqual(FICTIONAL_2027);
    expect(yearOf(CALENDAR_CN_WORKDAYS, 2027)).toBeNull();
    expect(yearOf(CALENDAR_CN_WORKDAYS, 2026)?.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(validateCalendar(CN_WITH_2027)).toEqual([]);
  });

  it('withYear replaces exactly that year; withMissingYears never touches a year already there', () => {
    const other2027: CalendarYear = { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] };
    expect(yearOf(withYear(CN_WITH_2027, other2027), 2027)).toEqual(other2027);
    expect(yearOf(withMissingYears(CN_WITH_2027, withYear(CALENDAR_CN_WORKDAYS, other2027)), 2027)).toEqual(FICTIONAL_2027);
    expect(yearOf(withMissingYears(CALENDAR_CN_WORKDAYS, CN_WITH_2027), 2027)).toEqual(FICTIONAL_2027);
  });

  it('validation: every date lies in a listed year', () => {
    expect(validateCalendar({ ...CALENDAR_CN_WORKDAYS, years: [2027] })).toContain('2026-01-01 lies in a year not listed in years');
    expect(validateCalendar({ ...CALENDAR_CN_WORKDAYS, years: [2026, 2026] })).toEqual(['years lists a year twice']);
    expect(validateCalendar({ ...CALENDAR_CN_WORKDAYS, years: ['2026'] })).toEqual(['years must be an array of years (1900-9999)']);
  });
});

describe('retimeDue: the deadline once the fictional 2027 is published', () => {
  it.each([
    // Old: Tue 29, Wed 30, Thu 31, Fri 01-01, Mon 01-04. New: 01-01 and 01-04 are off → Tue 01-05, Wed 01-06.
    ['5 working days from Mon 2026-12-28', '2026-12-28T10:00:00+08:00', { amount: 5, unit: 'working_days' }, '2027-01-06T18:00:00+08:00'],
    // Old: Fri 01-01. New: Fri off, weekend, Mon 01-04 off → Tue 01-05.
    ['1 working day from Thu 2026-12-31', '2026-12-31T10:00:00+08:00', { amount: 1, unit: 'working_days' }, '2027-01-05T18:00:00+08:00'],
    // Old: Fri 01-08 10:00 → Mon 01-11 (weekend). New: Sat 01-09 is a make-up workday.
    ['1 working day from Fri 2027-01-08', '2027-01-08T10:00:00+08:00', { amount: 1, unit: 'working_days' }, '2027-01-09T18:00:00+08:00'],
    // Old: 2 h on 12-31, 2 h on Fri 01-01 → 11:00. New: first hours of 2027 on Tue 01-05 → 11:00.
    ['4 working hours from Thu 2026-12-31 16:00', '2026-12-31T16:00:00+08:00', { amount: 4, unit: 'working_hours' }, '2027-01-05T11:00:00+08:00'],
    // Nothing of 2027 was counted: unchanged (Thu 12-31 18:00).
    ['5 working days from Thu 2026-12-24', '2026-12-24T10:00:00+08:00', { amount: 5, unit: 'working_days' }, '2026-12-31T18:00:00+08:00'],
  ] as const)('%s', (_label, start, spec, expected) => {
    const oldDue = addBusinessDuration(ms(start), spec, CALENDAR_CN_WORKDAYS);
    const moved = retimeDue(spec.unit, ms(start), oldDue, CALENDAR_CN_WORKDAYS, CN_WITH_2027, 2027);
    expect(moved).toBe(ms(expected));
    // The same as counting from scratch in the calendar that knows 2027.
    expect(moved).toBe(addBusinessDuration(ms(start), spec, CN_WITH_2027));
    expect(uncoveredYears(CN_WITH_2027, spec.unit, ms(start), moved)).toEqual([]);
  });
});
