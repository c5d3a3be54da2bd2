/**
 * The routes every case kind shares: read a case, act on it, start it idempotently. Checks run in the order of
 * docs/http-contract.md "Errors": 401 (app hook) → 400 (schemas) → 404 (unknown case, or a merchant outside the
 * key's scope, without a hint) → 403 (role) → idempotent replay or 422 `idempotency-key-reused` → 409 (state,
 * from the workflow's validator). Each action is its own route with its own strict body.
 */
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type QueryDefinition, type SearchAttributePair, type UpdateDefinition } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { inMerchantScope, type Actor, type CaseKind, type Role } from '../../workflows/domain/case';
import { kindOfCaseId } from '../../workflows/domain/case-ids';
import { actorOf, type ApiKey } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { Problem } from '../problems';
import { satisfactionOf } from '../satisfaction';
import { readProjectedCase } from '../case-reads';
import { caseIdParams, problemResponses } from '../schemas/shared';

/** A case view always names its merchant and the zone its times render in. */
export interface CaseViewBase {
  merchantId: string;
  timeZone: string;
}

export interface CaseActionRequest<A extends string, I> {
  action: A;
  actor: Actor;
  input: I;
  fingerprint: string;
}

export interface CaseKindRoutes<A extends string, I, V extends CaseViewBase> {
  kind: CaseKind;
  /** e.g. `/v1/after-sales` */
  collection: string;
  /** e.g. `after-sale`, used in messages and tags */
  label: string;
  actions: readonly A[];
  actionRoles: Record<A, readonly Role[]>;
  actionBodies: Record<A, z.ZodType>;
  viewSchema: z.ZodType;
  act: UpdateDefinition<{ view: V; fingerprint: string; revision?: number }, [CaseActionRequest<A, I>]>;
  viewQuery: QueryDefinition<V, [Actor]>;
  /** Body fields → the workflow's action input (caller times become epoch ms, refused when in the future). */
  toInput(body: Record<string, unknown>, now: number): I;
  render(view: V): unknown;
}

/**
 * `consistency=strong` asks the workflow itself (a worker must run: 503 otherwise); `minRevision` waits briefly
 * for the projection to hold that revision (the `case-revision` header of an action's answer).
 */
const caseReadQuery = z.object({
  consistency: z.enum(['eventual', 'strong']).optional(),
  minRevision: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
}).strict();

export function caseNotFound(label: string, id: string): Problem {
  return new Problem(404, 'not-found', `No ${label} case ${id}`);
}

/** The case's merchant from its memo, or a 404 when the case is unknown or outside the key's scope. */
async function scopedHandle(ctx: ApiContext, key: ApiKey, kind: CaseKind, label: string, id: string): Promise<WorkflowHandle> {
  if (kindOfCaseId(id) !== kind) throw caseNotFound(label, id);
  const handle = ctx.client.workflow.getHandle(id);
  let merchantId: unknown;
  try {
    merchantId = (await ctx.temporal(() => handle.describe())).memo?.merchantId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw caseNotFound(label, id);
    throw err;
  }
  if (typeof merchantId !== 'string' || !inMerchantScope(key.merchants, merchantId)) throw caseNotFound(label, id);
  return handle;
}

