/** Policy selection: ordered rules, first match wins, every criterion must hold, default otherwise. */
import { describe, expect, it } from 'vitest';
import { selectPolicyId, selectionRuleProblems, type SelectionFacts, type SelectionRule } from '../../../workflows/domain/policy/select';

const rules: SelectionRule[] = [
  { policyId: 'vip-fast', when: { customerTier: ['vip'], kind: ['complaint'] } },
  { policyId: 'jd-shoes', when: { merchantId: ['m-jd'], kind: ['after_sale'], type: ['return_and_refund', 'exchange'] } },
  { policyId: 'm-a-all', when: { merchantId: ['m-a'] } },
  { policyId: 'complaints', when: { kind: ['complaint'] } },
];

describe('selectPolicyId', () => {
  it.each<[string, SelectionFacts, string, number | undefined]>([
    ['vip complaint: first rule', { merchantId: 'm-a', kind: 'complaint', customerTier: 'vip' }, 'vip-fast', 0],
    ['regular complaint of m-a: merchant rule comes first', { merchantId: 'm-a', kind: 'complaint', customerTier: 'regular' }, 'm-a-all', 2],
    ['complaint of another merchant', { merchantId: 'm-z', kind: 'complaint' }, 'complaints', 3],
    ['jd return', { merchantId: 'm-jd', kind: 'after_sale', type: 'return_and_refund' }, 'jd-shoes', 1],
    ['jd repair: type not listed', { merchantId: 'm-jd', kind: 'after_sale', type: 'repair' }, 'cn-marketplace', undefined],
    ['type criterion with no type in the facts', { merchantId: 'm-jd', kind: 'after_sale' }, 'cn-marketplace', undefined],
    ['tier criterion with no tier in the facts', { merchantId: 'm-z', kind: 'complaint' }, 'complaints', 3],
    ['nothing matches', { merchantId: 'm-z', kind: 'inquiry' }, 'cn-marketplace', undefined],
  ])('%s', (_name, facts, policyId, rule) => {
    expect(selectPolicyId(rules, facts)).toEqual(rule === undefined ? { policyId } : { policyId, rule });
  });

  it('no rules: the default preset', () => {
    expect(selectPolicyId([], { merchantId: 'm-a', kind: 'after_sale' })).toEqual({ policyId: 'cn-marketplace' });
  });
});

describe('selectionRuleProblems', () => {
  it.each<[string, unknown, RegExp | null]>([
    ['valid', { rules }, null],
    ['not a list', { rules: {} }, /must be a list/],
    ['bad policy id', { rules: [{ policyId: 'Bad Id', when: {} }] }, /policyId/],
    ['unknown criterion', { rules: [{ policyId: 'x1', when: { channel: ['chat'] } }] }, /not a criterion/],
    ['empty list', { rules: [{ policyId: 'x1', when: { kind: [] } }] }, /non-empty/],
    ['unknown kind', { rules: [{ policyId: 'x1', when: { kind: ['refund'] } }] }, /unknown kind/],
  ])('%s', (_name, document, problem) => {
    const problems = selectionRuleProblems(document);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toMatch(problem);
  });
});
