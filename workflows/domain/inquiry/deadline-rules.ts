/**
 * Who must act on each inquiry deadline and what silence does, as the policy preview reads it: the inquiry's
 * silence table (./silence) itself, so the preview and the machine cannot disagree. Pure.
 */
export { INQUIRY_SILENCE as INQUIRY_DEADLINE_RULES, type InquiryDeadlineRule } from './silence';