export function registerCaseRoutes<A extends string, I, V extends CaseViewBase>(app: FastifyInstance, ctx: ApiContext, spec: CaseKindRoutes<A, I, V>): void {
  const tag = `${spec.label}s`;

  app.get(`${spec.collection}/:id`, {
    schema: {
      tags: [tag], summary: `A ${spec.label} case as the caller sees it`, params: caseIdParams, querystring: caseReadQuery,
      response: { 200: spec.viewSchema, ...problemResponses(400, 401, 404, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const { id } = request.params as { id: string };
    const { consistency, minRevision } = request.query as z.infer<typeof caseReadQuery>;
    if (kindOfCaseId(id) !== spec.kind) throw caseNotFound(spec.label, id);
    // From the projection (no worker, no replay), never older than what this key's own last action answered.
    if (ctx.projection && consistency !== 'strong') {
      const wanted = Math.max(minRevision ?? -1, ctx.writes.revisionFor(key.id, id) ?? -1);
      const projected = await readProjectedCase(ctx.projection, id, wanted);
      if (projected) {
        if (!inMerchantScope(key.merchants, projected.merchantId)) throw caseNotFound(spec.label, id);
        const view = { ...(projected.view as V), allowedActions: projected.allowedActions[key.role] ?? [] };
        const rendered = spec.render(view) as Record<string, unknown>;
        void reply.header('case-revision', String(projected.revision));
        const satisfaction = rendered.status === 'closed' ? projected.satisfaction : null;
        return satisfaction ? { ...rendered, satisfaction } : rendered;
      }
    }
    let view: V;
    try {
      view = await ctx.temporal(() => ctx.client.workflow.getHandle(id).query(spec.viewQuery, actorOf(key)));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw caseNotFound(spec.label, id);
      throw err;
    }
    if (!inMerchantScope(key.merchants, view.merchantId)) throw caseNotFound(spec.label, id);
    const rendered = spec.render(view) as Record<string, unknown>;
    // A closed case shows how its satisfaction survey stands (CSAT), read from the survey itself.
    if (rendered.status !== 'closed') return rendered;
    const satisfaction = await satisfactionOf(ctx, id);
    return satisfaction ? { ...rendered, satisfaction } : rendered;
  });

  for (const action of spec.actions) {
    app.post(`${spec.collection}/:id/actions/${action}`, {
      schema: {
        tags: [tag],
        summary: `${action} (${spec.actionRoles[action].join(', ')})`,
        params: caseIdParams,
        headers: idempotencyHeaders,
        body: (spec.actionBodies[action] as z.ZodType<object>).optional(),
        response: { 200: spec.viewSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 422, 429, 503) },
      },
      // An action without fields may be sent without a body (`curl -X POST …/actions/acknowledge`): it means `{}`.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    }, async (request, reply) => {
      const key = callerKey(request);
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown> & { actorRef?: string };
      const { actorRef, ...fields } = body;
      const input = spec.toInput(fields, ctx.now());
      const handle = await scopedHandle(ctx, key, spec.kind, spec.label, id);
      if (!(spec.actionRoles[action] as readonly string[]).includes(key.role)) {
        throw new Problem(403, 'forbidden', `Role ${key.role} may not ${action} ${spec.label} cases`, { role: key.role, allowedRoles: spec.actionRoles[action] });
      }
      const requestFingerprint = fingerprint(request.body ?? {});
      const updateId = updateIdFor(key.id, `POST ${spec.collection}/${id}/actions/${action}`, (request.headers as Record<string, string>)['idempotency-key']);
      try {
        const result = await ctx.temporal(() => handle.executeUpdate(spec.act, {
          args: [{ action, actor: actorOf(key, actorRef), input, fingerprint: requestFingerprint }],
          updateId,
        }));
        if (result.fingerprint !== requestFingerprint) throw keyReused('action request');
        // A later GET by this key never shows an older revision than this answer (read-your-writes).
        ctx.writes.note(key.id, id, result.revision);
        if (result.revision !== undefined) void reply.header('case-revision', String(result.revision));
        return spec.render(result.view);
      } catch (err) {
        // The case workflow has finished (past its post-close windows): nothing may be done any more.
        if (err instanceof WorkflowNotFoundError) {
          throw new Problem(409, 'action-not-allowed', `${action} is not allowed: the case is closed`, { caseStatus: 'closed', action, allowedActions: [] });
        }
        throw err;
      }
    });
  }
}

export interface StartCaseOptions<V extends CaseViewBase> {
  ctx: ApiContext;
  key: ApiKey;
  workflowType: string;
  caseId: string;
  args: unknown[];
  merchantId: string;
  requestFingerprint: string;
  searchAttributes: SearchAttributePair[];
  viewQuery: QueryDefinition<V, [Actor]>;
  /** One line for the Temporal UI's case list; never personal data. */
  staticSummary?: string;
  /**
   * The view a new case starts with, computed by the same pure code the workflow runs on the same input,
   * so a 201 needs no round trip through a worker. Without it the new case is queried.
   */
  initialView?: () => V;
}

export interface CreateReplayProbe<V extends CaseViewBase> {
  ctx: ApiContext;
  key: ApiKey;
  caseId: string;
  requestFingerprint: string;
  viewQuery: QueryDefinition<V, [Actor]>;
}

/**
 * A create retry is a replay first. `checks` are what a create judges before its start (policy selection,
 * eligibility, related cases): they may refuse a retry that passed them the first time (a window has
 * closed since, the selection rules changed). When they refuse with a 422, a case already started under
 * this key answers instead: the same body → `{ replayed: view }` (200), another body → 422
 * `idempotency-key-reused`; no such case → the refusal stands. A first create that passes its checks
 * makes no extra Temporal call: its start alone tells whether it is new.
 */
export async function unlessReplayed<T, V extends CaseViewBase>(probe: CreateReplayProbe<V>, checks: () => Promise<T>): Promise<{ checked: T } | { replayed: V }> {
  try {
    return { checked: await checks() };
  } catch (err) {
    // Only business refusals (422): a 400 for the body itself comes before any replay (docs/http-contract.md "Errors").
    if (!(err instanceof Problem) || err.status !== 422) throw err;
    let memo: Record<string, unknown> | undefined;
    try {
      memo = (await probe.ctx.temporal(() => probe.ctx.client.workflow.getHandle(probe.caseId).describe())).memo;
    } catch (notThere) {
      if (notThere instanceof WorkflowNotFoundError) throw err;
      throw notThere;
    }
    if (memo?.requestFingerprint !== probe.requestFingerprint) throw keyReused('create request');
    return { replayed: await probe.ctx.temporal(() => probe.ctx.client.workflow.getHandle(probe.caseId).query(probe.viewQuery, actorOf(probe.key))) };
  }
}

/**
 * Starts a case under its hashed id: `created` the first time (201 with Location); the same body again →
 * the case as it is now (200); another body under the same key → 422 `idempotency-key-reused`.
 */
export async function startCase<V extends CaseViewBase>(o: StartCaseOptions<V>): Promise<{ created: boolean; view: V }> {
  const queryView = () => o.ctx.temporal(() => o.ctx.client.workflow.getHandle(o.caseId).query(o.viewQuery, actorOf(o.key)));
  try {
    await o.ctx.temporal(() => o.ctx.client.workflow.start(o.workflowType, {
      workflowId: o.caseId,
      taskQueue: o.ctx.taskQueue,
      args: o.args,
      memo: { requestFingerprint: o.requestFingerprint, merchantId: o.merchantId },
      typedSearchAttributes: o.searchAttributes,
      ...(o.staticSummary ? { staticSummary: o.staticSummary } : {}),
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const existing = await o.ctx.temporal(() => o.ctx.client.workflow.getHandle(o.caseId).describe());
    if (existing.memo?.requestFingerprint !== o.requestFingerprint) throw keyReused('create request');
    return { created: false, view: await queryView() };
  }
  return { created: true, view: o.initialView ? o.initialView() : await queryView() };
}
