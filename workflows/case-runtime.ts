/**
 * The durable loop every case workflow runs: registers the action Update (validated by the pure machine,
 * so a refused action never reaches history) and the view Query, keeps search attributes in step with the
 * state, publishes timeline entries as outbound events in order, and sleeps on a durable timer until the
 * next warning or breach. Case-specific side effects (refunds, child cases) plug in as `effects`.
 */
import {
  ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import type { Actor, CaseKind, TimelineEntry } from './domain/case';
import { caseSnapshot, type CaseSnapshotHandOff } from './case-snapshot';
import type { RuleFailure } from './domain/failures';
import { caseDetails, caseSearchAttributes, type CaseVisibility } from './case-visibility';
import { watchCalendarYears } from './calendar-year-watch';
import type { CalendarYearGap } from './domain/calendar-years';
import type { CalendarYear } from './domain/clock/year-coverage';

/** What the loop needs to know of a case kind's pure machine. */
export interface CaseMachine<S, Req extends { actor: Actor; fingerprint: string }, V> {
  check(state: S, request: Req, now: number): RuleFailure | null;
  apply(state: S, request: Req, now: number): S;
  advance(state: S, now: number): S;
  nextWakeAt(state: S): number | undefined;
  finished(state: S): boolean;
  view(state: S, viewer: Actor, now: number): V;
  visibility(state: S): CaseVisibility;
  timeline(state: S): TimelineEntry[];
  revision(state: S): number;
  /** Calendar years active deadlines count through unpublished, and the state once some are published. */
  calendarGaps?(state: S): CalendarYearGap[];
  learnCalendarYears?(state: S, calendarId: string, years: CalendarYear[], now: number): S;
}

/** Side effects a case kind runs from its state (e.g. refunds); `busy` holds the case open until done. */
export interface CaseEffects {
  start(): void;
  busy(): boolean;
}

/** Several effect sets run as one. */
export function allEffects(...sets: CaseEffects[]): CaseEffects {
  return { start: () => sets.forEach((set) => set.start()), busy: () => sets.some((set) => set.busy()) };
}

export interface CaseRuntimeOptions<S, Req extends { actor: Actor; fingerprint: string }, V> {
  caseId: string;
  kind: CaseKind;
  merchantId: string;
  timeZone: string;
  initial: S;
  machine: CaseMachine<S, Req, V>;
  act: UpdateDefinition<{ view: V; fingerprint: string; revision?: number; snapshot?: CaseSnapshotHandOff }, [Req]>;
  view: QueryDefinition<V, [Actor]>;
  /** Built once the runtime can hand out state accessors. */
  effects?: (state: { get(): S; set(next: S): void }) => CaseEffects;
}

/** Patch id: each hand-off also carries the case's snapshot for the read projection, and a change of state without new events hands off too. */
export const CASE_PROJECTION_PATCH = 'case-projection-snapshots';

export type { CaseSnapshotHandOff } from './case-snapshot';

/** Events leave in order per case, at least once; ids come from the timeline position. */
const EVENT_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;
const { publishCaseEvents } = proxyActivities<CaseActivities>({ startToCloseTimeout: '30 seconds', retry: EVENT_RETRY });
/** Hands a batch to each subscription's own delivery (a signal each): fast, so the case never waits on a webhook. */
const { handOffCaseEvents } = proxyActivities<CaseActivities>({ startToCloseTimeout: '30 seconds', retry: EVENT_RETRY });
/** The same as a local activity: no task round trip per batch; long outages back off on durable timers. */
const { publishCaseEvents: publishCaseEventsLocally } = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds', localRetryThreshold: '10 seconds', retry: EVENT_RETRY,
});
/**
 * The hand-off inside the case's own workflow task (behind `CASE_HAND_OFF_INLINE_PATCH`): awaited by the loop
 * before it waits again, so no timer of the loop is ever pending while it runs. Bounded: two tries of at most
 * 5 s, then the batch goes to the regular activity above, which retries on its own while the case moves on.
 */
const { handOffCaseEventsInline } = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '5 seconds', localRetryThreshold: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 2 },
});

/**
 * Patch id: events and the snapshot are handed off by a local activity the loop awaits in the same workflow
 * task, and the closing hand-off carries the last entries: an after-sale costs two or three fewer workflow
 * tasks and four or five fewer activity tasks.
 */
export const CASE_HAND_OFF_INLINE_PATCH = 'case-hand-off-inline';

export function ruleFailure(failure: RuleFailure): ApplicationFailure {
  return ApplicationFailure.create({ type: failure.type, message: failure.detail, details: [failure.extensions ?? {}], nonRetryable: true });
}

