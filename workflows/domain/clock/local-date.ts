/**
 * Local calendar dates ('YYYY-MM-DD') and wall times of day ('HH:MM') as plain strings, with the day
 * arithmetic the business clock needs. Proleptic Gregorian, no time zone involved.
 */

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^(\d{2}):(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a local date; undefined when the string is not a real 'YYYY-MM-DD' date. */
export function dayNumberOf(date: string): number | undefined {
  const match = LOCAL_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const days = Date.UTC(year, month - 1, day) / MS_PER_DAY;
  return localDateOfDayNumber(days) === date ? days : undefined;
}

/** The 'YYYY-MM-DD' date of a day number (days since 1970-01-01). */
export function localDateOfDayNumber(days: number): string {
  // Civil-from-days (H. Hinnant): exact integer arithmetic, no Date object.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524)
    - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function isLocalDate(value: unknown): value is string {
  return typeof value === 'string' && dayNumberOf(value) !== undefined;
}

/** The date `days` days after (or before, when negative) a local date. */
export function addLocalDays(date: string, days: number): string {
  return localDateOfDayNumber(requireDayNumber(date) + days);
}

/** Day of the week of a local date: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return (((requireDayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Minutes after midnight of an 'HH:MM' wall time ('24:00' = 1440, the end of the day); undefined if malformed. */
export function minuteOfDay(wallTime: string): number | undefined {
  const match = WALL_TIME.exec(wallTime);
  if (!match) return undefined;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours === 24 && minutes === 0) return 1440;
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined;
}

export function pad(value: number, width: number): string {
  return String(Math.abs(value)).padStart(width, '0');
}

function requireDayNumber(date: string): number {
  const days = dayNumberOf(date);
  if (days === undefined) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return days;
}
