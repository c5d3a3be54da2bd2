/**
 * `/v1/inquiries` (售前咨询): open an inquiry, read it, act on it, through the one create path (./case-create).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { INQUIRY, inquiry } from '../../workflows/inquiry';
import { INQUIRY_ACTION_ROLES, INQUIRY_CREATOR_ROLES } from '../../workflows/domain/inquiry/roles';
import { INQUIRY_ACTIONS, type InquiryActionInput } from '../../workflows/domain/inquiry/types';
import { callerInstant } from '../caller-times';
import type { ApiContext } from '../context';
import { INQUIRY_ACTION_BODIES, createInquiryBody, inquiryViewSchema } from '../schemas/inquiry';
import { registerCaseKind } from './case-create';

export const inquiryRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  registerCaseKind(app, ctx, {
    definition: INQUIRY,
    workflowType: inquiry.name,
    collection: '/v1/inquiries',
    label: 'inquiry',
    create: {
      summary: 'Open a pre-sale inquiry (channel, agent)',
      description: 'The response target (policy inquiry.deadlines.firstResponse) counts from receivedAt. Same Idempotency-Key and body: 200 with '
        + 'the current view. Unknown policyId or relatedCaseId: 422 not-eligible.',
      body: createInquiryBody, roles: INQUIRY_CREATOR_ROLES, may: 'open inquiries',
    },
    toRequest: (body, now) => ({
      receivedAt: body.receivedAt !== undefined ? callerInstant(body.receivedAt, 'receivedAt', now) : now,
      channel: body.channel, topic: body.topic,
      ...(body.question !== undefined ? { question: body.question } : {}),
      ...(body.productSkus !== undefined ? { productSkus: body.productSkus } : {}),
    }),
    summary: (r) => `Inquiry (${r.topic}, ${r.channel}) · merchant ${r.merchantId}`,
    actions: INQUIRY_ACTIONS,
    actionRoles: INQUIRY_ACTION_ROLES,
    actionBodies: INQUIRY_ACTION_BODIES,
    viewSchema: inquiryViewSchema,
    toInput: (fields) => fields as InquiryActionInput,
  });
};
