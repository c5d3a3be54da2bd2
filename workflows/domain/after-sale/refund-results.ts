/**
 * What the payment gateway's answers do to an after-sale: the refunds waiting to run, and a refund's final
 * result (success closes the case as the refund said; a refusal hands it to a supervisor). Pure.
 */
import { draftOf, record } from '../service-case/core';
import { close, enter } from './moves';
import type { AfterSaleState } from './types';

export type RefundResult =
  | { ok: true; gatewayRef: string; executedAt: number }
  | { ok: false; reason: string };

/** A gateway's final answer on one refund. Success closes the case; a refusal hands it to a supervisor. */
export function applyRefundResult(state: AfterSaleState, refundId: string, result: RefundResult, now: number): AfterSaleState {
  const s = draftOf(state, now);
  const refund = s.refunds.find((r) => r.id === refundId);
  if (!refund || refund.status !== 'pending') return state;
  if (result.ok) {
    refund.status = 'succeeded';
    refund.executedAt = result.executedAt;
    refund.gatewayRef = result.gatewayRef;
    record(s, now, 'refund.succeeded', 'system', { refundId, amount: refund.amount });
    close(s, refund.closesAs, now, 'system');
  } else {
    refund.status = 'failed';
    refund.failure = result.reason;
    record(s, now, 'refund.failed', 'system', { refundId, amount: refund.amount, reason: result.reason });
    enter(s, 'refund_failed', now, 'system');
  }
  return s;
}

export function pendingRefunds(s: AfterSaleState) {
  return s.refunds.filter((r) => r.status === 'pending');
}
