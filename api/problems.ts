/**
 * problem+json (RFC 9457) for every error the API answers, and the one mapping from domain, Temporal and
 * Fastify errors to HTTP. Type URIs are stable: `/problems/<slug>`, one slug per kind of problem:
 *
 *   unauthorized (401)            no, malformed or unknown API key
 *   invalid-request (400)         body, params or headers invalid (unknown fields too), rule `InvalidInput`
 *   forbidden (403)               role may not do this, merchant outside scope on create, four-eyes
 *   not-found (404)               unknown route, case or policy; a case outside the key's scope (no hint)
 *   conflict (409)                the resource refuses the change (a preset policy is read-only)
 *   action-not-allowed (409)      action not allowed in the case's state: caseStatus, action, allowedActions
 *   survey-closed (409)           a survey callback after the survey expired
 *   payload-too-large (413)       body above the 1 MiB limit
 *   unsupported-media-type (415)  a body that is not JSON
 *   idempotency-key-reused (422)  same Idempotency-Key, different body
 *   not-eligible (422)            a business rule refuses the request, naming the `rule`
 *   rate-limited (429)            API rate limit or Temporal's per-case update limits, with retry-after
 *   temporal-unavailable (503)    Temporal or a worker did not answer in time, with retry-after
 *   projection-unavailable (503)  the case projection's database did not answer, with retry-after
 *   identity-provider-unavailable (503)  the OpenID provider's signing keys could not be fetched (codec sign-in)
 *   internal (500)                a bug; never for client input, never with internals
 */
import { ApplicationFailure, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { RULE_FAILURES } from '../workflows/domain/failures';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEM_TITLES = {
  unauthorized: 'Unauthorized',
  'invalid-request': 'Invalid request',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'action-not-allowed': 'Action not allowed in the current state',
  'survey-closed': 'Survey closed',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'idempotency-key-reused': 'Idempotency-Key reused with a different request',
  'not-eligible': 'Not eligible',
  'rate-limited': 'Too many requests',
  'temporal-unavailable': 'Temporal unavailable',
  'projection-unavailable': 'Case projection unavailable',
  'identity-provider-unavailable': 'Identity provider unavailable',
  internal: 'Internal error',
} as const;
export type ProblemSlug = keyof typeof PROBLEM_TITLES;

/** Seconds a caller should wait after a 503 before retrying with the same Idempotency-Key. */
export const RETRY_AFTER_UNAVAILABLE_S = 5;
/** Seconds to wait after Temporal refused an update for too many in flight on one case. */
export const RETRY_AFTER_BUSY_CASE_S = 1;

/** The projection's database did not answer (lists and reports have nothing to fall back on). */
export function projectionUnavailable(): Problem {
  return new Problem(503, 'projection-unavailable', 'The case projection did not answer; retry shortly', {}, { 'retry-after': String(RETRY_AFTER_UNAVAILABLE_S) });
}

/** An answer that is an error: thrown anywhere, rendered by the app's error handler. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

export const problemSchema = z.looseObject({
  type: z.string().describe('Stable URI /problems/<slug>'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
}).describe('application/problem+json');

export function problemBody(p: Problem): Record<string, unknown> {
  const core = { type: `/problems/${p.slug}`, title: PROBLEM_TITLES[p.slug], status: p.status, detail: p.detail };
  const extensions = Object.fromEntries(Object.entries(p.extensions).filter(([name]) => !(name in core)));
  return { ...core, ...extensions };
}

/** Writes a problem; the body is serialized here so no response schema can reshape it. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  for (const [name, value] of Object.entries(p.headers)) reply.header(name, value);
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(p)));
}

const GRPC = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, CANCELLED: 1 } as const;

export function temporalUnavailable(detail = 'Temporal or a worker did not answer in time; retrying with the same Idempotency-Key is safe'): Problem {
  return new Problem(503, 'temporal-unavailable', detail, {}, { 'retry-after': String(RETRY_AFTER_UNAVAILABLE_S) });
}

/** The grpc status code inside a Temporal client error, if any. */
function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  if (err instanceof ServiceError || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return grpcCode(err.cause);
  return undefined;
}

/** A rule failure thrown by a workflow validator (type = RULE_FAILURES value, details[0] = extensions). */
export function problemFromRuleFailure(type: string | undefined | null, detail: string, extensions: Record<string, unknown>): Problem | null {
  switch (type) {
    case RULE_FAILURES.actionNotAllowed: return new Problem(409, 'action-not-allowed', detail, extensions);
    case RULE_FAILURES.forbidden: return new Problem(403, 'forbidden', detail, extensions);
    case RULE_FAILURES.notEligible: return new Problem(422, 'not-eligible', detail, extensions);
    case RULE_FAILURES.invalidInput: return new Problem(400, 'invalid-request', detail, extensions);
    case RULE_FAILURES.surveyClosed: return new Problem(409, 'survey-closed', detail, extensions);
    default: return null;
  }
}

function fromApplicationFailure(failure: ApplicationFailure): Problem | null {
  const first = failure.details?.[0];
  const extensions = first && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
  return problemFromRuleFailure(failure.type, failure.message, extensions);
}

function fromFastifyError(err: { statusCode?: number; code?: string; message: string }): Problem | null {
  const status = err.statusCode;
  if (!status || status < 400 || status >= 500) return null;
  switch (status) {
    case 401: return new Problem(401, 'unauthorized', err.message);
    case 404: return new Problem(404, 'not-found', err.message);
    case 413: return new Problem(413, 'payload-too-large', 'The request body is larger than the 1 MiB limit');
    case 415: return new Problem(415, 'unsupported-media-type', 'Send the body as application/json');
    case 429: return new Problem(429, 'rate-limited', err.message);
    // Malformed JSON, empty JSON body, bad headers and everything else a client got wrong.
    default: return new Problem(400, 'invalid-request', err.message);
  }
}

/** The one mapping of anything thrown while answering to the problem the caller sees. */
export function problemFromError(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => ({ in: err.validationContext, path: v.instancePath || '/', message: v.message }));
    return new Problem(400, 'invalid-request', `Invalid ${err.validationContext ?? 'request'}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  }
  if (isResponseSerializationError(err)) return new Problem(500, 'internal', 'The server could not render its answer');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return fromApplicationFailure(err.cause) ?? new Problem(500, 'internal', 'The case refused the request for an unexpected reason');
  }
  if (err instanceof WorkflowNotFoundError) return new Problem(404, 'not-found', 'No such resource');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return temporalUnavailable();
  const code = grpcCode(err);
  if (code === GRPC.DEADLINE_EXCEEDED || code === GRPC.UNAVAILABLE || code === GRPC.CANCELLED) return temporalUnavailable();
  // A query to a workflow whose task queue no worker polls ("no poller seen for task queue recently"): the
  // server's state, not the caller's request; the same call succeeds once a worker is back.
  if (code === GRPC.FAILED_PRECONDITION) return temporalUnavailable('No worker answered for this resource; retrying with the same Idempotency-Key is safe');
  if (code === GRPC.RESOURCE_EXHAUSTED) {
    return new Problem(429, 'rate-limited', 'Temporal refused the request: too many updates in flight for this case', { limit: 'temporal' }, { 'retry-after': String(RETRY_AFTER_BUSY_CASE_S) });
  }
  if (err && typeof err === 'object' && 'statusCode' in err) {
    const mapped = fromFastifyError(err as { statusCode?: number; code?: string; message: string });
    if (mapped) return mapped;
  }
  return new Problem(500, 'internal', 'An unexpected error occurred; it has been logged');
}
