/**
 * A kind's pure machine as one object: what the case runtime drives (workflows/case-kind.ts) and the edge
 * opens a case's first view with. Each kind's machine.ts exports its own. Pure.
 */
import type { Actor } from '../case';
import type { RuleFailure } from '../failures';
import type { CaseVisibility } from '../../case-visibility';

export interface KindMachine<S, A, V> {
  /** Null when the action may run; otherwise the failure the API answers with. */
  check(s: S, request: A, now: number): RuleFailure | null;
  apply(s: S, request: A, now: number): S;
  /** Fires every warning and breach due by `now`. */
  advance(s: S, now: number): S;
  nextWakeAt(s: S): number | undefined;
  /** The workflow may end (past its post-close windows). */
  finished(s: S): boolean;
  view(s: S, viewer: Actor, timeZone: string, now: number): V;
  /** What supervisors filter by (search attributes); never personal data. */
  visibility(s: S): CaseVisibility;
}
