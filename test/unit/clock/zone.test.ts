// Zone conversions: offsets, wall time ↔ instant across DST gaps and overlaps, local dates, ISO rendering.
import { describe, expect, it } from 'vitest';
import {
  epochToLocal, isKnownTimeZone, localDate, localToEpoch, startOfNextLocalDay, toIsoWithOffset, zoneOffsetMs,
} from '../../../workflows/domain/clock';

const ms = (iso: string) => Date.parse(iso);
const utc = (iso: string) => new Date(iso).toISOString();
const wall = (date: string, time: string) => {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return { year, month, day, hour, minute };
};

describe('toIsoWithOffset renders an instant in the case calendar zone', () => {
  it.each([
    ['2026-11-22T08:40:00Z', 'Asia/Shanghai', '2026-11-22T16:40:00.000+08:00'],
    ['2026-11-15T16:00:00Z', 'Asia/Shanghai', '2026-11-16T00:00:00.000+08:00'],
    ['2026-07-01T10:00:00.123Z', 'Europe/Berlin', '2026-07-01T12:00:00.123+02:00'],
    ['2026-01-15T10:00:00Z', 'Europe/Berlin', '2026-01-15T11:00:00.000+01:00'],
    ['2026-03-29T00:59:59.999Z', 'Europe/Berlin', '2026-03-29T01:59:59.999+01:00'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29T03:00:00.000+02:00'],
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00.000+02:00'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00.000+01:00'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08T03:00:00.000-04:00'],
    ['2026-01-01T00:00:00Z', 'Asia/Kolkata', '2026-01-01T05:30:00.000+05:30'],
    ['2026-01-01T00:00:00Z', 'UTC', '2026-01-01T00:00:00.000+00:00'],
    ['1969-12-31T23:59:59.500Z', 'UTC', '1969-12-31T23:59:59.500+00:00'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(toIsoWithOffset(ms(instant), zone)).toBe(expected);
    expect(utc(toIsoWithOffset(ms(instant), zone))).toBe(utc(instant));
  });
});

describe('zoneOffsetMs', () => {
  it.each([
    ['2026-06-01T00:00:00Z', 'Asia/Shanghai', 8 * 60],
    ['2026-07-01T00:00:00Z', 'Europe/Berlin', 2 * 60],
    ['2026-12-01T00:00:00Z', 'Europe/Berlin', 60],
    ['2026-12-01T00:00:00Z', 'America/New_York', -5 * 60],
    ['2026-12-01T00:00:00Z', 'Asia/Kolkata', 5 * 60 + 30],
  ])('%s in %s is %i minutes', (instant, zone, minutes) => {
    expect(zoneOffsetMs(ms(instant), zone)).toBe(minutes * 60_000);
  });
});

describe('localToEpoch: wall time to instant (gap → moved forward, overlap → earlier instant)', () => {
  it.each([
    ['Asia/Shanghai', '2026-11-15', '23:59', '2026-11-15T15:59:00Z'],
    ['Asia/Shanghai', '2026-01-01', '00:00', '2025-12-31T16:00:00Z'],
    ['Europe/Berlin', '2026-03-29', '01:59', '2026-03-29T00:59:00Z'],
    ['Europe/Berlin', '2026-03-29', '02:00', '2026-03-29T01:00:00Z'], // gap: 03:00 CEST
    ['Europe/Berlin', '2026-03-29', '02:30', '2026-03-29T01:30:00Z'], // gap: 03:30 CEST
    ['Europe/Berlin', '2026-03-29', '03:00', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin', '2026-10-25', '01:59', '2026-10-24T23:59:00Z'],
    ['Europe/Berlin', '2026-10-25', '02:00', '2026-10-25T00:00:00Z'], // overlap: first 02:00, CEST
    ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T00:30:00Z'], // overlap: CEST
    ['Europe/Berlin', '2026-10-25', '03:00', '2026-10-25T02:00:00Z'],
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00Z'], // overlap: EDT
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00Z'], // gap: 03:30 EDT
    ['America/Santiago', '2026-09-06', '00:00', '2026-09-06T04:00:00Z'], // midnight gap: 01:00 -03
  ])('%s %s %s is %s', (zone, date, time, expected) => {
    expect(new Date(localToEpoch(wall(date, time), zone)).toISOString()).toBe(utc(expected));
  });

  it('keeps seconds and milliseconds', () => {
    const instant = localToEpoch({ ...wall('2026-07-01', '12:00'), second: 7, millisecond: 250 }, 'Europe/Berlin');
    expect(new Date(instant).toISOString()).toBe('2026-07-01T10:00:07.250Z');
  });
});

describe('epochToLocal', () => {
  it('gives wall fields with a 0-23 hour', () => {
    expect(epochToLocal(ms('2026-11-15T16:00:00.042Z'), 'Asia/Shanghai')).toEqual({
      year: 2026, month: 11, day: 16, hour: 0, minute: 0, second: 0, millisecond: 42,
    });
  });
});

describe('localDate', () => {
  it.each([
    ['2026-11-15T15:59:59.999Z', 'Asia/Shanghai', '2026-11-15'],
    ['2026-11-15T16:00:00Z', 'Asia/Shanghai', '2026-11-16'],
    ['2026-03-28T22:59:59Z', 'Europe/Berlin', '2026-03-28'],
    ['2026-03-28T23:00:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-10-25T22:59:59Z', 'Europe/Berlin', '2026-10-25'],
    ['2026-10-25T23:00:00Z', 'Europe/Berlin', '2026-10-26'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(localDate(ms(instant), zone)).toBe(expected);
  });
});

describe('startOfNextLocalDay: the end of the instant’s local day', () => {
  it.each([
    ['2026-11-15T23:59:00+08:00', 'Asia/Shanghai', '2026-11-16T00:00:00+08:00'],
    ['2026-11-16T00:00:00+08:00', 'Asia/Shanghai', '2026-11-17T00:00:00+08:00'],
    ['2026-03-28T12:00:00+01:00', 'Europe/Berlin', '2026-03-29T00:00:00+01:00'],
    ['2026-03-29T12:00:00+02:00', 'Europe/Berlin', '2026-03-30T00:00:00+02:00'],
    ['2026-10-24T12:00:00+02:00', 'Europe/Berlin', '2026-10-25T00:00:00+02:00'],
    ['2026-10-25T12:00:00+01:00', 'Europe/Berlin', '2026-10-26T00:00:00+01:00'],
    ['2026-09-05T12:00:00-04:00', 'America/Santiago', '2026-09-06T01:00:00-03:00'],
  ])('after %s in %s comes %s', (instant, zone, expected) => {
    expect(new Date(startOfNextLocalDay(ms(instant), zone)).toISOString()).toBe(utc(expected));
  });
});

describe('isKnownTimeZone', () => {
  it.each([
    ['Asia/Shanghai', true], ['Europe/Berlin', true], ['UTC', true], ['Mars/Olympus_Mons', false], ['', false],
  ])('%s → %s', (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
  });
});
