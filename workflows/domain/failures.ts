/**
 * Typed rule failures that workflow validators throw and the API maps to HTTP answers. The `type` string is
 * the ApplicationFailure type; `details[0]` carries the extensions. Mapping: see api/problems.ts.
 */
export const RULE_FAILURES = {
  /** The action is not allowed in the case's current state (409, with caseStatus/action/allowedActions). */
  actionNotAllowed: 'ActionNotAllowed',
  /** The role or person may not do this: wrong role, four-eyes violation (403). */
  forbidden: 'Forbidden',
  /** A business eligibility rule refuses the request (422 `not-eligible`, naming the rule). */
  notEligible: 'NotEligible',
  /** The request is well-formed but inconsistent with the case (400). */
  invalidInput: 'InvalidInput',
  /** A survey callback arrived after the survey closed (409 `survey-closed`). */
  surveyClosed: 'SurveyClosed',
} as const;

export type RuleFailureType = (typeof RULE_FAILURES)[keyof typeof RULE_FAILURES];

export interface RuleFailure {
  type: RuleFailureType;
  detail: string;
  /** Problem extensions (e.g. `rule`, `caseStatus`, `allowedActions`). */
  extensions?: Record<string, unknown>;
}
