/**
 * Policy selection (docs/domain-rules.md "Policies and their selection"): which policy a new
 * case gets when its request names none. Rules are ordered; a rule matches when every criterion it names
 * contains the case's value; no match → the default preset. Pure.
 */
import { CASE_KINDS, type CaseKind } from '../case';
import { DEFAULT_POLICY_ID } from './presets';
import { POLICY_ID_PATTERN } from './validate';

export interface SelectionRule {
  policyId: string;
  when: { merchantId?: string[]; kind?: CaseKind[]; type?: string[]; customerTier?: string[] };
}

export interface SelectionRules {
  rules: SelectionRule[];
}

export interface SelectionFacts {
  merchantId: string;
  kind: CaseKind;
  type?: string;
  customerTier?: string;
}

export interface Selection {
  policyId: string;
  /** Index of the rule that matched; absent when the default applied. */
  rule?: number;
}

export function selectPolicyId(rules: readonly SelectionRule[], facts: SelectionFacts): Selection {
  const index = rules.findIndex(({ when }) =>
    (when.merchantId === undefined || when.merchantId.includes(facts.merchantId))
    && (when.kind === undefined || when.kind.includes(facts.kind))
    && (when.type === undefined || (facts.type !== undefined && when.type.includes(facts.type)))
    && (when.customerTier === undefined || (facts.customerTier !== undefined && when.customerTier.includes(facts.customerTier))));
  return index < 0 ? { policyId: DEFAULT_POLICY_ID } : { policyId: rules[index].policyId, rule: index };
}

const CRITERIA = ['merchantId', 'kind', 'type', 'customerTier'] as const;

/** What is wrong with a rules document (empty when it is fine). */
export function selectionRuleProblems(document: unknown): string[] {
  const rules = (document as SelectionRules | null)?.rules;
  if (!Array.isArray(rules)) return ['rules must be a list'];
  if (rules.length > 200) return ['at most 200 rules'];
  return rules.flatMap((rule, i) => {
    const problems: string[] = [];
    if (typeof rule?.policyId !== 'string' || !POLICY_ID_PATTERN.test(rule.policyId)) problems.push(`rules[${i}].policyId must be a policy id`);
    const when = rule?.when;
    if (when === null || typeof when !== 'object') return [...problems, `rules[${i}].when must be an object`];
    for (const [name, values] of Object.entries(when)) {
      if (!(CRITERIA as readonly string[]).includes(name)) problems.push(`rules[${i}].when.${name} is not a criterion (${CRITERIA.join(', ')})`);
      else if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) problems.push(`rules[${i}].when.${name} must be a non-empty list of strings`);
      else if (name === 'kind' && values.some((v) => !(CASE_KINDS as readonly string[]).includes(v))) problems.push(`rules[${i}].when.kind names an unknown kind`);
    }
    return problems;
  });
}
