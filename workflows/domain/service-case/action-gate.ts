/**
 * The order every kind checks an action in (docs/http-contract.md "Errors"): a known action, then the role
 * and merchant scope (403), then the case's state (409 naming what the caller may do now), then the input
 * (400/422). Each kind gives its tables and words as hooks; the allowed actions of a view come from the same
 * rules, so a 409 and the view can never disagree. Pure.
 */
import { inMerchantScope, type Actor, type ActorRole } from '../case';
import { RULE_FAILURES, type RuleFailure } from '../failures';

export function fail(type: RuleFailure['type'], detail: string, extensions?: Record<string, unknown>): RuleFailure {
  return { type, detail, ...(extensions ? { extensions } : {}) };
}

export interface ActionGate<S extends { status: string }, A extends string, R extends { action: A; actor: Actor }> {
  actions: readonly A[];
  merchantOf(s: S): string;
  roleMayAct(role: ActorRole, action: A): boolean;
  stateAllows(s: S, action: A, actor: Actor, now: number): boolean;
  /** How problem details name the case: `this <forbidden>`, `while the <status> is …`. */
  words: { forbidden: string; status: string };
  /** A kind's own answer to an action its state refuses (an after-sale claim that opens later), else the usual. */
  refused?(s: S, req: R, now: number): RuleFailure | null;
  /** Input rules that depend on the case (shape is checked at the edge). */
  checkInput(s: S, req: R, now: number): RuleFailure | null;
}

/** The actions this caller may send now: role allowed, merchant in scope, state allows. */
export function allowedActions<S extends { status: string }, A extends string, R extends { action: A; actor: Actor }>(
  gate: ActionGate<S, A, R>, s: S, actor: Actor, now: number,
): A[] {
  if (actor.role === 'system' || !inMerchantScope(actor.merchants, gate.merchantOf(s))) return [];
  return gate.actions.filter((a) => gate.roleMayAct(actor.role, a) && gate.stateAllows(s, a, actor, now));
}

/** Null when the action may run; otherwise the typed failure the API turns into 403/409/422/400. */
export function checkAction<S extends { status: string }, A extends string, R extends { action: A; actor: Actor }>(
  gate: ActionGate<S, A, R>, s: S, req: R, now: number,
): RuleFailure | null {
  const { action, actor } = req;
  if (!(gate.actions as readonly string[]).includes(action)) return fail(RULE_FAILURES.invalidInput, `unknown action ${action}`);
  if (!gate.roleMayAct(actor.role, action) || !inMerchantScope(actor.merchants, gate.merchantOf(s))) {
    return fail(RULE_FAILURES.forbidden, `role ${actor.role} may not ${action} this ${gate.words.forbidden}`);
  }
  if (!gate.stateAllows(s, action, actor, now)) {
    return gate.refused?.(s, req, now) ?? fail(RULE_FAILURES.actionNotAllowed, `${action} is not allowed while the ${gate.words.status} is ${s.status}`, {
      caseStatus: s.status, action, allowedActions: allowedActions(gate, s, actor, now),
    });
  }
  return gate.checkInput(s, req, now);
}
