/**
 * Shared builders for the complaint unit tests: a request on the product's default policy, one actor per
 * role, valid inputs per action, and named states reached by driving the real machine.
 */
import type { Actor, Role } from '../../../workflows/domain/case';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { advanceComplaintClock, linkedCaseClosed, openComplaint } from '../../../workflows/domain/complaint/machine';
import { applyComplaintAction, checkComplaintAction } from '../../../workflows/domain/complaint/machine';
import type { ComplaintAction, ComplaintActionInput, ComplaintRequest, ComplaintState } from '../../../workflows/domain/complaint/types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** Monday 2026-03-02 10:00 China Standard Time. */
export const T0 = Date.parse('2026-03-02T10:00:00+08:00');
export const CASE_ID = 'cp_0123456789abcdef0123456789abcdef';
export const cny = (amount: number) => ({ amount, currency: 'CNY' });

export const ACTORS: Record<Role, Actor> = {
  channel: { keyId: 'k-channel', role: 'channel', merchants: '*', actorRef: 'buyer-relay-1' },
  merchant: { keyId: 'k-merchant-a', role: 'merchant', merchants: ['m-a'], actorRef: 'merchant-staff-1' },
  agent: { keyId: 'k-agent', role: 'agent', merchants: '*', actorRef: 'agent-1' },
  supervisor: { keyId: 'k-supervisor', role: 'supervisor', merchants: '*', actorRef: 'supervisor-1' },
  arbiter: { keyId: 'k-arbiter', role: 'arbiter', merchants: '*', actorRef: 'arbiter-1' },
  admin: { keyId: 'k-admin', role: 'admin', merchants: '*', actorRef: 'admin-1' },
};

export const VALID_INPUT: Record<ComplaintAction, ComplaintActionInput> = {
  acknowledge: {},
  assign: { assignee: 'agent-42' },
  classify: { urgency: 'high' },
  'add-note': { note: 'called the customer back' },
  'propose-solution': { solution: { kind: 'apology' } },
  resolve: {},
  'create-task': { department: 'warehouse', description: 'check the batch' },
  'complete-task': { taskId: 'task-1', result: 'batch checked' },
  'approve-solution': {},
  close: {},
  'accept-solution': {},
  'reject-solution': {},
  reopen: {},
  escalate: {},
};

/** A medium, normal, regular complaint (P3, L1) about an order of 159.00 + 10.00 shipping. */
export function buildRequest(overrides: Partial<ComplaintRequest> = {}): ComplaintRequest {
  return {
    caseId: CASE_ID, merchantId: 'm-a', customerRef: 'cust-9c1d', channel: 'chat', category: 'product_quality',
    severity: 'medium', urgency: 'normal', customerTier: 'regular', summary: 'the kettle leaks', orderId: 'order-1',
    order: { items: [{ sku: 'kettle-1', quantity: 1, unitPrice: cny(15_900) }], paidTotal: cny(16_900), shippingFee: cny(1_000) },
    receivedAt: T0, policy: CN_MARKETPLACE, createdBy: ACTORS.channel, requestFingerprint: 'fp-create', ...overrides,
  };
}

export function act(state: ComplaintState, action: ComplaintAction, by: Role | Actor, at: number, input: ComplaintActionInput = VALID_INPUT[action]): ComplaintState {
  const actor = typeof by === 'string' ? ACTORS[by] : by;
  const req = { action, actor, input, fingerprint: `fp-${action}-${at}` };
  const failure = checkComplaintAction(state, req);
  if (failure) throw new Error(`${action} by ${actor.role} refused in ${state.status}: ${failure.type} ${failure.detail}`);
  return applyComplaintAction(state, req, at);
}

export type Step = [ComplaintAction, Role | Actor, ComplaintActionInput?] | ['clock', number] | ['linked-closed', string];

export function drive(request: ComplaintRequest, steps: readonly Step[]): { state: ComplaintState; at: number } {
  let state = openComplaint(request, T0);
  let at = T0;
  for (const step of steps) {
    if (step[0] === 'clock') {
      at = step[1];
      state = advanceComplaintClock(state, at);
    } else if (step[0] === 'linked-closed') {
      at += MINUTE;
      const id = state.solutions.at(-1)!.linkedCase!.id;
      state = linkedCaseClosed(state, { caseId: id, status: 'closed', outcome: step[1] }, at);
    } else {
      at += MINUTE;
      const [action, by, input] = step as [ComplaintAction, Role | Actor, ComplaintActionInput?];
      state = act(state, action, by, at, input);
    }
  }
  return { state, at };
}

const refund = { solution: { kind: 'refund' as const, amount: cny(5_000) } };
const bigCompensation = { solution: { kind: 'compensation' as const, amount: cny(30_000) } };

/** Named states covering every status, with the variants that change what is allowed. */
export const STATE_SCRIPTS = {
  new: { steps: [] },
  'new/at_L4': { steps: [['escalate', 'agent'], ['escalate', 'agent'], ['escalate', 'agent']] },
  in_progress: { steps: [['acknowledge', 'agent']] },
  'in_progress/with_task': { steps: [['acknowledge', 'agent'], ['create-task', 'agent']] },
  'in_progress/reopened': { steps: [['close', 'supervisor'], ['reopen', 'channel']] },
  solution_proposed: { steps: [['acknowledge', 'agent'], ['propose-solution', 'agent']] },
  'solution_proposed/awaiting_approval': { steps: [['acknowledge', 'agent'], ['propose-solution', 'agent', bigCompensation]] },
  'implementing/apology': { steps: [['acknowledge', 'agent'], ['propose-solution', 'agent'], ['accept-solution', 'channel']] },
  'implementing/refund_running': { steps: [['acknowledge', 'agent'], ['propose-solution', 'agent', refund], ['accept-solution', 'channel']] },
  resolved: { steps: [['acknowledge', 'agent'], ['propose-solution', 'agent', refund], ['accept-solution', 'channel'], ['linked-closed', 'refunded']] },
  awaiting_feedback: { steps: [['acknowledge', 'agent'], ['create-task', 'agent'], ['resolve', 'agent'], ['accept-solution', 'channel']] },
  closed: { steps: [['acknowledge', 'agent'], ['resolve', 'agent'], ['accept-solution', 'channel']] },
  'closed/window_over': { steps: [['acknowledge', 'agent'], ['resolve', 'agent'], ['accept-solution', 'channel'], ['clock', T0 + 30 * 24 * HOUR]] },
} satisfies Record<string, { steps: Step[] }>;

export type StateName = keyof typeof STATE_SCRIPTS;
export const STATE_NAMES = Object.keys(STATE_SCRIPTS) as StateName[];

export function reach(name: StateName): { state: ComplaintState; at: number } {
  return drive(buildRequest(), STATE_SCRIPTS[name].steps as Step[]);
}

export const timelineTypes = (s: ComplaintState, from = 0) => s.timeline.slice(from).map((e) => e.type);
