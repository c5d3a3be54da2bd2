/**
 * The shape of a policy: versioned data that fixes every deadline, threshold and limit of a case. A case
 * receives its resolved policy by value at start and keeps it (pinning survives replay and new versions).
 */
import type { Money } from '../case';
import type { Calendar } from '../clock/calendar';
import type { ComplaintPolicy } from './sections/complaint';
import type { SurveyPolicy } from './sections/survey';

export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'calendar_days' | 'working_hours' | 'working_days';

export interface DurationSpec {
  amount: number;
  unit: DurationUnit;
  /** Calendar id for working units; the policy's default calendar when absent. */
  calendar?: string;
  /**
   * How a period of natural days ends when its last day is not a working day (calendar_days only).
   * `eu-1182-71`: Regulation (EEC, Euratom) No 1182/71 art. 3(4)-(5), which the Consumer Rights Directive
   * applies to its periods (recital 41): a last day on a Saturday, Sunday or public holiday (the calendar's
   * holidays) moves to the next working day, and a period of two days or more holds two working days.
   * Absent: the period ends after its last natural day, whatever its weekday.
   */
  endOfPeriodRule?: EndOfPeriodRule;
}

export const END_OF_PERIOD_RULES = ['eu-1182-71'] as const;
export type EndOfPeriodRule = (typeof END_OF_PERIOD_RULES)[number];

export const AFTER_SALE_DEADLINES = [
  'merchantResponse', 'buyerReturnShipment', 'merchantReceipt', 'refundPayment', 'refundApproval',
  'escalationWindow', 'disputeAnswer', 'evidence', 'rulingExecution', 'appealWindow',
  'replacementShipment', 'repair', 'suspension',
] as const;
export type AfterSaleDeadlineName = (typeof AFTER_SALE_DEADLINES)[number];

/**
 * After-sale deadline names no step opens any more. `serviceReview` (JD's 48 h service-order review) was in
 * every preset but never opened: on JD that review is the merchant's answer to the request, which
 * `merchantResponse` already times. Policies pinned before still carry it (harmlessly); a new version drops
 * what its parent carried.
 */
export const RETIRED_AFTER_SALE_DEADLINES = ['serviceReview'] as const;

/** When the pre-breach warning fires: at a share of the budget elapsed, or an offset before breach. */
export type WarningRule = { percentElapsed: number } | { beforeSeconds: number };

export interface AfterSalePolicy {
  deadlines: Record<AfterSaleDeadlineName, DurationSpec>;
  /** A refund approved by a person above this amount waits for a second approver (四眼原则). */
  authorityLimit: Money;
  /** The statutory no-reason return window (七天无理由), counted from delivery. */
  noReasonReturn: { window: DurationSpec };
  /**
   * How long after the request the buyer may call in the platform although the merchant has not answered
   * (Amazon A-to-z: after allowing two business days); a rejection opens it at once. Absent: only a
   * rejection opens it (the Taobao/JD-style presets, and every policy pinned before this setting existed).
   */
  escalationOpensAfterNoAnswer?: DurationSpec;
  /**
   * How long a suspension for court or police proof (`legal_proof`) and for a police case (`police`) may
   * last before the case resumes by itself; negotiation uses the `suspension` deadline. Absent only in
   * policies pinned before these were settings: they keep the limits they were opened with.
   */
  suspensionLimits?: Record<'legal_proof' | 'police', DurationSpec>;
}

export interface SectionWithDeadlines {
  deadlines: Record<string, DurationSpec>;
  [setting: string]: unknown;
}

export interface Policy {
  id: string;
  version: number;
  name: string;
  description?: string;
  /** For custom policies: the preset (or policy) whose values fill what this one leaves out. */
  extends?: string;
  /** Where each number comes from (a law, a marketplace rule) or `product default`. */
  sources?: Record<string, string>;
  /** Calendar id used for working-time units when a deadline names none; also the zone views render in. */
  defaultCalendar: string;
  /**
   * Calendars this policy carries by value beside the built-in ones (24x7, cn-workdays, jd-evidence): a
   * custom calendar is embedded at publish with the registry `version` it had then, so cases pin it.
   */
  calendars?: Record<string, Calendar & { version?: number }>;
  warning: WarningRule;
  afterSale: AfterSalePolicy;
  inquiry?: SectionWithDeadlines;
  orderIssue?: SectionWithDeadlines;
  complaint?: ComplaintPolicy;
  survey?: SurveyPolicy;
}

/** What a case records of its policy: id and version, plus the whole resolved content by value. */
export interface PolicyRef {
  id: string;
  version: number;
}
