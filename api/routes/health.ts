/**
 * Liveness and readiness, without authentication. `/healthz`: the process answers. `/readyz`: the API
 * can serve, i.e. Temporal answers and so does the case projection's database (503 with retry-after
 * otherwise). Whether workers poll the task queue is reported beside it and never makes the API unready:
 * reads and creates need no worker, and a deploy that restarts every worker must not take the API out of
 * its load balancer. A worker counts as present when it polled within WORKER_SEEN_WITHIN_S: above the
 * 60 s long poll, well below the five minutes the server keeps listing a poller that has stopped.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context';
import { Problem, RETRY_AFTER_UNAVAILABLE_S, problemFromError, projectionUnavailable } from '../problems';
import { problemResponses } from '../schemas/shared';

/** Temporal API enum values (temporal.api.enums.v1), spelled out: @temporalio/proto is not a direct dependency. */
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;
/** A poller seen this recently is a live worker (a long poll lasts up to 60 s). */
export const WORKER_SEEN_WITHIN_S = 75;

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const publicRoute = { public: true, rateLimit: false } as const;

  app.get('/healthz', {
    config: publicRoute,
    schema: { tags: ['operations'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: publicRoute,
    schema: {
      tags: ['operations'],
      summary: 'The API can serve: Temporal reachable (workers polling the task queue are reported, not required)',
      response: {
        200: z.object({
          status: z.literal('ready'), taskQueue: z.string(),
          pollers: z.number().int().describe(`Workers that polled the case task queue within ${WORKER_SEEN_WITHIN_S} s`),
          workers: z.enum(['polling', 'none']),
          lastPollAt: z.string().nullable().describe('When a worker last polled, as the server saw it'),
          projection: z.enum(['postgres', 'embedded', 'none']).describe('The case projection reads come from (none: from the workflows)'),
        }),
        ...problemResponses(503),
      },
    },
  }, async () => {
    let pollers: number;
    let lastPollAt: number | null;
    if (ctx.projection) {
      try {
        await ctx.projection.ping();
      } catch {
        throw projectionUnavailable();
      }
    }
    try {
      const described = await ctx.temporal(() => ctx.client.workflowService.describeTaskQueue({
        namespace: ctx.namespace,
        taskQueue: { name: ctx.taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
        taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
      }));
      const seen = (described.pollers ?? []).map((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime?.nanos ?? 0) / 1e6));
      lastPollAt = seen.length ? Math.max(...seen) : null;
      pollers = seen.filter((at) => at >= Date.now() - WORKER_SEEN_WITHIN_S * 1000).length;
    } catch (err) {
      const problem = problemFromError(err);
      throw problem.status === 503 ? problem : new Problem(503, 'temporal-unavailable', 'Temporal did not answer', {}, { 'retry-after': String(RETRY_AFTER_UNAVAILABLE_S) });
    }
    return {
      status: 'ready' as const, taskQueue: ctx.taskQueue, pollers, workers: pollers > 0 ? 'polling' as const : 'none' as const,
      lastPollAt: lastPollAt === null ? null : new Date(lastPollAt).toISOString(), projection: ctx.projection?.engine ?? 'none' as const,
    };
  });
};
