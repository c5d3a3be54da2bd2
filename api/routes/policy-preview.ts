/**
 * `POST /v1/policies/{id}/preview` (any role, no Idempotency-Key: it changes nothing): the deadlines a case
 * would get under a policy (latest, or `?version=`), computed by the workflows' own business clock.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AFTER_SALE_TYPES } from '../../workflows/domain/after-sale/types';
import { CASE_KINDS } from '../../workflows/domain/case';
import { PREVIEW_EVENTS, previewAfterSale } from '../../workflows/domain/policy/preview';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { callerKey, type ApiContext } from '../context';
import { registryPolicySource } from '../policy-store';
import { Problem } from '../problems';
import { renderTimes } from '../render';
import { isoInstantSchema, problemResponses } from '../schemas/shared';
import { durationSchema, policyIdParams } from '../schemas/policy';
import { callerInstant } from './after-sales';

const previewBody = z.object({
  kind: z.enum(CASE_KINDS),
  type: z.enum(AFTER_SALE_TYPES).optional().describe('After-sale type (default return_and_refund)'),
  events: z.object(Object.fromEntries(PREVIEW_EVENTS.map((e) => [e, isoInstantSchema.optional()]))).strict().default({}),
}).strict();

const previewAnswer = z.object({
  policy: z.object({ id: z.string(), version: z.number().int() }),
  kind: z.enum(CASE_KINDS),
  type: z.string().optional(),
  timeZone: z.string(),
  deadlines: z.array(z.object({
    name: z.string(), startsFrom: z.string(), startsAt: z.string(), dueAt: z.string(), warnAt: z.string().optional(),
    actor: z.string(), onTimeout: z.string(), duration: durationSchema,
  })),
  noReasonWindowEndsAt: z.string().optional(),
});

export const policyPreviewRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post('/v1/policies/:id/preview', {
    schema: {
      tags: ['policies'], summary: 'The deadlines a case would get under this policy (any role)',
      params: policyIdParams, querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(), body: previewBody,
      response: { 200: previewAnswer, ...problemResponses(400, 401, 404, 422, 429, 503) },
    },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    const { kind, events } = request.body;
    const policy = await resolvePolicy(id, request.query.version, registryPolicySource(ctx));
    if (!policy) throw new Problem(404, 'not-found', `No policy ${id}${request.query.version ? ` version ${request.query.version}` : ''}`);
    if (kind !== 'after_sale') {
      throw new Problem(422, 'not-eligible', `Policy ${id} has no deadlines for ${kind} cases yet`, { rule: 'kind-not-previewable', kind });
    }
    const now = ctx.now();
    const times = Object.fromEntries(Object.entries(events).flatMap(([name, iso]) => (iso ? [[name, callerInstant(iso as string, `events.${name}`, now + 365 * 86_400_000)]] : [])));
    const type = request.body.type ?? 'return_and_refund';
    const preview = previewAfterSale(policy, type, times, now);
    const timeZone = timeZoneOf(policy);
    return renderTimes({ policy: { id: policy.id, version: policy.version }, kind, type, timeZone, ...preview }, timeZone) as z.infer<typeof previewAnswer>;
  });
};
