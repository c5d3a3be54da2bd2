/**
 * The routes every case kind shares: read a case, act on it (creating one: ./case-create). Checks run in the order of
 * docs/http-contract.md "Errors": 401 (app hook) → 400 (schemas) → 404 (unknown case, or a merchant outside the
 * key's scope, without a hint) → 403 (role) → idempotent replay or 422 `idempotency-key-reused` → 409 (state,
 * from the workflow's validator). Each action is its own route with its own strict body.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
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
import type { CaseSnapshotHandOff } from '../../workflows/case-runtime';
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
  act: UpdateDefinition<{ view: V; fingerprint: string; revision?: number; snapshot?: CaseSnapshotHandOff }, [CaseActionRequest<A, I>]>;
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
      const exists = () => ctx.temporal(() => ctx.client.workflow.getHandle(id).describe()).then(() => true, () => false);
      const projected = await readProjectedCase(ctx.projection, id, wanted, exists);
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
        // A later GET by this key never shows an older revision than this answer (read-your-writes); with the
        // case's snapshot the row is written before the answer, so no caller's next read is older either.
        ctx.writes.note(key.id, id, result.revision);
        if (result.snapshot && ctx.projection) {
          await ctx.projection.record({ caseId: id, kind: spec.kind, merchantId: result.view.merchantId, timeZone: result.view.timeZone, snapshot: result.snapshot })
            .catch(() => undefined); // the case's own hand-off writes it too
        }
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
