/**
 * Conversions between epoch milliseconds and wall-clock time in an IANA time zone, via Intl.DateTimeFormat
 * (deterministic, allowed in the workflow sandbox). Renders instants as ISO-8601 with the zone's offset.
 *
 * DST rule (the same as the JavaScript Temporal API's `disambiguation: 'compatible'`):
 * - a wall time that does not exist (spring-forward gap, e.g. 02:30 in Berlin on 2026-03-29) is moved
 *   forward by the length of the gap (→ 03:30 CEST);
 * - a wall time that exists twice (fall-back overlap, e.g. 02:30 in Berlin on 2026-10-25) is the earlier
 *   instant (02:30 CEST, +02:00).
 */
import { addLocalDays, dayNumberOf, localDateOfDayNumber, pad } from './local-date';

export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
export function epochToLocal(ms: number, timeZone: string): Required<LocalDateTime> {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year, month: fields.month, day: fields.day,
    hour: fields.hour === 24 ? 0 : fields.hour, minute: fields.minute, second: fields.second,
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at an instant, in ms (+08:00 → 28 800 000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const local = epochToLocal(ms, timeZone);
  return wallAsUtc(local) - ms;
}

/** The instant of a wall-clock time in a zone; gaps and overlaps resolved as the module comment says. */
export function localToEpoch(local: LocalDateTime, timeZone: string): number {
  const wall = wallAsUtc(local);
  // At most one offset change lies within a day of any wall time, so the offsets one day either side
  // are the only candidates.
  const offsetBefore = zoneOffsetMs(wall - MS_PER_DAY, timeZone);
  const offsetAfter = zoneOffsetMs(wall + MS_PER_DAY, timeZone);
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((instant) => zoneOffsetMs(instant, timeZone) === wall - instant);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - offsetBefore; // in a gap: the wall time moved forward by the gap's length
}

/** The 'YYYY-MM-DD' date of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  const { year, month, day } = epochToLocal(ms, timeZone);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The instant a wall time `minuteOfDay` minutes after midnight falls on a local date (1440 = next midnight). */
export function atLocalTime(date: string, minuteOfDay: number, timeZone: string): number {
  const days = dayNumberOf(date);
  if (days === undefined) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const dayStart = localDateOfDayNumber(days + Math.floor(minuteOfDay / 1440));
  const minute = minuteOfDay % 1440;
  const [year, month, day] = dayStart.split('-').map(Number);
  return localToEpoch({ year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 }, timeZone);
}

/** 00:00 local of a date (01:00 or later where midnight falls in a DST gap). */
export function startOfLocalDate(date: string, timeZone: string): number {
  return atLocalTime(date, 0, timeZone);
}

/** 00:00 local of the day after the instant's local date: the end of the instant's day. */
export function startOfNextLocalDay(ms: number, timeZone: string): number {
  return startOfLocalDate(addLocalDays(localDate(ms, timeZone), 1), timeZone);
}

/** ISO-8601 with the zone's offset, e.g. '2026-11-22T16:40:00.000+08:00' (offsets rendered to the minute). */
export function toIsoWithOffset(ms: number, timeZone: string): string {
  const local = epochToLocal(ms, timeZone);
  // The offset from the same reading of the wall clock (zoneOffsetMs would read it again: Intl is the cost here).
  const offsetMinutes = Math.round((wallAsUtc(local) - ms) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const date = `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}`;
  const time = `${pad(local.hour, 2)}:${pad(local.minute, 2)}:${pad(local.second, 2)}.${pad(local.millisecond, 3)}`;
  return `${date}T${time}${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60), 2)}:${pad(Math.abs(offsetMinutes) % 60, 2)}`;
}

function wallAsUtc(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0,
    local.millisecond ?? 0);
}
