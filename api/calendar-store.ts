/**
 * Custom business calendars as the API reads and writes them (one document registry each), and their
 * pinning into policies: a published policy carries, by value, the latest version of every custom
 * calendar it names, so a case's deadlines never move when a calendar is republished.
 */
import { BUILT_IN_CALENDARS, validateCalendar, type Calendar } from '../workflows/domain/clock';
import type { DocumentVersion } from '../workflows/document-registry';
import { calendarIdsNamedBy } from '../workflows/domain/policy/calendar-refs';
import { POLICY_PRESETS } from '../workflows/domain/policy/presets';
import type { Policy } from '../workflows/domain/policy/types';
import type { ApiContext } from './context';
import { listDocumentVersions, listDocuments, publishDocumentVersion, readDocument } from './document-store';
import type { CalendarBody } from './schemas/calendar';

/** A custom calendar as stored: the clock's calendar plus a display name. */
export type StoredCalendar = Calendar & { name?: string };

/** Why an id cannot be published as a custom calendar (built-in, or carried by a preset), or null. */
export function reservedCalendar(id: string): string | null {
  if (Object.prototype.hasOwnProperty.call(BUILT_IN_CALENDARS, id)) return `${id} is a built-in calendar and read-only`;
  const preset = Object.values(POLICY_PRESETS).find((p) => p.calendars && Object.prototype.hasOwnProperty.call(p.calendars, id));
  return preset ? `${id} is the calendar of preset ${preset.id} and read-only` : null;
}

/**
 * The body as the clock's calendar: dates flattened from their years, with every problem named (a date
 * listed under another year, and whatever `validateCalendar` finds).
 */
export function calendarFromBody(id: string, body: CalendarBody): { calendar: StoredCalendar; problems: string[] } {
  const problems: string[] = [];
  const flatten = (field: 'holidays' | 'makeUpWorkdays') => Object.entries(body[field]).flatMap(([year, dates]) => {
    for (const date of dates) if (!date.startsWith(`${year}-`)) problems.push(`${field}.${year} lists ${date}, a date of another year`);
    return dates;
  }).sort();
  const calendar: StoredCalendar = {
    id, ...(body.name ? { name: body.name } : {}), timeZone: body.timeZone,
    workingHours: body.workingHours as Calendar['workingHours'],
    holidays: flatten('holidays'), makeUpWorkdays: flatten('makeUpWorkdays'),
    ...(body.makeUpHours ? { makeUpHours: body.makeUpHours } : {}),
  };
  problems.push(...validateCalendar(calendar));
  return { calendar, problems };
}

export function readCustomCalendar(ctx: ApiContext, id: string, version?: number): Promise<DocumentVersion<StoredCalendar> | null> {
  return readDocument<StoredCalendar>(ctx, 'calendar', id, version);
}

export const listCustomCalendarIds = (ctx: ApiContext): Promise<string[]> => listDocuments(ctx, 'calendar');

export const listCalendarVersions = (ctx: ApiContext, id: string) => listDocumentVersions(ctx, 'calendar', id);

export async function publishCalendar(ctx: ApiContext, calendar: StoredCalendar, publishedBy: string, fingerprint: string, updateId: string) {
  const result = await publishDocumentVersion(ctx, 'calendar', calendar.id, { content: calendar, publishedBy, fingerprint }, updateId);
  return { ...result, record: result.record as DocumentVersion<StoredCalendar> };
}

/**
 * The policy with every custom calendar it names embedded at its latest version. Calendars a preset
 * carries by value (no `version`) stay as they are; an id nobody published is left for validation (400).
 */
export async function withPinnedCalendars<P extends Omit<Policy, 'version'>>(ctx: ApiContext, policy: P): Promise<P> {
  const calendars = { ...(policy.calendars ?? {}) };
  for (const id of calendarIdsNamedBy(policy)) {
    if (reservedCalendar(id) !== null) continue;
    const record = await readCustomCalendar(ctx, id);
    if (!record) continue;
    const { name: _displayName, ...calendar } = record.content;
    calendars[id] = { ...calendar, version: record.version };
  }
  return Object.keys(calendars).length > 0 ? { ...policy, calendars } : policy;
}
