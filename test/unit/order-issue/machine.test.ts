/**
 * The order-issue machine as tables: opening each type, role × action and state × role over the reachable
 * statuses, what silence past each deadline does per type, the answers of the logistics and order systems,
 * logistics events (once each), and compensation (refund via a linked after-sale, never above what was paid).
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Actor, type Role } from '../../../workflows/domain/case';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { compensationCaseId, refundRequestFor } from '../../../workflows/domain/order-issue/compensation';
import {
  advanceOrderIssueClock, allowedOrderIssueActions, applyAddressChange, applyCompensationClosed, applyLogisticsEvent, applyOrderIssueAction,
  applyOrderStatus, applyTracking, checkLogisticsEvent, checkOrderIssueAction, isOrderIssueFinished, openOrderIssue,
} from '../../../workflows/domain/order-issue/machine';
import { ORDER_ISSUE_ACTION_ROLES } from '../../../workflows/domain/order-issue/roles';
import {
  ORDER_ISSUE_ACTIONS, type OrderIssueAction, type OrderIssueActionInput, type OrderIssueState, type OrderIssueType, type ParcelStatus,
} from '../../../workflows/domain/order-issue/types';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { describeActionTables } from '../support/action-tables';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const S = 1_000;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const policy = {
  ...CN_MARKETPLACE,
  orderIssue: { deadlines: { trackingWait: { amount: 100, unit: 'seconds' as const }, carrierResponse: { amount: 200, unit: 'seconds' as const }, customerChoice: { amount: 50, unit: 'seconds' as const } } },
};
const actor = (role: Role, merchants: string[] | '*' = '*'): Actor => ({ keyId: `dev-${role}`, role, merchants });
const ADDRESS = { recipient: 'Li', phone: '+86 1', line1: 'x', city: 'Shanghai', country: 'CN' };

function open(type: OrderIssueType, extra: Record<string, unknown> = {}): OrderIssueState {
  return openOrderIssue({
    caseId: `oi_${'b'.repeat(32)}`, merchantId: 'm-a', orderId: 'o-1', customerRef: 'cust-1', type,
    ...(type === 'parcel_missing' || type === 'delivery_delay' ? { trackingNumber: 'SF1' } : {}),
    ...(type === 'address_change' ? { newAddress: ADDRESS } : { order: { items: [{ sku: 's', quantity: 1, unitPrice: cny(900) }], paidTotal: cny(1_000), shippingFee: cny(100) } }),
    reportedAt: T0, policy, createdBy: actor('channel'), requestFingerprint: 'f', ...extra,
  }, T0);
}

function act(s: OrderIssueState, action: OrderIssueAction, role: Role, input: OrderIssueActionInput = {}, at = T0 + S): OrderIssueState {
  const req = { action, actor: actor(role), input, fingerprint: action };
  const failure = checkOrderIssueAction(s, req);
  if (failure) throw new Error(`${action}: ${failure.detail}`);
  return applyOrderIssueAction(s, req, at);
}

const tracked = (type: OrderIssueType, status: ParcelStatus) => applyTracking(open(type), status, T0 + S);
const statuses = (s: OrderIssueState) => s.deadlines.map((d) => [d.name, d.state]);

describe('opening each type', () => {
  it.each([
    ['parcel_missing', 'tracing', { track: { trackingNumber: 'SF1' } }, []],
    ['delivery_delay', 'tracing', { track: { trackingNumber: 'SF1' } }, []],
    ['address_change', 'checking_order', { orderCheck: { orderId: 'o-1' } }, []],
    ['payment_exception', 'checking_order', { orderCheck: { orderId: 'o-1' } }, []],
    ['stock_shortage', 'awaiting_customer_choice', {}, ['customerChoice']],
    ['damaged_in_transit', 'awaiting_customer_choice', { carrierInquiry: expect.objectContaining({ kind: 'claim' }) }, ['customerChoice', 'carrierResponse']],
  ] as const)('%s opens %s', (type, status, pending, deadlines) => {
    const s = open(type);
    expect(s.status).toBe(status);
    expect(s.pending).toEqual(pending);
    expect(s.deadlines.map((d) => d.name)).toEqual(deadlines);
    expect(s.owner).toEqual({ role: 'agent', tier: 'L1' });
  });
});

describe('tracking answers (the customer is told at once)', () => {
  it.each([
    ['parcel_missing', 'in_transit', 'awaiting_parcel', null],
    ['parcel_missing', 'no_trace', 'awaiting_parcel', null],
    ['parcel_missing', 'picked_up', 'awaiting_parcel', null],
    ['parcel_missing', 'delivered', 'awaiting_carrier', null],
    ['parcel_missing', 'lost', 'awaiting_address', null],
    ['parcel_missing', 'returned_to_sender', 'awaiting_customer_choice', null],
    ['delivery_delay', 'in_transit', 'awaiting_parcel', null],
    ['delivery_delay', 'delivered', 'closed', 'delivered'],
    ['delivery_delay', 'lost', 'awaiting_address', null],
  ] as const)('%s, tracking says %s → %s', (type, parcel, status, outcome) => {
    const s = tracked(type, parcel);
    expect(s.status).toBe(status);
    expect(s.outcome).toBe(outcome);
    expect(s.pending.track).toBeUndefined();
    expect(s.notices.find((n) => n.type === 'order_issue.tracking')).toMatchObject({ to: { customerRef: 'cust-1' }, data: { status: parcel } });
  });
});

describe('silence past each deadline', () => {
  const wait = (type: OrderIssueType) => tracked(type, 'in_transit');
  it.each([
    ['parcel_missing: trackingWait → the carrier is asked to trace', () => wait('parcel_missing'), 100, 'awaiting_carrier', 'trace'],
    ['delivery_delay: trackingWait → the carrier is asked to expedite', () => wait('delivery_delay'), 100, 'awaiting_carrier', 'expedite'],
  ] as const)('%s', (_name, start, after, status, kind) => {
    const s = advanceOrderIssueClock(start(), T0 + S + after * S);
    expect(s.status).toBe(status);
    expect(s.pending.carrierInquiry).toMatchObject({ kind });
    expect(s.deadlines.at(-1)).toMatchObject({ name: 'carrierResponse', actor: 'agent', onTimeout: 'escalate' });
  });

  it('parcel_missing: the whole trace flow unanswered ends in a refund of everything paid, at L2', () => {
    let s = wait('parcel_missing');
    s = advanceOrderIssueClock(s, T0 + 101 * S);
    s = advanceOrderIssueClock(s, T0 + 301 * S);
    expect(s).toMatchObject({ status: 'awaiting_address', escalationLevel: 2, owner: { role: 'supervisor', tier: 'L2' } });
    s = advanceOrderIssueClock(s, T0 + 351 * S);
    expect(s).toMatchObject({ status: 'compensating', chosen: 'refund' });
    expect(s.compensations).toEqual([expect.objectContaining({ remedy: 'refund', amount: cny(1_000), decidedBy: 'system' })]);
    expect(statuses(s)).toEqual([['trackingWait', 'breached'], ['carrierResponse', 'breached'], ['customerChoice', 'breached']]);
  });

  it('delivery_delay: no carrier answer → the customer chooses; silence cancels with a refund', () => {
    let s = advanceOrderIssueClock(wait('delivery_delay'), T0 + 101 * S);
    s = advanceOrderIssueClock(s, T0 + 301 * S);
    expect(s).toMatchObject({ status: 'awaiting_customer_choice', offered: { remedies: ['wait', 'cancel'], byDefault: 'cancel' } });
    s = advanceOrderIssueClock(s, T0 + 1_000 * S);
    expect(s).toMatchObject({ status: 'compensating', chosen: 'cancel' });
  });

  it.each([
    ['stock_shortage', 'compensating', 'cancel'],
    ['damaged_in_transit', 'compensating', 'refund'],
  ] as const)('%s: silence takes the customer-protective default (%s)', (type, status, remedy) => {
    const s = advanceOrderIssueClock(open(type), T0 + 51 * S);
    expect(s).toMatchObject({ status, chosen: remedy });
    expect(s.timeline.find((e) => e.type === 'case.default_outcome')).toMatchObject({ actor: 'system', data: { remedy } });
  });

  it('address_change: the customer never confirms → expired', () => {
    const s = advanceOrderIssueClock(applyOrderStatus(open('address_change'), { shipped: false, paymentStatus: 'paid' }, T0 + S), T0 + 60 * S);
    expect(s).toMatchObject({ status: 'closed', outcome: 'expired' });
    expect(s.pending).toEqual({});
  });

  it('a reship that does not leave in time falls back to a refund', () => {
    const s = act(open('damaged_in_transit'), 'choose-remedy', 'channel', { remedy: 'reship' });
    const after = advanceOrderIssueClock(s, T0 + 102 * S);
    expect(after.compensations.map((c) => c.remedy)).toEqual(['reship', 'refund']);
    expect(after.timeline.some((e) => e.type === 'case.default_outcome' && e.data?.outcome === 'fallback_refund')).toBe(true);
  });
});

describe('order system answers', () => {
  it.each([
    ['address_change', { shipped: true, paymentStatus: 'paid' }, 'closed', 'not_possible'],
    ['address_change', { shipped: false, paymentStatus: 'paid' }, 'awaiting_address', null],
    ['payment_exception', { shipped: false, paymentStatus: 'paid' }, 'closed', 'payment_confirmed'],
    ['payment_exception', { shipped: false, paymentStatus: 'duplicate_charge' }, 'compensating', null],
    ['payment_exception', { shipped: false, paymentStatus: 'unpaid' }, 'awaiting_customer_choice', null],
    ['payment_exception', { shipped: false, paymentStatus: 'pending' }, 'awaiting_customer_choice', null],
  ] as const)('%s with %j → %s', (type, answer, status, outcome) => {
    const s = applyOrderStatus(open(type), answer, T0 + S);
    expect([s.status, s.outcome]).toEqual([status, outcome]);
  });

  it.each([
    [{ changed: true }, 'address_changed', undefined],
    [{ changed: false, reason: 'already_shipped' }, 'not_possible', 'already_shipped'],
  ])('the address change answered %j → %s', (answer, outcome, refusal) => {
    let s = applyOrderStatus(open('address_change'), { shipped: false, paymentStatus: 'paid' }, T0 + S);
    s = act(s, 'confirm-address', 'channel');
    expect(s.pending.addressChange).toMatchObject({ address: ADDRESS });
    s = applyAddressChange(s, answer, T0 + 2 * S);
    expect(s).toMatchObject({ status: 'closed', outcome });
    expect(s.refusal).toBe(refusal);
  });
});

const REACHABLE: Record<string, () => OrderIssueState> = {
  awaiting_parcel: () => tracked('parcel_missing', 'in_transit'),
  awaiting_carrier: () => tracked('parcel_missing', 'delivered'),
  awaiting_address: () => tracked('parcel_missing', 'lost'),
  awaiting_customer_choice: () => open('stock_shortage'),
  awaiting_restock: () => act(open('stock_shortage'), 'choose-remedy', 'channel', { remedy: 'wait' }),
  checking_order: () => open('address_change'),
  compensating: () => act(open('stock_shortage'), 'choose-remedy', 'channel', { remedy: 'cancel' }),
  closed: () => act(open('stock_shortage'), 'resolve', 'agent', { resolution: 'done' }),
};
const ALLOWED: Record<string, OrderIssueAction[]> = {
  awaiting_parcel: ['update-tracking', 'compensate', 'resolve', 'add-note', 'escalate'],
  awaiting_carrier: ['update-tracking', 'contact-carrier', 'compensate', 'resolve', 'add-note', 'escalate'],
  awaiting_address: ['confirm-address', 'compensate', 'resolve', 'add-note', 'escalate'],
  awaiting_customer_choice: ['choose-remedy', 'compensate', 'resolve', 'add-note', 'escalate'],
  awaiting_restock: ['update-tracking', 'compensate', 'resolve', 'add-note', 'escalate'],
  checking_order: ['resolve', 'add-note', 'escalate'],
  compensating: ['add-note', 'escalate'],
  closed: [],
};

// 403 once per role × action, 409 and allowedActions once per state × role (test/unit/support/action-tables.ts).
describeActionTables('order issue', {
  actions: ORDER_ISSUE_ACTIONS,
  roles: ORDER_ISSUE_ACTION_ROLES,
  states: Object.fromEntries(Object.entries(REACHABLE).map(([status, reach]) => [status, {
    state: reach(), status,
    allowed: Object.fromEntries(ROLES.map((role) => [role, ALLOWED[status].filter((a) => (ORDER_ISSUE_ACTION_ROLES[a] as readonly string[]).includes(role))])),
  }])),
  statusOf: (s) => s.status,
  nothingOpen: 'closed',
  opening: 'awaiting_carrier',
  actor: (role) => actor(role),
  check: (s, action, by) => checkOrderIssueAction(s, { action, actor: by, input: {}, fingerprint: 'x' }),
  allowed: (s, by) => allowedOrderIssueActions(s, by),
  // Inputs are empty here: an allowed action passes the role and state checks; its input rules are below.
  validInputs: false,
});

describe('compensation', () => {
  it('a refund above what was paid is refused; its linked after-sale is pre-approved, deterministic and capped', () => {
    const s = open('stock_shortage');
    expect(checkOrderIssueAction(s, { action: 'compensate', actor: actor('agent'), input: { remedy: 'refund', amount: cny(1_001) }, fingerprint: 'x' }))
      .toMatchObject({ type: RULE_FAILURES.notEligible, extensions: { rule: 'refund-above-paid' } });
    const c = act(s, 'compensate', 'agent', { remedy: 'refund', amount: cny(400) });
    const [comp] = c.compensations;
    expect(comp.linkedCase.id).toBe(compensationCaseId(s.caseId, 1));
    expect(compensationCaseId(s.caseId, 1)).toBe(compensationCaseId(s.caseId, 1));
    expect(compensationCaseId(s.caseId, 2)).not.toBe(comp.linkedCase.id);
    expect(refundRequestFor(c, comp, T0)).toMatchObject({
      type: 'refund_only', preApproved: true, requestedRefund: cny(400), origin: { caseId: s.caseId, kind: 'order_issue' }, createdBy: { role: 'system' },
    });
  });

  it('the linked refund closing refunded closes the case once; a repeated signal changes nothing', () => {
    const c = act(open('stock_shortage'), 'choose-remedy', 'channel', { remedy: 'cancel' });
    const id = c.compensations[0].linkedCase.id;
    const done = applyCompensationClosed(c, { caseId: id, status: 'closed', outcome: 'refunded', refunded: cny(1_000) }, T0 + 5 * S);
    expect(done).toMatchObject({ status: 'closed', outcome: 'cancelled' });
    expect(applyCompensationClosed(done, { caseId: id, status: 'closed', outcome: 'refunded' }, T0 + 6 * S)).toBe(done);
  });

  it('a linked refund that did not pay escalates and asks the customer again', () => {
    const c = act(open('damaged_in_transit'), 'choose-remedy', 'channel', { remedy: 'refund' });
    const failed = applyCompensationClosed(c, { caseId: c.compensations[0].linkedCase.id, status: 'closed', outcome: 'withdrawn' }, T0 + 5 * S);
    expect(failed).toMatchObject({ status: 'awaiting_customer_choice', escalationLevel: 2 });
  });

  it('a damaged parcel closes only when the claim is settled too', () => {
    let s = act(open('damaged_in_transit'), 'choose-remedy', 'channel', { remedy: 'refund' });
    s = applyCompensationClosed(s, { caseId: s.compensations[0].linkedCase.id, status: 'closed', outcome: 'refunded' }, T0 + 5 * S);
    expect(s.status).toBe('compensating');
    s = act(s, 'contact-carrier', 'merchant', { result: 'claim_rejected' }, T0 + 6 * S);
    expect(s).toMatchObject({ status: 'closed', outcome: 'compensated' });
  });
});

describe('logistics events', () => {
  const event = (kind: 'delivered' | 'lost' | 'in_transit' | 'returned_to_sender', trackingNumber = 'SF1') => ({ id: `e-${kind}-${trackingNumber}`, trackingNumber, event: kind, at: T0 });
  it.each([
    ['delivered', 'closed', 'delivered'],
    ['lost', 'awaiting_address', null],
    ['returned_to_sender', 'awaiting_customer_choice', null],
    ['in_transit', 'awaiting_parcel', null],
  ] as const)('%s on a parcel being waited for → %s', (kind, status, outcome) => {
    const s = applyLogisticsEvent(tracked('parcel_missing', 'in_transit'), event(kind), T0 + 2 * S);
    expect([s.status, s.outcome]).toEqual([status, outcome]);
  });

  it('once each; another parcel is only recorded; a closed case refuses new ones but not repeats', () => {
    const waiting = tracked('parcel_missing', 'in_transit');
    const once = applyLogisticsEvent(waiting, event('delivered'), T0 + 2 * S);
    expect(applyLogisticsEvent(once, event('delivered'), T0 + 3 * S)).toBe(once);
    const other = applyLogisticsEvent(waiting, event('delivered', 'YT9'), T0 + 2 * S);
    expect(other.status).toBe('awaiting_parcel');
    expect(other.timeline.at(-1)).toMatchObject({ type: 'logistics.delivered', data: { otherParcel: true } });
    expect(checkLogisticsEvent(once, event('delivered'))).toBeNull();
    expect(checkLogisticsEvent(once, event('lost'))?.type).toBe(RULE_FAILURES.actionNotAllowed);
  });
});

describe('finishing', () => {
  it('waits for notices, pending work and the compensation child to start', () => {
    const closed = act(open('stock_shortage'), 'resolve', 'agent', { resolution: 'done' });
    expect(isOrderIssueFinished(closed)).toBe(false);
    expect(isOrderIssueFinished({ ...closed, notices: closed.notices.map((n) => ({ ...n, sent: true })) })).toBe(true);
    expect(isOrderIssueFinished({ ...closed, notices: [], pending: { orderCheck: { orderId: 'o-1' } } })).toBe(false);
  });
});
