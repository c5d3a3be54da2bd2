/**
 * Built-in business calendars: round the clock, Chinese statutory workdays for 2026 (holidays and 调休
 * make-up workdays), and JD's dispute-evidence hours. Custom calendars are versioned data in the registry;
 * later statutory years of a built-in are published by an admin (`PUT /v1/calendars/{id}/years/{year}`)
 * into the registry under the built-in's id, on top of the years written here.
 */
import type { Calendar, WorkingInterval } from './calendar';

const OFFICE_HOURS: WorkingInterval[] = [{ start: '09:00', end: '18:00' }];

/** Every minute of every day, China Standard Time. Id '24x7' is what policies name by default. */
export const CALENDAR_24X7: Calendar = {
  id: '24x7',
  timeZone: 'Asia/Shanghai',
  workingHours: '24x7',
  holidays: [],
  makeUpWorkdays: [],
};

/**
 * 国务院办公厅关于2026年部分节假日安排的通知 (State Council, 2025-11-04): every day off of each holiday
 * span, weekends inside a span included, and the weekend days worked instead (调休上班).
 */
const CN_2026_HOLIDAYS = [
  '2026-01-01', '2026-01-02', '2026-01-03', // 元旦 New Year
  '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21',
  '2026-02-22', '2026-02-23', // 春节 Spring Festival
  '2026-04-04', '2026-04-05', '2026-04-06', // 清明节 Qingming
  '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', // 劳动节 Labour Day
  '2026-06-19', '2026-06-20', '2026-06-21', // 端午节 Dragon Boat
  '2026-09-25', '2026-09-26', '2026-09-27', // 中秋节 Mid-Autumn
  '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', // 国庆节
];
const CN_2026_MAKE_UP_WORKDAYS = [
  '2026-01-04', // Sunday, for New Year
  '2026-02-14', '2026-02-28', // Saturdays, for Spring Festival
  '2026-05-09', // Saturday, for Labour Day
  '2026-09-20', '2026-10-10', // Sunday and Saturday, for National Day
];

/**
 * Mon-Fri 09:00-18:00 China Standard Time with the 2026 statutory holidays and make-up workdays. `years`
 * says 2026 is the only year known here: a deadline counted into 2027 warns until 2027 is published.
 */
export const CALENDAR_CN_WORKDAYS: Calendar = {
  id: 'cn-workdays',
  timeZone: 'Asia/Shanghai',
  workingHours: { 1: OFFICE_HOURS, 2: OFFICE_HOURS, 3: OFFICE_HOURS, 4: OFFICE_HOURS, 5: OFFICE_HOURS },
  holidays: CN_2026_HOLIDAYS,
  makeUpWorkdays: CN_2026_MAKE_UP_WORKDAYS,
  years: [2026],
};

/** JD dispute rules: evidence is due within working hours 09:00-18:00 counted on every day of the week. */
export const CALENDAR_JD_EVIDENCE: Calendar = {
  id: 'jd-evidence',
  timeZone: 'Asia/Shanghai',
  workingHours: {
    0: OFFICE_HOURS, 1: OFFICE_HOURS, 2: OFFICE_HOURS, 3: OFFICE_HOURS, 4: OFFICE_HOURS, 5: OFFICE_HOURS,
    6: OFFICE_HOURS,
  },
  holidays: [],
  makeUpWorkdays: [],
};

export const BUILT_IN_CALENDARS: Readonly<Record<string, Calendar>> = {
  [CALENDAR_24X7.id]: CALENDAR_24X7,
  [CALENDAR_CN_WORKDAYS.id]: CALENDAR_CN_WORKDAYS,
  [CALENDAR_JD_EVIDENCE.id]: CALENDAR_JD_EVIDENCE,
};
