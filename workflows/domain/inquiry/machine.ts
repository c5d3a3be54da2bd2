/**
 * The inquiry state machine (售前咨询): the customer asks → we answer within the response target → follow-ups
 * while the customer is quiet → converted (an order is placed) or closed; after the last follow-up the
 * inquiry closes by itself. Rules:
 * - Every customer message that finds us not waiting opens a response target named `firstResponse` (the
 *   policy names only firstResponse and followUp); the first response KPI is the first answer only.
 * - A breached response target moves the inquiry one tier up (L1 agent → L2 team lead → …) and the new owner
 *   gets the target again; at L4 the owner is told it breached.
 * - `followUp` is the customer's clock: each breach sends a follow-up, the one after the last closes the
 *   inquiry `no_response` (a default outcome). A further `reply` while the customer is quiet starts them again.
 * Pure: `checkInquiryAction` decides, `applyInquiryAction` and `advanceInquiryClock` change a copy.
 */
import { inMerchantScope, type Actor, type Deadline } from '../case';
import { relatedLinkOf } from '../case-links';
import { RULE_FAILURES, type RuleFailure } from '../failures';
import { inquirySettings } from '../policy/sections/inquiry';
import {
  advanceClock, closeCase, draftOf, endDeadlines, enter, escalateTo, openDeadline, ownerAt, queueNotice, record, unsentNotices,
} from '../service-case/core';
import { inquiryArchiveRecord } from './archive';
import { INQUIRY_DEADLINE_RULES } from './deadline-rules';
import { roleMayActOnInquiry } from './roles';
import { INQUIRY_ACTIONS, type InquiryAction, type InquiryActionRequest, type InquiryRequest, type InquiryState } from './types';

export const settingsOf = (s: InquiryState) => inquirySettings(s.request.policy.inquiry);

/** The service side owes an answer: the response target runs for the owner's tier. */
function openResponseTarget(s: InquiryState, from: number): void {
  const settings = settingsOf(s);
  const rule = INQUIRY_DEADLINE_RULES.firstResponse;
  openDeadline(s, 'firstResponse', rule.actor(s.owner!), rule.onTimeout(s.followUpsSent, settings.followUps), from, { policy: s.request.policy, spec: settings.deadlines.firstResponse, warning: settings.warning });
}

/** We answered: wait for the customer; each followUp sends a follow-up, the one after the last closes. */
function openFollowUp(s: InquiryState, from: number): void {
  const settings = settingsOf(s);
  const rule = INQUIRY_DEADLINE_RULES.followUp;
  openDeadline(s, 'followUp', rule.actor(s.owner!), rule.onTimeout(s.followUpsSent, settings.followUps), from, { policy: s.request.policy, spec: settings.deadlines.followUp });
}

/** Closes the inquiry, and archives it (归档) when the case runs under that rule. */
function closeInquiry(s: InquiryState, outcome: InquiryState['outcome'] & string, now: number, by: Actor['role'], data: Record<string, unknown> = {}, actorRef?: string): void {
  closeCase(s, outcome, now, by, data, actorRef);
  if (s.archiveAtClose) record(s, now, 'case.archived', 'system', { record: inquiryArchiveRecord(s, now) });
}

/** Opens an inquiry; `archiveAtClose` is what the workflow's patch allows (on for a case started now). */
export function openInquiry(request: InquiryRequest, now: number, archiveAtClose = true): InquiryState {
  const related = relatedLinkOf(request.relatedCaseId);
  const s: InquiryState = {
    caseId: request.caseId, request, status: 'awaiting_reply', outcome: null, owner: ownerAt(1), escalationLevel: 1,
    deadlines: [], timeline: [], notices: [], links: related ? [related] : [],
    followUpsSent: 0, replies: 0, customerMessages: 1, createdAt: now, updatedAt: now, revision: 0,
    ...(archiveAtClose ? { archiveAtClose: true as const } : {}),
  };
  record(s, now, 'case.created', request.createdBy.role, {
    channel: request.channel, topic: request.topic, policy: { id: request.policy.id, version: request.policy.version },
  }, request.createdBy.actorRef);
  openResponseTarget(s, request.receivedAt);
  return s;
}

