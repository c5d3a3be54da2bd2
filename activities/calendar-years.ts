/**
 * The activity through which a running case learns a statutory year published after it started: it reads
 * the calendar's registry (built-ins: the code's years plus every year an admin published) and answers the
 * asked years it finds, and when to ask again for the others. Its answer is recorded in the case history, so
 * the case re-times its deadlines deterministically. Answers are cached briefly per worker: many open cases
 * asking about the same calendar cost one registry read.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Calendar } from '../workflows/domain/clock';
import { currentCalendar } from '../workflows/domain/calendar-years';
import { yearOf, type CalendarYear } from '../workflows/domain/clock/year-coverage';
import { documentRegistryWorkflowId, latestDocument } from '../workflows/document-registry';

export interface CalendarYearSettings {
  /** How long a case waits before asking again about a year not published yet (default 6 hours). */
  recheckAfterMs?: number;
  /** How long a worker reuses a registry read (default 1 minute). */
  cacheMs?: number;
}

export const CALENDAR_YEAR_RECHECK_MS = 6 * 3_600_000;
export const CALENDAR_YEAR_CACHE_MS = 60_000;

export interface PublishedCalendarYearsRequest {
  calendarId: string;
  years: number[];
}

export interface PublishedCalendarYears {
  /** The asked years the calendar now publishes (the others are still unknown). */
  years: CalendarYear[];
  recheckAfterMs: number;
}

export function createCalendarYearActivities(settings: CalendarYearSettings = {}) {
  const recheckAfterMs = settings.recheckAfterMs ?? CALENDAR_YEAR_RECHECK_MS;
  const cacheMs = settings.cacheMs ?? CALENDAR_YEAR_CACHE_MS;
  const cache = new Map<string, { at: number; calendar: Calendar | null }>();

  async function publishedCalendar(id: string): Promise<Calendar | null> {
    const cached = cache.get(id);
    if (cached && Date.now() - cached.at < cacheMs) return cached.calendar;
    let latest: { content: Calendar } | null = null;
    try {
      latest = await Context.current().client.workflow.getHandle(documentRegistryWorkflowId('calendar', id)).query(latestDocument) as { content: Calendar } | null;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const calendar = currentCalendar(id, latest?.content ?? null);
    if (cacheMs > 0) cache.set(id, { at: Date.now(), calendar });
    return calendar;
  }

  return {
    async publishedCalendarYears(request: PublishedCalendarYearsRequest): Promise<PublishedCalendarYears> {
      const calendar = await publishedCalendar(request.calendarId);
      const years = calendar ? request.years.flatMap((year) => yearOf(calendar, year) ?? []) : [];
      return { years, recheckAfterMs };
    },
  };
}
