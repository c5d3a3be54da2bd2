/**
 * Business calendars as the API reads and writes them (one document registry each), and their pinning
 * into policies: a published policy carries, by value, the latest version of every custom calendar it
 * names, so a case's deadlines never move when a calendar is republished. Statutory years are published
 * one at a time, built-ins included (their registry starts from the code's version 1); a year already
 * published is never rewritten that way, and running cases learn a year they lacked (calendar-years.ts).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { currentCalendar, learnCalendarYears } from '../workflows/domain/calendar-years';
import { BUILT_IN_CALENDARS, validateCalendar, type Calendar } from '../workflows/domain/clock';
import { publishedYears, withYear, yearOf, type CalendarYear } from '../workflows/domain/clock/year-coverage';
import {
  STALE_DOCUMENT_VERSION, documentRegistryWorkflowId, type DocumentVersion, type PublishDocumentResult,
} from '../workflows/document-registry';
import { calendarIdsNamedBy } from '../workflows/domain/policy/calendar-refs';
import { POLICY_PRESETS } from '../workflows/domain/policy/presets';
import type { Policy } from '../workflows/domain/policy/types';
import type { ApiContext } from './context';
import { listDocumentVersions, listDocuments, publishDocumentVersion, readDocument } from './document-store';
import type { CalendarBody } from './schemas/calendar';

/** A custom calendar as stored: the clock's calendar plus a display name. */
export type StoredCalendar = Calendar & { name?: string };

export const isBuiltInCalendar = (id: string): boolean => Object.prototype.hasOwnProperty.call(BUILT_IN_CALENDARS, id);

/** Why an id cannot be published as a custom calendar (built-in, or carried by a preset), or null. */
export function reservedCalendar(id: string): string | null {
  if (isBuiltInCalendar(id)) return `${id} is a built-in calendar: only its statutory years are published, with PUT /v1/calendars/${id}/years/{year}`;
  return presetCalendar(id);
}

function presetCalendar(id: string): string | null {
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
  // Every year the body names is published, even with no dates ("2027": [] says 2027 has no holidays).
  const years = [...new Set([...Object.keys(body.holidays), ...Object.keys(body.makeUpWorkdays)].map(Number))].sort((a, b) => a - b);
  const calendar: StoredCalendar = {
    id, ...(body.name ? { name: body.name } : {}), timeZone: body.timeZone,
    workingHours: body.workingHours as Calendar['workingHours'],
    holidays: flatten('holidays'), makeUpWorkdays: flatten('makeUpWorkdays'),
    ...(body.makeUpHours ? { makeUpHours: body.makeUpHours } : {}),
    ...(years.length > 0 ? { years } : {}),
  };
  problems.push(...validateCalendar(calendar));
  return { calendar, problems };
}

export function readCustomCalendar(ctx: ApiContext, id: string, version?: number): Promise<DocumentVersion<StoredCalendar> | null> {
  return readDocument<StoredCalendar>(ctx, 'calendar', id, version);
}

/** Ids of published custom calendars (built-ins, whose registries hold published years, are not custom). */
export const listCustomCalendarIds = async (ctx: ApiContext): Promise<string[]> => (await listDocuments(ctx, 'calendar')).filter((id) => !isBuiltInCalendar(id));

/** A built-in as its version 1, the one its registry starts from when a first year is published. */
export const builtInVersion = (id: string): DocumentVersion<StoredCalendar> => ({ version: 1, publishedAt: 0, publishedBy: 'built-in', content: BUILT_IN_CALENDARS[id] });

/**
 * A calendar's latest version: a custom calendar's from its registry; a built-in's from its registry once a
 * year was published (with any year a later release wrote into the code), else the code's version 1.
 */
export async function readCalendar(ctx: ApiContext, id: string, version?: number): Promise<DocumentVersion<StoredCalendar> | null> {
  const record = await readCustomCalendar(ctx, id, version);
  if (!isBuiltInCalendar(id)) return record;
  if (!record) return version === undefined || version === 1 ? builtInVersion(id) : null;
  return { ...record, content: currentCalendar(id, record.content) as StoredCalendar };
}

