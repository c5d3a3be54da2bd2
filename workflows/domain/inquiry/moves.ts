/**
 * The moves inquiry transitions are made of, used by actions (./actions) and silence (./silence) alike: the
 * response target for the owner's tier, the customer's follow-up clock (each opened with what silence does,
 * from ./silence), and close with its archive record. Pure; callers pass a draft they own.
 */
import type { Actor } from '../case';
import { inquirySettings } from '../policy/sections/inquiry';
import { closeCase, openDeadline, record } from '../service-case/core';
import { inquiryArchiveRecord } from './archive';
import { INQUIRY_SILENCE } from './silence';
import type { InquiryState } from './types';

export const settingsOf = (s: InquiryState) => inquirySettings(s.request.policy.inquiry);

/** The service side owes an answer: the response target runs for the owner's tier. */
export function openResponseTarget(s: InquiryState, from: number): void {
  const settings = settingsOf(s);
  const rule = INQUIRY_SILENCE.firstResponse;
  openDeadline(s, 'firstResponse', rule.actor(s.owner!), rule.onTimeout(s.followUpsSent, settings.followUps), from, { policy: s.request.policy, spec: settings.deadlines.firstResponse, warning: settings.warning });
}

/** We answered: wait for the customer; each followUp sends a follow-up, the one after the last closes. */
export function openFollowUp(s: InquiryState, from: number): void {
  const settings = settingsOf(s);
  const rule = INQUIRY_SILENCE.followUp;
  openDeadline(s, 'followUp', rule.actor(s.owner!), rule.onTimeout(s.followUpsSent, settings.followUps), from, { policy: s.request.policy, spec: settings.deadlines.followUp });
}

/** Closes the inquiry, and archives it (归档) when the case runs under that rule. */
export function closeInquiry(s: InquiryState, outcome: InquiryState['outcome'] & string, now: number, by: Actor['role'], data: Record<string, unknown> = {}, actorRef?: string): void {
  closeCase(s, outcome, now, by, data, actorRef);
  if (s.archiveAtClose) record(s, now, 'case.archived', 'system', { record: inquiryArchiveRecord(s, now) });
}
