/**
 * Inquiry actions: `checkInquiryAction` decides (role, merchant scope, state, input); `applyInquiryAction`
 * runs it with the moves of ./moves (reply, the customer's message, convert, close, assign, escalate). Pure.
 */
import type { Actor } from '../case';
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { allowedActions, checkAction, fail, type ActionGate } from '../service-case/action-gate';
import { draftForAction, endDeadlines, enter, escalateOnRequest, ownerAt, queueNotice } from '../service-case/core';
import { closeInquiry, openFollowUp, openResponseTarget } from './moves';
import { roleMayActOnInquiry } from './roles';
import { INQUIRY_ACTIONS, type InquiryAction, type InquiryActionRequest, type InquiryState } from './types';

const isOpen = (s: InquiryState) => s.status !== 'closed';

function stateAllows(s: InquiryState, action: InquiryAction): boolean {
  switch (action) {
    case 'escalate':
      return isOpen(s) && s.escalationLevel < 4;
    default:
      return isOpen(s);
  }
}

function checkInput(_s: InquiryState, req: InquiryActionRequest): RuleFailure | null {
  const { action, input } = req;
  if (action === 'convert' && !input.orderId) return fail(RULE_FAILURES.invalidInput, 'convert needs the orderId of the order placed');
  if (action === 'assign' && !input.assignee) return fail(RULE_FAILURES.invalidInput, 'assign needs an assignee');
  if (action === 'add-note' && !input.note) return fail(RULE_FAILURES.invalidInput, 'add-note needs a note');
  return null;
}

const INQUIRY_GATE: ActionGate<InquiryState, InquiryAction, InquiryActionRequest> = {
  actions: INQUIRY_ACTIONS, merchantOf: (s) => s.request.merchantId, roleMayAct: roleMayActOnInquiry, stateAllows: (s, a) => stateAllows(s, a),
  words: { forbidden: 'inquiry', status: 'inquiry' }, checkInput,
};

export function allowedInquiryActions(s: InquiryState, actor: Actor): InquiryAction[] {
  return allowedActions(INQUIRY_GATE, s, actor, 0);
}
/** Null when the action may run; otherwise the failure the API turns into 400/403/409. */
export function checkInquiryAction(s: InquiryState, req: InquiryActionRequest): RuleFailure | null {
  return checkAction(INQUIRY_GATE, s, req, 0);
}
export function applyInquiryAction(state: InquiryState, req: InquiryActionRequest, now: number): InquiryState {
  const s = draftForAction(state, req, now);
  const { action, actor, input } = req;
  const by = actor.role;
  switch (action) {
    case 'reply':
      // A further message while the customer is quiet (analysis, a recommendation) is our latest word: the
      // follow-ups count from it again. It answers no response target, so the old followUp is cancelled.
      if (s.status === 'awaiting_customer') endDeadlines(s, now, 'cancelled', ['followUp']);
      else endDeadlines(s, now, 'met', ['firstResponse']);
      s.firstRespondedAt ??= now;
      s.replies += 1;
      s.followUpsSent = 0;
      enter(s, 'awaiting_customer', now, by);
      openFollowUp(s, now);
      break;
    case 'customer-message':
      s.customerMessages += 1;
      // Already waiting for our answer: the running target keeps counting from the first unanswered message.
      if (s.status === 'awaiting_customer') {
        endDeadlines(s, now, 'met', ['followUp']);
        enter(s, 'awaiting_reply', now, by);
        openResponseTarget(s, now);
      }
      break;
    case 'convert':
      s.orderId = input.orderId!;
      closeInquiry(s, 'converted', now, by, { orderId: input.orderId }, actor.actorRef);
      break;
    case 'close':
      closeInquiry(s, 'not_converted', now, by, input.reason ? { reason: input.reason } : {}, actor.actorRef);
      break;
    case 'assign':
      s.owner = ownerAt(s.escalationLevel, input.assignee);
      queueNotice(s, 'case.assigned', s.owner, { status: s.status });
      break;
    case 'escalate':
      escalateOnRequest(s, now, actor, input.reason);
      break;
    case 'add-note':
      break;
  }
  return s;
}