export const listCalendarVersions = (ctx: ApiContext, id: string) => listDocumentVersions(ctx, 'calendar', id);

/** Why a year cannot be published: the year is already published with other dates. */
export class YearAlreadyPublished extends Error {
  constructor(readonly published: CalendarYear) {
    super(`${published.year} is already published with other dates; a published year is not rewritten`);
  }
}

/** Why a calendar cannot take statutory years at all (a preset's, or a built-in without any). */
export function yearsRefusedFor(id: string): string | null {
  if (isBuiltInCalendar(id)) return publishedYears(BUILT_IN_CALENDARS[id]) === 'every' ? `${id} keeps no holidays or make-up workdays` : null;
  return presetCalendar(id);
}

/**
 * Publishes one statutory year of a calendar as a new version (the latest with that year added). Identical
 * dates for a year already there publish nothing; other dates are refused (YearAlreadyPublished). Null for a
 * calendar that does not exist. A concurrent publish of another year is read again and merged, not lost.
 */
export async function publishCalendarYear(
  ctx: ApiContext, id: string, entry: CalendarYear, publishedBy: string, fingerprint: string, updateId: string,
): Promise<{ created: boolean; record: DocumentVersion<StoredCalendar>; fingerprint: string } | null> {
  for (let attempt = 1; ; attempt++) {
    const latest = await readCalendar(ctx, id);
    if (!latest) return null;
    const existing = yearOf(latest.content, entry.year);
    const covers = publishedYears(latest.content) !== 'every' && existing !== null;
    if (covers && JSON.stringify(existing) !== JSON.stringify(entry)) {
      // The same key used before for this year (with other dates): its first answer, which the caller compares.
      const earlier = await earlierPublish(ctx, id, updateId);
      if (earlier) return { ...earlier, record: earlier.record as DocumentVersion<StoredCalendar> };
      throw new YearAlreadyPublished(existing);
    }
    const content = withYear(latest.content, entry);
    const seeded = isBuiltInCalendar(id) && latest.publishedBy === 'built-in' && latest.publishedAt === 0;
    try {
      const result = await publishDocumentVersion(
        ctx, 'calendar', id, { content, publishedBy, fingerprint, expectedVersion: latest.version }, updateId, seeded ? [builtInVersion(id)] : [],
      );
      return { ...result, record: result.record as DocumentVersion<StoredCalendar> };
    } catch (err) {
      const stale = err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string } | undefined)?.type === STALE_DOCUMENT_VERSION;
      if (!stale || attempt >= 3) throw err;
    }
  }
}

/** The outcome of an earlier publish under `updateId`, or null when there was none. */
async function earlierPublish(ctx: ApiContext, id: string, updateId: string): Promise<PublishDocumentResult | null> {
  try {
    return await ctx.temporal(() => ctx.client.workflow.getHandle(documentRegistryWorkflowId('calendar', id)).getUpdateHandle<PublishDocumentResult>(updateId).result());
  } catch {
    return null;
  }
}

/**
 * The policy with every year published for its calendars since it was pinned added (years it already has
 * are kept): what a case under it learns when it asks, so a preview counts as the case will.
 */
export async function withPublishedYears(ctx: ApiContext, policy: Policy): Promise<Policy> {
  let out = policy;
  for (const id of new Set(calendarIdsNamedBy(policy))) {
    if (presetCalendar(id) !== null && !isBuiltInCalendar(id)) continue;
    const latest = await readCalendar(ctx, id).catch(() => null);
    const years = publishedYears(latest?.content ?? BUILT_IN_CALENDARS['24x7']);
    if (!latest || years === 'every') continue;
    out = learnCalendarYears(out, [], id, years.map((year) => yearOf(latest.content, year)!)).policy;
  }
  return out;
}

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
