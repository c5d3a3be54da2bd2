/**
 * Schemas of `/v1/policies`: the document an admin PUTs (strict, every deadline `{ amount, unit,
 * calendar? }`, second-level durations allowed) and the policy views the API answers.
 */
import { z } from 'zod';
import { DURATION_UNITS } from '../../workflows/domain/clock';
import { SECTION_DEADLINES, type PolicySection } from '../../workflows/domain/policy/validate';
import { moneySchema } from './shared';
import { END_OF_PERIOD_RULES } from '../../workflows/domain/clock/end-of-period';

export const durationSchema = z.object({
  amount: z.number().min(0).max(1_000_000),
  unit: z.enum(DURATION_UNITS),
  calendar: z.string().min(1).max(63).optional().describe("Calendar id for working units; the policy's defaultCalendar otherwise"),
  endOfPeriodRule: z.enum(END_OF_PERIOD_RULES).optional()
    .describe('calendar_days only: `eu-1182-71` ends a period whose last day is a Saturday, Sunday or holiday of the calendar at the close of the next working day (Regulation 1182/71 art. 3(4))'),
}).strict();

const warningSchema = z.union([
  z.object({ percentElapsed: z.number().gt(0).lt(100) }).strict(),
  z.object({ beforeSeconds: z.number().positive() }).strict(),
]);

function deadlinesOf(section: PolicySection) {
  const names = SECTION_DEADLINES[section] as readonly string[];
  return z.object(Object.fromEntries(names.map((n) => [n, durationSchema.optional()]))).strict();
}

export const policyIdParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'policy ids are lowercase slugs of 2 to 63 characters'),
}).strict();
export const policyVersionParams = policyIdParams.extend({ v: z.coerce.number().int().min(1).max(1_000_000) }).strict();

export const policyDocumentSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  extends: z.string().min(1).max(63).optional().describe('A preset or custom policy whose values fill what this one leaves out'),
  sources: z.record(z.string().max(200), z.string().max(500)).optional(),
  defaultCalendar: z.string().min(1).max(63).optional(),
  warning: warningSchema.optional(),
  afterSale: z.object({
    deadlines: deadlinesOf('afterSale').optional(),
    authorityLimit: moneySchema.optional(),
    noReasonReturn: z.object({ window: durationSchema }).strict().optional(),
    escalationOpensAfterNoAnswer: durationSchema.optional()
      .describe('The buyer may call in the platform this long after the request went unanswered, as well as after a rejection (Amazon A-to-z: two business days)'),
    suspensionLimits: z.object({ legal_proof: durationSchema.optional(), police: durationSchema.optional() }).strict().optional()
      .describe('How long a suspension for court or police proof (legal_proof) and for a police case (police) may last; negotiation uses deadlines.suspension'),
  }).strict().optional(),
  inquiry: z.object({
    deadlines: deadlinesOf('inquiry').optional(),
    followUps: z.number().int().min(0).max(10).optional().describe('Follow-ups while the customer is quiet; the inquiry closes one followUp after the last (default 2)'),
    warning: warningSchema.optional().describe('Pre-breach warning to the owner (default 80% elapsed)'),
    survey: z.boolean().optional().describe('Survey the customer after close (default false)'),
  }).strict().optional(),
  orderIssue: z.object({
    deadlines: deadlinesOf('orderIssue').optional(),
    warning: warningSchema.optional().describe('Pre-breach warning to the owner (default 80% elapsed)'),
    survey: z.boolean().optional().describe('Survey the customer after close (default true)'),
  }).strict().optional(),
  complaint: z.object({
    deadlines: deadlinesOf('complaint').optional(),
    targets: z.partialRecord(z.enum(['P1', 'P2', 'P3', 'P4']), z.object({ firstResponse: durationSchema.optional(), resolution: durationSchema.optional() }).strict())
      .optional().describe('Per-priority firstResponse/resolution targets; a priority without its own uses deadlines.firstResponse/resolution'),
    warning: warningSchema.optional().describe('Pre-breach warning to the owner (default 80% elapsed)'),
    rejectionsBeforeEscalation: z.number().int().min(1).max(20).optional().describe('Rejected solutions in a row that escalate one tier (default 2)'),
    authorityLimits: z.object({ agent: moneySchema, supervisor: moneySchema }).strict().optional().describe('Money a proposer may promise without approve-solution'),
  }).strict().optional(),
  survey: z.object({
    deadlines: deadlinesOf('survey').optional(),
    reminders: z.number().int().min(0).max(5).optional().describe('Reminders while no answer came (default 1)'),
    recoveryScoreAtMost: z.number().int().min(0).max(5).optional().describe('A score at or below starts service recovery (default 2)'),
  }).strict().optional(),
}).strict();

/** A complete policy as cases pin it; open-ended so settings added later still show. */
export const policySchema = z.looseObject({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  extends: z.string().optional(),
  defaultCalendar: z.string(),
  warning: z.looseObject({}),
  afterSale: z.looseObject({ deadlines: z.record(z.string(), z.looseObject({ amount: z.number(), unit: z.string() })) }),
  sources: z.record(z.string(), z.string()).optional(),
});

export const policyVersionViewSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  preset: z.boolean(),
  publishedAt: z.string().nullable().describe('ISO-8601 in the policy calendar zone; null for presets'),
  policy: policySchema,
  document: z.looseObject({}).optional().describe('The document as published (custom policies)'),
});

export const policyListSchema = z.object({
  policies: z.array(z.object({ id: z.string(), name: z.string(), latestVersion: z.number().int(), preset: z.boolean() })),
});

export const policyVersionsSchema = z.object({
  id: z.string(),
  versions: z.array(z.object({ version: z.number().int(), publishedAt: z.string().nullable(), name: z.string() })),
});
