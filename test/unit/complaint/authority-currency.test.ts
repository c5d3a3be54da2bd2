/**
 * Authority limits compare money with its currency: a limit in CNY never covers an amount in EUR, however
 * small the number (四眼原则: a supervisor approves what the proposer's limit cannot vouch for). Cases started
 * before the rule (no `authorityCurrency` in their state) keep comparing the numbers, as they recorded.
 * cn-marketplace's complaint limits: agent CNY 200.00, supervisor CNY 2,000.00.
 */
import { describe, expect, it } from 'vitest';
import { openComplaint } from '../../../workflows/domain/complaint/machine';
import { needsApproval } from '../../../workflows/domain/complaint/solutions';
import { withinAuthority } from '../../../workflows/domain/policy/authority';
import { ACTORS, T0, buildRequest } from './fixtures';

const money = (amount: number, currency: string) => ({ amount, currency });

describe('withinAuthority', () => {
  it.each([
    ['CNY 150.00 within CNY 200.00', money(15_000, 'CNY'), money(20_000, 'CNY'), true],
    ['CNY 200.00 is the limit itself', money(20_000, 'CNY'), money(20_000, 'CNY'), true],
    ['CNY 200.01 above it', money(20_001, 'CNY'), money(20_000, 'CNY'), false],
    ['EUR 150.00 against a CNY limit: not comparable, not within', money(15_000, 'EUR'), money(20_000, 'CNY'), false],
    ['EUR 1.00 against a CNY limit', money(100, 'EUR'), money(20_000, 'CNY'), false],
  ])('%s', (_label, amount, limit, within) => {
    expect(withinAuthority(amount, limit)).toBe(within);
  });
});

describe('complaint solutions', () => {
  it.each([
    ['an agent promising EUR 150.00 under a CNY 200.00 limit needs approval', money(15_000, 'EUR'), true],
    ['an agent promising CNY 150.00 does not', money(15_000, 'CNY'), false],
    ['an agent promising CNY 300.00 does', money(30_000, 'CNY'), true],
  ])('%s', (_label, amount, expected) => {
    expect(needsApproval(openComplaint(buildRequest(), T0), ACTORS.agent, amount)).toBe(expected);
  });

  it('a case started before the rule keeps comparing the numbers (EUR 150.00 passes a CNY 200.00 limit)', () => {
    expect(needsApproval(openComplaint(buildRequest(), T0, true, false), ACTORS.agent, money(15_000, 'EUR'))).toBe(false);
  });
});
