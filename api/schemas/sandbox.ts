/**
 * Schemas of the sandbox controls (embedded default only, tag `sandbox`): payment faults and the
 * ledger, the notification outbox, carrier tracking and carrier inquiries, order-system answers.
 */
import { z } from 'zod';
import { PARCEL_EVENTS } from '../../workflows/domain/order-issue/types';
import { isoInstantSchema, moneySchema, referenceIdSchema } from './shared';

export const SANDBOX_FAULTS = ['refuse', 'timeout_after_commit', 'http_500', 'http_429'] as const;
const faultSchema = z.enum(SANDBOX_FAULTS)
  .describe('refuse: declined for good (the case goes to refund_failed); timeout_after_commit: the money moves but the answer is lost; http_500 / http_429: the gateway is unavailable (retried)');

export const faultBodySchema = z.object({
  fault: faultSchema,
  times: z.number().int().min(1).max(100).default(1).describe('How many calls fail this way (default 1)'),
  caseId: z.string().min(1).max(128).optional().describe('Only refunds of this case; otherwise the next calls of any case'),
}).strict();

export const pendingFaultsSchema = z.object({
  next: z.array(faultSchema).describe('Faults for the next calls of any case, in order'),
  byCase: z.record(z.string(), z.array(faultSchema)).describe('Faults per case id, in order'),
});

export const caseFilterQuery = z.object({
  caseId: z.string().min(1).max(128).optional().describe('Only this case'),
}).strict();

export const ledgerSchema = z.object({
  entries: z.array(z.object({
    idempotencyKey: z.string(), caseId: z.string(), merchantId: z.string(), orderId: z.string(),
    amount: moneySchema, gatewayRef: z.string(), executedAt: isoInstantSchema,
  })).describe('Refunds the sandbox gateway committed: one per idempotency key'),
  calls: z.array(z.object({
    idempotencyKey: z.string(),
    answer: z.enum([...SANDBOX_FAULTS, 'committed', 'replayed']),
  })).describe('Every call in order with what the sandbox answered: shows retries and replays'),
  pendingFaults: pendingFaultsSchema,
});

export const notificationQuery = z.object({
  caseId: z.string().min(1).max(128).optional().describe('Only this case'),
  type: z.string().min(1).max(64).optional().describe('Only this type, e.g. sla.warning'),
}).strict();

export const outboxSchema = z.object({
  notifications: z.array(z.object({
    id: z.string(), type: z.string(), caseId: z.string(), merchantId: z.string(),
    to: z.record(z.string(), z.unknown()).describe('A staff owner (role, tier, assignee?) or a customer reference'),
    data: z.record(z.string(), z.unknown()),
  })).describe('What the sandbox notifier was asked to send, once per notification id'),
});

export const trackingParams = z.object({ trackingNumber: referenceIdSchema }).strict();

export const parcelBodySchema = z.object({
  status: z.enum([...PARCEL_EVENTS, 'no_trace']).describe('What tracking answers for this parcel from now on'),
  lastEventAt: isoInstantSchema.optional().describe('The carrier\'s last scan (default now)'),
}).strict();

export const parcelSchema = z.object({
  trackingNumber: z.string(), status: z.string(), lastEventAt: isoInstantSchema.optional(),
});

export const carrierInquiriesSchema = z.object({
  inquiries: z.array(z.object({
    id: z.string(), caseId: z.string(), merchantId: z.string(), kind: z.enum(['trace', 'expedite', 'claim']),
    trackingNumber: z.string().optional(), reference: z.string(),
  })).describe('Carrier inquiries and claims the cases opened'),
});

export const orderParams = z.object({ orderId: referenceIdSchema }).strict();

export const orderBodySchema = z.object({
  shipped: z.boolean().optional().describe('Whether the order system says the order has shipped'),
  paymentStatus: z.enum(['paid', 'unpaid', 'pending', 'duplicate_charge']).optional().describe('What the order system says of the payment'),
}).strict();

export const orderSchema = z.object({
  orderId: z.string(), shipped: z.boolean(), paymentStatus: z.enum(['paid', 'unpaid', 'pending', 'duplicate_charge']),
});

export const addressChangesSchema = z.object({
  changes: z.array(z.object({ id: z.string(), merchantId: z.string(), orderId: z.string() }))
    .describe('Address changes the order system applied (the addresses themselves are not shown)'),
});
