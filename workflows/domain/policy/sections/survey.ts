/**
 * The `survey` section of a policy (满意度调查/回访): when the survey goes out after close, how many
 * reminders follow and how far apart, when it expires, and which score starts service recovery.
 */
import type { DurationSpec } from '../../clock/duration';

export const SURVEY_DEADLINES = ['delay', 'reminder', 'expiry'] as const;
export type SurveyDeadlineName = (typeof SURVEY_DEADLINES)[number];

export interface SurveyPolicy {
  /** delay: close → send; reminder: send → each reminder; expiry: send → no more answers. */
  deadlines: Record<SurveyDeadlineName, DurationSpec>;
  /** Reminders sent while no answer came (default 1). */
  reminders?: number;
  /** A score at or below this starts service recovery (default 2 of 5). */
  recoveryScoreAtMost?: number;
}

export const SURVEY_DEFAULTS: Required<SurveyPolicy> = {
  deadlines: {
    delay: { amount: 24, unit: 'hours' },
    reminder: { amount: 48, unit: 'hours' },
    expiry: { amount: 7, unit: 'calendar_days' },
  },
  reminders: 1,
  recoveryScoreAtMost: 2,
};

export function surveySettings(section: Partial<SurveyPolicy> | undefined): Required<SurveyPolicy> {
  const own = section ?? {};
  return {
    deadlines: { ...SURVEY_DEFAULTS.deadlines, ...(own.deadlines ?? {}) },
    reminders: own.reminders ?? SURVEY_DEFAULTS.reminders,
    recoveryScoreAtMost: own.recoveryScoreAtMost ?? SURVEY_DEFAULTS.recoveryScoreAtMost,
  };
}

/** Problems with the section's settings (deadlines are checked with every section's), as sentences. */
export function surveySettingsProblems(section: Partial<SurveyPolicy>): string[] {
  const problems: string[] = [];
  const { reminders, recoveryScoreAtMost } = section;
  if (reminders !== undefined && !(Number.isInteger(reminders) && reminders >= 0 && reminders <= 5)) problems.push('survey.reminders must be an integer from 0 to 5');
  if (recoveryScoreAtMost !== undefined && !(Number.isInteger(recoveryScoreAtMost) && recoveryScoreAtMost >= 0 && recoveryScoreAtMost <= 5)) {
    problems.push('survey.recoveryScoreAtMost must be an integer from 0 to 5');
  }
  return problems;
}
