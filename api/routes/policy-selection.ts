/**
 * `/v1/policy-selection`: the ordered rules that pick a policy for a case whose request names none
 * (first match wins; criteria merchantId, kind, type, customerTier; default cn-marketplace). One singleton
 * document, versioned like policies; `PUT` is for admins and refuses rules naming an unknown policy.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_KINDS } from '../../workflows/domain/case';
import { DEFAULT_POLICY_ID } from '../../workflows/domain/policy/presets';
import type { SelectionRules } from '../../workflows/domain/policy/select';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { publishDocumentVersion, readDocument } from '../document-store';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { SELECTION_RULES_ID, forgetSelectionRules, unknownPolicyIds } from '../policy-store';
import { Problem } from '../problems';
import { problemResponses, referenceIdSchema } from '../schemas/shared';

/** Kept for the create routes that import it from here; the implementation lives in the policy store. */
export { choosePolicyFor } from '../policy-store';

const values = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(500).optional();

const rulesBody = z.object({
  rules: z.array(z.object({
    policyId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    when: z.object({
      merchantId: values(referenceIdSchema), kind: values(z.enum(CASE_KINDS)), type: values(z.string().min(1).max(40)), customerTier: values(z.enum(['new', 'regular', 'vip'])),
    }).strict().describe('Every criterion named must contain the case\'s value; an empty `when` matches every case'),
  }).strict()).max(200).describe('Ordered: the first rule that matches picks the policy'),
}).strict();
const rulesView = rulesBody.extend({ version: z.number().int().describe('0 before any rules were published'), defaultPolicyId: z.string() });

export const policySelectionRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get('/v1/policy-selection', {
    schema: { tags: ['policies'], summary: 'Rules that pick a policy when a request names none', response: { 200: rulesView, ...problemResponses(401, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const record = await readDocument<SelectionRules>(ctx, 'policy-selection', SELECTION_RULES_ID);
    return { rules: (record?.content.rules ?? []) as z.infer<typeof rulesBody>['rules'], version: record?.version ?? 0, defaultPolicyId: DEFAULT_POLICY_ID };
  });

  app.put('/v1/policy-selection', {
    schema: {
      tags: ['policies'], summary: 'Publish new selection rules (admin); first match wins',
      description: 'Identical rules publish nothing (200); new rules → 201. A rule naming an unknown policy → 400.',
      headers: idempotencyHeaders, body: rulesBody,
      response: { 200: rulesView, 201: rulesView, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    requireRole(key, ['admin'], 'publish policy-selection rules');
    // A rule naming no policy would turn every matching create into a 422: refuse it here instead.
    const unknown = await unknownPolicyIds(ctx, request.body.rules.map((r) => r.policyId));
    if (unknown.length > 0) throw new Problem(400, 'invalid-request', `Selection rules name unknown policies: ${unknown.join(', ')}`, { unknownPolicies: unknown });
    const requestFingerprint = fingerprint(request.body);
    const updateId = updateIdFor(key.id, 'PUT /v1/policy-selection', request.headers['idempotency-key']);
    const result = await publishDocumentVersion(ctx, 'policy-selection', SELECTION_RULES_ID, { content: request.body, publishedBy: key.id, fingerprint: requestFingerprint }, updateId);
    if (result.fingerprint !== requestFingerprint) throw keyReused('policy-selection rules');
    if (result.created) reply.code(201);
    forgetSelectionRules(ctx);
    return { ...(result.record.content as z.infer<typeof rulesBody>), version: result.record.version, defaultPolicyId: DEFAULT_POLICY_ID };
  });
};
