// Business calendars: the built-in data (2026 statutory holidays, 调休 make-up workdays) and validation.
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CALENDARS, CALENDAR_24X7, CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE, validateCalendar, workingIntervalsOn,
  type Calendar,
} from '../../../workflows/domain/clock';

const OFFICE = [{ start: '09:00', end: '18:00' }];

describe('built-in calendars', () => {
  it.each([
    ['24x7', CALENDAR_24X7], ['cn-workdays', CALENDAR_CN_WORKDAYS], ['jd-evidence', CALENDAR_JD_EVIDENCE],
  ])('%s is valid, in Asia/Shanghai and listed by id', (id, calendar) => {
    expect(validateCalendar(calendar)).toEqual([]);
    expect(calendar.timeZone).toBe('Asia/Shanghai');
    expect(BUILT_IN_CALENDARS[id]).toBe(calendar);
  });

  it('CN 2026 has 33 days off in holiday spans and 6 make-up workdays', () => {
    expect(CALENDAR_CN_WORKDAYS.holidays).toHaveLength(33);
    expect(CALENDAR_CN_WORKDAYS.makeUpWorkdays).toEqual([
      '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
    ]);
  });
});

describe('workingIntervalsOn: CN workdays 2026 (State Council schedule)', () => {
  it.each([
    ['2026-01-01', 'Thu, New Year', []],
    ['2026-01-02', 'Fri, New Year', []],
    ['2026-01-04', 'Sun, make-up for New Year', OFFICE],
    ['2026-01-05', 'Mon', OFFICE],
    ['2026-02-13', 'Fri before Spring Festival', OFFICE],
    ['2026-02-14', 'Sat, make-up', OFFICE],
    ['2026-02-16', 'Mon, 除夕', []],
    ['2026-02-23', 'Mon, last day of Spring Festival', []],
    ['2026-02-24', 'Tue', OFFICE],
    ['2026-02-28', 'Sat, make-up', OFFICE],
    ['2026-03-01', 'Sun', []],
    ['2026-04-06', 'Mon, Qingming', []],
    ['2026-05-04', 'Mon, Labour Day', []],
    ['2026-05-05', 'Tue, Labour Day', []],
    ['2026-05-09', 'Sat, make-up', OFFICE],
    ['2026-06-19', 'Fri, Dragon Boat', []],
    ['2026-09-20', 'Sun, make-up for National Day', OFFICE],
    ['2026-09-25', 'Fri, Mid-Autumn', []],
    ['2026-09-30', 'Wed', OFFICE],
    ['2026-10-01', 'Thu, National Day', []],
    ['2026-10-07', 'Wed, National Day', []],
    ['2026-10-08', 'Thu', OFFICE],
    ['2026-10-10', 'Sat, make-up for National Day', OFFICE],
    ['2026-10-11', 'Sun', []],
    ['2026-11-21', 'Sat', []],
  ])('%s (%s)', (date, _label, expected) => {
    expect(workingIntervalsOn(CALENDAR_CN_WORKDAYS, date)).toEqual(expected);
  });
});

describe('workingIntervalsOn: other shapes', () => {
  const custom: Calendar = {
    id: 'split-shift', timeZone: 'Asia/Shanghai',
    workingHours: { 1: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }], 6: [{ start: '10:00', end: '14:00' }] },
    holidays: ['2026-11-23'], makeUpWorkdays: ['2026-11-22'], makeUpHours: [{ start: '10:00', end: '16:00' }],
  };
  it.each([
    [CALENDAR_JD_EVIDENCE, '2026-11-22', OFFICE],
    [CALENDAR_24X7, '2026-10-01', [{ start: '00:00', end: '24:00' }]],
    [{ ...CALENDAR_24X7, holidays: ['2026-10-01'] }, '2026-10-01', []],
    [custom, '2026-11-16', [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]],
    [custom, '2026-11-21', [{ start: '10:00', end: '14:00' }]],
    [custom, '2026-11-22', [{ start: '10:00', end: '16:00' }]],
    [custom, '2026-11-23', []],
    [custom, '2026-11-24', []],
  ])('%#: %s on %s', (calendar, date, expected) => {
    expect(workingIntervalsOn(calendar, date)).toEqual(expected);
  });
});

