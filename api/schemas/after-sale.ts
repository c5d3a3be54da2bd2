/**
 * Request and response schemas of `/v1/after-sales`: the create body (docs/http-contract.md), one strict body per action
 * (fields of AfterSaleActionInput plus `actorRef`), and the case view as rendered at the edge.
 */
import { z } from 'zod';
import { CASE_KINDS, DEADLINE_STATES, ON_TIMEOUT, ROLES, TIERS } from '../../workflows/domain/case';
import {
  AFTER_SALE_ACTIONS, AFTER_SALE_OUTCOMES, AFTER_SALE_REASONS, AFTER_SALE_STATUSES, AFTER_SALE_TYPES, INSPECTION_RESULTS,
  RETURN_EXCLUSIONS, RULING_DECISIONS, type AfterSaleAction,
} from '../../workflows/domain/after-sale/types';
import { SUSPENSION_REASONS } from '../../workflows/domain/after-sale/suspension';
import { deadlineWarningsSchema } from './case-view';
import { SAME_CURRENCY_RULE, actorRefSchema, callerTimeSchema, moneySchema, referenceIdSchema, relatedCaseIdSchema, satisfactionSchema } from './shared';

const durationSchema = z.object({
  amount: z.number().int().min(1).max(1_000_000),
  unit: z.enum(['seconds', 'minutes', 'hours', 'calendar_days', 'working_hours', 'working_days']),
  calendar: z.string().min(1).max(63).optional()
    .describe("Calendar id (one the case's policy knows) for working units; the deadline's own calendar otherwise"),
}).strict();

const note = z.string().min(1).max(2000);
const reason = z.string().min(1).max(500);
const evidence = z.array(z.url().max(2048)).max(20).describe('Evidence URLs');

export const orderItemSchema = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(10_000),
  unitPrice: moneySchema.describe(`Price of one unit, ${SAME_CURRENCY_RULE}`),
  returnExclusion: z.enum(RETURN_EXCLUSIONS).optional(),
}).strict();

export const createAfterSaleBody = z.object({
  merchantId: referenceIdSchema,
  orderId: referenceIdSchema,
  customerRef: z.string().min(1).max(128).describe('Pseudonymous customer reference (encrypted in history)'),
  type: z.enum(AFTER_SALE_TYPES),
  reason: z.enum(AFTER_SALE_REASONS),
  items: z.array(orderItemSchema).min(1).max(200),
  order: z.object({
    paidTotal: moneySchema.describe('What the buyer paid; every other amount of the request must be in its currency (else 400)'),
    shippingFee: moneySchema.describe(`Freight paid, ${SAME_CURRENCY_RULE}`),
    shippedAt: callerTimeSchema('When the parcel left the merchant. A refund_only request on an order with neither shippedAt nor deliveredAt is a refund before shipment: the original shippingFee is refunded whatever the reason; send shippedAt for a shipped order, else its freight counts as refundable').optional(),
    deliveredAt: callerTimeSchema('When the buyer signed for the parcel; the no-reason return window counts from the day after').optional(),
  }).strict(),
  requestedAt: callerTimeSchema('When the buyer asked; defaults to now; windows (no-reason return) are judged at this instant').optional(),
  requestedRefund: moneySchema.extend({ amount: z.number().int().min(1).describe('Integer minor units, at least 1') }).strict().optional()
    .describe(`What the buyer asks back: at least 1, ${SAME_CURRENCY_RULE}, at most the refundable amount (the items, plus shipping when it is refunded, never above order.paidTotal), else 422 not-eligible rule refund-above-cap. Default: the refundable amount`),
  description: z.string().max(4000).optional(),
  evidence: evidence.optional(),
  policyId: z.string().min(1).max(63).optional().describe('Policy to pin (latest version); cn-marketplace by default'),
  noReasonReturnConfirmedExclusions: z.boolean().optional(),
  relatedCaseId: relatedCaseIdSchema.optional(),
  actorRef: actorRefSchema.optional(),
}).strict();
export type CreateAfterSaleBody = z.infer<typeof createAfterSaleBody>;

const base = { actorRef: actorRefSchema.optional(), note: note.optional() };
const approver = { ...base, actorRef: actorRefSchema.describe('Required: the person approving') };
const shipment = { trackingNumber: z.string().min(1).max(64), carrier: z.string().min(1).max(64).optional(), shippedAt: callerTimeSchema('When the parcel was handed to the carrier; defaults to now').optional() };

