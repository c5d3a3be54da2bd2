/**
 * What route plugins need from the app: the Temporal client and task queue, the clock, and `temporal()`,
 * which bounds every Temporal call by a deadline so a missing worker becomes a 503, never a hung request.
 */
import type { Client } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import type { ApiKey } from './auth';
import { Problem } from './problems';

export interface ApiContext {
  client: Client;
  taskQueue: string;
  namespace: string;
  now(): number;
  temporal<T>(call: () => Promise<T>): Promise<T>;
}

export function createApiContext(deps: { client: Client; taskQueue: string; namespace: string; now?: () => number; temporalCallTimeoutMs?: number }): ApiContext {
  const timeoutMs = deps.temporalCallTimeoutMs ?? 10_000;
  const now = deps.now ?? Date.now;
  return {
    client: deps.client,
    taskQueue: deps.taskQueue,
    namespace: deps.namespace,
    now,
    temporal: (call) => deps.client.connection.withDeadline(Date.now() + timeoutMs, call),
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
