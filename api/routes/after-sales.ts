/**
 * `/v1/after-sales` (售后): create a case, read it, act on it. Checks run in the order of docs/http-contract.md:
 * 401 (app hook) → 400 (schemas, times, currencies) → 404 (unknown case, or a merchant outside the key's scope)
 * → 403 (role, merchant scope on create) → idempotent replay or 422 `idempotency-key-reused` → 409 (state).
 * Each action is its own route with its own strict body; an unknown action is a 404 (no such route).
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { afterSale, afterSaleAct, afterSaleView, afterSaleVisibility } from '../../workflows/after-sale';
import { startSearchAttributes } from '../../workflows/case-visibility';
import { openAfterSale } from '../../workflows/domain/after-sale/clock-events';
import { afterSaleView as afterSaleViewOf } from '../../workflows/domain/after-sale/view';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { assessAfterSaleRequest } from '../../workflows/domain/after-sale/eligibility';
import { mixedCurrency } from '../../workflows/domain/after-sale/refund';
import { AFTER_SALE_ACTION_ROLES, AFTER_SALE_CREATOR_ROLES } from '../../workflows/domain/after-sale/roles';
import { AFTER_SALE_ACTIONS, type AfterSaleActionInput, type AfterSaleRequest } from '../../workflows/domain/after-sale/types';
import { inMerchantScope } from '../../workflows/domain/case';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import { MerchantId, OrderId, PolicyId } from '../../workflows/search-attributes';
import { actorOf, requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { caseIdFor, fingerprint, idempotencyHeaders } from '../idempotency';
import { registryPolicySource } from '../policy-store';
import { checkRelatedCase } from '../related-case';
import { Problem, problemFromRuleFailure } from '../problems';
import { renderCaseView, renderTimes } from '../render';
import { AFTER_SALE_ACTION_BODIES, afterSaleViewSchema, createAfterSaleBody } from '../schemas/after-sale';
import { problemResponses } from '../schemas/shared';

type RenderedAfterSaleView = z.infer<typeof afterSaleViewSchema>;
import { registerCaseRoutes, startCase, unlessReplayed } from './case-routes';
import { choosePolicyFor } from './policy-selection';

const COLLECTION = '/v1/after-sales';
const CREATE_ROUTE = `POST ${COLLECTION}`;
/** Caller times may lie in the past; more than this in the future is a client error. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** An ISO instant as epoch ms, refused (400) when it lies too far in the future. */
export function callerInstant(iso: string, field: string, now: number): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Problem(400, 'invalid-request', `${field} is not a valid date-time`);
  if (ms > now + MAX_FUTURE_SKEW_MS) throw new Problem(400, 'invalid-request', `${field} lies more than 5 minutes in the future`, { field });
  return ms;
}

/** Action body fields → the machine's input; caller times become epoch ms (refused when in the future). */
function actionInput(fields: Record<string, unknown>, now: number): AfterSaleActionInput {
  const { shippedAt, receivedAt, ...rest } = fields as { shippedAt?: string; receivedAt?: string };
  return {
    ...(rest as Omit<AfterSaleActionInput, 'shippedAt' | 'receivedAt'>),
    ...(shippedAt !== undefined ? { shippedAt: callerInstant(shippedAt, 'shippedAt', now) } : {}),
    ...(receivedAt !== undefined ? { receivedAt: callerInstant(receivedAt, 'receivedAt', now) } : {}),
  };
}

export const afterSaleRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const policies = registryPolicySource(ctx);

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

    const caseId = caseIdFor('after_sale', key.id, CREATE_ROUTE, request.headers['idempotency-key']);
    // A retry is a replay first: a window that closed since the first answer refuses no retry.
    const checked = await unlessReplayed({ ctx, key, caseId, requestFingerprint, viewQuery: afterSaleView }, async () => {
      // No policyId: the selection rules pick one (first match wins), else the default preset.
      const policyId = body.policyId ?? (await choosePolicyFor(ctx, { merchantId: body.merchantId, kind: 'after_sale', type: body.type })).policyId;
      const resolved = await resolvePolicy(policyId, undefined, policies);
      if (!resolved) throw new Problem(422, 'not-eligible', `No policy ${policyId}`, { rule: 'unknown-policy', policyId });
      const refusal = assessAfterSaleRequest({
        ...facts, requestedAt, policy: resolved,
        ...(body.noReasonReturnConfirmedExclusions !== undefined ? { noReasonReturnConfirmedExclusions: body.noReasonReturnConfirmedExclusions } : {}),
      });
      // Instants in a refusal render like those of views: ISO-8601 in the policy calendar's zone.
      if (refusal) throw problemFromRuleFailure(refusal.type, refusal.detail, renderTimes(refusal.extensions ?? {}, timeZoneOf(resolved)) as Record<string, unknown>)!;
      await checkRelatedCase(ctx, body.merchantId, body.relatedCaseId);
      return resolved;
    });
    if ('replayed' in checked) return renderCaseView(checked.replayed) as RenderedAfterSaleView;
    const policy = checked.checked;

    const actor = actorOf(key, body.actorRef);
    const afterSaleRequest: AfterSaleRequest = {
      caseId, merchantId: body.merchantId, orderId: body.orderId, customerRef: body.customerRef, type: body.type, reason: body.reason,
      items: body.items, order, requestedAt, openedAt: now, policy, createdBy: actor, requestFingerprint,
      ...(body.requestedRefund ? { requestedRefund: body.requestedRefund } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.evidence !== undefined ? { evidence: body.evidence } : {}),
      ...(body.noReasonReturnConfirmedExclusions !== undefined ? { noReasonReturnConfirmedExclusions: body.noReasonReturnConfirmedExclusions } : {}),
      ...(body.relatedCaseId !== undefined ? { relatedCaseId: body.relatedCaseId } : {}),
    };
    // The case as it opens, by the same pure code the workflow runs: the 201 view and the first search
    // attributes need no round trip through a worker.
    const opened = openAfterSale(afterSaleRequest, now);
    const searchAttributes: SearchAttributePair[] = [
      { key: MerchantId, value: body.merchantId },
      { key: OrderId, value: body.orderId },
      { key: PolicyId, value: policy.id },
      ...startSearchAttributes(afterSaleVisibility(opened)),
    ];
    const started = await startCase({
      ctx, key, workflowType: afterSale.name, caseId, args: [afterSaleRequest], merchantId: body.merchantId, requestFingerprint, searchAttributes, viewQuery: afterSaleView,
      staticSummary: `After-sale ${body.type} (${body.reason}) · merchant ${body.merchantId} · order ${body.orderId} · policy ${policy.id} v${policy.version}`,
      initialView: () => afterSaleViewOf(opened, actor, now, timeZoneOf(policy)),
    });
    if (started.created) reply.code(201).header('location', `${COLLECTION}/${caseId}`);
    return renderCaseView(started.view) as RenderedAfterSaleView;
  });

  registerCaseRoutes(app, ctx, {
    kind: 'after_sale',
    collection: COLLECTION,
    label: 'after-sale',
    actions: AFTER_SALE_ACTIONS,
    actionRoles: AFTER_SALE_ACTION_ROLES,
    actionBodies: AFTER_SALE_ACTION_BODIES,
    viewSchema: afterSaleViewSchema,
    act: afterSaleAct,
    viewQuery: afterSaleView,
    toInput: actionInput,
    render: renderCaseView,
  });
};
