/**
 * `POST /v1/policies/{id}/preview` (any role, no Idempotency-Key: it changes nothing): the deadlines a case
 * would get under a policy (latest, or `?version=`), computed by the workflows' own business clock.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AFTER_SALE_TYPES } from '../../workflows/domain/after-sale/types';
import { CASE_KINDS, ON_TIMEOUT } from '../../workflows/domain/case';
import { PREVIEW_EVENTS, previewAfterSale, type DeadlinePreview, type PreviewEvents } from '../../workflows/domain/policy/preview';
import { previewComplaint, previewSection } from '../../workflows/domain/policy/preview-sections';
import { PRIORITIES } from '../../workflows/domain/policy/sections/complaint';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import type { Policy } from '../../workflows/domain/policy/types';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { deadlineWarnings } from '../../workflows/domain/calendar-years';
import { withPublishedYears } from '../calendar-store';
import { deadlineWarningsSchema } from '../schemas/case-view';
import { callerKey, type ApiContext } from '../context';
import { registryPolicySource } from '../policy-store';
import { Problem } from '../problems';
import { renderTimes } from '../render';
import { durationSchema, policyIdParams } from '../schemas/policy';
import { isoInstantSchema, problemResponses } from '../schemas/shared';

const previewBody = z.object({
  kind: z.enum(CASE_KINDS),
  type: z.enum(AFTER_SALE_TYPES).optional().describe('After-sale type (default return_and_refund); after_sale only'),
  priority: z.enum(PRIORITIES).optional().describe('Complaint priority whose targets apply (default P3); complaint only'),
  events: z.object(Object.fromEntries(PREVIEW_EVENTS.map((e) => [e, isoInstantSchema.optional()]))).strict().default({})
    .describe('When each event happened or would happen; requestedAt defaults to now, approvedAt to requestedAt'),
}).strict();

const waitingDeadline = z.object({
  name: z.string(),
  startsFrom: z.enum(PREVIEW_EVENTS).describe('The event this deadline counts from'),
  actor: z.string().optional().describe('Who must act; absent for kinds no workflow runs yet'),
  onTimeout: z.enum(ON_TIMEOUT).optional().describe('What silence past the deadline does'),
  duration: durationSchema,
});

const previewAnswer = z.object({
  policy: z.object({ id: z.string(), version: z.number().int() }),
  kind: z.enum(CASE_KINDS),
  type: z.string().optional(),
  priority: z.enum(PRIORITIES).optional(),
  timeZone: z.string().describe("The policy calendar's zone; every instant below carries its offset"),
  deadlines: z.array(waitingDeadline.extend({
    startsAt: z.string(),
    assumedStart: z.literal(true).optional().describe('The start is a stand-in, not an event the request gave'),
    dueAt: z.string(),
    warnAt: z.string().optional(),
    warnings: deadlineWarningsSchema,
  })),
  waitingFor: z.array(waitingDeadline).describe('Deadlines that start with an event the request did not give'),
  noReasonWindowEndsAt: z.string().optional().describe('End of the no-reason return window (returns, with deliveredAt)'),
});
type PreviewBody = z.infer<typeof previewBody>;

function previewFor(policy: Policy, body: PreviewBody, events: PreviewEvents, now: number): DeadlinePreview & { type?: string; priority?: string } {
  if (body.type !== undefined && body.kind !== 'after_sale') throw new Problem(400, 'invalid-request', 'type applies to after_sale previews only');
  if (body.priority !== undefined && body.kind !== 'complaint') throw new Problem(400, 'invalid-request', 'priority applies to complaint previews only');
  switch (body.kind) {
    case 'after_sale': {
      const type = body.type ?? 'return_and_refund';
      return { type, ...previewAfterSale(policy, type, events, now) };
    }
    case 'complaint': {
      const priority = body.priority ?? 'P3';
      return { priority, ...previewComplaint(policy, priority, events, now) };
    }
    default: {
      const section = body.kind === 'inquiry' ? 'inquiry' : 'orderIssue';
      return previewSection(policy, section, events, now);
    }
  }
}

export const policyPreviewRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post('/v1/policies/:id/preview', {
    schema: {
      tags: ['policies'], summary: 'The deadlines a case would get under this policy (any role)',
      description: 'Computed by the business clock the workflows use. A section the policy lacks uses the product defaults the workflows use.',
      params: policyIdParams, querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(), body: previewBody,
      response: { 200: previewAnswer, ...problemResponses(400, 401, 404, 422, 429, 503) },
    },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    const { version } = request.query;
    const resolved = await resolvePolicy(id, version, registryPolicySource(ctx));
    // Counted as a case under it would count: with every statutory year published since it was pinned.
    const policy = resolved && await withPublishedYears(ctx, resolved);
    if (!policy) throw new Problem(404, 'not-found', `No policy ${id}${version ? ` version ${version}` : ''}`);
    // A preview is hypothetical: past and future instants are both fine.
    const events = Object.fromEntries(Object.entries(request.body.events).flatMap(([name, iso]) => (iso ? [[name, Date.parse(iso as string)]] : []))) as PreviewEvents;
    const timeZone = timeZoneOf(policy);
    const preview = previewFor(policy, request.body, events, ctx.now());
    preview.deadlines = preview.deadlines.map((d) => {
      const warnings = deadlineWarnings(policy, {
        name: d.name, startedAt: d.startsAt, dueAt: d.dueAt, state: 'active', unit: d.duration.unit, ...(d.duration.calendar ? { calendar: d.duration.calendar } : {}),
      });
      return warnings.length > 0 ? { ...d, warnings } : d;
    });
    return renderTimes({ policy: { id: policy.id, version: policy.version }, kind: request.body.kind, timeZone, ...preview }, timeZone) as z.infer<typeof previewAnswer>;
  });
};
