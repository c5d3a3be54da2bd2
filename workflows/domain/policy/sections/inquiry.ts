/**
 * The `inquiry` section of a policy (售前咨询): how fast a customer's question is answered, how long the
 * service side waits for a quiet customer before each follow-up, how many follow-ups go out before the
 * inquiry closes by itself, and whether a satisfaction survey follows.
 */
import type { DurationSpec } from '../../clock/duration';
import type { WarningRule } from '../../clock/warning';

export const INQUIRY_DEADLINES = ['firstResponse', 'followUp'] as const;
export type InquiryDeadlineName = (typeof INQUIRY_DEADLINES)[number];

export interface InquiryPolicy {
  /** firstResponse: a customer's message → the service side's answer; followUp: an answer → the next follow-up. */
  deadlines: Record<InquiryDeadlineName, DurationSpec>;
  /** Follow-up messages sent while the customer stays quiet; the inquiry closes one followUp after the last. */
  followUps?: number;
  /** When the owner is warned before a response target breaches (default: 80% of the budget elapsed). */
  warning?: WarningRule;
  /** Whether the customer is surveyed after close (default: no: pre-sale rating is optional, docs/domain-rules.md). */
  survey?: boolean;
}

/** The section as a policy stores it: what the policy sets (deadlines by name); the rest comes from the defaults. */
export type InquirySection = Partial<Omit<InquiryPolicy, 'deadlines'>> & { deadlines?: Partial<InquiryPolicy['deadlines']> };

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

/** The section with every setting filled: the policy's own values over the defaults, deadlines by name. */
export function inquirySettings(section: InquirySection | undefined): Required<InquiryPolicy> {
  const own = section ?? {};
  return {
    deadlines: { ...INQUIRY_DEFAULTS.deadlines, ...(own.deadlines ?? {}) },
    followUps: own.followUps ?? INQUIRY_DEFAULTS.followUps,
    warning: own.warning ?? INQUIRY_DEFAULTS.warning,
    survey: own.survey ?? INQUIRY_DEFAULTS.survey,
  };
}

/**
 * Problems with the section's settings (deadlines are checked with every section's), as sentences. The
 * section is read as untrusted: a published document or stored policy reaches here before any check.
 */
export function inquirySettingsProblems(section: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const { followUps, survey, warning } = section;
  if (followUps !== undefined && !(typeof followUps === 'number' && Number.isInteger(followUps) && followUps >= 0 && followUps <= 10)) {
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
