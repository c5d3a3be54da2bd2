/**
 * Deadline preview for the other case kinds, on the same business clock. Complaints count as the
 * complaint machine opens them; inquiries and order issues have no workflow yet, so their deadlines are
 * timed from the events below without an actor or default outcome. Mapping:
 *   complaint  firstResponse, resolution ← requestedAt (the priority's target, owner an L1 agent)
 *              solutionApproval ← proposedAt · customerDecision ← resolvedAt if given (silence closes),
 *              else proposedAt (silence accepts) · departmentTask ← taskCreatedAt · reopenWindow ← closedAt
 *   inquiry    firstResponse ← requestedAt · followUp ← respondedAt
 *   order issue trackingWait ← requestedAt · carrierResponse ← carrierContactedAt · customerChoice ← optionsOfferedAt
 * Pure.
 */
import { inquirySettings } from './sections/inquiry';
import { orderIssueSettings } from './sections/order-issue';
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

/** Events the deadlines of kinds without a workflow count from. */
const SECTION_EVENTS: Record<'inquiry' | 'orderIssue', Record<string, PreviewEvent>> = {
  inquiry: { firstResponse: 'requestedAt', followUp: 'respondedAt' },
  orderIssue: { trackingWait: 'requestedAt', carrierResponse: 'carrierContactedAt', customerChoice: 'optionsOfferedAt' },
};

/** An inquiry's or order issue's deadlines, from the policy's section over the product defaults. */
export function previewSection(policy: Policy, section: 'inquiry' | 'orderIssue', events: PreviewEvents, now: number): DeadlinePreview {
  // The same settings the workflows run on: the policy's own values over the section's product defaults.
  const deadlines = section === 'inquiry' ? inquirySettings(policy.inquiry as never).deadlines : orderIssueSettings(policy.orderIssue as never).deadlines;
  const preview: DeadlinePreview = { deadlines: [], waitingFor: [] };
  for (const [name, duration] of Object.entries(deadlines)) {
    const startsFrom = SECTION_EVENTS[section][name] ?? 'requestedAt';
    previewDeadline(policy, { name, startsFrom, duration }, events, { requestedAt: events.requestedAt ?? now }, preview);
  }
  return preview;
}
