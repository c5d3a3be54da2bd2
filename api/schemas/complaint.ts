/**
 * Request and response schemas of `/v1/complaints` (docs/http-contract.md "Kinds and actions"): the create
 * body, one strict body per action (fields of ComplaintActionInput plus `actorRef`), the view as rendered at
 * the edge, and the satisfaction callback.
 */
import { z } from 'zod';
import { CASE_KINDS, DEADLINE_STATES, ON_TIMEOUT, ROLES, TIERS } from '../../workflows/domain/case';
import {
  COMPLAINT_ACTIONS, COMPLAINT_CHANNELS, COMPLAINT_OUTCOMES, COMPLAINT_STATUSES, CUSTOMER_TIERS, DEPARTMENTS, SEVERITIES, SOLUTION_KINDS, URGENCIES,
  type ComplaintAction,
} from '../../workflows/domain/complaint/types';
import { PRIORITIES } from '../../workflows/domain/policy/sections/complaint';
import { orderItemSchema } from './after-sale';
import { deadlineWarningsSchema } from './case-view';
import { SAME_CURRENCY_RULE, actorRefSchema, callerTimeSchema, moneySchema, referenceIdSchema, relatedCaseIdSchema, satisfactionSchema } from './shared';

const note = z.string().min(1).max(2000);
const category = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, 'category is a lowercase slug, e.g. product_quality, delivery, service_attitude');

export const orderBasisSchema = z.object({
  items: z.array(orderItemSchema).min(1).max(200),
  paidTotal: moneySchema.describe('What the buyer paid; every other amount of the request must be in its currency (else 400)'),
  shippingFee: moneySchema.describe(`Freight paid, ${SAME_CURRENCY_RULE}`),
}).strict().describe('The order goods and amounts a refund, replacement or repair needs');

export const createComplaintBody = z.object({
  merchantId: referenceIdSchema,
  customerRef: z.string().min(1).max(128).describe('Pseudonymous customer reference (encrypted in history)'),
  channel: z.enum(COMPLAINT_CHANNELS),
  category,
  severity: z.enum(SEVERITIES),
  urgency: z.enum(URGENCIES),
  customerTier: z.enum(CUSTOMER_TIERS),
  summary: z.string().min(1).max(4000).describe('What the customer complains about (encrypted in history)'),
  orderId: referenceIdSchema.optional(),
  order: orderBasisSchema.optional(),
  relatedCaseId: relatedCaseIdSchema.optional(),
  receivedAt: callerTimeSchema('When the customer complained; defaults to now; targets count from here').optional(),
  policyId: z.string().min(1).max(63).optional(),
  actorRef: actorRefSchema.optional(),
}).strict();
export type CreateComplaintBody = z.infer<typeof createComplaintBody>;

const base = { actorRef: actorRefSchema.optional(), note: note.optional() };
const approver = { ...base, actorRef: actorRefSchema.describe('Required: the person approving') };

export const solutionSchema = z.object({
  kind: z.enum(SOLUTION_KINDS),
  amount: moneySchema.optional().describe('Required for refund and compensation'),
  description: z.string().min(1).max(2000).optional(),
  orderId: referenceIdSchema.optional(),
  order: orderBasisSchema.optional(),
}).strict();

/** One strict body per action; a missing body is `{}`. */
export const COMPLAINT_ACTION_BODIES = {
  acknowledge: z.object(base).strict(),
  assign: z.object({ ...base, assignee: z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/).describe('Pseudonymous staff id') }).strict(),
  classify: z.object({
    ...base, category: category.optional(), severity: z.enum(SEVERITIES).optional(), urgency: z.enum(URGENCIES).optional(), customerTier: z.enum(CUSTOMER_TIERS).optional(),
  }).strict(),
  'add-note': z.object({ ...base, note }).strict(),
  'propose-solution': z.object({ ...base, solution: solutionSchema }).strict(),
  resolve: z.object(base).strict(),
  'create-task': z.object({ ...base, department: z.enum(DEPARTMENTS), description: z.string().min(1).max(2000) }).strict(),
  'complete-task': z.object({ ...base, taskId: z.string().min(1).max(40), result: z.string().min(1).max(2000) }).strict(),
  'approve-solution': z.object(approver).strict(),
  close: z.object({ ...base, reason: z.string().min(1).max(500).optional() }).strict(),
  'accept-solution': z.object(base).strict(),
  'reject-solution': z.object({ ...base, reason: z.string().min(1).max(500).optional() }).strict(),
  reopen: z.object({ ...base, reason: z.string().min(1).max(500).optional() }).strict(),
  escalate: z.object({ ...base, reason: z.string().min(1).max(500).optional() }).strict(),
} satisfies Record<ComplaintAction, z.ZodType>;

