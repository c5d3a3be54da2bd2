/**
 * Pre-sale inquiry (售前咨询) case data: what an inquiry starts from, the state its workflow holds, and the
 * actions back offices send. Statuses and outcomes are the product's (docs/http-contract.md).
 */
import type { Actor, CaseLink } from '../case';
import type { Policy } from '../policy/types';
import type { CaseCore } from '../service-case/core';
import { COMPLAINT_CHANNELS, type ComplaintChannel } from '../complaint/types';

/** A customer asks on the same channels a complaint arrives by (docs/http-contract.md). */
export const INQUIRY_CHANNELS = COMPLAINT_CHANNELS;
export type InquiryChannel = ComplaintChannel;

/** `awaiting_reply`: the customer waits for us; `awaiting_customer`: we answered, follow-ups run. */
export const INQUIRY_STATUSES = ['awaiting_reply', 'awaiting_customer', 'closed'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** `converted`: an order was placed; `not_converted`: closed by staff; `no_response`: quiet after every follow-up. */
export const INQUIRY_OUTCOMES = ['converted', 'not_converted', 'no_response'] as const;
export type InquiryOutcome = (typeof INQUIRY_OUTCOMES)[number];

export const INQUIRY_ACTIONS = ['reply', 'customer-message', 'convert', 'close', 'add-note', 'assign', 'escalate'] as const;
export type InquiryAction = (typeof INQUIRY_ACTIONS)[number];

/** What an inquiry starts from. The question and customerRef are personal data: encrypted in history. */
export interface InquiryRequest {
  caseId: string;
  merchantId: string;
  customerRef: string;
  channel: InquiryChannel;
  /** What it is about, in back-office words (e.g. `sizing`, `availability`); never personal data. */
  topic: string;
  question?: string;
  productSkus?: string[];
  relatedCaseId?: string;
  /** When the customer asked: the first response counts from here (may lie in the past). */
  receivedAt: number;
  openedAt?: number;
  policy: Policy;
  createdBy: Actor;
  requestFingerprint: string;
}

export interface InquiryState extends CaseCore {
  request: InquiryRequest;
  status: InquiryStatus;
  outcome: InquiryOutcome | null;
  /** Follow-ups sent since the service side last answered. */
  followUpsSent: number;
  replies: number;
  customerMessages: number;
  orderId?: string;
  firstRespondedAt?: number;
  links: CaseLink[];
  /**
   * Closing writes a `case.archived` record (docs/domain-rules.md "Records and archive"). Absent in cases
   * started before the rule: they keep closing as they recorded (`patched('archive-at-close')`).
   */
  archiveAtClose?: true;
}

export interface InquiryActionInput {
  message?: string;
  note?: string;
  reason?: string;
  assignee?: string;
  orderId?: string;
}

export interface InquiryActionRequest {
  action: InquiryAction;
  actor: Actor;
  input: InquiryActionInput;
  fingerprint: string;
}
