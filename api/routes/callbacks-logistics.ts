/**
 * `POST /v1/callbacks/logistics` (role channel): a carrier event for an order issue's parcel. The case id's
 * prefix routes it (only `oi_` cases take parcel events); the event's identity (case, tracking number, event,
 * time) deduplicates it in the case's own record. 202 when taken or already
 * taken; 409 once the case is closed. Checks: 401 → 400 → 404 (unknown case or merchant outside scope) → 403.
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inMerchantScope } from '../../workflows/domain/case';
import { kindOfCaseId } from '../../workflows/domain/case-ids';
import { logisticsEvent } from '../../workflows/order-issue';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { Problem } from '../problems';
import { logisticsCallbackBody } from '../schemas/order-issue';
import { problemResponses } from '../schemas/shared';
import { callerInstant } from '../caller-times';

const acceptedSchema = z.object({ caseId: z.string(), eventId: z.string(), duplicate: z.boolean() });

export const logisticsCallbackRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post('/v1/callbacks/logistics', {
    schema: {
      tags: ['callbacks'],
      summary: 'A carrier event for an order issue (channel)',
      description: 'No Idempotency-Key needed: the event itself (caseId, trackingNumber, event, at) identifies the callback; a repeat is 202 with '
        + 'duplicate: true and changes nothing. delivered ends a missing or late parcel case; lost moves it to compensation. A closed case: 409.',
      body: logisticsCallbackBody,
      response: { 202: acceptedSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body;
    const at = callerInstant(body.at, 'at', ctx.now());
    const notFound = new Problem(404, 'not-found', `No order issue ${body.caseId}`);
    if (kindOfCaseId(body.caseId) !== 'order_issue') throw notFound;
    const handle = ctx.client.workflow.getHandle(body.caseId);
    let merchantId: unknown;
    try {
      merchantId = (await ctx.temporal(() => handle.describe())).memo?.merchantId;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound;
      throw err;
    }
    if (typeof merchantId !== 'string' || !inMerchantScope(key.merchants, merchantId)) throw notFound;
    requireRole(key, ['channel'], 'relay logistics callbacks');

    const eventId = `logistics:${createHash('sha256').update(`${body.caseId}\n${body.trackingNumber}\n${body.event}\n${at}`).digest('hex').slice(0, 32)}`;
    try {
      const result = await ctx.temporal(() => handle.executeUpdate(logisticsEvent, {
        // The case deduplicates by the event's identity, so a repeat answers `applied: false` (a shared Update id
        // would instead return the first call's answer and hide that it was a repeat).
        args: [{ id: eventId, trackingNumber: body.trackingNumber, event: body.event, at }],
      }));
      return reply.code(202).send({ caseId: body.caseId, eventId, duplicate: !result.applied });
    } catch (err) {
      // The case workflow has finished: a repeat of an event it took is still a harmless duplicate; anything else is late.
      if (err instanceof WorkflowNotFoundError) {
        const final = await ctx.temporal(() => handle.result() as Promise<{ timeline?: Array<{ type: string; at: number; data?: Record<string, unknown> }> }>).catch(() => null);
        const taken = final?.timeline?.some((e) => e.type === `logistics.${body.event}` && e.data?.trackingNumber === body.trackingNumber && e.data?.at === at);
        if (taken) return reply.code(202).send({ caseId: body.caseId, eventId, duplicate: true });
        throw new Problem(409, 'action-not-allowed', 'The order issue is closed: logistics events no longer apply', { caseStatus: 'closed', action: 'logistics-event', allowedActions: [] });
      }
      throw err;
    }
  });
};
