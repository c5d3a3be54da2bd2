/**
 * Schemas of `/v1/webhooks/parked`: the parked webhook deliveries admins list (one per subscription and
 * case whose attempts ran out) and the re-delivery they ask for. Ids carry no personal data.
 */
import { z } from 'zod';
import { actorRefSchema, isoInstantSchema, referenceIdSchema } from './shared';

export const subscriptionIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a subscription id: 1-64 letters, digits, . _ -')
  .describe('The subscription\'s `id` in WEBHOOKS, or its default `sub_<hash of merchantId and url>`');

export const deliveryIdSchema = z.string().regex(/^wh_[0-9a-f]{16}_[A-Za-z0-9_:.-]{1,100}$/, 'a delivery id: wh_<16 hex>_<case id>')
  .describe('`wh_<hash of the subscription id>_<case id>`: one delivery per subscription and case');

export const parkedListQuery = z.object({
  merchantId: referenceIdSchema.optional(),
  subscriptionId: subscriptionIdSchema.optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  pageToken: z.string().max(4096).regex(/^[A-Za-z0-9_.-]*$/, 'an opaque token from a previous page').optional(),
}).strict();

export const parkedDeliverySchema = z.object({
  deliveryId: deliveryIdSchema,
  subscriptionId: z.string(),
  caseId: z.string(),
  merchantId: z.string(),
  parkedAt: isoInstantSchema.describe('When the attempts on the head event ran out'),
  eventId: z.string().describe('The event that could not be delivered; the others wait behind it'),
  attempts: z.number().int(),
  error: z.string().describe('The last failure (status or network error), without URLs or secrets'),
  queued: z.number().int().describe('Events waiting, the parked one included'),
  pendingEventIds: z.array(z.string()).describe('The waiting event ids in delivery order (first 50)'),
});
export const parkedListSchema = z.object({ deliveries: z.array(parkedDeliverySchema), nextPageToken: z.string().nullable() });

export const deliveryIdParams = z.object({ deliveryId: z.string().min(1).max(140) }).strict();
export const redeliverBodySchema = z.object({ actorRef: actorRefSchema.optional() }).strict();

export const redeliverAnswerSchema = z.object({
  deliveryId: z.string(),
  state: z.literal('delivering'),
  queued: z.number().int().describe('Events delivered in order from now on, the parked one first'),
  eventIds: z.array(z.string()),
  resumedAt: isoInstantSchema,
});

export type ParkedDeliveryView = z.infer<typeof parkedDeliverySchema>;
