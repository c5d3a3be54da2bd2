/**
 * `POST /v1/callbacks/satisfaction` (role channel): a survey system relays a customer's score. 202 when
 * taken or already taken (the callback's requestId, else a hash of its body, deduplicates); 409
 * `survey-closed` once the survey expired or was answered, or when no survey is open for the case.
 * Checks: 401 → 400 → 404 (unknown case or merchant outside scope) → 403 (role) → 409.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inMerchantScope, type CaseKind } from '../../workflows/domain/case';
import { kindOfCaseId } from '../../workflows/domain/case-ids';
import { surveyIdOf } from '../../workflows/domain/survey/machine';
import { surveyAnswered, surveyStatus } from '../../workflows/survey';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { fingerprint } from '../idempotency';
import { Problem } from '../problems';
import { satisfactionAcceptedSchema, satisfactionCallbackBody } from '../schemas/complaint';
import { problemResponses } from '../schemas/shared';
import { callerInstant } from '../caller-times';

/** Every kind may be surveyed at close (inquiries and order issues when their policy asks). */
const SURVEYED_KINDS: readonly CaseKind[] = ['after_sale', 'complaint', 'inquiry', 'order_issue'];

function surveyClosed(caseId: string, detail = 'The satisfaction survey of this case is closed: it expired or was answered'): Problem {
  return new Problem(409, 'survey-closed', detail, { caseId });
}

export const satisfactionCallbackRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post('/v1/callbacks/satisfaction', {
    schema: {
      tags: ['callbacks'],
      summary: 'A satisfaction score from the survey system (channel)',
      description: 'No Idempotency-Key needed: requestId (or the body) identifies the callback. A score at or below the policy threshold starts service recovery.',
      body: satisfactionCallbackBody,
      response: { 202: satisfactionAcceptedSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body;
    const now = ctx.now();
    const respondedAt = body.respondedAt !== undefined ? callerInstant(body.respondedAt, 'respondedAt', now) : now;
    const notFound = new Problem(404, 'not-found', `No case ${body.caseId}`);
    const kind = kindOfCaseId(body.caseId);
    if (!kind || !SURVEYED_KINDS.includes(kind)) throw notFound;
    let merchantId: unknown;
    try {
      merchantId = (await ctx.temporal(() => ctx.client.workflow.getHandle(body.caseId).describe())).memo?.merchantId;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound;
      throw err;
    }
    if (typeof merchantId !== 'string' || !inMerchantScope(key.merchants, merchantId)) throw notFound;
    requireRole(key, ['channel'], 'relay satisfaction callbacks');

    const surveyId = surveyIdOf(body.caseId);
    const requestId = body.requestId ?? `body:${fingerprint(body)}`;
    const handle = ctx.client.workflow.getHandle(surveyId);
    try {
      const status = await ctx.temporal(() => handle.query(surveyStatus, requestId));
      if (status.duplicate) return reply.code(202).send({ caseId: body.caseId, surveyId, duplicate: true });
      if (!status.open) throw surveyClosed(body.caseId);
      await ctx.temporal(() => handle.signal(surveyAnswered, {
        score: body.score, ...(body.comment ? { comment: body.comment } : {}), respondedAt, requestId,
      }));
    } catch (err) {
      // No survey yet (the case is still open) or one that finished: either way it takes no answer now.
      if (err instanceof WorkflowNotFoundError) throw surveyClosed(body.caseId, 'No satisfaction survey of this case is open');
      throw err;
    }
    return reply.code(202).send({ caseId: body.caseId, surveyId, duplicate: false });
  });
};
