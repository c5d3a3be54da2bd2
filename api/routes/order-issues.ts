/**
 * `/v1/order-issues` (售中/异常订单): open an order issue, read it, act on it, through the one create path
 * (./case-create); what each type needs is the domain's (workflows/domain/order-issue/eligibility.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ORDER_ISSUE, orderIssue } from '../../workflows/order-issue';
import { assessOrderIssueRequest, checkOrderIssueRequest } from '../../workflows/domain/order-issue/eligibility';
import { ORDER_ISSUE_ACTION_ROLES, ORDER_ISSUE_CREATOR_ROLES } from '../../workflows/domain/order-issue/roles';
import { ORDER_ISSUE_ACTIONS, type OrderIssueActionInput } from '../../workflows/domain/order-issue/types';
import { callerInstant } from '../caller-times';
import type { ApiContext } from '../context';
import { ORDER_ISSUE_ACTION_BODIES, createOrderIssueBody, orderIssueViewSchema } from '../schemas/order-issue';
import { registerCaseKind } from './case-create';

export const orderIssueRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  registerCaseKind(app, ctx, {
    definition: ORDER_ISSUE,
    workflowType: orderIssue.name,
    collection: '/v1/order-issues',
    label: 'order-issue',
    create: {
      summary: 'Open an order issue (channel, agent, merchant)',
      description: 'parcel_missing and delivery_delay need trackingNumber; every type but address_change needs order (for a refund '
        + 'compensation). Same Idempotency-Key and body: 200 with the current view.',
      body: createOrderIssueBody, roles: ORDER_ISSUE_CREATOR_ROLES, may: 'open order issues',
    },
    toRequest: (body, now) => ({
      reportedAt: body.reportedAt !== undefined ? callerInstant(body.reportedAt, 'reportedAt', now) : now,
      orderId: body.orderId, type: body.type,
      ...(body.trackingNumber ? { trackingNumber: body.trackingNumber } : {}),
      ...(body.carrier ? { carrier: body.carrier } : {}),
      ...(body.order ? { order: body.order } : {}),
      ...(body.newAddress ? { newAddress: body.newAddress } : {}),
      ...(body.chargedAmount ? { chargedAmount: body.chargedAmount } : {}),
      ...(body.description ? { description: body.description } : {}),
    }),
    check: checkOrderIssueRequest,
    assess: assessOrderIssueRequest,
    summary: (r) => `Order issue ${r.type} · merchant ${r.merchantId} · order ${r.orderId}`,
    actions: ORDER_ISSUE_ACTIONS,
    actionRoles: ORDER_ISSUE_ACTION_ROLES,
    actionBodies: ORDER_ISSUE_ACTION_BODIES,
    viewSchema: orderIssueViewSchema,
    toInput: (fields) => fields as OrderIssueActionInput,
  });
};