export async function runCase<S, Req extends { actor: Actor; fingerprint: string }, V>(options: CaseRuntimeOptions<S, Req, V>): Promise<S> {
  const { machine } = options;
  // Event publishing went: regular activities (first release) → a local activity → regular activities again,
  // because a local activity's completion woke the loop differently when a restarted worker replayed a live
  // case (non-determinism on a cancelled timer, found by the SIGKILL test). Each generation replays as recorded.
  // Then the batch went to one delivery workflow per (subscription, case) (`handOffCaseEvents`), whose last
  // hand-off says the case closed; a dead endpoint parks its own queue and holds up nobody else.
  const perSubscription = patched('case-events-per-subscription');
  const localEvents = !perSubscription && patched('case-events-local-activity') && !patched('case-events-regular-activity-again');
  const publish = perSubscription ? handOffCaseEvents : localEvents ? publishCaseEventsLocally : publishCaseEvents;
  // Then each hand-off carried the case's snapshot for the read projection (reads that need no worker).
  // A case started before that switches at its next hand-off run live (patched() is false while its history replays).
  let projected = perSubscription && patched(CASE_PROJECTION_PATCH);
  // Then the hand-off ran inside the case's workflow task (a local activity awaited by the loop, never beside a
  // pending timer: the first local-activity generation raced its completion against the loop's timer). Decided
  // once at the start: a case started before it keeps its regular activities.
  const inline = projected && patched(CASE_HAND_OFF_INLINE_PATCH);
  let state = options.initial;
  let eventsPublished = 0;
  let revisionProjected = -1;
  let publishing = false;
  const accessors = { get: () => state, set: (next: S) => { state = next; } };
  const effects = options.effects?.(accessors);
  const { calendarGaps, learnCalendarYears } = machine;
  const years = calendarGaps && learnCalendarYears
    ? watchCalendarYears({ caseId: options.caseId, kind: options.kind, ...accessors, gaps: calendarGaps, learn: learnCalendarYears })
    : undefined;

  setHandler(options.view, (viewer) => machine.view(state, viewer, Date.now()));
  setHandler(
    options.act,
    (request) => {
      state = machine.apply(state, request, Date.now());
      // The revision lets the API read its own write back from the projection (never an older revision); the
      // snapshot lets it write the projection row itself before it answers, so every caller's next read sees it.
      return {
        view: machine.view(state, request.actor, Date.now()), fingerprint: request.fingerprint, revision: machine.revision(state),
        ...(projected ? { snapshot: snapshotOf(false) } : {}),
      };
    },
    {
      validator: (request) => {
        const failure = machine.check(state, request, Date.now());
        if (failure) throw ruleFailure(failure);
      },
    },
  );

  function snapshotOf(finished: boolean): CaseSnapshotHandOff {
    const now = Date.now();
    return caseSnapshot({ revision: machine.revision(state), visibility: machine.visibility(state), finished, viewAs: (viewer) => machine.view(state, viewer, now) });
  }

  function nextBatch(caseClosed: boolean) {
    const entries = machine.timeline(state).slice(eventsPublished);
    const snapshot = projected ? snapshotOf(caseClosed) : undefined;
    const batch = {
      caseId: options.caseId, kind: options.kind, merchantId: options.merchantId, timeZone: options.timeZone, firstSequence: eventsPublished, entries,
      ...(caseClosed ? { caseClosed } : {}),
      ...(snapshot ? { snapshot } : {}),
    };
    const sent = () => {
      eventsPublished += entries.length;
      if (snapshot) revisionProjected = snapshot.revision;
    };
    return { batch, sent };
  }

  async function publishEvents(caseClosed = false): Promise<void> {
    publishing = true;
    if (perSubscription && !projected) projected = patched(CASE_PROJECTION_PATCH);
    try {
      const { batch, sent } = nextBatch(caseClosed);
      await publish(batch);
      sent();
    } finally {
      publishing = false;
    }
  }

  /**
   * The inline hand-off: the loop awaits it. When the projection or a sink does not take the batch in two
   * quick tries, the same batch goes to the regular activity in the background (`publishing` holds later
   * batches back until it is through, so events stay in order) and the case moves on.
   */
  async function handOffInline(caseClosed = false): Promise<void> {
    const { batch, sent } = nextBatch(caseClosed);
    try {
      await handOffCaseEventsInline(batch);
      sent();
    } catch {
      publishing = true;
      const background = handOffCaseEvents(batch).then(sent).finally(() => { publishing = false; });
      if (caseClosed) await background;
      else void background;
    }
  }
  const unpublished = () => !publishing
    && (eventsPublished < machine.timeline(state).length || (projected && revisionProjected !== machine.revision(state)));

  let visibleRevision = -1;
  for (;;) {
    if (machine.revision(state) !== visibleRevision) {
      visibleRevision = machine.revision(state);
      const visibility = machine.visibility(state);
      upsertSearchAttributes(caseSearchAttributes(visibility));
      setCurrentDetails(caseDetails(visibility, options.timeZone));
    }
    effects?.start();
    years?.start();
    if (inline) {
      // A finished case hands off once, closing; otherwise new entries and state go out before the loop waits.
      if (machine.finished(state) && !effects?.busy()) break;
      if (unpublished()) {
        await handOffInline();
        continue;
      }
    } else {
      if (unpublished()) void publishEvents();
      if (machine.finished(state) && !effects?.busy()) break;
    }

    const wakeAt = machine.nextWakeAt(state);
    if (wakeAt !== undefined && wakeAt <= Date.now()) {
      state = machine.advance(state, Date.now());
      continue;
    }
    const revision = machine.revision(state);
    const busy = effects?.busy() ?? false;
    const asking = years?.busy() ?? false;
    // Wake on any change of state, events to publish, or an effect finishing (a child started, a signal sent).
    const moved = () => machine.revision(state) !== revision || unpublished() || (effects?.busy() ?? false) !== busy || (years?.busy() ?? false) !== asking;
    // A durable timer to the next warning or breach (or calendar-year question); any action or effect result wakes the loop first.
    const askAt = years?.nextCheckAt();
    const until = askAt === undefined ? wakeAt : Math.min(askAt, wakeAt ?? askAt);
    if (until === undefined) await condition(moved);
    else await condition(moved, Math.max(0, until - Date.now()));
  }

  await condition(() => !publishing);
  if (inline) {
    // One closing hand-off with the last entries: each delivery of this case ends once it is empty.
    await handOffInline(true);
  } else {
    while (eventsPublished < machine.timeline(state).length) await publishEvents();
    // The last hand-off (possibly of nothing) lets each delivery of this case end once it is empty.
    if (perSubscription) await publishEvents(true);
  }
  await condition(allHandlersFinished);
  return state;
}