const isOpen = (s: InquiryState) => s.status !== 'closed';

function stateAllows(s: InquiryState, action: InquiryAction): boolean {
  switch (action) {
    case 'escalate':
      return isOpen(s) && s.escalationLevel < 4;
    default:
      return isOpen(s);
  }
}

export function allowedInquiryActions(s: InquiryState, actor: Actor): InquiryAction[] {
  if (actor.role === 'system' || !inMerchantScope(actor.merchants, s.request.merchantId)) return [];
  return INQUIRY_ACTIONS.filter((a) => roleMayActOnInquiry(actor.role, a) && stateAllows(s, a));
}

function fail(type: RuleFailure['type'], detail: string, extensions?: Record<string, unknown>): RuleFailure {
  return { type, detail, ...(extensions ? { extensions } : {}) };
}

/** Null when the action may run; otherwise the failure the API turns into 400/403/409. */
export function checkInquiryAction(s: InquiryState, req: InquiryActionRequest): RuleFailure | null {
  const { action, actor, input } = req;
  if (!(INQUIRY_ACTIONS as readonly string[]).includes(action)) return fail(RULE_FAILURES.invalidInput, `unknown action ${action}`);
  if (!roleMayActOnInquiry(actor.role, action) || !inMerchantScope(actor.merchants, s.request.merchantId)) {
    return fail(RULE_FAILURES.forbidden, `role ${actor.role} may not ${action} this inquiry`);
  }
  if (!stateAllows(s, action)) {
    return fail(RULE_FAILURES.actionNotAllowed, `${action} is not allowed while the inquiry is ${s.status}`, {
      caseStatus: s.status, action, allowedActions: allowedInquiryActions(s, actor),
    });
  }
  if (action === 'convert' && !input.orderId) return fail(RULE_FAILURES.invalidInput, 'convert needs the orderId of the order placed');
  if (action === 'assign' && !input.assignee) return fail(RULE_FAILURES.invalidInput, 'assign needs an assignee');
  if (action === 'add-note' && !input.note) return fail(RULE_FAILURES.invalidInput, 'add-note needs a note');
  return null;
}

export function applyInquiryAction(state: InquiryState, req: InquiryActionRequest, now: number): InquiryState {
  const s = draftOf(state, now);
  const { action, actor, input } = req;
  const by = actor.role;
  record(s, now, `action.${action}`, by, Object.keys(input).length ? { ...input } : undefined, actor.actorRef);
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
      escalateTo(s, now, by, 'requested', input.reason ? { requestReason: input.reason } : {}, undefined, actor.actorRef);
      break;
    case 'add-note':
      break;
  }
  return s;
}

function breach(s: InquiryState, d: Deadline, now: number): void {
  if (d.name === 'firstResponse') {
    if (escalateTo(s, now, 'system', 'breach', { deadline: d.name })) openResponseTarget(s, now);
    else queueNotice(s, 'sla.breached', s.owner!, { deadline: d.name, dueAt: d.dueAt });
    return;
  }
  // followUp: the customer stayed quiet.
  if (d.onTimeout === 'warn') {
    s.followUpsSent += 1;
    record(s, now, 'inquiry.followed_up', 'system', { followUp: s.followUpsSent, of: settingsOf(s).followUps });
    queueNotice(s, 'inquiry.follow_up', { customerRef: s.request.customerRef }, { followUp: s.followUpsSent, topic: s.request.topic });
    openFollowUp(s, now);
    return;
  }
  record(s, now, 'case.default_outcome', 'system', { deadline: d.name, outcome: 'no_response' });
  closeInquiry(s, 'no_response', now, 'system');
}

/** Fires every warning and breach due at or before `now`, in time order. */
export function advanceInquiryClock(state: InquiryState, now: number): InquiryState {
  return advanceClock(state, now, { breach });
}

/** The workflow may finish once closed with every notice sent. */
export function isInquiryFinished(s: InquiryState): boolean {
  return s.status === 'closed' && unsentNotices(s).length === 0;
}
