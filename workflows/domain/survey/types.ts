/**
 * Satisfaction survey (满意度调查/回访) data: what a survey starts from (a closed case), the state its
 * workflow holds, and a customer's answer. No personal data leaves through events: the comment stays here.
 */
import type { TimelineEntry } from '../case';
import type { Policy } from '../policy/types';

export type SurveyedKind = 'complaint' | 'after_sale' | 'inquiry' | 'order_issue';

export interface SurveyRequest {
  caseId: string;
  kind: SurveyedKind;
  merchantId: string;
  customerRef: string;
  orderId?: string;
  policy: Policy;
  closedAt: number;
}

export interface SurveyAnswer {
  score: number;
  comment?: string;
  respondedAt?: number;
  /** The callback's own identity (its requestId, or a hash of its body): repeats have no effect. */
  requestId: string;
}

export type SurveyStatus = 'scheduled' | 'sent' | 'answered' | 'expired';

export interface SurveyOutboxItem {
  id: string;
  type: 'survey.sent' | 'survey.reminder';
  sent: boolean;
}

export interface SurveyState {
  request: SurveyRequest;
  surveyId: string;
  status: SurveyStatus;
  sendAt: number;
  sentAt?: number;
  expiresAt?: number;
  /** When each reminder is due (fixed at send); only those before expiry. */
  reminderAts: number[];
  remindersSent: number;
  answer?: { score: number; comment?: string; respondedAt: number };
  /** Request ids already seen, newest last, bounded: duplicates change nothing. */
  seenRequestIds: string[];
  outbox: SurveyOutboxItem[];
  /** Low score: service recovery is owed (reopen the complaint, or a new L2 complaint). */
  recovery: 'none' | 'owed' | 'reopened' | 'new_complaint';
  recoveryCaseId?: string;
  timeline: TimelineEntry[];
  revision: number;
}

/** What the callback route asks before signalling: may this answer still count? */
export interface SurveyStatusView {
  status: SurveyStatus;
  open: boolean;
  duplicate: boolean;
  /** The customer's score once answered (the comment stays in the survey). */
  score?: number;
}
