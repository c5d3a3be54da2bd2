/**
 * `/v1/after-sales` (售后): create a case, read it, act on it. Checks run in API.md's order: 401 (app hook)
 * → 400 (schemas, times, currencies) → 404 (unknown case, or a merchant outside the key's scope) → 403
 * (role, merchant scope on create) → idempotent replay or 422 `idempotency-key-reused` → 409 (state).
 * Each action is its own route with its own strict body; an unknown action is a 404 (no such route).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowNotFoundError, type SearchAttributePair } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { afterSale, afterSaleAct, afterSaleView } from '../../workflows/after-sale';
import { assessAfterSaleRequest } from '../../workflows/domain/after-sale/eligibility';
import { mixedCurrency } from '../../workflows/domain/after-sale/refund';
import { AFTER_SALE_ACTION_ROLES, AFTER_SALE_CREATOR_ROLES, roleMayAct } from '../../workflows/domain/after-sale/roles';
import { AFTER_SALE_ACTIONS, type AfterSaleAction, type AfterSaleActionInput, type AfterSaleRequest } from '../../workflows/domain/after-sale/types';
import type { AfterSaleView } from '../../workflows/domain/after-sale/view';
import { inMerchantScope } from '../../workflows/domain/case';
import { kindOfCaseId } from '../../workflows/domain/case-ids';
import { DEFAULT_POLICY_ID } from '../../workflows/domain/policy/presets';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import {
  CaseKind, CaseStatus, EscalationLevel, MerchantId, OrderId, PolicyId, SlaBreached,
} from '../../workflows/search-attributes';
import { actorOf, requireRole, type ApiKey } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { caseIdFor, fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { registryPolicySource } from '../policy-store';
import { Problem, problemFromRuleFailure } from '../problems';
import { renderAfterSaleView } from '../render';
import { AFTER_SALE_ACTION_BODIES, afterSaleIdParams, afterSaleViewSchema, createAfterSaleBody, type AfterSaleActionBody } from '../schemas/after-sale';
import { problemResponses } from '../schemas/shared';

const CREATE_ROUTE = 'POST /v1/after-sales';
/** Caller times may lie in the past; more than this in the future is a client error. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** An ISO instant as epoch ms, refused (400) when it lies too far in the future. */
export function callerInstant(iso: string, field: string, now: number): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Problem(400, 'invalid-request', `${field} is not a valid date-time`);
  if (ms > now + MAX_FUTURE_SKEW_MS) throw new Problem(400, 'invalid-request', `${field} lies more than 5 minutes in the future`, { field });
  return ms;
}

function caseNotFound(id: string): Problem {
  return new Problem(404, 'not-found', `No after-sale case ${id}`);
}

/** A case id the caller may not see is answered exactly like one that does not exist. */
function assertAfterSaleId(id: string): void {
  if (kindOfCaseId(id) !== 'after_sale') throw caseNotFound(id);
}

function actionInput(body: AfterSaleActionBody, now: number): AfterSaleActionInput {
  const { actorRef: _actorRef, ...fields } = body as AfterSaleActionBody & { shippedAt?: string; receivedAt?: string };
  const input: AfterSaleActionInput = { ...(fields as Omit<AfterSaleActionInput, 'shippedAt' | 'receivedAt'>) };
  if (fields.shippedAt !== undefined) input.shippedAt = callerInstant(fields.shippedAt, 'shippedAt', now);
  if (fields.receivedAt !== undefined) input.receivedAt = callerInstant(fields.receivedAt, 'receivedAt', now);
  return input;
}

