/**
 * One create path for every case kind (`registerCaseKind`), then the kind's read and action routes. A create
 * checks in the order of docs/http-contract.md "Errors": 400 (schemas, caller times, the kind's rules that
 * need no policy) → 403 (role, merchant scope) → idempotent replay or 422 (policy, the kind's eligibility
 * under it, the related case) → start. A kind's HTTP file gives its body schema and `toRequest`; its rules
 * come from the domain (workflows/domain/<kind>/eligibility.ts), its workflow from its definition
 * (workflows/case-kind.ts).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowNotFoundError, type QueryDefinition, type SearchAttributePair } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { CaseKindDefinition, CaseKindRequest, CaseKindState } from '../../workflows/case-kind';
import { inMerchantScope, type Actor, type Role } from '../../workflows/domain/case';
import type { RuleFailure } from '../../workflows/domain/failures';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import type { Policy } from '../../workflows/domain/policy/types';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { actorOf, requireRole, type ApiKey } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { caseIdFor, fingerprint, idempotencyHeaders, keyReused } from '../idempotency';
import { choosePolicyFor, registryPolicySource } from '../policy-store';
import { Problem, problemFromRuleFailure } from '../problems';
import { checkRelatedCase } from '../related-case';
import { renderCaseView, renderTimes } from '../render';
import { problemResponses } from '../schemas/shared';
import { readProjectedCase } from '../case-reads';
import { caseSnapshot } from '../../workflows/case-snapshot';
import { registerCaseRoutes, type CaseActionRequest, type CaseKindRoutes, type CaseViewBase } from './case-routes';

/** The view a caller sees of a case, read back by the create path (a replayed create, a repeated one). */
export async function readCaseView<V extends CaseViewBase>(ctx: ApiContext, key: ApiKey, caseId: string, viewQuery: QueryDefinition<V, [Actor]>): Promise<V> {
  // From the projection when it holds the case (no worker needed), else the workflow's view Query.
  const projected = ctx.projection ? await readProjectedCase(ctx.projection, caseId, -1) : null;
  if (projected) return { ...(projected.view as V), allowedActions: projected.allowedActions[key.role] ?? [] };
  return ctx.temporal(() => ctx.client.workflow.getHandle(caseId).query(viewQuery, actorOf(key)));
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
    return { replayed: await readCaseView(probe.ctx, probe.key, probe.caseId, probe.viewQuery) };
  }
}

/**
 * Starts a case under its hashed id: `created` the first time (201 with Location); the same body again →
 * the case as it is now (200); another body under the same key → 422 `idempotency-key-reused`.
 */
export async function startCase<V extends CaseViewBase>(o: StartCaseOptions<V>): Promise<{ created: boolean; view: V }> {
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
    return { created: false, view: await readCaseView(o.ctx, o.key, o.caseId, o.viewQuery) };
  }
  return { created: true, view: o.initialView ? o.initialView() : await readCaseView(o.ctx, o.key, o.caseId, o.viewQuery) };
}

/** The fields every create body has; the rest is the kind's. */
export interface CreateBodyBase {
  merchantId: string;
  customerRef: string;
  policyId?: string;
  relatedCaseId?: string;
  actorRef?: string;
}

/** What the create path adds to a kind's fields to make the workflow's request. */
type SharedRequestFields = 'caseId' | 'merchantId' | 'customerRef' | 'relatedCaseId' | 'openedAt' | 'policy' | 'createdBy' | 'requestFingerprint';
export type KindFields<R> = Omit<R, SharedRequestFields>;

export interface CaseKindHttp<
  B extends CreateBodyBase, R extends CaseKindRequest, S extends CaseKindState, A extends string, I, V extends CaseViewBase,
> extends Omit<CaseKindRoutes<A, I, V>, 'kind' | 'act' | 'viewQuery' | 'render'> {
  definition: CaseKindDefinition<R, S, CaseActionRequest<A, I>, V>;
  /** The workflow's type name (its function's name). */
  workflowType: string;
  create: {
    summary: string;
    description: string;
    body: z.ZodType<B>;
    roles: readonly Role[];
    /** What the roles may do, in a 403's words: `open complaints`. */
    may: string;
  };
  /** The body's kind fields as the workflow takes them (caller times become epoch ms: 400 in the future). */
  toRequest(body: B, now: number): KindFields<R>;
  /** Rules that need no policy (400, before roles are judged). */
  check?(fields: KindFields<R>): RuleFailure | null;
  /** Rules under the chosen policy (422 `not-eligible` naming the rule). */
  assess?(request: KindFields<R> & { policy: Policy }): RuleFailure | null;
  /** The Temporal UI's line for the case, before its policy; never personal data. */
  summary(request: R, opened: S): string;
}

/** A refusal by a domain rule as the edge answers it; instants in it render like those of views. */
function refusal(failure: RuleFailure, timeZone?: string): Problem {
  const extensions = (timeZone ? renderTimes(failure.extensions ?? {}, timeZone) : failure.extensions ?? {}) as Record<string, unknown>;
  return problemFromRuleFailure(failure.type, failure.detail, extensions)!;
}