describe('validateCalendar', () => {
  const base: Calendar = {
    id: 'shop', timeZone: 'Asia/Shanghai', workingHours: { 1: OFFICE, 2: OFFICE },
    holidays: ['2026-10-01'], makeUpWorkdays: ['2026-10-10'],
  };

  it('accepts a valid calendar', () => {
    expect(validateCalendar(base)).toEqual([]);
    expect(validateCalendar({ ...base, workingHours: { 1: [{ start: '00:00', end: '24:00' }] } })).toEqual([]);
  });

  it.each([
    ['not an object', null, 'calendar must be an object'],
    ['empty id', { ...base, id: ' ' }, 'id must be a non-empty string'],
    ['unknown zone', { ...base, timeZone: 'China/Beijing' }, 'timeZone "China/Beijing" is not a known IANA time zone'],
    ['bad working hours', { ...base, workingHours: '9to6' }, "workingHours must be '24x7' or an object keyed by weekday 0-6"],
    ['weekday 7', { ...base, workingHours: { 1: OFFICE, 7: OFFICE } }, 'workingHours key "7" is not a weekday 0-6'],
    ['no hours at all', { ...base, workingHours: { 1: [] } }, 'workingHours has no working time on any weekday'],
    ['malformed start', { ...base, workingHours: { 1: [{ start: '9:00', end: '18:00' }] } }, 'workingHours.1[0].start "9:00" is not HH:MM (00:00-23:59)'],
    ['start at 24:00', { ...base, workingHours: { 1: [{ start: '24:00', end: '24:00' }] } }, 'workingHours.1[0].start "24:00" is not HH:MM (00:00-23:59)'],
    ['malformed end', { ...base, workingHours: { 1: [{ start: '09:00', end: '18:60' }] } }, 'workingHours.1[0].end "18:60" is not HH:MM (00:01-24:00)'],
    ['overnight', { ...base, workingHours: { 1: [{ start: '22:00', end: '06:00' }] } }, 'workingHours.1[0] ends before it starts (overnight spans are split at 24:00)'],
    ['overlap', { ...base, workingHours: { 1: [{ start: '13:00', end: '18:00' }, { start: '09:00', end: '13:30' }] } }, 'workingHours.1 has overlapping intervals'],
    ['intervals not a list', { ...base, workingHours: { 1: OFFICE[0] } }, 'workingHours.1 must be an array of {start, end}'],
    ['holidays not a list', { ...base, holidays: '2026-10-01' }, 'holidays must be an array of YYYY-MM-DD dates'],
    ['impossible holiday', { ...base, holidays: ['2026-02-29'] }, 'holidays entry "2026-02-29" is not a YYYY-MM-DD date'],
    ['duplicate holiday', { ...base, holidays: ['2026-10-01', '2026-10-01'] }, 'holidays lists 2026-10-01 twice'],
    ['holiday and make-up', { ...base, holidays: ['2026-10-10'] }, '2026-10-10 is both a holiday and a make-up workday'],
    ['make-up on a working day', { ...base, makeUpWorkdays: ['2026-10-12'] }, 'make-up workday 2026-10-12 is already a regular working day'],
    ['make-up without hours', { ...base, workingHours: { 2: OFFICE } }, 'make-up workdays need makeUpHours or Monday working hours'],
    ['bad make-up hours', { ...base, makeUpHours: [{ start: '10:00', end: '09:00' }] }, 'makeUpHours[0] ends before it starts (overnight spans are split at 24:00)'],
  ])('%s', (_label, calendar, problem) => {
    expect(validateCalendar(calendar)).toContain(problem);
  });

  it('accepts make-up workdays with their own hours when Monday is off', () => {
    expect(validateCalendar({ ...base, workingHours: { 2: OFFICE }, makeUpHours: OFFICE })).toEqual([]);
  });
});