export const afterSaleRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const policies = registryPolicySource(ctx);
  const queryView = (id: string, key: ApiKey): Promise<AfterSaleView> =>
    ctx.temporal(() => ctx.client.workflow.getHandle(id).query(afterSaleView, actorOf(key)));

  app.post('/v1/after-sales', {
    schema: {
      tags: ['after-sales'],
      summary: 'Open an after-sale case (channel, agent)',
      description: 'Same Idempotency-Key and body: 200 with the current view. Unknown policyId: 422 not-eligible, rule unknown-policy.',
      headers: idempotencyHeaders,
      body: createAfterSaleBody,
      response: { 200: afterSaleViewSchema, 201: afterSaleViewSchema, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body;
    const now = ctx.now();
    const requestFingerprint = fingerprint(body);

    const requestedAt = body.requestedAt !== undefined ? callerInstant(body.requestedAt, 'requestedAt', now) : now;
    const order = {
      paidTotal: body.order.paidTotal,
      shippingFee: body.order.shippingFee,
      ...(body.order.shippedAt !== undefined ? { shippedAt: callerInstant(body.order.shippedAt, 'order.shippedAt', now) } : {}),
      ...(body.order.deliveredAt !== undefined ? { deliveredAt: callerInstant(body.order.deliveredAt, 'order.deliveredAt', now) } : {}),
    };
    const facts = { type: body.type, reason: body.reason, items: body.items, order, ...(body.requestedRefund ? { requestedRefund: body.requestedRefund } : {}) };
    const odd = mixedCurrency(facts, facts.requestedRefund);
    if (odd) throw new Problem(400, 'invalid-request', `Every amount must be in ${order.paidTotal.currency}; found ${odd}`);

    requireRole(key, AFTER_SALE_CREATOR_ROLES, 'open after-sale cases');
    if (!inMerchantScope(key.merchants, body.merchantId)) throw new Problem(403, 'forbidden', `Key ${key.id} may not act for merchant ${body.merchantId}`);

    const policyId = body.policyId ?? DEFAULT_POLICY_ID;
    const policy = await resolvePolicy(policyId, undefined, policies);
    if (!policy) throw new Problem(422, 'not-eligible', `No policy ${policyId}`, { rule: 'unknown-policy', policyId });
    const refusal = assessAfterSaleRequest({
      ...facts, requestedAt, policy,
      ...(body.noReasonReturnConfirmedExclusions !== undefined ? { noReasonReturnConfirmedExclusions: body.noReasonReturnConfirmedExclusions } : {}),
    });
    if (refusal) throw problemFromRuleFailure(refusal.type, refusal.detail, refusal.extensions ?? {})!;

    const caseId = caseIdFor('after_sale', key.id, CREATE_ROUTE, request.headers['idempotency-key']);
    const actor = actorOf(key, body.actorRef);
    const afterSaleRequest: AfterSaleRequest = {
      caseId, merchantId: body.merchantId, orderId: body.orderId, customerRef: body.customerRef, type: body.type, reason: body.reason,
      items: body.items, order, requestedAt, policy, createdBy: actor, requestFingerprint,
      ...(body.requestedRefund ? { requestedRefund: body.requestedRefund } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.evidence !== undefined ? { evidence: body.evidence } : {}),
      ...(body.noReasonReturnConfirmedExclusions !== undefined ? { noReasonReturnConfirmedExclusions: body.noReasonReturnConfirmedExclusions } : {}),
    };
    const searchAttributes: SearchAttributePair[] = [
      { key: CaseKind, value: 'after_sale' },
      { key: CaseStatus, value: 'awaiting_merchant' },
      { key: MerchantId, value: body.merchantId },
      { key: OrderId, value: body.orderId },
      { key: PolicyId, value: policy.id },
      { key: EscalationLevel, value: 1 },
      { key: SlaBreached, value: false },
    ];
    try {
      await ctx.temporal(() => ctx.client.workflow.start(afterSale, {
        workflowId: caseId,
        taskQueue: ctx.taskQueue,
        args: [afterSaleRequest],
        memo: { requestFingerprint, merchantId: body.merchantId },
        typedSearchAttributes: searchAttributes,
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // A retry of a create: the same body gets the case as it is now, another body is refused.
      const existing = await ctx.temporal(() => ctx.client.workflow.getHandle(caseId).describe());
      if (existing.memo?.requestFingerprint !== requestFingerprint) throw keyReused('create request');
      return reply.code(200).send(renderAfterSaleView(await queryView(caseId, key)));
    }
    const view = await queryView(caseId, key);
    return reply.code(201).header('location', `/v1/after-sales/${caseId}`).send(renderAfterSaleView(view));
  });

  app.get('/v1/after-sales/:id', {
    schema: {
      tags: ['after-sales'], summary: 'An after-sale case as the caller sees it', params: afterSaleIdParams,
      response: { 200: afterSaleViewSchema, ...problemResponses(401, 404, 429, 503) },
    },
  }, async (request) => {
    const key = callerKey(request);
    const { id } = request.params;
    assertAfterSaleId(id);
    let view: AfterSaleView;
    try {
      view = await queryView(id, key);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw caseNotFound(id);
      throw err;
    }
    if (!inMerchantScope(key.merchants, view.merchantId)) throw caseNotFound(id);
    return renderAfterSaleView(view);
  });

  for (const action of AFTER_SALE_ACTIONS) registerAction(action);

  function registerAction(action: AfterSaleAction): void {
    app.post(`/v1/after-sales/:id/actions/${action}`, {
      schema: {
        tags: ['after-sales'],
        summary: `${action} (${AFTER_SALE_ACTION_ROLES[action].join(', ')})`,
        params: afterSaleIdParams,
        headers: idempotencyHeaders,
        body: (AFTER_SALE_ACTION_BODIES[action] as z.ZodType<object>).optional(),
        response: { 200: afterSaleViewSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 422, 429, 503) },
      },
    }, async (request) => {
      const key = callerKey(request);
      const { id } = request.params;
      const body = (request.body ?? {}) as AfterSaleActionBody;
      const input = actionInput(body, ctx.now());
      assertAfterSaleId(id);

      const handle = ctx.client.workflow.getHandle(id);
      let merchantId: unknown;
      try {
        merchantId = (await ctx.temporal(() => handle.describe())).memo?.merchantId;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw caseNotFound(id);
        throw err;
      }
      if (typeof merchantId !== 'string' || !inMerchantScope(key.merchants, merchantId)) throw caseNotFound(id);
      if (!roleMayAct(key.role, action)) {
        throw new Problem(403, 'forbidden', `Role ${key.role} may not ${action} after-sale cases`, { role: key.role, allowedRoles: AFTER_SALE_ACTION_ROLES[action] });
      }

      const requestFingerprint = fingerprint(request.body ?? {});
      const updateId = updateIdFor(key.id, `POST /v1/after-sales/${id}/actions/${action}`, request.headers['idempotency-key']);
      try {
        const result = await ctx.temporal(() => handle.executeUpdate(afterSaleAct, {
          args: [{ action, actor: actorOf(key, body.actorRef), input, fingerprint: requestFingerprint }],
          updateId,
        }));
        if (result.fingerprint !== requestFingerprint) throw keyReused('action request');
        return renderAfterSaleView(result.view);
      } catch (err) {
        // The case workflow has finished (past its post-close windows): nothing may be done any more.
        if (err instanceof WorkflowNotFoundError) {
          throw new Problem(409, 'action-not-allowed', `${action} is not allowed: the case is closed`, { caseStatus: 'closed', action, allowedActions: [] });
        }
        throw err;
      }
    });
  }
};
