/**
 * Request and response schemas of `/v1/order-issues` (docs/http-contract.md "Kinds and actions") and of the
 * logistics callback: the create body, one strict body per action, and the view as rendered at the edge.
 */
import { z } from 'zod';
import {
  CARRIER_RESULTS, ORDER_ISSUE_ACTIONS, ORDER_ISSUE_OUTCOMES, ORDER_ISSUE_STATUSES, ORDER_ISSUE_TYPES, PARCEL_EVENTS, REMEDIES, type OrderIssueAction,
} from '../../workflows/domain/order-issue/types';
import { caseViewParts } from './case-view';
import { orderBasisSchema } from './complaint';
import { SAME_CURRENCY_RULE, actorRefSchema, callerTimeSchema, moneySchema, referenceIdSchema, relatedCaseIdSchema, satisfactionSchema } from './shared';

const trackingNumber = z.string().min(4).max(40).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and -');
const line = z.string().min(1).max(200);

export const shippingAddressSchema = z.object({
  recipient: line, phone: z.string().min(5).max(32).regex(/^[0-9+() -]+$/, 'digits, spaces and + ( ) -'), line1: line, line2: line.optional(),
  city: line, region: line.optional(), postalCode: z.string().min(1).max(16).optional(), country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2'),
}).strict().describe('Personal data: encrypted in history, never in ids, search attributes or logs');

export const createOrderIssueBody = z.object({
  merchantId: referenceIdSchema,
  orderId: referenceIdSchema,
  customerRef: z.string().min(1).max(128).describe('Pseudonymous customer reference (encrypted in history)'),
  type: z.enum(ORDER_ISSUE_TYPES),
  trackingNumber: trackingNumber.optional().describe('Required for parcel_missing and delivery_delay'),
  carrier: z.string().min(1).max(64).optional(),
  order: orderBasisSchema.optional().describe('The goods and amounts a refund compensation needs; required unless type is address_change'),
  newAddress: shippingAddressSchema.optional().describe('address_change: the address the customer wants'),
  chargedAmount: moneySchema.optional().describe(`payment_exception: what was charged twice or in error; ${SAME_CURRENCY_RULE}, at most order.paidTotal (else 422 not-eligible rule refund-above-paid)`),
  description: z.string().min(1).max(4000).optional(),
  relatedCaseId: relatedCaseIdSchema.optional(),
  reportedAt: callerTimeSchema('When the customer reported it; defaults to now').optional(),
  policyId: z.string().min(1).max(63).optional(),
  actorRef: actorRefSchema.optional(),
}).strict();

const base = { actorRef: actorRefSchema.optional() };
const reason = z.string().min(1).max(500);

export const ORDER_ISSUE_ACTION_BODIES = {
  'update-tracking': z.object({ ...base, trackingNumber, carrier: z.string().min(1).max(64).optional() }).strict(),
  'contact-carrier': z.object({ ...base, result: z.enum(CARRIER_RESULTS).describe("The carrier's answer (or a damage claim's settlement)") }).strict(),
  'confirm-address': z.object({
    ...base, address: shippingAddressSchema.optional().describe('address_change: the confirmed address; a lost parcel: a corrected address means reship'),
    remedy: z.enum(['refund', 'reship']).optional().describe('A lost parcel: refund (default) or reship'),
  }).strict(),
  'choose-remedy': z.object({ ...base, remedy: z.enum(REMEDIES), substituteSku: referenceIdSchema.optional() }).strict(),
  compensate: z.object({ ...base, remedy: z.enum(['refund', 'reship']), amount: moneySchema.optional().describe('Refund amount; default what was paid') }).strict(),
  resolve: z.object({ ...base, resolution: reason }).strict(),
  'add-note': z.object({ ...base, note: z.string().min(1).max(2000) }).strict(),
  escalate: z.object({ ...base, reason: reason.optional() }).strict(),
} satisfies Record<OrderIssueAction, z.ZodType>;

export const orderIssueViewSchema = z.object({
  id: z.string(),
  kind: z.literal('order_issue'),
  merchantId: z.string(),
  orderId: z.string(),
  customerRef: z.string(),
  type: z.enum(ORDER_ISSUE_TYPES),
  trackingNumber: z.string().optional(),
  parcel: z.object({ status: z.string(), at: z.string() }).optional().describe('What tracking or the last logistics event said'),
  newAddress: shippingAddressSchema.optional(),
  description: z.string().optional(),
  relatedCaseId: z.string().optional(),
  status: z.enum(ORDER_ISSUE_STATUSES),
  outcome: z.enum(ORDER_ISSUE_OUTCOMES).nullable(),
  refusal: z.string().optional().describe('Why the case could not do what was asked, e.g. already_shipped'),
  offered: z.object({ remedies: z.array(z.enum(REMEDIES)), byDefault: z.enum(REMEDIES) }).optional().describe('Remedies the customer may choose now; silence takes byDefault'),
  chosen: z.enum(REMEDIES).optional(),
  compensations: z.array(z.object({
    number: z.number().int(), remedy: z.enum(['refund', 'reship']), amount: moneySchema.optional(), caseId: z.string().optional(), done: z.boolean(),
  })),
  carrierInquiries: z.array(z.object({ kind: z.string(), reference: z.string().optional(), result: z.string().optional() })),
  allowedActions: z.array(z.enum(ORDER_ISSUE_ACTIONS)).describe("What the caller's role may do now"),
  reportedAt: z.string(),
  satisfaction: satisfactionSchema.optional(),
  ...caseViewParts,
});

export const logisticsCallbackBody = z.object({
  caseId: z.string().min(1).max(80),
  trackingNumber,
  event: z.enum(PARCEL_EVENTS),
  at: callerTimeSchema('When the carrier recorded the event'),
}).strict();