/** One strict body per action; a missing body is `{}`. */
export const AFTER_SALE_ACTION_BODIES = {
  approve: z.object(approver).strict(),
  reject: z.object({ ...base, reason }).strict(),
  'confirm-receipt': z.object({ ...base, inspection: z.enum(INSPECTION_RESULTS), receivedAt: callerTimeSchema('When the returned parcel arrived; defaults to now').optional() }).strict(),
  'ship-replacement': z.object({ ...base, ...shipment, trackingNumber: shipment.trackingNumber.optional() }).strict(),
  'complete-repair': z.object(base).strict(),
  'execute-ruling': z.object(approver).strict(),
  'ship-return': z.object({ ...base, ...shipment }).strict(),
  withdraw: z.object({ ...base, reason: reason.optional() }).strict(),
  escalate: z.object({ ...base, reason: reason.optional(), evidence: evidence.optional() }).strict(),
  'submit-evidence': z.object({ ...base, evidence: evidence.min(1) }).strict(),
  appeal: z.object({ ...base, reason: reason.optional(), evidence: evidence.optional() }).strict(),
  'add-note': z.object({ ...base, note }).strict(),
  'request-evidence': z.object({ ...base, from: z.enum(['buyer', 'merchant']) }).strict(),
  rule: z.object({
    ...approver,
    decision: z.enum(RULING_DECISIONS),
    amount: moneySchema.extend({ amount: z.number().int().min(1).describe('Integer minor units, at least 1') }).strict().optional()
      .describe('Required when decision is refund_partial (else 400): in the case currency (else 400), at most what is left to refund (else 422 not-eligible rule refund-above-cap)'),
  }).strict()
    .refine((b) => b.decision !== 'refund_partial' || b.amount !== undefined, { message: 'a refund_partial ruling needs amount', path: ['amount'] }),
  'approve-refund': z.object(approver).strict(),
  'retry-refund': z.object(base).strict(),
  suspend: z.object({ ...approver, reason: z.enum(SUSPENSION_REASONS).describe('negotiation (30 days), legal_proof (7 working days), police (6 months): resumes by itself at the limit') }).strict(),
  resume: z.object(approver).strict(),
  'extend-deadline': z.object({
    ...approver,
    deadline: z.string().min(1).max(40).describe('Name of an active deadline'),
    by: durationSchema,
    reason: reason.describe('Why: recorded in the timeline (audit)'),
  }).strict(),
} satisfies Record<AfterSaleAction, z.ZodType>;

const actorRole = z.enum([...ROLES, 'system']);

export const afterSaleViewSchema = z.object({
  id: z.string(),
  kind: z.literal('after_sale'),
  merchantId: z.string(),
  orderId: z.string(),
  customerRef: z.string(),
  type: z.enum(AFTER_SALE_TYPES),
  reason: z.enum(AFTER_SALE_REASONS),
  status: z.enum(AFTER_SALE_STATUSES),
  outcome: z.enum(AFTER_SALE_OUTCOMES).nullable(),
  policy: z.object({ id: z.string(), version: z.number().int() }),
  owner: z.object({ role: actorRole, tier: z.enum(TIERS), assignee: z.string().optional() }).nullable(),
  escalationLevel: z.number().int(),
  allowedActions: z.array(z.enum(AFTER_SALE_ACTIONS)).describe("What the caller's role may do now"),
  deadlines: z.array(z.object({
    name: z.string(), dueAt: z.string(), actor: actorRole, onTimeout: z.enum(ON_TIMEOUT), state: z.enum(DEADLINE_STATES), warnedAt: z.string().optional(),
    pausedAt: z.string().optional().describe('Set while a suspension stops this clock'),
    stoppedMs: z.number().int().optional().describe('Time this deadline stood still across suspensions'),
    warnings: deadlineWarningsSchema,
  })),
  timeline: z.array(z.object({
    at: z.string(), type: z.string(), actor: actorRole, actorRef: z.string().optional(), data: z.record(z.string(), z.unknown()).optional(),
  })),
  links: z.array(z.object({ id: z.string(), kind: z.enum(CASE_KINDS), relation: z.string() })),
  items: z.array(orderItemSchema),
  refundCap: moneySchema,
  requestedRefund: moneySchema,
  refunds: z.array(z.object({
    amount: moneySchema, status: z.enum(['pending', 'awaiting_approval', 'succeeded', 'failed']), idempotencyKey: z.string(), executedAt: z.string().optional(),
  })),
  suspension: z.object({ reason: z.string(), since: z.string(), resumesAt: z.string() }).nullable(),
  satisfaction: satisfactionSchema.optional(),
  description: z.string().optional(),
  evidence: z.array(z.string()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  timeZone: z.string().describe('IANA zone of the case calendar; every time above carries its offset'),
});
