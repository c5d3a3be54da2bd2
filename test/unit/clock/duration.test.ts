// The business clock: due instants for every unit, in Shanghai and across both 2026 Berlin DST changes.
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_24X7, CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE, addBusinessDuration, durationToMs, validateDurationSpec,
  type Calendar, type DurationSpec, type DurationUnit,
} from '../../../workflows/domain/clock';

const ms = (iso: string) => Date.parse(iso);
const utc = (iso: string) => new Date(iso).toISOString();
const due = (start: string, amount: number, unit: DurationUnit, calendar: Calendar) =>
  new Date(addBusinessDuration(ms(start), { amount, unit }, calendar)).toISOString();

const OFFICE = [{ start: '09:00', end: '18:00' }];
const BERLIN_24X7: Calendar = { ...CALENDAR_24X7, id: 'berlin-24x7', timeZone: 'Europe/Berlin' };
const BERLIN_EVERY_DAY: Calendar = {
  id: 'berlin-every-day', timeZone: 'Europe/Berlin',
  workingHours: { 0: OFFICE, 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: OFFICE },
  holidays: [], makeUpWorkdays: [],
};
const BERLIN_OFFICE: Calendar = { ...BERLIN_EVERY_DAY, id: 'berlin-office', workingHours: { 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE } };
/** Sunday night shift 01:00-04:00: straddles both Berlin DST changes. */
const BERLIN_NIGHT_SHIFT: Calendar = { ...BERLIN_EVERY_DAY, id: 'berlin-night', workingHours: { 0: [{ start: '01:00', end: '04:00' }] } };

describe('elapsed units ignore the calendar', () => {
  it.each([
    ['2026-11-22T10:00:00+08:00', 30, 'seconds', CALENDAR_CN_WORKDAYS, '2026-11-22T10:00:30+08:00'],
    ['2026-11-22T10:00:00+08:00', 90, 'minutes', CALENDAR_CN_WORKDAYS, '2026-11-22T11:30:00+08:00'],
    ['2026-11-22T10:00:00+08:00', 24, 'hours', CALENDAR_CN_WORKDAYS, '2026-11-23T10:00:00+08:00'],
    ['2026-09-30T18:00:00+08:00', 120, 'hours', CALENDAR_CN_WORKDAYS, '2026-10-05T18:00:00+08:00'],
    ['2026-11-22T10:00:00+08:00', 1.5, 'hours', CALENDAR_24X7, '2026-11-22T11:30:00+08:00'],
    ['2026-03-29T01:30:00+01:00', 1, 'hours', BERLIN_24X7, '2026-03-29T03:30:00+02:00'],
    ['2026-10-25T02:30:00+02:00', 1, 'hours', BERLIN_24X7, '2026-10-25T02:30:00+01:00'],
  ] as const)('%s + %s %s', (start, amount, unit, calendar, expected) => {
    expect(due(start, amount, unit, calendar)).toBe(utc(expected));
  });
});

