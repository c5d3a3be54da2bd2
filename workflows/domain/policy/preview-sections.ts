/**
 * Deadline preview for the other case kinds, on the same business clock. Each kind's deadlines carry the
 * actor and default outcome of the table its machine opens them from. Mapping:
 *   complaint  firstResponse, resolution ← requestedAt (the priority's target, owner an L1 agent)
 *              solutionApproval ← proposedAt · customerDecision ← resolvedAt if given (silence closes),
 *              else proposedAt (silence accepts) · departmentTask ← taskCreatedAt · reopenWindow ← closedAt
 *   inquiry    firstResponse ← requestedAt · followUp ← respondedAt
 *   order issue trackingWait ← requestedAt · carrierResponse ← carrierContactedAt · customerChoice ← optionsOfferedAt
 * Pure.
 */
import { INQUIRY_DEADLINES, inquirySettings, type InquiryDeadlineName } from './sections/inquiry';
import { ORDER_ISSUE_DEADLINES, orderIssueSettings, type OrderIssueDeadlineName } from './sections/order-issue';
import { INQUIRY_DEADLINE_RULES } from '../inquiry/deadline-rules';
import { ORDER_ISSUE_CLOCKS, ORDER_ISSUE_TYPE_CLOCKS, type OrderIssueClock } from '../order-issue/deadline-rules';
import type { OrderIssueType } from '../order-issue/types';
import { ownerAt } from '../service-case/core';
import type { ActorRole, OnTimeout } from '../case';
import { complaintSettings, type ComplaintDeadlineName, type Priority } from './sections/complaint';
import { previewDeadline, type DeadlinePreview, type PreviewEvent, type PreviewEvents } from './preview';
import type { Policy } from './types';

interface ComplaintRule {
  from: (events: PreviewEvents) => PreviewEvent;
  actor: ActorRole;
  onTimeout: (events: PreviewEvents) => OnTimeout;
}

const fixed = <T>(value: T) => () => value;

/** Actor and default outcome of each complaint deadline, as the complaint machine opens them. */
export const COMPLAINT_DEADLINE_RULES: Record<ComplaintDeadlineName, ComplaintRule> = {
  firstResponse: { from: fixed('requestedAt'), actor: 'agent', onTimeout: fixed('escalate') },
  resolution: { from: fixed('requestedAt'), actor: 'agent', onTimeout: fixed('escalate') },
  // Only a solution above the proposer's authority waits for a supervisor.
  solutionApproval: { from: fixed('proposedAt'), actor: 'supervisor', onTimeout: fixed('escalate') },
  // Silence after a proposal accepts it; silence after the case is resolved confirms and closes it.
  customerDecision: {
    from: (e) => (e.resolvedAt !== undefined ? 'resolvedAt' : 'proposedAt'), actor: 'channel',
    onTimeout: (e) => (e.resolvedAt !== undefined ? 'auto_close' : 'auto_approve'),
  },
  departmentTask: { from: fixed('taskCreatedAt'), actor: 'agent', onTimeout: fixed('warn') },
  reopenWindow: { from: fixed('closedAt'), actor: 'channel', onTimeout: fixed('close') },
};

/** Complaint deadlines at a priority (P3, a medium/normal/regular complaint, when not given). */
export function previewComplaint(policy: Policy, priority: Priority, events: PreviewEvents, now: number): DeadlinePreview {
  const settings = complaintSettings(policy.complaint);
  // Complaint deadlines warn at the section's own threshold, as the machine schedules them.
  const clockPolicy = { ...policy, warning: settings.warning };
  const preview: DeadlinePreview = { deadlines: [], waitingFor: [] };
  for (const name of Object.keys(COMPLAINT_DEADLINE_RULES) as ComplaintDeadlineName[]) {
    const rule = COMPLAINT_DEADLINE_RULES[name];
    const target = name === 'firstResponse' || name === 'resolution' ? settings.targets[priority]?.[name] : undefined;
    const deadline = { name, startsFrom: rule.from(events), actor: rule.actor, onTimeout: rule.onTimeout(events), duration: target ?? settings.deadlines[name] };
    previewDeadline(clockPolicy, deadline, events, { requestedAt: events.requestedAt ?? now }, preview);
  }
  return preview;
}

/** A warning at the due instant itself, i.e. none (as the machines open deadlines that warn nobody). */
const NO_WARNING = { beforeSeconds: 0 };

/** The events inquiry and order-issue deadlines count from. */
const SECTION_EVENTS: { inquiry: Record<InquiryDeadlineName, PreviewEvent>; orderIssue: Record<OrderIssueDeadlineName, PreviewEvent> } = {
  inquiry: { firstResponse: 'requestedAt', followUp: 'respondedAt' },
  orderIssue: { trackingWait: 'requestedAt', carrierResponse: 'carrierContactedAt', customerChoice: 'optionsOfferedAt' },
};

/**
 * An inquiry's or order issue's deadlines, from the policy's section over the product defaults, with the
 * actor and default outcome of the tables the machines open them from: an inquiry as it opens (an L1 agent
 * answers; the first followUp sends a follow-up, or closes when the policy allows none); an order issue of
 * `type` (parcel_missing when not given) in the situation each deadline first opens in for that type.
 */
export function previewSection(policy: Policy, section: 'inquiry' | 'orderIssue', events: PreviewEvents, now: number, type: OrderIssueType = 'parcel_missing'): DeadlinePreview & { type?: OrderIssueType } {
  const preview: DeadlinePreview = { deadlines: [], waitingFor: [] };
  const standIns = { requestedAt: events.requestedAt ?? now };
  if (section === 'inquiry') {
    // The same settings the workflow runs on: the policy's own values over the section's product defaults.
    const settings = inquirySettings(policy.inquiry);
    for (const name of INQUIRY_DEADLINES) {
      const rule = INQUIRY_DEADLINE_RULES[name];
      const deadline = {
        name, startsFrom: SECTION_EVENTS.inquiry[name], actor: rule.actor(ownerAt(1)), onTimeout: rule.onTimeout(0, settings.followUps), duration: settings.deadlines[name],
      };
      // Response targets warn their owner at the section's threshold; the customer's clock warns nobody.
      previewDeadline({ ...policy, warning: name === 'firstResponse' ? settings.warning : NO_WARNING }, deadline, events, standIns, preview);
    }
    return preview;
  }
  const settings = orderIssueSettings(policy.orderIssue);
  for (const name of ORDER_ISSUE_DEADLINES) {
    const opened = ORDER_ISSUE_TYPE_CLOCKS[type][name];
    if (!opened) continue; // this type never opens it
    const clock: OrderIssueClock = ORDER_ISSUE_CLOCKS[opened.clock];
    const actor = clock.actor(ownerAt(1));
    const deadline = { name, startsFrom: SECTION_EVENTS.orderIssue[name], actor, onTimeout: clock.onTimeout(opened.byDefault), duration: settings.deadlines[name] };
    // Staff deadlines warn their owner at the section's threshold; the customer's, parcel's and carrier's do not.
    const staff = actor === 'agent' || actor === 'supervisor' || actor === 'merchant';
    previewDeadline({ ...policy, warning: staff ? settings.warning : NO_WARNING }, deadline, events, standIns, preview);
  }
  return { type, ...preview };
}
