/**
 * `/v1/order-issues` (售中/异常订单): open an order issue, read it, act on it. Checks run in the order of
 * docs/http-contract.md: 401 (app hook) → 400 (schemas, times, what each type needs) → 404 → 403 (role,
 * merchant scope on create) → idempotent replay or 422 → 409 (state).
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { orderIssue, orderIssueAct, orderIssueView, orderIssueVisibility } from '../../workflows/order-issue';
import { startSearchAttributes } from '../../workflows/case-visibility';
import { inMerchantScope } from '../../workflows/domain/case';
import { openOrderIssue } from '../../workflows/domain/order-issue/machine';
import { ORDER_ISSUE_ACTION_ROLES, ORDER_ISSUE_CREATOR_ROLES } from '../../workflows/domain/order-issue/roles';
import { ORDER_ISSUE_ACTIONS, type OrderIssueActionInput, type OrderIssueRequest } from '../../workflows/domain/order-issue/types';
import { orderIssueView as orderIssueViewOf } from '../../workflows/domain/order-issue/view';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { MerchantId, OrderId, PolicyId } from '../../workflows/search-attributes';
import { actorOf, requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { caseIdFor, fingerprint, idempotencyHeaders } from '../idempotency';
import { registryPolicySource } from '../policy-store';
import { Problem } from '../problems';
import { checkRelatedCase } from '../related-case';
import { renderCaseView } from '../render';
import { ORDER_ISSUE_ACTION_BODIES, createOrderIssueBody, orderIssueViewSchema } from '../schemas/order-issue';
import { problemResponses } from '../schemas/shared';
import { callerInstant } from './after-sales';
import { registerCaseRoutes, startCase, unlessReplayed } from './case-routes';
import { choosePolicyFor } from './policy-selection';

type RenderedOrderIssueView = z.infer<typeof orderIssueViewSchema>;

const COLLECTION = '/v1/order-issues';
const CREATE_ROUTE = `POST ${COLLECTION}`;

export const orderIssueRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const policies = registryPolicySource(ctx);

  app.post(COLLECTION, {
    schema: {
      tags: ['order-issues'],
      summary: 'Open an order issue (channel, agent, merchant)',
      description: 'parcel_missing and delivery_delay need trackingNumber; every type but address_change needs order (for a refund '
        + 'compensation). Same Idempotency-Key and body: 200 with the current view.',
      headers: idempotencyHeaders,
      body: createOrderIssueBody,
      response: { 200: orderIssueViewSchema, 201: orderIssueViewSchema, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body;
    const now = ctx.now();
    const requestFingerprint = fingerprint(body);
    const reportedAt = body.reportedAt !== undefined ? callerInstant(body.reportedAt, 'reportedAt', now) : now;
    if ((body.type === 'parcel_missing' || body.type === 'delivery_delay') && !body.trackingNumber) {
      throw new Problem(400, 'invalid-request', `A ${body.type} case needs the parcel's trackingNumber`);
    }
    if (body.type !== 'address_change' && !body.order) throw new Problem(400, 'invalid-request', `A ${body.type} case needs order (items, paidTotal, shippingFee) for a refund compensation`);
    if (body.order) {
      const currency = body.order.paidTotal.currency;
      const odd = [body.order.shippingFee, ...body.order.items.map((i) => i.unitPrice), ...(body.chargedAmount ? [body.chargedAmount] : [])].find((m) => m.currency !== currency);
      if (odd) throw new Problem(400, 'invalid-request', `Every amount must be in ${currency}; found ${odd.currency}`);
    }

    requireRole(key, ORDER_ISSUE_CREATOR_ROLES, 'open order issues');
    if (!inMerchantScope(key.merchants, body.merchantId)) throw new Problem(403, 'forbidden', `Key ${key.id} may not act for merchant ${body.merchantId}`);

    const caseId = caseIdFor('order_issue', key.id, CREATE_ROUTE, request.headers['idempotency-key']);
    // A retry is a replay first: a policy or related case that changed since refuses no retry.
    const checked = await unlessReplayed({ ctx, key, caseId, requestFingerprint, viewQuery: orderIssueView }, async () => {
      const policyId = body.policyId ?? (await choosePolicyFor(ctx, { merchantId: body.merchantId, kind: 'order_issue', type: body.type })).policyId;
      const resolved = await resolvePolicy(policyId, undefined, policies);
      if (!resolved) throw new Problem(422, 'not-eligible', `No policy ${policyId}`, { rule: 'unknown-policy', policyId });
      if (body.chargedAmount && body.order && body.chargedAmount.amount > body.order.paidTotal.amount) {
        throw new Problem(422, 'not-eligible', 'A refund may not exceed what was paid', { rule: 'refund-above-paid', paidTotal: body.order.paidTotal });
      }
      await checkRelatedCase(ctx, body.merchantId, body.relatedCaseId);
      return resolved;
    });
    if ('replayed' in checked) return renderCaseView(checked.replayed) as RenderedOrderIssueView;
    const policy = checked.checked;

    const actor = actorOf(key, body.actorRef);
    const orderIssueRequest: OrderIssueRequest = {
      caseId, merchantId: body.merchantId, orderId: body.orderId, customerRef: body.customerRef, type: body.type,
      ...(body.trackingNumber ? { trackingNumber: body.trackingNumber } : {}),
      ...(body.carrier ? { carrier: body.carrier } : {}),
      ...(body.order ? { order: body.order } : {}),
      ...(body.newAddress ? { newAddress: body.newAddress } : {}),
      ...(body.chargedAmount ? { chargedAmount: body.chargedAmount } : {}),
      ...(body.description ? { description: body.description } : {}),
      ...(body.relatedCaseId ? { relatedCaseId: body.relatedCaseId } : {}),
      reportedAt, openedAt: now, policy, createdBy: actor, requestFingerprint,
    };
    const opened = openOrderIssue(orderIssueRequest, now);
    const searchAttributes: SearchAttributePair[] = [
      { key: MerchantId, value: body.merchantId },
      { key: OrderId, value: body.orderId },
      { key: PolicyId, value: policy.id },
      ...startSearchAttributes(orderIssueVisibility(opened)),
    ];
    const started = await startCase({
      ctx, key, workflowType: orderIssue.name, caseId, args: [orderIssueRequest], merchantId: body.merchantId, requestFingerprint, searchAttributes,
      viewQuery: orderIssueView,
      staticSummary: `Order issue ${body.type} · merchant ${body.merchantId} · order ${body.orderId} · policy ${policy.id} v${policy.version}`,
      initialView: () => orderIssueViewOf(opened, actor, timeZoneOf(policy)),
    });
    if (started.created) reply.code(201).header('location', `${COLLECTION}/${caseId}`);
    return renderCaseView(started.view) as RenderedOrderIssueView;
  });

  registerCaseRoutes(app, ctx, {
    kind: 'order_issue',
    collection: COLLECTION,
    label: 'order-issue',
    actions: ORDER_ISSUE_ACTIONS,
    actionRoles: ORDER_ISSUE_ACTION_ROLES,
    actionBodies: ORDER_ISSUE_ACTION_BODIES,
    viewSchema: orderIssueViewSchema,
    act: orderIssueAct,
    viewQuery: orderIssueView,
    toInput: (fields) => fields as OrderIssueActionInput,
    render: renderCaseView,
  });
};