describe('calendar_days: from 00:00 of the day after the event, due at 00:00 of event day + 1 + N', () => {
  it.each([
    ['7-day window, signed at 23:59', '2026-11-15T23:59:00+08:00', 7, CALENDAR_24X7, '2026-11-23T00:00:00+08:00'],
    ['7-day window, signed at 00:01', '2026-11-16T00:01:00+08:00', 7, CALENDAR_24X7, '2026-11-24T00:00:00+08:00'],
    ['7-day window, signed at 00:00', '2026-11-16T00:00:00+08:00', 7, CALENDAR_24X7, '2026-11-24T00:00:00+08:00'],
    ['local date, not UTC date', '2026-11-15T20:00:00Z', 7, CALENDAR_24X7, '2026-11-24T00:00:00+08:00'],
    ['year end', '2026-12-31T12:00:00+08:00', 1, CALENDAR_24X7, '2027-01-02T00:00:00+08:00'],
    ['leap day counts', '2028-02-28T10:00:00+08:00', 1, CALENDAR_24X7, '2028-03-01T00:00:00+08:00'],
    ['holidays do not stop natural days', '2026-09-30T10:00:00+08:00', 7, CALENDAR_CN_WORKDAYS, '2026-10-08T00:00:00+08:00'],
    ['Berlin, window spans spring-forward (167 h)', '2026-03-25T10:00:00+01:00', 7, BERLIN_24X7, '2026-04-02T00:00:00+02:00'],
    ['Berlin, window spans fall-back (169 h)', '2026-10-20T18:00:00+02:00', 7, BERLIN_24X7, '2026-10-28T00:00:00+01:00'],
    ['Berlin, event on spring-forward day', '2026-03-29T00:30:00+01:00', 1, BERLIN_24X7, '2026-03-31T00:00:00+02:00'],
    ['Berlin, event on fall-back day after the change', '2026-10-25T02:30:00+01:00', 1, BERLIN_24X7, '2026-10-27T00:00:00+01:00'],
    ['Berlin, EU 14-day withdrawal', '2026-03-20T15:00:00+01:00', 14, BERLIN_24X7, '2026-04-04T00:00:00+02:00'],
  ])('%s', (_label, start, amount, calendar, expected) => {
    expect(due(start, amount, 'calendar_days', calendar)).toBe(utc(expected));
  });

  it('is the same instant as Tmall’s 168 h from 00:00 of the next day (China has no DST)', () => {
    const tmall = ms('2026-11-16T00:00:00+08:00') + 168 * 3_600_000;
    expect(addBusinessDuration(ms('2026-11-15T09:30:00+08:00'), { amount: 7, unit: 'calendar_days' }, CALENDAR_24X7)).toBe(tmall);
  });

  it.each([
    ['2026-03-25T10:00:00+01:00', '2026-03-26T00:00:00+01:00', 167],
    ['2026-10-20T18:00:00+02:00', '2026-10-21T00:00:00+02:00', 169],
  ])('in Berlin, 7 days after %s last %i real hours from the next local midnight', (start, nextMidnight, hours) => {
    const end = addBusinessDuration(ms(start), { amount: 7, unit: 'calendar_days' }, BERLIN_24X7);
    expect((end - ms(nextMidnight)) / 3_600_000).toBe(hours);
  });
});

describe('working_hours: JD evidence, 4 working hours within 09:00-18:00 every day', () => {
  it.each([
    ['2026-11-22T10:00:00+08:00', 4, '2026-11-22T14:00:00+08:00'],
    ['2026-11-22T14:01:00+08:00', 4, '2026-11-23T09:01:00+08:00'],
    ['2026-11-22T14:00:00+08:00', 4, '2026-11-22T18:00:00+08:00'],
    ['2026-11-22T17:59:59+08:00', 4, '2026-11-23T12:59:59+08:00'],
    ['2026-11-22T08:00:00+08:00', 4, '2026-11-22T13:00:00+08:00'],
    ['2026-11-22T00:00:00+08:00', 4, '2026-11-22T13:00:00+08:00'],
    ['2026-11-22T18:00:00+08:00', 4, '2026-11-23T13:00:00+08:00'],
    ['2026-11-22T20:30:00+08:00', 4, '2026-11-23T13:00:00+08:00'],
    ['2026-11-21T15:00:00+08:00', 4, '2026-11-22T10:00:00+08:00'], // Saturday into Sunday: worked every day
    ['2026-10-01T15:00:00+08:00', 4, '2026-10-02T10:00:00+08:00'], // holidays are worked too
    ['2026-11-22T17:45:00+08:00', 0.5, '2026-11-23T09:15:00+08:00'],
    ['2026-11-22T09:00:00+08:00', 9, '2026-11-22T18:00:00+08:00'],
    ['2026-11-22T09:00:00.001+08:00', 9, '2026-11-23T09:00:00.001+08:00'],
    ['2026-11-22T10:00:00+08:00', 24, '2026-11-24T16:00:00+08:00'],
  ])('%s + %s working hours → %s', (start, amount, expected) => {
    expect(due(start, amount, 'working_hours', CALENDAR_JD_EVIDENCE)).toBe(utc(expected));
  });
});

