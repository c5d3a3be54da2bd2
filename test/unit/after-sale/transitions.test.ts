// The after-sale transition tables written out as the spec (docs/http-contract.md "Kinds and actions",
// docs/domain-rules.md "After-sale"): who may send what (role × action), what each role may send in each
// state (state × role), and what each allowed transition does, checked against states reached by driving
// the real machine.
import { describe, expect, it } from 'vitest';
import { ROLES, type Actor, type ActorRole, type DeadlineState, type OnTimeout, type Role, type Tier } from '../../../workflows/domain/case';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { AFTER_SALE_ACTION_ROLES } from '../../../workflows/domain/after-sale/roles';
import { allowedAfterSaleActions, applyAfterSaleAction, checkAfterSaleAction } from '../../../workflows/domain/after-sale/machine';
import {
  AFTER_SALE_ACTIONS, AFTER_SALE_STATUSES, type AfterSaleAction, type AfterSaleActionInput, type AfterSaleOutcome, type AfterSaleStatus,
} from '../../../workflows/domain/after-sale/types';
import type { AfterSaleDeadlineName } from '../../../workflows/domain/policy/types';
import { describeActionTables } from '../support/action-tables';
import { ACTORS, CASE_ID, MINUTE, STATE_NAMES, VALID_INPUT, reach, timelineTypes, type StateName } from './fixtures';

/** Which roles may send each action (docs/http-contract.md "Kinds and actions"). */
const ACTION_ROLES_SPEC: Record<AfterSaleAction, Role[]> = {
  approve: ['merchant'],
  reject: ['merchant'],
  'confirm-receipt': ['merchant'],
  'ship-replacement': ['merchant'],
  'complete-repair': ['merchant'],
  'execute-ruling': ['merchant'],
  'ship-return': ['channel'],
  withdraw: ['channel'],
  escalate: ['channel', 'merchant'],
  'submit-evidence': ['channel', 'merchant'],
  appeal: ['channel', 'merchant'],
  'add-note': ['channel', 'merchant'],
  'request-evidence': ['arbiter'],
  rule: ['arbiter'],
  'approve-refund': ['supervisor'],
  'retry-refund': ['supervisor'],
  suspend: ['supervisor', 'arbiter'],
  resume: ['supervisor', 'arbiter'],
  'extend-deadline': ['supervisor', 'arbiter'],
};

type Allowed = Partial<Record<Role, AfterSaleAction[]>>;

