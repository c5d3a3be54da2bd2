/**
 * `/v1/webhooks/parked` (admin): webhook deliveries whose attempts ran out, listed from Temporal
 * visibility (search attribute `DeliveryState = 'parked'`, details in the memo: no worker needed), and
 * their re-delivery: an Update to the delivery workflow, which then sends the parked event and everything
 * queued behind it in order. Re-delivery is idempotent by `Idempotency-Key` like every POST.
 */
import { ApplicationFailure, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { LoadedDataConverter } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DELIVERY_ID_PATTERN, DELIVERY_WORKFLOW_TYPE, deliveryIdPrefix } from '../../activities/delivery';
import { DeliveryState, MerchantId } from '../../workflows/search-attributes';
import { DELIVERY_NOT_PARKED, redeliverParked, type DeliveryMemo, type RedeliverResult } from '../../workflows/webhook-delivery';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { Problem } from '../problems';
import { pageTokens } from '../page-tokens';
import { isoInZone } from '../render';
import { problemResponses } from '../schemas/shared';
import {
  deliveryIdParams, parkedListQuery, parkedListSchema, redeliverAnswerSchema, redeliverBodySchema, type ParkedDeliveryView,
} from '../schemas/webhooks';

const ZONE = 'Asia/Shanghai';
const RUNNING = 1;

function dataConverterOf(client: Client): LoadedDataConverter {
  return (client as unknown as { options: { loadedDataConverter: LoadedDataConverter } }).options.loadedDataConverter;
}

const notFound = (deliveryId: string) => new Problem(404, 'not-found', `No webhook delivery ${deliveryId}`);

export const webhookRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const tokens = pageTokens('cs-cases parked webhook page tokens');

  app.get('/v1/webhooks/parked', {
    schema: {
      tags: ['webhooks'], summary: 'Parked webhook deliveries (admin): per subscription and case, the events whose attempts ran out',
      description: 'Read from Temporal visibility: answers without a running worker. Filter by the case\'s merchant and the subscription id.',
      querystring: parkedListQuery, response: { 200: parkedListSchema, ...problemResponses(400, 401, 403, 429, 503) },
    },
  }, async (request) => {
    const key = callerKey(request);
    requireRole(key, ['admin'], 'list parked webhook deliveries');
    const q = request.query;
    if (q.merchantId && key.merchants !== '*' && !key.merchants.includes(q.merchantId)) {
      throw new Problem(403, 'forbidden', `Key ${key.id} may not read merchant ${q.merchantId}`);
    }
    // Values reach the query only after the schemas: no quotes, no operators.
    const clauses = [`WorkflowType = '${DELIVERY_WORKFLOW_TYPE}'`, `${DeliveryState.name} = 'parked'`, `ExecutionStatus = 'Running'`];
    if (q.merchantId) clauses.push(`${MerchantId.name} = '${q.merchantId}'`);
    else if (key.merchants !== '*') clauses.push(`${MerchantId.name} IN (${key.merchants.map((m) => `'${m}'`).join(', ')})`);
    if (q.subscriptionId) clauses.push(`WorkflowId STARTS_WITH '${deliveryIdPrefix(q.subscriptionId)}'`);
    const nextPageToken = tokens.open(q.pageToken);
    const page = await ctx.temporal(() => ctx.client.workflowService.listWorkflowExecutions({
      namespace: ctx.namespace, query: clauses.join(' AND '), pageSize: q.pageSize, ...(nextPageToken ? { nextPageToken } : {}),
    }));
    const converter = dataConverterOf(ctx.client);
    const deliveries: ParkedDeliveryView[] = [];
    for (const execution of page.executions ?? []) {
      const memo = (await decodeMapFromPayloads(converter, execution.memo?.fields ?? {})) as Partial<DeliveryMemo> | undefined;
      const merchantPayload = execution.searchAttributes?.indexedFields?.[MerchantId.name];
      const merchantId = merchantPayload?.data ? (JSON.parse(Buffer.from(merchantPayload.data).toString('utf8')) as string) : '';
      // Visibility may show `parked` a moment before the memo does: such a row comes on the next read.
      if (!memo?.parked || !memo.sinkId || !memo.caseId) continue;
      deliveries.push({
        deliveryId: execution.execution?.workflowId ?? '', subscriptionId: memo.sinkId, caseId: memo.caseId, merchantId,
        parkedAt: isoInZone(memo.parked.since, ZONE), eventId: memo.parked.eventId, attempts: memo.parked.attempts, error: memo.parked.error,
        queued: memo.queued ?? 0, pendingEventIds: memo.pendingEventIds ?? [],
      });
    }
    const token = tokens.seal(page.nextPageToken);
    return { deliveries, nextPageToken: token };
  });

  app.post('/v1/webhooks/parked/:deliveryId/redeliver', {
    schema: {
      tags: ['webhooks'], summary: 'Re-deliver a parked delivery (admin): the parked event, then every event queued behind it, in order',
      description: 'Fix the endpoint first. The same Idempotency-Key answers the first result; a delivery that is not parked → 409.',
      params: deliveryIdParams, headers: idempotencyHeaders, body: redeliverBodySchema.optional(),
      response: { 200: redeliverAnswerSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 429, 503) },
    },
    // No fields needed: `curl -X POST …/redeliver` without a body means `{}`.
    preValidation: async (request) => {
      if (request.body === undefined || request.body === null) request.body = {};
    },
  }, async (request) => {
    const key = callerKey(request);
    requireRole(key, ['admin'], 're-deliver webhook events');
    const { deliveryId } = request.params;
    if (!DELIVERY_ID_PATTERN.test(deliveryId)) throw notFound(deliveryId);
    const handle = ctx.client.workflow.getHandle(deliveryId);
    const described = await ctx.temporal(() => handle.describe()).catch((err: unknown) => {
      throw err instanceof WorkflowNotFoundError ? notFound(deliveryId) : err;
    });
    const merchantId = described.typedSearchAttributes.get(MerchantId);
    if (described.type !== DELIVERY_WORKFLOW_TYPE || (key.merchants !== '*' && !key.merchants.includes(merchantId ?? ''))) throw notFound(deliveryId);
    const requestFingerprint = fingerprint(request.body ?? {});
    const updateId = updateIdFor(key.id, `POST /v1/webhooks/parked/${deliveryId}/redeliver`, request.headers['idempotency-key']);
    try {
      const result = Number(described.raw.workflowExecutionInfo?.status) === RUNNING
        ? await ctx.temporal(() => handle.executeUpdate(redeliverParked, { args: [{ by: key.id, fingerprint: requestFingerprint }], updateId }))
        // Finished since: a retry of a re-delivery that went through still answers its result.
        : await ctx.temporal(() => handle.getUpdateHandle<RedeliverResult>(updateId).result()).catch(() => { throw notParked(); });
      if (result.fingerprint !== requestFingerprint) throw keyReused('re-delivery');
      return { deliveryId, state: 'delivering' as const, queued: result.queued, eventIds: result.eventIds, resumedAt: isoInZone(result.resumedAt, ZONE) };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === DELIVERY_NOT_PARKED) throw notParked();
      if (err instanceof WorkflowNotFoundError) throw notParked();
      throw err;
    }
  });
};

function notParked(): Problem {
  return new Problem(409, 'conflict', 'This delivery is not parked: its events are being delivered, or it has finished', { deliveryState: 'not_parked' });
}
