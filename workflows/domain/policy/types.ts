/**
 * The shape of a policy: versioned data that fixes every deadline, threshold and limit of a case. A case
 * receives its resolved policy by value at start and keeps it (pinning survives replay and new versions).
 * Each case kind's section is typed in its own file under sections/; durations and warnings are the
 * business clock's types.
 */
import type { Calendar } from '../clock/calendar';
import type { WarningRule } from '../clock/warning';
import type { AfterSalePolicy } from './sections/after-sale';
import type { ComplaintPolicy } from './sections/complaint';
import type { InquirySection } from './sections/inquiry';
import type { OrderIssueSection } from './sections/order-issue';
import type { SurveyPolicy } from './sections/survey';

export type { DurationSpec, DurationUnit } from '../clock/duration';
export type { EndOfPeriodRule } from '../clock/end-of-period';
export type { WarningRule } from '../clock/warning';
export {
  AFTER_SALE_DEADLINES, RETIRED_AFTER_SALE_DEADLINES, type AfterSaleDeadlineName, type AfterSalePolicy,
} from './sections/after-sale';

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
  inquiry?: InquirySection;
  orderIssue?: OrderIssueSection;
  complaint?: ComplaintPolicy;
  survey?: SurveyPolicy;
}

/** What a case records of its policy: id and version, plus the whole resolved content by value. */
export interface PolicyRef {
  id: string;
  version: number;
}
