/**
 * How a running case learns a statutory year published after it started. While some active deadline counts
 * through a year its pinned calendar lacks, the case logs it once (ids only) and asks the calendar registry
 * through an activity — at once, then again after the interval the activity answers with — and feeds what
 * was published into its pure machine, which re-times the deadlines. The activity results are in the
 * history, so replays take the same path; cases ask only while they have such a gap, each on its own
 * durable timer, so a publish needs no fan-out to open cases. Behind patched('calendar-years-published').
 */
import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { CalendarYearGap } from './domain/calendar-years';
import type { CalendarYear } from './domain/clock/year-coverage';

const { publishedCalendarYears } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const CALENDAR_YEARS_PATCH = 'calendar-years-published';

export interface CalendarYearWatchOptions<S> {
  caseId: string;
  kind: string;
  get(): S;
  set(next: S): void;
  gaps(state: S): CalendarYearGap[];
  learn(state: S, calendarId: string, years: CalendarYear[], now: number): S;
}

export interface CalendarYearWatch {
  /** Asks about every gap that is due a question, unless a question is already out. */
  start(): void;
  busy(): boolean;
  /** When the next question falls due (undefined: no gap waits for one). */
  nextCheckAt(): number | undefined;
}

export function watchCalendarYears<S>(o: CalendarYearWatchOptions<S>): CalendarYearWatch {
  let asking = false;
  const askAgainAt = new Map<string, number>();
  const logged = new Set<string>();
  const keyOf = (gap: CalendarYearGap) => `${gap.calendarId}:${gap.year}`;

  async function ask(gaps: CalendarYearGap[]): Promise<void> {
    asking = true;
    try {
      for (const calendarId of [...new Set(gaps.map((g) => g.calendarId))]) {
        const years = gaps.filter((g) => g.calendarId === calendarId).map((g) => g.year);
        const answer = await publishedCalendarYears({ calendarId, years });
        if (answer.years.length > 0) {
          o.set(o.learn(o.get(), calendarId, answer.years, Date.now()));
          log.info('calendar year published: deadlines re-timed', { caseId: o.caseId, kind: o.kind, calendarId, years: answer.years.map((y) => y.year) });
        }
        for (const year of years) askAgainAt.set(`${calendarId}:${year}`, Date.now() + answer.recheckAfterMs);
      }
    } finally {
      asking = false;
    }
  }

  return {
    start() {
      if (asking) return;
      const gaps = o.gaps(o.get());
      for (const gap of gaps) {
        if (logged.has(keyOf(gap))) continue;
        logged.add(keyOf(gap));
        log.warn('deadline counted past the published years of its calendar', { caseId: o.caseId, kind: o.kind, calendarId: gap.calendarId, year: gap.year, deadlines: gap.deadlines });
      }
      const due = gaps.filter((gap) => (askAgainAt.get(keyOf(gap)) ?? 0) <= Date.now());
      if (due.length === 0 || !patched(CALENDAR_YEARS_PATCH)) return;
      void ask(due);
    },
    busy: () => asking,
    nextCheckAt() {
      // While a question is out, its answer wakes the loop.
      if (asking) return undefined;
      const open = new Set(o.gaps(o.get()).map(keyOf));
      const times = [...askAgainAt].filter(([key]) => open.has(key)).map(([, at]) => at);
      return times.length > 0 ? Math.min(...times) : undefined;
    },
  };
}
