/**
 * Whether a resolved policy can drive cases: every after-sale deadline present and well-formed, known
 * calendars, a sane warning rule and authority limit. Pure, so both the API (400 before publishing) and
 * the registry workflow's Update validator (never a malformed version in history) run the same rules.
 */
import { BUILT_IN_CALENDARS, validateCalendar, validateDurationSpec } from '../clock';
import type { Policy } from './types';
import { calendarReferences } from './calendar-refs';
import { AFTER_SALE_DEADLINES, afterSaleSettingsProblems } from './sections/after-sale';
import { COMPLAINT_DEADLINES, complaintSettingsProblems } from './sections/complaint';
import { SURVEY_DEADLINES, surveySettingsProblems } from './sections/survey';
import { INQUIRY_DEADLINES, inquirySettingsProblems } from './sections/inquiry';
import { ORDER_ISSUE_DEADLINES, orderIssueSettingsProblems } from './sections/order-issue';

/** Policy ids: lowercase slug, also part of a workflow id (`policy-registry:<id>`). */
export const POLICY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Deadline names each section knows, from the section files (docs/http-contract.md "Policies"). */
export const SECTION_DEADLINES = {
  afterSale: AFTER_SALE_DEADLINES,
  complaint: COMPLAINT_DEADLINES,
  survey: SURVEY_DEADLINES,
  inquiry: INQUIRY_DEADLINES,
  orderIssue: ORDER_ISSUE_DEADLINES,
} as const;
export type PolicySection = keyof typeof SECTION_DEADLINES;
export const POLICY_SECTIONS = Object.keys(SECTION_DEADLINES) as PolicySection[];

/** Built-in calendars, or calendars the policy carries by value (custom ones, embedded at publish). */
function calendarKnown(id: string, policy: { calendars?: Record<string, unknown> }): boolean {
  return Object.prototype.hasOwnProperty.call(BUILT_IN_CALENDARS, id) || Object.prototype.hasOwnProperty.call(policy.calendars ?? {}, id);
}

function deadlineProblems(section: PolicySection, deadlines: unknown, complete: boolean): string[] {
  if (typeof deadlines !== 'object' || deadlines === null) return [`${section}.deadlines must be an object`];
  const known: readonly string[] = SECTION_DEADLINES[section];
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(deadlines)) {
    if (!known.includes(name)) problems.push(`${section}.deadlines.${name} is not a deadline of ${section} (known: ${known.join(', ')})`);
    for (const p of validateDurationSpec(spec)) problems.push(`${section}.deadlines.${name}: ${p}`);
  }
  if (complete) {
    for (const name of known) if (!(name in deadlines)) problems.push(`${section}.deadlines.${name} is missing`);
  }
  return problems;
}

/** Problems that make a resolved policy unusable, as readable sentences; empty when it is valid. */
export function policyProblems(policy: Omit<Policy, 'version'> & { version?: number }): string[] {
  const problems: string[] = [];
  if (typeof policy.id !== 'string' || !POLICY_ID_PATTERN.test(policy.id)) problems.push('id must be a lowercase slug of 2 to 63 characters');
  if (policy.version !== undefined && !(Number.isInteger(policy.version) && policy.version >= 1)) problems.push('version must be a positive integer');
  if (typeof policy.name !== 'string' || policy.name.trim() === '') problems.push('name is required');
  if (typeof policy.defaultCalendar !== 'string') problems.push('defaultCalendar is required');
  // A calendar no case could find would stop its workflow at the first deadline: name each one here.
  for (const { path, calendarId } of calendarReferences(policy)) {
    if (!calendarKnown(calendarId, policy)) {
      problems.push(`${path}: unknown calendar ${calendarId} (built-in: ${Object.keys(BUILT_IN_CALENDARS).join(', ')}; or publish it with PUT /v1/calendars/${calendarId})`);
    }
  }
  for (const [id, calendar] of Object.entries(policy.calendars ?? {})) {
    for (const p of validateCalendar(calendar)) problems.push(`calendars.${id}: ${p}`);
  }
  const warning = policy.warning as Record<string, unknown> | undefined;
  if (!warning || typeof warning !== 'object') problems.push('warning is required');
  else if ('percentElapsed' in warning) {
    const p = warning.percentElapsed;
    if (typeof p !== 'number' || !(p > 0 && p < 100)) problems.push('warning.percentElapsed must be between 0 and 100 (exclusive)');
  } else if ('beforeSeconds' in warning) {
    const s = warning.beforeSeconds;
    if (typeof s !== 'number' || !(s > 0)) problems.push('warning.beforeSeconds must be positive');
  } else problems.push('warning needs percentElapsed or beforeSeconds');

  const afterSale = policy.afterSale;
  if (!afterSale || typeof afterSale !== 'object') problems.push('afterSale is required');
  else {
    problems.push(...deadlineProblems('afterSale', afterSale.deadlines, true));
    problems.push(...afterSaleSettingsProblems(afterSale));
  }
  // Deadlines by name here, for every section alike; each section's other settings by its own file.
  const { complaint, survey, inquiry, orderIssue } = policy;
  if (complaint !== undefined) problems.push(...deadlineProblems('complaint', complaint.deadlines, false), ...complaintSettingsProblems(complaint, validateDurationSpec));
  if (survey !== undefined) problems.push(...deadlineProblems('survey', survey.deadlines, false), ...surveySettingsProblems(survey));
  if (inquiry !== undefined) problems.push(...deadlineProblems('inquiry', inquiry.deadlines, false), ...inquirySettingsProblems(inquiry));
  if (orderIssue !== undefined) problems.push(...deadlineProblems('orderIssue', orderIssue.deadlines, false), ...orderIssueSettingsProblems(orderIssue));
  return problems;
}