/** What each role may send in each reachable state (roles not named: nothing). */
const STATE_SPEC: Record<StateName, { status: AfterSaleStatus; allowed: Allowed }> = {
  'awaiting_merchant/refund_only': { status: 'awaiting_merchant', allowed: { merchant: ['approve', 'reject', 'add-note'], channel: ['withdraw', 'add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_merchant/return_and_refund': { status: 'awaiting_merchant', allowed: { merchant: ['approve', 'reject', 'add-note'], channel: ['withdraw', 'add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_merchant/exchange': { status: 'awaiting_merchant', allowed: { merchant: ['approve', 'reject', 'add-note'], channel: ['withdraw', 'add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_merchant/repair': { status: 'awaiting_merchant', allowed: { merchant: ['approve', 'reject', 'add-note'], channel: ['withdraw', 'add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_buyer_return/return_and_refund': { status: 'awaiting_buyer_return', allowed: { channel: ['ship-return', 'withdraw', 'add-note'], merchant: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_buyer_return/exchange': { status: 'awaiting_buyer_return', allowed: { channel: ['ship-return', 'withdraw', 'add-note'], merchant: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_buyer_return/repair': { status: 'awaiting_buyer_return', allowed: { channel: ['ship-return', 'withdraw', 'add-note'], merchant: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_merchant_receipt/return_and_refund': { status: 'awaiting_merchant_receipt', allowed: { merchant: ['confirm-receipt', 'add-note'], channel: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_merchant_receipt/exchange': { status: 'awaiting_merchant_receipt', allowed: { merchant: ['confirm-receipt', 'add-note'], channel: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'awaiting_merchant_receipt/repair': { status: 'awaiting_merchant_receipt', allowed: { merchant: ['confirm-receipt', 'add-note'], channel: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  refunding: { status: 'refunding', allowed: { merchant: ['add-note'], channel: ['add-note'], supervisor: ['extend-deadline'], arbiter: ['extend-deadline'] } },
  'refunding/awaiting_approval': { status: 'refunding', allowed: { supervisor: ['approve-refund', 'extend-deadline'], merchant: ['add-note'], channel: ['add-note'], arbiter: ['extend-deadline'] } },
  refund_failed: { status: 'refund_failed', allowed: { supervisor: ['retry-refund'], merchant: ['add-note'], channel: ['add-note'] } },
  awaiting_replacement: { status: 'awaiting_replacement', allowed: { merchant: ['ship-replacement', 'add-note'], channel: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  in_repair: { status: 'in_repair', allowed: { merchant: ['complete-repair', 'add-note'], channel: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  rejected: { status: 'rejected', allowed: { channel: ['withdraw', 'escalate', 'add-note'], merchant: ['escalate', 'add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'rejected/failed_inspection': { status: 'rejected', allowed: { channel: ['withdraw', 'escalate', 'add-note'], merchant: ['escalate', 'add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  in_arbitration: {
    status: 'in_arbitration',
    allowed: { channel: ['withdraw', 'submit-evidence', 'add-note'], merchant: ['submit-evidence', 'add-note'], arbiter: ['request-evidence', 'rule', 'suspend', 'extend-deadline'], supervisor: ['suspend', 'extend-deadline'] },
  },
  'in_arbitration/evidence_from_buyer': {
    status: 'in_arbitration',
    allowed: { channel: ['withdraw', 'submit-evidence', 'add-note'], merchant: ['submit-evidence', 'add-note'], arbiter: ['request-evidence', 'rule', 'suspend', 'extend-deadline'], supervisor: ['suspend', 'extend-deadline'] },
  },
  'in_arbitration/evidence_from_merchant': {
    status: 'in_arbitration',
    allowed: { channel: ['withdraw', 'submit-evidence', 'add-note'], merchant: ['submit-evidence', 'add-note'], arbiter: ['request-evidence', 'rule', 'suspend', 'extend-deadline'], supervisor: ['suspend', 'extend-deadline'] },
  },
  // No deadline runs: suspending is still possible, extending is not.
  'in_arbitration/answered': {
    status: 'in_arbitration',
    allowed: { channel: ['withdraw', 'submit-evidence', 'add-note'], merchant: ['submit-evidence', 'add-note'], arbiter: ['request-evidence', 'rule', 'suspend'], supervisor: ['suspend'] },
  },
  // A refund ruling waits for the merchant to execute it: nothing else moves the case meanwhile.
  'in_arbitration/ruled_refund': { status: 'in_arbitration', allowed: { merchant: ['execute-ruling', 'add-note'], channel: ['add-note'], supervisor: ['suspend', 'extend-deadline'], arbiter: ['suspend', 'extend-deadline'] } },
  'in_arbitration/appealed_reject': {
    status: 'in_arbitration',
    allowed: { channel: ['withdraw', 'submit-evidence', 'add-note'], merchant: ['submit-evidence', 'add-note'], arbiter: ['request-evidence', 'rule', 'suspend', 'extend-deadline'], supervisor: ['suspend', 'extend-deadline'] },
  },
  // Money has moved: the buyer can no longer withdraw (the case would close `withdrawn` over a paid refund).
  'in_arbitration/appealed_refund': {
    status: 'in_arbitration',
    allowed: { channel: ['submit-evidence', 'add-note'], merchant: ['submit-evidence', 'add-note'], arbiter: ['request-evidence', 'rule', 'suspend', 'extend-deadline'], supervisor: ['suspend', 'extend-deadline'] },
  },
  // Suspended: only resume, extend a deadline (the suspension's own limit included) and notes.
  'suspended/from_awaiting_merchant': { status: 'suspended', allowed: { supervisor: ['resume', 'extend-deadline'], arbiter: ['resume', 'extend-deadline'], channel: ['add-note'], merchant: ['add-note'] } },
  'suspended/from_in_arbitration': { status: 'suspended', allowed: { supervisor: ['resume', 'extend-deadline'], arbiter: ['resume', 'extend-deadline'], channel: ['add-note'], merchant: ['add-note'] } },
  'suspended/legal_proof': { status: 'suspended', allowed: { supervisor: ['resume', 'extend-deadline'], arbiter: ['resume', 'extend-deadline'], channel: ['add-note'], merchant: ['add-note'] } },
  'suspended/nothing_running': { status: 'suspended', allowed: { supervisor: ['resume', 'extend-deadline'], arbiter: ['resume', 'extend-deadline'], channel: ['add-note'], merchant: ['add-note'] } },
  'closed/withdrawn': { status: 'closed', allowed: {} },
  'closed/refunded': { status: 'closed', allowed: {} },
  'closed/exchanged': { status: 'closed', allowed: {} },
  'closed/ruling_rejected': { status: 'closed', allowed: { channel: ['appeal', 'add-note'], merchant: ['appeal', 'add-note'] } },
  'closed/ruling_refunded': { status: 'closed', allowed: { channel: ['appeal', 'add-note'], merchant: ['appeal', 'add-note'] } },
  'closed/after_appeal': { status: 'closed', allowed: {} },
  'closed/appeal_window_expired': { status: 'closed', allowed: {} },
};

const allowedFor = (name: StateName, role: Role): AfterSaleAction[] => STATE_SPEC[name].allowed[role] ?? [];
const input = (action: AfterSaleAction): AfterSaleActionInput => VALID_INPUT[action];
const request = (action: AfterSaleAction, actor: Actor, body: AfterSaleActionInput = input(action)) => ({ action, actor, input: body, fingerprint: 'fp' });
/** The valid input in a given state: extend-deadline names a deadline that is active there. */
const inputIn = (state: { deadlines: Array<{ state: string; name: string }> }, action: AfterSaleAction): AfterSaleActionInput => {
  const active = state.deadlines.find((d) => d.state === 'active');
  return action === 'extend-deadline' && active ? { ...input(action), deadline: active.name } : input(action);
};

/** States are built once; every test reads them and none mutates them (the machine returns new states). */
const STATES = Object.fromEntries(STATE_NAMES.map((name) => [name, reach(name)])) as Record<StateName, ReturnType<typeof reach>>;

describe('the spec tables themselves', () => {
  it('the role table is the one docs/http-contract.md lists', () => {
    expect(AFTER_SALE_ACTION_ROLES).toEqual(ACTION_ROLES_SPEC);
  });

  it('every status is reached by driving the machine', () => {
    const reached = new Set(STATE_NAMES.map((name) => STATE_SPEC[name].status));
    expect(AFTER_SALE_STATUSES.filter((s) => !reached.has(s))).toEqual([]);
  });
});

// 403 once per role × action, 409 and allowedActions once per state × role (test/unit/support/action-tables.ts).
describeActionTables('after-sale', {
  actions: AFTER_SALE_ACTIONS,
  roles: ACTION_ROLES_SPEC,
  states: Object.fromEntries(STATE_NAMES.map((name) => [name, { state: STATES[name], ...STATE_SPEC[name] }])),
  statusOf: ({ state }) => state.status,
  nothingOpen: 'closed/withdrawn',
  opening: 'awaiting_merchant/refund_only',
  actor: (role) => ACTORS[role],
  check: ({ state, at }, action, actor) => checkAfterSaleAction(state, request(action, actor, inputIn(state, action)), at + MINUTE),
  allowed: ({ state, at }, actor) => allowedAfterSaleActions(state, actor, at),
  validInputs: true,
});

describe('input rules that depend on the action', () => {
  it.each([
    ['awaiting_merchant/return_and_refund', 'reject', 'merchant', {}],
    ['awaiting_buyer_return/return_and_refund', 'ship-return', 'channel', {}],
    ['awaiting_merchant_receipt/return_and_refund', 'confirm-receipt', 'merchant', {}],
    ['refunding', 'add-note', 'channel', {}],
    ['in_arbitration', 'request-evidence', 'arbiter', {}],
    ['in_arbitration', 'rule', 'arbiter', {}],
    ['in_arbitration', 'rule', 'arbiter', { decision: 'refund_partial' }],
    ['in_arbitration', 'rule', 'arbiter', { decision: 'refund_partial', amount: { amount: 0, currency: 'CNY' } }],
    ['in_arbitration', 'rule', 'arbiter', { decision: 'refund_partial', amount: { amount: 100, currency: 'USD' } }],
  ] as [StateName, AfterSaleAction, Role, AfterSaleActionInput][])('%s · %s · %s with %j → InvalidInput', (name, action, role, body) => {
    const { state, at } = STATES[name];
    expect(checkAfterSaleAction(state, request(action, ACTORS[role], body), at)?.type).toBe(RULE_FAILURES.invalidInput);
  });

  it('an unknown action is invalid input', () => {
    const { state, at } = STATES.rejected;
    expect(checkAfterSaleAction(state, request('fly' as AfterSaleAction, ACTORS.channel, {}), at)?.type).toBe(RULE_FAILURES.invalidInput);
  });
});

// ---------------------------------------------------------------------------------------------------------
// What each allowed transition does.

type DeadlineSpec = { name: AfterSaleDeadlineName; actor: ActorRole; onTimeout: OnTimeout };
const D = {
  merchantResponse: { name: 'merchantResponse', actor: 'merchant', onTimeout: 'auto_approve' },
  buyerReturnShipment: { name: 'buyerReturnShipment', actor: 'channel', onTimeout: 'auto_close' },
  merchantReceiptRefund: { name: 'merchantReceipt', actor: 'merchant', onTimeout: 'auto_refund' },
  merchantReceiptGoods: { name: 'merchantReceipt', actor: 'merchant', onTimeout: 'auto_approve' },
  refundPayment: { name: 'refundPayment', actor: 'system', onTimeout: 'escalate' },
  refundApproval: { name: 'refundApproval', actor: 'supervisor', onTimeout: 'escalate' },
  escalationWindow: { name: 'escalationWindow', actor: 'channel', onTimeout: 'close' },
  disputeAnswer: { name: 'disputeAnswer', actor: 'merchant', onTimeout: 'warn' },
  evidenceFromBuyer: { name: 'evidence', actor: 'channel', onTimeout: 'warn' },
  evidenceFromMerchant: { name: 'evidence', actor: 'merchant', onTimeout: 'warn' },
  rulingExecution: { name: 'rulingExecution', actor: 'merchant', onTimeout: 'platform_execute' },
  appealWindow: { name: 'appealWindow', actor: 'channel', onTimeout: 'close' },
  replacementShipment: { name: 'replacementShipment', actor: 'merchant', onTimeout: 'fallback_refund' },
  repair: { name: 'repair', actor: 'merchant', onTimeout: 'fallback_refund' },
  suspension: { name: 'suspension', actor: 'system', onTimeout: 'resume' },
} satisfies Record<string, DeadlineSpec>;

type Ended = [AfterSaleDeadlineName, Exclude<DeadlineState, 'active'>];
interface Transition {
  from: StateName;
  action: AfterSaleAction;
  by: Role;
  input?: AfterSaleActionInput;
  status: AfterSaleStatus;
  owner: { role: ActorRole; tier: Tier } | null;
  outcome: AfterSaleOutcome | null;
  escalationLevel?: number;
  opened: DeadlineSpec[];
  ended: Ended[];
  timeline: string[];
}

const SYSTEM_L1 = { role: 'system', tier: 'L1' } as const;
const MERCHANT_L1 = { role: 'merchant', tier: 'L1' } as const;
const CHANNEL_L1 = { role: 'channel', tier: 'L1' } as const;
const ARBITER_L4 = { role: 'arbiter', tier: 'L4' } as const;
const MERCHANT_L4 = { role: 'merchant', tier: 'L4' } as const;
const SUPERVISOR_L2 = { role: 'supervisor', tier: 'L2' } as const;

const STATUS_CHANGE = 'case.status_changed';
// Every close writes its archive record (记录与归档) right after case.closed.
const CLOSED = ['case.status_changed', 'case.closed', 'case.archived'];

const RETURN_TYPES = ['return_and_refund', 'exchange', 'repair'] as const;

const TRANSITIONS: Transition[] = [
  // awaiting_merchant (WAIT_SELLER_AGREE)
  {
    from: 'awaiting_merchant/refund_only', action: 'approve', by: 'merchant', status: 'refunding', owner: SYSTEM_L1, outcome: null,
    opened: [D.refundPayment], ended: [['merchantResponse', 'met']], timeline: ['action.approve', STATUS_CHANGE, 'refund.requested'],
  },
  ...RETURN_TYPES.map((type): Transition => ({
    from: `awaiting_merchant/${type}`, action: 'approve', by: 'merchant', status: 'awaiting_buyer_return', owner: CHANNEL_L1, outcome: null,
    opened: [D.buyerReturnShipment], ended: [['merchantResponse', 'met']], timeline: ['action.approve', STATUS_CHANGE],
  })),
  ...(['refund_only', ...RETURN_TYPES] as const).flatMap((type): Transition[] => [
    {
      from: `awaiting_merchant/${type}`, action: 'reject', by: 'merchant', status: 'rejected', owner: CHANNEL_L1, outcome: null,
      opened: [D.escalationWindow], ended: [['merchantResponse', 'met']], timeline: ['action.reject', STATUS_CHANGE],
    },
    {
      from: `awaiting_merchant/${type}`, action: 'withdraw', by: 'channel', status: 'closed', owner: null, outcome: 'withdrawn',
      opened: [], ended: [['merchantResponse', 'cancelled']], timeline: ['action.withdraw', ...CLOSED],
    },
  ]),
  // awaiting_buyer_return (WAIT_BUYER_RETURN_GOODS)
  ...RETURN_TYPES.flatMap((type): Transition[] => [
    {
      from: `awaiting_buyer_return/${type}`, action: 'ship-return', by: 'channel', status: 'awaiting_merchant_receipt', owner: MERCHANT_L1, outcome: null,
      // Merchant silence on receipt: auto-refund for a return, goods deemed received for exchange and repair.
      opened: [type === 'return_and_refund' ? D.merchantReceiptRefund : D.merchantReceiptGoods],
      ended: [['buyerReturnShipment', 'met']], timeline: ['action.ship-return', STATUS_CHANGE],
    },
    {
      from: `awaiting_buyer_return/${type}`, action: 'withdraw', by: 'channel', status: 'closed', owner: null, outcome: 'withdrawn',
      opened: [], ended: [['buyerReturnShipment', 'met']], timeline: ['action.withdraw', ...CLOSED],
    },
  ]),
  // awaiting_merchant_receipt (WAIT_SELLER_CONFIRM_GOODS): inspection ok moves on, anything else rejects.
  {
    from: 'awaiting_merchant_receipt/return_and_refund', action: 'confirm-receipt', by: 'merchant', input: { inspection: 'ok' },
    status: 'refunding', owner: SYSTEM_L1, outcome: null,
    opened: [D.refundPayment], ended: [['merchantReceipt', 'met']], timeline: ['action.confirm-receipt', STATUS_CHANGE, 'refund.requested'],
  },
  {
    from: 'awaiting_merchant_receipt/exchange', action: 'confirm-receipt', by: 'merchant', input: { inspection: 'ok' },
    status: 'awaiting_replacement', owner: MERCHANT_L1, outcome: null,
    opened: [D.replacementShipment], ended: [['merchantReceipt', 'met']], timeline: ['action.confirm-receipt', STATUS_CHANGE],
  },
  {
    from: 'awaiting_merchant_receipt/repair', action: 'confirm-receipt', by: 'merchant', input: { inspection: 'ok' },
    status: 'in_repair', owner: MERCHANT_L1, outcome: null,
    opened: [D.repair], ended: [['merchantReceipt', 'met']], timeline: ['action.confirm-receipt', STATUS_CHANGE],
  },
  ...RETURN_TYPES.flatMap((type) => (['damaged', 'wrong_item', 'not_as_described'] as const).map((inspection): Transition => ({
    from: `awaiting_merchant_receipt/${type}`, action: 'confirm-receipt', by: 'merchant', input: { inspection },
    status: 'rejected', owner: CHANNEL_L1, outcome: null,
    opened: [D.escalationWindow], ended: [['merchantReceipt', 'met']], timeline: ['action.confirm-receipt', 'inspection.failed', STATUS_CHANGE],
  }))),
  // refunding / refund_failed
  {
    from: 'refunding/awaiting_approval', action: 'approve-refund', by: 'supervisor', status: 'refunding', owner: SYSTEM_L1, outcome: null,
    escalationLevel: 2, opened: [], ended: [['refundApproval', 'met']], timeline: ['action.approve-refund'],
  },
  {
    from: 'refund_failed', action: 'retry-refund', by: 'supervisor', status: 'refunding', owner: SYSTEM_L1, outcome: null,
    escalationLevel: 2, opened: [D.refundPayment], ended: [], timeline: ['action.retry-refund', STATUS_CHANGE, 'refund.requested'],
  },
  // exchange and repair
  {
    from: 'awaiting_replacement', action: 'ship-replacement', by: 'merchant', status: 'closed', owner: null, outcome: 'exchanged',
    opened: [], ended: [['replacementShipment', 'met']], timeline: ['action.ship-replacement', ...CLOSED],
  },
  {
    from: 'in_repair', action: 'complete-repair', by: 'merchant', status: 'closed', owner: null, outcome: 'repaired',
    opened: [], ended: [['repair', 'met']], timeline: ['action.complete-repair', ...CLOSED],
  },
  // rejected (SELLER_REFUSE_BUYER): the buyer escalates within the window, or withdraws.
  ...(['rejected', 'rejected/failed_inspection'] as const).flatMap((from): Transition[] => [
    {
      from, action: 'escalate', by: 'channel', status: 'in_arbitration', owner: ARBITER_L4, outcome: null, escalationLevel: 4,
      opened: [D.disputeAnswer], ended: [['escalationWindow', 'met']], timeline: ['action.escalate', STATUS_CHANGE],
    },
    {
      from, action: 'escalate', by: 'merchant', status: 'in_arbitration', owner: ARBITER_L4, outcome: null, escalationLevel: 4,
      opened: [D.disputeAnswer], ended: [['escalationWindow', 'cancelled']], timeline: ['action.escalate', STATUS_CHANGE],
    },
    {
      from, action: 'withdraw', by: 'channel', status: 'closed', owner: null, outcome: 'withdrawn',
      opened: [], ended: [['escalationWindow', 'met']], timeline: ['action.withdraw', ...CLOSED],
    },
  ]),
  // in_arbitration (平台介入), first round
  {
    from: 'in_arbitration', action: 'submit-evidence', by: 'merchant', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [['disputeAnswer', 'met']], timeline: ['action.submit-evidence'],
  },
  {
    from: 'in_arbitration', action: 'submit-evidence', by: 'channel', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [], timeline: ['action.submit-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_buyer', action: 'submit-evidence', by: 'channel', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [['evidence', 'met']], timeline: ['action.submit-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_buyer', action: 'submit-evidence', by: 'merchant', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [['disputeAnswer', 'met']], timeline: ['action.submit-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_merchant', action: 'submit-evidence', by: 'merchant', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [['disputeAnswer', 'met'], ['evidence', 'met']], timeline: ['action.submit-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_merchant', action: 'submit-evidence', by: 'channel', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [], timeline: ['action.submit-evidence'],
  },
  {
    from: 'in_arbitration', action: 'request-evidence', by: 'arbiter', input: { from: 'buyer' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromBuyer], ended: [], timeline: ['action.request-evidence'],
  },
  {
    from: 'in_arbitration', action: 'request-evidence', by: 'arbiter', input: { from: 'merchant' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromMerchant], ended: [], timeline: ['action.request-evidence'],
  },
  // Each evidence request has its own deadline: asking the other party leaves the first request running;
  // asking the same party again replaces its request.
  {
    from: 'in_arbitration/evidence_from_buyer', action: 'request-evidence', by: 'arbiter', input: { from: 'merchant' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromMerchant], ended: [], timeline: ['action.request-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_buyer', action: 'request-evidence', by: 'arbiter', input: { from: 'buyer' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromBuyer], ended: [['evidence', 'cancelled']], timeline: ['action.request-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_merchant', action: 'request-evidence', by: 'arbiter', input: { from: 'buyer' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromBuyer], ended: [], timeline: ['action.request-evidence'],
  },
  {
    from: 'in_arbitration/evidence_from_merchant', action: 'request-evidence', by: 'arbiter', input: { from: 'merchant' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromMerchant], ended: [['evidence', 'cancelled']], timeline: ['action.request-evidence'],
  },
  // After the merchant's answer no deadline runs; the round goes on as before.
  ...(['channel', 'merchant'] as const).map((by): Transition => ({
    from: 'in_arbitration/answered', action: 'submit-evidence', by, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [], ended: [], timeline: ['action.submit-evidence'],
  })),
  {
    from: 'in_arbitration/answered', action: 'request-evidence', by: 'arbiter', input: { from: 'buyer' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
    opened: [D.evidenceFromBuyer], ended: [], timeline: ['action.request-evidence'],
  },
  {
    from: 'in_arbitration/answered', action: 'rule', by: 'arbiter', input: { decision: 'refund_full' }, status: 'in_arbitration', owner: MERCHANT_L4, outcome: null,
    opened: [D.rulingExecution], ended: [], timeline: ['action.rule'],
  },
  {
    from: 'in_arbitration/answered', action: 'withdraw', by: 'channel', status: 'closed', owner: null, outcome: 'withdrawn',
    opened: [], ended: [], timeline: ['action.withdraw', ...CLOSED],
  },
  ...(['refund_full', 'refund_partial'] as const).map((decision): Transition => ({
    from: 'in_arbitration', action: 'rule', by: 'arbiter', input: decision === 'refund_full' ? { decision } : { decision, amount: { amount: 5_000, currency: 'CNY' } },
    status: 'in_arbitration', owner: MERCHANT_L4, outcome: null,
    opened: [D.rulingExecution], ended: [['disputeAnswer', 'cancelled']], timeline: ['action.rule'],
  })),
  {
    from: 'in_arbitration/evidence_from_buyer', action: 'rule', by: 'arbiter', input: { decision: 'refund_full' }, status: 'in_arbitration', owner: MERCHANT_L4, outcome: null,
    opened: [D.rulingExecution], ended: [['disputeAnswer', 'cancelled'], ['evidence', 'cancelled']], timeline: ['action.rule'],
  },
  {
    from: 'in_arbitration/evidence_from_merchant', action: 'rule', by: 'arbiter', input: { decision: 'reject' }, status: 'closed', owner: null, outcome: 'rejected',
    opened: [D.appealWindow], ended: [['disputeAnswer', 'cancelled'], ['evidence', 'cancelled']], timeline: ['action.rule', ...CLOSED],
  },
  {
    from: 'in_arbitration', action: 'rule', by: 'arbiter', input: { decision: 'reject' }, status: 'closed', owner: null, outcome: 'rejected',
    opened: [D.appealWindow], ended: [['disputeAnswer', 'cancelled']], timeline: ['action.rule', ...CLOSED],
  },
  ...(['in_arbitration', 'in_arbitration/evidence_from_buyer', 'in_arbitration/evidence_from_merchant'] as const).map((from): Transition => ({
    from, action: 'withdraw', by: 'channel', status: 'closed', owner: null, outcome: 'withdrawn',
    opened: [],
    ended: from === 'in_arbitration' ? [['disputeAnswer', 'cancelled']]
      : [['disputeAnswer', 'cancelled'], ['evidence', from === 'in_arbitration/evidence_from_buyer' ? 'met' : 'cancelled']],
    timeline: ['action.withdraw', ...CLOSED],
  })),
  // The merchant executes a refund ruling: a platform ruling needs no second approver.
  {
    from: 'in_arbitration/ruled_refund', action: 'execute-ruling', by: 'merchant', status: 'refunding', owner: SYSTEM_L1, outcome: null,
    opened: [D.refundPayment], ended: [['rulingExecution', 'met']], timeline: ['action.execute-ruling', STATUS_CHANGE, 'refund.requested'],
  },
  // After an appeal: a second round without a dispute-answer deadline, and no further appeal.
  ...(['in_arbitration/appealed_reject', 'in_arbitration/appealed_refund'] as const).flatMap((from): Transition[] => [
    {
      from, action: 'submit-evidence', by: 'channel', status: 'in_arbitration', owner: ARBITER_L4, outcome: null, opened: [], ended: [], timeline: ['action.submit-evidence'],
    },
    {
      // The merchant's answer to the appeal meets its disputeAnswer deadline.
      from, action: 'submit-evidence', by: 'merchant', status: 'in_arbitration', owner: ARBITER_L4, outcome: null, opened: [], ended: [['disputeAnswer', 'met']], timeline: ['action.submit-evidence'],
    },
    {
      from, action: 'request-evidence', by: 'arbiter', input: { from: 'merchant' }, status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
      opened: [D.evidenceFromMerchant], ended: [], timeline: ['action.request-evidence'],
    },
    {
      // A rejection after a refund already paid in full leaves the case `refunded`.
      from, action: 'rule', by: 'arbiter', input: { decision: 'reject' }, status: 'closed', owner: null,
      outcome: from === 'in_arbitration/appealed_refund' ? 'refunded' : 'rejected', opened: [], ended: [['disputeAnswer', 'cancelled']], timeline: ['action.rule', ...CLOSED],
    },
  ]),
  {
    from: 'in_arbitration/appealed_reject', action: 'rule', by: 'arbiter', input: { decision: 'refund_partial', amount: { amount: 7_000, currency: 'CNY' } },
    status: 'in_arbitration', owner: MERCHANT_L4, outcome: null, opened: [D.rulingExecution], ended: [['disputeAnswer', 'cancelled']], timeline: ['action.rule'],
  },
  {
    from: 'in_arbitration/appealed_reject', action: 'withdraw', by: 'channel', status: 'closed', owner: null, outcome: 'withdrawn',
    opened: [], ended: [['disputeAnswer', 'cancelled']], timeline: ['action.withdraw', ...CLOSED],
  },
  // The appeal window after a ruling (JD: 7 natural days), once.
  ...(['closed/ruling_rejected', 'closed/ruling_refunded'] as const).flatMap((from): Transition[] => [
    {
      from, action: 'appeal', by: 'channel', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
      opened: [D.disputeAnswer], ended: [['appealWindow', 'met']], timeline: ['action.appeal', STATUS_CHANGE],
    },
    {
      from, action: 'appeal', by: 'merchant', status: 'in_arbitration', owner: ARBITER_L4, outcome: null,
      opened: [D.disputeAnswer], ended: [['appealWindow', 'cancelled']], timeline: ['action.appeal', STATUS_CHANGE],
    },
  ]),
  // 中止: a suspension stops every running clock; its own limit is the one deadline that runs.
  ...STATE_NAMES.filter((from) => STATE_SPEC[from].allowed.supervisor?.includes('suspend')).flatMap((from) =>
    (['supervisor', 'arbiter'] as const).map((by): Transition => ({
      from, action: 'suspend', by, status: 'suspended', owner: SUPERVISOR_L2, outcome: null,
      opened: [D.suspension], ended: [], timeline: ['action.suspend', STATUS_CHANGE],
    }))),
  // Resume: back to the status and owner the case was suspended from; the suspension's limit is met.
  // (Escalation never goes back down: a case once owned by a supervisor stays at level 2 or above.)
  ...(['supervisor', 'arbiter'] as const).flatMap((by): Transition[] => [
    {
      from: 'suspended/from_awaiting_merchant', action: 'resume', by, status: 'awaiting_merchant', owner: MERCHANT_L1, outcome: null, escalationLevel: 2,
      opened: [], ended: [['suspension', 'met']], timeline: ['action.resume', STATUS_CHANGE, 'case.resumed'],
    },
    {
      from: 'suspended/from_in_arbitration', action: 'resume', by, status: 'in_arbitration', owner: ARBITER_L4, outcome: null, escalationLevel: 4,
      opened: [], ended: [['suspension', 'met']], timeline: ['action.resume', STATUS_CHANGE, 'case.resumed'],
    },
    {
      from: 'suspended/legal_proof', action: 'resume', by, status: 'in_arbitration', owner: MERCHANT_L4, outcome: null, escalationLevel: 4,
      opened: [], ended: [['suspension', 'met']], timeline: ['action.resume', STATUS_CHANGE, 'case.resumed'],
    },
    {
      from: 'suspended/nothing_running', action: 'resume', by, status: 'in_arbitration', owner: ARBITER_L4, outcome: null, escalationLevel: 4,
      opened: [], ended: [['suspension', 'met']], timeline: ['action.resume', STATUS_CHANGE, 'case.resumed'],
    },
  ]),
  // extend-deadline: the named deadline moves (audited in the timeline); nothing else changes.
  ...STATE_NAMES.filter((from) => STATE_SPEC[from].allowed.supervisor?.includes('extend-deadline')).flatMap((from) =>
    (['supervisor', 'arbiter'] as const).map((by): Transition => ({
      from, action: 'extend-deadline', by, status: STATE_SPEC[from].status, owner: null, outcome: null,
      opened: [], ended: [], timeline: ['action.extend-deadline', 'deadline.extended'],
    }))),
  // add-note: recorded on the timeline, nothing else changes, in every state where the case still lives.
  ...STATE_NAMES.filter((from) => STATE_SPEC[from].allowed.channel?.includes('add-note')).flatMap((from) => (['channel', 'merchant'] as const).map((by): Transition => ({
    from, action: 'add-note', by, status: STATE_SPEC[from].status, owner: null, outcome: null, opened: [], ended: [], timeline: ['action.add-note'],
  }))),
];

const key = (name: StateName, action: AfterSaleAction, role: Role) => `${name} · ${action} · ${role}`;

describe('the transition rows cover every allowed triple', () => {
  it('no allowed (state, action, role) lacks a row', () => {
    const covered = new Set(TRANSITIONS.map((t) => key(t.from, t.action, t.by)));
    const missing = STATE_NAMES.flatMap((name) => ROLES.flatMap((role) => allowedFor(name, role).map((action) => key(name, action, role))))
      .filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });

  it('every row is an allowed triple', () => {
    const stray = TRANSITIONS.filter((t) => !allowedFor(t.from, t.by).includes(t.action)).map((t) => key(t.from, t.action, t.by));
    expect(stray).toEqual([]);
  });
});

describe('each allowed transition', () => {
  it.each(TRANSITIONS.map((t) => [`${key(t.from, t.action, t.by)}${t.input ? ` ${JSON.stringify(t.input)}` : ''}`, t] as const))('%s', (_label, t) => {
    const { state: before, at } = STATES[t.from];
    const now = at + MINUTE;
    const body = t.input ?? inputIn(before, t.action);
    const req = request(t.action, ACTORS[t.by], body);
    expect(checkAfterSaleAction(before, req, now)).toBeNull();
    const after = applyAfterSaleAction(before, req, now);

    expect(after).not.toBe(before);
    expect(after.status).toBe(t.status);
    if (t.action === 'add-note' || t.action === 'extend-deadline') {
      expect(after.owner).toEqual(before.owner);
      expect(after.outcome).toBe(before.outcome);
    } else {
      expect(after.owner).toEqual(t.owner);
      expect(after.outcome).toBe(t.outcome);
    }
    if (t.escalationLevel !== undefined) expect(after.escalationLevel).toBe(t.escalationLevel);
    expect(after.escalationLevel).toBeGreaterThanOrEqual(before.escalationLevel);

    const opened = after.deadlines.slice(before.deadlines.length);
    expect(opened.map(({ name, actor, onTimeout }) => ({ name, actor, onTimeout }))).toEqual(t.opened);
    for (const d of opened) {
      expect(d.state).toBe('active');
      expect(d.startedAt).toBe(now);
    }
    const ended = before.deadlines.flatMap((d, i) => (d.state === 'active' && after.deadlines[i].state !== 'active'
      ? [[d.name, after.deadlines[i].state] as Ended] : []));
    expect(ended).toEqual(t.ended);
    for (const [i, d] of before.deadlines.entries()) {
      if (d.state !== 'active') expect(after.deadlines[i]).toEqual(d);
      else if (after.deadlines[i].state !== 'active') expect(after.deadlines[i].endedAt).toBe(now);
    }

    const entries = after.timeline.slice(before.timeline.length);
    expect(timelineTypes(after, before.timeline.length)).toEqual(t.timeline);
    expect(entries.every((e) => e.at === now)).toBe(true);
    expect(entries[0]).toMatchObject({ actor: t.by, actorRef: ACTORS[t.by].actorRef });
    expect(after.updatedAt).toBe(now);
    expect(after.revision).toBe(before.revision + 1);
    // One owner per open status (统一窗口), none once closed.
    expect(after.owner === null).toBe(after.status === 'closed');
    expect(after.outcome === null).toBe(after.status !== 'closed');
    expect(after.request.caseId).toBe(CASE_ID);
  });
});
