/**
 * `/v1/inquiries` (售前咨询): open an inquiry, read it, act on it. Checks run in the order of
 * docs/http-contract.md: 401 (app hook) → 400 (schemas, times) → 404 (unknown case, or a merchant outside the
 * key's scope) → 403 (role, merchant scope on create) → idempotent replay or 422 → 409 (state).
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { inquiry, inquiryAct, inquiryView, inquiryVisibility } from '../../workflows/inquiry';
import { startSearchAttributes } from '../../workflows/case-visibility';
import { inMerchantScope } from '../../workflows/domain/case';
import { openInquiry } from '../../workflows/domain/inquiry/machine';
import { INQUIRY_ACTION_ROLES, INQUIRY_CREATOR_ROLES } from '../../workflows/domain/inquiry/roles';
import { INQUIRY_ACTIONS, type InquiryActionInput, type InquiryRequest } from '../../workflows/domain/inquiry/types';
import { inquiryView as inquiryViewOf } from '../../workflows/domain/inquiry/view';
import { resolvePolicy } from '../../workflows/domain/policy/resolve';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { MerchantId, PolicyId } from '../../workflows/search-attributes';
import { actorOf, requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { caseIdFor, fingerprint, idempotencyHeaders } from '../idempotency';
import { registryPolicySource } from '../policy-store';
import { Problem } from '../problems';
import { checkRelatedCase } from '../related-case';
import { renderCaseView } from '../render';
import { INQUIRY_ACTION_BODIES, createInquiryBody, inquiryViewSchema } from '../schemas/inquiry';
import { problemResponses } from '../schemas/shared';
import { callerInstant } from './after-sales';
import { registerCaseRoutes, startCase, unlessReplayed } from './case-routes';
import { choosePolicyFor } from './policy-selection';

type RenderedInquiryView = z.infer<typeof inquiryViewSchema>;

const COLLECTION = '/v1/inquiries';
const CREATE_ROUTE = `POST ${COLLECTION}`;

export const inquiryRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const policies = registryPolicySource(ctx);

  app.post(COLLECTION, {
    schema: {
      tags: ['inquiries'],
      summary: 'Open a pre-sale inquiry (channel, agent)',
      description: 'The response target (policy inquiry.deadlines.firstResponse) counts from receivedAt. Same Idempotency-Key and body: 200 with '
        + 'the current view. Unknown policyId or relatedCaseId: 422 not-eligible.',
      headers: idempotencyHeaders,
      body: createInquiryBody,
      response: { 200: inquiryViewSchema, 201: inquiryViewSchema, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body;
    const now = ctx.now();
    const requestFingerprint = fingerprint(body);
    const receivedAt = body.receivedAt !== undefined ? callerInstant(body.receivedAt, 'receivedAt', now) : now;

    requireRole(key, INQUIRY_CREATOR_ROLES, 'open inquiries');
    if (!inMerchantScope(key.merchants, body.merchantId)) throw new Problem(403, 'forbidden', `Key ${key.id} may not act for merchant ${body.merchantId}`);

    const caseId = caseIdFor('inquiry', key.id, CREATE_ROUTE, request.headers['idempotency-key']);
    // A retry is a replay first: a policy or related case that changed since refuses no retry.
    const checked = await unlessReplayed({ ctx, key, caseId, requestFingerprint, viewQuery: inquiryView }, async () => {
      const policyId = body.policyId ?? (await choosePolicyFor(ctx, { merchantId: body.merchantId, kind: 'inquiry' })).policyId;
      const resolved = await resolvePolicy(policyId, undefined, policies);
      if (!resolved) throw new Problem(422, 'not-eligible', `No policy ${policyId}`, { rule: 'unknown-policy', policyId });
      await checkRelatedCase(ctx, body.merchantId, body.relatedCaseId);
      return resolved;
    });
    if ('replayed' in checked) return renderCaseView(checked.replayed) as RenderedInquiryView;
    const policy = checked.checked;

    const actor = actorOf(key, body.actorRef);
    const inquiryRequest: InquiryRequest = {
      caseId, merchantId: body.merchantId, customerRef: body.customerRef, channel: body.channel, topic: body.topic,
      ...(body.question !== undefined ? { question: body.question } : {}),
      ...(body.productSkus !== undefined ? { productSkus: body.productSkus } : {}),
      ...(body.relatedCaseId !== undefined ? { relatedCaseId: body.relatedCaseId } : {}),
      receivedAt, openedAt: now, policy, createdBy: actor, requestFingerprint,
    };
    const opened = openInquiry(inquiryRequest, now);
    const searchAttributes: SearchAttributePair[] = [
      { key: MerchantId, value: body.merchantId },
      { key: PolicyId, value: policy.id },
      ...startSearchAttributes(inquiryVisibility(opened)),
    ];
    const started = await startCase({
      ctx, key, workflowType: inquiry.name, caseId, args: [inquiryRequest], merchantId: body.merchantId, requestFingerprint, searchAttributes,
      viewQuery: inquiryView,
      staticSummary: `Inquiry (${body.topic}, ${body.channel}) · merchant ${body.merchantId} · policy ${policy.id} v${policy.version}`,
      initialView: () => inquiryViewOf(opened, actor, timeZoneOf(policy)),
    });
    if (started.created) reply.code(201).header('location', `${COLLECTION}/${caseId}`);
    return renderCaseView(started.view) as RenderedInquiryView;
  });

  registerCaseRoutes(app, ctx, {
    kind: 'inquiry',
    collection: COLLECTION,
    label: 'inquiry',
    actions: INQUIRY_ACTIONS,
    actionRoles: INQUIRY_ACTION_ROLES,
    actionBodies: INQUIRY_ACTION_BODIES,
    viewSchema: inquiryViewSchema,
    act: inquiryAct,
    viewQuery: inquiryView,
    toInput: (fields) => fields as InquiryActionInput,
    render: renderCaseView,
  });
};
