/**
 * What route plugins need from the app: the Temporal client and task queue, the clock, and `temporal()`,
 * which bounds every Temporal call by a deadline so a missing worker becomes a 503, never a hung request,
 * and times it for the metrics.
 */
import type { Client } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import type { ApiKey } from './auth';
import type { ApiMetrics } from './metrics';
import { Problem } from './problems';
import type { CaseProjection } from '../activities/projection';
import { RecentWrites } from './case-reads';

export interface ApiContext {
  client: Client;
  taskQueue: string;
  namespace: string;
  now(): number;
  temporal<T>(call: () => Promise<T>): Promise<T>;
  /** The read projection (cases, lists, reports without a worker); absent: reads go to the workflows. */
  projection?: CaseProjection;
  /** Revisions this API answered per (key, case), for read-your-writes. */
  writes: RecentWrites;
}

export function createApiContext(deps: { client: Client; taskQueue: string; namespace: string; now?: () => number; temporalCallTimeoutMs?: number; metrics?: Pick<ApiMetrics, 'timeTemporalCall'>; projection?: CaseProjection }): ApiContext {
  const timeoutMs = deps.temporalCallTimeoutMs ?? 10_000;
  const now = deps.now ?? Date.now;
  return {
    client: deps.client,
    taskQueue: deps.taskQueue,
    namespace: deps.namespace,
    now,
    ...(deps.projection ? { projection: deps.projection } : {}),
    writes: new RecentWrites(),
    // Timed when metrics are given: cs_cases_api_temporal_call_duration_seconds.
    temporal: (call) => {
      const bounded = () => deps.client.connection.withDeadline(Date.now() + timeoutMs, call);
      return deps.metrics ? deps.metrics.timeTemporalCall(bounded) : bounded();
    },
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated key; null only on public routes (health, docs). */
    apiKey: ApiKey | null;
  }
}

export function callerKey(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw new Problem(401, 'unauthorized', 'A valid API key is required: Authorization: Bearer <key>');
  return request.apiKey;
}