describe('working_hours: CN workdays (weekends, statutory holidays, 调休 make-up workdays)', () => {
  it.each([
    ['Friday into Monday', '2026-11-20T16:00:00+08:00', 4, '2026-11-23T11:00:00+08:00'],
    ['weekend event starts at Monday opening', '2026-11-21T11:00:00+08:00', 2, '2026-11-23T11:00:00+08:00'],
    ['over National Day week', '2026-09-30T15:00:00+08:00', 8, '2026-10-08T14:00:00+08:00'],
    ['make-up Sunday before National Day is worked', '2026-09-19T10:00:00+08:00', 4, '2026-09-20T13:00:00+08:00'],
    ['over Mid-Autumn and its weekend', '2026-09-24T17:00:00+08:00', 2, '2026-09-28T10:00:00+08:00'],
    ['make-up Saturday after National Day is worked', '2026-10-09T17:00:00+08:00', 2, '2026-10-10T10:00:00+08:00'],
    ['into the Spring Festival make-up Saturday', '2026-02-13T17:00:00+08:00', 2, '2026-02-14T10:00:00+08:00'],
    ['over Spring Festival', '2026-02-14T17:30:00+08:00', 1, '2026-02-24T09:30:00+08:00'],
    ['New Year make-up Sunday', '2025-12-31T17:00:00+08:00', 3, '2026-01-04T11:00:00+08:00'],
  ])('%s', (_label, start, amount, expected) => {
    expect(due(start, amount, 'working_hours', CALENDAR_CN_WORKDAYS)).toBe(utc(expected));
  });
});

describe('working_hours across the Berlin DST changes (working time is real elapsed time)', () => {
  it.each([
    ['office hours on the spring-forward Sunday', BERLIN_EVERY_DAY, '2026-03-28T16:00:00+01:00', 4, '2026-03-29T11:00:00+02:00'],
    ['office hours on the fall-back Sunday', BERLIN_EVERY_DAY, '2026-10-24T16:00:00+02:00', 4, '2026-10-25T11:00:00+01:00'],
    ['24x7: the spring-forward day has 23 hours', BERLIN_24X7, '2026-03-29T00:00:00+01:00', 24, '2026-03-30T01:00:00+02:00'],
    ['24x7: the fall-back day has 25 hours', BERLIN_24X7, '2026-10-25T00:00:00+02:00', 24, '2026-10-25T23:00:00+01:00'],
    ['01:00-04:00 shift loses its gap hour in spring', BERLIN_NIGHT_SHIFT, '2026-03-29T01:00:00+01:00', 3, '2026-04-05T02:00:00+02:00'],
    ['01:00-04:00 shift gains the repeated hour in autumn', BERLIN_NIGHT_SHIFT, '2026-10-25T01:00:00+02:00', 4, '2026-10-25T04:00:00+01:00'],
  ])('%s', (_label, calendar, start, amount, expected) => {
    expect(due(start, amount, 'working_hours', calendar)).toBe(utc(expected));
  });
});

describe('working_days: N whole working days after the event day, due at that day’s closing', () => {
  it.each([
    ['Monday afternoon', CALENDAR_CN_WORKDAYS, '2026-11-16T14:00:00+08:00', 1, '2026-11-17T18:00:00+08:00'],
    ['before opening, the event day still does not count', CALENDAR_CN_WORKDAYS, '2026-11-16T08:00:00+08:00', 1, '2026-11-17T18:00:00+08:00'],
    ['Friday', CALENDAR_CN_WORKDAYS, '2026-11-20T10:00:00+08:00', 1, '2026-11-23T18:00:00+08:00'],
    ['Saturday', CALENDAR_CN_WORKDAYS, '2026-11-21T10:00:00+08:00', 1, '2026-11-23T18:00:00+08:00'],
    ['over National Day', CALENDAR_CN_WORKDAYS, '2026-09-30T10:00:00+08:00', 1, '2026-10-08T18:00:00+08:00'],
    ['make-up Saturday counts', CALENDAR_CN_WORKDAYS, '2026-09-30T10:00:00+08:00', 3, '2026-10-10T18:00:00+08:00'],
    ['7 working days of court proof over Mid-Autumn', CALENDAR_CN_WORKDAYS, '2026-09-18T10:00:00+08:00', 7, '2026-09-29T18:00:00+08:00'],
    ['JD calendar works Sundays', CALENDAR_JD_EVIDENCE, '2026-11-21T10:00:00+08:00', 1, '2026-11-22T18:00:00+08:00'],
    ['24x7 closes at midnight', CALENDAR_24X7, '2026-11-16T14:00:00+08:00', 2, '2026-11-19T00:00:00+08:00'],
    ['Berlin, over spring-forward weekend', BERLIN_OFFICE, '2026-03-27T10:00:00+01:00', 1, '2026-03-30T18:00:00+02:00'],
    ['Berlin, over fall-back weekend', BERLIN_OFFICE, '2026-10-23T10:00:00+02:00', 1, '2026-10-26T18:00:00+01:00'],
  ])('%s', (_label, calendar, start, amount, expected) => {
    expect(due(start, amount, 'working_days', calendar)).toBe(utc(expected));
  });
});

