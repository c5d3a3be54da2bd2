/**
 * The two tables every case kind's actions are checked against, each rule once (docs/http-contract.md
 * "Kinds and actions"):
 * - role × action (403): who may never send an action. The machines check the role table and the merchant
 *   scope before the state, so the answer is the same in every state; it is checked in one state where no
 *   action is open, so a 403 there can only come from the role table (a state check first would say 409).
 * - state × role (409 and allowedActions): what each role is offered in each state, and for every action
 *   its role may send but the state does not allow, a 409 naming the status, the action and that list.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Actor, type Role } from '../../../workflows/domain/case';
import { RULE_FAILURES, type RuleFailure } from '../../../workflows/domain/failures';

export interface KindTables<S, A extends string> {
  /** Every action of the kind, in the order the machine lists allowed actions. */
  actions: readonly A[];
  /** The spec's role table: which roles may ever send each action. */
  roles: Record<A, readonly Role[]>;
  /** Reached states by name: their status and what each role may send there (roles not named: nothing). */
  states: Record<string, { state: S; status: string; allowed: Partial<Record<Role, readonly A[]>> }>;
  /** The status of a reached state. */
  statusOf: (state: S) => string;
  /** A state (by name) in which no action is open to anyone: where the 403 table is checked. */
  nothingOpen: string;
  /** A state (by name) where roles are offered actions: the system and keys of other merchants get none. */
  opening: string;
  /** One actor per role, in the case's merchant scope. */
  actor: (role: Role) => Actor;
  /** The machine's check of an action by an actor (with an input the action accepts in that state). */
  check: (state: S, action: A, actor: Actor) => RuleFailure | null;
  /** The machine's list of actions the actor may send now. */
  allowed: (state: S, actor: Actor) => readonly A[];
  /**
   * Whether `check` sends a valid input for every action, so an allowed action answers null; otherwise an
   * allowed action only has to pass the role and state checks (its input is checked by the kind's tests).
   */
  validInputs: boolean;
}

const SYSTEM: Actor = { keyId: 'system', role: 'system', merchants: '*' };

export function describeActionTables<S, A extends string>(kind: string, t: KindTables<S, A>): void {
  /** A key of `role` for another merchant than the case's (the tables' cases belong to m-a). */
  const outside = (role: Role): Actor => ({ ...t.actor(role), keyId: `k-${role}-m-b`, merchants: ['m-b'] });
  const inOrder = (actions: readonly A[]) => t.actions.filter((a) => actions.includes(a));
  const specAllowed = (name: string, role: Role) => inOrder(t.states[name].allowed[role] ?? []);

  describe(`${kind}: the reached states`, () => {
    it.each(Object.keys(t.states))('%s has the status the table names', (name) => {
      expect(t.statusOf(t.states[name].state)).toBe(t.states[name].status);
    });
  });

  describe(`${kind}: role × action (403 whatever the state)`, () => {
    it('the tables agree: every state offers a role only actions the role table gives it', () => {
      for (const [name, { allowed }] of Object.entries(t.states)) {
        for (const [role, actions] of Object.entries(allowed) as [Role, readonly A[]][]) {
          for (const action of actions) expect(t.roles[action], `${name}: ${role} ${action}`).toContain(role);
        }
      }
      const { state } = t.states[t.nothingOpen];
      for (const role of ROLES) expect(t.allowed(state, t.actor(role)), `${t.nothingOpen} offers ${role} nothing`).toEqual([]);
    });

    const forbidden = t.actions.flatMap((action) => ROLES.filter((role) => !t.roles[action].includes(role)).map((role) => [action, role] as const));
    it.each(forbidden)('%s by %s → 403', (action, role) => {
      expect(t.check(t.states[t.nothingOpen].state, action, t.actor(role))?.type).toBe(RULE_FAILURES.forbidden);
    });

    it.each(t.actions.map((action) => [action]))('%s by the system, or by its roles\' keys outside the case\'s merchant → 403', (action) => {
      const { state } = t.states[t.nothingOpen];
      expect(t.check(state, action, SYSTEM)?.type).toBe(RULE_FAILURES.forbidden);
      for (const role of t.roles[action]) expect(t.check(state, action, outside(role))?.type, role).toBe(RULE_FAILURES.forbidden);
    });

    it('the system and keys outside the case\'s merchant are offered nothing', () => {
      const { state } = t.states[t.opening];
      expect(t.allowed(state, SYSTEM)).toEqual([]);
      for (const role of ROLES) expect(t.allowed(state, outside(role)), role).toEqual([]);
    });
  });

  describe(`${kind}: state × role (allowedActions, and 409 for the rest of the role's actions)`, () => {
    const cells = Object.keys(t.states).flatMap((name) => ROLES.map((role) => [name, role] as const));
    it.each(cells)('%s · %s', (name, role) => {
      const { state, status } = t.states[name];
      const actor = t.actor(role);
      const expected = specAllowed(name, role);
      expect(t.allowed(state, actor)).toEqual(expected);
      for (const action of t.actions.filter((a) => t.roles[a].includes(role))) {
        const failure = t.check(state, action, actor);
        if (!expected.includes(action)) {
          expect(failure, action).toMatchObject({ type: RULE_FAILURES.actionNotAllowed, extensions: { caseStatus: status, action, allowedActions: expected } });
        } else if (t.validInputs) {
          expect(failure, action).toBeNull();
        } else {
          expect([RULE_FAILURES.forbidden, RULE_FAILURES.actionNotAllowed], action).not.toContain(failure?.type);
        }
      }
    });
  });
}
