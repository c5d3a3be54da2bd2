/**
 * The `inquiry` section of a policy (售前咨询): how fast a customer's question is answered, how long the
 * service side waits for a quiet customer before each follow-up, how many follow-ups go out before the
 * inquiry closes by itself, and whether a satisfaction survey follows.
 */
import type { DurationSpec, WarningRule } from '../types';

export const INQUIRY_DEADLINES = ['firstResponse', 'followUp'] as const;
export type InquiryDeadlineName = (typeof INQUIRY_DEADLINES)[number];

export interface InquiryPolicy {
  /** firstResponse: a customer's message → the service side's answer; followUp: an answer → the next follow-up. */
  deadlines: Record<InquiryDeadlineName, DurationSpec>;
  /** Follow-up messages sent while the customer stays quiet; the inquiry closes one followUp after the last. */
  followUps?: number;
  /** When the owner is warned before a response target breaches (default: 80% of the budget elapsed). */
  warning?: WarningRule;
  /** Whether the customer is surveyed after close (default: no; pre-sale rating is optional, DOMAIN.md flow 1). */
  survey?: boolean;
}

/** Product defaults: chat answers within minutes (用最快的速度); a quiet customer hears from us daily, twice. */
export const INQUIRY_DEFAULTS: Required<InquiryPolicy> = {
  deadlines: {
    firstResponse: { amount: 30, unit: 'minutes' },
    followUp: { amount: 24, unit: 'hours' },
  },
  followUps: 2,
  warning: { percentElapsed: 80 },
  survey: false,
};

export function inquirySettings(section: Partial<InquiryPolicy> | undefined): Required<InquiryPolicy> {
  const own = section ?? {};
  return {
    deadlines: { ...INQUIRY_DEFAULTS.deadlines, ...(own.deadlines ?? {}) },
    followUps: own.followUps ?? INQUIRY_DEFAULTS.followUps,
    warning: own.warning ?? INQUIRY_DEFAULTS.warning,
    survey: own.survey ?? INQUIRY_DEFAULTS.survey,
  };
}

export function inquirySettingsProblems(section: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { followUps, survey, warning } = section;
  if (followUps !== undefined && !(Number.isInteger(followUps) && (followUps as number) >= 0 && (followUps as number) <= 10)) {
    problems.push('inquiry.followUps must be an integer from 0 to 10');
  }
  if (survey !== undefined && typeof survey !== 'boolean') problems.push('inquiry.survey must be true or false');
  // The API schema checks the shape too; presets and stored documents reach the workflow without it.
  if (warning !== undefined && !isWarningRule(warning)) problems.push('inquiry.warning needs percentElapsed (0-100 exclusive) or positive beforeSeconds');
  return problems;
}

function isWarningRule(w: unknown): boolean {
  if (!w || typeof w !== 'object') return false;
  const { percentElapsed, beforeSeconds } = w as Record<string, unknown>;
  if (percentElapsed !== undefined) return typeof percentElapsed === 'number' && percentElapsed > 0 && percentElapsed < 100;
  return typeof beforeSeconds === 'number' && beforeSeconds > 0;
}
