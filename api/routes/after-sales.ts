/**
 * `/v1/after-sales` (售后): create a case, read it, act on it, through the one create path (./case-create).
 * Each action is its own route with its own strict body; an unknown action is a 404 (no such route).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AFTER_SALE, afterSale } from '../../workflows/after-sale';
import { assessAfterSaleRequest, checkAfterSaleRequest } from '../../workflows/domain/after-sale/eligibility';
import { AFTER_SALE_ACTION_ROLES, AFTER_SALE_CREATOR_ROLES } from '../../workflows/domain/after-sale/roles';
import { AFTER_SALE_ACTIONS, type AfterSaleActionInput } from '../../workflows/domain/after-sale/types';
import { callerInstant } from '../caller-times';
import type { ApiContext } from '../context';
import { AFTER_SALE_ACTION_BODIES, afterSaleViewSchema, createAfterSaleBody } from '../schemas/after-sale';
import { registerCaseKind } from './case-create';

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
  registerCaseKind(app, ctx, {
    definition: AFTER_SALE,
    workflowType: afterSale.name,
    collection: '/v1/after-sales',
    label: 'after-sale',
    create: {
      summary: 'Open an after-sale case (channel, agent)',
      description: 'Same Idempotency-Key and body: 200 with the current view. Unknown policyId: 422 not-eligible, rule unknown-policy.',
      body: createAfterSaleBody, roles: AFTER_SALE_CREATOR_ROLES, may: 'open after-sale cases',
    },
    toRequest: (body, now) => ({
      requestedAt: body.requestedAt !== undefined ? callerInstant(body.requestedAt, 'requestedAt', now) : now,
      order: {
        paidTotal: body.order.paidTotal,
        shippingFee: body.order.shippingFee,
        ...(body.order.shippedAt !== undefined ? { shippedAt: callerInstant(body.order.shippedAt, 'order.shippedAt', now) } : {}),
        ...(body.order.deliveredAt !== undefined ? { deliveredAt: callerInstant(body.order.deliveredAt, 'order.deliveredAt', now) } : {}),
      },
      orderId: body.orderId, type: body.type, reason: body.reason, items: body.items,
      ...(body.requestedRefund ? { requestedRefund: body.requestedRefund } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.evidence !== undefined ? { evidence: body.evidence } : {}),
      ...(body.noReasonReturnConfirmedExclusions !== undefined ? { noReasonReturnConfirmedExclusions: body.noReasonReturnConfirmedExclusions } : {}),
    }),
    check: checkAfterSaleRequest,
    assess: assessAfterSaleRequest,
    summary: (r) => `After-sale ${r.type} (${r.reason}) · merchant ${r.merchantId} · order ${r.orderId}`,
    actions: AFTER_SALE_ACTIONS,
    actionRoles: AFTER_SALE_ACTION_ROLES,
    actionBodies: AFTER_SALE_ACTION_BODIES,
    viewSchema: afterSaleViewSchema,
    toInput: actionInput,
  });
};
