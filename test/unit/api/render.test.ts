// The edge's rendering of case views: toIsoWithOffset, now from one reading of the wall clock, gives the text it
// gave from two for every instant (DST gaps and overlaps, offsets of odd minutes, far past and future), and the
// same deep copy as before.
import { describe, expect, it } from 'vitest';
import { isoInZone, renderCaseView, renderTimes } from '../../../api/render';
import { epochToLocal, toIsoWithOffset, zoneOffsetMs } from '../../../workflows/domain/clock';
import { pad } from '../../../workflows/domain/clock/local-date';

/** toIsoWithOffset as it was: the wall clock and the offset each read on their own. */
function twoReadings(ms: number, timeZone: string): string {
  const local = epochToLocal(ms, timeZone);
  const offsetMinutes = Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
  const date = `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}`;
  const time = `${pad(local.hour, 2)}:${pad(local.minute, 2)}:${pad(local.second, 2)}.${pad(local.millisecond, 3)}`;
  return `${date}T${time}${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60), 2)}:${pad(Math.abs(offsetMinutes) % 60, 2)}`;
}

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'UTC', 'Africa/Monrovia'];

describe('toIsoWithOffset', () => {
  it('answers what two readings answered, around every offset change and far from them', () => {
    const instants: number[] = [0, -1, 1, 999, -999, Date.parse('1900-01-01T00:00:00Z'), Date.parse('1972-01-01T00:00:00Z'), Date.parse('2100-06-30T12:34:56.789Z')];
    // Every 211 minutes plus a few ms over two years: every DST change of these zones, both sides of it.
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 211 * 60_000 + 13) instants.push(t);
    // The exact instants of Berlin's and New York's changes in 2026, and a millisecond either side.
    for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z']) {
      const at = Date.parse(change);
      instants.push(at - 1, at, at + 1);
    }
    for (const timeZone of ZONES) {
      for (const ms of instants) expect(toIsoWithOffset(ms, timeZone)).toBe(twoReadings(ms, timeZone));
    }
  });

  it('isoInZone renders the same', () => {
    expect(isoInZone(Date.parse('2026-11-22T08:40:00Z'), 'Asia/Shanghai')).toBe('2026-11-22T16:40:00.000+08:00');
  });
});

describe('renderTimes', () => {
  // What renderTimes did before it rendered each instant once: kept as the reference.
  const isTimeField = (name: string) => name === 'at' || name === 'since' || /[a-z]At$/.test(name);
  const reference = (value: unknown, timeZone: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => reference(item, timeZone));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [
      name, typeof field === 'number' && isTimeField(name) ? toIsoWithOffset(field, timeZone) : reference(field, timeZone),
    ]));
  };
  const now = Date.parse('2026-11-22T08:40:00.123Z');
  const samples: unknown[] = [
    {
      id: 'as_1', createdAt: now, updatedAt: now, at: now + 1, since: now - 86_400_000, timeline: [{ at: now, data: { dueAt: now + 5, count: 3 } }],
      deadlines: [{ name: 'merchantResponse', dueAt: now + 7 * 86_400_000 }], links: [], n: null, flag: true, At: 5, zAt: 'text', nested: [[{ closedAt: 0 }]],
    },
    JSON.parse('{"__proto__": {"at": 1}, "b": 2}'),
    [now, { at: -0 }, 'x', null],
    5, null, 'text',
  ];

  it('is the same deep copy, key order and own properties included', () => {
    for (const timeZone of ZONES) {
      for (const value of samples) {
        const rendered = renderTimes(value, timeZone);
        expect(rendered).toStrictEqual(reference(value, timeZone));
        expect(JSON.stringify(rendered)).toBe(JSON.stringify(reference(value, timeZone)));
      }
    }
    expect(Object.keys(renderTimes(samples[1], 'UTC') as object)).toEqual(['__proto__', 'b']);
    expect(renderTimes(samples[0], 'UTC')).not.toBe(samples[0]);
  });

  it('renders a view in its own zone and refuses an instant that is not one, as before', () => {
    expect(renderCaseView({ timeZone: 'Asia/Shanghai', createdAt: now })).toEqual({ timeZone: 'Asia/Shanghai', createdAt: '2026-11-22T16:40:00.123+08:00' });
    expect(() => renderTimes({ at: Number.NaN }, 'UTC')).toThrow(RangeError);
  });
});
