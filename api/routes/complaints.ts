/**
 * `/v1/complaints` (投诉): create a complaint, read it, act on it, through the one create path
 * (./case-create); four-eyes refusals are 403s from the machine.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COMPLAINT, complaint } from '../../workflows/complaint';
import { checkComplaintRequest } from '../../workflows/domain/complaint/eligibility';
import { COMPLAINT_ACTION_ROLES, COMPLAINT_CREATOR_ROLES } from '../../workflows/domain/complaint/roles';
import { COMPLAINT_ACTIONS, type ComplaintActionInput } from '../../workflows/domain/complaint/types';
import { callerInstant } from '../caller-times';
import type { ApiContext } from '../context';
import { COMPLAINT_ACTION_BODIES, complaintViewSchema, createComplaintBody } from '../schemas/complaint';
import { registerCaseKind } from './case-create';

export const complaintRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  registerCaseKind(app, ctx, {
    definition: COMPLAINT,
    workflowType: complaint.name,
    collection: '/v1/complaints',
    label: 'complaint',
    create: {
      summary: 'Open a complaint (channel, agent)',
      description: 'Priority P1-P4 from severity, urgency and customer tier; critical severity or the social channel start at L2. '
        + 'Same Idempotency-Key and body: 200 with the current view. Unknown policyId: 422 not-eligible, rule unknown-policy.',
      body: createComplaintBody, roles: COMPLAINT_CREATOR_ROLES, may: 'open complaints',
    },
    toRequest: (body, now) => ({
      receivedAt: body.receivedAt !== undefined ? callerInstant(body.receivedAt, 'receivedAt', now) : now,
      channel: body.channel, category: body.category, severity: body.severity, urgency: body.urgency, customerTier: body.customerTier, summary: body.summary,
      ...(body.orderId !== undefined ? { orderId: body.orderId } : {}),
      ...(body.order !== undefined ? { order: body.order } : {}),
    }),
    check: checkComplaintRequest,
    summary: (r, opened) => `Complaint ${opened.priority} (${r.category}, ${r.severity}) · merchant ${r.merchantId}`,
    actions: COMPLAINT_ACTIONS,
    actionRoles: COMPLAINT_ACTION_ROLES,
    actionBodies: COMPLAINT_ACTION_BODIES,
    viewSchema: complaintViewSchema,
    toInput: (fields) => fields as ComplaintActionInput,
  });
};
