/**
 * One definition per case kind (README "Adding a case kind"): its Update and Query, its pure machine, how it
 * opens, the survey it asks for at close and its own effects. `defineCaseKind` turns that into the workflow
 * (through `runCase`), the search attributes a new case starts with, and the view it opens with, so the
 * workflow file and the edge's create route read the same definition.
 */
import type { QueryDefinition, SearchAttributePair, UpdateDefinition } from '@temporalio/common';
import { SYSTEM_ACTOR, type Actor, type CaseKind, type CaseLink } from './domain/case';
import { caseCalendarGaps, learnCaseCalendarYears, withDeadlineWarnings, type CalendarYearAware } from './domain/calendar-years';
import type { Policy } from './domain/policy/types';
import { timeZoneOf } from './domain/schedule';
import type { KindMachine } from './domain/service-case/kind-machine';
import type { CaseNotice } from './domain/service-case/records';
import type { SurveyRequest } from './domain/survey/types';
import { allEffects, runCase, type CaseEffects, type CaseMachine } from './case-runtime';
import { caseStartAttributes } from './case-visibility';
import { journeyEffects, noticeEffects, type StateAccess } from './service-effects';
import { startSurveyOnClose } from './survey';

/** What every kind's request carries (the edge adds the caller's fields to these). */
export interface CaseKindRequest {
  caseId: string;
  merchantId: string;
  customerRef: string;
  orderId?: string;
  policy: Policy;
  openedAt?: number;
  relatedCaseId?: string;
  requestFingerprint: string;
}

/** What every kind's state carries for the shared effects (calendar years, notices, the journey's links). */
export interface CaseKindState extends CalendarYearAware {
  status: string;
  closedAt?: number;
  notices?: CaseNotice[];
  links: CaseLink[];
}

/** The effects every kind shares, built when called (handlers register in call order), and the kind's state. */
export interface SharedEffects<R, S> {
  state: StateAccess<S>;
  request: R;
  /** Later cases link back; the case this one was opened about learns of it. */
  journey(): CaseEffects;
  /** Warnings, escalations and assignments go to their owner once each. */
  notices(): CaseEffects;
  /** The satisfaction survey at close, when the kind asks for one. */
  survey(): CaseEffects;
}

export interface CaseKindSpec<R extends CaseKindRequest, S extends CaseKindState, A extends { actor: Actor; fingerprint: string }, V> {
  kind: CaseKind;
  act: UpdateDefinition<{ view: V; fingerprint: string }, [A]>;
  view: QueryDefinition<V, [Actor]>;
  machine: KindMachine<S, A, V>;
  /** The case as it opens under today's rules (the edge's 201 view and first search attributes). */
  open(request: R, now: number): S;
  /** The same inside the workflow: rules released after cases had started are asked of `patched()` here. */
  openInWorkflow(request: R, now: number): S;
  /** Patch id behind which the related case is told (kinds released before the journey). */
  journeyPatch?: string;
  /** The survey this case asks for, once closed (null: none, or not yet). */
  survey(s: S, request: R): SurveyRequest | null;
  /** The effects in the order they start: shared and the kind's own. Default: journey, notices, survey. */
  effects?(shared: SharedEffects<R, S>): CaseEffects[];
}

export interface CaseKindDefinition<R extends CaseKindRequest, S extends CaseKindState, A extends { actor: Actor; fingerprint: string }, V>
  extends CaseKindSpec<R, S, A, V> {
  /** The workflow's body: the case from its request to its final view. */
  run(request: R): Promise<V>;
  /** What a new case is searchable by from its start (no personal data). */
  startAttributes(request: R, opened: S): SearchAttributePair[];
  /** The view a new case starts with, by the same pure code the workflow runs. */
  openingView(opened: S, viewer: Actor, now: number): V;
}

/**
 * The survey a closed case asks for; `orderId` and `closedAt` where a kind keeps them elsewhere than its
 * request and `closedAt` (an inquiry's order is known once converted).
 */
export function surveyAtClose(
  s: Pick<CaseKindState, 'status' | 'closedAt' | 'updatedAt'>, request: CaseKindRequest, kind: CaseKind, o: { orderId?: string; closedAt?: number } = { orderId: request.orderId },
): SurveyRequest | null {
  if (s.status !== 'closed') return null;
  return {
    caseId: request.caseId, kind, merchantId: request.merchantId, customerRef: request.customerRef, ...(o.orderId ? { orderId: o.orderId } : {}),
    policy: request.policy, closedAt: o.closedAt ?? s.closedAt ?? s.updatedAt,
  };
}

/** The runtime's view of a kind's machine: views carry deadline warnings, calendar years are learnt. */
function runtimeMachine<S extends CaseKindState, A, V>(machine: KindMachine<S, A, V>, timeZone: string): CaseMachine<S, A & { actor: Actor; fingerprint: string }, V> {
  return {
    check: machine.check,
    apply: machine.apply,
    advance: machine.advance,
    nextWakeAt: machine.nextWakeAt,
    finished: machine.finished,
    view: (s, viewer, now) => withDeadlineWarnings(machine.view(s, viewer, timeZone, now) as V & { deadlines: object[] }, s),
    visibility: machine.visibility,
    timeline: (s) => s.timeline,
    revision: (s) => s.revision,
    calendarGaps: caseCalendarGaps,
    learnCalendarYears: learnCaseCalendarYears,
  };
}

export function defineCaseKind<R extends CaseKindRequest, S extends CaseKindState, A extends { actor: Actor; fingerprint: string }, V>(
  spec: CaseKindSpec<R, S, A, V>,
): CaseKindDefinition<R, S, A, V> {
  const effectsOf = (request: R) => (state: StateAccess<S>): CaseEffects => {
    const shared: SharedEffects<R, S> = {
      state,
      request,
      journey: () => journeyEffects(state, { caseId: request.caseId, kind: spec.kind }, request.relatedCaseId, spec.journeyPatch),
      notices: () => noticeEffects(state, { caseId: request.caseId, merchantId: request.merchantId }),
      survey: () => startSurveyOnClose(() => spec.survey(state.get(), request)),
    };
    return allEffects(...(spec.effects ? spec.effects(shared) : [shared.journey(), shared.notices(), shared.survey()]));
  };
  return {
    ...spec,
    async run(request) {
      const timeZone = timeZoneOf(request.policy);
      const final = await runCase({
        caseId: request.caseId,
        kind: spec.kind,
        merchantId: request.merchantId,
        timeZone,
        // Opened at the edge's instant, so the API's 201 view and the workflow's state are the same.
        initial: spec.openInWorkflow(request, request.openedAt ?? Date.now()),
        machine: runtimeMachine(spec.machine, timeZone),
        act: spec.act,
        view: spec.view,
        effects: effectsOf(request),
      });
      return spec.machine.view(final, SYSTEM_ACTOR, timeZone, Date.now());
    },
    startAttributes: (request, opened) => caseStartAttributes(request, spec.machine.visibility(opened)),
    // As the workflow's view Query answers it, calendar-year warnings included (the 201 and the case's first projection row).
    openingView: (opened, viewer, now) => withDeadlineWarnings(spec.machine.view(opened, viewer, timeZoneOf(opened.request.policy), now) as V & { deadlines: object[] }, opened),
  };
}
