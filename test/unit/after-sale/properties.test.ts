/**
 * Property-based tests of the after-sale machine (fast-check): whatever random sequence of actions,
 * roles, gateway answers and clock jumps hits a case, it never reaches an illegal state, never refunds
 * more than was paid, and every deadline lies after its start.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Money, type Role } from '../../../workflows/domain/case';
import {
  advanceAfterSaleClock, applyRefundResult, isAfterSaleFinished, nextWakeAt, openAfterSale, pendingRefunds,
} from '../../../workflows/domain/after-sale/machine';
import { allowedAfterSaleActions, applyAfterSaleAction, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import {
  AFTER_SALE_ACTIONS, AFTER_SALE_OUTCOMES, AFTER_SALE_STATUSES, AFTER_SALE_TYPES, AFTER_SALE_REASONS,
  type AfterSaleAction, type AfterSaleActionInput, type AfterSaleState,
} from '../../../workflows/domain/after-sale/types';
import { ACTORS, HOUR, T0, buildRequest, cny } from './fixtures';

const inputFor = (action: AfterSaleAction, amount: number, refs: string): AfterSaleActionInput => {
  switch (action) {
    case 'reject': return { reason: 'worn' };
    case 'ship-return': return { trackingNumber: 'T1' };
    case 'confirm-receipt': return { inspection: amount % 3 === 0 ? 'damaged' : 'ok' };
    case 'add-note': return { note: 'n' };
    case 'request-evidence': return { from: amount % 2 ? 'buyer' : 'merchant' };
    case 'rule': return amount % 3 === 0 ? { decision: 'reject' } : amount % 3 === 1 ? { decision: 'refund_full' } : { decision: 'refund_partial', amount: cny(amount) };
    case 'submit-evidence': return { evidence: ['https://e.example/1'] };
    case 'suspend' as AfterSaleAction: return { reason: ['negotiation', 'legal_proof', 'police'][amount % 3] };
    case 'extend-deadline' as AfterSaleAction: return { deadline: refs, by: { amount: 1, unit: 'hours' }, reason: 'audited' };
    default: return {};
  }
};

type Step =
  | { kind: 'act'; action: AfterSaleAction; role: Role; amount: number; actorRef: string }
  | { kind: 'refund'; ok: boolean }
  | { kind: 'clock'; hours: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    kind: fc.constant('act' as const),
    action: fc.constantFrom(...AFTER_SALE_ACTIONS),
    role: fc.constantFrom(...ROLES),
    amount: fc.integer({ min: 1, max: 60_000 }),
    actorRef: fc.constantFrom('p1', 'p2'),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), ok: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clock' as const), hours: fc.integer({ min: 0, max: 60 }) }) },
);

const caseSpec = fc.record({
  type: fc.constantFrom(...AFTER_SALE_TYPES),
  reason: fc.constantFrom(...AFTER_SALE_REASONS.filter((r) => r !== 'no_reason')),
  quantity: fc.integer({ min: 1, max: 5 }),
  unitPrice: fc.integer({ min: 1, max: 40_000 }),
  shippingFee: fc.integer({ min: 0, max: 2_000 }),
  discount: fc.integer({ min: 0, max: 5_000 }),
});

function invariants(s: AfterSaleState, paid: Money, previousLevel: number): void {
  expect(AFTER_SALE_STATUSES).toContain(s.status);
  expect(s.outcome === null).toBe(s.status !== 'closed');
  if (s.outcome !== null) expect(AFTER_SALE_OUTCOMES).toContain(s.outcome);
  expect(s.owner === null).toBe(s.status === 'closed');
  const refunded = s.refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount.amount, 0);
  expect(refunded).toBeLessThanOrEqual(s.refundCap.amount);
  expect(s.refundCap.amount).toBeLessThanOrEqual(paid.amount);
  expect(s.refunds.filter((r) => r.status === 'pending' || r.status === 'awaiting_approval').length).toBeLessThanOrEqual(1);
  expect(new Set(s.refunds.map((r) => r.idempotencyKey)).size).toBe(s.refunds.length);
  for (const d of s.deadlines) {
    expect(d.dueAt).toBeGreaterThanOrEqual(d.startedAt);
    if (d.warnAt !== undefined) expect(d.warnAt > d.startedAt && d.warnAt < d.dueAt).toBe(true);
  }
  expect(s.escalationLevel).toBeGreaterThanOrEqual(previousLevel);
  expect(s.escalationLevel).toBeLessThanOrEqual(4);
  if (s.status === 'suspended') expect(s.suspension).not.toBeNull();
  else expect(s.suspension).toBeNull();
}

describe('after-sale machine properties', () => {
  it('random histories keep every invariant, and allowedActions agrees with the checks', () => {
    fc.assert(fc.property(caseSpec, fc.array(step, { maxLength: 40 }), (spec, steps) => {
      const paid = cny(spec.quantity * spec.unitPrice + spec.shippingFee - Math.min(spec.discount, spec.quantity * spec.unitPrice));
      let s = openAfterSale(buildRequest({
        type: spec.type, reason: spec.reason,
        items: [{ sku: 'S', quantity: spec.quantity, unitPrice: cny(spec.unitPrice) }],
        order: { paidTotal: paid, shippingFee: cny(spec.shippingFee), shippedAt: T0 - 72 * HOUR, deliveredAt: T0 - 48 * HOUR },
      }), T0);
      let now = T0;
      invariants(s, paid, 1);
      for (const st of steps) {
        const level = s.escalationLevel;
        now += 60_000;
        if (st.kind === 'clock') {
          now += st.hours * HOUR;
          s = advanceAfterSaleClock(s, now);
          expect(nextWakeAt(s) === undefined || nextWakeAt(s)! > now).toBe(true);
        } else if (st.kind === 'refund') {
          const pending = pendingRefunds(s)[0];
          if (pending) s = applyRefundResult(s, pending.id, st.ok ? { ok: true, gatewayRef: 'g', executedAt: now } : { ok: false, reason: 'no' }, now);
        } else {
          const actor = { ...ACTORS[st.role], actorRef: st.actorRef };
          const activeName = s.deadlines.find((d) => d.state === 'active')?.name ?? 'merchantResponse';
          const req = { action: st.action, actor, input: inputFor(st.action, st.amount, activeName), fingerprint: 'f' };
          const allowed = allowedAfterSaleActions(s, actor, now).includes(st.action);
          const failure = checkAfterSaleAction(s, req, now);
          if (!allowed) expect(['Forbidden', 'ActionNotAllowed']).toContain(failure?.type);
          if (failure === null) {
            expect(allowed).toBe(true);
            s = applyAfterSaleAction(s, req, now);
          }
        }
        invariants(s, paid, level);
        if (isAfterSaleFinished(s)) expect(s.deadlines.every((d) => d.state !== 'active')).toBe(true);
      }
    }), { numRuns: 400 });
  });
});
