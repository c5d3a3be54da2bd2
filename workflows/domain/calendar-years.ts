/**
 * A case's deadlines against the statutory years of the calendars its pinned policy counts them in: which
 * active deadlines count through a year no one has published yet (a warning in the view, a question the
 * workflow asks the calendar registry), and what the case becomes once such a year is published — the year
 * added to its pinned calendar by value, the deadlines that counted through it re-timed. Years the pinned
 * calendar already has are never replaced: a case's deadlines move only for facts it did not know. Pure.
 */
import type { Deadline, TimelineEntry } from './case';
import { BUILT_IN_CALENDARS, type Calendar } from './clock';
import type { CalendarYear } from './clock/year-coverage';
import { coversYear, retimeDue, uncoveredYears, withMissingYears, withYear, yearsCounted } from './clock/year-coverage';
import type { DurationUnit, Policy } from './policy/types';
import { calendarFor } from './schedule';

export const CALENDAR_YEAR_NOT_PUBLISHED = 'calendar-year-not-published';

/** A deadline counted through a year its calendar has no holidays or make-up workdays for. */
export interface DeadlineWarning {
  code: typeof CALENDAR_YEAR_NOT_PUBLISHED;
  calendarId: string;
  year: number;
}

/** A calendar year some of the case's active deadlines count through blind. */
export interface CalendarYearGap {
  calendarId: string;
  year: number;
  deadlines: string[];
}

type Timed = Pick<Deadline, 'name' | 'startedAt' | 'dueAt' | 'state' | 'unit' | 'calendar' | 'warnAt' | 'warnedAt'>;

const calendarIdOf = (policy: Policy, d: Pick<Deadline, 'calendar'>) => d.calendar ?? policy.defaultCalendar;
const calendarOf = (policy: Policy, d: Pick<Deadline, 'calendar' | 'unit'>) =>
  calendarFor(policy, { amount: 0, unit: (d.unit ?? 'seconds') as DurationUnit, ...(d.calendar ? { calendar: d.calendar } : {}) });

/** The warnings of one deadline: only active ones counted in working time can have any. */
export function deadlineWarnings(policy: Policy, d: Timed): DeadlineWarning[] {
  if (d.state !== 'active' || (d.unit !== 'working_days' && d.unit !== 'working_hours')) return [];
  const calendarId = calendarIdOf(policy, d);
  return uncoveredYears(calendarOf(policy, d), d.unit, d.startedAt, d.dueAt).map((year) => ({ code: CALENDAR_YEAR_NOT_PUBLISHED, calendarId, year }));
}

/** Every (calendar, year) the case's active deadlines count through unpublished, with the deadlines concerned. */
export function calendarGaps(policy: Policy, deadlines: readonly Timed[]): CalendarYearGap[] {
  const gaps = new Map<string, CalendarYearGap>();
  for (const d of deadlines) {
    for (const w of deadlineWarnings(policy, d)) {
      const key = `${w.calendarId}:${w.year}`;
      const gap = gaps.get(key) ?? { calendarId: w.calendarId, year: w.year, deadlines: [] };
      gap.deadlines.push(d.name);
      gaps.set(key, gap);
    }
  }
  return [...gaps.values()];
}

export interface RetimedDeadline {
  name: string;
  previousDueAt: number;
  dueAt: number;
  /** The first newly published year the deadline had counted through. */
  year: number;
}

/**
 * Adds the published `years` of `calendarId` the policy's calendar lacks (by value, under the calendar's id)
 * and re-times, in place, the active working-time deadlines on that calendar that counted through one of
 * them; an unfired warning moves with its deadline. Returns the new policy (the same object when nothing
 * was new) and the deadlines that moved.
 */
export function learnCalendarYears<D extends Timed>(
  policy: Policy, deadlines: D[], calendarId: string, years: readonly CalendarYear[],
): { policy: Policy; moved: RetimedDeadline[] } {
  const before = calendarFor(policy, { amount: 0, unit: 'working_days', calendar: calendarId });
  const fresh = years.filter((y) => !coversYear(before, y.year));
  if (fresh.length === 0) return { policy, moved: [] };
  const after = fresh.reduce((calendar, y) => withYear(calendar, y), before);
  const learned = { ...policy, calendars: { ...(policy.calendars ?? {}), [calendarId]: after } };
  const moved: RetimedDeadline[] = [];
  for (const d of deadlines) {
    if (d.state !== 'active' || calendarIdOf(policy, d) !== calendarId || !d.unit) continue;
    const counted = yearsCounted(before, d.unit, d.startedAt, d.dueAt).filter((year) => fresh.some((y) => y.year === year));
    if (counted.length === 0) continue;
    const year = Math.min(...counted);
    const dueAt = retimeDue(d.unit, d.startedAt, d.dueAt, before, after, year);
    if (dueAt === d.dueAt) continue;
    moved.push({ name: d.name, previousDueAt: d.dueAt, dueAt, year });
    if (d.warnAt !== undefined && d.warnedAt === undefined) d.warnAt += dueAt - d.dueAt;
    d.dueAt = dueAt;
  }
  return { policy: learned, moved };
}

/** What every case kind's state has that calendar years touch. */
export interface CalendarYearAware {
  request: { policy: Policy };
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  revision: number;
  updatedAt: number;
}

export function caseCalendarGaps(state: CalendarYearAware): CalendarYearGap[] {
  return calendarGaps(state.request.policy, state.deadlines);
}

/**
 * The case once `years` of `calendarId` are published: a new revision with the years pinned into its policy
 * and a `deadline.rescheduled` timeline entry per deadline that moved; the same state when nothing was new.
 */
export function learnCaseCalendarYears<S extends CalendarYearAware>(state: S, calendarId: string, years: readonly CalendarYear[], now: number): S {
  const draft = JSON.parse(JSON.stringify(state)) as S;
  const { policy, moved } = learnCalendarYears(draft.request.policy, draft.deadlines, calendarId, years);
  if (policy === draft.request.policy) return state;
  draft.request.policy = policy;
  draft.revision += 1;
  draft.updatedAt = Math.max(draft.updatedAt, now);
  for (const m of moved) {
    draft.timeline.push({
      at: now, type: 'deadline.rescheduled', actor: 'system',
      data: { name: m.name, previousDueAt: m.previousDueAt, dueAt: m.dueAt, reason: 'calendar-year-published', calendarId, year: m.year },
    });
  }
  return draft;
}

/**
 * The view with each deadline's warnings beside it (`warnings`, only when there are some). Every kind's
 * view lists the state's deadlines one for one, in order.
 */
export function withDeadlineWarnings<V extends { deadlines: object[] }>(view: V, state: Pick<CalendarYearAware, 'request' | 'deadlines'>): V {
  if (view.deadlines.length !== state.deadlines.length) return view;
  return {
    ...view,
    deadlines: view.deadlines.map((d, i) => {
      const warnings = deadlineWarnings(state.request.policy, state.deadlines[i]);
      return warnings.length > 0 ? { ...d, warnings } : d;
    }),
  };
}

/**
 * A calendar as it stands now: its latest published version (from the registry) or, for a built-in, the
 * years written into the code with every year an admin published added; null when neither exists.
 */
export function currentCalendar<C extends Calendar>(id: string, published: C | null): C | Calendar | null {
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN_CALENDARS, id) ? BUILT_IN_CALENDARS[id] : undefined;
  if (!builtIn) return published;
  return published ? withMissingYears(published, builtIn) : builtIn;
}
