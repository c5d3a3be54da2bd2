/**
 * Shared builders for the after-sale unit tests: a short policy with round numbers, a request builder, one
 * actor per role, valid action inputs, and named case states reached by driving the real machine.
 */
import type { Actor, Money, Role } from '../../../workflows/domain/case';
import type { Policy } from '../../../workflows/domain/policy/types';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { advanceAfterSaleClock, applyRefundResult, openAfterSale } from '../../../workflows/domain/after-sale/machine';
import { applyAfterSaleAction, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import type {
  AfterSaleAction, AfterSaleActionInput, AfterSaleRequest, AfterSaleState, AfterSaleType,
} from '../../../workflows/domain/after-sale/types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** Monday 2026-03-02 10:00 China Standard Time: an ordinary working day, far from holidays. */
export const T0 = Date.parse('2026-03-02T10:00:00+08:00');
export const CASE_ID = 'as_0123456789abcdef0123456789abcdef';

export const cny = (amount: number): Money => ({ amount, currency: 'CNY' });

/** Every deadline a distinct whole number of hours, so a test can tell them apart by their due instant. */
export const SHORT_DEADLINE_HOURS = {
  merchantResponse: 10,
  buyerReturnShipment: 20,
  merchantReceipt: 30,
  refundPayment: 40,
  refundApproval: 5,
  escalationWindow: 15,
  disputeAnswer: 2,
  evidence: 4,
  rulingExecution: 3,
  appealWindow: 25,
  replacementShipment: 6,
  repair: 12,
  suspension: 50,
} as const;

export const SHORT_POLICY: Policy = {
  id: 'test-short',
  version: 3,
  name: 'Short deadlines for unit tests',
  defaultCalendar: '24x7',
  warning: { percentElapsed: 80 },
  afterSale: {
    // Settings other than deadlines and the authority limit (e.g. the no-reason window) as the preset's.
    ...CN_MARKETPLACE.afterSale,
    deadlines: Object.fromEntries(
      Object.entries(SHORT_DEADLINE_HOURS).map(([name, hours]) => [name, { amount: hours, unit: 'hours' as const }]),
    ) as Policy['afterSale']['deadlines'],
    authorityLimit: cny(50_000),
  },
};

/** One key per role; the merchant key sees merchant m-a only. */
export const ACTORS: Record<Role, Actor> = {
  channel: { keyId: 'k-channel', role: 'channel', merchants: '*', actorRef: 'buyer-relay-1' },
  merchant: { keyId: 'k-merchant-a', role: 'merchant', merchants: ['m-a'], actorRef: 'merchant-staff-1' },
  agent: { keyId: 'k-agent', role: 'agent', merchants: '*', actorRef: 'agent-1' },
  supervisor: { keyId: 'k-supervisor', role: 'supervisor', merchants: '*', actorRef: 'supervisor-1' },
  arbiter: { keyId: 'k-arbiter', role: 'arbiter', merchants: '*', actorRef: 'arbiter-1' },
  admin: { keyId: 'k-admin', role: 'admin', merchants: '*', actorRef: 'admin-1' },
};

/** A body each action accepts whenever its state allows it. */
export const VALID_INPUT: Record<AfterSaleAction, AfterSaleActionInput> = {
  approve: {},
  reject: { reason: 'used and scratched' },
  'confirm-receipt': { inspection: 'ok' },
  'ship-replacement': { trackingNumber: 'SF-REPLACEMENT-1', carrier: 'SF' },
  'complete-repair': { note: 'hinge replaced' },
  'execute-ruling': {},
  'ship-return': { trackingNumber: 'SF-RETURN-1', carrier: 'SF' },
  withdraw: { reason: 'changed my mind' },
  escalate: { reason: 'the merchant refused a faulty item' },
  'submit-evidence': { evidence: ['https://evidence.example/1.jpg'] },
  appeal: { reason: 'the ruling ignored the photos' },
  'add-note': { note: 'called the buyer' },
  'request-evidence': { from: 'buyer' },
  rule: { decision: 'reject' },
  'approve-refund': {},
  'retry-refund': {},
  suspend: { reason: 'negotiation' },
  resume: {},
  'extend-deadline': { deadline: 'merchantResponse', by: { amount: 2, unit: 'hours' }, reason: 'merchant closed for a public holiday' },
};

/** Items 2 × 100.00, shipping 10.00, paid 210.00, delivered two days before the request; reason quality. */
export function buildRequest(overrides: Partial<AfterSaleRequest> = {}): AfterSaleRequest {
  return {
    caseId: CASE_ID,
    merchantId: 'm-a',
    orderId: 'order-1',
    customerRef: 'cust-7f3a',
    type: 'return_and_refund',
    reason: 'quality',
    items: [{ sku: 'SKU-1', quantity: 2, unitPrice: cny(10_000) }],
    order: { paidTotal: cny(21_000), shippingFee: cny(1_000), shippedAt: T0 - 72 * HOUR, deliveredAt: T0 - 48 * HOUR },
    requestedAt: T0,
    policy: SHORT_POLICY,
    createdBy: ACTORS.channel,
    requestFingerprint: 'fp-create-1',
    ...overrides,
  };
}

/** A request whose refund (800.00 + 10.00 freight) lies above the short policy's 500.00 authority limit. */
export function buildLargeRequest(overrides: Partial<AfterSaleRequest> = {}): AfterSaleRequest {
  return buildRequest({
    items: [{ sku: 'SKU-TV', quantity: 1, unitPrice: cny(80_000) }],
    order: { paidTotal: cny(81_000), shippingFee: cny(1_000), shippedAt: T0 - 72 * HOUR, deliveredAt: T0 - 48 * HOUR },
    ...overrides,
  });
}

/** Checks, then applies; a refused action fails the test with the machine's own words. */
export function act(
  state: AfterSaleState, action: AfterSaleAction, by: Role | Actor, at: number, input: AfterSaleActionInput = VALID_INPUT[action],
): AfterSaleState {
  const actor = typeof by === 'string' ? ACTORS[by] : by;
  const req = { action, actor, input, fingerprint: `fp-${action}-${at}` };
  const failure = checkAfterSaleAction(state, req, at);
  if (failure) throw new Error(`${action} by ${actor.role} refused in ${state.status}: ${failure.type} ${failure.detail}`);
  return applyAfterSaleAction(state, req, at);
}

export function lastRefundId(state: AfterSaleState): string {
  const refund = state.refunds[state.refunds.length - 1];
  if (!refund) throw new Error('no refund on this case');
  return refund.id;
}

export function refundSucceeds(state: AfterSaleState, at: number): AfterSaleState {
  return applyRefundResult(state, lastRefundId(state), { ok: true, gatewayRef: `gw-${at}`, executedAt: at }, at);
}

export function refundRefused(state: AfterSaleState, at: number): AfterSaleState {
  return applyRefundResult(state, lastRefundId(state), { ok: false, reason: 'card account closed' }, at);
}

/** One step of a scripted case: an action, a gateway answer, or the clock moving to an instant. */
export type Step =
  | [AfterSaleAction, Role | Actor, AfterSaleActionInput?]
  | ['refund-ok' | 'refund-refused']
  | ['clock', number];

/** Opens the case at T0 and runs the steps one minute apart (clock steps jump to their instant). */
export function drive(request: AfterSaleRequest, steps: readonly Step[]): { state: AfterSaleState; at: number } {
  let state = openAfterSale(request, T0);
  let at = T0;
  for (const step of steps) {
    if (step[0] === 'clock') {
      at = step[1];
      state = advanceAfterSaleClock(state, at);
      continue;
    }
    at += MINUTE;
    if (step[0] === 'refund-ok') state = refundSucceeds(state, at);
    else if (step[0] === 'refund-refused') state = refundRefused(state, at);
    else {
      const [action, by, input] = step as [AfterSaleAction, Role | Actor, AfterSaleActionInput?];
      state = act(state, action, by, at, input);
    }
  }
  return { state, at };
}

const returnLeg = (inspection: 'ok' | 'damaged' = 'ok'): Step[] => [
  ['approve', 'merchant'], ['ship-return', 'channel'], ['confirm-receipt', 'merchant', { inspection }],
];
const arbitration: Step[] = [['reject', 'merchant'], ['escalate', 'channel']];

/** Named states covering every status the machine can reach, with the variants that change what is allowed. */
export const STATE_SCRIPTS = {
  'awaiting_merchant/refund_only': { type: 'refund_only', steps: [] },
  'awaiting_merchant/return_and_refund': { type: 'return_and_refund', steps: [] },
  'awaiting_merchant/exchange': { type: 'exchange', steps: [] },
  'awaiting_merchant/repair': { type: 'repair', steps: [] },
  'awaiting_buyer_return/return_and_refund': { type: 'return_and_refund', steps: [['approve', 'merchant']] },
  'awaiting_buyer_return/exchange': { type: 'exchange', steps: [['approve', 'merchant']] },
  'awaiting_buyer_return/repair': { type: 'repair', steps: [['approve', 'merchant']] },
  'awaiting_merchant_receipt/return_and_refund': { type: 'return_and_refund', steps: returnLeg().slice(0, 2) },
  'awaiting_merchant_receipt/exchange': { type: 'exchange', steps: returnLeg().slice(0, 2) },
  'awaiting_merchant_receipt/repair': { type: 'repair', steps: returnLeg().slice(0, 2) },
  refunding: { type: 'refund_only', steps: [['approve', 'merchant']] },
  'refunding/awaiting_approval': { type: 'refund_only', large: true, steps: [['approve', 'merchant']] },
  refund_failed: { type: 'refund_only', steps: [['approve', 'merchant'], ['refund-refused']] },
  awaiting_replacement: { type: 'exchange', steps: returnLeg() },
  in_repair: { type: 'repair', steps: returnLeg() },
  rejected: { type: 'return_and_refund', steps: [['reject', 'merchant']] },
  'rejected/failed_inspection': { type: 'return_and_refund', steps: returnLeg('damaged') },
  in_arbitration: { type: 'return_and_refund', steps: arbitration },
  'in_arbitration/evidence_from_buyer': { type: 'return_and_refund', steps: [...arbitration, ['request-evidence', 'arbiter', { from: 'buyer' }]] },
  'in_arbitration/evidence_from_merchant': { type: 'return_and_refund', steps: [...arbitration, ['request-evidence', 'arbiter', { from: 'merchant' }]] },
  // The merchant answered the dispute and nobody was asked for evidence: no deadline runs (nothing to extend).
  'in_arbitration/answered': { type: 'return_and_refund', steps: [...arbitration, ['submit-evidence', 'merchant']] },
  'in_arbitration/ruled_refund': { type: 'return_and_refund', steps: [...arbitration, ['rule', 'arbiter', { decision: 'refund_full' }]] },
  'in_arbitration/appealed_reject': {
    type: 'return_and_refund', steps: [...arbitration, ['rule', 'arbiter', { decision: 'reject' }], ['appeal', 'channel']],
  },
  'in_arbitration/appealed_refund': {
    type: 'return_and_refund',
    steps: [...arbitration, ['rule', 'arbiter', { decision: 'refund_full' }], ['execute-ruling', 'merchant'], ['refund-ok'], ['appeal', 'merchant']],
  },
  // 中止: each suspended state remembers the status (and owner) it returns to; the reason sets its limit.
  'suspended/from_awaiting_merchant': { type: 'return_and_refund', steps: [['suspend', 'supervisor', { reason: 'negotiation' }]] },
  'suspended/from_in_arbitration': { type: 'return_and_refund', steps: [...arbitration, ['suspend', 'arbiter', { reason: 'police' }]] },
  'suspended/legal_proof': {
    type: 'return_and_refund', steps: [...arbitration, ['rule', 'arbiter', { decision: 'refund_full' }], ['suspend', 'supervisor', { reason: 'legal_proof' }]],
  },
  'suspended/nothing_running': { type: 'return_and_refund', steps: [...arbitration, ['submit-evidence', 'merchant'], ['suspend', 'arbiter', { reason: 'negotiation' }]] },
  'closed/withdrawn': { type: 'return_and_refund', steps: [['withdraw', 'channel']] },
  'closed/refunded': { type: 'refund_only', steps: [['approve', 'merchant'], ['refund-ok']] },
  'closed/exchanged': { type: 'exchange', steps: [...returnLeg(), ['ship-replacement', 'merchant']] },
  'closed/ruling_rejected': { type: 'return_and_refund', steps: [...arbitration, ['rule', 'arbiter', { decision: 'reject' }]] },
  'closed/ruling_refunded': {
    type: 'return_and_refund',
    steps: [...arbitration, ['rule', 'arbiter', { decision: 'refund_full' }], ['execute-ruling', 'merchant'], ['refund-ok']],
  },
  'closed/after_appeal': {
    type: 'return_and_refund',
    steps: [...arbitration, ['rule', 'arbiter', { decision: 'reject' }], ['appeal', 'channel'], ['rule', 'arbiter', { decision: 'reject' }]],
  },
  'closed/appeal_window_expired': {
    type: 'return_and_refund',
    steps: [...arbitration, ['rule', 'arbiter', { decision: 'reject' }], ['clock', T0 + 100 * HOUR]],
  },
} satisfies Record<string, { type: AfterSaleType; large?: boolean; steps: Step[] }>;

export type StateName = keyof typeof STATE_SCRIPTS;
export const STATE_NAMES = Object.keys(STATE_SCRIPTS) as StateName[];

/** The named state, reached from `openAfterSale` by real actions, gateway answers and clock advances. */
export function reach(name: StateName): { state: AfterSaleState; at: number } {
  const script: { type: AfterSaleType; large?: boolean; steps: Step[] } = STATE_SCRIPTS[name];
  const request = script.large ? buildLargeRequest({ type: script.type }) : buildRequest({ type: script.type });
  return drive(request, script.steps);
}

/** Deadlines as the spec names them: who must act and what silence does. */
export const activeDeadlineSpecs = (s: AfterSaleState) =>
  s.deadlines.filter((d) => d.state === 'active').map(({ name, actor, onTimeout }) => ({ name, actor, onTimeout }));

export const timelineTypes = (s: AfterSaleState, from = 0) => s.timeline.slice(from).map((e) => e.type);