/** A 400 of the edge reads as a sentence. */
const sentence = (failure: RuleFailure): RuleFailure => ({ ...failure, detail: failure.detail.charAt(0).toUpperCase() + failure.detail.slice(1) });

/** What the selection rules match besides merchant and kind: the request's type and customer tier, where it has them. */
function selectionFacts(fields: object): { type?: string; customerTier?: string } {
  const { type, customerTier } = fields as { type?: unknown; customerTier?: unknown };
  return { ...(typeof type === 'string' ? { type } : {}), ...(typeof customerTier === 'string' ? { customerTier } : {}) };
}

/** The create route of a kind, then its read and action routes (./case-routes). */
export function registerCaseKind<B extends CreateBodyBase, R extends CaseKindRequest, S extends CaseKindState, A extends string, I, V extends CaseViewBase>(
  app: FastifyInstance, ctx: ApiContext, spec: CaseKindHttp<B, R, S, A, I, V>,
): void {
  const { definition, collection } = spec;
  const createRoute = `POST ${collection}`;
  const policies = registryPolicySource(ctx);

  app.post(collection, {
    schema: {
      tags: [collection.slice(collection.lastIndexOf('/') + 1)],
      summary: spec.create.summary,
      description: spec.create.description,
      headers: idempotencyHeaders,
      body: spec.create.body,
      response: { 200: spec.viewSchema, 201: spec.viewSchema, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body as B;
    const now = ctx.now();
    const requestFingerprint = fingerprint(body);
    const fields = spec.toRequest(body, now);
    const invalid = spec.check?.(fields);
    if (invalid) throw refusal(sentence(invalid));

    requireRole(key, spec.create.roles, spec.create.may);
    if (!inMerchantScope(key.merchants, body.merchantId)) throw new Problem(403, 'forbidden', `Key ${key.id} may not act for merchant ${body.merchantId}`);

    const caseId = caseIdFor(definition.kind, key.id, createRoute, (request.headers as Record<string, string>)['idempotency-key']);
    // A retry is a replay first: a window, policy or related case that changed since refuses no retry.
    const checked = await unlessReplayed({ ctx, key, caseId, requestFingerprint, viewQuery: definition.view }, async () => {
      // No policyId: the selection rules pick one (first match wins), else the default preset.
      const policyId = body.policyId ?? (await choosePolicyFor(ctx, { merchantId: body.merchantId, kind: definition.kind, ...selectionFacts(fields) })).policyId;
      const policy = await resolvePolicy(policyId, undefined, policies);
      if (!policy) throw new Problem(422, 'not-eligible', `No policy ${policyId}`, { rule: 'unknown-policy', policyId });
      const refused = spec.assess?.({ ...fields, policy });
      if (refused) throw refusal(refused, timeZoneOf(policy));
      await checkRelatedCase(ctx, body.merchantId, body.relatedCaseId);
      return policy;
    });
    if ('replayed' in checked) return renderCaseView(checked.replayed);
    const policy = checked.checked;

    const actor = actorOf(key, body.actorRef);
    const caseRequest = {
      caseId, merchantId: body.merchantId, customerRef: body.customerRef, ...fields,
      ...(body.relatedCaseId !== undefined ? { relatedCaseId: body.relatedCaseId } : {}),
      openedAt: now, policy, createdBy: actor, requestFingerprint,
    } as unknown as R;
    // The case as it opens, by the same pure code the workflow runs: the 201 view and the first search
    // attributes need no round trip through a worker.
    const opened = definition.open(caseRequest, now);
    const started = await startCase({
      ctx, key, workflowType: spec.workflowType, caseId, args: [caseRequest], merchantId: body.merchantId, requestFingerprint,
      searchAttributes: definition.startAttributes(caseRequest, opened), viewQuery: definition.view,
      staticSummary: `${spec.summary(caseRequest, opened)} · policy ${policy.id} v${policy.version}`,
      initialView: () => definition.openingView(opened, actor, now),
    });
    if (started.created) {
      reply.code(201).header('location', `${collection}/${caseId}`);
      // The case's first projection row, from the same opening state: any caller reads it at once, worker or not.
      await ctx.projection?.record({ caseId, kind: definition.kind, merchantId: body.merchantId, timeZone: timeZoneOf(policy), snapshot: caseSnapshot({
        revision: (opened as { revision?: number }).revision ?? 0, visibility: definition.machine.visibility(opened), finished: false,
        viewAs: (viewer) => definition.openingView(opened, viewer, now),
      }) })
        .catch(() => undefined); // the case's first hand-off writes it too
      ctx.writes.note(key.id, caseId, (opened as { revision?: number }).revision ?? 0);
    }
    return renderCaseView(started.view);
  });

  registerCaseRoutes(app, ctx, {
    kind: definition.kind, collection, label: spec.label, actions: spec.actions, actionRoles: spec.actionRoles, actionBodies: spec.actionBodies,
    viewSchema: spec.viewSchema, act: definition.act, viewQuery: definition.view, toInput: spec.toInput, render: renderCaseView,
  });
}
