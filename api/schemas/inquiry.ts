/**
 * Request and response schemas of `/v1/inquiries` (docs/http-contract.md "Kinds and actions"): the create body,
 * one strict body per action (fields of InquiryActionInput plus `actorRef`), and the view as rendered at the
 * edge.
 */
import { z } from 'zod';
import {
  INQUIRY_ACTIONS, INQUIRY_CHANNELS, INQUIRY_OUTCOMES, INQUIRY_STATUSES, type InquiryAction,
} from '../../workflows/domain/inquiry/types';
import { caseViewParts } from './case-view';
import { actorRefSchema, callerTimeSchema, referenceIdSchema, relatedCaseIdSchema, satisfactionSchema } from './shared';

const slug = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, 'a lowercase slug, e.g. sizing, availability, shipping_time');
const text = z.string().min(1).max(4000);
const reason = z.string().min(1).max(500);

export const createInquiryBody = z.object({
  merchantId: referenceIdSchema,
  customerRef: z.string().min(1).max(128).describe('Pseudonymous customer reference (encrypted in history)'),
  channel: z.enum(INQUIRY_CHANNELS),
  topic: slug.describe('What the question is about, in back-office words; never personal data'),
  question: text.optional().describe("The customer's question (encrypted in history)"),
  productSkus: z.array(referenceIdSchema).max(50).optional(),
  relatedCaseId: relatedCaseIdSchema.optional(),
  receivedAt: callerTimeSchema('When the customer asked; defaults to now; the first response counts from here').optional(),
  policyId: z.string().min(1).max(63).optional(),
  actorRef: actorRefSchema.optional(),
}).strict();

const base = { actorRef: actorRefSchema.optional() };

export const INQUIRY_ACTION_BODIES = {
  reply: z.object({ ...base, message: text.optional().describe('The answer sent (encrypted in history)') }).strict(),
  'customer-message': z.object({ ...base, message: text.optional().describe("The customer's message (encrypted in history)") }).strict(),
  convert: z.object({ ...base, orderId: referenceIdSchema.describe('The order the customer placed') }).strict(),
  close: z.object({ ...base, reason: reason.optional() }).strict(),
  'add-note': z.object({ ...base, note: text }).strict(),
  assign: z.object({ ...base, assignee: z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/).describe('Pseudonymous staff id') }).strict(),
  escalate: z.object({ ...base, reason: reason.optional() }).strict(),
} satisfies Record<InquiryAction, z.ZodType>;

export const inquiryViewSchema = z.object({
  id: z.string(),
  kind: z.literal('inquiry'),
  merchantId: z.string(),
  customerRef: z.string(),
  channel: z.enum(INQUIRY_CHANNELS),
  topic: z.string(),
  question: z.string().optional(),
  productSkus: z.array(z.string()).optional(),
  orderId: z.string().optional().describe('Set when the inquiry converted to an order'),
  relatedCaseId: z.string().optional(),
  status: z.enum(INQUIRY_STATUSES).describe('awaiting_reply: the customer waits for us; awaiting_customer: we answered, follow-ups run'),
  outcome: z.enum(INQUIRY_OUTCOMES).nullable().describe('converted, not_converted (closed by staff), no_response (quiet after every follow-up)'),
  allowedActions: z.array(z.enum(INQUIRY_ACTIONS)).describe("What the caller's role may do now"),
  replies: z.number().int(),
  customerMessages: z.number().int(),
  followUpsSent: z.number().int(),
  receivedAt: z.string(),
  firstRespondedAt: z.string().optional(),
  satisfaction: satisfactionSchema.optional(),
  ...caseViewParts,
});