describe('zero and invalid amounts', () => {
  it.each(['seconds', 'minutes', 'hours', 'calendar_days', 'working_hours', 'working_days'] as const)(
    'zero %s is due at once', (unit) => {
      expect(due('2026-11-21T20:00:00+08:00', 0, unit, CALENDAR_CN_WORKDAYS)).toBe(utc('2026-11-21T20:00:00+08:00'));
    },
  );

  it.each([
    [{ amount: -1, unit: 'hours' }],
    [{ amount: 1.5, unit: 'calendar_days' }],
    [{ amount: 2.5, unit: 'working_days' }],
    [{ amount: Number.NaN, unit: 'working_hours' }],
    [{ amount: 1, unit: 'weeks' }],
  ])('%j is rejected', (spec) => {
    expect(() => addBusinessDuration(0, spec as DurationSpec, CALENDAR_24X7)).toThrow(RangeError);
  });

  it('a calendar without working time cannot meet a working deadline', () => {
    const never: Calendar = { ...CALENDAR_JD_EVIDENCE, id: 'never', workingHours: {} };
    expect(() => addBusinessDuration(0, { amount: 1, unit: 'working_hours' }, never)).toThrow(/no working time/);
    expect(() => addBusinessDuration(0, { amount: 1, unit: 'working_days' }, never)).toThrow(/fewer than 1 working days/);
  });
});

describe('durationToMs', () => {
  it.each([
    [{ amount: 30, unit: 'seconds' }, 30_000],
    [{ amount: 15, unit: 'minutes' }, 900_000],
    [{ amount: 24, unit: 'hours' }, 86_400_000],
    [{ amount: 0.5, unit: 'hours' }, 1_800_000],
    [{ amount: 0.0015, unit: 'seconds' }, 2],
  ] as const)('%j → %i ms', (spec, expected) => {
    expect(durationToMs(spec)).toBe(expected);
  });

  it.each(['calendar_days', 'working_hours', 'working_days'] as const)('%s has no fixed length', (unit) => {
    expect(() => durationToMs({ amount: 1, unit })).toThrow(RangeError);
  });
});

describe('validateDurationSpec', () => {
  it.each([
    [{ amount: 4, unit: 'working_hours', calendar: 'jd-evidence' }, []],
    [{ amount: 0, unit: 'seconds' }, []],
    [{ amount: 7, unit: 'calendar_days' }, []],
    [null, ['duration must be an object {amount, unit}']],
    [{ amount: -1, unit: 'hours' }, ['amount must be a finite number ≥ 0']],
    [{ amount: Infinity, unit: 'hours' }, ['amount must be a finite number ≥ 0']],
    [{ amount: '4', unit: 'hours' }, ['amount must be a finite number ≥ 0']],
    [{ amount: 1, unit: 'days' }, ['unit must be one of seconds, minutes, hours, calendar_days, working_hours, working_days']],
    [{ amount: 1.5, unit: 'calendar_days' }, ['calendar_days must be a whole number of days']],
    [{ amount: 0.5, unit: 'working_days' }, ['working_days must be a whole number of days']],
    [{ amount: 1, unit: 'hours', calendar: '' }, ['calendar must be a calendar id']],
  ])('%j → %j', (spec, problems) => {
    expect(validateDurationSpec(spec)).toEqual(problems);
  });
});
