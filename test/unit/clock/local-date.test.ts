// Local date strings: validity, day arithmetic across months, years and leap days, weekdays, wall times.
import { describe, expect, it } from 'vitest';
import { addLocalDays, dayNumberOf, isLocalDate, minuteOfDay, weekdayOf } from '../../../workflows/domain/clock/local-date';

describe('addLocalDays', () => {
  it.each([
    ['2026-11-15', 1, '2026-11-16'],
    ['2026-11-15', 8, '2026-11-23'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1969-12-31', 1, '1970-01-01'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('%s + %i days = %s', (date, days, expected) => {
    expect(addLocalDays(date, days)).toBe(expected);
  });

  it('rejects a malformed date', () => {
    expect(() => addLocalDays('2026-2-1', 1)).toThrow(RangeError);
  });
});

describe('weekdayOf (0 = Sunday)', () => {
  it.each([
    ['1970-01-01', 4], ['2026-01-01', 4], ['2026-01-04', 0], ['2026-02-14', 6], ['2026-10-01', 4],
    ['2026-10-10', 6], ['2026-11-16', 1], ['2026-11-20', 5], ['1969-12-28', 0],
  ])('%s → %i', (date, weekday) => {
    expect(weekdayOf(date)).toBe(weekday);
  });
});

describe('isLocalDate / dayNumberOf', () => {
  it.each([
    ['2026-02-28', true], ['2026-02-29', false], ['2028-02-29', true], ['2026-13-01', false],
    ['2026-04-31', false], ['2026-1-01', false], ['2026-01-01T00:00', false], ['', false],
  ])('%s valid: %s', (date, valid) => {
    expect(isLocalDate(date)).toBe(valid);
  });

  it('counts days from 1970-01-01', () => {
    expect(dayNumberOf('1970-01-01')).toBe(0);
    expect(dayNumberOf('2026-01-01')).toBe(20_454);
  });
});

describe('minuteOfDay', () => {
  it.each([
    ['00:00', 0], ['09:00', 540], ['18:00', 1080], ['23:59', 1439], ['24:00', 1440],
    ['24:01', undefined], ['9:00', undefined], ['12:60', undefined], ['25:00', undefined],
  ])('%s → %s', (time, minutes) => {
    expect(minuteOfDay(time)).toBe(minutes);
  });
});
