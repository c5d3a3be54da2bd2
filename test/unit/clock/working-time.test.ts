// Working time measured between two instants, the inverse of adding working hours.
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_24X7, CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE, workingTimeBetween, type Calendar,
} from '../../../workflows/domain/clock';

const ms = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const BERLIN_24X7: Calendar = { ...CALENDAR_24X7, id: 'berlin-24x7', timeZone: 'Europe/Berlin' };

describe('workingTimeBetween', () => {
  it.each([
    ['JD 10:00 → 14:00', CALENDAR_JD_EVIDENCE, '2026-11-22T10:00:00+08:00', '2026-11-22T14:00:00+08:00', 4 * H],
    ['JD 14:01 → 09:01 next day', CALENDAR_JD_EVIDENCE, '2026-11-22T14:01:00+08:00', '2026-11-23T09:01:00+08:00', 4 * H],
    ['JD overnight only', CALENDAR_JD_EVIDENCE, '2026-11-22T18:00:00+08:00', '2026-11-23T09:00:00+08:00', 0],
    ['JD a whole week', CALENDAR_JD_EVIDENCE, '2026-11-16T00:00:00+08:00', '2026-11-23T00:00:00+08:00', 63 * H],
    ['backwards is zero', CALENDAR_JD_EVIDENCE, '2026-11-22T14:00:00+08:00', '2026-11-22T10:00:00+08:00', 0],
    ['CN Friday 16:00 → Monday 11:00', CALENDAR_CN_WORKDAYS, '2026-11-20T16:00:00+08:00', '2026-11-23T11:00:00+08:00', 4 * H],
    ['CN National Day week, make-up days in', CALENDAR_CN_WORKDAYS, '2026-09-19T00:00:00+08:00', '2026-10-11T00:00:00+08:00', 11 * 9 * H],
    ['Berlin 24x7 over the spring-forward day', BERLIN_24X7, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 23 * H],
    ['Berlin 24x7 over the fall-back day', BERLIN_24X7, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 25 * H],
  ])('%s', (_label, calendar, from, to, expected) => {
    expect(workingTimeBetween(ms(from), ms(to), calendar)).toBe(expected);
  });
});
