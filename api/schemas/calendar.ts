/**
 * Schemas of `/v1/calendars`: the calendar an admin PUTs (holidays and 调休 make-up workdays grouped by
 * year, as statutory calendars are announced) and the views the API answers.
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const workingIntervalSchema = z.object({ start: hhmm, end: hhmm }).strict();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const byYear = z.record(z.string().regex(/^\d{4}$/, 'a year'), z.array(localDate).max(400));
const weeklyHours = z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(workingIntervalSchema).max(8));

export const calendarIdParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'calendar ids are lowercase slugs of 2 to 63 characters'),
}).strict();
export const calendarVersionParams = calendarIdParams.extend({ v: z.coerce.number().int().min(1).max(1_000_000) }).strict();
export const calendarYearParams = calendarIdParams.extend({ year: z.coerce.number().int().min(1900).max(9999) }).strict();

export const calendarYearBodySchema = z.object({
  holidays: z.array(localDate).max(400).default([]).describe('Local dates of that year not worked (法定节假日), weekends inside a span included'),
  makeUpWorkdays: z.array(localDate).max(400).default([]).describe('Weekend dates of that year worked instead (调休)'),
}).strict();
export type CalendarYearBody = z.infer<typeof calendarYearBodySchema>;

export const calendarBodySchema = z.object({
  name: z.string().min(1).max(200).optional(),
  timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. Asia/Shanghai'),
  workingHours: z.union([z.literal('24x7'), weeklyHours]).describe('24x7, or weekday (0 = Sunday) → working intervals'),
  holidays: byYear.default({}).describe('Per year: local dates not worked (法定节假日)'),
  makeUpWorkdays: byYear.default({}).describe('Per year: weekend dates worked instead (调休)'),
  makeUpHours: z.array(workingIntervalSchema).max(8).optional().describe("Hours of a make-up workday (Monday's when absent)"),
}).strict();
export type CalendarBody = z.infer<typeof calendarBodySchema>;

export const calendarViewSchema = z.object({
  id: z.string(),
  builtIn: z.boolean(),
  version: z.number().int(),
  publishedAt: z.string().nullable().describe('ISO-8601 in the calendar zone; null for built-ins'),
  name: z.string().optional(),
  timeZone: z.string(),
  workingHours: z.union([z.literal('24x7'), z.record(z.string(), z.array(workingIntervalSchema))]),
  holidays: z.record(z.string(), z.array(z.string())),
  makeUpWorkdays: z.record(z.string(), z.array(z.string())),
  makeUpHours: z.array(workingIntervalSchema).optional(),
  years: z.array(z.number().int()).optional()
    .describe('Years whose holidays and make-up workdays are published; absent: the calendar keeps none (every year is the same)'),
});
export type CalendarView = z.infer<typeof calendarViewSchema>;

export const calendarListSchema = z.object({ calendars: z.array(calendarViewSchema) });

export const calendarVersionsSchema = z.object({
  id: z.string(),
  versions: z.array(z.object({ version: z.number().int(), publishedAt: z.string().nullable().describe('null for built-ins'), publishedBy: z.string() })),
});
