/**
 * The shape of a business calendar (plain JSON data: zone, weekly working hours, holidays, 调休 make-up
 * workdays) and its validation at the API edge. The built-in calendars live in builtin-calendars.ts.
 */
import { isLocalDate, minuteOfDay, weekdayOf } from './local-date';
import { isKnownTimeZone } from './zone';

export { BUILT_IN_CALENDARS, CALENDAR_24X7, CALENDAR_CN_WORKDAYS, CALENDAR_JD_EVIDENCE } from './builtin-calendars';

/** A span of wall-clock working time within one local day: 'HH:MM' to 'HH:MM' ('24:00' ends the day). */
export interface WorkingInterval {
  start: string;
  end: string;
}

/** 0 = Sunday … 6 = Saturday; a weekday left out is not worked. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export type WeeklyHours = Partial<Record<Weekday, WorkingInterval[]>>;

export interface Calendar {
  id: string;
  /** IANA zone, e.g. 'Asia/Shanghai'. Days, hours and holidays are wall-clock in this zone. */
  timeZone: string;
  /** Working intervals per weekday, or '24x7' for every minute of every day. */
  workingHours: WeeklyHours | '24x7';
  /** 'YYYY-MM-DD' local dates not worked (法定节假日), whatever their weekday. */
  holidays: string[];
  /** 调休: 'YYYY-MM-DD' local dates worked although normally off, with `makeUpHours` or Monday's hours. */
  makeUpWorkdays: string[];
  makeUpHours?: WorkingInterval[];
  /**
   * The years whose holidays and make-up workdays are published (statutory years are announced one at a
   * time, around November of the year before). Absent: the years of the dates listed, and every year when
   * none are (a calendar without statutory dates). See year-coverage.ts.
   */
  years?: number[];
}

/** Problems that make a calendar unusable, as readable sentences; empty when it is valid. */
export function validateCalendar(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return ['calendar must be an object'];
  const c = candidate as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c.id !== 'string' || c.id.trim() === '') problems.push('id must be a non-empty string');
  if (typeof c.timeZone !== 'string' || !isKnownTimeZone(c.timeZone)) {
    problems.push(`timeZone ${JSON.stringify(c.timeZone)} is not a known IANA time zone`);
  }
  const weekly = c.workingHours;
  let hasWeeklyHours = weekly === '24x7';
  if (weekly !== '24x7') {
    if (typeof weekly !== 'object' || weekly === null || Array.isArray(weekly)) {
      problems.push("workingHours must be '24x7' or an object keyed by weekday 0-6");
    } else {
      for (const [key, intervals] of Object.entries(weekly)) {
        if (!/^[0-6]$/.test(key)) problems.push(`workingHours key ${JSON.stringify(key)} is not a weekday 0-6`);
        problems.push(...intervalProblems(`workingHours.${key}`, intervals));
        if (Array.isArray(intervals) && intervals.length > 0) hasWeeklyHours = true;
      }
      if (!hasWeeklyHours) problems.push('workingHours has no working time on any weekday');
    }
  }
  const holidays = dateListProblems('holidays', c.holidays, problems);
  const makeUps = dateListProblems('makeUpWorkdays', c.makeUpWorkdays, problems);
  if (c.makeUpHours !== undefined) problems.push(...intervalProblems('makeUpHours', c.makeUpHours));
  for (const date of makeUps) {
    if (holidays.includes(date)) problems.push(`${date} is both a holiday and a make-up workday`);
    if (worksRegularly(weekly, weekdayOf(date))) problems.push(`make-up workday ${date} is already a regular working day`);
  }
  problems.push(...yearsProblems(c.years, [...holidays, ...makeUps]));
  if (makeUps.length > 0 && c.makeUpHours === undefined && !worksRegularly(weekly, 1)) {
    problems.push('make-up workdays need makeUpHours or Monday working hours');
  }
  return problems;
}

function yearsProblems(years: unknown, dates: string[]): string[] {
  if (years === undefined) return [];
  if (!Array.isArray(years) || !years.every((y) => Number.isInteger(y) && y >= 1900 && y <= 9999)) return ['years must be an array of years (1900-9999)'];
  if (new Set(years).size !== years.length) return ['years lists a year twice'];
  return dates.filter((date) => !years.includes(Number(date.slice(0, 4)))).map((date) => `${date} lies in a year not listed in years`);
}

function worksRegularly(weekly: unknown, weekday: number): boolean {
  if (weekly === '24x7') return true;
  const intervals = typeof weekly === 'object' && weekly !== null ? (weekly as Record<number, unknown>)[weekday] : undefined;
  return Array.isArray(intervals) && intervals.length > 0;
}

function intervalProblems(path: string, intervals: unknown): string[] {
  if (!Array.isArray(intervals)) return [`${path} must be an array of {start, end}`];
  const problems: string[] = [];
  const spans: Array<[number, number]> = [];
  intervals.forEach((interval: unknown, index) => {
    const { start, end } = (interval ?? {}) as Partial<Record<'start' | 'end', unknown>>;
    const from = typeof start === 'string' && start !== '24:00' ? minuteOfDay(start) : undefined;
    const to = typeof end === 'string' ? minuteOfDay(end) : undefined;
    if (from === undefined) problems.push(`${path}[${index}].start ${JSON.stringify(start)} is not HH:MM (00:00-23:59)`);
    if (to === undefined) problems.push(`${path}[${index}].end ${JSON.stringify(end)} is not HH:MM (00:01-24:00)`);
    if (from !== undefined && to !== undefined) {
      if (from >= to) problems.push(`${path}[${index}] ends before it starts (overnight spans are split at 24:00)`);
      else spans.push([from, to]);
    }
  });
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) problems.push(`${path} has overlapping intervals`);
  }
  return problems;
}

function dateListProblems(path: string, dates: unknown, problems: string[]): string[] {
  if (!Array.isArray(dates)) {
    problems.push(`${path} must be an array of YYYY-MM-DD dates`);
    return [];
  }
  const valid: string[] = [];
  for (const date of dates) {
    if (!isLocalDate(date)) problems.push(`${path} entry ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
    else if (valid.includes(date)) problems.push(`${path} lists ${date} twice`);
    else valid.push(date);
  }
  return valid;
}
