/**
 * `/v1/complaints` (投诉): create a complaint, read it, act on it. Checks run in the order of
 * docs/http-contract.md: 401 (app hook) → 400 (schemas, times, currencies) → 404 (unknown case, or a merchant
 * outside the key's scope) → 403 (role, merchant scope on create, four-eyes) → idempotent replay or 422 → 409
 * (state).
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { complaint, complaintAct, complaintView, complaintVisibility } from '../../workflows/complaint';
import { startSearchAttributes } from '../../workflows/case-visibility';
import { inMerchantScope } from '../../workflows/domain/case';
import { openComplaint } from '../../workflows/domain/complaint/clock-events';
import { COMPLAINT_ACTION_ROLES, COMPLAINT_CREATOR_ROLES } from '../../workflows/domain/complaint/roles';
import { COMPLAINT_ACTIONS, type ComplaintActionInput, type ComplaintRequest } from '../../workflows/domain/complaint/types';
import { complaintView as complaintViewOf } from '../../workflows/domain/complaint/view';
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
import { COMPLAINT_ACTION_BODIES, complaintViewSchema, createComplaintBody } from '../schemas/complaint';
import { problemResponses } from '../schemas/shared';
import { callerInstant } from './after-sales';
import { registerCaseRoutes, startCase, unlessReplayed } from './case-routes';
import { choosePolicyFor } from './policy-selection';

type RenderedComplaintView = z.infer<typeof complaintViewSchema>;

const COLLECTION = '/v1/complaints';
const CREATE_ROUTE = `POST ${COLLECTION}`;

export const complaintRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const policies = registryPolicySource(ctx);

  app.post(COLLECTION, {
    schema: {
      tags: ['complaints'],
      summary: 'Open a complaint (channel, agent)',
      description: 'Priority P1-P4 from severity, urgency and customer tier; critical severity or the social channel start at L2. '
        + 'Same Idempotency-Key and body: 200 with the current view. Unknown policyId: 422 not-eligible, rule unknown-policy.',
      headers: idempotencyHeaders,
      body: createComplaintBody,
      response: { 200: complaintViewSchema, 201: complaintViewSchema, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const body = request.body;
    const now = ctx.now();
    const requestFingerprint = fingerprint(body);
    const receivedAt = body.receivedAt !== undefined ? callerInstant(body.receivedAt, 'receivedAt', now) : now;
    if (body.order) {
      const currency = body.order.paidTotal.currency;
      const odd = [body.order.shippingFee, ...body.order.items.map((i) => i.unitPrice)].find((m) => m.currency !== currency);
      if (odd) throw new Problem(400, 'invalid-request', `Every amount must be in ${currency}; found ${odd.currency}`);
    }

    requireRole(key, COMPLAINT_CREATOR_ROLES, 'open complaints');
    if (!inMerchantScope(key.merchants, body.merchantId)) throw new Problem(403, 'forbidden', `Key ${key.id} may not act for merchant ${body.merchantId}`);

    const caseId = caseIdFor('complaint', key.id, CREATE_ROUTE, request.headers['idempotency-key']);
    // A retry is a replay first: a policy or related case that changed since refuses no retry.
    const checked = await unlessReplayed({ ctx, key, caseId, requestFingerprint, viewQuery: complaintView }, async () => {
      const policyId = body.policyId ?? (await choosePolicyFor(ctx, { merchantId: body.merchantId, kind: 'complaint', customerTier: body.customerTier })).policyId;
      const resolved = await resolvePolicy(policyId, undefined, policies);
      if (!resolved) throw new Problem(422, 'not-eligible', `No policy ${policyId}`, { rule: 'unknown-policy', policyId });
      await checkRelatedCase(ctx, body.merchantId, body.relatedCaseId);
      return resolved;
    });
    if ('replayed' in checked) return renderCaseView(checked.replayed) as RenderedComplaintView;
    const policy = checked.checked;

    const actor = actorOf(key, body.actorRef);
    const complaintRequest: ComplaintRequest = {
      caseId, merchantId: body.merchantId, customerRef: body.customerRef, channel: body.channel, category: body.category,
      severity: body.severity, urgency: body.urgency, customerTier: body.customerTier, summary: body.summary,
      ...(body.orderId !== undefined ? { orderId: body.orderId } : {}),
      ...(body.order !== undefined ? { order: body.order } : {}),
      ...(body.relatedCaseId !== undefined ? { relatedCaseId: body.relatedCaseId } : {}),
      receivedAt, openedAt: now, policy, createdBy: actor, requestFingerprint,
    };
    // The complaint as it opens, by the same pure code the workflow runs: no round trip for the 201.
    const opened = openComplaint(complaintRequest, now);
    const searchAttributes: SearchAttributePair[] = [
      { key: MerchantId, value: body.merchantId },
      { key: PolicyId, value: policy.id },
      ...(body.orderId ? [{ key: OrderId, value: body.orderId }] : []),
      ...startSearchAttributes(complaintVisibility(opened)),
    ];
    const started = await startCase({
      ctx, key, workflowType: complaint.name, caseId, args: [complaintRequest], merchantId: body.merchantId, requestFingerprint, searchAttributes,
      viewQuery: complaintView,
      staticSummary: `Complaint ${opened.priority} (${body.category}, ${body.severity}) · merchant ${body.merchantId} · policy ${policy.id} v${policy.version}`,
      initialView: () => complaintViewOf(opened, actor, timeZoneOf(policy)),
    });
    if (started.created) reply.code(201).header('location', `${COLLECTION}/${caseId}`);
    return renderCaseView(started.view) as RenderedComplaintView;
  });

  registerCaseRoutes(app, ctx, {
    kind: 'complaint',
    collection: COLLECTION,
    label: 'complaint',
    actions: COMPLAINT_ACTIONS,
    actionRoles: COMPLAINT_ACTION_ROLES,
    actionBodies: COMPLAINT_ACTION_BODIES,
    viewSchema: complaintViewSchema,
    act: complaintAct,
    viewQuery: complaintView,
    toInput: (fields) => fields as ComplaintActionInput,
    render: renderCaseView,
  });
};