const actorRole = z.enum([...ROLES, 'system']);

export const complaintViewSchema = z.object({
  id: z.string(),
  kind: z.literal('complaint'),
  merchantId: z.string(),
  customerRef: z.string(),
  channel: z.enum(COMPLAINT_CHANNELS),
  category: z.string(),
  severity: z.enum(SEVERITIES),
  urgency: z.enum(URGENCIES),
  customerTier: z.enum(CUSTOMER_TIERS),
  priority: z.enum(PRIORITIES),
  summary: z.string(),
  orderId: z.string().optional(),
  relatedCaseId: z.string().optional(),
  status: z.enum(COMPLAINT_STATUSES),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  policy: z.object({ id: z.string(), version: z.number().int() }),
  owner: z.object({ role: actorRole, tier: z.enum(TIERS), assignee: z.string().optional() }).nullable(),
  escalationLevel: z.number().int(),
  allowedActions: z.array(z.enum(COMPLAINT_ACTIONS)).describe("What the caller's role may do now"),
  deadlines: z.array(z.object({
    name: z.string(), dueAt: z.string(), actor: actorRole, onTimeout: z.enum(ON_TIMEOUT), state: z.enum(DEADLINE_STATES), warnedAt: z.string().optional(),
    taskId: z.string().optional(),
    warnings: deadlineWarningsSchema,
  })),
  timeline: z.array(z.object({
    at: z.string(), type: z.string(), actor: actorRole, actorRef: z.string().optional(), data: z.record(z.string(), z.unknown()).optional(),
  })),
  links: z.array(z.object({ id: z.string(), kind: z.enum(CASE_KINDS), relation: z.string() })),
  solutions: z.array(z.object({
    number: z.number().int(), kind: z.enum(SOLUTION_KINDS), amount: moneySchema.optional(), description: z.string().optional(), orderId: z.string().optional(),
    state: z.enum(['awaiting_approval', 'proposed', 'accepted', 'rejected', 'withdrawn']),
    proposedBy: z.object({ role: actorRole, actorRef: z.string().optional() }), approvedBy: z.object({ actorRef: z.string().optional() }).optional(),
    proposedAt: z.string(), decidedAt: z.string().optional(),
    linkedCase: z.object({
      id: z.string(), started: z.boolean(),
      closed: z.object({ status: z.string(), outcome: z.string().nullable(), refunded: moneySchema.optional() }).optional(),
    }).optional(),
  })),
  tasks: z.array(z.object({
    id: z.string(), department: z.enum(DEPARTMENTS), description: z.string(), state: z.enum(['open', 'done', 'cancelled']),
    createdAt: z.string(), completedAt: z.string().optional(), result: z.string().optional(),
  })),
  reopenCount: z.number().int(),
  receivedAt: z.string(),
  satisfaction: satisfactionSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  timeZone: z.string().describe('IANA zone of the case calendar; every time above carries its offset'),
});

export const satisfactionCallbackBody = z.object({
  caseId: z.string().min(1).max(80),
  score: z.number().int().min(1).max(5),
  comment: z.string().max(2000).optional(),
  respondedAt: callerTimeSchema('When the customer answered the survey; defaults to now').optional(),
  requestId: z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/).optional().describe('The callback\'s identity; a repeat has no effect. Defaults to a hash of the body'),
}).strict();

export const satisfactionAcceptedSchema = z.object({
  caseId: z.string(),
  surveyId: z.string(),
  duplicate: z.boolean().describe('true when this callback was already received: nothing changed'),
});
